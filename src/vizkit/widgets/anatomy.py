"""P9.1 widget: requests flowing through queue -> scheduler -> block manager -> executor.

A stream of chat-like requests runs through the engine simulator
(:func:`vizkit.serving.simulate`) with vLLM's scheduler and paged KV memory of a
chosen size. Every engine step records the queue, the batch, the KV blocks in use
and the preemptions; the widget plays those steps back, several per frame when a
run is long (:data:`MAX_FRAMES`), summing what happened within a frame.
:data:`PRESETS` are shipped precomputed; ``"custom"`` follows the traits
``rate_per_s``, ``kv_gb`` and ``n_requests`` and re-runs when they change.

>>> w = AnatomyWidget()
>>> w
AnatomyWidget(scenario='custom', rate_per_s=8.0, kv_gb=4.0, n_requests=150)
>>> w.kv_gb = 0.0                  # bad input: reported, not raised
>>> w.error
'kv_gb must be a finite number > 0; got 0.0'
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import one_of, positive_float, positive_int
from vizkit.serving import LIMITS, EngineConfig, cost_model, poisson_workload, simulate

from .base import VizWidget

__all__ = ["AnatomyWidget", "LEAVES_OUT", "PRESETS", "MAX_FRAMES", "FRAME_FIELDS", "anatomy_cost",
           "anatomy_run", "anatomy_scenario", "MODEL", "GPU", "MAX_LEN"]

MODEL, GPU = "llama-3-8b", "h100-sxm"
MAX_LEN = 2048
#: Most frames one scenario has; longer runs put several engine steps in a frame.
MAX_FRAMES = 300
#: Per-frame columns (float32), in order.
FRAME_FIELDS = ("t_end_s", "first_step", "n_steps", "n_waiting", "n_running", "n_prefill_seqs",
                "n_decode_seqs", "kv_used_frac", "n_preempted", "preempted_total", "finished_total",
                "step_ms", "prefill_steps", "tokens_out")

LEAVES_OUT = (
    "One engine replica (Llama 3 8B in BF16 on one H100 SXM) whose KV memory is set by hand; "
    "the roofline step time leaves out " + "; ".join(LIMITS[:4]) + ". The scheduler is vLLM's "
    "original one: a step prefills newly admitted prompts or decodes every running request, and a "
    "request that finds no free block preempts the most recently admitted one, which later "
    "recomputes its KV. The tokenizer, the HTTP front end, sampling and detokenization cost nothing."
)

#: Scenarios shipped with the page besides ``"custom"``: (n_requests, rate_per_s, kv_gb, label).
PRESETS = {
    "tight-memory": (150, 8.0, 0.5, "8 requests/s into 0.5 GB of KV memory"),
    "overload": (150, 100.0, 2.0, "100 requests/s into 2 GB of KV memory"),
}


def anatomy_cost(kv_gb: float = 4.0):
    """The chapter's cost model with ``kv_gb`` GB of KV memory (at most what the GPU has left)."""
    kv = positive_float("kv_gb", kv_gb)
    cm = cost_model(MODEL, GPU)
    room = cm.kv_capacity_bytes / 1e9
    if kv > room:
        raise ValueError(f"kv_gb must be at most the {room:.1f} GB the GPU has left after the "
                         f"weights; got {kv:g}")
    one_request = MAX_LEN * cm.kv_bytes_per_token / 1e9
    if kv < one_request:
        raise ValueError(f"kv_gb must hold at least one request of {MAX_LEN} tokens "
                         f"({one_request:.2f} GB); got {kv:g}")
    return dataclasses.replace(cm, kv_capacity_bytes=kv * 1e9)


def anatomy_run(n_requests: int = 150, rate_per_s: float = 8.0, kv_gb: float = 4.0, seed: int = 0):
    """The :class:`~vizkit.serving.ServingTrace` of the chapter's engine: chat-like requests,
    Poisson at ``rate_per_s``, paged KV memory of ``kv_gb`` GB, vLLM's scheduler."""
    n = positive_int("n_requests", n_requests, maximum=1000)
    rate = positive_float("rate_per_s", rate_per_s)
    if rate > 1e4:
        raise ValueError(f"rate_per_s must be a number in (0, 10000]; got {rate!r}")
    w = poisson_workload(n, rate, seed=seed, max_len_tokens=MAX_LEN)
    return simulate(w, anatomy_cost(kv_gb), EngineConfig(max_len_tokens=MAX_LEN))


