r"""Exercises of chapter P1.3, "Loss functions and cross-entropy".

Each ``check_*`` computes its expected answer with :mod:`vizkit.nn.losses`
(:func:`~vizkit.nn.losses.loss_gradients`, :func:`~vizkit.nn.losses.logit_descent_trace`)
or :mod:`vizkit.foundations.information` and hands it to :func:`vizkit.exercises.check`.

The break-it exercise uses :func:`buggy_logit_descent`: gradient descent on one
example's logits with a cross-entropy gradient that carries one deliberate bug
from :data:`BUGS`. Each leaves its own fingerprint on p(correct) per step:

=======  ====================================  ==============================================
bug      gradient actually used                what p(correct) does from a confident mistake
=======  ====================================  ==============================================
sign     y − p instead of p − y                sinks further towards 0: gradient ascent
no_log   the gradient of −p_c, not −ln p_c     barely moves: the pull is about p_c, almost 0  
no_soft  z − y: the softmax was forgotten      jumps to a middling value and stays there  
=======  ====================================  ==============================================

>>> check_stronger_pull("mse")  # doctest: +ELLIPSIS
✗ the loss that pulls harder at p(correct) = 0.01: not yet — hint: ...
False
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vizkit._validate import in_range, one_of, positive_float, positive_int
from vizkit.foundations.information import cross_entropy
from vizkit.nn.losses import LogitDescentTrace, loss_gradients, logit_descent_trace

from . import Answer

__all__ = ["LOSS_CHOICES", "BUGS", "MYSTERIES", "pull_on_correct", "check_stronger_pull", "check_ce_grad",
           "uniform_ce", "check_uniform_ce", "buggy_logit_descent", "mystery_run", "correct_run", "check_bug",
           "plot_runs"]

#: The two losses compared: the choices of :func:`check_stronger_pull`.
LOSS_CHOICES = ("ce", "mse")

#: The deliberate bugs :func:`buggy_logit_descent` can plant in the cross-entropy gradient.
BUGS = {
    "sign": "the gradient is y − p instead of p − y",
    "no_log": "the loss is −p_c instead of −ln p_c, so the gradient is −p_c·(y − p)",
    "no_soft": "the softmax was forgotten: the gradient is z − y, computed on the raw logits",
}

#: The break-it exercise's suspects: which bug hides behind each mystery run.
MYSTERIES = {"A": "no_log", "B": "sign"}

#: Start, learning rate and steps of the break-it runs (3 classes, correct class 0).
MYSTERY_LOGITS = (0.0, 6.0, 0.0)
MYSTERY_LR = 1.0
MYSTERY_STEPS = 40


# --- predict, then check -------------------------------------------------------------------------

def pull_on_correct(p_correct: float, n_classes: int = 3) -> dict[str, float]:
    """|∂L/∂z_c| of CE and of MSE-on-softmax when the correct class gets ``p_correct`` (others share the rest).

    >>> pulls = pull_on_correct(0.01)
    >>> pulls["ce"] > 30 * pulls["mse"]
    True
    """
    p = in_range("p_correct", p_correct, 1e-9, 1 - 1e-9)
    v = positive_int("n_classes", n_classes, maximum=100_000)
    if v < 2:
        raise ValueError(f"n_classes must be an integer >= 2; got {v}")
    z = np.zeros(v)
    z[0] = np.log(p * (v - 1) / (1.0 - p))
    g = loss_gradients(z, [0])
    return {"ce": float(abs(g.grad_ce[0, 0])), "mse": float(abs(g.grad_mse[0, 0]))}


def check_stronger_pull(answer: object, p_correct: float = 0.01) -> bool:
    """Predict-then-check: which loss pulls harder on the correct logit when the model gives it ``p_correct``?"""
    pulls = pull_on_correct(p_correct)
    return Answer(f"the loss that pulls harder at p(correct) = {p_correct:g}", max(pulls, key=pulls.get),
                  choices=LOSS_CHOICES,
                  hint="CE's pull on the correct logit is 1 − p_c; MSE's carries an extra factor p_c(1 − p_c) "
                       "from the softmax's slope. What happens to that factor as p_c → 0?").check(answer)


# --- compute it ----------------------------------------------------------------------------------

def check_ce_grad(answer: object, logits=(2.0, 0.0, 0.0), target: int = 0, index: int = 0) -> bool:
    """Compute-it: ∂CE/∂z_index for these logits and target class."""
    g = loss_gradients(logits, [target])
    v = g.probs.shape[1]
    if not isinstance(index, (int, np.integer)) or isinstance(index, bool) or not 0 <= index < v:
        raise ValueError(f"index must be an integer in [0, {v - 1}]; got {index!r}")
    return Answer(f"∂CE/∂z_{index}", float(g.grad_ce[0, index]), rel_tol=0.01,
                  hint="softmax the logits first (e^z / Σ e^z), then the gradient is p − y: the probability "
                       "minus 1 for the correct class, minus 0 for the others").check(answer)


def uniform_ce(n_classes: int, unit: str = "nats") -> float:
    """Cross-entropy of a uniform guess over ``n_classes`` against any one-hot target.

    >>> round(uniform_ce(4, "bits"), 6)
    2.0
    """
    v = positive_int("n_classes", n_classes, maximum=10_000_000)
    if v < 2:
        raise ValueError(f"n_classes must be an integer >= 2; got {v}")
    onehot = np.zeros(v)
    onehot[0] = 1.0
    return cross_entropy(onehot, np.full(v, 1.0 / v), unit)


def check_uniform_ce(answer: object, n_classes: int = 50257) -> bool:
    """Compute-it: the CE, in nats, of a model that spreads its probability evenly over ``n_classes`` tokens."""
    return Answer(f"CE of a uniform guess over {n_classes:,} classes (nats)", uniform_ce(n_classes), rel_tol=0.01,
                  hint="every class gets 1/V, so −ln p_c = −ln(1/V) = ln V").check(answer)


# --- break it ------------------------------------------------------------------------------------

def buggy_logit_descent(bug: str, logits=MYSTERY_LOGITS, target: int = 0, learning_rate: float = MYSTERY_LR,
                        n_steps: int = MYSTERY_STEPS) -> LogitDescentTrace:
    """Gradient descent on logits with a cross-entropy gradient carrying bug ``bug`` (a key of :data:`BUGS`).

    The trace's ``grad`` is the buggy gradient; ``loss`` and ``ce`` are the true cross-entropy.
    """
    bug = one_of("bug", bug, BUGS)
    z = np.array(logits, dtype=float)
    lr = positive_float("learning_rate", learning_rate)
    n = positive_int("n_steps", n_steps, maximum=10_000)
    loss_gradients(z, [target])                          # validates logits and target
    zs, ps, gs, ces = [], [], [], []
    for _ in range(n + 1):
        g = loss_gradients(z, [target])
        p = g.probs[0]
        y = np.zeros_like(p)
        y[target] = 1.0
        if bug == "sign":
            grad = y - p
        elif bug == "no_log":
            grad = -p[target] * (y - p)
        else:
            grad = z - y
        zs.append(z.copy()); ps.append(p); gs.append(grad); ces.append(g.ce[0])
        z = z - lr * grad
    P, G = np.array(ps), np.array(gs)
    return LogitDescentTrace(logits=np.array(zs), probs=P, grad=G, loss=np.array(ces), ce=np.array(ces),
                             p_correct=P[:, target], grad_norm=np.linalg.norm(G, axis=1), loss_name=f"ce-{bug}",
                             target=int(target), learning_rate=lr)


def correct_run() -> LogitDescentTrace:
    """The bug-free cross-entropy run the mysteries are compared with."""
    return logit_descent_trace("ce", MYSTERY_LOGITS, 0, MYSTERY_LR, MYSTERY_STEPS)


def mystery_run(which: str = "A") -> LogitDescentTrace:
    """A break-it suspect: mystery ``which`` (a key of :data:`MYSTERIES`) hides one of :data:`BUGS`."""
    return buggy_logit_descent(MYSTERIES[one_of("which", which, MYSTERIES)])


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind :func:`mystery_run` ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug in mystery run {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="read the pull panel first: is the pull on the correct logit large, tiny, or pointing "
                       "the wrong way while the model is confidently wrong?").check(answer)


def plot_runs(good: LogitDescentTrace, other: LogitDescentTrace,
              labels: tuple[str, str] = ("correct", "mystery")) -> Any:
    """Two panels: p(correct) per step and the pull −∂L/∂z_c on the correct logit per step. Needs matplotlib."""
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2), constrained_layout=True)
    for t, label, style in ((good, labels[0], "-o"), (other, labels[1], "--s")):
        steps = np.arange(len(t))
        ax1.plot(steps, t.p_correct, style, lw=1.5, ms=3, label=label)
        ax2.plot(steps, -t.grad[:, t.target], style, lw=1.5, ms=3, label=label)
    ax1.set(xlabel="step", ylabel="p(correct)", ylim=(-0.02, 1.02), title="probability of the correct class")
    ax2.axhline(0, color="0.6", lw=0.8)
    ax2.set(xlabel="step", ylabel="−∂L/∂z_c", title="pull on the correct logit (up = towards correct)")
    ax1.legend(frameon=False, fontsize=8)
    return fig
