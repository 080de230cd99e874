r"""Contiguous KV allocation, the baseline PagedAttention replaced.

Before paging, a server reserved one contiguous chunk of KV memory per request
at admission, sized for the longest output it might produce, because it could
not know the real one. The vLLM paper (Kwon et al. 2023, §3 and Fig. 2)
compares three reservation rules, all of which this module implements:

* ``"max"``: the engine's maximum sequence length (Orca (Max));
* ``"pow2"``: the real final length rounded up to a power of two, at most the
  maximum (Orca (Pow2), an over-reservation of up to 2x);
* ``"oracle"``: exactly the real final length (Orca (Oracle)).

Memory is one address space of ``capacity_tokens`` token slots, managed first
fit, so three kinds of waste can be measured side by side: **reserved** slots
not yet written (they will be), **internal fragmentation** (slots that will
never be written) and **external fragmentation** (free memory cut into holes
too small for the next request).

>>> c = ContiguousBlocks(capacity_tokens=100, max_seqs=4, max_len_tokens=40)
>>> c.reservation(prompt_tokens=10, final_tokens=15)
40
>>> c.allocate(0, 40, n_tokens=10); c.stored_tokens, c.reserved_tokens
(10, 40)
"""

from __future__ import annotations

import numpy as np

from vizkit._validate import nonneg_int, one_of, positive_int

__all__ = ["ContiguousBlocks", "RESERVE_POLICIES"]

RESERVE_POLICIES = ("max", "pow2", "oracle")


class ContiguousBlocks:
    """First-fit contiguous reservations over ``capacity_tokens`` token slots."""

    def __init__(self, capacity_tokens: int, max_seqs: int, max_len_tokens: int,
                 reserve: str = "max") -> None:
        self.capacity_tokens = positive_int("capacity_tokens", capacity_tokens)
        self.max_seqs = positive_int("max_seqs", max_seqs, maximum=1 << 20)
        self.max_len_tokens = positive_int("max_len_tokens", max_len_tokens)
        self.reserve = one_of("reserve", reserve, RESERVE_POLICIES)
        self._holes: list[list[int]] = [[0, self.capacity_tokens]]   # [start, length], sorted
        self.start = np.full(self.max_seqs, -1, dtype=np.int64)
        self.n_reserved = np.zeros(self.max_seqs, dtype=np.int64)
        self.n_seq_tokens = np.zeros(self.max_seqs, dtype=np.int64)
        self.live = np.zeros(self.max_seqs, dtype=bool)

    def reservation(self, prompt_tokens: int, final_tokens: int) -> int:
        """Token slots the policy reserves for a request that will end at ``final_tokens``."""
        if self.reserve == "max":
            return self.max_len_tokens
        if self.reserve == "oracle":
            return int(final_tokens)
        return min(self.max_len_tokens, 1 << (int(final_tokens) - 1).bit_length())

    # -- counts --------------------------------------------------------------------------

    @property
    def reserved_tokens(self) -> int:
        return int(self.n_reserved.sum())

    @property
    def stored_tokens(self) -> int:
        return int(self.n_seq_tokens.sum())

    @property
    def free_tokens(self) -> int:
        return self.capacity_tokens - self.reserved_tokens

    @property
    def largest_hole_tokens(self) -> int:
        return max((h[1] for h in self._holes), default=0)

    @property
    def external_fragmentation(self) -> float:
        """``1 - largest hole / free``: 0 when free memory is one piece."""
        free = self.free_tokens
        return 0.0 if free == 0 else 1.0 - self.largest_hole_tokens / free

    def can_allocate(self, n_reserved: int) -> bool:
        return any(h[1] >= n_reserved for h in self._holes)

    # -- sequences -----------------------------------------------------------------------

    def allocate(self, slot: int, n_reserved: int, n_tokens: int) -> None:
        """Reserve ``n_reserved`` contiguous slots for a sequence that holds ``n_tokens`` now."""
        s = nonneg_int("slot", slot, maximum=self.max_seqs - 1)
        if self.live[s]:
            raise ValueError(f"slot must name an empty slot; slot {s} is in use")
        r = positive_int("n_reserved", n_reserved)
        n = nonneg_int("n_tokens", n_tokens, maximum=r)
        for i, hole in enumerate(self._holes):
            if hole[1] >= r:
                self.start[s] = hole[0]
                hole[0] += r
                hole[1] -= r
                if hole[1] == 0:
                    del self._holes[i]
                break
        else:
            raise ValueError(f"n_reserved: no free extent of {r} tokens (largest hole "
                             f"{self.largest_hole_tokens} of {self.free_tokens} free)")
        self.n_reserved[s] = r
        self.n_seq_tokens[s] = n
        self.live[s] = True

    def append(self, slots: np.ndarray, n_new) -> None:
        """Write ``n_new`` more tokens into each sequence's own reservation."""
        new = self.n_seq_tokens[slots] + n_new
        if (new > self.n_reserved[slots]).any():
            raise ValueError("n_new: a sequence outgrew its reservation")
        self.n_seq_tokens[slots] = new

    def release(self, slots: np.ndarray) -> None:
        """Return each sequence's extent to the free holes, merging neighbours."""
        for s in np.asarray(slots, dtype=np.int64).reshape(-1):
            if not self.live[s]:
                raise ValueError(f"slots must name live sequences; slot {s} is empty")
            self._holes.append([int(self.start[s]), int(self.n_reserved[s])])
            self.start[s], self.n_reserved[s], self.n_seq_tokens[s] = -1, 0, 0
            self.live[s] = False
        self._holes.sort()
        merged: list[list[int]] = []
        for h in self._holes:
            if merged and merged[-1][0] + merged[-1][1] == h[0]:
                merged[-1][1] += h[1]
            else:
                merged.append(h)
        self._holes = merged

    def audit(self) -> None:
        """Check extents never overlap and cover the space exactly; ``AssertionError`` if not."""
        spans = sorted([(int(self.start[s]), int(self.n_reserved[s]))
                        for s in np.flatnonzero(self.live)] + [tuple(h) for h in self._holes])
        pos = 0
        for start, length in spans:
            assert start == pos, "extents overlap or leave a gap"
            pos += length
        assert pos == self.capacity_tokens, "extents do not cover the capacity"
        assert (self.n_seq_tokens <= self.n_reserved).all()
