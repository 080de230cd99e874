"""PerceptronWidget: presets through perceptron_trace, the wire format, resimulation and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.nn.datasets import make_dataset
from vizkit.nn.perceptron import perceptron_trace
from vizkit.widgets.base import bundle_path
from vizkit.widgets.perceptron import LEAVES_OUT, MAX_EPOCHS, PerceptronWidget, points_dataset


@pytest.fixture
def w():
    return PerceptronWidget()


def by_key(w, key):
    return next(s for s in w.scenarios if s["key"] == key)


def f32(s, name):
    return np.frombuffer(s[name], "<f4")


def i32(s, name):
    return np.frombuffer(s[name], "<i4")


def test_the_bundle_exists_and_is_the_widgets_esm(w):
    path = bundle_path("perceptron")
    assert path.is_file()
    assert w.get_state()["_esm"] == path.read_text()
    assert w.description == LEAVES_OUT


def test_scenarios_and_frame_counts(w):
    assert [s["key"] for s in w.scenarios] == ["separable", "xor", "custom"]
    sep = by_key(w, "separable")
    assert sep["n_frames"] == 1 + 40 * sep["converged_epoch"], "one frame per visit, then stop"
    xor = by_key(w, "xor")
    assert xor["converged_epoch"] == -1 and xor["n_frames"] == 1 + 40 * 20
    assert w.n_frames == sep["n_frames"]
    w.scenario = "xor"
    assert w.n_frames == xor["n_frames"]


def test_arrays_cross_as_binary_buffers_and_match_the_trace(w):
    state, _, buffers = _remove_buffers(w.get_state())
    assert len(buffers) == 9 * len(w.scenarios)
    assert sum(len(b) for b in buffers) < 500_000
    for s in state["scenarios"]:
        assert not any(isinstance(v, list) and len(v) > 8 for v in s.values())
    for key in ("separable", "xor", "custom"):
        s, t = by_key(w, key), w.trace(key)
        assert np.allclose(f32(s, "w").reshape(-1, 2), t.w.astype(np.float32))
        assert np.allclose(f32(s, "b"), t.b.astype(np.float32))
        assert np.allclose(f32(s, "accuracy"), t.accuracy.astype(np.float32))
        assert (i32(s, "example") == t.example).all() and (i32(s, "n_mistakes") == t.n_mistakes).all()
        assert f32(s, "x").size == 2 * s["n_points"]


def test_the_separable_run_ends_at_full_accuracy_and_xor_at_three_quarters(w):
    sep = by_key(w, "separable")
    assert f32(sep, "accuracy")[-1] == 1.0
    # the last pass made no mistake
    assert i32(sep, "mistake")[-40:].sum() == 0
    xor = by_key(w, "xor")
    assert xor["best_accuracy"] <= 0.75 + 1e-6
    assert i32(xor, "mistake")[-40:].sum() > 0, "XOR: every pass still makes mistakes"


def test_the_data_window_holds_every_point(w):
    for s in w.scenarios:
        x = f32(s, "x").reshape(-1, 2)
        (x0, x1), (y0, y1) = s["x_range"], s["y_range"]
        assert (x[:, 0] > x0).all() and (x[:, 0] < x1).all() and (x[:, 1] > y0).all() and (x[:, 1] < y1).all()
        assert x1 - x0 == pytest.approx(y1 - y0)


def test_changing_your_run_resimulates_and_shows_it(w):
    w.dataset = "two_moons"
    assert w.error == "" and w.scenario == "custom"
    assert by_key(w, "custom")["label"].startswith("Your run: Two moons")
    w.points = [[0.0, 0.0, 0], [1.0, 1.0, 1], [2.0, 2.0, 1]]
    s = by_key(w, "custom")
    assert s["n_points"] == 3 and s["converged_epoch"] > 0
    w.max_epochs = 3
    assert by_key(w, "xor")["n_frames"] == 1 + 40 * 3
    t = perceptron_trace(make_dataset("separable", 40, seed=5), 0.5, 20, seed=5)
    w.points = []
    w.seed = 5
    w.dataset = "separable"
    w.max_epochs = 20
    w.learning_rate = 0.5
    assert np.allclose(f32(by_key(w, "custom"), "b"), t.b.astype(np.float32))


def test_resimulation_is_fast(w):
    w.learning_rate = 0.25


@pytest.mark.parametrize("name, value, message", [
    ("learning_rate", -1.0, "learning_rate must be a finite number > 0; got -1.0"),
    ("max_epochs", 0, f"max_epochs must be an integer >= 1 and <= {MAX_EPOCHS}; got 0"),
    ("dataset", "moons", "dataset must be one of"),
    ("n_points", 1, "n_points must be an integer >= 2"),
    ("points", [[0.0, 0.0, 2], [1.0, 1.0, 1]], "points labels must be 0 or 1"),
    ("points", [[0.0, 0.0]], "points must be 2 to"),
    ("scenario", "nope", "scenario must be one of"),
])
def test_bad_input_sets_error_and_keeps_the_last_trace(w, name, value, message):
    before = w.scenarios
    shown = w.scenario
    setattr(w, name, value)
    assert w.error.startswith(message)
    assert w.scenarios is before and w.scenario == shown


@pytest.mark.parametrize("kwargs, name", [
    (dict(learning_rate=0), "learning_rate"), (dict(learning_rate="fast"), "learning_rate"),
    (dict(max_epochs=MAX_EPOCHS + 1), "max_epochs"), (dict(scenario="nope"), "scenario"),
    (dict(dataset="nope"), "dataset"), (dict(presets=[("k", "nope", 1.0, 0)]), "presets"),
])
def test_bad_constructor_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        PerceptronWidget(**kwargs)


def test_points_dataset():
    d = points_dataset([(0, 1, 0), (2, 3, 1)])
    assert d.x.tolist() == [[0, 1], [2, 3]] and d.y.tolist() == [0, 1]
    with pytest.raises(ValueError, match="^points"):
        points_dataset("abc")
    with pytest.raises(ValueError, match="^points"):
        points_dataset([(0, np.nan, 0), (1, 1, 1)])
