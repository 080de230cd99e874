"""P9.6 widget: a long prefill stalling decodes, and chunked prefill putting it back in order.

A small scripted stream (:func:`chunked_workload`): a handful of chat requests are
decoding when two long prompts arrive. It runs through the real engine
(:func:`vizkit.serving.simulate`, Llama 3 8B on one H100 SXM by default) once per
*mode* in ``modes``: ``0`` is continuous batching without chunking (a prompt is
prefilled whole, in a step of its own), and a positive number is chunked prefill
with that token budget per step (Sarathi-Serve). Every mode ships as one
scenario, so the browser switches between them with no kernel; ``long_prompt_tokens``,
``n_chats``, ``model`` and ``gpu`` re-run the simulation.

>>> w = ChunkedPrefillWidget()
>>> w
ChunkedPrefillWidget(mode=0, modes=(0, 256, 512, 2048), long_prompt_tokens=6000, n_chats=8, model='llama-3-8b', gpu='h100-sxm')
>>> w.long_prompt_tokens = 10        # bad input: reported, not raised
>>> w.error
'long_prompt_tokens must be an integer in [512, 7000]; got 10'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import one_of, positive_int
from vizkit.serving import EngineConfig, cost_model, replay_workload, simulate

from .base import VizWidget

__all__ = ["ChunkedPrefillWidget", "chunked_workload", "chunked_scenario", "LEAVES_OUT", "N_FRAMES"]

LEAVES_OUT = (
    "Step times come from a roofline over the whole batch: weights and KV bytes over HBM "
    "bandwidth, or matmul and attention FLOPs over dense BF16 peak, whichever is larger, "
    "with no kernel launch or scheduling overhead and perfect overlap of compute and memory "
    "traffic inside a step. One GPU, no tensor parallelism; the request stream is a small "
    "script, not a measured trace."
)

#: Frames of the animation: evenly spaced moments from the first arrival to the last token.
N_FRAMES = 120

_MAX_TOKENS = 8192


def chunked_workload(long_prompt_tokens: int = 6000, n_chats: int = 8):
    """``n_chats`` chat requests (prompts of a few hundred tokens, answers of 100-180) arriving
    in the first 40 ms, then two long prompts of ``long_prompt_tokens`` at 120 ms and 420 ms
    (short answers), then two more chats."""
    L = positive_int("long_prompt_tokens", long_prompt_tokens, maximum=7000)
    if L < 512:
        raise ValueError(f"long_prompt_tokens must be an integer in [512, 7000]; got {long_prompt_tokens!r}")
    n = positive_int("n_chats", n_chats, maximum=32)
    rows = []
    for i in range(n):
        rows.append((0.005 * i, 200 + 37 * (i % 7), 100 + 11 * (i % 8)))
    rows += [(0.120, L, 16), (0.420, L, 16), (0.250, 300, 120), (0.300, 260, 90)]
    rows.sort()
    return replay_workload(rows)


def chunked_scenario(mode: int, long_prompt_tokens: int = 6000, n_chats: int = 8,
                     model: str = "llama-3-8b", gpu: str = "h100-sxm") -> dict[str, Any]:
    """Run the script with chunking off (``mode=0``) or a token budget of ``mode``.

    Returns per-step arrays (start, duration, prefill tokens, decodes), per-token arrays
    (request, time, gap before it; the first token's gap is its TTFT), per-request times
    and summary numbers, all in seconds.
    """
    m = int(mode)
    if m != 0:
        m = positive_int("mode", mode, maximum=_MAX_TOKENS)
    w = chunked_workload(long_prompt_tokens, n_chats)
    cost = cost_model(model, gpu)
    if m != 0 and m < 256:
        raise ValueError(f"mode must be 0 (no chunking) or a token budget in [256, {_MAX_TOKENS}]; got {mode!r}")
    cfg = EngineConfig() if m == 0 else EngineConfig(chunked_prefill=True, max_batched_tokens=m)
    t = simulate(w, cost, cfg, fast=False, record_batches=True)
    end = t.step_start_s + t.step_s
    # tokens: a request in a step's batch emits one at the step's end once its prefill is done
    tok_req, tok_t = [], []
    for i in range(t.n_steps):
        rs = t.batch_request[t.batch_offset[i]:t.batch_offset[i + 1]]
        emit = rs[end[i] >= t.first_token_s[rs] - 1e-12]
        tok_req.extend(emit.tolist())
        tok_t.extend([end[i]] * emit.shape[0])
    tok_req = np.asarray(tok_req, np.int64)
    tok_t = np.asarray(tok_t)
    order = np.lexsort((tok_t, tok_req))
    tok_req, tok_t = tok_req[order], tok_t[order]
    first = np.r_[True, tok_req[1:] != tok_req[:-1]]
    gap = np.where(first, tok_t - t.arrival_s[tok_req], np.r_[0.0, np.diff(tok_t)])
    itl = gap[~first]
    long_mask = t.prompt_tokens == int(long_prompt_tokens)
    ttft = t.first_token_s - t.arrival_s
    return {
        "mode": m, "workload": w, "trace": t,
        "step_start": t.step_start_s, "step_s": t.step_s, "prefill_tokens": t.n_prefill_tokens,
        "decodes": t.n_decode_seqs, "tok_req": tok_req, "tok_t": tok_t, "tok_gap": gap,
        "itl_p50_s": float(np.percentile(itl, 50)), "itl_p99_s": float(np.percentile(itl, 99)),
        "itl_max_s": float(itl.max()), "ttft_long_s": float(ttft[long_mask].mean()),
        "ttft_short_s": float(ttft[~long_mask].mean()), "end_s": float(end[-1]),
        "max_step_s": float(t.step_s.max()),
    }


def _wire(sc: dict[str, Any]) -> dict[str, Any]:
    t = sc["trace"]
    F = N_FRAMES
    frame_t = np.linspace(0, sc["end_s"], F + 1)[1:]
    # per frame: steps begun by then, tokens emitted by then, worst gap so far (Python-side telemetry)
    steps_done = np.searchsorted(sc["step_start"], frame_t, side="right")
    toks_done = np.searchsorted(np.sort(sc["tok_t"]), frame_t, side="right")
    gaps_sorted_t = np.argsort(sc["tok_t"], kind="stable")
    itl_by_time = np.where(np.r_[True, sc["tok_req"][1:] != sc["tok_req"][:-1]], 0.0, sc["tok_gap"])[gaps_sorted_t]
    worst = np.maximum.accumulate(itl_by_time) if itl_by_time.size else itl_by_time
    worst_at = np.where(toks_done > 0, worst[np.maximum(toks_done - 1, 0)], 0.0)
    named = [
        ("step_start", sc["step_start"].astype(np.float32)), ("step_s", sc["step_s"].astype(np.float32)),
        ("prefill_tokens", sc["prefill_tokens"]), ("decodes", sc["decodes"]),
        ("tok_req", sc["tok_req"]), ("tok_t", sc["tok_t"].astype(np.float32)),
        ("tok_gap", sc["tok_gap"].astype(np.float32)),
        ("arrival", t.arrival_s.astype(np.float32)), ("first_token", t.first_token_s.astype(np.float32)),
        ("first_sched", t.first_scheduled_s.astype(np.float32)), ("finish", t.finish_s.astype(np.float32)),
        ("prompt", t.prompt_tokens), ("frame_t", frame_t.astype(np.float32)),
        ("frame_steps", steps_done), ("frame_worst", worst_at.astype(np.float32)),
    ]
    return {
        "mode": sc["mode"], "n_steps": int(t.n_steps), "n_requests": int(t.n_requests), "n_frames": F,
        "n_tokens": int(sc["tok_t"].shape[0]), "end_s": sc["end_s"],
        "itl_p50_s": sc["itl_p50_s"], "itl_p99_s": sc["itl_p99_s"], "itl_max_s": sc["itl_max_s"],
        "ttft_long_s": sc["ttft_long_s"], "ttft_short_s": sc["ttft_short_s"],
        "max_step_s": sc["max_step_s"], "max_tokens": int((t.n_prefill_tokens + t.n_decode_seqs).max()),
        **to_buffers(named),
    }


class ChunkedPrefillWidget(VizWidget):
    """Token emissions per request (top), engine steps (bottom left) and inter-token gaps
    (bottom right), without chunking and with chunked prefill at several token budgets.

    Parameters
    ----------
    modes : scheduling modes, one precomputed scenario each: 0 = no chunking, or a token
        budget per step (256 to 8192) for chunked prefill.
    long_prompt_tokens : length of the two long prompts (512 to 7000).
    n_chats : chat requests decoding when the first long prompt arrives (1 to 32).
    model, gpu : catalog names for the cost model.
    mode : the mode shown first; one of ``modes``.
    """

    _bundle = "chunked"
    _sim_params = ("modes", "long_prompt_tokens", "n_chats", "model", "gpu")
    _repr_params = ("mode", "modes", "long_prompt_tokens", "n_chats", "model", "gpu")

    modes = traitlets.Tuple().tag(sync=True)
    long_prompt_tokens = traitlets.Int(6000).tag(sync=True)
    n_chats = traitlets.Int(8).tag(sync=True)
    model = traitlets.Unicode("llama-3-8b").tag(sync=True)
    gpu = traitlets.Unicode("h100-sxm").tag(sync=True)
    mode = traitlets.Int(0).tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)

    def __init__(self, modes=(0, 256, 512, 2048), long_prompt_tokens=6000, n_chats=8,
                 model="llama-3-8b", gpu="h100-sxm", mode=0, **kwargs: Any) -> None:
        super().__init__(modes=tuple(modes), long_prompt_tokens=long_prompt_tokens, n_chats=n_chats,
                         model=model, gpu=gpu, mode=mode, description=LEAVES_OUT, **kwargs)
        one_of("mode", self.mode, self.modes)                     # bad arguments raise here
        self._apply(self._simulate())
        self._last_mode = self.mode
        self.observe(self._on_mode, names=["mode"])

    @property
    def n_frames(self) -> int:
        return N_FRAMES

    def _simulate(self) -> list[dict[str, Any]]:
        modes = list(self.modes)
        if not modes:
            raise ValueError("modes must list at least one mode; got ()")
        for m in modes:
            if m != 0 and not (isinstance(m, int) and 256 <= m <= _MAX_TOKENS):
                raise ValueError(f"modes must be 0 (no chunking) or a token budget in [256, {_MAX_TOKENS}]; "
                                 f"got {m!r}")
        return [_wire(chunked_scenario(m, self.long_prompt_tokens, self.n_chats, self.model, self.gpu))
                for m in modes]

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self.scenarios = result
        if self.mode not in self.modes:
            self.mode = self.modes[0]

    def _on_mode(self, change: dict) -> None:
        try:
            one_of("mode", change["new"], self.modes)
        except ValueError as exc:
            self.mode = self._last_mode
            self.error = str(exc)
            return
        self._last_mode = change["new"]
        if self.error.startswith("mode "):
            self.error = ""

    def scenario(self, mode: int | None = None) -> dict[str, Any]:
        """The simulation behind one mode (numpy arrays and the engine trace)."""
        m = self.mode if mode is None else one_of("mode", mode, self.modes)
        return chunked_scenario(m, self.long_prompt_tokens, self.n_chats, self.model, self.gpu)
