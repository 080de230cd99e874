r"""A multi-layer perceptron in numpy, with its backward pass written out (P1.2–P1.5).

Layer :math:`\ell` computes :math:`a_\ell = h_{\ell-1} W_\ell + b_\ell` and
:math:`h_\ell = \phi(a_\ell)` (no activation after the last layer, whose
outputs are the logits). Rows of :math:`h` are examples. The loss is the mean
softmax cross-entropy over a batch of :math:`B` examples, and the backward pass
is the chain rule applied layer by layer, top down:

.. math::

    \frac{\partial L}{\partial a_\text{out}} = \frac{p - y}{B}, \qquad
    \frac{\partial L}{\partial W_\ell} = h_{\ell-1}^\top \frac{\partial L}{\partial a_\ell}, \qquad
    \frac{\partial L}{\partial b_\ell} = \textstyle\sum_\text{rows} \frac{\partial L}{\partial a_\ell}, \qquad
    \frac{\partial L}{\partial a_{\ell-1}}
        = \Bigl(\frac{\partial L}{\partial a_\ell} W_\ell^\top\Bigr) \odot \phi'(a_{\ell-1})

All parameters live in one flat vector (weights then bias, layer by layer),
so an optimiser from :mod:`vizkit.foundations.optimizers` updates the whole
network in one call.

>>> spec = MLPSpec((2, 8, 2))
>>> spec.n_params                    # 2·8 + 8 + 8·2 + 2
42
>>> theta = init_params(spec, seed=0)
>>> loss, grad = loss_and_grad(spec, theta, np.zeros((3, 2)), np.array([0, 1, 1]))
>>> grad.shape
(42,)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from vizkit._validate import nonneg_int, one_of
from vizkit.foundations._checks import class_labels, int_tuple, matrix, vector
from vizkit.nn.activations import ACTIVATIONS, activate_unchecked
from vizkit.nn.initialization import INIT_SCHEMES, init_std

__all__ = ["MLPSpec", "init_params", "forward", "predict_proba", "loss_and_grad"]


@dataclass(frozen=True)
class MLPSpec:
    """The architecture: layer widths from input to output, and the hidden activation."""

    layer_sizes: tuple[int, ...]   # (d_in, hidden..., n_classes)
    activation: str = "relu"

    def __post_init__(self):
        sizes = int_tuple("layer_sizes", self.layer_sizes, minimum=1, maximum=4096)
        if len(sizes) < 2:
            raise ValueError(f"layer_sizes must list at least an input and an output size; got {sizes}")
        object.__setattr__(self, "layer_sizes", sizes)
        one_of("activation", self.activation, ACTIVATIONS)

    @property
    def shapes(self) -> list[tuple[tuple[int, int], tuple[int]]]:
        """``[((fan_in, fan_out), (fan_out,)), ...]`` per layer."""
        s = self.layer_sizes
        return [((s[i], s[i + 1]), (s[i + 1],)) for i in range(len(s) - 1)]

    @property
    def n_params(self) -> int:
        return sum(a * b + b for (a, b), _ in self.shapes)

    @cached_property
    def _offsets(self) -> tuple[tuple[int, int, int, int, int], ...]:
        out, i = [], 0
        for (fi, fo), _ in self.shapes:
            out.append((i, i + fi * fo, i + fi * fo + fo, fi, fo))
            i += fi * fo + fo
        return tuple(out)

    def unpack(self, theta: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Views ``(W, b)`` into the flat vector, one pair per layer (writing to them writes ``theta``)."""
        return [(theta[a:b].reshape(fi, fo), theta[b:c]) for a, b, c, fi, fo in self._offsets]


def init_params(spec: MLPSpec, scheme: str = "he", seed: int = 0) -> np.ndarray:
    """Weights :math:`\\sim \\mathcal N(0, s^2)` with ``s`` from
    :func:`~vizkit.nn.initialization.init_std`; biases 0."""
    one_of("scheme", scheme, INIT_SCHEMES)
    rng = np.random.default_rng(nonneg_int("seed", seed))
    theta = np.zeros(spec.n_params)
    for W, _ in spec.unpack(theta):
        W[...] = init_std(scheme, *W.shape) * rng.standard_normal(W.shape)
    return theta


def _check(spec: MLPSpec, theta, x) -> tuple[np.ndarray, np.ndarray]:
    theta = vector("theta", theta, length=spec.n_params)
    x = matrix("x", x, shape=(None, spec.layer_sizes[0]))
    return theta, x


def _forward(spec: MLPSpec, theta: np.ndarray, x: np.ndarray):
    layers = spec.unpack(theta)
    hs, slopes = [x], []
    h = x
    for i, (W, b) in enumerate(layers):
        a = h @ W + b                                  # (B, fan_out)
        if i == len(layers) - 1:
            return a, hs, slopes, layers
        h, dh = activate_unchecked(spec.activation, a)
        hs.append(h)
        slopes.append(dh)
    raise AssertionError("unreachable")


def forward(spec: MLPSpec, theta, x) -> np.ndarray:
    """The logits, shape ``(B, n_classes)``, for inputs ``x`` of shape ``(B, d_in)``."""
    theta, x = _check(spec, theta, x)
    return _forward(spec, theta, x)[0]


def predict_proba(spec: MLPSpec, theta, x) -> np.ndarray:
    """Softmax of the logits, one row per input."""
    z = forward(spec, theta, x)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def loss_and_grad_unchecked(spec: MLPSpec, theta: np.ndarray, x: np.ndarray, y: np.ndarray):
    """:func:`loss_and_grad` without argument checks, for the training loop."""
    z, hs, slopes, layers = _forward(spec, theta, x)
    B = x.shape[0]
    rows = np.arange(B)
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_p[rows, y].mean()
    delta = np.exp(log_p)                              # ∂L/∂z = (p - y) / B
    delta[rows, y] -= 1.0
    delta /= B
    grad = np.empty_like(theta)
    grads = spec.unpack(grad)
    for i in range(len(layers) - 1, -1, -1):
        gW, gb = grads[i]
        gW[...] = hs[i].T @ delta                      # (fan_in, fan_out)
        gb[...] = delta.sum(axis=0)
        if i:
            delta = (delta @ layers[i][0].T) * slopes[i - 1]
    return float(loss), grad


def loss_and_grad(spec: MLPSpec, theta, x, y) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy of the batch ``(x, y)`` and its gradient with respect to ``theta``.

    Raises ``ValueError`` if ``theta`` has the wrong length, ``x`` the wrong width,
    or ``y`` the wrong length or a label outside ``[0, n_classes - 1]``.
    """
    theta, x = _check(spec, theta, x)
    y = class_labels("y", y, spec.layer_sizes[-1], length=x.shape[0])
    return loss_and_grad_unchecked(spec, theta, x, y)
