r"""Exercises of chapter P9.1, "Anatomy of an inference engine".

Each ``check_*`` computes its expected answer with :mod:`vizkit.serving` (through
the chapter's engine, :func:`vizkit.widgets.anatomy.anatomy_run`), then hands it to
:class:`vizkit.exercises.Answer`.

>>> n_blocks(4.0)
1907
>>> ttft_bucket(1.5), ttft_bucket(40.0), ttft_bucket(500.0)
('under 2x', '10x to 100x', 'over 100x')
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from vizkit._validate import positive_float, positive_int

from . import Answer

__all__ = ["BUCKETS", "n_blocks", "check_n_blocks", "ttft_growth", "ttft_bucket", "check_ttft_growth",
           "littles_law_inputs", "check_littles_law"]

#: The answers the predict-then-check exercise accepts.
BUCKETS = ("under 2x", "2x to 10x", "10x to 100x", "over 100x")


# --- compute it: the block manager's pool --------------------------------------------------

def n_blocks(kv_gb: float, block_size: int = 16) -> int:
    """KV blocks of ``block_size`` tokens in ``kv_gb`` GB for the chapter's model (Llama 3 8B, BF16)."""
    from vizkit.widgets.anatomy import anatomy_cost

    return anatomy_cost(kv_gb).n_blocks(positive_int("block_size", block_size, maximum=1 << 16))


def check_n_blocks(answer: object, kv_gb: float = 4.0, block_size: int = 16) -> bool:
    """Compute-it: how many KV blocks the block manager has."""
    return Answer(f"KV blocks of {block_size} tokens in {kv_gb:g} GB", n_blocks(kv_gb, block_size),
                  hint="bytes available / (KV bytes per token × tokens per block), rounded down; "
                       "Llama 3 8B stores 131,072 bytes of K and V per token in BF16").check(answer)


# --- predict, then check: what a memory shortage does to latency ---------------------------

@lru_cache(maxsize=8)
def ttft_growth(kv_small_gb: float = 0.5, kv_large_gb: float = 4.0, rate_per_s: float = 8.0) -> float:
    """Median TTFT with ``kv_small_gb`` of KV memory divided by the median with ``kv_large_gb``."""
    from vizkit.serving import summarize
    from vizkit.widgets.anatomy import anatomy_run

    small = summarize(anatomy_run(rate_per_s=rate_per_s, kv_gb=kv_small_gb)).ttft_p50_s
    large = summarize(anatomy_run(rate_per_s=rate_per_s, kv_gb=kv_large_gb)).ttft_p50_s
    return small / large


def ttft_bucket(ratio: float) -> str:
    """Which of :data:`BUCKETS` a growth factor falls in."""
    r = positive_float("ratio", ratio)
    edges = np.array([2.0, 10.0, 100.0])
    return BUCKETS[int(np.searchsorted(edges, r, side="right"))]


def check_ttft_growth(answer: object) -> bool:
    """Predict-then-check: KV memory 4 GB -> 0.5 GB at 8 requests/s; how much does median TTFT grow?"""
    return Answer("growth of median TTFT, 4 GB -> 0.5 GB of KV memory", ttft_bucket(ttft_growth()),
                  choices=BUCKETS, hint="with room to spare a new request is prefilled at the next step; "
                  "with memory full it waits in the queue until a running request finishes, and "
                  "preempted requests come back to the queue too").check(answer)


# --- compute it: Little's law ----------------------------------------------------------------

def littles_law_inputs(rate_per_s: float = 8.0, kv_gb: float = 4.0) -> tuple[float, float, float]:
    """``(lam, W, L)`` of the chapter's engine: measured arrival rate, mean time in the
    system and mean number of requests in it (:func:`vizkit.serving.littles_law`)."""
    from vizkit.serving import littles_law
    from vizkit.widgets.anatomy import anatomy_run

    L, lam, W = littles_law(anatomy_run(rate_per_s=rate_per_s, kv_gb=kv_gb))
    return lam, W, L


def check_littles_law(answer: object, rate_per_s: float = 8.0, kv_gb: float = 4.0) -> bool:
    """Compute-it: the mean number of requests in the engine, from λ and W."""
    lam, W, _ = littles_law_inputs(rate_per_s, kv_gb)
    return Answer("mean requests in the engine (L = λW)", lam * W, rel_tol=0.03,
                  hint="multiply the arrival rate (requests per second) by the mean time one "
                       "request spends inside (seconds)").check(answer)
