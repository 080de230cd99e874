r"""GEMV and GEMM: a matrix product is a grid of dot products (P0.4).

For :math:`A \in \mathbb{R}^{m\times k}` and :math:`B \in \mathbb{R}^{k\times n}`,

.. math::

    C_{ij} = \sum_{p=1}^{k} A_{ip} B_{pj}

Each output cell is one dot product of length :math:`k`: :math:`k`
multiply–accumulates (MACs). So :math:`C = AB` costs :math:`m\,n\,k` MACs,
or :math:`2mnk` FLOPs (a MAC is a multiply and an add). GEMV is the case
:math:`n = 1` (a matrix times one vector): :math:`m k` MACs for :math:`m k`
weights read, one MAC per weight, which is why it ends up bound by memory
rather than by arithmetic.

:func:`gemm_trace` fills :math:`C` one cell per frame in row-major order,
keeping the :math:`k` products that make up each cell.

>>> mac_count(4, 5, 3), flop_count(4, 5, 3)
(60, 120)
>>> t = gemm_trace([[1.0, 2.0]], [[3.0], [4.0]])   # 1×2 @ 2×1: one cell, 1·3 + 2·4
>>> t.value.tolist(), t.macs_done.tolist()
([11.0], [2])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import positive_int
from vizkit.foundations._checks import matrix, vector
from vizkit.foundations._trace import Trace

__all__ = ["mac_count", "flop_count", "GemmTrace", "gemm_trace", "gemv_trace"]

#: Largest number of output cells (frames) a trace may hold.
MAX_CELLS = 65_536
#: Largest number of MACs a trace may record (one float per MAC).
MAX_MACS = 1 << 24


def mac_count(m: int, n: int, k: int) -> int:
    """Multiply–accumulates of an (m×k) @ (k×n) product: :math:`m\\,n\\,k`."""
    return positive_int("m", m) * positive_int("n", n) * positive_int("k", k)


def flop_count(m: int, n: int, k: int) -> int:
    """FLOPs of an (m×k) @ (k×n) product: :math:`2mnk` (each MAC is a multiply and an add)."""
    return 2 * mac_count(m, n, k)


@dataclass(frozen=True)
class GemmTrace(Trace):
    """One frame per output cell, in the order the cells are computed."""

    STATIC = ("a", "b", "c")
    a: np.ndarray          # (m, k) left operand
    b: np.ndarray          # (k, n) right operand
    c: np.ndarray          # (m, n) the finished product
    row: np.ndarray        # (F,) int32: i of the cell computed at this frame
    col: np.ndarray        # (F,) int32: j of the cell
    products: np.ndarray   # (F, k) A[i, p] * B[p, j] for p = 1..k: the MACs of this cell
    value: np.ndarray      # (F,) C[i, j] = sum of products
    macs_done: np.ndarray  # (F,) int32: MACs performed up to and including this frame

    @property
    def m(self) -> int:
        return int(self.a.shape[0])

    @property
    def n(self) -> int:
        return int(self.b.shape[1])

    @property
    def k(self) -> int:
        return int(self.a.shape[1])


#: The default scenario: a 4×3 @ 3×5 product of small integers, easy to check by eye.
DEFAULT_A = ((1.0, 2.0, 0.0), (0.0, 1.0, 3.0), (2.0, -1.0, 1.0), (1.0, 1.0, 1.0))
DEFAULT_B = ((1.0, 0.0, 2.0, -1.0, 1.0), (0.0, 1.0, 1.0, 2.0, -1.0), (3.0, 1.0, 0.0, 1.0, 2.0))


def gemm_trace(A=DEFAULT_A, B=DEFAULT_B) -> GemmTrace:
    r"""Compute :math:`C = AB` cell by cell, each cell as an explicit sum of :math:`k` products.

    Raises ``ValueError`` if the inner dimensions differ, ``m·n`` exceeds 65,536 cells
    or ``m·n·k`` exceeds 16,777,216 MACs.

    >>> t = gemm_trace(np.ones((4, 3)), np.ones((3, 5)))
    >>> len(t), int(t.macs_done[-1]) == mac_count(4, 5, 3)
    (20, True)
    """
    a = matrix("A", A)
    b = matrix("B", B)
    if b.shape[0] != a.shape[1]:
        raise ValueError(f"B must have {a.shape[1]} rows to match A's {a.shape[1]} columns "
                         f"(inner dimension k); got shape {b.shape}")
    m, k = a.shape
    n = b.shape[1]
    if m * n > MAX_CELLS:
        raise ValueError(f"A and B must give at most {MAX_CELLS:,} output cells (m·n); got {m}·{n} = {m * n:,}")
    if m * n * k > MAX_MACS:
        raise ValueError(f"A and B must need at most {MAX_MACS:,} MACs (m·n·k); got {m * n * k:,}")
    rows = np.repeat(np.arange(m), n)                 # (F,) row-major: i outer, j inner
    cols = np.tile(np.arange(n), m)                   # (F,)
    products = a[rows, :] * b[:, cols].T               # (F, k): one dot product's terms per row
    value = products.sum(axis=1)
    c = value.reshape(m, n)
    macs = np.arange(1, m * n + 1, dtype=np.int64) * k
    return GemmTrace(a=a, b=b, c=c, row=rows.astype(np.int32), col=cols.astype(np.int32),
                     products=products, value=value, macs_done=macs.astype(np.int32))


def gemv_trace(W=DEFAULT_A, x=(1.0, -1.0, 2.0)) -> GemmTrace:
    r"""Matrix–vector product :math:`y = Wx` as a GEMM with :math:`n = 1` (one frame per output).

    >>> gemv_trace([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]], [3.0, 4.0]).value.tolist()
    [3.0, 8.0, 7.0]
    """
    W = matrix("W", W)
    x = vector("x", x, length=W.shape[1])
    return gemm_trace(W, x[:, None])
