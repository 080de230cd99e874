"""What a serving simulation hands to its widget: one row per step, one per request.

Per step (``n_steps`` rows, in time order): when it started and how long it
took, what was in the batch, the queues and the KV memory *after* the step.
Per request (``n_requests`` rows, in workload order): the timestamps a client
sees. Per token: ``itl_s``, the gap before every output token after the first.
With ``record_batches`` the requests of step ``i`` are
``batch_request[batch_offset[i]:batch_offset[i + 1]]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._record import Record

__all__ = ["ServingTrace", "STEP_INT_FIELDS", "Recorder"]

#: Integer per-step columns, in the order the engine writes them.
STEP_INT_FIELDS = ("n_prefill_tokens", "n_prefill_seqs", "n_decode_seqs", "n_pad_tokens",
                   "n_running", "n_waiting", "n_swapped", "n_preempted", "kv_blocks_used",
                   "kv_cached_blocks", "kv_stored_tokens", "kv_reserved_tokens")


@dataclass(frozen=True)
class ServingTrace(Record):
    # -- per step ------------------------------------------------------------------------
    step_start_s: np.ndarray        # float64
    step_s: np.ndarray              # float64, the step's duration
    n_prefill_tokens: np.ndarray    # prompt tokens computed in the step
    n_prefill_seqs: np.ndarray      # requests whose prompt (or a chunk of it) ran
    n_decode_seqs: np.ndarray       # requests that decoded one token
    n_pad_tokens: np.ndarray        # tokens computed for nothing (static batching's padding)
    n_running: np.ndarray           # requests holding KV after the step
    n_waiting: np.ndarray           # arrived, not admitted, at the step's start
    n_swapped: np.ndarray           # KV parked in host memory
    n_preempted: np.ndarray         # requests preempted to make room for the step
    kv_blocks_used: np.ndarray      # physical blocks referenced (contiguous: reserved / block_size)
    kv_cached_blocks: np.ndarray    # blocks the prefix cache holds
    kv_stored_tokens: np.ndarray    # tokens in KV, summed over sequences
    kv_reserved_tokens: np.ndarray  # token slots held: blocks x block_size, or reservations
    # -- per request ---------------------------------------------------------------------
    arrival_s: np.ndarray
    prompt_tokens: np.ndarray
    output_tokens: np.ndarray
    first_scheduled_s: np.ndarray   # first step that computed part of its prompt
    first_token_s: np.ndarray
    finish_s: np.ndarray            # its last token
    n_preemptions: np.ndarray
    cached_tokens: np.ndarray       # prompt tokens served by the prefix cache (summed over tries)
    # -- per token -----------------------------------------------------------------------
    itl_s: np.ndarray               # gap before each output token after a request's first
    # -- optional batch composition ------------------------------------------------------
    batch_request: np.ndarray       # int, flat
    batch_offset: np.ndarray        # int, n_steps + 1 (all zero if not recorded)
    # -- scenario ------------------------------------------------------------------------
    n_blocks: int
    block_size: int
    kv_bytes_per_token: float
    policy: str
    label: str

    @property
    def n_steps(self) -> int:
        return int(self.step_s.shape[0])

    @property
    def n_requests(self) -> int:
        return int(self.arrival_s.shape[0])

    @property
    def end_s(self) -> float:
        """When the last step ended."""
        return float(self.step_start_s[-1] + self.step_s[-1]) if self.n_steps else 0.0


class Recorder:
    """Per-step rows in growable numpy buffers (no per-step Python objects kept)."""

    def __init__(self) -> None:
        self.f = np.empty((4096, 2))
        self.i = np.empty((4096, len(STEP_INT_FIELDS)), dtype=np.int64)
        self.n = 0

    def _room(self, k: int) -> None:
        if self.n + k > self.f.shape[0]:
            cap = max(2 * self.f.shape[0], self.n + k)
            self.f = np.resize(self.f, (cap, 2))
            self.i = np.resize(self.i, (cap, self.i.shape[1]))

    def row(self, start_s: float, step_s: float, ints: tuple) -> None:
        if self.n == self.f.shape[0]:
            self._room(1)
        self.f[self.n] = (start_s, step_s)
        self.i[self.n] = ints
        self.n += 1

    def rows(self, start_s: np.ndarray, step_s: np.ndarray, ints: np.ndarray) -> None:
        k = start_s.shape[0]
        self._room(k)
        self.f[self.n:self.n + k, 0] = start_s
        self.f[self.n:self.n + k, 1] = step_s
        self.i[self.n:self.n + k] = ints
        self.n += k
