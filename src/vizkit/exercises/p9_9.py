r"""Exercises of chapter P9.9, "Speculative decoding".

Each ``check_*`` computes its expected answer with :mod:`vizkit.serving`, then
hands it to :class:`vizkit.exercises.Answer`.

The break-it exercise samples many one-token rounds of speculative sampling with a
draft distribution :data:`Q` against a target :data:`P`, through a verifier with one
planted bug from :data:`BUGS` (:func:`verify_sample`), and compares the histogram of
emitted tokens with the target distribution:

====================  =============================================================
bug                   histogram of emitted tokens
====================  =============================================================
always-accept         every draft token is kept: the histogram is the draft's ``Q``
resample-from-target  a rejected token is redrawn from ``P``, not from the residual
                      ``max(0, P - Q)``: tokens the draft over-proposes stay too
                      frequent, the ones it under-proposes too rare
no-bonus              the bonus token after k accepted draft tokens is dropped: fewer
                      tokens per pass, but every emitted token still follows ``P``
====================  =============================================================

>>> round(acceptance_rate_of(P, Q), 2)
0.74
"""

from __future__ import annotations

import numpy as np

from vizkit._validate import nonneg_int, one_of, positive_int
from vizkit.serving import acceptance_rate, expected_tokens_per_pass, optimal_k, rejection_sample, speedup

from . import Answer

__all__ = ["P", "Q", "BUGS", "MYSTERIES", "check_tokens_per_pass", "acceptance_rate_of",
           "check_acceptance_rate", "check_speedup", "check_optimal_k", "verify_sample",
           "token_histogram", "mystery_histogram", "plot_histogram", "check_bug"]

#: A target distribution over six tokens, and a draft that guesses it imperfectly.
P = np.array([0.40, 0.25, 0.15, 0.10, 0.06, 0.04])
Q = np.array([0.20, 0.40, 0.20, 0.05, 0.05, 0.10])

#: The deliberate bugs :func:`verify_sample` can plant.
BUGS = {
    "always-accept": "the verifier keeps every draft token without checking it",
    "resample-from-target": "after a rejection the verifier draws the replacement from the target p "
                            "instead of the residual max(0, p - q), renormalised",
    "no-bonus": "when all k draft tokens pass, the verifier throws away the target's bonus token "
                "(slower, since a pass yields one token fewer)",
}

#: The break-it exercise's suspects.
MYSTERIES = {"A": "resample-from-target", "B": "always-accept"}


# --- predict, then check -------------------------------------------------------------------

def check_tokens_per_pass(answer: object, alpha: float = 0.8, k: int = 8) -> bool:
    """Predict-then-check: expected tokens per target pass at acceptance rate ``alpha``, draft length ``k``."""
    return Answer(f"expected tokens per pass at α = {alpha:g}, k = {k}", expected_tokens_per_pass(alpha, k),
                  rel_tol=0.02, hint="E = (1 − α^(k+1)) / (1 − α): each extra draft token only counts if "
                  "every token before it was accepted, so its contribution is α^i").check(answer)


# --- compute it ----------------------------------------------------------------------------

def acceptance_rate_of(p=None, q=None) -> float:
    r"""α = :math:`\sum_x \min(p(x), q(x))`; defaults to :data:`P` and :data:`Q`."""
    return acceptance_rate(P if p is None else p, Q if q is None else q)


def check_acceptance_rate(answer: object) -> bool:
    """Compute-it: the acceptance rate of draft :data:`Q` against target :data:`P`."""
    return Answer("acceptance rate α of Q against P", acceptance_rate_of(), rel_tol=0.01,
                  hint="add up min(p(x), q(x)) over the six tokens").check(answer)


def check_speedup(answer: object, alpha: float = 0.7, k: int = 3, cost_ratio: float = 0.1) -> bool:
    """Compute-it: wall-time speedup E / (k c + 1)."""
    return Answer(f"speedup at α = {alpha:g}, k = {k}, c = {cost_ratio:g}", speedup(alpha, k, cost_ratio),
                  rel_tol=0.02, hint="expected tokens per pass, divided by the cost of a pass in target "
                  "steps: k draft steps of c each, plus one target pass").check(answer)


