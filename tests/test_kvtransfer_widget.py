"""KVTransferWidget: scenarios from serving.kv_transfer, the per-frame progress, wire format and errors."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.serving import LINKS
from vizkit.widgets.base import bundle_path
from vizkit.widgets.kvtransfer import (LEAVES_OUT, N_FRAMES, KVTransferWidget, kv_bytes_per_link_token,
                                       transfer_scenario)


@pytest.fixture
def w():
    return KVTransferWidget()


def test_the_bundle_exists_and_is_the_widgets_esm(w):
    assert bundle_path("kvtransfer").is_file()
    assert "kvtransfer" in bundle_path("kvtransfer").read_text()
    assert w.description == LEAVES_OUT


def test_one_scenario_per_link_with_hand_computed_totals(w):
    assert [s["name"] for s in w.scenarios] == list(w.links)
    for s in w.scenarios:
        lk = LINKS[s["name"]]
        # 4,096 tokens x 81,920 B (one of four shards) in 256 blocks, one message each
        expected_ms = 1e3 * (256 * lk.latency_s + 4096 * 81_920 / lk.bw_bytes_per_s)
        assert s["total_ms"] == pytest.approx(expected_ms)
        assert s["total_mib"] == pytest.approx(320.0)
        assert s["n_blocks"] == 256 and s["n_messages"] == 256
    assert w.n_frames == N_FRAMES


def test_kv_bytes_per_link_token_by_hand():
    assert kv_bytes_per_link_token("llama-3-70b", 1) == 2 * 80 * 8 * 128 * 2
    assert kv_bytes_per_link_token("llama-3-70b", 8) == 2 * 80 * 8 * 128 * 2 / 8
    assert kv_bytes_per_link_token("deepseek-v2", 8) == kv_bytes_per_link_token("deepseek-v2", 1)
    with pytest.raises(ValueError, match="tp"):
        kv_bytes_per_link_token("llama-3-70b", 16)


def test_progress_is_monotone_and_completes():
    sc = transfer_scenario("roce-400g", prompt_tokens=1000, block_size=16, blocks_per_message=3)
    assert (np.diff(sc["n_arrived"]) >= 0).all() and (np.diff(sc["bytes_arrived"]) >= 0).all()
    assert sc["n_arrived"][-1] == sc["n_blocks"] == 63
    assert sc["bytes_arrived"][-1] == pytest.approx(1000 * 81_920)
    assert sc["n_messages"] == 21
    assert (sc["n_arrived"] + sc["n_in_flight"] <= sc["n_blocks"]).all()
    assert (sc["depart_s"] < sc["arrive_s"]).all()


def test_arrays_cross_as_binary_buffers_not_json_lists(w):
    state, _, buffers = _remove_buffers(w.get_state())
    assert len(buffers) >= 6 * 5
    for s in state["scenarios"]:
        assert not any(isinstance(v, list) and len(v) > 8 for v in s.values())
    assert sum(len(b) for b in buffers) < 200_000


def test_link_switches_without_resimulating_and_bad_link_is_reported(w):
    before = w.scenarios
    w.link_name = "nvlink4"
    assert w.scenarios is before and w.error == ""
    w.link_name = "pigeon"
    assert w.link_name == "nvlink4" and w.error.startswith("link_name")
    w.link_name = "tcp-100g"
    assert w.error == ""


def test_sim_params_resimulate_fast_and_bad_ones_keep_the_last_trace(w):
    w.prompt_tokens = 8192
    assert w.scenarios[0]["n_blocks"] == 512 and w.error == ""
    good = w.scenarios
    for trait, bad in [("prompt_tokens", 0), ("prompt_tokens", 1 << 17), ("block_size", 0),
                       ("blocks_per_message", 0), ("tp", 16), ("model", "gpt-5"), ("gpu", "tpu"),
                       ("links", ("pigeon",)), ("links", ())]:
        old = getattr(w, trait)
        setattr(w, trait, bad)
        assert w.error.split(" ")[0] in (trait, trait.rstrip("s"), "link"), (trait, w.error)
        assert w.scenarios is good
        setattr(w, trait, old)
        assert w.error == ""
        good = w.scenarios
    w.prompt_tokens, w.block_size = 65536, 8          # 8,192 blocks: too many to draw
    assert "blocks to draw" in w.error


@pytest.mark.parametrize("kwargs, name", [
    ({"link_name": "nvlink5"}, "link_name"),
    ({"prompt_tokens": 0}, "prompt_tokens"),
    ({"model": "nope"}, "model"),
    ({"links": ("roce-400g", "x"), "link_name": "roce-400g"}, "links"),
])
def test_bad_constructor_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=name):
        KVTransferWidget(**kwargs)


def test_scenario_accessor_and_repr(w):
    assert w.scenario("nvlink4")["link"] == "nvlink4"
    with pytest.raises(ValueError, match="link_name"):
        w.scenario("nvlink5")
    assert repr(w).startswith("KVTransferWidget(link_name='roce-400g'")
