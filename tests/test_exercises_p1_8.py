"""Exercises of P1.8: expected answers come from vizkit, and the break-it bugs leave distinct marks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p1_8 as ex
from vizkit.nn.residual import residual_trace


def test_pre_norm_growth_is_square_root():
    assert ex.growth_of(48) == "square-root"
    assert ex.check_growth("square-root")
    assert not ex.check_growth("constant")
    with pytest.raises(ValueError, match="^answer"):
        ex.check_growth("exponential")


def test_layer_norm_by_hand():
    # x = (1, 2, 3, 6): mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5
    assert ex.check_layer_norm(3 / math.sqrt(3.5))
    assert ex.check_layer_norm(-2 / math.sqrt(3.5), index=0)
    assert not ex.check_layer_norm(3 / math.sqrt(14 / 3))      # the d − 1 (sample) variance
    with pytest.raises(ValueError, match="^index"):
        ex.check_layer_norm(0.0, index=4)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 500), st.floats(0.01, 10), st.floats(0.1, 10))
def test_stream_rule_closed_form(depth, c, r0):
    assert ex.pre_norm_rms_rule(depth, c, r0) == pytest.approx(math.sqrt(r0 ** 2 + depth * c ** 2))


def test_stream_rule_matches_the_simulation_and_checks():
    t = residual_trace(depth=48)
    c = float(np.sqrt(np.mean(t.pre_branch_rms[1:] ** 2)))
    assert t.pre_norm_rms[-1] == pytest.approx(ex.pre_norm_rms_rule(48, c), rel=0.1)
    assert ex.check_stream_rms(math.sqrt(1 + 99 * 0.25))
    assert not ex.check_stream_rms(1 + 99 * 0.5)               # lengths added instead of squares
    with pytest.raises(ValueError, match="^branch_rms"):
        ex.pre_norm_rms_rule(3, 0.0)
    with pytest.raises(ValueError, match="^depth"):
        ex.pre_norm_rms_rule(-1, 1.0)


def test_bugs_leave_distinct_fingerprints():
    x = ex.probe_tokens()
    m, r = ex.token_stats(ex.buggy_layer_norm("none", x))
    assert np.allclose(m, 0, atol=1e-9) and np.allclose(r, 1, atol=1e-4)
    m, r = ex.token_stats(ex.buggy_layer_norm("no_center", x))
    assert np.allclose(r, np.sqrt(1 + m ** 2), rtol=1e-4) and abs(m[0]) > 1
    m, r = ex.token_stats(ex.buggy_layer_norm("var_not_std", x))
    assert np.allclose(m, 0, atol=1e-9)
    assert np.allclose(r, 1 / x.std(axis=1), rtol=1e-3) and np.all(np.diff(r[3:]) < 0)
    y = ex.buggy_layer_norm("wrong_axis", x)
    assert np.allclose(y.mean(axis=0), 0, atol=1e-9)            # features, not tokens, are centred
    assert np.abs(y.mean(axis=1)).max() > 0.5
    assert np.array_equal(ex.mystery_stats("A")[1], ex.token_stats(ex.buggy_layer_norm("var_not_std", x))[1])


def test_check_bug_and_bad_input():
    assert ex.check_bug("var_not_std", which="A")
    assert ex.check_bug("wrong_axis", which="B")
    assert not ex.check_bug("no_center", which="A")
    with pytest.raises(ValueError, match="^answer"):
        ex.check_bug("typo")
    with pytest.raises(ValueError, match="^which"):
        ex.mystery_stats("Z")
    with pytest.raises(ValueError, match="^bug"):
        ex.buggy_layer_norm("nope", np.ones((2, 2)))
    with pytest.raises(ValueError, match="^x"):
        ex.buggy_layer_norm("none", np.ones(3))
    with pytest.raises(ValueError, match="^d"):
        ex.probe_tokens(d=1)
