"""vizkit.catalog: API, a second derivation of every count from tensor shapes, and properties."""

from __future__ import annotations

import dataclasses
import doctest
import importlib
import json
import math
from importlib.resources import files

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit import catalog

MODELS = ("gpt2", "gpt2-xl", "gpt3-175b", "llama-2-7b", "llama-2-13b", "llama-2-70b", "llama-3-8b",
          "llama-3-70b", "llama-3.1-405b", "mistral-7b", "mixtral-8x7b", "deepseek-v2", "deepseek-v3")
GPUS = ("a100-80gb-sxm", "h100-sxm", "h200-sxm", "b200")
BYTES = {"fp32": 4, "tf32": 4, "bf16": 2, "fp16": 2, "fp8": 1, "int8": 1, "fp4": 0.5, "int4": 0.5}


# -- a second derivation: list every tensor the way a checkpoint names it --------------------

def tensors(m, active=False):
    """(name, shape) of every weight, in the layout of the Hugging Face checkpoints
    (GPT2LMHeadModel, LlamaForCausalLM, MixtralForCausalLM, DeepseekV2/V3ForCausalLM)."""
    d, h, hd = m.d_model, m.n_heads, m.head_dim

    def norm(prefix, width=d):          # every norm, the MLA latents' included, is of type m.norm
        kinds = ("weight", "bias") if m.norm == "layernorm" else ("weight",)
        return [(f"{prefix}.{k}", (width,)) for k in kinds]

    def linear(name, n_out, n_in):
        out = [(f"{name}.weight", (n_out, n_in))]
        return out + [(f"{name}.bias", (n_out,))] if m.biases else out

    def mlp(prefix, width):
        if m.ffn == "gelu":
            return linear(f"{prefix}.c_fc", width, d) + linear(f"{prefix}.c_proj", d, width)
        return sum((linear(f"{prefix}.{p}", width, d) for p in ("gate_proj", "up_proj")), []) \
            + linear(f"{prefix}.down_proj", d, width)

    out = [("embed_tokens.weight", (m.vocab_size, d))]
    if m.learned_positions:
        out.append(("wpe.weight", (m.context_length, d)))
    for i in range(m.n_layers):
        p = f"layers.{i}"
        out += norm(f"{p}.input_layernorm") + norm(f"{p}.post_attention_layernorm")
        if m.attention == "mla":
            qk = m.qk_nope_head_dim + m.qk_rope_head_dim
            if m.q_lora_rank is None:
                out += linear(f"{p}.q_proj", h * qk, d)
            else:
                out += linear(f"{p}.q_a_proj", m.q_lora_rank, d)
                out += norm(f"{p}.q_a_layernorm", m.q_lora_rank)
                out += linear(f"{p}.q_b_proj", h * qk, m.q_lora_rank)
            out += linear(f"{p}.kv_a_proj_with_mqa", m.kv_lora_rank + m.qk_rope_head_dim, d)
            out += norm(f"{p}.kv_a_layernorm", m.kv_lora_rank)
            out += linear(f"{p}.kv_b_proj", h * (m.qk_nope_head_dim + m.v_head_dim), m.kv_lora_rank)
            out += linear(f"{p}.o_proj", d, h * m.v_head_dim)
        else:
            out += linear(f"{p}.q_proj", h * hd, d) + linear(f"{p}.k_proj", m.n_kv_heads * hd, d)
            out += linear(f"{p}.v_proj", m.n_kv_heads * hd, d) + linear(f"{p}.o_proj", d, h * hd)
        if m.n_routed_experts and i >= m.n_dense_layers:
            out += [(f"{p}.mlp.gate.weight", (m.n_routed_experts, d))]
            if m.router_bias:
                out += [(f"{p}.mlp.gate.e_score_correction_bias", (m.n_routed_experts,))]
            for e in range(m.top_k if active else m.n_routed_experts):
                out += mlp(f"{p}.mlp.experts.{e}", m.d_expert)
            if m.n_shared_experts:      # DeepSeek: one MLP of width S * d_e
                out += mlp(f"{p}.mlp.shared_experts", m.n_shared_experts * m.d_expert)
        else:
            out += mlp(f"{p}.mlp", m.d_ff)
    out += norm("norm")
    if not m.tied_embeddings:
        out.append(("lm_head.weight", (m.vocab_size, d)))
    return out


def count(shapes):
    return sum(math.prod(s) for _, s in shapes)


def matmul_weights(m):
    """2-D weights a token is multiplied by (embedding lookups excluded, LM head included)."""
    lookups = {"embed_tokens.weight", "wpe.weight"}
    mats = [(n, s) for n, s in tensors(m, active=True) if len(s) == 2 and n not in lookups]
    return count(mats) + (m.vocab_size * m.d_model if m.tied_embeddings else 0)


