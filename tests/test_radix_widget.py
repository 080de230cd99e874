"""RadixWidget: the scripted stream through the real RadixCache, its wire format and errors."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.serving import RadixCache
from vizkit.widgets.base import bundle_path
from vizkit.widgets.radix import (BLOCK_TOKENS, HIT, INSERTED, RadixWidget, radix_scenario,
                                  radix_script)


@pytest.fixture
def w():
    return RadixWidget()


def test_the_bundle_exists_and_is_the_widgets_esm(w):
    assert bundle_path("radix").is_file()
    assert "radix" in bundle_path("radix").read_text()


def test_one_scenario_per_capacity(w):
    assert [s["capacity"] for s in w.scenarios] == [24, 48, 96]
    assert w.n_frames == 40


def test_arrays_cross_as_binary_buffers_not_json_lists(w):
    state, _, buffers = _remove_buffers(w.get_state())
    assert len(buffers) >= 9 * 3
    for s in state["scenarios"]:
        assert not any(isinstance(v, list) and len(v) > 8 for v in s.values())
    assert sum(len(b) for b in buffers) < 200_000


def _brute_hits(script, capacity=None):
    """Without eviction, a request's hit is its longest common prefix with any earlier
    prompt + answer (a brute-force scan, no tree)."""
    seen, hits = [], []
    for r in script:
        best = 0
        for s in seen:
            k = 0
            while k < min(len(s), len(r.prompt)) and s[k] == r.prompt[k]:
                k += 1
            best = max(best, k)
        hits.append(best)
        seen.append(r.prompt + r.answer)
    return hits


def test_hits_match_a_brute_force_prefix_scan_when_nothing_is_evicted():
    script = radix_script(40, 0.8, 0)
    sc = radix_scenario(4096, script)
    t = sc["arrays"]["totals"]
    assert t[:, 3].sum() == 0
    assert t[:, 1].tolist() == _brute_hits(script)
    assert sc["saved_tokens"] == t[:, 1].sum() * BLOCK_TOKENS


@pytest.mark.parametrize("cap", [8, 24, 48])
def test_capacity_holds_and_the_tree_is_consistent(cap):
    sc = radix_scenario(cap, radix_script(60, 0.8, 3))
    a = sc["arrays"]
    t = a["totals"]
    assert (t[:, 2] <= cap).all() and (t[:, 1] <= t[:, 0]).all()
    for f in range(t.shape[0]):
        i, j = a["offsets"][f], a["offsets"][f + 1]
        parent, nk, st = a["parent"][i:j], a["nkeys"][i:j], a["state"][i:j]
        assert nk.sum() == t[f, 2] and j - i == t[f, 7]
        assert all(p < k for k, p in enumerate(parent))          # parents come first (DFS order)
        hit_keys = nk[st == HIT].sum()
        assert hit_keys == t[f, 1]                                 # the hit path is the hit
        assert (nk[st == INSERTED].sum() >= 0)
    # cumulative columns are running sums
    assert np.array_equal(np.cumsum(t[:, 0]), t[:, 4]) and np.array_equal(np.cumsum(t[:, 1]), t[:, 5])


def test_more_sharing_and_more_capacity_raise_the_hit_rate():
    none = radix_scenario(48, radix_script(40, 0.0, 0))
    assert none["hit_rate"] == 0
    rates = [radix_scenario(48, radix_script(40, s, 0))["hit_rate"] for s in (0.3, 0.6, 1.0)]
    assert rates == sorted(rates)
    caps = [radix_scenario(c, radix_script(40, 0.8, 0))["hit_rate"] for c in (24, 48, 96, 4096)]
    assert caps == sorted(caps)


def test_resimulation_is_fast(w):
    w.share = 0.6
    assert w.error == ""


def test_bad_input_after_construction_sets_error(w):
    w.share = 1.5
    assert "share" in w.error
    good = w.scenarios
    w.share = 0.5
    assert w.error == "" and w.scenarios is not good
    w.capacity = 7
    assert "capacity" in w.error and w.capacity == 48
    w.n_requests = 0
    assert "n_requests" in w.error


def test_bad_constructor_arguments_raise_naming_the_parameter():
    with pytest.raises(ValueError, match="capacity"):
        RadixWidget(capacity=7)
    with pytest.raises(ValueError, match="share"):
        RadixWidget(share=-0.1)
    with pytest.raises(ValueError, match="capacities"):
        RadixWidget(capacities=(0,), capacity=0)
    with pytest.raises(ValueError, match="capacity"):
        radix_scenario(0, radix_script(3))
    with pytest.raises(ValueError, match="seed"):
        radix_script(3, 0.5, -1)


def test_repr_and_description(w):
    assert repr(w).startswith("RadixWidget(capacity=48")
    assert "LRU" in w.description
    assert isinstance(RadixCache(1), RadixCache)
