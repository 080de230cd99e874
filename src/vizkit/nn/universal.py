r"""Universal approximation with one hidden layer (P1.2).

A one-hidden-layer network with :math:`N` units computes

.. math::

    \hat f(x) = c + \sum_{i=1}^{N} v_i\,\phi\bigl(s\,(x - t_i)\bigr)

Each unit is a bent or stepped copy of :math:`\phi` placed at :math:`t_i`;
the output layer weighs and sums them. Here the hidden layer is *built*, not
trained: the :math:`t_i` are evenly spaced over :math:`[-1, 1)` with spacing
:math:`\Delta = 2/N` (hinges at :math:`-1 + i\Delta`, so the first one sets the
slope at the left edge; sigmoid and tanh steps in the middle of each cell,
:math:`-1 + (i + \tfrac12)\Delta`), and the steepness is :math:`s = k_\phi/\Delta`
(:math:`k = 1` for ReLU-like units, 2 for GELU/SiLU, 4 for sigmoid/tanh) so
neighbouring units overlap by about one spacing. The output weights
:math:`v, c` are then the least-squares fit to the target on the sample
grid. With ReLU the result is the best piecewise-linear curve with those
knots; like linear interpolation (error :math:`\le \Delta^2 \max|f''|/8`) its
error falls as :math:`O(1/N^2)` for a smooth target;
with ``identity`` (no nonlinearity) the network is a straight line however
wide it is.

Parameters of the 1-in, 1-out network: :math:`N` input weights, :math:`N`
biases, :math:`N` output weights and one output bias, :math:`3N + 1`.

>>> t = universal_fit("sine", "relu", width=32)
>>> t.rms_error < 0.01, t.n_params
(True, 97)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import one_of, positive_int
from vizkit.foundations._checks import int_tuple
from vizkit.foundations._trace import Trace
from vizkit.nn.activations import ACTIVATIONS, activate_unchecked

__all__ = ["TARGETS", "target_function", "UniversalTrace", "universal_fit", "WidthSweepTrace", "width_sweep"]

TARGETS = ("sine", "bump", "step", "abs", "cubic")
_STEEPNESS = {"relu": 1.0, "leaky_relu": 1.0, "identity": 1.0, "gelu": 2.0, "gelu_tanh": 2.0, "silu": 2.0,
              "sigmoid": 4.0, "tanh": 4.0}


def target_function(name: str, x) -> np.ndarray:
    r"""Targets on :math:`[-1, 1]`: ``sine`` :math:`\sin 2\pi x`, ``bump`` :math:`e^{-x^2/0.08}`,
    ``step`` :math:`[x > 0]`, ``abs`` :math:`|x|`, ``cubic`` :math:`4x^3 - 2x`."""
    name = one_of("target", name, TARGETS)
    x = np.asarray(x, dtype=np.float64)
    return {"sine": lambda: np.sin(2.0 * np.pi * x), "bump": lambda: np.exp(-x * x / 0.08),
            "step": lambda: (x > 0).astype(np.float64), "abs": lambda: np.abs(x),
            "cubic": lambda: 4.0 * x**3 - 2.0 * x}[name]()


def _fit(target: str, activation: str, width: int, x: np.ndarray):
    spacing = 2.0 / width
    offset = 0.5 if activation in ("sigmoid", "tanh") else 0.0         # steps mid-cell, hinges on the grid
    centers = -1.0 + spacing * (np.arange(width) + offset)             # t_i
    slope = _STEEPNESS[activation] / spacing                           # s
    hidden, _ = activate_unchecked(activation, slope * (x[:, None] - centers[None, :]))   # (n, N)
    design = np.concatenate([hidden, np.ones((x.shape[0], 1))], axis=1)                   # (n, N+1)
    y = target_function(target, x)
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return y, centers, slope, hidden, coef[:-1], float(coef[-1])


@dataclass(frozen=True)
class UniversalTrace(Trace):
    """Frame k shows the output bias plus the first k units' contributions (left to right)."""

    STATIC = ("x", "target", "centers", "out_weight", "contributions", "fit")
    x: np.ndarray              # (n,) sample grid on [-1, 1]
    target: np.ndarray         # (n,) f(x)
    centers: np.ndarray        # (N,) t_i, where each unit bends
    out_weight: np.ndarray     # (N,) v_i
    contributions: np.ndarray  # (N, n) v_i · phi(s (x - t_i))
    fit: np.ndarray            # (n,) the full network's output
    partial_sum: np.ndarray    # (F = N, n) c + the first k contributions
    units_used: np.ndarray     # (F,) int32: k
    partial_rms_error: np.ndarray  # (F,) RMS of partial_sum - target
    slope: float = 0.0         # s, shared by all units
    out_bias: float = 0.0      # c
    rms_error: float = 0.0     # of the full fit on the grid
    max_error: float = 0.0
    n_params: int = 0          # 3N + 1


