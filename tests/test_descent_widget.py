"""DescentWidget: the presets through descent_trace, the wire format, the flags and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.foundations.gradient_descent import descent_trace
from vizkit.foundations.surfaces import critical_learning_rate, make_surface
from vizkit.widgets.base import bundle_path
from vizkit.widgets.descent import DEFAULT_PRESETS, MAX_WIDGET_STEPS, DescentWidget, preset_key


@pytest.fixture
def w():
    return DescentWidget(n_steps=40)


def by_key(w, key):
    return next(s for s in w.scenarios if s["key"] == key)


def f32(s, name):
    return np.frombuffer(s[name], "<f4")


def i32(s, name):
    return np.frombuffer(s[name], "<i4")


def test_the_bundle_exists_and_is_the_widgets_esm(w):
    path = bundle_path("descent")
    assert path.is_file()
    assert w.get_state()["_esm"] == path.read_text()


def test_one_scenario_per_preset_plus_the_custom_run(w):
    keys = [s["key"] for s in w.scenarios]
    assert keys == [preset_key(n, m) for n, m in DEFAULT_PRESETS] + ["custom"]
    assert all(s["n_frames"] == 41 for s in w.scenarios)
    assert w.n_frames == 41
    assert w.scenario == "quadratic-0.9"


def test_arrays_cross_as_binary_buffers_not_json_lists(w):
    state, _, buffers = _remove_buffers(w.get_state())
    assert len(buffers) == 9 * len(w.scenarios)
    for s in state["scenarios"]:
        assert not any(isinstance(v, list) and len(v) > 8 for v in s.values())


def test_buffers_match_the_trace(w):
    for key in ("quadratic-0.9", "ravine-0.9", "custom"):
        s, t = by_key(w, key), w.trace(key)
        assert np.allclose(f32(s, "loss"), t.loss.astype(np.float32))
        assert np.allclose(f32(s, "position").reshape(-1, s["dim"]), t.position.astype(np.float32))
        assert np.allclose(f32(s, "grad_norm"), t.grad_norm.astype(np.float32))
        assert (i32(s, "diverged") == t.diverged).all()
        n = len(t.grid_x)
        assert f32(s, "grid_value").size == (n * n if s["dim"] == 2 else n)


def test_learning_rates_are_multiples_of_the_critical_rate(w):
    crit = critical_learning_rate(make_surface("quadratic"))
    for m in (0.4, 0.9, 1.0, 1.1):
        s = by_key(w, preset_key("quadratic", m))
        assert s["critical_learning_rate"] == pytest.approx(crit)
        assert s["learning_rate"] == pytest.approx(m * crit)


def test_below_two_over_L_converges_above_it_the_red_flag_rises(w):
    for m in (0.4, 0.9):
        s = by_key(w, preset_key("quadratic", m))
        assert s["rising_step"] == -1
        assert f32(s, "loss")[-1] < 1e-3 * f32(s, "loss")[0]
    assert by_key(w, "quadratic-0.4")["converged_step"] > 0
    edge = by_key(w, "quadratic-1")
    assert edge["rising_step"] == -1 and edge["converged_step"] == -1
    assert np.allclose(np.abs(f32(edge, "position")), 2.0), "η = 2/L bounces between ±2 forever"
    bad = by_key(w, "quadratic-1.1")
    rising = i32(bad, "rising")
    assert bad["rising_step"] == 1 and rising[1:].all() and rising[0] == 0
    assert (np.diff(f32(bad, "loss")) > 0).all()


def test_a_run_that_overflows_is_flagged_diverged():
    w = DescentWidget(surface="quadratic", learning_rate=5.0, n_steps=200, scenario="custom")
    s = by_key(w, "custom")
    assert s["diverged_step"] > 0
    assert i32(s, "diverged")[s["diverged_step"]:].all()
    assert i32(s, "rising")[s["diverged_step"]:].all()


def test_changing_the_custom_run_resimulates_and_shows_it(w):
    w.surface = "rosenbrock"
    assert w.error == "" and w.scenario == "custom"
    s = by_key(w, "custom")
    assert s["dim"] == 2 and s["surface"] == "rosenbrock"
    w.learning_rate = 0.0005
    assert by_key(w, "custom")["learning_rate"] == 0.0005
    w.start = (0.0, 0.0)
    assert np.allclose(f32(by_key(w, "custom"), "position")[:2], 0.0)
    w.n_steps = 10
    assert w.n_frames == 11 and all(s["n_frames"] == 11 for s in w.scenarios)


@pytest.mark.parametrize("name, value, message", [
    ("learning_rate", -0.1, "learning_rate must be a finite number > 0; got -0.1"),
    ("learning_rate", 0.0, "learning_rate must be a finite number > 0; got 0.0"),
    ("n_steps", 0, f"n_steps must be an integer >= 1 and <= {MAX_WIDGET_STEPS}; got 0"),
    ("n_steps", MAX_WIDGET_STEPS + 1,
     f"n_steps must be an integer >= 1 and <= {MAX_WIDGET_STEPS}; got {MAX_WIDGET_STEPS + 1}"),
    ("start", (1.0, 2.0), "start must have 1 coordinate(s) for surface 'quadratic'; got 2"),
])
def test_bad_input_sets_error_and_keeps_the_last_trace(w, name, value, message):
    before = w.scenarios
    setattr(w, name, value)
    assert w.error == message
    assert w.scenarios is before and w.n_frames == 41


def test_an_unknown_surface_is_reported_then_cleared(w):
    before = w.scenarios
    w.surface = "saddle"
    assert w.error.startswith("surface must be one of") and "rosenbrock" in w.error
    assert w.scenarios is before
    w.surface = "bowl"
    assert w.error == "" and by_key(w, "custom")["surface"] == "bowl"


def test_an_unknown_scenario_is_reported_and_the_shown_one_kept(w):
    w.scenario = "ravine-0.9"
    w.scenario = "nope"
    assert w.error.startswith("scenario must be one of")
    assert w.scenario == "ravine-0.9"
    w.scenario = "custom"
    assert w.error == ""


def test_bad_constructor_arguments_raise():
    with pytest.raises(ValueError, match="^n_steps"):
        DescentWidget(n_steps=0)
    with pytest.raises(ValueError, match="^learning_rate"):
        DescentWidget(learning_rate=-1)
    with pytest.raises(ValueError, match="^scenario"):
        DescentWidget(scenario="quadratic-7")
    with pytest.raises(ValueError, match="^presets"):
        DescentWidget(presets=(("saddle", 0.5),))


def test_dropping_the_shown_preset_falls_back_to_the_custom_run(w):
    w.presets = (("ravine", 0.5),)
    assert [s["key"] for s in w.scenarios] == ["ravine-0.5", "custom"]
    assert w.scenario == "custom"


def test_trace_matches_descent_trace(w):
    t = w.trace("quadratic-1.1")
    ref = descent_trace("quadratic", 1.1 * 2.0, 40)
    assert np.array_equal(t.loss, ref.loss)


def test_playback_and_repr(w):
    w.seek(40)
    assert w.frame == 40
    with pytest.raises(ValueError, match="^frame"):
        w.seek(41)
    w.n_steps = 10
    assert w.frame == 10
    assert repr(w) == ("DescentWidget(scenario='quadratic-0.9', surface='quadratic', learning_rate=0.5, "
                       "start=(), n_steps=10)")
