r"""Exercises of chapter P0.1, "Notation palette".

Each ``check_*`` computes its expected answer with :mod:`vizkit.foundations.notation`
(:func:`~vizkit.foundations.notation.sum_trace`, :func:`~vizkit.foundations.notation.lp_norm`,
:func:`~vizkit.foundations.notation.evaluate_notation`) and hands it to
:func:`vizkit.exercises.check`.

The break-it exercise uses :func:`buggy_sum_trace`: the loop behind
:math:`\sum_{i=1}^n w_i x_i` with one deliberate bug from :data:`BUGS`. Each bug
leaves its own fingerprint on the running total:

=========  ===============================  ===================================================
bug        what the loop does               what the running-total plot shows
=========  ===============================  ===================================================
skip       starts at i = 2                  flat at 0 for the first step, then parallel, short
overwrite  total = term (not total + term)  the "total" jumps to each new term: no climbing
square     adds x_i² instead of w_i x_i     climbs steadily and far past the correct total
=========  ===============================  ===================================================

>>> check_dot(4.0)
✓ Σ w_i x_i: right (4, expected 4 within 1%)
True
"""

from __future__ import annotations

import math

import numpy as np

from vizkit._validate import one_of
from vizkit.foundations.notation import SumTrace, evaluate_notation, lp_norm, sum_trace

from . import Answer

__all__ = ["BUGS", "MYSTERIES", "NORMS", "X", "W", "check_dot", "check_norm", "largest_norm",
           "check_largest_norm", "buggy_sum_trace", "mystery_trace", "correct_trace", "check_bug", "plot_runs"]

#: The operands of the chapter's exercises (the widget's "mixed" preset).
X = (3.0, 1.0, 4.0, 1.0, 5.0)
W = (0.5, -1.0, 0.25, 2.0, 0.1)

#: The norms of :func:`check_largest_norm`: name -> p.
NORMS = {"l1": 1.0, "l2": 2.0, "linf": math.inf}

#: The deliberate bugs :func:`buggy_sum_trace` can plant in the loop.
BUGS = {
    "skip": "the loop starts at i = 2 instead of i = 1, so the first term is never added",
    "overwrite": "the loop writes total = term instead of total = total + term, so each step forgets the last",
    "square": "the loop adds x_i * x_i instead of w_i * x_i: the weights are never used",
}

#: The break-it exercise's suspects: which bug hides behind each mystery run.
MYSTERIES = {"A": "overwrite", "B": "skip"}


def check_dot(answer: object, x=X, w=W) -> bool:
    """Compute-it: :math:`\\sum_i w_i x_i` of ``x`` and ``w``."""
    expected = evaluate_notation(x, w).dot          # validates x and w by name
    return Answer("Σ w_i x_i", expected, rel_tol=0.01,
                  hint="multiply entry by entry (w_1 x_1, w_2 x_2, …), then add all the products; "
                       "mind the sign of the negative weight").check(answer)


def check_norm(answer: object, x=(3.0, 4.0, 12.0), p: float = 2.0) -> bool:
    """Compute-it: :math:`\\lVert x\\rVert_p`."""
    expected = lp_norm(x, p)
    return Answer(f"‖x‖_{p:g}", expected, rel_tol=0.01,
                  hint="square every entry, add the squares, take the square root (for p = 2); "
                       "for p = 1 add the absolute values; for p = inf take the largest").check(answer)


def largest_norm(x=X) -> str:
    """Which of ‖x‖₁, ‖x‖₂, ‖x‖∞ is largest (the first of the largest, in :data:`NORMS` order).

    >>> largest_norm([3.0, 4.0])
    'l1'
    """
    values = {name: lp_norm(x, p) for name, p in NORMS.items()}
    top = max(values.values())
    return next(name for name, v in values.items() if v >= top * (1 - 1e-12))


def check_largest_norm(answer: object, x=X) -> bool:
    """Predict-then-check: which norm of ``x`` is largest: ``"l1"``, ``"l2"`` or ``"linf"``?"""
    return Answer("largest of ‖x‖₁, ‖x‖₂, ‖x‖∞", largest_norm(x), choices=tuple(NORMS),
                  hint="‖x‖₁ adds every |x_i|; ‖x‖∞ keeps only the largest; ‖x‖₂ sits in between "
                       "whenever more than one entry is non-zero").check(answer)


def buggy_sum_trace(bug: str, x=X, w=W) -> SumTrace:
    """The loop of :math:`\\sum_i w_i x_i` with one bug from :data:`BUGS` planted.

    >>> buggy_sum_trace("overwrite", [1.0, 2.0], [1.0, 1.0]).partial_sum.tolist()
    [1.0, 2.0]
    """
    bug = one_of("bug", bug, BUGS)
    good = sum_trace(x, w)
    xv, wv = good.value, good.weight
    if bug == "skip":
        term = np.where(np.arange(xv.shape[0]) == 0, 0.0, wv * xv)
        total = np.cumsum(term)
    elif bug == "overwrite":
        term = wv * xv
        total = term.copy()
    else:
        term = xv * xv
        total = np.cumsum(term)
    return SumTrace(index=good.index, value=xv, weight=wv, term=term, partial_sum=total)


def correct_trace(x=X, w=W) -> SumTrace:
    """The correct loop, for comparison."""
    return sum_trace(x, w)


def mystery_trace(which: str) -> SumTrace:
    """The run behind mystery ``which`` (``"A"`` or ``"B"``)."""
    return buggy_sum_trace(MYSTERIES[one_of("which", which, MYSTERIES)])


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug (a key of :data:`BUGS`) behind mystery run ``which``."""
    bug = MYSTERIES[one_of("which", which, MYSTERIES)]
    return Answer(f"bug behind mystery {which}", bug, choices=tuple(BUGS),
                  hint="compare the first step of each run, then ask whether the total keeps what "
                       "it had: a correct running total changes by exactly w_i x_i per step").check(answer)


def plot_runs(*traces: SumTrace, labels=None):
    """Running total per step of each trace, side by side (returns the matplotlib figure)."""
    import matplotlib.pyplot as plt

    if not traces:
        raise ValueError("traces must not be empty")
    labels = labels or [f"run {k + 1}" for k in range(len(traces))]
    if len(labels) != len(traces):
        raise ValueError(f"labels must have {len(traces)} entries; got {len(labels)}")
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    for t, label, style in zip(traces, labels, ["o-", "s--", "^:"] * 3):
        ax.plot(t.index, t.partial_sum, style, label=label)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set_xlabel("index i")
    ax.set_ylabel("running total after step i")
    ax.set_xticks(list(traces[0].index))
    ax.legend()
    fig.tight_layout()
    return fig
