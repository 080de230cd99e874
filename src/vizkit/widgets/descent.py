r"""P0.5 widget: a ball descending a curve or a contour map, one gradient step per frame.

Every *preset* (a surface and a learning rate given as a multiple of the critical
rate :math:`2/\lambda_{\max}`) is simulated up front with
:func:`vizkit.foundations.gradient_descent.descent_trace` and shipped as one
*scenario*, so the browser switches between them with no kernel. The traits
``surface``, ``learning_rate``, ``start`` and ``n_steps`` define one more
scenario, ``"custom"`` ("your run"), and re-run the simulation in Python.

Each scenario carries, per step, the position, the loss, the gradient, its norm,
the trace's ``diverged`` flag (the point overflowed) and a ``rising`` flag (the
loss is above where it started: the run is going the wrong way), plus the curve
or contour grid, as float32/int32 buffers.

>>> w = DescentWidget(n_steps=20)
>>> w
DescentWidget(scenario='quadratic-0.9', surface='quadratic', learning_rate=0.5, start=(), n_steps=20)
>>> [s["key"] for s in w.scenarios][:4]
['quadratic-0.4', 'quadratic-0.9', 'quadratic-1', 'quadratic-1.1']
>>> w.learning_rate = -0.1          # bad input: reported, not raised
>>> w.error
'learning_rate must be a finite number > 0; got -0.1'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import one_of, positive_float, positive_int
from vizkit.foundations.gradient_descent import DescentTrace, descent_trace
from vizkit.foundations.surfaces import SURFACES, critical_learning_rate, make_surface

from .base import VizWidget

__all__ = ["DescentWidget", "DEFAULT_PRESETS", "MAX_WIDGET_STEPS", "LEAVES_OUT", "descent_scenario",
           "preset_key"]

#: Most gradient steps one widget animates (one frame each).
MAX_WIDGET_STEPS = 1000

#: (surface, learning rate as a multiple of 2/λ_max) simulated up front.
DEFAULT_PRESETS = (
    ("quadratic", 0.4), ("quadratic", 0.9), ("quadratic", 1.0), ("quadratic", 1.1),
    ("ravine", 0.9), ("rosenbrock", 0.5),
)

LEAVES_OUT = (
    "Plain full-batch gradient descent with exact gradients and a fixed learning rate: no noise "
    "from mini-batches, no momentum, no schedule. The surfaces are two-variable toys; a network's "
    "loss has millions of directions, but near a minimum each behaves like one of these quadratics."
)

_NAMES = {"quadratic": "Quadratic ½Lx²", "double_well": "Double well", "bowl": "Round bowl",
          "ravine": "Ravine", "rosenbrock": "Rosenbrock valley"}


def preset_key(surface: str, multiple: float) -> str:
    """The scenario key of a preset: ``preset_key("quadratic", 0.9) == "quadratic-0.9"``."""
    return f"{surface}-{multiple:g}"


def descent_scenario(key: str, label: str, trace: DescentTrace, surface) -> dict[str, Any]:
    """One scenario dict for the browser: metadata as JSON, arrays as binary buffers."""
    rising = (trace.loss > trace.loss[0] * (1 + 1e-6)) | (trace.diverged > 0)
    (x_lo, x_hi), *rest = surface.plot_range
    y_lo, y_hi = rest[0] if rest else (float(trace.grid_value.min()), float(trace.grid_value.max()))
    rising_at = np.flatnonzero(rising)
    return {
        "key": key,
        "label": label,
        "surface": trace.surface,
        "dim": int(surface.dim),
        "learning_rate": float(trace.learning_rate),
        "critical_learning_rate": float(trace.critical_learning_rate),
        "n_frames": int(trace.n_frames),
        "converged_step": int(trace.converged_step),
        "diverged_step": int(trace.diverged_step),
        "rising_step": int(rising_at[0]) if rising_at.size else -1,
        "x_range": [float(x_lo), float(x_hi)],
        "y_range": [float(y_lo), float(y_hi)],
        "minimum": [float(v) for v in surface.minimum],
        **trace.to_buffers(),
        **to_buffers([("rising", rising.astype(np.int32))]),
    }


class DescentWidget(VizWidget):
    """Gradient descent on a curve or contour map: the ball, its path, the step arrow, loss and ‖∇L‖.

    Parameters
    ----------
    surface : the surface of "your run" (one of ``SURFACES``).
    learning_rate : its step size η (> 0).
    start : its start point (empty = the surface's default start).
    n_steps : gradient steps in every scenario (1 to 1000).
    presets : ``(surface, multiple)`` pairs simulated up front at ``multiple × 2/λ_max``.
    scenario : the scenario shown first: a preset key (``"quadratic-0.9"``) or ``"custom"``.
    """

    _bundle = "descent"
    _sim_params = ("surface", "learning_rate", "start", "n_steps", "presets")
    _repr_params = ("scenario", "surface", "learning_rate", "start", "n_steps")

    surface = traitlets.Unicode("quadratic").tag(sync=True)   # surface of the custom run
    learning_rate = traitlets.Float(0.5).tag(sync=True)       # η of the custom run
    start = traitlets.Tuple().tag(sync=True)                  # start of the custom run; () = default
    n_steps = traitlets.Int(50).tag(sync=True)                # steps = frames - 1, every scenario
    presets = traitlets.Tuple().tag(sync=True)                # (surface, multiple of 2/λ_max) pairs
    scenario = traitlets.Unicode("quadratic-0.9").tag(sync=True)  # shown scenario (JS switches it)
    scenarios = traitlets.List().tag(sync=True)               # one dict per scenario, arrays as bytes
    surface_options = traitlets.Tuple().tag(sync=True)        # the surface menu (SURFACES)

    def __init__(self, surface="quadratic", learning_rate=0.5, start=(), n_steps=50,
                 presets=DEFAULT_PRESETS, scenario="quadratic-0.9", **kwargs: Any) -> None:
        super().__init__(surface=surface, learning_rate=float(learning_rate),
                         start=tuple(float(v) for v in (start or ())), n_steps=n_steps,
                         presets=tuple((str(s), float(m)) for s, m in presets), scenario=scenario,
                         description=LEAVES_OUT, surface_options=tuple(SURFACES), **kwargs)
        self._apply(self._simulate())          # bad constructor arguments raise ValueError here
        self._check_scenario(self.scenario)
        self._last_scenario = self.scenario
        self.observe(self._on_scenario, names=["scenario"])

    # -- simulation -------------------------------------------------------------------------
    @property
    def n_frames(self) -> int:
        return self._n_frames

    def _custom(self, n_steps: int) -> dict[str, Any]:
        s = make_surface(one_of("surface", self.surface, SURFACES))
        lr = positive_float("learning_rate", self.learning_rate)
        start = None
        if self.start:
            if len(self.start) != s.dim:
                raise ValueError(f"start must have {s.dim} coordinate(s) for surface {s.name!r}; "
                                 f"got {len(self.start)}")
            start = np.array(self.start, dtype=float)
        t = descent_trace(s, lr, n_steps, start)
        return descent_scenario("custom", f"Your run: {_NAMES[s.name]}, η = {lr:g}", t, s)

    def _simulate(self) -> list[dict[str, Any]]:
        n = positive_int("n_steps", self.n_steps, maximum=MAX_WIDGET_STEPS)
        out = []
        for name, multiple in self.presets:
            s = make_surface(one_of("presets", name, SURFACES))
            m = positive_float("multiple", multiple)
            crit = critical_learning_rate(s)
            t = descent_trace(s, m * crit, n)
            out.append(descent_scenario(preset_key(name, m), f"{_NAMES[name]}, η = {m:g} × 2/L", t, s))
        out.append(self._custom(n))
        return out

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self._n_frames = result[0]["n_frames"]
        self.scenarios = result
        if hasattr(self, "_last_scenario") and self.scenario not in self._keys():
            self.scenario = "custom"          # the shown preset was dropped from the list

    def _on_sim_param(self, change: dict) -> None:
        if self._resimulate() and change["name"] in ("surface", "learning_rate", "start"):
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
        if self.error.startswith("scenario "):
            self.error = ""

    def trace(self, key: str | None = None) -> DescentTrace:
        """The :class:`~vizkit.foundations.gradient_descent.DescentTrace` behind scenario ``key``."""
        key = self.scenario if key is None else one_of("key", key, self._keys())
        if key == "custom":
            s = make_surface(self.surface)
            return descent_trace(s, self.learning_rate, self.n_steps,
                                 np.array(self.start) if self.start else None)
        name, multiple = next((n, m) for n, m in self.presets if preset_key(n, m) == key)
        s = make_surface(name)
        return descent_trace(s, multiple * critical_learning_rate(s), self.n_steps)
