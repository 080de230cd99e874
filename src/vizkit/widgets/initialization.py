r"""P1.6 widget: activation histograms through a deep stack, one layer per frame, for four init schemes.

Every combination of a *scheme* (too small, Xavier, He, too large) and an
*activation* (tanh, ReLU) runs :func:`vizkit.nn.initialization.signal_trace`
once, up front, and ships as one *scenario*, so the browser switches scheme
and activation with no kernel. The traits ``depth``, ``width`` and ``seed``
re-run all eight in Python.

>>> w = InitWidget()
>>> w
InitWidget(scheme='he', activation='relu', depth=50, width=64, seed=0)
>>> len(w.scenarios), w.n_frames
(8, 51)
>>> w.width = 0                     # bad input: reported, not raised
>>> w.error
'width must be an integer >= 1 and <= 512; got 0'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import nonneg_int, one_of, positive_int
from vizkit.nn.initialization import SignalTrace, init_std, signal_trace

from .base import VizWidget

__all__ = ["InitWidget", "SCHEMES", "ACTIVATIONS", "MAX_DEPTH", "MAX_WIDTH", "LOG_CLAMP", "LEAVES_OUT",
           "init_scenario"]

#: The schemes shown, in menu order, with their labels.
SCHEMES = (("small", "Too small (std 0.01)"), ("xavier", "Xavier / Glorot"), ("he", "He / Kaiming"),
           ("large", "Too large (std 1)"))
#: The activations shown, with their labels.
ACTIVATIONS = (("tanh", "tanh"), ("relu", "ReLU"))
MAX_DEPTH = 200
MAX_WIDTH = 512
BATCH = 128
#: log10 of a spread is clamped to ±LOG_CLAMP on the wire (float32 holds neither 1e-60 nor inf).
LOG_CLAMP = 30.0

LEAVES_OUT = (
    "A stack of identical square fully-connected layers with no biases, no normalisation and no residual "
    "connections, fed standard-normal inputs; the weights are one random draw per layer and never trained. "
    "The gradient is a random standard-normal signal injected at the top, not the gradient of a real loss. "
    "Real networks add biases, residual paths and normalisation layers that change these numbers."
)


def _clamped_log(v: np.ndarray) -> np.ndarray:
    return np.clip(np.nan_to_num(v, nan=LOG_CLAMP, posinf=LOG_CLAMP, neginf=-LOG_CLAMP), -LOG_CLAMP, LOG_CLAMP)


def init_scenario(scheme: str, activation: str, depth: int, width: int, seed: int) -> dict[str, Any]:
    """One scenario dict for the browser: histograms and spreads per layer, arrays as binary buffers."""
    t: SignalTrace = signal_trace(scheme, activation, depth, width, BATCH, 41, seed)
    total = t.histogram.sum(axis=1, keepdims=True).astype(np.float64)
    frac = t.histogram / np.maximum(total, 1.0)
    label = dict(SCHEMES)[scheme] + " · " + dict(ACTIVATIONS)[activation]
    return {
        "key": f"{scheme}-{activation}", "scheme": scheme, "activation": activation, "label": label,
        "weight_std": init_std(scheme, width, width), "n_frames": int(t.n_frames), "n_bins": int(frac.shape[1]),
        "hist_lo": float(t.bin_edges[0]), "hist_hi": float(t.bin_edges[-1]),
        **to_buffers([("hist", frac), ("log_std", _clamped_log(t.log10_std)),
                      ("log_grad", _clamped_log(t.log10_grad_std)), ("rms", np.nan_to_num(t.rms, posinf=3e38)),
                      ("mean", np.nan_to_num(t.mean, nan=0.0, posinf=3e38, neginf=-3e38)),
                      ("zero", t.zero_fraction)]),
    }


class InitWidget(VizWidget):
    """Histograms of the activations at one layer per frame; spread of activations and gradients over depth.

    Parameters
    ----------
    scheme : the scheme shown first: ``small``, ``xavier``, ``he`` or ``large``.
    activation : ``tanh`` or ``relu``.
    depth : layers in the stack (1 to 200).
    width : units per layer (1 to 512).
    seed : random seed of the inputs and weights (>= 0).
    """

    _bundle = "initialization"
    _sim_params = ("depth", "width", "seed")
    _repr_params = ("scheme", "activation", "depth", "width", "seed")

    scheme = traitlets.Unicode("he").tag(sync=True)
    activation = traitlets.Unicode("relu").tag(sync=True)
    depth = traitlets.Int(50).tag(sync=True)
    width = traitlets.Int(64).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)

    def __init__(self, scheme="he", activation="relu", depth=50, width=64, seed=0, **kwargs: Any) -> None:
        one_of("scheme", scheme, [k for k, _ in SCHEMES])
        one_of("activation", activation, [k for k, _ in ACTIVATIONS])
        for name, value in (("depth", depth), ("width", width), ("seed", seed)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
                raise ValueError(f"{name} must be an integer; got {value!r}")
        super().__init__(scheme=scheme, activation=activation, depth=int(depth), width=int(width),
                         seed=int(seed), description=LEAVES_OUT, **kwargs)
        self._apply(self._simulate())          # bad constructor arguments raise ValueError here
        self._last = {"scheme": self.scheme, "activation": self.activation}
        self.observe(self._on_choice, names=["scheme", "activation"])

    @property
    def n_frames(self) -> int:
        return self._n_frames

    def _simulate(self) -> list[dict[str, Any]]:
        L = positive_int("depth", self.depth, maximum=MAX_DEPTH)
        n = positive_int("width", self.width, maximum=MAX_WIDTH)
        s = nonneg_int("seed", self.seed)
        return [init_scenario(k, a, L, n, s) for a, _ in ACTIVATIONS for k, _ in SCHEMES]

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self._n_frames = result[0]["n_frames"]
        self.scenarios = result

    def _on_choice(self, change: dict) -> None:
        name = change["name"]
        allowed = [k for k, _ in (SCHEMES if name == "scheme" else ACTIVATIONS)]
        try:
            one_of(name, change["new"], allowed)
        except ValueError as exc:
            setattr(self, name, self._last[name])
            self.error = str(exc)
            return
        self._last[name] = change["new"]
        if self.error.startswith(f"{name} "):
            self.error = ""

    def trace(self, scheme: str | None = None, activation: str | None = None) -> SignalTrace:
        """The :class:`~vizkit.nn.initialization.SignalTrace` behind a scenario (default: the one shown)."""
        k = one_of("scheme", self.scheme if scheme is None else scheme, [k for k, _ in SCHEMES])
        a = one_of("activation", self.activation if activation is None else activation, [k for k, _ in ACTIVATIONS])
        return signal_trace(k, a, self.depth, self.width, BATCH, 41, self.seed)
