r"""Optimisers racing on the same surface (P0.7).

Every optimiser starts at the same point and sees the same gradients plus,
for *stochastic* runs, the same noise: :math:`\tilde g_t = \nabla f(\theta_t) + \sigma\,\xi_t`
with :math:`\xi_t \sim \mathcal N(0, I)` drawn once from ``seed`` (a stand-in
for the error of a mini-batch gradient). A racer has *converged* once it is
within ``tolerance`` of the surface's minimum; it has *diverged* once its
loss is not finite or it leaves a radius of :math:`10^6`, after which it stays put.

On the ravine :math:`\tfrac12(x^2 + 20y^2)`, SGD must keep :math:`\eta < 2/20`
for the steep direction and so crawls along the shallow one; momentum
accumulates speed along the floor; Adam rescales each coordinate.

>>> t = race_trace("ravine", n_steps=200)
>>> t.names
('sgd', 'momentum', 'adam')
>>> t.steps_to_converge.tolist()          # momentum first; Adam overshoots, then settles
[59, 34, 67]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from vizkit._validate import nonneg_float, nonneg_int, positive_float, positive_int
from vizkit.foundations._trace import Trace
from vizkit.foundations.gradient_descent import DIVERGE_RADIUS, resolve_surface, start_point
from vizkit.foundations.optimizers import OPTIMIZERS, make_optimizer
from vizkit.foundations.surfaces import surface_grid

__all__ = ["RaceTrace", "race_trace", "default_racers"]

#: Hyper-parameters that make a fair, visible race on each named surface.
_DEFAULTS = {
    "rosenbrock": ({"name": "sgd", "learning_rate": 1.5e-3},
                   {"name": "momentum", "learning_rate": 1.5e-3, "beta": 0.95},
                   {"name": "adam", "learning_rate": 0.1}),
    "ravine": ({"name": "sgd", "learning_rate": 0.09},
               {"name": "momentum", "learning_rate": 0.03, "beta": 0.7},
               {"name": "adam", "learning_rate": 0.1}),
}
_FALLBACK = ({"name": "sgd", "learning_rate": 0.1}, {"name": "momentum", "learning_rate": 0.05, "beta": 0.9},
             {"name": "adam", "learning_rate": 0.1})


def default_racers(surface: str) -> tuple[dict, ...]:
    """The default optimiser settings for a named surface (copies, safe to edit)."""
    return tuple(dict(r) for r in _DEFAULTS.get(surface, _FALLBACK))


@dataclass(frozen=True)
class RaceTrace(Trace):
    """Frame t holds every racer after t steps (frame 0 is the shared start)."""

    STATIC = ("grid_x", "grid_y", "grid_value", "steps_to_converge")
    grid_x: np.ndarray             # (G,) drawing grid, as in DescentTrace
    grid_y: np.ndarray             # (G,) (empty in 1-D)
    grid_value: np.ndarray         # (G,) or (G, G)
    position: np.ndarray           # (F, R, dim) where each of the R racers is
    loss: np.ndarray               # (F, R) f at that point
    distance: np.ndarray           # (F, R) distance to the minimum
    converged: np.ndarray          # (F, R) int32: 1 once within tolerance of the minimum
    diverged: np.ndarray           # (F, R) int32: 1 once the racer blew up
    steps_to_converge: np.ndarray  # (R,) int32: first converged frame, -1 if never
    names: tuple[str, ...] = ()    # optimiser name per racer
    surface: str = ""


def _build(racer):
    if isinstance(racer, Mapping):
        hp = dict(racer)
        name = hp.pop("name", None)
        if name is None:
            raise ValueError("optimizers entries given as dicts must have a 'name' key "
                             f"({', '.join(OPTIMIZERS)})")
        return make_optimizer(name, **hp)
    if isinstance(racer, tuple(OPTIMIZERS.values())):
        return racer
    raise ValueError(f"optimizers must hold optimiser instances or dicts with a 'name'; got {racer!r}")


def race_trace(surface="ravine", optimizers: Sequence | None = None, start=None, n_steps: int = 300, *,
               gradient_noise: float = 0.0, seed: int = 0, tolerance: float = 1e-2,
               grid_points: int = 64, **surface_params) -> RaceTrace:
    """Race ``optimizers`` (instances or ``{"name": ..., **hyperparams}``) for ``n_steps`` steps.

    Raises ``ValueError`` for an empty racer list, a negative ``gradient_noise``,
    an unknown surface or optimiser, or a bad hyper-parameter.
    """
    s = resolve_surface(surface, surface_params)
    racers = [_build(r) for r in (default_racers(s.name) if optimizers is None else optimizers)]
    if not racers:
        raise ValueError("optimizers must hold at least one optimiser")
    n = positive_int("n_steps", n_steps, maximum=100_000)
    sigma = nonneg_float("gradient_noise", gradient_noise)
    tol = positive_float("tolerance", tolerance)
    rng = np.random.default_rng(nonneg_int("seed", seed))
    x0 = start_point(s, start)
    noise = sigma * rng.standard_normal((n, s.dim)) if sigma else np.zeros((n, s.dim))
    gx, gy, gv = surface_grid(s, grid_points)

    R = len(racers)
    pos = np.empty((n + 1, R, s.dim))
    div = np.zeros((n + 1, R), dtype=np.int32)
    for r, opt in enumerate(racers):
        x, state, blown = x0.copy(), opt.init(x0), False
        pos[0, r] = x
        for t in range(n):
            if not blown:
                nxt, state = opt.step(x, s.grad(x) + noise[t], state)
                if not np.abs(nxt).max() <= DIVERGE_RADIUS:      # also catches NaN
                    blown = True
                else:
                    x = nxt
            pos[t + 1, r] = x
            div[t + 1, r] = blown
    loss = s.value(pos)                                              # (F, R)
    dist = np.linalg.norm(pos - s.minimum, axis=-1)                  # (F, R)
    close = (dist < tol) & (div == 0)
    conv = np.maximum.accumulate(close.astype(np.int32), axis=0)
    first = np.where(conv.any(axis=0), conv.argmax(axis=0), -1).astype(np.int32)
    return RaceTrace(grid_x=gx, grid_y=gy, grid_value=gv, position=pos, loss=loss, distance=dist,
                     converged=conv, diverged=div, steps_to_converge=first,
                     names=tuple(o.name for o in racers), surface=s.name)
