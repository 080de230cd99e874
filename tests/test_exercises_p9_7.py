"""Exercises of P9.7: the checks accept the right answers and refuse wrong ones."""

from __future__ import annotations

import numpy as np
import pytest

from vizkit.exercises import p9_7 as ex
from vizkit.serving import LINKS, SLO, cost_model, kv_transfer, slo_met, tpot_s, ttft_s
from vizkit.widgets.disagg import DisaggWidget


def test_handoff_by_hand_and_against_the_block_stream():
    kvb = cost_model("llama-3-8b", "h100-sxm").kv_bytes_per_token
    for name in ("nvlink4", "roce-400g", "tcp-100g"):
        lk = LINKS[name]
        by_hand = 1e3 * (lk.latency_s + 1500 * kvb / lk.bw_bytes_per_s)
        assert ex.handoff_ms(1500, name) == pytest.approx(by_hand, rel=1e-12)
        # one message: the packetised transfer with everything in one message agrees
        assert 1e3 * kv_transfer(1500, kvb, name, blocks_per_message=10_000).total_s == pytest.approx(by_hand)


def test_checks_accept_right_and_refuse_wrong(capsys):
    h = ex.handoff_ms(1500)
    assert ex.check_handoff_ms(h) and not ex.check_handoff_ms(h * 8)       # bits for bytes
    assert ex.check_best_ratio("2P:2D") and not ex.check_best_ratio("1P:3D")
    assert ex.check_gpus_needed(ex.gpus_needed(300)) and not ex.check_gpus_needed(ex.gpus_needed(300) - 1)
    assert ex.check_bottleneck("decode", "3P:1D") and ex.check_bottleneck("prefill", "1P:3D")
    assert not ex.check_bottleneck("link", "3P:1D")
    assert "hint" in capsys.readouterr().out


def test_goodput_is_the_last_rate_meeting_the_target_by_brute_force():
    g = ex.goodputs()
    for c in ("colocated", "2P:2D"):
        best = 0.0
        for r in (10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0, 120.0, 140.0, 160.0, 200.0, 240.0):
            tr = DisaggWidget.trace(c, r)
            ok = ((ttft_s(tr) <= 0.3) & (tpot_s(tr) <= 0.01)).mean() >= 0.9
            if not ok:
                break
            best = r
        assert g[c] == best
    # the honest result of this model: chunked colocation beats every split of the same GPUs
    assert g["colocated + chunked"] > max(g["1P:3D"], g["2P:2D"], g["3P:1D"]) > g["colocated"]


def test_gpus_needed_scales_with_goodput_per_gpu():
    g = ex.goodputs()["2P:2D"]
    assert ex.gpus_needed(g) == 4 and ex.gpus_needed(g + 1) == 5
    assert ex.gpus_needed(3 * g) == 12


def test_a_looser_tpot_moves_the_bottleneck_off_decode():
    assert ex.bottleneck("3P:1D") == "decode"
    assert ex.bottleneck("1P:3D") == "prefill"
    loose = SLO(ttft_s=0.3, tpot_s=1.0)
    assert ex.bottleneck("3P:1D", loose) == "prefill"
    assert slo_met(DisaggWidget.trace("3P:1D", 10.0), loose).mean() == 1.0


def test_bad_arguments_name_the_parameter():
    with pytest.raises(ValueError, match="prompt_tokens"):
        ex.handoff_ms(0)
    with pytest.raises(ValueError, match="lnk"):
        ex.handoff_ms(10, "carrier-pigeon")
    with pytest.raises(ValueError, match="config"):
        ex.bottleneck("colocated")
    with pytest.raises(ValueError, match="target_rate"):
        ex.gpus_needed(-1)
    with pytest.raises(ValueError, match="slo"):
        ex.goodputs("fast")
    assert np.isfinite(ex.handoff_ms(1))
