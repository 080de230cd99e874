"""The base of every Part 0 / Part 1 trace: a frozen record of numpy arrays.

A trace is what a simulation hands to its widget. Each *frame array* has one
row per animation frame (its first axis has length ``n_frames``); the names in
a subclass's ``STATIC`` tuple are context that does not change from frame to
frame (a data set, a contour grid, the final result) or that has its own
snapshot axis. Plain ``int``/``float``/``str`` fields are scenario metadata.

``to_buffers()`` turns every array into little-endian bytes for the browser:
integer and boolean arrays become ``int32``, everything else ``float32``.
``shapes()`` gives the shapes the browser needs to read them back.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Demo(Trace):
...     step: np.ndarray
...     loss: np.ndarray
>>> t = Demo(step=np.arange(3), loss=np.array([1.0, 0.5, 0.25]))
>>> len(t), t.shapes()["loss"]
(3, [3])
>>> np.frombuffer(t.to_buffers()["step"], "<i4").tolist()
[0, 1, 2]
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

import numpy as np

from vizkit import _buffers

__all__ = ["Trace"]


@dataclass(frozen=True)
class Trace:
    """Frozen record of arrays; subclasses add the fields."""

    STATIC: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        lengths = set()
        for name, value in self._arrays():
            value.setflags(write=False)  # a trace is a record of what happened: read-only
            if name not in self.STATIC:
                lengths.add(value.shape[0] if value.ndim else -1)
        if len(lengths) > 1:
            raise AssertionError(f"{type(self).__name__}: frame arrays disagree on n_frames: {lengths}")

    def _arrays(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                yield f.name, value

    @property
    def n_frames(self) -> int:
        """Rows in every frame array (0 if the trace has only static arrays)."""
        for name, value in self._arrays():
            if name not in self.STATIC:
                return int(value.shape[0])
        return 0

    def __len__(self) -> int:
        return self.n_frames

    def frame_arrays(self) -> tuple[str, ...]:
        """Names of the arrays with one row per frame."""
        return tuple(n for n, _ in self._arrays() if n not in self.STATIC)

    def to_buffers(self) -> dict[str, bytes]:
        """Every array as little-endian bytes: ``int32`` for integer/bool, ``float32`` otherwise."""
        return _buffers.to_buffers(self._arrays())

    def shapes(self) -> dict[str, list[int]]:
        """The shape of every array, to read its buffer back (``np.frombuffer(...).reshape``)."""
        return _buffers.shapes(self._arrays())
