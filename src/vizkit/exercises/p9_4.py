r"""Exercises of chapter P9.4, "Prefix caching and RadixAttention".

Each ``check_*`` computes its expected answer with :mod:`vizkit.serving` (or the
radix widget's scenario), then hands it to :class:`vizkit.exercises.Answer`.

The break-it exercise runs the widget's request stream through a radix cache with
one planted bug from :data:`BUGS` and records, after every request, the hit rate so
far, the cache occupancy and the mean idle age of the cached blocks
(:func:`cache_trace`):

==========  ===================================================================
bug         fingerprint
==========  ===================================================================
mru         evicts the most recently used leaf: the cache stays full, but of
            blocks nobody has touched for a long time, so the idle age climbs
flush       empties the whole cache whenever it is full: occupancy saws down to
            nearly zero and the hit rate sags after every flush
no-answer   caches prompts but never answers: a chat's next turn misses its own
            history, and the cache holds fewer blocks
==========  ===================================================================

>>> prefill_tokens_with_cache(10, 1000, 50, 16)
1572
"""

from __future__ import annotations

import heapq

import numpy as np

from vizkit._validate import nonneg_int, one_of, positive_int
from vizkit.serving import (EngineConfig, RadixCache, cost_model, poisson_workload, simulate, summarize,
                            ttft_s, with_shared_prefix)
from vizkit.widgets.radix import radix_scenario, radix_script

from . import Answer

__all__ = ["ENGINE_SETUP", "BUGS", "MYSTERIES", "engine_run", "check_hit_rate",
           "prefill_tokens_with_cache", "check_prefill_tokens", "cache_trace", "mystery_trace",
           "plot_cache", "check_bug"]

#: The motivation's engine run: model, GPU, workload and shared system prompts.
ENGINE_SETUP = {"model": "llama-3-8b", "gpu": "h100-sxm", "n_requests": 500, "rate_per_s": 8.0,
                "n_groups": 4, "prefix_tokens": 1024, "share": 0.9, "seed": 0}

#: The deliberate bugs :func:`cache_trace` can plant.
BUGS = {
    "mru": "evict() removes the most recently used leaf instead of the least recently used one",
    "flush": "when the cache is full, evict() empties all of it instead of the few blocks it needs",
    "no-answer": "a finished request inserts its prompt but not its answer",
}

#: The break-it exercise's suspects.
MYSTERIES = {"A": "mru", "B": "flush"}


# --- predict, then check -------------------------------------------------------------------

def engine_run(prefix_caching: bool, share: float | None = None):
    """The motivation's workload through one engine replica: ``(summary, mean TTFT in s)``.

    ``share`` overrides the share of requests that carry a shared system prompt.
    """
    e = dict(ENGINE_SETUP)
    if share is not None:
        e["share"] = share
    w = poisson_workload(e["n_requests"], rate_per_s=e["rate_per_s"], seed=e["seed"])
    w = with_shared_prefix(w, n_groups=e["n_groups"], prefix_tokens=e["prefix_tokens"], share=e["share"],
                           seed=e["seed"])
    t = simulate(w, cost_model(e["model"], e["gpu"]), EngineConfig(prefix_caching=bool(prefix_caching)))
    return summarize(t), float(np.mean(ttft_s(t)))


def check_hit_rate(answer: object) -> bool:
    """Predict-then-check: the percentage of prompt tokens the prefix cache serves in the
    motivation's run."""
    expected = 100 * engine_run(True)[0].prefix_hit_frac
    return Answer("% of prompt tokens served by the prefix cache", expected, rel_tol=0.05,
                  hint="most prompts are a 1,024-token system prompt plus a short question; the first "
                       "request of each group misses, and only whole 16-token blocks are cached").check(answer)


# --- compute it ----------------------------------------------------------------------------

