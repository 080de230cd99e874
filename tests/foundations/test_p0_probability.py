"""P0.6: softmax, entropy, cross-entropy and KL identities; temperature limits; sampling."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from vizkit import foundations as F

logits = arrays(np.float64, st.integers(2, 10), elements=st.floats(-20, 20))


def dist(n_min=2, n_max=10):
    return arrays(np.float64, st.integers(n_min, n_max), elements=st.floats(0.0, 1.0)).filter(
        lambda a: a.sum() > 1e-3).map(lambda a: a / a.sum())


def positive_pair():
    """Two strictly positive distributions over the same outcomes."""
    return st.integers(2, 10).flatmap(lambda n: st.tuples(
        *(arrays(np.float64, n, elements=st.floats(0.01, 1.0)).map(lambda a: a / a.sum()) for _ in range(2))))


@settings(deadline=None)
@given(logits, st.floats(-50, 50))
def test_softmax_shift_invariance(z, c):
    np.testing.assert_allclose(F.softmax(z + c), F.softmax(z), atol=1e-12)


@settings(deadline=None)
@given(logits, st.floats(0.05, 50))
def test_softmax_is_a_distribution_matching_the_formula(z, T):
    p = F.softmax(z, T)
    assert p.sum() == pytest.approx(1.0) and (p >= 0).all()
    e = [math.exp((v - max(z)) / T) for v in z]
    np.testing.assert_allclose(p, np.array(e) / sum(e), rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(np.exp(F.log_softmax(z, T)), p, rtol=1e-9, atol=1e-300)


def test_softmax_never_overflows():
    p = F.softmax([1000.0, 1001.0, -1000.0])
    assert np.isfinite(p).all() and p.argmax() == 1


@settings(deadline=None)
@given(logits.filter(lambda z: np.sort(z)[-1] - np.sort(z)[-2] > 1e-3))
def test_temperature_to_zero_gives_argmax_one_hot(z):
    p = F.softmax(z, temperature=1e-6)
    want = np.zeros_like(z)
    want[np.argmax(z)] = 1.0
    np.testing.assert_allclose(p, want, atol=1e-12)


def test_temperature_to_zero_splits_ties_evenly():
    np.testing.assert_allclose(F.softmax([2.0, 5.0, 5.0], temperature=1e-9), [0.0, 0.5, 0.5])


@settings(deadline=None)
@given(logits)
def test_temperature_to_infinity_gives_uniform(z):
    np.testing.assert_allclose(F.softmax(z, temperature=1e9), np.full(z.shape, 1 / z.size), atol=1e-7)


@settings(deadline=None)
@given(dist())
def test_entropy_bounds(p):
    h = F.entropy(p)
    assert -1e-12 <= h <= math.log(p.size) + 1e-12
    assert F.entropy(p, "bits") == pytest.approx(h / math.log(2), abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(positive_pair())
def test_kl_nonnegative_and_ce_equals_h_plus_kl(pq):
    p, q = pq
    kl = F.kl_divergence(p, q)
    assert kl >= 0.0
    assert F.cross_entropy(p, q) == pytest.approx(F.entropy(p) + kl, rel=1e-9, abs=1e-12)
    assert F.kl_divergence(p, p) == pytest.approx(0.0, abs=1e-12)
    assert F.cross_entropy(p, p) == pytest.approx(F.entropy(p), abs=1e-12)


@settings(deadline=None)
@given(dist())
def test_cross_entropy_against_uniform_is_log_v(p):
    V = p.size
    assert F.cross_entropy(p, np.full(V, 1.0 / V)) == pytest.approx(math.log(V), rel=1e-12)
    assert F.entropy(np.full(V, 1.0 / V)) == pytest.approx(math.log(V), rel=1e-12)


def test_infinite_when_q_rules_out_an_outcome():
    assert F.cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert F.kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert F.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(math.log(2))   # 0·log 0 = 0


def test_temperature_trace_consistency():
    t = F.temperature_trace([3.0, 1.0, 0.2, -2.0], target=1)
    for T, p, h, ce, kl in zip(t.temperature, t.probs, t.entropy_bits, t.cross_entropy_bits, t.kl_bits):
        np.testing.assert_allclose(p, F.softmax(t.logits, T))
        assert h == pytest.approx(F.entropy(p, "bits"))
        assert ce == pytest.approx(-math.log2(p[1]))
        assert ce == pytest.approx(0.0 + kl)             # one-hot target: H(target) = 0
    assert (np.diff(t.entropy_bits) > 0).all()           # hotter is more uncertain
    assert t.entropy_bits[-1] < 2.0 and t.entropy_bits[-1] > 1.9    # → log2 4 = 2 bits


def test_sampling_converges_to_the_distribution():
    p = np.array([0.5, 0.3, 0.15, 0.05])
    t = F.sampling_trace(p, n_samples=20_000, samples_per_frame=100, seed=1)
    assert (t.counts.sum(axis=1) == t.n_drawn).all()
    np.testing.assert_array_equal(t.counts[-1], np.bincount(t.samples, minlength=4))
    assert t.tv_distance[-1] < 0.02 < t.tv_distance[0]
    # the error shrinks roughly like 1/sqrt(n): compare averages early vs late
    assert t.tv_distance[150:].mean() < 0.5 * t.tv_distance[:10].mean()
    np.testing.assert_array_equal(F.sample_categorical(p, 50, seed=7), F.sample_categorical(p, 50, seed=7))
    assert (F.sample_categorical([0.0, 1.0, 0.0], 100) == 1).all()
