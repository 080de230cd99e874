"""Exercises of P9.6: the checks accept the right answers and refuse wrong ones; configs show."""

from __future__ import annotations

import numpy as np
import pytest

from vizkit.exercises import p9_6 as ex
from vizkit.serving import cost_model


@pytest.mark.parametrize("n", [1, 512, 4096, 8192])
def test_prefill_step_matches_the_roofline_by_hand(n):
    cm = cost_model("llama-3-8b", "h100-sxm")
    comp = (cm.linear_flops_per_token * n + cm.attn_flops_per_pair * n * (n + 1) / 2) / cm.peak_flops
    mem = (cm.weight_bytes + cm.kv_bytes_per_token * n) / cm.hbm_bytes_per_s
    assert ex.prefill_step_ms(n) == pytest.approx(1e3 * max(comp, mem), rel=1e-9)


def test_long_prefill_is_compute_bound_and_the_hand_estimate_passes(capsys):
    cm = cost_model("llama-3-8b", "h100-sxm")
    by_hand = 1e3 * cm.linear_flops_per_token * 4096 / cm.peak_flops      # attention ignored
    assert ex.check_prefill_step_ms(by_hand)
    assert not ex.check_prefill_step_ms(1e3 * cm.weight_bytes / cm.hbm_bytes_per_s)   # a decode step
    assert "hint" in capsys.readouterr().out


def test_chunking_cuts_p99_itl_and_checks_accept_the_engine_value():
    off, on = ex.engine_run(0), ex.engine_run(512)
    assert on.itl_p99_s < 0.6 * off.itl_p99_s
    assert on.throughput_tok_per_s == pytest.approx(off.throughput_tok_per_s, rel=0.02)
    assert ex.check_itl_p99_ms(1e3 * on.itl_p99_s) and not ex.check_itl_p99_ms(1e3 * off.itl_p99_s)
    # a smaller budget: smaller gaps, later first tokens
    small = ex.engine_run(256)
    assert small.itl_p99_s < on.itl_p99_s and small.ttft_p50_s > off.ttft_p50_s


def test_mysteries_have_their_fingerprints():
    a, b = ex.mystery_scenario("A"), ex.mystery_scenario("B")
    assert set(ex.MYSTERIES.values()) <= set(ex.CONFIGS)
    assert (a["prefill_tokens"] + a["decodes"]).max() <= 2048
    assert (b["prefill_tokens"] + b["decodes"]).max() <= 256
    assert b["max_step_s"] < a["max_step_s"] < 0.5 * ex.prefill_step_ms(6000) / 1e3
    assert ex.check_config("budget-2048", "A") and ex.check_config("budget-256", "B")
    assert not ex.check_config("no-chunking", "A")
    fig = ex.plot_steps(a)
    assert len(fig.axes) == 2


def test_bad_arguments_name_the_parameter():
    with pytest.raises(ValueError, match="n_tokens"):
        ex.prefill_step_ms(0)
    with pytest.raises(ValueError, match="budget"):
        ex.engine_run(100)
    with pytest.raises(ValueError, match="which"):
        ex.mystery_scenario("C")
    with pytest.raises(ValueError, match="answer"):
        ex.check_config("typo")
    assert np.isfinite(ex.prefill_step_ms(1))
