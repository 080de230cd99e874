"""P1.6–P1.8: signal propagation, RNN vs attention step counts, LayerNorm/RMSNorm, residual growth."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from vizkit import nn
from vizkit.nn.recurrence import causal_attention, rnn_forward, rnn_influence

# ---------------------------------------------------------------- P1.6 initialisation
WIDE = {"depth": 50, "width": 512, "batch": 256}


@pytest.mark.parametrize("scheme,activation", [("he", "relu"), ("xavier", "identity"), ("lecun", "identity")])
def test_right_scheme_keeps_std_in_band_through_50_layers(scheme, activation):
    # The schemes preserve E[h²] (the RMS); a finite-width net's RMS still drifts as a random walk
    # in log space with variance ~5·depth/width for ReLU, hence a band rather than equality.
    final = []
    for seed in range(3):
        t = nn.signal_trace(scheme, activation, seed=seed, **WIDE)
        rms = t.rms / t.rms[0]
        std = t.std / t.std[0]
        assert ((rms > 0.4) & (rms < 2.5)).all(), (seed, rms.min(), rms.max())
        assert ((std > 0.3) & (std < 2.5)).all(), (seed, std.min(), std.max())
        g = t.grad_std / t.grad_std[-1]
        assert ((g > 0.4) & (g < 2.5)).all()
        final.append(rms[-1])
    assert 0.6 < math.exp(np.mean(np.log(final))) < 1.6


@pytest.mark.parametrize("scheme,activation,direction", [
    ("xavier", "relu", "collapse"),   # ReLU halves the variance each layer: (1/√2)^50
    ("lecun", "relu", "collapse"),
    ("small", "tanh", "collapse"),
    ("he", "identity", "explode"),    # without ReLU's halving, He doubles it: (√2)^50
    ("large", "relu", "explode"),
])
def test_wrong_scheme_collapses_or_explodes(scheme, activation, direction):
    t = nn.signal_trace(scheme, activation, **WIDE)
    if direction == "collapse":
        assert t.std[-1] < 1e-3 * t.std[0]
    else:
        assert t.std[-1] > 1e3 * t.std[0]


def test_relu_with_he_loses_half_its_units_and_matches_theory():
    t = nn.signal_trace("he", "relu", **WIDE)
    assert t.zero_fraction[1:].mean() == pytest.approx(0.5, abs=0.05)
    x = nn.signal_trace("xavier", "relu", **WIDE)
    per_layer = np.exp(np.mean(np.diff(np.log(x.std[:20]))))          # theory: 1/√2 per layer
    assert per_layer == pytest.approx(1 / math.sqrt(2), rel=0.05)
    assert t.histogram.sum(axis=1).tolist() == [4096] * 51


# ---------------------------------------------------------------- P1.7 RNN vs attention
@pytest.mark.parametrize("T", [1, 2, 7, 32, 100])
def test_rnn_steps_vs_attention_parallel_step(T):
    t = nn.sequence_trace(seq_len=T, d_model=8)
    assert t.sequential_steps == T == len(t)
    assert t.parallel_steps == 1
    assert t.attention_scores == T * T
    assert t.causal_pairs == T * (T + 1) // 2
    assert t.rnn_path_length.tolist() == list(range(T, 0, -1))
    assert (t.attention_path_length == 1).all()


def test_attention_pairs_grow_quadratically_rnn_steps_linearly():
    a, b = nn.sequence_trace(seq_len=64), nn.sequence_trace(seq_len=128)
    assert b.attention_scores / a.attention_scores == 4
    assert b.sequential_steps / a.sequential_steps == 2


def test_attention_matches_a_per_query_loop():
    rng = np.random.default_rng(0)
    T, d = 9, 4
    x = rng.standard_normal((T, d))
    Wq, Wk, Wv = (rng.standard_normal((d, d)) for _ in range(3))
    w, out, _, _, _ = causal_attention(x, Wq, Wk, Wv)
    for i in range(T):                               # brute force: query i over keys 0..i
        s = np.array([(x[i] @ Wq) @ (x[j] @ Wk) / math.sqrt(d) for j in range(i + 1)])
        p = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
        np.testing.assert_allclose(w[i, : i + 1], p)
        assert (w[i, i + 1:] == 0).all()
        np.testing.assert_allclose(out[i], p @ (x[: i + 1] @ Wv))


def test_rnn_influence_matches_finite_differences():
    rng = np.random.default_rng(1)
    T, d = 6, 3
    x = rng.standard_normal((T, d))
    W_h, W_x = 0.9 * rng.standard_normal((d, d)) / math.sqrt(d), rng.standard_normal((d, d)) / math.sqrt(d)
    hidden, steps = rnn_forward(x, W_h, W_x)
    assert steps == T
    infl = rnn_influence(hidden, W_h, W_x)
    h = 1e-6
    for t in range(T):
        J = np.empty((d, d))
        for k in range(d):
            up, down = x.copy(), x.copy()
            up[t, k] += h
            down[t, k] -= h
            J[:, k] = (rnn_forward(up, W_h, W_x)[0][-1] - rnn_forward(down, W_h, W_x)[0][-1]) / (2 * h)
        assert infl[t] == pytest.approx(np.linalg.norm(J), rel=1e-6)


def test_early_tokens_fade_in_the_rnn():
    t = nn.sequence_trace(seq_len=40, recurrent_gain=0.5)
    assert t.rnn_influence[0] < 1e-6 * t.rnn_influence[-1]


# ---------------------------------------------------------------- P1.8 normalisation
@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(2, 32)), elements=st.floats(-1e3, 1e3)))
def test_layer_norm_rows_have_mean_0_var_1(x):
    spread = x.std(axis=1)
    y = nn.layer_norm(x)
    np.testing.assert_allclose(y.mean(axis=1), 0.0, atol=1e-9)
    ok = spread > 1.0                               # eps = 1e-5 only matters for nearly constant rows
    np.testing.assert_allclose(y.var(axis=1)[ok], 1.0, rtol=1e-4)


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 32)), elements=st.floats(-1e3, 1e3)))
def test_rms_norm_rows_have_rms_1(x):
    y = nn.rms_norm(x)
    ok = np.sqrt((x**2).mean(axis=1)) > 1.0
    np.testing.assert_allclose(np.sqrt((y**2).mean(axis=1))[ok], 1.0, rtol=1e-4)
    np.testing.assert_allclose(y * np.sqrt((x**2).mean(axis=1, keepdims=True) + 1e-5), x, atol=1e-9)


def test_gain_and_bias_and_stages():
    x = np.array([1.0, 2.0, 4.0, 9.0])
    g, b = np.array([2.0, 1.0, 0.5, 1.0]), np.array([0.0, 1.0, 0.0, -1.0])
    np.testing.assert_allclose(nn.layer_norm(x, g, b), g * nn.layer_norm(x) + b)
    np.testing.assert_allclose(nn.rms_norm(x, g), g * nn.rms_norm(x))
    t = nn.norm_stages(x, "layer", g, b)
    assert t.mean[1] == pytest.approx(0.0, abs=1e-12) and t.std[2] == pytest.approx(1.0, abs=1e-5)
    np.testing.assert_allclose(t.vector[-1], nn.layer_norm(x, g, b))
    r = nn.norm_stages(x, "rms")
    assert r.rms[1] == pytest.approx(1.0, abs=1e-5) and r.mean[1] != pytest.approx(0.0)


def test_pre_norm_residual_grows_like_sqrt_depth_post_norm_stays_bounded():
    t = nn.residual_trace(depth=256, d_model=64, n_tokens=32, seed=0)
    pre, post = t.pre_norm_rms, t.post_norm_rms
    for lo in (16, 64):                               # quadrupling depth doubles the RMS
        assert pre[4 * lo] / pre[lo] == pytest.approx(2.0, rel=0.2)
    # squared norm is linear in depth: fit ℓ -> rms² and check the straight line explains it
    ell = np.arange(257)
    slope, intercept = np.polyfit(ell, pre**2, 1)
    resid = pre**2 - (slope * ell + intercept)
    assert np.abs(resid).max() < 0.1 * pre[-1] ** 2
    assert ((post > 0.99) & (post < 1.01)).all()
    assert pre[-1] > 10 * post[-1]
    np.testing.assert_allclose(t.pre_norm_sqrt_fit, pre, rtol=0.2)
