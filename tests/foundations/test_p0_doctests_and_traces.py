"""Every Part 0 docstring example runs, and every default trace encodes for the browser."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import vizkit.foundations as part0
from vizkit import foundations as F
from vizkit.foundations._trace import Trace

MODULES = sorted(m.name for m in pkgutil.iter_modules(part0.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"vizkit.foundations.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    if not name.startswith("_") or name == "_trace":
        assert result.attempted > 0, f"{name} has no runnable example"


DEFAULT_TRACES = {
    "sum": lambda: F.sum_trace([1.0, 2.0, 3.0], [0.5, -1.0, 2.0]),
    "unit_ball": lambda: F.unit_ball_trace(),
    "curve": lambda: F.curve_trace("sigmoid", param="w", param_values=[0.5, 1.0, 4.0]),
    "log_curve": lambda: F.curve_trace("log"),
    "rotation": lambda: F.rotation_trace(),
    "affine": lambda: F.affine_trace(),
    "gemm": lambda: F.gemm_trace(np.arange(12.0).reshape(4, 3), np.arange(15.0).reshape(3, 5)),
    "gemv": lambda: F.gemv_trace(np.ones((3, 4)), np.arange(4.0)),
    "secant": lambda: F.secant_trace(),
    "descent_1d": lambda: F.descent_trace(),
    "descent_2d": lambda: F.descent_trace("rosenbrock", learning_rate=1e-3, n_steps=100),
    "descent_diverging": lambda: F.descent_trace("quadratic", learning_rate=3.0, n_steps=50),
    "race": lambda: F.race_trace(),
    "race_rosenbrock_noisy": lambda: F.race_trace("rosenbrock", n_steps=100, gradient_noise=1.0),
    "temperature": lambda: F.temperature_trace(),
    "sampling": lambda: F.sampling_trace(),
}


@pytest.mark.parametrize("name", sorted(DEFAULT_TRACES))
def test_trace_buffers(name):
    check_trace(DEFAULT_TRACES[name]())


def check_trace(t: Trace) -> None:
    assert isinstance(t, Trace)
    assert len(t) == t.n_frames >= 1
    shapes = t.shapes()
    buffers = t.to_buffers()
    assert set(buffers) == set(shapes) and t.frame_arrays()
    for name in t.frame_arrays():
        assert shapes[name][0] == t.n_frames, name
    for name, raw in buffers.items():
        arr = getattr(t, name)
        assert isinstance(raw, bytes)
        assert len(raw) == 4 * arr.size, name
        kind = "<i4" if arr.dtype.kind in "iub" else "<f4"
        back = np.frombuffer(raw, kind).reshape(shapes[name])
        np.testing.assert_array_equal(back, arr.astype(kind))
        with pytest.raises(ValueError):            # a trace is read-only
            arr.flat[0] = 0 if arr.size else None


def test_trace_rejects_ragged_frames():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Ragged(Trace):
        a: np.ndarray
        b: np.ndarray

    with pytest.raises(AssertionError):
        Ragged(np.zeros(3), np.zeros(4))
