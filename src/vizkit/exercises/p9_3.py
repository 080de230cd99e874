r"""Exercises of chapter P9.3, "PagedAttention".

Each ``check_*`` computes its expected answer with :mod:`vizkit.serving`, then
hands it to :class:`vizkit.exercises.Answer`.

The break-it exercise runs a stream of forked requests (parallel sampling, two
samples each) through a block manager with one planted bug from :data:`BUGS` and
records the free blocks after every step (:func:`free_blocks_trace`):

===========  ==================================================================
bug          free blocks over time
===========  ==================================================================
leak         shared blocks are never returned: the floor sinks request by request
             and the pool does not refill when every sequence has finished
eager-copy   forks copy every block at once: deeper dips while requests run,
             but the pool refills completely at the end
skip-copy    no copy-on-write: one block *fewer* per fork than the correct
             manager (it looks like a saving, and silently corrupts a sample)
===========  ==================================================================

>>> blocks_needed(1000, 16), wasted_slots(1000, 16)
(63, 8)
"""

from __future__ import annotations

import numpy as np

from vizkit._validate import one_of, positive_int
from vizkit.serving import (EngineConfig, PagedBlocks, cost_model, kv_utilization, poisson_workload,
                            simulate)

from . import Answer

__all__ = ["PAPER_UTILIZATION", "BUGS", "MYSTERIES", "contiguous_utilization", "check_contiguous_waste",
           "blocks_needed", "wasted_slots", "check_blocks_needed", "check_wasted_slots",
           "free_blocks_trace", "mystery_trace", "plot_free_blocks", "check_bug"]

#: Kwon et al. 2023 (vLLM), §1 and Fig. 2: the share of reserved KV memory that held
#: real tokens in the earlier systems they measured, lowest and highest.
PAPER_UTILIZATION = (0.204, 0.382)

#: The deliberate bugs :func:`free_blocks_trace` can plant.
BUGS = {
    "leak": "release() forgets to decrement the reference count of a shared block, so a block "
            "that was ever shared never returns to the free list",
    "eager-copy": "fork() copies every block of the parent at once instead of sharing them and "
                  "copying only on the first write",
    "skip-copy": "a sample writes into a shared, partly filled block without copying it first, "
                 "overwriting its sibling's tokens",
}

#: The break-it exercise's suspects.
MYSTERIES = {"A": "eager-copy", "B": "leak"}


# --- predict, then check -------------------------------------------------------------------

def contiguous_utilization(n_requests: int = 1000, max_len_tokens: int = 2048, seed: int = 0,
                           reserve: str = "max") -> float:
    """Time-averaged share of reserved KV slots holding a token when every request reserves
    ``max_len_tokens`` at admission (chat-like lengths, Llama 2 13B on an A100 80GB)."""
    n = positive_int("n_requests", n_requests, maximum=100_000)
    w = poisson_workload(n, rate_per_s=4.0, seed=seed, max_len_tokens=max_len_tokens)
    cfg = EngineConfig(memory="contiguous", reserve=reserve, max_len_tokens=max_len_tokens)
    return kv_utilization(simulate(w, cost_model("llama-2-13b", "a100-80gb-sxm"), cfg))


def check_contiguous_waste(answer: object, max_len_tokens: int = 2048) -> bool:
    """Predict-then-check: the percentage of reserved KV slots that hold no token."""
    expected = 100 * (1 - contiguous_utilization(max_len_tokens=max_len_tokens))
    return Answer(f"% of reserved KV slots empty, max-length reservation of {max_len_tokens}", expected,
                  rel_tol=0.1, hint="a chat request ends far short of the maximum length it reserved; "
                  "and while it runs, the output it has not written yet is empty too"
                  ).check(answer)


# --- compute it ----------------------------------------------------------------------------

def blocks_needed(n_tokens: int, block_size: int) -> int:
    r""":math:`\lceil n / B \rceil` blocks for a sequence of ``n_tokens``."""
    n = positive_int("n_tokens", n_tokens, maximum=1 << 24)
    b = positive_int("block_size", block_size, maximum=1 << 16)
    return int(PagedBlocks(1, b, 1, 1).blocks_for(n))


def wasted_slots(n_tokens: int, block_size: int) -> int:
    """Token slots reserved but empty in the last block: internal fragmentation."""
    return blocks_needed(n_tokens, block_size) * block_size - n_tokens


