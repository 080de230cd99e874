"""ChunkedPrefillWidget: the scripted stream through the real engine, its wire format and errors."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.serving import cost_model
from vizkit.widgets.base import bundle_path
from vizkit.widgets.chunked import N_FRAMES, ChunkedPrefillWidget, chunked_scenario, chunked_workload


@pytest.fixture(scope="module")
def w():
    return ChunkedPrefillWidget()


def test_the_bundle_exists_and_is_the_widgets_esm(w):
    assert bundle_path("chunked").is_file()
    assert "chunked" in bundle_path("chunked").read_text()


def test_one_scenario_per_mode(w):
    assert [s["mode"] for s in w.scenarios] == [0, 256, 512, 2048]
    assert w.n_frames == N_FRAMES


def test_arrays_cross_as_binary_buffers_not_json_lists(w):
    state, _, buffers = _remove_buffers(w.get_state())
    assert len(buffers) >= 15 * 4
    for s in state["scenarios"]:
        assert not any(isinstance(v, list) and len(v) > 8 for v in s.values())
    assert sum(len(b) for b in buffers) < 300_000


@pytest.mark.parametrize("mode", [0, 256, 1024])
def test_token_ticks_reproduce_the_engines_gaps(mode):
    sc = chunked_scenario(mode)
    t = sc["trace"]
    counts = np.bincount(sc["tok_req"], minlength=t.n_requests)
    assert np.array_equal(counts, t.output_tokens)                 # every token, once
    first = np.r_[True, sc["tok_req"][1:] != sc["tok_req"][:-1]]
    assert np.allclose(np.sort(sc["tok_gap"][~first]), np.sort(t.itl_s))
    assert np.allclose(sc["tok_gap"][first], t.first_token_s - t.arrival_s)
    if mode:
        assert (sc["prefill_tokens"] + sc["decodes"]).max() <= mode   # the budget holds


def test_without_chunking_one_step_is_a_whole_long_prefill():
    sc = chunked_scenario(0, long_prompt_tokens=6000)
    cm = cost_model("llama-3-8b", "h100-sxm")
    alone = cm.linear_flops_per_token * 6000 / cm.peak_flops                 # FLOPs over peak, by hand
    assert sc["max_step_s"] >= alone
    assert sc["itl_max_s"] >= alone                                       # a decode waited through it
    chunked = chunked_scenario(512, long_prompt_tokens=6000)
    assert chunked["itl_p99_s"] < 0.2 * sc["itl_p99_s"]
    assert chunked_scenario(256)["ttft_long_s"] > sc["ttft_long_s"]        # the price: later first tokens


def test_workload_script():
    wl = chunked_workload(3000, 4)
    assert wl.n_requests == 8 and (wl.prompt_tokens == 3000).sum() == 2
    assert (np.diff(wl.arrival_s) >= 0).all()


def test_resimulation_works_and_bad_input_sets_error():
    w = ChunkedPrefillWidget(modes=(0, 512), mode=512)
    w.long_prompt_tokens = 4000
    assert w.error == ""
    w.long_prompt_tokens = 10
    assert "long_prompt_tokens" in w.error
    w.long_prompt_tokens = 4000
    assert w.error == ""
    w.n_chats = 0
    assert "n_chats" in w.error
    w.n_chats = 8
    w.mode = 7
    assert "mode" in w.error and w.mode == 512
    w.gpu = "no-such-gpu"
    assert "gpu" in w.error


def test_bad_constructor_arguments_raise_naming_the_parameter():
    with pytest.raises(ValueError, match="mode"):
        ChunkedPrefillWidget(mode=3)
    with pytest.raises(ValueError, match="modes"):
        ChunkedPrefillWidget(modes=(0, 100), mode=0)
    with pytest.raises(ValueError, match="long_prompt_tokens"):
        ChunkedPrefillWidget(long_prompt_tokens=100000)
    with pytest.raises(ValueError, match="mode"):
        chunked_scenario(100)
    with pytest.raises(ValueError, match="n_chats"):
        chunked_workload(1000, 0)


def test_repr_and_description(w):
    assert repr(w).startswith("ChunkedPrefillWidget(mode=0")
    assert "roofline" in w.description