def universal_fit(target: str = "sine", activation: str = "relu", width: int = 12,
                  n_points: int = 201) -> UniversalTrace:
    """Fit ``target`` with ``width`` hidden units of ``activation`` (see the module docstring).

    Raises ``ValueError`` for an unknown target or activation, ``width`` outside
    ``[1, 512]`` or fewer than 8 sample points.
    """
    target = one_of("target", target, TARGETS)
    activation = one_of("activation", activation, ACTIVATIONS)
    width = positive_int("width", width, maximum=512)
    n = positive_int("n_points", n_points, maximum=100_000)
    if n < 8:
        raise ValueError(f"n_points must be an integer >= 8; got {n}")
    x = np.linspace(-1.0, 1.0, n)
    y, centers, slope, hidden, v, c = _fit(target, activation, width, x)
    contrib = (hidden * v[None, :]).T                                   # (N, n)
    partial = c + np.cumsum(contrib, axis=0)                            # (N, n)
    err = partial[-1] - y
    return UniversalTrace(x=x, target=y, centers=centers, out_weight=v, contributions=contrib,
                          fit=partial[-1], partial_sum=partial,
                          units_used=np.arange(1, width + 1, dtype=np.int32),
                          partial_rms_error=np.sqrt(np.mean((partial - y) ** 2, axis=1)),
                          slope=slope, out_bias=c, rms_error=float(np.sqrt(np.mean(err**2))),
                          max_error=float(np.abs(err).max()), n_params=3 * width + 1)


@dataclass(frozen=True)
class WidthSweepTrace(Trace):
    """One frame per width: how the best fit improves as units are added."""

    STATIC = ("x", "target")
    x: np.ndarray          # (n,)
    target: np.ndarray     # (n,)
    width: np.ndarray      # (F,) int32
    n_params: np.ndarray   # (F,) int32: 3N + 1
    fit: np.ndarray        # (F, n)
    rms_error: np.ndarray  # (F,)
    max_error: np.ndarray  # (F,)


def width_sweep(target: str = "sine", activation: str = "relu", widths=(1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64),
                n_points: int = 201) -> WidthSweepTrace:
    """The fit error at each width, for the error-vs-width plot.

    >>> t = width_sweep("sine", "identity", widths=(1, 64))
    >>> bool(abs(t.rms_error[0] - t.rms_error[1]) < 1e-9)      # a line stays a line
    True
    """
    ws = int_tuple("widths", widths, minimum=1, maximum=512)
    n = positive_int("n_points", n_points, maximum=100_000)
    if n < 8:
        raise ValueError(f"n_points must be an integer >= 8; got {n}")
    target = one_of("target", target, TARGETS)
    activation = one_of("activation", activation, ACTIVATIONS)
    x = np.linspace(-1.0, 1.0, n)
    fits = []
    for w in ws:
        y, _, _, hidden, v, c = _fit(target, activation, w, x)
        fits.append(hidden @ v + c)
    fit = np.stack(fits)
    err = fit - y
    return WidthSweepTrace(x=x, target=y, width=np.array(ws, dtype=np.int32),
                           n_params=np.array([3 * w + 1 for w in ws], dtype=np.int32), fit=fit,
                           rms_error=np.sqrt(np.mean(err**2, axis=1)), max_error=np.abs(err).max(axis=1))
