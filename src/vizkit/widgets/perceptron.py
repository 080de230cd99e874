r"""P1.1 widget: 2-D points and the perceptron's line, one visited example per frame.

Every *preset* (a data set, a learning rate and a seed) is simulated up front
with :func:`vizkit.nn.perceptron.perceptron_trace` and shipped as one
*scenario*, so the browser switches between them with no kernel. The traits
``dataset``, ``learning_rate``, ``max_epochs``, ``n_points``, ``seed`` and
``points`` define one more scenario, ``"custom"`` ("your run"), and re-run the
simulation in Python. ``points`` (a list of ``(x1, x2, label)``) replaces the
named data set with the reader's own points.

Each scenario carries the points and labels, and per frame the visited example,
the epoch, whether it was a mistake, the weights ``w``, the bias ``b``, the
accuracy on all points and the mistakes so far, as float32/int32 buffers.

>>> w = PerceptronWidget()
>>> w
PerceptronWidget(scenario='separable', dataset='separable', learning_rate=1.0, max_epochs=20, n_points=40, seed=0)
>>> [s["key"] for s in w.scenarios]
['separable', 'xor', 'custom']
>>> w.learning_rate = 0            # bad input: reported, not raised
>>> w.error
'learning_rate must be a finite number > 0; got 0.0'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import nonneg_int, one_of, positive_float, positive_int
from vizkit.nn.datasets import DATASETS, Dataset, make_dataset
from vizkit.nn.perceptron import PerceptronTrace, perceptron_trace

from .base import VizWidget

__all__ = ["PerceptronWidget", "DEFAULT_PRESETS", "MAX_EPOCHS", "MAX_POINTS", "LEAVES_OUT",
           "perceptron_scenario", "points_dataset"]

#: Most passes over the data one widget animates.
MAX_EPOCHS = 50

#: Most points one widget shows.
MAX_POINTS = 200

#: (key, data set, learning rate, seed) simulated up front.
DEFAULT_PRESETS = (("separable", "separable", 1.0, 0), ("xor", "xor", 1.0, 0))

LEAVES_OUT = (
    "One neuron with a hard threshold, trained by the classic perceptron rule on two input features: "
    "no hidden layers, no smooth activation, no loss gradient, no momentum. Points are visited one at "
    "a time in a shuffled order, and training stops after the first pass without a mistake or after "
    "the epoch limit. Real inputs have thousands of features; the geometry (a flat boundary, "
    "w·x + b = 0) is the same."
)

_NAMES = {"separable": "Separable (a line exists)", "xor": "XOR (no line exists)", "two_moons": "Two moons",
          "circles": "Circles", "spirals": "Spirals", "points": "Your points"}


def points_dataset(points: Any) -> Dataset:
    """A :class:`Dataset` from ``(x1, x2, label)`` triples with labels 0 / 1 (at least two points)."""
    try:
        arr = np.asarray(points, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"points must be a list of (x1, x2, label) triples; got {points!r}") from None
    if arr.ndim != 2 or arr.shape[1] != 3 or arr.shape[0] < 2 or arr.shape[0] > MAX_POINTS:
        raise ValueError(f"points must be 2 to {MAX_POINTS} (x1, x2, label) triples; got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError("points must hold finite numbers")
    labels = arr[:, 2]
    if not np.isin(labels, (0.0, 1.0)).all():
        raise ValueError(f"points labels must be 0 or 1; got {sorted(set(labels.tolist()))}")
    return Dataset(arr[:, :2], labels.astype(np.int64), "points", 2)


def perceptron_scenario(key: str, label: str, trace: PerceptronTrace, learning_rate: float) -> dict[str, Any]:
    """One scenario dict for the browser: metadata as JSON, arrays as binary buffers."""
    lo = trace.x.min(axis=0)
    hi = trace.x.max(axis=0)
    span = float(max((hi - lo).max(), 1e-6))
    pad = 0.12 * span
    mid = (lo + hi) / 2
    half = span / 2 + pad
    return {
        "key": key,
        "label": label,
        "learning_rate": float(learning_rate),
        "n_frames": int(trace.n_frames),
        "n_points": int(len(trace.y)),
        "converged_epoch": int(trace.converged_epoch),
        "best_accuracy": float(trace.accuracy.max()),
        "x_range": [float(mid[0] - half), float(mid[0] + half)],
        "y_range": [float(mid[1] - half), float(mid[1] + half)],
        **to_buffers([("x", trace.x), ("y", trace.y), ("example", trace.example), ("epoch", trace.epoch),
                      ("mistake", trace.mistake), ("w", trace.w), ("b", trace.b),
                      ("accuracy", trace.accuracy), ("n_mistakes", trace.n_mistakes)]),
    }


class PerceptronWidget(VizWidget):
    """The perceptron rule on 2-D points: the points, the line w·x + b = 0, accuracy and mistakes per visit.

    Parameters
    ----------
    dataset : the data set of "your run" (one of ``DATASETS``); ignored when ``points`` is given.
    learning_rate : its step size η (> 0).
    max_epochs : passes over the data before giving up (1 to 50), every scenario.
    n_points : points in the named data set of your run (2 to 200).
    seed : seed of the data set and of the visiting order of your run.
    points : your own points as ``(x1, x2, label)`` triples; empty = use ``dataset``.
    presets : ``(key, dataset, learning_rate, seed)`` simulated up front.
    scenario : the scenario shown first: a preset key or ``"custom"``.
    """

    _bundle = "perceptron"
    _sim_params = ("dataset", "learning_rate", "max_epochs", "n_points", "seed", "points", "presets")
    _repr_params = ("scenario", "dataset", "learning_rate", "max_epochs", "n_points", "seed")

    dataset = traitlets.Unicode("separable").tag(sync=True)
    learning_rate = traitlets.Float(1.0).tag(sync=True)
    max_epochs = traitlets.Int(20).tag(sync=True)
    n_points = traitlets.Int(40).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    points = traitlets.List().tag(sync=True)
    presets = traitlets.Tuple().tag(sync=True)
    scenario = traitlets.Unicode("separable").tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)
    dataset_options = traitlets.Tuple().tag(sync=True)

    def __init__(self, dataset="separable", learning_rate=1.0, max_epochs=20, n_points=40, seed=0, points=(),
                 presets=DEFAULT_PRESETS, scenario="separable", **kwargs: Any) -> None:
        if not isinstance(learning_rate, (int, float)) or isinstance(learning_rate, bool):
            raise ValueError(f"learning_rate must be a finite number > 0; got {learning_rate!r}")
        super().__init__(dataset=dataset, learning_rate=float(learning_rate), max_epochs=max_epochs,
                         n_points=n_points, seed=seed, points=[list(p) for p in points],
                         presets=tuple((str(k), str(d), float(lr), int(s)) for k, d, lr, s in presets),
                         scenario=scenario, description=LEAVES_OUT, dataset_options=tuple(DATASETS),
                         **kwargs)
        self._apply(self._simulate())          # bad constructor arguments raise ValueError here
        self._check_scenario(self.scenario)
        self._last_scenario = self.scenario
        self.observe(self._on_scenario, names=["scenario"])

    # -- simulation -------------------------------------------------------------------------
    @property
    def n_frames(self) -> int:
        return self._n_frames

    def _custom_data(self) -> Dataset:
        if self.points:
            return points_dataset(self.points)
        name = one_of("dataset", self.dataset, DATASETS)
        n = positive_int("n_points", self.n_points, maximum=MAX_POINTS)
        if n < 2:
            raise ValueError(f"n_points must be an integer >= 2 and <= {MAX_POINTS}; got {n}")
        return make_dataset(name, n_points=n, seed=nonneg_int("seed", self.seed))

    def _custom_trace(self) -> PerceptronTrace:
        data = self._custom_data()
        return perceptron_trace(data, positive_float("learning_rate", self.learning_rate), self._epochs(),
                                seed=nonneg_int("seed", self.seed))

    def _epochs(self) -> int:
        return positive_int("max_epochs", self.max_epochs, maximum=MAX_EPOCHS)

    def _preset_trace(self, dataset: str, lr: float, seed: int) -> PerceptronTrace:
        data = make_dataset(one_of("presets", dataset, DATASETS), n_points=40, seed=nonneg_int("seed", seed))
        return perceptron_trace(data, positive_float("learning_rate", lr), self._epochs(), seed=seed)

    def _simulate(self) -> list[dict[str, Any]]:
        out = []
        for key, dataset, lr, seed in self.presets:
            t = self._preset_trace(dataset, lr, seed)
            out.append(perceptron_scenario(key, f"{_NAMES.get(dataset, dataset)}, η = {lr:g}", t, lr))
        t = self._custom_trace()
        name = "points" if self.points else self.dataset
        out.append(perceptron_scenario("custom", f"Your run: {_NAMES.get(name, name)}, η = {self.learning_rate:g}",
                                       t, self.learning_rate))
        return out

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self.scenarios = result
        if hasattr(self, "_last_scenario") and self.scenario not in self._keys():
            self.scenario = "custom"
        self._n_frames = next(s["n_frames"] for s in result if s["key"] == self.scenario) \
            if self.scenario in self._keys() else result[0]["n_frames"]

    def _on_sim_param(self, change: dict) -> None:
        if self._resimulate() and change["name"] in ("dataset", "learning_rate", "n_points", "seed", "points"):
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
        self._n_frames = next(s["n_frames"] for s in self.scenarios if s["key"] == change["new"])
        self.frame = min(self.frame, self._n_frames - 1)
        if self.error.startswith("scenario "):
            self.error = ""

    def trace(self, key: str | None = None) -> PerceptronTrace:
        """The :class:`~vizkit.nn.perceptron.PerceptronTrace` behind scenario ``key``."""
        key = self.scenario if key is None else one_of("key", key, self._keys())
        if key == "custom":
            return self._custom_trace()
        _, dataset, lr, seed = next(p for p in self.presets if p[0] == key)
        return self._preset_trace(dataset, lr, seed)
