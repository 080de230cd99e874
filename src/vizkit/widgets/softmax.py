r"""P0.6 widget: softmax bars under a temperature sweep, with entropy, cross-entropy and KL in bits.

Every *preset* (a set of logits and a target outcome) is swept over temperatures
with :func:`vizkit.foundations.softmax.temperature_trace` up front and shipped as
one *scenario*, so the static page switches between them with no kernel. The
traits ``logits`` and ``target`` define one more scenario, ``"custom"``, and
re-run the simulation in Python. One frame is one temperature.

>>> w = SoftmaxWidget()
>>> w
SoftmaxWidget(scenario='confident', logits=(2.0, 1.0, 0.5, -1.0), target=0)
>>> [s["key"] for s in w.scenarios]
['confident', 'wrong', 'flat', 'custom']
>>> w.target = 9                    # bad input: reported, not raised
>>> w.error
'target must be an integer in [0, 3]; got 9'
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import one_of
from vizkit.foundations.softmax import TemperatureTrace, temperature_trace

from .base import VizWidget

__all__ = ["SoftmaxWidget", "PRESETS", "LEAVES_OUT", "TEMPERATURES", "MAX_OUTCOMES", "softmax_scenario"]

#: The temperatures swept, one per frame: 41 values from 0.1 to 10, log-spaced (T = 1 is frame 20).
TEMPERATURES = np.geomspace(0.1, 10.0, 41)

#: Most outcomes (bars) one scenario may hold.
MAX_OUTCOMES = 12

#: key -> (label, logits, target index).
PRESETS = {
    "confident": ("Confident and right", (2.0, 1.0, 0.5, -1.0), 0),
    "wrong": ("Confident and wrong", (2.0, 1.0, 0.5, -1.0), 3),
    "flat": ("Nearly flat logits", (0.3, 0.2, 0.1, 0.0, -0.1, -0.2), 2),
}

LEAVES_OUT = (
    "A handful of outcomes instead of a vocabulary of tens of thousands of tokens, and a single "
    "target outcome instead of a training set averaged over many positions. The temperature here "
    "only rescales the logits; decoding tricks that also cut the tail (top-k, top-p) are not modelled."
)


def softmax_scenario(key: str, label: str, trace: TemperatureTrace, target: int) -> dict[str, Any]:
    """One scenario dict for the browser: metadata as JSON, arrays as float32 buffers."""
    V = int(trace.logits.shape[0])
    return {
        "key": key, "label": label, "V": V, "target": int(target),
        "logits": [float(v) for v in trace.logits],
        "uniform_bits": math.log2(V),
        **to_buffers([("temperature", trace.temperature), ("probs", trace.probs),
                      ("entropy_bits", trace.entropy_bits), ("cross_entropy_bits", trace.cross_entropy_bits),
                      ("kl_bits", trace.kl_bits)]),
    }


def _logits(values) -> np.ndarray:
    vals = tuple(values)
    if not 2 <= len(vals) <= MAX_OUTCOMES:
        raise ValueError(f"logits must have between 2 and {MAX_OUTCOMES} entries; got {len(vals)}")
    z = np.array(vals, dtype=float)
    if not np.all(np.isfinite(z)) or np.any(np.abs(z) > 50):
        raise ValueError(f"logits must be finite numbers in [-50, 50]; got {vals}")
    return z


def _target(t, V: int) -> int:
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or not 0 <= int(t) < V:
        raise ValueError(f"target must be an integer in [0, {V - 1}]; got {t!r}")
    return int(t)


class SoftmaxWidget(VizWidget):
    """Softmax(z / T) as bars (left) and H, CE, KL in bits against T (right), one frame per T.

    Parameters
    ----------
    logits : the custom logits, 2 to 12 numbers in [-50, 50].
    target : the index of the outcome that actually happened in the custom scenario.
    scenario : the scenario shown first: a key of ``PRESETS`` or ``"custom"``.
    """

    _bundle = "softmax"
    _sim_params = ("logits", "target")
    _repr_params = ("scenario", "logits", "target")

    logits = traitlets.Tuple().tag(sync=True)
    target = traitlets.Int(0).tag(sync=True)
    scenario = traitlets.Unicode("confident").tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)

    def __init__(self, logits=(2.0, 1.0, 0.5, -1.0), target=0, scenario="confident", **kwargs: Any) -> None:
        super().__init__(logits=tuple(float(v) for v in logits), target=int(target), scenario=scenario,
                         description=LEAVES_OUT, **kwargs)
        self._apply(self._simulate())          # bad constructor arguments raise ValueError here
        one_of("scenario", self.scenario, self._keys())
        self._last_scenario = self.scenario
        self.observe(self._on_scenario, names=["scenario"])

    @property
    def n_frames(self) -> int:
        return int(TEMPERATURES.shape[0])

    def _simulate(self) -> list[dict[str, Any]]:
        out = []
        for key, (label, z, tgt) in PRESETS.items():
            out.append(softmax_scenario(key, label, temperature_trace(z, TEMPERATURES, tgt), tgt))
        z = _logits(self.logits)
        tgt = _target(self.target, z.shape[0])
        out.append(softmax_scenario("custom", "Your logits", temperature_trace(z, TEMPERATURES, tgt), tgt))
        return out

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self.scenarios = result

    def _on_sim_param(self, change: dict) -> None:
        if self._resimulate():
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
        if self.error.startswith("scenario "):
            self.error = ""

    def trace(self, key: str | None = None) -> TemperatureTrace:
        """The :class:`~vizkit.foundations.softmax.TemperatureTrace` behind scenario ``key``."""
        key = self.scenario if key is None else one_of("key", key, self._keys())
        if key == "custom":
            return temperature_trace(self.logits, TEMPERATURES, self.target)
        _, z, tgt = PRESETS[key]
        return temperature_trace(z, TEMPERATURES, tgt)
