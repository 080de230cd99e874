r"""Loss surfaces for the optimisation chapters (P0.5, P0.7).

=============== ===================================================== =====================
name            :math:`f`                                             minimum
=============== ===================================================== =====================
``quadratic``   :math:`\tfrac12 L x^2` (1-D, curvature :math:`L`)     :math:`x = 0`
``double_well`` :math:`\tfrac14 x^4 - \tfrac12 x^2 + c\,x` (1-D)      two wells, global one left for c > 0
``bowl``        :math:`\tfrac12 L (x^2 + y^2)`                        origin
``ravine``      :math:`\tfrac12 (L_x x^2 + L_y y^2)`, :math:`L_y \gg L_x` origin
``rosenbrock``  :math:`(a - x)^2 + b\,(y - x^2)^2`                    :math:`(a, a^2)`
=============== ===================================================== =====================

Every surface gives ``value``, ``grad`` and ``hessian`` in closed form and
accepts a batch of points (shape ``(..., dim)``), so a contour grid is one call.
For a quadratic, gradient descent with step :math:`\eta` multiplies the
distance to the minimum along each eigen-direction by :math:`1 - \eta\lambda`,
so it converges exactly when :math:`\eta < 2/\lambda_{\max}`
(:func:`critical_learning_rate`).

>>> s = make_surface("rosenbrock")
>>> float(s.value(np.array([1.0, 1.0]))), bool((s.grad(np.array([1.0, 1.0])) == 0).all())
(0.0, True)
>>> critical_learning_rate(make_surface("quadratic", curvature=4.0))
0.5
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from vizkit._validate import one_of, positive_float, positive_int
from vizkit.foundations._checks import array

__all__ = ["Surface", "Quadratic", "DoubleWell", "Quadratic2D", "Rosenbrock", "SURFACES",
           "make_surface", "critical_learning_rate", "surface_grid"]


class Surface:
    """Interface: ``dim``, ``value``, ``grad``, ``hessian``, ``minimum``, ``start``, ``plot_range``."""

    dim: ClassVar[int]
    name: ClassVar[str]

    def value(self, x: np.ndarray) -> np.ndarray: ...
    def grad(self, x: np.ndarray) -> np.ndarray: ...
    def hessian(self, x: np.ndarray) -> np.ndarray: ...

    @property
    def minimum(self) -> np.ndarray: ...
    @property
    def start(self) -> np.ndarray: ...
    @property
    def plot_range(self) -> tuple[tuple[float, float], ...]: ...


@dataclass(frozen=True)
class Quadratic(Surface):
    """:math:`f(x) = \\tfrac12 L x^2`: the one curve whose step-size limit is exact."""

    name: ClassVar[str] = "quadratic"
    dim: ClassVar[int] = 1
    curvature: float = 1.0   # L = f''(x)

    def __post_init__(self):
        positive_float("curvature", self.curvature)

    def value(self, x):
        return 0.5 * self.curvature * x[..., 0] ** 2

    def grad(self, x):
        return self.curvature * x

    def hessian(self, x):
        return np.full(x.shape[:-1] + (1, 1), self.curvature)

    minimum = property(lambda self: np.zeros(1))
    start = property(lambda self: np.array([2.0]))
    plot_range = property(lambda self: ((-3.0, 3.0),))


@dataclass(frozen=True)
class DoubleWell(Surface):
    """:math:`f(x) = \\tfrac14 x^4 - \\tfrac12 x^2 + c\\,x`: a local and a global minimum."""

    name: ClassVar[str] = "double_well"
    dim: ClassVar[int] = 1
    tilt: float = 0.2        # c: tips the wells so the left one is lower

    def __post_init__(self):
        if not -0.3 <= float(array("tilt", self.tilt, ndim=0)) <= 0.3:
            raise ValueError(f"tilt must be a number in [-0.3, 0.3] (keeps two wells); got {self.tilt!r}")

    def value(self, x):
        x = x[..., 0]
        return 0.25 * x**4 - 0.5 * x**2 + self.tilt * x

    def grad(self, x):
        return x**3 - x + self.tilt

    def hessian(self, x):
        return (3.0 * x**2 - 1.0)[..., None]

    @property
    def minimum(self):
        roots = np.roots([1.0, 0.0, -1.0, self.tilt])          # f'(x) = x^3 - x + c = 0
        real = roots[np.abs(roots.imag) < 1e-9].real
        wells = real[3.0 * real**2 - 1.0 > 0]
        return np.array([wells[np.argmin(self.value(wells[:, None]))]])

    start = property(lambda self: np.array([1.8]))
    plot_range = property(lambda self: ((-2.0, 2.0),))


@dataclass(frozen=True)
class Quadratic2D(Surface):
    """:math:`f(x, y) = \\tfrac12 (L_x x^2 + L_y y^2)`; a *ravine* when :math:`L_y \\gg L_x`."""

    dim: ClassVar[int] = 2
    curvature_x: float = 1.0
    curvature_y: float = 1.0
    name: str = "bowl"       # "bowl" or "ravine": the name the surface was built under

    def __post_init__(self):
        positive_float("curvature_x", self.curvature_x)
        positive_float("curvature_y", self.curvature_y)

    @property
    def _diag(self):
        return np.array([self.curvature_x, self.curvature_y])

    def value(self, x):
        return 0.5 * np.sum(self._diag * x**2, axis=-1)

    def grad(self, x):
        return self._diag * x

    def hessian(self, x):
        return np.broadcast_to(np.diag(self._diag), x.shape[:-1] + (2, 2)).copy()

    minimum = property(lambda self: np.zeros(2))
    start = property(lambda self: np.array([-2.5, 1.0]))
    plot_range = property(lambda self: ((-3.0, 3.0), (-1.5, 1.5)))


@dataclass(frozen=True)
class Rosenbrock(Surface):
    """:math:`f(x, y) = (a - x)^2 + b\\,(y - x^2)^2`: a curved, flat-bottomed valley."""

    name: ClassVar[str] = "rosenbrock"
    dim: ClassVar[int] = 2
    a: float = 1.0
    b: float = 100.0

    def __post_init__(self):
        array("a", self.a, ndim=0)
        positive_float("b", self.b)

    def value(self, p):
        x, y = p[..., 0], p[..., 1]
        return (self.a - x) ** 2 + self.b * (y - x**2) ** 2

    def grad(self, p):
        x, y = p[..., 0], p[..., 1]
        r = y - x**2
        return np.stack([-2.0 * (self.a - x) - 4.0 * self.b * x * r, 2.0 * self.b * r], axis=-1)

    def hessian(self, p):
        x, y = p[..., 0], p[..., 1]
        hxx = 2.0 - 4.0 * self.b * (y - 3.0 * x**2)
        hxy = -4.0 * self.b * x
        hyy = np.full_like(x, 2.0 * self.b)
        return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)

    minimum = property(lambda self: np.array([self.a, self.a**2]))
    start = property(lambda self: np.array([-1.5, 2.0]))
    plot_range = property(lambda self: ((-2.0, 2.0), (-1.0, 3.0)))


#: Named surfaces and how each maps onto a class.
SURFACES = ("quadratic", "double_well", "bowl", "ravine", "rosenbrock")


def make_surface(name: str, **params) -> Surface:
    """Build a named surface. ``bowl(curvature)``; ``ravine(curvature_x=1, curvature_y=20)``.

    >>> make_surface("ravine").hessian(np.zeros(2)).tolist()
    [[1.0, 0.0], [0.0, 20.0]]
    """
    name = one_of("surface", name, SURFACES)
    try:
        if name == "quadratic":
            return Quadratic(**params)
        if name == "double_well":
            return DoubleWell(**params)
        if name == "bowl":
            c = params.pop("curvature", 1.0)
            return Quadratic2D(c, c, **params, name="bowl")
        if name == "ravine":
            return Quadratic2D(**{"curvature_x": 1.0, "curvature_y": 20.0, **params}, name="ravine")
        return Rosenbrock(**params)
    except TypeError as exc:  # an unknown keyword
        raise ValueError(f"params do not fit surface {name!r}: {exc}") from None


def critical_learning_rate(surface: Surface) -> float:
    r""":math:`2/\lambda_{\max}` of the Hessian at the minimum: above it, gradient descent cannot settle.

    >>> round(critical_learning_rate(make_surface("rosenbrock")), 6)  # λ_max ≈ 1001.6
    0.001997
    """
    lam = np.linalg.eigvalsh(np.atleast_2d(surface.hessian(surface.minimum)))
    return float(2.0 / lam.max())


def surface_grid(surface: Surface, n_points: int = 64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(xs, ys, values)`` over ``surface.plot_range`` for drawing: a curve in 1-D
    (``ys`` empty, ``values`` of shape ``(n,)``), a contour grid in 2-D (``values[i, j] = f(xs[j], ys[i])``)."""
    n = positive_int("grid_points", n_points, maximum=1024)
    if n < 2:
        raise ValueError(f"grid_points must be an integer >= 2; got {n}")
    xs = np.linspace(*surface.plot_range[0], n)
    if surface.dim == 1:
        return xs, np.zeros(0), surface.value(xs[:, None])
    ys = np.linspace(*surface.plot_range[1], n)
    pts = np.stack(np.meshgrid(xs, ys), axis=-1)          # (n, n, 2), pts[i, j] = (xs[j], ys[i])
    return xs, ys, surface.value(pts)
