"""Exercises of P9.2: the checks accept the right answers and refuse wrong ones; the bugs show."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p9_2 as ex
from vizkit.serving import EngineConfig, SLO, cost_model, replay_workload, simulate


def test_static_waste_by_hand():
    # 4 slots x 100 steps = 400 slots; 10 + 20 + 30 + 100 = 160 do work
    assert ex.static_waste([10, 20, 30, 100]) == pytest.approx(0.6)
    assert ex.static_waste([7, 7, 7]) == 0.0
    assert ex.static_waste([5]) == 0.0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 40), min_size=1, max_size=6))
def test_static_waste_matches_the_engines_padding(lengths):
    # one static batch, every request arriving at once with the same prompt: the engine's
    # padded decode slots are exactly the closed form's padding
    w = replay_workload([(0.0, 16, L) for L in lengths])
    t = simulate(w, cost_model("llama-3-8b", "h100-sxm"), EngineConfig(policy="static"))
    decode = t.n_prefill_tokens == 0
    pad = int(t.n_pad_tokens[decode].sum())
    slots = len(lengths) * max(lengths)
    assert pad == slots - sum(lengths)
    assert pad / slots == pytest.approx(ex.static_waste(lengths))


def test_checks_accept_right_and_refuse_wrong(capsys):
    assert ex.check_static_waste(60) and not ex.check_static_waste(40)
    r = ex.throughput_ratio()
    assert ex.check_throughput_ratio(r) and not ex.check_throughput_ratio(1.0)
    assert ex.check_bug("no-backfill", "A") and ex.check_bug("leak", "B")
    assert not ex.check_bug("lifo", "A") and not ex.check_bug("lifo", "B")
    with pytest.raises(ValueError, match="answer"):
        ex.check_bug("typo", "A")
    assert "hint" in capsys.readouterr().out


def test_continuous_beats_static_on_the_default_scenario():
    assert ex.throughput_ratio() > 2.0
    # equal lengths: nothing to pad, the two policies come close
    assert ex.throughput_ratio(length_spread=0.0) < 1.3


def test_bug_fingerprints():
    good = ex.slot_trace()
    assert good["finished"][-1] == 40 and good["busy"].max() == 8
    nb = ex.slot_trace("no-backfill")
    assert nb["finished"][-1] == 40 and len(nb["busy"]) > 1.3 * len(good["busy"])
    assert np.mean(nb["busy"]) < np.mean(good["busy"])
    leak = ex.slot_trace("leak")
    assert leak["finished"][-1] < 40 and leak["busy"][-1] == 0 and len(leak["busy"]) == 400
    assert (np.diff(leak["busy"][16:]) <= 0).all()            # once full, it only sinks
    lifo = ex.slot_trace("lifo")
    assert lifo["finished"][-1] == 40 and lifo["busy"].max() == 8
    assert abs(len(lifo["busy"]) - len(good["busy"])) < 0.1 * len(good["busy"])
    # every correct step: busy slots = min(slots, requests in the system)
    in_system = np.minimum(np.arange(len(good["busy"])) // 2 + 1, 40) - np.concatenate(([0], good["finished"][:-1]))
    assert (good["busy"][: len(in_system)] <= np.minimum(8, in_system)).all()
    assert ex.mystery_trace("B")["busy"][-1] == 0


@pytest.mark.parametrize("call, name", [
    (lambda: ex.static_waste([]), "output_tokens"),
    (lambda: ex.static_waste([3, 0]), "output_tokens\\[1\\]"),
    (lambda: ex.slot_trace("typo"), "bug"),
    (lambda: ex.slot_trace(n_slots=0), "n_slots"),
    (lambda: ex.slot_trace(every=0), "every"),
    (lambda: ex.mystery_trace("C"), "which"),
    (lambda: ex.check_bug("leak", "C"), "which"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_impossible_serving_configurations_are_refused_by_name():
    cm = cost_model("llama-3-8b", "h100-sxm")
    w = replay_workload([(0.0, 100, 10)])
    with pytest.raises(ValueError, match="max_num_seqs"):          # a batch of zero slots
        EngineConfig(max_num_seqs=0)
    with pytest.raises(ValueError, match="block_size"):            # zero-token blocks
        EngineConfig(block_size=0)
    with pytest.raises(ValueError, match="block_size"):            # not one block fits
        cm.n_blocks(10 ** 6)
    huge = replay_workload([(0.0, 600_000, 10)])                    # KV cache larger than the GPU
    with pytest.raises(ValueError, match="max_len_tokens"):
        simulate(huge, cm, EngineConfig(max_len_tokens=1 << 20))
    with pytest.raises(ValueError, match="model"):                 # weights larger than the GPU
        cost_model("llama-3-70b", "h100-sxm")
    with pytest.raises(ValueError, match="ttft_s"):                # an SLO of zero
        SLO(ttft_s=0.0, tpot_s=0.05)
    assert simulate(w, cm).n_requests == 1
