"""PagedAttention's block manager and the contiguous baseline: invariants under random use."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from vizkit.serving import ContiguousBlocks, PagedBlocks

N_BLOCKS, BS, SLOTS, MAXB = 24, 4, 6, 8


class PagedMachine(RuleBasedStateMachine):
    """Random allocate / append / fork / release / hold; a plain-Python model alongside."""

    def __init__(self) -> None:
        super().__init__()
        self.m = PagedBlocks(N_BLOCKS, BS, SLOTS, MAXB)
        self.tokens: dict[int, int] = {}          # slot -> tokens, the model's view
        self.held: list[int] = []

    def free_slots(self):
        return [s for s in range(SLOTS) if s not in self.tokens]

    @precondition(lambda self: len(self.tokens) < SLOTS)
    @rule(n=st.integers(0, 14), data=st.data())
    def allocate(self, n, data):
        slot = data.draw(st.sampled_from(self.free_slots()))
        if self.m.blocks_for(n) > self.m.n_free:
            with pytest.raises(ValueError, match="n_tokens"):
                self.m.allocate(slot, n)
            return
        self.m.allocate(slot, n)
        self.tokens[slot] = n

    @precondition(lambda self: bool(self.tokens))
    @rule(n=st.integers(1, 6), data=st.data())
    def append(self, n, data):
        slots = data.draw(st.lists(st.sampled_from(sorted(self.tokens)), min_size=1, unique=True))
        arr = np.array(slots)
        if any(self.tokens[s] + n > MAXB * BS for s in slots):
            return
        if self.m.blocks_needed(arr, n) > self.m.n_free:
            return
        before = {s: self.m.seq_blocks(s) for s in slots}
        self.m.append(arr, n)
        for s in slots:
            self.tokens[s] += n
            # the blocks a sequence already had keep their place, bar a copied last one
            kept = self.m.seq_blocks(s)[:len(before[s])]
            assert (kept[:-1] == before[s][:-1]).all()

    @precondition(lambda self: bool(self.tokens) and len(self.tokens) < SLOTS)
    @rule(data=st.data())
    def fork(self, data):
        parent = data.draw(st.sampled_from(sorted(self.tokens)))
        child = data.draw(st.sampled_from(self.free_slots()))
        self.m.fork(parent, child)
        self.tokens[child] = self.tokens[parent]
        assert (self.m.seq_blocks(child) == self.m.seq_blocks(parent)).all()

    @precondition(lambda self: bool(self.tokens))
    @rule(data=st.data())
    def release(self, data):
        slots = data.draw(st.lists(st.sampled_from(sorted(self.tokens)), min_size=1, unique=True))
        self.m.release(np.array(slots))
        for s in slots:
            del self.tokens[s]

    @precondition(lambda self: bool(self.tokens))
    @rule(data=st.data())
    def hold_a_block(self, data):
        s = data.draw(st.sampled_from(sorted(self.tokens)))
        blocks = self.m.seq_blocks(s)
        if blocks.size:
            b = int(blocks[0])
            self.m.hold([b])
            self.held.append(b)

    @precondition(lambda self: bool(self.held))
    @rule()
    def unhold_a_block(self):
        self.m.unhold([self.held.pop()])

    @invariant()
    def audited(self):
        self.m.audit()                      # counts match tables, no block twice, none leaked
        for s, n in self.tokens.items():
            assert self.m.n_seq_tokens[s] == n
            assert self.m.n_seq_blocks[s] == -(-n // BS)

    @invariant()
    def no_block_owned_twice_without_a_count(self):
        owners: dict[int, int] = {}
        for s in self.tokens:
            for b in self.m.seq_blocks(s).tolist():
                owners[b] = owners.get(b, 0) + 1
        for b, k in owners.items():
            assert self.m.refcount[b] >= k

    def teardown(self):
        if self.tokens:
            self.m.release(np.array(sorted(self.tokens)))
        if self.held:
            self.m.unhold(self.held)
        assert (self.m.refcount == 0).all(), "reference counts must return to zero"
        assert self.m.n_free == N_BLOCKS, "every block must be back on the free list"
        self.m.audit()


TestPagedMachine = PagedMachine.TestCase
TestPagedMachine.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)


def test_fork_then_write_copies_only_the_shared_partial_block():
    m = PagedBlocks(16, 4, 4, 8)
    m.allocate(0, 6)                      # blocks [0, 1], the second half full
    m.fork(0, 1)
    assert m.refcount[:2].tolist() == [2, 2]
    m.append(np.array([1]), 1)            # the child writes: its last block is copied
    assert m.n_cow_copies == 1
    assert m.seq_blocks(1)[0] == m.seq_blocks(0)[0]        # full block still shared
    assert m.seq_blocks(1)[1] != m.seq_blocks(0)[1]
    m.append(np.array([0]), 1)            # the parent now owns its block alone: no copy
    assert m.n_cow_copies == 1
    m.release(np.array([0, 1]))
    assert m.n_free == 16 and (m.refcount == 0).all()


def test_prefix_sharing_starts_a_sequence_on_someone_elses_blocks():
    m = PagedBlocks(16, 4, 4, 8)
    m.allocate(0, 9)
    prefix = m.seq_blocks(0)[:2]
    m.allocate(1, 10, shared_blocks=prefix)
    assert (m.seq_blocks(1)[:2] == prefix).all() and m.used_blocks == 3 + 1
    m.release(np.array([0]))
    assert m.used_blocks == 3             # the shared prefix lives on with sequence 1
    m.release(np.array([1]))
    assert m.used_blocks == 0


@settings(max_examples=60, deadline=None)
@given(tokens=st.lists(st.integers(0, 40), min_size=1, max_size=6),
       steps=st.lists(st.integers(0, 12), min_size=1, max_size=6))
def test_append_steps_equals_appending_one_step_at_a_time(tokens, steps):
    steps = (steps * 6)[:len(tokens)]
    a, b = (PagedBlocks(200, 4, 8, 32) for _ in range(2))
    for s, n in enumerate(tokens):
        a.allocate(s, n)
        b.allocate(s, n)
    slots = np.arange(len(tokens))
    a.append_steps(slots, np.array(steps))
    for j in range(max(steps)):
        going = slots[np.array(steps) > j]
        b.append(going, 1)
    np.testing.assert_array_equal(a.table, b.table)
    np.testing.assert_array_equal(a.refcount, b.refcount)
    a.audit()


def test_bad_arguments_name_the_parameter():
    with pytest.raises(ValueError, match="block_size"):
        PagedBlocks(8, 0, 2, 2)
    with pytest.raises(ValueError, match="n_blocks"):
        PagedBlocks(0, 16, 2, 2)
    m = PagedBlocks(2, 4, 2, 4)
    with pytest.raises(ValueError, match="n_tokens: needs 3 free KV blocks"):
        m.allocate(0, 9)
    m.allocate(0, 1)
    with pytest.raises(ValueError, match="slot must name an empty slot"):
        m.allocate(0, 1)
    with pytest.raises(ValueError, match="parent must name a live sequence"):
        m.fork(1, 0)


# -- contiguous reservations ----------------------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(ops=st.lists(st.tuples(st.booleans(), st.integers(1, 30)), max_size=40))
def test_contiguous_extents_never_overlap(ops):
    c = ContiguousBlocks(100, 8, max_len_tokens=30, reserve="oracle")
    live = []
    for alloc, n in ops:
        free = [s for s in range(8) if s not in live]
        if alloc and free and c.can_allocate(n):
            c.allocate(free[0], n, n_tokens=min(n, 3))
            live.append(free[0])
        elif live:
            c.release(np.array([live.pop(0)]))
        c.audit()
        assert c.reserved_tokens + c.free_tokens == 100
    c.release(np.array(live, dtype=np.int64))
    assert c.free_tokens == 100 and c.external_fragmentation == 0.0


def test_contiguous_reservation_rules_match_the_vllm_paper():
    c = ContiguousBlocks(10_000, 4, max_len_tokens=2048, reserve="max")
    assert c.reservation(100, 300) == 2048
    c = ContiguousBlocks(10_000, 4, max_len_tokens=2048, reserve="pow2")
    assert c.reservation(100, 300) == 512 and c.reservation(100, 3000) == 2048
    c = ContiguousBlocks(10_000, 4, max_len_tokens=2048, reserve="oracle")
    assert c.reservation(100, 300) == 300


def test_external_fragmentation_is_free_memory_in_holes_too_small():
    c = ContiguousBlocks(40, 4, max_len_tokens=40, reserve="oracle")
    for s in range(4):
        c.allocate(s, 10, 1)
    c.release(np.array([0, 2]))           # two 10-token holes, not adjacent
    assert c.free_tokens == 20 and not c.can_allocate(20)
    assert c.external_fragmentation == pytest.approx(0.5)
