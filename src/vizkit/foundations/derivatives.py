r"""Derivatives as limits of slopes (P0.5).

.. math::

    f'(x) = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h}
    \qquad\text{and the better-balanced}\qquad
    f'(x) \approx \frac{f(x + h) - f(x - h)}{2h}

The forward (secant) quotient is off by :math:`O(h)`, the central one by
:math:`O(h^2)`. The central difference is also how every gradient in this
book is checked: :func:`numerical_gradient` perturbs one coordinate at a time,
giving the partial derivatives :math:`\partial f/\partial x_i`.

>>> round(central_difference(lambda x: x**3, 2.0), 6)   # 3·2²
12.0
>>> numerical_gradient(lambda v: v[0] * v[1], [3.0, 4.0]).round(6).tolist()
[4.0, 3.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import positive_float, positive_int
from vizkit.foundations._checks import array, vector
from vizkit.foundations._trace import Trace
from vizkit.foundations.functions import evaluate

__all__ = ["central_difference", "numerical_gradient", "SecantTrace", "secant_trace"]


def central_difference(f, x: float, h: float = 1e-5) -> float:
    """:math:`(f(x+h) - f(x-h)) / 2h` for a scalar function ``f``."""
    h = positive_float("h", h)
    x = float(array("x", x, ndim=0))
    return (float(f(x + h)) - float(f(x - h))) / (2.0 * h)


def numerical_gradient(f, x, h: float = 1e-6) -> np.ndarray:
    r"""Central-difference gradient of :math:`f: \mathbb{R}^n \to \mathbb{R}`, one coordinate at a time."""
    h = positive_float("h", h)
    x = array("x", x)
    g = np.empty_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        g[i] = (float(f(up)) - float(f(down))) / (2.0 * h)
    return g


@dataclass(frozen=True)
class SecantTrace(Trace):
    """One frame per step size ``h`` as it shrinks towards 0."""

    STATIC = ("x", "value")
    x: np.ndarray              # (n_points,) where the curve is drawn
    value: np.ndarray          # (n_points,) f(x)
    h: np.ndarray              # (F,) step size
    secant_slope: np.ndarray   # (F,) (f(x0+h) - f(x0)) / h: the slope of the chord
    central_slope: np.ndarray  # (F,) (f(x0+h) - f(x0-h)) / 2h
    secant_error: np.ndarray   # (F,) |secant - f'(x0)|
    central_error: np.ndarray  # (F,) |central - f'(x0)|
    x0: float = 0.0            # where the derivative is taken
    f_x0: float = 0.0          # f(x0)
    slope: float = 0.0         # the exact f'(x0)


def secant_trace(family: str = "polynomial", x0: float = 1.0, h_values=None, *, x_min: float = -2.0,
                 x_max: float = 3.0, n_points: int = 161, **params) -> SecantTrace:
    """Chords through :math:`(x_0, f(x_0))` and :math:`(x_0 + h, f(x_0 + h))` as ``h`` shrinks.

    ``family`` and ``params`` are those of :func:`vizkit.foundations.functions.evaluate`;
    ``h_values`` defaults to 24 steps from 2 down to 0.001.

    >>> t = secant_trace("polynomial", 1.0, [1.0, 0.1], coeffs=(0, 0, 1))   # f = x², f'(1) = 2
    >>> t.secant_slope.round(6).tolist(), t.central_slope.round(6).tolist()
    ([3.0, 2.1], [2.0, 2.0])
    """
    x0 = float(array("x0", x0, ndim=0))
    hs = np.geomspace(2.0, 1e-3, 24) if h_values is None else vector("h_values", h_values)
    if (hs <= 0).any():
        raise ValueError(f"h_values must all be > 0; got min {hs.min():.4g}")
    lo, hi = float(array("x_min", x_min, ndim=0)), float(array("x_max", x_max, ndim=0))
    if hi <= lo:
        raise ValueError(f"x_max must be > x_min ({lo}); got {hi}")
    xs = np.linspace(lo, hi, positive_int("n_points", n_points, maximum=100_000))
    curve, _ = evaluate(family, xs, **params)
    (f0,), (slope,) = evaluate(family, [x0], **params)
    if not np.isfinite(f0):
        raise ValueError(f"x0 must lie where {family} is defined; got {x0}")
    up, _ = evaluate(family, x0 + hs, **params)
    down, _ = evaluate(family, x0 - hs, **params)
    secant = (up - f0) / hs
    central = (up - down) / (2.0 * hs)
    return SecantTrace(x=xs, value=curve, h=hs, secant_slope=secant, central_slope=central,
                       secant_error=np.abs(secant - slope), central_error=np.abs(central - slope),
                       x0=x0, f_x0=float(f0), slope=float(slope))