def prefill_tokens_with_cache(n_requests: int, prefix_tokens: int, unique_tokens: int,
                              block_size: int = 16) -> int:
    r"""Prompt tokens prefilled when ``n_requests`` prompts share a ``prefix_tokens`` prefix,
    each followed by ``unique_tokens`` of its own, arriving one after another into a cache
    large enough for all of them that stores whole blocks of ``block_size`` tokens:
    :math:`N(P + u) - (N - 1)\,B\lfloor P/B \rfloor`."""
    n = positive_int("n_requests", n_requests, maximum=1 << 24)
    p = nonneg_int("prefix_tokens", prefix_tokens, maximum=1 << 24)
    u = positive_int("unique_tokens", unique_tokens, maximum=1 << 24)
    b = positive_int("block_size", block_size, maximum=1 << 16)
    return n * (p + u) - (n - 1) * b * (p // b)


def check_prefill_tokens(answer: object, n_requests: int = 10, prefix_tokens: int = 1000,
                         unique_tokens: int = 50, block_size: int = 16) -> bool:
    """Compute-it: prefilled prompt tokens with a shared prefix and a block-granular cache."""
    return Answer(f"tokens prefilled for {n_requests} prompts of {prefix_tokens} shared + {unique_tokens} "
                  f"own tokens", prefill_tokens_with_cache(n_requests, prefix_tokens, unique_tokens, block_size),
                  hint="the first request computes everything; later ones skip only the WHOLE blocks of "
                       "the shared prefix (round P / B down)").check(answer)


# --- break it ------------------------------------------------------------------------------

class _MRU(RadixCache):
    """Evicts the most recently used leaf first (the heap is keyed on -last_used)."""

    def _offer(self, node) -> None:
        if node.parent is not None and not node.children and node.lock == 0:
            heapq.heappush(self._heap, (-node.last_used, self._order, node))
            self._order += 1

    def _valid(self, t: int, node) -> bool:
        return RadixCache._valid(-t, node)


class _Flush(RadixCache):
    """Empties everything evictable whenever it has to evict at all."""

    def evict(self, n_keys: int) -> list:
        nonneg_int("n_keys", n_keys)
        return super().evict(self.size) if n_keys > 0 else []


def cache_trace(bug: str | None = None, capacity: int = 48, n_requests: int = 40, share: float = 0.8,
                seed: int = 0) -> dict[str, np.ndarray]:
    """Per request: ``hit_rate`` so far, ``occupancy`` (share of ``capacity`` in use) and
    ``idle_age`` (mean requests since each cached block was last used), for the widget's
    request stream through a correct cache (``bug=None``) or one with a bug from :data:`BUGS`."""
    script = radix_script(n_requests, share, seed)
    cls, answers = RadixCache, True
    if bug is not None:
        one_of("bug", bug, BUGS)
        cls = {"mru": _MRU, "flush": _Flush}.get(bug, RadixCache)
        answers = bug != "no-answer"
    sc = radix_scenario(capacity, script, cls, cache_answers=answers)
    a = sc["arrays"]
    off, age, nk = a["offsets"], a["age"], a["nkeys"]
    idle = np.array([(age[i:j] * nk[i:j]).sum() / max(1, nk[i:j].sum()) for i, j in zip(off[:-1], off[1:])])
    return {"hit_rate": a["hit_rate"].astype(np.float64), "occupancy": a["totals"][:, 2] / sc["capacity"],
            "idle_age": idle}


def mystery_trace(which: str = "A") -> dict[str, np.ndarray]:
    """The traces of mystery cache ``which`` (see :data:`MYSTERIES`)."""
    return cache_trace(MYSTERIES[one_of("which", which, MYSTERIES)])


def plot_cache(good: dict, other: dict, labels=("correct cache", "mystery cache")):
    """Hit rate, occupancy and idle age per request for a correct and a suspect cache.
    Needs matplotlib; returns the figure."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(9.5, 2.8), constrained_layout=True)
    names = (("hit_rate", "hit rate so far"), ("occupancy", "cache occupancy"),
             ("idle_age", "mean idle age (requests)"))
    for ax, (key, title) in zip(axes, names):
        x = np.arange(1, len(good[key]) + 1)
        ax.plot(x, good[key], color="#0072B2", lw=2, label=labels[0])
        ax.plot(x, other[key], color="#D55E00", lw=2, ls="--", label=labels[1])
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("request")
        ax.set_ylim(bottom=0)
    axes[0].legend(frameon=False, fontsize=8)
    return fig


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind :func:`mystery_trace` ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug in mystery cache {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="read occupancy first (does it stay near full?), then the idle age: "
                       "does the cache keep what was used recently?").check(answer)
