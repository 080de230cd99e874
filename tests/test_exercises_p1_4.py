"""Exercises of P1.4 and the planted backward-pass bugs: hand-derived answers, distinct fingerprints."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p1_4 as ex
from vizkit.nn.backprop import BUGS, EXAMPLES, backprop_trace, traced_backward, traced_forward, traced_node_fd


def args(t):
    return (t.node_op, t.node_exponent, t.node_value, t.edge_src, t.edge_dst)


# -- the traced backward pass and its bugs -----------------------------------------------------------

@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_correct_traced_backward_equals_autograd_and_every_node_fd(example):
    t = backprop_trace(example)
    g = traced_backward(*args(t))
    np.testing.assert_allclose(g, t.node_grad, rtol=1e-12, atol=1e-12)
    named = ~np.isnan(t.node_fd)
    np.testing.assert_allclose(t.node_fd[named], g[named], rtol=1e-5, atol=1e-6)
    assert t.first_bad == -1 and t.bug == ""
    f = traced_forward(*args(t))
    np.testing.assert_allclose(f, t.node_value, rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(-2, 2), st.floats(-2, 2), st.floats(-2, 2), st.floats(-2, 2), st.floats(-2, 2), st.floats(-2, 2))
def test_tiny_mlp_gradients_match_the_hand_derived_chain_rule(w1, x, b1, w2, b2, y):
    t = backprop_trace("tiny_mlp", w1=w1, x=x, b1=b1, w2=w2, b2=b2, y=y)
    h = math.tanh(w1 * x + b1)
    r = w2 * h + b2 - y
    dh = 2 * r * w2 * (1 - h * h)
    want = {"w1": dh * x, "x": dh * w1, "b1": dh, "w2": 2 * r * h, "b2": 2 * r, "y": -2 * r}
    assert t.input_grads == pytest.approx(want, rel=1e-9, abs=1e-12)
    assert t.max_fd_error < 1e-5


def test_shared_input_by_hand_and_the_overwrite_bug_keeps_one_share():
    # L = (ab + a)^2 at a = 2, b = -3: u = ab + a = -4, dL/du = -8; paths: b·(-8) = 24 and 1·(-8) = -8
    t = backprop_trace("shared", a=2.0, b=-3.0)
    assert t.input_grads == {"a": 16.0, "b": -16.0}
    bad = traced_backward(*args(t), bug="overwrite")
    assert bad[0] in (24.0, -8.0) and bad[0] != 16.0                # one share survives, not the sum
    assert bad[1] == -16.0                                          # b is used once: unaffected


def test_sign_bug_flips_exactly_the_first_operand_of_each_product():
    t = backprop_trace("neuron", bug="sign")
    good = backprop_trace("neuron")
    flipped = {k for k in good.input_grads if good.input_grads[k] != 0
               and t.input_grads[k] == pytest.approx(-good.input_grads[k])}
    assert flipped == {"x1", "x2"}
    assert t.input_grads["w1"] == good.input_grads["w1"] and t.input_grads["b"] == good.input_grads["b"]


def test_no_chain_bug_is_invisible_at_the_output_and_visible_below_an_inner_nonlinearity():
    for example in ("neuron", "squared_error", "shared"):   # the only nonlinearity is the output node (ō = 1)
        assert backprop_trace(example, bug="no_chain").first_bad == -1
    t = backprop_trace("tiny_mlp", bug="no_chain")
    good = backprop_trace("tiny_mlp")
    names = ex.node_names(t)
    assert names[t.first_bad] == "+"                         # the operand of tanh: w1·x + b1
    tanh = names.index("tanh")
    ratio = t.node_grad[t.first_bad] / good.node_grad[t.first_bad]
    assert ratio == pytest.approx(1 / good.node_grad[tanh])  # off by exactly the dropped factor ō
    for k in ("w2", "b2", "y"):                              # above the tanh: untouched
        assert t.input_grads[k] == pytest.approx(good.input_grads[k])


@pytest.mark.parametrize("which", sorted(ex.MYSTERIES))
def test_each_mystery_has_a_distinct_detectable_fingerprint(which):
    fp = ex.fingerprint(ex.mystery_trace(which))
    assert fp["first_bad"] and fp["bad_nodes"]
    bug = ex.MYSTERIES[which][1]
    if bug == "sign":
        assert fp["ratio"] == -1.0
    elif bug == "overwrite":
        assert fp["bad_nodes"] == ["a"]
    else:
        assert fp["ratio"] not in (-1.0, 1.0) and fp["first_bad"] == "+"
    assert ex.check_bug(bug, which=which)
    others = [b for b in BUGS if b != bug]
    assert not any(ex.check_bug(b, which=which) for b in others)


def test_plot_check_draws():
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    fig = ex.plot_check("A")
    assert len(fig.axes[0].patches) > 0


# -- compute it / predict -----------------------------------------------------------------------------

def test_linear_grad_by_hand():
    r = 0.5 * 2.0 + 0.1 - 3.0
    assert ex.check_linear_grad(2 * r * 2.0)
    assert not ex.check_linear_grad(-2 * r * 2.0)
    assert ex.check_linear_grad(2 * (1.0 * 1.0 + 0 - 2.0) * 1.0, w=1.0, x=1.0, b=0.0, y=2.0)


def test_shared_grad_by_hand():
    assert ex.shared_grad(2.0, -3.0) == 16.0
    assert ex.check_shared_grad(16.0)
    assert not ex.check_shared_grad(24.0)
    a, b = 1.5, 0.5
    assert ex.shared_grad(a, b) == pytest.approx(2 * (a * b + a) * (b + 1))


def test_fd_passes():
    assert ex.fd_forward_passes(6) == 12
    assert ex.check_fd_passes(2_000_000)
    assert not ex.check_fd_passes(2)


@pytest.mark.parametrize("call, name", [
    (lambda: ex.fd_forward_passes(0), "n_params"),
    (lambda: ex.mystery_trace("Z"), "which"),
    (lambda: ex.check_bug("typo"), "answer"),
    (lambda: ex.check_linear_grad("x"), "answer"),
    (lambda: backprop_trace("neuron", bug="nope"), "bug"),
    (lambda: traced_backward(*args(backprop_trace("shared")), bug="nope"), "bug"),
    (lambda: traced_node_fd(*args(backprop_trace("shared")), h=0.0), "h"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        call()


def test_train_losses_follow_gradient_descent_and_the_no_chain_bug_still_descends():
    good = ex.train_losses(None, 0.05, 30)
    bad = ex.train_losses("no_chain", 0.05, 30)
    assert good[0] == bad[0] == backprop_trace("tiny_mlp").output
    # one step by hand: θ ← θ − η ∂L/∂θ, then evaluate
    t = backprop_trace("tiny_mlp")
    vals = dict(EXAMPLES["tiny_mlp"][1])
    for k in ex.TRAIN_PARAMS:
        vals[k] -= 0.05 * t.input_grads[k]
    assert good[1] == pytest.approx(backprop_trace("tiny_mlp", **vals).output)
    assert good[-1] < 1e-6 and bad[-1] < bad[0]          # the buggy run also goes down ...
    assert bad[-1] > 100 * good[-1]                      # ... just much more slowly
    with pytest.raises(ValueError, match="^learning_rate"):
        ex.train_losses(learning_rate=-1)
