r"""Speculative decoding: a cheap draft guesses ``k`` tokens, the target checks them in one pass.

Each pass the draft model proposes :math:`k` tokens; the target scores all of them
(and one more position) in a single forward pass and keeps the longest accepted
prefix, plus one token of its own: the correction at the first rejection, or a bonus
token if all :math:`k` pass. If each draft token is accepted independently with
probability :math:`\alpha` (Leviathan et al. 2023, §3), the tokens one pass yields are

.. math::

    E[\text{tokens}] = \sum_{i=0}^{k} \alpha^i = \frac{1 - \alpha^{k+1}}{1 - \alpha},

and with a draft step costing :math:`c` target steps, the wall-time speedup over plain
decoding is :math:`E / (k c + 1)` (their Theorem 3.8, assuming the target's pass over
:math:`k + 1` tokens takes as long as over one, true while decode is memory bound).

:math:`\alpha` itself is :math:`\sum_x \min(p(x), q(x)) = 1 - \mathrm{TV}(p, q)` for
target distribution :math:`p` and draft :math:`q`; the accept/resample rule
(:func:`rejection_sample`) makes every emitted token an exact draw from :math:`p`.

>>> round(expected_tokens_per_pass(0.8, 4), 4)
3.3616
>>> round(speedup(0.8, 4, cost_ratio=0.05), 2)
2.8
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import nonneg_float, nonneg_int, positive_int, probability

from ._record import Record

__all__ = ["expected_tokens_per_pass", "speedup", "optimal_k", "SpecTrace", "simulate_spec",
           "acceptance_rate", "rejection_sample", "speedup_from_costs"]


def expected_tokens_per_pass(alpha: float, k: int) -> float:
    r""":math:`(1 - \alpha^{k+1}) / (1 - \alpha)`, or :math:`k + 1` at :math:`\alpha = 1`."""
    a = probability("alpha", alpha)
    n = nonneg_int("k", k, maximum=1024)
    return float(n + 1) if a == 1.0 else (1.0 - a ** (n + 1)) / (1.0 - a)


def speedup(alpha: float, k: int, cost_ratio: float) -> float:
    """Tokens per unit of time relative to plain decoding: ``E / (k * cost_ratio + 1)``."""
    c = nonneg_float("cost_ratio", cost_ratio)
    return expected_tokens_per_pass(alpha, k) / (k * c + 1.0)


def optimal_k(alpha: float, cost_ratio: float, k_max: int = 32) -> int:
    """The draft length in ``0..k_max`` with the largest :func:`speedup`."""
    km = positive_int("k_max", k_max, maximum=1024)
    return int(np.argmax([speedup(alpha, k, cost_ratio) for k in range(km + 1)]))


def speedup_from_costs(alpha: float, k: int, draft_step_s: float, target_step_s: float,
                       verify_step_s: float | None = None) -> float:
    """Speedup with measured step times: ``E * t_target / (k * t_draft + t_verify)``.

    ``verify_step_s`` is the target's pass over ``k + 1`` tokens (default: one step).
    """
    td = nonneg_float("draft_step_s", draft_step_s)
    tt = nonneg_float("target_step_s", target_step_s)
    if tt == 0:
        raise ValueError("target_step_s must be a finite number > 0; got 0")
    tv = tt if verify_step_s is None else nonneg_float("verify_step_s", verify_step_s)
    return expected_tokens_per_pass(alpha, k) * tt / (k * td + tv)


@dataclass(frozen=True)
class SpecTrace(Record):
    """``n_passes`` sampled passes: which draft tokens the target accepted."""

    accepted: np.ndarray        # (n_passes, k) bool: draft token i of the pass accepted
    n_accepted: np.ndarray      # (n_passes,) the accepted prefix length, 0..k
    tokens: np.ndarray          # (n_passes,) tokens the pass yields: n_accepted + 1
    alpha: float
    k: int
    mean_tokens: float
    ci99: tuple[float, float]   # 99% confidence interval of the mean (normal approximation)


def simulate_spec(alpha: float, k: int, n_passes: int = 10_000, seed: int = 0) -> SpecTrace:
    """Sample passes whose draft tokens each pass with probability ``alpha``.

    >>> t = simulate_spec(0.8, 4, n_passes=20_000, seed=0)
    >>> bool(t.ci99[0] <= expected_tokens_per_pass(0.8, 4) <= t.ci99[1])
    True
    """
    a = probability("alpha", alpha)
    n = nonneg_int("k", k, maximum=1024)
    m = positive_int("n_passes", n_passes, maximum=10_000_000)
    rng = np.random.default_rng(nonneg_int("seed", seed))
    flips = rng.random((m, n)) < a                       # (n_passes, k)
    # the accepted prefix ends at the first rejection
    n_acc = np.where(flips.all(axis=1), n, np.argmin(flips, axis=1)) if n else np.zeros(m, int)
    accepted = np.arange(n)[None, :] < n_acc[:, None]
    tokens = n_acc + 1
    mean = float(tokens.mean())
    half = 2.5758293035489 * float(tokens.std(ddof=1)) / np.sqrt(m) if m > 1 else float("inf")
    return SpecTrace(accepted, n_acc.astype(np.int64), tokens.astype(np.int64), a, n, mean,
                     (float(mean - half), float(mean + half)))


def _dist(name: str, p) -> np.ndarray:
    x = np.asarray(p, dtype=float).reshape(-1)
    if x.size == 0 or (x < 0).any() or not np.isfinite(x).all() or abs(x.sum() - 1.0) > 1e-9:
        raise ValueError(f"{name} must be a probability vector (non-negative, summing to 1)")
    return x


def acceptance_rate(p, q) -> float:
    r"""Chance a draft token from ``q`` survives against target ``p``: :math:`\sum_x \min(p, q)`."""
    pp, qq = _dist("p", p), _dist("q", q)
    if pp.shape != qq.shape:
        raise ValueError(f"q must have the same length as p ({pp.size}); got {qq.size}")
    return float(np.minimum(pp, qq).sum())


def rejection_sample(p, q, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` independent one-token rounds of speculative sampling: ``(tokens, accepted)``.

    Draw :math:`x \\sim q`; keep it with probability :math:`\\min(1, p(x)/q(x))`; else draw
    from :math:`\\max(0, p - q)` renormalised. Every returned token is distributed as ``p``.
    """
    pp, qq = _dist("p", p), _dist("q", q)
    if pp.shape != qq.shape:
        raise ValueError(f"q must have the same length as p ({pp.size}); got {qq.size}")
    m = positive_int("n", n, maximum=100_000_000)
    rng = np.random.default_rng(nonneg_int("seed", seed))
    x = rng.choice(pp.size, size=m, p=qq)
    keep_prob = np.minimum(1.0, pp[x] / np.where(qq[x] > 0, qq[x], 1.0))
    accepted = rng.random(m) < keep_prob
    residual = np.maximum(pp - qq, 0.0)
    if residual.sum() > 0:
        fix = rng.choice(pp.size, size=m, p=residual / residual.sum())
        x = np.where(accepted, x, fix)
    return x.astype(np.int64), accepted
