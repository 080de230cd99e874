"""Exercises of P9.3: the checks accept the right answers and refuse wrong ones; the bugs show."""

from __future__ import annotations

import numpy as np
import pytest

from vizkit.exercises import p9_3 as ex
from vizkit.serving import PagedBlocks


def test_blocks_and_wasted_slots_match_a_brute_force_count():
    for n in (1, 15, 16, 17, 1000):
        for B in (1, 4, 16, 32):
            m = PagedBlocks(n_blocks=2000, block_size=B, max_seqs=1, max_blocks_per_seq=2000)
            m.allocate(0, n)
            assert ex.blocks_needed(n, B) == m.used_blocks
            assert 0 <= ex.wasted_slots(n, B) < B


def test_checks_accept_right_and_refuse_wrong(capsys):
    assert ex.check_blocks_needed(63) and not ex.check_blocks_needed(62)
    assert ex.check_wasted_slots(8) and not ex.check_wasted_slots(0)
    waste = 100 * (1 - ex.contiguous_utilization())
    assert ex.check_contiguous_waste(waste) and not ex.check_contiguous_waste(20.0)
    assert ex.check_bug("eager-copy", "A") and ex.check_bug("leak", "B")
    assert not ex.check_bug("skip-copy", "A") and not ex.check_bug("skip-copy", "B")
    with pytest.raises(ValueError):
        ex.check_bug("typo", "A")
    assert "hint" in capsys.readouterr().out


def test_contiguous_utilisation_lands_in_the_papers_range():
    lo, hi = ex.PAPER_UTILIZATION
    assert lo <= ex.contiguous_utilization() <= hi


def test_bug_fingerprints_on_free_blocks():
    good = ex.free_blocks_trace()
    leak = ex.free_blocks_trace("leak")
    eager = ex.free_blocks_trace("eager-copy")
    skip = ex.free_blocks_trace("skip-copy")
    full = good[-1]
    assert full == 160 and eager[-1] == full and leak[-1] < full
    assert eager.min() < good.min() and (eager <= good).all()
    assert (skip >= good).all() and (skip > good).any()
    assert (np.diff(leak[-15:]) == 0).all()                   # idle at the end, and still short


def test_mysteries_name_known_bugs():
    assert set(ex.MYSTERIES.values()) <= set(ex.BUGS)
    assert np.array_equal(ex.mystery_trace("B"), ex.free_blocks_trace("leak"))
