"""Array checks for Parts 0 and 1, in the style of :mod:`vizkit._validate`.

Each raises ``ValueError`` naming the parameter, what was expected and what
arrived, so a widget can show the message as it is.

>>> vector("x", [1, 2, 3]).tolist()
[1.0, 2.0, 3.0]
>>> vector("x", [1, 2], length=3)
Traceback (most recent call last):
...
ValueError: x must have length 3; got shape (2,)
"""

from __future__ import annotations

from numbers import Integral

import numpy as np

__all__ = ["array", "vector", "matrix", "probability_vector", "class_labels", "int_tuple"]


def array(name: str, value: object, *, ndim: int | None = None) -> np.ndarray:
    """``value`` as a non-empty float64 array of finite numbers, optionally of ``ndim`` axes."""
    try:
        a = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers; got {value!r}") from None
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array; got shape {a.shape}")
    if a.size == 0:
        raise ValueError(f"{name} must not be empty; got shape {a.shape}")
    if not np.isfinite(a).all():
        raise ValueError(f"{name} must contain only finite numbers")
    return a


def vector(name: str, value: object, *, length: int | None = None) -> np.ndarray:
    """A 1-D float64 array, optionally of exactly ``length`` entries."""
    a = array(name, value, ndim=1)
    if length is not None and a.shape[0] != length:
        raise ValueError(f"{name} must have length {length}; got shape {a.shape}")
    return a


def matrix(name: str, value: object, *, shape: tuple[int | None, int | None] = (None, None)) -> np.ndarray:
    """A 2-D float64 array; ``shape`` entries that are not ``None`` must match."""
    a = array(name, value, ndim=2)
    for axis, want in enumerate(shape):
        if want is not None and a.shape[axis] != want:
            expected = "x".join("*" if s is None else str(s) for s in shape)
            raise ValueError(f"{name} must have shape {expected}; got shape {a.shape}")
    return a


def probability_vector(name: str, value: object, *, atol: float = 1e-6) -> np.ndarray:
    """A 1-D array of non-negative entries summing to 1 (within ``atol``)."""
    p = vector(name, value)
    if (p < 0).any():
        raise ValueError(f"{name} must have entries >= 0; got min {p.min():.4g}")
    total = p.sum()
    if abs(total - 1.0) > atol:
        raise ValueError(f"{name} must sum to 1; got sum {total:.6g}")
    return p


def class_labels(name: str, value: object, n_classes: int, length: int | None = None) -> np.ndarray:
    """A 1-D int64 array of labels in ``[0, n_classes - 1]``."""
    a = np.asarray(value)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of class labels; got shape {a.shape}")
    if a.dtype.kind not in "iu":
        if a.dtype.kind != "f" or not np.all(np.isfinite(a)) or not np.all(a == np.round(a)):
            raise ValueError(f"{name} must contain integer class labels")
    a = a.astype(np.int64)
    if a.min() < 0 or a.max() >= n_classes:
        raise ValueError(f"{name} must contain labels in [0, {n_classes - 1}]; "
                         f"got range [{a.min()}, {a.max()}]")
    if length is not None and a.shape[0] != length:
        raise ValueError(f"{name} must have length {length} (one label per row); got {a.shape[0]}")
    return a


def int_tuple(name: str, value: object, *, minimum: int = 1, maximum: int | None = None,
              allow_empty: bool = False) -> tuple[int, ...]:
    """A tuple of integers, each in ``[minimum, maximum]``."""
    try:
        items = tuple(value)  # type: ignore[arg-type]
    except TypeError:
        raise ValueError(f"{name} must be a sequence of integers; got {value!r}") from None
    if not items and not allow_empty:
        raise ValueError(f"{name} must not be empty")
    hi = "" if maximum is None else f" and <= {maximum}"
    for v in items:
        if not isinstance(v, Integral) or isinstance(v, bool) or v < minimum or (
                maximum is not None and v > maximum):
            raise ValueError(f"{name} must contain integers >= {minimum}{hi}; got {value!r}")
    return tuple(int(v) for v in items)
