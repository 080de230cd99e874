r"""P0.7 widget: SGD, momentum and Adam racing from one start across one contour map.

Every *preset* is simulated up front with
:func:`vizkit.foundations.optimizer_race.race_trace` and shipped as one *scenario*,
so the static page switches between them with no kernel. The traits ``surface``,
``sgd_lr``, ``momentum_lr``, ``adam_lr``, ``beta1``, ``beta2``, ``gradient_noise``
and ``n_steps`` define one more scenario, ``"custom"`` ("your race"), and re-run
the simulation in Python. ``beta1`` is both momentum's :math:`\beta` and Adam's
:math:`\beta_1`: each is the weight an optimiser gives to its memory of past
gradients.

Each scenario carries, per step and racer, the position, the loss, the distance
to the minimum and the converged / diverged flags, plus the contour grid and the
steps each racer needed to converge, as float32/int32 buffers.

>>> w = OptimizerRaceWidget(n_steps=200)
>>> w
OptimizerRaceWidget(scenario='ravine', surface='ravine', sgd_lr=0.09, momentum_lr=0.03, adam_lr=0.1, beta1=0.7, beta2=0.999, gradient_noise=0.0, n_steps=200)
>>> [s["key"] for s in w.scenarios]
['ravine', 'rosenbrock', 'ravine-noisy', 'ravine-too-fast', 'custom']
>>> w.beta2 = 1.5                       # bad input: reported, not raised
>>> w.error
'beta2 must be a number in [0.0, 0.999999]; got 1.5'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from vizkit._validate import in_range, nonneg_float, one_of, positive_float, positive_int
from vizkit.foundations.optimizer_race import RaceTrace, default_racers, race_trace
from vizkit.foundations.optimizers import Adam, Momentum, SGD
from vizkit.foundations.surfaces import critical_learning_rate, make_surface

from .base import VizWidget

__all__ = ["OptimizerRaceWidget", "PRESETS", "RACE_SURFACES", "MAX_WIDGET_STEPS", "LEAVES_OUT",
           "race_scenario", "preset_racers"]

#: Most steps one widget animates (one frame each).
MAX_WIDGET_STEPS = 1000

#: The two-weight surfaces a race can run on.
RACE_SURFACES = ("bowl", "ravine", "rosenbrock")

#: key -> (label, surface, racer settings (None = the surface's defaults), gradient noise σ).
PRESETS = {
    "ravine": ("Ravine ½(w₁² + 20w₂²), tuned rates", "ravine", None, 0.0),
    "rosenbrock": ("Rosenbrock valley, tuned rates", "rosenbrock", None, 0.0),
    "ravine-noisy": ("Ravine with noisy gradients (σ = 2)", "ravine", None, 2.0),
    "ravine-too-fast": ("Ravine, every rate too large", "ravine",
                        ({"name": "sgd", "learning_rate": 0.12},
                         {"name": "momentum", "learning_rate": 0.2, "beta": 0.7},
                         {"name": "adam", "learning_rate": 1.0}), 0.0),
}

LEAVES_OUT = (
    "Two weights, exact gradients (plus, in the noisy race, Gaussian noise standing in for "
    "mini-batch error), constant learning rates with no warm-up or schedule, and no weight decay. "
    "A racer counts as converged once it is within 0.01 of the minimum. Real networks have billions "
    "of weights whose curvatures differ far more than these toys'."
)


def preset_racers(key: str) -> tuple[dict, ...]:
    """The racer settings of preset ``key`` (dicts with a ``name``), as :func:`race_trace` takes them."""
    _, surface, racers, _ = PRESETS[one_of("key", key, PRESETS)]
    return default_racers(surface) if racers is None else tuple(dict(r) for r in racers)


def race_scenario(key: str, label: str, trace: RaceTrace, racers: tuple[dict, ...],
                  noise: float) -> dict[str, Any]:
    """One scenario dict for the browser: metadata as JSON, arrays as binary buffers."""
    s = make_surface(trace.surface)
    (x_lo, x_hi), (y_lo, y_hi) = s.plot_range
    return {
        "key": key,
        "label": label,
        "surface": trace.surface,
        "names": list(trace.names),
        "learning_rates": [float(r["learning_rate"]) for r in racers],
        "betas": [float(r.get("beta", r.get("beta1", 0.9))) if r["name"] != "sgd" else 0.0 for r in racers],
        "beta2": [float(r.get("beta2", 0.999)) if r["name"] == "adam" else 0.0 for r in racers],
        "gradient_noise": float(noise),
        "critical_learning_rate": critical_learning_rate(s),
        "n_frames": int(trace.n_frames),
        "x_range": [float(x_lo), float(x_hi)],
        "y_range": [float(y_lo), float(y_hi)],
        "minimum": [float(v) for v in s.minimum],
        "steps": [int(v) for v in trace.steps_to_converge],
        "diverged_step": [int(np.argmax(trace.diverged[:, r])) if trace.diverged[:, r].any() else -1
                          for r in range(len(trace.names))],
        **trace.to_buffers(),
    }


class OptimizerRaceWidget(VizWidget):
    """SGD, momentum and Adam racing on a contour map: paths, loss per step and steps to converge.

    Parameters
    ----------
    surface : the surface of "your race" (one of ``RACE_SURFACES``).
    sgd_lr, momentum_lr, adam_lr : the learning rates of your race (> 0).
    beta1 : momentum's β and Adam's β₁, in [0, 0.999999].
    beta2 : Adam's β₂, in [0, 0.999999].
    gradient_noise : σ of the Gaussian noise added to every gradient (>= 0).
    n_steps : steps in every scenario (1 to 1000).
    presets : keys of ``PRESETS`` simulated up front.
    scenario : the scenario shown first: a preset key or ``"custom"``.
    """

    _bundle = "optimizers"
    _sim_params = ("surface", "sgd_lr", "momentum_lr", "adam_lr", "beta1", "beta2", "gradient_noise",
                   "n_steps", "presets")
    _repr_params = ("scenario", "surface", "sgd_lr", "momentum_lr", "adam_lr", "beta1", "beta2",
                    "gradient_noise", "n_steps")

    surface = traitlets.Unicode("ravine").tag(sync=True)
    sgd_lr = traitlets.Float(0.09).tag(sync=True)
    momentum_lr = traitlets.Float(0.03).tag(sync=True)
    adam_lr = traitlets.Float(0.1).tag(sync=True)
    beta1 = traitlets.Float(0.7).tag(sync=True)
    beta2 = traitlets.Float(0.999).tag(sync=True)
    gradient_noise = traitlets.Float(0.0).tag(sync=True)
    n_steps = traitlets.Int(300).tag(sync=True)
    presets = traitlets.Tuple().tag(sync=True)
    scenario = traitlets.Unicode("ravine").tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)
    surface_options = traitlets.Tuple().tag(sync=True)

    def __init__(self, surface="ravine", sgd_lr=0.09, momentum_lr=0.03, adam_lr=0.1, beta1=0.7,
                 beta2=0.999, gradient_noise=0.0, n_steps=300, presets=tuple(PRESETS), scenario="ravine",
                 **kwargs: Any) -> None:
        super().__init__(surface=surface, sgd_lr=float(sgd_lr), momentum_lr=float(momentum_lr),
                         adam_lr=float(adam_lr), beta1=float(beta1), beta2=float(beta2),
                         gradient_noise=float(gradient_noise), n_steps=n_steps,
                         presets=tuple(str(p) for p in presets), scenario=scenario, description=LEAVES_OUT,
                         surface_options=RACE_SURFACES, **kwargs)
        self._apply(self._simulate())          # bad constructor arguments raise ValueError here
        self._check_scenario(self.scenario)
        self._last_scenario = self.scenario
        self.observe(self._on_scenario, names=["scenario"])

    # -- simulation -------------------------------------------------------------------------
    @property
    def n_frames(self) -> int:
        return self._n_frames

    def custom_racers(self) -> tuple[dict, ...]:
        """The racer settings of "your race", validated (a ``ValueError`` names the bad trait)."""
        sgd = SGD(learning_rate=_named("sgd_lr", self.sgd_lr))
        mom = Momentum(learning_rate=_named("momentum_lr", self.momentum_lr), beta=_named_beta("beta1", self.beta1))
        adam = Adam(learning_rate=_named("adam_lr", self.adam_lr), beta1=_named_beta("beta1", self.beta1),
                    beta2=_named_beta("beta2", self.beta2))
        return ({"name": "sgd", "learning_rate": sgd.learning_rate},
                {"name": "momentum", "learning_rate": mom.learning_rate, "beta": mom.beta},
                {"name": "adam", "learning_rate": adam.learning_rate, "beta1": adam.beta1, "beta2": adam.beta2})

    def _run(self, key: str, n: int) -> tuple[RaceTrace, tuple[dict, ...], float, str]:
        if key == "custom":
            surface = one_of("surface", self.surface, RACE_SURFACES)
            racers = self.custom_racers()
            noise = nonneg_float("gradient_noise", self.gradient_noise)
            label = f"Your race: {surface}" + (f", noise σ = {noise:g}" if noise else "")
        else:
            label, surface, _, noise = PRESETS[one_of("presets", key, PRESETS)]
            racers = preset_racers(key)
        return race_trace(surface, racers, n_steps=n, gradient_noise=noise), racers, noise, label

    def _simulate(self) -> list[dict[str, Any]]:
        n = positive_int("n_steps", self.n_steps, maximum=MAX_WIDGET_STEPS)
        out = []
        for key in (*self.presets, "custom"):
            t, racers, noise, label = self._run(key, n)
            out.append(race_scenario(key, label, t, racers, noise))
        return out

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self._n_frames = result[0]["n_frames"]
        self.scenarios = result
        if hasattr(self, "_last_scenario") and self.scenario not in self._keys():
            self.scenario = "custom"

    def _on_sim_param(self, change: dict) -> None:
        if self._resimulate() and change["name"] not in ("n_steps", "presets"):
            self.scenario = "custom"          # show the race the reader just asked for

    # -- the shown scenario ---------------------------------------------------------------------
    def _keys(self) -> list[str]:
        return [s["key"] for s in self.scenarios]

    def _check_scenario(self, key: str) -> None:
        one_of("scenario", key, self._keys())

    def _on_scenario(self, change: dict) -> None:
        try:
            self._check_scenario(change["new"])
        except ValueError as exc:
            self.scenario = self._last_scenario
            self.error = str(exc)
            return
        self._last_scenario = change["new"]
        if self.error.startswith("scenario "):
            self.error = ""

    def trace(self, key: str | None = None) -> RaceTrace:
        """The :class:`~vizkit.foundations.optimizer_race.RaceTrace` behind scenario ``key``."""
        key = self.scenario if key is None else one_of("key", key, self._keys())
        return self._run(key, self.n_steps)[0]



def _named(name: str, value: float) -> float:
    return positive_float(name, value)


def _named_beta(name: str, value: float) -> float:
    return in_range(name, value, 0.0, 0.999999)
