r"""Exercises of chapter P0.3, "Vectors, dot product, cosine similarity".

Each ``check_*`` computes its expected answer with :mod:`vizkit.foundations.vectors`
(:func:`~vizkit.foundations.vectors.dot`, :func:`~vizkit.foundations.vectors.cosine_similarity`,
:func:`~vizkit.foundations.vectors.projection`) and hands it to :class:`vizkit.exercises.Answer`.

The break-it exercise uses :func:`buggy_cosine`: cosine similarity computed with one
deliberate bug from :data:`BUGS`, evaluated while ``b`` turns once around ``a``
(:func:`~vizkit.foundations.vectors.rotation_trace`). Each bug leaves its own
fingerprint on the plotted curve:

=========  ====================================  =================================================
bug        what the code computes                what the plot shows
=========  ====================================  =================================================
no_norm    a·b, never divided                    a clean cosine wave, but taller than 1: ‖a‖‖b‖
squared    a·b / (‖a‖² ‖b‖²), forgetting the √   a clean cosine wave, but too short: peak 1/(‖a‖‖b‖)
l1         a·b / (‖a‖₁ ‖b‖₁)                     peak below 1 and a dented, not-quite-cosine shape
=========  ====================================  =================================================

>>> check_cosine(0.5963)
✓ cos θ: right (0.5963, expected 0.5963 within 1%)
True
"""

from __future__ import annotations

import numpy as np

from vizkit._validate import one_of
from vizkit.foundations.vectors import RotationTrace, cosine_similarity, dot, projection, rotation_trace

from . import Answer

__all__ = ["A", "B", "ROT_A", "ROT_B_LENGTH", "BUGS", "MYSTERIES", "check_cosine", "check_scaled_cosine",
           "check_scaled_dot", "check_projection_length", "rotation", "buggy_cosine", "mystery_cosine",
           "check_bug", "plot_cosines"]

#: The vectors of the compute-it exercise.
A = (1.0, 2.0, 2.0)
B = (2.0, 0.0, 1.0)
#: The arrows of the break-it exercise: a fixed, b of this length turning.
ROT_A = (2.0, 1.0)
ROT_B_LENGTH = 1.5

BUGS = {
    "no_norm": "returns a·b without dividing by the lengths",
    "squared": "divides a·b by ‖a‖²‖b‖² (the sums of squares), forgetting the square roots",
    "l1": "divides a·b by the 1-norms ‖a‖₁‖b‖₁ instead of the 2-norms",
}

#: Which bug hides behind each mystery curve.
MYSTERIES = {"A": "no_norm", "B": "l1"}


def check_cosine(answer: object, a=A, b=B) -> bool:
    """Compute-it: the cosine similarity of ``a`` and ``b``."""
    return Answer("cos θ", float(cosine_similarity(a, b)), rel_tol=0.01,
                  hint="a·b first (multiply entry by entry and add), then divide by ‖a‖ and by ‖b‖, "
                       "each the square root of a sum of squares").check(answer)


def check_scaled_dot(answer: object, factor: float = 3.0, a=A, b=B) -> bool:
    """Predict-then-check: by what factor does a·b change when b is multiplied by ``factor``?"""
    before = float(dot(a, b))
    after = float(dot(a, np.asarray(b, dtype=float) * factor))
    return Answer("factor by which a·b changes", after / before, rel_tol=0.01,
                  hint="every term a_i b_i is multiplied by the same factor").check(answer)


def check_scaled_cosine(answer: object, factor: float = 3.0, a=A, b=B) -> bool:
    """Predict-then-check: the factor by which cos θ changes when b is multiplied by ``factor`` (> 0)."""
    before = float(cosine_similarity(a, b))
    after = float(cosine_similarity(a, np.asarray(b, dtype=float) * factor))
    return Answer("factor by which cos θ changes", after / before, rel_tol=0.01,
                  hint="the top and the bottom of a·b / (‖a‖‖b‖) both grow by the same factor").check(answer)


def check_projection_length(answer: object, a=A, b=B) -> bool:
    """Compute-it: the signed length of the projection of ``a`` onto the line of ``b``, a·b / ‖b‖."""
    p = projection(a, b)
    sign = 1.0 if float(dot(a, b)) >= 0 else -1.0
    return Answer("length of the projection of a on b", sign * float(np.linalg.norm(p)), rel_tol=0.01,
                  hint="a·b / ‖b‖: the dot product divided by the length of the arrow you project onto").check(answer)


def rotation(a=ROT_A, b_length: float = ROT_B_LENGTH) -> RotationTrace:
    """The turn of the break-it exercise (72 directions of b, 5 degrees apart)."""
    return rotation_trace(a, b_length, 72)


def buggy_cosine(bug: str, a=ROT_A, b_length: float = ROT_B_LENGTH) -> np.ndarray:
    """Cosine similarity of ``a`` and each direction of ``b`` with one bug from :data:`BUGS` planted.

    >>> round(float(buggy_cosine("no_norm").max()), 4)    # ‖a‖‖b‖ = √5 · 1.5
    3.3541
    """
    bug = one_of("bug", bug, BUGS)
    t = rotation(a, b_length)
    if bug == "no_norm":
        return np.asarray(t.dot, dtype=float)
    if bug == "squared":
        return t.dot / (float(np.sum(t.a**2)) * np.sum(t.b**2, axis=1))
    return t.dot / (float(np.sum(np.abs(t.a))) * np.sum(np.abs(t.b), axis=1))


def mystery_cosine(which: str) -> np.ndarray:
    """The curve behind mystery ``which`` (``"A"`` or ``"B"``)."""
    return buggy_cosine(MYSTERIES[one_of("which", which, MYSTERIES)])


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug (a key of :data:`BUGS`) behind mystery curve ``which``."""
    bug = MYSTERIES[one_of("which", which, MYSTERIES)]
    return Answer(f"bug behind mystery {which}", bug, choices=tuple(BUGS),
                  hint="a true cosine peaks at exactly 1 when the arrows align; look at the peak's height, "
                       "then at whether the shape is a clean wave").check(answer)


def plot_cosines(*curves: np.ndarray, labels=None):
    """Curves over the angle of b (degrees, measured from a), side by side (returns the figure)."""
    import matplotlib.pyplot as plt

    if not curves:
        raise ValueError("curves must not be empty")
    labels = labels or [f"curve {k + 1}" for k in range(len(curves))]
    if len(labels) != len(curves):
        raise ValueError(f"labels must have {len(curves)} entries; got {len(labels)}")
    deg = np.arange(len(curves[0])) * 360.0 / len(curves[0])
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    for y, label, style in zip(curves, labels, ["-", "--", ":"] * 3):
        ax.plot(deg, y, style, lw=2, label=label)
    ax.axhline(0, color="0.6", lw=0.8)
    for v in (-1, 1):
        ax.axhline(v, color="0.8", lw=0.8, ls=":")
    ax.set_xlabel("angle of b, measured from a (degrees)")
    ax.set_ylabel("computed cos θ")
    ax.set_xticks([0, 90, 180, 270, 360])
    ax.legend()
    fig.tight_layout()
    return fig
