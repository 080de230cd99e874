"""PagedAttentionWidget: the scripted scenario through the real block managers, its wire format and errors."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.widgets.base import bundle_path
from vizkit.widgets.paged import DONE, RUNNING, SCRIPT, WAITING, PagedAttentionWidget, paged_scenario


@pytest.fixture
def w():
    return PagedAttentionWidget()


def test_the_bundle_exists_and_is_the_widgets_esm(w):
    assert bundle_path("paged").is_file()
    assert "paged" in bundle_path("paged").read_text()


def test_one_scenario_per_block_size(w):
    assert [s["block_size"] for s in w.scenarios] == [4, 8, 16]
    assert all(s["n_blocks"] * s["block_size"] == 256 for s in w.scenarios)
    assert w.n_frames == max(s["n_frames"] for s in w.scenarios)


def test_arrays_cross_as_binary_buffers_not_json_lists(w):
    state, _, buffers = _remove_buffers(w.get_state())
    assert len(buffers) >= 13 * 3
    for s in state["scenarios"]:
        assert not any(isinstance(v, list) and len(v) > 8 for v in s.values())


@pytest.mark.parametrize("B", [1, 4, 8, 16])
def test_paged_waste_is_under_one_block_per_sequence(B):
    sc = paged_scenario(B)
    t = sc["arrays"]["totals"]
    running = t[:, 4]
    assert ((t[:, 0] - t[:, 1]) < np.maximum(running, 1) * B).all()
    assert (t[:, 1] <= t[:, 0]).all() and (t[:, 3] <= t[:, 2]).all()


@pytest.mark.parametrize("B", [4, 8, 16])
def test_fork_shares_blocks_and_copies_once_on_write(B):
    a = paged_scenario(B)["arrays"]
    assert a["n_cow_copies"] == 1
    f0 = a["refcount"][0]
    assert f0.max() == 2                                     # A and A' share every prompt block
    cow = a["cow"][a["cow"][:, 0] >= 0]
    assert cow.shape[0] == 1 and cow[0, 0] == 0              # A writes first, so A copies
    k = int(np.flatnonzero(a["cow"][:, 0] >= 0)[0])
    assert a["refcount"][k][cow[0, 1]] == 1 and a["refcount"][k][cow[0, 2]] == 1


def test_contiguous_side_waits_and_paged_side_runs_everything():
    a = paged_scenario(8)["arrays"]
    assert (a["p_state"] != WAITING).all()
    assert (a["c_state"] == WAITING).any()
    assert (a["totals"][:, 6] <= 256 // 64).all()
    assert (a["p_state"][-1] == DONE).all() and (a["c_state"][-1] == DONE).all()
    assert a["totals"][:, 4].max() > a["totals"][:, 6].max()


def test_tables_match_owner_and_fill():
    sc = paged_scenario(4)
    a, B = sc["arrays"], 4
    for k in range(sc["n_frames"]):
        live = a["p_state"][k] == RUNNING
        assert a["fill"][k].sum() == a["totals"][k, 1]
        for s in np.flatnonzero(live):
            nb = -(-a["p_tokens"][k, s] // B)
            blocks = a["table"][k, s, :nb]
            assert (blocks >= 0).all() and (a["owner"][k][blocks] >= 0).all()
        assert ((a["owner"][k] >= 0) == (a["refcount"][k] > 0)).all()


def test_bad_parameters_set_error_and_keep_the_last_trace(w):
    before = w.scenarios
    w.capacity_tokens = 8
    assert "capacity_tokens" in w.error and w.scenarios is before
    w.capacity_tokens = 256
    assert w.error == ""
    w.max_len_tokens = 10
    assert w.error.startswith("max_len_tokens must be at least the longest request")
    w.max_len_tokens = 64
    w.block_sizes = (0,)
    assert w.error.startswith("block_sizes")
    w.block_sizes = (4, 8, 16)
    w.block_size = 5
    assert w.block_size == 8 and w.error.startswith("block_size")
    w.block_size = 16
    assert w.error == ""


def test_bad_constructor_arguments_raise():
    with pytest.raises(ValueError):
        PagedAttentionWidget(capacity_tokens=10)
    with pytest.raises(ValueError):
        PagedAttentionWidget(block_sizes=(4,), block_size=8)


def test_resimulation_changes_the_contiguous_fit(w):
    w.max_len_tokens = 128
    a = w.scenario(8)["arrays"]
    assert a["totals"][:, 6].max() == 256 // 128
    assert len(SCRIPT) == w.scenarios[0]["n_seqs"]


def test_repr_is_stable(w):
    assert repr(w) == ("PagedAttentionWidget(block_size=8, block_sizes=(4, 8, 16), capacity_tokens=256, "
                       "max_len_tokens=64)")
