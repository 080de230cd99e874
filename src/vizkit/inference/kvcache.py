r"""The O(N²) explosion and the KV cache: what each decode step costs.

A decoder-only transformer generates one token per forward pass. Without a
cache, every step re-runs the whole context; with a **KV cache**, the keys
and values of earlier tokens are kept, so a step runs the network on the one
new token and lets its query attend to every cached key.

Conventions (one decode step = one frame of the widget):

* The prompt of :math:`P` tokens has been prefilled: its keys and values are
  in the cache and the prefill's cost is not part of this trace.
* Decode step :math:`k = 1, \dots, N` feeds the :math:`k`-th generated token
  (position :math:`P + k - 1`, counting from 0). Its query attends to
  :math:`n_k = P + k` keys, itself included, and the cache holds :math:`n_k`
  tokens afterwards.

With :math:`L` = ``model.linear_flops_per_token()`` (2 × the matmul weights
one token uses, LM head included), :math:`p` = ``model.attn_flops_per_pair()``
(what one query spends on one key over all layers, :math:`QK^\top` plus
:math:`A V`) and :math:`H = 2\,d_\text{model}\,V` the LM head's share of
:math:`L`, a step over a context of :math:`n` tokens costs

.. math::

    F_\text{cached}(n) = L + p\,n

    F_\text{recompute}(n) = n\,(L - H) + H + p\,\frac{n(n+1)}{2}

The recompute step is a full forward pass over all :math:`n` tokens with the
causal mask (query :math:`i` sees keys :math:`0..i`, so :math:`n(n+1)/2`
query–key pairs), except that the LM head runs only on the last position:
that is the only one whose logits are needed, and any sensible
implementation skips the rest. So at :math:`n = 1` the two modes cost the
same, and for long contexts their ratio tends to :math:`n/2`.

Memory: ``kv_bytes`` :math:`= n \cdot` ``model.kv_bytes_per_token(dtype)``.

What this leaves out: softmax, normalisation, RoPE and other element-wise
work, kernel-launch overhead, memory traffic (decode is memory-bound, see the
roofline chapter) and the prefill itself.

>>> from vizkit import catalog
>>> t = decode_trace(catalog.model("gpt2"), prompt_len=4, n_new=3)
>>> t.context_len.tolist()
[5, 6, 7]
>>> bool((t.flops_recompute > t.flops_cached).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from vizkit import _buffers, catalog
from vizkit._validate import one_of, positive_int

__all__ = ["KVCacheTrace", "decode_trace", "step_flops", "kv_cache_bytes", "lm_head_flops",
           "MAX_TOKENS"]

#: Largest ``prompt_len + n_new`` a trace may cover.
MAX_TOKENS = 1_000_000


def _resolve(model: Any):
    """Accept a catalog model or its name."""
    if isinstance(model, str):
        return catalog.model(model)
    for attr in ("linear_flops_per_token", "attn_flops_per_pair", "kv_bytes_per_token"):
        if not callable(getattr(model, attr, None)):
            raise ValueError(f"model must be a vizkit.catalog model or one of its names "
                             f"({', '.join(catalog.model_names())}); got {model!r}")
    return model


def _check_dtype(dtype: object) -> str:
    names = tuple(catalog.DTYPES)
    return one_of("dtype", dtype, names)


def lm_head_flops(model: Any) -> float:
    r"""FLOPs of the LM head for one position: :math:`2\,d_\text{model}\,V`.

    >>> from vizkit import catalog
    >>> lm_head_flops(catalog.model("gpt2")) == 2 * 768 * 50257
    True
    """
    m = _resolve(model)
    return 2.0 * m.d_model * m.vocab_size


def step_flops(model: Any, context_len: int, cached: bool) -> float:
    r"""FLOPs of one decode step whose query sees ``context_len`` keys (itself included).

    ``cached=True``: :math:`L + p\,n`. ``cached=False``:
    :math:`n(L - H) + H + p\,n(n+1)/2` (the LM head runs on the last position only).

    >>> from vizkit import catalog
    >>> m = catalog.model("llama-2-7b")
    >>> step_flops(m, 1, cached=True) == step_flops(m, 1, cached=False)
    True
    """
    m = _resolve(model)
    n = positive_int("context_len", context_len, maximum=MAX_TOKENS)
    return float(_flops(m, np.array([n], dtype=np.float64), bool(cached))[0])


def kv_cache_bytes(model: Any, n_tokens: int, dtype: str = "bf16") -> float:
    """Bytes the KV cache of one sequence holds after ``n_tokens`` tokens.

    >>> from vizkit import catalog
    >>> m = catalog.model("llama-2-7b")
    >>> kv_cache_bytes(m, 1) == m.kv_bytes_per_token("bf16")
    True
    """
    m = _resolve(model)
    n = positive_int("n_tokens", n_tokens, maximum=MAX_TOKENS)
    return float(m.kv_bytes_per_token(_check_dtype(dtype))) * n


def _flops(m: Any, n: np.ndarray, cached: bool) -> np.ndarray:
    lin = float(m.linear_flops_per_token())
    pair = float(m.attn_flops_per_pair())
    if cached:
        return lin + pair * n
    head = lm_head_flops(m)
    return n * (lin - head) + head + pair * n * (n + 1.0) / 2.0


@dataclass(frozen=True)
class KVCacheTrace:
    """One row per decode step ``k = 1..n_new`` (arrays of length ``n_new``).

    All FLOP and byte arrays are float64; ``context_len`` is int32.
    """

    model_name: str                # catalog name, e.g. "llama-2-7b"
    prompt_len: int                # P: tokens prefilled before the first step
    n_new: int                     # N: decode steps (frames)
    dtype: str                     # storage type of the cached keys and values
    context_len: np.ndarray        # n_k = P + k: keys the step's query attends to
    flops_cached: np.ndarray       # FLOPs of step k with the KV cache
    flops_recompute: np.ndarray    # FLOPs of step k re-running the whole context
    kv_bytes: np.ndarray           # bytes in the KV cache after step k
    cum_flops_cached: np.ndarray   # running sum of flops_cached
    cum_flops_recompute: np.ndarray  # running sum of flops_recompute

    ARRAYS: ClassVar[tuple[str, ...]] = ("context_len", "flops_cached", "flops_recompute", "kv_bytes",
              "cum_flops_cached", "cum_flops_recompute")

    def __len__(self) -> int:
        return self.n_new

    def to_buffers(self) -> dict[str, bytes]:
        """Each array as little-endian bytes for the browser: int32 for
        ``context_len``, float32 for everything else.

        >>> from vizkit import catalog
        >>> b = decode_trace(catalog.model("gpt2"), 2, 3).to_buffers()
        >>> np.frombuffer(b["context_len"], "<i4").tolist()
        [3, 4, 5]
        """
        return _buffers.to_buffers((name, getattr(self, name)) for name in self.ARRAYS)



def decode_trace(model: Any, prompt_len: int, n_new: int, dtype: str = "bf16") -> KVCacheTrace:
    r"""Cost of ``n_new`` decode steps after a ``prompt_len``-token prompt, with and without a KV cache.

    Step :math:`k` has context :math:`n_k = P + k`; see the module docstring for
    :math:`F_\text{cached}` and :math:`F_\text{recompute}`. Summed over the steps,

    .. math::

        \sum_k F_\text{cached} = N L + p\,\bigl(NP + \tfrac{N(N+1)}{2}\bigr)

    which grows as :math:`N^2` in the attention term only, while
    :math:`\sum_k F_\text{recompute}` grows as :math:`N^2` in the linear term and
    :math:`N^3` in the attention term.

    Raises ``ValueError`` if ``prompt_len < 1``, ``n_new < 1``,
    ``prompt_len + n_new > 1,000,000`` or ``dtype`` is unknown.

    >>> from vizkit import catalog
    >>> t = decode_trace(catalog.model("llama-2-7b"), prompt_len=16, n_new=48)
    >>> len(t), int(t.context_len[-1])
    (48, 64)
    """
    m = _resolve(model)
    p = positive_int("prompt_len", prompt_len, maximum=MAX_TOKENS - 1)
    n_new = positive_int("n_new", n_new, maximum=MAX_TOKENS - 1)
    if p + n_new > MAX_TOKENS:
        raise ValueError(f"prompt_len + n_new must be <= {MAX_TOKENS:,}; got {p:,} + {n_new:,}")
    dtype = _check_dtype(dtype)

    ctx = np.arange(p + 1, p + n_new + 1, dtype=np.int64)          # (N,) n_k = P + k
    n = ctx.astype(np.float64)
    cached = _flops(m, n, True)
    recompute = _flops(m, n, False)
    kv = float(m.kv_bytes_per_token(dtype)) * n
    arrays = dict(context_len=ctx.astype(np.int32), flops_cached=cached,
                  flops_recompute=recompute, kv_bytes=kv,
                  cum_flops_cached=np.cumsum(cached), cum_flops_recompute=np.cumsum(recompute))
    for a in arrays.values():
        a.setflags(write=False)
    return KVCacheTrace(model_name=m.name, prompt_len=p, n_new=n_new, dtype=dtype, **arrays)
