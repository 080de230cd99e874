"""NormWidget: the precomputed normalisations, the residual trace on the wire, resimulation and bad input."""

from __future__ import annotations


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.nn.normalization import layer_norm, norm_stages, rms_norm
from vizkit.nn.residual import residual_trace
from vizkit.widgets.base import bundle_path
from vizkit.widgets.normalization import EXAMPLE, LEAVES_OUT, SHIFT, NormWidget


@pytest.fixture(scope="module")
def w():
    return NormWidget()


def f32(s, name):
    return np.frombuffer(s[name], "<f4")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-100, 100), min_size=2, max_size=12), st.floats(-50, 50))
def test_layer_norm_ignores_shifts_and_rms_norm_does_not(xs, shift):
    x = np.array(xs)
    if x.std() < 1e-3:
        return
    assert np.allclose(layer_norm(x + shift), layer_norm(x), atol=1e-5)
    y = rms_norm(x)
    assert np.sqrt(np.mean(y ** 2)) == pytest.approx(1.0, abs=1e-3)


def test_the_bundle_exists_and_is_the_widgets_esm(w):
    assert w.get_state()["_esm"] == bundle_path("normalization").read_text()
    assert w.description == LEAVES_OUT


def test_norms_on_the_wire_match_hand_computation(w):
    s = next(s for s in w.norms if s["key"] == "layer-shifted")
    V = f32(s, "vector").reshape(len(s["stages"]), s["d"])
    x = np.array(EXAMPLE) + SHIFT
    assert np.allclose(V[0], x)
    assert np.allclose(V[-1], (x - x.mean()) / x.std(), atol=1e-4)
    r = next(s for s in w.norms if s["key"] == "rms-shifted")
    R = f32(r, "vector").reshape(len(r["stages"]), r["d"])
    assert np.allclose(R[-1], x / np.sqrt(np.mean(x ** 2)), atol=1e-4)
    assert f32(r, "std")[-1] < 0.2                              # RMSNorm squashes a shifted vector
    assert r["stages"] == list(norm_stages(x, "rms").stages)


def test_residual_on_the_wire(w):
    t = residual_trace(48, 32, 16)
    assert np.allclose(f32(w.residual, "pre"), t.pre_norm_rms, rtol=1e-6)
    assert np.allclose(f32(w.residual, "post"), 1.0, atol=1e-3)
    pre = f32(w.residual, "pre")
    assert pre[-1] > 5 * pre[0]
    assert w.residual["n_frames"] == 49 == w.n_frames


def test_resimulation_is_fast_and_bad_traits_set_error():
    v = NormWidget(depth=10)
    v.depth = 24
    assert v.n_frames == 25 and v.error == ""
    for name, bad, good in (("depth", 0, 24), ("d_model", 999, 32), ("branch_gain", -1.0, 1.0), ("seed", -3, 0)):
        setattr(v, name, bad)
        assert v.error.startswith(name), v.error
        assert v.n_frames == 25
        setattr(v, name, good)
    assert v.error == ""
    v.norm = "batch"
    assert v.norm == "layer" and v.error.startswith("norm")
    v.vector = "random"
    assert v.vector == "example" and v.error.startswith("vector")
    v.vector = "shifted"
    assert v.error == ""


@pytest.mark.parametrize("kwargs, name", [
    (dict(norm="batch"), "norm"), (dict(vector="x"), "vector"), (dict(depth=0), "depth"),
    (dict(d_model=1000), "d_model"), (dict(branch_gain=0.0), "branch_gain"), (dict(seed=-1), "seed"),
    (dict(depth=1.5), "depth"), (dict(branch_gain="big"), "branch_gain"),
])
def test_bad_constructor_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        NormWidget(**kwargs)
