"""P1.2–P1.5: the numpy MLP's gradient against finite differences, and training that actually learns."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit import nn
from vizkit.foundations.derivatives import numerical_gradient


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=0, max_size=3), st.sampled_from(["tanh", "sigmoid", "silu", "gelu"]),
       st.integers(2, 4), st.integers(0, 1000))
def test_mlp_gradient_matches_finite_differences(hidden, activation, n_classes, seed):
    spec = nn.MLPSpec((3, *hidden, n_classes), activation)
    theta = nn.init_params(spec, "xavier", seed)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((5, 3))
    y = rng.integers(0, n_classes, 5)
    loss, grad = nn.loss_and_grad(spec, theta, x, y)
    fd = numerical_gradient(lambda t: nn.loss_and_grad(spec, t, x, y)[0], theta, h=1e-6)
    np.testing.assert_allclose(grad, fd, rtol=1e-5, atol=1e-7)
    # the loss is the mean of -log softmax, computed independently
    p = nn.predict_proba(spec, theta, x)
    assert loss == pytest.approx(-np.mean(np.log(p[np.arange(5), y])))


def test_mlp_layout_and_init_scale():
    spec = nn.MLPSpec((2, 256, 3))
    theta = nn.init_params(spec, "he", seed=0)
    (W1, b1), (W2, b2) = spec.unpack(theta)
    assert W1.shape == (2, 256) and W2.shape == (256, 3) and spec.n_params == theta.size
    assert (b1 == 0).all() and (b2 == 0).all()
    assert W2.std() == pytest.approx(np.sqrt(2 / 256), rel=0.15)
    np.testing.assert_allclose(nn.forward(spec, theta, np.ones((1, 2))),
                               np.maximum(np.ones((1, 2)) @ W1 + b1, 0) @ W2 + b2)


def test_training_reduces_loss_on_separable_data():
    t = nn.train_trace("separable", optimizer="sgd", learning_rate=0.1, n_steps=150, seed=2)
    assert t.train_loss[-1] < 0.5 * t.train_loss[0]
    assert t.train_acc[-1] >= 0.97


@pytest.mark.parametrize("dataset", ["two_moons", "circles"])
def test_mlp_learns_moons_and_circles(dataset):
    t = nn.train_trace(dataset, n_steps=300, seed=0)
    assert t.train_acc[-1] > 0.95 and t.val_acc[-1] > 0.95
    assert t.train_loss[-1] < 0.2 * t.train_loss[0]
    # the last snapshot's boundary agrees with the recorded accuracy on the training points
    spec = nn.MLPSpec(t.layer_sizes)
    pred = nn.predict_proba(spec, t.final_params, t.x_train).argmax(axis=1)
    assert np.mean(pred == t.y_train) == pytest.approx(t.train_acc[-1])


def test_trace_bookkeeping():
    t = nn.train_trace(n_points=100, val_fraction=0.2, batch_size=16, n_steps=25, boundary_every=10)
    assert len(t.x_train) == 80 and len(t.x_val) == 20 and len(t) == 26
    assert t.boundary_step.tolist() == [0, 10, 20, 25]
    assert t.boundary_prob.shape == (4, 24, 24) and ((0 <= t.boundary_prob) & (t.boundary_prob <= 1)).all()
    np.testing.assert_allclose(t.epoch[-1], 25 * 16 / 80)
    np.testing.assert_allclose(t.gap, t.val_loss - t.train_loss)
    assert np.isnan(t.batch_loss[0]) and np.isfinite(t.batch_loss[1:]).all()
    a, b = nn.train_trace(n_steps=20, seed=5), nn.train_trace(n_steps=20, seed=5)
    np.testing.assert_array_equal(a.train_loss, b.train_loss)          # reproducible from the seed


def test_overfitting_scenario_opens_a_gap_and_weight_decay_narrows_it():
    over = nn.train_scenario("overfit")
    decay = nn.train_scenario("overfit_decay")
    assert over.val_loss.argmin() < len(over) // 2                     # validation bottoms out early ...
    assert over.val_loss[-1] > 1.5 * over.val_loss.min()               # ... then climbs
    assert over.gap[-1] > 0.5
    assert decay.gap[-1] < 0.5 * over.gap[-1]
    assert decay.weight_norm[-1] < over.weight_norm[-1]


def test_smaller_batches_give_noisier_batch_loss():
    def jitter(b):
        t = nn.train_trace(batch_size=b, n_steps=200, learning_rate=0.003, seed=1)
        return np.std(t.batch_loss[101:] - t.train_loss[100:-1])
    assert jitter(4) > 2 * jitter(128)
