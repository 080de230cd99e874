r"""Exercises of chapter P1.1, "The neuron and the perceptron boundary".

Each ``check_*`` computes its expected answer with :mod:`vizkit.nn`
(:func:`~vizkit.nn.perceptron.perceptron_trace`,
:func:`~vizkit.nn.datasets.make_dataset`) or with :func:`perceptron_step`, the
update rule written out once, and hands it to :func:`vizkit.exercises.check`.

The break-it exercise uses :func:`buggy_perceptron_trace`: the perceptron rule
with one deliberate bug from :data:`BUGS`. Each bug leaves its own fingerprint:

==========  =========================================  ==============================================
bug         what the code does                         what the picture shows
==========  =========================================  ==============================================
sign        w ← w − η s x, b ← b − η s                 accuracy sinks towards 0 %: the line is learned
                                                       upside down, and almost every visit is a mistake
no_bias     b is never updated (stays 0)               the line always passes through the origin; when
                                                       the data needs an offset it never settles
strict      a mistake is s (w·x + b) < 0, not ≤ 0      nothing ever happens: from w = 0 every score is
                                                       0, which the test no longer calls a mistake
==========  =========================================  ==============================================

>>> check_xor_fate("converges")  # doctest: +ELLIPSIS
✗ fate of the perceptron on XOR: not yet — hint: ...
False
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vizkit._validate import nonneg_int, one_of, positive_float, positive_int
from vizkit.nn.datasets import DATASETS, Dataset, make_dataset
from vizkit.nn.perceptron import PerceptronTrace, perceptron_trace

from . import Answer

__all__ = ["FATES", "BUGS", "MYSTERIES", "fate", "check_xor_fate", "perceptron_step", "check_update",
           "buggy_perceptron_trace", "mystery_trace", "correct_trace", "check_bug", "plot_runs"]

#: How a perceptron run ends: the choices of :func:`check_xor_fate`.
FATES = ("converges", "never settles")

#: The deliberate bugs :func:`buggy_perceptron_trace` can plant in the rule.
BUGS = {
    "sign": "the update subtracts instead of adding (w ← w − η·s·x, b ← b − η·s)",
    "no_bias": "the bias is never updated, so b stays 0",
    "strict": "the mistake test is s·(w·x + b) < 0 instead of ≤ 0",
}

#: The break-it exercise's suspects: which bug hides behind each mystery run.
MYSTERIES = {"A": "sign", "B": "no_bias"}

#: Data set, points, seed and epoch limit of the break-it runs.
MYSTERY_DATA = ("separable", 40, 8)
MYSTERY_EPOCHS = 20


# --- predict, then check -------------------------------------------------------------------------

def fate(dataset: str = "xor", n_points: int = 40, seed: int = 0, max_epochs: int = 20) -> str:
    """How the perceptron ends on a named data set: one of :data:`FATES`, read from the simulated run.

    >>> fate("separable"), fate("xor")
    ('converges', 'never settles')
    """
    t = perceptron_trace(one_of("dataset", dataset, DATASETS), 1.0, max_epochs, seed=seed, n_points=n_points)
    return "converges" if t.converged_epoch > 0 else "never settles"


def check_xor_fate(answer: object, max_epochs: int = 20) -> bool:
    """Predict-then-check: does the perceptron settle on the four XOR clusters within ``max_epochs`` passes?"""
    epochs = positive_int("max_epochs", max_epochs, maximum=10_000)
    return Answer("fate of the perceptron on XOR", fate("xor", max_epochs=epochs), choices=FATES,
                  hint="it settles only after a full pass with no mistake; is there any line with "
                       "(1, 1) and (−1, −1) on one side and (1, −1) and (−1, 1) on the other?").check(answer)


# --- compute it ----------------------------------------------------------------------------------

def perceptron_step(w: Any, b: float, x: Any, label: int, learning_rate: float = 1.0) -> tuple[np.ndarray, float]:
    """One visit of the perceptron rule: the new ``(w, b)`` after seeing point ``x`` of class ``label``.

    >>> perceptron_step([0.0, 0.0], 0.0, [1.0, 2.0], 1)
    (array([1., 2.]), 1.0)
    """
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    if w.shape != (2,) or not np.isfinite(w).all():
        raise ValueError(f"w must be two finite numbers; got {w.tolist()}")
    if x.shape != (2,) or not np.isfinite(x).all():
        raise ValueError(f"x must be two finite numbers; got {x.tolist()}")
    if label not in (0, 1) or isinstance(label, bool):
        raise ValueError(f"label must be 0 or 1; got {label!r}")
    if not isinstance(b, (int, float)) or not np.isfinite(b):
        raise ValueError(f"b must be a finite number; got {b!r}")
    lr = positive_float("learning_rate", learning_rate)
    s = 1.0 if label == 1 else -1.0
    if s * (w @ x + b) <= 0.0:
        return w + lr * s * x, float(b + lr * s)
    return w.copy(), float(b)


def check_update(answer: object, w=(0.5, -1.0), b: float = 0.2, x=(1.0, 2.0), label: int = 1,
                 learning_rate: float = 0.5) -> bool:
    """Compute-it: the score :math:`w\\cdot x + b` of point ``x`` right after the rule visits it."""
    w1, b1 = perceptron_step(w, b, x, label, learning_rate)
    score = float(w1 @ np.asarray(x, dtype=float) + b1)
    return Answer("score w·x + b after the visit", score, rel_tol=0.01,
                  hint="first the score before: is s·(w·x + b) ≤ 0? If so add η·s·x to w and η·s to b, "
                       "then score the same point again").check(answer)


# --- break it ------------------------------------------------------------------------------------

def buggy_perceptron_trace(bug: str, data: Dataset | None = None, learning_rate: float = 1.0,
                           max_epochs: int = MYSTERY_EPOCHS, seed: int = MYSTERY_DATA[2]) -> PerceptronTrace:
    """The perceptron rule with bug ``bug`` (a key of :data:`BUGS`), in the same trace as the correct rule.

    ``data`` defaults to the break-it data set. The visiting order is the one
    :func:`~vizkit.nn.perceptron.perceptron_trace` uses for the same ``seed``.
    """
    bug = one_of("bug", bug, BUGS)
    if data is None:
        name, n, s = MYSTERY_DATA
        data = make_dataset(name, n_points=n, seed=s)
    if not isinstance(data, Dataset):
        raise ValueError(f"data must be a Dataset or None; got {data!r}")
    lr = positive_float("learning_rate", learning_rate)
    epochs = positive_int("max_epochs", max_epochs, maximum=10_000)
    rng = np.random.default_rng(nonneg_int("seed", seed))
    x, sgn = data.x, 2.0 * data.y - 1.0
    n = len(data)
    direction = -1.0 if bug == "sign" else 1.0
    w, b = np.zeros(2), 0.0
    ex, ep, miss, ws, bs = [-1], [0], [0], [w.copy()], [b]
    converged = -1
    for e in range(1, epochs + 1):
        errors = 0
        for i in rng.permutation(n):
            score = sgn[i] * (w @ x[i] + b)
            wrong = score < 0.0 if bug == "strict" else score <= 0.0
            if wrong:
                w = w + direction * lr * sgn[i] * x[i]
                if bug != "no_bias":
                    b = b + direction * lr * sgn[i]
                errors += 1
            ex.append(int(i)); ep.append(e); miss.append(int(wrong)); ws.append(w.copy()); bs.append(b)
        if errors == 0:
            converged = e
            break
    W, B = np.array(ws), np.array(bs)
    correct = (sgn[None, :] * (W @ x.T + B[:, None])) > 0
    mistakes = np.array(miss, dtype=np.int32)
    return PerceptronTrace(x=x, y=data.y.astype(np.int32), example=np.array(ex, dtype=np.int32),
                           epoch=np.array(ep, dtype=np.int32), mistake=mistakes, w=W, b=B,
                           accuracy=correct.mean(axis=1), n_mistakes=np.cumsum(mistakes).astype(np.int32),
                           converged_epoch=converged)


def correct_trace() -> PerceptronTrace:
    """The bug-free run on the break-it data, for comparison."""
    name, n, s = MYSTERY_DATA
    return perceptron_trace(make_dataset(name, n_points=n, seed=s), 1.0, MYSTERY_EPOCHS, seed=s)


def mystery_trace(which: str = "A") -> PerceptronTrace:
    """A break-it suspect: mystery ``which`` (a key of :data:`MYSTERIES`) hides one of :data:`BUGS`."""
    return buggy_perceptron_trace(MYSTERIES[one_of("which", which, MYSTERIES)])


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind :func:`mystery_trace` ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug in mystery run {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="look at where the final line passes and which side each class ends up on; "
                       "then at the accuracy curve: does it sink, stall, or never move?").check(answer)


def plot_runs(good: PerceptronTrace, other: PerceptronTrace,
              labels: tuple[str, str] = ("correct", "mystery")) -> Any:
    """Three panels: the final line of each run over the points, and accuracy per visit of both.

    Needs matplotlib; returns the figure.
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), constrained_layout=True)
    lo, hi = good.x.min() - 0.3, good.x.max() + 0.3
    xs = np.linspace(lo, hi, 2)
    for ax, t, label in ((axes[0], good, labels[0]), (axes[1], other, labels[1])):
        for cls, marker, colour in ((1, "s", "#0072B2"), (0, "o", "#D55E00")):
            pts = t.x[t.y == cls]
            ax.scatter(pts[:, 0], pts[:, 1], marker=marker, s=18, color=colour, label=f"class {cls}")
        (w1, w2), b = t.w[-1], t.b[-1]
        if abs(w2) > 1e-12:
            ax.plot(xs, -(w1 * xs + b) / w2, "k-", lw=1.5, label="final line")
        elif abs(w1) > 1e-12:
            ax.axvline(-b / w1, color="k", lw=1.5, label="final line")
        ax.plot([0], [0], "k+", ms=8)
        ax.set(xlim=(lo, hi), ylim=(lo, hi), aspect="equal", title=f"{label}: w = ({w1:.2g}, {w2:.2g}), b = {b:.2g}")
        ax.title.set_fontsize(8)
    for t, label, style in ((good, labels[0], "-"), (other, labels[1], "--")):
        axes[2].plot(np.arange(len(t)), t.accuracy, style, lw=1.5, label=label)
    axes[2].set(xlabel="visit", ylabel="accuracy on all points", ylim=(-0.02, 1.02), title="accuracy per visit")
    axes[2].legend(frameon=False, fontsize=8)
    return fig
