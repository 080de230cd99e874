r"""P1.2 widget: hidden units of one layer, added one per frame, summing to a target curve.

Every *preset* (a target, an activation and a width) is fitted up front with
:func:`vizkit.nn.universal.universal_fit` and shipped as one *scenario*, so the
browser switches between them with no kernel. The traits ``target``,
``activation`` and ``width`` define one more scenario, ``"custom"`` ("your
run"), and re-run the fit in Python.

Frame :math:`k` (from 0) shows the output bias plus the first :math:`k + 1`
units' contributions. Units are sorted left to right, so for ReLU the partial
sum already equals the final fit left of the next unit's knot: the curve is
drawn from left to right, one bend per unit. Each scenario also carries the
error of the partial sum on that finished stretch (``covered_rms``), the error
of the full fit at every width of :data:`SWEEP_WIDTHS` (the error-vs-width
panel) and the activation curve on :math:`[-3, 3]`.

>>> w = UniversalWidget()
>>> w
UniversalWidget(scenario='sine-relu-12', target='sine', activation='relu', width=12)
>>> w.width = 0                    # bad input: reported, not raised
>>> w.error
'width must be an integer >= 1 and <= 64; got 0'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import one_of, positive_int
from vizkit.nn.activations import ACTIVATIONS, activate
from vizkit.nn.universal import TARGETS, UniversalTrace, universal_fit, width_sweep

from .base import VizWidget

__all__ = ["UniversalWidget", "DEFAULT_PRESETS", "SWEEP_WIDTHS", "MAX_WIDTH", "N_POINTS", "LEAVES_OUT",
           "universal_scenario", "preset_key", "covered_rms"]

#: Most hidden units one widget shows (one frame each).
MAX_WIDTH = 64

#: Sample points of the target on [-1, 1].
N_POINTS = 101

#: Widths of the error-vs-width panel.
SWEEP_WIDTHS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64)

#: (target, activation, width) fitted up front.
DEFAULT_PRESETS = (("sine", "relu", 12), ("sine", "gelu", 12), ("sine", "silu", 12),
                   ("sine", "identity", 12), ("bump", "sigmoid", 8), ("step", "relu", 24))

LEAVES_OUT = (
    "One input, one output and one hidden layer whose units are placed by hand (evenly spaced bends of a "
    "shared steepness); only the output weights are fitted, by least squares on the sample grid. Nothing is "
    "trained by gradient descent, and the error is measured on the same points the fit saw, so it says "
    "nothing about new inputs. Real networks learn where to put their bends, in many dimensions at once."
)

_TARGETS = {"sine": "sin 2πx", "bump": "a bump", "step": "a step", "abs": "|x|", "cubic": "a cubic"}
_ACTS = {"identity": "no activation", "relu": "ReLU", "leaky_relu": "leaky ReLU", "sigmoid": "sigmoid",
         "tanh": "tanh", "gelu": "GELU", "gelu_tanh": "GELU (tanh)", "silu": "SiLU"}


def preset_key(target: str, activation: str, width: int) -> str:
    """The scenario key of a preset: ``preset_key("sine", "relu", 12) == "sine-relu-12"``."""
    return f"{target}-{activation}-{width}"


def covered_rms(trace: UniversalTrace) -> np.ndarray:
    """Per frame, the RMS error of the partial sum on the finished stretch, ``x`` left of the next unit.

    The last frame covers the whole grid. A stretch with no sample point has error 0.
    """
    n_units = len(trace.centers)
    out = np.zeros(n_units)
    for k in range(n_units):
        edge = trace.centers[k + 1] if k + 1 < n_units else np.inf
        mask = trace.x < edge
        if mask.any():
            out[k] = np.sqrt(np.mean((trace.partial_sum[k, mask] - trace.target[mask]) ** 2))
    return out


def universal_scenario(key: str, label: str, target: str, activation: str, width: int) -> dict[str, Any]:
    """One scenario dict for the browser: metadata as JSON, arrays as binary buffers."""
    t = universal_fit(target, activation, width, n_points=N_POINTS)
    sweep = width_sweep(target, activation, SWEEP_WIDTHS, n_points=N_POINTS)
    ax = np.linspace(-3.0, 3.0, 121)
    ay, dy = activate(activation, ax)
    return {
        "key": key, "label": label, "target": target, "activation": activation, "width": int(width),
        "n_frames": int(t.n_frames), "n_params": int(t.n_params), "rms_error": float(t.rms_error),
        "max_error": float(t.max_error), "out_bias": float(t.out_bias), "slope": float(t.slope),
        **to_buffers([("x", t.x), ("target_y", t.target), ("fit", t.fit), ("centers", t.centers),
                      ("out_weight", t.out_weight), ("contributions", t.contributions),
                      ("partial_sum", t.partial_sum), ("partial_rms", t.partial_rms_error),
                      ("covered_rms", covered_rms(t)), ("sweep_width", sweep.width),
                      ("sweep_rms", sweep.rms_error), ("sweep_params", sweep.n_params),
                      ("act_x", ax), ("act_y", ay), ("act_slope", dy)]),
    }


class UniversalWidget(VizWidget):
    """One hidden layer fitting a curve: the units, their running sum, error vs width, the activation.

    Parameters
    ----------
    target : the curve of "your run" (one of ``TARGETS``).
    activation : its hidden activation (one of ``ACTIVATIONS``).
    width : its hidden units (1 to 64).
    presets : ``(target, activation, width)`` triples fitted up front.
    scenario : the scenario shown first: a preset key (``"sine-relu-12"``) or ``"custom"``.
    """

    _bundle = "universal"
    _sim_params = ("target", "activation", "width", "presets")
    _repr_params = ("scenario", "target", "activation", "width")

    target = traitlets.Unicode("sine").tag(sync=True)
    activation = traitlets.Unicode("relu").tag(sync=True)
    width = traitlets.Int(12).tag(sync=True)
    presets = traitlets.Tuple().tag(sync=True)
    scenario = traitlets.Unicode("sine-relu-12").tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)
    target_options = traitlets.Tuple().tag(sync=True)
    activation_options = traitlets.Tuple().tag(sync=True)

    def __init__(self, target="sine", activation="relu", width=12, presets=DEFAULT_PRESETS,
                 scenario="sine-relu-12", **kwargs: Any) -> None:
        super().__init__(target=target, activation=activation, width=width,
                         presets=tuple((str(t), str(a), int(w)) for t, a, w in presets), scenario=scenario,
                         description=LEAVES_OUT, target_options=tuple(TARGETS),
                         activation_options=tuple(ACTIVATIONS), **kwargs)
        self._apply(self._simulate())          # bad constructor arguments raise ValueError here
        self._check_scenario(self.scenario)
        self._last_scenario = self.scenario
        self._n_frames = self._frames_of(self.scenario)
        self.observe(self._on_scenario, names=["scenario"])

    # -- simulation -------------------------------------------------------------------------
    @property
    def n_frames(self) -> int:
        return self._n_frames

    def _simulate(self) -> list[dict[str, Any]]:
        out = []
        for t, a, w in self.presets:
            t = one_of("presets", t, TARGETS)
            a = one_of("presets", a, ACTIVATIONS)
            w = positive_int("presets", w, maximum=MAX_WIDTH)
            out.append(universal_scenario(preset_key(t, a, w), f"{_TARGETS[t]}, {w} × {_ACTS[a]}", t, a, w))
        t = one_of("target", self.target, TARGETS)
        a = one_of("activation", self.activation, ACTIVATIONS)
        w = positive_int("width", self.width, maximum=MAX_WIDTH)
        out.append(universal_scenario("custom", f"Your run: {_TARGETS[t]}, {w} × {_ACTS[a]}", t, a, w))
        return out

    def _frames_of(self, key: str) -> int:
        return next(s["n_frames"] for s in self.scenarios if s["key"] == key)

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self.scenarios = result
        if hasattr(self, "_last_scenario"):
            if self.scenario not in self._keys():
                self.scenario = "custom"
            self._n_frames = self._frames_of(self.scenario)
        else:
            self._n_frames = result[0]["n_frames"]

    def _on_sim_param(self, change: dict) -> None:
        if self._resimulate() and change["name"] in ("target", "activation", "width"):
            self.scenario = "custom"          # show the run the reader just asked for

    # -- the shown scenario ---------------------------------------------------------------------
    def _keys(self) -> list[str]:
        return [s["key"] for s in self.scenarios]

    def _check_scenario(self, key: str) -> None:
        one_of("scenario", key, self._keys())

    def _on_scenario(self, change: dict) -> None:
        try:
            self._check_scenario(change["new"])
        except ValueError as exc:
            self.scenario = self._last_scenario   # keep showing the last good scenario
            self.error = str(exc)
            return
        self._last_scenario = change["new"]
        self._n_frames = self._frames_of(change["new"])
        self.frame = min(self.frame, self._n_frames - 1)
        if self.error.startswith("scenario "):
            self.error = ""

    def trace(self, key: str | None = None) -> UniversalTrace:
        """The :class:`~vizkit.nn.universal.UniversalTrace` behind scenario ``key``."""
        key = self.scenario if key is None else one_of("key", key, self._keys())
        s = next(s for s in self.scenarios if s["key"] == key)
        return universal_fit(s["target"], s["activation"], s["width"], n_points=N_POINTS)
