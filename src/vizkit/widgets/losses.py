r"""P1.3 widget: one example's logits trained by cross-entropy and by MSE, side by side, one step per frame.

Every *preset* (a starting confidence in a wrong class) runs
:func:`vizkit.nn.losses.logit_descent_trace` twice, once descending
cross-entropy and once descending the squared error of the softmax
probabilities, and ships both runs as one *scenario*, so the browser switches
between them with no kernel. The traits ``wrong_logit``, ``n_classes``,
``learning_rate`` and ``n_steps`` define one more scenario, ``"custom"`` ("your
run"), and re-run the simulation in Python.

Each scenario also carries the static curves of :func:`~vizkit.nn.losses.loss_curve_trace`:
both losses and their pull on the correct logit as functions of p(correct).

>>> w = LossWidget()
>>> w
LossWidget(scenario='confident', wrong_logit=6.0, n_classes=3, learning_rate=1.0, n_steps=60)
>>> [s["key"] for s in w.scenarios]
['confident', 'unsure', 'right', 'custom']
>>> w.n_classes = 1                # bad input: reported, not raised
>>> w.error
'n_classes must be an integer >= 2 and <= 10; got 1'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import one_of, positive_float, positive_int
from vizkit.foundations._checks import array
from vizkit.nn.losses import LogitDescentTrace, logit_descent_trace, loss_curve_trace

from .base import VizWidget

__all__ = ["LossWidget", "DEFAULT_PRESETS", "MAX_CLASSES", "MAX_STEPS", "LEAVES_OUT", "start_logits",
           "loss_scenario"]

MAX_CLASSES = 10
MAX_STEPS = 400

#: (key, label, logit of the wrong class; negative = the correct class leads by that much).
DEFAULT_PRESETS = (("confident", "Confidently wrong", 6.0), ("unsure", "Slightly wrong", 1.0),
                   ("right", "Already right", -3.0))

LEAVES_OUT = (
    "The logits of one example are trained directly, as if the network before them could move them freely; "
    "a real network moves them only through its weights, for many examples at once, and its optimiser may "
    "rescale the gradient (Adam). Plain gradient descent, a fixed learning rate, the correct class is always "
    "class 0, and the wrong class starts at the given logit while the others start at 0."
)


def start_logits(wrong_logit: float, n_classes: int) -> np.ndarray:
    """The starting logits: 0 for every class, except class 1 (a wrong class) at ``wrong_logit``.

    A negative ``wrong_logit`` instead puts the correct class 0 ahead by ``-wrong_logit``.
    """
    v = positive_int("n_classes", n_classes, maximum=MAX_CLASSES)
    if v < 2:
        raise ValueError(f"n_classes must be an integer >= 2 and <= {MAX_CLASSES}; got {v}")
    z = float(array("wrong_logit", wrong_logit, ndim=0))
    if not np.isfinite(z) or abs(z) > 20:
        raise ValueError(f"wrong_logit must be a number in [-20, 20]; got {wrong_logit!r}")
    out = np.zeros(v)
    if z >= 0:
        out[1] = z
    else:
        out[0] = -z
    return out


def _run_buffers(prefix: str, t: LogitDescentTrace) -> list[tuple[str, np.ndarray]]:
    return [(f"{prefix}_probs", t.probs), (f"{prefix}_grad", t.grad), (f"{prefix}_loss", t.loss),
            (f"{prefix}_pc", t.p_correct), (f"{prefix}_gnorm", t.grad_norm), (f"{prefix}_ce", t.ce)]


def loss_scenario(key: str, label: str, wrong_logit: float, n_classes: int, learning_rate: float,
                  n_steps: int) -> dict[str, Any]:
    """One scenario dict for the browser: both runs and the static loss curves, arrays as binary buffers."""
    z0 = start_logits(wrong_logit, n_classes)
    ce = logit_descent_trace("ce", z0, 0, learning_rate, n_steps)
    mse = logit_descent_trace("mse", z0, 0, learning_rate, n_steps)
    curve = loss_curve_trace(n_classes, 119)
    reach = lambda t: int(np.argmax(t.p_correct > 0.5)) if (t.p_correct > 0.5).any() else -1  # noqa: E731
    return {
        "key": key, "label": label, "n_classes": int(n_classes), "learning_rate": float(learning_rate),
        "wrong_logit": float(wrong_logit), "n_frames": int(ce.n_frames),
        "ce_reach": reach(ce), "mse_reach": reach(mse),
        **to_buffers(_run_buffers("ce", ce) + _run_buffers("mse", mse) + [
            ("curve_p", curve.p_correct), ("curve_ce", curve.ce), ("curve_mse", curve.mse),
            ("curve_gce", np.abs(curve.grad_ce_correct)), ("curve_gmse", np.abs(curve.grad_mse_correct))]),
    }


class LossWidget(VizWidget):
    """CE vs MSE on a softmax: probability bars, the pull on each logit, p(correct) and the pull curves.

    Parameters
    ----------
    wrong_logit : your run's starting logit of a wrong class (negative: the correct class leads).
    n_classes : classes of your run (2 to 10).
    learning_rate : step size η on the logits (> 0), every scenario.
    n_steps : gradient steps in every scenario (1 to 400).
    presets : ``(key, label, wrong_logit)`` simulated up front.
    scenario : the scenario shown first: a preset key or ``"custom"``.
    """

    _bundle = "losses"
    _sim_params = ("wrong_logit", "n_classes", "learning_rate", "n_steps", "presets")
    _repr_params = ("scenario", "wrong_logit", "n_classes", "learning_rate", "n_steps")

    wrong_logit = traitlets.Float(6.0).tag(sync=True)
    n_classes = traitlets.Int(3).tag(sync=True)
    learning_rate = traitlets.Float(1.0).tag(sync=True)
    n_steps = traitlets.Int(60).tag(sync=True)
    presets = traitlets.Tuple().tag(sync=True)
    scenario = traitlets.Unicode("confident").tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)

    def __init__(self, wrong_logit=6.0, n_classes=3, learning_rate=1.0, n_steps=60, presets=DEFAULT_PRESETS,
                 scenario="confident", **kwargs: Any) -> None:
        for name, value in (("wrong_logit", wrong_logit), ("learning_rate", learning_rate)):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ValueError(f"{name} must be a finite number; got {value!r}")
        super().__init__(wrong_logit=float(wrong_logit), n_classes=n_classes, learning_rate=float(learning_rate),
                         n_steps=n_steps, presets=tuple((str(k), str(lab), float(z)) for k, lab, z in presets),
                         scenario=scenario, description=LEAVES_OUT, **kwargs)
        self._apply(self._simulate())          # bad constructor arguments raise ValueError here
        one_of("scenario", self.scenario, self._keys())
        self._last_scenario = self.scenario
        self.observe(self._on_scenario, names=["scenario"])

    @property
    def n_frames(self) -> int:
        return self._n_frames

    def _simulate(self) -> list[dict[str, Any]]:
        n = positive_int("n_steps", self.n_steps, maximum=MAX_STEPS)
        lr = positive_float("learning_rate", self.learning_rate)
        out = [loss_scenario(k, f"{lab} ({3} classes)", z, 3, lr, n) for k, lab, z in self.presets]
        v = positive_int("n_classes", self.n_classes, maximum=MAX_CLASSES)
        if v < 2:
            raise ValueError(f"n_classes must be an integer >= 2 and <= {MAX_CLASSES}; got {v}")
        out.append(loss_scenario("custom", f"Your run: wrong logit {self.wrong_logit:g}, {v} classes",
                                 self.wrong_logit, v, lr, n))
        return out

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self._n_frames = result[0]["n_frames"]
        self.scenarios = result
        if hasattr(self, "_last_scenario") and self.scenario not in self._keys():
            self.scenario = "custom"

    def _on_sim_param(self, change: dict) -> None:
        if self._resimulate() and change["name"] in ("wrong_logit", "n_classes"):
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

    def runs(self, key: str | None = None) -> tuple[LogitDescentTrace, LogitDescentTrace]:
        """The (CE, MSE) :class:`~vizkit.nn.losses.LogitDescentTrace` pair behind scenario ``key``."""
        key = self.scenario if key is None else one_of("key", key, self._keys())
        s = next(s for s in self.scenarios if s["key"] == key)
        z0 = start_logits(s["wrong_logit"], s["n_classes"])
        return (logit_descent_trace("ce", z0, 0, self.learning_rate, self.n_steps),
                logit_descent_trace("mse", z0, 0, self.learning_rate, self.n_steps))
