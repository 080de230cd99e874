"""P0.5 and P0.7: gradient descent's 2/L threshold, surfaces' derivatives, optimiser first steps by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit import foundations as F
from vizkit.foundations.derivatives import numerical_gradient
from vizkit.foundations.optimizers import OptimizerState


# ---------------------------------------------------------------- gradient descent on a quadratic
@settings(max_examples=60, deadline=None)
@given(st.floats(0.1, 10.0), st.floats(0.1, 0.9), st.floats(-3.0, 3.0).filter(lambda v: abs(v) > 0.1))
def test_converges_below_two_over_L(L, fraction, x0):
    lr = fraction * 2.0 / L                          # |1 - ηL| <= 0.8
    t = F.descent_trace("quadratic", learning_rate=lr, n_steps=60, start=[x0], curvature=L)
    closed = x0 * (1.0 - lr * L) ** np.arange(61)    # x_t = (1 - ηL)^t x_0
    np.testing.assert_allclose(t.position[:, 0], closed, rtol=1e-9, atol=1e-12 * abs(x0))
    assert abs(t.position[-1, 0]) < 1e-5 * abs(x0)
    assert t.diverged_step == -1 and t.critical_learning_rate == pytest.approx(2.0 / L)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.1, 10.0), st.floats(1.1, 3.0), st.floats(-3.0, 3.0).filter(lambda v: abs(v) > 0.1))
def test_diverges_above_two_over_L(L, fraction, x0):
    lr = fraction * 2.0 / L                          # |1 - ηL| >= 1.2
    t = F.descent_trace("quadratic", learning_rate=lr, n_steps=200, start=[x0], curvature=L)
    assert t.diverged_step > 0
    before = t.loss[: t.diverged_step]
    assert (np.diff(before) > 0).all()               # every step makes it worse
    assert t.diverged[-1] == 1 and np.isfinite(t.position).all()


def test_exactly_two_over_L_oscillates_forever():
    t = F.descent_trace("quadratic", learning_rate=0.5, n_steps=20, start=[1.5], curvature=4.0)
    np.testing.assert_allclose(t.position[:, 0], 1.5 * (-1.0) ** np.arange(21))


def test_ravine_threshold_is_set_by_the_steep_direction():
    ravine = F.make_surface("ravine", curvature_x=1.0, curvature_y=20.0)
    assert F.critical_learning_rate(ravine) == pytest.approx(0.1)
    ok = F.descent_trace(ravine, learning_rate=0.099, n_steps=3000)
    bad = F.descent_trace(ravine, learning_rate=0.101, n_steps=3000)
    assert ok.diverged_step == -1 and np.linalg.norm(ok.position[-1]) < 1e-6
    assert bad.diverged_step > 0


@pytest.mark.parametrize("name", F.SURFACES)
def test_surface_gradients_and_hessians_match_finite_differences(name):
    s = F.make_surface(name)
    rng = np.random.default_rng(1)
    for _ in range(5):
        x = s.start + rng.uniform(-0.5, 0.5, size=s.dim)
        np.testing.assert_allclose(s.grad(x), numerical_gradient(lambda v: s.value(v), x), rtol=1e-5, atol=1e-5)
        hess_fd = np.stack([numerical_gradient(lambda v, i=i: s.grad(v)[i], x) for i in range(s.dim)])
        np.testing.assert_allclose(s.hessian(x), hess_fd, rtol=1e-5, atol=1e-4)
    assert np.linalg.norm(s.grad(s.minimum)) < 1e-9


def test_double_well_gets_stuck_in_the_local_well():
    t = F.descent_trace("double_well", learning_rate=0.1, n_steps=300, start=[1.8])
    assert t.position[-1, 0] > 0 > F.make_surface("double_well").minimum[0]   # right well, not the global one
    assert t.converged_step > 0


# ---------------------------------------------------------------- optimisers, first two steps by hand
# f(θ) = ½(θ₁² + 4θ₂²), so ∇f(θ) = (θ₁, 4θ₂); start θ₀ = (1, -2), g₀ = (1, -8).
def grad(theta):
    return np.array([theta[0], 4.0 * theta[1]])


def two_steps(opt):
    theta = np.array([1.0, -2.0])
    state = opt.init(theta)
    out = []
    for _ in range(2):
        theta, state = opt.step(theta, grad(theta), state)
        out.append(theta)
    return out, state


def test_sgd_first_two_steps():
    (t1, t2), state = two_steps(F.SGD(learning_rate=0.1))
    # θ₁ = θ₀ - 0.1 g₀ = (1 - 0.1, -2 + 0.8); g₁ = (0.9, -4.8); θ₂ = (0.9 - 0.09, -1.2 + 0.48)
    np.testing.assert_allclose(t1, [0.9, -1.2])
    np.testing.assert_allclose(t2, [0.81, -0.72])
    assert state.step == 2


def test_momentum_first_two_steps():
    (t1, t2), state = two_steps(F.Momentum(learning_rate=0.1, beta=0.9))
    # v₁ = g₀ = (1, -8), θ₁ = (0.9, -1.2); g₁ = (0.9, -4.8)
    # v₂ = 0.9 v₁ + g₁ = (1.8, -12), θ₂ = θ₁ - 0.1 v₂ = (0.72, 0.0)
    np.testing.assert_allclose(t1, [0.9, -1.2])
    np.testing.assert_allclose(t2, [0.72, 0.0], atol=1e-15)
    np.testing.assert_allclose(state.m, [1.8, -12.0])


def test_adam_first_two_steps_with_bias_correction():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    (t1, t2), state = two_steps(F.Adam(learning_rate=lr, beta1=b1, beta2=b2, eps=eps))
    # step 1: m₁ = 0.1 g₀ = (0.1, -0.8), v₁ = 0.001 g₀² = (0.001, 0.064)
    # m̂₁ = m₁/0.1 = (1, -8), v̂₁ = v₁/0.001 = (1, 64): the step is lr·sign(g₀)
    step1 = np.array([lr * 1.0 / (1.0 + eps), lr * -8.0 / (8.0 + eps)])
    np.testing.assert_allclose(t1, np.array([1.0, -2.0]) - step1, rtol=1e-12)
    np.testing.assert_allclose(t1, [0.9, -1.9], atol=1e-8)
    # step 2 at θ₁ = (0.9, -1.9): g₁ = (0.9, -7.6)
    m2 = np.array([0.9 * 0.1 + 0.1 * 0.9, 0.9 * -0.8 + 0.1 * -7.6])           # (0.18, -1.48)
    v2 = np.array([0.999 * 0.001 + 0.001 * 0.81, 0.999 * 0.064 + 0.001 * 57.76])
    m_hat, v_hat = m2 / (1 - 0.9**2), v2 / (1 - 0.999**2)
    want = t1 - lr * m_hat / (np.sqrt(v_hat) + eps)
    np.testing.assert_allclose(t2, want, rtol=1e-9)     # the hand g₁ ignores ε's 1e-9 nudge to θ₁
    np.testing.assert_allclose(t2, [0.80041226, -1.80016649], atol=1e-6)
    np.testing.assert_allclose(state.m, m2)
    np.testing.assert_allclose(state.v, v2)


def test_weight_decay_by_hand():
    theta, g = np.array([2.0]), np.array([0.0])
    sgd = F.SGD(learning_rate=0.1, weight_decay=0.5)
    assert sgd.step(theta, g, sgd.init(theta))[0][0] == pytest.approx(2.0 - 0.1 * 0.5 * 2.0)    # L2
    adamw = F.Adam(learning_rate=0.1, weight_decay=0.5)
    # decoupled: θ(1 - ηλ) and the Adam step of a zero gradient is 0
    assert adamw.step(theta, g, adamw.init(theta))[0][0] == pytest.approx(2.0 * (1 - 0.05))


def test_adam_first_step_ignores_gradient_scale():
    for scale in (1e-4, 1.0, 1e4):
        opt = F.Adam(learning_rate=0.01)
        out, _ = opt.step(np.zeros(3), scale * np.array([1.0, -2.0, 3.0]), opt.init(np.zeros(3)))
        np.testing.assert_allclose(out, [-0.01, 0.01, -0.01], rtol=1e-3)


def test_optimizer_state_is_not_mutated():
    opt = F.Momentum(learning_rate=0.1)
    state = opt.init(np.zeros(2))
    opt.step(np.zeros(2), np.ones(2), state)
    assert isinstance(state, OptimizerState) and state.step == 0 and (state.m == 0).all()


# ---------------------------------------------------------------- the race
def test_race_on_ravine_momentum_beats_sgd():
    t = F.race_trace("ravine", n_steps=300)
    sgd, mom, adam = t.steps_to_converge
    assert 0 < mom < sgd and adam > 0
    assert t.position.shape == (301, 3, 2)
    np.testing.assert_allclose(t.position[0], np.broadcast_to(F.make_surface("ravine").start, (3, 2)))


def test_race_matches_single_optimizer_runs():
    s = F.make_surface("rosenbrock")
    opt = F.Momentum(learning_rate=1e-3, beta=0.9)
    t = F.race_trace(s, [opt], n_steps=50)
    x, state = s.start.copy(), opt.init(s.start)
    for i in range(50):
        x, state = opt.step(x, s.grad(x), state)
        np.testing.assert_allclose(t.position[i + 1, 0], x)


def test_race_noise_is_shared_and_seeded():
    a = F.race_trace("bowl", n_steps=40, gradient_noise=0.5, seed=3)
    b = F.race_trace("bowl", n_steps=40, gradient_noise=0.5, seed=3)
    c = F.race_trace("bowl", n_steps=40, gradient_noise=0.5, seed=4)
    np.testing.assert_array_equal(a.position, b.position)
    assert not np.array_equal(a.position, c.position)


def test_race_flags_divergence():
    t = F.race_trace("bowl", [{"name": "sgd", "learning_rate": 2.5}, {"name": "sgd", "learning_rate": 0.5}],
                     n_steps=100)
    assert t.diverged[-1].tolist() == [1, 0]
    assert t.steps_to_converge[0] == -1 and t.steps_to_converge[1] > 0
    assert math.isfinite(float(np.abs(t.position).max()))
