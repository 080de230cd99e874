r"""Cross-entropy vs mean squared error on a softmax output (P1.3).

With logits :math:`z`, probabilities :math:`p = \mathrm{softmax}(z)` and a
one-hot target :math:`y` for the correct class :math:`c`:

.. math::

    \mathrm{CE} = -\log p_c, \qquad \frac{\partial\,\mathrm{CE}}{\partial z} = p - y

    \mathrm{MSE} = \sum_k (p_k - y_k)^2, \qquad
    \frac{\partial\,\mathrm{MSE}}{\partial z} = J^\top\, 2(p - y), \quad J = \mathrm{diag}(p) - p\,p^\top

The CE gradient is exactly the prediction error: largest when the model is
confidently wrong. The MSE gradient carries the extra factor :math:`J`, whose
entries vanish as :math:`p` saturates, so a confidently wrong model gets
almost no signal (for the correct logit it is :math:`-2p_c(1-p_c)^2 + \dots`).

>>> g = loss_gradients([[2.0, 0.0, 0.0]], [0])
>>> g.grad_ce.round(4).tolist()
[[-0.213, 0.1065, 0.1065]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import positive_int
from vizkit.foundations._checks import array, class_labels
from vizkit.foundations._trace import Trace

__all__ = ["LossGradients", "loss_gradients", "softmax_rows", "LossCurveTrace", "loss_curve_trace",
           "LOSSES", "LogitDescentTrace", "logit_descent_trace"]


def softmax_rows(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of a (B, V) array (no checks)."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class LossGradients:
    """Both losses and their gradients with respect to the logits, per row."""

    probs: np.ndarray     # (B, V)
    ce: np.ndarray        # (B,) -log p_c
    mse: np.ndarray       # (B,) Σ_k (p_k - y_k)²
    grad_ce: np.ndarray   # (B, V) p - y
    grad_mse: np.ndarray  # (B, V) J 2(p - y)


def loss_gradients(logits, target) -> LossGradients:
    """CE and MSE of each row of ``logits`` (B×V, or one row of V) against class indices ``target``.

    Raises ``ValueError`` if ``target`` has the wrong length or a label outside ``[0, V-1]``.
    """
    z = array("logits", logits)
    if z.ndim == 1:
        z = z[None, :]
    if z.ndim != 2:
        raise ValueError(f"logits must be a 1-D or 2-D array; got shape {z.shape}")
    c = class_labels("target", np.atleast_1d(target), z.shape[1], length=z.shape[0])
    rows = np.arange(z.shape[0])
    shifted = z - z.max(axis=1, keepdims=True)                    # stable: the largest logit is 0
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    p = np.exp(log_p)
    y = np.zeros_like(p)
    y[rows, c] = 1.0
    err = p - y
    g = 2.0 * err
    grad_mse = p * g - p * np.sum(p * g, axis=1, keepdims=True)     # J g with J = diag(p) - p pᵀ
    return LossGradients(probs=p, ce=-log_p[rows, c], mse=np.sum(err**2, axis=1), grad_ce=err, grad_mse=grad_mse)


@dataclass(frozen=True)
class LossCurveTrace(Trace):
    """One frame per value of p(correct); the other classes share the rest equally."""

    p_correct: np.ndarray          # (F,) probability given to the correct class
    logit_correct: np.ndarray      # (F,) z_c that gives it (other logits are 0)
    ce: np.ndarray                 # (F,) -ln p_c
    mse: np.ndarray                # (F,) Σ_k (p_k - y_k)²
    grad_ce_correct: np.ndarray    # (F,) ∂CE/∂z_c = p_c - 1
    grad_mse_correct: np.ndarray   # (F,) ∂MSE/∂z_c
    grad_ce_norm: np.ndarray       # (F,) ‖∂CE/∂z‖
    grad_mse_norm: np.ndarray      # (F,) ‖∂MSE/∂z‖
    n_classes: int = 2


def loss_curve_trace(n_classes: int = 2, n_frames: int = 199) -> LossCurveTrace:
    r"""Sweep :math:`p_c` over :math:`(0, 1)` and record both losses and their pull on the correct logit.

    With the other :math:`V-1` logits at 0, :math:`p_c = e^{z_c}/(e^{z_c} + V - 1)`,
    so :math:`z_c = \ln\bigl(p_c (V-1)/(1 - p_c)\bigr)`.

    >>> t = loss_curve_trace(2, 3)     # p_c = 0.25, 0.5, 0.75
    >>> t.grad_ce_correct.tolist()
    [-0.75, -0.5, -0.25]
    """
    V = positive_int("n_classes", n_classes, maximum=100_000)
    if V < 2:
        raise ValueError(f"n_classes must be an integer >= 2; got {V}")
    n = positive_int("n_frames", n_frames, maximum=100_000)
    p = np.linspace(0.0, 1.0, n + 2)[1:-1]
    zc = np.log(p * (V - 1) / (1.0 - p))
    logits = np.zeros((n, V))
    logits[:, 0] = zc
    g = loss_gradients(logits, np.zeros(n, dtype=np.int64))
    return LossCurveTrace(p_correct=g.probs[:, 0], logit_correct=zc, ce=g.ce, mse=g.mse,
                          grad_ce_correct=g.grad_ce[:, 0], grad_mse_correct=g.grad_mse[:, 0],
                          grad_ce_norm=np.linalg.norm(g.grad_ce, axis=1),
                          grad_mse_norm=np.linalg.norm(g.grad_mse, axis=1), n_classes=V)


#: The losses :func:`logit_descent_trace` can descend.
LOSSES = ("ce", "mse")


@dataclass(frozen=True)
class LogitDescentTrace(Trace):
    """Plain gradient descent on one example's logits: frame t is the state before step t + 1."""

    logits: np.ndarray       # (F, V)
    probs: np.ndarray        # (F, V)
    grad: np.ndarray         # (F, V) ∂loss/∂z of the loss being descended
    loss: np.ndarray         # (F,) the loss being descended
    ce: np.ndarray           # (F,) -ln p_c, whichever loss is descended
    p_correct: np.ndarray    # (F,)
    grad_norm: np.ndarray    # (F,) ‖∂loss/∂z‖
    loss_name: str = "ce"
    target: int = 0
    learning_rate: float = 1.0


