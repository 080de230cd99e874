r"""PagedAttention's block manager: KV memory in fixed-size blocks, like virtual memory.

The KV cache is cut into ``n_blocks`` physical blocks of ``block_size`` tokens.
Each sequence owns a **block table** (logical block :math:`j` -> physical block);
a sequence of :math:`n` tokens holds :math:`\lceil n/B \rceil` blocks, so it wastes
at most :math:`B - 1` token slots, all in its last block (Kwon et al. 2023, §4).

Blocks carry **reference counts**. :meth:`PagedBlocks.fork` gives a child the
parent's table and bumps every count (parallel sampling, beam search); the
first write into a shared, partly filled last block copies it
(**copy-on-write**). Shared full blocks can also start a new sequence
(:meth:`PagedBlocks.allocate` with ``shared_blocks``: prefix sharing), and a
prefix cache may :meth:`PagedBlocks.hold` blocks no sequence uses any more.
A block returns to the free list when its count reaches zero.

Sequences live in ``max_seqs`` slots; the caller picks the slot. Every batch
operation takes an array of slots so the engine's hot loop stays in numpy.

>>> m = PagedBlocks(n_blocks=8, block_size=4, max_seqs=4, max_blocks_per_seq=4)
>>> m.allocate(0, n_tokens=5)                  # 2 blocks: 4 + 1 tokens
>>> m.fork(0, 1)                               # the child shares both
>>> m.append(np.array([1]), 1)                 # writes into the shared half-full block
>>> int(m.n_cow_copies), m.used_blocks
(1, 3)
>>> m.release(np.array([0, 1])); m.used_blocks
0
"""

from __future__ import annotations

import numpy as np

from vizkit._validate import nonneg_int, positive_int

__all__ = ["PagedBlocks"]


