"""FunctionsWidget: the wire format against the formulas, re-simulation, bad input and budgets."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.widgets.base import bundle_path
from vizkit.widgets.functions import (HALF_FRAMES, N_POINTS, PRESETS, X_MAX, X_MIN, FunctionsWidget, probe_index,
                                      sweep_values)


@pytest.fixture
def fw():
    return FunctionsWidget()


def by_key(w, key):
    return next(s for s in w.scenarios if s["key"] == key)


def arr(s, name):
    return np.frombuffer(s[name], "<f4").reshape(s["n_frames"], -1) if name != "param_value" \
        else np.frombuffer(s[name], "<f4")


def test_bundle_exists_and_scenarios_are_complete(fw):
    assert bundle_path("functions").is_file()
    assert [s["key"] for s in fw.scenarios] == [*PRESETS, "custom"]
    for s in fw.scenarios:
        assert s["n_frames"] == 2 * HALF_FRAMES and s["n_points"] == N_POINTS
        assert arr(s, "value").shape == (2 * HALF_FRAMES, N_POINTS)
        assert s["y_min"] < s["y_max"]


def test_sigmoid_scenario_against_the_closed_form(fw):
    s = by_key(fw, "sigmoid")
    x = np.linspace(X_MIN, X_MAX, N_POINTS)
    for f, w in enumerate(arr(s, "param_value")):
        sig = 1.0 / (1.0 + np.exp(-w * x))
        np.testing.assert_allclose(arr(s, "value")[f], sig, atol=1e-6)
        np.testing.assert_allclose(arr(s, "slope")[f], w * sig * (1 - sig), atol=1e-6)


def test_relu_and_log_scenarios_by_hand(fw):
    x = np.linspace(X_MIN, X_MAX, N_POINTS)
    r = by_key(fw, "relu")
    b = arr(r, "param_value")[0]
    assert b == pytest.approx(PRESETS["relu"][3])
    np.testing.assert_allclose(arr(r, "value")[0], np.maximum(0, x + b), atol=1e-6)
    lg = by_key(fw, "log")
    v = arr(lg, "value")[-1]
    assert np.all(np.isnan(v[x <= 0])) and np.all(np.isfinite(v[x > 0]))
    a = arr(lg, "param_value")[-1]
    np.testing.assert_allclose(arr(lg, "slope")[-1][x > 0], a / x[x > 0], rtol=1e-5)


def test_sweep_goes_there_and_back():
    v = sweep_values(1.0, 3.0, 4)
    assert v.tolist() == [1.0, pytest.approx(5 / 3), pytest.approx(7 / 3), 3.0, 3.0, pytest.approx(7 / 3),
                          pytest.approx(5 / 3), 1.0]


@settings(max_examples=40, deadline=None)
@given(st.floats(-4.0, 4.0))
def test_probe_snaps_to_the_nearest_grid_point(x0):
    i = probe_index(x0)
    x = np.linspace(X_MIN, X_MAX, N_POINTS)
    assert abs(x[i] - x0) <= (x[1] - x[0]) / 2 + 1e-12


def test_probe_reads_the_trace(fw):
    fw.x0 = 0.0
    x, y, dy = fw.probe("sigmoid")
    assert x == 0.0 and np.allclose(y, 0.5)
    np.testing.assert_allclose(dy, arr(by_key(fw, "sigmoid"), "param_value") / 4, rtol=1e-6)


def test_custom_resimulates_and_switches(fw):
    with fw.hold_trait_notifications():
        fw.family, fw.param, fw.lo, fw.hi = "exp", "k", 0.5, 2.0
    assert fw.error == "" and fw.scenario == "custom"
    s = by_key(fw, "custom")
    assert s["family"] == "exp" and arr(s, "param_value")[0] == pytest.approx(0.5)
    fw.hi = 3.0
    assert fw.error == "" and arr(by_key(fw, "custom"), "param_value").max() == pytest.approx(3.0)


def test_bad_traits_set_error_not_raise(fw):
    fw.param = "k"
    assert fw.error.startswith("param must be one of w, b")
    fw.param = "b"
    assert fw.error == ""
    fw.scenario = "nope"
    assert fw.error.startswith("scenario must be one of") and fw.scenario == "custom"   # kept
    fw.x0 = 9.0
    assert fw.error.startswith("x0 must be in") and fw.x0 == 1.0
    fw.lo = fw.hi
    assert fw.error.startswith("hi must differ from lo")


def test_bad_constructor_args_raise():
    with pytest.raises(ValueError, match="^family must be one of"):
        FunctionsWidget(family="cubic")
    with pytest.raises(ValueError, match="^param must be one of"):
        FunctionsWidget(param="q")
    with pytest.raises(ValueError, match="^x0 must be in"):
        FunctionsWidget(x0=5.0)
    with pytest.raises(ValueError, match="^lo must be a finite number"):
        FunctionsWidget(lo=math.nan)
    with pytest.raises(ValueError, match="^scenario must be one of"):
        FunctionsWidget(scenario="cubic")


def test_state_is_small(fw):
    total = sum(len(v) for s in fw.scenarios for v in s.values() if isinstance(v, bytes))
    assert total < 200_000
