r"""Softmax with temperature, and what it does to entropy and cross-entropy (P0.6).

.. math::

    \mathrm{softmax}(z / T)_i = \frac{e^{z_i/T}}{\sum_j e^{z_j/T}}

Adding the same constant to every logit changes nothing (it cancels in the
ratio), so the implementation subtracts :math:`\max_j z_j` first and never
overflows. As :math:`T \to 0` the distribution becomes one-hot on the
largest logit (shared evenly among ties); as :math:`T \to \infty` it becomes
uniform, :math:`1/V` each.

:func:`temperature_trace` sweeps :math:`T` and reports, per frame, the entropy
of the distribution, the cross-entropy of the *target* (the outcome that
actually happened) and :math:`D_\mathrm{KL}(\text{target}\,\Vert\,p)`, in bits.

>>> softmax([1.0, 2.0, 3.0]).round(4).tolist()
[0.09, 0.2447, 0.6652]
>>> softmax([1.0, 2.0, 3.0], temperature=1e-6).tolist()
[0.0, 0.0, 1.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np

from vizkit._validate import nonneg_int, positive_float
from vizkit.foundations._checks import array, probability_vector, vector
from vizkit.foundations._trace import Trace
from vizkit.foundations.information import cross_entropy, entropy, kl_divergence

__all__ = ["softmax", "log_softmax", "TemperatureTrace", "temperature_trace"]


def log_softmax(logits, temperature: float = 1.0) -> np.ndarray:
    r""":math:`z_i/T - \log\sum_j e^{z_j/T}` along the last axis, computed stably."""
    z = array("logits", logits)
    if z.ndim == 0:
        raise ValueError("logits must have at least one axis; got a scalar")
    z = z / positive_float("temperature", temperature)
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))


def softmax(logits, temperature: float = 1.0) -> np.ndarray:
    """Probabilities :math:`\\mathrm{softmax}(z/T)` along the last axis (rows of a matrix)."""
    z = array("logits", logits)
    if z.ndim == 0:
        raise ValueError("logits must have at least one axis; got a scalar")
    z = z / positive_float("temperature", temperature)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class TemperatureTrace(Trace):
    """One frame per temperature."""

    STATIC = ("logits", "target")
    logits: np.ndarray              # (V,) the scores being turned into probabilities
    target: np.ndarray              # (V,) the distribution of what actually happened (often one-hot)
    temperature: np.ndarray         # (F,)
    probs: np.ndarray               # (F, V) softmax(z / T)
    entropy_bits: np.ndarray        # (F,) H(p): how unsure the distribution is
    cross_entropy_bits: np.ndarray  # (F,) H(target, p): the loss a model pays
    kl_bits: np.ndarray             # (F,) D_KL(target ‖ p) = CE - H(target)
    max_prob: np.ndarray            # (F,) the largest probability


def temperature_trace(logits=(2.0, 1.0, 0.5, -1.0), temperatures=None, target=None) -> TemperatureTrace:
    """Sweep the temperature over ``logits``.

    ``temperatures`` defaults to 41 values from 0.05 to 20 (log-spaced);
    ``target`` is a class index or a probability vector (default: one-hot on the
    largest logit).

    Raises ``ValueError`` if a temperature is <= 0, the target index is out of
    range or the target vector has the wrong length.

    >>> t = temperature_trace([0.0, 0.0], temperatures=[1.0], target=0)
    >>> t.entropy_bits.tolist(), t.cross_entropy_bits.tolist()
    ([1.0], [1.0])
    """
    z = vector("logits", logits)
    V = z.shape[0]
    temps = np.geomspace(0.05, 20.0, 41) if temperatures is None else vector("temperatures", temperatures)
    if (temps <= 0).any():
        raise ValueError(f"temperatures must all be > 0; got min {temps.min():.4g}")
    if target is None:
        target = int(np.argmax(z))
    if isinstance(target, Integral) and not isinstance(target, bool):
        idx = nonneg_int("target", target, maximum=V - 1)
        tgt = np.zeros(V)
        tgt[idx] = 1.0
    else:
        tgt = probability_vector("target", target)
        if tgt.shape[0] != V:
            raise ValueError(f"target must have length {V} (one entry per logit); got {tgt.shape[0]}")
    probs = np.stack([softmax(z, float(T)) for T in temps])
    ent = np.array([entropy(p, "bits") for p in probs])
    ce = np.array([cross_entropy(tgt, p, "bits") for p in probs])
    kl = np.array([kl_divergence(tgt, p, "bits") for p in probs])
    return TemperatureTrace(logits=z, target=tgt, temperature=temps, probs=probs, entropy_bits=ent,
                            cross_entropy_bits=ce, kl_bits=kl, max_prob=probs.max(axis=1))
