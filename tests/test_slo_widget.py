"""SLOWidget: the load sweep, per-SLO goodput, the wire format and errors."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.serving import DISTSERVE_CHATBOT, LIMITS, SLO, max_rate_under_slo, percentiles, slo_met, summarize
from vizkit.widgets.slo import (LEAVES_OUT, N_REQUESTS, PRESETS, RATES, TPOT_EDGES, TTFT_EDGES, SLOWidget,
                                _traces, distserve_goodput, slo_scenario, sweep)


@pytest.fixture(scope="module")
def w():
    return SLOWidget()


def test_bundle_scenarios_and_frames(w):
    from vizkit.widgets.base import bundle_path
    assert bundle_path("slo").is_file()
    assert [s["name"] for s in w.scenarios] == ["custom", *PRESETS]
    assert w.n_frames == len(RATES) == w.sweep["n_loads"]


def test_arrays_cross_as_binary_buffers_and_stay_small(w):
    state, _, buffers = _remove_buffers(w.get_state())
    assert len(buffers) == 7 + len(w.scenarios)
    assert sum(len(b) for b in buffers) < 50_000
    assert not any(isinstance(v, list) and len(v) > 8 for v in state["sweep"].values())


def test_histograms_count_every_request():
    sw = sweep()
    for k, t in enumerate(_traces()):
        assert sw["ttft_hist"][k].sum() == N_REQUESTS
        assert sw["tpot_hist"][k].sum() == int((t.output_tokens > 1).sum())
    assert len(TTFT_EDGES) == len(TPOT_EDGES) == sw["ttft_hist"].shape[1] + 1


def test_percentiles_and_throughput_match_summarize():
    sw = sweep()
    for k, t in enumerate(_traces()):
        s = summarize(t)
        assert sw["throughput"][k] == pytest.approx(s.throughput_req_per_s)
        assert sw["pct"][k][:3] == pytest.approx([s.ttft_p50_s, s.ttft_p90_s, s.ttft_p99_s])
        assert (np.diff(sw["pct"][k][:3]) >= 0).all() and (np.diff(sw["pct"][k][3:]) >= 0).all()


def test_the_engine_saturates_and_the_tail_explodes_first():
    sw = sweep()
    thr, rates = sw["throughput"], np.array(RATES)
    assert thr[-1] < 0.5 * rates[-1]                     # served far below offered at the top
    assert (np.diff(thr) > -0.05).all()                  # throughput flattens, it does not fall
    p50, p99 = sw["pct"][:, 0], sw["pct"][:, 2]
    k = int(np.argmax(p99 > 1.0))                        # first load with P99 TTFT above 1 s
    assert k > 0 and p50[k] < 0.25                       # the median still looks fine there


def test_goodput_against_an_independent_count():
    sc = slo_scenario("d", DISTSERVE_CHATBOT.ttft_s, DISTSERVE_CHATBOT.tpot_s)
    for k, t in enumerate(_traces()):
        met = slo_met(t, DISTSERVE_CHATBOT)
        assert sc["met"][k, 2] == pytest.approx(met.mean())
        assert sc["met"][k, 3] <= sweep()["throughput"][k] + 1e-12
    by_hand = max_rate_under_slo(lambda r: _traces()[RATES.index(r)], DISTSERVE_CHATBOT, RATES, 0.9)
    assert sc["goodput_rate"] == by_hand


def test_distserve_goodput_stops_at_the_first_failure():
    assert distserve_goodput([1.0, 0.95, 0.5, 0.99], 0.9, rates=(1, 2, 3, 4)) == 2.0
    assert distserve_goodput([0.5, 1.0], 0.9, rates=(1, 2)) == 0.0


def test_a_tighter_tpot_lowers_goodput(w):
    tight = w.run("tight-tpot")
    loose = w.run("distserve-chatbot")
    assert tight["goodput_rate"] < loose["goodput_rate"]
    assert (tight["met"][:, 3] <= loose["met"][:, 3] + 1e-12).all()


def test_slo_change_is_fast(w):
    w.tpot_slo_s = 0.04
    assert w.error == ""
    w.tpot_slo_s = 0.05


def test_leaves_out_names_the_cost_model_limits():
    assert LIMITS[0] in LEAVES_OUT and "Poisson" in LEAVES_OUT


@pytest.mark.parametrize("trait, value, name", [
    ("ttft_slo_s", 0.0, "ttft_slo_s"), ("tpot_slo_s", 0.0, "tpot_slo_s"), ("tpot_slo_s", -1.0, "tpot_slo_s"),
    ("attainment", 0.0, "attainment"), ("attainment", 1.5, "attainment"), ("scenario", "nope", "scenario"),
])
def test_bad_traits_set_error(trait, value, name):
    x = SLOWidget()
    before = x.scenarios
    setattr(x, trait, value)
    assert x.error.startswith(name), x.error
    assert x.scenarios == before


@pytest.mark.parametrize("kwargs, name", [({"ttft_slo_s": 0.0}, "ttft_slo_s"), ({"scenario": "x"}, "scenario")])
def test_bad_constructor_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=name):
        SLOWidget(**kwargs)


def test_slo_of_zero_is_refused_by_the_library_too():
    with pytest.raises(ValueError, match="ttft_s"):
        SLO(ttft_s=0.0, tpot_s=0.1)
    assert percentiles([1.0, 2.0, 3.0])["p50"] == 2.0
