"""Wall time of the serving simulator: 10,000 requests through one engine, as a table.

    python benchmarks/serving.py            # every policy, best of 3
    python benchmarks/serving.py --quick    # the default policy only, one run

Scenario: Llama 3 8B in bf16 on one H100 SXM, ShareGPT-like lengths (lognormal, mean
~165 prompt / ~338 output tokens), Poisson arrivals at 40 req/s (about 70% of what
the engine sustains), max_len_tokens 8192. Target: under 2 s per 10,000 requests on
CPython. Also times a 300-request run (a widget's re-simulation; budget 50 ms).
Measured, not asserted: compare the table with the last run's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from vizkit import serving as S  # noqa: E402

POLICIES = {
    "continuous (vLLM-style)": S.EngineConfig(),
    "continuous, chunked 2048": S.EngineConfig(chunked_prefill=True, max_batched_tokens=2048),
    "continuous, swap preempt": S.EngineConfig(preemption="swap"),
    "continuous, prefix cache": S.EngineConfig(prefix_caching=True),
    "contiguous (max len)": S.EngineConfig(memory="contiguous"),
    "static batching": S.EngineConfig(policy="static"),
}


def timed(fn, repeat: int):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--n", type=int, default=10_000)
    args = ap.parse_args()
    repeat = 1 if args.quick else 3
    cm = S.cost_model("llama-3-8b", "h100-sxm")
    w = S.poisson_workload(args.n, 40.0, seed=0, max_len_tokens=8192)
    small = S.poisson_workload(300, 40.0, seed=0, max_len_tokens=8192)
    policies = dict(list(POLICIES.items())[:1]) if args.quick else POLICIES
    print(f"{cm.label}; {args.n:,} requests, Poisson 40 req/s, ShareGPT-like lengths")
    head = (f"{'policy':<26} {'wall s':>7} {'300-req ms':>10} {'steps':>8} {'sim s':>7} "
            f"{'tok/s':>7} {'TTFT p99':>9} {'ITL p99':>8}")
    print(head)
    print("-" * len(head))
    for name, cfg in policies.items():
        work = S.with_shared_prefix(w, 8, 512) if cfg.prefix_caching else w
        wall, trace = timed(lambda c=cfg, x=work: S.simulate(x, cm, c), repeat)
        wall_small, _ = timed(lambda c=cfg: S.simulate(small, cm, c), max(repeat, 5))
        s = S.summarize(trace)
        print(f"{name:<26} {wall:>7.3f} {wall_small * 1e3:>10.1f} {trace.n_steps:>8,} "
              f"{trace.end_s:>7.1f} {s.throughput_tok_per_s:>7,.0f} {s.ttft_p99_s:>8.3f}s "
              f"{s.itl_p99_s * 1e3:>6.1f}ms")
    print("target: wall < 2 s per 10,000 requests; 300-request re-simulation < 50 ms")


if __name__ == "__main__":
    main()
