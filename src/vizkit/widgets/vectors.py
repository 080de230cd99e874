r"""P0.3 widget: two arrows, the dot product, the cosine and the projection.

Each frame is one direction of the arrow :math:`b` as it turns once around the
origin while :math:`a` stays put (:func:`vizkit.foundations.vectors.rotation_trace`).
The browser draws both arrows, the angle between them and the projection of
:math:`a` onto the line of :math:`b`, and reads :math:`a \cdot b`, :math:`\cos\theta`
and the signed length of the projection from the trace. Every preset is simulated
up front, so the static book animates with no kernel; the traits ``a`` and
``b_length`` define one more scenario, ``"custom"``, and re-run the simulation.

>>> vw = VectorsWidget()
>>> vw
VectorsWidget(scenario='basic', a=(2.0, 1.0), b_length=1.5)
>>> [s["key"] for s in vw.scenarios]
['basic', 'long', 'short', 'custom']
>>> vw.a = (0.0, 0.0)                 # a zero arrow has no direction: reported, not raised
>>> vw.error
'a must be a non-zero vector (its direction is undefined)'
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import traitlets

from vizkit._validate import one_of
from vizkit.foundations.vectors import RotationTrace, rotation_trace

from .base import VizWidget

__all__ = ["VectorsWidget", "PRESETS", "N_FRAMES", "LIMIT", "LEAVES_OUT", "vectors_scenario"]

#: Frames per turn of b (5 degrees apart).
N_FRAMES = 72
#: Largest coordinate or length the widget draws.
LIMIT = 5.0

#: key -> (label, a, length of b).
PRESETS: dict[str, tuple[str, tuple[float, float], float]] = {
    "basic": ("a = (2, 1), b of length 1.5 turning", (2.0, 1.0), 1.5),
    "long": ("Same a, b three times longer", (2.0, 1.0), 4.5),
    "short": ("Same a, b of length 0.5", (2.0, 1.0), 0.5),
}

LEAVES_OUT = (
    "Two arrows in a flat plane (2 dimensions), b turning in steps of 5 degrees while a stays put. "
    "The formulas are the same in any number of dimensions, and models compare vectors of hundreds "
    "or thousands of entries, but only two can be drawn; there, almost all pairs of random directions "
    "are nearly at right angles, which a plane cannot show."
)


def _a(value: Any) -> tuple[float, float]:
    try:
        out = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"a must be a pair of numbers; got {value!r}") from None
    if len(out) != 2 or not all(math.isfinite(v) for v in out):
        raise ValueError(f"a must be a pair of finite numbers; got {value!r}")
    if max(abs(v) for v in out) > LIMIT:
        raise ValueError(f"a must have coordinates in [-{LIMIT:g}, {LIMIT:g}]; got {out}")
    return out


def _length(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(float(value)) or not 0 < float(value) <= LIMIT:
        raise ValueError(f"b_length must be a number in (0, {LIMIT:g}]; got {value!r}")
    return float(value)


def vectors_scenario(key: str, label: str, trace: RotationTrace) -> dict[str, Any]:
    """One scenario for the browser: metadata as JSON, arrays as float32 bytes."""
    b_len = float(np.linalg.norm(trace.b[0]))
    a_len = float(np.linalg.norm(trace.a))
    scalar = trace.dot / b_len                    # signed length of proj_b a along b
    f4 = lambda v: np.ascontiguousarray(v, dtype="<f4").tobytes()   # noqa: E731
    return {
        "key": key, "label": label, "n_frames": int(trace.n_frames), "a_len": a_len, "b_len": b_len,
        "a": f4(trace.a), "b": f4(trace.b), "angle_deg": f4(trace.angle_deg), "dot": f4(trace.dot),
        "cosine": f4(trace.cosine), "projection": f4(trace.projection), "scalar_proj": f4(scalar),
    }


class VectorsWidget(VizWidget):
    """Two arrows: the dot product, cosine similarity and projection as b turns.

    Parameters
    ----------
    a : the fixed arrow of the "custom" scenario (two coordinates in ``[-LIMIT, LIMIT]``, not both 0).
    b_length : the length of the turning arrow of the "custom" scenario, in ``(0, LIMIT]``.
    scenario : the scenario shown first: a key of ``PRESETS`` or ``"custom"``.
    """

    _bundle = "vectors"
    _sim_params = ("a", "b_length")
    _repr_params = ("scenario", "a", "b_length")

    a = traitlets.Tuple().tag(sync=True)
    b_length = traitlets.Float(1.5).tag(sync=True)
    scenario = traitlets.Unicode("basic").tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)

    def __init__(self, a=(2.0, 1.0), b_length=1.5, scenario="basic", **kwargs: Any) -> None:
        a = _a(a)
        b_length = _length(b_length)
        rotation_trace(a, b_length, N_FRAMES)            # a zero arrow raises here
        super().__init__(a=a, b_length=b_length, scenario=scenario, description=LEAVES_OUT, **kwargs)
        self._apply(self._simulate())
        one_of("scenario", self.scenario, self._keys())
        self._last_scenario = self.scenario
        self.observe(self._on_scenario, names=["scenario"])

    @property
    def n_frames(self) -> int:
        return N_FRAMES

    def _simulate(self) -> list[dict[str, Any]]:
        out = [vectors_scenario(key, label, rotation_trace(a, b_len, N_FRAMES))
               for key, (label, a, b_len) in PRESETS.items()]
        a, b_len = _a(self.a), _length(self.b_length)
        out.append(vectors_scenario("custom", f"Yours: a = ({a[0]:g}, {a[1]:g}), b of length {b_len:g}",
                                    rotation_trace(a, b_len, N_FRAMES)))
        return out

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self.scenarios = result

    def _keys(self) -> list[str]:
        return [s["key"] for s in self.scenarios]

    def _on_sim_param(self, change: dict) -> None:
        if self._resimulate():
            self.scenario = "custom"

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

    def trace(self, key: str | None = None) -> RotationTrace:
        """The :class:`~vizkit.foundations.vectors.RotationTrace` behind scenario ``key``."""
        key = self.scenario if key is None else one_of("key", key, self._keys())
        if key == "custom":
            return rotation_trace(self.a, self.b_length, N_FRAMES)
        _, a, b_len = PRESETS[key]
        return rotation_trace(a, b_len, N_FRAMES)
