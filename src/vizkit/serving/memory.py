"""The engine's memory moves: admission, release, preemption, swapping, the prefix cache.

Every method here changes who holds which KV blocks (:mod:`.paged`) or reservation
(:mod:`.contiguous`) and keeps the engine's per-request bookkeeping in step:

* :meth:`MemoryMixin.admit` gives a waiting request a slot and the KV for its next
  prefill piece, reusing cached prefix blocks when it can and keeping a watermark of
  free blocks so that admitting does not force an immediate preemption;
* :meth:`MemoryMixin.preempt_last` evicts the most recently admitted request, by
  recompute (drop its KV, re-prefill prompt + output so far) or swap (copy its KV
  to host memory and back, charged at ``swap_bytes_per_s``);
* :meth:`MemoryMixin.ensure_free` evicts least-recently-used cached prefixes first.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["MemoryMixin"]


class MemoryMixin:
    """Memory methods of the engine; the state they use lives in ``engine._Engine``."""

    def ensure_free(self, k: int) -> bool:
        """At least ``k`` free blocks, evicting cached prefixes first if needed."""
        bm = self.bm
        if bm.n_free >= k:
            return True
        while self.cache is not None and bm.n_free < k:
            gone = self.cache.evict(k - bm.n_free)
            if not gone:
                break
            bm.unhold(gone)
        return bm.n_free >= k

    def prefix_keys(self, r: int, n_tokens: int) -> list:
        """One key per full block of the first ``n_tokens`` prompt tokens."""
        g, shared = int(self.group[r]), int(self.shared[r]) // self.bs
        return [(g, j) if j < shared else (-1 - r, j) for j in range(n_tokens // self.bs)]

    def admit(self, r: int, budget: float, partial: bool, watermark: bool):
        """Give ``r`` a slot and KV for its next prefill piece: ``(cached, m)`` or None."""
        tgt = int(self.target[r])
        hit, blocks, handle = 0, (), None
        if self.cache is not None and self.gen[r] == 0:
            nk, blocks, handle = self.cache.match(self.prefix_keys(r, tgt - 1), lock=True)
            hit = nk * self.bs
        m = tgt - hit
        if m > budget:
            if not partial:
                if handle is not None:
                    self.cache.unlock(handle)
                return None
            m = int(budget)
        wm = self.wm if watermark and self.n_running() else 0
        if self.paged:
            need = -(-(hit + m) // self.bs) - len(blocks)
            if not self.ensure_free(need + wm):
                if handle is not None:
                    self.cache.unlock(handle)
                return None
            slot = self.free_slots.pop()
            self.bm.allocate(slot, hit + m, blocks)
        else:
            res = self.cb.reservation(int(self.prompt[r]), int(self.prompt[r] + self.out[r]))
            if not self.cb.can_allocate(res):
                return None
            slot = self.free_slots.pop()
            self.cb.allocate(slot, res, m)
        if handle is not None:
            self.handles[r] = handle
        self.slot_of[r] = slot
        if math.isnan(self.first_sched[r]):
            self.first_sched[r] = self.now
        self.cached[r] += hit
        return hit, m

    def release(self, rs: np.ndarray, slots: np.ndarray) -> None:
        if self.paged:
            self.bm.release(slots)
        else:
            self.cb.release(slots)
        self.free_slots.extend(slots.tolist())
        self.slot_of[rs] = -1
        if self.cache is not None:
            for r in rs.tolist():
                h = self.handles.pop(r, None)
                if h is not None:
                    self.cache.unlock(h)

    def cache_prompt(self, r: int) -> None:
        """Offer a just-prefilled prompt's full blocks to the prefix cache."""
        keys = self.prefix_keys(r, int(self.prompt[r]))
        if not keys:
            return
        blocks = self.bm.seq_blocks(int(self.slot_of[r]))[:len(keys)].tolist()
        _, new, gone = self.cache.insert(keys, blocks)
        if new:
            self.bm.hold(new)
        if gone:
            self.bm.unhold(gone)
        old = self.handles.pop(r, None)                 # pin the whole prompt while it runs
        self.handles[r] = self.cache.match(keys, lock=True)[2]
        if old is not None:
            self.cache.unlock(old)

    def preempt_last(self) -> None:
        """Preempt the most recently admitted running request."""
        if self.pf:
            r = self.pf.pop()
        else:
            r = int(self.d_req[-1])
            self.gen[r] = self.out[r] - self.d_rem[-1]
            self.last_tok[r] = self.d_last[-1]
            self.d_req, self.d_slot = self.d_req[:-1], self.d_slot[:-1]
            self.d_rem, self.d_last = self.d_rem[:-1], self.d_last[:-1]
        slot = int(self.slot_of[r])
        if self.cfg.preemption == "swap":
            kv = int(self.bm.n_seq_tokens[slot])
            self.swapped_kv[r] = kv
            self.extra_s += kv * self.cost.kv_bytes_per_token / self.cost.swap_bytes_per_s
            self.swapped.appendleft(r)
        else:
            if self.gen[r]:
                self.target[r] = self.prompt[r] + self.gen[r]
            self.waiting.appendleft(r)
        self.release(np.array([r]), np.array([slot]))
        self.n_preempt[r] += 1
        self.n_preempted_step += 1

    def swap_in(self, r: int) -> bool:
        kv = int(self.swapped_kv[r])
        if not self.ensure_free(-(-(kv + 1) // self.bs) + (self.wm if self.n_running() else 0)):
            return False
        slot = self.free_slots.pop()
        self.bm.allocate(slot, kv)
        self.slot_of[r] = slot
        self.extra_s += kv * self.cost.kv_bytes_per_token / self.cost.swap_bytes_per_s
        if kv >= self.target[r]:
            self.dec_add(np.array([r]), np.array([slot]))
        else:
            self.pf.append(r)
        return True

