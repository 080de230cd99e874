r"""Exercises of chapter P0.7, "Optimization: SGD, momentum, Adam".

Each ``check_*`` computes its expected answer with :mod:`vizkit.foundations`
(:func:`~vizkit.foundations.optimizer_race.race_trace` and the update rules in
:mod:`~vizkit.foundations.optimizers`) and hands it to :func:`vizkit.exercises.check`.

The break-it exercise uses :func:`buggy_adam_trace`: Adam racing on the ravine
with one deliberate bug from :data:`BUGS`. Each bug leaves its own fingerprint
on the path and on the length of each step:

==================  ==========================================  ==========================================
bug                 update actually applied                     what the plot shows
==================  ==========================================  ==========================================
no_bias_correction  :math:`\eta\,m_t/(\sqrt{v_t}+\epsilon)`       first steps about 3× too long, then normal
swapped_betas       :math:`\beta_1 = 0.999,\ \beta_2 = 0.9`     long, slow loops that overshoot the minimum
no_sqrt             :math:`\eta\,\hat m_t/(\hat v_t+\epsilon)`     tiny steps while the slope is steep: a crawl
==================  ==========================================  ==========================================

>>> check_fastest("sgd")  # doctest: +ELLIPSIS
✗ fastest optimiser on the ravine: not yet — hint: ...
False
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from vizkit._validate import in_range, one_of, positive_int
from vizkit.foundations.optimizer_race import RaceTrace, default_racers, race_trace
from vizkit.foundations.optimizers import OPTIMIZERS, Adam, Momentum, OptimizerState

from . import Answer

__all__ = ["BUGS", "MYSTERIES", "MYSTERY_STEPS", "fastest", "check_fastest", "momentum_terminal_step",
           "check_momentum_step", "adam_first_step", "check_adam_first_step", "buggy_adam_trace",
           "mystery_trace", "correct_trace", "step_lengths", "check_bug", "plot_runs"]

#: The deliberate bugs :func:`buggy_adam_trace` can plant in Adam.
BUGS = {
    "no_bias_correction": "m and v are used as they are, without dividing by 1 − β₁ᵗ and 1 − β₂ᵗ",
    "swapped_betas": "β₁ and β₂ were swapped: the momentum average remembers 0.999 of its past, the "
                     "squared-gradient average only 0.9",
    "no_sqrt": "the update divides by v̂ instead of √v̂, so the step scales like 1/|g|",
}

#: The break-it exercise's suspects: which bug hides behind each mystery run.
MYSTERIES = {"A": "no_bias_correction", "B": "swapped_betas"}

#: Steps of the break-it runs (Adam on the ravine with the default η = 0.1).
MYSTERY_STEPS = 120


# --- predict, then check -------------------------------------------------------------------------

def fastest(surface: str = "ravine", n_steps: int = 300) -> str:
    """The optimiser that first gets within 0.01 of the minimum in the tuned race on ``surface``.

    >>> fastest("ravine")
    'momentum'
    """
    t = race_trace(surface, n_steps=positive_int("n_steps", n_steps, maximum=10_000))
    steps = np.where(t.steps_to_converge >= 0, t.steps_to_converge, np.iinfo(np.int32).max)
    if (t.steps_to_converge < 0).all():
        raise ValueError(f"n_steps must be large enough for one optimiser to converge; got {n_steps}")
    return t.names[int(np.argmin(steps))]


def check_fastest(answer: object, surface: str = "ravine") -> bool:
    """Predict-then-check: which of ``sgd``, ``momentum``, ``adam`` wins the tuned race on ``surface``?"""
    return Answer(f"fastest optimiser on the {surface}", fastest(surface), choices=tuple(OPTIMIZERS),
                  hint="SGD's rate is capped by the steep direction, so it crawls along the floor; which "
                       "optimiser builds up speed along a direction where the gradient keeps its sign?"
                  ).check(answer)


# --- compute it ----------------------------------------------------------------------------------

def momentum_terminal_step(learning_rate: float = 0.01, beta: float = 0.9, gradient: float = 2.0,
                           n_steps: int = 500) -> float:
    """Length of momentum's step after ``n_steps`` steps along a constant ``gradient`` (simulated).

    >>> round(momentum_terminal_step(0.01, 0.9, 2.0), 6)
    0.2
    """
    opt = Momentum(learning_rate=learning_rate, beta=beta)
    n = positive_int("n_steps", n_steps, maximum=100_000)
    theta = np.zeros(1)
    state = opt.init(theta)
    g = np.array([float(gradient)])
    if not np.isfinite(g).all():
        raise ValueError(f"gradient must be a finite number; got {gradient!r}")
    step = 0.0
    for _ in range(n):
        new, state = opt.step(theta, g, state)
        step, theta = float(abs(new - theta)[0]), new
    return step


def check_momentum_step(answer: object, learning_rate: float = 0.01, beta: float = 0.9,
                        gradient: float = 2.0) -> bool:
    """Compute-it: momentum's step length once its velocity has built up along a constant gradient."""
    return Answer(f"momentum's step at η = {learning_rate:g}, β = {beta:g}, g = {gradient:g}",
                  momentum_terminal_step(learning_rate, beta, gradient), rel_tol=0.01,
                  hint="the velocity v = βv + g stops changing when v = βv + g, i.e. v = g / (1 − β); "
                       "the step is η times that").check(answer)


