r"""Decode steps, one at a time or a whole run of them in closed form.

Between scheduling events a continuous-batching engine repeats the same decode
step: every running request reads its KV, writes one token and emits it. When
nothing can change the schedule, a run of :math:`k` such steps can be computed
at once. With :math:`c_i` cached tokens and :math:`r_i` tokens still to come
for row :math:`i`, step :math:`j` (from 0) has the rows :math:`r_i > j` active and reads

.. math::

    R_j = \sum_{i:\,r_i > j} (c_i + j),

and row :math:`i` takes a new block at the steps :math:`j \equiv -c_i \pmod B`.
A run stops at the first step where a new arrival could be admitted, the free
blocks would run out, or (when a finish could let a waiting request in) a request
finishes. Sorting rows by :math:`r_i` turns every per-step sum into a prefix sum.
"""

from __future__ import annotations

import numpy as np

__all__ = ["DecodeMixin"]

_MAX_RUN = 512           # longest run of decode steps computed at once


class DecodeMixin:
    """Decode-step methods of the engine; the state they use lives in ``engine._Engine``."""

    def reserve_decode(self) -> np.ndarray:
        """Make room for one more token per decoding request, preempting the newest if needed.

        Returns each decoding request's KV length before the step.
        """
        if not self.paged:
            return self.cb.n_seq_tokens[self.d_slot]
        tok = self.bm.n_seq_tokens[self.d_slot]
        need = int(np.count_nonzero(tok % self.bs == 0))
        while need > self.bm.n_free and not self.ensure_free(need):
            self.preempt_last()
            tok = tok[:self.d_req.shape[0]]
            need = int(np.count_nonzero(tok % self.bs == 0))
        return tok

    def decode_run(self, tok: np.ndarray, n_wait0: int, arrivals_matter: bool,
                   padded: bool = False, can_run: bool = True) -> bool:
        """Decode one step, or as many identical-in-kind steps as nothing can interrupt.

        ``can_run=False`` when the queues changed in a way the next step will act on.
        """
        b = self.d_req.shape[0]
        if b == 0:
            return False
        # Runs may pass a finish when no one could use the freed room: a static batch, or an
        # engine with nobody waiting and no cache (whose frees would change what is cached).
        through = padded or (arrivals_matter and self.cache is None and not self.pf)
        rem = self.d_rem
        # A preemption in this step puts a request at the head of a queue: the next step
        # will try to readmit it (evicting cached blocks), so this step runs alone.
        fast = self.fast and can_run and not self.n_preempted_step
        k_cap = min(_MAX_RUN, int(rem.max()) if through else int(rem.min())) if fast else 1
        if k_cap == 1:
            return self._one_step(tok, n_wait0, padded)
        if arrivals_matter and self.ptr < len(self.arrival_list):
            # steps will not shrink much before the next arrival: size the run to reach it
            dt0 = self.cost.step_s_scalar(b, int(tok.sum()) + 2 * b, int(tok.sum()) + b)
            k_cap = max(2, min(k_cap, int((self.arrival_list[self.ptr] - self.now) / dt0 * 1.25) + 2))
        run = _Run(self, tok, rem, k_cap, padded, through)
        if arrivals_matter and self.ptr < len(self.arrival_list):
            run.stop_at_time(self.arrival_list[self.ptr])
        if self.paged:
            run.stop_at_blocks(self.bm.n_free)
        if run.k == 1:
            return self._one_step(tok, n_wait0, padded)
        run.apply(n_wait0)
        return True

    def _one_step(self, tok: np.ndarray, n_wait0: int, padded: bool) -> bool:
        b = self.d_req.shape[0]
        n_tok = b + len(self.static_hold) if padded else b
        read = n_tok * self.static_len if padded else int(tok.sum())
        dt = self.cost.step_s_scalar(n_tok, read + n_tok, read) + self.extra_s
        start = self.now
        self.now = start + dt
        if self.paged:
            self.bm.append_steps(self.d_slot, 1)
        else:
            self.cb.append(self.d_slot, 1)
        self.itl.append(self.now - self.d_last)
        self.d_last[:] = self.now
        self.d_rem -= 1
        self.static_len += 1
        batch = self.d_req
        fin = self.d_rem == 0
        if fin.any():
            self.finish_rows(fin, np.full(b, self.now)[fin])
        if padded and not self.d_req.shape[0]:
            self.release_hold()
        self.record(start, dt, 0, 0, b, n_tok - b, n_wait0, batch)
        return True

    def finish_rows(self, fin: np.ndarray, when: np.ndarray) -> None:
        """Rows ``fin`` of the decode table have emitted their last token at ``when``."""
        rs, slots = self.d_req[fin], self.d_slot[fin]
        self.finish[rs] = when
        self.last_tok[rs] = when
        self.gen[rs] = self.out[rs]
        keep = ~fin
        self.d_req, self.d_slot = self.d_req[keep], self.d_slot[keep]
        self.d_rem, self.d_last = self.d_rem[keep], self.d_last[keep]
        self.end(rs, slots)


