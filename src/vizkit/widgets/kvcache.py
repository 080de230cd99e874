"""P7.4 widget: the O(N²) explosion and the KV cache.

Every model in ``models`` is simulated up front (:func:`vizkit.inference.decode_trace`)
and shipped as one *scenario*, so the browser switches model and cache on/off
with no kernel at all. ``prompt_len``, ``n_new`` and ``dtype`` re-run the
simulation and therefore need Python.

>>> w = KVCacheWidget(n_new=8)
>>> w
KVCacheWidget(model='llama-2-7b', cached=True, prompt_len=16, n_new=8, dtype='bf16', models=('gpt2', 'llama-2-7b', 'llama-3-8b', 'deepseek-v2'))
>>> w.prompt_len = 0          # bad input: reported, not raised
>>> w.error
'prompt_len must be an integer >= 1 and <= 999999; got 0'
"""

from __future__ import annotations

from typing import Any

import traitlets

from vizkit import catalog
from vizkit._validate import one_of, positive_int
from vizkit.inference.kvcache import decode_trace

from .base import VizWidget

__all__ = ["KVCacheWidget", "MAX_WIDGET_STEPS", "LEAVES_OUT"]

#: Most decode steps one widget animates (one frame each).
MAX_WIDGET_STEPS = 4096

LEAVES_OUT = (
    "Counts matrix-multiply FLOPs only: softmax, norms, RoPE, kernel launches and memory "
    "traffic are left out, the prompt is already prefilled, and recompute runs the LM head "
    "on the last position only."
)


def _scenario(name: str, prompt_len: int, n_new: int, dtype: str) -> dict[str, Any]:
    m = catalog.model(name)
    trace = decode_trace(m, prompt_len, n_new, dtype)
    return {
        "name": m.name,
        "display_name": m.display_name,
        "n_layers": int(m.n_layers),
        "n_heads": int(m.n_heads),
        "n_kv_heads": int(m.n_kv_heads),
        "head_dim": int(m.head_dim),
        "attention": m.attention,
        "prompt_len": trace.prompt_len,
        "n_new": trace.n_new,
        "dtype": trace.dtype,
        "kv_bytes_per_token": float(m.kv_bytes_per_token(dtype)),
        **trace.to_buffers(),  # bytes values: sent as binary buffers, never JSON lists
    }


class KVCacheWidget(VizWidget):
    """Recompute triangle vs cached strip, KV cache filling layer by layer, FLOPs and bytes per step.

    Parameters
    ----------
    models : names from :func:`vizkit.catalog.model_names` offered in the Model menu.
    prompt_len : tokens already prefilled (>= 1).
    n_new : decode steps to animate (1 to 4096).
    dtype : storage type of the cached keys and values (``catalog.DTYPES``).
    cached : start with the KV cache on.
    model : the model shown first; one of ``models``.
    """

    _bundle = "kvcache"
    _sim_params = ("models", "prompt_len", "n_new", "dtype")
    _repr_params = ("model", "cached", "prompt_len", "n_new", "dtype", "models")

    models = traitlets.Tuple().tag(sync=True)             # catalog names offered in the menu
    prompt_len = traitlets.Int(16).tag(sync=True)         # tokens prefilled before step 1
    n_new = traitlets.Int(48).tag(sync=True)              # decode steps = frames
    dtype = traitlets.Unicode("bf16").tag(sync=True)      # KV storage type
    cached = traitlets.Bool(True).tag(sync=True)          # KV cache on (JS toggles it)
    model = traitlets.Unicode("llama-2-7b").tag(sync=True)  # selected scenario (JS switches it)
    scenarios = traitlets.List().tag(sync=True)           # one dict per model, arrays as bytes
    dtype_options = traitlets.Tuple().tag(sync=True)      # the dtype menu (catalog.DTYPES)

    def __init__(self, models=("gpt2", "llama-2-7b", "llama-3-8b", "deepseek-v2"), prompt_len=16,
                 n_new=48, dtype="bf16", cached=True, model="llama-2-7b", **kwargs: Any) -> None:
        super().__init__(models=tuple(models), prompt_len=prompt_len, n_new=n_new, dtype=dtype,
                         cached=bool(cached), model=model, description=LEAVES_OUT,
                         dtype_options=tuple(catalog.DTYPES), **kwargs)
        self._check_model(self.model)   # bad constructor arguments raise ValueError here
        self._last_model = self.model
        self._apply(self._simulate())
        self.observe(self._on_model, names=["model"])

    @property
    def n_frames(self) -> int:
        return self._n_frames

    def _simulate(self) -> list[dict[str, Any]]:
        names = list(self.models)
        if not names:
            raise ValueError(f"models must list at least one of {', '.join(catalog.model_names())}; got ()")
        for name in names:
            one_of("models", name, catalog.model_names())
        n_new = positive_int("n_new", self.n_new, maximum=MAX_WIDGET_STEPS)
        return [_scenario(name, self.prompt_len, n_new, self.dtype) for name in names]

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self._n_frames = result[0]["n_new"]
        self.scenarios = result
        if self.model not in self.models:
            self.model = self.models[0]

    def _check_model(self, name: str) -> None:
        one_of("model", name, self.models)

    def _on_model(self, change: dict) -> None:
        try:
            self._check_model(change["new"])
        except ValueError as exc:
            self.model = self._last_model   # keep showing the last good scenario
            self.error = str(exc)
            return
        self._last_model = change["new"]
        if self.error.startswith("model "):
            self.error = ""

    def trace(self, name: str | None = None):
        """The :class:`~vizkit.inference.KVCacheTrace` behind scenario ``name`` (default: shown model)."""
        name = self.model if name is None else one_of("name", name, self.models)
        return decode_trace(name, self.prompt_len, self.n_new, self.dtype)
