r"""Exercises of chapter P1.6, "Initialization and signal propagation".

Each ``check_*`` computes its expected answer with :mod:`vizkit.nn.initialization`
(:func:`~vizkit.nn.initialization.init_std`, :func:`~vizkit.nn.initialization.signal_trace`)
or with the variance rule of the chapter, and hands it to :func:`vizkit.exercises.check`.

The break-it exercise uses :func:`buggy_init_run`: a stack of square ReLU layers
whose weights were drawn by an initialiser with one deliberate bug from
:data:`BUGS`. Each leaves its own slope on log10(RMS) against depth:

============  ==============================  ==============================================
bug           weight std actually used        what the RMS does per layer (width n)
============  ==============================  ==============================================
lecun         √(1/n): the ReLU factor 2 lost  shrinks by √2: a gentle straight decline
no_sqrt       2/n: the variance used as std   shrinks by √(2/n): a steep straight plunge
fourth_root   (2/n)^¼: √ taken twice          grows by (n/2)^¼: a straight climb
============  ==============================  ==============================================

>>> check_direction("stay")  # doctest: +ELLIPSIS
✗ what ReLU + Xavier does to the activation std over 50 layers: not yet — hint: ...
False
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from vizkit._validate import nonneg_int, one_of, positive_int
from vizkit.nn.initialization import INIT_SCHEMES, init_std, signal_trace

from . import Answer

__all__ = ["DIRECTIONS", "BUGS", "MYSTERIES", "MYSTERY_DEPTH", "MYSTERY_WIDTH", "direction_of",
           "check_direction", "check_he_std", "rms_gain", "check_rms_gain", "buggy_init_run", "correct_run",
           "mystery_run", "check_bug", "plot_runs"]

#: The choices of the predict-then-check exercise.
DIRECTIONS = ("shrink", "stay", "grow")

#: The deliberate bugs :func:`buggy_init_run` can plant in a He initialiser.
BUGS = {
    "lecun": "the ReLU factor 2 was dropped: std = √(1/n) instead of √(2/n)",
    "no_sqrt": "the variance was used as the std: std = 2/n instead of √(2/n)",
    "fourth_root": "the square root was taken twice: std = (2/n)^(1/4)",
}

#: The break-it exercise's suspects: which bug hides behind each mystery run.
MYSTERIES = {"A": "lecun", "B": "no_sqrt"}
MYSTERY_DEPTH = 30
MYSTERY_WIDTH = 64


# --- predict, then check -------------------------------------------------------------------------

def direction_of(scheme: str = "xavier", activation: str = "relu", depth: int = 50, width: int = 64) -> str:
    """``"shrink"``, ``"stay"`` or ``"grow"``: the activation std after ``depth`` layers against the input's.

    "stay" means within a factor of 10 either way.

    >>> direction_of("he", "relu"), direction_of("large", "relu")
    ('stay', 'grow')
    """
    t = signal_trace(scheme, activation, depth, width)
    r = float(t.log10_std[-1] - t.log10_std[0])
    return "shrink" if r < -1 else "grow" if r > 1 else "stay"


def check_direction(answer: object, scheme: str = "xavier", activation: str = "relu", depth: int = 50) -> bool:
    """Predict-then-check: does the activation std shrink, stay or grow over ``depth`` layers?"""
    expected = direction_of(scheme, activation, depth)
    return Answer(f"what {'ReLU' if activation == 'relu' else activation} + {scheme.capitalize()} does to the "
                  f"activation std over {depth} layers", expected, choices=DIRECTIONS,
                  hint="Xavier keeps n·s² = 1, which preserves E[h²] through a linear layer; ReLU then zeroes "
                       "about half of the values. What does that do to E[h²] at every layer?").check(answer)


# --- compute it ----------------------------------------------------------------------------------

def check_he_std(answer: object, fan_in: int = 4096) -> bool:
    """Compute-it: the He (Kaiming) weight std for a ReLU layer with ``fan_in`` inputs."""
    n = positive_int("fan_in", fan_in, maximum=10_000_000)
    return Answer(f"He weight std for fan-in {n:,}", init_std("he", n, n), rel_tol=0.01,
                  hint="He keeps n·s²·½ = 1 for ReLU, so s² = 2/n; the answer is a standard deviation, "
                       "not a variance").check(answer)


def rms_gain(scheme: str, depth: int, width: int = 64, activation: str = "relu") -> float:
    r"""The variance rule's factor on the RMS after ``depth`` square layers: :math:`(n s^2 k)^{L/2}`,
    with :math:`k = \tfrac12` for ReLU and 1 for ``identity``.

    >>> round(rms_gain("xavier", 20), 8) == round(2 ** -10, 8)
    True
    """
    scheme = one_of("scheme", scheme, INIT_SCHEMES)
    L = nonneg_int("depth", depth, maximum=10_000)
    n = positive_int("width", width, maximum=1_000_000)
    k = {"relu": 0.5, "identity": 1.0}[one_of("activation", activation, ("relu", "identity"))]
    return float((n * init_std(scheme, n, n) ** 2 * k) ** (L / 2))


def check_rms_gain(answer: object, scheme: str = "xavier", depth: int = 20, width: int = 64) -> bool:
    """Compute-it: by what factor does the variance rule say the RMS changes over ``depth`` ReLU layers?"""
    return Answer(f"RMS factor after {depth} ReLU layers with {scheme}", rms_gain(scheme, depth, width),
                  rel_tol=0.02,
                  hint="per layer E[h²] is multiplied by n·s²·½; the RMS is its square root; "
                       "then raise the per-layer factor to the number of layers").check(answer)


# --- break it ------------------------------------------------------------------------------------

def _buggy_std(bug: str, n: int) -> float:
    return {"lecun": math.sqrt(1.0 / n), "no_sqrt": 2.0 / n, "fourth_root": (2.0 / n) ** 0.25,
            "none": math.sqrt(2.0 / n)}[bug]


def buggy_init_run(bug: str, depth: int = MYSTERY_DEPTH, width: int = MYSTERY_WIDTH, seed: int = 0) -> np.ndarray:
    """log10 of the activations' RMS per layer (``depth + 1`` values) of a ReLU stack initialised with ``bug``.

    ``bug`` is a key of :data:`BUGS`, or ``"none"`` for the correct He initialiser.
    """
    bug = one_of("bug", bug, (*BUGS, "none"))
    L = positive_int("depth", depth, maximum=1000)
    n = positive_int("width", width, maximum=4096)
    rng = np.random.default_rng(nonneg_int("seed", seed))
    s = _buggy_std(bug, n)
    h = rng.standard_normal((256, n))
    out = [math.log10(math.sqrt(float(np.mean(h * h))))]
    for _ in range(L):
        h = np.maximum(h @ (s * rng.standard_normal((n, n))), 0.0)
        ms = float(np.mean(h * h))
        out.append(math.log10(math.sqrt(ms)) if ms > 0 else -np.inf)
    return np.array(out)


def correct_run() -> np.ndarray:
    """The bug-free He run the mysteries are compared with."""
    return buggy_init_run("none")


def mystery_run(which: str = "A") -> np.ndarray:
    """A break-it suspect: mystery ``which`` (a key of :data:`MYSTERIES`) hides one of :data:`BUGS`."""
    return buggy_init_run(MYSTERIES[one_of("which", which, MYSTERIES)])


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind :func:`mystery_run` ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug in mystery run {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="read the slope: how many decades does log10(RMS) change per layer? Compare it with "
                       "log10 of each bug's per-layer factor at width 64").check(answer)


def plot_runs(good: np.ndarray, other: np.ndarray, labels: tuple[str, str] = ("correct (He)", "mystery")) -> Any:
    """log10(RMS) per layer of two runs, on one panel. Needs matplotlib."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 3.2), constrained_layout=True)
    for y, label, style in ((good, labels[0], "-o"), (other, labels[1], "--s")):
        ax.plot(np.arange(len(y)), y, style, lw=1.5, ms=3, label=label)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set(xlabel="layer", ylabel="log10(RMS of activations)", title="signal size through depth (ReLU, width 64)")
    ax.legend(frameon=False, fontsize=8)
    return fig
