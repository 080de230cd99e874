r"""Exercises of chapter P9.2, "Static vs continuous batching".

Each ``check_*`` computes its expected answer with :mod:`vizkit`, then hands it
to :class:`vizkit.exercises.Answer`.

The break-it exercise runs a toy iteration-level scheduler (:func:`slot_trace`):
``n_slots`` batch slots, a request arriving every ``every`` steps, each decoding
one token per step until its answer is complete. One of :data:`BUGS` can be
planted in it:

===========  ==================================================================
bug          busy slots and queue over time
===========  ==================================================================
no-backfill  a freed slot is refilled only when *every* slot is free: the busy
             slots fall in a staircase, then jump back up; the queue grows
leak         a finished request's slot is never freed: busy slots sink one by
             one to zero and stay there while the queue grows without end
lifo         the newest waiting request is admitted first: busy slots look like
             the correct scheduler's (the damage is in who waits, not in how
             long the GPU idles)
===========  ==================================================================

>>> static_waste([10, 20, 30, 100])
0.6
>>> int(slot_trace()["busy"].max()), int(slot_trace("leak")["busy"][-1])
(8, 0)
"""

from __future__ import annotations

from collections import deque
from functools import lru_cache

import numpy as np

from vizkit._validate import one_of, positive_int

from . import Answer

__all__ = ["DEFAULT", "BUGS", "MYSTERIES", "throughput_ratio", "check_throughput_ratio", "static_waste",
           "check_static_waste", "slot_trace", "mystery_trace", "plot_slots", "check_bug"]

#: The chapter's default scenario: 256 chat-like requests, Poisson at 32 per second, 64 slots.
DEFAULT = {"n_requests": 256, "rate_per_s": 32.0, "length_spread": 0.95, "max_num_seqs": 64}

#: The deliberate scheduler bugs :func:`slot_trace` can plant.
BUGS = {
    "no-backfill": "admit() fills free slots only when the whole batch is empty, so a slot freed by a "
                   "short answer stays empty until the longest one ends",
    "leak": "a request that finishes is marked done but its slot is never put back on the free list",
    "lifo": "admit() takes the newest waiting request instead of the oldest",
}

#: The break-it exercise's suspects.
MYSTERIES = {"A": "no-backfill", "B": "leak"}


# --- predict, then check -------------------------------------------------------------------

@lru_cache(maxsize=8)
def throughput_ratio(n_requests: int = 256, rate_per_s: float = 32.0, length_spread: float = 0.95,
                     max_num_seqs: int = 64) -> float:
    """Output tok/s of continuous batching divided by static batching's, same workload and GPU."""
    from vizkit.serving import summarize
    from vizkit.widgets.batching import policy_run

    tok = [summarize(policy_run(p, n_requests, rate_per_s, length_spread, max_num_seqs)).throughput_tok_per_s
           for p in ("static", "continuous")]
    return tok[1] / tok[0]


def check_throughput_ratio(answer: object) -> bool:
    """Predict-then-check: how many times static batching's tok/s continuous batching delivers."""
    return Answer("continuous / static output tok/s, default scenario", throughput_ratio(), rel_tol=0.1,
                  hint="in a static batch the slowest answer sets the pace: how long is the longest of "
                       "64 lognormal answers compared with the median one?").check(answer)


# --- compute it ----------------------------------------------------------------------------

def static_waste(output_tokens) -> float:
    r"""Share of a static batch's output-token slots that hold padding:
    :math:`1 - \sum_i L_i / (n \max_i L_i)` for answers of lengths :math:`L_i`."""
    lengths = np.asarray(output_tokens)
    if lengths.ndim != 1 or lengths.size == 0:
        raise ValueError(f"output_tokens must be a non-empty list of answer lengths; got {output_tokens!r}")
    for i, x in enumerate(lengths.tolist()):
        positive_int(f"output_tokens[{i}]", x, maximum=1 << 24)
    return float(1.0 - lengths.sum() / (lengths.size * lengths.max()))


