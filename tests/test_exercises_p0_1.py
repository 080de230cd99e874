"""Exercises of P0.1: every expected answer comes from vizkit, and the break-it bugs leave distinct marks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p0_1 as ex


def test_dot_against_a_hand_computed_value(capsys):
    # 0.5*3 - 1*1 + 0.25*4 + 2*1 + 0.1*5 = 1.5 - 1 + 1 + 2 + 0.5 = 4
    assert ex.check_dot(4.0)
    assert not ex.check_dot(6.0)                 # forgot the minus sign of w_2
    assert "hint" in capsys.readouterr().out
    assert ex.check_dot(32.0, x=[1, 2, 3], w=[4, 5, 6])


def test_norm_against_pythagoras():
    assert ex.check_norm(13.0)                   # 3-4-12-13
    assert not ex.check_norm(19.0)               # the 1-norm, not the 2-norm
    assert ex.check_norm(19.0, p=1)
    assert ex.check_norm(12.0, p=math.inf)


def test_largest_norm():
    assert ex.largest_norm() == "l1"
    assert ex.check_largest_norm("L1 ")
    assert not ex.check_largest_norm("linf")
    with pytest.raises(ValueError, match="^answer"):
        ex.check_largest_norm("l3")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=8))
def test_norms_are_ordered(x):
    from vizkit.foundations.notation import lp_norm
    a, b, c = lp_norm(x, 1), lp_norm(x, 2), lp_norm(x, math.inf)
    assert a >= b - 1e-9 * (1 + a) and b >= c - 1e-9 * (1 + b)


def test_bugs_leave_distinct_fingerprints():
    good = ex.correct_trace().partial_sum
    skip = ex.buggy_sum_trace("skip").partial_sum
    over = ex.buggy_sum_trace("overwrite").partial_sum
    square = ex.buggy_sum_trace("square").partial_sum
    assert skip[0] == 0 and np.allclose(np.diff(skip), np.diff(good)), "skip: same steps, first one missing"
    assert np.allclose(good - skip, good[0])
    terms = np.array(ex.W) * np.array(ex.X)
    assert np.allclose(over, terms), "overwrite: the 'total' is just the latest term"
    assert np.allclose(square, np.cumsum(np.array(ex.X) ** 2)) and square[-1] > 10 * good[-1]


def test_mysteries_and_check_bug():
    for which, bug in ex.MYSTERIES.items():
        assert bug in ex.BUGS
        assert ex.check_bug(bug, which=which)
        others = [b for b in ex.BUGS if b != bug]
        assert not ex.check_bug(others[0], which=which)
    with pytest.raises(ValueError, match="^which"):
        ex.check_bug("skip", which="C")
    with pytest.raises(ValueError, match="^bug"):
        ex.buggy_sum_trace("typo")


def test_bad_operands_name_the_parameter():
    with pytest.raises(ValueError, match="^w must have length 5"):
        ex.check_dot(1.0, w=[1.0])
    with pytest.raises(ValueError, match="^p must be a number >= 1"):
        ex.check_norm(1.0, p=0.5)
    with pytest.raises(ValueError, match="^answer"):
        ex.check_dot("four")


def test_plot_runs():
    import matplotlib
    matplotlib.use("Agg")
    fig = ex.plot_runs(ex.correct_trace(), ex.mystery_trace("A"), labels=("correct", "A"))
    assert len(fig.axes[0].lines) >= 2
    with pytest.raises(ValueError, match="^labels"):
        ex.plot_runs(ex.correct_trace(), labels=("a", "b"))
    with pytest.raises(ValueError, match="^traces"):
        ex.plot_runs()
