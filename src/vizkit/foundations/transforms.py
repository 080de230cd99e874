r"""Matrices as transforms: :math:`y = Wx + b` (P0.4).

A 2×2 matrix :math:`W` sends the basis arrows :math:`e_1, e_2` to its
columns, and so every grid line to a (possibly sheared, scaled, flipped) line.
The unit square goes to the parallelogram spanned by the columns, whose signed
area is the determinant

.. math::

    \det W = w_{11} w_{22} - w_{12} w_{21}

(negative when the transform flips orientation, zero when it squashes the
plane onto a line). Adding :math:`b` then shifts everything without changing
any area.

:func:`affine_trace` animates the identity morphing into :math:`W`
(:math:`M(t) = (1-t)I + tW`), then the shift :math:`t\,b`.

>>> determinant([[2.0, 0.0], [0.0, 3.0]])
6.0
>>> affine([[0.0, -1.0], [1.0, 0.0]], [1.0, 0.0], b=[0.0, 0.5]).tolist()   # rotate 90°, shift
[0.0, 1.5]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import positive_int
from vizkit.foundations._checks import matrix, vector
from vizkit.foundations._trace import Trace

__all__ = ["affine", "determinant", "unit_square_image", "polygon_area", "AffineTrace", "affine_trace"]

UNIT_SQUARE = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])  # counter-clockwise
UNIT_SQUARE.setflags(write=False)


def affine(W, x, b=None) -> np.ndarray:
    """:math:`y = Wx + b` for a matrix ``W`` (m×n), vector ``x`` (n) and optional ``b`` (m).

    Raises ``ValueError`` if the shapes do not match.
    """
    W = matrix("W", W)
    x = vector("x", x, length=W.shape[1])
    y = W @ x
    if b is not None:
        y = y + vector("b", b, length=W.shape[0])
    return y


def determinant(W) -> float:
    r"""The determinant of a 2×2 matrix, :math:`w_{11} w_{22} - w_{12} w_{21}`.

    >>> determinant([[1.0, 2.0], [2.0, 4.0]])   # columns on one line: area 0
    0.0
    """
    W = matrix("W", W, shape=(2, 2))
    return float(W[0, 0] * W[1, 1] - W[0, 1] * W[1, 0])


def unit_square_image(W, b=None) -> np.ndarray:
    """The 4 corners (4×2) of the unit square after :math:`x \\mapsto Wx + b`, in order."""
    W = matrix("W", W, shape=(2, 2))
    shift = np.zeros(2) if b is None else vector("b", b, length=2)
    return UNIT_SQUARE @ W.T + shift


def polygon_area(points) -> float:
    r"""Signed area of a simple polygon by the shoelace formula
    :math:`\tfrac12\sum_i (x_i y_{i+1} - x_{i+1} y_i)` (positive if counter-clockwise).

    >>> polygon_area([[0, 0], [2, 0], [2, 1], [0, 1]])
    2.0
    """
    p = matrix("points", points, shape=(None, 2))
    if p.shape[0] < 3:
        raise ValueError(f"points must hold at least 3 corners; got {p.shape[0]}")
    x, y = p[:, 0], p[:, 1]
    return float(0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


@dataclass(frozen=True)
class AffineTrace(Trace):
    """Frames ``0..n_morph`` morph I into W, then ``n_shift`` frames slide by b."""

    STATIC = ("grid_start",)
    grid_start: np.ndarray  # (n_lines, n_samples, 2) the untransformed grid, one polyline per row
    matrix: np.ndarray      # (F, 2, 2) M(t) applied at this frame
    shift: np.ndarray       # (F, 2) the shift applied at this frame
    det: np.ndarray         # (F,) det M(t): the area scale of the unit square
    basis: np.ndarray       # (F, 2, 2) images of e1 and e2 (rows), before the shift
    square: np.ndarray      # (F, 4, 2) the unit square's image, shift included
    grid: np.ndarray        # (F, n_lines, n_samples, 2) every grid line's image, shift included


def affine_trace(W=((1.0, 0.5), (0.0, 1.2)), b=(0.5, -0.25), *, n_morph: int = 30, n_shift: int = 15,
                 grid_half_width: int = 3, samples_per_line: int = 2) -> AffineTrace:
    r"""The plane's grid warping from the identity into ``W``, then shifted by ``b``.

    The grid has lines at the integers in ``[-grid_half_width, grid_half_width]``,
    both vertical and horizontal; a linear map keeps lines straight, so two samples
    per line suffice.

    >>> t = affine_trace([[2.0, 0.0], [0.0, 1.0]], [0.0, 0.0], n_morph=2, n_shift=1)
    >>> t.det.tolist()
    [1.0, 1.5, 2.0, 2.0]
    """
    W = matrix("W", W, shape=(2, 2))
    b = vector("b", b, length=2)
    n_morph = positive_int("n_morph", n_morph, maximum=10_000)
    n_shift = positive_int("n_shift", n_shift, maximum=10_000)
    h = positive_int("grid_half_width", grid_half_width, maximum=50)
    s = positive_int("samples_per_line", samples_per_line, maximum=1000)
    if s < 2:
        raise ValueError(f"samples_per_line must be an integer >= 2; got {s}")
    ticks = np.arange(-h, h + 1, dtype=np.float64)
    run = np.linspace(-h, h, s)
    vertical = np.stack([np.broadcast_to(ticks[:, None], (ticks.size, s)),
                         np.broadcast_to(run, (ticks.size, s))], axis=-1)
    grid0 = np.concatenate([vertical, vertical[..., ::-1]])            # (n_lines, s, 2)

    t_morph = np.linspace(0.0, 1.0, n_morph + 1)
    t_shift = np.linspace(0.0, 1.0, n_shift + 1)[1:]
    mats = (1.0 - t_morph)[:, None, None] * np.eye(2) + t_morph[:, None, None] * W
    mats = np.concatenate([mats, np.broadcast_to(W, (n_shift, 2, 2))])  # (F, 2, 2)
    shifts = np.concatenate([np.zeros((n_morph + 1, 2)), t_shift[:, None] * b])
    dets = mats[:, 0, 0] * mats[:, 1, 1] - mats[:, 0, 1] * mats[:, 1, 0]
    basis = np.transpose(mats, (0, 2, 1))                                # row j = M e_j
    square = np.einsum("pc,frc->fpr", UNIT_SQUARE, mats) + shifts[:, None, :]
    grid = np.einsum("lsc,frc->flsr", grid0, mats) + shifts[:, None, None, :]
    return AffineTrace(grid_start=grid0, matrix=mats, shift=shifts, det=dets, basis=basis,
                       square=square, grid=grid)
