"""Exercises of P0.5: every expected answer comes from vizkit, and the break-it bugs leave distinct marks."""

from __future__ import annotations

import numpy as np
import pytest

from vizkit.exercises import p0_5 as ex


def test_secant_slope(capsys):
    assert ex.check_secant_slope(2.1)
    assert not ex.check_secant_slope(2.0)     # the derivative, not the chord
    assert "hint" in capsys.readouterr().out


@pytest.mark.parametrize("lr, expected", [(0.1, "converges"), (0.45, "converges"), (0.5, "bounces"),
                                          (0.55, "diverges"), (2.0, "diverges")])
def test_fate_follows_two_over_L(lr, expected):
    assert ex.fate(lr, curvature=4.0) == expected


def test_check_fate():
    assert ex.check_fate("converges")
    assert ex.check_fate("Diverges ", learning_rate=0.6)
    assert not ex.check_fate("diverges")
    with pytest.raises(ValueError, match="^answer"):
        ex.check_fate("explodes")
    with pytest.raises(ValueError, match="^learning_rate"):
        ex.check_fate("converges", learning_rate=0)


def test_critical_rate_is_set_by_the_steepest_direction():
    assert ex.check_critical_rate(2 / 12)
    assert not ex.check_critical_rate(2 / 3)
    assert ex.check_critical_rate(2 / 5, curvature_x=5.0, curvature_y=1.0)


def test_bugs_leave_distinct_fingerprints():
    lr = ex.mystery_lr()
    good = ex.correct_trace()
    assert good.loss[-1] < 1e-6 * good.loss[0]
    sign = ex.buggy_descent_trace("sign", lr)
    ok = sign.diverged == 0
    assert (sign.position[ok, 0] > 0).all(), "ascent runs away on one side"
    assert sign.diverged_step > 0
    double = ex.buggy_descent_trace("double", lr)
    flips = np.sign(double.position[:, 0])
    assert (flips[1:] != flips[:-1]).all(), "a doubled gradient overshoots: w flips sign every step"
    assert double.loss[-1] > double.loss[0]
    half = ex.buggy_descent_trace("half", lr)
    assert (half.position[:, 0] > 0).all() and half.loss[-1] < half.loss[0]
    assert half.loss[5] > good.loss[5]


def test_mysteries_and_check_bug():
    for which, bug in ex.MYSTERIES.items():
        assert bug in ex.BUGS
        assert ex.check_bug(bug, which=which)
        t = ex.mystery_trace(which)
        assert np.array_equal(t.loss, ex.buggy_descent_trace(bug, ex.mystery_lr()).loss)
    assert not ex.check_bug("half", which="A")
    with pytest.raises(ValueError, match="^which"):
        ex.mystery_trace("C")
    with pytest.raises(ValueError, match="^bug"):
        ex.buggy_descent_trace("typo", 0.1)


def test_plot_runs_draws_two_panels():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    fig = ex.plot_runs(ex.correct_trace(), ex.mystery_trace("A"))
    assert len(fig.axes) == 2
