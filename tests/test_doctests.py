"""Every docstring example in vizkit runs and prints what it says (the examples are documentation)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import vizkit

MODULES = sorted(m.name for m in pkgutil.walk_packages(vizkit.__path__, "vizkit."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