def check_static_waste(answer: object, output_tokens=(10, 20, 30, 100)) -> bool:
    """Compute-it: the padding share, in per cent, of one static batch of these answers."""
    return Answer(f"% padding in a static batch of answers {list(output_tokens)}",
                  100 * static_waste(output_tokens), rel_tol=0.02,
                  hint="every request holds its slot until the longest answer ends: n × max slots, of "
                       "which only the sum of the lengths do work").check(answer)


# --- break it ------------------------------------------------------------------------------

def slot_trace(bug: str | None = None, n_requests: int = 40, n_slots: int = 8, every: int = 2,
               seed: int = 0, max_steps: int = 400) -> dict[str, np.ndarray]:
    """Busy slots and queue length after every step of a toy iteration-level scheduler.

    Request ``i`` arrives at step ``every * i`` and needs between 5 and 60 decode steps
    (uniform, from ``seed``). Each step: arrivals join the queue, free slots are filled
    from it (oldest first), every busy slot decodes one token and a request whose answer
    is complete frees its slot. ``bug`` is ``None`` or one of :data:`BUGS`. Returns
    ``{"busy", "waiting", "finished"}`` per step, stopping when every request has
    finished or after ``max_steps``.
    """
    if bug is not None:
        one_of("bug", bug, BUGS)
    n = positive_int("n_requests", n_requests, maximum=10_000)
    k = positive_int("n_slots", n_slots, maximum=1024)
    gap = positive_int("every", every, maximum=10_000)
    cap = positive_int("max_steps", max_steps, maximum=1_000_000)
    need = np.random.default_rng(seed).integers(5, 61, size=n)
    queue: deque[int] = deque()
    free = list(range(k))
    left = np.zeros(k, dtype=np.int64)        # tokens still to decode per slot (0 = idle)
    busy_slot = np.zeros(k, dtype=bool)
    busy, waiting, finished = [], [], []
    done = 0
    for step in range(cap):
        if step % gap == 0 and step // gap < n:
            queue.append(step // gap)
        if bug != "no-backfill" or len(free) == k:
            while free and queue:
                r = queue.pop() if bug == "lifo" else queue.popleft()
                s = free.pop()
                left[s] = need[r]
                busy_slot[s] = True
        run = busy_slot & (left > 0)
        left[run] -= 1
        ended = np.flatnonzero(run & (left == 0))
        done += ended.size
        for s in ended.tolist():
            if bug == "leak":
                left[s] = 0                    # marked done, slot never returned
            else:
                busy_slot[s] = False
                free.append(s)
        busy.append(int(run.sum()))
        waiting.append(len(queue))
        finished.append(done)
        if done == n:
            break
    return {"busy": np.asarray(busy), "waiting": np.asarray(waiting), "finished": np.asarray(finished)}


def mystery_trace(which: str = "A") -> dict[str, np.ndarray]:
    """The trace of mystery scheduler ``which`` (see :data:`MYSTERIES`)."""
    return slot_trace(MYSTERIES[one_of("which", which, MYSTERIES)])


def plot_slots(good: dict, other: dict, labels=("correct scheduler", "mystery scheduler")):
    """Busy slots (top) and queue length (bottom) per step, correct against suspect.
    Needs matplotlib; returns the figure."""
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(2, 1, figsize=(7.5, 4.2), sharex=True, constrained_layout=True)
    for tr, colour, ls, label in ((good, "#0072B2", "-", labels[0]), (other, "#D55E00", "--", labels[1])):
        a.step(np.arange(len(tr["busy"])), tr["busy"], where="post", color=colour, lw=2, ls=ls, label=label)
        b.step(np.arange(len(tr["waiting"])), tr["waiting"], where="post", color=colour, lw=2, ls=ls)
    a.set_ylabel("busy slots")
    a.set_ylim(bottom=0)
    a.legend(frameon=False, loc="lower right")
    b.set_ylabel("requests waiting")
    b.set_xlabel("step")
    return fig


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind :func:`mystery_trace` ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug in mystery scheduler {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="does the busy-slot curve come back up after it falls? and does it fall in one "
                       "go or one slot at a time?").check(answer)
