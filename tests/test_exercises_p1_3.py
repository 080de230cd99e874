"""Exercises of P1.3: expected answers come from vizkit, and the break-it bugs leave distinct marks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p1_3 as ex


@settings(max_examples=50, deadline=None)
@given(st.floats(0.001, 0.999), st.integers(2, 12))
def test_pulls_match_the_closed_forms(p, v):
    pulls = ex.pull_on_correct(p, v)
    assert pulls["ce"] == pytest.approx(1 - p, rel=1e-6, abs=1e-9)
    # MSE on softmax, others sharing q = (1-p)/(V-1): dMSE/dz_c = 2 p [(p-1) - Σ_k p_k (p_k - y_k)]
    q = (1 - p) / (v - 1)
    inner = p * (p - 1) + (v - 1) * q * q
    assert pulls["mse"] == pytest.approx(abs(2 * p * ((p - 1) - inner)), rel=1e-6, abs=1e-12)


def test_ce_pulls_harder_when_confidently_wrong():
    assert ex.check_stronger_pull("ce")
    assert not ex.check_stronger_pull("mse")
    assert ex.pull_on_correct(0.001)["mse"] < 0.01
    with pytest.raises(ValueError, match="^answer"):
        ex.check_stronger_pull("hinge")
    with pytest.raises(ValueError, match="^p_correct"):
        ex.pull_on_correct(1.5)


def test_ce_grad_by_hand():
    e = math.exp(2.0)
    p0 = e / (e + 2)
    assert ex.check_ce_grad(p0 - 1)
    assert ex.check_ce_grad(1 / (e + 2), index=1)
    assert not ex.check_ce_grad(p0)                 # forgot the −1 of the target
    with pytest.raises(ValueError, match="^index"):
        ex.check_ce_grad(0.0, index=3)
    with pytest.raises(ValueError, match="^target"):
        ex.check_ce_grad(0.0, target=5)


def test_uniform_ce_is_log_v():
    assert ex.uniform_ce(50257) == pytest.approx(math.log(50257))
    assert ex.uniform_ce(8, "bits") == pytest.approx(3.0)
    assert ex.check_uniform_ce(10.82)
    assert not ex.check_uniform_ce(math.log2(50257))   # bits, not nats
    with pytest.raises(ValueError, match="^n_classes"):
        ex.uniform_ce(1)


def test_bugs_leave_distinct_fingerprints():
    good = ex.correct_run()
    assert good.p_correct[5] > 0.5 and good.p_correct[-1] > 0.95
    sign = ex.buggy_logit_descent("sign")
    assert (np.diff(sign.p_correct) <= 1e-15).all() and sign.p_correct[-1] < 1e-6
    no_log = ex.buggy_logit_descent("no_log")
    assert no_log.p_correct[-1] < 0.01 and (-no_log.grad[:, 0] < 0.01).all()
    no_soft = ex.buggy_logit_descent("no_soft")
    assert np.allclose(no_soft.logits[-1], [1.0, 0.0, 0.0]) and 0.4 < no_soft.p_correct[-1] < 0.7


def test_buggy_loop_reports_true_cross_entropy():
    t = ex.buggy_logit_descent("sign", n_steps=3)
    assert np.allclose(t.ce, -np.log(t.p_correct))


def test_mysteries_and_check_bug():
    for which, bug in ex.MYSTERIES.items():
        assert bug in ex.BUGS and ex.check_bug(bug, which=which)
        assert np.array_equal(ex.mystery_run(which).p_correct, ex.buggy_logit_descent(bug).p_correct)
    assert not ex.check_bug("no_soft", which="A")
    with pytest.raises(ValueError, match="^which"):
        ex.mystery_run("C")
    with pytest.raises(ValueError, match="^bug"):
        ex.buggy_logit_descent("typo")
    with pytest.raises(ValueError, match="^learning_rate"):
        ex.buggy_logit_descent("sign", learning_rate=0)


def test_plot_runs_draws_two_panels():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    assert len(ex.plot_runs(ex.correct_run(), ex.mystery_run("A")).axes) == 2