@pytest.fixture(params=MODELS)
def model(request):
    return catalog.model(request.param)


@pytest.fixture(params=GPUS)
def gpu(request):
    return catalog.gpu(request.param)


# -- API ---------------------------------------------------------------------------------------

def test_names_and_dtypes():
    assert catalog.model_names() == MODELS
    assert catalog.gpu_names() == GPUS
    assert catalog.DTYPES == tuple(BYTES)
    assert {d: catalog.dtype_bytes(d) for d in catalog.DTYPES} == BYTES
    assert set(catalog.__all__) >= {"model", "gpu", "model_names", "gpu_names", "dtype_bytes", "DTYPES"}


def test_names_are_case_insensitive():
    assert catalog.model("Llama-2-7B") is catalog.model("llama-2-7b")
    assert catalog.gpu("H100-SXM") is catalog.gpu("h100-sxm")
    assert catalog.dtype_bytes("BF16") == 2


def test_records_are_frozen(model, gpu):
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.n_layers = 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        gpu.hbm_bytes = 1
    with pytest.raises(TypeError):
        gpu.dense_flops["bf16"] = 1.0
    assert hash(model) == hash(dataclasses.replace(model))
    assert hash(gpu) == hash(catalog.gpu(gpu.name))


def test_error_messages_list_every_valid_name():
    with pytest.raises(ValueError) as err:
        catalog.model("llama-9")
    assert str(err.value).startswith("name must be one of gpt2, gpt2-xl, ")
    assert all(n in str(err.value) for n in MODELS) and "'llama-9'" in str(err.value)
    with pytest.raises(ValueError) as err:
        catalog.gpu("v100")
    assert all(n in str(err.value) for n in GPUS) and str(err.value).startswith("name must be one of")
    with pytest.raises(ValueError) as err:
        catalog.dtype_bytes("fp6")
    assert all(d in str(err.value) for d in BYTES) and str(err.value).startswith("dtype must be one of")


def test_a_dtype_without_tensor_cores_names_the_supported_ones():
    with pytest.raises(ValueError) as err:
        catalog.gpu("a100-80gb-sxm").peak_flops("fp8")
    msg = str(err.value)
    assert msg.startswith("dtype must be one of tf32, bf16, fp16, int8; got 'fp8'") and "A100" in msg


def test_model_fields_come_from_configs_json():
    cfg = json.loads(files("vizkit.catalog").joinpath("data/configs.json").read_text())
    assert catalog.model("mixtral-8x7b").d_model == cfg["Mixtral-8x7B architecture and total/active params"]["values"]["hidden_size"]
    for name, entry in (("llama-2-7b", "Llama-2-7B architecture"), ("llama-2-70b", "Llama-2-70B architecture")):
        assert (catalog.model(name).attention == "gqa") == cfg[entry]["values"]["GQA"]
    assert catalog.model(name).source == cfg[entry]["source"]


def test_architecture_facts():
    m = {n: catalog.model(n) for n in MODELS}
    assert m["gpt2"].tied_embeddings and not m["llama-2-7b"].tied_embeddings
    assert [m[n].attention for n in ("gpt2", "llama-2-7b", "llama-2-70b", "deepseek-v2")] == ["mha", "mha", "gqa", "mla"]
    assert m["gpt2"].d_ff == 4 * 768 and m["gpt3-175b"].d_ff == 4 * 12288
    assert m["mixtral-8x7b"].head_dim == 128 and m["mixtral-8x7b"].d_ff is None
    assert m["deepseek-v3"].head_dim == 128 and m["deepseek-v3"].n_dense_layers == 3
    assert m["llama-2-7b"].display_name == "Llama 2 7B"
    assert all(x.head_dim * x.n_heads == x.d_model for x in m.values() if x.attention != "mla")


def test_gpu_fields_and_the_b200_note():
    b = catalog.gpu("b200")
    assert "192" in b.note and "8 (DGX" in b.note
    assert catalog.gpu("h100-sxm").hbm_bytes == 80_000_000_000 and catalog.gpu("h100-sxm").note == ""
    assert catalog.gpu("h100-sxm").nvlink_bytes_per_s == 900e9 and b.nvlink_bytes_per_s == 1.8e12
    assert [catalog.gpu(g).tdp_w for g in GPUS] == [400, 700, 700, 1000]


