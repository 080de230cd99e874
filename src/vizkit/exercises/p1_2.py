r"""Exercises of chapter P1.2, "Activations (ReLU, GELU, SiLU) and MLPs; universal approximation".

Each ``check_*`` computes its expected answer with :mod:`vizkit.nn`
(:func:`~vizkit.nn.universal.width_sweep`, :class:`~vizkit.nn.mlp.MLPSpec`)
and hands it to :func:`vizkit.exercises.check`.

The break-it exercise uses :func:`buggy_fit`: the one-hidden-layer ReLU fit of
:func:`~vizkit.nn.universal.universal_fit` with one deliberate bug from
:data:`BUGS` in how the hidden layer is built. Each leaves its own fingerprint:

=============  ==========================================  ==========================================
bug            what the code does                          what the fitted curve shows
=============  ==========================================  ==========================================
no_activation  the hidden units skip φ (identity)          a straight line, however many units
same_bias      every unit bends at the same x = 0          two straight pieces joined at one kink
half_range     the bends are spread over [−1, 0) only      a good fit on the left, a line on the right
=============  ==========================================  ==========================================

>>> check_identity_width("falls")  # doctest: +ELLIPSIS
✗ RMS error of a linear hidden layer from 1 to 64 units: not yet — hint: ...
False
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vizkit._validate import one_of, positive_int
from vizkit.nn.activations import activate_unchecked
from vizkit.nn.mlp import MLPSpec
from vizkit.nn.universal import TARGETS, target_function, width_sweep

from . import Answer

__all__ = ["TRENDS", "BUGS", "MYSTERIES", "identity_trend", "check_identity_width", "check_param_count",
           "error_ratio", "check_error_ratio", "BuggyFit", "buggy_fit", "mystery_fit", "correct_fit",
           "check_bug", "plot_fits"]

#: How the error of a width sweep moves: the choices of :func:`check_identity_width`.
TRENDS = ("falls", "stays the same")

#: The deliberate bugs :func:`buggy_fit` can plant in the hidden layer.
BUGS = {
    "no_activation": "the hidden units skip the activation: h = s·(x − t) instead of φ(s·(x − t))",
    "same_bias": "every unit gets the same bias, so all of them bend at x = 0",
    "half_range": "the bends are spread over [−1, 0) instead of [−1, 1): the spacing is 1/N, not 2/N",
}

#: The break-it exercise's suspects: which bug hides behind each mystery fit.
MYSTERIES = {"A": "same_bias", "B": "half_range"}

#: Target and width of the break-it fits.
MYSTERY_TARGET = "sine"
MYSTERY_WIDTH = 16
N_POINTS = 201


# --- predict, then check -------------------------------------------------------------------------

def identity_trend(target: str = "sine", widths=(1, 64)) -> str:
    """Whether the fit error with no activation ``"falls"`` or ``"stays the same"`` from the first to the last width.

    >>> identity_trend()
    'stays the same'
    """
    t = width_sweep(target, "identity", widths)
    first, last = float(t.rms_error[0]), float(t.rms_error[-1])
    return "falls" if last < first * (1 - 1e-6) else "stays the same"


def check_identity_width(answer: object, target: str = "sine") -> bool:
    """Predict-then-check: with no activation, does going from 1 to 64 hidden units lower the fit error?"""
    target = one_of("target", target, TARGETS)
    return Answer("RMS error of a linear hidden layer from 1 to 64 units", identity_trend(target),
                  choices=TRENDS,
                  hint="write the network out: c + Σ v_i·s·(x − t_i). Collect the terms: what kind of "
                       "function of x is it, whatever N is?").check(answer)


# --- compute it ----------------------------------------------------------------------------------

def check_param_count(answer: object, layer_sizes=(2, 16, 16, 1)) -> bool:
    """Compute-it: weights plus biases of a fully connected network with these layer widths."""
    spec = MLPSpec(tuple(layer_sizes))
    sizes = " → ".join(str(s) for s in spec.layer_sizes)
    return Answer(f"parameters of a {sizes} network", int(spec.n_params),
                  hint="each layer from m to n inputs has an m × n weight matrix and n biases; add the "
                       "layers").check(answer)


def error_ratio(narrow: int = 16, wide: int = 32, target: str = "sine", activation: str = "relu") -> float:
    """RMS error of the fit with ``narrow`` units divided by the one with ``wide`` units.

    >>> round(error_ratio(16, 32), 1) > 3
    True
    """
    n = positive_int("narrow", narrow, maximum=512)
    w = positive_int("wide", wide, maximum=512)
    t = width_sweep(target, activation, (n, w))
    return float(t.rms_error[0] / t.rms_error[1])


def check_error_ratio(answer: object, narrow: int = 16, wide: int = 32) -> bool:
    """Compute-it: how many times smaller the ReLU fit error of sin 2πx gets from ``narrow`` to ``wide`` units."""
    return Answer(f"error({narrow} units) / error({wide} units)", error_ratio(narrow, wide), rel_tol=0.15,
                  hint="the ReLU fit is a piecewise-linear curve with knots Δ = 2/N apart, and such a "
                       "curve's error on a smooth target shrinks like Δ²").check(answer)


# --- break it ------------------------------------------------------------------------------------

class BuggyFit:
    """A fitted one-hidden-layer network: sample grid ``x``, ``target``, ``fit``, ``centers`` and ``rms_error``."""

    def __init__(self, x: np.ndarray, target: np.ndarray, fit: np.ndarray, centers: np.ndarray) -> None:
        self.x, self.target, self.fit, self.centers = x, target, fit, centers
        self.rms_error = float(np.sqrt(np.mean((fit - target) ** 2)))

    def __repr__(self) -> str:
        return f"BuggyFit(units={len(self.centers)}, rms_error={self.rms_error:.4g})"


def _relu_fit(x: np.ndarray, y: np.ndarray, centers: np.ndarray, slope: float, activation: str) -> np.ndarray:
    hidden, _ = activate_unchecked(activation, slope * (x[:, None] - centers[None, :]))
    design = np.concatenate([hidden, np.ones((x.shape[0], 1))], axis=1)
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return design @ coef


def correct_fit(target: str = MYSTERY_TARGET, width: int = MYSTERY_WIDTH) -> BuggyFit:
    """The bug-free ReLU fit (the same network as :func:`~vizkit.nn.universal.universal_fit`)."""
    target = one_of("target", target, TARGETS)
    n = positive_int("width", width, maximum=512)
    x = np.linspace(-1.0, 1.0, N_POINTS)
    y = target_function(target, x)
    centers = -1.0 + (2.0 / n) * np.arange(n)
    return BuggyFit(x, y, _relu_fit(x, y, centers, n / 2.0, "relu"), centers)


def buggy_fit(bug: str, target: str = MYSTERY_TARGET, width: int = MYSTERY_WIDTH) -> BuggyFit:
    """The ReLU fit of ``target`` with ``width`` units and bug ``bug`` (a key of :data:`BUGS`)."""
    bug = one_of("bug", bug, BUGS)
    target = one_of("target", target, TARGETS)
    n = positive_int("width", width, maximum=512)
    x = np.linspace(-1.0, 1.0, N_POINTS)
    y = target_function(target, x)
    spacing = 1.0 / n if bug == "half_range" else 2.0 / n
    centers = np.zeros(n) if bug == "same_bias" else -1.0 + spacing * np.arange(n)
    activation = "identity" if bug == "no_activation" else "relu"
    return BuggyFit(x, y, _relu_fit(x, y, centers, 1.0 / spacing, activation), centers)


def mystery_fit(which: str = "A") -> BuggyFit:
    """A break-it suspect: mystery ``which`` (a key of :data:`MYSTERIES`) hides one of :data:`BUGS`."""
    return buggy_fit(MYSTERIES[one_of("which", which, MYSTERIES)])


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind :func:`mystery_fit` ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug in mystery fit {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="count the bends of the fitted curve and look where they are: every ReLU unit "
                       "adds one bend, at its own x").check(answer)


def plot_fits(good: BuggyFit, other: BuggyFit, labels: tuple[str, str] = ("correct", "mystery")) -> Any:
    """Two panels: each fit over the target, with the units' bend points marked. Needs matplotlib."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), constrained_layout=True, sharey=True)
    for ax, f, label in ((axes[0], good, labels[0]), (axes[1], other, labels[1])):
        ax.plot(f.x, f.target, "--", color="0.5", lw=1.5, label="target")
        ax.plot(f.x, f.fit, "-", color="#0072B2", lw=2, label="fit")
        ax.plot(f.centers, np.full(len(f.centers), f.target.min() - 0.15), "|", color="#D55E00", ms=10,
                label="bends")
        ax.set(xlabel="x", title=f"{label}: RMS error {f.rms_error:.3g}")
    axes[0].legend(frameon=False, fontsize=8)
    return fig
