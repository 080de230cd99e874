"""P1.1–P1.3: perceptron convergence bound, activation slopes, universal approximation, CE vs MSE."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit import nn
from vizkit.nn.activations import erf


# ---------------------------------------------------------------- P1.1 perceptron
@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([0.2, 0.3, 0.5]))
def test_perceptron_separates_within_novikoff_bound(seed, margin):
    data = nn.make_dataset("separable", n_points=60, seed=seed, margin=margin)
    t = nn.perceptron_trace(data, max_epochs=500, seed=seed)
    assert t.converged_epoch > 0 and t.accuracy[-1] == 1.0
    # Novikoff in the lifted space z = (x, 1): the separator u = (w*, b*)/‖(w*, b*)‖ has margin
    # min_i s_i u·z_i >= margin/‖(w*, b*)‖, and every ‖z_i‖ <= R.
    z = np.hstack([data.x, np.ones((len(data), 1))])
    R = np.linalg.norm(z, axis=1).max()
    u = np.append(data.true_w, data.true_b)
    gamma = margin / np.linalg.norm(u)
    assert t.n_mistakes[-1] <= (R / gamma) ** 2


def test_perceptron_frames_follow_the_rule():
    data = nn.make_dataset("separable", n_points=20, seed=3)
    t = nn.perceptron_trace(data, learning_rate=0.5, shuffle=False)
    s = 2 * data.y - 1
    for f in range(1, len(t)):
        i = t.example[f]
        before = s[i] * (t.w[f - 1] @ data.x[i] + t.b[f - 1])
        assert t.mistake[f] == (before <= 0)
        step = 0.5 * s[i] * t.mistake[f]
        np.testing.assert_allclose(t.w[f], t.w[f - 1] + step * data.x[i])
        assert t.b[f] == pytest.approx(t.b[f - 1] + step)
    assert t.mistake[-len(data):].sum() == 0                 # the last epoch is clean


def test_simulations_do_not_freeze_the_callers_arrays():
    x = np.array([[1.0, 1.0], [-1.0, -1.0]])
    y = np.array([1, 0])
    t = nn.perceptron_trace(nn.Dataset(x, y))
    assert t.accuracy[-1] == 1.0
    x[0, 0] = 5.0                                             # still the caller's, still writable
    assert t.x[0, 0] == 1.0


def test_perceptron_never_settles_on_xor():
    t = nn.perceptron_trace("xor", max_epochs=30, n_points=40)
    assert t.converged_epoch == -1 and t.accuracy.max() < 1.0


# ---------------------------------------------------------------- P1.2 activations
@pytest.mark.parametrize("name", nn.ACTIVATIONS)
def test_activation_slopes_match_central_differences(name):
    x = np.linspace(-4.03, 4.01, 97)                          # no exact 0 (ReLU's kink)
    _, slope = nn.activate(name, x)
    h = 1e-6
    fd = (nn.activate(name, x + h)[0] - nn.activate(name, x - h)[0]) / (2 * h)
    np.testing.assert_allclose(slope, fd, rtol=1e-5, atol=1e-6)


def test_erf_and_gelu_against_math_erf():
    x = np.linspace(-6, 6, 241)
    np.testing.assert_allclose(erf(x), [math.erf(v) for v in x], atol=2e-7)
    gelu, _ = nn.activate("gelu", x)
    exact = [v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x]
    np.testing.assert_allclose(gelu, exact, atol=1e-6)
    approx, _ = nn.activate("gelu_tanh", x)
    assert np.abs(approx - gelu).max() < 1e-3                 # GPT-2's tanh form is close


def test_activation_identities():
    x = np.linspace(-5, 5, 101)
    silu, _ = nn.activate("silu", x)
    sig, _ = nn.activate("sigmoid", x)
    np.testing.assert_allclose(silu, x * sig)
    th, _ = nn.activate("tanh", x)
    np.testing.assert_allclose(th, 2 * nn.activate("sigmoid", 2 * x)[0] - 1, atol=1e-12)


# ---------------------------------------------------------------- P1.2 universal approximation
def test_relu_fit_error_falls_like_one_over_n_squared():
    t = nn.width_sweep("sine", "relu", widths=(16, 32, 64, 128), n_points=801)
    ratios = t.max_error[:-1] / t.max_error[1:]
    assert (ratios > 3.0).all() and (ratios < 5.5).all()     # doubling N quarters the error
    assert t.max_error[-1] < 2e-3


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "gelu", "silu"])
@pytest.mark.parametrize("target", ["sine", "bump", "cubic"])
def test_wide_enough_fits_smooth_targets(activation, target):
    t = nn.width_sweep(target, activation, widths=(2, 64))
    assert t.rms_error[1] < 0.02 and t.rms_error[1] < 0.2 * t.rms_error[0]


def test_identity_network_is_a_line_however_wide():
    t = nn.width_sweep("abs", "identity", widths=(1, 8, 64))
    np.testing.assert_allclose(t.rms_error, t.rms_error[0], rtol=1e-9)
    best_line = np.polyval(np.polyfit(t.x, t.target, 1), t.x)
    np.testing.assert_allclose(t.fit[-1], best_line, atol=1e-9)


def test_universal_fit_parts_add_up():
    t = nn.universal_fit("bump", "silu", width=10)
    np.testing.assert_allclose(t.out_bias + t.contributions.sum(axis=0), t.fit)
    np.testing.assert_allclose(t.partial_sum[-1], t.fit)
    assert t.n_params == 31 and len(t) == 10
    assert t.partial_rms_error[-1] == pytest.approx(t.rms_error)


# ---------------------------------------------------------------- P1.3 losses
@settings(max_examples=50, deadline=None)
@given(st.integers(2, 6).flatmap(lambda V: st.tuples(
    st.lists(st.floats(-5, 5), min_size=V, max_size=V), st.integers(0, V - 1))))
def test_loss_gradients_match_finite_differences(case):
    z, c = np.array(case[0]), case[1]
    g = nn.loss_gradients(z, c)
    h = 1e-6
    for k in range(z.size):
        up, down = z.copy(), z.copy()
        up[k] += h
        down[k] -= h
        a, b = nn.loss_gradients(up, c), nn.loss_gradients(down, c)
        assert g.grad_ce[0, k] == pytest.approx((a.ce[0] - b.ce[0]) / (2 * h), abs=1e-6)
        assert g.grad_mse[0, k] == pytest.approx((a.mse[0] - b.mse[0]) / (2 * h), abs=1e-6)
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    assert g.ce[0] == pytest.approx(-math.log(p[c]))
    np.testing.assert_allclose(g.grad_ce[0], p - np.eye(z.size)[c], atol=1e-12)


def test_mse_gradient_vanishes_when_confidently_wrong():
    t = nn.loss_curve_trace(n_classes=2, n_frames=999)
    wrong = t.p_correct < 0.01
    assert (np.abs(t.grad_ce_correct[wrong]) > 0.99).all()           # CE: full pull
    assert (np.abs(t.grad_mse_correct[wrong]) < 0.04).all()          # MSE: 25x weaker at most
    # binary closed forms: CE = -ln p, MSE = 2(1-p)², dMSE/dz = -4 p (1-p)²
    np.testing.assert_allclose(t.ce, -np.log(t.p_correct))
    np.testing.assert_allclose(t.mse, 2 * (1 - t.p_correct) ** 2)
    np.testing.assert_allclose(t.grad_mse_correct, -4 * t.p_correct * (1 - t.p_correct) ** 2, atol=1e-12)
    assert (np.diff(t.ce) < 0).all()
