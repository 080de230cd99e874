"""VectorsWidget: the wire format against hand geometry, re-simulation, bad input and budgets."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.widgets.base import bundle_path
from vizkit.widgets.vectors import LIMIT, N_FRAMES, PRESETS, VectorsWidget


@pytest.fixture
def vw():
    return VectorsWidget()


def by_key(w, key):
    return next(s for s in w.scenarios if s["key"] == key)


def f4(s, name, *shape):
    return np.frombuffer(s[name], "<f4").reshape(*shape) if shape else np.frombuffer(s[name], "<f4")


def test_bundle_and_scenarios(vw):
    assert bundle_path("vectors").is_file()
    assert [s["key"] for s in vw.scenarios] == [*PRESETS, "custom"]
    for s in vw.scenarios:
        assert s["n_frames"] == N_FRAMES
        assert f4(s, "b", N_FRAMES, 2).shape == (N_FRAMES, 2)


def test_basic_scenario_against_hand_geometry(vw):
    s = by_key(vw, "basic")
    a = f4(s, "a")
    b = f4(s, "b", N_FRAMES, 2)
    assert a.tolist() == [2.0, 1.0]
    assert s["a_len"] == pytest.approx(math.sqrt(5)) and s["b_len"] == pytest.approx(1.5)
    # frame 0: b points along a; frame 18 (90°): at right angles; frame 36: opposite
    assert f4(s, "dot")[0] == pytest.approx(math.sqrt(5) * 1.5, rel=1e-6)
    assert f4(s, "dot")[18] == pytest.approx(0.0, abs=1e-5)
    assert f4(s, "cosine")[36] == pytest.approx(-1.0, abs=1e-6)
    assert f4(s, "angle_deg")[18] == pytest.approx(90.0, abs=1e-4)
    # brute force: dot and projection from the coordinates
    np.testing.assert_allclose(f4(s, "dot"), b @ a, rtol=1e-5, atol=1e-5)
    proj = f4(s, "projection", N_FRAMES, 2)
    resid = a[None, :] - proj
    np.testing.assert_allclose(np.sum(resid * b, axis=1), 0.0, atol=1e-5)    # a − proj ⟂ b
    np.testing.assert_allclose(f4(s, "scalar_proj"), (b @ a) / 1.5, rtol=1e-5, atol=1e-5)


def test_longer_b_scales_dot_not_cosine(vw):
    basic, long = by_key(vw, "basic"), by_key(vw, "long")
    np.testing.assert_allclose(f4(long, "dot"), 3 * f4(basic, "dot"), rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(f4(long, "cosine"), f4(basic, "cosine"), atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(st.tuples(st.floats(-LIMIT, LIMIT), st.floats(-LIMIT, LIMIT)).filter(lambda v: math.hypot(*v) > 0.05),
       st.floats(0.1, LIMIT))
def test_custom_invariants(a, length):
    w = VectorsWidget(a=a, b_length=length, scenario="custom")
    s = by_key(w, "custom")
    cos = f4(s, "cosine")
    assert np.all(np.abs(cos) <= 1.0 + 1e-6)
    np.testing.assert_allclose(f4(s, "dot"), cos * s["a_len"] * s["b_len"], atol=1e-4 * (1 + s["a_len"] * length))


def test_resimulation_switches_to_custom(vw):
    vw.a = (1.0, -3.0)
    assert vw.error == "" and vw.scenario == "custom"
    assert f4(by_key(vw, "custom"), "a").tolist() == [1.0, -3.0]


def test_bad_traits_set_error_not_raise(vw):
    vw.a = (0.0, 0.0)
    assert vw.error == "a must be a non-zero vector (its direction is undefined)"
    vw.a = (1.0, 2.0, 3.0)
    assert vw.error.startswith("a must be a pair")
    vw.a = (1.0, 1.0)
    assert vw.error == ""
    vw.b_length = -1.0
    assert vw.error.startswith("b_length must be a number in (0, 5]")
    vw.b_length = 2.0
    assert vw.error == ""
    vw.scenario = "nope"
    assert vw.error.startswith("scenario must be one of") and vw.scenario == "custom"


def test_bad_constructor_args_raise():
    with pytest.raises(ValueError, match="^a must be a pair"):
        VectorsWidget(a="xy")
    with pytest.raises(ValueError, match="^a must have coordinates in"):
        VectorsWidget(a=(9.0, 0.0))
    with pytest.raises(ValueError, match="^a must be a non-zero vector"):
        VectorsWidget(a=(0.0, 0.0))
    with pytest.raises(ValueError, match="^b_length must be"):
        VectorsWidget(b_length=0)
    with pytest.raises(ValueError, match="^scenario must be one of"):
        VectorsWidget(scenario="x")


def test_state_is_small(vw):
    assert sum(len(v) for s in vw.scenarios for v in s.values() if isinstance(v, bytes)) < 50_000
