"""InitWidget and signal_trace: the variance rules, the wire format, resimulation and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.nn.initialization import init_std, signal_trace
from vizkit.widgets.base import bundle_path
from vizkit.widgets.initialization import LEAVES_OUT, LOG_CLAMP, InitWidget, init_scenario


@pytest.fixture(scope="module")
def w():
    return InitWidget()


def by_key(w, key):
    return next(s for s in w.scenarios if s["key"] == key)


def f32(s, name):
    return np.frombuffer(s[name], "<f4")


# -- the simulation ------------------------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4096), st.integers(1, 4096))
def test_init_std_closed_forms(n_in, n_out):
    assert init_std("he", n_in, n_out) == pytest.approx(math.sqrt(2 / n_in))
    assert init_std("xavier", n_in, n_out) == pytest.approx(math.sqrt(2 / (n_in + n_out)))
    assert init_std("lecun", n_in, n_out) == pytest.approx(math.sqrt(1 / n_in))


def test_one_linear_layer_multiplies_the_variance_by_n_s2():
    # identity activation, one layer: Var(h1) = n s^2 Var(h0); "large" (s = 1) at width 256 gives 256
    t = signal_trace("large", "identity", depth=1, width=256, batch=2048, seed=1)
    assert t.std[1] ** 2 / t.std[0] ** 2 == pytest.approx(256, rel=0.1)


def test_he_keeps_relu_rms_and_xavier_halves_it_per_layer():
    he = signal_trace("he", "relu", depth=30, width=512, batch=256, seed=2)
    xa = signal_trace("xavier", "relu", depth=30, width=512, batch=256, seed=2)
    assert 0.5 < he.rms[-1] / he.rms[1] < 2.0
    # Xavier on square ReLU layers: E[h^2] halves every layer -> RMS shrinks by sqrt(2) per layer
    ratio = (xa.rms[21] / xa.rms[1]) ** (1 / 20)
    assert ratio == pytest.approx(1 / math.sqrt(2), rel=0.05)


# -- the widget ------------------------------------------------------------------------------------

def test_the_bundle_exists_and_is_the_widgets_esm(w):
    assert w.get_state()["_esm"] == bundle_path("initialization").read_text()
    assert w.description == LEAVES_OUT


def test_scenarios_buffers_and_traces_agree(w):
    keys = [s["key"] for s in w.scenarios]
    assert len(keys) == 8 and "he-relu" in keys and "small-tanh" in keys
    state, _, buffers = _remove_buffers(w.get_state())
    assert len(buffers) >= 8 * 6
    s = by_key(w, "xavier-relu")
    t = w.trace("xavier", "relu")
    assert np.allclose(f32(s, "log_std"), np.clip(t.log10_std, -LOG_CLAMP, LOG_CLAMP), atol=1e-5)
    hist = f32(s, "hist").reshape(s["n_frames"], s["n_bins"])
    assert np.allclose(hist.sum(axis=1), 1.0, atol=1e-5)
    assert np.allclose(hist * t.histogram.sum(axis=1, keepdims=True), t.histogram, atol=1e-2)
    assert s["weight_std"] == pytest.approx(init_std("xavier", 64, 64))


def test_the_four_schemes_part_ways_with_relu(w):
    last = {k: f32(by_key(w, f"{k}-relu"), "log_std")[-1] for k in ("small", "xavier", "he", "large")}
    assert last["small"] < last["xavier"] < last["he"] < last["large"]
    assert -1 < last["he"] < 1 and last["large"] > 10 and last["small"] < -30 + 1


def test_wire_values_are_finite_and_clamped(w):
    for s in w.scenarios:
        for name in ("log_std", "log_grad", "hist", "zero"):
            a = f32(s, name)
            assert np.isfinite(a).all() and np.abs(a).max() <= LOG_CLAMP


def test_resimulation_and_bad_traits():
    v = InitWidget(depth=10, width=32)
    assert v.n_frames == 11
    v.depth = 20
    assert v.n_frames == 21 and v.error == ""
    v.seek(20)
    v.depth = 5
    assert v.frame == 5
    for name, bad, good in (("depth", 0, 5), ("depth", 201, 5), ("width", 513, 32), ("seed", -1, 1)):
        setattr(v, name, bad)
        assert v.error.startswith(name), v.error
        assert v.n_frames == 6                  # the last good trace stays
        setattr(v, name, good)
    assert v.error == ""
    v.scheme = "orthogonal"
    assert v.scheme == "he" and v.error.startswith("scheme")
    v.activation = "gelu"
    assert v.activation == "relu" and v.error.startswith("activation")
    v.activation = "tanh"
    assert v.error == ""


@pytest.mark.parametrize("kwargs, name", [
    (dict(scheme="zero"), "scheme"), (dict(activation="gelu"), "activation"), (dict(depth=0), "depth"),
    (dict(width=10_000), "width"), (dict(seed=-2), "seed"), (dict(depth=2.5), "depth"),
])
def test_bad_constructor_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        InitWidget(**kwargs)


def test_init_scenario_rejects_bad_input():
    with pytest.raises(ValueError, match="^scheme"):
        init_scenario("zero", "relu", 5, 8, 0)
    with pytest.raises(ValueError, match="^activation"):
        init_scenario("he", "softmax", 5, 8, 0)


def test_state_is_small(w):
    total = sum(len(v) for s in w.scenarios for v in s.values() if isinstance(v, bytes))
    assert total < 150_000
