"""The base of every serving trace: a frozen record of read-only numpy arrays.

Serving traces have more than one axis (steps, requests, tokens), so unlike a
one-axis animation trace they do not insist that every array has the same
length. ``to_buffers()`` hands each array to the browser as little-endian
bytes: integer and boolean arrays as ``int32``, everything else as
``float32``; ``shapes()`` says how to read them back.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Demo(Record):
...     step_s: np.ndarray
>>> t = Demo(np.array([0.5, 0.25]))
>>> np.frombuffer(t.to_buffers()["step_s"], "<f4").tolist(), t.shapes()
([0.5, 0.25], {'step_s': [2]})
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from vizkit import _buffers

__all__ = ["Record"]


@dataclass(frozen=True)
class Record:
    """Frozen record of arrays; subclasses add the fields."""

    def __post_init__(self) -> None:
        for _, value in self._arrays():
            value.setflags(write=False)  # a trace records what happened: read-only

    def _arrays(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                yield f.name, value

    def to_buffers(self) -> dict[str, bytes]:
        """Every array as little-endian bytes: ``int32`` for integer/bool, ``float32`` otherwise."""
        return _buffers.to_buffers(self._arrays())

    def shapes(self) -> dict[str, list[int]]:
        """The shape of every array, to read its buffer back."""
        return _buffers.shapes(self._arrays())
