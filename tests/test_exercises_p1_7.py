"""Exercises of P1.7: expected answers come from vizkit's counts, and the break-it bugs leave distinct marks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p1_7 as ex


def test_early_tokens_fade():
    assert ex.weakest_position(32) == "first"
    assert ex.check_weakest("first")
    assert not ex.check_weakest("last")
    with pytest.raises(ValueError, match="^answer"):
        ex.check_weakest("end")


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 300))
def test_counts_match_closed_forms(T):
    assert ex.sequential_steps(T) == T
    assert ex.sequential_steps(T, "attention") == 1
    assert ex.causal_pairs(T) == T * (T + 1) // 2


def test_checks_and_bad_input():
    assert ex.check_sequential_steps(2048)
    assert ex.check_sequential_steps(1, seq_len=2048, model="attention")
    assert not ex.check_sequential_steps(1)
    assert ex.check_causal_pairs(1024 * 1025 // 2)
    assert not ex.check_causal_pairs(1024 ** 2)                 # forgot the mask
    with pytest.raises(ValueError, match="^model"):
        ex.sequential_steps(8, "cnn")
    with pytest.raises(ValueError, match="^seq_len"):
        ex.causal_pairs(0)


def test_bugs_leave_distinct_fingerprints():
    good = ex.correct_influence()
    assert good[-1] > 1e4 * good[0]                             # fades with distance
    rev = ex.buggy_influence("reversed")
    assert rev[0] > 1e4 * rev[-1]                               # mirror image
    nr = ex.buggy_influence("no_recurrence")
    assert np.all(nr[:-1] == 0) and nr[-1] > 0                  # only the last token counts
    big = ex.buggy_influence("big_gain")
    assert big[0] > 0.1 * big[-1]                               # does not fade
    assert np.array_equal(ex.mystery_influence("B"), nr)


def test_check_bug():
    assert ex.check_bug("reversed", which="A")
    assert ex.check_bug("no_recurrence", which="B")
    assert not ex.check_bug("big_gain", which="A")
    with pytest.raises(ValueError, match="^answer"):
        ex.check_bug("typo")
    with pytest.raises(ValueError, match="^which"):
        ex.mystery_influence("C")
    with pytest.raises(ValueError, match="^bug"):
        ex.buggy_influence("lstm")
