"""RecurrenceWidget and sequence_trace: counts, the wire format, resimulation and bad input."""

from __future__ import annotations


import numpy as np
import pytest

from vizkit.nn.recurrence import sequence_trace
from vizkit.widgets.base import bundle_path
from vizkit.widgets.recurrence import LEAVES_OUT, RecurrenceWidget, sequence_scenario


@pytest.fixture
def w():
    return RecurrenceWidget()


def by_key(w, key):
    return next(s for s in w.scenarios if s["key"] == key)


def f32(s, name):
    return np.frombuffer(s[name], "<f4")


def test_rnn_state_follows_the_recurrence_by_hand():
    t = sequence_trace(5, 3, seed=2)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((5, 3))
    W_h = 0.9 / np.sqrt(3) * rng.standard_normal((3, 3))
    W_x = 1 / np.sqrt(3) * rng.standard_normal((3, 3))
    h = np.zeros(3)
    for s in range(5):
        h = np.tanh(W_h @ h + W_x @ x[s])
        assert np.allclose(t.rnn_hidden[s], h)
    A = t.attention_weights
    assert np.allclose(A.sum(axis=1), 1) and np.allclose(np.triu(A, 1), 0)


def test_the_bundle_exists_and_is_the_widgets_esm(w):
    assert w.get_state()["_esm"] == bundle_path("recurrence").read_text()
    assert w.description == LEAVES_OUT


def test_scenarios_on_the_wire(w):
    assert [s["key"] for s in w.scenarios] == ["t8", "t16", "t32", "t64", "custom"]
    for s in w.scenarios:
        T, d = s["seq_len"], s["d_model"]
        assert s["sequential_steps"] == T and s["parallel_steps"] == 1
        assert s["attention_scores"] == T * T and s["causal_pairs"] == T * (T + 1) // 2
        assert f32(s, "hidden").size == T * d and f32(s, "attention").size == T * T
    s = by_key(w, "t32")
    t = w.trace("t32")
    assert np.allclose(f32(s, "influence"), t.rnn_influence, rtol=1e-5, atol=1e-30)
    inf = f32(s, "influence")
    assert inf[-1] > 1e3 * inf[0]


def test_n_frames_follows_the_scenario_and_resimulation(w):
    assert w.n_frames == 16
    w.seek(15)
    w.scenario = "t8"
    assert w.n_frames == 8 and w.frame == 7
    w.seq_len = 40
    assert w.scenario == "custom" and w.n_frames == 40 and w.error == ""
    for name, bad, good in (("seq_len", 65, 40), ("d_model", 0, 16), ("recurrent_gain", -1.0, 0.9), ("seed", -1, 0)):
        setattr(w, name, bad)
        assert w.error.startswith(name), w.error
        assert w.n_frames == 40
        setattr(w, name, good)
    assert w.error == ""
    w.scenario = "t1000"
    assert w.scenario == "custom" and w.error.startswith("scenario")


@pytest.mark.parametrize("kwargs, name", [
    (dict(seq_len=0), "seq_len"), (dict(seq_len=100), "seq_len"), (dict(d_model=65), "d_model"),
    (dict(recurrent_gain=0.0), "recurrent_gain"), (dict(seed=-1), "seed"), (dict(scenario="t5"), "scenario"),
    (dict(seq_len=2.5), "seq_len"), (dict(recurrent_gain="x"), "recurrent_gain"),
])
def test_bad_constructor_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        RecurrenceWidget(**kwargs)


def test_sequence_scenario_rejects_bad_input():
    with pytest.raises(ValueError, match="^seq_len"):
        sequence_scenario("k", "k", 65, 4, 0.9, 0)
    with pytest.raises(ValueError, match="^recurrent_gain"):
        sequence_scenario("k", "k", 4, 4, 0.0, 0)
