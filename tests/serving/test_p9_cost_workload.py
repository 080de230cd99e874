"""The step-time roofline against hand-derived numbers, and the workload generators."""

from __future__ import annotations

import numpy as np
import pytest

from vizkit import catalog
from vizkit.serving import (LIMITS, CostModel, bursty_workload, chat_output, chat_prompt, cost_model,
                            fixed, lognormal, poisson_workload, replay_workload, uniform,
                            with_shared_prefix)

# -- cost model -------------------------------------------------------------------------------------


def test_batch_one_decode_is_weights_plus_kv_over_bandwidth():
    m, g = catalog.model("llama-3-8b"), catalog.gpu("h100-sxm")
    cm = cost_model(m, g)
    for ctx in (1, 1000, 8000):
        want = (m.weight_bytes("bf16") + m.kv_bytes_per_token("bf16") * (ctx + 1)) / g.hbm_bytes_per_s
        assert cm.decode_step_s(1, ctx) == pytest.approx(want, rel=1e-12)
    # memory bound by a wide margin: FLOPs would take ~1% of that time
    assert m.forward_flops_per_token(1001) / g.peak_flops("bf16") < 0.02 * cm.decode_step_s(1, 1000)
    # 16 GB of weights at 3.35 TB/s: the familiar ~4.8 ms per token
    assert cm.decode_step_s(1, 1000) == pytest.approx(4.8e-3, rel=0.01)


def test_long_prefill_is_compute_bound_and_ridge_matches_the_catalog():
    m, g = catalog.model("llama-3-8b"), catalog.gpu("h100-sxm")
    cm = cost_model(m, g)
    n = 4096
    flops = m.linear_flops_per_token() * n + m.attn_flops_per_pair() * n * (n + 1) / 2
    assert cm.prefill_s(n) == pytest.approx(flops / g.peak_flops("bf16"), rel=1e-12)
    # tokens per step at which weight traffic and linear FLOPs balance = ridge x bytes/FLOP
    ridge = g.ridge_point("bf16") * m.weight_bytes("bf16") / m.linear_flops_per_token()
    assert cm.ridge_tokens() == pytest.approx(ridge, rel=1e-12)


def test_moe_reads_only_active_experts_at_batch_one():
    m, g = catalog.model("mixtral-8x7b"), catalog.gpu("h200-sxm")
    cm = cost_model(m, g)
    expert = m.param_breakdown()["routed_experts"] * 2.0
    one = float(cm.weights_read_bytes(1))
    assert one == pytest.approx(m.weight_bytes() - expert * (1 - 2 / 8), rel=1e-12)
    assert float(cm.weights_read_bytes(512)) == pytest.approx(m.weight_bytes(), rel=1e-9)


