"""Exercises of P9.1: the checks accept the right answers and refuse wrong ones."""

from __future__ import annotations

import pytest

from vizkit.exercises import p9_1 as ex
from vizkit.serving import summarize
from vizkit.widgets.anatomy import anatomy_run


def test_n_blocks_by_hand():
    # Llama 3 8B: 2 (K, V) x 32 layers x 8 KV heads x 128 dims x 2 bytes = 131,072 bytes per token
    per_block = 2 * 32 * 8 * 128 * 2 * 16
    assert ex.n_blocks(4.0) == int(4e9 // per_block) == 1907
    assert ex.n_blocks(0.5) == int(0.5e9 // per_block)
    assert ex.n_blocks(4.0, block_size=32) == int(4e9 // (2 * per_block))


def test_buckets_cover_every_ratio():
    assert [ex.ttft_bucket(x) for x in (1.0, 1.99, 2.0, 9.9, 10.0, 99.0, 100.0, 1e6)] == [
        "under 2x", "under 2x", "2x to 10x", "2x to 10x", "10x to 100x", "10x to 100x", "over 100x", "over 100x"]


def test_ttft_growth_is_the_ratio_of_medians():
    a = summarize(anatomy_run(kv_gb=0.5)).ttft_p50_s
    b = summarize(anatomy_run(kv_gb=4.0)).ttft_p50_s
    assert ex.ttft_growth() == pytest.approx(a / b)
    assert ex.ttft_growth() > 10                      # memory shortage: queueing dominates


def test_littles_law_holds_in_the_engine():
    lam, W, L = ex.littles_law_inputs()
    assert L == pytest.approx(lam * W, rel=0.1)       # L runs slightly low (half a step per request)
    t = anatomy_run()
    assert lam == pytest.approx(t.n_requests / (t.finish_s.max() - t.arrival_s.min()))


def test_checks_accept_right_and_refuse_wrong(capsys):
    assert ex.check_n_blocks(1907) and not ex.check_n_blocks(1908)
    assert ex.check_ttft_growth(ex.ttft_bucket(ex.ttft_growth()))
    assert not ex.check_ttft_growth("under 2x")
    lam, W, _ = ex.littles_law_inputs()
    assert ex.check_littles_law(lam * W) and not ex.check_littles_law(lam)
    with pytest.raises(ValueError, match="answer"):
        ex.check_ttft_growth("a lot")
    assert "hint" in capsys.readouterr().out


@pytest.mark.parametrize("call, name", [
    (lambda: ex.n_blocks(0.0), "kv_gb"),
    (lambda: ex.n_blocks(1e4), "kv_gb"),              # KV cache larger than the GPU
    (lambda: ex.n_blocks(0.01), "kv_gb"),             # not one request fits
    (lambda: ex.n_blocks(4.0, block_size=0), "block_size"),
    (lambda: ex.ttft_bucket(0.0), "ratio"),
    (lambda: anatomy_run(n_requests=0), "n_requests"),
    (lambda: anatomy_run(rate_per_s=-2.0), "rate_per_s"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
