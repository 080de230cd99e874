r"""Disaggregated serving: prefill on one pool of GPUs, decode on another, KV shipped between.

A prefill step is compute bound and a decode step memory bound; on one GPU they
interfere (a long prefill stalls every running decode). DistServe (Zhong et al.
2024) and Splitwise (Patel et al. 2024) give each phase its own GPUs:

1. a request goes to a **prefill** instance (round robin), which computes its prompt
   and emits the first token (TTFT ends here);
2. its KV cache, ``prompt_tokens x kv_bytes_per_token``, crosses a :class:`~.links.Link`;
   each prefill GPU sends one transfer at a time, first come first served;
3. a **decode** instance (round robin in order of arrival) admits it with the KV in
   place (``remote_prefill``) and generates the rest.

:func:`simulate_colocated` runs the same GPUs as independent replicas that do both,
for comparison. Both return a :class:`ClusterTrace`, which :mod:`.metrics` reads
like a single engine's trace (TTFT, TPOT, goodput, ``itl_s``; the gap before the
second token includes the hand-off).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from vizkit._validate import positive_int

from ._record import Record
from .cost import CostModel
from .engine import simulate
from .links import LINKS, Link, link
from .scheduler import EngineConfig
from .workload import Workload

__all__ = ["ClusterTrace", "simulate_disagg", "simulate_colocated", "fifo_finish_s"]


@dataclass(frozen=True)
class ClusterTrace(Record):
    arrival_s: np.ndarray
    prompt_tokens: np.ndarray
    output_tokens: np.ndarray
    first_token_s: np.ndarray       # prefill done (TTFT)
    transfer_start_s: np.ndarray    # = first_token_s when colocated
    transfer_end_s: np.ndarray
    finish_s: np.ndarray
    prefill_gpu: np.ndarray         # instance index in its pool
    decode_gpu: np.ndarray          # -1: finished at prefill (one output token)
    itl_s: np.ndarray               # gaps between tokens (the second one's includes the hand-off)
    n_prefill: int
    n_decode: int                   # 0 when colocated
    link_name: str

    @property
    def n_requests(self) -> int:
        return int(self.arrival_s.shape[0])

    @property
    def n_gpus(self) -> int:
        return self.n_prefill + self.n_decode


def fifo_finish_s(ready_s: np.ndarray, service_s: np.ndarray) -> np.ndarray:
    r"""Finish times of jobs served one at a time in the order given:
    :math:`f_i = \max(r_i, f_{i-1}) + d_i = S_i + \max_{j \le i}(r_j - S_{j-1})`, with
    :math:`S` the running sum of service times.

    >>> fifo_finish_s(np.array([0.0, 0.0, 5.0]), np.array([1.0, 1.0, 1.0])).tolist()
    [1.0, 2.0, 6.0]
    """
    s = np.cumsum(service_s)
    return s + np.maximum.accumulate(ready_s - (s - service_s))


def _subset(w: Workload, idx: np.ndarray, arrival_s: np.ndarray, output: np.ndarray) -> tuple:
    order = np.argsort(arrival_s[idx], kind="stable")
    idx = idx[order]
    return idx, Workload(arrival_s[idx], w.prompt_tokens[idx], output[idx],
                         w.prefix_group[idx], w.prefix_tokens[idx])


def _check(workload, n_name: str, n: int) -> int:
    if not isinstance(workload, Workload):
        raise ValueError(f"workload must be a vizkit.serving Workload; got {type(workload).__name__}")
    return positive_int(n_name, n, maximum=4096)


def simulate_disagg(workload: Workload, prefill_cost: CostModel, decode_cost: CostModel | None = None,
                    n_prefill: int = 1, n_decode: int = 1, lnk: Link | str = "nvlink4",
                    prefill_config: EngineConfig | None = None,
                    decode_config: EngineConfig | None = None) -> ClusterTrace:
    """Serve ``workload`` on ``n_prefill`` prefill and ``n_decode`` decode instances."""
    npf = _check(workload, "n_prefill", n_prefill)
    ndc = positive_int("n_decode", n_decode, maximum=4096)
    lk = link(lnk) if isinstance(lnk, str) else lnk
    if not isinstance(lk, Link):
        raise ValueError(f"lnk must be a Link or one of {', '.join(LINKS)}; got {lnk!r}")
    dcost = prefill_cost if decode_cost is None else decode_cost
    pcfg = prefill_config or EngineConfig()
    dcfg = replace(decode_config or EngineConfig(), remote_prefill=True)
    w, n = workload, workload.n_requests
    first = np.empty(n)
    pgpu = np.arange(n) % npf
    for g in range(npf):                                   # prefill pool: one token each
        idx, sub = _subset(w, np.flatnonzero(pgpu == g), w.arrival_s, np.ones(n, np.int64))
        if idx.shape[0]:
            first[idx] = simulate(sub, prefill_cost, pcfg).first_token_s
    kv_bytes = w.prompt_tokens * prefill_cost.kv_bytes_per_token
    t_start, t_end = np.empty(n), np.empty(n)
    for g in range(npf):                                   # one link per prefill GPU, FIFO
        idx = np.flatnonzero(pgpu == g)
        idx = idx[np.argsort(first[idx], kind="stable")]
        dur = lk.latency_s + kv_bytes[idx] / lk.bw_bytes_per_s
        end = fifo_finish_s(first[idx], dur)
        t_end[idx] = end
        t_start[idx] = np.maximum(first[idx], np.concatenate(([-np.inf], end[:-1])))
    finish = first.copy()
    dgpu = np.full(n, -1, dtype=np.int64)
    more = np.flatnonzero(w.output_tokens > 1)
    more = more[np.argsort(t_end[more], kind="stable")]
    dgpu[more] = np.arange(more.shape[0]) % ndc
    itl = []
    for g in range(ndc):                                   # decode pool: the KV is there
        idx, sub = _subset(w, np.flatnonzero(dgpu == g), t_end, w.output_tokens)
        if idx.shape[0]:
            t = simulate(sub, dcost, dcfg, prefilled_at_s=first[idx])
            finish[idx] = t.finish_s
            itl.append(t.itl_s)
    return ClusterTrace(w.arrival_s, w.prompt_tokens, w.output_tokens, first, t_start, t_end,
                        finish, pgpu, dgpu, np.concatenate(itl) if itl else np.empty(0),
                        npf, ndc, lk.name)


def simulate_colocated(workload: Workload, cost: CostModel, n_gpus: int = 2,
                       config: EngineConfig | None = None) -> ClusterTrace:
    """``n_gpus`` independent replicas that each prefill and decode (round robin)."""
    ng = _check(workload, "n_gpus", n_gpus)
    w, n = workload, workload.n_requests
    first, finish = np.empty(n), np.empty(n)
    gpu = np.arange(n) % ng
    itl = []
    for g in range(ng):
        idx, sub = _subset(w, np.flatnonzero(gpu == g), w.arrival_s, w.output_tokens)
        if idx.shape[0]:
            t = simulate(sub, cost, config)
            first[idx], finish[idx] = t.first_token_s, t.finish_s
            itl.append(t.itl_s)
    return ClusterTrace(w.arrival_s, w.prompt_tokens, w.output_tokens, first, first.copy(),
                        first.copy(), finish, gpu, gpu.copy(),
                        np.concatenate(itl) if itl else np.empty(0), ng, 0, "")
