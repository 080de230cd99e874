r"""Exercises of chapter P9.7, "Disaggregated prefill and decode".

Each ``check_*`` computes its expected answer with :mod:`vizkit.serving` or the
chapter's widget sweep (:mod:`vizkit.widgets.disagg`), then hands it to
:class:`vizkit.exercises.Answer`.

The diagnose-it exercise asks which stage limits a disaggregated configuration
(:func:`bottleneck`): once load passes its goodput, does it miss the SLO on TTFT
(the **prefill** pool cannot keep up, requests queue for their prompt) or on TPOT
(the **decode** pool is overloaded, steps carry too many sequences)?

>>> round(handoff_ms(1500, "nvlink4"), 3)
0.438
"""

from __future__ import annotations

import numpy as np

from vizkit._validate import one_of, positive_float, positive_int
from vizkit.serving import LINKS, SLO, cost_model, transfer_s, tpot_s, ttft_s
from vizkit.widgets.disagg import ATTAINMENT, CONFIGS, N_GPUS, RATES, DisaggWidget, goodput

from . import Answer

__all__ = ["DEFAULT_SLO", "STAGES", "handoff_ms", "check_handoff_ms", "goodputs", "check_best_ratio",
           "gpus_needed", "check_gpus_needed", "bottleneck", "check_bottleneck"]

#: The chapter's SLO: TTFT 300 ms, TPOT 10 ms.
DEFAULT_SLO = SLO(ttft_s=0.3, tpot_s=0.01)

#: Where a disaggregated cluster can run out of capacity.
STAGES = ("prefill", "decode", "link")


# --- compute it ----------------------------------------------------------------------------

def handoff_ms(prompt_tokens: int, lnk: str = "roce-400g", model: str = "llama-3-8b") -> float:
    """Milliseconds to move one prompt's KV cache over ``lnk`` in one message."""
    n = positive_int("prompt_tokens", prompt_tokens, maximum=1 << 24)
    lk = LINKS[one_of("lnk", lnk, LINKS)]
    kvb = cost_model(model, "h100-sxm").kv_bytes_per_token
    return 1e3 * float(transfer_s(n * kvb, lk))


def check_handoff_ms(answer: object, prompt_tokens: int = 1500, lnk: str = "roce-400g") -> bool:
    """Compute-it: the KV hand-off time of one prompt."""
    return Answer(f"ms to hand off the KV of {prompt_tokens} tokens over {lnk}", handoff_ms(prompt_tokens, lnk),
                  rel_tol=0.05, hint="KV bytes per token × tokens ÷ link bandwidth (bytes per second); "
                                     "the latency is microseconds").check(answer)


# --- predict, then check -------------------------------------------------------------------

def goodputs(slo: SLO = DEFAULT_SLO) -> dict[str, float]:
    """Goodput (req/s on four GPUs) of every configuration of the chapter's sweep under ``slo``."""
    if not isinstance(slo, SLO):
        raise ValueError(f"slo must be a vizkit.serving SLO; got {type(slo).__name__}")
    from vizkit.serving import slo_met

    return {c: goodput([float(slo_met(DisaggWidget.trace(c, r), slo).mean()) for r in RATES])
            for c in CONFIGS}


def check_best_ratio(answer: object) -> bool:
    """Predict-then-check: which pool ratio (``"1P:3D"``, ``"2P:2D"`` or ``"3P:1D"``) has the
    highest goodput under the chapter's SLO."""
    g = goodputs()
    ratios = [c for c, (kind, _, _) in CONFIGS.items() if kind == "disagg"]
    best = max(ratios, key=lambda c: g[c])
    return Answer("the pool ratio with the highest goodput", best, choices=tuple(ratios),
                  hint="a prompt of ~1,500 tokens takes far longer to prefill than one decode step, but "
                       "every request decodes ~150 tokens; neither pool may be left idle").check(answer)


def gpus_needed(target_rate: float, config: str = "2P:2D", slo: SLO = DEFAULT_SLO) -> int:
    """GPUs to serve ``target_rate`` req/s within the SLO by adding four-GPU groups of ``config``
    in proportion (goodput scales with GPUs): ``ceil(target / (goodput / 4))``."""
    r = positive_float("target_rate", target_rate)
    g = goodputs(slo)[one_of("config", config, CONFIGS)]
    if g <= 0:
        raise ValueError(f"config: {config} meets the SLO at no load of the sweep")
    return int(np.ceil(r / (g / N_GPUS)))


def check_gpus_needed(answer: object, target_rate: float = 300.0, config: str = "2P:2D") -> bool:
    """Compute-it: GPUs for ``target_rate`` req/s in ``config``."""
    return Answer(f"GPUs for {target_rate:g} req/s as {config}", gpus_needed(target_rate, config),
                  hint="goodput per GPU = the configuration's goodput ÷ 4; divide and round UP").check(answer)


# --- diagnose it ---------------------------------------------------------------------------

def bottleneck(config: str, slo: SLO = DEFAULT_SLO) -> str:
    """``"prefill"`` if, at the first load of the sweep where ``config`` misses the SLO for more
    than 10% of requests, more of its requests miss TTFT than TPOT; else ``"decode"``."""
    kind = CONFIGS[one_of("config", config, CONFIGS)][0]
    if kind != "disagg":
        raise ValueError(f"config must be a disaggregated configuration; got {config!r}")
    for r in RATES:
        tr = DisaggWidget.trace(config, r)
        miss_ttft = ttft_s(tr) > slo.ttft_s
        miss_tpot = tpot_s(tr) > slo.tpot_s
        if (miss_ttft | miss_tpot).mean() > 1 - ATTAINMENT:
            return "prefill" if miss_ttft.sum() >= miss_tpot.sum() else "decode"
    return "prefill"


def check_bottleneck(answer: object, config: str = "3P:1D") -> bool:
    """Diagnose-it: the stage that limits ``config`` (one of :data:`STAGES`)."""
    return Answer(f"the stage that limits {config}", bottleneck(config), choices=STAGES,
                  hint="in the animation, which GPUs pile up requests as the load grows, and which SLO "
                       "target is missed: TTFT or TPOT?").check(answer)
