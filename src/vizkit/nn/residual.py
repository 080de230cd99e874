r"""Pre-norm vs post-norm residual stacks: how the residual stream grows with depth (P1.8).

A residual block adds a branch :math:`f` (here a 2-layer ReLU MLP with random
weights) to the stream :math:`x`. Where the normalisation sits decides what
happens over :math:`L` blocks:

.. math::

    \text{pre-norm:}\quad x_{\ell+1} = x_\ell + f_\ell(\mathrm{LN}(x_\ell))
    \qquad\qquad
    \text{post-norm:}\quad x_{\ell+1} = \mathrm{LN}(x_\ell + f_\ell(x_\ell))

In pre-norm every branch sees a normalised input, so it adds a vector of
roughly fixed size :math:`c`, nearly orthogonal to the stream; the squared
norms add, :math:`\lVert x_\ell\rVert^2 \approx \lVert x_0\rVert^2 + \ell\,c^2`,
and the per-coordinate RMS grows like :math:`\sqrt\ell`. The identity path is
never normalised, which is why deep pre-norm stacks train stably (and why
they need a final norm). In post-norm the stream is renormalised after every
block, so its RMS stays 1 — but every gradient must pass through every norm.

>>> t = residual_trace(depth=16)
>>> float(t.post_norm_rms[-1].round(3)), bool(t.pre_norm_rms[-1] > t.pre_norm_rms[4])
(1.0, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import nonneg_int, positive_float, positive_int
from vizkit.foundations._trace import Trace
from vizkit.nn.normalization import DEFAULT_EPS

__all__ = ["ResidualTrace", "residual_trace"]


def _ln(x: np.ndarray) -> np.ndarray:
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + DEFAULT_EPS)


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x * x)))


@dataclass(frozen=True)
class ResidualTrace(Trace):
    """Frame ℓ is the stream after ℓ blocks (frame 0 is the input)."""

    layer: np.ndarray            # (F,) int32
    pre_norm_rms: np.ndarray     # (F,) RMS of the pre-norm stream, averaged over tokens
    post_norm_rms: np.ndarray    # (F,) RMS of the post-norm stream
    pre_branch_rms: np.ndarray   # (F,) RMS of what the ℓ-th pre-norm branch added (0 at frame 0)
    post_branch_rms: np.ndarray  # (F,) RMS of the ℓ-th post-norm branch output
    pre_norm_sqrt_fit: np.ndarray  # (F,) sqrt(rms_0² + ℓ c²) with c² the mean squared branch RMS
    d_model: int = 0


def residual_trace(depth: int = 48, d_model: int = 32, n_tokens: int = 16, *, branch_gain: float = 1.0,
                   seed: int = 0) -> ResidualTrace:
    """Push ``n_tokens`` random unit-RMS vectors through ``depth`` blocks of each kind.

    Both stacks use the same branch weights: :math:`f(u) = W_2\\,\\mathrm{ReLU}(W_1 u)`
    with :math:`W_1 \\in \\mathbb{R}^{4d\\times d}` (He scale) and :math:`W_2` scaled by
    ``branch_gain`` / √(4d). Raises ``ValueError`` for sizes out of range or a gain <= 0.
    """
    L = positive_int("depth", depth, maximum=1000)
    d = positive_int("d_model", d_model, maximum=2048)
    n = positive_int("n_tokens", n_tokens, maximum=4096)
    gain = positive_float("branch_gain", branch_gain)
    rng = np.random.default_rng(nonneg_int("seed", seed))
    x0 = _ln(rng.standard_normal((n, d)))                               # (n, d), RMS 1 per token
    pre, post = x0, x0
    rows = {k: [0.0] for k in ("pre_branch", "post_branch")}
    pre_rms, post_rms = [_rms(pre)], [_rms(post)]
    for _ in range(L):
        W1 = np.sqrt(2.0 / d) * rng.standard_normal((d, 4 * d))          # (d, 4d)
        W2 = gain / np.sqrt(4 * d) * rng.standard_normal((4 * d, d))     # (4d, d)
        branch = np.maximum(_ln(pre) @ W1, 0.0) @ W2                     # pre-norm: branch sees LN(x)
        pre = pre + branch
        post_branch = np.maximum(post @ W1, 0.0) @ W2                    # post-norm: LN after the sum
        post = _ln(post + post_branch)
        rows["pre_branch"].append(_rms(branch))
        rows["post_branch"].append(_rms(post_branch))
        pre_rms.append(_rms(pre))
        post_rms.append(_rms(post))
    layer = np.arange(L + 1)
    c2 = np.mean(np.square(rows["pre_branch"][1:]))
    return ResidualTrace(layer=layer.astype(np.int32), pre_norm_rms=np.array(pre_rms),
                         post_norm_rms=np.array(post_rms), pre_branch_rms=np.array(rows["pre_branch"]),
                         post_branch_rms=np.array(rows["post_branch"]),
                         pre_norm_sqrt_fit=np.sqrt(pre_rms[0] ** 2 + layer * c2), d_model=d)
