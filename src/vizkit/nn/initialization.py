r"""Weight initialisation and signal propagation through depth (P1.6).

A layer :math:`h' = \phi(W h)` with :math:`W_{ij} \sim \mathcal N(0, s^2)` and
fan-in :math:`n` gives pre-activations of variance :math:`n\,s^2\,\mathbb E[h^2]`.
Keeping that constant from layer to layer needs

* **LeCun** :math:`s^2 = 1/n` for a linear (or tanh near 0) layer;
* **Xavier/Glorot** :math:`s^2 = 2/(n_\text{in} + n_\text{out})`, the compromise
  between the forward and the backward pass (equal to LeCun for square layers);
* **He/Kaiming** :math:`s^2 = 2/n` for ReLU, which zeroes half of its inputs and
  so halves :math:`\mathbb E[h^2]`.

(Strictly, they preserve the second moment :math:`\mathbb E[h^2]`, the RMS; after a
ReLU the mean is positive, so the std is a constant factor below the RMS.)
Choose too small and the signal shrinks by a constant factor per layer
(after 50 layers it is gone); too large and it explodes. :func:`signal_trace`
pushes a batch of random inputs through a deep stack of square layers and
records, per layer, the activations' spread and a histogram, and the spread
of the gradient flowing back from the top.

>>> init_std("he", 100, 100), init_std("xavier", 100, 300)
(0.1414213562373095, 0.07071067811865475)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from vizkit._validate import nonneg_int, one_of, positive_int
from vizkit.foundations._trace import Trace
from vizkit.nn.activations import ACTIVATIONS, activate_unchecked

__all__ = ["INIT_SCHEMES", "init_std", "SignalTrace", "signal_trace"]

INIT_SCHEMES = ("he", "xavier", "lecun", "small", "large")
SMALL_STD, LARGE_STD = 0.01, 1.0   # the fixed scales of the two naive schemes
HIST_RANGE = 4.0                    # histogram edges at ±4 (the input has std 1)
HIST_SAMPLES = 4096                 # activations per layer that feed the histogram


def init_std(scheme: str, fan_in: int, fan_out: int) -> float:
    """Standard deviation of a weight for ``scheme``: ``he`` √(2/n_in), ``xavier``
    √(2/(n_in+n_out)), ``lecun`` √(1/n_in), ``small`` 0.01, ``large`` 1.0."""
    scheme = one_of("scheme", scheme, INIT_SCHEMES)
    n_in = positive_int("fan_in", fan_in)
    n_out = positive_int("fan_out", fan_out)
    return {"he": math.sqrt(2.0 / n_in), "xavier": math.sqrt(2.0 / (n_in + n_out)),
            "lecun": math.sqrt(1.0 / n_in), "small": SMALL_STD, "large": LARGE_STD}[scheme]


@dataclass(frozen=True)
class SignalTrace(Trace):
    """Frame l is the output of layer l (frame 0 is the input)."""

    STATIC = ("bin_edges",)
    bin_edges: np.ndarray     # (B+1,) histogram edges, in units of the input's std
    layer: np.ndarray         # (F,) int32
    std: np.ndarray           # (F,) std of the activations (inf once they overflow)
    log10_std: np.ndarray     # (F,) log10 of std, for a log axis (-inf once they vanish)
    rms: np.ndarray           # (F,) root-mean-square: what the schemes are designed to keep at 1
    mean: np.ndarray          # (F,) mean of the activations
    zero_fraction: np.ndarray  # (F,) share of exact zeros (dead ReLUs)
    histogram: np.ndarray     # (F, B) int32 counts of the first 4096 values; outside the edges -> end bins
    grad_std: np.ndarray      # (F,) std of ∂(random projection of the top layer)/∂(activations)
    log10_grad_std: np.ndarray  # (F,) log10 of grad_std
    scheme: str = ""
    activation: str = ""


def signal_trace(scheme: str = "he", activation: str = "relu", depth: int = 50, width: int = 64,
                 batch: int = 128, n_bins: int = 41, seed: int = 0) -> SignalTrace:
    """Push ``batch`` standard-normal inputs through ``depth`` layers of ``width`` units (no biases).

    The backward pass starts from a standard-normal gradient at the top, as a
    random loss would give, and records its spread at every layer going down.
    Even with the right scheme the spread drifts by a random factor from layer to
    layer, because each layer's weights are one finite draw; the drift shrinks as
    ``width`` grows (its log-variance scales like ``depth / width``).

    Raises ``ValueError`` for an unknown scheme or activation, or sizes out of range.
    """
    scheme = one_of("scheme", scheme, INIT_SCHEMES)
    activation = one_of("activation", activation, ACTIVATIONS)
    L = positive_int("depth", depth, maximum=1000)
    n = positive_int("width", width, maximum=4096)
    B = positive_int("batch", batch, maximum=65_536)
    bins = positive_int("n_bins", n_bins, maximum=1000)
    rng = np.random.default_rng(nonneg_int("seed", seed))
    std = init_std(scheme, n, n)

    edges = np.linspace(-HIST_RANGE, HIST_RANGE, bins + 1)
    stats = {"std": [], "rms": [], "mean": [], "zero": [], "hist": []}

    def record(a: np.ndarray) -> None:
        stats["std"].append(float(a.std()))
        stats["rms"].append(float(np.sqrt(np.mean(a * a))))
        stats["mean"].append(float(a.mean()))
        stats["zero"].append(float(np.mean(a == 0)))
        sample = a.ravel()[:HIST_SAMPLES]          # the histogram's shape needs only a few thousand values
        pos = np.clip((sample - edges[0]) * (bins / (edges[-1] - edges[0])), 0, bins - 1)
        stats["hist"].append(np.bincount(np.nan_to_num(pos).astype(np.int64), minlength=bins))

    h = rng.standard_normal((B, n))                     # (B, n)
    record(h)
    slopes, weights = [], []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(L):
            W = std * rng.standard_normal((n, n))       # (n_in, n_out)
            h, dh = activate_unchecked(activation, h @ W)
            weights.append(W)
            slopes.append(dh)
            record(h)
        g = rng.standard_normal((B, n))                  # ∂loss/∂h_L
        grad_std = [float(np.std(g))]
        for W, dh in zip(reversed(weights), reversed(slopes)):
            g = (g * dh) @ W.T                           # through φ', then through W
            grad_std.append(float(np.std(g)))
    act_std, rms, grad = (_overflow_to_inf(v) for v in (stats["std"], stats["rms"], grad_std[::-1]))
    with np.errstate(divide="ignore"):
        return SignalTrace(bin_edges=edges, layer=np.arange(L + 1, dtype=np.int32), std=act_std,
                           log10_std=np.log10(act_std), rms=rms, mean=np.array(stats["mean"]),
                           zero_fraction=np.array(stats["zero"]),
                           histogram=np.array(stats["hist"], dtype=np.int32), grad_std=grad,
                           log10_grad_std=np.log10(grad), scheme=scheme, activation=activation)


def _overflow_to_inf(values) -> np.ndarray:
    """A spread that overflowed came out NaN (inf - inf); it is really infinite."""
    a = np.array(values, dtype=np.float64)
    return np.where(np.isnan(a), np.inf, a)
