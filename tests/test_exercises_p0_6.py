"""Exercises of P0.6: answers checked against hand-derived values."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p0_6 as ex


def test_hand_values(capsys):
    assert ex.check_entropy(1.5)          # ½·1 + ¼·2 + ¼·2
    assert not ex.check_entropy(1.0)
    assert ex.check_kl(0.25)              # ½·log₂2 + ¼·log₂½ + 0
    assert not ex.check_kl(0.0)
    assert ex.check_uniform_loss(math.log(32000))
    assert not ex.check_uniform_loss(math.log2(32000))
    assert "✗" in capsys.readouterr().out


def test_mysteries_fingerprints():
    a = ex.mystery("A")
    b = ex.mystery("B")
    assert np.allclose(a.sum(axis=1), 1.0)
    assert np.all(np.diff(a.max(axis=1)) > 0)          # sharper as T rises: the times_T fingerprint
    assert np.allclose(b.max(axis=1), 1.0) and np.all(b.sum(axis=1) > 1)
    assert ex.check_bug("A", "times_T") and ex.check_bug("B", "no_normalize")
    assert not ex.check_bug("B", "times_T")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=2, max_size=6), st.floats(0.1, 10))
def test_buggy_softmax_invariants(z, T):
    z = np.array(z)
    good = np.exp(z / T - np.max(z / T))
    good /= good.sum()
    nn = ex.buggy_softmax(z, T, "no_normalize")
    assert np.allclose(nn / nn.sum(), good)
    tt = ex.buggy_softmax(z, 1.0 / T, "times_T")
    assert np.allclose(tt, good)


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="bug"):
        ex.buggy_softmax([1.0, 2.0], 1.0, "typo")
    with pytest.raises(ValueError, match="temperature"):
        ex.buggy_softmax([1.0, 2.0], 0.0, "times_T")
    with pytest.raises(ValueError, match="name"):
        ex.mystery("Z")
