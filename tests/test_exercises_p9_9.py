"""Exercises of P9.9: the checks accept the right answers and refuse wrong ones; the bugs show."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p9_9 as ex


def test_acceptance_rate_is_the_hand_sum_of_minima():
    # 0.20 + 0.25 + 0.15 + 0.05 + 0.05 + 0.04, summed by hand
    assert ex.acceptance_rate_of() == pytest.approx(0.74)


def test_checks_accept_right_and_refuse_wrong(capsys):
    # E(0.8, 8) = (1 - 0.8**9) / 0.2 by hand = 4.32891136
    assert ex.check_tokens_per_pass(4.3289) and not ex.check_tokens_per_pass(6.72)
    assert ex.check_acceptance_rate(0.74) and not ex.check_acceptance_rate(0.5)
    # (1 + .7 + .49 + .343) / 1.3
    assert ex.check_speedup(2.533 / 1.3) and not ex.check_speedup(2.533)
    assert not ex.check_optimal_k(4)
    assert ex.check_bug("resample-from-target", "A") and ex.check_bug("always-accept", "B")
    assert not ex.check_bug("no-bonus", "A") and not ex.check_bug("no-bonus", "B")
    with pytest.raises(ValueError):
        ex.check_bug("typo", "A")
    assert "hint" in capsys.readouterr().out


def test_optimal_k_by_brute_force_over_a_hand_written_speedup():
    def s(a, k, c):
        return sum(a ** i for i in range(k + 1)) / (k * c + 1)
    best = max(range(33), key=lambda k: s(0.8, k, 0.05))
    assert ex.check_optimal_k(best)


def test_correct_and_no_bonus_verifiers_reproduce_the_target():
    for bug in (None, "no-bonus"):
        f = ex.token_histogram(ex.verify_sample(bug, n=100_000, seed=1))
        assert np.abs(f - ex.P).max() < 0.006


def test_always_accept_reproduces_the_draft_and_resample_lies_between():
    a = ex.token_histogram(ex.verify_sample("always-accept", n=100_000, seed=2))
    assert np.abs(a - ex.Q).max() < 0.006
    r = ex.token_histogram(ex.verify_sample("resample-from-target", n=200_000, seed=3))
    # closed form of the buggy rule: min(p, q) + (1 - alpha) p
    expected = np.minimum(ex.P, ex.Q) + (1 - ex.acceptance_rate_of()) * ex.P
    assert np.abs(r - expected).max() < 0.006
    assert np.abs(r - ex.P).max() > 0.05


def test_exactness_by_enumeration_of_the_rule():
    # the emitted-token law, enumerated over (drafted x, replacement y) from the rule, equals p
    p, q = ex.P, ex.Q
    res = np.maximum(p - q, 0) / np.maximum(p - q, 0).sum()
    law = np.zeros_like(p)
    for x in range(len(p)):
        keep = min(1.0, p[x] / q[x])
        law[x] += q[x] * keep
        for y in range(len(p)):
            law[y] += q[x] * (1 - keep) * res[y]
    assert np.allclose(law, p)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(0.01, 1.0), min_size=2, max_size=6), st.integers(0, 1000))
def test_histogram_shares_sum_to_one(w, seed):
    toks = np.random.default_rng(seed).integers(0, len(w), size=50)
    f = ex.token_histogram(toks, n_tokens=len(w))
    assert f.sum() == pytest.approx(1.0) and (f >= 0).all()


@pytest.mark.parametrize("call, name", [
    (lambda: ex.verify_sample("typo"), "bug"),
    (lambda: ex.verify_sample(None, n=0), "n"),
    (lambda: ex.verify_sample(None, seed=-1), "seed"),
    (lambda: ex.verify_sample("always-accept", p=[0.5, 0.6], q=[0.5, 0.5]), "p"),
    (lambda: ex.token_histogram(np.array([], dtype=int)), "tokens"),
    (lambda: ex.token_histogram(np.array([0, 1]), n_tokens=0), "n_tokens"),
    (lambda: ex.mystery_histogram("C"), "which"),
    (lambda: ex.check_bug("leak", which="Z"), "which"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_plot_histogram_draws_bars_and_both_references():
    import matplotlib
    matplotlib.use("Agg")
    fig = ex.plot_histogram(ex.mystery_histogram("B"))
    ax = fig.axes[0]
    assert len(ax.patches) == len(ex.P) and len(ax.lines) == 2
