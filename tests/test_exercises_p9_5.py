"""Exercises of P9.5: the checks accept the right answers and refuse wrong ones; the bugs show."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p9_5 as ex
from vizkit.serving import SLO
from vizkit.widgets.slo import RATES, sweep


def test_percentile_by_hand():
    # sorted ten values: P90 sits at index 0.9 x 9 = 8.1, between 0.9 and 3.0
    assert ex.percentile(ex.SAMPLE_TTFT_S, 90) == pytest.approx(0.9 + 0.1 * (3.0 - 0.9))
    assert ex.percentile(ex.SAMPLE_TTFT_S, 50) == pytest.approx((0.22 + 0.30) / 2)
    assert ex.percentile(ex.SAMPLE_TTFT_S, 100) == 3.0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 100), min_size=1, max_size=30), st.floats(0, 100))
def test_percentile_brackets_and_orders(values, q):
    p = ex.percentile(values, q)
    assert min(values) - 1e-9 <= p <= max(values) + 1e-9
    assert ex.percentile(values, 0) <= p <= ex.percentile(values, 100)


def test_ratio_buckets():
    assert [ex.ratio_bucket(x) for x in (1.0, 0.91, 0.9, 0.61, 0.6, 0.31, 0.3, 0.0)] == [
        "above 90%", "above 90%", "60% to 90%", "60% to 90%", "30% to 60%", "30% to 60%", "below 30%", "below 30%"]


def test_goodput_ratio_is_goodput_over_peak():
    r = ex.goodput_over_peak()
    assert 0 < r < 1
    assert r * sweep()["throughput"].max() in RATES


def test_checks_accept_right_and_refuse_wrong(capsys):
    assert ex.check_percentile(1.11) and not ex.check_percentile(0.9)
    assert ex.check_goodput_ratio(ex.ratio_bucket(ex.goodput_over_peak()))
    assert not ex.check_goodput_ratio("below 30%")
    assert ex.check_bug("either-slo", "A") and ex.check_bug("short-window", "B")
    assert not ex.check_bug("mean-as-p99", "A") and not ex.check_bug("mean-as-p99", "B")
    with pytest.raises(ValueError, match="answer"):
        ex.check_bug("typo", "A")
    assert "hint" in capsys.readouterr().out


def test_bug_fingerprints():
    thr = sweep()["throughput"]
    good = ex.goodput_curve()
    assert (good <= thr + 1e-9).all()                               # goodput never beats throughput
    assert good[-1] < 0.5 * thr[-1]                                 # and collapses past the knee
    either = ex.goodput_curve("either-slo")
    assert (either >= good - 1e-9).all() and either[-1] > 0.9 * thr[-1]
    short = ex.goodput_curve("short-window")
    assert (short[:4] > thr[:4]).all()                              # impossible: above throughput
    assert np.array_equal(ex.goodput_curve("mean-as-p99"), good)    # the decoy
    assert np.array_equal(ex.mystery_curve("A"), either)


@pytest.mark.parametrize("call, name", [
    (lambda: ex.percentile([], 50), "values"),
    (lambda: ex.percentile([1.0, float("nan")], 50), "values"),
    (lambda: ex.percentile([1.0], 101), "q"),
    (lambda: ex.goodput_curve("typo"), "bug"),
    (lambda: ex.goodput_curve(ttft_slo_s=0.0), "ttft_slo_s"),       # an SLO of zero
    (lambda: ex.goodput_curve(tpot_slo_s=-1.0), "tpot_slo_s"),
    (lambda: ex.mystery_curve("C"), "which"),
    (lambda: ex.ratio_bucket(-0.5), "ratio"),
    (lambda: SLO(ttft_s=0.25, tpot_s=0.0), "tpot_s"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
