"""P0.1–P0.4 against brute force and closed forms: sums, norms, slopes, vectors, transforms, GEMM."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from vizkit import foundations as F

finite = st.floats(-100, 100, allow_nan=False, allow_infinity=False)
vec = arrays(np.float64, st.integers(1, 12), elements=finite)


@settings(deadline=None)
@given(vec)
def test_sum_trace_is_a_running_loop(x):
    t = F.sum_trace(x)
    total = 0.0
    for i, xi in enumerate(x):                     # the loop Σ stands for
        total += xi
        assert t.partial_sum[i] == pytest.approx(total, rel=1e-12, abs=1e-9)
    assert t.index.tolist() == list(range(1, len(x) + 1))


@settings(deadline=None)
@given(st.integers(1, 10).flatmap(lambda n: st.tuples(arrays(np.float64, n, elements=finite),
                                                     arrays(np.float64, n, elements=finite))))
def test_weighted_sum_is_dot_product(pair):
    x, w = pair
    assert F.sum_trace(x, w).partial_sum[-1] == pytest.approx(sum(a * b for a, b in zip(x, w)), abs=1e-8)


@settings(deadline=None)
@given(vec, st.sampled_from([1.0, 1.5, 2.0, 3.0, 7.0]))
def test_lp_norm_matches_definition(x, p):
    want = sum(abs(v) ** p for v in x) ** (1.0 / p)
    assert F.lp_norm(x, p) == pytest.approx(want, rel=1e-9, abs=1e-12)
    assert F.lp_norm(x, math.inf) == pytest.approx(max(abs(v) for v in x))
    assert F.lp_norm(x, math.inf) <= F.lp_norm(x, 2) + 1e-9 <= F.lp_norm(x, 1) + 2e-9


def test_unit_ball_points_have_norm_one():
    t = F.unit_ball_trace([1.0, 2.0, 4.0, math.inf], n_points=64)
    for p, pts in zip(t.p, t.points):
        for pt in pts:
            assert F.lp_norm(pt, p) == pytest.approx(1.0, rel=1e-9)


def test_notation_values():
    v = F.evaluate_notation([3.0, -4.0, 1.0], [1.0, 2.0, 3.0])
    assert (v.total, v.mean, v.dot, v.l1, v.linf, v.argmax) == (0.0, 0.0, -2.0, 8.0, 4.0, 1)
    assert v.l2 == pytest.approx(math.sqrt(26))


@pytest.mark.parametrize("family,params", [
    ("linear", {"w": -1.5, "b": 0.3}), ("polynomial", {"coeffs": (1.0, -2.0, 0.5, 0.25)}),
    ("exp", {"a": 2.0, "k": -0.7}), ("log", {"a": 1.5}), ("sigmoid", {"w": 2.0, "b": -1.0}),
    ("relu", {"w": -2.0, "b": 0.5})])
def test_function_slopes_match_central_differences(family, params):
    x = np.linspace(0.13, 2.9, 23)                  # avoids the ReLU kink at 0.25 and log's domain edge
    _, slope = F.evaluate(family, x, **params)
    h = 1e-6
    fd = (F.evaluate(family, x + h, **params)[0] - F.evaluate(family, x - h, **params)[0]) / (2 * h)
    np.testing.assert_allclose(slope, fd, rtol=1e-6, atol=1e-7)


def test_function_identities():
    x = np.linspace(-3, 3, 13)
    s, _ = F.evaluate("sigmoid", x)
    np.testing.assert_allclose(s + s[::-1], 1.0)                    # σ(x) + σ(-x) = 1
    e, _ = F.evaluate("exp", x)
    lg, _ = F.evaluate("log", e)
    np.testing.assert_allclose(lg, x, atol=1e-12)                   # ln e^x = x
    t = F.curve_trace("log", x_min=-1, x_max=1, n_points=5)
    assert t.defined[0].tolist() == [0, 0, 0, 1, 1]


def test_secant_error_orders():
    t = F.secant_trace("exp", 0.5, [1e-1, 1e-2], k=1.0)
    # forward error O(h): shrinks ~10x; central O(h^2): ~100x
    assert 8 < t.secant_error[0] / t.secant_error[1] < 12
    assert 80 < t.central_error[0] / t.central_error[1] < 120


@settings(deadline=None)
@given(arrays(np.float64, 3, elements=st.floats(-10, 10)), arrays(np.float64, 3, elements=st.floats(-10, 10)))
def test_cosine_and_projection(a, b):
    if np.linalg.norm(a) < 1e-3 or np.linalg.norm(b) < 1e-3:
        return
    cos = F.cosine_similarity(a, b)
    assert -1.0 <= cos <= 1.0                                              # Cauchy–Schwarz
    assert cos == pytest.approx(np.dot(a, b) / np.linalg.norm(a) / np.linalg.norm(b), abs=1e-12)
    p = F.projection(a, onto=b)
    assert np.dot(a - p, b) == pytest.approx(0.0, abs=1e-9 * (1 + np.dot(a, a)) * np.linalg.norm(b))
    assert np.linalg.norm(p) <= np.linalg.norm(a) + 1e-9


def test_rotation_trace_dot_is_cosine_law():
    t = F.rotation_trace([3.0, 4.0], 2.0, n_frames=36)
    np.testing.assert_allclose(t.dot, 5.0 * 2.0 * np.cos(np.radians(t.angle_deg)), atol=1e-9)
    assert t.angle_deg[0] == pytest.approx(0.0, abs=1e-6) and t.angle_deg[18] == pytest.approx(180.0)


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, (2, 2), elements=st.floats(-5, 5)), arrays(np.float64, 2, elements=st.floats(-5, 5)))
def test_determinant_is_area_scaling_of_unit_square(W, b):
    corners = F.unit_square_image(W, b)            # shifting moves the square, not its area
    assert F.polygon_area(corners) == pytest.approx(F.determinant(W), abs=1e-9)
    with np.errstate(divide="ignore", invalid="ignore"):     # LU of a singular matrix warns
        assert F.determinant(W) == pytest.approx(np.linalg.det(W), abs=1e-9)


def test_determinant_scales_any_polygon():
    W = np.array([[1.5, -0.5], [0.25, 2.0]])
    tri = np.array([[0.0, 0.0], [2.0, 0.3], [0.7, 1.9]])
    assert F.polygon_area(tri @ W.T) == pytest.approx(F.determinant(W) * F.polygon_area(tri))


def test_affine_trace_morphs_then_shifts():
    W, b = [[0.0, -1.0], [1.0, 0.0]], [1.0, 2.0]
    t = F.affine_trace(W, b, n_morph=10, n_shift=5)
    np.testing.assert_allclose(t.matrix[0], np.eye(2))
    np.testing.assert_allclose(t.matrix[-1], W)
    np.testing.assert_allclose(t.shift[-1], b)
    np.testing.assert_allclose(t.square[-1], F.unit_square_image(W, b))
    np.testing.assert_allclose(t.grid[-1], t.grid_start @ np.array(W).T + b)
    for M, det in zip(t.matrix, t.det):
        assert det == pytest.approx(np.linalg.det(M))
    np.testing.assert_allclose(F.affine(W, [1.0, 0.0], b), [1.0, 3.0])


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 7), st.integers(1, 7), st.integers(1, 7), st.integers(0, 2**31 - 1))
def test_gemm_equals_matmul_and_counts_macs(m, n, k, seed):
    rng = np.random.default_rng(seed)
    A, B = rng.standard_normal((m, k)), rng.standard_normal((k, n))
    t = F.gemm_trace(A, B)
    np.testing.assert_allclose(t.c, np.matmul(A, B), rtol=1e-12, atol=1e-12)
    assert len(t) == m * n
    assert int(t.macs_done[-1]) == F.mac_count(m, n, k) == m * n * k
    assert F.flop_count(m, n, k) == 2 * m * n * k
    assert t.products.shape == (m * n, k)
    seen = {(int(i), int(j)) for i, j in zip(t.row, t.col)}
    assert seen == {(i, j) for i in range(m) for j in range(n)}          # every cell exactly once
    for f in range(len(t)):
        assert t.value[f] == pytest.approx(np.dot(A[t.row[f]], B[:, t.col[f]]))


def test_gemv_is_gemm_with_one_column():
    W = np.arange(12.0).reshape(4, 3)
    x = np.array([1.0, -1.0, 2.0])
    t = F.gemv_trace(W, x)
    np.testing.assert_allclose(t.value, W @ x)
    assert int(t.macs_done[-1]) == 4 * 3
