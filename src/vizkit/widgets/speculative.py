r"""P9.9 widget: speculative decoding, one draft-and-verify pass per frame.

Each frame is one sampled pass of :func:`vizkit.serving.simulate_spec`: the draft
proposes ``k`` tokens, the target checks them in one pass, the accepted prefix turns
green, the first rejection red, and the target adds one token of its own (the
correction, or a bonus token when all ``k`` pass). Beside it: the histogram of tokens
per pass so far against the closed-form distribution, and the running mean converging
to :math:`E = (1 - \alpha^{k+1}) / (1 - \alpha)`. Every acceptance rate in ``alphas``
is simulated up front and shipped as one *scenario*, so the browser switches between
them with no kernel; ``k``, ``cost_ratio``, ``n_passes`` and ``seed`` re-run the
simulation.

>>> w = SpeculativeWidget()
>>> w
SpeculativeWidget(alpha=0.8, alphas=(0.6, 0.8, 0.9), k=4, cost_ratio=0.05, n_passes=200, seed=0)
>>> w.k = 0                       # bad input: reported, not raised
>>> w.error
'k must be an integer >= 1 and <= 12; got 0'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import in_range, nonneg_int, positive_int, probability
from vizkit.serving import expected_tokens_per_pass, simulate_spec, speedup

from .base import VizWidget

__all__ = ["SpeculativeWidget", "LEAVES_OUT", "spec_scenario", "tokens_pmf"]

LEAVES_OUT = (
    "Each draft token is accepted independently with the same probability α, so acceptance "
    "does not depend on position or context; a draft step costs a fixed fraction c of a target "
    "step, and the target's pass over k + 1 tokens costs the same as over one (true while decode "
    "is memory-bound). Token identities, the KV cache of the rejected tokens and batching are not modelled."
)

K_MAX = 12


def tokens_pmf(alpha: float, k: int) -> np.ndarray:
    r"""Probability that one pass yields ``j + 1`` tokens, ``j = 0..k``.

    :math:`\alpha^j (1 - \alpha)` for ``j < k`` (first rejection at draft token ``j + 1``)
    and :math:`\alpha^k` for ``j = k`` (all accepted, plus a bonus token).

    >>> [round(float(x), 3) for x in tokens_pmf(0.5, 2)]
    [0.5, 0.25, 0.25]
    """
    a = probability("alpha", alpha)
    n = nonneg_int("k", k, maximum=1024)
    j = np.arange(n + 1, dtype=float)
    pmf = a ** j * (1.0 - a)
    pmf[n] = a ** n
    return pmf


def spec_scenario(alpha: float, k: int = 4, cost_ratio: float = 0.05, n_passes: int = 200,
                  seed: int = 0) -> dict[str, Any]:
    """One acceptance rate: per-pass samples, running means and the closed forms (numpy)."""
    a = in_range("alpha", alpha, 0.0, 0.99)
    kk = positive_int("k", k, maximum=K_MAX)
    c = in_range("cost_ratio", cost_ratio, 0.0, 1.0)
    m = positive_int("n_passes", n_passes, maximum=2000)
    if m < 2:
        raise ValueError(f"n_passes must be an integer in [2, 2000]; got {m}")
    tr = simulate_spec(a, kk, n_passes=m, seed=seed)
    tokens = tr.tokens
    mean = np.cumsum(tokens) / np.arange(1, m + 1)
    counts = np.zeros((m, kk + 1), dtype=np.int64)       # cumulative histogram of tokens - 1
    counts[np.arange(m), tokens - 1] = 1
    counts = np.cumsum(counts, axis=0)
    E = expected_tokens_per_pass(a, kk)
    return {
        "alpha": a, "k": kk, "cost_ratio": c, "n_passes": m, "seed": seed,
        "E": E, "speedup": speedup(a, kk, c), "pass_cost": kk * c + 1.0,
        "pmf": tokens_pmf(a, kk),
        "n_accepted": tr.n_accepted, "tokens": tokens, "running_mean": mean,
        "running_speedup": mean / (kk * c + 1.0), "counts": counts,
    }


def _wire(sc: dict[str, Any]) -> dict[str, Any]:
    named = [("n_accepted", sc["n_accepted"]), ("running_mean", sc["running_mean"]),
             ("running_speedup", sc["running_speedup"]), ("counts", sc["counts"]), ("pmf", sc["pmf"])]
    return {
        "name": f"alpha {sc['alpha']:g}", "alpha": sc["alpha"], "k": sc["k"],
        "cost_ratio": sc["cost_ratio"], "n_passes": sc["n_passes"], "E": sc["E"],
        "speedup": sc["speedup"], "pass_cost": sc["pass_cost"], **to_buffers(named),
    }


class SpeculativeWidget(VizWidget):
    """Draft-and-verify passes (top), tokens-per-pass histogram and running mean (bottom).

    Parameters
    ----------
    alphas : acceptance rates, one precomputed scenario each (0 to 0.99).
    k : draft tokens per pass (1 to 12).
    cost_ratio : cost of one draft step in target steps, c (0 to 1).
    n_passes : sampled passes per scenario (2 to 2000); one frame each.
    seed : random seed of the sampled passes.
    alpha : the acceptance rate shown first; one of ``alphas``.
    """

    _bundle = "speculative"
    _sim_params = ("alphas", "k", "cost_ratio", "n_passes", "seed")
    _repr_params = ("alpha", "alphas", "k", "cost_ratio", "n_passes", "seed")

    alphas = traitlets.Tuple().tag(sync=True)
    k = traitlets.Int(4).tag(sync=True)
    cost_ratio = traitlets.Float(0.05).tag(sync=True)
    n_passes = traitlets.Int(200).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    alpha = traitlets.Float(0.8).tag(sync=True)            # selected scenario (JS switches it)
    scenarios = traitlets.List().tag(sync=True)

    def __init__(self, alphas=(0.6, 0.8, 0.9), k=4, cost_ratio=0.05, n_passes=200, seed=0, alpha=0.8,
                 **kwargs: Any) -> None:
        super().__init__(alphas=tuple(float(a) for a in alphas), k=k, cost_ratio=cost_ratio,
                         n_passes=n_passes, seed=seed, alpha=alpha, description=LEAVES_OUT, **kwargs)
        self._check_alpha(self.alpha)                       # bad arguments raise here
        self._apply(self._simulate())
        self._last_alpha = self.alpha
        self.observe(self._on_alpha, names=["alpha"])

    @property
    def n_frames(self) -> int:
        return self.n_passes

    def _check_alpha(self, a: float) -> float:
        if not any(abs(a - x) < 1e-12 for x in self.alphas):
            raise ValueError(f"alpha must be one of alphas ({', '.join(f'{x:g}' for x in self.alphas)}); got {a!r}")
        return a

    def _simulate(self) -> list[dict[str, Any]]:
        if not self.alphas:
            raise ValueError("alphas must list at least one acceptance rate; got ()")
        if len(self.alphas) > 6:
            raise ValueError(f"alphas must list at most 6 acceptance rates; got {len(self.alphas)}")
        for a in self.alphas:
            in_range("alphas", a, 0.0, 0.99)
        nonneg_int("seed", self.seed)
        return [_wire(spec_scenario(a, self.k, self.cost_ratio, self.n_passes, self.seed)) for a in self.alphas]

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self.scenarios = result
        if not any(abs(self.alpha - x) < 1e-12 for x in self.alphas):
            self.alpha = self.alphas[0]

    def _on_alpha(self, change: dict) -> None:
        try:
            self._check_alpha(change["new"])
        except ValueError as exc:
            self.alpha = self._last_alpha
            self.error = str(exc)
            return
        self._last_alpha = change["new"]
        if self.error.startswith("alpha "):
            self.error = ""

    def scenario(self, alpha: float | None = None) -> dict[str, Any]:
        """The simulation behind one acceptance rate (numpy arrays): ``spec_scenario(...)``."""
        a = self.alpha if alpha is None else self._check_alpha(alpha)
        return spec_scenario(a, self.k, self.cost_ratio, self.n_passes, self.seed)
