r"""How long one engine step takes: a roofline over the whole batch.

A step runs the model once over every token scheduled in it: one token per
decoding sequence plus the prompt chunks being prefilled. Its time is whichever
bound binds (Williams et al. 2009, the roofline):

.. math::

    t_\text{step} = \max\!\Big(\frac{W + b_{kv}\,(R + N)}{\text{BW}},\;
                          \frac{F_\text{lin}\,N + F_\text{attn}\,P}{\text{peak}}\Big)

* :math:`N` tokens in the step, :math:`R` cached tokens whose keys and values are
  read (a decoding sequence of context :math:`c` reads :math:`c`; a chunk that
  starts at position :math:`s` reads :math:`s`), and :math:`N` new KV entries written;
* :math:`P` query-key pairs: :math:`c + 1` per decoding token, :math:`m s + m(m+1)/2`
  for a chunk of :math:`m` tokens starting at :math:`s` (causal);
* :math:`W` weight bytes read once per step. For a MoE, each token picks ``top_k``
  of :math:`E` routed experts; with uniform routing a step of :math:`N` tokens
  touches a fraction :math:`1 - (1 - k/E)^N` of each layer's experts, so batch 1
  reads the active weights and a large batch reads them all;
* :math:`b_{kv}` KV bytes per token, :math:`F_\text{lin}` = ``linear_flops_per_token``,
  :math:`F_\text{attn}` = ``attn_flops_per_pair``, BW and peak of the GPUs (times ``tp``).

At batch 1 a decode step is memory bound: :math:`(W + b_{kv}(c + 1))/\text{BW}`.

>>> cm = CostModel(weight_bytes=16e9, kv_bytes_per_token=131072.0,
...                linear_flops_per_token=16e9, attn_flops_per_pair=524288.0,
...                hbm_bytes_per_s=3.35e12, peak_flops=989.5e12, kv_capacity_bytes=5.6e10)
>>> round(cm.decode_step_s(batch=1, context_len=1000) * 1e3, 3)   # ms
4.815
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import in_range, one_of, positive_float, positive_int

__all__ = ["CostModel", "cost_model", "LIMITS"]

#: What the step-time model leaves out; every number it gives is a lower bound.
LIMITS = (
    "kernel launch and CPU scheduling overhead (tens of microseconds per step; CUDA graphs hide some)",
    "attention and GEMM kernel efficiency: bandwidth and FLOP/s are datasheet peaks, "
    "real kernels reach perhaps 60-90% of them",
    "communication: tensor-parallel all-reduces and expert-parallel all-to-alls cost nothing here",
    "activations, softmax, norms, RoPE and sampling: only matmul FLOPs and weight/KV bytes count",
    "the LM head runs on every scheduled token, also on prompt positions whose logits are unused",
    "MoE routing is uniform and perfectly balanced; real routers are skewed",
    "memory held by activations, CUDA graphs and the allocator beyond mem_fraction",
    "overlap of compute with memory traffic inside a step beyond the max() of the two",
)


@dataclass(frozen=True)
class CostModel:
    """Everything the engine needs to time a step, in plain numbers (SI units)."""

    weight_bytes: float             # every weight (all GPUs of one replica)
    kv_bytes_per_token: float       # K and V of one token over all layers
    linear_flops_per_token: float   # 2 x active matmul weights (LM head included)
    attn_flops_per_pair: float      # one query on one key, all layers
    hbm_bytes_per_s: float          # summed over the tp GPUs
    peak_flops: float               # dense tensor FLOP/s, summed over the tp GPUs
    kv_capacity_bytes: float        # HBM left for the KV cache after the weights
    expert_weight_bytes: float = 0.0   # routed-expert share of weight_bytes (MoE)
    expert_top_k_frac: float = 1.0     # k / E: routed experts one token uses
    swap_bytes_per_s: float = 64e9     # host link for swap preemption (PCIe Gen5 x16)
    label: str = ""

    def __post_init__(self) -> None:
        for f in ("weight_bytes", "kv_bytes_per_token", "linear_flops_per_token",
                  "attn_flops_per_pair", "hbm_bytes_per_s", "peak_flops", "kv_capacity_bytes",
                  "swap_bytes_per_s"):
            positive_float(f, getattr(self, f))
        in_range("expert_weight_bytes", self.expert_weight_bytes, 0.0, self.weight_bytes)
        in_range("expert_top_k_frac", self.expert_top_k_frac, 1e-9, 1.0)

    # -- capacity ------------------------------------------------------------------------

    def n_blocks(self, block_size: int) -> int:
        """KV blocks of ``block_size`` tokens that fit in :attr:`kv_capacity_bytes`."""
        bs = positive_int("block_size", block_size, maximum=1 << 16)
        n = int(self.kv_capacity_bytes // (self.kv_bytes_per_token * bs))
        if n < 1:
            raise ValueError(
                f"block_size: not one KV block of {bs} tokens ({self.kv_bytes_per_token * bs:.3g} B) "
                f"fits in the {self.kv_capacity_bytes:.3g} B left after the weights; use a larger "
                f"GPU, more tensor-parallel GPUs (tp), a smaller dtype or a smaller block_size")
        return n

    # -- time ----------------------------------------------------------------------------

    def weights_read_bytes(self, n_tokens):
        """Weight bytes a step of ``n_tokens`` reads (all of them for a dense model)."""
        if self.expert_weight_bytes == 0.0:
            return self.weight_bytes + 0.0 * np.asarray(n_tokens, dtype=float)
        touched = 1.0 - (1.0 - self.expert_top_k_frac) ** np.asarray(n_tokens, dtype=float)
        return self.weight_bytes - self.expert_weight_bytes * (1.0 - touched)

    def step_s(self, n_tokens, n_pairs, kv_read_tokens):
        """Seconds for a step (arrays broadcast); 0 where ``n_tokens == 0``."""
        n = np.asarray(n_tokens, dtype=float)
        mem = (self.weights_read_bytes(n)
               + self.kv_bytes_per_token * (np.asarray(kv_read_tokens, dtype=float) + n))
        flops = self.linear_flops_per_token * n + self.attn_flops_per_pair * np.asarray(n_pairs, dtype=float)
        t = np.maximum(mem / self.hbm_bytes_per_s, flops / self.peak_flops)
        return np.where(n > 0, t, 0.0)

    def step_s_positive(self, n_tokens: np.ndarray, n_pairs: np.ndarray,
                        kv_read_tokens: np.ndarray) -> np.ndarray:
        """:meth:`step_s` for arrays with every ``n_tokens > 0`` (the engine's decode runs)."""
        w = self.weight_bytes
        if self.expert_weight_bytes:
            w = w - self.expert_weight_bytes * (1.0 - self.expert_top_k_frac) ** n_tokens
        mem = (kv_read_tokens + n_tokens) * (self.kv_bytes_per_token / self.hbm_bytes_per_s)
        mem += w / self.hbm_bytes_per_s
        comp = n_tokens * (self.linear_flops_per_token / self.peak_flops)
        comp += n_pairs * (self.attn_flops_per_pair / self.peak_flops)
        return np.maximum(mem, comp, out=mem)

    def step_s_scalar(self, n_tokens: int, n_pairs: int, kv_read_tokens: int) -> float:
        """:meth:`step_s` for plain numbers, fast enough for the engine's inner loop."""
        w = self.weight_bytes
        if self.expert_weight_bytes:
            w -= self.expert_weight_bytes * (1.0 - self.expert_top_k_frac) ** n_tokens
        mem = (w + self.kv_bytes_per_token * (kv_read_tokens + n_tokens)) / self.hbm_bytes_per_s
        comp = (self.linear_flops_per_token * n_tokens + self.attn_flops_per_pair * n_pairs) / self.peak_flops
        return mem if mem > comp else comp

    def decode_step_s(self, batch: int, context_len: int) -> float:
        """A decode step of ``batch`` sequences that each hold ``context_len`` cached tokens."""
        b = positive_int("batch", batch)
        c = int(context_len)
        return self.step_s_scalar(b, b * (c + 1), b * c)

    def prefill_s(self, prompt_tokens: int) -> float:
        """One prefill of ``prompt_tokens`` from an empty cache."""
        m = positive_int("prompt_tokens", prompt_tokens)
        return self.step_s_scalar(m, m * (m + 1) // 2, 0)

    def ridge_tokens(self) -> float:
        """Tokens per step where weight reads and linear FLOPs take equal time (dense part)."""
        return self.weight_bytes / self.hbm_bytes_per_s * self.peak_flops / self.linear_flops_per_token


def _dtype(name: str, value: object, choices: tuple[str, ...]) -> str:
    key = value.lower() if isinstance(value, str) else value
    return one_of(name, key, choices)


def cost_model(model="llama-3-8b", gpu="h100-sxm", dtype: str = "bf16", kv_dtype: str | None = None,
               tp: int = 1, mem_fraction: float = 0.9) -> CostModel:
    """A :class:`CostModel` from a catalog model and GPU (objects or names).

    ``tp`` GPUs split weights and KV (tensor parallel); ``mem_fraction`` of HBM is
    the engine's to use (vLLM's ``gpu_memory_utilization``, default 0.9).
    Raises ``ValueError`` if the weights alone do not fit.
    """
    from vizkit import catalog

    m = catalog.model(model) if isinstance(model, str) else model
    g = catalog.gpu(gpu) if isinstance(gpu, str) else gpu
    dt = _dtype("dtype", dtype, catalog.DTYPES)
    kdt = dt if kv_dtype is None else _dtype("kv_dtype", kv_dtype, catalog.DTYPES)
    n_gpu = positive_int("tp", tp, maximum=1024)
    frac = in_range("mem_fraction", mem_fraction, 0.05, 1.0)
    weight_bytes = float(m.weight_bytes(dt))
    usable = g.hbm_bytes * n_gpu * frac
    if weight_bytes >= usable:
        raise ValueError(
            f"model: {m.name} weights need {weight_bytes / 1e9:.1f} GB in {dt} but {n_gpu} x "
            f"{g.name} offer {usable / 1e9:.1f} GB (mem_fraction {frac:g}); use a larger gpu, "
            f"tp >= {int(weight_bytes // (g.hbm_bytes * frac)) + 1} or a smaller dtype")
    experts = 0.0
    k_frac = 1.0
    if getattr(m, "n_routed_experts", 0):
        experts = m.param_breakdown()["routed_experts"] * catalog.dtype_bytes(dt)
        k_frac = m.top_k / m.n_routed_experts
    return CostModel(
        weight_bytes=weight_bytes,
        kv_bytes_per_token=float(m.kv_bytes_per_token(kdt)),
        linear_flops_per_token=float(m.linear_flops_per_token()),
        attn_flops_per_pair=float(m.attn_flops_per_pair()),
        hbm_bytes_per_s=float(g.hbm_bytes_per_s) * n_gpu,
        peak_flops=float(g.peak_flops(dt)) * n_gpu,
        kv_capacity_bytes=usable - weight_bytes,
        expert_weight_bytes=experts,
        expert_top_k_frac=k_frac,
        label=f"{m.name} on {n_gpu} x {g.name} ({dt}, KV {kdt})",
    )
