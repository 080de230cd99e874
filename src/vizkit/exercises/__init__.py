"""Exercise checking: a reader's answer against a value vizkit computes.

A chapter's exercises live in one module per chapter (``vizkit.exercises.p7_4``).
Each of its ``check_*`` functions computes the expected answer with vizkit —
never a typed constant — and hands it to :func:`check`, which prints a verdict
(with a hint when the answer is not yet right) and returns ``True`` or
``False``, so a notebook or a test can also assert on it.

An :class:`Answer` records what counts as right:

* a **number** (``float``): right when :math:`|a - e| \\le \\text{rel\\_tol}\\,|e|`;
* a **whole number** (``int`` expected, ``rel_tol=None``): right only when equal;
  ``32.0`` counts as the whole number 32, ``32.5`` is refused;
* a **choice** (``str`` expected, with ``choices``): right when the same option,
  ignoring case and surrounding spaces.

An answer of the wrong kind (a string for a number, ``nan``, an option that is
not on the list) raises ``ValueError`` naming the parameter ``answer``: a typo
is not a wrong answer, and the reader should learn which it was.

>>> check("demo", 101.0, 100.0, rel_tol=0.05)
✓ demo: right (101, expected 100 within 5%)
True
>>> check("demo", 120, 100.0, rel_tol=0.05, hint="add the two terms")
✗ demo: not yet — hint: add the two terms
False
>>> check("which", "B", "b", choices=("a", "b"))
✓ which: right (b)
True
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from numbers import Integral, Real

__all__ = ["Answer", "check", "check_number", "check_integer", "check_choice"]

#: Relative tolerance of a numeric answer when none is given: 2 %.
DEFAULT_REL_TOL = 0.02

#: Verdicts wrap at this width, so they read in a book's narrow output column.
WIDTH = 72


def _is_real(x: object) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool)


def _fmt(x: float) -> str:
    return f"{x:.4g}" if abs(x) < 1e6 else f"{x:.4e}"


def _say(text: str) -> None:
    print(textwrap.fill(text, WIDTH, subsequent_indent="  ", break_on_hyphens=False))


@dataclass(frozen=True)
class Answer:
    """What a right answer to one exercise is.

    >>> Answer("KV GiB", expected=4.0, rel_tol=0.02).is_right(4.05)
    True
    """

    name: str                         # what the reader computed, shown in the verdict
    expected: float | int | str       # the right value, computed by vizkit
    rel_tol: float | None = None      # numbers: accepted relative error; None = exact (int) / default
    choices: tuple[str, ...] = ()     # choice answers: every allowed option
    hint: str = ""                    # shown when the answer is not yet right

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"name must be a non-empty string; got {self.name!r}")
        if not isinstance(self.hint, str):
            raise ValueError(f"hint must be a string; got {self.hint!r}")
        if isinstance(self.expected, str):
            options = tuple(str(c).strip().lower() for c in self.choices)
            if self.expected.strip().lower() not in options:
                raise ValueError(f"expected must be one of choices ({', '.join(options) or 'none given'}); "
                                 f"got {self.expected!r}")
            object.__setattr__(self, "choices", options)
        elif not _is_real(self.expected) or not math.isfinite(self.expected):
            raise ValueError(f"expected must be a finite number or a string; got {self.expected!r}")
        if self.rel_tol is not None and (not _is_real(self.rel_tol) or not 0 < self.rel_tol < 1):
            raise ValueError(f"rel_tol must be a number in (0, 1) or None; got {self.rel_tol!r}")

    @property
    def kind(self) -> str:
        """``"choice"``, ``"integer"`` or ``"number"``."""
        if isinstance(self.expected, str):
            return "choice"
        if isinstance(self.expected, Integral) and self.rel_tol is None:
            return "integer"
        return "number"

    def _parse(self, answer: object) -> float | int | str:
        """The reader's answer in the expected kind, or a ``ValueError`` naming ``answer``."""
        if self.kind == "choice":
            if not isinstance(answer, str) or answer.strip().lower() not in self.choices:
                raise ValueError(f"answer must be one of {', '.join(self.choices)}; got {answer!r}")
            return answer.strip().lower()
        if not _is_real(answer) or not math.isfinite(answer):
            what = "an integer" if self.kind == "integer" else "a finite number"
            raise ValueError(f"answer must be {what}; got {answer!r}")
        if self.kind == "integer":
            if float(answer) != math.floor(answer):
                raise ValueError(f"answer must be an integer; got {answer!r}")
            return int(answer)
        return float(answer)

    def is_right(self, answer: object) -> bool:
        """Whether ``answer`` is right, without printing anything."""
        a = self._parse(answer)
        if self.kind == "number":
            tol = DEFAULT_REL_TOL if self.rel_tol is None else self.rel_tol
            return abs(a - float(self.expected)) <= tol * abs(float(self.expected))
        if self.kind == "choice":
            return a == self.expected.strip().lower()
        return a == self.expected

    def check(self, answer: object) -> bool:
        """Print ``✓ name: right (…)`` or ``✗ name: not yet — hint: …``; return whether it is right."""
        ok = self.is_right(answer)
        if not ok:
            _say(f"✗ {self.name}: not yet — hint: {self.hint or 'check your units and re-read the question'}")
            return False
        a = self._parse(answer)
        if self.kind == "number":
            tol = DEFAULT_REL_TOL if self.rel_tol is None else self.rel_tol
            detail = f"{_fmt(a)}, expected {_fmt(float(self.expected))} within {tol:.0%}"
        else:
            detail = str(a)
        _say(f"✓ {self.name}: right ({detail})")
        return True


def check(name: str, answer: object, expected: float | int | str, *, rel_tol: float | None = None,
          choices: Iterable[str] = (), hint: str = "") -> bool:
    """Check ``answer`` against ``expected``; print the verdict and return ``True`` or ``False``.

    The kind of answer follows ``expected``: a ``str`` needs ``choices``; an ``int``
    with ``rel_tol=None`` must match exactly; anything else is a number within
    ``rel_tol`` (default 2 %).
    """
    return Answer(name, expected, rel_tol, tuple(choices), hint).check(answer)


def check_number(name: str, answer: object, *, expected: float, rel_tol: float = DEFAULT_REL_TOL,
                 hint: str = "") -> bool:
    """A number within ``rel_tol`` of ``expected``."""
    return check(name, answer, float(expected), rel_tol=rel_tol, hint=hint)


def check_integer(name: str, answer: object, *, expected: int, hint: str = "") -> bool:
    """A whole number equal to ``expected``."""
    if not isinstance(expected, Integral) or isinstance(expected, bool):
        raise ValueError(f"expected must be an integer; got {expected!r}")
    return check(name, answer, int(expected), hint=hint)


def check_choice(name: str, answer: object, *, expected: str, choices: Iterable[str], hint: str = "") -> bool:
    """One of ``choices`` (case-insensitive), equal to ``expected``."""
    return check(name, answer, expected, choices=choices, hint=hint)
