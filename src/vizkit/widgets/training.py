r"""P1.5 widget: a small MLP trained one mini-batch per frame; loss curves, gap and decision boundary.

Every *preset* runs :func:`vizkit.nn.training.train_trace` once, up front, and
ships the run as one *scenario* (curves per step, the data, and the decision
boundary :math:`P(\text{class } 1)` on a coarse grid every few steps), so the
static book animates every preset with no kernel. The traits ``learning_rate``,
``batch_size``, ``weight_decay``, ``n_points`` and ``n_steps`` define one more
scenario, ``"custom"`` ("your run"), re-simulated in Python; the presets are
computed once and kept.

>>> w = TrainingWidget()
>>> w
TrainingWidget(scenario='healthy', learning_rate=0.01, batch_size=32, weight_decay=0.0, n_points=200, n_steps=100)
>>> [s["key"] for s in w.scenarios]
['healthy', 'overfit', 'decay', 'more_data', 'lr_high', 'small_batch', 'custom']
>>> w.batch_size = 0               # bad input: reported, not raised
>>> w.error
'batch_size must be an integer >= 1; got 0'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import nonneg_float, one_of, positive_float, positive_int
from vizkit.nn.training import SCENARIOS, TrainingTrace, train_trace

from .base import VizWidget

__all__ = ["TrainingWidget", "PRESETS", "LEAVES_OUT", "GRID", "BOUNDARY_EVERY", "MAX_STEPS", "training_scenario",
           "preset_trace"]

#: Decision-boundary grid points per side and steps between boundary snapshots (the saved state stays small).
GRID = 16
BOUNDARY_EVERY = 20
MAX_STEPS = 300

_OVERFIT = SCENARIOS["overfit"]

#: (key, menu title, arguments of :func:`~vizkit.nn.training.train_trace`).
PRESETS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("healthy", "Healthy", {}),
    ("overfit", "Overfit: wide net, few noisy points", dict(_OVERFIT)),
    ("decay", "Overfit + weight decay", dict(SCENARIOS["overfit_decay"])),
    ("more_data", "Wide net, more data", {**_OVERFIT, "n_points": 400}),
    ("lr_high", "Learning rate too high", {"learning_rate": 0.5}),
    ("small_batch", "Small batch", {"batch_size": 4}),
)

LEAVES_OUT = (
    "A two-layer MLP on a few hundred 2-D points, trained for a few hundred steps; real models see millions of "
    "examples, and their validation set is far larger, so their curves are smoother. The boundary is sampled "
    "on a coarse grid every few steps and blended in between; the 'validation' points are held out from the "
    "same noisy source, so there is no distribution shift. No learning-rate schedule, no early stopping, no "
    "data augmentation, no dropout."
)


def preset_trace(key: str) -> TrainingTrace:
    """The :class:`~vizkit.nn.training.TrainingTrace` behind preset ``key`` (a key of :data:`PRESETS`)."""
    keys = [k for k, _, _ in PRESETS]
    kwargs = next(kw for k, _, kw in PRESETS if k == one_of("key", key, keys))
    return train_trace(**{**kwargs, "grid_points": GRID, "boundary_every": BOUNDARY_EVERY})


def training_scenario(key: str, title: str, t: TrainingTrace, config: dict[str, Any]) -> dict[str, Any]:
    """One scenario dict for the browser: curves, data and boundary snapshots as binary buffers."""
    lr, B, wd = config.get("learning_rate", 0.01), config.get("batch_size", 32), config.get("weight_decay", 0.0)
    label = (f"{title}: {t.y_train.size} training points, {t.n_params:,} parameters, η = {lr:g}, batch {B}, "
             f"λ = {wd:g}")
    best = int(np.nanargmin(t.val_loss)) if np.isfinite(t.val_loss).any() else 0
    return {
        "key": key, "label": label, "n_frames": int(t.n_frames), "grid": int(t.grid_x.size),
        "n_params": int(t.n_params), "n_train": int(t.y_train.size), "n_val": int(t.y_val.size),
        "batch_size": int(config.get("batch_size", 32)), "learning_rate": float(config.get("learning_rate", 0.01)),
        "weight_decay": float(config.get("weight_decay", 0.0)), "best_step": best,
        "best_val": float(t.val_loss[best]), "hidden": list(config.get("hidden", (16, 16))),
        **to_buffers([
            ("train_loss", t.train_loss), ("val_loss", t.val_loss), ("batch_loss", np.nan_to_num(t.batch_loss, nan=-1)),
            ("train_acc", t.train_acc), ("val_acc", t.val_acc), ("epoch", t.epoch), ("gap", t.gap),
            ("weight_norm", t.weight_norm), ("x_train", t.x_train), ("y_train", t.y_train), ("x_val", t.x_val),
            ("y_val", t.y_val), ("grid_x", t.grid_x), ("grid_y", t.grid_y), ("boundary_step", t.boundary_step),
            ("boundary_prob", t.boundary_prob)]),
    }


class TrainingWidget(VizWidget):
    """Train and validation loss per mini-batch step, their gap, and the moving decision boundary.

    Parameters
    ----------
    learning_rate : Adam step size η of your run (> 0).
    batch_size : examples per step of your run (1 to the training set's size).
    weight_decay : decoupled weight decay λ of your run (>= 0).
    n_points : points in your run's two-moons data set, 30 % held out for validation (20 to 1000).
    n_steps : mini-batch steps of your run (1 to 300).
    scenario : the scenario shown first: a key of :data:`PRESETS` or ``"custom"``.
    """

    _bundle = "training"
    _sim_params = ("learning_rate", "batch_size", "weight_decay", "n_points", "n_steps")
    _repr_params = ("scenario", "learning_rate", "batch_size", "weight_decay", "n_points", "n_steps")

    learning_rate = traitlets.Float(0.01).tag(sync=True)
    batch_size = traitlets.Int(32).tag(sync=True)
    weight_decay = traitlets.Float(0.0).tag(sync=True)
    n_points = traitlets.Int(200).tag(sync=True)
    n_steps = traitlets.Int(100).tag(sync=True)
    scenario = traitlets.Unicode("healthy").tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)

    def __init__(self, learning_rate=0.01, batch_size=32, weight_decay=0.0, n_points=200, n_steps=100,
                 scenario="healthy", **kwargs: Any) -> None:
        for name, value in (("learning_rate", learning_rate), ("weight_decay", weight_decay)):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ValueError(f"{name} must be a finite number; got {value!r}")
        super().__init__(learning_rate=float(learning_rate), batch_size=batch_size, weight_decay=float(weight_decay),
                         n_points=n_points, n_steps=n_steps, scenario=scenario, description=LEAVES_OUT, **kwargs)
        self._presets = [training_scenario(k, lab, preset_trace(k), kw) for k, lab, kw in PRESETS]
        self._apply(self._simulate())          # bad constructor arguments raise ValueError here
        one_of("scenario", self.scenario, self._keys())
        self._last_scenario = self.scenario
        self.observe(self._on_scenario, names=["scenario"])

    @property
    def n_frames(self) -> int:
        return next(s for s in self.scenarios if s["key"] == self.scenario)["n_frames"]

    def custom_config(self) -> dict[str, Any]:
        """The :func:`~vizkit.nn.training.train_trace` arguments of your run, validated."""
        n = positive_int("n_points", self.n_points, maximum=1000)
        if n < 20:
            raise ValueError(f"n_points must be an integer >= 20 and <= 1000; got {n}")
        return {"n_points": n, "learning_rate": positive_float("learning_rate", self.learning_rate),
                "batch_size": positive_int("batch_size", self.batch_size),
                "weight_decay": nonneg_float("weight_decay", self.weight_decay),
                "n_steps": positive_int("n_steps", self.n_steps, maximum=MAX_STEPS)}

    def custom_trace(self) -> TrainingTrace:
        """Your run's :class:`~vizkit.nn.training.TrainingTrace`."""
        return train_trace(**self.custom_config(), grid_points=GRID, boundary_every=BOUNDARY_EVERY)

    def _simulate(self) -> list[dict[str, Any]]:
        cfg = self.custom_config()
        return [*self._presets, training_scenario("custom", "Your run", self.custom_trace(), cfg)]

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self.scenarios = result

    def _on_sim_param(self, change: dict) -> None:
        if self._resimulate():
            self.scenario = "custom"
            self.frame = min(self.frame, self.n_frames - 1)

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
