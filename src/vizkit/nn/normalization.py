r"""LayerNorm and RMSNorm (P1.8).

For a vector :math:`x \in \mathbb{R}^d` (one token's activations):

.. math::

    \mathrm{LayerNorm}(x) = \gamma \odot \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta,
    \qquad \mu = \tfrac1d\textstyle\sum_i x_i,\ \sigma^2 = \tfrac1d\sum_i (x_i - \mu)^2

    \mathrm{RMSNorm}(x) = \gamma \odot \frac{x}{\sqrt{\tfrac1d\sum_i x_i^2 + \epsilon}}

LayerNorm re-centres and rescales (output mean 0, variance 1 before
:math:`\gamma, \beta`); RMSNorm only rescales (output root-mean-square 1), one
reduction cheaper, and is what most recent LLMs use. Both act on the last
axis, so a ``(tokens, d)`` matrix is normalised row by row.

:func:`norm_stages` shows the steps one at a time for the widget.

>>> y = layer_norm([[1.0, 2.0, 3.0, 6.0]])
>>> abs(float(y.mean())) < 1e-12, float(y.var().round(4))
(True, 1.0)
>>> float(np.sqrt(np.mean(rms_norm([3.0, 4.0]) ** 2)).round(4))
1.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import one_of, positive_float
from vizkit.foundations._checks import array, vector
from vizkit.foundations._trace import Trace

__all__ = ["layer_norm", "rms_norm", "NormStagesTrace", "norm_stages", "DEFAULT_EPS"]

DEFAULT_EPS = 1e-5


def _affine(x: np.ndarray, gain, bias) -> tuple[np.ndarray, np.ndarray]:
    d = x.shape[-1]
    g = np.ones(d) if gain is None else vector("gain", gain, length=d)
    b = np.zeros(d) if bias is None else vector("bias", bias, length=d)
    return g, b


def layer_norm(x, gain=None, bias=None, eps: float = DEFAULT_EPS) -> np.ndarray:
    """LayerNorm over the last axis; ``gain`` (γ) and ``bias`` (β) default to 1 and 0."""
    x = array("x", x)
    if x.ndim == 0:
        raise ValueError("x must have at least one axis; got a scalar")
    g, b = _affine(x, gain, bias)
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return g * (x - mu) / np.sqrt(var + positive_float("eps", eps)) + b


def rms_norm(x, gain=None, eps: float = DEFAULT_EPS) -> np.ndarray:
    """RMSNorm over the last axis; ``gain`` (γ) defaults to 1."""
    x = array("x", x)
    if x.ndim == 0:
        raise ValueError("x must have at least one axis; got a scalar")
    g, _ = _affine(x, gain, None)
    ms = (x**2).mean(axis=-1, keepdims=True)
    return g * x / np.sqrt(ms + positive_float("eps", eps))


@dataclass(frozen=True)
class NormStagesTrace(Trace):
    """One frame per stage of the normalisation of a single vector."""

    vector: np.ndarray   # (F, d) the vector after each stage
    mean: np.ndarray     # (F,) its mean
    std: np.ndarray      # (F,) its standard deviation
    rms: np.ndarray      # (F,) its root-mean-square
    stages: tuple[str, ...] = ()   # stage names, one per frame
    kind: str = ""


def norm_stages(x=(2.0, -1.0, 4.0, 0.5, 3.0, -0.5, 1.0, 5.0), kind: str = "layer", gain=None, bias=None,
                eps: float = DEFAULT_EPS) -> NormStagesTrace:
    """``layer``: input → centred → scaled to unit variance → γ·+β.
    ``rms``: input → scaled to unit RMS → γ·.

    >>> norm_stages([1.0, 3.0], "layer").stages
    ('input', 'subtract mean', 'divide by std', 'gain and bias')
    """
    x = vector("x", x)
    kind = one_of("kind", kind, ("layer", "rms"))
    g, b = _affine(x, gain, bias)
    eps = positive_float("eps", eps)
    if kind == "layer":
        centred = x - x.mean()
        scaled = centred / np.sqrt(np.mean(centred**2) + eps)
        vs, names = [x, centred, scaled, g * scaled + b], ("input", "subtract mean", "divide by std",
                                                          "gain and bias")
    else:
        scaled = x / np.sqrt(np.mean(x**2) + eps)
        vs, names = [x, scaled, g * scaled], ("input", "divide by rms", "gain")
    V = np.stack(vs)
    return NormStagesTrace(vector=V, mean=V.mean(axis=1), std=V.std(axis=1),
                           rms=np.sqrt(np.mean(V**2, axis=1)), stages=names, kind=kind)
