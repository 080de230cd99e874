r"""P0.2 widget: the function families morphing as one parameter sweeps.

Each *scenario* is one family with one parameter swept back and forth
(:func:`vizkit.foundations.functions.curve_trace`): a frame is one value of the
parameter, and the curve :math:`f(x)` and its slope :math:`f'(x)` are sampled on
a shared grid of ``x``. The *probe* ``x0`` is a point on that grid: the browser
reads :math:`f(x_0)` and :math:`f'(x_0)` from the trace and draws the tangent line
there. Every preset is simulated up front, so the static book animates with no
kernel; the traits ``family``, ``param``, ``lo`` and ``hi`` define one more
scenario, ``"custom"``, and re-run the simulation in Python.

>>> fw = FunctionsWidget()
>>> fw
FunctionsWidget(scenario='sigmoid', family='sigmoid', param='w', lo=0.25, hi=4.0, x0=1.0)
>>> [s["key"] for s in fw.scenarios]
['linear', 'polynomial', 'exp', 'log', 'sigmoid', 'relu', 'custom']
>>> fw.param = "k"                    # sigmoid has no k: reported, not raised
>>> fw.error
"param must be one of w, b for family 'sigmoid'; got 'k'"
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import traitlets

from vizkit._validate import one_of
from vizkit.foundations.functions import DEFAULT_PARAMS, FAMILIES, CurveTrace, curve_trace

from .base import VizWidget

__all__ = ["FunctionsWidget", "PRESETS", "X_MIN", "X_MAX", "N_POINTS", "HALF_FRAMES", "Y_LIMIT", "LEAVES_OUT",
           "sweep_values", "functions_scenario", "probe_index"]

X_MIN, X_MAX = -4.0, 4.0
#: Grid points per curve (the probe snaps to them).
N_POINTS = 81
#: Frames from one end of a sweep to the other; a scenario goes there and back.
HALF_FRAMES = 12
#: The y range a scenario shows is clamped to [-Y_LIMIT, Y_LIMIT] (exp grows past any screen).
Y_LIMIT = 8.0

#: key -> (label, family, swept parameter, from, to, fixed parameters).
PRESETS: dict[str, tuple[str, str, str, float, float, dict[str, Any]]] = {
    "linear": ("Linear w x + b: sweep the slope w", "linear", "w", -1.5, 2.0, {"b": 0.5}),
    "polynomial": ("Polynomial 1 − x + c x²: sweep c", "polynomial", "coeffs", -0.6, 0.6,
                   {"coeffs": (1.0, -1.0, 0.0)}),
    "exp": ("Exponential e^(k x): sweep the rate k", "exp", "k", -1.0, 1.0, {}),
    "log": ("Logarithm a ln x: sweep the scale a", "log", "a", -2.0, 2.0, {}),
    "sigmoid": ("Sigmoid σ(w x): sweep the steepness w", "sigmoid", "w", 0.25, 4.0, {}),
    "relu": ("ReLU max(0, x + b): sweep the shift b", "relu", "b", -2.0, 2.0, {}),
}

LEAVES_OUT = (
    "Curves of one input sampled at 81 points between x = −4 and 4; the probe snaps to the nearest "
    "sample. Slopes are the exact derivatives of the formulas, not measured; ReLU's slope at its kink "
    "is taken as 0. Only one parameter moves at a time. Neural networks stack and add many such "
    "curves, each fed by a weighted sum of many inputs (Part 1)."
)


def sweep_values(lo: float, hi: float, half: int = HALF_FRAMES) -> np.ndarray:
    """``lo`` to ``hi`` and back in ``2 * half`` frames (the animation loops without a jump).

    >>> sweep_values(0.0, 1.0, 2).tolist()
    [0.0, 1.0, 1.0, 0.0]
    """
    up = np.linspace(lo, hi, half)
    return np.concatenate([up, up[::-1]])


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(float(value)):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    return float(value)


def _sweep(family: str, param: str, lo: float, hi: float, fixed: dict[str, Any]) -> CurveTrace:
    family = one_of("family", family, FAMILIES)
    allowed = list(DEFAULT_PARAMS[family])
    if param not in allowed:
        raise ValueError(f"param must be one of {', '.join(allowed)} for family {family!r}; got {param!r}")
    lo, hi = _number("lo", lo), _number("hi", hi)
    if lo == hi:
        raise ValueError(f"hi must differ from lo ({lo}); got {hi}")
    return curve_trace(family, param=param, param_values=sweep_values(lo, hi), x_min=X_MIN, x_max=X_MAX,
                       n_points=N_POINTS, **fixed)


def functions_scenario(key: str, label: str, family: str, param: str, trace: CurveTrace) -> dict[str, Any]:
    """One scenario for the browser: metadata as JSON, the curves as float32 bytes (NaN = undefined)."""
    finite = trace.value[np.isfinite(trace.value)]
    lo = float(max(-Y_LIMIT, finite.min())) if finite.size else -1.0
    hi = float(min(Y_LIMIT, finite.max())) if finite.size else 1.0
    if hi - lo < 1.0:
        mid = (hi + lo) / 2
        lo, hi = mid - 0.5, mid + 0.5
    return {
        "key": key, "label": label, "family": family, "param": "c" if param == "coeffs" else param,
        "n_frames": int(trace.n_frames), "n_points": int(trace.x.shape[0]),
        "x_min": float(trace.x[0]), "x_max": float(trace.x[-1]), "y_min": lo, "y_max": hi,
        "param_value": trace.param_value.astype("<f4").tobytes(),
        "value": trace.value.astype("<f4").tobytes(),
        "slope": trace.slope.astype("<f4").tobytes(),
    }


def probe_index(x0: float) -> int:
    """The grid point the probe ``x0`` snaps to.

    >>> probe_index(1.0), probe_index(-99.0)
    (50, 0)
    """
    x0 = _number("x0", x0)
    step = (X_MAX - X_MIN) / (N_POINTS - 1)
    return int(min(N_POINTS - 1, max(0, round((x0 - X_MIN) / step))))


class FunctionsWidget(VizWidget):
    """Function families: the curve, its slope and a probe point, as one parameter sweeps.

    Parameters
    ----------
    family, param, lo, hi : the "custom" scenario: sweep ``param`` of ``family`` from ``lo`` to ``hi``
        (for ``polynomial`` the swept ``coeffs`` is the leading coefficient of ``1 − x + c x²``).
    scenario : the scenario shown first: a key of ``PRESETS`` or ``"custom"``.
    x0 : the probe's x, in ``[X_MIN, X_MAX]``.
    """

    _bundle = "functions"
    _sim_params = ("family", "param", "lo", "hi")
    _repr_params = ("scenario", "family", "param", "lo", "hi", "x0")

    family = traitlets.Unicode("sigmoid").tag(sync=True)
    param = traitlets.Unicode("w").tag(sync=True)
    lo = traitlets.Float(0.25).tag(sync=True)
    hi = traitlets.Float(4.0).tag(sync=True)
    scenario = traitlets.Unicode("sigmoid").tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)
    x0 = traitlets.Float(1.0).tag(sync=True)

    def __init__(self, family="sigmoid", param="w", lo=0.25, hi=4.0, scenario="sigmoid", x0=1.0,
                 **kwargs: Any) -> None:
        x0 = _number("x0", x0)
        if not X_MIN <= x0 <= X_MAX:
            raise ValueError(f"x0 must be in [{X_MIN:g}, {X_MAX:g}]; got {x0}")
        _sweep(family, param, lo, hi, self._fixed(family))         # bad arguments raise here
        super().__init__(family=family, param=param, lo=float(lo), hi=float(hi), scenario=scenario, x0=x0,
                         description=LEAVES_OUT, **kwargs)
        self._apply(self._simulate())
        one_of("scenario", self.scenario, self._keys())
        self._last = {"scenario": self.scenario, "x0": self.x0}
        self.observe(self._on_scenario, names=["scenario"])
        self.observe(self._on_x0, names=["x0"])

    @staticmethod
    def _fixed(family: str) -> dict[str, Any]:
        return {"coeffs": (1.0, -1.0, 0.0)} if family == "polynomial" else {}

    @property
    def n_frames(self) -> int:
        return self._n_frames

    def _simulate(self) -> list[dict[str, Any]]:
        if not hasattr(self, "_presets"):          # the presets never change: simulate them once
            self._presets = [functions_scenario(key, label, fam, p, _sweep(fam, p, lo, hi, fixed))
                             for key, (label, fam, p, lo, hi, fixed) in PRESETS.items()]
        out = list(self._presets)
        custom = _sweep(self.family, self.param, self.lo, self.hi, self._fixed(self.family))
        name = "c" if self.param == "coeffs" else self.param
        out.append(functions_scenario("custom", f"Yours: {self.family}, sweep {name} from {self.lo:g} to "
                                      f"{self.hi:g}", self.family, self.param, custom))
        return out

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self.scenarios = result
        self._n_frames = self._scenario_dict()["n_frames"]

    def _scenario_dict(self) -> dict[str, Any]:
        return next((s for s in self.scenarios if s["key"] == self.scenario), self.scenarios[0])

    def _keys(self) -> list[str]:
        return [s["key"] for s in self.scenarios]

    def _on_sim_param(self, change: dict) -> None:
        if self._resimulate():
            self.scenario = "custom"

    def _on_scenario(self, change: dict) -> None:
        try:
            one_of("scenario", change["new"], self._keys())
        except ValueError as exc:
            self.scenario = self._last["scenario"]
            self.error = str(exc)
            return
        self._last["scenario"] = change["new"]
        self._n_frames = self._scenario_dict()["n_frames"]
        self.frame = min(self.frame, self._n_frames - 1)
        if self.error.startswith("scenario "):
            self.error = ""

    def _on_x0(self, change: dict) -> None:
        v = change["new"]
        if not (math.isfinite(v) and X_MIN <= v <= X_MAX):
            self.x0 = self._last["x0"]
            self.error = f"x0 must be in [{X_MIN:g}, {X_MAX:g}]; got {v}"
            return
        self._last["x0"] = v
        if self.error.startswith("x0 "):
            self.error = ""

    def trace(self, key: str | None = None) -> CurveTrace:
        """The :class:`~vizkit.foundations.functions.CurveTrace` behind scenario ``key``."""
        key = self.scenario if key is None else one_of("key", key, self._keys())
        if key == "custom":
            return _sweep(self.family, self.param, self.lo, self.hi, self._fixed(self.family))
        _, fam, p, lo, hi, fixed = PRESETS[key]
        return _sweep(fam, p, lo, hi, fixed)

    def probe(self, key: str | None = None) -> tuple[float, np.ndarray, np.ndarray]:
        """``(x, f(x), f'(x))`` at the probe for every frame of scenario ``key`` (what the telemetry shows)."""
        t = self.trace(key)
        i = probe_index(self.x0)
        return float(t.x[i]), t.value[:, i], t.slope[:, i]

