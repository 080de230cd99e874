"""P9.2 widget: static (request-level) against continuous (iteration-level) batching.

One workload runs through the engine simulator (:func:`vizkit.serving.simulate`)
twice, once per batching policy, on the same model, GPU and clock. Each run
becomes a per-request GPU timeline: one row per request, coloured by what the
request is doing (waiting in the queue, prefill, decode, or holding a batch slot
as padding after it has finished), plus an occupancy strip and per-frame
telemetry (padding waste, slot occupancy, output tok/s), all computed here in
Python. Three scenarios are shipped precomputed (:data:`PRESETS`); the first,
``"custom"``, follows the traits ``rate_per_s``, ``length_spread`` and
``max_num_seqs`` and re-runs when they change.

>>> w = BatchingWidget()
>>> w
BatchingWidget(scenario='custom', rate_per_s=32.0, length_spread=0.95, max_num_seqs=64, n_requests=256)
>>> [s["name"] for s in w.scenarios]
['custom', '256-concurrent', 'equal-lengths']
>>> w.max_num_seqs = 0            # bad input: reported, not raised
>>> w.error
'max_num_seqs must be an integer >= 1 and <= 256; got 0'
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import in_range, one_of, positive_float, positive_int
from vizkit.serving import LIMITS, EngineConfig, cost_model, lognormal, poisson_workload, simulate

from .base import VizWidget

__all__ = ["BatchingWidget", "LEAVES_OUT", "PRESETS", "POLICIES", "batching_scenario", "policy_run",
           "MODEL", "GPU", "N_FRAMES", "N_GRID"]

MODEL, GPU = "llama-3-8b", "h100-sxm"
#: Frames of the animation, spread evenly over the longer of the two runs.
N_FRAMES = 180
#: Points of the occupancy strip.
N_GRID = 360
POLICIES = ("static", "continuous")
PROMPT_MEDIAN, OUTPUT_MEDIAN, MAX_TOKENS = 100.0, 215.0, 2048

LEAVES_OUT = (
    "One engine replica (Llama 3 8B in BF16 on one H100 SXM) and a roofline step time; the cost "
    "model leaves out " + "; ".join(LIMITS[:4]) + ". Static batching pads every prompt to the "
    "longest in its batch and keeps finished requests in their slots until the batch ends; "
    "continuous batching here is vLLM's original scheduler (a step is all prefill or all decode, no "
    "chunking). Requests never time out or get cancelled, and sampling never stops early."
)

#: The scenarios shipped with the page besides ``"custom"``:
#: (n_requests, rate_per_s, length_spread, max_num_seqs, label).
PRESETS = {
    "256-concurrent": (256, 1000.0, 0.95, 256, "256 requests at once, 256 slots"),
    "equal-lengths": (256, 32.0, 0.0, 64, "every prompt 100 and every answer 215 tokens"),
}


def policy_run(policy: str, n_requests: int = 256, rate_per_s: float = 32.0,
               length_spread: float = 0.95, max_num_seqs: int = 64, seed: int = 0):
    """The :class:`~vizkit.serving.ServingTrace` of one policy on the chapter's workload.

    Poisson arrivals at ``rate_per_s``; prompt and output lengths lognormal with
    medians 100 and 215 tokens (ShareGPT-like) and log-space spread ``length_spread``
    (0 = every request the same), clipped to 2,048 tokens.
    """
    one_of("policy", policy, POLICIES)
    n = positive_int("n_requests", n_requests, maximum=4096)
    rate = positive_float("rate_per_s", rate_per_s)
    spread = in_range("length_spread", length_spread, 0.0, 2.0)
    mns = positive_int("max_num_seqs", max_num_seqs, maximum=256)
    w = poisson_workload(n, rate, prompt=lognormal(PROMPT_MEDIAN, spread, 1, MAX_TOKENS),
                         output=lognormal(OUTPUT_MEDIAN, spread, 1, MAX_TOKENS), seed=seed)
    return simulate(w, cost_model(MODEL, GPU), EngineConfig(policy=policy, max_num_seqs=mns,
                                                            max_len_tokens=2 * MAX_TOKENS))


def _release_s(trace) -> np.ndarray:
    """When each request gives its batch slot back: its finish, or (static) its batch's end."""
    if trace.policy != "static":
        return trace.finish_s.copy()
    _, batch = np.unique(trace.first_scheduled_s, return_inverse=True)   # one prefill step per batch
    end = np.zeros(batch.max() + 1)
    np.maximum.at(end, batch, trace.finish_s)
    return end[batch]


