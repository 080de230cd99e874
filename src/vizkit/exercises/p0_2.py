r"""Exercises of chapter P0.2, "Function families".

Each ``check_*`` computes its expected answer with
:func:`vizkit.foundations.functions.evaluate` and hands it to :class:`vizkit.exercises.Answer`.

The break-it exercise uses :func:`buggy_sigmoid_slope`: the slope of
:math:`\sigma(w x)` with one deliberate bug from :data:`BUGS`. Each bug leaves its
own fingerprint on the plotted slope curve:

=========  ==================================  ==============================================
bug        what the code computes              what the slope plot shows
=========  ==================================  ==============================================
no_chain   σ(wx)(1 − σ(wx)), forgetting the w  the right bump shape, but its peak is w times too low
value      σ(wx) itself                        an S-curve that climbs to 1: never comes back down
sign       −w σ(wx)(1 − σ(wx))                 the bump hangs below zero: "downhill" everywhere
=========  ==================================  ==============================================

>>> check_peak_slope(0.5)
✓ steepest slope of σ(2x): right (0.5, expected 0.5 within 1%)
True
"""

from __future__ import annotations

import numpy as np

from vizkit._validate import one_of
from vizkit.foundations._checks import array
from vizkit.foundations.functions import evaluate

from . import Answer

__all__ = ["W", "XS", "BUGS", "MYSTERIES", "peak_slope", "check_peak_slope", "check_steepest_x",
           "check_poly_slope", "buggy_sigmoid_slope", "correct_slope", "mystery_slope", "check_bug",
           "plot_slopes"]

#: The steepness of the sigmoid in the exercises, σ(W x).
W = 2.0
#: The x grid of the break-it plots.
XS = np.linspace(-4.0, 4.0, 161)

#: The deliberate bugs :func:`buggy_sigmoid_slope` can plant.
BUGS = {
    "no_chain": "computes s * (1 - s) with s = sigmoid(w x), forgetting the factor w from the chain rule",
    "value": "returns s = sigmoid(w x) itself instead of its slope",
    "sign": "computes -w * s * (1 - s): the right size with the wrong sign",
}

#: Which bug hides behind each mystery curve.
MYSTERIES = {"A": "no_chain", "B": "value"}


def peak_slope(w: float = W) -> float:
    """The largest slope of :math:`\\sigma(w x)` over all x: the slope at x = 0.

    >>> peak_slope(1.0)
    0.25
    """
    _, dy = evaluate("sigmoid", [0.0], w=w)
    return float(dy[0])


def check_peak_slope(answer: object, w: float = W) -> bool:
    """Predict-then-check: the steepest slope of :math:`\\sigma(w x)`."""
    return Answer(f"steepest slope of σ({w:g}x)", peak_slope(w), rel_tol=0.01,
                  hint="σ(0) = 1/2, and the slope is w · σ · (1 − σ); the middle is the steepest point").check(answer)


def check_steepest_x(answer: object, w: float = W) -> bool:
    """Predict-then-check: at which x (on the grid :data:`XS`, rounded to a whole number) is :math:`\\sigma(w x)` steepest?"""
    _, dy = evaluate("sigmoid", XS, w=w)
    expected = int(round(float(XS[int(np.argmax(np.abs(dy)))])))   # a whole number for these curves
    return Answer(f"x where σ({w:g}x) is steepest", expected,
                  hint="the curve is flat far left (near 0) and far right (near 1); where is it halfway?").check(answer)


def check_poly_slope(answer: object, x: float = 3.0, coeffs=(1.0, -1.0, 0.5)) -> bool:
    """Compute-it: the slope of :math:`c_0 + c_1 x + c_2 x^2 + \\dots` at ``x``."""
    xv = float(array("x", x, ndim=0))
    _, dy = evaluate("polynomial", [xv], coeffs=coeffs)
    return Answer(f"slope of the polynomial at x = {xv:g}", float(dy[0]), rel_tol=0.01,
                  hint="the slope of c_k x^k is k c_k x^(k-1): the constant drops out, c_1 x gives c_1, "
                       "c_2 x² gives 2 c_2 x").check(answer)


def correct_slope(w: float = W) -> np.ndarray:
    """The true slope of :math:`\\sigma(w x)` on :data:`XS`."""
    return evaluate("sigmoid", XS, w=w)[1]


def buggy_sigmoid_slope(bug: str, w: float = W) -> np.ndarray:
    """The slope of :math:`\\sigma(w x)` on :data:`XS` with one bug from :data:`BUGS` planted.

    >>> float(buggy_sigmoid_slope("no_chain").max())
    0.25
    """
    bug = one_of("bug", bug, BUGS)
    s, _ = evaluate("sigmoid", XS, w=w)
    wv = float(array("w", w, ndim=0))
    if bug == "no_chain":
        return s * (1.0 - s)
    if bug == "value":
        return s
    return -wv * s * (1.0 - s)


def mystery_slope(which: str) -> np.ndarray:
    """The slope curve behind mystery ``which`` (``"A"`` or ``"B"``)."""
    return buggy_sigmoid_slope(MYSTERIES[one_of("which", which, MYSTERIES)])


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug (a key of :data:`BUGS`) behind mystery curve ``which``."""
    bug = MYSTERIES[one_of("which", which, MYSTERIES)]
    return Answer(f"bug behind mystery {which}", bug, choices=tuple(BUGS),
                  hint="compare the shape first (bump or S?), then the height of the peak, then its sign").check(answer)


def plot_slopes(*curves: np.ndarray, labels=None):
    """Slope curves over :data:`XS`, side by side (returns the matplotlib figure)."""
    import matplotlib.pyplot as plt

    if not curves:
        raise ValueError("curves must not be empty")
    labels = labels or [f"curve {k + 1}" for k in range(len(curves))]
    if len(labels) != len(curves):
        raise ValueError(f"labels must have {len(curves)} entries; got {len(labels)}")
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    for y, label, style in zip(curves, labels, ["-", "--", ":"] * 3):
        ax.plot(XS, y, style, lw=2, label=label)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set_xlabel("x")
    ax.set_ylabel("slope")
    ax.legend()
    fig.tight_layout()
    return fig