def test_dense_figures_agree_with_the_dense_columns_configs_json_also_lists():
    cfg = json.loads(files("vizkit.catalog").joinpath("data/configs.json").read_text())
    h100 = cfg["NVIDIA H100 SXM datasheet numbers"]["values"]
    h200 = cfg["NVIDIA H200 SXM datasheet numbers"]["values"]
    b200 = cfg["NVIDIA B200 numbers (HGX/DGX B200)"]["values"]
    assert catalog.gpu("h100-sxm").peak_flops("bf16") == h100["BF16_FP16_tensor_dense_TFLOPS"] * 1e12
    assert catalog.gpu("h100-sxm").peak_flops("fp8") == h100["FP8_tensor_dense_TFLOPS"] * 1e12
    assert catalog.gpu("h200-sxm").peak_flops("fp8") == h200["FP8_tensor_dense_TFLOPS"] * 1e12
    assert catalog.gpu("b200").peak_flops("fp16") == b200["FP16_BF16_tensor_dense_PFLOPS"] * 1e15
    assert catalog.gpu("b200").peak_flops("fp8") == b200["FP8_dense_PFLOPS"] * 1e15
    assert catalog.gpu("b200").peak_flops("fp4") == b200["FP4_dense_PFLOPS"] * 1e15


def test_package_data_ships_with_the_package():
    assert files("vizkit.catalog").joinpath("data/configs.json").is_file()


@pytest.mark.parametrize("module", ["vizkit.catalog", "vizkit.catalog.models", "vizkit.catalog.gpus",
                                    "vizkit.catalog.dtypes"])
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


# -- counts against the tensor listing -----------------------------------------------------

def test_params_equal_the_sum_of_tensor_shapes(model):
    assert model.n_params() == count(tensors(model))
    assert model.n_active_params() == count(tensors(model, active=True))
    assert model.n_params() == sum(model.param_breakdown().values())


def test_linear_flops_are_twice_the_matmul_weights(model):
    assert model.linear_flops_per_token() == 2 * matmul_weights(model)


def test_embedding_params_and_weight_bytes(model):
    untied = 0 if model.tied_embeddings else model.vocab_size * model.d_model
    pos = model.context_length * model.d_model if model.learned_positions else 0
    assert model.embedding_params() == model.vocab_size * model.d_model + pos + untied
    assert model.weight_bytes() == 2 * model.n_params()
    assert model.weight_bytes("int4") == model.n_params() / 2


def test_dense_models_use_every_weight(model):
    if model.n_routed_experts:
        assert model.n_active_params() < model.n_params()
    else:
        assert model.n_active_params() == model.n_params()


def test_attention_pair_flops_closed_forms():
    assert catalog.model("llama-2-7b").attn_flops_per_pair() == 2 * 32 * 32 * (128 + 128)
    assert catalog.model("deepseek-v2").attn_flops_per_pair() == 2 * 60 * 128 * ((128 + 64) + 128)
    assert catalog.model("gpt2").forward_flops_per_token(1) == (
        catalog.model("gpt2").linear_flops_per_token() + 2 * 12 * 12 * (64 + 64))


def test_kv_elements_gqa_and_mla():
    assert catalog.model("llama-3-8b").kv_elements_per_token() == 2 * 32 * 8 * 128
    assert catalog.model("deepseek-v3").kv_elements_per_token() == 61 * (512 + 64)


# -- properties ----------------------------------------------------------------------------

names = st.sampled_from(MODELS)
dtypes = st.sampled_from(tuple(BYTES))


@given(name=names, a=dtypes, b=dtypes)
def test_kv_bytes_scale_linearly_with_dtype_bytes(name, a, b):
    m = catalog.model(name)
    assert m.kv_bytes_per_token(a) == m.kv_elements_per_token() * BYTES[a]
    assert m.kv_bytes_per_token(a) * BYTES[b] == m.kv_bytes_per_token(b) * BYTES[a]


@given(name=names, n=st.integers(1, 10**7), k=st.integers(1, 10**7))
def test_forward_flops_strictly_increase_with_context(name, n, k):
    m = catalog.model(name)
    assert m.forward_flops_per_token(n) < m.forward_flops_per_token(n + k)
    assert m.forward_flops_per_token(n) == m.linear_flops_per_token() + n * m.attn_flops_per_pair()


@given(name=st.sampled_from(GPUS), data=st.data())
def test_ridge_point_is_peak_over_bandwidth(name, data):
    g = catalog.gpu(name)
    dtype = data.draw(st.sampled_from(g.tensor_dtypes()))
    assert g.ridge_point(dtype) == g.peak_flops(dtype) / g.hbm_bytes_per_s
    assert g.peak_flops(dtype.upper()) == g.peak_flops(dtype)


def not_a(valid):
    return st.one_of(st.text(max_size=12), st.integers(), st.none()).filter(
        lambda s: not (isinstance(s, str) and s.lower() in valid))


