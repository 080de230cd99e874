"""Serving many requests: a deterministic discrete-event simulator of an LLM inference engine.

One engine replica (:func:`simulate`) turns a :class:`Workload` into a
:class:`ServingTrace` under an :class:`EngineConfig`, timing every step with a
roofline :class:`CostModel` built from a catalog model and GPU (:func:`cost_model`).
Around it: the PagedAttention block manager (:class:`PagedBlocks`) and the
contiguous baseline (:class:`ContiguousBlocks`), a radix-tree prefix cache
(:class:`RadixCache`), links that move KV (:data:`LINKS`), disaggregated pools
(:func:`simulate_disagg`), speculative decoding (:mod:`.spec`) and the metrics
(:func:`summarize`).

>>> from vizkit import serving
>>> cm = serving.cost_model("llama-3-8b", "h100-sxm")
>>> w = serving.poisson_workload(200, rate_per_s=10.0, seed=0)
>>> s = serving.summarize(serving.simulate(w, cm), serving.SLO(ttft_s=0.5, tpot_s=0.05))
>>> s.n_requests, s.slo_attainment > 0.9
(200, True)
"""

from .contiguous import ContiguousBlocks
from .cost import LIMITS, CostModel, cost_model
from .disagg import ClusterTrace, simulate_colocated, simulate_disagg
from .engine import simulate
from .links import LINKS, KVTransfer, Link, kv_transfer, link, transfer_s
from .metrics import (DISTSERVE_CHATBOT, SLO, Summary, e2e_s, kv_fragmentation, kv_utilization,
                      littles_law,
                      max_rate_under_slo, percentiles, slo_met, summarize, tpot_s, ttft_s)
from .paged import PagedBlocks
from .radix import RadixCache
from .scheduler import EngineConfig
from .spec import (SpecTrace, acceptance_rate, expected_tokens_per_pass, optimal_k,
                   rejection_sample, simulate_spec, speedup, speedup_from_costs)
from .trace import ServingTrace
from .workload import (LengthDist, Workload, bursty_workload, chat_output, chat_prompt, fixed,
                       lognormal, poisson_workload, replay_workload, uniform, with_shared_prefix)

__all__ = [
    "ContiguousBlocks", "LIMITS", "CostModel", "cost_model", "ClusterTrace", "simulate_colocated",
    "simulate_disagg", "simulate", "LINKS", "KVTransfer", "Link", "kv_transfer", "link",
    "transfer_s", "DISTSERVE_CHATBOT", "SLO", "Summary", "e2e_s", "kv_fragmentation", "kv_utilization",
    "littles_law",
    "max_rate_under_slo", "percentiles", "slo_met", "summarize", "tpot_s", "ttft_s", "PagedBlocks",
    "RadixCache", "EngineConfig", "SpecTrace", "acceptance_rate", "expected_tokens_per_pass",
    "optimal_k", "rejection_sample", "simulate_spec", "speedup", "speedup_from_costs",
    "ServingTrace", "LengthDist", "Workload", "bursty_workload", "chat_output", "chat_prompt",
    "fixed", "lognormal", "poisson_workload", "replay_workload", "uniform", "with_shared_prefix",
]
