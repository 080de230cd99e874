"""Exercises of P0.3: expected answers against hand-computed values, and the break-it bugs leave distinct marks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p0_3 as ex


def test_cosine_by_hand(capsys):
    # a·b = 2 + 0 + 2 = 4, ‖a‖ = 3, ‖b‖ = √5
    assert ex.check_cosine(4 / (3 * math.sqrt(5)))
    assert not ex.check_cosine(4.0)                     # a·b, not divided
    assert "hint" in capsys.readouterr().out
    assert ex.check_cosine(0.0, a=(1.0, 0.0), b=(0.0, 7.0))
    assert ex.check_cosine(-1.0, a=(1.0, 1.0), b=(-2.0, -2.0))


def test_scaling_predictions():
    assert ex.check_scaled_dot(3.0) and not ex.check_scaled_dot(1.0)
    assert ex.check_scaled_cosine(1.0) and not ex.check_scaled_cosine(3.0)
    assert ex.check_scaled_dot(0.5, factor=0.5)


def test_projection_length_by_hand():
    assert ex.check_projection_length(4 / math.sqrt(5))
    assert ex.check_projection_length(-2.0, a=(-2.0, 5.0), b=(3.0, 0.0))   # signed: points against b
    assert not ex.check_projection_length(4 / 3)                         # divided by ‖a‖ instead


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=2, max_size=6).filter(lambda v: np.linalg.norm(v) > 1e-3),
       st.floats(0.1, 10.0))
def test_cosine_is_scale_free(a, k):
    from vizkit.foundations.vectors import cosine_similarity
    b = np.roll(np.asarray(a), 1) + 0.5
    if np.linalg.norm(b) < 1e-3:
        return
    assert float(cosine_similarity(a, b * k)) == pytest.approx(float(cosine_similarity(a, b)), abs=1e-9)


def test_bugs_leave_distinct_fingerprints():
    t = ex.rotation()
    amp = math.sqrt(5) * 1.5
    no_norm, squared, l1 = (ex.buggy_cosine(b) for b in ("no_norm", "squared", "l1"))
    assert no_norm.max() == pytest.approx(amp, rel=1e-9)                 # taller than 1
    np.testing.assert_allclose(no_norm / amp, t.cosine, atol=1e-12)      # but a clean cosine
    assert squared.max() == pytest.approx(1 / amp, rel=1e-9)             # too short
    np.testing.assert_allclose(squared * amp, t.cosine, atol=1e-12)
    assert l1.max() < 1 and np.abs(l1 / l1.max() - t.cosine).max() > 0.05   # not a scaled cosine
    assert np.all(np.abs(t.cosine) <= 1)


def test_mysteries_and_check_bug():
    for which, bug in ex.MYSTERIES.items():
        np.testing.assert_array_equal(ex.mystery_cosine(which), ex.buggy_cosine(bug))
        assert ex.check_bug(bug, which=which)
        assert not ex.check_bug(next(b for b in ex.BUGS if b != bug), which=which)


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="^bug must be one of"):
        ex.buggy_cosine("typo")
    with pytest.raises(ValueError, match="^which must be one of"):
        ex.mystery_cosine("Z")
    with pytest.raises(ValueError, match="^b must"):
        ex.check_cosine(0.5, a=(1.0, 2.0), b=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="^a must be a non-zero vector"):
        ex.check_cosine(0.5, a=(0.0, 0.0), b=(1.0, 2.0))
    with pytest.raises(ValueError, match="^curves must not be empty"):
        ex.plot_cosines()
    with pytest.raises(ValueError, match="^labels must have 2 entries"):
        ex.plot_cosines(ex.rotation().cosine, ex.rotation().cosine, labels=["x"])


def test_plot_draws_one_line_per_curve():
    import matplotlib
    matplotlib.use("Agg")
    fig = ex.plot_cosines(ex.rotation().cosine, ex.mystery_cosine("A"), labels=["correct", "A"])
    assert len(fig.axes[0].get_lines()) == 5            # two curves, the zero line and ±1
