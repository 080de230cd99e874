"""Exercises of P1.5: answers from vizkit, a faithful training loop, and distinct bug fingerprints."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p1_5 as ex
from vizkit.nn.training import SCENARIOS, train_trace


@pytest.fixture(scope="module")
def runs():
    return {"correct": ex.correct_run(), **{w: ex.mystery_run(w) for w in ex.MYSTERIES}}


def test_bug_free_loop_reproduces_train_trace_exactly():
    for kw in ({}, {"weight_decay": 0.5, "batch_size": 8, "n_steps": 40}):
        a = ex.buggy_train_trace(None, **{**kw, "n_steps": kw.get("n_steps", 60)})
        b = train_trace(**{**kw, "n_steps": kw.get("n_steps", 60)}, grid_points=2)
        for name in ("train_loss", "val_loss", "batch_loss", "weight_norm", "train_acc", "val_acc"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


def test_val_is_train_has_zero_gap(runs):
    t, good = runs["B"], runs["correct"]
    assert ex.MYSTERIES["B"] == "val_is_train"
    np.testing.assert_array_equal(t.val_loss, t.train_loss)
    np.testing.assert_array_equal(t.train_loss, good.train_loss)       # training itself is untouched
    assert good.gap[-1] > 0.3


def test_stale_batch_fits_its_batch_but_not_the_training_set(runs):
    t, good = runs["A"], runs["correct"]
    assert ex.MYSTERIES["A"] == "stale_batch"
    assert np.nanmean(t.batch_loss[-20:]) < 0.01
    assert t.train_loss[-1] > 3 * good.train_loss[-1]
    assert t.train_loss[-1] > 50 * np.nanmean(t.batch_loss[-20:])


def test_decay_sign_grows_the_weights_and_widens_the_gap(runs):
    t, good = runs["C"], runs["correct"]
    assert ex.MYSTERIES["C"] == "decay_sign"
    assert t.weight_norm[-1] > 2 * t.weight_norm[0]
    assert good.weight_norm[-1] < good.weight_norm[0]
    no_decay = train_trace(**SCENARIOS["overfit"], grid_points=2)
    assert t.gap[-1] > no_decay.gap[-1] > good.gap[-1]


def test_check_bug_accepts_only_the_planted_bug():
    for which, bug in ex.MYSTERIES.items():
        assert ex.check_bug(bug, which=which)
        assert not any(ex.check_bug(b, which=which) for b in ex.BUGS if b != bug)


def test_weight_decay_raises_train_loss_and_lowers_validation_loss():
    a, b = ex.final_losses("overfit"), ex.final_losses("overfit_decay")
    assert b["train"] > a["train"] and b["val"] < a["val"] and b["gap"] < a["gap"]
    assert ex.check_decay_effect("higher", which="train")
    assert ex.check_decay_effect("lower", which="val")
    assert not ex.check_decay_effect("lower", which="train")


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 500), st.integers(1, 50), st.integers(50, 500))
def test_epochs_is_examples_seen_over_training_set(T, B, n):
    assert ex.epochs_after(T, B, n) == pytest.approx(T * B / n)


def test_epochs_match_the_trace():
    t = train_trace(batch_size=4, n_steps=200, grid_points=2)
    assert ex.epochs_after(200, 4, len(t.y_train)) == pytest.approx(t.epoch[-1])
    assert ex.check_epochs(200 * 4 / 140)
    assert not ex.check_epochs(200 / 140)


def test_best_step_is_the_argmin_of_validation_loss():
    t = train_trace(**SCENARIOS["overfit"], grid_points=2)
    s = ex.best_step("overfit")
    assert t.val_loss[s] == np.nanmin(t.val_loss)
    assert t.val_loss[-1] > t.val_loss[s] + 0.5          # it climbs afterwards: overfitting
    assert ex.check_best_step(s)
    assert not ex.check_best_step(t.n_frames - 1)


def test_plot_runs_draws(runs):
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    fig = ex.plot_runs(runs["correct"], runs["A"])
    assert len(fig.axes) == 3


@pytest.mark.parametrize("call, name", [
    (lambda: ex.buggy_train_trace("nope"), "bug"),
    (lambda: ex.buggy_train_trace(None, learning_rate=0), "learning_rate"),
    (lambda: ex.buggy_train_trace(None, weight_decay=-1), "weight_decay"),
    (lambda: ex.buggy_train_trace(None, batch_size=1000), "batch_size"),
    (lambda: ex.epochs_after(10, 200, 100), "batch_size"),
    (lambda: ex.epochs_after(0, 2, 100), "n_steps"),
    (lambda: ex.mystery_run("Z"), "which"),
    (lambda: ex.final_losses("nope"), "scenario"),
    (lambda: ex.check_decay_effect("maybe"), "answer"),
    (lambda: ex.check_decay_effect("higher", which="test"), "which"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        call()
