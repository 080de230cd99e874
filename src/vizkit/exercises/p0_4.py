r"""Exercises of chapter P0.4, "Matrices as transforms; y = Wx + b; GEMV and GEMM".

Each ``check_*`` computes its expected answer with :mod:`vizkit.foundations`
(:func:`~vizkit.foundations.transforms.determinant`,
:func:`~vizkit.foundations.transforms.polygon_area`,
:func:`~vizkit.foundations.gemm.mac_count`) or :mod:`vizkit.catalog` and hands it
to :class:`vizkit.exercises.Answer`.

The break-it exercise uses :func:`buggy_gemm_trace`: :math:`C = AB` computed cell
by cell with one deliberate bug from :data:`BUGS`. Each bug leaves its own
fingerprint on the finished :math:`C`:

============  =============================================  ==========================================
bug           what the kernel does                           what the output shows
============  =============================================  ==========================================
no_reset      the accumulator is not zeroed between cells     values grow along the row-major order
short_loop    the inner loop stops one term early (k − 1)     every cell is off by its last product
============  =============================================  ==========================================

>>> check_det(1.0)  # doctest: +ELLIPSIS
✗ det W: not yet — hint: ...
False
"""

from __future__ import annotations

import numpy as np

from vizkit._validate import one_of
from vizkit.catalog import model as catalog_model
from vizkit.foundations._checks import matrix
from vizkit.foundations.gemm import DEFAULT_A, DEFAULT_B, mac_count
from vizkit.foundations.transforms import determinant, polygon_area, unit_square_image

from . import Answer

__all__ = ["BUGS", "MYSTERIES", "EXERCISE_W", "check_det", "check_square_area", "gemv_macs", "check_gemv_macs",
           "buggy_gemm", "mystery", "check_bug"]

#: The matrix of the compute-it exercises.
EXERCISE_W = ((2.0, 1.0), (1.0, 3.0))

#: The deliberate bugs :func:`buggy_gemm` can plant in a cell-by-cell matrix product.
BUGS = {
    "no_reset": "the running sum is not reset to 0 before each new output cell, so every cell "
                "also holds the sum of all the cells computed before it",
    "short_loop": "the loop over the inner index p runs k − 1 times instead of k, so every cell "
                  "misses its last product A[i, k] · B[k, j]",
}

#: The break-it exercise's suspects: which bug hides behind each mystery product.
MYSTERIES = {"A": "no_reset", "B": "short_loop"}


def check_det(answer: object, W=EXERCISE_W) -> bool:
    """Compute-it: the determinant of ``W`` (2×2)."""
    return Answer("det W", determinant(W), rel_tol=0.01,
                  hint="w11·w22 − w12·w21: the product down the main diagonal minus the other one").check(answer)


def check_square_area(answer: object, W=EXERCISE_W, b=(5.0, -2.0)) -> bool:
    """Predict-then-check: the area of the unit square's image under x ↦ Wx + b."""
    area = abs(polygon_area(unit_square_image(W, b)))
    return Answer("area of the unit square's image", area, rel_tol=0.01,
                  hint="the shift b moves the parallelogram without stretching it; the area is |det W|").check(answer)


def gemv_macs(model_name: str = "llama-2-7b") -> int:
    """MACs of one token's GEMV through one d_model × d_model projection (a query projection)."""
    d = catalog_model(model_name).d_model
    return mac_count(d, 1, d)


def check_gemv_macs(answer: object, model_name: str = "llama-2-7b") -> bool:
    """Compute-it: MACs for one token through one d_model × d_model projection of ``model_name``."""
    return Answer(f"MACs of one {model_name} d_model × d_model GEMV", gemv_macs(model_name), rel_tol=0.001,
                  hint="y = Wx with W of shape d_model × d_model: one MAC per weight, m·n·k with n = 1").check(answer)


def buggy_gemm(bug: str, A=DEFAULT_A, B=DEFAULT_B) -> np.ndarray:
    """:math:`C = AB` computed cell by cell in row-major order with the bug ``bug`` (a key of :data:`BUGS`).

    >>> buggy_gemm("short_loop", [[1.0, 2.0]], [[3.0], [4.0]]).tolist()
    [[3.0]]
    """
    bug = one_of("bug", bug, tuple(BUGS))
    a = matrix("A", A)
    b = matrix("B", B)
    if b.shape[0] != a.shape[1]:
        raise ValueError(f"B must have {a.shape[1]} rows to match A's columns; got shape {b.shape}")
    m, k = a.shape
    n = b.shape[1]
    c = np.zeros((m, n))
    acc = 0.0
    for i in range(m):
        for j in range(n):
            if bug != "no_reset":
                acc = 0.0
            for p in range(k - 1 if bug == "short_loop" else k):
                acc += a[i, p] * b[p, j]
            c[i, j] = acc
    return c


def mystery(name: str) -> np.ndarray:
    """The product behind mystery ``name`` ("A" or "B") on the default A and B."""
    return buggy_gemm(MYSTERIES[one_of("name", name, tuple(MYSTERIES))])


def check_bug(name: str, answer: object) -> bool:
    """Break-it: which bug of :data:`BUGS` produced mystery product ``name``."""
    name = one_of("name", name, tuple(MYSTERIES))
    return Answer(f"bug behind mystery {name}", MYSTERIES[name], choices=tuple(BUGS),
                  hint="compare with the correct C cell by cell: does the error grow along the rows, "
                       "or is every cell short by one product?").check(answer)
