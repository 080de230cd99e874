"""Exercises of P1.6: expected answers come from vizkit, and the break-it bugs leave distinct slopes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p1_6 as ex


def test_direction_predictions():
    assert ex.direction_of("xavier", "relu") == "shrink"
    assert ex.direction_of("he", "relu") == "stay"
    assert ex.direction_of("small", "tanh") == "shrink"
    assert ex.check_direction("shrink")
    assert not ex.check_direction("stay")
    with pytest.raises(ValueError, match="^answer"):
        ex.check_direction("explode")


def test_he_std_by_hand():
    assert ex.check_he_std(math.sqrt(2 / 4096))          # 0.0221
    assert not ex.check_he_std(2 / 4096)                 # the variance, not the std
    assert ex.check_he_std(0.0625, fan_in=512)
    with pytest.raises(ValueError, match="^fan_in"):
        ex.check_he_std(0.1, fan_in=0)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 60), st.integers(1, 2048))
def test_rms_gain_closed_forms(depth, width):
    assert ex.rms_gain("he", depth, width) == pytest.approx(1.0)
    assert ex.rms_gain("xavier", depth, width) == pytest.approx(2 ** (-depth / 2))
    assert ex.rms_gain("lecun", depth, width, "identity") == pytest.approx(1.0)


def test_rms_gain_matches_a_wide_simulation():
    # the rule is an expectation; at width 1024 one draw is within a few percent after 10 layers
    from vizkit.nn.initialization import signal_trace
    t = signal_trace("xavier", "relu", depth=10, width=1024, batch=256, seed=3)
    assert t.rms[10] / t.rms[0] == pytest.approx(ex.rms_gain("xavier", 10, 1024), rel=0.15)
    assert ex.check_rms_gain(1 / 1024)
    assert not ex.check_rms_gain(2 ** -20)               # forgot the square root of the variance factor
    with pytest.raises(ValueError, match="^scheme"):
        ex.rms_gain("orthogonal", 3)
    with pytest.raises(ValueError, match="^activation"):
        ex.rms_gain("he", 3, activation="tanh")


def test_bugs_leave_distinct_slopes():
    n = ex.MYSTERY_WIDTH
    slopes = {}
    for bug in (*ex.BUGS, "none"):
        y = ex.buggy_init_run(bug)
        assert len(y) == ex.MYSTERY_DEPTH + 1
        slopes[bug] = (y[20] - y[0]) / 20
    assert abs(slopes["none"]) < 0.05
    assert slopes["lecun"] == pytest.approx(-math.log10(math.sqrt(2)), abs=0.03)
    assert slopes["no_sqrt"] == pytest.approx(0.5 * math.log10(n * (2 / n) ** 2 / 2), abs=0.05)
    assert slopes["fourth_root"] == pytest.approx(0.5 * math.log10(n * math.sqrt(2 / n) / 2), abs=0.05)
    assert np.array_equal(ex.correct_run(), ex.buggy_init_run("none"))
    assert np.array_equal(ex.mystery_run("A"), ex.buggy_init_run(ex.MYSTERIES["A"]))


def test_check_bug_and_bad_input():
    assert ex.check_bug("lecun", which="A")
    assert ex.check_bug("no_sqrt", which="B")
    assert not ex.check_bug("fourth_root", which="A")
    with pytest.raises(ValueError, match="^answer"):
        ex.check_bug("typo", which="A")
    with pytest.raises(ValueError, match="^which"):
        ex.mystery_run("C")
    with pytest.raises(ValueError, match="^bug"):
        ex.buggy_init_run("zeros")
    with pytest.raises(ValueError, match="^depth"):
        ex.buggy_init_run("lecun", depth=0)
