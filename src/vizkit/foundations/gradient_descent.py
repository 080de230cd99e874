r"""Gradient descent on a curve or a surface (P0.5).

.. math::

    x_{t+1} = x_t - \eta\,\nabla f(x_t)

On the quadratic :math:`f = \tfrac12 L x^2` this is
:math:`x_{t+1} = (1 - \eta L)\,x_t`, so :math:`x_t = (1 - \eta L)^t x_0`:
it converges when :math:`|1 - \eta L| < 1`, i.e. :math:`0 < \eta < 2/L`,
overshoots and oscillates for :math:`1/L < \eta < 2/L`, and diverges for
:math:`\eta > 2/L`. Any smooth surface behaves like its quadratic
approximation near a minimum, with :math:`L` the largest Hessian eigenvalue.

A run is flagged as diverged once the loss stops being finite or the point
leaves a radius of :math:`10^6`; the point then stays where it was last seen.

>>> t = descent_trace("quadratic", learning_rate=0.5, n_steps=3, curvature=1.0)
>>> t.position[:, 0].tolist()            # (1 - 0.5)^t · 2
[2.0, 1.0, 0.5, 0.25]
>>> descent_trace("quadratic", learning_rate=2.5, n_steps=60).diverged_step > 0
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import positive_float, positive_int
from vizkit.foundations._checks import vector
from vizkit.foundations._trace import Trace
from vizkit.foundations.surfaces import Surface, critical_learning_rate, make_surface, surface_grid

__all__ = ["DescentTrace", "descent_trace", "resolve_surface", "DIVERGE_RADIUS"]

#: Distance from the origin beyond which a run counts as diverged.
DIVERGE_RADIUS = 1e6


def resolve_surface(surface, params: dict) -> Surface:
    """A :class:`Surface` from a name plus parameters, or the instance itself."""
    if isinstance(surface, Surface):
        if params:
            raise ValueError(f"params must be empty when surface is an instance; got {sorted(params)}")
        return surface
    return make_surface(surface, **params)


def start_point(surface: Surface, start) -> np.ndarray:
    """The default start of ``surface`` or ``start`` checked against its dimension."""
    return surface.start.copy() if start is None else vector("start", np.atleast_1d(start), length=surface.dim)


@dataclass(frozen=True)
class DescentTrace(Trace):
    """Frame 0 is the start; frame t is the point after t steps."""

    STATIC = ("grid_x", "grid_y", "grid_value")
    grid_x: np.ndarray      # (G,) x samples of the drawing grid
    grid_y: np.ndarray      # (G,) y samples (empty for a 1-D curve)
    grid_value: np.ndarray  # (G,) curve or (G, G) contour values, [i, j] = f(grid_x[j], grid_y[i])
    position: np.ndarray    # (F, dim) x_t
    loss: np.ndarray        # (F,) f(x_t)
    grad: np.ndarray        # (F, dim) ∇f(x_t)
    grad_norm: np.ndarray   # (F,) ‖∇f(x_t)‖
    diverged: np.ndarray    # (F,) int32: 1 from the step the run blew up
    surface: str = ""
    learning_rate: float = 0.0
    critical_learning_rate: float = 0.0  # 2/λ_max at the minimum
    converged_step: int = -1  # first t with ‖∇f‖ < tolerance; -1 if never
    diverged_step: int = -1   # first t flagged as diverged; -1 if never


def descent_trace(surface="quadratic", learning_rate: float = 0.3, n_steps: int = 40, start=None, *,
                  tolerance: float = 1e-4, grid_points: int = 64, **surface_params) -> DescentTrace:
    """Run plain gradient descent for ``n_steps`` steps on a named surface (or a :class:`Surface`).

    Raises ``ValueError`` for a learning rate <= 0, ``n_steps < 1``, a start of the wrong
    dimension or an unknown surface.
    """
    s = resolve_surface(surface, surface_params)
    lr = positive_float("learning_rate", learning_rate)
    n = positive_int("n_steps", n_steps, maximum=100_000)
    tol = positive_float("tolerance", tolerance)
    x = start_point(s, start)
    gx, gy, gv = surface_grid(s, grid_points)

    pos = np.empty((n + 1, s.dim))
    grads = np.empty((n + 1, s.dim))
    loss = np.empty(n + 1)
    div = np.zeros(n + 1, dtype=np.int32)
    blown = False
    for t in range(n + 1):
        g = s.grad(x)
        pos[t], grads[t], loss[t] = x, g, s.value(x)
        div[t] = blown
        if t == n:
            break
        if not blown:
            nxt = x - lr * g
            if not np.isfinite(nxt).all() or np.abs(nxt).max() > DIVERGE_RADIUS \
                    or not np.isfinite(s.value(nxt)):
                blown = True
            else:
                x = nxt
    gnorm = np.linalg.norm(grads, axis=1)
    conv = np.flatnonzero(gnorm < tol)
    first_div = np.flatnonzero(div)
    return DescentTrace(grid_x=gx, grid_y=gy, grid_value=gv, position=pos, loss=loss, grad=grads,
                        grad_norm=gnorm, diverged=div, surface=s.name, learning_rate=lr,
                        critical_learning_rate=critical_learning_rate(s),
                        converged_step=int(conv[0]) if conv.size else -1,
                        diverged_step=int(first_div[0]) if first_div.size else -1)