def _per_step(trace):
    end = trace.step_start_s + trace.step_s
    computed = trace.n_prefill_tokens + trace.n_decode_seqs + trace.n_pad_tokens
    emitted = trace.n_decode_seqs + trace.n_prefill_seqs       # a prefill emits the first token
    useful = trace.n_decode_seqs + trace.n_prefill_seqs
    return end, computed, emitted, useful


def _telemetry(trace, times: np.ndarray, mns: int) -> np.ndarray:
    """Per time: [waste share so far, useful slots / max_num_seqs, output tok/s so far,
    requests finished, requests waiting, slots held / max_num_seqs]."""
    end, computed, emitted, useful = _per_step(trace)
    zero = np.zeros(1, dtype=np.int64)
    cpad = np.concatenate((zero, np.cumsum(trace.n_pad_tokens)))
    ctot = np.concatenate((zero, np.cumsum(computed)))
    cout = np.concatenate((zero, np.cumsum(emitted)))
    k = np.searchsorted(end, times, side="right")             # steps finished by each time
    with np.errstate(invalid="ignore", divide="ignore"):
        waste = np.where(ctot[k] > 0, cpad[k] / np.maximum(ctot[k], 1), 0.0)
        elapsed = np.minimum(times, trace.end_s)                 # a finished run stops its clock
        tok_s = np.where(elapsed > 0, cout[k] / np.maximum(elapsed, 1e-12), 0.0)
    j = np.searchsorted(trace.step_start_s, times, side="right") - 1   # step running at each time
    jj = np.clip(j, 0, None)
    on = (j >= 0) & (times < end[jj])
    occ = np.where(on, useful[jj], 0) / mns
    held = np.where(on, trace.n_running[jj], 0) / mns
    done = (trace.finish_s[None, :] <= times[:, None]).sum(axis=1)
    waiting = ((trace.arrival_s[None, :] <= times[:, None])
               & (trace.first_scheduled_s[None, :] > times[:, None])).sum(axis=1)
    return np.stack([waste, occ, tok_s, done, waiting, np.maximum(held, occ)], axis=1)


def batching_scenario(name: str = "custom", n_requests: int = 256, rate_per_s: float = 32.0,
                      length_spread: float = 0.95, max_num_seqs: int = 64, seed: int = 0,
                      label: str = "") -> dict[str, Any]:
    """Both policies on one workload, as numpy arrays and totals.

    ``rows[p]``: ``n_requests x 5`` times per request (arrival, first scheduled, first
    token, finish, slot released); ``occ[p]``: ``N_GRID x 2`` (useful, held) slot
    shares on an even time grid over ``[0, end_s]``; ``tele[p]``: ``N_FRAMES x 6`` (see
    :func:`_telemetry`) at the frame times ``times``.
    """
    traces = [policy_run(p, n_requests, rate_per_s, length_spread, max_num_seqs, seed) for p in POLICIES]
    end_s = max(t.end_s for t in traces)
    times = end_s * np.arange(1, N_FRAMES + 1) / N_FRAMES
    grid = end_s * (np.arange(N_GRID) + 0.5) / N_GRID
    rows, occ, tele, totals = [], [], [], []
    for t in traces:
        rows.append(np.stack([t.arrival_s, t.first_scheduled_s, t.first_token_s, t.finish_s,
                              _release_s(t)], axis=1))
        g = _telemetry(t, grid, max_num_seqs)
        occ.append(np.stack([g[:, 1], g[:, 5]], axis=1))
        tele.append(_telemetry(t, times, max_num_seqs))
        _, computed, emitted, _ = _per_step(t)
        span = float(t.finish_s.max() - t.arrival_s.min())
        totals.append([float(t.output_tokens.sum()) / span, float(t.n_pad_tokens.sum()) / float(computed.sum()),
                       t.end_s, float(emitted.sum())])
    return {"name": name, "label": label or f"{n_requests} requests, {rate_per_s:g}/s, spread {length_spread:g}",
            "n_requests": int(n_requests), "max_num_seqs": int(max_num_seqs), "rate_per_s": float(rate_per_s),
            "length_spread": float(length_spread), "end_s": float(end_s), "times": times,
            "rows": np.stack(rows), "occ": np.stack(occ), "tele": np.stack(tele),
            "totals": np.array(totals), "traces": traces}


@lru_cache(maxsize=4)
def _preset(name: str) -> dict[str, Any]:
    n, rate, spread, mns, label = PRESETS[name]
    return _wire(batching_scenario(name, n, rate, spread, mns, label=label))


