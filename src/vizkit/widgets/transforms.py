r"""P0.4 widget: a grid warping under :math:`W`, then shifted by :math:`b`, beside a GEMM filling cell by cell.

Every *preset* matrix (shear, rotation, flip, squash onto a line) is simulated up
front with :func:`vizkit.foundations.transforms.affine_trace` and shipped as one
*scenario*, so the static page switches between them with no kernel. The traits
``W`` (four numbers, row-major) and ``b`` define one more scenario, ``"custom"``,
and re-run the simulation in Python. The right panel is one
:func:`vizkit.foundations.gemm.gemm_trace`: ``C = AB`` computed one output cell
(one dot product of length ``k``) at a time, paced to the same frames.

>>> w = TransformWidget()
>>> w
TransformWidget(scenario='shear', W=(1.0, 0.5, 0.0, 1.2), b=(0.5, -0.25))
>>> [s["key"] for s in w.scenarios]
['shear', 'rotate', 'flip', 'squash', 'custom']
>>> w.b = (1.0,)                    # bad input: reported, not raised
>>> w.error
'b must have 2 entries; got 1'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import one_of
from vizkit.foundations.gemm import DEFAULT_A, DEFAULT_B, gemm_trace
from vizkit.foundations.transforms import AffineTrace, affine_trace

from .base import VizWidget

__all__ = ["TransformWidget", "PRESETS", "LEAVES_OUT", "N_MORPH", "N_SHIFT", "gemm_cell_at",
           "transform_scenario"]

#: Frames of the morph I → W, and of the shift by b.
N_MORPH = 30
N_SHIFT = 15

#: key -> (label, W row-major, b): the scenarios simulated up front.
PRESETS = {
    "shear": ("Shear and stretch", (1.0, 0.5, 0.0, 1.2), (0.5, -0.25)),
    "rotate": ("Rotate 90°", (0.0, -1.0, 1.0, 0.0), (0.0, 0.5)),
    "flip": ("Flip (det < 0)", (1.0, 0.0, 0.0, -1.0), (0.5, 0.0)),
    "squash": ("Squash onto a line (det = 0)", (1.0, 2.0, 0.5, 1.0), (0.0, 0.0)),
}

LEAVES_OUT = (
    "Only 2×2 matrices are drawn as pictures: a layer's W has thousands of rows and columns, "
    "which no grid can show, though each output is still one dot product. The GEMM panel "
    "computes cells one at a time in row-major order; real kernels tile the product, keep "
    "blocks of A and B in fast on-chip memory and run thousands of MACs in parallel."
)


def gemm_cell_at(frame: int, n_frames: int, n_cells: int) -> int:
    """The GEMM cell shown at ``frame``: the cells spread evenly over the frames, the last one
    finished on the last frame.

    >>> [gemm_cell_at(f, 5, 3) for f in range(5)]
    [0, 0, 1, 1, 2]
    """
    if n_frames <= 1:
        return n_cells - 1
    return min(n_cells - 1, int(frame * n_cells // n_frames))


def _pair(name: str, values, n: int) -> np.ndarray:
    vals = tuple(values)
    if len(vals) != n:
        raise ValueError(f"{name} must have {n} entries; got {len(vals)}")
    arr = np.array(vals, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(np.abs(arr) > 100):
        raise ValueError(f"{name} entries must be finite numbers in [-100, 100]; got {vals}")
    return arr


def transform_scenario(key: str, label: str, trace: AffineTrace, b) -> dict[str, Any]:
    """One scenario dict for the browser: metadata as JSON, arrays as float32 buffers."""
    W = trace.matrix[-1]
    return {
        "key": key, "label": label,
        "W": [float(v) for v in W.ravel()], "b": [float(v) for v in b],
        "det": float(trace.det[-1]), "n_frames": int(trace.n_frames), "n_morph": N_MORPH,
        **to_buffers([("matrix", trace.matrix), ("shift", trace.shift), ("det_t", trace.det),
                      ("square", trace.square), ("grid", trace.grid)]),
    }


def _gemm_state() -> dict[str, Any]:
    t = gemm_trace(DEFAULT_A, DEFAULT_B)
    return {"m": t.m, "n": t.n, "k": t.k, **to_buffers([
        ("a", t.a), ("b", t.b), ("c", t.c), ("products", t.products), ("macs_done", t.macs_done)])}


class TransformWidget(VizWidget):
    """y = Wx + b as a warping grid (left) and C = AB as a grid of dot products (right).

    Parameters
    ----------
    W : the custom matrix, four numbers row-major ``(w11, w12, w21, w22)``, each in [-100, 100].
    b : the custom shift ``(b1, b2)``.
    scenario : the scenario shown first: a key of ``PRESETS`` or ``"custom"``.
    """

    _bundle = "transforms"
    _sim_params = ("W", "b")
    _repr_params = ("scenario", "W", "b")

    W = traitlets.Tuple().tag(sync=True)
    b = traitlets.Tuple().tag(sync=True)
    scenario = traitlets.Unicode("shear").tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)
    gemm = traitlets.Dict().tag(sync=True)

    def __init__(self, W=(1.0, 0.5, 0.0, 1.2), b=(0.5, -0.25), scenario="shear", **kwargs: Any) -> None:
        W = tuple(float(v) for v in np.ravel(np.asarray(W, dtype=float)))
        b = tuple(float(v) for v in b)
        super().__init__(W=W, b=b, scenario=scenario, description=LEAVES_OUT, gemm=_gemm_state(), **kwargs)
        self._apply(self._simulate())          # bad constructor arguments raise ValueError here
        one_of("scenario", self.scenario, self._keys())
        self._last_scenario = self.scenario
        self.observe(self._on_scenario, names=["scenario"])

    @property
    def n_frames(self) -> int:
        return N_MORPH + N_SHIFT + 1

    def _simulate(self) -> list[dict[str, Any]]:
        out = []
        for key, (label, w, shift) in PRESETS.items():
            t = affine_trace(np.reshape(w, (2, 2)), shift, n_morph=N_MORPH, n_shift=N_SHIFT)
            out.append(transform_scenario(key, label, t, shift))
        W = _pair("W", self.W, 4)
        b = _pair("b", self.b, 2)
        t = affine_trace(W.reshape(2, 2), b, n_morph=N_MORPH, n_shift=N_SHIFT)
        out.append(transform_scenario("custom", "Your W and b", t, b))
        return out

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self.scenarios = result

    def _on_sim_param(self, change: dict) -> None:
        if self._resimulate():
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

    def trace(self, key: str | None = None) -> AffineTrace:
        """The :class:`~vizkit.foundations.transforms.AffineTrace` behind scenario ``key``."""
        key = self.scenario if key is None else one_of("key", key, self._keys())
        if key == "custom":
            return affine_trace(np.reshape(self.W, (2, 2)), self.b, n_morph=N_MORPH, n_shift=N_SHIFT)
        _, w, shift = PRESETS[key]
        return affine_trace(np.reshape(w, (2, 2)), shift, n_morph=N_MORPH, n_shift=N_SHIFT)
