"""Every serving docstring example runs."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import vizkit.serving as part9

MODULES = sorted(m.name for m in pkgutil.iter_modules(part9.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"vizkit.serving.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_the_package_example_runs():
    assert doctest.testmod(part9).failed == 0
    assert doctest.testmod(part9).attempted > 0
