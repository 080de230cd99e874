r"""P1.7 widget: tokens through a recurrent cell one step at a time, beside causal attention all at once.

Every *preset* (a sequence length) runs :func:`vizkit.nn.recurrence.sequence_trace`
up front and ships as one *scenario*, so the browser switches between them with
no kernel. The traits ``seq_len``, ``d_model``, ``recurrent_gain`` and ``seed``
define one more scenario, ``"custom"`` ("your run"), and re-run the simulation
in Python. Frame t (0-based) shows the RNN after reading token t + 1.

>>> w = RecurrenceWidget()
>>> w
RecurrenceWidget(scenario='t16', seq_len=24, d_model=16, recurrent_gain=0.9, seed=0)
>>> [s["key"] for s in w.scenarios]
['t8', 't16', 't32', 't64', 'custom']
>>> w.n_frames
16
>>> w.seq_len = 0                  # bad input: reported, not raised
>>> w.error
'seq_len must be an integer >= 1 and <= 64; got 0'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import nonneg_int, one_of, positive_float, positive_int
from vizkit.nn.recurrence import SequenceTrace, sequence_trace

from .base import VizWidget

__all__ = ["RecurrenceWidget", "DEFAULT_PRESETS", "MAX_SEQ_LEN", "MAX_D_MODEL", "LEAVES_OUT", "sequence_scenario"]

MAX_SEQ_LEN = 64
MAX_D_MODEL = 64
#: (key, sequence length) simulated up front, all with d_model 16 and recurrent gain 0.9.
DEFAULT_PRESETS = (("t8", 8), ("t16", 16), ("t32", 32), ("t64", 64))

LEAVES_OUT = (
    "One untrained vanilla (Elman) tanh RNN layer and one untrained causal attention head on random token "
    "vectors: no training, no gating (LSTM/GRU), no multi-head attention, no batching. Steps count dependent "
    "operations on the critical path, not wall-clock time: a real GPU runs each attention stage as a few large "
    "matrix products, and each RNN step as a small one."
)


def sequence_scenario(key: str, label: str, seq_len: int, d_model: int, recurrent_gain: float,
                      seed: int) -> dict[str, Any]:
    """One scenario dict for the browser: the RNN per step and the attention result, arrays as binary buffers."""
    T = positive_int("seq_len", seq_len, maximum=MAX_SEQ_LEN)
    d = positive_int("d_model", d_model, maximum=MAX_D_MODEL)
    t: SequenceTrace = sequence_trace(T, d, recurrent_gain=positive_float("recurrent_gain", recurrent_gain),
                                      seed=nonneg_int("seed", seed))
    return {
        "key": key, "label": label, "seq_len": T, "d_model": d, "recurrent_gain": float(recurrent_gain),
        "sequential_steps": int(t.sequential_steps), "parallel_steps": int(t.parallel_steps),
        "attention_scores": int(t.attention_scores), "causal_pairs": int(t.causal_pairs),
        "rnn_macs": int(t.rnn_macs), "attention_macs": int(t.attention_macs),
        **to_buffers([("hidden", t.rnn_hidden), ("hidden_norm", t.rnn_hidden_norm), ("influence", t.rnn_influence),
                      ("attention", t.attention_weights)]),
    }


class RecurrenceWidget(VizWidget):
    """An RNN reading a sequence one token per frame, beside causal attention that finished at once.

    Parameters
    ----------
    seq_len : tokens in your run (1 to 64).
    d_model : width of the hidden state and the tokens (1 to 64).
    recurrent_gain : scale g of the recurrent weights W_h (> 0), your run.
    seed : random seed of your run (>= 0).
    presets : ``(key, seq_len)`` simulated up front.
    scenario : the scenario shown first: a preset key or ``"custom"``.
    """

    _bundle = "recurrence"
    _sim_params = ("seq_len", "d_model", "recurrent_gain", "seed", "presets")
    _repr_params = ("scenario", "seq_len", "d_model", "recurrent_gain", "seed")

    seq_len = traitlets.Int(24).tag(sync=True)
    d_model = traitlets.Int(16).tag(sync=True)
    recurrent_gain = traitlets.Float(0.9).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    presets = traitlets.Tuple().tag(sync=True)
    scenario = traitlets.Unicode("t16").tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)

    def __init__(self, seq_len=24, d_model=16, recurrent_gain=0.9, seed=0, presets=DEFAULT_PRESETS,
                 scenario="t16", **kwargs: Any) -> None:
        for name, value in (("seq_len", seq_len), ("d_model", d_model), ("seed", seed)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
                raise ValueError(f"{name} must be an integer; got {value!r}")
        if not isinstance(recurrent_gain, (int, float)) or isinstance(recurrent_gain, bool):
            raise ValueError(f"recurrent_gain must be a finite number > 0; got {recurrent_gain!r}")
        super().__init__(seq_len=int(seq_len), d_model=int(d_model), recurrent_gain=float(recurrent_gain),
                         seed=int(seed), presets=tuple((str(k), int(n)) for k, n in presets), scenario=scenario,
                         description=LEAVES_OUT, **kwargs)
        self._apply(self._simulate())          # bad constructor arguments raise ValueError here
        one_of("scenario", self.scenario, self._keys())
        self._last_scenario = self.scenario
        self.observe(self._on_scenario, names=["scenario"])

    @property
    def n_frames(self) -> int:
        s = next((s for s in self.scenarios if s["key"] == self.scenario), self.scenarios[0])
        return int(s["seq_len"])

    def _simulate(self) -> list[dict[str, Any]]:
        out = [sequence_scenario(k, f"{n} tokens", n, 16, 0.9, 0) for k, n in self.presets]
        out.append(sequence_scenario("custom", f"Your run: {self.seq_len} tokens, gain {self.recurrent_gain:g}",
                                     self.seq_len, self.d_model, self.recurrent_gain, self.seed))
        return out

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self.scenarios = result
        if hasattr(self, "_last_scenario") and self.scenario not in self._keys():
            self.scenario = "custom"

    def _on_sim_param(self, change: dict) -> None:
        if self._resimulate() and change["name"] != "presets":
            self.scenario = "custom"

    def _keys(self) -> list[str]:
        return [s["key"] for s in self.scenarios]

    def _on_scenario(self, change: dict) -> None:
        try:
            one_of("scenario", change["new"], self._keys())
        except ValueError as exc:
            self.scenario = self._last_scenario
            self.error = str(exc)
            return
        self._last_scenario = change["new"]
        self.frame = min(self.frame, self.n_frames - 1)
        if self.error.startswith("scenario "):
            self.error = ""

    def trace(self, key: str | None = None) -> SequenceTrace:
        """The :class:`~vizkit.nn.recurrence.SequenceTrace` behind scenario ``key`` (default: the one shown)."""
        key = self.scenario if key is None else one_of("key", key, self._keys())
        s = next(s for s in self.scenarios if s["key"] == key)
        seed = self.seed if key == "custom" else 0
        return sequence_trace(s["seq_len"], s["d_model"], recurrent_gain=s["recurrent_gain"], seed=seed)
