r"""Activation functions and their slopes (P1.2).

============== ======================================================== ==========================================
name           :math:`\phi(x)`                                          :math:`\phi'(x)`
============== ======================================================== ==========================================
``identity``   :math:`x`                                                :math:`1`
``relu``       :math:`\max(0, x)`                                       :math:`[x > 0]`
``leaky_relu`` :math:`\max(\alpha x, x)`, :math:`\alpha = 0.01`         :math:`1` or :math:`\alpha`
``sigmoid``    :math:`\sigma(x) = 1/(1 + e^{-x})`                       :math:`\sigma(1-\sigma)`
``tanh``       :math:`\tanh x`                                          :math:`1 - \tanh^2 x`
``gelu``       :math:`x\,\Phi(x)`, :math:`\Phi` the normal CDF          :math:`\Phi(x) + x\,\varphi(x)`
``gelu_tanh``  :math:`\tfrac12 x(1 + \tanh(\sqrt{2/\pi}(x + 0.044715x^3)))` (GPT-2's approximation)
``silu``       :math:`x\,\sigma(x)` (Swish)                             :math:`\sigma(x)(1 + x(1 - \sigma(x)))`
============== ======================================================== ==========================================

ReLU's slope at 0 is taken as 0. :math:`\Phi(x) = \tfrac12(1 + \mathrm{erf}(x/\sqrt2))`
uses a vectorised erf with relative error below :math:`1.2\times10^{-7}`
(Numerical Recipes' Chebyshev fit to erfc), since numpy has none.

>>> y, dy = activate("relu", [-1.0, 2.0])
>>> y.tolist(), dy.tolist()
([0.0, 2.0], [0.0, 1.0])
>>> round(float(activate("gelu", [1.0])[0][0]), 6)    # 1 · Φ(1)
0.841345
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from vizkit._validate import one_of, positive_int
from vizkit.foundations._checks import array
from vizkit.foundations._trace import Trace

__all__ = ["ACTIVATIONS", "activate", "erf", "ActivationTrace", "activation_trace"]

ACTIVATIONS = ("identity", "relu", "leaky_relu", "sigmoid", "tanh", "gelu", "gelu_tanh", "silu")
LEAKY_SLOPE = 0.01
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def erf(x) -> np.ndarray:
    """Vectorised error function, relative error of ``erfc`` below 1.2e-7.

    >>> round(float(erf(np.array(0.5))), 6) == round(math.erf(0.5), 6)
    True
    """
    x = np.asarray(x, dtype=np.float64)
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    erfc = t * np.exp(-z * z + poly)
    return np.where(x >= 0, 1.0 - erfc, erfc - 1.0)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def activate_unchecked(name: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`activate` without argument checks, for inner loops that already checked them."""
    if name == "relu":
        return np.maximum(x, 0.0), (x > 0).astype(x.dtype)
    if name == "tanh":
        y = np.tanh(x)
        return y, 1.0 - y * y
    if name == "identity":
        return x, np.ones_like(x)
    if name == "leaky_relu":
        return np.where(x > 0, x, LEAKY_SLOPE * x), np.where(x > 0, 1.0, LEAKY_SLOPE)
    if name == "sigmoid":
        s = _sigmoid(x)
        return s, s * (1.0 - s)
    if name == "silu":
        s = _sigmoid(x)
        return x * s, s * (1.0 + x * (1.0 - s))
    if name == "gelu":
        cdf = 0.5 * (1.0 + erf(x / math.sqrt(2.0)))
        pdf = np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
        return x * cdf, cdf + x * pdf
    # gelu_tanh
    u = _SQRT_2_OVER_PI * (x + 0.044715 * x**3)
    th = np.tanh(u)
    du = _SQRT_2_OVER_PI * (1.0 + 3.0 * 0.044715 * x * x)
    return 0.5 * x * (1.0 + th), 0.5 * (1.0 + th) + 0.5 * x * (1.0 - th * th) * du


def activate(name: str, x) -> tuple[np.ndarray, np.ndarray]:
    """``(phi(x), phi'(x))`` elementwise for a named activation (see the module table)."""
    return activate_unchecked(one_of("activation", name, ACTIVATIONS), array("x", x))


@dataclass(frozen=True)
class ActivationTrace(Trace):
    """One frame per activation, all sampled on the same ``x``."""

    STATIC = ("x",)
    x: np.ndarray      # (n_points,)
    value: np.ndarray  # (F, n_points) phi(x)
    slope: np.ndarray  # (F, n_points) phi'(x)
    names: tuple[str, ...] = ()


def activation_trace(names=("relu", "gelu", "silu", "tanh", "sigmoid"), x_min: float = -4.0,
                     x_max: float = 4.0, n_points: int = 161) -> ActivationTrace:
    """Curves and slopes of several activations for side-by-side drawing.

    >>> activation_trace(["relu", "silu"], n_points=5).value.shape
    (2, 5)
    """
    names = tuple(one_of("names", n, ACTIVATIONS) for n in names)
    if not names:
        raise ValueError("names must hold at least one activation")
    lo, hi = float(array("x_min", x_min, ndim=0)), float(array("x_max", x_max, ndim=0))
    if hi <= lo:
        raise ValueError(f"x_max must be > x_min ({lo}); got {hi}")
    x = np.linspace(lo, hi, positive_int("n_points", n_points, maximum=100_000))
    pairs = [activate_unchecked(n, x) for n in names]
    return ActivationTrace(x=x, value=np.stack([p[0] for p in pairs]), slope=np.stack([p[1] for p in pairs]),
                           names=names)
