"""Exercises of P0.2: expected answers against closed forms, and the break-it bugs leave distinct marks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p0_2 as ex


def test_peak_slope_is_w_over_four(capsys):
    # σ'(z) = σ(1 − σ), largest at z = 0 where σ = 1/2: 1/4; the chain rule multiplies by w.
    assert ex.peak_slope(1.0) == pytest.approx(0.25)
    assert ex.check_peak_slope(0.5)
    assert not ex.check_peak_slope(0.25)           # forgot the w
    assert "hint" in capsys.readouterr().out
    assert ex.check_peak_slope(1.0, w=4.0)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.05, 20.0))
def test_peak_slope_closed_form(w):
    assert ex.peak_slope(w) == pytest.approx(w / 4, rel=1e-12)


def test_steepest_x_is_the_middle():
    assert ex.check_steepest_x(0)
    assert not ex.check_steepest_x(1)
    with pytest.raises(ValueError, match="^answer"):
        ex.check_steepest_x("middle")


def test_poly_slope_by_hand_and_by_finite_difference():
    # f = 1 − x + 0.5 x², f' = −1 + x, at x = 3: 2
    assert ex.check_poly_slope(2.0)
    assert not ex.check_poly_slope(3.5)           # f(3) itself, not the slope
    f = lambda x: 2.0 + 3.0 * x - x**3
    h = 1e-5
    fd = (f(2.0 + h) - f(2.0 - h)) / (2 * h)
    assert ex.check_poly_slope(fd, x=2.0, coeffs=(2.0, 3.0, 0.0, -1.0))
    with pytest.raises(ValueError, match="^x"):
        ex.check_poly_slope(1.0, x=[1.0, 2.0])


def test_bugs_leave_distinct_fingerprints():
    good = ex.correct_slope()
    no_chain = ex.buggy_sigmoid_slope("no_chain")
    value = ex.buggy_sigmoid_slope("value")
    sign = ex.buggy_sigmoid_slope("sign")
    assert good.max() == pytest.approx(ex.W / 4)
    assert no_chain.max() == pytest.approx(0.25)                 # same bump, w times lower
    np.testing.assert_allclose(no_chain * ex.W, good)
    assert np.all(np.diff(value) >= 0) and value[-1] > 0.99      # an S-curve, not a bump
    np.testing.assert_allclose(sign, -good)
    assert np.all(good >= 0)


def test_mysteries_and_check_bug():
    for which, bug in ex.MYSTERIES.items():
        np.testing.assert_array_equal(ex.mystery_slope(which), ex.buggy_sigmoid_slope(bug))
        assert ex.check_bug(bug, which=which)
        assert not ex.check_bug(next(b for b in ex.BUGS if b != bug), which=which)
    assert ex.MYSTERIES["A"] != ex.MYSTERIES["B"]


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="^bug must be one of"):
        ex.buggy_sigmoid_slope("typo")
    with pytest.raises(ValueError, match="^which must be one of"):
        ex.mystery_slope("C")
    with pytest.raises(ValueError, match="^answer must be a finite number"):
        ex.check_peak_slope(math.nan)
    with pytest.raises(ValueError, match="^curves must not be empty"):
        ex.plot_slopes()
    with pytest.raises(ValueError, match="^labels must have 2 entries"):
        ex.plot_slopes(ex.correct_slope(), ex.correct_slope(), labels=["one"])


def test_plot_slopes_draws_one_line_per_curve():
    import matplotlib
    matplotlib.use("Agg")
    fig = ex.plot_slopes(ex.correct_slope(), ex.mystery_slope("A"), labels=["correct", "A"])
    assert len(fig.axes[0].get_lines()) == 3            # two curves and the zero line