class _Run:
    """A run of ``k`` decode steps over fixed rows, every quantity as a prefix sum."""

    def __init__(self, eng, tok: np.ndarray, rem: np.ndarray, k: int, padded: bool,
                 through: bool) -> None:
        self.eng, self.tok, self.rem, self.k = eng, tok, rem.copy(), k
        self.padded, self.through = padded, through
        self.b = b = rem.shape[0]
        self.new_blocks = np.zeros(k, dtype=np.int64)
        j = np.arange(k)
        if through:                                  # rows drop out as they finish
            self.order = np.argsort(rem, kind="stable")
            self.rem_sorted = rem[self.order]
            self.cs_tok = _cumsum0(tok[self.order])
            gone = self.rem_sorted.searchsorted(j, "right")      # rows finished before step j
            self.n_active = b - gone
        else:
            self.n_active = np.full(k, b)
        if padded:
            self.n_tok = np.full(k, b + len(eng.static_hold))
            read = self.n_tok * (eng.static_len + j)
        else:
            self.n_tok = self.n_active
            if through:
                read = (self.cs_tok[-1] - self.cs_tok[gone]) + j * self.n_active
            else:
                read = int(tok.sum()) + j * b
        dts = eng.cost.step_s_positive(self.n_tok, read + self.n_tok, read)
        dts[0] += eng.extra_s
        self.dts = dts
        self.ends = dts.cumsum()
        self.ends += eng.now

    def stop_at_time(self, t: float) -> None:
        """End the run with the step during which ``t`` passes."""
        self.k = min(self.k, int(self.ends.searchsorted(t)) + 1)

    def stop_at_blocks(self, n_free: int) -> None:
        """End the run before the step whose new blocks would exceed ``n_free``."""
        bs, k = self.eng.bs, self.k
        f = (-self.tok) % bs                          # first step at which a row needs a block
        if self.through:
            cnt = np.maximum(0, -(-(np.minimum(self.rem, k) - f) // bs))
            first = np.repeat(cnt.cumsum() - cnt, cnt)
            steps = np.repeat(f, cnt) + (np.arange(first.shape[0]) - first) * bs
            self.new_blocks = np.bincount(steps, minlength=k)[:k]
        else:                                         # every row runs all k steps
            self.new_blocks = np.bincount(f, minlength=bs)[np.arange(k) % bs]
        self.k = min(k, int(self.new_blocks.cumsum().searchsorted(n_free, "right")))

    def apply(self, n_wait0: int) -> None:
        eng, k, b = self.eng, self.k, self.b
        dts, ends = self.dts[:k], self.ends[:k]
        start = eng.now
        before = (eng.n_running() + len(eng.static_hold), *eng.kv_state())
        n_steps = np.minimum(self.rem, k) if self.through else k   # steps each row takes
        if eng.paged:
            eng.bm.append_steps(eng.d_slot, n_steps)
            nb_end = eng.bm.n_seq_blocks[eng.d_slot]
        else:
            eng.cb.append(eng.d_slot, n_steps)
            nb_end = eng.cb.n_reserved[eng.d_slot]
        eng.now = float(ends[-1])
        eng.itl.append(ends[0] - eng.d_last)
        if self.through:
            later = np.broadcast_to(dts[1:], (b, k - 1))
            eng.itl.append(later[np.arange(1, k) < n_steps[:, None]])
        else:
            eng.itl.append(np.tile(dts[1:], b))
        eng.d_last[:] = eng.now
        eng.d_rem -= n_steps
        eng.static_len += k
        batch = eng.d_req
        fin = eng.d_rem == 0
        if fin.any():
            eng.finish_rows(fin, ends[self.rem[fin] - 1])
        if self.padded and not eng.d_req.shape[0]:
            eng.release_hold()
        self._record(start, dts, ends, n_wait0, before, nb_end, batch)

    def _record(self, start, dts, ends, n_wait0, before, nb_end, batch) -> None:
        """Rows for every step of the run but the last, then the last from the live state."""
        eng, k, b = self.eng, self.k, self.b
        run0, used0, cached0, stored0, reserved0 = before
        starts = np.empty(k)
        starts[0] = start
        starts[1:] = ends[:-1]
        n_wait = eng.arrival.searchsorted(starts, "right")
        n_wait += len(eng.waiting) - eng.ptr           # preempted requests wait from step 1 on
        n_wait[0] = n_wait0
        j1 = np.arange(1, k)                                   # after step j, j + 1 steps ran
        rows = np.zeros((k - 1, 12), dtype=np.int64)
        rows[:, 2] = self.n_active[:k - 1]
        rows[:, 3] = self.n_tok[:k - 1] - self.n_active[:k - 1]
        rows[:, 5] = n_wait[:-1]
        rows[:, 6] = len(eng.swapped)
        rows[0, 7] = eng.n_preempted_step
        rows[:, 9] = cached0
        if self.through:
            done = self.rem_sorted.searchsorted(j1, "right")   # rows finished by then
            cs_rem = _cumsum0(self.rem_sorted)
            tokens_in = cs_rem[done] + j1 * (b - done)        # sum_i min(j + 1, r_i)
        else:
            done, tokens_in = 0, j1 * b
        freed = 0
        if self.padded or not self.through:
            rows[:, 4] = run0
            rows[:, 10] = stored0 + tokens_in
        else:
            rows[:, 4] = run0 - done
            rows[:, 10] = stored0 + tokens_in - (self.cs_tok[done] + cs_rem[done])
            freed = _cumsum0(nb_end[self.order])[done]       # blocks or reservations let go
        if eng.paged:
            rows[:, 8] = used0 + self.new_blocks[:k - 1].cumsum() - freed
            rows[:, 11] = rows[:, 8] * eng.bs
        else:
            rows[:, 11] = reserved0 - freed
            rows[:, 8] = -(-rows[:, 11] // eng.bs)
        eng.rec.rows(starts[:-1], dts[:-1], rows)
        eng.n_preempted_step = 0
        last_active = int(self.n_active[k - 1])
        eng.record(float(starts[-1]), float(dts[-1]), 0, 0, last_active,
                   int(self.n_tok[k - 1]) - last_active, int(n_wait[-1]),
                   batch[self.rem > k - 1] if eng.record_batches else None)
        if eng.record_batches:
            eng.batches[-1:-1] = [batch[self.rem > j] for j in range(k - 1)]


def _cumsum0(x: np.ndarray) -> np.ndarray:
    """``[0, x0, x0 + x1, ...]``."""
    out = np.zeros(x.shape[0] + 1, dtype=x.dtype)
    x.cumsum(out=out[1:])
    return out
