r"""Backpropagation on a computation graph, traced for the widget (P1.4).

:func:`graph_trace` builds an expression with :class:`~vizkit.nn.autograd.Value`,
numbers its nodes in topological order (every node after its operands), runs
the backward pass, and checks every named input's gradient against a
central difference

.. math::

    \frac{\partial L}{\partial x} \approx \frac{L(x + h) - L(x - h)}{2h}

computed by re-evaluating the expression with plain numbers. The trace has
one frame per node going forward (its value appears) and one per node going
backward in reverse order (its gradient appears): :math:`2N` frames.

Built-in expressions (:data:`EXAMPLES`):

* ``neuron``: :math:`\tanh(x_1 w_1 + x_2 w_2 + b)`, micrograd's example;
* ``squared_error``: :math:`(w x + b - y)^2`, one step of linear regression;
* ``shared``: :math:`(a b + a)^2` — :math:`a` is used twice, so its gradient is a sum;
* ``logistic``: :math:`-\ln \sigma(w x + b)`, the cross-entropy of a logistic unit.

>>> t = backprop_trace("squared_error", w=2.0, x=3.0, b=1.0, y=4.0)   # (6 + 1 - 4)^2
>>> t.output, t.input_grads["w"], t.input_grads["b"]                   # 2·3·x, 2·3
(9.0, 18.0, 6.0)
>>> t.max_fd_error < 1e-6
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from vizkit._validate import one_of, positive_float
from vizkit.foundations._trace import Trace
from vizkit.nn.autograd import Value, topological_order

__all__ = ["OPS", "EXAMPLES", "GraphTrace", "graph_trace", "backprop_trace", "finite_difference_grads"]

OPS = ("input", "const", "+", "*", "**", "exp", "log", "tanh", "sigmoid", "relu")

EXAMPLES: dict[str, tuple[Callable[..., Value], dict[str, float]]] = {
    "neuron": (lambda x1, x2, w1, w2, b: (x1 * w1 + x2 * w2 + b).tanh(),
               {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}),
    "squared_error": (lambda w, x, b, y: (w * x + b - y) ** 2, {"w": 0.5, "x": 2.0, "b": 0.1, "y": 3.0}),
    "shared": (lambda a, b: (a * b + a) ** 2, {"a": 2.0, "b": -3.0}),
    "logistic": (lambda w, x, b: -((w * x + b).sigmoid().log()), {"w": 1.5, "x": -1.0, "b": 0.5}),
}


def _leaves(inputs: Mapping[str, float]) -> dict[str, Value]:
    return {k: Value(v, label=k) for k, v in inputs.items()}


def finite_difference_grads(fn: Callable[..., Value], inputs: Mapping[str, float],
                            h: float = 1e-6) -> dict[str, float]:
    """Central-difference :math:`\\partial L/\\partial x` for every named input of ``fn``."""
    h = positive_float("h", h)
    out = {}
    for name in inputs:
        up, down = dict(inputs), dict(inputs)
        up[name] += h
        down[name] -= h
        out[name] = (fn(**_leaves(up)).data - fn(**_leaves(down)).data) / (2.0 * h)
    return out


@dataclass(frozen=True)
class GraphTrace(Trace):
    """Static graph arrays (one entry per node or edge) plus 2N frames: forward, then backward."""

    STATIC = ("node_op", "node_value", "node_grad", "node_depth", "node_exponent", "edge_src",
              "edge_dst", "fd_grad")
    node_op: np.ndarray        # (N,) int32 index into OPS
    node_value: np.ndarray     # (N,) forward value
    node_grad: np.ndarray      # (N,) ∂output/∂node after the backward pass
    node_depth: np.ndarray     # (N,) int32: longest path from an input (inputs are 0)
    node_exponent: np.ndarray  # (N,) the constant k of a ** node, NaN elsewhere
    edge_src: np.ndarray       # (E,) int32: operand node ...
    edge_dst: np.ndarray       # (E,) int32: ... feeding this result node
    fd_grad: np.ndarray        # (N,) central-difference gradient for named inputs, NaN elsewhere
    phase: np.ndarray          # (F,) int32: 0 forward (value revealed), 1 backward (gradient revealed)
    active_node: np.ndarray    # (F,) int32: the node this frame reveals
    labels: tuple[str, ...] = ()   # per node: the input's name, or "" for an intermediate
    output: float = 0.0            # the expression's value
    input_grads: dict[str, float] = field(default_factory=dict)
    max_fd_error: float = 0.0      # largest |autograd - finite difference| over the named inputs


def graph_trace(fn: Callable[..., Value], inputs: Mapping[str, float], h: float = 1e-6) -> GraphTrace:
    """Trace forward and backward passes of ``fn(**inputs)`` (``fn`` works on :class:`Value`).

    Raises ``ValueError`` if ``inputs`` is empty, an input is not a finite number, or the
    expression is undefined there (a log of a non-positive number, division by zero).
    """
    if not inputs:
        raise ValueError("inputs must name at least one input")
    leaves = _leaves(inputs)
    try:
        out = fn(**leaves)
    except TypeError as exc:
        raise ValueError(f"inputs do not match the expression's parameters: {exc}") from None
    out.backward()
    order = topological_order(out)
    index = {id(n): i for i, n in enumerate(order)}
    N = len(order)
    depth = np.zeros(N, dtype=np.int32)
    src, dst = [], []
    for i, node in enumerate(order):
        for child in node._prev:
            src.append(index[id(child)])
            dst.append(i)
            depth[i] = max(depth[i], depth[index[id(child)]] + 1)
    leaf_ids = {id(v) for v in leaves.values()}
    ops = [OPS.index(n.op) if n.op else (0 if id(n) in leaf_ids else 1) for n in order]
    fd = finite_difference_grads(fn, inputs, h)
    fd_arr = np.full(N, np.nan)
    for name, v in leaves.items():
        if id(v) in index:
            fd_arr[index[id(v)]] = fd[name]
    grads = {k: v.grad for k, v in leaves.items()}
    err = max(abs(grads[k] - fd[k]) for k in grads)
    return GraphTrace(
        node_op=np.array(ops, dtype=np.int32), node_value=np.array([n.data for n in order]),
        node_grad=np.array([n.grad for n in order]), node_depth=depth,
        node_exponent=np.array([np.nan if n.exponent is None else n.exponent for n in order]),
        edge_src=np.array(src, dtype=np.int32), edge_dst=np.array(dst, dtype=np.int32), fd_grad=fd_arr,
        phase=np.repeat(np.array([0, 1], dtype=np.int32), N),
        active_node=np.concatenate([np.arange(N), np.arange(N)[::-1]]).astype(np.int32),
        labels=tuple(n.label for n in order), output=out.data, input_grads=grads, max_fd_error=float(err))


def backprop_trace(example: str = "neuron", **inputs: float) -> GraphTrace:
    """Trace a built-in expression; ``inputs`` override its default input values.

    Raises ``ValueError`` for an unknown example or input name.
    """
    example = one_of("example", example, EXAMPLES)
    fn, defaults = EXAMPLES[example]
    unknown = set(inputs) - set(defaults)
    if unknown:
        raise ValueError(f"inputs must be among {', '.join(defaults)} for {example!r}; got {sorted(unknown)}")
    values = {**defaults, **inputs}
    for k, v in values.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ValueError(f"{k} must be a finite number; got {v!r}")
    return graph_trace(fn, values)
