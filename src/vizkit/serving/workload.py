r"""Workloads: when requests arrive and how many tokens they bring and ask for.

A :class:`Workload` is a table with one row per request, sorted by arrival:
``arrival_s``, ``prompt_tokens``, ``output_tokens`` and, for prefix-caching
scenarios, ``prefix_group`` (``-1`` = no shared prefix) and ``prefix_tokens``
(how many leading prompt tokens are shared with every request of that group).

Arrivals

* **Poisson** at rate :math:`\lambda`: gaps are exponential with mean :math:`1/\lambda`.
* **Bursty**: gaps are Gamma with shape :math:`b` and scale :math:`1/(\lambda b)`, so
  the mean rate is still :math:`\lambda` but the coefficient of variation of the gaps
  is :math:`1/\sqrt b` (:math:`b < 1` is burstier than Poisson, :math:`b = 1` *is*
  Poisson). This is the ``burstiness`` knob of vLLM's serving benchmark.
* **Replay**: a list of ``(arrival_s, prompt_tokens, output_tokens)`` rows.

Lengths come from a :class:`LengthDist`; :func:`chat_prompt` and :func:`chat_output`
are lognormals shaped like ShareGPT conversations, whose means the vLLM paper
(Kwon et al. 2023, Fig. 11) reports as 161 prompt and 338 output tokens.

>>> w = poisson_workload(4, rate_per_s=2.0, prompt=fixed(8), output=fixed(3), seed=0)
>>> w.prompt_tokens.tolist(), w.output_tokens.tolist()
([8, 8, 8, 8], [3, 3, 3, 3])
>>> bool((np.diff(w.arrival_s) >= 0).all())
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from vizkit._validate import nonneg_float, nonneg_int, positive_float, positive_int

from ._record import Record

__all__ = ["LengthDist", "fixed", "uniform", "lognormal", "chat_prompt", "chat_output",
           "Workload", "poisson_workload", "bursty_workload", "replay_workload",
           "with_shared_prefix", "MAX_TOKENS"]

#: Longest prompt or output one request may have.
MAX_TOKENS = 1_048_576


@dataclass(frozen=True)
class LengthDist:
    """A token-length distribution, clipped to ``[lo, hi]`` and rounded to integers.

    ``kind`` is ``"fixed"`` (always ``a``), ``"uniform"`` (integers in ``[a, b]``) or
    ``"lognormal"`` (median ``a``, log-space standard deviation ``b``).
    """

    kind: str   # "fixed" | "uniform" | "lognormal"
    a: float    # the value, the low end, or the median
    b: float    # unused, the high end, or sigma
    lo: int     # clip floor (tokens)
    hi: int     # clip ceiling (tokens)

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` lengths as ``int64``."""
        if self.kind == "fixed":
            x = np.full(n, self.a)
        elif self.kind == "uniform":
            x = rng.integers(int(self.a), int(self.b) + 1, size=n)
        else:
            x = np.exp(rng.normal(math.log(self.a), self.b, size=n))
        return np.clip(np.rint(x), self.lo, self.hi).astype(np.int64)

    @property
    def mean_tokens(self) -> float:
        """Mean before clipping (exact for fixed and uniform)."""
        if self.kind == "fixed":
            return float(self.a)
        if self.kind == "uniform":
            return (self.a + self.b) / 2
        return self.a * math.exp(self.b ** 2 / 2)


def fixed(n_tokens: int) -> LengthDist:
    """Every request has exactly ``n_tokens``."""
    n = positive_int("n_tokens", n_tokens, maximum=MAX_TOKENS)
    return LengthDist("fixed", n, n, n, n)


def uniform(lo_tokens: int, hi_tokens: int) -> LengthDist:
    """Integers spread evenly over ``[lo_tokens, hi_tokens]``."""
    lo = positive_int("lo_tokens", lo_tokens, maximum=MAX_TOKENS)
    hi = positive_int("hi_tokens", hi_tokens, maximum=MAX_TOKENS)
    if hi < lo:
        raise ValueError(f"hi_tokens must be >= lo_tokens ({lo}); got {hi}")
    return LengthDist("uniform", lo, hi, lo, hi)


def lognormal(median_tokens: float, sigma: float, lo_tokens: int = 1,
              hi_tokens: int = 8192) -> LengthDist:
    r"""Lognormal lengths: median ``median_tokens``, mean :math:`m\,e^{\sigma^2/2}`."""
    m = positive_float("median_tokens", median_tokens)
    s = nonneg_float("sigma", sigma)
    if s > 4:
        raise ValueError(f"sigma must be a number in [0, 4]; got {sigma!r}")
    lo = positive_int("lo_tokens", lo_tokens, maximum=MAX_TOKENS)
    hi = positive_int("hi_tokens", hi_tokens, maximum=MAX_TOKENS)
    if hi < lo:
        raise ValueError(f"hi_tokens must be >= lo_tokens ({lo}); got {hi}")
    return LengthDist("lognormal", m, s, lo, hi)


def chat_prompt(hi_tokens: int = 2048) -> LengthDist:
    """ShareGPT-like prompts: median 100, sigma 1.0 -> mean ~165 (paper: 161)."""
    return lognormal(100.0, 1.0, 1, hi_tokens)


def chat_output(hi_tokens: int = 2048) -> LengthDist:
    """ShareGPT-like outputs: median 215, sigma 0.95 -> mean ~338 (paper: 338)."""
    return lognormal(215.0, 0.95, 1, hi_tokens)


