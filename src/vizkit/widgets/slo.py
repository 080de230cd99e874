"""P9.5 widget: the saturation curve and the latency histograms behind TTFT, TPOT, P99 and goodput.

One workload shape is run through the engine simulator at a sweep of offered loads
(:data:`RATES`, requests per second): Llama 2 13B in BF16 on one A100 80GB with
vLLM's scheduler, chat-like lengths. For every load the widget gets throughput,
the TTFT and TPOT histograms with their P50, P90 and P99, and, per SLO, the share
of requests meeting it and the goodput (requests per second that met it). The
sweep is shared by every SLO; :data:`PRESETS` are shipped precomputed and
``"custom"`` follows the traits ``ttft_slo_s``, ``tpot_slo_s`` and ``attainment``.
Frames step through the loads.

>>> w = SLOWidget()
>>> w
SLOWidget(scenario='custom', ttft_slo_s=0.25, tpot_slo_s=0.05, attainment=0.9)
>>> w.ttft_slo_s = 0.0            # an SLO of zero: reported, not raised
>>> w.error
'ttft_slo_s must be a finite number > 0; got 0.0'
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import in_range, one_of
from vizkit.serving import (DISTSERVE_CHATBOT, LIMITS, SLO, EngineConfig, cost_model, percentiles,
                            poisson_workload, simulate, slo_met, summarize, tpot_s, ttft_s)

from .base import VizWidget

__all__ = ["SLOWidget", "LEAVES_OUT", "PRESETS", "RATES", "N_REQUESTS", "TTFT_EDGES", "TPOT_EDGES",
           "sweep", "slo_scenario", "distserve_goodput", "MODEL", "GPU"]

MODEL, GPU = "llama-2-13b", "a100-80gb-sxm"
#: Offered loads of the sweep, requests per second.
RATES = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0, 14.0, 16.0, 20.0)
N_REQUESTS = 1000
MAX_LEN = 4096
#: Histogram bin edges (seconds), logarithmic.
TTFT_EDGES = np.geomspace(5e-3, 60.0, 41)
TPOT_EDGES = np.geomspace(5e-3, 0.5, 41)

LEAVES_OUT = (
    "One engine replica (Llama 2 13B in BF16 on one A100 80GB), vLLM's scheduler without chunked "
    "prefill, chat-like requests arriving as a Poisson stream; the roofline step time leaves out "
    + "; ".join(LIMITS[:4]) + ". Each load runs a fixed number of requests, so above saturation the "
    "queue, and with it TTFT, would keep growing in a longer run. Network time, tokenization and "
    "streaming to the client add nothing here."
)

#: SLOs shipped with the page besides ``"custom"``: (ttft_s, tpot_s, attainment, label).
PRESETS = {
    "distserve-chatbot": (DISTSERVE_CHATBOT.ttft_s, DISTSERVE_CHATBOT.tpot_s, 0.9,
                          "DistServe's chatbot SLO: TTFT 0.25 s, TPOT 0.1 s"),
    "tight-tpot": (0.25, 0.025, 0.9, "TTFT 0.25 s, TPOT 25 ms"),
}


@lru_cache(maxsize=2)
def _traces(seed: int = 0):
    cm = cost_model(MODEL, GPU)
    cfg = EngineConfig(max_len_tokens=MAX_LEN)
    return tuple(simulate(poisson_workload(N_REQUESTS, r, seed=seed, max_len_tokens=MAX_LEN), cm, cfg)
                 for r in RATES)


def _hist(x: np.ndarray, edges: np.ndarray) -> np.ndarray:
    return np.histogram(np.clip(x, edges[0], edges[-1] * 0.999999), bins=edges)[0]


@lru_cache(maxsize=2)
def sweep(seed: int = 0) -> dict[str, Any]:
    """The SLO-independent part: per load, throughput, histograms and percentiles (numpy)."""
    traces = _traces(seed)
    thr, tok, pct, ttft_h, tpot_h = [], [], [], [], []
    for t in traces:
        s = summarize(t)
        thr.append(s.throughput_req_per_s)
        tok.append(s.throughput_tok_per_s)
        a, b = ttft_s(t), tpot_s(t)[t.output_tokens > 1]
        pa, pb = percentiles(a), percentiles(b)
        pct.append([pa["p50"], pa["p90"], pa["p99"], pb["p50"], pb["p90"], pb["p99"]])
        ttft_h.append(_hist(a, TTFT_EDGES))
        tpot_h.append(_hist(b, TPOT_EDGES))
    return {"rates": np.array(RATES), "throughput": np.array(thr), "tok_s": np.array(tok),
            "pct": np.array(pct), "ttft_hist": np.array(ttft_h), "tpot_hist": np.array(tpot_h),
            "n_preemptions": np.array([int(t.n_preemptions.sum()) for t in traces])}


def distserve_goodput(attained: np.ndarray, attainment: float, rates=RATES) -> float:
    """DistServe's goodput: the highest offered load whose SLO attainment is at least
    ``attainment``, scanning loads upwards and stopping at the first that fails (0 if none)."""
    best = 0.0
    for r, a in zip(rates, attained):
        if a < attainment:
            break
        best = float(r)
    return best


def slo_scenario(name: str, ttft_slo_s: float, tpot_slo_s: float, attainment: float = 0.9,
                 label: str = "", seed: int = 0) -> dict[str, Any]:
    """The SLO-dependent part over the sweep: per load, the share meeting each target and
    both, goodput (req/s meeting both), and DistServe's goodput for ``attainment``."""
    slo = SLO(ttft_s=ttft_slo_s, tpot_s=tpot_slo_s)
    goal = in_range("attainment", attainment, 0.01, 1.0)
    rows = []
    for t in _traces(seed):
        met = slo_met(t, slo)
        span = float(t.finish_s.max() - t.arrival_s.min())
        rows.append([float((ttft_s(t) <= slo.ttft_s).mean()), float((tpot_s(t) <= slo.tpot_s).mean()),
                     float(met.mean()), float(met.sum()) / span])
    m = np.array(rows)
    return {"name": name, "label": label or f"TTFT {ttft_slo_s:g} s, TPOT {tpot_slo_s:g} s",
            "ttft_slo_s": float(ttft_slo_s), "tpot_slo_s": float(tpot_slo_s), "attainment": goal,
            "met": m, "goodput_rate": distserve_goodput(m[:, 2], goal)}


