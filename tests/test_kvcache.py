"""vizkit.inference.kvcache: decode-step FLOPs and KV bytes, checked against closed forms,
a brute-force causal mask and properties."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit import catalog
from vizkit.inference import KVCacheTrace, decode_trace, kv_cache_bytes, lm_head_flops, step_flops

MODELS = ("gpt2", "llama-2-7b", "llama-3-8b", "deepseek-v2")


def tetra(m: int) -> float:
    """sum_{n=1}^{m} n(n+1)/2 = m(m+1)(m+2)/6."""
    return m * (m + 1) * (m + 2) / 6


@pytest.fixture(params=MODELS)
def model(request):
    return catalog.model(request.param)


# -- closed forms ---------------------------------------------------------------------------

@pytest.mark.parametrize("prompt_len,n_new", [(1, 1), (16, 48), (100, 1000), (4096, 512)])
def test_sums_over_steps_equal_the_series_closed_forms(model, prompt_len, n_new):
    t = decode_trace(model, prompt_len, n_new)
    L = model.linear_flops_per_token()
    p = model.attn_flops_per_pair()
    H = 2.0 * model.d_model * model.vocab_size
    P, N = prompt_len, n_new
    sum_n = N * P + N * (N + 1) / 2                       # sum of n_k = P + k, k = 1..N
    want_cached = N * L + p * sum_n
    want_recompute = (L - H) * sum_n + N * H + p * (tetra(P + N) - tetra(P))
    assert t.cum_flops_cached[-1] == pytest.approx(want_cached, rel=1e-12)
    assert t.cum_flops_recompute[-1] == pytest.approx(want_recompute, rel=1e-12)
    np.testing.assert_allclose(t.cum_flops_cached, np.cumsum(t.flops_cached), rtol=1e-15)
    np.testing.assert_allclose(t.cum_flops_recompute, np.cumsum(t.flops_recompute), rtol=1e-15)


def test_the_lm_head_is_the_catalogs_share_of_linear_flops(model):
    assert lm_head_flops(model) == 2 * model.d_model * model.vocab_size
    assert lm_head_flops(model) < model.linear_flops_per_token()


def test_with_one_token_both_modes_cost_the_same(model):
    # the LM head runs once in both; one query meets one key
    assert step_flops(model, 1, cached=True) == step_flops(model, 1, cached=False)
    assert step_flops(model, 1, cached=True) == model.linear_flops_per_token() + model.attn_flops_per_pair()


def test_recompute_over_cached_grows_linearly_in_context(model):
    n = np.array([2, 8, 64, 512, 4096, 32768, 262144, 1_000_000], dtype=float)
    ratio = np.array([step_flops(model, int(k), False) / step_flops(model, int(k), True) for k in n])
    assert np.all(np.diff(ratio) > 0), "the ratio grows with n"
    # bounded by n/2 and n (the LM head is less than half the linear FLOPs)
    assert np.all(ratio / n >= 0.5) and np.all(ratio / n <= 1.0), ratio / n
    # attention-dominated at a million tokens: the ratio approaches n/2
    assert ratio[-1] / n[-1] == pytest.approx(0.5, abs=0.06)


# -- brute force: count query-key pairs on a literal causal mask -----------------------------------

@pytest.mark.parametrize("prompt_len,n_new", [(1, 6), (3, 5), (7, 9)])
def test_step_flops_match_a_literal_causal_mask(model, prompt_len, n_new):
    t = decode_trace(model, prompt_len, n_new)
    L = model.linear_flops_per_token()
    p = model.attn_flops_per_pair()
    H = lm_head_flops(model)
    for k in range(n_new):
        n = prompt_len + k + 1
        mask = np.tril(np.ones((n, n), dtype=bool))       # (queries, keys): query i sees keys 0..i
        # recompute: all n rows run the network, every allowed pair is scored, one row gets logits
        rec = n * (L - H) + H + p * mask.sum()
        # cached: only the newest row runs; its query meets every key in the cache
        cac = L + p * mask[-1].sum()
        assert t.context_len[k] == n
        assert t.flops_recompute[k] == pytest.approx(rec, rel=1e-12)
        assert t.flops_cached[k] == pytest.approx(cac, rel=1e-12)


# -- properties ------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(MODELS), prompt_len=st.integers(1, 20_000), n_new=st.integers(1, 300),
       dtype=st.sampled_from(tuple(catalog.DTYPES)))
def test_trace_properties(name, prompt_len, n_new, dtype):
    m = catalog.model(name)
    t = decode_trace(m, prompt_len, n_new, dtype)
    assert len(t) == n_new
    np.testing.assert_array_equal(t.context_len, np.arange(prompt_len + 1, prompt_len + n_new + 1))
    assert t.context_len.dtype == np.int32
    for arr in (t.flops_cached, t.flops_recompute, t.kv_bytes, t.cum_flops_cached, t.cum_flops_recompute):
        assert arr.dtype == np.float64 and arr.shape == (n_new,)
    # every step costs more than the last, and recomputing never costs less than caching
    assert np.all(np.diff(t.flops_cached) > 0)
    assert np.all(np.diff(t.flops_recompute) > 0)
    assert np.all(np.diff(t.kv_bytes) > 0)
    assert np.all(t.flops_recompute > t.flops_cached)
    # the cache holds exactly n tokens' keys and values
    np.testing.assert_allclose(t.kv_bytes, float(m.kv_bytes_per_token(dtype)) * t.context_len.astype(float),
                               rtol=1e-15)
    assert kv_cache_bytes(m, int(t.context_len[-1]), dtype) == t.kv_bytes[-1]


def test_trace_is_frozen(model):
    t = decode_trace(model, 4, 4)
    with pytest.raises(Exception):
        t.prompt_len = 5
    with pytest.raises(ValueError):
        t.flops_cached[0] = 0.0


def test_a_model_name_works_like_the_model():
    a = decode_trace("llama-2-7b", 16, 8)
    b = decode_trace(catalog.model("llama-2-7b"), 16, 8)
    np.testing.assert_array_equal(a.flops_recompute, b.flops_recompute)
    assert a.model_name == "llama-2-7b"


def test_dtype_scales_the_bytes_not_the_flops():
    a = decode_trace("llama-3-8b", 16, 8, "bf16")
    b = decode_trace("llama-3-8b", 16, 8, "fp8")
    np.testing.assert_allclose(b.kv_bytes * 2, a.kv_bytes)
    np.testing.assert_array_equal(a.flops_cached, b.flops_cached)


def test_buffers_are_little_endian_float32_and_int32():
    t = decode_trace("gpt2", 16, 48)
    bufs = t.to_buffers()
    assert set(bufs) == set(KVCacheTrace.ARRAYS)
    assert all(isinstance(b, bytes) and len(b) == 4 * 48 for b in bufs.values())
    np.testing.assert_array_equal(np.frombuffer(bufs["context_len"], "<i4"), t.context_len)
    for name in KVCacheTrace.ARRAYS[1:]:
        np.testing.assert_allclose(np.frombuffer(bufs[name], "<f4"), getattr(t, name), rtol=1e-7)


# -- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,param", [
    (dict(prompt_len=0, n_new=4), "prompt_len"),
    (dict(prompt_len=-3, n_new=4), "prompt_len"),
    (dict(prompt_len=2.5, n_new=4), "prompt_len"),
    (dict(prompt_len=True, n_new=4), "prompt_len"),
    (dict(prompt_len=4, n_new=0), "n_new"),
    (dict(prompt_len=4, n_new="8"), "n_new"),
    (dict(prompt_len=600_000, n_new=400_001), "prompt_len + n_new"),
    (dict(prompt_len=4, n_new=4, dtype="fp7"), "dtype"),
])
def test_bad_input_names_the_parameter(kwargs, param):
    with pytest.raises(ValueError, match=rf"^{re.escape(param)}\b"):
        decode_trace("gpt2", **kwargs)


def test_a_million_tokens_is_the_limit():
    t = decode_trace("gpt2", 999_999, 1)
    assert t.context_len[-1] == 1_000_000


def test_scalar_helpers_check_their_arguments():
    with pytest.raises(ValueError, match="^context_len"):
        step_flops("gpt2", 0, cached=True)
    with pytest.raises(ValueError, match="^n_tokens"):
        kv_cache_bytes("gpt2", 0)
    with pytest.raises(ValueError, match="^dtype"):
        kv_cache_bytes("gpt2", 8, "double")
    with pytest.raises(ValueError, match="^model"):
        decode_trace(object(), 4, 4)
    with pytest.raises(ValueError):
        decode_trace("no-such-model", 4, 4)
