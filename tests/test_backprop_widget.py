"""BackpropWidget: every example × backward pass precomputed, the wire format, resimulation and bad input."""

from __future__ import annotations


import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.nn.backprop import BUGS, EXAMPLES, backprop_trace
from vizkit.widgets.backprop import BUG_CHOICES, LEAVES_OUT, BackpropWidget


@pytest.fixture
def w():
    return BackpropWidget()


def by_key(w, key):
    return next(s for s in w.scenarios if s["key"] == key)


def arr(s, name, dtype="<f4"):
    return np.frombuffer(s[name], dtype)


def test_the_bundle_and_description(w):
    from vizkit.widgets.base import bundle_path
    assert w.get_state()["_esm"] == bundle_path("backprop").read_text()
    assert w.description == LEAVES_OUT


def test_every_combination_is_precomputed_and_small(w):
    assert {s["key"] for s in w.scenarios} == {f"{e}|{b}" for e in EXAMPLES for b in BUG_CHOICES}
    state, _, buffers = _remove_buffers(w.get_state())
    assert sum(len(b) for b in buffers) < 500_000
    assert BUG_CHOICES == ("none", *BUGS)


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_buffers_match_the_trace(w, example):
    for bug in BUG_CHOICES:
        s = by_key(w, f"{example}|{bug}")
        t = backprop_trace(example, None if bug == "none" else bug)
        assert s["n_frames"] == 2 * t.node_op.size == t.n_frames
        assert np.allclose(arr(s, "grad"), t.node_grad, rtol=1e-6)
        assert np.array_equal(arr(s, "active", "<i4"), t.active_node)
        bad = arr(s, "bad", "<i4")
        assert (bad.any()) == (t.first_bad >= 0)
        if t.first_bad >= 0:
            assert np.flatnonzero(bad)[-1] == t.first_bad
        if bug == "none":
            assert not bad.any()


def test_inputs_resimulate_quickly_and_bad_values_keep_the_last_trace(w):
    w.inputs = {"x": -1.0}
    assert w.error == ""
    s = by_key(w, "tiny_mlp|none")
    assert np.allclose(arr(s, "grad"), backprop_trace("tiny_mlp", x=-1.0).node_grad, rtol=1e-6)
    before = w.scenarios
    w.inputs = {"x": float("inf")}
    assert w.error.startswith("x must be a finite number") and w.scenarios is before


@pytest.mark.parametrize("name, value", [("example", "attention"), ("bug", "typo")])
def test_bad_menu_choice_sets_error_and_keeps_the_choice(w, name, value):
    shown = getattr(w, name)
    setattr(w, name, value)
    assert w.error.startswith(f"{name} must be one of")
    assert getattr(w, name) == shown
    setattr(w, name, "shared" if name == "example" else "sign")
    assert w.error == ""


def test_switching_example_clamps_the_frame(w):
    w.seek(w.n_frames - 1)
    w.example = "shared"
    assert w.frame == w.n_frames - 1 == 9


@pytest.mark.parametrize("kwargs, name", [
    (dict(example="x"), "example"), (dict(bug="x"), "bug"), (dict(inputs=[1]), "inputs"),
    (dict(inputs={"q": 1.0}), "inputs"),
])
def test_bad_constructor_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        BackpropWidget(**kwargs)
