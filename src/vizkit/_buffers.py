"""How simulation traces cross to the browser: little-endian int32/float32 bytes.

Widgets send arrays as binary buffers, never JSON lists (DESIGN §3). Integer
and boolean arrays become ``<i4``, everything else ``<f4``; the browser reads
them back with ``new Int32Array(...)`` / ``new Float32Array(...)``.

>>> import numpy as np
>>> b = to_buffers([("n", np.array([1, 2])), ("x", np.array([0.5]))])
>>> np.frombuffer(b["n"], "<i4").tolist(), np.frombuffer(b["x"], "<f4").tolist()
([1, 2], [0.5])
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["wire_dtype", "to_buffers", "shapes"]


def wire_dtype(array: np.ndarray) -> str:
    """``"<i4"`` for integer or boolean arrays, ``"<f4"`` for the rest."""
    return "<i4" if array.dtype.kind in "iub" else "<f4"


def to_buffers(named_arrays: Iterable[tuple[str, np.ndarray]]) -> dict[str, bytes]:
    """Each ``(name, array)`` as contiguous little-endian bytes in its wire dtype."""
    return {name: np.ascontiguousarray(a, dtype=wire_dtype(a)).tobytes() for name, a in named_arrays}


def shapes(named_arrays: Iterable[tuple[str, np.ndarray]]) -> dict[str, list[int]]:
    """The shape of each array, so a reader can reshape its buffer."""
    return {name: list(a.shape) for name, a in named_arrays}
