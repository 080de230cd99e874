"""Exercises of P0.4: answers checked against hand-derived values and brute force."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p0_4 as ex


def test_det_and_area_by_hand(capsys):
    assert ex.check_det(5.0)          # 2·3 − 1·1
    assert not ex.check_det(7.0)
    assert ex.check_square_area(5.0)  # |det|, the shift does not matter
    assert not ex.check_square_area(1.0)
    assert "✗" in capsys.readouterr().out


def test_gemv_macs_is_d_model_squared():
    assert ex.gemv_macs("llama-2-7b") == 4096 * 4096
    assert ex.check_gemv_macs(4096 ** 2)
    assert not ex.check_gemv_macs(2 * 4096 ** 2)


def test_mysteries_match_their_bugs():
    A = np.array(ex.DEFAULT_A)
    B = np.array(ex.DEFAULT_B)
    good = A @ B
    assert np.allclose(ex.mystery("B"), good - np.outer(A[:, -1], B[-1, :]))
    assert np.allclose(ex.mystery("A"), np.cumsum(good.ravel()).reshape(good.shape))
    assert ex.check_bug("A", "no_reset") and ex.check_bug("B", "short_loop")
    assert not ex.check_bug("A", "short_loop")


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(2, 4), st.integers(0, 10_000))
def test_buggy_gemm_invariants(m, n, k, seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(m, k))
    B = rng.normal(size=(k, n))
    assert np.allclose(ex.buggy_gemm("short_loop", A, B), A[:, :-1] @ B[:-1, :])
    assert np.allclose(ex.buggy_gemm("no_reset", A, B).ravel(), np.cumsum((A @ B).ravel()))


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="bug"):
        ex.buggy_gemm("typo")
    with pytest.raises(ValueError, match="B must have"):
        ex.buggy_gemm("no_reset", np.ones((2, 3)), np.ones((2, 2)))
    with pytest.raises(ValueError, match="name"):
        ex.check_bug("C", "no_reset")
    with pytest.raises(ValueError, match="answer"):
        ex.check_bug("A", "nonsense")
