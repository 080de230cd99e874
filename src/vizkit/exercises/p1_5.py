r"""Exercises of chapter P1.5, "Training dynamics: curves, overfitting, batch size, weight decay".

Each ``check_*`` computes its expected answer with :func:`vizkit.nn.training.train_trace`
(through the presets of :mod:`vizkit.widgets.training`) and hands it to
:func:`vizkit.exercises.check`.

The break-it exercise uses :func:`buggy_train_trace`: the same training loop as
:func:`~vizkit.nn.training.train_trace` with one deliberate bug from :data:`BUGS`.
Each leaves its own fingerprint on the curves:

============  ===================================================================
bug           what the curves show
============  ===================================================================
val_is_train  the validation curve lies exactly on the training curve: gap 0
decay_sign    the weight norm grows instead of shrinking; the gap ends wider than without decay
stale_batch   the batch loss falls to ~0 while the training loss stays high
============  ===================================================================

>>> check_bug("decay_sign", which="A")  # doctest: +ELLIPSIS
✗ the bug behind mystery run A: not yet — hint: ...
False
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vizkit._validate import nonneg_float, one_of, positive_float, positive_int
from vizkit.foundations.optimizers import make_optimizer
from vizkit.nn.datasets import make_dataset, train_val_split
from vizkit.nn.mlp import MLPSpec, init_params as _init, loss_and_grad_unchecked
from vizkit.nn.training import SCENARIOS, TrainingTrace, _scores, train_trace

from . import Answer

__all__ = ["BUGS", "MYSTERIES", "DECAY_CHOICES", "final_losses", "check_decay_effect", "epochs_after",
           "check_epochs", "best_step", "check_best_step", "buggy_train_trace", "mystery_run", "correct_run",
           "check_bug", "plot_runs"]

#: Deliberate bugs :func:`buggy_train_trace` can plant in the training loop.
BUGS = {
    "val_is_train": "the validation loss is computed on the training points",
    "decay_sign": "weight decay adds η·λ·θ to the weights instead of subtracting it",
    "stale_batch": "the batch pointer never advances: every step trains on the same first batch",
}

#: The break-it suspects: the bug behind each mystery run.
MYSTERIES = {"A": "stale_batch", "B": "val_is_train", "C": "decay_sign"}

#: Break-it runs: the overfitting setup (few noisy points, a wide net) with some weight decay,
#: so each bug has something to break.
MYSTERY_ARGS: dict[str, Any] = {**SCENARIOS["overfit"], "weight_decay": 0.5}

#: Answers of the predict-then-check exercise.
DECAY_CHOICES = ("higher", "lower", "same")


# --- predict, then check -------------------------------------------------------------------------

def final_losses(scenario: str) -> dict[str, float]:
    """Final training loss, validation loss and gap of a preset of :data:`vizkit.nn.training.SCENARIOS`.

    >>> f = final_losses("overfit")
    >>> f["gap"] > 1
    True
    """
    t = train_trace(**SCENARIOS[one_of("scenario", scenario, SCENARIOS)])
    return {"train": float(t.train_loss[-1]), "val": float(t.val_loss[-1]), "gap": float(t.gap[-1])}


def check_decay_effect(answer: object, which: str = "train") -> bool:
    """Predict-then-check: with weight decay on, is the final ``which`` loss ("train" or "val") higher or lower?"""
    which = one_of("which", which, ("train", "val"))
    a, b = final_losses("overfit")[which], final_losses("overfit_decay")[which]
    expected = "higher" if b > a * 1.05 else "lower" if b < a / 1.05 else "same"
    return Answer(f"final {which} loss with weight decay", expected, choices=DECAY_CHOICES,
                  hint="weight decay pulls every weight towards 0, so the network can no longer fit every "
                       "noisy training point; which curve pays for that, and which profits?").check(answer)


# --- compute it ----------------------------------------------------------------------------------

def epochs_after(n_steps: int, batch_size: int, n_train: int) -> float:
    """Epochs completed after ``n_steps`` mini-batch steps of ``batch_size`` examples out of ``n_train``.

    >>> epochs_after(200, 32, 140)
    45.714285714285715
    """
    T = positive_int("n_steps", n_steps)
    B = positive_int("batch_size", batch_size)
    n = positive_int("n_train", n_train)
    if B > n:
        raise ValueError(f"batch_size must be <= n_train ({n}); got {B}")
    return T * B / n


def check_epochs(answer: object, n_steps: int = 200, batch_size: int = 4, n_train: int = 140) -> bool:
    """Compute-it: how many epochs ``n_steps`` steps of ``batch_size`` examples make on ``n_train`` points."""
    return Answer("epochs", epochs_after(n_steps, batch_size, n_train), rel_tol=0.01,
                  hint="one step sees batch_size examples; one epoch is n_train examples").check(answer)


def best_step(scenario: str = "overfit") -> int:
    """The step with the lowest validation loss in a preset of :data:`vizkit.nn.training.SCENARIOS`.

    >>> best_step("overfit") < 100
    True
    """
    t = train_trace(**SCENARIOS[one_of("scenario", scenario, SCENARIOS)])
    return int(np.nanargmin(t.val_loss))


def check_best_step(answer: object, scenario: str = "overfit") -> bool:
    """Compute-it (read from the widget): the step at which early stopping would keep the weights."""
    want = best_step(scenario)
    return Answer("step of lowest validation loss", float(want), rel_tol=0.1 if want >= 10 else 0.5,
                  hint="find the bottom of the dashed validation curve (the dotted vertical line), not of "
                       "the training curve; the read-out 'Lowest validation loss' names it").check(answer)


# --- break it ------------------------------------------------------------------------------------

def buggy_train_trace(bug: str | None = None, *, dataset: str = "two_moons", n_points: int = 200,
                      noise: float = 0.1, val_fraction: float = 0.3, hidden=(16, 16), learning_rate: float = 0.01,
                      batch_size: int = 32, weight_decay: float = 0.0, n_steps: int = 200,
                      seed: int = 0) -> TrainingTrace:
    """:func:`~vizkit.nn.training.train_trace` (Adam, ReLU, He init) with one bug of :data:`BUGS` planted.

    ``bug=None`` reproduces :func:`~vizkit.nn.training.train_trace` exactly (the tests check it).
    Boundary snapshots are not recorded (a single 2×2 grid at the end).
    """
    if bug is not None:
        bug = one_of("bug", bug, BUGS)
    lr = positive_float("learning_rate", learning_rate)
    wd = nonneg_float("weight_decay", weight_decay)
    data = make_dataset(dataset, n_points=n_points, noise=noise, seed=seed)
    train, val = train_val_split(data, val_fraction, seed)
    spec = MLPSpec((2, *hidden, data.n_classes), "relu")
    opt = make_optimizer("adam", learning_rate=lr, weight_decay=0.0 if bug == "decay_sign" else wd)
    n_train = len(train)
    B = positive_int("batch_size", batch_size, maximum=n_train)
    T = positive_int("n_steps", n_steps, maximum=10_000)
    rng = np.random.default_rng(seed)
    theta = _init(spec, "he", seed)
    state = opt.init(theta)
    x_val, y_val = (train.x, train.y) if bug == "val_is_train" else (val.x, val.y)
    F = T + 1
    rec = {k: np.full(F, np.nan) for k in ("batch_loss", "grad_norm", "weight_norm", "train_loss", "val_loss",
                                           "train_acc", "val_acc")}
    order, pos = rng.permutation(n_train), 0
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(F):
            if t:
                if pos + B > n_train:
                    order, pos = rng.permutation(n_train), 0
                idx = order[pos:pos + B]
                if bug != "stale_batch":
                    pos += B
                loss, grad = loss_and_grad_unchecked(spec, theta, train.x[idx], train.y[idx])
                old = theta
                theta, state = opt.step(theta, grad, state)
                if bug == "decay_sign":
                    theta = theta + lr * wd * old
                rec["batch_loss"][t], rec["grad_norm"][t] = loss, np.sqrt(grad @ grad)
            lt, ht = _scores(spec, theta, train.x, train.y)
            lv, hv = _scores(spec, theta, x_val, y_val)
            rec["train_loss"][t], rec["train_acc"][t] = lt.mean(), ht.mean()
            rec["val_loss"][t], rec["val_acc"][t] = lv.mean(), hv.mean()
            rec["weight_norm"][t] = np.sqrt(theta @ theta)
    steps = np.arange(F, dtype=np.int32)
    return TrainingTrace(x_train=train.x, y_train=train.y.astype(np.int32), x_val=val.x,
                         y_val=val.y.astype(np.int32), grid_x=np.zeros(2), grid_y=np.zeros(2),
                         boundary_step=np.array([T], dtype=np.int32), boundary_prob=np.zeros((1, 2, 2)),
                         final_params=theta, step=steps, epoch=steps * B / n_train,
                         gap=rec["val_loss"] - rec["train_loss"], layer_sizes=spec.layer_sizes,
                         n_params=spec.n_params, **rec)


def correct_run() -> TrainingTrace:
    """The bug-free run the mysteries are compared with."""
    return buggy_train_trace(None, **MYSTERY_ARGS)


def mystery_run(which: str = "A") -> TrainingTrace:
    """A break-it suspect: mystery ``which`` (a key of :data:`MYSTERIES`) hides one of :data:`BUGS`."""
    return buggy_train_trace(MYSTERIES[one_of("which", which, MYSTERIES)], **MYSTERY_ARGS)


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind :func:`mystery_run` ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug behind mystery run {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="compare three things with the correct run: the gap between the two loss curves, the "
                       "batch loss against the training loss, and the weight norm").check(answer)


def plot_runs(good: TrainingTrace, other: TrainingTrace, labels: tuple[str, str] = ("correct", "mystery")) -> Any:
    """Three panels per step: train/validation loss, batch vs training loss, weight norm. Needs matplotlib."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), constrained_layout=True)
    for t, label, color in ((good, labels[0], "C0"), (other, labels[1], "C3")):
        s = t.step
        axes[0].semilogy(s, t.train_loss, "-", color=color, lw=1.5, label=f"{label}: train")
        axes[0].semilogy(s, t.val_loss, "--", color=color, lw=1.5, label=f"{label}: validation")
        axes[1].semilogy(s[1:], t.batch_loss[1:], ".", color=color, ms=2, label=f"{label}: batch")
        axes[1].semilogy(s, t.train_loss, "-", color=color, lw=1, label=f"{label}: train")
        axes[2].plot(s, t.weight_norm, "-", color=color, lw=1.5, label=label)
    axes[0].set(xlabel="step", ylabel="loss", title="train (solid) and validation (dashed)")
    axes[1].set(xlabel="step", ylabel="loss", title="batch loss (dots) vs training loss")
    axes[2].set(xlabel="step", ylabel="‖θ‖", title="weight norm")
    axes[0].legend(frameon=False, fontsize=7)
    axes[2].legend(frameon=False, fontsize=7)
    return fig
