r"""The event loop of an LLM inference engine: queue -> scheduler -> block manager -> GPU.

:func:`simulate` replays a :class:`~.workload.Workload` through one engine
(one model replica) and returns a :class:`~.trace.ServingTrace`. Each loop
iteration is one engine step: requests that have arrived join the waiting
queue, the scheduler (:mod:`.scheduler`) picks the step's batch, the block
manager (:mod:`.paged` or :mod:`.contiguous`) finds KV memory for it,
preempting if it must, the cost model (:mod:`.cost`) says how long the step
takes, and the clock moves on. A prefill emits a request's first token (TTFT);
every decode step emits one more per running request.

Runs of decode steps that nothing can interrupt (no arrival could join, no
finish frees room anyone waits for, memory suffices) are computed in one
vectorised go (:mod:`.decode`); ``fast=False`` takes them one step at a time,
and both give the same trace.

>>> from vizkit.serving.workload import poisson_workload, fixed
>>> from vizkit.serving.cost import CostModel
>>> cm = CostModel(16e9, 131072.0, 16e9, 524288.0, 3.35e12, 989.5e12, 5.6e10)
>>> w = poisson_workload(50, rate_per_s=5.0, prompt=fixed(100), output=fixed(20), seed=1)
>>> t = simulate(w, cm)
>>> int(t.n_decode_seqs.sum() + t.n_prefill_seqs.sum()) == 50 * 20   # each step, one token each
True
"""

from __future__ import annotations

import bisect
from collections import deque

import numpy as np

from vizkit._validate import positive_int

from .contiguous import ContiguousBlocks
from .cost import CostModel
from .decode import DecodeMixin
from .memory import MemoryMixin
from .paged import PagedBlocks
from .radix import RadixCache
from .scheduler import EngineConfig
from .steps import StepsMixin
from .trace import STEP_INT_FIELDS, Recorder, ServingTrace
from .workload import Workload

__all__ = ["simulate"]

