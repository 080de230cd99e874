"""NotationWidget and notation_tour: the tour against hand sums, the wire format and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.foundations.notation import TOUR_STAGES, notation_tour
from vizkit.widgets.base import bundle_path
from vizkit.widgets.notation import MAX_ENTRIES, PRESETS, NotationWidget


@pytest.fixture
def nw():
    return NotationWidget()


def by_key(w, key):
    return next(s for s in w.scenarios if s["key"] == key)


def f32(s, name):
    return np.frombuffer(s[name], "<f4")


def i32(s, name):
    return np.frombuffer(s[name], "<i4")


def test_tour_against_hand_values():
    t = notation_tour([3.0, 4.0], [1.0, 2.0])
    assert [TOUR_STAGES[s] for s in t.stage] == ["read", "sum", "sum", "norm", "norm", "sqrt", "transpose",
                                                 "partial", "partial"]
    assert t.index.tolist() == [0, 1, 2, 1, 2, 0, 0, 1, 2]
    assert t.running.tolist()[:7] == [0.0, 3.0, 11.0, 9.0, 25.0, 5.0, 11.0]
    assert t.term[7:] == pytest.approx([3.0, 4.0], abs=1e-9)
    assert t.dot == 11.0 and t.l2 == 5.0


@settings(max_examples=40, deadline=None)
@given(st.integers(1, MAX_ENTRIES).flatmap(lambda n: st.tuples(
    st.lists(st.floats(-100, 100), min_size=n, max_size=n), st.lists(st.floats(-100, 100), min_size=n, max_size=n))))
def test_tour_invariants(xw):
    x, w = map(np.array, xw)
    n = len(x)
    t = notation_tour(x, w)
    assert len(t) == 3 * n + 3
    assert t.running[n] == pytest.approx(float(np.dot(w, x)), abs=1e-6 * (1 + np.abs(w * x).sum()))
    assert t.running[2 * n + 1] == pytest.approx(math.sqrt(float((x ** 2).sum())), rel=1e-9, abs=1e-12)
    assert t.term[2 * n + 3:] == pytest.approx(x, abs=1e-6 * (1 + np.abs(x).max()))   # ∂(wᵀx)/∂w_k = x_k


def test_tour_bad_input():
    with pytest.raises(ValueError, match="^x must not be empty"):
        notation_tour([], [])
    with pytest.raises(ValueError, match="^w must have length 2"):
        notation_tour([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="^h must be a finite number > 0"):
        notation_tour([1.0], [1.0], h=0)


def test_the_bundle_exists_and_is_the_widgets_esm(nw):
    path = bundle_path("notation")
    assert path.is_file()
    assert nw.get_state()["_esm"] == path.read_text()


def test_one_scenario_per_preset_plus_custom(nw):
    assert [s["key"] for s in nw.scenarios] == [*PRESETS, "custom"]
    assert nw.scenario == "mixed" and nw.n_frames == 18


def test_arrays_cross_as_binary_buffers(nw):
    state, _, buffers = _remove_buffers(nw.get_state())
    assert len(buffers) == 6 * len(nw.scenarios)
    for s in state["scenarios"]:
        assert not any(isinstance(v, list) and len(v) > 8 for v in s.values())


def test_buffers_match_the_trace(nw):
    for key in [*PRESETS, "custom"]:
        s, t = by_key(nw, key), nw.trace(key)
        assert (i32(s, "stage") == t.stage).all()
        assert np.allclose(f32(s, "running"), t.running.astype(np.float32))
        assert np.allclose(f32(s, "x"), t.x) and np.allclose(f32(s, "w"), t.w)
    assert by_key(nw, "mean")["dot"] == pytest.approx(np.mean(PRESETS["mean"][1]))
    assert by_key(nw, "pick")["dot"] == PRESETS["pick"][1][2]


def test_editing_operands_resimulates_fast_and_shows_them(nw):
    with nw.hold_trait_notifications():
        nw.x = (1.0, 2.0)
        nw.w = (3.0, 4.0)
    assert nw.error == "" and nw.scenario == "custom"
    assert by_key(nw, "custom")["dot"] == 11.0 and nw.n_frames == 9


def test_bad_traits_set_error_and_keep_the_last_trace(nw):
    before = by_key(nw, "custom")["dot"]
    nw.w = (1.0,)
    assert nw.error.startswith("w must have length 5")
    assert by_key(nw, "custom")["dot"] == before
    nw.x = tuple(range(MAX_ENTRIES + 1))
    assert nw.error.startswith("x must have 1 to 8 entries")
    nw.scenario = "nope"
    assert nw.scenario == "mixed" and nw.error.startswith("scenario")
    nw.symbol = "nabla"
    assert nw.symbol == "" and nw.error.startswith("symbol")
    nw.symbol = "norm"
    assert nw.error == ""


def test_bad_constructor_arguments_raise():
    with pytest.raises(ValueError, match="^x must"):
        NotationWidget(x="abc")
    with pytest.raises(ValueError, match="^scenario"):
        NotationWidget(scenario="nope")
    with pytest.raises(ValueError, match="^symbol"):
        NotationWidget(symbol="nabla")
    with pytest.raises(ValueError, match="^w must have length"):
        NotationWidget(x=(1.0, 2.0))


def test_playback_and_repr(nw):
    nw.seek(nw.n_frames - 1)
    nw.pause()
    assert nw.frame == 17 and not nw.playing
    with pytest.raises(ValueError, match="^frame"):
        nw.seek(18)
    assert repr(nw).startswith("NotationWidget(scenario='mixed'")
    assert "leaves" not in nw.description and "eight entries" in nw.description