def check_blocks_needed(answer: object, n_tokens: int = 1000, block_size: int = 16) -> bool:
    """Compute-it: blocks a ``n_tokens`` sequence holds."""
    return Answer(f"blocks for {n_tokens} tokens at block size {block_size}",
                  blocks_needed(n_tokens, block_size),
                  hint="divide and round UP: a partly filled block is still a whole block").check(answer)


def check_wasted_slots(answer: object, n_tokens: int = 1000, block_size: int = 16) -> bool:
    """Compute-it: empty slots in the last block of a ``n_tokens`` sequence."""
    return Answer(f"empty slots for {n_tokens} tokens at block size {block_size}",
                  wasted_slots(n_tokens, block_size),
                  hint="blocks × block size − tokens; it is always less than one block").check(answer)


# --- break it ------------------------------------------------------------------------------

class _Leaky(PagedBlocks):
    def _drop(self, blocks: np.ndarray) -> None:
        one = blocks[self.refcount[blocks] == 1]          # shared blocks: count left as it was
        if one.shape[0]:
            self.refcount[one] = 0
            self._push(np.unique(one))


class _SkipCopy(PagedBlocks):
    def _cow(self, slots: np.ndarray, tok: np.ndarray) -> None:
        return None                                        # writes land in the shared block


class _EagerCopy(PagedBlocks):
    def fork(self, parent: int, child: int) -> None:
        nb = int(self.n_seq_blocks[parent])
        fresh = self._pop(nb, "fork")
        self.refcount[fresh] = 1
        self.table[child, :nb] = fresh
        self.n_seq_blocks[child] = nb
        self.n_seq_tokens[child] = self.n_seq_tokens[parent]
        self.live[child] = True


def free_blocks_trace(bug: str | None = None, n_requests: int = 8, block_size: int = 16,
                      n_blocks: int = 160, prompt_tokens: int = 200, output_tokens: int = 60,
                      every: int = 20) -> np.ndarray:
    """Free blocks after each step while ``n_requests`` requests, one every ``every`` steps,
    each prefill ``prompt_tokens``, fork into two samples and decode ``output_tokens`` each.

    ``bug`` is ``None`` (the real :class:`PagedBlocks`) or one of :data:`BUGS`.
    """
    cls = PagedBlocks if bug is None else {"leak": _Leaky, "eager-copy": _EagerCopy,
                                              "skip-copy": _SkipCopy}[one_of("bug", bug, BUGS)]
    n = positive_int("n_requests", n_requests, maximum=1000)
    total = prompt_tokens + output_tokens
    m = cls(n_blocks=n_blocks, block_size=block_size, max_seqs=2 * n,
            max_blocks_per_seq=-(-total // block_size))
    out = []
    left = np.zeros(2 * n, dtype=np.int64)
    step = 0
    while step < (n - 1) * every + output_tokens + 20:
        if step % every == 0 and step // every < n:
            r = step // every
            m.allocate(2 * r, prompt_tokens)
            m.fork(2 * r, 2 * r + 1)
            left[2 * r:2 * r + 2] = output_tokens
        run = np.flatnonzero(m.live & (left > 0))
        if run.size:
            m.append(run, 1)
            left[run] -= 1
        done = np.flatnonzero(m.live & (left == 0))
        if done.size:
            m.release(done)
        out.append(m.n_free)
        step += 1
    return np.asarray(out)


def mystery_trace(which: str = "A") -> np.ndarray:
    """The free-block curve of mystery manager ``which`` (see :data:`MYSTERIES`)."""
    return free_blocks_trace(MYSTERIES[one_of("which", which, MYSTERIES)])


def plot_free_blocks(good: np.ndarray, other: np.ndarray, labels=("correct manager", "mystery manager")):
    """Free blocks over time for a correct and a suspect manager. Needs matplotlib; returns the figure."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 3.0), constrained_layout=True)
    ax.plot(np.arange(len(good)), good, color="#0072B2", lw=2, label=labels[0])
    ax.plot(np.arange(len(other)), other, color="#D55E00", lw=2, ls="--", label=labels[1])
    ax.set_xlabel("step")
    ax.set_ylabel("free KV blocks")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False)
    return fig


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind :func:`mystery_trace` ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug in mystery manager {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="look at the very end, when every sequence has finished: is the pool full again? "
                       "then compare how deep each fork pushes the curve").check(answer)