@given(bad=not_a(MODELS))
def test_bad_model_names_raise_naming_the_parameter(bad):
    with pytest.raises(ValueError, match=r"^name must be one of gpt2, .*deepseek-v3; got "):
        catalog.model(bad)


@given(bad=not_a(GPUS))
def test_bad_gpu_names_raise_naming_the_parameter(bad):
    with pytest.raises(ValueError, match=r"^name must be one of a100-80gb-sxm, .*b200; got "):
        catalog.gpu(bad)


@given(bad=not_a(BYTES), name=names, g=st.sampled_from(GPUS))
def test_bad_dtypes_raise_naming_the_parameter(bad, name, g):
    for call in (catalog.dtype_bytes, catalog.model(name).kv_bytes_per_token,
                 catalog.model(name).weight_bytes, catalog.gpu(g).peak_flops, catalog.gpu(g).ridge_point):
        with pytest.raises(ValueError, match=r"^dtype must be one of fp32, .*int4; got "):
            call(bad)


@given(name=names, n=st.one_of(st.integers(max_value=0), st.floats(allow_nan=True), st.booleans()))
def test_bad_context_raises_naming_the_parameter(name, n):
    with pytest.raises(ValueError, match=r"^context_len must be an integer >= 1"):
        catalog.model(name).forward_flops_per_token(n)


@st.composite
def random_models(draw):
    """Any consistent dense, GQA, MoE or MLA configuration."""
    n_heads = draw(st.integers(1, 16))
    n_kv = draw(st.sampled_from([k for k in range(1, n_heads + 1) if n_heads % k == 0]))
    head_dim = draw(st.integers(1, 32))
    n_layers = draw(st.integers(1, 6))
    kind = "mha" if n_kv == n_heads else "mqa" if n_kv == 1 else "gqa"
    kw = dict(name="toy", display_name="Toy", d_model=draw(st.integers(1, 96)), n_layers=n_layers,
              n_heads=n_heads, n_kv_heads=n_kv, head_dim=head_dim, d_ff=draw(st.integers(1, 64)),
              vocab_size=draw(st.integers(1, 500)), context_length=draw(st.integers(1, 64)),
              attention=kind, ffn=draw(st.sampled_from(["gelu", "swiglu"])),
              norm=draw(st.sampled_from(["layernorm", "rmsnorm"])), tied_embeddings=draw(st.booleans()),
              learned_positions=draw(st.booleans()), biases=draw(st.booleans()))
    if draw(st.booleans()):
        e = draw(st.integers(1, 8))
        kw |= dict(n_routed_experts=e, top_k=draw(st.integers(1, e)), d_expert=draw(st.integers(1, 16)),
                   n_shared_experts=draw(st.integers(0, 2)), n_dense_layers=draw(st.integers(0, n_layers)),
                   router_bias=draw(st.booleans()))
    if draw(st.booleans()):
        kw |= dict(attention="mla", n_kv_heads=n_heads, biases=False, kv_lora_rank=draw(st.integers(1, 16)),
                   q_lora_rank=draw(st.one_of(st.none(), st.integers(1, 16))),
                   qk_rope_head_dim=draw(st.integers(1, 8)), qk_nope_head_dim=head_dim,
                   v_head_dim=draw(st.integers(1, 16)))
    return catalog.Model(**kw)


@settings(max_examples=200)
@given(m=random_models())
def test_counts_match_the_tensor_listing_for_any_configuration(m):
    assert m.n_params() == count(tensors(m))
    assert m.n_active_params() == count(tensors(m, active=True))
    assert m.n_active_params() <= m.n_params()
    assert m.linear_flops_per_token() == 2 * matmul_weights(m)
    if m.top_k == m.n_routed_experts:
        assert m.n_active_params() == m.n_params()


@given(m=random_models())
def test_kv_cache_shrinks_with_fewer_kv_heads(m):
    if m.attention != "mla" and m.n_kv_heads < m.n_heads:
        mha = dataclasses.replace(m, n_kv_heads=m.n_heads, attention="mha")
        assert m.kv_elements_per_token() * m.n_heads == mha.kv_elements_per_token() * m.n_kv_heads


@pytest.mark.parametrize("change,param", [
    (dict(n_layers=0), "n_layers"), (dict(d_model=-1), "d_model"), (dict(attention="mha"), "attention"),
    (dict(ffn="relu"), "ffn"), (dict(top_k=9), "top_k"), (dict(n_kv_heads=3, attention="gqa"), "n_kv_heads"),
])
def test_invalid_models_raise_naming_the_field(change, param):
    with pytest.raises(ValueError, match=f"^{param} must"):
        dataclasses.replace(catalog.model("mixtral-8x7b"), **change)
