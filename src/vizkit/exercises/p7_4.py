r"""Exercises of chapter P7.4, "The O(N²) explosion and the KV cache".

Each ``check_*`` computes its expected answer with :mod:`vizkit.inference.kvcache`
and :mod:`vizkit.catalog`, then hands it to :func:`vizkit.exercises.check`.

The break-it exercise uses :func:`buggy_decode_trace`, a KV cache with one
deliberate bug from :data:`BUGS`. Each bug leaves its own fingerprint on the
two curves :func:`plot_traces` draws (FLOPs per step and bytes cached):

============  =======================================  ==========================================
bug           memory                                   compute per step
============  =======================================  ==========================================
no-append     flat at the prompt's size                flat at the first step's cost
keys-only     grows at half the correct rate           on the recompute curve: no saving at all
reprefill     correct                                  correct plus a constant prefill of the prompt
============  =======================================  ==========================================

>>> check_ratio(1.0)  # doctest: +ELLIPSIS
✗ recompute / cached at n = 1024: not yet — hint: ...
False
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from vizkit import catalog
from vizkit._validate import one_of, positive_int
from vizkit.inference.kvcache import KVCacheTrace, decode_trace, kv_cache_bytes, step_flops

from . import Answer

__all__ = ["BUGS", "MYSTERIES", "buggy_decode_trace", "mystery_trace", "plot_traces", "check_ratio",
           "check_kv_gib", "sequences_that_fit", "check_sequences_that_fit", "attention_crossover",
           "check_attention_crossover", "check_bug"]

GIB = 2**30

#: The deliberate bugs :func:`buggy_decode_trace` can plant, with what each does.
BUGS = {
    "no-append": "the new token's K and V are never written to the cache, so every step "
                 "attends to the prompt only",
    "keys-only": "only keys are cached; to get the values of earlier tokens the model must run "
                 "every earlier token through every layer again",
    "reprefill": "the prompt's prefill is re-run at every step (its K and V written again over "
                 "themselves) before the new token is decoded",
}

#: The break-it exercise's suspects: which bug hides behind each mystery trace.
MYSTERIES = {"A": "no-append", "B": "keys-only"}


# --- compute-it and predict-then-check -------------------------------------------------------

def check_ratio(answer: object, model: str = "llama-2-7b", context_len: int = 1024) -> bool:
    """Predict-then-check: FLOPs of a recompute step over a cached step at ``context_len``."""
    expected = step_flops(model, context_len, cached=False) / step_flops(model, context_len, cached=True)
    return Answer(f"recompute / cached at n = {context_len}", expected, rel_tol=0.15,
                  hint="a recompute step runs the network on all n tokens, a cached step on one; "
                       "at this length the attention term changes the answer only a little").check(answer)


def check_kv_gib(answer: object, model: str = "llama-3.1-405b", n_tokens: int = 131072,
                 dtype: str = "bf16") -> bool:
    """Compute-it: the KV cache of one ``n_tokens`` sequence, in GiB (2**30 bytes)."""
    expected = kv_cache_bytes(model, n_tokens, dtype) / GIB
    return Answer(f"KV cache of {model}, {n_tokens} tokens, {dtype} (GiB)", expected, rel_tol=0.02,
                  hint="2 (K and V) × n_layers × n_kv_heads × head_dim × bytes per element × tokens, "
                       "then divide by 2**30; use the KV heads, not the query heads").check(answer)


def sequences_that_fit(model: str = "llama-2-7b", gpu: str = "h100-sxm", n_tokens: int = 4096,
                       dtype: str = "bf16") -> int:
    """How many ``n_tokens`` KV caches fit in HBM beside the model's weights (same dtype).

    ``(hbm_bytes - weight_bytes) // kv_cache_bytes``; activations, fragmentation and
    the runtime's own memory are ignored, so this is an upper bound.

    >>> sequences_that_fit("llama-3-8b", "h100-sxm", 32768)
    14
    """
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
    return Answer(f"{n_tokens}-token sequences of {model} on {gpu}", sequences_that_fit(model, gpu, n_tokens),
                  hint="(HBM bytes − weight bytes) // KV bytes of one sequence; "
                       "round down, half a sequence does not run").check(answer)


def attention_crossover(model: str = "llama-2-7b") -> float:
    r"""The context length :math:`n^* = L / p` at which a cached step's attention term
    :math:`p\,n` equals its weight-matmul term :math:`L`.

    >>> m = catalog.model("gpt2")
    >>> attention_crossover("gpt2") == m.linear_flops_per_token() / m.attn_flops_per_pair()
    True
    """
    m = catalog.model(model)
    return m.linear_flops_per_token() / m.attn_flops_per_pair()


def check_attention_crossover(answer: object, model: str = "llama-2-7b") -> bool:
    """Predict-then-check: the context length at which attention costs as much as the matmuls."""
    return Answer(f"context where p·n = L for {model} (tokens)", attention_crossover(model), rel_tol=0.05,
                  hint="set L = p·n and solve for n; L and p are model.linear_flops_per_token() and "
                       "model.attn_flops_per_pair()").check(answer)


# --- break-it --------------------------------------------------------------------------------

def buggy_decode_trace(model: Any, prompt_len: int, n_new: int, bug: str, dtype: str = "bf16") -> KVCacheTrace:
    r""":func:`decode_trace` with one planted bug from :data:`BUGS`, in ``flops_cached`` and ``kv_bytes``.

    ``flops_recompute`` is left as the correct no-cache reference. With :math:`n` the
    context of a step, :math:`P` the prompt and :math:`k_\text{proj}` the FLOPs of one
    token's key projections over all layers:

    * ``no-append``: :math:`F = L + p\,(P + 1)` and :math:`(P + 1)` tokens cached, every step;
    * ``keys-only``: the values of earlier tokens need their hidden state at every layer, so
      the step is a full recompute that only skips the cached keys' projections,
      :math:`F = F_\text{recompute}(n) - k_\text{proj}\,(n - 1)`; half the bytes are cached;
    * ``reprefill``: :math:`F = F_\text{cached}(n) + \sum_{i=1}^{P} F_\text{cached}(i)`,
      the correct bytes.

    ``keys-only`` needs separate key and value caches, so it refuses an MLA model.

    >>> t = buggy_decode_trace("gpt2", 4, 3, "no-append")
    >>> t.kv_bytes.tolist() == [catalog.model("gpt2").kv_bytes_per_token() * 5] * 3
    True
    """
    bug = one_of("bug", bug, BUGS)
    good = decode_trace(model, prompt_len, n_new, dtype)
    m = catalog.model(good.model_name)
    n = good.context_len.astype(np.float64)
    if bug == "no-append":
        n_seen = np.full_like(n, good.prompt_len + 1)
        flops = m.linear_flops_per_token() + m.attn_flops_per_pair() * n_seen
        kv = m.kv_bytes_per_token(dtype) * n_seen
    elif bug == "keys-only":
        if m.attention == "mla":
            raise ValueError(f"bug 'keys-only' needs separate K and V caches; model {m.name} (MLA) caches "
                             f"one joint latent")
        k_proj_flops = 2.0 * m.d_model * m.n_kv_heads * m.head_dim * m.n_layers
        flops = good.flops_recompute - k_proj_flops * (n - 1)
        kv = good.kv_bytes / 2
    else:  # reprefill
        prefill = sum(step_flops(m, i, cached=True) for i in range(1, good.prompt_len + 1))
        flops = good.flops_cached + prefill
        kv = good.kv_bytes.copy()
    return replace(good, flops_cached=flops, kv_bytes=kv, cum_flops_cached=np.cumsum(flops))


def mystery_trace(which: str = "A", model: str = "llama-2-7b", prompt_len: int = 64,
                  n_new: int = 192) -> KVCacheTrace:
    """A break-it suspect: mystery ``which`` (a key of :data:`MYSTERIES`) hides one of :data:`BUGS`."""
    which = one_of("which", which, MYSTERIES)
    return buggy_decode_trace(model, prompt_len, n_new, bug=MYSTERIES[which])


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind :func:`mystery_trace` ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug in mystery cache {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="read the memory panel first: does the cache grow, and how fast? then compare "
                       "the compute panel with the grey no-cache line").check(answer)


def plot_traces(good: KVCacheTrace, other: KVCacheTrace, labels: tuple[str, str] = ("correct cache", "mystery cache")):
    """Two panels for a correct and a suspect trace: FLOPs per step (log) and KV cache in MiB.

    The compute panel also draws the correct trace's no-cache cost as a thin grey line.
    Needs matplotlib; returns the figure.
    """
    import matplotlib.pyplot as plt

    if len(good) != len(other):
        raise ValueError(f"other must have as many steps as good ({len(good)}); got {len(other)}")
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2), constrained_layout=True)
    steps = np.arange(1, len(good) + 1)
    ax1.plot(steps, good.flops_recompute, color="0.6", lw=1, label="no cache (reference)")
    for t, label, style in ((good, labels[0], "-"), (other, labels[1], "--")):
        ax1.plot(steps, t.flops_cached, style, lw=2, label=label)
        ax2.plot(steps, t.kv_bytes / 2**20, style, lw=2, label=label)
    ax1.set(yscale="log", xlabel="decode step", ylabel="FLOPs per step", title="compute")
    ax2.set(xlabel="decode step", ylabel="KV cache (MiB)", title="memory", ylim=(0, None))
    ax1.legend(frameon=False, fontsize=8)
    return fig
