"""DisaggWidget: the sweep through the real cluster simulators, its wire format and errors."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.serving import cost_model, simulate_colocated, simulate_disagg
from vizkit.widgets.base import bundle_path
from vizkit.widgets.disagg import (ANIMATED_RATES, CONFIGS, N_FRAMES, RATES, DisaggWidget, _frames,
                                   disagg_workload, goodput, run_config)


@pytest.fixture(scope="module")
def w():
    return DisaggWidget()


def test_the_bundle_exists_and_is_the_widgets_esm(w):
    assert bundle_path("disagg").is_file()
    assert "disagg" in bundle_path("disagg").read_text()


def test_one_scenario_per_config_and_load(w):
    assert len(w.scenarios) == len(CONFIGS) * len(ANIMATED_RATES)
    assert {(s["config"], s["load"]) for s in w.scenarios} == {(c, r) for c in CONFIGS for r in ANIMATED_RATES}
    assert set(w.sweep["goodput"]) == set(CONFIGS)
    assert all(len(a) == len(RATES) for a in w.sweep["attainment"].values())


def test_arrays_cross_as_binary_buffers_not_json_lists(w):
    state, _, buffers = _remove_buffers(w.get_state())
    assert len(buffers) >= 4 * len(w.scenarios)
    for s in state["scenarios"]:
        assert not any(isinstance(v, list) and len(v) > 8 for v in s.values())
    assert sum(len(b) for b in buffers) < 200_000


def test_run_config_is_the_cluster_simulator():
    cm = cost_model("llama-3-8b", "h100-sxm")
    wl = disagg_workload(30.0)
    a = run_config("2P:2D", 30.0)
    b = simulate_disagg(wl, cm, cm, 2, 2, "nvlink4")
    assert np.array_equal(a.finish_s, b.finish_s)
    c = run_config("colocated", 30.0)
    assert np.array_equal(c.finish_s, simulate_colocated(wl, cm, 4).finish_s)


def test_frames_conserve_requests():
    for config in ("colocated", "2P:2D"):
        kind, npf, ndc = CONFIGS[config]
        tr = DisaggWidget.trace(config, 60.0)
        fr = _frames(tr, kind, npf, ndc)
        assert fr["pre"].shape == (N_FRAMES, 4)
        for f, t in enumerate(fr["frame_t"]):
            live = ((tr.arrival_s <= t) & (tr.finish_s > t)).sum()
            in_transit = ((tr.first_token_s <= t) & (tr.transfer_end_s > t)).sum() if kind == "disagg" else 0
            assert fr["pre"][f].sum() + fr["dec"][f].sum() + in_transit == live
        if kind == "disagg":
            assert fr["pre"][:, npf:].sum() == 0 and fr["dec"][:, :npf].sum() == 0
            assert fr["hand"].sum() == (tr.decode_gpu >= 0).sum()


def test_goodput_helper():
    assert goodput([1.0, 0.95, 0.5, 1.0], rates=(10, 20, 30, 40)) == 20.0
    assert goodput([0.5], rates=(10,)) == 0.0


def test_slo_change_rescores_fast_and_bad_input_sets_error(w):
    w.slo_tpot_ms = 15.0
    assert w.goodput()["colocated"] >= 50.0 and w.error == ""
    w.slo_tpot_ms = 0.0
    assert "slo_tpot_ms" in w.error
    w.slo_tpot_ms = 10.0
    w.config = "9P:9D"
    assert "config" in w.error and w.config == "2P:2D"
    w.load = 55.0
    assert "load" in w.error and w.load == 60.0


def test_bad_constructor_arguments_raise_naming_the_parameter():
    with pytest.raises(ValueError, match="config"):
        DisaggWidget(config="4P:0D")
    with pytest.raises(ValueError, match="load"):
        DisaggWidget(load=61.0)
    with pytest.raises(ValueError, match="slo_ttft_ms"):
        DisaggWidget(slo_ttft_ms=-1.0)
    with pytest.raises(ValueError, match="rate_per_s"):
        run_config("2P:2D", 0.0)


def test_repr_and_description(w):
    assert repr(w).startswith("DisaggWidget(config=")
    assert "overlap" in w.description
