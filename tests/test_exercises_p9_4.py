"""Exercises of P9.4: the checks accept the right answers and refuse wrong ones; the bugs show."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vizkit.exercises import p9_4 as ex
from vizkit.serving import RadixCache


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 12), p=st.integers(0, 100), u=st.integers(1, 40), b=st.integers(1, 32))
def test_prefill_closed_form_matches_a_real_radix_cache(n, p, u, b):
    """Brute force: block keys through RadixCache, one prompt after another, nothing evicted."""
    cache = RadixCache(10_000)
    computed = 0
    for r in range(n):
        keys = [("shared", j) for j in range(p // b)] + [("own", r, j) for j in range((p + u) // b - p // b)]
        hit = cache.match(keys)[0]
        computed += (p + u) - hit * b
        cache.insert(keys, keys)
    assert ex.prefill_tokens_with_cache(n, p, u, b) == computed


def test_hand_derived_prefill_value():
    # 10 × 1050 computed without a cache; 9 later requests skip 62 whole blocks of 16
    assert ex.prefill_tokens_with_cache(10, 1000, 50, 16) == 10 * 1050 - 9 * 62 * 16 == 1572


def test_checks_accept_right_and_refuse_wrong(capsys):
    assert ex.check_prefill_tokens(1572) and not ex.check_prefill_tokens(1500)
    hit = 100 * ex.engine_run(True)[0].prefix_hit_frac
    assert ex.check_hit_rate(hit) and not ex.check_hit_rate(50.0)
    assert ex.check_bug("mru", "A") and ex.check_bug("flush", "B")
    assert not ex.check_bug("no-answer", "A") and not ex.check_bug("mru", "B")
    with pytest.raises(ValueError):
        ex.check_bug("typo", "A")
    assert "hint" in capsys.readouterr().out


def test_engine_run_caching_cuts_ttft_and_hits_most_of_the_shared_prompt():
    off, ttft_off = ex.engine_run(False)
    on, ttft_on = ex.engine_run(True)
    assert off.prefix_hit_frac == 0 and ttft_on < ttft_off
    # at most the shared share of prompt tokens can hit
    assert 0.5 < on.prefix_hit_frac < ex.ENGINE_SETUP["share"]
    assert ex.engine_run(True, share=0.0)[0].prefix_hit_frac == 0


def test_bug_fingerprints():
    good, mru, flush, noans = (ex.cache_trace(b) for b in (None, "mru", "flush", "no-answer"))
    for t in (mru, flush, noans):
        assert t["hit_rate"][-1] < good["hit_rate"][-1]
    assert mru["idle_age"][-1] > 3 * good["idle_age"][-1]           # stale blocks pile up
    assert abs(mru["occupancy"].mean() - good["occupancy"].mean()) < 0.05
    assert flush["occupancy"].mean() < good["occupancy"].mean() - 0.2    # saw-tooth occupancy
    assert (np.diff(flush["occupancy"]) < -0.5).sum() >= 2
    assert np.array_equal(ex.mystery_trace("A")["idle_age"], mru["idle_age"])
    assert set(ex.MYSTERIES.values()) <= set(ex.BUGS)


def test_bad_arguments_name_the_parameter():
    with pytest.raises(ValueError, match="n_requests"):
        ex.prefill_tokens_with_cache(0, 10, 1)
    with pytest.raises(ValueError, match="unique_tokens"):
        ex.prefill_tokens_with_cache(2, 10, 0)
    with pytest.raises(ValueError, match="block_size"):
        ex.prefill_tokens_with_cache(2, 10, 1, 0)
    with pytest.raises(ValueError, match="bug"):
        ex.cache_trace("lru")
    with pytest.raises(ValueError, match="which"):
        ex.mystery_trace("C")