def check_optimal_k(answer: object, alpha: float = 0.8, cost_ratio: float = 0.05) -> bool:
    """Compute-it: the draft length with the largest speedup."""
    return Answer(f"best draft length k at α = {alpha:g}, c = {cost_ratio:g}", optimal_k(alpha, cost_ratio),
                  hint="tabulate E(α, k) / (k c + 1) for k = 1, 2, 3, … and stop when it starts to fall"
                  ).check(answer)


# --- break it ------------------------------------------------------------------------------

def verify_sample(bug: str | None = None, n: int = 50_000, seed: int = 0, p=None, q=None) -> np.ndarray:
    """``n`` one-token rounds of speculative sampling of draft ``q`` against target ``p``.

    ``bug`` is ``None`` (the correct rule, :func:`vizkit.serving.rejection_sample`) or one
    of :data:`BUGS`. Returns the emitted tokens.
    """
    pp = np.asarray(P if p is None else p, dtype=float)
    qq = np.asarray(Q if q is None else q, dtype=float)
    m = positive_int("n", n, maximum=10_000_000)
    s = nonneg_int("seed", seed)
    if bug is not None:
        one_of("bug", bug, BUGS)
    if bug is None or bug == "no-bonus":                      # one-token rounds: no bonus to drop
        return rejection_sample(pp, qq, m, seed=s)[0]
    acceptance_rate(pp, qq)                                   # validates both distributions
    rng = np.random.default_rng(s)
    x = rng.choice(pp.size, size=m, p=qq)
    if bug == "always-accept":
        return x.astype(np.int64)
    keep = np.minimum(1.0, pp[x] / np.where(qq[x] > 0, qq[x], 1.0))
    accepted = rng.random(m) < keep
    fix = rng.choice(pp.size, size=m, p=pp)               # resample-from-target
    return np.where(accepted, x, fix).astype(np.int64)


def token_histogram(tokens: np.ndarray, n_tokens: int | None = None) -> np.ndarray:
    """Share of each token id among ``tokens`` (``n_tokens`` bins; default ``len(P)``)."""
    t = np.asarray(tokens)
    if t.ndim != 1 or t.size == 0 or t.dtype.kind not in "iu" or (t < 0).any():
        raise ValueError("tokens must be a non-empty 1-D array of non-negative token ids")
    b = positive_int("n_tokens", len(P) if n_tokens is None else n_tokens, maximum=1 << 20)
    return np.bincount(t, minlength=b)[:b] / t.size


def mystery_histogram(which: str = "A") -> np.ndarray:
    """The token histogram of mystery verifier ``which`` (see :data:`MYSTERIES`)."""
    return token_histogram(verify_sample(MYSTERIES[one_of("which", which, MYSTERIES)]))


def plot_histogram(freq: np.ndarray, label: str = "mystery verifier"):
    """Sampled token shares against the target ``P`` and the draft ``Q``. Needs matplotlib."""
    import matplotlib.pyplot as plt

    f = np.asarray(freq, dtype=float)
    x = np.arange(f.size)
    fig, ax = plt.subplots(figsize=(7.5, 3.0), constrained_layout=True)
    ax.bar(x, f, width=0.6, color="#009E73", label=label)
    ax.plot(x, P[:f.size], "o", color="#1b1f24", ms=8, label="target p")
    ax.plot(x, Q[:f.size], "x", color="#D55E00", ms=9, mew=2, label="draft q")
    ax.set_xticks(x)
    ax.set_xlabel("token id")
    ax.set_ylabel("share of emitted tokens")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False)
    return fig


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind :func:`mystery_histogram` ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug in mystery verifier {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="does the histogram land on the dots (p), on the crosses (q), or in between? "
                       "a bug that only costs speed leaves the histogram on p").check(answer)
