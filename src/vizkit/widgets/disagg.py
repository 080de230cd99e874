"""P9.7 widget: disaggregated prefill and decode pools against colocated replicas, under an SLO.

Four GPUs serve one Poisson stream of requests (:func:`disagg_workload`) in each
configuration of :data:`CONFIGS`: four colocated replicas (vLLM-style scheduling),
four colocated replicas with chunked prefill, or a prefill pool and a decode pool
(1:3, 2:2, 3:1) with every prompt's KV cache handed off over NVLink
(:func:`vizkit.serving.simulate_disagg`). Every configuration runs at every rate
of ``rates``; a request counts towards **goodput** if it meets both targets of the
SLO (TTFT and TPOT), and a configuration's goodput is the highest rate at which at
least 90% of requests do (DistServe's definition).

The traces are kept, so changing the SLO only re-scores them (no new simulation).
The animation shows one (configuration, load) pair at a time: per GPU, the
requests in their prefill phase and those decoding, and the hand-offs between the
pools; the configuration and the load switch in the browser.

>>> w = DisaggWidget()
>>> w
DisaggWidget(config='2P:2D', load=60.0, slo_ttft_ms=300.0, slo_tpot_ms=10.0)
>>> w.slo_tpot_ms = 0.0                 # bad input: reported, not raised
>>> w.error
'slo_tpot_ms must be a finite number > 0; got 0.0'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import one_of, positive_float
from vizkit.serving import (SLO, EngineConfig, cost_model, lognormal, poisson_workload, simulate_colocated,
                            simulate_disagg, slo_met, tpot_s, ttft_s)

from .base import VizWidget

__all__ = ["DisaggWidget", "CONFIGS", "RATES", "ANIMATED_RATES", "LEAVES_OUT", "N_GPUS", "ATTAINMENT",
           "disagg_workload", "run_config", "goodput", "N_FRAMES"]

LEAVES_OUT = (
    "Step times come from a roofline that takes the larger of memory time and compute time, "
    "as if the two overlapped perfectly inside every step; that favours mixing prefill and decode "
    "on one GPU, so chunked colocation looks better here than on real hardware. Every GPU is "
    "the same H100 with the same parallelism; a KV hand-off costs only its bytes over the link "
    "(NVLink, one transfer at a time per prefill GPU); requests are spread round robin; no "
    "queueing or batching delay in the router."
)

N_GPUS = 4
#: name -> (kind, prefill GPUs, decode GPUs)
CONFIGS = {
    "colocated": ("colocated", 4, 0),
    "colocated + chunked": ("chunked", 4, 0),
    "1P:3D": ("disagg", 1, 3),
    "2P:2D": ("disagg", 2, 2),
    "3P:1D": ("disagg", 3, 1),
}
#: Request rates of the goodput sweep (requests per second, all four GPUs together).
RATES = (10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0, 120.0, 140.0, 160.0, 200.0, 240.0)
#: Loads the animation can show.
ANIMATED_RATES = (30.0, 60.0, 90.0)
#: Share of requests that must meet the SLO (DistServe uses 90%).
ATTAINMENT = 0.9
N_FRAMES = 100
_N_REQUESTS = 300
_LINK = "nvlink4"


def disagg_workload(rate_per_s: float, n_requests: int = _N_REQUESTS, seed: int = 0):
    """Poisson arrivals at ``rate_per_s``; prompts lognormal around 1,500 tokens (up to 6,000),
    answers around 150 tokens (up to 800)."""
    return poisson_workload(n_requests, rate_per_s=rate_per_s,
                            prompt=lognormal(1500, 0.6, 64, 6000), output=lognormal(150, 0.6, 8, 800),
                            seed=seed)


def run_config(config: str, rate_per_s: float, model: str = "llama-3-8b", gpu: str = "h100-sxm"):
    """One configuration of :data:`CONFIGS` at one rate: a :class:`vizkit.serving.ClusterTrace`."""
    kind, npf, ndc = CONFIGS[one_of("config", config, CONFIGS)]
    w = disagg_workload(positive_float("rate_per_s", rate_per_s))
    cm = cost_model(model, gpu)
    if kind == "colocated":
        return simulate_colocated(w, cm, npf)
    if kind == "chunked":
        return simulate_colocated(w, cm, npf, EngineConfig(chunked_prefill=True, max_batched_tokens=512))
    return simulate_disagg(w, cm, cm, npf, ndc, _LINK)


def goodput(attainment_by_rate, rates=RATES, attainment: float = ATTAINMENT) -> float:
    """Highest rate, scanning up from the lowest, before attainment first drops below ``attainment``."""
    best = 0.0
    for r, a in zip(rates, attainment_by_rate):
        if a < attainment:
            break
        best = float(r)
    return best


def _frames(tr, kind: str, npf: int, ndc: int) -> dict[str, np.ndarray]:
    """Per frame and GPU: requests in their prefill phase and requests decoding; hand-offs."""
    end = float(tr.finish_s.max())
    ft = np.linspace(0, end, N_FRAMES + 1)[1:]
    prev = np.r_[0.0, ft[:-1]]
    ng = npf + ndc if kind == "disagg" else npf
    pre = np.zeros((N_FRAMES, ng), np.int64)
    dec = np.zeros((N_FRAMES, ng), np.int64)
    hand = np.zeros(N_FRAMES, np.int64)
    for f, t in enumerate(ft):
        in_pre = (tr.arrival_s <= t) & (tr.first_token_s > t)
        np.add.at(pre[f], tr.prefill_gpu[in_pre], 1)
        if kind == "disagg":
            decoding = (tr.transfer_end_s <= t) & (tr.finish_s > t) & (tr.decode_gpu >= 0)
            np.add.at(dec[f], npf + tr.decode_gpu[decoding], 1)
            moved = (tr.transfer_end_s > prev[f]) & (tr.transfer_end_s <= t)
            hand[f] = int(moved.sum())
        else:
            decoding = (tr.first_token_s <= t) & (tr.finish_s > t)
            np.add.at(dec[f], tr.prefill_gpu[decoding], 1)
    return {"frame_t": ft, "pre": pre, "dec": dec, "hand": hand}


class DisaggWidget(VizWidget):
    """Four GPUs as colocated replicas or as prefill and decode pools (top), SLO attainment
    against load (bottom left) and goodput per configuration (bottom right).

    Parameters
    ----------
    slo_ttft_ms, slo_tpot_ms : the SLO a request must meet to count towards goodput (ms, > 0).
    config : the configuration animated first; one of :data:`CONFIGS`.
    load : the request rate animated first; one of :data:`ANIMATED_RATES`.
    """

    _bundle = "disagg"
    _sim_params = ("slo_ttft_ms", "slo_tpot_ms")
    _repr_params = ("config", "load", "slo_ttft_ms", "slo_tpot_ms")

    slo_ttft_ms = traitlets.Float(300.0).tag(sync=True)
    slo_tpot_ms = traitlets.Float(10.0).tag(sync=True)
    config = traitlets.Unicode("2P:2D").tag(sync=True)
    load = traitlets.Float(60.0).tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)       # one per (config, animated load)
    sweep = traitlets.Dict().tag(sync=True)            # attainment per config and rate, goodput

    _cache: dict = {}                                  # (config, rate) -> ClusterTrace, shared

    def __init__(self, slo_ttft_ms=300.0, slo_tpot_ms=10.0, config="2P:2D", load=60.0, **kwargs: Any) -> None:
        super().__init__(slo_ttft_ms=slo_ttft_ms, slo_tpot_ms=slo_tpot_ms, config=config, load=float(load),
                         description=LEAVES_OUT, **kwargs)
        one_of("config", self.config, CONFIGS)                     # bad arguments raise here
        one_of("load", self.load, ANIMATED_RATES)
        self._apply(self._simulate())
        self._last = {"config": self.config, "load": self.load}
        self.observe(self._on_pick, names=["config", "load"])

    @property
    def n_frames(self) -> int:
        return N_FRAMES

    def slo(self) -> SLO:
        """The SLO behind the current traits (seconds)."""
        return SLO(ttft_s=positive_float("slo_ttft_ms", self.slo_ttft_ms) / 1e3,
                   tpot_s=positive_float("slo_tpot_ms", self.slo_tpot_ms) / 1e3)

    @classmethod
    def trace(cls, config: str, rate: float):
        """The (cached) cluster trace of one configuration at one rate."""
        key = (one_of("config", config, CONFIGS), float(rate))
        if key not in cls._cache:
            cls._cache[key] = run_config(config, rate)
        return cls._cache[key]

    def attainment(self) -> dict[str, list[float]]:
        """Share of requests meeting the SLO, per configuration and rate of :data:`RATES`."""
        slo = self.slo()
        return {c: [float(slo_met(self.trace(c, r), slo).mean()) for r in RATES] for c in CONFIGS}

    def _simulate(self) -> dict[str, Any]:
        slo = self.slo()
        att = self.attainment()
        good = {c: goodput(a) for c, a in att.items()}
        gpus_needed = {c: (int(np.ceil(100.0 / (g / N_GPUS))) if g > 0 else -1) for c, g in good.items()}
        scen = []
        for c, (kind, npf, ndc) in CONFIGS.items():
            for r in ANIMATED_RATES:
                tr = self.trace(c, r)
                fr = _frames(tr, kind, npf, ndc)
                met = slo_met(tr, slo)
                scen.append({
                    "config": c, "load": r, "kind": kind, "n_prefill": npf, "n_decode": ndc,
                    "n_gpus": fr["pre"].shape[1], "n_frames": N_FRAMES, "attainment": float(met.mean()),
                    "ttft_p90_ms": float(1e3 * np.percentile(ttft_s(tr), 90)),
                    "tpot_p90_ms": float(1e3 * np.percentile(tpot_s(tr), 90)),
                    "end_s": float(tr.finish_s.max()),
                    **to_buffers([("frame_t", fr["frame_t"].astype(np.float32)), ("pre", fr["pre"]),
                                  ("dec", fr["dec"]), ("hand", fr["hand"])]),
                })
        sweep = {"rates": list(RATES), "configs": list(CONFIGS), "attainment": att, "goodput": good,
                 "gpus_for_100": gpus_needed, "target": ATTAINMENT,
                 "slo_ttft_ms": float(self.slo_ttft_ms), "slo_tpot_ms": float(self.slo_tpot_ms)}
        return {"scenarios": scen, "sweep": sweep}

    def _apply(self, result: dict[str, Any]) -> None:
        self.scenarios = result["scenarios"]
        self.sweep = result["sweep"]

    def _on_pick(self, change: dict) -> None:
        name = change["name"]
        try:
            if name == "config":
                one_of("config", change["new"], CONFIGS)
            else:
                one_of("load", change["new"], ANIMATED_RATES)
        except ValueError as exc:
            setattr(self, name, self._last[name])
            self.error = str(exc)
            return
        self._last[name] = change["new"]
        if self.error.startswith(f"{name} "):
            self.error = ""

    def goodput(self) -> dict[str, float]:
        """Goodput (requests/s on all four GPUs) per configuration under the current SLO."""
        return dict(self.sweep["goodput"])
