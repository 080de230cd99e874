r"""Serving metrics: what a client feels and what the operator pays for.

Per request, from a trace's timestamps:

* **TTFT**, time to first token: ``first_token_s - arrival_s`` (queueing + prefill);
* **TPOT**, time per output token after the first:
  :math:`(t_\text{finish} - t_\text{first}) / (n_\text{out} - 1)`;
* **E2E** latency: ``finish_s - arrival_s``.

Per token: **ITL**, the inter-token latency, the gap before each token after the
first (``trace.itl_s``); its tail (P99) is what a reader of a streamed answer sees
as a stall. Per run: **throughput** (output tokens or requests per second),
**goodput** (requests per second that met a :class:`SLO` on both TTFT and TPOT,
DistServe, Zhong et al. 2024), KV **utilisation** (the share of reserved KV slots
that hold real tokens, time-averaged) and the number of preemptions.

Little's law (a steady queue holds :math:`L = \lambda W` requests) ties the
per-step queue counts to the per-request latencies: :func:`littles_law`.

>>> percentiles(np.arange(101.0))
{'p50': 50.0, 'p90': 90.0, 'p99': 99.0}
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable, Iterable

import numpy as np

from vizkit._validate import positive_float, probability

__all__ = ["SLO", "DISTSERVE_CHATBOT", "Summary", "ttft_s", "tpot_s", "e2e_s", "percentiles",
           "slo_met", "kv_utilization", "kv_fragmentation", "littles_law", "summarize", "max_rate_under_slo"]


@dataclass(frozen=True)
class SLO:
    """Latency targets one request must meet to count towards goodput."""

    ttft_s: float   # time to first token
    tpot_s: float   # mean time per output token after the first

    def __post_init__(self) -> None:
        positive_float("ttft_s", self.ttft_s)
        positive_float("tpot_s", self.tpot_s)


#: DistServe (Zhong et al. 2024) Table 1, chatbot with OPT-13B: TTFT 0.25 s, TPOT 0.1 s.
DISTSERVE_CHATBOT = SLO(ttft_s=0.25, tpot_s=0.1)


def ttft_s(trace) -> np.ndarray:
    return trace.first_token_s - trace.arrival_s


def tpot_s(trace) -> np.ndarray:
    """Per request; 0 for a request with a single output token (it has no TPOT)."""
    n = trace.output_tokens - 1
    gap = trace.finish_s - trace.first_token_s
    return np.where(n > 0, gap / np.maximum(n, 1), 0.0)


def e2e_s(trace) -> np.ndarray:
    return trace.finish_s - trace.arrival_s


def percentiles(x, qs: Iterable[float] = (50, 90, 99)) -> dict[str, float]:
    """``{"p50": ..., "p90": ..., "p99": ...}`` of ``x`` (NaN for an empty array)."""
    x = np.asarray(x, dtype=float)
    return {f"p{q:g}": (float(np.percentile(x, q)) if x.size else float("nan")) for q in qs}


def slo_met(trace, slo: SLO) -> np.ndarray:
    """Which requests met both targets."""
    if not isinstance(slo, SLO):
        raise ValueError(f"slo must be an SLO(ttft_s, tpot_s); got {slo!r}")
    return (ttft_s(trace) <= slo.ttft_s) & (tpot_s(trace) <= slo.tpot_s)


def kv_utilization(trace) -> float:
    r"""Time-averaged share of reserved KV token slots that hold a token:
    :math:`\sum_i s_i\,\Delta t_i / \sum_i r_i\,\Delta t_i` over steps with stored
    tokens :math:`s_i` and reserved slots :math:`r_i` (1.0 if nothing was reserved)."""
    reserved = float((trace.kv_reserved_tokens * trace.step_s).sum())
    return float((trace.kv_stored_tokens * trace.step_s).sum()) / reserved if reserved else 1.0


def kv_fragmentation(trace) -> float:
    """Time-averaged share of reserved KV slots holding no token: ``1 - kv_utilization``.

    Paged: the unfilled tail of each sequence's last block (under one block each).
    Contiguous: everything reserved for tokens not generated yet, or never.
    """
    return 1.0 - kv_utilization(trace)


def littles_law(trace) -> tuple[float, float, float]:
    """``(L, lam, W)``: time-averaged requests in the system from the per-step counts,
    arrival rate and mean time in the system from the per-request timestamps.

    A request is counted from the start of the first step after it arrives (the
    engine looks at its queue only then) until it leaves, so ``L`` runs slightly low,
    by about half a step per request.
    """
    running_before = np.concatenate(([0], trace.n_running[:-1] + trace.n_swapped[:-1]))
    in_system = trace.n_waiting + running_before
    span = float(trace.finish_s.max() - trace.arrival_s.min())
    L = float((in_system * trace.step_s).sum()) / span
    lam = trace.n_requests / span
    return L, lam, float(e2e_s(trace).mean())


@dataclass(frozen=True)
class Summary:
    n_requests: int
    duration_s: float               # first arrival to last finish
    throughput_tok_per_s: float     # output tokens
    throughput_req_per_s: float
    goodput_req_per_s: float        # requests that met the SLO, per second (nan without one)
    slo_attainment: float           # share of requests that met it (nan without one)
    ttft_p50_s: float
    ttft_p90_s: float
    ttft_p99_s: float
    tpot_p50_s: float
    tpot_p90_s: float
    tpot_p99_s: float
    itl_p50_s: float
    itl_p90_s: float
    itl_p99_s: float
    e2e_p50_s: float
    e2e_p99_s: float
    mean_batch: float               # decoding requests per step, time-averaged
    kv_peak_frac: float             # most KV blocks in use at once / all blocks
    kv_utilization: float           # see kv_utilization()
    kv_fragmentation: float         # 1 - kv_utilization
    n_preemptions: int
    prefix_hit_frac: float          # prompt tokens served by the prefix cache

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def summarize(trace, slo: SLO | None = None) -> Summary:
    """Every headline metric of a :class:`~.trace.ServingTrace` in one record."""
    span = float(trace.finish_s.max() - trace.arrival_s.min())
    t, p, i = percentiles(ttft_s(trace)), percentiles(tpot_s(trace)), percentiles(trace.itl_s)
    e = percentiles(e2e_s(trace), (50, 99))
    if slo is None:
        good = att = float("nan")
    else:
        met = slo_met(trace, slo)
        good, att = float(met.sum()) / span, float(met.mean())
    busy = float(trace.step_s.sum())
    return Summary(
        n_requests=trace.n_requests, duration_s=span,
        throughput_tok_per_s=float(trace.output_tokens.sum()) / span,
        throughput_req_per_s=trace.n_requests / span,
        goodput_req_per_s=good, slo_attainment=att,
        ttft_p50_s=t["p50"], ttft_p90_s=t["p90"], ttft_p99_s=t["p99"],
        tpot_p50_s=p["p50"], tpot_p90_s=p["p90"], tpot_p99_s=p["p99"],
        itl_p50_s=i["p50"], itl_p90_s=i["p90"], itl_p99_s=i["p99"],
        e2e_p50_s=e["p50"], e2e_p99_s=e["p99"],
        mean_batch=float((trace.n_decode_seqs * trace.step_s).sum()) / busy if busy else 0.0,
        kv_peak_frac=float(trace.kv_blocks_used.max(initial=0)) / trace.n_blocks,
        kv_utilization=kv_utilization(trace),
        kv_fragmentation=kv_fragmentation(trace),
        n_preemptions=int(trace.n_preemptions.sum()),
        prefix_hit_frac=float(trace.cached_tokens.sum()) / float(trace.prompt_tokens.sum()),
    )


def max_rate_under_slo(run: Callable[[float], object], slo: SLO, rates: Iterable[float],
                       attainment: float = 0.9) -> float:
    """Largest of ``rates`` (tried in increasing order) at which ``run(rate)`` meets ``slo``
    for at least ``attainment`` of requests: DistServe's goodput. 0.0 if none does.

    Stops at the first rate that fails, assuming attainment falls as load rises.
    """
    goal = probability("attainment", attainment)
    best = 0.0
    for rate in sorted(positive_float("rate", r) for r in rates):
        if float(slo_met(run(rate), slo).mean()) < goal:
            break
        best = rate
    return best
