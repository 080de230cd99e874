"""Bad input to a Part 1 function raises ValueError naming the parameter."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from vizkit import nn
from vizkit.nn.autograd import Value

SPEC = nn.MLPSpec((2, 4, 2))
EMPTY = np.zeros((0, 2))

CASES = [
    ("name", lambda: nn.make_dataset("iris")),
    ("n_points", lambda: nn.make_dataset(n_points=1)),
    ("noise", lambda: nn.make_dataset(noise=-0.1)),
    ("factor", lambda: nn.make_dataset("circles", factor=1.5)),
    ("margin", lambda: nn.make_dataset("separable", margin=-1.0)),
    ("x", lambda: nn.Dataset(EMPTY, np.zeros(0, dtype=int))),                       # empty data set
    ("x", lambda: nn.Dataset(np.zeros((3, 3)), np.zeros(3, dtype=int))),
    ("y", lambda: nn.Dataset(np.zeros((3, 2)), np.array([0, 1]))),
    ("y", lambda: nn.Dataset(np.zeros((2, 2)), np.array([0, 2]))),
    ("val_fraction", lambda: nn.train_val_split(nn.make_dataset(n_points=10), 0.95)),
    ("val_fraction", lambda: nn.train_val_split(nn.make_dataset(n_points=2), 0.1)),
    ("learning_rate", lambda: nn.perceptron_trace(learning_rate=0.0)),
    ("data", lambda: nn.perceptron_trace("iris")),
    ("data", lambda: nn.perceptron_trace(np.zeros((4, 2)))),
    ("dataset", lambda: nn.train_trace("iris")),
    ("max_epochs", lambda: nn.perceptron_trace(max_epochs=0)),
    ("activation", lambda: nn.activate("swish2", [1.0])),
    ("x", lambda: nn.activate("relu", [])),
    ("names", lambda: nn.activation_trace(["relu", "mish"])),
    ("target", lambda: nn.universal_fit("square_wave")),
    ("width", lambda: nn.universal_fit(width=0)),
    ("widths", lambda: nn.width_sweep(widths=(4, 0))),
    ("target", lambda: nn.loss_gradients([[1.0, 2.0], [0.0, 1.0]], [0, 1, 1])),
    ("target", lambda: nn.loss_gradients([1.0, 2.0], [2])),
    ("logits", lambda: nn.loss_gradients(np.ones((2, 2, 2)), [0, 1])),
    ("n_classes", lambda: nn.loss_curve_trace(n_classes=1)),
    ("data", lambda: Value(math.nan)),
    ("exponent", lambda: Value(-2.0) ** 0.5),
    ("log", lambda: Value(0.0).log()),
    ("divisor", lambda: Value(1.0) / 0.0),
    ("example", lambda: nn.backprop_trace("attention")),
    ("inputs", lambda: nn.backprop_trace("neuron", z=1.0)),
    ("w1", lambda: nn.backprop_trace("neuron", w1=math.inf)),
    ("inputs", lambda: nn.graph_trace(lambda a: a, {})),
    ("layer_sizes", lambda: nn.MLPSpec((2,))),
    ("layer_sizes", lambda: nn.MLPSpec((2, 0, 2))),
    ("activation", lambda: nn.MLPSpec((2, 2), "softplus")),
    ("scheme", lambda: nn.init_params(SPEC, "orthogonal")),
    ("theta", lambda: nn.loss_and_grad(SPEC, np.zeros(3), np.zeros((1, 2)), [0])),
    ("x", lambda: nn.loss_and_grad(SPEC, np.zeros(SPEC.n_params), np.zeros((1, 3)), [0])),
    ("x", lambda: nn.loss_and_grad(SPEC, np.zeros(SPEC.n_params), EMPTY, [])),
    ("y", lambda: nn.loss_and_grad(SPEC, np.zeros(SPEC.n_params), np.zeros((2, 2)), [0])),
    ("learning_rate", lambda: nn.train_trace(learning_rate=-0.01)),
    ("weight_decay", lambda: nn.train_trace(weight_decay=-1.0)),
    ("batch_size", lambda: nn.train_trace(batch_size=1000)),
    ("batch_size", lambda: nn.train_trace(batch_size=0)),
    ("hidden", lambda: nn.train_trace(hidden=(16, 0))),
    ("optimizer", lambda: nn.train_trace(optimizer="lbfgs")),
    ("n_steps", lambda: nn.train_trace(n_steps=0)),
    ("dataset", lambda: nn.train_trace(dataset=42)),
    ("scenario", lambda: nn.train_scenario("underfit")),
    ("scheme", lambda: nn.signal_trace("glorot")),
    ("depth", lambda: nn.signal_trace(depth=0)),
    ("fan_in", lambda: nn.init_std("he", 0, 4)),
    ("seq_len", lambda: nn.sequence_trace(seq_len=0)),
    ("recurrent_gain", lambda: nn.sequence_trace(recurrent_gain=-1.0)),
    ("gain", lambda: nn.layer_norm([1.0, 2.0, 3.0], gain=[1.0, 1.0])),
    ("bias", lambda: nn.layer_norm([1.0, 2.0, 3.0], bias=[1.0])),
    ("eps", lambda: nn.rms_norm([1.0, 2.0], eps=0.0)),
    ("x", lambda: nn.rms_norm([])),
    ("kind", lambda: nn.norm_stages(kind="batch")),
    ("depth", lambda: nn.residual_trace(depth=0)),
    ("branch_gain", lambda: nn.residual_trace(branch_gain=0.0)),
]


@pytest.mark.parametrize("name,call", CASES, ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)])
def test_bad_input_names_the_parameter(name, call):
    with pytest.raises(ValueError) as info:
        call()
    assert re.search(rf"(^|\W){re.escape(name)}\W", str(info.value)), str(info.value)
