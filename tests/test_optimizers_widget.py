"""OptimizerRaceWidget: presets through race_trace, closed-form checks of the racers, the wire format, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.foundations.optimizer_race import race_trace
from vizkit.widgets.base import bundle_path
from vizkit.widgets.optimizers import (MAX_WIDGET_STEPS, PRESETS, OptimizerRaceWidget, preset_racers)


@pytest.fixture
def w():
    return OptimizerRaceWidget(n_steps=120)


def by_key(w, key):
    return next(s for s in w.scenarios if s["key"] == key)


def f32(s, name):
    return np.frombuffer(s[name], "<f4")


def i32(s, name):
    return np.frombuffer(s[name], "<i4")


def test_the_bundle_exists_and_is_the_widgets_esm(w):
    path = bundle_path("optimizers")
    assert path.is_file()
    assert w.get_state()["_esm"] == path.read_text()


def test_one_scenario_per_preset_plus_the_custom_run(w):
    assert [s["key"] for s in w.scenarios] == [*PRESETS, "custom"]
    assert all(s["n_frames"] == 121 for s in w.scenarios)
    assert w.n_frames == 121 and w.scenario == "ravine"
    assert all(s["names"] == ["sgd", "momentum", "adam"] for s in w.scenarios)


def test_arrays_cross_as_binary_buffers_and_the_page_stays_small():
    big = OptimizerRaceWidget()                     # the notebook's default: 300 steps
    state, _, buffers = _remove_buffers(big.get_state())
    for s in state["scenarios"]:
        assert not any(isinstance(v, list) and len(v) > 8 for v in s.values())
    assert sum(len(b) for b in buffers) < 300_000


def test_buffers_match_the_trace(w):
    for key in ("ravine", "rosenbrock", "custom"):
        s, t = by_key(w, key), w.trace(key)
        assert np.allclose(f32(s, "loss").reshape(-1, 3), t.loss.astype(np.float32))
        assert np.allclose(f32(s, "position").reshape(-1, 3, 2), t.position.astype(np.float32))
        assert (i32(s, "converged").reshape(-1, 3) == t.converged).all()
        assert s["steps"] == t.steps_to_converge.tolist()


def test_sgd_on_the_ravine_follows_the_closed_form(w):
    # the steep coordinate of plain GD on ½(x² + 20y²) is (1 − 20η)^t · y0, independently of x
    s = by_key(w, "ravine")
    eta = s["learning_rates"][0]
    pos = f32(s, "position").reshape(-1, 3, 2)
    t = np.arange(pos.shape[0])
    assert np.allclose(pos[:, 0, 1], (1 - 20 * eta) ** t * 1.0, atol=1e-6)
    assert np.allclose(pos[:, 0, 0], (1 - eta) ** t * -2.5, atol=1e-5)


def test_adams_first_step_is_eta_times_the_sign_of_the_gradient(w):
    s = by_key(w, "ravine")
    eta = s["learning_rates"][2]
    pos = f32(s, "position").reshape(-1, 3, 2)
    start = np.array([-2.5, 1.0])
    grad = np.array([1.0, 20.0]) * start
    assert np.allclose(pos[1, 2] - start, -eta * np.sign(grad), atol=1e-5)


def test_momentum_wins_the_tuned_ravine_and_too_large_rates_diverge(w):
    s = by_key(w, "ravine")
    assert s["steps"][1] == min(s["steps"]) and min(s["steps"]) > 0
    fast = by_key(w, "ravine-too-fast")
    assert fast["diverged_step"][0] > 0 and fast["diverged_step"][1] > 0     # SGD above 2/20, momentum too
    assert fast["learning_rates"][0] > fast["critical_learning_rate"]
    assert fast["diverged_step"][2] == -1                                    # Adam's step is bounded by η
    d = i32(fast, "diverged").reshape(-1, 3)
    assert d[fast["diverged_step"][1]:, 1].all()


def test_changing_a_hyperparameter_resimulates_and_shows_your_race(w):
    w.scenario = "rosenbrock"
    w.beta1 = 0.0
    assert w.error == "" and w.scenario == "custom"
    s = by_key(w, "custom")
    assert s["betas"] == [0.0, 0.0, 0.0]
    pos = f32(s, "position").reshape(-1, 3, 2)
    # momentum with β = 0 is SGD: same rate, same path
    w.momentum_lr = w.sgd_lr
    pos = f32(by_key(w, "custom"), "position").reshape(-1, 3, 2)
    assert np.allclose(pos[:, 0], pos[:, 1])
    w.surface = "rosenbrock"
    assert by_key(w, "custom")["surface"] == "rosenbrock"
    w.n_steps = 10
    assert w.n_frames == 11


def test_resimulation_is_fast(w):
    w.adam_lr = 0.05
    w.adam_lr = 0.07


@pytest.mark.parametrize("name, value, start", [
    ("sgd_lr", -0.1, "sgd_lr must be a finite number > 0"),
    ("momentum_lr", 0.0, "momentum_lr must be a finite number > 0"),
    ("adam_lr", float("nan"), "adam_lr must be a finite number > 0"),
    ("beta1", 1.0, "beta1 must be a number in [0.0, 0.999999]"),
    ("beta2", -0.5, "beta2 must be a number in [0.0, 0.999999]"),
    ("gradient_noise", -1.0, "gradient_noise must be"),
    ("n_steps", 0, f"n_steps must be an integer >= 1 and <= {MAX_WIDGET_STEPS}"),
    ("surface", "quadratic", "surface must be one of"),
])
def test_bad_input_sets_error_and_keeps_the_last_trace(w, name, value, start):
    before = w.scenarios
    setattr(w, name, value)
    assert w.error.startswith(start), w.error
    assert w.scenarios is before and w.n_frames == 121


def test_an_unknown_scenario_is_reported_and_the_shown_one_kept(w):
    w.scenario = "rosenbrock"
    w.scenario = "nope"
    assert w.error.startswith("scenario must be one of")
    assert w.scenario == "rosenbrock"
    w.scenario = "custom"
    assert w.error == ""


def test_bad_constructor_arguments_raise():
    with pytest.raises(ValueError, match="^n_steps"):
        OptimizerRaceWidget(n_steps=0)
    with pytest.raises(ValueError, match="^adam_lr"):
        OptimizerRaceWidget(adam_lr=-1)
    with pytest.raises(ValueError, match="^scenario"):
        OptimizerRaceWidget(scenario="ravine-7")
    with pytest.raises(ValueError, match="^presets"):
        OptimizerRaceWidget(presets=("saddle",))
    with pytest.raises(ValueError, match="^key"):
        preset_racers("saddle")


def test_dropping_the_shown_preset_falls_back_to_the_custom_run(w):
    w.presets = ("rosenbrock",)
    assert [s["key"] for s in w.scenarios] == ["rosenbrock", "custom"]
    assert w.scenario == "custom"


def test_trace_matches_race_trace(w):
    t = w.trace("ravine-noisy")
    ref = race_trace("ravine", preset_racers("ravine-noisy"), n_steps=120, gradient_noise=2.0)
    assert np.array_equal(t.loss, ref.loss)


def test_playback_and_repr(w):
    w.seek(120)
    assert w.frame == 120
    with pytest.raises(ValueError, match="^frame"):
        w.seek(121)
    assert repr(w).startswith("OptimizerRaceWidget(scenario='ravine', surface='ravine'")
