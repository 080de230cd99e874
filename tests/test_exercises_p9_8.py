"""Exercises of P9.8: the checks accept the right answers and refuse wrong ones; the bugs show."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p9_8 as ex
from vizkit.serving import LINKS
from vizkit.serving.links import LINK_SOURCES


def test_kv_gib_by_hand():
    # Llama 3 70B: 2 x 80 layers x 8 KV heads x 128 x 2 bytes = 327,680 B per token
    assert ex.kv_gib("llama-3-70b", 8192) == pytest.approx(8192 * 327_680 / 2**30)
    # Llama 3 8B: 2 x 32 x 8 x 128 x 2 = 131,072 B per token
    assert ex.kv_gib("llama-3-8b", 1024) == pytest.approx(1024 * 131_072 / 2**30)


def test_checks_accept_right_and_refuse_wrong(capsys):
    # 256 MiB at 50 GB/s plus 5 us, by hand
    assert ex.check_roce_ms(256 * 2**20 / 50e9 * 1e3 + 0.005) and not ex.check_roce_ms(0.64)
    assert ex.check_kv_gib(2.5) and not ex.check_kv_gib(2.5 * 8)
    assert ex.check_transfer_ms(2.5 * 2**30 / 50e9 * 1e3) and not ex.check_transfer_ms(2.5 * 2**30 / 400e9 * 1e3)
    assert ex.check_min_bandwidth(2.0, kv_bytes=1e9, within_s=0.5) and not ex.check_min_bandwidth(16.0, 1e9, 0.5)
    assert ex.check_bug("message-per-token", "A") and ex.check_bug("bits-as-bytes", "B")
    assert not ex.check_bug("no-latency", "A") and not ex.check_bug("no-latency", "B")
    with pytest.raises(ValueError):
        ex.check_bug("typo", "A")
    assert "hint" in capsys.readouterr().out


def test_bug_fingerprints_on_the_log_log_curves():
    good = ex.transfer_ms_curve()
    r_tok = ex.transfer_ms_curve("message-per-token") / good
    r_bits = ex.transfer_ms_curve("bits-as-bytes") / good
    r_lat = ex.transfer_ms_curve("no-latency") / good
    assert r_tok[0] == pytest.approx(1.0) and (r_tok[5:] > 2).all()       # same at one token, then above
    assert (r_bits < 1).all() and r_bits[-1] < r_bits[0]                  # below, gap widening
    assert (r_lat < 1).all() and r_lat[0] < r_lat[-1]                     # below, gap largest when short
    assert r_bits[-1] > 1 / 8                                             # latency keeps it above 1/8


def test_correct_curve_matches_the_link_formula_for_a_block_aligned_prompt():
    # 1,024 tokens of one 4-way shard (81,920 B per token) in 64 blocks over RoCE: 64 latencies + bytes / bw
    i = int(np.flatnonzero(ex.PROMPTS == 1024)[0]) if 1024 in ex.PROMPTS else None
    t = ex.transfer_ms_curve()
    lk = LINKS["roce-400g"]
    n = int(ex.PROMPTS[-1])
    expected = 1e3 * (-(-n // 16) * lk.latency_s + n * 81_920 / lk.bw_bytes_per_s)
    assert t[-1] == pytest.approx(expected)
    assert i is None or t[i] > 0


def test_every_link_has_a_source():
    assert set(LINK_SOURCES) == set(LINKS)
    assert all(len(v) > 20 for v in LINK_SOURCES.values())


@settings(max_examples=30, deadline=None)
@given(st.floats(1e3, 1e12), st.floats(1e-4, 10.0))
def test_min_bandwidth_moves_the_bytes_in_time(b, t):
    bw = ex.min_bandwidth_gbs(b, t)
    assert b / (bw * 1e9) == pytest.approx(t)


@pytest.mark.parametrize("call, name", [
    (lambda: ex.transfer_ms_curve("typo"), "bug"),
    (lambda: ex.transfer_ms_curve(None, lnk="pigeon"), "link"),
    (lambda: ex.transfer_ms_curve(None, block_size=0), "block_size"),
    (lambda: ex.kv_gib("llama-3-70b", 0), "prompt_tokens"),
    (lambda: ex.min_bandwidth_gbs(0, 1.0), "kv_bytes"),
    (lambda: ex.min_bandwidth_gbs(1e9, 0), "within_s"),
    (lambda: ex.min_bandwidth_gbs(1e9, 1e-6, latency_s=1e-5), "latency_s"),
    (lambda: ex.check_roce_ms(1.0, mib=-1), "mib"),
    (lambda: ex.mystery_curve("C"), "which"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_plot_curves_draws_two_lines():
    import matplotlib
    matplotlib.use("Agg")
    fig = ex.plot_curves(ex.transfer_ms_curve(), ex.mystery_curve("A"))
    assert len(fig.axes[0].lines) == 2
