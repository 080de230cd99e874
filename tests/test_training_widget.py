"""TrainingWidget: presets precomputed once, the wire format, resimulation of your run and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.widgets.base import bundle_path
from vizkit.widgets.training import GRID, LEAVES_OUT, MAX_STEPS, PRESETS, TrainingWidget, preset_trace


@pytest.fixture(scope="module")
def w():
    return TrainingWidget()


def by_key(w, key):
    return next(s for s in w.scenarios if s["key"] == key)


def f32(s, name):
    return np.frombuffer(s[name], "<f4")


def test_bundle_description_and_keys(w):
    assert w.get_state()["_esm"] == bundle_path("training").read_text()
    assert w.description == LEAVES_OUT
    assert [s["key"] for s in w.scenarios] == [k for k, _, _ in PRESETS] + ["custom"]


def test_saved_state_is_small(w):
    _, _, buffers = _remove_buffers(w.get_state())
    assert sum(len(b) for b in buffers) < 300_000


def test_buffers_match_the_trace_and_the_story_holds(w):
    t = preset_trace("overfit")
    s = by_key(w, "overfit")
    assert np.allclose(f32(s, "val_loss"), t.val_loss, rtol=1e-6)
    assert f32(s, "boundary_prob").size == t.boundary_step.size * GRID * GRID
    assert s["best_step"] == int(np.nanargmin(t.val_loss)) and s["best_val"] == pytest.approx(t.val_loss.min())
    gap = {k: f32(by_key(w, k), "gap")[-1] for k in ("healthy", "overfit", "decay", "more_data")}
    assert gap["overfit"] > 2 * gap["decay"] and gap["overfit"] > 2 * gap["more_data"]
    assert gap["healthy"] < 0.1
    small, healthy = f32(by_key(w, "small_batch"), "batch_loss"), f32(by_key(w, "healthy"), "batch_loss")
    assert np.std(np.diff(np.log(small[150:]))) > np.std(np.diff(np.log(healthy[150:])))   # noisier steps
    hi = f32(by_key(w, "lr_high"), "train_loss")
    assert hi[-1] > 10 * f32(by_key(w, "healthy"), "train_loss")[-1]


def test_your_run_resimulates_without_recomputing_presets():
    w = TrainingWidget()
    presets = w.scenarios[:-1]
    for v in (0.02, 0.03, 0.04):
        w.learning_rate = v
    assert w.error == "" and w.scenario == "custom"
    assert all(a is b for a, b in zip(w.scenarios[:-1], presets))
    w.n_steps = 20
    assert w.n_frames == 21 and by_key(w, "custom")["n_frames"] == 21


@pytest.mark.parametrize("name, value, message", [
    ("learning_rate", 0.0, "learning_rate must be a finite number > 0"),
    ("batch_size", 0, "batch_size must be an integer >= 1"),
    ("batch_size", 500, "batch_size must be <= the 140 training points"),
    ("weight_decay", -1.0, "weight_decay must be"),
    ("n_points", 5, "n_points must be an integer >= 20"),
    ("n_steps", MAX_STEPS + 1, f"n_steps must be an integer >= 1 and <= {MAX_STEPS}"),
    ("scenario", "nope", "scenario must be one of"),
])
def test_bad_input_sets_error_and_keeps_the_last_runs(w, name, value, message):
    before, shown, old = w.scenarios, w.scenario, getattr(w, name)
    setattr(w, name, value)
    assert w.error.startswith(message), w.error
    assert w.scenarios is before and w.scenario == shown
    setattr(w, name, old)                  # the module's widget is shared: put it back
    assert w.error == "" or name == "scenario"


@pytest.mark.parametrize("kwargs, name", [
    (dict(learning_rate="x"), "learning_rate"), (dict(batch_size=0), "batch_size"), (dict(scenario="x"), "scenario"),
    (dict(n_points=10), "n_points"), (dict(weight_decay=-1.0), "weight_decay"),
])
def test_bad_constructor_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        TrainingWidget(**kwargs)
