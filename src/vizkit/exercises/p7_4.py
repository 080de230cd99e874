"""Exercises of chapter P7.4, "The O(N²) explosion and the KV cache".

Each ``check_*`` computes its expected answer with :mod:`vizkit.inference.kvcache`
and :mod:`vizkit.catalog`. The break-it exercise uses :func:`buggy_decode_trace`,
a KV cache with a deliberate bug, which the reader diagnoses from
:func:`plot_traces`.

>>> check_ratio(1.0)  # doctest: +ELLIPSIS
✗ recompute / cached at n = 1024: not yet. Hint: ...
False
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from vizkit import catalog
from vizkit._validate import one_of, positive_int
from vizkit.inference.kvcache import KVCacheTrace, decode_trace, kv_cache_bytes, step_flops

from . import check_choice, check_integer, check_number

__all__ = ["BUGS", "buggy_decode_trace", "mystery_trace", "plot_traces", "check_ratio",
           "check_kv_gib", "check_sequences_that_fit", "check_bug"]

GIB = 2**30

#: The deliberate bugs :func:`buggy_decode_trace` can plant, with what each does.
BUGS = {
    "no-append": "the new token's K and V are never written to the cache, so every step "
                 "attends to the prompt only",
    "keys-only": "only keys are cached; values are recomputed for the whole context each step",
    "reprefill": "the cache is cleared every step, so the prompt is prefilled again each time",
}


def check_ratio(answer: object, model: str = "llama-2-7b", context_len: int = 1024) -> bool:
    """Predict-then-check: FLOPs of a recompute step over a cached step at ``context_len``."""
    expected = step_flops(model, context_len, cached=False) / step_flops(model, context_len, cached=True)
    return check_number(f"recompute / cached at n = {context_len}", answer, expected=expected, rel_tol=0.15,
                        hint="a recompute step runs the network on all n tokens, a cached step on one; "
                             "the attention term changes the answer only a little at this length")


def check_kv_gib(answer: object, model: str = "llama-3-8b", n_tokens: int = 32768, dtype: str = "bf16") -> bool:
    """Compute-it: the KV cache of one ``n_tokens`` sequence, in GiB."""
    expected = kv_cache_bytes(model, n_tokens, dtype) / GIB
    return check_number(f"KV cache of {model}, {n_tokens} tokens, {dtype} (GiB)", answer, expected=expected,
                        rel_tol=0.02, hint="2 (K and V) × n_layers × n_kv_heads × head_dim × bytes per "
                                           "element × tokens, then divide by 2**30")


def sequences_that_fit(model: str = "llama-2-7b", gpu: str = "h100-sxm", n_tokens: int = 4096,
                       dtype: str = "bf16") -> int:
    """How many ``n_tokens`` KV caches fit in HBM beside the model's weights (same dtype)."""
    m, g = catalog.model(model), catalog.gpu(gpu)
    n_tokens = positive_int("n_tokens", n_tokens)
    free = g.hbm_bytes - m.weight_bytes(dtype)
    if free <= 0:
        raise ValueError(f"model {model} in {dtype} ({m.weight_bytes(dtype) / 1e9:.0f} GB) does not fit "
                         f"in {gpu}'s {g.hbm_bytes / 1e9:.0f} GB")
    return int(free // kv_cache_bytes(m, n_tokens, dtype))


def check_sequences_that_fit(answer: object, model: str = "llama-2-7b", gpu: str = "h100-sxm",
                             n_tokens: int = 4096) -> bool:
    """Compute-it: full-length sequences whose caches fit beside the weights."""
    return check_integer(f"{n_tokens}-token sequences of {model} on {gpu}", answer,
                         expected=sequences_that_fit(model, gpu, n_tokens),
                         hint="(HBM bytes − weight bytes) // KV bytes of one sequence; "
                              "round down, half a sequence does not run")


def buggy_decode_trace(model: Any, prompt_len: int, n_new: int, bug: str, dtype: str = "bf16") -> KVCacheTrace:
    """:func:`decode_trace` with one planted bug from :data:`BUGS`.

    ``no-append``: context stays at ``prompt_len`` + 1, cache bytes flat.
    ``keys-only``: half the cache bytes, but each step recomputes the value projection
    for every earlier token (an extra ``n`` value matmuls per layer).
    ``reprefill``: cache bytes as usual but each step also pays a prefill of the prompt.
    """
    bug = one_of("bug", bug, BUGS)
    good = decode_trace(model, prompt_len, n_new, dtype)
    m = catalog.model(good.model_name)
    n = good.context_len.astype(np.float64)
    per_tok = m.kv_bytes_per_token(dtype)
    cached, kv = good.flops_cached.copy(), good.kv_bytes.copy()
    if bug == "no-append":
        n_seen = np.full_like(n, prompt_len + 1)
        cached = m.linear_flops_per_token() + m.attn_flops_per_pair() * n_seen
        kv = np.full_like(kv, per_tok * (prompt_len + 1))
    elif bug == "keys-only":
        v_proj_flops = 2.0 * m.d_model * m.n_kv_heads * m.head_dim * m.n_layers
        cached = cached + v_proj_flops * (n - 1)
        kv = kv / 2
    else:  # reprefill
        cached = cached + np.array([step_flops(m, i, True) for i in range(1, prompt_len + 1)]).sum()
    return replace(good, flops_cached=cached, kv_bytes=kv, cum_flops_cached=np.cumsum(cached))


def mystery_trace(model: str = "llama-2-7b", prompt_len: int = 64, n_new: int = 192) -> KVCacheTrace:
    """The break-it exercise's trace: one of :data:`BUGS`, which the reader identifies."""
    return buggy_decode_trace(model, prompt_len, n_new, bug=_MYSTERY)


_MYSTERY = "no-append"


def check_bug(answer: object) -> bool:
    """Break-it: name the bug behind :func:`mystery_trace` (one of :data:`BUGS`)."""
    return check_choice("the mystery cache's bug", answer, expected=_MYSTERY, choices=BUGS,
                        hint="compare the KV-bytes panel with the correct one first: does the cache grow? "
                             "then ask what the FLOPs per step would do under each bug")


def plot_traces(good: KVCacheTrace, other: KVCacheTrace, labels=("correct cache", "mystery cache")):
    """Two panels, FLOPs per step (log) and KV-cache MiB, for a correct and a suspect trace."""
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2), constrained_layout=True)
    for t, label, style in ((good, labels[0], "-"), (other, labels[1], "--")):
        steps = np.arange(1, len(t) + 1)
        ax1.plot(steps, t.flops_cached, style, label=label)
        ax2.plot(steps, t.kv_bytes / 2**20, style, label=label)
    ax1.set(yscale="log", xlabel="decode step", ylabel="FLOPs per step", title="compute")
    ax2.set(xlabel="decode step", ylabel="KV cache (MiB)", title="memory")
    ax1.legend(frameon=False)
    return fig
