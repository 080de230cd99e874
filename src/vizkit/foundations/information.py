r"""Entropy, cross-entropy and KL divergence (P0.6).

For distributions :math:`p, q` over the same :math:`V` outcomes:

.. math::

    H(p) = -\sum_i p_i \log p_i, \qquad
    H(p, q) = -\sum_i p_i \log q_i, \qquad
    D_\mathrm{KL}(p\,\Vert\,q) = \sum_i p_i \log\frac{p_i}{q_i}

so :math:`H(p, q) = H(p) + D_\mathrm{KL}(p\Vert q)`: the cost of coding
outcomes of :math:`p` with a code built for :math:`q` is the unavoidable
:math:`H(p)` plus a penalty for the mismatch, and the penalty is
:math:`\ge 0` (Gibbs' inequality), zero only when :math:`q = p`.
Terms with :math:`p_i = 0` contribute 0; :math:`p_i > 0` with :math:`q_i = 0`
makes the cross-entropy and KL infinite. ``unit="bits"`` uses
:math:`\log_2`, ``"nats"`` the natural log.

>>> entropy([0.5, 0.5], unit="bits")
1.0
>>> round(cross_entropy([1.0, 0.0, 0.0], [0.25, 0.25, 0.5]), 6)   # -ln 0.25
1.386294
"""

from __future__ import annotations

import math

import numpy as np

from vizkit._validate import one_of
from vizkit.foundations._checks import probability_vector

__all__ = ["entropy", "cross_entropy", "kl_divergence", "UNITS"]

UNITS = {"nats": 1.0, "bits": 1.0 / math.log(2.0)}


def _scale(unit: str) -> float:
    return UNITS[one_of("unit", unit, UNITS)]


def _pq(p, q) -> tuple[np.ndarray, np.ndarray]:
    p = probability_vector("p", p)
    q = probability_vector("q", q)
    if q.shape != p.shape:
        raise ValueError(f"q must have the same length as p ({p.shape[0]}); got {q.shape[0]}")
    return p, q


def entropy(p, unit: str = "nats") -> float:
    r""":math:`H(p) = -\sum_i p_i \log p_i` (0 for a one-hot, :math:`\log V` for uniform)."""
    p = probability_vector("p", p)
    nz = p[p > 0]
    return float(-np.sum(nz * np.log(nz)) * _scale(unit))


def cross_entropy(p, q, unit: str = "nats") -> float:
    r""":math:`H(p, q) = -\sum_i p_i \log q_i`; ``inf`` if :math:`q` rules out an outcome :math:`p` allows."""
    p, q = _pq(p, q)
    s = _scale(unit)
    on = p > 0
    if (q[on] == 0).any():
        return math.inf
    return float(-np.sum(p[on] * np.log(q[on])) * s)


def kl_divergence(p, q, unit: str = "nats") -> float:
    r""":math:`D_\mathrm{KL}(p\Vert q) = \sum_i p_i \log(p_i/q_i) \ge 0`.

    >>> kl_divergence([0.5, 0.5], [0.5, 0.5])
    0.0
    """
    p, q = _pq(p, q)
    on = p > 0
    if (q[on] == 0).any():
        return math.inf
    # clamp round-off: the exact value is >= 0 (Gibbs)
    return max(0.0, float(np.sum(p[on] * (np.log(p[on]) - np.log(q[on]))) * _scale(unit)))