def logit_descent_trace(loss: str = "ce", logits=(0.0, 6.0, 0.0), target: int = 0, learning_rate: float = 1.0,
                        n_steps: int = 60) -> LogitDescentTrace:
    r"""Descend ``loss`` (``"ce"`` or ``"mse"``) on the logits themselves: :math:`z \leftarrow z - \eta\,\nabla_z L`.

    The logits stand in for the last layer of a network, so the trace shows the
    pull each loss exerts on them. Starting confidently wrong, CE's pull is
    about 1 and the correct class recovers in a few steps; MSE's pull is
    :math:`\approx 2p_c` and the run stalls.

    >>> ce = logit_descent_trace("ce", n_steps=20)
    >>> mse = logit_descent_trace("mse", n_steps=20)
    >>> bool(ce.p_correct[-1] > 0.9), bool(mse.p_correct[-1] < 0.01)
    (True, True)

    Raises ``ValueError`` for an unknown loss, fewer than 2 logits, a bad target,
    a learning rate <= 0 or ``n_steps`` outside ``[1, 10000]``.
    """
    from vizkit._validate import one_of, positive_float

    name = one_of("loss", loss, LOSSES)
    z = array("logits", logits)
    if z.ndim != 1 or z.shape[0] < 2:
        raise ValueError(f"logits must be a 1-D array of at least 2 numbers; got shape {z.shape}")
    c = int(class_labels("target", np.atleast_1d(target), z.shape[0], length=1)[0])
    lr = positive_float("learning_rate", learning_rate)
    n = positive_int("n_steps", n_steps, maximum=10_000)
    zs, ps, gs, ls, ces = [], [], [], [], []
    for _ in range(n + 1):
        g = loss_gradients(z, [c])
        grad = g.grad_ce[0] if name == "ce" else g.grad_mse[0]
        zs.append(z.copy()); ps.append(g.probs[0]); gs.append(grad)
        ls.append(g.ce[0] if name == "ce" else g.mse[0]); ces.append(g.ce[0])
        z = z - lr * grad
    P, G = np.array(ps), np.array(gs)
    return LogitDescentTrace(logits=np.array(zs), probs=P, grad=G, loss=np.array(ls), ce=np.array(ces),
                             p_correct=P[:, c], grad_norm=np.linalg.norm(G, axis=1), loss_name=name, target=c,
                             learning_rate=lr)
