"""The radix-tree prefix cache against a brute-force model of what it should hold and evict."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from vizkit.serving import RadixCache

seqs = st.lists(st.integers(0, 3), min_size=1, max_size=7)


def _touch(times: dict, keys, n: int, t: int) -> None:
    """Brute-force LRU clock: every prefix of ``keys[:n]`` was used at ``t``."""
    for i in range(1, n + 1):
        times[tuple(keys[:i])] = t


def _lru_order(paths: set, times: dict, locked: list) -> list[tuple]:
    """Brute force: repeatedly drop the least recently used unlocked key nothing extends."""
    units = {p[:i] for p in paths for i in range(1, len(p) + 1)}
    order = []
    while units:
        leaves = [u for u in units if not any(v[:len(u)] == u and v != u for v in units)
                  and not any(p[:len(u)] == u for p in locked)]
        if not leaves:
            break
        oldest = min(leaves, key=lambda u: times[u])
        units.remove(oldest)
        order.append(oldest)
    return order


@settings(max_examples=300, deadline=None)
@given(capacity=st.integers(1, 12),
       ops=st.lists(st.tuples(st.sampled_from(["insert", "match", "evict", "lock", "unlock"]), seqs),
                    max_size=40))
# a parent left childless mid-eviction waits its turn behind older leaves
@example(capacity=12, ops=[("insert", [0, 1]), ("insert", [2]), ("match", [0]), ("evict", [2, 0])])
def test_capacity_holds_and_lru_evicts_the_least_recently_used_leaf(capacity, ops):
    c = RadixCache(capacity)
    times: dict[tuple, int] = {}
    handles: list = []                                       # (locked path, handle)
    for op, keys in ops:
        before = c.contents()
        if op == "insert":
            n_old = c.match(keys)[0]                        # what is already cached
            _touch(times, keys, n_old, c.clock)
            n_new, new_values, evicted = c.insert(keys, [("v", *keys[:i + 1]) for i in range(len(keys))])
            _touch(times, keys, n_old + n_new, c.clock)
            assert new_values == [("v", *keys[:i + 1]) for i in range(n_old, n_old + n_new)]
        elif op == "match":
            n, values, _ = c.match(keys)
            _touch(times, keys, n, c.clock)
            # the matched prefix is really cached, and its values are the ones inserted
            assert any(p[:n] == keys[:n] for p in before) or n == 0
            assert values == [("v", *keys[:i + 1]) for i in range(n)]
        elif op == "lock":
            n, _, h = c.match(keys, lock=True)
            _touch(times, keys, n, c.clock)
            if n:
                handles.append((tuple(keys[:n]), h))
            else:
                c.unlock(h)                                  # the root: nothing pinned
        elif op == "unlock":
            if handles:
                c.unlock(handles.pop(keys[0] % len(handles))[1])
        else:
            want = 1 if keys[0] < 2 else len(keys)           # one leaf, or up to 7 keys
            removed = c.evict(want)
            expect = _lru_order({tuple(p) for p in before}, times, [p for p, _ in handles])
            # whole leaves go, oldest first, until at least `want` keys are gone
            assert set(removed) == {("v", *u) for u in expect[:len(removed)]}
            assert len(removed) >= min(want, len(expect))
            assert not removed or len(removed) - want < max(len(p) for p in before)
        assert c.size <= c.capacity
        assert c.size == len({p[:i] for p in map(tuple, c.contents()) for i in range(1, len(p) + 1)})


def test_locked_paths_survive_eviction():
    c = RadixCache(4)
    c.insert([1, 2], "ab")
    _, _, handle = c.match([1, 2], lock=True)
    c.insert([3, 4], "cd")
    assert c.evict(4) == ["c", "d"]        # [1, 2] is pinned, so only [3, 4] can go
    c.unlock(handle)
    assert c.evict(4) == ["a", "b"] and c.size == 0


def test_insert_shares_a_prefix_and_match_splits_an_edge():
    c = RadixCache(100)
    c.insert([1, 2, 3, 4], "abcd")
    assert c.insert([1, 2, 3, 9], "abcz")[:2] == (1, ["z"])
    assert c.match([1, 2, 7])[:2] == (2, ["a", "b"])
    assert c.contents() == [[1, 2, 3, 4], [1, 2, 3, 9]]


def test_bad_arguments_name_the_parameter():
    with pytest.raises(ValueError, match="capacity"):
        RadixCache(0)
    with pytest.raises(ValueError, match="values"):
        RadixCache(4).insert([1, 2], ["a"])
    with pytest.raises(ValueError, match="n_keys"):
        RadixCache(4).evict(-1)
