r"""Exercises of chapter P9.6, "Prefill–decode interference and chunked prefill".

Each ``check_*`` computes its expected answer with :mod:`vizkit.serving`, then
hands it to :class:`vizkit.exercises.Answer`.

The diagnose-it exercise shows the engine-step timeline of the chapter's scripted
stream (:func:`vizkit.widgets.chunked.chunked_scenario`) under a scheduling
configuration from :data:`CONFIGS`; the reader names it from the picture:

===============  ==============================================================
configuration    fingerprint
===============  ==============================================================
no-chunking      one step as long as a whole long prefill; every decode waits
budget-256       many short steps, all about the same; the long prompt's prefill
                 is spread thin and its first token comes late
budget-2048      mixed steps a few times longer than a decode step; gaps in
                 between the two
===============  ==============================================================

>>> round(prefill_step_ms(4096), 1) > 60
True
"""

from __future__ import annotations

import numpy as np

from vizkit._validate import one_of, positive_int
from vizkit.serving import EngineConfig, cost_model, lognormal, poisson_workload, simulate, summarize

from . import Answer

__all__ = ["ENGINE_SETUP", "CONFIGS", "MYSTERIES", "engine_run", "prefill_step_ms",
           "check_prefill_step_ms", "check_itl_p99_ms", "mystery_scenario", "plot_steps", "check_config"]

#: The motivation's engine run: model, GPU and a chat workload with a long tail of prompts.
ENGINE_SETUP = {"model": "llama-3-8b", "gpu": "h100-sxm", "n_requests": 400, "rate_per_s": 6.0,
                "prompt_median": 600, "prompt_sigma": 1.0, "prompt_max": 8000,
                "output_median": 200, "output_sigma": 0.6, "output_max": 1000, "seed": 0}

#: Scheduling configurations: 0 = no chunking, else the token budget per step.
CONFIGS = {"no-chunking": 0, "budget-256": 256, "budget-2048": 2048}

#: The diagnose-it exercise's suspects.
MYSTERIES = {"A": "budget-2048", "B": "budget-256"}


def _workload():
    e = ENGINE_SETUP
    return poisson_workload(e["n_requests"], rate_per_s=e["rate_per_s"],
                            prompt=lognormal(e["prompt_median"], e["prompt_sigma"], 16, e["prompt_max"]),
                            output=lognormal(e["output_median"], e["output_sigma"], 8, e["output_max"]),
                            seed=e["seed"])


def engine_run(budget: int = 0):
    """The motivation's workload through one engine: the trace's :class:`~vizkit.serving.Summary`.
    ``budget`` 0 = no chunking, else chunked prefill with that many tokens per step (256 to 8192)."""
    b = int(budget)
    if b != 0 and not 256 <= b <= 8192:
        raise ValueError(f"budget must be 0 (no chunking) or an integer in [256, 8192]; got {budget!r}")
    cfg = EngineConfig() if b == 0 else EngineConfig(chunked_prefill=True, max_batched_tokens=b)
    e = ENGINE_SETUP
    return summarize(simulate(_workload(), cost_model(e["model"], e["gpu"]), cfg))


# --- compute it ----------------------------------------------------------------------------

def prefill_step_ms(n_tokens: int, model: str = "llama-3-8b", gpu: str = "h100-sxm") -> float:
    """Milliseconds of one engine step that prefills a whole ``n_tokens`` prompt alone
    (the roofline of :mod:`vizkit.serving.cost`, causal attention included)."""
    n = positive_int("n_tokens", n_tokens, maximum=1 << 20)
    cm = cost_model(model, gpu)
    return 1e3 * cm.step_s_scalar(n, n * (n + 1) // 2, 0)


def check_prefill_step_ms(answer: object, n_tokens: int = 4096) -> bool:
    """Compute-it: how long every running decode waits while a ``n_tokens`` prompt is prefilled."""
    return Answer(f"ms to prefill {n_tokens} tokens in one step", prefill_step_ms(n_tokens), rel_tol=0.1,
                  hint="a prefill this long is compute-bound: FLOPs per token × tokens ÷ peak FLOP/s; "
                       "attention adds a few per cent").check(answer)


# --- predict, then check -------------------------------------------------------------------

def check_itl_p99_ms(answer: object, budget: int = 512) -> bool:
    """Predict-then-check: P99 inter-token latency (ms) with chunked prefill at ``budget``."""
    return Answer(f"P99 inter-token latency with a {budget}-token budget, ms",
                  1e3 * engine_run(budget).itl_p99_s, rel_tol=0.15,
                  hint="a step now holds at most the budget's worth of tokens: its time is about the "
                       "time of a prefill of that many tokens, plus the decodes' KV reads").check(answer)


# --- diagnose it ---------------------------------------------------------------------------

def mystery_scenario(which: str = "A") -> dict:
    """The chapter's scripted stream under mystery configuration ``which`` (see :data:`MYSTERIES`)."""
    from vizkit.widgets.chunked import chunked_scenario

    return chunked_scenario(CONFIGS[MYSTERIES[one_of("which", which, MYSTERIES)]])


def plot_steps(sc: dict, label: str = "mystery"):
    """Step durations over time (bars split into prefill and decode share) and the gap before
    each output token. Needs matplotlib; returns the figure."""
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(9.5, 2.8), constrained_layout=True)
    start, dur = 1e3 * sc["step_start"], 1e3 * sc["step_s"]
    pf, dec = sc["prefill_tokens"], sc["decodes"]
    share = np.where(pf + dec > 0, pf / np.maximum(pf + dec, 1), 0.0)
    a.bar(start, dur * (1 - share), width=dur, align="edge", color="#0072B2", label="decode share")
    a.bar(start, dur * share, bottom=dur * (1 - share), width=dur, align="edge", color="#D55E00",
          label="prefill share")
    a.set_xlabel("time (ms)")
    a.set_ylabel("step time (ms)")
    a.set_title(f"{label}: engine steps", fontsize=10)
    a.legend(frameon=False, fontsize=8)
    first = np.r_[True, sc["tok_req"][1:] != sc["tok_req"][:-1]]
    b.scatter(1e3 * sc["tok_t"][~first], 1e3 * sc["tok_gap"][~first], s=4, color="#0072B2")
    b.set_yscale("log")
    b.set_xlabel("time (ms)")
    b.set_ylabel("gap before token (ms)")
    b.set_title(f"{label}: inter-token gaps", fontsize=10)
    return fig


def check_config(answer: object, which: str = "A") -> bool:
    """Diagnose-it: name the configuration behind :func:`mystery_scenario` ``which``."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the configuration of mystery {which}", MYSTERIES[which], choices=tuple(CONFIGS),
                  hint="read the tallest step first: a whole long prefill, a budget's worth of prompt, "
                       "or hardly more than a decode step?").check(answer)
