r"""Exercises of chapter P1.8, "Normalization: LayerNorm, RMSNorm, pre- vs post-norm".

Each ``check_*`` computes its expected answer with :mod:`vizkit.nn.normalization`
(:func:`~vizkit.nn.normalization.layer_norm`) or :mod:`vizkit.nn.residual`
(:func:`~vizkit.nn.residual.residual_trace`) and hands it to :func:`vizkit.exercises.check`.

The break-it exercise uses :func:`buggy_layer_norm`: LayerNorm with one
deliberate bug from :data:`BUGS`, applied to a batch of tokens of different
offsets and scales (:func:`probe_tokens`). Each bug leaves its own fingerprint
on the per-token mean and RMS of the output, which a correct LayerNorm makes 0
and 1 for every token:

============  ===================================  ==========================================
bug           what the code does                   per-token output mean / RMS
============  ===================================  ==========================================
no_center     forgets to subtract the mean         mean = offset/std; RMS above 1
var_not_std   divides by the variance, not std     mean 0; RMS 1/std: big tokens shrink
wrong_axis    normalises each feature over tokens  neither 0 nor 1; varies token to token
============  ===================================  ==========================================

>>> check_growth("linear")  # doctest: +ELLIPSIS
✗ how the pre-norm residual stream's RMS grows with depth: not yet — hint: ...
False
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from vizkit._validate import nonneg_int, one_of, positive_float, positive_int
from vizkit.foundations._checks import vector
from vizkit.nn.normalization import DEFAULT_EPS, layer_norm
from vizkit.nn.residual import residual_trace

from . import Answer

__all__ = ["GROWTHS", "BUGS", "MYSTERIES", "growth_of", "check_growth", "check_layer_norm", "pre_norm_rms_rule",
           "check_stream_rms", "probe_tokens", "buggy_layer_norm", "token_stats", "mystery_stats",
           "check_bug", "plot_stats"]

#: The choices of the predict-then-check exercise.
GROWTHS = ("constant", "square-root", "linear")

#: The deliberate bugs :func:`buggy_layer_norm` can plant.
BUGS = {
    "no_center": "the mean is never subtracted: x / std(x)",
    "var_not_std": "it divides by the variance instead of the standard deviation: (x − μ) / σ²",
    "wrong_axis": "it normalises over the tokens (axis 0) instead of over the features of each token",
}

#: The break-it exercise's suspects: which bug hides behind each mystery.
MYSTERIES = {"A": "var_not_std", "B": "wrong_axis"}


# --- predict, then check -------------------------------------------------------------------------

def growth_of(depth: int = 48, d_model: int = 32) -> str:
    """``"constant"``, ``"square-root"`` or ``"linear"``: which of 1, √(ℓ+1), ℓ+1 the pre-norm stream's RMS
    after ``depth`` blocks is closest to (on a log scale).

    >>> growth_of(48)
    'square-root'
    """
    t = residual_trace(depth, d_model)
    L = positive_int("depth", depth)
    r = math.log(float(t.pre_norm_rms[-1]) / float(t.pre_norm_rms[0]))
    cands = {"constant": 0.0, "square-root": 0.5 * math.log(L + 1), "linear": math.log(L + 1)}
    return min(cands, key=lambda k: abs(cands[k] - r))


def check_growth(answer: object, depth: int = 48) -> bool:
    """Predict-then-check: does the pre-norm residual stream's RMS stay constant, grow like √ℓ or like ℓ?"""
    return Answer("how the pre-norm residual stream's RMS grows with depth", growth_of(depth), choices=GROWTHS,
                  hint="each block adds a vector of about the same size, pointing in a nearly independent "
                       "direction; for independent vectors, what adds up: the lengths or the squared "
                       "lengths?").check(answer)


# --- compute it ----------------------------------------------------------------------------------

def check_layer_norm(answer: object, x=(1.0, 2.0, 3.0, 6.0), index: int = 3) -> bool:
    """Compute-it: feature ``index`` of LayerNorm(x), with γ = 1, β = 0 and ε = 1e-5."""
    v = vector("x", x)
    if not isinstance(index, (int, np.integer)) or isinstance(index, bool) or not 0 <= index < v.size:
        raise ValueError(f"index must be an integer in [0, {v.size - 1}]; got {index!r}")
    return Answer(f"LayerNorm(x)[{index}]", float(layer_norm(v)[index]), rel_tol=0.01,
                  hint="subtract the mean of all features, then divide by their standard deviation "
                       "(the square root of the mean squared deviation, dividing by d, not d − 1)").check(answer)


