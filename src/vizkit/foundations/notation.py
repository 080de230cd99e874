r"""Notation palette (P0.1): what Σ, subscripts, ᵀ and norms compute.

A sum :math:`\sum_{i=1}^{n} w_i x_i` is a loop that adds one term per index;
:func:`sum_trace` records that loop one term per frame, so the reader sees
the subscript :math:`i` walk and the running total grow. With ``weights`` it
is the dot product :math:`w^\top x`.

A norm measures a vector's size:

.. math::

    \lVert x\rVert_p = \Bigl(\sum_i |x_i|^p\Bigr)^{1/p}, \qquad
    \lVert x\rVert_\infty = \max_i |x_i|

:func:`unit_ball_trace` draws the set :math:`\lVert x\rVert_p = 1` in 2-D as
:math:`p` morphs (a diamond at 1, a circle at 2, a square at ∞).

>>> t = sum_trace([3.0, 1.0, 2.0])
>>> t.partial_sum.tolist()
[3.0, 4.0, 6.0]
>>> round(lp_norm([3.0, 4.0], 2), 6)
5.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from vizkit._validate import positive_int
from vizkit.foundations._checks import vector
from vizkit.foundations._trace import Trace

__all__ = ["SumTrace", "sum_trace", "lp_norm", "NotationValues", "evaluate_notation",
           "TOUR_STAGES", "NotationTour", "notation_tour",
           "UnitBallTrace", "unit_ball_trace"]


@dataclass(frozen=True)
class SumTrace(Trace):
    """One frame per term of :math:`\\sum_i w_i x_i` (arrays of length ``n``)."""

    index: np.ndarray        # i, counting from 1 as the printed formula does (int32)
    value: np.ndarray        # x_i
    weight: np.ndarray       # w_i (all 1 for a plain sum)
    term: np.ndarray         # w_i * x_i
    partial_sum: np.ndarray  # sum of the terms up to and including i


def sum_trace(values=(3.0, 1.0, 4.0, 1.0, 5.0), weights=None) -> SumTrace:
    r"""Evaluate :math:`\sum_{i=1}^n w_i x_i` one term per frame (``weights=None``: all :math:`w_i = 1`).

    Raises ``ValueError`` if ``values`` is empty or ``weights`` has another length.

    >>> sum_trace([1, 2, 3], weights=[4, 5, 6]).partial_sum[-1]  # w·x
    np.float64(32.0)
    """
    x = vector("values", values)
    w = np.ones_like(x) if weights is None else vector("weights", weights, length=x.shape[0])
    term = w * x
    return SumTrace(index=np.arange(1, x.shape[0] + 1, dtype=np.int32), value=x, weight=w,
                    term=term, partial_sum=np.cumsum(term))


def _check_p(p: object, name: str = "p") -> float:
    if isinstance(p, bool) or not isinstance(p, (int, float, np.floating, np.integer)) \
            or math.isnan(p) or p < 1:
        raise ValueError(f"{name} must be a number >= 1 (or math.inf); got {p!r}")
    return float(p)


def lp_norm(x, p: float = 2.0) -> float:
    r""":math:`\lVert x\rVert_p = (\sum_i |x_i|^p)^{1/p}`, or :math:`\max_i |x_i|` for ``p = inf``.

    >>> lp_norm([1.0, -2.0, 2.0], 1), lp_norm([1.0, -2.0, 2.0], math.inf)
    (5.0, 2.0)
    """
    a = np.abs(vector("x", x))
    p = _check_p(p)
    if math.isinf(p):
        return float(a.max())
    top = a.max()
    if top == 0:
        return 0.0
    return float(top * np.sum((a / top) ** p) ** (1.0 / p))  # scaled: no overflow for large p


@dataclass(frozen=True)
class NotationValues:
    """Every symbol of the P0.1 palette evaluated on one pair of operands."""

    total: float         # Σ_i x_i
    mean: float          # (1/n) Σ_i x_i
    dot: float           # wᵀx = Σ_i w_i x_i
    l1: float            # ‖x‖₁
    l2: float            # ‖x‖₂
    linf: float          # ‖x‖_∞
    argmax: int          # argmax_i x_i, counting from 1
    max: float           # max_i x_i


def evaluate_notation(x, w) -> NotationValues:
    r"""Evaluate :math:`\sum x_i`, :math:`\bar x`, :math:`w^\top x` and the norms of ``x``.

    >>> v = evaluate_notation([1.0, 2.0, 2.0], [1.0, 0.0, -1.0])
    >>> v.total, v.dot, v.l2, v.argmax
    (5.0, -1.0, 3.0, 2)
    """
    x = vector("x", x)
    w = vector("w", w, length=x.shape[0])
    return NotationValues(total=float(x.sum()), mean=float(x.mean()), dot=float(w @ x),
                          l1=lp_norm(x, 1), l2=lp_norm(x, 2), linf=lp_norm(x, math.inf),
                          argmax=int(np.argmax(x)) + 1, max=float(x.max()))


@dataclass(frozen=True)
class UnitBallTrace(Trace):
    """One frame per exponent ``p``: the 2-D curve :math:`\\lVert x\\rVert_p = 1`."""

    p: np.ndarray       # (F,) the exponent (inf for the max-norm)
    points: np.ndarray  # (F, n_points, 2) the closed curve, counter-clockwise from (1, 0)


def unit_ball_trace(p_values=(1.0, 1.5, 2.0, 3.0, 6.0, math.inf), n_points: int = 128) -> UnitBallTrace:
    r"""The unit circle of each :math:`p`-norm in 2-D.

    Each direction :math:`u = (\cos\theta, \sin\theta)` is scaled to
    :math:`u / \lVert u\rVert_p`, which lies on the curve.

    >>> t = unit_ball_trace([1.0, 2.0], n_points=8)
    >>> bool(np.allclose(np.abs(t.points[0]).sum(axis=1), 1.0))  # |x| + |y| = 1
    True
    """
    try:
        ps = [_check_p(p, "p_values") for p in p_values]
    except TypeError:
        raise ValueError(f"p_values must be a sequence of numbers >= 1; got {p_values!r}") from None
    if not ps:
        raise ValueError("p_values must not be empty")
    n = positive_int("n_points", n_points, maximum=100_000)
    theta = np.linspace(0.0, 2.0 * np.pi, n, endpoint=False)
    u = np.stack([np.cos(theta), np.sin(theta)], axis=1)        # (n, 2)
    a = np.abs(u)
    frames = []
    for p in ps:
        if math.isinf(p):
            size = a.max(axis=1)
        else:
            top = a.max(axis=1, keepdims=True)
            size = top[:, 0] * np.sum((a / top) ** p, axis=1) ** (1.0 / p)
        frames.append(u / size[:, None])
    return UnitBallTrace(p=np.array(ps), points=np.stack(frames))


#: The stages of :func:`notation_tour`, in order; a frame's ``stage`` indexes this tuple.
TOUR_STAGES = ("read", "sum", "norm", "sqrt", "transpose", "partial")


@dataclass(frozen=True)
class NotationTour(Trace):
    r"""One frame per step of reading :math:`w^\top x`, :math:`\lVert x\rVert_2` and :math:`\partial/\partial w_k`.

    Frame arrays (length ``3n + 3`` for vectors of length ``n``):

    * frame 0, stage ``read``: the expression, nothing added yet;
    * frames 1..n, stage ``sum``: term :math:`w_i x_i` and the running total of :math:`\sum_i w_i x_i`;
    * frames n+1..2n, stage ``norm``: term :math:`x_i^2` and the running sum of squares;
    * frame 2n+1, stage ``sqrt``: :math:`\lVert x\rVert_2`, the square root of that sum;
    * frame 2n+2, stage ``transpose``: :math:`w^\top x`, the row :math:`w^\top` times the column :math:`x`;
    * frames 2n+3..3n+2, stage ``partial``: :math:`\partial (w^\top x)/\partial w_k` by central differences.
    """

    STATIC = ("x", "w")

    stage: np.ndarray    # index into TOUR_STAGES (int32)
    index: np.ndarray    # i or k, counting from 1; 0 where no entry is singled out (int32)
    term: np.ndarray     # the quantity this frame adds or measures
    running: np.ndarray  # the running total after this frame (the result on single-frame stages)
    x: np.ndarray        # the operand x (static)
    w: np.ndarray        # the operand w (static)
    dot: float = 0.0     # wᵀx
    l2: float = 0.0      # ‖x‖₂


def notation_tour(x=(3.0, 1.0, 4.0, 1.0, 5.0), w=(0.5, -1.0, 0.25, 2.0, 0.1), h: float = 1e-3) -> NotationTour:
    r"""Step through :math:`\sum_i w_i x_i`, :math:`\lVert x\rVert_2`, :math:`w^\top x` and its partials.

    The partial derivatives are measured, not assumed: each is the central
    difference :math:`(f(w + h e_k) - f(w - h e_k)) / 2h` of :math:`f(w) = w^\top x`,
    which for this linear :math:`f` equals :math:`x_k` up to rounding.

    Raises ``ValueError`` if ``x`` is empty, ``w`` has another length, or ``h`` is not > 0.

    >>> t = notation_tour([3.0, 4.0], [1.0, 2.0])
    >>> len(t), t.running[[2, 5]].tolist(), round(float(t.term[-1]), 6)
    (9, [11.0, 5.0], 4.0)
    """
    xv = vector("x", x)
    wv = vector("w", w, length=xv.shape[0])
    if isinstance(h, bool) or not isinstance(h, (int, float, np.floating, np.integer)) \
            or not math.isfinite(h) or h <= 0:
        raise ValueError(f"h must be a finite number > 0; got {h!r}")
    n = xv.shape[0]
    dot_t = sum_trace(xv, wv)
    sq_t = sum_trace(xv, xv)
    dot = float(dot_t.partial_sum[-1])
    l2 = lp_norm(xv, 2)
    partials = []
    for k in range(n):
        e = np.zeros(n)
        e[k] = h
        partials.append((float((wv + e) @ xv) - float((wv - e) @ xv)) / (2.0 * h))
    stage = [0] + [1] * n + [2] * n + [3, 4] + [5] * n
    index = [0] + list(range(1, n + 1)) * 2 + [0, 0] + list(range(1, n + 1))
    term = [0.0, *dot_t.term, *sq_t.term, l2, dot, *partials]
    running = [0.0, *dot_t.partial_sum, *sq_t.partial_sum, l2, dot, *partials]
    return NotationTour(stage=np.array(stage, dtype=np.int32), index=np.array(index, dtype=np.int32),
                        term=np.array(term), running=np.array(running), x=xv, w=wv, dot=dot, l2=l2)