def adam_first_step(gradient=(-2.5, 20.0), learning_rate: float = 0.1) -> float:
    """Length of Adam's first step (default β's) for ``gradient``, computed with :class:`Adam`.

    >>> round(adam_first_step((-2.5, 20.0), 0.1), 4)
    0.1414
    """
    g = np.asarray(gradient, dtype=float)
    if g.ndim != 1 or not np.isfinite(g).all() or not g.size:
        raise ValueError(f"gradient must be a non-empty list of finite numbers; got {gradient!r}")
    opt = Adam(learning_rate=learning_rate)
    theta = np.zeros_like(g)
    new, _ = opt.step(theta, g, opt.init(theta))
    return float(np.linalg.norm(new - theta))


def check_adam_first_step(answer: object, gradient=(-2.5, 20.0), learning_rate: float = 0.1) -> bool:
    """Compute-it: the length of Adam's first step for a given gradient."""
    return Answer("length of Adam's first step", adam_first_step(gradient, learning_rate), rel_tol=0.01,
                  hint="after bias correction m̂₁ = g and v̂₁ = g², so each coordinate moves by "
                       "η·g/|g| = ±η whatever the gradient's size; add the coordinates as a vector"
                  ).check(answer)


# --- break it ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _BuggyAdam(Adam):
    """Adam with one bug from :data:`BUGS` planted in its update."""

    bug: str = "no_bias_correction"

    def step(self, params, grad, state):
        b1, b2 = (self.beta2, self.beta1) if self.bug == "swapped_betas" else (self.beta1, self.beta2)
        t = state.step + 1
        m = b1 * state.m + (1.0 - b1) * grad
        v = b2 * state.v + (1.0 - b2) * grad * grad
        if self.bug == "no_bias_correction":
            m_hat, v_hat = m, v
        else:
            m_hat, v_hat = m / (1.0 - b1**t), v / (1.0 - b2**t)
        denom = v_hat + self.eps if self.bug == "no_sqrt" else np.sqrt(v_hat) + self.eps
        return params - self.learning_rate * m_hat / denom, OptimizerState(t, m, v)


def _adam_settings() -> dict:
    return dict(next(r for r in default_racers("ravine") if r["name"] == "adam"))


def buggy_adam_trace(bug: str, n_steps: int = MYSTERY_STEPS) -> RaceTrace:
    """Adam on the ravine (default η) with bug ``bug`` (a key of :data:`BUGS`), as a one-racer race."""
    bug = one_of("bug", bug, BUGS)
    hp = _adam_settings()
    hp.pop("name")
    return race_trace("ravine", [_BuggyAdam(**hp, bug=bug)], n_steps=positive_int("n_steps", n_steps,
                                                                                   maximum=10_000))


def correct_trace(n_steps: int = MYSTERY_STEPS) -> RaceTrace:
    """The bug-free Adam run the mysteries are compared with."""
    return race_trace("ravine", [_adam_settings()], n_steps=positive_int("n_steps", n_steps, maximum=10_000))


def mystery_trace(which: str = "A") -> RaceTrace:
    """A break-it suspect: mystery ``which`` (a key of :data:`MYSTERIES`) hides one of :data:`BUGS`."""
    return buggy_adam_trace(MYSTERIES[one_of("which", which, MYSTERIES)])


def step_lengths(trace: RaceTrace, racer: int = 0) -> np.ndarray:
    """Length of each step ``|θ_{t+1} − θ_t|`` of racer ``racer`` in ``trace``."""
    r = int(in_range("racer", racer, 0, len(trace.names) - 1))
    return np.linalg.norm(np.diff(trace.position[:, r], axis=0), axis=-1)


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind :func:`mystery_trace` ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug in mystery run {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="compare the step-length panel with the correct run: are only the first few "
                       "steps different, or does the path swing in wide loops for a long time?"
                  ).check(answer)


def plot_runs(good: RaceTrace, other: RaceTrace, labels: tuple[str, str] = ("correct", "mystery")) -> Any:
    """Two panels: both paths on the ravine's contour map, and the step length per step (log).

    Needs matplotlib; returns the figure.
    """
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4), constrained_layout=True)
    ax1.contour(good.grid_x, good.grid_y, good.grid_value, levels=np.geomspace(0.02, 40, 12), colors="0.7",
                linewidths=0.8)
    for t, label, style in ((good, labels[0], "-"), (other, labels[1], "--")):
        p = t.position[:, 0]
        ax1.plot(p[:, 0], p[:, 1], style, lw=1.5, label=label)
        ax2.plot(np.arange(1, len(p)), np.maximum(step_lengths(t), 1e-12), style, lw=1.5, label=label)
    ax1.plot(0, 0, "kx")
    ax1.set(xlabel="w₁", ylabel="w₂", title="path on the ravine", xlim=good.grid_x[[0, -1]],
            ylim=good.grid_y[[0, -1]])
    ax2.set(yscale="log", xlabel="step t", ylabel="|θₜ − θₜ₋₁|", title="step length")
    ax1.legend(frameon=False, fontsize=8)
    return fig

