"""UniversalWidget: presets through universal_fit, the wire format, resimulation and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.nn.universal import universal_fit, width_sweep
from vizkit.widgets.base import bundle_path
from vizkit.widgets.universal import (DEFAULT_PRESETS, LEAVES_OUT, MAX_WIDTH, N_POINTS, SWEEP_WIDTHS,
                                      UniversalWidget, covered_rms, preset_key)


@pytest.fixture
def w():
    return UniversalWidget()


def by_key(w, key):
    return next(s for s in w.scenarios if s["key"] == key)


def f32(s, name):
    return np.frombuffer(s[name], "<f4")


def test_the_bundle_exists_and_is_the_widgets_esm(w):
    assert w.get_state()["_esm"] == bundle_path("universal").read_text()
    assert w.description == LEAVES_OUT


def test_one_scenario_per_preset_plus_custom_one_frame_per_unit(w):
    assert [s["key"] for s in w.scenarios] == [preset_key(*p) for p in DEFAULT_PRESETS] + ["custom"]
    for s in w.scenarios:
        assert s["n_frames"] == s["width"] and s["n_params"] == 3 * s["width"] + 1
    w.scenario = "step-relu-24"
    assert w.n_frames == 24


def test_buffers_are_binary_small_and_match_the_fit(w):
    state, _, buffers = _remove_buffers(w.get_state())
    assert sum(len(b) for b in buffers) < 500_000
    for s in state["scenarios"]:
        assert not any(isinstance(v, list) and len(v) > 8 for v in s.values())
    s = by_key(w, "sine-gelu-12")
    t = universal_fit("sine", "gelu", 12, n_points=N_POINTS)
    assert np.allclose(f32(s, "partial_sum").reshape(12, -1), t.partial_sum, atol=1e-4)
    assert np.allclose(f32(s, "contributions").reshape(12, -1), t.contributions, atol=1e-4)
    assert s["rms_error"] == pytest.approx(t.rms_error)
    sw = width_sweep("sine", "gelu", SWEEP_WIDTHS, n_points=N_POINTS)
    assert np.allclose(f32(s, "sweep_rms"), sw.rms_error, rtol=1e-5)


def test_the_partial_sum_of_relu_units_is_finished_left_of_the_next_bend(w):
    t = w.trace("sine-relu-12")
    cov = covered_rms(t)
    # left of the next knot the partial sum *is* the final fit, so its error there is small
    for k in range(len(cov)):
        mask = t.x < (t.centers[k + 1] if k + 1 < len(cov) else np.inf)
        assert np.allclose(t.partial_sum[k, mask], t.fit[mask], atol=1e-9)
    assert cov[-1] == pytest.approx(t.rms_error)
    assert cov.max() < 0.1


def test_identity_is_a_line_and_relu_beats_it(w):
    ident = by_key(w, "sine-identity-12")
    fit = f32(ident, "fit").astype(float)
    x = f32(ident, "x").astype(float)
    assert np.allclose(np.diff(fit, 2), 0, atol=1e-5)
    assert by_key(w, "sine-relu-12")["rms_error"] < ident["rms_error"] / 10


def test_changing_your_run_resimulates_quickly_and_shows_it(w):
    w.width = 40
    assert w.error == "" and w.scenario == "custom" and w.n_frames == 40
    w.activation = "silu"
    w.target = "abs"
    s = by_key(w, "custom")
    assert (s["activation"], s["target"], s["width"]) == ("silu", "abs", 40)


@pytest.mark.parametrize("name, value, message", [
    ("width", 0, f"width must be an integer >= 1 and <= {MAX_WIDTH}; got 0"),
    ("width", MAX_WIDTH + 1, f"width must be an integer >= 1 and <= {MAX_WIDTH}; got {MAX_WIDTH + 1}"),
    ("activation", "softplus", "activation must be one of"),
    ("target", "square", "target must be one of"),
    ("scenario", "nope", "scenario must be one of"),
])
def test_bad_input_sets_error_and_keeps_the_last_fit(w, name, value, message):
    before, shown = w.scenarios, w.scenario
    setattr(w, name, value)
    assert w.error.startswith(message)
    assert w.scenarios is before and w.scenario == shown


@pytest.mark.parametrize("kwargs, name", [
    (dict(width=0), "width"), (dict(activation="x"), "activation"), (dict(scenario="x"), "scenario"),
    (dict(presets=[("sine", "relu", 100)]), "presets"),
])
def test_bad_constructor_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        UniversalWidget(**kwargs)
