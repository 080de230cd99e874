r"""Exercises of chapter P0.5, "Derivatives and gradient descent".

Each ``check_*`` computes its expected answer with :mod:`vizkit.foundations`
(:func:`~vizkit.foundations.derivatives.secant_trace`,
:func:`~vizkit.foundations.gradient_descent.descent_trace`,
:func:`~vizkit.foundations.surfaces.critical_learning_rate`) and hands it to
:func:`vizkit.exercises.check`.

The break-it exercise uses :func:`buggy_descent_trace`: gradient descent on the
quadratic :math:`\tfrac12 L w^2` with one deliberate bug from :data:`BUGS` in
the gradient. Each bug leaves its own fingerprint on the position per step:

=========  ====================================  =====================================================
bug        update actually applied               what the plot shows
=========  ====================================  =====================================================
sign       :math:`w + \eta\nabla L`              w runs away on one side, never changing sign
double     :math:`w - 2\eta\nabla L`             w flips sign every step with growing swings
half       :math:`w - \tfrac12\eta\nabla L`      w creeps to 0 on one side, slower than the correct run
=========  ====================================  =====================================================

>>> check_critical_rate(0.1)  # doctest: +ELLIPSIS
✗ critical learning rate 2/λ_max: not yet — hint: ...
False
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vizkit._validate import one_of, positive_float, positive_int
from vizkit.foundations.derivatives import secant_trace
from vizkit.foundations.gradient_descent import DescentTrace, descent_trace
from vizkit.foundations.surfaces import Surface, critical_learning_rate, make_surface

from . import Answer

__all__ = ["BUGS", "MYSTERIES", "FATES", "fate", "check_secant_slope", "check_fate", "check_critical_rate",
           "buggy_descent_trace", "mystery_trace", "check_bug", "plot_runs"]

#: How a run on a quadratic ends: the choices of :func:`check_fate`.
FATES = ("converges", "bounces", "diverges")

#: The deliberate bugs :func:`buggy_descent_trace` can plant in the gradient.
BUGS = {
    "sign": "the update adds the gradient instead of subtracting it (w ← w + η∇L): gradient ascent",
    "double": "the gradient is computed twice too large (a factor 2 dropped from ½Lw²'s derivative "
              "was put back once too often), so every step is twice as long as intended",
    "half": "the gradient is computed half as large as it should be, so every step is half as long",
}

#: The break-it exercise's suspects: which bug hides behind each mystery run.
MYSTERIES = {"A": "sign", "B": "double"}

#: Curvature L, learning rate (as a multiple of 2/L) and steps of the break-it runs.
MYSTERY_CURVATURE = 1.0
MYSTERY_MULTIPLE = 0.6
MYSTERY_STEPS = 30


# --- derivatives --------------------------------------------------------------------------------

def check_secant_slope(answer: object, x0: float = 1.0, h: float = 0.1) -> bool:
    """Compute-it: the slope of the chord of :math:`f(w) = w^2` from ``x0`` to ``x0 + h``."""
    t = secant_trace("polynomial", x0, [h], coeffs=(0.0, 0.0, 1.0))
    return Answer(f"secant slope of w² from {x0:g} to {x0 + h:g}", float(t.secant_slope[0]), rel_tol=0.01,
                  hint="rise over run: (f(x0 + h) − f(x0)) / h; it is a little more than the "
                       "derivative 2·x0, because the curve bends upwards").check(answer)


# --- predict, then check -------------------------------------------------------------------------

def fate(learning_rate: float, curvature: float = 4.0, n_steps: int = 60) -> str:
    """How plain gradient descent on :math:`\\tfrac12 L w^2` from w = 2 ends: one of :data:`FATES`.

    Read from the simulated run, not from the formula: ``"diverges"`` when the loss ends
    above where it started, ``"bounces"`` when it ends where it started, else ``"converges"``.

    >>> fate(0.45), fate(0.5), fate(0.55)
    ('converges', 'bounces', 'diverges')
    """
    t = descent_trace("quadratic", learning_rate, n_steps, curvature=curvature)
    first, last = float(t.loss[0]), float(t.loss[-1])
    if t.diverged_step >= 0 or last > first * (1 + 1e-6):
        return "diverges"
    if last >= first * (1 - 1e-6):
        return "bounces"
    return "converges"


def check_fate(answer: object, learning_rate: float = 0.45, curvature: float = 4.0) -> bool:
    """Predict-then-check: does descent on :math:`\\tfrac12 L w^2` converge, bounce forever or diverge?"""
    lr = positive_float("learning_rate", learning_rate)
    L = positive_float("curvature", curvature)
    return Answer(f"fate of η = {lr:g} on ½·{L:g}·w²", fate(lr, L), choices=FATES,
                  hint="each step multiplies w by (1 − ηL): compare |1 − ηL| with 1, or compare η "
                       "with 2/L").check(answer)


# --- compute it ----------------------------------------------------------------------------------

def check_critical_rate(answer: object, curvature_x: float = 3.0, curvature_y: float = 12.0) -> bool:
    """Compute-it: :math:`2/\\lambda_{\\max}` of :math:`\\tfrac12(L_x w_1^2 + L_y w_2^2)`."""
    s = make_surface("ravine", curvature_x=curvature_x, curvature_y=curvature_y)
    return Answer("critical learning rate 2/λ_max", critical_learning_rate(s), rel_tol=0.01,
                  hint="each direction has its own limit 2/L; the step must respect both, so the "
                       "steepest direction (the largest curvature) decides").check(answer)


# --- break it ------------------------------------------------------------------------------------

class _BuggyGradient(Surface):
    """A surface whose ``grad`` is the true gradient times ``factor`` (the bug)."""

    def __init__(self, base: Surface, factor: float) -> None:
        self.base = base
        self.factor = factor
        self.dim = base.dim
        self.name = base.name

    def value(self, x):
        return self.base.value(x)

    def grad(self, x):
        return self.factor * self.base.grad(x)

    def hessian(self, x):
        return self.base.hessian(x)

    minimum = property(lambda self: self.base.minimum)
    start = property(lambda self: self.base.start)
    plot_range = property(lambda self: self.base.plot_range)


_FACTORS = {"sign": -1.0, "double": 2.0, "half": 0.5}


def buggy_descent_trace(bug: str, learning_rate: float, n_steps: int = MYSTERY_STEPS,
                        curvature: float = MYSTERY_CURVATURE) -> DescentTrace:
    """Gradient descent on :math:`\\tfrac12 L w^2` from w = 2 with bug ``bug`` (a key of :data:`BUGS`).

    The trace records what the buggy code reports: its ``grad`` is the buggy gradient.
    """
    bug = one_of("bug", bug, BUGS)
    s = _BuggyGradient(make_surface("quadratic", curvature=curvature), _FACTORS[bug])
    return descent_trace(s, learning_rate, positive_int("n_steps", n_steps, maximum=10_000))


def mystery_lr() -> float:
    """The learning rate of the break-it runs: a safe :data:`MYSTERY_MULTIPLE` × 2/L."""
    return MYSTERY_MULTIPLE * critical_learning_rate(make_surface("quadratic", curvature=MYSTERY_CURVATURE))


def mystery_trace(which: str = "A") -> DescentTrace:
    """A break-it suspect: mystery ``which`` (a key of :data:`MYSTERIES`) hides one of :data:`BUGS`."""
    which = one_of("which", which, MYSTERIES)
    return buggy_descent_trace(MYSTERIES[which], mystery_lr())


def correct_trace() -> DescentTrace:
    """The bug-free run the mysteries are compared with."""
    return descent_trace("quadratic", mystery_lr(), MYSTERY_STEPS, curvature=MYSTERY_CURVATURE)


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind :func:`mystery_trace` ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug in mystery run {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="look at the position panel first: does w keep its sign or flip every step? "
                       "a run that walks steadily uphill is not overshooting").check(answer)


def plot_runs(good: DescentTrace, other: DescentTrace,
              labels: tuple[str, str] = ("correct", "mystery")) -> Any:
    """Two panels for a correct and a suspect run: position w per step and loss per step (log).

    Needs matplotlib; returns the figure.
    """
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2), constrained_layout=True)
    for t, label, style in ((good, labels[0], "-o"), (other, labels[1], "--s")):
        steps = np.arange(len(t))
        ok = t.diverged == 0
        ax1.plot(steps[ok], t.position[ok, 0], style, lw=1.5, ms=3, label=label)
        ax2.plot(steps[ok], np.maximum(t.loss[ok], 1e-30), style, lw=1.5, ms=3, label=label)
    ax1.axhline(0, color="0.6", lw=0.8)
    ax1.set(yscale="symlog", xlabel="step t", ylabel="position w (symlog)", title="where the ball is")
    ax2.set(yscale="log", xlabel="step t", ylabel="loss L(w)", title="loss")
    ax1.legend(frameon=False, fontsize=8)
    return fig