class _Engine(StepsMixin, DecodeMixin, MemoryMixin):
    def __init__(self, w: Workload, cost: CostModel, cfg: EngineConfig, fast: bool,
                 record_batches: bool, check: bool = False, prefilled_at=None) -> None:
        self.w, self.cost, self.cfg, self.fast, self.check = w, cost, cfg, fast, check
        self.prefilled_at = w.arrival_s if prefilled_at is None else prefilled_at
        self.bs = bs = cfg.block_size
        self.n_blocks = cost.n_blocks(bs)
        n = w.n_requests
        self.arrival = w.arrival_s
        self.arrival_list = w.arrival_s.tolist()
        self.prompt = w.prompt_tokens.astype(np.int64)
        self.out = w.output_tokens.astype(np.int64)
        self._check_fits()
        self.paged = cfg.memory == "paged"
        slots = cfg.max_num_seqs
        if self.paged:
            self.bm = PagedBlocks(self.n_blocks, bs, slots, cfg.max_blocks_per_seq)
        else:
            self.cb = ContiguousBlocks(self.n_blocks * bs, slots, cfg.max_len_tokens, cfg.reserve)
        self.free_slots = list(range(slots - 1, -1, -1))
        self.slot_of = np.full(n, -1, dtype=np.int64)
        self.target = self.prompt.copy()       # tokens to prefill before decoding (re)starts
        self.gen = np.zeros(n, dtype=np.int64)
        self.last_tok = np.zeros(n)
        self.first_sched = np.full(n, np.nan)
        self.first_tok = np.full(n, np.nan)
        self.finish = np.full(n, np.nan)
        self.n_preempt = np.zeros(n, dtype=np.int64)
        self.cached = np.zeros(n, dtype=np.int64)
        self.swapped_kv = np.zeros(n, dtype=np.int64)
        self.waiting: deque[int] = deque()
        self.swapped: deque[int] = deque()
        self.ptr = 0
        self.now = 0.0
        self.n_done = 0
        # running requests in the decode phase, one aligned row each, in admission order
        self.d_req = np.empty(0, dtype=np.int64)
        self.d_slot = np.empty(0, dtype=np.int64)
        self.d_rem = np.empty(0, dtype=np.int64)     # output tokens still to come
        self.d_last = np.empty(0)                    # when each emitted its last token
        self.pf: list[int] = []                      # partly prefilled (chunked), in order
        self.itl: list[np.ndarray] = []
        self.rec = Recorder()
        self.record_batches = record_batches
        self.batches: list[np.ndarray] = []
        self.cache = RadixCache(self.n_blocks) if cfg.prefix_caching else None
        self.handles: dict[int, object] = {}
        self.group = w.prefix_group
        self.shared = w.prefix_tokens
        self.wm = int(cfg.watermark * self.n_blocks)
        self.extra_s = 0.0                           # swap traffic charged to this step
        self.n_preempted_step = 0
        # static batching: members that finished but still hold their slot, padded length
        self.static_hold: list[int] = []
        self.static_len = 0

    def _check_fits(self) -> None:
        cfg = self.cfg
        total = self.prompt + self.out
        longest = int(total.max(initial=0))
        if longest > cfg.max_len_tokens:
            raise ValueError(f"max_len_tokens must be >= the longest request, prompt + output = "
                             f"{longest}; got {cfg.max_len_tokens} (or build the workload with "
                             f"max_len_tokens to truncate it)")
        if cfg.memory == "contiguous":
            need = cfg.max_len_tokens if cfg.reserve == "max" else longest
            if cfg.reserve == "pow2":
                need = min(cfg.max_len_tokens, 1 << (longest - 1).bit_length())
        else:
            need = -(-longest // self.bs) * self.bs
        if need > self.n_blocks * self.bs:
            raise ValueError(f"max_len_tokens: one request may need {need} KV tokens but the "
                             f"{self.n_blocks} blocks of {self.bs} left after the weights hold "
                             f"{self.n_blocks * self.bs}; use a larger GPU or shorter requests")

    # -- queues ----------------------------------------------------------------------------

    def arrive(self) -> None:
        j = bisect.bisect_right(self.arrival_list, self.now, self.ptr)
        if j > self.ptr:
            self.waiting.extend(range(self.ptr, j))
            self.ptr = j

    def n_running(self) -> int:
        return self.d_req.shape[0] + len(self.pf)

    # -- the decode rows ---------------------------------------------------------------------

    def dec_add(self, rs: np.ndarray, slots: np.ndarray) -> None:
        self.d_req = np.concatenate((self.d_req, rs))
        self.d_slot = np.concatenate((self.d_slot, slots))
        self.d_rem = np.concatenate((self.d_rem, self.out[rs] - self.gen[rs]))
        self.d_last = np.concatenate((self.d_last, self.last_tok[rs]))

    def emit_first(self, rs: list[int], remote: bool = False) -> None:
        """Requests whose prefill just ended sample a token; they join the decode rows.

        ``remote``: the prefill ran elsewhere and its token came out at ``prefilled_at``.
        """
        now = self.now
        join, done = [], []
        for r in rs:
            at = float(self.prefilled_at[r]) if remote else now
            if self.gen[r] == 0:
                self.first_tok[r] = at
            else:
                self.itl.append(np.array([at - self.last_tok[r]]))
            self.last_tok[r] = at
            self.gen[r] += 1
            if self.cache is not None:
                self.cache_prompt(r)
            (done if self.gen[r] >= self.out[r] else join).append(r)
        if join:
            j = np.array(join, dtype=np.int64)
            self.dec_add(j, self.slot_of[j])
        if done:
            d = np.array(done, dtype=np.int64)
            self.finish[d] = now
            self.end(d, self.slot_of[d])

    def end(self, rs: np.ndarray, slots: np.ndarray) -> None:
        self.n_done += rs.shape[0]
        if self.cfg.policy == "static":
            self.static_hold.extend(rs.tolist())
        else:
            self.release(rs, slots)

    # -- KV state for the trace --------------------------------------------------------------

    def kv_state(self) -> tuple[int, int, int, int]:
        """(blocks used, cached blocks, stored tokens, reserved tokens) right now."""
        cached = self.cache.size if self.cache is not None else 0
        if self.paged:
            used = self.bm.used_blocks
            return used, cached, int(self.bm.n_seq_tokens.sum()), used * self.bs
        res = self.cb.reserved_tokens
        return -(-res // self.bs), 0, self.cb.stored_tokens, res

    def result(self) -> ServingTrace:
        rec, n = self.rec, self.rec.n
        ints = {name: rec.i[:n, k].copy() for k, name in enumerate(STEP_INT_FIELDS)}
        if self.record_batches:
            sizes = np.array([b.shape[0] for b in self.batches], dtype=np.int64)
            batch_request = np.concatenate(self.batches) if self.batches else np.empty(0, np.int64)
        else:
            sizes, batch_request = np.zeros(n, dtype=np.int64), np.empty(0, np.int64)
        return ServingTrace(
            step_start_s=rec.f[:n, 0].copy(), step_s=rec.f[:n, 1].copy(), **ints,
            arrival_s=np.asarray(self.arrival, dtype=np.float64), prompt_tokens=self.prompt,
            output_tokens=self.out, first_scheduled_s=self.first_sched,
            first_token_s=self.first_tok, finish_s=self.finish, n_preemptions=self.n_preempt,
            cached_tokens=self.cached,
            itl_s=np.concatenate(self.itl) if self.itl else np.empty(0),
            batch_request=batch_request,
            batch_offset=np.concatenate(([0], np.cumsum(sizes))),
            n_blocks=self.n_blocks, block_size=self.bs,
            kv_bytes_per_token=self.cost.kv_bytes_per_token, policy=self.cfg.policy,
            label=self.cost.label)

    # -- the loop ----------------------------------------------------------------------------

    def run(self) -> ServingTrace:
        n = self.w.n_requests
        step = {"static": self.static_step, "continuous":
                self.chunked_step if self.cfg.chunked_prefill else self.vllm_step}[self.cfg.policy]
        while self.n_done < n:
            self.arrive()
            idle = (not self.d_req.shape[0] and not self.pf and not self.waiting
                    and not self.swapped and not self.static_hold)
            if idle:
                self.now = max(self.now, self.arrival_list[self.ptr])
                continue
            mark = (len(self.waiting), len(self.swapped), self.n_preempted_step)
            ran = step()
            stuck = mark == (len(self.waiting), len(self.swapped), self.n_preempted_step)
            if not ran and stuck and not self.n_running() and not self.static_hold:
                raise RuntimeError(f"engine stalled at t={self.now:.6f}s with "
                                   f"{len(self.waiting)} waiting and nothing running")
            if self.check:
                self.audit()
        return self.result()

    def audit(self) -> None:
        """Brute-force checks of the memory bookkeeping (``AssertionError`` if broken)."""
        (self.bm if self.paged else self.cb).audit()
        live = np.concatenate((self.d_req, np.array(self.pf, dtype=np.int64),
                               np.array(self.static_hold, dtype=np.int64)))
        assert np.unique(live).shape[0] == live.shape[0], "a request runs twice"
        slots = self.slot_of[live]
        assert (slots >= 0).all() and np.unique(slots).shape[0] == slots.shape[0], "slot shared"
        mem = self.bm if self.paged else self.cb
        assert int(mem.live.sum()) == live.shape[0], "a slot outlived its request"
        assert (self.slot_of >= 0).sum() == live.shape[0], "a finished request kept its slot"
        # every token but the newest is in the cache: prompt + output so far - 1
        gen = self.out[self.d_req] - self.d_rem
        kv = mem.n_seq_tokens[self.d_slot]
        assert (kv == self.prompt[self.d_req] + gen - 1).all(), "KV length off for a decoding request"
        for r in self.pf:
            assert mem.n_seq_tokens[self.slot_of[r]] < self.target[r], "a finished prefill still waits"


def simulate(workload: Workload, cost: CostModel, config: EngineConfig | None = None, *,
             fast: bool = True, record_batches: bool = False, check: bool = False,
             prefilled_at_s=None) -> ServingTrace:
    """Run ``workload`` through one engine replica; return its :class:`ServingTrace`.

    ``fast=False`` steps one decode at a time (same trace, slower); ``record_batches``
    keeps which requests ran in every step; ``check`` audits the block tables, free
    list and reference counts after every step (slow; for tests). With
    ``config.remote_prefill``, ``prefilled_at_s`` says when each request's first token
    came out of the prefill pool (default: its arrival), so gaps are measured from it.
    """
    if not isinstance(workload, Workload):
        raise ValueError(f"workload must be a vizkit.serving Workload; got {type(workload).__name__}")
    if not isinstance(cost, CostModel):
        raise ValueError(f"cost must be a vizkit.serving CostModel; got {type(cost).__name__}")
    cfg = EngineConfig() if config is None else config
    if not isinstance(cfg, EngineConfig):
        raise ValueError(f"config must be an EngineConfig; got {type(cfg).__name__}")
    positive_int("workload.n_requests", workload.n_requests)
    if prefilled_at_s is not None:
        prefilled_at_s = np.asarray(prefilled_at_s, dtype=np.float64)
        if prefilled_at_s.shape != workload.arrival_s.shape or (prefilled_at_s > workload.arrival_s).any():
            raise ValueError("prefilled_at_s must hold one time per request, none after its arrival")
    return _Engine(workload, cost, cfg, bool(fast), bool(record_batches), bool(check),
                   prefilled_at_s).run()
