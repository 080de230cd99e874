"""BatchingWidget: both policies through the real engine, the wire format, budgets and errors."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.serving import LIMITS, summarize
from vizkit.widgets.base import bundle_path
from vizkit.widgets.batching import (LEAVES_OUT, N_FRAMES, N_GRID, PRESETS, BatchingWidget,
                                     batching_scenario, policy_run)


@pytest.fixture(scope="module")
def w():
    return BatchingWidget()


@pytest.fixture(scope="module")
def sc():
    return batching_scenario()


def test_the_bundle_exists_and_is_the_widgets_esm(w):
    assert bundle_path("batching").is_file()
    assert "batching" in bundle_path("batching").read_text()


def test_scenarios_include_256_concurrent_requests(w):
    names = [s["name"] for s in w.scenarios]
    assert names == ["custom", *PRESETS] and "256-concurrent" in names
    big = BatchingWidget().run("256-concurrent")
    cont = big["traces"][1]
    assert cont.n_requests == 256 and int(cont.n_running.max()) == 256     # all 256 rows live at once


def test_arrays_cross_as_binary_buffers_and_stay_small(w):
    state, _, buffers = _remove_buffers(w.get_state())
    assert len(buffers) == 3 * len(w.scenarios)
    for s in state["scenarios"]:
        assert not any(isinstance(v, list) and len(v) > 8 for v in s.values())
    assert sum(len(b) for b in buffers) < 200_000
    s = w.scenarios[0]
    assert len(s["rows"]) == 2 * 256 * 5 * 4 and len(s["tele"]) == 2 * N_FRAMES * 6 * 4
    assert len(s["occ"]) == 2 * N_GRID * 2 * 4


def test_rows_are_ordered_times_per_request(sc):
    for p in range(2):
        r = sc["rows"][p]
        assert (np.diff(r, axis=1) >= -1e-12).all()           # arrival <= scheduled <= ... <= released
    assert np.allclose(sc["rows"][1][:, 4], sc["rows"][1][:, 3])   # continuous frees at finish


def test_static_release_is_the_batch_end(sc):
    r = sc["rows"][0]
    batch = r[:, 1]                                           # one prefill step starts a batch
    for b in np.unique(batch):
        members = r[batch == b]
        assert np.allclose(members[:, 4], members[:, 3].max())


def test_telemetry_against_the_trace_totals(sc):
    for p, t in enumerate(sc["traces"]):
        tele = sc["tele"][p]
        last = tele[-1]
        assert last[3] == t.n_requests and last[4] == 0
        assert last[2] == pytest.approx(t.output_tokens.sum() / t.end_s, rel=1e-9)
        computed = (t.n_prefill_tokens + t.n_decode_seqs + t.n_pad_tokens).sum()
        assert last[0] == pytest.approx(t.n_pad_tokens.sum() / computed)
        assert (tele[:, 1] <= tele[:, 5] + 1e-12).all() and (tele[:, 5] <= 1 + 1e-12).all()
        assert (np.diff(tele[:, 3]) >= 0).all()              # finished only grows
    assert sc["tele"][1][-1][0] == 0.0                        # continuous pads nothing
    assert sc["totals"][1][0] > 2 * sc["totals"][0][0]       # and wins on tok/s


def test_totals_agree_with_summarize(sc):
    for p, t in enumerate(sc["traces"]):
        assert sc["totals"][p][0] == pytest.approx(summarize(t).throughput_tok_per_s)


def test_equal_lengths_leave_no_padding():
    eq = BatchingWidget().run("equal-lengths")
    assert eq["totals"][0][1] == 0.0
    assert eq["totals"][1][0] < 1.3 * eq["totals"][0][0]


def test_changing_the_rate_resimulates_without_error(w):
    before = w.scenarios
    for rate in (30.0, 31.0, 29.0):
        w.rate_per_s = rate
        assert w.error == ""
    assert w.scenarios is not before


def test_leaves_out_names_the_cost_model_limits():
    assert "roofline" in LEAVES_OUT and LIMITS[0] in LEAVES_OUT


@pytest.mark.parametrize("trait, value, name", [
    ("max_num_seqs", 0, "max_num_seqs"), ("max_num_seqs", 257, "max_num_seqs"),
    ("rate_per_s", 0.0, "rate_per_s"), ("rate_per_s", 1e9, "rate_per_s"),
    ("length_spread", -0.1, "length_spread"), ("length_spread", 3.0, "length_spread"),
    ("n_requests", 0, "n_requests"), ("scenario", "nope", "scenario"), ("policy", "both-ish", "policy"),
])
def test_bad_traits_set_error_and_keep_the_last_good_state(trait, value, name):
    x = BatchingWidget()
    before = x.scenarios
    setattr(x, trait, value)
    assert x.error.startswith(name)
    assert x.scenarios is before or x.scenarios == before
    x.max_num_seqs = 64
    x.rate_per_s = 32.0
    x.length_spread = 0.95
    x.n_requests = 256


@pytest.mark.parametrize("kwargs, name", [
    ({"scenario": "nope"}, "scenario"), ({"policy": "x"}, "policy"), ({"max_num_seqs": 0}, "max_num_seqs"),
    ({"length_spread": 5.0}, "length_spread"),
])
def test_bad_constructor_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=name):
        BatchingWidget(**kwargs)


def test_policy_run_validates():
    with pytest.raises(ValueError, match="policy"):
        policy_run("dynamic")
    with pytest.raises(ValueError, match="rate_per_s"):
        policy_run("static", rate_per_s=-1)


def test_seek_and_play(w):
    w.seek(N_FRAMES - 1)
    assert w.frame == N_FRAMES - 1
    with pytest.raises(ValueError, match="frame"):
        w.seek(N_FRAMES)
    w.pause()
    assert not w.playing