@dataclass(frozen=True)
class Workload(Record):
    """One row per request, sorted by ``arrival_s``."""

    arrival_s: np.ndarray       # float64, seconds from the start
    prompt_tokens: np.ndarray   # int64, >= 1
    output_tokens: np.ndarray   # int64, >= 1 (the first one comes out of the prefill)
    prefix_group: np.ndarray    # int64, -1 = no shared prefix
    prefix_tokens: np.ndarray   # int64, leading prompt tokens shared within the group

    @property
    def n_requests(self) -> int:
        return int(self.arrival_s.shape[0])

    @property
    def max_len_tokens(self) -> int:
        """Longest prompt + output over all requests (0 if empty)."""
        return int((self.prompt_tokens + self.output_tokens).max(initial=0))


def _build(arrival_s, prompt, output, max_len_tokens: int | None) -> Workload:
    prompt = np.asarray(prompt, dtype=np.int64)
    output = np.asarray(output, dtype=np.int64)
    if max_len_tokens is not None:
        cap = positive_int("max_len_tokens", max_len_tokens, maximum=2 * MAX_TOKENS)
        if cap < 2:
            raise ValueError(f"max_len_tokens must be an integer >= 2; got {cap}")
        prompt = np.minimum(prompt, cap - 1)        # leave room for one output token
        output = np.minimum(output, cap - prompt)
    n = prompt.shape[0]
    return Workload(np.asarray(arrival_s, dtype=np.float64), prompt, output,
                    np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.int64))


def _arrivals(n: int, rate_per_s: float, shape: float, rng: np.random.Generator) -> np.ndarray:
    gaps = rng.gamma(shape, 1.0 / (rate_per_s * shape), size=n)
    return np.cumsum(gaps) - gaps[0]  # the first request arrives at t = 0


def poisson_workload(n_requests: int, rate_per_s: float, prompt: LengthDist | None = None,
                     output: LengthDist | None = None, seed: int = 0,
                     max_len_tokens: int | None = None) -> Workload:
    """Poisson arrivals at ``rate_per_s``; lengths default to the chat-like lognormals.

    ``max_len_tokens`` (the serving engine's maximum sequence length) truncates each
    request so that ``prompt + output <= max_len_tokens``, as a server would.
    """
    return bursty_workload(n_requests, rate_per_s, 1.0, prompt, output, seed, max_len_tokens)


def bursty_workload(n_requests: int, rate_per_s: float, burstiness: float = 0.25,
                    prompt: LengthDist | None = None, output: LengthDist | None = None,
                    seed: int = 0, max_len_tokens: int | None = None) -> Workload:
    """Gamma-distributed gaps with mean ``1/rate_per_s`` and CV ``1/sqrt(burstiness)``."""
    n = positive_int("n_requests", n_requests, maximum=10_000_000)
    rate = positive_float("rate_per_s", rate_per_s)
    b = positive_float("burstiness", burstiness)
    rng = np.random.default_rng(nonneg_int("seed", seed))
    arrival = _arrivals(n, rate, b, rng)
    p = (prompt or chat_prompt()).sample(n, rng)
    o = (output or chat_output()).sample(n, rng)
    return _build(arrival, p, o, max_len_tokens)


def replay_workload(rows: Iterable[tuple[float, int, int]]) -> Workload:
    """A workload from ``(arrival_s, prompt_tokens, output_tokens)`` rows (any order)."""
    rows = list(rows)
    if not rows:
        raise ValueError("rows must hold at least one (arrival_s, prompt_tokens, output_tokens)")
    for i, row in enumerate(rows):
        if len(row) != 3:
            raise ValueError(f"rows[{i}] must be (arrival_s, prompt_tokens, output_tokens); got {row!r}")
        nonneg_float(f"rows[{i}].arrival_s", row[0])
        positive_int(f"rows[{i}].prompt_tokens", row[1], maximum=MAX_TOKENS)
        positive_int(f"rows[{i}].output_tokens", row[2], maximum=MAX_TOKENS)
    rows.sort(key=lambda r: r[0])
    a, p, o = zip(*rows, strict=True)
    return _build(a, p, o, None)


def with_shared_prefix(workload: Workload, n_groups: int, prefix_tokens: int,
                       share: float = 1.0, seed: int = 0) -> Workload:
    """Give a fraction ``share`` of requests one of ``n_groups`` shared system prompts.

    A chosen request's prompt becomes ``prefix_tokens`` shared tokens followed by its
    own prompt, so the shared part is an exact prefix of every prompt in its group.
    """
    g = positive_int("n_groups", n_groups, maximum=1_000_000)
    k = positive_int("prefix_tokens", prefix_tokens, maximum=MAX_TOKENS)
    s = nonneg_float("share", share)
    if s > 1:
        raise ValueError(f"share must be a number in [0, 1]; got {share!r}")
    rng = np.random.default_rng(nonneg_int("seed", seed))
    n = workload.n_requests
    chosen = rng.random(n) < s
    group = np.where(chosen, rng.integers(0, g, size=n), -1)
    return Workload(workload.arrival_s, workload.prompt_tokens + np.where(chosen, k, 0),
                    workload.output_tokens, group.astype(np.int64),
                    np.where(chosen, k, 0).astype(np.int64))