def pre_norm_rms_rule(depth: int, branch_rms: float, start_rms: float = 1.0) -> float:
    r"""The pre-norm stream's RMS after ``depth`` blocks if every branch adds an independent vector of RMS
    ``branch_rms``: :math:`\sqrt{r_0^2 + \ell c^2}`.

    >>> pre_norm_rms_rule(48, 1.0)
    7.0
    """
    L = nonneg_int("depth", depth, maximum=10_000_000)
    c = positive_float("branch_rms", branch_rms)
    r0 = positive_float("start_rms", start_rms)
    return math.sqrt(r0 * r0 + L * c * c)


def check_stream_rms(answer: object, depth: int = 99, branch_rms: float = 0.5) -> bool:
    """Compute-it: the pre-norm stream's RMS after ``depth`` blocks that each add RMS ``branch_rms`` (start 1)."""
    return Answer(f"pre-norm stream RMS after {depth} blocks", pre_norm_rms_rule(depth, branch_rms), rel_tol=0.01,
                  hint="independent vectors add their squared lengths: start² + depth · branch²; then take the "
                       "square root").check(answer)


# --- break it ------------------------------------------------------------------------------------

def probe_tokens(n_tokens: int = 8, d: int = 16, seed: int = 0) -> np.ndarray:
    """``(n_tokens, d)`` test tokens: token t has offset t − n/2 and scale 0.5·1.5^t, so they differ in both."""
    n = positive_int("n_tokens", n_tokens, maximum=1000)
    dd = positive_int("d", d, maximum=4096)
    if dd < 2:
        raise ValueError(f"d must be an integer >= 2; got {d!r}")
    rng = np.random.default_rng(nonneg_int("seed", seed))
    t = np.arange(n)[:, None]
    return (t - n / 2) + 0.5 * 1.5 ** t * rng.standard_normal((n, dd))


def buggy_layer_norm(bug: str, x) -> np.ndarray:
    """LayerNorm (γ = 1, β = 0) of the rows of ``x`` with bug ``bug`` (a key of :data:`BUGS`, or ``"none"``)."""
    bug = one_of("bug", bug, (*BUGS, "none"))
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2 or not np.isfinite(x).all():
        raise ValueError(f"x must be a finite (tokens, features) matrix with at least 2 of each; got shape {x.shape}")
    if bug == "none":
        return layer_norm(x)
    if bug == "wrong_axis":
        return layer_norm(x.T).T
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    if bug == "no_center":
        return x / np.sqrt(var + DEFAULT_EPS)
    return (x - mu) / (var + DEFAULT_EPS)


def token_stats(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-token (row) mean and RMS of an output."""
    y = np.asarray(y, dtype=float)
    return y.mean(axis=-1), np.sqrt(np.mean(y * y, axis=-1))


def mystery_stats(which: str = "A") -> tuple[np.ndarray, np.ndarray]:
    """Per-token output mean and RMS of mystery ``which`` (a key of :data:`MYSTERIES`) on :func:`probe_tokens`."""
    return token_stats(buggy_layer_norm(MYSTERIES[one_of("which", which, MYSTERIES)], probe_tokens()))


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind mystery ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug in mystery LayerNorm {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="a correct LayerNorm gives every token mean 0 and RMS 1. Which of the two is off, and "
                       "does the error follow the token's offset, its scale, or neither?").check(answer)


def plot_stats(stats: tuple[np.ndarray, np.ndarray], label: str = "mystery") -> Any:
    """Per-token output mean and RMS beside the correct LayerNorm's (0 and 1). Needs matplotlib."""
    import matplotlib.pyplot as plt

    good = token_stats(buggy_layer_norm("none", probe_tokens()))
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.0), constrained_layout=True)
    t = np.arange(len(stats[0]))
    for ax, k, title in ((ax1, 0, "mean of each token's output"), (ax2, 1, "RMS of each token's output")):
        ax.plot(t, good[k], "-o", lw=1.5, ms=3, label="correct LayerNorm")
        ax.plot(t, stats[k], "--s", lw=1.5, ms=3, label=label)
        ax.set(xlabel="token (offset and scale grow →)", title=title)
    ax2.set_yscale("log")
    ax1.legend(frameon=False, fontsize=8)
    return fig
