"""Exercises of P1.2: expected answers come from vizkit, and the break-it bugs leave distinct marks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p1_2 as ex
from vizkit.nn.universal import universal_fit


def test_identity_never_improves_with_width():
    assert ex.identity_trend() == "stays the same"
    assert ex.identity_trend("bump", widths=(1, 3, 64)) == "stays the same"
    assert ex.check_identity_width("stays the same")
    assert not ex.check_identity_width("falls")
    with pytest.raises(ValueError, match="^answer"):
        ex.check_identity_width("rises")
    with pytest.raises(ValueError, match="^target"):
        ex.check_identity_width("falls", target="square")


def test_identity_fit_is_the_least_squares_line():
    f = ex.buggy_fit("no_activation")
    slope, icpt = np.polyfit(f.x, f.target, 1)
    assert np.allclose(f.fit, slope * f.x + icpt, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 64), min_size=2, max_size=5))
def test_param_count_by_hand(sizes):
    expected = sum(m * n + n for m, n in zip(sizes[:-1], sizes[1:]))
    assert ex.check_param_count(expected, layer_sizes=sizes)
    assert not ex.check_param_count(expected + 1, layer_sizes=sizes)


def test_param_count_defaults():
    assert ex.check_param_count(2 * 16 + 16 + 16 * 16 + 16 + 16 + 1)
    with pytest.raises(ValueError, match="^layer_sizes"):
        ex.check_param_count(3, layer_sizes=(2,))


def test_relu_error_shrinks_about_fourfold_when_width_doubles():
    r = ex.error_ratio(16, 32)
    assert 3.0 < r < 5.5
    assert ex.check_error_ratio(r)
    assert ex.check_error_ratio(4.0)
    assert not ex.check_error_ratio(2.0)        # the 1/N guess
    with pytest.raises(ValueError, match="^narrow"):
        ex.error_ratio(0, 4)


def test_correct_fit_matches_universal_fit():
    g = ex.correct_fit()
    u = universal_fit(ex.MYSTERY_TARGET, "relu", ex.MYSTERY_WIDTH, n_points=ex.N_POINTS)
    assert np.allclose(g.fit, u.fit) and g.rms_error == pytest.approx(u.rms_error)


def _kinks(f, tol=1e-6):
    """x positions where the fitted curve's slope changes between neighbouring grid cells."""
    slope = np.diff(f.fit) / np.diff(f.x)
    return f.x[1:-1][np.abs(np.diff(slope)) > tol]


def test_bugs_leave_distinct_fingerprints():
    good = ex.correct_fit()
    assert good.rms_error < 0.05
    same = ex.buggy_fit("same_bias")
    kinks = _kinks(same)
    assert len(kinks) >= 1 and np.all(np.abs(kinks) < 0.02), "one kink, at x = 0"
    half = ex.buggy_fit("half_range")
    right = half.x > 0.01
    slope, icpt = np.polyfit(half.x[right], half.fit[right], 1)
    assert np.allclose(half.fit[right], slope * half.x[right] + icpt, atol=1e-9), "a line on the right"
    left = half.x < -0.2
    assert np.sqrt(np.mean((half.fit[left] - half.target[left]) ** 2)) < 0.05, "good on the left"
    assert min(same.rms_error, half.rms_error) > 5 * good.rms_error


def test_mysteries_and_check_bug():
    for which, bug in ex.MYSTERIES.items():
        assert bug in ex.BUGS and ex.check_bug(bug, which=which)
        assert np.array_equal(ex.mystery_fit(which).fit, ex.buggy_fit(bug).fit)
    assert not ex.check_bug("no_activation", which="A")
    with pytest.raises(ValueError, match="^which"):
        ex.mystery_fit("Z")
    with pytest.raises(ValueError, match="^bug"):
        ex.buggy_fit("typo")
    with pytest.raises(ValueError, match="^width"):
        ex.buggy_fit("same_bias", width=0)
    assert "rms_error" in repr(ex.mystery_fit("A"))


def test_plot_fits_draws_two_panels():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    assert len(ex.plot_fits(ex.correct_fit(), ex.mystery_fit("B")).axes) == 2
