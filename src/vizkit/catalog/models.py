r"""Transformer language models: stored hyper-parameters and the counts derived from them.

With :math:`d` = ``d_model``, :math:`L` = ``n_layers``, :math:`h` = ``n_heads``, :math:`h_{kv}` =
``n_kv_heads``, :math:`d_h` = ``head_dim`` and :math:`V` = ``vocab_size``, a layer holds
:math:`2 d h d_h + 2 d h_{kv} d_h` attention weights (MLA: :math:`d d_c' + d_c' h (d_h + d_h^R)
+ d (d_c + d_h^R) + d_c h (d_h + d_v) + h d_v d`) and :math:`m\,d\,d_\text{ff}` FFN weights
(:math:`m` = 2 for GELU, 3 for SwiGLU). A MoE layer holds :math:`E` routed and :math:`S` shared
experts of width :math:`d_e` and a :math:`d \times E` router; a token uses :math:`k` routed
experts. Each norm adds :math:`d` (RMSNorm) or :math:`2d` (LayerNorm) weights; the model adds
:math:`V d` token embeddings, learned positions if any, a final norm and an LM head
(:math:`V d`, shared with the embeddings when tied).

>>> from vizkit.catalog import model
>>> m = model("llama-2-7b")
>>> m.n_params(), m.kv_bytes_per_token("bf16")
(6738415616, 524288.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vizkit._validate import nonneg_int, one_of, positive_int

from .dtypes import dtype_bytes

__all__ = ["Model"]


@dataclass(frozen=True)
class Model:
    """Hyper-parameters of one decoder-only transformer, in the book's symbols.

    >>> from vizkit.catalog import model
    >>> model("mixtral-8x7b").attention, model("deepseek-v3").attention
    ('gqa', 'mla')
    """

    name: str                       # catalog key, e.g. "llama-2-7b"
    display_name: str               # e.g. "Llama 2 7B"
    d_model: int                    # residual-stream width d
    n_layers: int                   # transformer blocks L
    n_heads: int                    # query heads h
    n_kv_heads: int                 # key/value heads (= n_heads for MHA and MLA)
    head_dim: int                   # d_h (MLA: DeepSeek's d_h = qk_nope_head_dim)
    d_ff: int | None                # dense FFN width; MoE: the dense layers' width, or None
    vocab_size: int                 # V
    context_length: int             # tokens the released model supports
    attention: str                  # "mha" | "gqa" | "mqa" | "mla"
    ffn: str                        # "gelu" (2 matrices) | "swiglu" (3 matrices)
    norm: str                       # "layernorm" (weight + bias) | "rmsnorm" (weight)
    tied_embeddings: bool           # LM head is the token-embedding matrix
    learned_positions: bool         # learned context_length x d_model position table
    biases: bool                    # linear layers carry bias vectors
    n_routed_experts: int = 0       # E (0: dense model)
    n_shared_experts: int = 0       # S: experts every token uses
    top_k: int = 0                  # k: routed experts per token
    d_expert: int | None = None     # d_e: hidden width of one expert
    n_dense_layers: int = 0         # leading MoE-model layers that keep a dense FFN
    router_bias: bool = False       # per-expert router bias (DeepSeek-V3)
    kv_lora_rank: int | None = None       # d_c: the cached KV latent
    q_lora_rank: int | None = None        # d_c': query latent; None = direct q projection
    qk_rope_head_dim: int | None = None   # d_h^R: decoupled RoPE query/key width
    qk_nope_head_dim: int | None = None   # per-head query/key width without RoPE
    v_head_dim: int | None = None         # d_v: per-head value width
    source: str = ""                # where the stored numbers were read

    def __post_init__(self) -> None:
        for f in ("d_model", "n_layers", "n_heads", "n_kv_heads", "head_dim", "vocab_size", "context_length"):
            positive_int(f, getattr(self, f))
        for f, options in (("attention", ("mha", "gqa", "mqa", "mla")), ("ffn", ("gelu", "swiglu")),
                           ("norm", ("layernorm", "rmsnorm"))):
            one_of(f, getattr(self, f), options)
        for f in ("n_routed_experts", "n_shared_experts"):
            nonneg_int(f, getattr(self, f))
        nonneg_int("n_dense_layers", self.n_dense_layers, maximum=self.n_layers)
        if self.n_routed_experts:
            positive_int("top_k", self.top_k, maximum=self.n_routed_experts)
            positive_int("d_expert", self.d_expert)
        if not self.n_routed_experts or self.n_dense_layers:
            positive_int("d_ff", self.d_ff)
        if self.attention == "mla":
            for f in ("kv_lora_rank", "qk_rope_head_dim", "qk_nope_head_dim", "v_head_dim"):
                positive_int(f, getattr(self, f))
            if self.q_lora_rank is not None:
                positive_int("q_lora_rank", self.q_lora_rank)
            one_of("biases", self.biases, (False,))      # DeepSeek's projections have none
        elif self.attention != (kind := _attention_kind(self.n_heads, self.n_kv_heads)):
            raise ValueError(f"attention must be {kind!r} for n_heads={self.n_heads}, "
                             f"n_kv_heads={self.n_kv_heads}; got {self.attention!r}")

    def _qk_v_head_dims(self) -> tuple[int, int]:
        if self.attention == "mla":
            return self.qk_nope_head_dim + self.qk_rope_head_dim, self.v_head_dim
        return self.head_dim, self.head_dim

    def _attn_weights(self) -> int:
        d, h, (qk, v) = self.d_model, self.n_heads, self._qk_v_head_dims()
        if self.attention != "mla":
            return 2 * d * h * qk + 2 * d * self.n_kv_heads * qk                # q, o; k, v
        dc, dq = self.kv_lora_rank, self.q_lora_rank
        q = d * h * qk if dq is None else d * dq + dq * h * qk                  # (down,) up
        kv = d * (dc + self.qk_rope_head_dim) + dc * h * (self.qk_nope_head_dim + v)
        return q + kv + h * v * d                                               # + output

    def _ffn(self, width: int | None) -> tuple[int, int]:
        """(weights, biases) of one FFN or expert of hidden width ``width``."""
        m, w = (2 if self.ffn == "gelu" else 3), width or 0
        return m * self.d_model * w, ((m - 1) * w + self.d_model) * self.biases

    def param_breakdown(self, active: bool = False) -> dict[str, int]:
        """Weights by component; ``active=True`` keeps only ``top_k`` routed experts."""
        d, L, vd = self.d_model, self.n_layers, self.vocab_size * self.d_model
        n_moe = L - self.n_dense_layers if self.n_routed_experts else 0
        routed = self.top_k if active else self.n_routed_experts
        (ffn_w, ffn_b), (exp_w, exp_b) = self._ffn(self.d_ff), self._ffn(self.d_expert)
        shared_w, shared_b = self._ffn(self.n_shared_experts * (self.d_expert or 0))   # one wide MLP
        attn_b = (self.n_heads + 2 * self.n_kv_heads) * self.head_dim + d
        latents = (self.q_lora_rank or 0) + self.kv_lora_rank if self.attention == "mla" else 0
        return {
            "embedding": vd,
            "positions": self.context_length * d if self.learned_positions else 0,
            "attention": L * self._attn_weights(),
            "ffn": (L - n_moe) * ffn_w,
            "routed_experts": n_moe * routed * exp_w,
            "shared_experts": n_moe * shared_w,
            "router": n_moe * d * self.n_routed_experts,
            "biases": (L * attn_b * self.biases + (L - n_moe) * ffn_b
                       + n_moe * (routed * exp_b + shared_b * (self.n_shared_experts > 0)
                                  + self.n_routed_experts * self.router_bias)),
            # two per layer, the MLA latents' norms, the final norm
            "norms": (2 if self.norm == "layernorm" else 1) * (L * (2 * d + latents) + d),
            "lm_head": 0 if self.tied_embeddings else vd,
        }

    def n_params(self) -> int:
        """Every weight, a tied LM head counted once (DeepSeek-V3: the 671B main model,
        without its multi-token-prediction module)."""
        return sum(self.param_breakdown().values())

    def n_active_params(self) -> int:
        """Weights one token uses: all non-expert weights (token embeddings included, as in
        Mistral's "12.9B active"), router, shared and ``top_k`` routed experts. DeepSeek's
        "activated" counts omit the embedding table: subtract ``param_breakdown()["embedding"]``.

        >>> from vizkit.catalog import model
        >>> round(model("mixtral-8x7b").n_active_params() / 1e9, 1)
        12.9
        """
        return sum(self.param_breakdown(active=True).values())

    def embedding_params(self) -> int:
        """Token embeddings + learned positions + an untied LM head; ``n_params() -
        embedding_params()`` is the "non-embedding" N of scaling laws."""
        b = self.param_breakdown()
        return b["embedding"] + b["positions"] + b["lm_head"]

    def weight_bytes(self, dtype: str = "bf16") -> float:
        """Bytes of every weight stored as ``dtype``: ``n_params() * dtype_bytes(dtype)``."""
        return self.n_params() * dtype_bytes(dtype)

    def linear_flops_per_token(self) -> int:
        r""":math:`2 \times` the active weights that multiply a token's activations: attention,
        FFN or experts, router and the LM head (:math:`2 V d`, tied or not). Embedding and
        position lookups, norms and bias additions are not matmuls and are left out."""
        b = self.param_breakdown(active=True)
        matmul = sum(b[k] for k in ("attention", "ffn", "routed_experts", "shared_experts", "router"))
        return 2 * (matmul + self.vocab_size * self.d_model)

    def attn_flops_per_pair(self) -> int:
        r"""FLOPs one query spends on one key over all layers, :math:`q k^\top` plus :math:`a v`:
        :math:`2 L h (d_{qk} + d_v)` with :math:`d_{qk} = d_v = d_h`, or for MLA (computed
        without weight absorption) :math:`d_{qk} = d_h + d_h^R`.

        >>> from vizkit.catalog import model
        >>> model("llama-2-7b").attn_flops_per_pair() == 2 * 32 * 32 * (128 + 128)
        True
        """
        return 2 * self.n_layers * self.n_heads * sum(self._qk_v_head_dims())

    def forward_flops_per_token(self, context_len: int) -> int:
        """Matmul FLOPs of one token whose query sees ``context_len`` keys (itself included):
        ``linear_flops_per_token() + attn_flops_per_pair() * context_len``. Not capped at
        ``context_length``; softmax, norms and RoPE are left out."""
        n = positive_int("context_len", context_len)
        return self.linear_flops_per_token() + self.attn_flops_per_pair() * n

    def kv_elements_per_token(self) -> int:
        r"""Numbers cached per token over all layers: :math:`2 L h_{kv} d_h` (keys and values),
        or for MLA :math:`L (d_c + d_h^R)`, the KV latent plus the one RoPE key all heads share.

        >>> from vizkit.catalog import model
        >>> model("deepseek-v2").kv_elements_per_token() == 60 * (512 + 64)
        True
        """
        if self.attention == "mla":
            return self.n_layers * (self.kv_lora_rank + self.qk_rope_head_dim)
        return 2 * self.n_layers * self.n_kv_heads * self.head_dim

    def kv_bytes_per_token(self, dtype: str = "bf16") -> float:
        """KV-cache bytes per token: ``kv_elements_per_token() * dtype_bytes(dtype)``."""
        return self.kv_elements_per_token() * dtype_bytes(dtype)


def _attention_kind(n_heads: int, n_kv_heads: int) -> str:
    if n_heads % n_kv_heads:
        raise ValueError(f"n_kv_heads must divide n_heads={n_heads}; got {n_kv_heads}")
    return "mha" if n_kv_heads == n_heads else "mqa" if n_kv_heads == 1 else "gqa"


# One table, read by vizkit.catalog.model(): name -> (display name, configs.json entry,
# {field: key in the entry's "values"} ("a/b" is nested, ("entry", "key") reads another entry),
# facts configs.json does not carry). Absent n_kv_heads = n_heads; absent head_dim = d_model // n_heads.
# GPT-2 (openai/gpt-2 src/model.py): GELU MLP of width 4 d_model, LayerNorm with weight and
# bias, learned positions, biased projections, LM head = wte^T. GPT-3 (Brown et al. 2020 §2.1):
# "the same model and architecture as GPT-2 ... reversible tokenization", hence GPT-2's
# vocabulary; Table 2.1 caption: d_ff = 4 d_model.
_GPT = dict(ffn="gelu", norm="layernorm", tied_embeddings=True, learned_positions=True,
            biases=True, d_ff_per_d_model=4)
# Llama 2/3, Mistral, Mixtral, DeepSeek: SwiGLU, RMSNorm, RoPE, no biases, untied LM head
# (transformers' Llama/Mistral/Mixtral configs, DeepSeek's config.json: tie_word_embeddings=False).
_ROPE = dict(ffn="swiglu", norm="rmsnorm", tied_embeddings=False, learned_positions=False, biases=False)
_HF = {"d_model": "hidden_size", "n_layers": "num_hidden_layers", "n_heads": "num_attention_heads",
       "n_kv_heads": "num_key_value_heads", "head_dim": "head_dim", "d_ff": "intermediate_size",
       "vocab_size": "vocab_size"}
_DS = {"d_model": "hidden", "n_layers": "num_layers", "n_heads": "n_heads", "d_ff": "dense_intermediate",
       "vocab_size": "vocab", "n_routed_experts": "routed_experts", "n_shared_experts": "shared_experts",
       "top_k": "top_k", "n_dense_layers": "dense_layers", "qk_nope_head_dim": "qk_nope_head_dim",
       "v_head_dim": "v_head_dim"}
_GPT2 = "GPT-2 small and XL architecture"


def _gpt2(size: str) -> dict[str, str]:
    return {"d_model": f"{size}/n_embd", "n_layers": f"{size}/n_layer", "n_heads": f"{size}/n_head",
            "head_dim": f"{size}/head_dim", "vocab_size": "vocab_size", "context_length": "n_ctx"}


_MODELS: dict[str, tuple[str, str, dict[str, Any], dict[str, Any]]] = {
    "gpt2": ("GPT-2 small", _GPT2, _gpt2("gpt2_small"), _GPT),
    "gpt2-xl": ("GPT-2 XL", _GPT2, _gpt2("gpt2_xl"), _GPT),
    "gpt3-175b": ("GPT-3 175B", "GPT-3 175B architecture and training compute",
                  {"d_model": "d_model", "n_layers": "n_layers", "n_heads": "n_heads", "head_dim": "d_head",
                   "vocab_size": (_GPT2, "vocab_size"), "context_length": "n_ctx"}, _GPT),
    "llama-2-7b": ("Llama 2 7B", "Llama-2-7B architecture", {**_HF, "context_length": "context_length"}, _ROPE),
    # Llama 2 paper (Touvron et al. 2023) Table 1: 4k context for every size.
    "llama-2-13b": ("Llama 2 13B", "Llama-2-13B architecture", _HF, {**_ROPE, "context_length": 4096}),
    "llama-2-70b": ("Llama 2 70B", "Llama-2-70B architecture", _HF, {**_ROPE, "context_length": 4096}),
    "llama-3-8b": ("Llama 3 8B", "Llama-3-8B architecture", {**_HF, "context_length": "context_length"}, _ROPE),
    # Llama 3 model card: 8k context for 8B and 70B; Llama 3.1: 128k (max_position_embeddings 131072).
    "llama-3-70b": ("Llama 3 70B", "Llama-3-70B architecture", _HF, {**_ROPE, "context_length": 8192}),
    "llama-3.1-405b": ("Llama 3.1 405B", "Llama-3.1-405B architecture", _HF, {**_ROPE, "context_length": 131072}),
    "mistral-7b": ("Mistral 7B", "Mistral-7B-v0.1 architecture",
                   {**_HF, "context_length": "max_position_embeddings"}, _ROPE),
    # Mixtral paper (Jiang et al. 2024) §2: 32k-token context; every layer is MoE.
    "mixtral-8x7b": ("Mixtral 8x7B", "Mixtral-8x7B architecture and total/active params",
                     {"d_model": "hidden_size", "n_layers": "num_hidden_layers", "n_heads": "num_attention_heads",
                      "n_kv_heads": "num_key_value_heads", "vocab_size": "vocab_size",
                      "n_routed_experts": "num_local_experts", "top_k": "num_experts_per_tok",
                      "d_expert": "intermediate_size_per_expert"}, {**_ROPE, "context_length": 32768, "d_ff": None}),
    # DeepSeek-V2 paper and DeepSeek-V3 README: 128K context.
    "deepseek-v2": ("DeepSeek-V2", "DeepSeek-V2 architecture (MLA + DeepSeekMoE)",
                    {**_DS, "head_dim": "head_dim_d_h", "d_expert": "expert_intermediate",
                     "kv_lora_rank": "kv_lora_rank_d_c", "q_lora_rank": "q_lora_rank_d_c_prime",
                     "qk_rope_head_dim": "qk_rope_head_dim_d_hR"}, {**_ROPE, "context_length": 131072}),
    # V3 report §4.2: d_h = 128 = qk_nope_head_dim. Its router carries a per-expert bias
    # (deepseek-ai/DeepSeek-V3 inference/model.py, Gate.bias). The catalog models the 671B main
    # model; the 14B multi-token-prediction module (README) is a training aid, left out.
    "deepseek-v3": ("DeepSeek-V3", "DeepSeek-V3 architecture (MLA + MoE)",
                    {**_DS, "head_dim": "qk_nope_head_dim", "d_expert": "moe_intermediate",
                     "kv_lora_rank": "kv_lora_rank", "q_lora_rank": "q_lora_rank",
                     "qk_rope_head_dim": "qk_rope_head_dim"}, {**_ROPE, "context_length": 131072, "router_bias": True}),
}
