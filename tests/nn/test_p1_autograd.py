"""P1.4: the scalar autograd engine against central finite differences on random expression graphs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from vizkit import nn
from vizkit.nn.autograd import Value
from vizkit.nn.backprop import OPS

# Each op maps operands (a, b) to a result using only + - * / ** and five functions, so the
# same program runs on Values (autograd) and on floats with the math module (the reference).
UNARY = ["tanh", "sigmoid", "relu", "exp_tanh", "log_sq1", "sqrt_sq1", "square", "cube", "neg"]
BINARY = ["add", "sub", "mul", "div_sq1", "rsub_const", "mul_const"]


def apply(op, a, b, lib):
    if op == "add":
        return a + b
    if op == "sub":
        return a - b
    if op == "mul":
        return a * b
    if op == "div_sq1":
        return a / (b * b + 1.0)                  # denominator >= 1
    if op == "rsub_const":
        return 0.5 - a * b
    if op == "mul_const":
        return 1.5 * a + b
    if op == "tanh":
        return lib.tanh(a)
    if op == "sigmoid":
        return lib.sigmoid(a)
    if op == "relu":
        return lib.relu(a)
    if op == "exp_tanh":
        return lib.exp(lib.tanh(a))               # bounded exponent
    if op == "log_sq1":
        return lib.log(a * a + 1.0)
    if op == "sqrt_sq1":
        return (a * a + 1.0) ** 0.5
    if op == "square":
        return a**2
    if op == "cube":
        return a**3
    return -a


class ValueLib:
    tanh = staticmethod(lambda v: v.tanh())
    sigmoid = staticmethod(lambda v: v.sigmoid())
    relu = staticmethod(lambda v: v.relu())
    exp = staticmethod(lambda v: v.exp())
    log = staticmethod(lambda v: v.log())


class FloatLib:
    tanh = staticmethod(math.tanh)
    sigmoid = staticmethod(lambda x: 1.0 / (1.0 + math.exp(-x)))
    relu = staticmethod(lambda x: max(x, 0.0))
    exp = staticmethod(math.exp)
    log = staticmethod(math.log)


def run(program, inputs, lib, kinks=None):
    nodes = list(inputs)
    for op, i, j in program:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        if kinks is not None and op == "relu":
            kinks.append(a)
        nodes.append(apply(op, a, b, lib))
    out = nodes[len(inputs):]
    total = out[0]
    for v in out[1:]:                              # every op reaches the output
        total = total + v
    return total, nodes


programs = st.lists(st.tuples(st.sampled_from(UNARY + BINARY), st.integers(0, 50), st.integers(0, 50)),
                    min_size=1, max_size=14)
inputs = st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(programs, inputs)
def test_autograd_matches_central_differences(program, xs):
    kinks = []
    ref, nodes = run(program, xs, FloatLib, kinks)
    assume(all(abs(k) > 1e-3 for k in kinks))                     # finite differences fail at a kink
    scale = max(abs(v) for v in nodes)
    assume(scale < 1e4)
    leaves = [Value(x) for x in xs]
    out, _ = run(program, leaves, ValueLib)
    out.backward()
    assert out.data == pytest.approx(ref, rel=1e-12, abs=1e-12)
    h = 1e-6
    for i, leaf in enumerate(leaves):
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        fd = (run(program, up, FloatLib)[0] - run(program, down, FloatLib)[0]) / (2 * h)
        assert leaf.grad == pytest.approx(fd, rel=1e-4, abs=1e-6 * (1.0 + scale)), (i, program)


def test_gradients_accumulate_for_shared_nodes():
    a = Value(3.0)
    out = a * a + a                                # d/da = 2a + 1
    out.backward()
    assert a.grad == 7.0
    out.backward()                                 # a second backward restarts from zero
    assert a.grad == 7.0


def test_micrograd_neuron_reference_values():
    # the values micrograd's README derives for tanh(x1 w1 + x2 w2 + b)
    t = nn.backprop_trace("neuron")
    assert t.output == pytest.approx(0.7071, abs=1e-4)
    assert t.input_grads == pytest.approx({"x1": -1.5, "x2": 0.5, "w1": 1.0, "w2": 0.0, "b": 0.5}, abs=1e-6)


@pytest.mark.parametrize("example", sorted(nn.EXAMPLES))
def test_backprop_trace_structure(example):
    t = nn.backprop_trace(example)
    N = t.node_value.size
    assert len(t) == 2 * N
    assert t.phase.tolist() == [0] * N + [1] * N
    assert sorted(t.active_node[:N]) == list(range(N)) and t.active_node[N] == N - 1
    assert (t.edge_src < t.edge_dst).all()                        # topological numbering
    for s, d in zip(t.edge_src, t.edge_dst):
        assert t.node_depth[d] > t.node_depth[s]
    assert t.node_grad[-1] == 1.0 and t.node_value[-1] == pytest.approx(t.output)
    assert t.max_fd_error < 1e-6
    named = ~np.isnan(t.fd_grad)
    np.testing.assert_allclose(t.node_grad[named], t.fd_grad[named], atol=1e-6)
    assert {OPS[i] for i in t.node_op[named]} == {"input"}
    assert {t.labels[i] for i in np.flatnonzero(named)} == set(t.input_grads)


def test_graph_trace_on_a_custom_expression():
    t = nn.graph_trace(lambda p, q: (p * q).exp() / (q + 2.0), {"p": 0.3, "q": -0.7})
    want_p = -0.7 * math.exp(0.3 * -0.7) / (-0.7 + 2.0)
    assert t.input_grads["p"] == pytest.approx(want_p)
    assert t.max_fd_error < 1e-6


def test_topological_order_handles_deep_graphs():
    x = Value(1.0)
    y = x
    for _ in range(5000):                          # deeper than Python's recursion limit
        y = y * 1.0001
    y.backward()
    assert x.grad == pytest.approx(1.0001**5000)
