"""Exercises of P1.1: expected answers come from vizkit, and the break-it bugs leave distinct marks."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p1_1 as ex
from vizkit.nn.datasets import make_dataset
from vizkit.nn.perceptron import perceptron_trace


def test_fate_separable_converges_xor_never_settles():
    assert ex.fate("separable") == "converges"
    assert ex.fate("xor") == "never settles"
    assert ex.fate("xor", max_epochs=200) == "never settles"


def test_no_line_separates_the_four_xor_corners():
    # brute force: every line through a fine grid of angles and offsets gets at most 3 of 4 corners right
    corners = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]], float)
    s = np.array([-1, -1, 1, 1], float)
    best = 0
    for phi, b in itertools.product(np.linspace(0, 2 * np.pi, 181), np.linspace(-2, 2, 81)):
        w = np.array([np.cos(phi), np.sin(phi)])
        best = max(best, int((s * (corners @ w + b) > 0).sum()))
    assert best == 3
    t = perceptron_trace("xor", 1.0, 20)
    assert t.accuracy.max() <= 0.75 + 1e-12


def test_check_xor_fate(capsys):
    assert ex.check_xor_fate("never settles")
    assert ex.check_xor_fate(" Never Settles")
    assert not ex.check_xor_fate("converges")
    assert "hint" in capsys.readouterr().out
    with pytest.raises(ValueError, match="^answer"):
        ex.check_xor_fate("explodes")
    with pytest.raises(ValueError, match="^max_epochs"):
        ex.check_xor_fate("converges", max_epochs=0)


def test_perceptron_step_by_hand():
    # score before: 0.5*1 - 1*2 + 0.2 = -1.3 <= 0 for class 1: a mistake
    w, b = ex.perceptron_step([0.5, -1.0], 0.2, [1.0, 2.0], 1, 0.5)
    assert np.allclose(w, [1.0, 0.0]) and b == pytest.approx(0.7)
    # a correct point changes nothing
    w2, b2 = ex.perceptron_step([1.0, 0.0], 0.7, [1.0, 2.0], 1, 0.5)
    assert np.allclose(w2, [1.0, 0.0]) and b2 == pytest.approx(0.7)
    # class 0 on the positive side moves the other way
    w3, b3 = ex.perceptron_step([1.0, 1.0], 0.0, [1.0, 1.0], 0, 1.0)
    assert np.allclose(w3, [0.0, 0.0]) and b3 == -1.0
    # a score of exactly 0 counts as a mistake
    w4, _ = ex.perceptron_step([0.0, 0.0], 0.0, [2.0, 3.0], 0)
    assert np.allclose(w4, [-2.0, -3.0])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=5, max_size=5), st.integers(0, 1), st.floats(0.01, 3))
def test_a_mistake_always_moves_the_score_towards_the_right_side(v, label, lr):
    w, b, x = np.array(v[:2]), v[2], np.array(v[3:])
    s = 1 if label == 1 else -1
    before = s * (w @ x + b)
    w1, b1 = ex.perceptron_step(w, b, x, label, lr)
    after = s * (w1 @ x + b1)
    if before <= 0:
        assert after == pytest.approx(before + lr * (x @ x + 1))
    else:
        assert after == before


def test_check_update():
    assert ex.check_update(1.7)
    assert not ex.check_update(-1.3)            # the score before the update
    assert ex.check_update(-1.0, w=(1.0, 1.0), b=0.0, x=(1.0, 1.0), label=0, learning_rate=1.0)


@pytest.mark.parametrize("kwargs, name", [
    (dict(w=[1.0]), "^w"), (dict(x=[1.0, np.nan]), "^x"), (dict(label=2), "^label"),
    (dict(learning_rate=0.0), "^learning_rate"), (dict(b=float("inf")), "^b"),
])
def test_perceptron_step_rejects_bad_input(kwargs, name):
    args = dict(w=[0.0, 0.0], b=0.0, x=[1.0, 1.0], label=1, learning_rate=1.0) | kwargs
    with pytest.raises(ValueError, match=name):
        ex.perceptron_step(**args)


@pytest.mark.parametrize("bug", list(ex.BUGS))
def test_every_buggy_visit_follows_its_stated_rule(bug):
    t = ex.buggy_perceptron_trace(bug)
    s = 2.0 * t.y - 1.0
    for f in range(1, len(t)):
        i = t.example[f]
        score = s[i] * (t.w[f - 1] @ t.x[i] + t.b[f - 1])
        wrong = score < 0 if bug == "strict" else score <= 0
        assert t.mistake[f] == int(wrong)
        sign = -1.0 if bug == "sign" else 1.0
        dw = sign * s[i] * t.x[i] if wrong else np.zeros(2)
        db = sign * s[i] if wrong and bug != "no_bias" else 0.0
        assert np.allclose(t.w[f] - t.w[f - 1], dw) and t.b[f] - t.b[f - 1] == pytest.approx(db)


def test_bugs_leave_distinct_fingerprints():
    good = ex.correct_trace()
    assert good.converged_epoch > 0 and good.accuracy[-1] == 1.0
    sign = ex.buggy_perceptron_trace("sign")
    assert sign.converged_epoch == -1 and sign.accuracy[-1] < 0.25
    assert sign.mistake[1:].mean() > 0.8
    nob = ex.buggy_perceptron_trace("no_bias")
    assert (nob.b == 0).all() and nob.converged_epoch == -1 and nob.accuracy[-1] < 1.0
    strict = ex.buggy_perceptron_trace("strict")
    assert strict.n_mistakes[-1] == 0 and (strict.w == 0).all() and strict.accuracy.max() == 0.0


def test_mysteries_and_check_bug():
    for which, bug in ex.MYSTERIES.items():
        assert bug in ex.BUGS
        assert ex.check_bug(bug, which=which)
        assert np.array_equal(ex.mystery_trace(which).w, ex.buggy_perceptron_trace(bug).w)
    assert not ex.check_bug("strict", which="A")
    with pytest.raises(ValueError, match="^which"):
        ex.mystery_trace("C")
    with pytest.raises(ValueError, match="^bug"):
        ex.buggy_perceptron_trace("typo")
    with pytest.raises(ValueError, match="^data"):
        ex.buggy_perceptron_trace("sign", data="xor")


def test_plot_runs_draws_three_panels():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    fig = ex.plot_runs(ex.correct_trace(), ex.mystery_trace("B"))
    assert len(fig.axes) == 3