def test_vectorised_and_scalar_step_times_agree():
    cm = cost_model("llama-3-8b", "a100-80gb-sxm")
    n = np.array([1, 64, 4096])
    p = np.array([100, 64 * 900, 4096 * 4097 // 2])
    r = np.array([99, 64 * 899, 0])
    for i in range(3):
        one = cm.step_s_scalar(int(n[i]), int(p[i]), int(r[i]))
        assert cm.step_s(n, p, r)[i] == pytest.approx(one, rel=1e-12)
        assert cm.step_s_positive(n, p, r)[i] == pytest.approx(cm.step_s(n, p, r)[i], rel=1e-12)
    assert cm.step_s(0, 0, 0) == 0.0


def test_impossible_configurations_name_the_parameter():
    with pytest.raises(ValueError, match=r"^model: llama-3-70b weights need 141\.\d GB .* tp >= 2"):
        cost_model("llama-3-70b", "h100-sxm")
    assert cost_model("llama-3-70b", "h100-sxm", tp=2).n_blocks(16) > 0
    tight = CostModel(16e9, 131072.0, 15e9, 524288.0, 3.35e12, 989.5e12, kv_capacity_bytes=1e6)
    with pytest.raises(ValueError, match="^block_size: not one KV block"):
        tight.n_blocks(16)
    cm = cost_model()
    for bad in (0, -16):
        with pytest.raises(ValueError, match="block_size must be an integer >= 1"):
            cm.n_blocks(bad)
    with pytest.raises(ValueError, match="dtype must be one of"):
        cost_model(dtype="bf15")
    with pytest.raises(ValueError, match="dtype must be one of"):        # no FP8 on an A100
        cost_model("llama-3-8b", "a100-80gb-sxm", dtype="fp8")
    with pytest.raises(ValueError, match="mem_fraction"):
        cost_model(mem_fraction=0)


def test_limits_say_what_the_model_leaves_out():
    text = " ".join(LIMITS).lower()
    for word in ("kernel launch", "efficiency", "communication", "activations"):
        assert word in text


# -- workloads --------------------------------------------------------------------------------------


def test_poisson_arrivals_have_the_asked_rate_and_exponential_gaps():
    w = poisson_workload(50_000, rate_per_s=8.0, prompt=fixed(10), output=fixed(5), seed=1)
    gaps = np.diff(w.arrival_s)
    assert gaps.mean() == pytest.approx(1 / 8.0, rel=0.02)
    assert gaps.std() / gaps.mean() == pytest.approx(1.0, abs=0.03)       # CV of an exponential
    assert w.arrival_s[0] == 0.0


def test_bursty_arrivals_keep_the_rate_but_spread_the_gaps():
    w = bursty_workload(50_000, rate_per_s=8.0, burstiness=0.25, seed=1)
    gaps = np.diff(w.arrival_s)
    assert gaps.mean() == pytest.approx(1 / 8.0, rel=0.03)
    assert gaps.std() / gaps.mean() == pytest.approx(2.0, rel=0.05)       # 1/sqrt(0.25)


def test_chat_lengths_match_sharegpt_means():
    w = poisson_workload(200_000, 1.0, prompt=chat_prompt(), output=chat_output(), seed=0)
    assert w.prompt_tokens.mean() == pytest.approx(161, rel=0.05)         # vLLM paper Fig. 11
    assert w.output_tokens.mean() == pytest.approx(338, rel=0.05)
    assert chat_output().mean_tokens == pytest.approx(338, rel=0.01)


def test_workloads_are_seeded_and_truncated_to_the_max_length():
    a = poisson_workload(100, 3.0, seed=7, max_len_tokens=256)
    b = poisson_workload(100, 3.0, seed=7, max_len_tokens=256)
    np.testing.assert_array_equal(a.arrival_s, b.arrival_s)
    assert (a.prompt_tokens + a.output_tokens <= 256).all() and (a.output_tokens >= 1).all()
    assert not np.array_equal(a.arrival_s, poisson_workload(100, 3.0, seed=8).arrival_s)
    u = uniform(3, 5).sample(1000, np.random.default_rng(0))
    assert set(u.tolist()) == {3, 4, 5}
    lo = lognormal(100, 2.0, 10, 50).sample(1000, np.random.default_rng(0))
    assert lo.min() >= 10 and lo.max() <= 50


def test_replay_sorts_rows_and_shared_prefixes_extend_prompts():
    w = replay_workload([(2.0, 5, 1), (0.5, 7, 3)])
    assert w.arrival_s.tolist() == [0.5, 2.0] and w.prompt_tokens.tolist() == [7, 5]
    s = with_shared_prefix(w, n_groups=1, prefix_tokens=64, share=1.0)
    assert s.prompt_tokens.tolist() == [71, 69] and s.prefix_group.tolist() == [0, 0]
    assert s.prefix_tokens.tolist() == [64, 64]


@pytest.mark.parametrize("call,name", [
    (lambda: poisson_workload(10, -1.0), "rate_per_s"),
    (lambda: poisson_workload(10, 0.0), "rate_per_s"),
    (lambda: poisson_workload(0, 1.0), "n_requests"),
    (lambda: bursty_workload(10, 1.0, burstiness=0), "burstiness"),
    (lambda: fixed(0), "n_tokens"),
    (lambda: uniform(5, 3), "hi_tokens"),
    (lambda: replay_workload([(0.0, 0, 1)]), r"rows\[0\].prompt_tokens"),
    (lambda: replay_workload([(-1.0, 3, 1)]), r"rows\[0\].arrival_s"),
    (lambda: with_shared_prefix(poisson_workload(3, 1.0), 2, 8, share=1.5), "share"),
])
def test_bad_workload_arguments_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        call()