def anatomy_scenario(name: str = "custom", n_requests: int = 150, rate_per_s: float = 8.0,
                     kv_gb: float = 4.0, seed: int = 0, label: str = "") -> dict[str, Any]:
    """A run cut into at most :data:`MAX_FRAMES` frames: ``frames`` is ``n_frames x
    len(FRAME_FIELDS)``; each frame is the state after its last step, with counts
    (steps, preemptions, prefill steps, tokens) summed over its steps."""
    t = anatomy_run(n_requests, rate_per_s, kv_gb, seed)
    S = t.n_steps
    F = min(S, MAX_FRAMES)
    bounds = np.linspace(0, S, F + 1).round().astype(np.int64)
    first, last = bounds[:-1], bounds[1:] - 1
    end = t.step_start_s + t.step_s
    zero = np.zeros(1, dtype=np.int64)
    csum = lambda x: np.concatenate((zero, np.cumsum(x)))          # noqa: E731
    pre = csum(t.n_preempted)
    pfs = csum((t.n_prefill_seqs > 0).astype(np.int64))
    out = csum(t.n_decode_seqs + t.n_prefill_seqs)
    fin = np.sort(t.finish_s)
    frames = np.stack([
        end[last], first, last - first + 1, t.n_waiting[last], t.n_running[last],
        t.n_prefill_seqs[last], t.n_decode_seqs[last], t.kv_blocks_used[last] / t.n_blocks,
        pre[last + 1] - pre[first], pre[last + 1], np.searchsorted(fin, end[last] * (1 + 1e-12) + 1e-12, side="right"),
        1e3 * t.step_s[last], pfs[last + 1] - pfs[first], out[last + 1] - out[first],
    ], axis=1).astype(np.float64)
    return {"name": name, "label": label or f"{n_requests} requests, {rate_per_s:g}/s, {kv_gb:g} GB KV",
            "n_requests": int(n_requests), "rate_per_s": float(rate_per_s), "kv_gb": float(kv_gb),
            "n_blocks": int(t.n_blocks), "block_size": int(t.block_size), "n_steps": S, "n_frames": F,
            "end_s": float(t.end_s), "frames": frames, "trace": t}


def _wire(sc: dict[str, Any]) -> dict[str, Any]:
    keep = ("name", "label", "n_requests", "rate_per_s", "kv_gb", "n_blocks", "block_size", "n_steps",
            "n_frames", "end_s")
    t = sc["trace"]
    return {**{k: sc[k] for k in keep}, "max_waiting": int(t.n_waiting.max()),
            "max_running": int(t.n_running.max()), "n_fields": len(FRAME_FIELDS),
            **to_buffers([("frames", sc["frames"].astype(np.float32))])}


@lru_cache(maxsize=4)
def _preset(name: str) -> dict[str, Any]:
    n, rate, kv, label = PRESETS[name]
    return _wire(anatomy_scenario(name, n, rate, kv, label=label))


class AnatomyWidget(VizWidget):
    """Queue, scheduler, block manager and executor of one engine, step by step.

    Parameters
    ----------
    rate_per_s : mean Poisson arrival rate of the ``"custom"`` scenario (requests per second).
    kv_gb : GB of HBM given to the KV cache, from one request's worth to what the GPU has left.
    n_requests : requests in the ``"custom"`` scenario, 1 to 300.
    scenario : the scenario shown first: ``"custom"`` or a key of :data:`PRESETS`.
    """

    _bundle = "anatomy"
    _sim_params = ("rate_per_s", "kv_gb", "n_requests")
    _repr_params = ("scenario", "rate_per_s", "kv_gb", "n_requests")

    rate_per_s = traitlets.Float(8.0).tag(sync=True)
    kv_gb = traitlets.Float(4.0).tag(sync=True)
    n_requests = traitlets.Int(150).tag(sync=True)
    scenario = traitlets.Unicode("custom").tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)

    def __init__(self, rate_per_s=8.0, kv_gb=4.0, n_requests=150, scenario="custom", **kwargs: Any) -> None:
        super().__init__(rate_per_s=rate_per_s, kv_gb=kv_gb, n_requests=n_requests, scenario=scenario,
                         description=LEAVES_OUT, **kwargs)
        one_of("scenario", self.scenario, ("custom", *PRESETS))
        self._apply(self._simulate())
        self._good = self.scenario
        self.observe(self._on_scenario, names=["scenario"])

    @property
    def n_frames(self) -> int:
        return max(s["n_frames"] for s in self.scenarios)

    def _args(self) -> tuple[int, float, float]:
        n = positive_int("n_requests", self.n_requests, maximum=300)
        return n, float(self.rate_per_s), float(self.kv_gb)

    def _simulate(self) -> list[dict[str, Any]]:
        n, rate, kv = self._args()
        return [_wire(anatomy_scenario("custom", n, rate, kv)), *(_preset(k) for k in PRESETS)]

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
        """The simulation behind a scenario: per-frame numpy arrays and the trace."""
        key = self.scenario if scenario is None else one_of("scenario", scenario, ("custom", *PRESETS))
        if key == "custom":
            return anatomy_scenario("custom", *self._args())
        n, rate, kv, label = PRESETS[key]
        return anatomy_scenario(key, n, rate, kv, label=label)
