"""LossWidget and logit_descent_trace: CE vs MSE runs, the wire format, resimulation and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.nn.losses import logit_descent_trace, loss_gradients
from vizkit.widgets.base import bundle_path
from vizkit.widgets.losses import LEAVES_OUT, MAX_STEPS, LossWidget, start_logits


@pytest.fixture
def w():
    return LossWidget()


def by_key(w, key):
    return next(s for s in w.scenarios if s["key"] == key)


def f32(s, name):
    return np.frombuffer(s[name], "<f4")


# -- the simulation --------------------------------------------------------------------------------

def test_logit_descent_follows_its_gradient_and_the_numeric_derivative():
    t = logit_descent_trace("mse", (0.5, 1.0, -0.3), 0, 0.7, 5)
    assert np.allclose(t.logits[1:], t.logits[:-1] - 0.7 * t.grad[:-1])
    z = t.logits[2]
    h = 1e-6
    for k in range(3):
        e = np.zeros(3)
        e[k] = h
        num = (loss_gradients(z + e, [0]).mse[0] - loss_gradients(z - e, [0]).mse[0]) / (2 * h)
        assert t.grad[2, k] == pytest.approx(num, abs=1e-7)
    ce = logit_descent_trace("ce", (0.5, 1.0, -0.3), 0, 0.7, 5)
    assert np.allclose(ce.grad, ce.probs - np.eye(3)[0])
    assert np.allclose(ce.loss, -np.log(ce.p_correct))


def test_confidently_wrong_ce_recovers_fast_mse_stalls():
    ce = logit_descent_trace("ce", (0.0, 6.0, 0.0), 0, 1.0, 60)
    mse = logit_descent_trace("mse", (0.0, 6.0, 0.0), 0, 1.0, 60)
    assert ce.grad_norm[0] > 50 * mse.grad_norm[0]
    assert np.argmax(ce.p_correct > 0.5) < 10 < np.argmax(mse.p_correct > 0.5)


@pytest.mark.parametrize("kwargs, name", [
    (dict(loss="hinge"), "loss"), (dict(logits=[1.0]), "logits"), (dict(target=3), "target"),
    (dict(learning_rate=0), "learning_rate"), (dict(n_steps=0), "n_steps"),
])
def test_logit_descent_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        logit_descent_trace(**kwargs)


def test_start_logits():
    assert start_logits(6.0, 3).tolist() == [0.0, 6.0, 0.0]
    assert start_logits(-3.0, 2).tolist() == [3.0, 0.0]
    with pytest.raises(ValueError, match="^wrong_logit"):
        start_logits(50.0, 3)
    with pytest.raises(ValueError, match="^n_classes"):
        start_logits(1.0, 11)


# -- the widget --------------------------------------------------------------------------------------

def test_the_bundle_exists_and_is_the_widgets_esm(w):
    assert w.get_state()["_esm"] == bundle_path("losses").read_text()
    assert w.description == LEAVES_OUT


def test_scenarios_buffers_and_traces_agree(w):
    assert [s["key"] for s in w.scenarios] == ["confident", "unsure", "right", "custom"]
    state, _, buffers = _remove_buffers(w.get_state())
    assert sum(len(b) for b in buffers) < 500_000
    for s in state["scenarios"]:
        assert not any(isinstance(v, list) and len(v) > 8 for v in s.values())
    ce, mse = w.runs("confident")
    s = by_key(w, "confident")
    assert np.allclose(f32(s, "ce_pc"), ce.p_correct, atol=1e-6)
    assert np.allclose(f32(s, "mse_grad").reshape(-1, 3), mse.grad, atol=1e-6)
    assert s["ce_reach"] == int(np.argmax(ce.p_correct > 0.5))
    assert s["ce_reach"] < s["mse_reach"]
    assert by_key(w, "right")["ce_reach"] == 0


def test_changing_your_run_resimulates_quickly_and_shows_it(w):
    w.wrong_logit = 9.0
    assert w.error == "" and w.scenario == "custom"
    w.n_classes = 10
    s = by_key(w, "custom")
    assert s["n_classes"] == 10 and f32(s, "ce_probs").size == 10 * w.n_frames
    w.n_steps = 20
    assert w.n_frames == 21


@pytest.mark.parametrize("name, value, message", [
    ("n_classes", 1, "n_classes must be an integer >= 2 and <= 10; got 1"),
    ("learning_rate", 0.0, "learning_rate must be a finite number > 0; got 0.0"),
    ("n_steps", MAX_STEPS + 1, f"n_steps must be an integer >= 1 and <= {MAX_STEPS}; got {MAX_STEPS + 1}"),
    ("wrong_logit", 99.0, "wrong_logit must be a number in [-20, 20]"),
    ("scenario", "nope", "scenario must be one of"),
])
def test_bad_input_sets_error_and_keeps_the_last_runs(w, name, value, message):
    before, shown = w.scenarios, w.scenario
    setattr(w, name, value)
    assert w.error.startswith(message)
    assert w.scenarios is before and w.scenario == shown


@pytest.mark.parametrize("kwargs, name", [
    (dict(n_classes=1), "n_classes"), (dict(learning_rate="x"), "learning_rate"), (dict(scenario="x"), "scenario"),
    (dict(wrong_logit=100.0), "wrong_logit"),
])
def test_bad_constructor_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        LossWidget(**kwargs)
