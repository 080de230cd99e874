"""Re-simulation time of every Part 0 and Part 1 simulation in its default scenario.

    python benchmarks/parts01.py            # median of 15 runs each
    python benchmarks/parts01.py --runs 50

Measured, not asserted (DESIGN §6 budget: under 50 ms in CPython). The table also
gives frames per trace and the bytes its buffers add to a page, so a change can be
compared side by side with the last run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from vizkit import foundations as F  # noqa: E402
from vizkit import nn  # noqa: E402

BUDGET_MS = 50.0

# (chapter, name, the call a slider change would re-run)
SIMULATIONS = [
    ("P0.1", "sum_trace", F.sum_trace),
    ("P0.1", "unit_ball_trace", F.unit_ball_trace),
    ("P0.2", "curve_trace (sigmoid, 9 slopes)",
     lambda: F.curve_trace("sigmoid", param="w", param_values=[0.25, 0.5, 1, 2, 3, 4, 6, 8, 10])),
    ("P0.3", "rotation_trace", F.rotation_trace),
    ("P0.4", "affine_trace", F.affine_trace),
    ("P0.4", "gemm_trace (4x3 @ 3x5)", F.gemm_trace),
    ("P0.4", "gemv_trace (4x3 @ 3)", F.gemv_trace),
    ("P0.5", "secant_trace", F.secant_trace),
    ("P0.5", "descent_trace (quadratic)", F.descent_trace),
    ("P0.5", "descent_trace (rosenbrock, 200 steps)",
     lambda: F.descent_trace("rosenbrock", learning_rate=1.5e-3, n_steps=200)),
    ("P0.6", "temperature_trace", F.temperature_trace),
    ("P0.6", "sampling_trace", F.sampling_trace),
    ("P0.7", "race_trace (ravine)", F.race_trace),
    ("P0.7", "race_trace (rosenbrock, 500 steps)", lambda: F.race_trace("rosenbrock", n_steps=500)),
    ("P1.1", "perceptron_trace", nn.perceptron_trace),
    ("P1.2", "activation_trace", nn.activation_trace),
    ("P1.2", "universal_fit", nn.universal_fit),
    ("P1.2", "width_sweep", nn.width_sweep),
    ("P1.3", "loss_curve_trace", nn.loss_curve_trace),
    ("P1.4", "backprop_trace", nn.backprop_trace),
    ("P1.5", "train_trace (two moons, 200 steps)", nn.train_trace),
    ("P1.5", "train_scenario overfit (300 steps)", lambda: nn.train_scenario("overfit")),
    ("P1.6", "signal_trace (50 layers)", nn.signal_trace),
    ("P1.7", "sequence_trace", nn.sequence_trace),
    ("P1.8", "norm_stages", nn.norm_stages),
    ("P1.8", "residual_trace (48 blocks)", nn.residual_trace),
]


def measure(fn, runs: int) -> tuple[float, object]:
    trace = fn()                                   # warm-up: imports, caches
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        trace = fn()
        samples.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(samples), trace


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    rows = []
    for chapter, name, fn in SIMULATIONS:
        ms, trace = measure(fn, args.runs)
        kb = sum(len(b) for b in trace.to_buffers().values()) / 1000
        rows.append((chapter, name, f"{ms:.2f} ms", str(len(trace)), f"{kb:.1f} KB",
                     "ok" if ms < BUDGET_MS else "OVER"))

    header = ("chapter", "simulation (default scenario)", "median", "frames", "buffers", f"< {BUDGET_MS:.0f} ms")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("-|-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
