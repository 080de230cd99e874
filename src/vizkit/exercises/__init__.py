"""Exercise checking: a reader's answer against a value vizkit computes.

Every chapter's exercises call a ``check_*`` function from the chapter's module
(``vizkit.exercises.p7_4``). Each computes the expected answer with vizkit (never
a typed constant), prints a verdict with a hint, and returns ``True`` or ``False``
so a notebook can also assert on it.

>>> check_number("demo", 101.0, expected=100.0, rel_tol=0.05, hint="...")
✓ demo: right (101, expected 100 within 5%)
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Real

__all__ = ["check_number", "check_integer", "check_choice"]


def _fmt(x: float) -> str:
    return f"{x:.4g}" if abs(x) < 1e6 else f"{x:.4e}"


def _verdict(name: str, ok: bool, detail: str, hint: str) -> bool:
    if ok:
        print(f"✓ {name}: right ({detail})")
    else:
        print(f"✗ {name}: not yet. Hint: {hint}")
    return ok


def check_number(name: str, answer: object, *, expected: float, rel_tol: float, hint: str) -> bool:
    """Right when ``|answer - expected| <= rel_tol * |expected|``."""
    if not isinstance(answer, Real) or isinstance(answer, bool) or not math.isfinite(answer):
        raise ValueError(f"answer must be a finite number; got {answer!r}")
    if not 0 < rel_tol < 1:
        raise ValueError(f"rel_tol must be a number in (0, 1); got {rel_tol!r}")
    ok = abs(float(answer) - expected) <= rel_tol * abs(expected)
    detail = f"{_fmt(float(answer))}, expected {_fmt(expected)} within {rel_tol:.0%}"
    return _verdict(name, ok, detail, hint)


def check_integer(name: str, answer: object, *, expected: int, hint: str) -> bool:
    """Right when ``answer == expected`` exactly."""
    if not isinstance(answer, int) or isinstance(answer, bool):
        raise ValueError(f"answer must be an integer; got {answer!r}")
    return _verdict(name, answer == expected, f"{answer}", hint)


def check_choice(name: str, answer: object, *, expected: str, choices: Iterable[str], hint: str) -> bool:
    """Right when ``answer`` (one of ``choices``, case-insensitive) equals ``expected``."""
    options = [c.lower() for c in choices]
    if not isinstance(answer, str) or answer.strip().lower() not in options:
        raise ValueError(f"answer must be one of {', '.join(options)}; got {answer!r}")
    return _verdict(name, answer.strip().lower() == expected.lower(), answer.strip().lower(), hint)
