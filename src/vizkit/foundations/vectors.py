r"""Vectors, dot product, cosine similarity and projection (P0.3).

.. math::

    a \cdot b = \sum_i a_i b_i = \lVert a\rVert\,\lVert b\rVert \cos\theta, \qquad
    \cos\theta = \frac{a \cdot b}{\lVert a\rVert\,\lVert b\rVert}, \qquad
    \operatorname{proj}_b a = \frac{a \cdot b}{b \cdot b}\, b

The projection is the point on the line through :math:`b` closest to
:math:`a`: what is left, :math:`a - \operatorname{proj}_b a`, is orthogonal to
:math:`b`.

>>> cosine_similarity([1.0, 0.0], [1.0, 1.0]).round(4)
np.float64(0.7071)
>>> projection([2.0, 2.0], onto=[1.0, 0.0]).tolist()
[2.0, 0.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import positive_float, positive_int
from vizkit.foundations._checks import vector
from vizkit.foundations._trace import Trace

__all__ = ["dot", "cosine_similarity", "angle_deg", "projection", "RotationTrace", "rotation_trace"]


def _pair(a, b, b_name: str = "b") -> tuple[np.ndarray, np.ndarray]:
    a = vector("a", a)
    return a, vector(b_name, b, length=a.shape[0])


def _nonzero(name: str, v: np.ndarray) -> float:
    n = float(np.linalg.norm(v))
    if n == 0.0:
        raise ValueError(f"{name} must be a non-zero vector (its direction is undefined)")
    return n


def dot(a, b) -> np.float64:
    r""":math:`a \cdot b = \sum_i a_i b_i`.

    >>> dot([1, 2, 3], [4, 5, 6])
    np.float64(32.0)
    """
    a, b = _pair(a, b)
    return np.float64(np.sum(a * b))


def cosine_similarity(a, b) -> np.float64:
    r""":math:`\cos\theta = a\cdot b / (\lVert a\rVert\lVert b\rVert)`, in :math:`[-1, 1]`.

    Raises ``ValueError`` if either vector is zero.
    """
    a, b = _pair(a, b)
    c = np.sum(a * b) / (_nonzero("a", a) * _nonzero("b", b))
    return np.float64(np.clip(c, -1.0, 1.0))


def angle_deg(a, b) -> np.float64:
    """The angle between ``a`` and ``b`` in degrees, in ``[0, 180]``.

    >>> angle_deg([1, 0], [0, 3])
    np.float64(90.0)
    """
    return np.float64(np.degrees(np.arccos(cosine_similarity(a, b))))


def projection(a, onto) -> np.ndarray:
    r""":math:`\operatorname{proj}_b a = (a\cdot b / b\cdot b)\,b` with ``b = onto``.

    Raises ``ValueError`` if ``onto`` is zero.
    """
    a, b = _pair(a, onto, "onto")
    _nonzero("onto", b)
    return (np.sum(a * b) / np.sum(b * b)) * b


@dataclass(frozen=True)
class RotationTrace(Trace):
    """One frame per direction of ``b`` as it turns once around the origin (2-D)."""

    STATIC = ("a",)
    a: np.ndarray           # (2,) the fixed arrow
    b: np.ndarray           # (F, 2) the turning arrow
    angle_deg: np.ndarray   # (F,) angle between a and b, in [0, 180]
    dot: np.ndarray         # (F,) a·b
    cosine: np.ndarray      # (F,) cos θ
    projection: np.ndarray  # (F, 2) proj_b a, the foot of the perpendicular from a's tip


def rotation_trace(a=(2.0, 1.0), b_length: float = 1.5, n_frames: int = 72) -> RotationTrace:
    r"""Turn ``b`` (length ``b_length``) once around the origin while ``a`` stays put.

    The dot product traces :math:`\lVert a\rVert\,\lVert b\rVert\cos\theta`:
    positive while the arrows agree, zero at right angles, negative when they oppose.

    >>> t = rotation_trace([1.0, 0.0], 1.0, n_frames=4)
    >>> t.dot.round(6).tolist()
    [1.0, 0.0, -1.0, -0.0]
    """
    a = vector("a", a, length=2)
    _nonzero("a", a)
    length = positive_float("b_length", b_length)
    n = positive_int("n_frames", n_frames, maximum=100_000)
    phi = np.arctan2(a[1], a[0]) + np.linspace(0.0, 2.0 * np.pi, n, endpoint=False)
    b = length * np.stack([np.cos(phi), np.sin(phi)], axis=1)         # (F, 2)
    d = b @ a                                                          # (F,)
    cos = np.clip(d / (np.linalg.norm(a) * length), -1.0, 1.0)
    proj = (d / length**2)[:, None] * b
    return RotationTrace(a=a, b=b, angle_deg=np.degrees(np.arccos(cos)), dot=d, cosine=cos,
                         projection=proj)