def _wire_scenario(sc: dict[str, Any]) -> dict[str, Any]:
    return {**{k: sc[k] for k in ("name", "label", "ttft_slo_s", "tpot_slo_s", "attainment", "goodput_rate")},
            **to_buffers([("met", sc["met"].astype(np.float32))])}


def _wire_sweep(sw: dict[str, Any]) -> dict[str, Any]:
    return {"n_loads": len(RATES), "n_requests": N_REQUESTS, "n_bins": len(TTFT_EDGES) - 1,
            "ttft_edges": [float(x) for x in (TTFT_EDGES[0], TTFT_EDGES[-1])],
            "tpot_edges": [float(x) for x in (TPOT_EDGES[0], TPOT_EDGES[-1])],
            **to_buffers([("rates", sw["rates"].astype(np.float32)), ("throughput", sw["throughput"].astype(np.float32)),
                          ("tok_s", sw["tok_s"].astype(np.float32)), ("pct", sw["pct"].astype(np.float32)),
                          ("ttft_hist", sw["ttft_hist"].astype(np.int32)), ("tpot_hist", sw["tpot_hist"].astype(np.int32)),
                          ("preemptions", sw["n_preemptions"].astype(np.int32))])}


@lru_cache(maxsize=4)
def _preset(name: str) -> dict[str, Any]:
    ttft, tpot, goal, label = PRESETS[name]
    return _wire_scenario(slo_scenario(name, ttft, tpot, goal, label))


class SLOWidget(VizWidget):
    """Throughput and goodput against offered load (left); TTFT and TPOT histograms (right).

    Parameters
    ----------
    ttft_slo_s : time-to-first-token target of the ``"custom"`` SLO, seconds (> 0).
    tpot_slo_s : time-per-output-token target, seconds (> 0).
    attainment : share of requests that must meet both for a load to count (DistServe: 0.9).
    scenario : the SLO shown first: ``"custom"`` or a key of :data:`PRESETS`.
    """

    _bundle = "slo"
    _sim_params = ("ttft_slo_s", "tpot_slo_s", "attainment")
    _repr_params = ("scenario", "ttft_slo_s", "tpot_slo_s", "attainment")

    ttft_slo_s = traitlets.Float(0.25).tag(sync=True)
    tpot_slo_s = traitlets.Float(0.05).tag(sync=True)
    attainment = traitlets.Float(0.9).tag(sync=True)
    scenario = traitlets.Unicode("custom").tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)
    sweep = traitlets.Dict().tag(sync=True)

    def __init__(self, ttft_slo_s=0.25, tpot_slo_s=0.05, attainment=0.9, scenario="custom", **kwargs: Any) -> None:
        super().__init__(ttft_slo_s=ttft_slo_s, tpot_slo_s=tpot_slo_s, attainment=attainment, scenario=scenario,
                         description=LEAVES_OUT, **kwargs)
        one_of("scenario", self.scenario, ("custom", *PRESETS))
        self.sweep = _wire_sweep(sweep())
        self._apply(self._simulate())
        self._good = self.scenario
        self.observe(self._on_scenario, names=["scenario"])

    @property
    def n_frames(self) -> int:
        return len(RATES)

    def _custom(self) -> dict[str, Any]:
        try:
            SLO(ttft_s=self.ttft_slo_s, tpot_s=self.tpot_slo_s)
        except ValueError as exc:              # name the widget's trait, not the SLO field
            msg = str(exc)
            raise ValueError(msg.replace("ttft_s", "ttft_slo_s", 1) if msg.startswith("ttft_s")
                             else msg.replace("tpot_s", "tpot_slo_s", 1)) from None
        return slo_scenario("custom", self.ttft_slo_s, self.tpot_slo_s, self.attainment)

    def _simulate(self) -> list[dict[str, Any]]:
        return [_wire_scenario(self._custom()), *(_preset(k) for k in PRESETS)]

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self.scenarios = result

    def _on_scenario(self, change: dict) -> None:
        try:
            one_of("scenario", change["new"], ("custom", *PRESETS))
        except ValueError as exc:
            self.scenario = self._good
            self.error = str(exc)
            return
        self._good = change["new"]
        if self.error.startswith("scenario "):
            self.error = ""

    def run(self, scenario: str | None = None) -> dict[str, Any]:
        """The SLO-dependent numbers of a scenario, with the sweep (numpy arrays)."""
        key = self.scenario if scenario is None else one_of("scenario", scenario, ("custom", *PRESETS))
        if key == "custom":
            sc = self._custom()
        else:
            ttft, tpot, goal, label = PRESETS[key]
            sc = slo_scenario(key, ttft, tpot, goal, label)
        return {**sc, "sweep": sweep()}
