r"""Exercises of chapter P9.5, "Serving metrics and SLOs: TTFT, TPOT, P99, goodput".

Each ``check_*`` computes its expected answer with :mod:`vizkit.serving` (through the
load sweep of :mod:`vizkit.widgets.slo`), then hands it to
:class:`vizkit.exercises.Answer`.

The break-it exercise computes goodput over the sweep with a metrics function that
has one of :data:`BUGS` planted (:func:`goodput_curve`):

==============  ================================================================
bug             goodput against offered load
==============  ================================================================
either-slo      a request counts if it meets TTFT *or* TPOT: goodput follows
                throughput far past the knee and never collapses
short-window    rates are divided by the window in which requests *arrived*, not
                by the run until the last one finished: goodput rises above
                throughput, which no correct metric allows
mean-as-p99     reports the mean where P99 belongs: goodput is unchanged (only
                the latency table lies)
==============  ================================================================

>>> percentile([0.1, 0.12, 0.15, 0.2, 0.22, 0.3, 0.35, 0.5, 0.9, 3.0], 90)
1.11
"""

from __future__ import annotations

import numpy as np

from vizkit._validate import in_range, one_of, positive_float

from . import Answer

__all__ = ["SAMPLE_TTFT_S", "BUGS", "MYSTERIES", "RATIO_BUCKETS", "percentile", "check_percentile",
           "goodput_over_peak", "ratio_bucket", "check_goodput_ratio", "goodput_curve", "mystery_curve",
           "plot_goodput", "check_bug"]

#: Ten times to first token (seconds) for the compute-it exercise.
SAMPLE_TTFT_S = (0.10, 0.12, 0.15, 0.20, 0.22, 0.30, 0.35, 0.50, 0.90, 3.00)

#: The deliberate metric bugs :func:`goodput_curve` can plant.
BUGS = {
    "either-slo": "a request counts towards goodput if it meets the TTFT target or the TPOT target",
    "short-window": "goodput is requests meeting the SLO divided by the time from the first to the "
                    "last arrival, instead of to the last finish",
    "mean-as-p99": "the latency report shows the mean where it says P99",
}

#: The break-it exercise's suspects.
MYSTERIES = {"A": "either-slo", "B": "short-window"}

#: Answers the predict-then-check exercise accepts.
RATIO_BUCKETS = ("above 90%", "60% to 90%", "30% to 60%", "below 30%")


# --- compute it: a percentile --------------------------------------------------------------

def percentile(values, q: float) -> float:
    """The ``q``-th percentile of ``values`` with linear interpolation (numpy's default),
    as :func:`vizkit.serving.percentiles` computes it."""
    from vizkit.serving import percentiles

    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or x.size == 0 or not np.isfinite(x).all():
        raise ValueError(f"values must be a non-empty list of finite numbers; got {values!r}")
    qq = in_range("q", q, 0.0, 100.0)
    return round(percentiles(x, (qq,))[f"p{qq:g}"], 12)


def check_percentile(answer: object, q: float = 90) -> bool:
    """Compute-it: the ``q``-th percentile of :data:`SAMPLE_TTFT_S`."""
    return Answer(f"P{q:g} of the ten TTFTs (seconds)", percentile(SAMPLE_TTFT_S, q), rel_tol=0.01,
                  hint="sort them; the P90 sits 90% of the way from the first to the last, at index "
                       "0.9 × (10 − 1) = 8.1, so interpolate between the 9th and 10th values").check(answer)


# --- predict, then check: how much of the peak is good ------------------------------------

def goodput_over_peak(scenario: str = "tight-tpot") -> float:
    """DistServe goodput (highest load meeting the SLO goal) over the peak measured throughput."""
    from vizkit.widgets.slo import PRESETS, slo_scenario, sweep

    ttft, tpot, goal, label = PRESETS[one_of("scenario", scenario, PRESETS)]
    sc = slo_scenario(scenario, ttft, tpot, goal, label)
    return sc["goodput_rate"] / float(sweep()["throughput"].max())


def ratio_bucket(ratio: float) -> str:
    """Which of :data:`RATIO_BUCKETS` a ratio falls in."""
    r = in_range("ratio", ratio, 0.0, 10.0)
    return RATIO_BUCKETS[0 if r > 0.9 else 1 if r > 0.6 else 2 if r > 0.3 else 3]


def check_goodput_ratio(answer: object) -> bool:
    """Predict-then-check: under the 25 ms TPOT SLO, goodput as a share of peak throughput."""
    return Answer("goodput / peak throughput, TPOT target 25 ms", ratio_bucket(goodput_over_peak()),
                  choices=RATIO_BUCKETS, hint="TPOT grows with the batch: find the load where the P90 "
                  "TPOT crosses 25 ms, and compare it with where throughput flattens").check(answer)


# --- break it --------------------------------------------------------------------------------

def goodput_curve(bug: str | None = None, ttft_slo_s: float = 0.25, tpot_slo_s: float = 0.1) -> np.ndarray:
    """Goodput (requests per second meeting the SLO) at every load of the sweep, computed by a
    metrics function with ``bug`` planted (``None``: the correct one, :func:`vizkit.serving.slo_met`)."""
    from vizkit.serving import SLO, slo_met, tpot_s, ttft_s
    from vizkit.widgets.slo import _traces

    if bug is not None:
        one_of("bug", bug, BUGS)
    slo = SLO(ttft_s=positive_float("ttft_slo_s", ttft_slo_s), tpot_s=positive_float("tpot_slo_s", tpot_slo_s))
    out = []
    for t in _traces():
        end = t.arrival_s.max() if bug == "short-window" else t.finish_s.max()
        span = float(end - t.arrival_s.min())
        if bug == "either-slo":
            met = (ttft_s(t) <= slo.ttft_s) | (tpot_s(t) <= slo.tpot_s)
        else:                                  # correct; mean-as-p99 does not touch goodput
            met = slo_met(t, slo)
        out.append(float(met.sum()) / span)
    return np.asarray(out)


def mystery_curve(which: str = "A") -> np.ndarray:
    """The goodput curve of mystery metrics code ``which`` (see :data:`MYSTERIES`)."""
    return goodput_curve(MYSTERIES[one_of("which", which, MYSTERIES)])


def plot_goodput(good: np.ndarray, other: np.ndarray, labels=("correct metrics", "mystery metrics")):
    """Throughput and two goodput curves against offered load. Needs matplotlib; returns the figure."""
    import matplotlib.pyplot as plt

    from vizkit.widgets.slo import RATES, sweep

    fig, ax = plt.subplots(figsize=(7.5, 3.2), constrained_layout=True)
    ax.plot(RATES, sweep()["throughput"], color="#57606a", lw=1.5, label="throughput")
    ax.plot(RATES, good, color="#0072B2", lw=2, marker="o", ms=3, label=labels[0])
    ax.plot(RATES, other, color="#D55E00", lw=2, ls="--", marker="s", ms=3, label=labels[1])
    ax.set_xlabel("offered load (requests/s)")
    ax.set_ylabel("requests/s")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False)
    return fig


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind :func:`mystery_curve` ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug in mystery metrics {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="is the mystery goodput above or below the correct one, and at which loads? a "
                       "bug that makes the SLO easier to meet lifts it; one that inflates a latency "
                       "sinks it").check(answer)