def _wire(sc: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": sc["name"], "label": sc["label"], "n_requests": sc["n_requests"],
        "max_num_seqs": sc["max_num_seqs"], "end_s": sc["end_s"], "n_frames": N_FRAMES, "n_grid": N_GRID,
        "tok_s": [float(x[0]) for x in sc["totals"]], "waste": [float(x[1]) for x in sc["totals"]],
        "policy_end_s": [float(x[2]) for x in sc["totals"]],
        **to_buffers([("rows", sc["rows"].astype(np.float32)), ("occ", sc["occ"].astype(np.float32)),
                      ("tele", sc["tele"].astype(np.float32))]),
    }


class BatchingWidget(VizWidget):
    """Per-request GPU timelines of static (left) and continuous (right) batching.

    Parameters
    ----------
    rate_per_s : mean Poisson arrival rate of the ``"custom"`` scenario (requests per second).
    length_spread : log-space standard deviation of prompt and output lengths, 0 to 2.
    max_num_seqs : batch slots, 1 to 256.
    n_requests : requests in the ``"custom"`` scenario, 1 to 512.
    scenario : the scenario shown first: ``"custom"`` or a key of :data:`PRESETS`.
    policy : ``"both"``, ``"static"`` or ``"continuous"``: which timelines are drawn.
    """

    _bundle = "batching"
    _sim_params = ("rate_per_s", "length_spread", "max_num_seqs", "n_requests")
    _repr_params = ("scenario", "rate_per_s", "length_spread", "max_num_seqs", "n_requests")

    rate_per_s = traitlets.Float(32.0).tag(sync=True)
    length_spread = traitlets.Float(0.95).tag(sync=True)
    max_num_seqs = traitlets.Int(64).tag(sync=True)
    n_requests = traitlets.Int(256).tag(sync=True)
    scenario = traitlets.Unicode("custom").tag(sync=True)      # selected in JS
    policy = traitlets.Unicode("both").tag(sync=True)          # selected in JS
    scenarios = traitlets.List().tag(sync=True)

    def __init__(self, rate_per_s=32.0, length_spread=0.95, max_num_seqs=64, n_requests=256,
                 scenario="custom", policy="both", **kwargs: Any) -> None:
        super().__init__(rate_per_s=rate_per_s, length_spread=length_spread, max_num_seqs=max_num_seqs,
                         n_requests=n_requests, scenario=scenario, policy=policy,
                         description=LEAVES_OUT, **kwargs)
        one_of("scenario", self.scenario, ("custom", *PRESETS))   # bad arguments raise here
        one_of("policy", self.policy, ("both", *POLICIES))
        self._apply(self._simulate())
        self._good = {"scenario": self.scenario, "policy": self.policy}
        self.observe(self._on_choice, names=["scenario", "policy"])

    @property
    def n_frames(self) -> int:
        return N_FRAMES

    def _check(self) -> tuple[int, float, float, int]:
        n = positive_int("n_requests", self.n_requests, maximum=512)
        rate = positive_float("rate_per_s", self.rate_per_s)
        if rate > 1e4:
            raise ValueError(f"rate_per_s must be a number in (0, 10000]; got {rate!r}")
        spread = in_range("length_spread", self.length_spread, 0.0, 2.0)
        mns = positive_int("max_num_seqs", self.max_num_seqs, maximum=256)
        return n, rate, spread, mns

    def _simulate(self) -> list[dict[str, Any]]:
        n, rate, spread, mns = self._check()
        custom = _wire(batching_scenario("custom", n, rate, spread, mns))
        return [custom, *(_preset(k) for k in PRESETS)]

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self.scenarios = result

    def _on_choice(self, change: dict) -> None:
        name = change["name"]
        allowed = ("custom", *PRESETS) if name == "scenario" else ("both", *POLICIES)
        try:
            one_of(name, change["new"], allowed)
        except ValueError as exc:
            setattr(self, name, self._good[name])
            self.error = str(exc)
            return
        self._good[name] = change["new"]
        if self.error.startswith(f"{name} "):
            self.error = ""

    def run(self, scenario: str | None = None) -> dict[str, Any]:
        """The simulation behind a scenario (numpy arrays and both traces)."""
        key = self.scenario if scenario is None else one_of("scenario", scenario, ("custom", *PRESETS))
        if key == "custom":
            n, rate, spread, mns = self._check()
            return batching_scenario("custom", n, rate, spread, mns)
        n, rate, spread, mns, label = PRESETS[key]
        return batching_scenario(key, n, rate, spread, mns, label=label)
