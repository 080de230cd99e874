"""Speculative decoding against its closed form; metrics against hand-built traces."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.serving import (SLO, acceptance_rate, cost_model, expected_tokens_per_pass,
                            max_rate_under_slo, optimal_k, percentiles, poisson_workload,
                            rejection_sample, simulate, simulate_spec, slo_met, speedup,
                            speedup_from_costs, summarize, tpot_s, ttft_s)

# -- speculative decoding ---------------------------------------------------------------------


@pytest.mark.parametrize("alpha,k", [(0.0, 4), (0.5, 1), (0.6, 3), (0.8, 4), (0.9, 8), (1.0, 5)])
def test_sampled_tokens_per_pass_match_the_closed_form_within_the_99_ci(alpha, k):
    t = simulate_spec(alpha, k, n_passes=50_000, seed=12)
    e = expected_tokens_per_pass(alpha, k)
    if alpha in (0.0, 1.0):                       # no randomness left
        assert t.mean_tokens == e
    else:
        assert t.ci99[0] <= e <= t.ci99[1]
    assert (t.tokens == t.n_accepted + 1).all() and (t.accepted.sum(axis=1) == t.n_accepted).all()


@settings(max_examples=50, deadline=None)
@given(alpha=st.floats(0, 0.999), k=st.integers(0, 12))
def test_closed_form_is_the_series_of_acceptance_probabilities(alpha, k):
    assert expected_tokens_per_pass(alpha, k) == pytest.approx(sum(alpha ** i for i in range(k + 1)))


def test_speedup_and_the_best_draft_length():
    assert speedup(0.8, 4, 0.05) == pytest.approx(3.3616 / 1.2)
    assert speedup(0.8, 0, 0.5) == 1.0
    k = optimal_k(0.8, 0.05)
    assert all(speedup(0.8, k, 0.05) >= speedup(0.8, j, 0.05) for j in range(33))
    assert optimal_k(0.2, 0.5) == 0                  # a poor draft is not worth running
    # Leviathan et al. Table: with alpha = 0.8 and c small, the best gamma is a few tokens
    assert 3 <= k <= 10
    tgt, draft = cost_model("llama-3-70b", "b200"), cost_model("llama-3-8b", "b200")
    ratio = draft.decode_step_s(1, 1000) / tgt.decode_step_s(1, 1000)
    s = speedup_from_costs(0.8, 4, draft.decode_step_s(1, 1000), tgt.decode_step_s(1, 1000),
                           tgt.step_s_scalar(5, 5 * 1001, 5 * 1000))
    assert s == pytest.approx(speedup(0.8, 4, ratio), rel=0.01)   # verify pass ~ one step


def test_rejection_sampling_emits_the_target_distribution():
    p = np.array([0.5, 0.3, 0.15, 0.05])
    q = np.array([0.25, 0.25, 0.25, 0.25])
    x, acc = rejection_sample(p, q, 200_000, seed=3)
    freq = np.bincount(x, minlength=4) / x.size
    assert np.abs(freq - p).max() < 0.005
    assert acc.mean() == pytest.approx(acceptance_rate(p, q), abs=0.005)
    assert acceptance_rate(p, p) == 1.0


def test_bad_spec_arguments_name_the_parameter():
    with pytest.raises(ValueError, match="^alpha"):
        expected_tokens_per_pass(1.5, 3)
    with pytest.raises(ValueError, match="^k "):
        expected_tokens_per_pass(0.5, -1)
    with pytest.raises(ValueError, match="^cost_ratio"):
        speedup(0.5, 3, -0.1)
    with pytest.raises(ValueError, match="^q "):
        acceptance_rate([0.5, 0.5], [1.0])


# -- metrics ----------------------------------------------------------------------------------


def test_ttft_tpot_and_slo_on_a_single_request_by_hand():
    from p9_helpers import rows_workload
    cm = cost_model("llama-3-8b", "h100-sxm")
    t = simulate(rows_workload([(1.0, 1000, 11)]), cm)
    assert ttft_s(t)[0] == pytest.approx(cm.prefill_s(1000), rel=1e-12)
    steps = [cm.decode_step_s(1, 1000 + i) for i in range(10)]
    assert tpot_s(t)[0] == pytest.approx(sum(steps) / 10, rel=1e-12)
    assert slo_met(t, SLO(ttft_s=1.0, tpot_s=steps[-1]))[0]
    assert not slo_met(t, SLO(ttft_s=1.0, tpot_s=steps[0] * 0.99))[0]


def test_summary_and_goodput_under_load():
    cm = cost_model("llama-3-8b", "h100-sxm")
    slo = SLO(ttft_s=0.5, tpot_s=0.02)
    light = summarize(simulate(poisson_workload(500, 5.0, seed=0), cm), slo)
    heavy = summarize(simulate(poisson_workload(500, 120.0, seed=0), cm), slo)
    assert light.slo_attainment > 0.99 and heavy.slo_attainment < light.slo_attainment
    assert light.goodput_req_per_s == pytest.approx(light.slo_attainment * light.throughput_req_per_s)
    assert heavy.throughput_tok_per_s > light.throughput_tok_per_s
    assert heavy.ttft_p99_s >= heavy.ttft_p90_s >= heavy.ttft_p50_s
    rate = max_rate_under_slo(lambda r: simulate(poisson_workload(400, r, seed=1), cm), slo,
                              [5, 20, 40, 80, 160])
    assert 5 <= rate < 160


def test_percentiles_and_slo_validation():
    assert percentiles([1.0, 2.0, 3.0], (50,)) == {"p50": 2.0}
    assert np.isnan(percentiles([])["p99"])
    with pytest.raises(ValueError, match="^ttft_s must be a finite number > 0; got 0"):
        SLO(ttft_s=0, tpot_s=0.1)
    with pytest.raises(ValueError, match="^tpot_s"):
        SLO(ttft_s=1.0, tpot_s=-1)
    with pytest.raises(ValueError, match="^attainment"):
        max_rate_under_slo(lambda r: None, SLO(1.0, 1.0), [1.0], attainment=2)