class PagedBlocks:
    """Block tables, a free list and reference counts over ``n_blocks`` physical blocks."""

    def __init__(self, n_blocks: int, block_size: int, max_seqs: int,
                 max_blocks_per_seq: int) -> None:
        self.n_blocks = positive_int("n_blocks", n_blocks, maximum=1 << 26)
        self.block_size = positive_int("block_size", block_size, maximum=1 << 16)
        self.max_seqs = positive_int("max_seqs", max_seqs, maximum=1 << 20)
        self.max_blocks_per_seq = positive_int("max_blocks_per_seq", max_blocks_per_seq,
                                               maximum=1 << 22)
        self.refcount = np.zeros(self.n_blocks, dtype=np.int32)
        self.holds = np.zeros(self.n_blocks, dtype=np.int32)   # references not in a table
        # Free list as a stack, lowest ids on top so a fresh manager hands out 0, 1, 2, ...
        self._free = np.arange(self.n_blocks - 1, -1, -1, dtype=np.int32)
        self.n_free = self.n_blocks
        self.table = np.full((self.max_seqs, self.max_blocks_per_seq), -1, dtype=np.int32)
        self.n_seq_blocks = np.zeros(self.max_seqs, dtype=np.int64)
        self.n_seq_tokens = np.zeros(self.max_seqs, dtype=np.int64)
        self.live = np.zeros(self.max_seqs, dtype=bool)
        self.n_cow_copies = 0
        self._forked = False              # copy-on-write checks only after a fork
        self._held = False                # some block was held (shared with a cache)

    # -- counts --------------------------------------------------------------------------

    @property
    def used_blocks(self) -> int:
        """Physical blocks with a reference count above zero."""
        return self.n_blocks - self.n_free

    def blocks_for(self, n_tokens):
        r""":math:`\lceil n / B \rceil` (works on arrays)."""
        return -(-n_tokens // self.block_size)

    def blocks_needed(self, slots: np.ndarray, n_new) -> int:
        """Free blocks an :meth:`append` of ``n_new`` tokens to ``slots`` may take (CoW included)."""
        tok = self.n_seq_tokens[slots]
        grow = int((self.blocks_for(tok + n_new) - self.n_seq_blocks[slots]).sum())
        return grow + self._cow_candidates(slots, tok).shape[0]

    # -- the free list -------------------------------------------------------------------

    def _pop(self, k: int, what: str = "n_tokens") -> np.ndarray:
        if k > self.n_free:
            raise ValueError(f"{what}: needs {k} free KV blocks but only {self.n_free} of "
                             f"{self.n_blocks} are free")
        self.n_free -= k
        return self._free[self.n_free:self.n_free + k][::-1].copy()

    def _push(self, blocks: np.ndarray) -> None:
        k = blocks.shape[0]
        self._free[self.n_free:self.n_free + k] = blocks[::-1]
        self.n_free += k

    def _drop(self, blocks: np.ndarray) -> None:
        """Take one reference off each entry of ``blocks`` (repeats allowed); free the zeros."""
        if blocks.shape[0] == 0:
            return
        if not self._forked and not self._held:       # every count is 1: no sharing yet
            self.refcount[blocks] = 0
            self._push(blocks)
            return
        np.subtract.at(self.refcount, blocks, 1)
        dead = blocks[self.refcount[blocks] == 0]
        if dead.shape[0]:
            self._push(np.unique(dead))

    def _check_slot(self, name: str, slot: int, live: bool) -> int:
        s = nonneg_int(name, slot, maximum=self.max_seqs - 1)
        if bool(self.live[s]) != live:
            want, got = ("a live sequence", "empty") if live else ("an empty slot", "in use")
            raise ValueError(f"{name} must name {want}; slot {s} is {got}")
        return s

    # -- sequences -----------------------------------------------------------------------

    def allocate(self, slot: int, n_tokens: int, shared_blocks=()) -> None:
        """Start a sequence of ``n_tokens`` in an empty ``slot``.

        ``shared_blocks`` (full, live blocks, e.g. a cached prompt prefix) become its
        first logical blocks and gain a reference; the rest are fresh blocks.
        """
        s = self._check_slot("slot", slot, live=False)
        n = nonneg_int("n_tokens", n_tokens)
        shared = np.asarray(shared_blocks, dtype=np.int32).reshape(-1)
        k_shared = shared.shape[0]
        if k_shared * self.block_size > n:
            raise ValueError(f"shared_blocks must cover at most n_tokens ({n}) in full blocks; "
                             f"got {k_shared} blocks of {self.block_size}")
        if k_shared and (self.refcount[shared] <= 0).any():
            raise ValueError("shared_blocks must name live blocks (reference count >= 1)")
        total = int(self.blocks_for(n))
        if total > self.max_blocks_per_seq:
            raise ValueError(f"n_tokens must be <= {self.max_blocks_per_seq * self.block_size} "
                             f"(max_blocks_per_seq x block_size); got {n}")
        fresh = self._pop(total - k_shared)
        self.refcount[fresh] = 1
        if k_shared:
            np.add.at(self.refcount, shared, 1)
            self._held = True                              # counts above 1 from now on
        self.table[s, :k_shared] = shared
        self.table[s, k_shared:total] = fresh
        self.n_seq_blocks[s] = total
        self.n_seq_tokens[s] = n
        self.live[s] = True

    def _cow_candidates(self, slots: np.ndarray, tok: np.ndarray) -> np.ndarray:
        partial = (tok % self.block_size) != 0
        if not partial.any():
            return slots[:0]
        cand = slots[partial]
        last = self.table[cand, self.n_seq_blocks[cand] - 1]
        return cand[self.refcount[last] > 1]

    def _cow(self, slots: np.ndarray, tok: np.ndarray) -> None:
        """Copy shared, partly filled last blocks before a write lands in them."""
        for s in self._cow_candidates(slots, tok):        # rare: only after a fork
            j = self.n_seq_blocks[s] - 1
            old = self.table[s, j]
            if self.refcount[old] > 1:                    # a sibling may have copied already
                new = self._pop(1, "slots")[0]
                self.refcount[old] -= 1
                self.refcount[new] = 1
                self.table[s, j] = new
                self.n_cow_copies += 1

    def _place(self, rows: np.ndarray, cols: np.ndarray, what: str) -> None:
        """Put fresh blocks at ``table[rows, cols]``, popped in the order given."""
        if rows.shape[0] == 0:
            return
        if int(cols.max()) >= self.max_blocks_per_seq:
            raise ValueError(f"{what}: a sequence would need more than max_blocks_per_seq "
                             f"({self.max_blocks_per_seq}) blocks")
        fresh = self._pop(rows.shape[0], what)
        self.table[rows, cols] = fresh
        self.refcount[fresh] = 1

    def append(self, slots: np.ndarray, n_new) -> None:
        """Add ``n_new`` tokens (a number or one per slot) to each live sequence in ``slots``."""
        slots = np.asarray(slots, dtype=np.int64)
        if not self.live[slots].all():
            raise ValueError("slots must all hold live sequences")
        tok = self.n_seq_tokens[slots]
        if self._forked:
            self._cow(slots, tok)
        new_tok = tok + n_new
        nb = self.n_seq_blocks[slots]
        need = self.blocks_for(new_tok) - nb
        k = int(need.sum())
        if k:
            rows = np.repeat(slots, need)
            first = np.repeat(np.cumsum(need) - need, need)
            self._place(rows, np.repeat(nb, need) + (np.arange(k) - first), "n_new")
            self.n_seq_blocks[slots] = nb + need
        self.n_seq_tokens[slots] = new_tok

    def append_steps(self, slots: np.ndarray, n_steps=1) -> np.ndarray:
        """Run decode steps of one token each on ``slots`` (live, distinct): ``n_steps`` of
        them, or a number per slot (a sequence that stops early takes part in the first
        ``n_steps[i]``).

        Blocks are taken in step order, and in ``slots`` order within a step, so this
        equals calling ``append`` step by step on the sequences still going. Returns
        the token counts before the first step.
        """
        tok = self.n_seq_tokens[slots]
        if self._forked:
            self._cow(slots, tok)
        nb = self.n_seq_blocks[slots]
        if isinstance(n_steps, int) and n_steps == 1:
            grow = tok % self.block_size == 0
            if grow.any():
                rows = slots[grow]
                self._place(rows, nb[grow], "n_steps")
                self.n_seq_blocks[rows] += 1
        else:
            f = (-tok) % self.block_size                  # steps until the next new block
            cnt = np.maximum(0, -(-(n_steps - f) // self.block_size))
            k = int(cnt.sum())
            if k:
                i = np.repeat(np.arange(slots.shape[0]), cnt)
                kk = np.arange(k) - np.repeat(np.cumsum(cnt) - cnt, cnt)
                order = np.lexsort((i, f[i] + kk * self.block_size))
                i, kk = i[order], kk[order]
                self._place(slots[i], nb[i] + kk, "n_steps")
                self.n_seq_blocks[slots] = nb + cnt
        self.n_seq_tokens[slots] = tok + n_steps
        return tok

    def fork(self, parent: int, child: int) -> None:
        """``child`` (an empty slot) shares every block of ``parent``: counts go up by one."""
        p = self._check_slot("parent", parent, live=True)
        c = self._check_slot("child", child, live=False)
        nb = int(self.n_seq_blocks[p])
        blocks = self.table[p, :nb]
        self._forked = True
        self.refcount[blocks] += 1                       # distinct within one table
        self.table[c, :nb] = blocks
        self.n_seq_blocks[c] = nb
        self.n_seq_tokens[c] = self.n_seq_tokens[p]
        self.live[c] = True

    def seq_blocks(self, slot: int) -> np.ndarray:
        """The physical blocks of the sequence in ``slot``, in logical order."""
        return self.table[slot, :self.n_seq_blocks[slot]].copy()

    def release(self, slots: np.ndarray) -> None:
        """End the sequences in ``slots``; blocks nobody else references return to the free list."""
        slots = np.asarray(slots, dtype=np.int64).reshape(-1)
        if slots.shape[0] == 0:
            return
        if not self.live[slots].all() or np.unique(slots).shape[0] != slots.shape[0]:
            raise ValueError("slots must name distinct live sequences")
        rows = self.table[slots]
        used = np.arange(self.max_blocks_per_seq) < self.n_seq_blocks[slots, None]
        self._drop(rows[used])
        self.table[slots] = -1
        self.n_seq_blocks[slots] = 0
        self.n_seq_tokens[slots] = 0
        self.live[slots] = False

    # -- references from outside a table (a prefix cache) ---------------------------------

    def hold(self, blocks) -> None:
        """Add a reference to each live block in ``blocks`` that no table accounts for."""
        b = np.asarray(blocks, dtype=np.int32).reshape(-1)
        if b.shape[0] and (self.refcount[b] <= 0).any():
            raise ValueError("blocks must name live blocks (reference count >= 1)")
        np.add.at(self.refcount, b, 1)
        np.add.at(self.holds, b, 1)
        self._held = True

    def unhold(self, blocks) -> None:
        """Drop references taken by :meth:`hold`."""
        b = np.asarray(blocks, dtype=np.int32).reshape(-1)
        if b.shape[0] and (self.holds[b] <= 0).any():
            raise ValueError("blocks must name blocks taken with hold()")
        np.subtract.at(self.holds, b, 1)
        self._drop(b)

    # -- a brute-force audit (for tests and curious readers) -------------------------------

    def audit(self) -> None:
        """Recount every reference from the tables; raise ``AssertionError`` on any mismatch."""
        used = np.arange(self.max_blocks_per_seq) < self.n_seq_blocks[:, None]
        used &= self.live[:, None]
        refs = np.bincount(self.table[used], minlength=self.n_blocks) + self.holds
        assert (refs == self.refcount).all(), "reference counts disagree with the tables"
        free = self._free[:self.n_free]
        assert np.unique(free).shape[0] == free.shape[0], "a block is on the free list twice"
        assert (self.refcount[free] == 0).all(), "a referenced block is on the free list"
        assert self.n_free + int((self.refcount > 0).sum()) == self.n_blocks, "a block leaked"
        assert (self.n_seq_blocks == self.blocks_for(self.n_seq_tokens)).all(), "table size"
