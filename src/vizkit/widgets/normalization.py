r"""P1.8 widget: one vector through LayerNorm or RMSNorm, and the residual stream over depth, pre- vs post-norm.

The left of the figure shows :func:`vizkit.nn.normalization.norm_stages` for a
small example vector (and the same vector shifted by +10): every stage of
LayerNorm or RMSNorm side by side. Those four small traces (two norms × two
vectors) are precomputed, so the browser switches between them with no
kernel. The right plays :func:`vizkit.nn.residual.residual_trace`, one block
per frame: the RMS of the residual stream of a pre-norm and a post-norm stack,
and what each block's branch adds. The traits ``depth``, ``d_model``,
``branch_gain`` and ``seed`` re-run that simulation in Python.

>>> w = NormWidget()
>>> w
NormWidget(norm='layer', vector='example', depth=48, d_model=32, branch_gain=1.0, seed=0)
>>> [s["key"] for s in w.norms]
['layer-example', 'layer-shifted', 'rms-example', 'rms-shifted']
>>> w.n_frames
49
>>> w.branch_gain = 0                # bad input: reported, not raised
>>> w.error
'branch_gain must be a finite number > 0; got 0.0'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import nonneg_int, one_of, positive_float, positive_int
from vizkit.nn.normalization import norm_stages
from vizkit.nn.residual import ResidualTrace, residual_trace

from .base import VizWidget

__all__ = ["NormWidget", "EXAMPLE", "SHIFT", "NORMS", "VECTORS", "MAX_DEPTH", "MAX_D_MODEL", "LEAVES_OUT",
           "norm_scenarios", "residual_state"]

#: The example vector (8 features of one token) and the shift of its second version.
EXAMPLE = (2.0, -1.0, 4.0, 0.5, 3.0, -0.5, 1.0, 5.0)
SHIFT = 10.0
NORMS = (("layer", "LayerNorm"), ("rms", "RMSNorm"))
VECTORS = (("example", "Example vector"), ("shifted", "Same vector + 10"))
MAX_DEPTH = 200
MAX_D_MODEL = 256
N_TOKENS = 16

LEAVES_OUT = (
    "The normalised vector uses the initial gain γ = 1 and bias β = 0, which training would change. The residual "
    "stacks use random, untrained 2-layer ReLU branches (no attention), 16 random tokens and no final norm; "
    "the post-norm stack renormalises after every block. The simulation shows signal sizes in the forward pass "
    "only: it does not train, so it cannot show the gradient problems that make post-norm need learning-rate warm-up."
)


def norm_scenarios() -> list[dict[str, Any]]:
    """The four precomputed normalisations (two norms × two vectors), arrays as binary buffers."""
    out = []
    base = np.array(EXAMPLE)
    for kind, klabel in NORMS:
        for vec, vlabel in VECTORS:
            x = base + (SHIFT if vec == "shifted" else 0.0)
            t = norm_stages(x, kind)
            out.append({"key": f"{kind}-{vec}", "kind": kind, "vector_key": vec, "label": f"{klabel} · {vlabel}",
                        "stages": list(t.stages), "d": int(x.size),
                        **to_buffers([("vector", t.vector), ("mean", t.mean), ("std", t.std), ("rms", t.rms)])})
    return out


def residual_state(t: ResidualTrace) -> dict[str, Any]:
    """The residual-stream trace for the browser."""
    return {"n_frames": int(t.n_frames), "d_model": int(t.d_model),
            **to_buffers([("pre", t.pre_norm_rms), ("post", t.post_norm_rms), ("pre_branch", t.pre_branch_rms),
                          ("post_branch", t.post_branch_rms), ("fit", t.pre_norm_sqrt_fit)])}


class NormWidget(VizWidget):
    """LayerNorm / RMSNorm on one vector, stage by stage; residual-stream RMS per block, pre- vs post-norm.

    Parameters
    ----------
    norm : ``layer`` (LayerNorm) or ``rms`` (RMSNorm), the norm shown on the left.
    vector : ``example`` or ``shifted`` (the example + 10).
    depth : residual blocks (1 to 200).
    d_model : width of the residual stream (1 to 256).
    branch_gain : scale of each branch's output weights (> 0).
    seed : random seed of the tokens and weights (>= 0).
    """

    _bundle = "normalization"
    _sim_params = ("depth", "d_model", "branch_gain", "seed")
    _repr_params = ("norm", "vector", "depth", "d_model", "branch_gain", "seed")

    norm = traitlets.Unicode("layer").tag(sync=True)
    vector = traitlets.Unicode("example").tag(sync=True)
    depth = traitlets.Int(48).tag(sync=True)
    d_model = traitlets.Int(32).tag(sync=True)
    branch_gain = traitlets.Float(1.0).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    norms = traitlets.List().tag(sync=True)
    residual = traitlets.Dict().tag(sync=True)

    def __init__(self, norm="layer", vector="example", depth=48, d_model=32, branch_gain=1.0, seed=0,
                 **kwargs: Any) -> None:
        one_of("norm", norm, [k for k, _ in NORMS])
        one_of("vector", vector, [k for k, _ in VECTORS])
        for name, value in (("depth", depth), ("d_model", d_model), ("seed", seed)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
                raise ValueError(f"{name} must be an integer; got {value!r}")
        if not isinstance(branch_gain, (int, float)) or isinstance(branch_gain, bool):
            raise ValueError(f"branch_gain must be a number > 0; got {branch_gain!r}")
        super().__init__(norm=norm, vector=vector, depth=int(depth), d_model=int(d_model),
                         branch_gain=float(branch_gain), seed=int(seed), norms=norm_scenarios(),
                         description=LEAVES_OUT, **kwargs)
        self._apply(self._simulate())          # bad constructor arguments raise ValueError here
        self._last = {"norm": self.norm, "vector": self.vector}
        self.observe(self._on_choice, names=["norm", "vector"])

    @property
    def n_frames(self) -> int:
        return self._n_frames

    def _simulate(self) -> ResidualTrace:
        return residual_trace(positive_int("depth", self.depth, maximum=MAX_DEPTH),
                              positive_int("d_model", self.d_model, maximum=MAX_D_MODEL), N_TOKENS,
                              branch_gain=positive_float("branch_gain", self.branch_gain),
                              seed=nonneg_int("seed", self.seed))

    def _apply(self, result: ResidualTrace) -> None:
        self._n_frames = int(result.n_frames)
        self.residual = residual_state(result)

    def _on_choice(self, change: dict) -> None:
        name = change["name"]
        allowed = [k for k, _ in (NORMS if name == "norm" else VECTORS)]
        try:
            one_of(name, change["new"], allowed)
        except ValueError as exc:
            setattr(self, name, self._last[name])
            self.error = str(exc)
            return
        self._last[name] = change["new"]
        if self.error.startswith(f"{name} "):
            self.error = ""

    def trace(self) -> ResidualTrace:
        """The :class:`~vizkit.nn.residual.ResidualTrace` on screen."""
        return self._simulate()
