"""Exercises of P0.7: expected answers from vizkit against closed forms, and distinct bug fingerprints."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p0_7 as ex


def test_fastest_on_the_ravine_is_momentum(capsys):
    assert ex.fastest("ravine") == "momentum"
    assert ex.check_fastest("Momentum ")
    assert not ex.check_fastest("adam")
    assert "hint" in capsys.readouterr().out
    with pytest.raises(ValueError, match="^answer"):
        ex.check_fastest("lion")
    with pytest.raises(ValueError, match="^n_steps"):
        ex.fastest("ravine", n_steps=3)


@given(lr=st.floats(1e-3, 0.5), beta=st.floats(0.0, 0.95), g=st.floats(-10, 10).filter(lambda v: abs(v) > 1e-3))
@settings(max_examples=30, deadline=None)
def test_momentum_terminal_step_is_eta_g_over_one_minus_beta(lr, beta, g):
    assert ex.momentum_terminal_step(lr, beta, g) == pytest.approx(lr * abs(g) / (1 - beta), rel=1e-6)


def test_check_momentum_step():
    assert ex.check_momentum_step(0.2)
    assert not ex.check_momentum_step(0.02)                 # η·g, the step before velocity builds up
    assert ex.check_momentum_step(0.5, learning_rate=0.05, beta=0.8)
    with pytest.raises(ValueError, match="^beta"):
        ex.check_momentum_step(0.2, beta=1.0)
    with pytest.raises(ValueError, match="^learning_rate"):
        ex.momentum_terminal_step(learning_rate=0.0)


@given(g=st.lists(st.floats(-1e3, 1e3).filter(lambda v: abs(v) > 1e-3), min_size=1, max_size=5),
       lr=st.floats(1e-3, 1.0))
@settings(max_examples=30, deadline=None)
def test_adams_first_step_is_eta_per_coordinate_whatever_the_scale(g, lr):
    assert ex.adam_first_step(g, lr) == pytest.approx(lr * np.sqrt(len(g)), rel=1e-5)


def test_check_adam_first_step():
    assert ex.check_adam_first_step(0.1 * np.sqrt(2))
    assert not ex.check_adam_first_step(0.1 * np.hypot(2.5, 20.0))   # the SGD answer
    with pytest.raises(ValueError, match="^gradient"):
        ex.adam_first_step([])
    with pytest.raises(ValueError, match="^answer"):
        ex.check_adam_first_step("big")


def test_bugs_leave_distinct_fingerprints():
    good = ex.correct_trace()
    ok = ex.step_lengths(good)
    assert good.steps_to_converge[0] > 0
    assert ok[0] == pytest.approx(0.1 * np.sqrt(2), rel=1e-4)
    nobc = ex.buggy_adam_trace("no_bias_correction")
    s = ex.step_lengths(nobc)
    # without correction m₁ = (1−β₁)g and v₁ = (1−β₂)g²: a first step of η(1−β₁)/√(1−β₂) per coordinate
    assert s[0] == pytest.approx(0.1 * 0.1 / np.sqrt(0.001) * np.sqrt(2), rel=1e-4)
    assert nobc.steps_to_converge[0] > 0, "it still gets there"
    swapped = ex.buggy_adam_trace("swapped_betas")
    assert swapped.steps_to_converge[0] == -1
    assert swapped.distance[-1, 0] > 10 * good.distance[-1, 0]
    nosqrt = ex.buggy_adam_trace("no_sqrt")
    assert ex.step_lengths(nosqrt)[0] < 0.5 * ok[0]


def test_mysteries_and_check_bug():
    for which, bug in ex.MYSTERIES.items():
        assert bug in ex.BUGS
        assert ex.check_bug(bug, which=which)
        assert np.array_equal(ex.mystery_trace(which).loss, ex.buggy_adam_trace(bug).loss)
    assert not ex.check_bug("no_sqrt", which="A")
    with pytest.raises(ValueError, match="^which"):
        ex.mystery_trace("C")
    with pytest.raises(ValueError, match="^bug"):
        ex.buggy_adam_trace("typo")
    with pytest.raises(ValueError, match="^racer"):
        ex.step_lengths(ex.correct_trace(), racer=3)


def test_plot_runs_draws_two_panels():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    fig = ex.plot_runs(ex.correct_trace(), ex.mystery_trace("B"))
    assert len(fig.axes) == 2
