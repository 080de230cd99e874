"""Argument checks shared by every vizkit module.

Each check raises ``ValueError`` whose message names the parameter, the value
received and the allowed range, so a widget can show it verbatim in its
console line.

>>> positive_int("block_size", 16)
16
>>> positive_int("block_size", 0)
Traceback (most recent call last):
...
ValueError: block_size must be an integer >= 1; got 0
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real

__all__ = ["positive_int", "nonneg_int", "positive_float", "nonneg_float",
           "in_range", "one_of", "probability"]


def _is_int(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _is_real(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def positive_int(name: str, value: object, *, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` if it is an integer in ``[1, maximum]``."""
    hi = "" if maximum is None else f" and <= {maximum}"
    if not _is_int(value) or value < 1 or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be an integer >= 1{hi}; got {value!r}")
    return int(value)


def nonneg_int(name: str, value: object, *, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` if it is an integer in ``[0, maximum]``."""
    hi = "" if maximum is None else f" and <= {maximum}"
    if not _is_int(value) or value < 0 or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be an integer >= 0{hi}; got {value!r}")
    return int(value)


def positive_float(name: str, value: object) -> float:
    """Return ``value`` as a ``float`` if it is finite and > 0."""
    if not _is_real(value) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {value!r}")
    return float(value)


def nonneg_float(name: str, value: object) -> float:
    """Return ``value`` as a ``float`` if it is finite and >= 0."""
    if not _is_real(value) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {value!r}")
    return float(value)


def in_range(name: str, value: object, lo: float, hi: float) -> float:
    """Return ``value`` as a ``float`` if ``lo <= value <= hi``."""
    if not _is_real(value) or not math.isfinite(value) or not lo <= value <= hi:
        raise ValueError(f"{name} must be a number in [{lo}, {hi}]; got {value!r}")
    return float(value)


def probability(name: str, value: object) -> float:
    """Return ``value`` as a ``float`` if it lies in ``[0, 1]``."""
    return in_range(name, value, 0.0, 1.0)


def one_of(name: str, value: object, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices`` (case-sensitive)."""
    options = list(choices)
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(str, options))}; got {value!r}")
    return value  # type: ignore[return-value]
