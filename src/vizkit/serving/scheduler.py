r"""The engine's knobs: how each iteration's batch is chosen and where KV lives.

An engine step ("iteration") runs the model once over a batch. The scheduler
picks that batch again before *every* step (Orca's iteration-level scheduling,
Yu et al. 2022):

* ``policy="static"``: a batch is formed only when the engine is idle and runs
  until its longest request ends; finished requests stay in it as padding and
  new arrivals wait (request-level batching, as a plain ``generate`` loop does).
  It has no token budget: the whole batch is prefilled at once.
* ``policy="continuous"``: requests join and leave at step boundaries.
  Without chunking (vLLM's original scheduler) a step is either a prefill of
  newly admitted prompts, which takes priority, or a decode of every running
  request. With ``chunked_prefill`` (Sarathi-Serve, Agrawal et al. 2024) a step
  has a budget of ``max_batched_tokens``: every running decode first, then
  pieces of prompts fill what is left, so a long prompt no longer stalls decodes.

Memory (``memory``): ``"paged"`` blocks of ``block_size`` tokens allocated as a
sequence grows, or ``"contiguous"`` reservations made at admission (``reserve``
= ``"max"``, ``"pow2"`` or ``"oracle"``; see :mod:`.contiguous`). When a paged
step needs a block and none is free, the most recently admitted request is
**preempted**: ``"recompute"`` drops its KV and later re-prefills prompt plus
output so far; ``"swap"`` copies its KV to host memory over ``swap_bytes_per_s``
and back before it resumes. ``prefix_caching`` keeps finished prompts' full
blocks in a :class:`~.radix.RadixCache` so later prompts that share them skip
that part of their prefill. ``remote_prefill`` is for a decode pool of a
disaggregated cluster (:mod:`.disagg`): a prompt's KV arrives over a link, so
admitting it only allocates blocks, and its first token already exists.

>>> c = EngineConfig(policy="continuous", chunked_prefill=True, max_batched_tokens=512)
>>> c.block_size, c.memory
(16, 'paged')
"""

from __future__ import annotations

from dataclasses import dataclass

from vizkit._validate import in_range, one_of, positive_int

from .contiguous import RESERVE_POLICIES

__all__ = ["EngineConfig", "POLICIES", "PREEMPTION"]

POLICIES = ("static", "continuous")
PREEMPTION = ("recompute", "swap")
MEMORY = ("paged", "contiguous")


@dataclass(frozen=True)
class EngineConfig:
    policy: str = "continuous"       # "static" | "continuous"
    max_num_seqs: int = 256          # most requests in one batch (vLLM's max_num_seqs)
    max_batched_tokens: int = 8192   # token budget of one step (prefill tokens + decodes)
    chunked_prefill: bool = False    # split prompts to fit the budget beside decodes
    preemption: str = "recompute"    # "recompute" | "swap"
    block_size: int = 16             # tokens per KV block (vLLM's default)
    memory: str = "paged"            # "paged" | "contiguous"
    reserve: str = "max"             # contiguous reservation: "max" | "pow2" | "oracle"
    max_len_tokens: int = 8192       # longest prompt + output the engine accepts
    prefix_caching: bool = False     # reuse cached full blocks of earlier prompts
    watermark: float = 0.01          # share of blocks kept free when admitting (vLLM: 1%)
    remote_prefill: bool = False     # prompts arrive with KV computed elsewhere (a decode pool)

    def __post_init__(self) -> None:
        one_of("policy", self.policy, POLICIES)
        positive_int("max_num_seqs", self.max_num_seqs, maximum=1 << 16)
        positive_int("max_batched_tokens", self.max_batched_tokens, maximum=1 << 24)
        one_of("preemption", self.preemption, PREEMPTION)
        positive_int("block_size", self.block_size, maximum=1 << 16)
        one_of("memory", self.memory, MEMORY)
        one_of("reserve", self.reserve, RESERVE_POLICIES)
        positive_int("max_len_tokens", self.max_len_tokens, maximum=1 << 24)
        in_range("watermark", self.watermark, 0.0, 0.5)
        if self.chunked_prefill and self.policy == "static":
            raise ValueError("chunked_prefill must be False when policy is 'static'; got True")
        if self.chunked_prefill and self.max_batched_tokens < self.max_num_seqs:
            raise ValueError(f"max_batched_tokens must be >= max_num_seqs ({self.max_num_seqs}) "
                             f"with chunked_prefill, so every decode fits; got {self.max_batched_tokens}")
        if self.prefix_caching and (self.memory != "paged" or self.policy != "continuous"):
            raise ValueError("prefix_caching must be False unless memory is 'paged' and policy "
                             "is 'continuous'; got True")
        if self.remote_prefill and (self.policy != "continuous" or self.chunked_prefill):
            raise ValueError("remote_prefill must be False unless policy is 'continuous' without "
                             "chunked_prefill; got True")
        if self.preemption == "swap" and self.policy == "static":
            raise ValueError("preemption must be 'recompute' when policy is 'static'; got 'swap'")

    @property
    def max_blocks_per_seq(self) -> int:
        return -(-self.max_len_tokens // self.block_size)
