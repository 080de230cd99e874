"""Every Part 1 docstring example runs, and every default trace encodes for the browser."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import vizkit.nn as part1
from vizkit import nn
from vizkit.foundations._trace import Trace

MODULES = sorted(m.name for m in pkgutil.iter_modules(part1.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"vizkit.nn.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0, f"{name} has no runnable example"


DEFAULT_TRACES = {
    "perceptron": lambda: nn.perceptron_trace(),
    "activations": lambda: nn.activation_trace(),
    "universal": lambda: nn.universal_fit(),
    "width_sweep": lambda: nn.width_sweep(),
    "loss_curve": lambda: nn.loss_curve_trace(),
    "backprop": lambda: nn.backprop_trace(),
    "training": lambda: nn.train_trace(n_steps=30),
    "signal": lambda: nn.signal_trace(depth=10),
    "signal_exploding": lambda: nn.signal_trace("large", "relu", depth=50),
    "sequence": lambda: nn.sequence_trace(),
    "norm_stages": lambda: nn.norm_stages(),
    "rms_stages": lambda: nn.norm_stages(kind="rms"),
    "residual": lambda: nn.residual_trace(depth=8),
}


@pytest.mark.parametrize("name", sorted(DEFAULT_TRACES))
def test_trace_buffers(name):
    t = DEFAULT_TRACES[name]()
    assert isinstance(t, Trace)
    assert len(t) == t.n_frames >= 1
    shapes = t.shapes()
    buffers = t.to_buffers()
    for key in t.frame_arrays():
        assert shapes[key][0] == t.n_frames, key
    for key, raw in buffers.items():
        arr = getattr(t, key)
        kind = "<i4" if arr.dtype.kind in "iub" else "<f4"
        assert len(raw) == 4 * arr.size
        np.testing.assert_array_equal(np.frombuffer(raw, kind).reshape(shapes[key]), arr.astype(kind))
        assert not arr.flags.writeable
