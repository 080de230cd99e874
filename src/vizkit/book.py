"""Name a computed value so the book's prose can quote it.

In the built book, :func:`glue` hands the value to myst-nb, and the prose
quotes it with ``{glue:text}`name:.1f```; the number is therefore computed,
never typed. Where myst-nb is absent (JupyterLite, Binder) it does nothing
but return the value, so the same notebook runs everywhere.

>>> glue("answer", 42)
42
"""

from __future__ import annotations

from typing import TypeVar

__all__ = ["glue"]

T = TypeVar("T")


def glue(name: str, value: T) -> T:
    """Register ``value`` under ``name`` for the prose (no output in the cell); return it."""
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name must be a Python identifier; got {name!r}")
    if getattr(value, "shape", None) == () and hasattr(value, "item"):
        value = value.item()  # a numpy scalar would be quoted as "np.float64(...)"
    try:
        from myst_nb import glue as _myst_glue
    except ImportError:  # not building the book: nothing to register
        return value
    _myst_glue(name, value, display=False)
    return value
