r"""Sampling from a distribution and watching frequencies converge (P0.6).

Drawing :math:`n` independent samples from :math:`p`, the empirical
frequencies :math:`\hat p_i = \text{count}_i / n` approach :math:`p_i` (the law
of large numbers); their typical error shrinks like :math:`1/\sqrt n`. The
trace reports the total-variation distance
:math:`\tfrac12\sum_i |\hat p_i - p_i|` after every frame.

Samples are drawn by inverse CDF: a uniform :math:`u \in [0, 1)` picks the
first outcome whose cumulative probability exceeds it.

>>> t = sampling_trace([0.5, 0.5], n_samples=4, samples_per_frame=2, seed=0)
>>> t.n_drawn.tolist(), int(t.counts[-1].sum())
([2, 4], 4)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import nonneg_int, positive_int
from vizkit.foundations._checks import probability_vector
from vizkit.foundations._trace import Trace

__all__ = ["sample_categorical", "SamplingTrace", "sampling_trace"]


def sample_categorical(probs, n_samples: int, seed: int = 0) -> np.ndarray:
    """``n_samples`` outcome indices drawn from ``probs`` by inverse CDF (int64)."""
    p = probability_vector("probs", probs)
    n = positive_int("n_samples", n_samples, maximum=10_000_000)
    rng = np.random.default_rng(nonneg_int("seed", seed))
    cdf = np.cumsum(p)
    cdf[-1] = 1.0                                    # round-off must not leave a gap at the top
    return np.searchsorted(cdf, rng.random(n), side="right")


@dataclass(frozen=True)
class SamplingTrace(Trace):
    """One frame per batch of ``samples_per_frame`` draws."""

    STATIC = ("probs", "samples")
    probs: np.ndarray         # (V,) the true distribution
    samples: np.ndarray       # (n_samples,) int32: every outcome drawn, in order
    n_drawn: np.ndarray       # (F,) int32: samples so far
    counts: np.ndarray        # (F, V) int32: how often each outcome came up so far
    frequency: np.ndarray     # (F, V) counts / n_drawn
    tv_distance: np.ndarray   # (F,) ½ Σ |frequency - probs|


def sampling_trace(probs=(0.5, 0.25, 0.15, 0.1), n_samples: int = 1000, samples_per_frame: int = 10,
                   seed: int = 0) -> SamplingTrace:
    """Draw ``n_samples`` outcomes, ``samples_per_frame`` per frame (the last frame may hold fewer)."""
    p = probability_vector("probs", probs)
    n = positive_int("n_samples", n_samples, maximum=1_000_000)
    per = positive_int("samples_per_frame", samples_per_frame, maximum=n)
    draws = sample_categorical(p, n, seed)
    ends = np.minimum(np.arange(per, n + per, per), n)                 # (F,)
    per_frame = np.zeros((ends.shape[0], p.shape[0]), dtype=np.int64)   # (F, V) draws within each frame
    np.add.at(per_frame, (np.arange(n) // per, draws), 1)
    counts = np.cumsum(per_frame, axis=0)
    freq = counts / ends[:, None]
    return SamplingTrace(probs=p, samples=draws.astype(np.int32), n_drawn=ends.astype(np.int32),
                         counts=counts.astype(np.int32), frequency=freq,
                         tv_distance=0.5 * np.abs(freq - p).sum(axis=1))
