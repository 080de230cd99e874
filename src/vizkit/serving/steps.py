"""The three kinds of engine step, one method per scheduling policy (see :mod:`.scheduler`).

* :meth:`StepsMixin.vllm_step`: continuous batching without chunking. Swapped-out
  requests come back first; otherwise waiting prompts are admitted (FCFS, while
  ``max_num_seqs``, the token budget and free blocks above the watermark allow)
  and prefilled in a step of their own; only if none can be, every running
  request decodes one token.
* :meth:`StepsMixin.chunked_step`: decodes first, then the rest of the token
  budget goes to prompt chunks, partly prefilled prompts before new ones.
* :meth:`StepsMixin.static_step`: an idle engine takes every waiting request
  that fits into one batch, prefills it padded to the longest prompt, then
  decodes it padded to the longest sequence until the last request ends.

A step's time comes from :meth:`~.cost.CostModel.step_s_scalar`; a decode step
at context ``c`` reads ``c`` cached tokens and attends over ``c + 1`` pairs, a
prompt chunk of ``m`` tokens after ``s`` cached ones reads ``s`` and attends over
``m s + m (m + 1) / 2``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["StepsMixin"]

_INF = float("inf")


class StepsMixin:
    """Step methods of the engine; the state they use lives in ``engine._Engine``."""

    # -- recording ---------------------------------------------------------------------------

    def record(self, start: float, dt: float, pf_tok: int, pf_seq: int, n_dec: int, pad: int,
               n_wait0: int, batch) -> None:
        used, cached, stored, reserved = self.kv_state()
        self.rec.row(start, dt, (pf_tok, pf_seq, n_dec, pad, self.n_running() + len(self.static_hold),
                                 n_wait0, len(self.swapped), self.n_preempted_step, used, cached,
                                 stored, reserved))
        self.extra_s = 0.0                  # swap traffic and preemptions are charged once
        self.n_preempted_step = 0
        if self.record_batches:
            self.batches.append(np.asarray(batch, dtype=np.int64))

    def release_hold(self) -> None:
        """Static batching: the batch is over, so its finished members give back their KV."""
        if self.static_hold:
            rs = np.array(self.static_hold, dtype=np.int64)
            self.static_hold = []
            self.release(rs, self.slot_of[rs])

    # -- prefill-only steps ------------------------------------------------------------------

    def prefill_step(self, admitted: list[tuple[int, int, int]], n_wait0: int,
                     pad_to: int = 0) -> bool:
        """Prefill whole prompts in one step; ``pad_to`` > 0 pads each to that length."""
        if pad_to:
            n = len(admitted)
            tokens, pairs, read = n * pad_to, n * (pad_to * (pad_to + 1) // 2), 0
            pad = tokens - sum(m for _, _, m in admitted)
        else:
            tokens = pairs = read = pad = 0
            for _, hit, m in admitted:
                tokens += m
                pairs += m * hit + m * (m + 1) // 2
                read += hit
        dt = self.cost.step_s_scalar(tokens, pairs, read) + self.extra_s
        start = self.now
        self.now = start + dt
        rs = [r for r, _, _ in admitted]
        self.emit_first(rs)
        if pad_to and not self.d_req.shape[0]:
            self.release_hold()
        self.record(start, dt, tokens - pad, len(rs), 0, pad, n_wait0, rs)
        return True

    # -- the policies --------------------------------------------------------------------------

    def vllm_step(self) -> bool:
        cfg, n_wait0 = self.cfg, len(self.waiting)
        swapped_before = bool(self.swapped)
        if self.swapped:
            while self.swapped and self.n_running() < cfg.max_num_seqs:
                if not self.swap_in(self.swapped[0]):
                    break
                self.swapped.popleft()
        elif self.waiting:
            admitted, budget = [], cfg.max_batched_tokens
            while self.waiting and self.n_running() + len(admitted) < cfg.max_num_seqs:
                got = self.admit(self.waiting[0], budget if admitted else _INF, False, True)
                if got is None:
                    break
                admitted.append((self.waiting.popleft(), *got))
                budget -= got[1]
            if admitted and self.cfg.remote_prefill:       # KV landed: nothing to compute
                local = [a for a in admitted if self.gen[a[0]] > 0]   # re-prefills after preemption
                self.emit_first([r for r, _, _ in admitted if self.gen[r] == 0], remote=True)
                admitted = local
            if admitted:
                return self.prefill_step(admitted, n_wait0)
        tok = self.reserve_decode()
        # if the last swapped request just came back, the next step turns to the waiting queue
        can_run = bool(self.swapped) or not self.waiting or not swapped_before
        return self.decode_run(tok, n_wait0, not self.waiting and not self.swapped,
                               can_run=can_run)

    def chunked_step(self) -> bool:
        cfg, n_wait0 = self.cfg, len(self.waiting)
        while self.swapped and self.n_running() < cfg.max_num_seqs:
            if not self.swap_in(self.swapped[0]):
                break
            self.swapped.popleft()
        tok = self.reserve_decode()
        b = self.d_req.shape[0]
        need = int(np.count_nonzero(tok % self.bs == 0)) if self.paged else 0
        budget = cfg.max_batched_tokens - b
        chunks: list[tuple[int, int, int]] = []
        for r in self.pf:                                   # prompts already under way
            if budget <= 0:
                break
            slot = int(self.slot_of[r])
            mem = self.bm if self.paged else self.cb
            s = int(mem.n_seq_tokens[slot])
            m = min(int(self.target[r]) - s, budget)
            if self.paged and not self.ensure_free(
                    need + -(-(s + m) // self.bs) - int(self.bm.n_seq_blocks[slot])):
                break
            mem.append(np.array([slot]), m)
            chunks.append((r, s, m))
            budget -= m
        while (not self.swapped and self.waiting and budget > 0
               and self.n_running() < cfg.max_num_seqs and len(chunks) == len(self.pf)):
            self.wm += need                                 # keep the decodes' blocks free
            got = self.admit(self.waiting[0], budget, True, True)
            self.wm -= need
            if got is None:
                break
            r = self.waiting.popleft()
            self.pf.append(r)
            chunks.append((r, got[0], got[1]))
            budget -= got[1]
        if not chunks:
            return self.decode_run(tok, n_wait0, not self.waiting and not self.swapped)
        if b:
            if self.paged:
                self.bm.append_steps(self.d_slot, 1)
            else:
                self.cb.append(self.d_slot, 1)
        s0 = int(tok.sum())
        tokens, pairs, read = b, s0 + b, s0
        for _, s, m in chunks:
            tokens += m
            pairs += m * s + m * (m + 1) // 2
            read += s
        dt = self.cost.step_s_scalar(tokens, pairs, read) + self.extra_s
        start = self.now
        self.now = start + dt
        batch = np.concatenate((self.d_req, [r for r, _, _ in chunks])) if self.record_batches else None
        if b:
            self.itl.append(self.now - self.d_last)
            self.d_last[:] = self.now
            self.d_rem -= 1
            fin = self.d_rem == 0
            if fin.any():
                self.finish_rows(fin, np.full(b, self.now)[fin])
        done = [r for r, s, m in chunks if s + m >= self.target[r]]
        if done:
            self.pf = [r for r in self.pf if r not in set(done)]
            self.emit_first(done)
        self.record(start, dt, tokens - b, len(chunks), b, 0, n_wait0, batch)
        return True

    def static_step(self) -> bool:
        n_wait0 = len(self.waiting)
        if self.d_req.shape[0]:
            tok = self.reserve_decode()
            if self.d_req.shape[0]:
                return self.decode_run(tok, n_wait0, False, padded=True)
            self.release_hold()                             # everyone left was preempted
        admitted = []
        while self.waiting and len(admitted) < self.cfg.max_num_seqs:
            got = self.admit(self.waiting[0], _INF, False, False)
            if got is None:
                break
            admitted.append((self.waiting.popleft(), *got))
        if not admitted:
            return False
        pad_to = max(m for _, _, m in admitted)
        self.static_len = pad_to
        return self.prefill_step(admitted, n_wait0, pad_to=pad_to)
