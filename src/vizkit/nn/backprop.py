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
* ``logistic``: :math:`-\ln \sigma(w x + b)`, the cross-entropy of a logistic unit;
* ``tiny_mlp``: :math:`(w_2 \tanh(w_1 x + b_1) + b_2 - y)^2`, one hidden unit and its squared error.

The backward pass can also be re-run on the traced graph by :func:`traced_backward`
with a deliberate bug (:data:`BUGS`) planted in its local rules, and
:func:`traced_node_fd` checks *every* node's gradient (not just the inputs') by
nudging that node's value and re-evaluating everything downstream of it. The
first node, in backward order, whose gradient disagrees with that check is
where a bug enters (:attr:`GraphTrace.first_bad`).

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

__all__ = ["OPS", "EXAMPLES", "BUGS", "GraphTrace", "graph_trace", "backprop_trace", "finite_difference_grads",
           "traced_forward", "traced_backward", "traced_node_fd"]

OPS = ("input", "const", "+", "*", "**", "exp", "log", "tanh", "sigmoid", "relu")

EXAMPLES: dict[str, tuple[Callable[..., Value], dict[str, float]]] = {
    "neuron": (lambda x1, x2, w1, w2, b: (x1 * w1 + x2 * w2 + b).tanh(),
               {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}),
    "squared_error": (lambda w, x, b, y: (w * x + b - y) ** 2, {"w": 0.5, "x": 2.0, "b": 0.1, "y": 3.0}),
    "shared": (lambda a, b: (a * b + a) ** 2, {"a": 2.0, "b": -3.0}),
    "logistic": (lambda w, x, b: -((w * x + b).sigmoid().log()), {"w": 1.5, "x": -1.0, "b": 0.5}),
    "tiny_mlp": (lambda w1, x, b1, w2, b2, y: (w2 * (w1 * x + b1).tanh() + b2 - y) ** 2,
                 {"w1": 0.8, "x": 1.5, "b1": -0.5, "w2": 1.2, "b2": 0.3, "y": -0.4}),
}

#: Deliberate mistakes :func:`traced_backward` can plant in the local backward rules.
BUGS = {
    "sign": "the product rule sends −b·ō instead of +b·ō to the first operand a of a·b",
    "overwrite": "every rule assigns (=) its share to an operand instead of adding (+=) it",
    "no_chain": "the rules of tanh, sigmoid, exp, log and ** forget the factor ō: ā += f′(a), not f′(a)·ō",
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
              "edge_dst", "fd_grad", "node_fd")
    node_op: np.ndarray        # (N,) int32 index into OPS
    node_value: np.ndarray     # (N,) forward value
    node_grad: np.ndarray      # (N,) ∂output/∂node after the backward pass
    node_depth: np.ndarray     # (N,) int32: longest path from an input (inputs are 0)
    node_exponent: np.ndarray  # (N,) the constant k of a ** node, NaN elsewhere
    edge_src: np.ndarray       # (E,) int32: operand node ...
    edge_dst: np.ndarray       # (E,) int32: ... feeding this result node
    fd_grad: np.ndarray        # (N,) central-difference gradient for named inputs, NaN elsewhere
    node_fd: np.ndarray        # (N,) central-difference ∂output/∂node for every node (constants: NaN)
    phase: np.ndarray          # (F,) int32: 0 forward (value revealed), 1 backward (gradient revealed)
    active_node: np.ndarray    # (F,) int32: the node this frame reveals
    labels: tuple[str, ...] = ()   # per node: the input's name, or "" for an intermediate
    output: float = 0.0            # the expression's value
    input_grads: dict[str, float] = field(default_factory=dict)
    max_fd_error: float = 0.0      # largest |autograd - finite difference| over the named inputs
    bug: str = ""                  # the bug planted in the backward pass ("" = none)
    first_bad: int = -1            # first node in backward order whose gradient disagrees with node_fd; -1 none


def graph_trace(fn: Callable[..., Value], inputs: Mapping[str, float], h: float = 1e-6,
                bug: str | None = None) -> GraphTrace:
    """Trace forward and backward passes of ``fn(**inputs)`` (``fn`` works on :class:`Value`).

    With ``bug`` (a key of :data:`BUGS`) the gradients come from :func:`traced_backward` with
    that bug planted; the finite-difference checks stay correct, so they expose it.

    Raises ``ValueError`` if ``inputs`` is empty, an input is not a finite number, the
    expression is undefined there (a log of a non-positive number, division by zero), or
    ``bug`` is not a key of :data:`BUGS`.
    """
    if bug is not None:
        bug = one_of("bug", bug, BUGS)
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
    op_arr = np.array(ops, dtype=np.int32)
    expo = np.array([np.nan if n.exponent is None else n.exponent for n in order])
    values = np.array([n.data for n in order])
    src_a, dst_a = np.array(src, dtype=np.int32), np.array(dst, dtype=np.int32)
    node_grad = np.array([n.grad for n in order])
    if bug is not None:
        node_grad = traced_backward(op_arr, expo, values, src_a, dst_a, bug)
    node_fd = traced_node_fd(op_arr, expo, values, src_a, dst_a, h)
    grads = {k: float(node_grad[index[id(v)]]) if id(v) in index else v.grad for k, v in leaves.items()}
    err = max(abs(grads[k] - fd[k]) for k in grads)
    bad = ~np.isclose(node_grad, node_fd, rtol=1e-4, atol=1e-6) & ~np.isnan(node_fd)
    first_bad = int(np.flatnonzero(bad)[-1]) if bad.any() else -1
    return GraphTrace(
        node_op=op_arr, node_value=values, node_grad=node_grad, node_depth=depth, node_exponent=expo,
        edge_src=src_a, edge_dst=dst_a, fd_grad=fd_arr, node_fd=node_fd,
        phase=np.repeat(np.array([0, 1], dtype=np.int32), N),
        active_node=np.concatenate([np.arange(N), np.arange(N)[::-1]]).astype(np.int32),
        labels=tuple(n.label for n in order), output=out.data, input_grads=grads, max_fd_error=float(err),
        bug=bug or "", first_bad=first_bad)


def _operands(N: int, edge_src: np.ndarray, edge_dst: np.ndarray) -> list[list[int]]:
    ops: list[list[int]] = [[] for _ in range(N)]
    for s, d in zip(edge_src.tolist(), edge_dst.tolist()):
        ops[d].append(s)
    return ops


def _apply(op: str, args: list[float], k: float) -> float:
    if op == "+":
        return args[0] + args[1]
    if op == "*":
        return args[0] * args[1]
    a = args[0]
    if op == "**":
        return a**k
    if op == "exp":
        return math.exp(min(a, 700.0))
    if op == "log":
        return math.log(a) if a > 0 else math.nan
    if op == "tanh":
        return math.tanh(a)
    if op == "sigmoid":
        return 1.0 / (1.0 + math.exp(-a)) if a >= 0 else math.exp(a) / (1.0 + math.exp(a))
    return max(a, 0.0)                                     # relu


def traced_forward(node_op, node_exponent, node_value, edge_src, edge_dst,
                   override: Mapping[int, float] | None = None) -> np.ndarray:
    """Re-evaluate a traced graph in topological order, holding node ``i`` at ``override[i]``.

    Inputs and constants keep their traced values unless overridden.

    >>> t = backprop_trace("shared")                      # (a b + a)^2 at a = 2, b = -3
    >>> float(traced_forward(t.node_op, t.node_exponent, t.node_value, t.edge_src, t.edge_dst)[-1])
    16.0
    """
    N = len(node_op)
    args_of = _operands(N, np.asarray(edge_src), np.asarray(edge_dst))
    override = dict(override or {})
    out = np.array(node_value, dtype=float)
    for i in range(N):
        if i in override:
            out[i] = override[i]
        elif OPS[node_op[i]] not in ("input", "const"):
            out[i] = _apply(OPS[node_op[i]], [out[j] for j in args_of[i]], node_exponent[i])
    return out


def traced_backward(node_op, node_exponent, node_value, edge_src, edge_dst, bug: str | None = None) -> np.ndarray:
    """∂output/∂node for every node of a traced graph, by the local rules in reverse topological order.

    ``bug`` (a key of :data:`BUGS`) plants one mistake; ``None`` gives the correct gradients,
    the same as :meth:`Value.backward <vizkit.nn.autograd.Value.backward>`.

    >>> t = backprop_trace("shared")                      # a is used twice: 2(ab + a)(b + 1) = 16
    >>> args = (t.node_op, t.node_exponent, t.node_value, t.edge_src, t.edge_dst)
    >>> float(traced_backward(*args)[0]), float(traced_backward(*args, bug="overwrite")[0])
    (16.0, 24.0)
    """
    if bug is not None:
        bug = one_of("bug", bug, BUGS)
    N = len(node_op)
    args_of = _operands(N, np.asarray(edge_src), np.asarray(edge_dst))
    v = np.asarray(node_value, dtype=float)
    g = np.zeros(N)
    g[N - 1] = 1.0
    for i in range(N - 1, -1, -1):
        op, args, og = OPS[node_op[i]], args_of[i], g[i]
        if op in ("input", "const"):
            continue
        if op == "+":
            shares = [og, og]
        elif op == "*":
            a, b = v[args[0]], v[args[1]]
            shares = [(-b if bug == "sign" else b) * og, a * og]
        else:
            a, o, k = v[args[0]], v[i], node_exponent[i]
            local = {"**": lambda: k * a ** (k - 1), "exp": lambda: o, "log": lambda: 1.0 / a,
                     "tanh": lambda: 1.0 - o * o, "sigmoid": lambda: o * (1.0 - o),
                     "relu": lambda: float(a > 0)}[op]()
            shares = [local if bug == "no_chain" and op != "relu" else local * og]
        for j, share in zip(args, shares):
            if bug == "overwrite":
                g[j] = share
            else:
                g[j] += share
    return g


def traced_node_fd(node_op, node_exponent, node_value, edge_src, edge_dst, h: float = 1e-6) -> np.ndarray:
    """Central-difference ∂output/∂node for every node (NaN for constants): nudge it, re-run what follows."""
    h = positive_float("h", h)
    N = len(node_op)
    out = np.full(N, np.nan)
    for i in range(N):
        if OPS[node_op[i]] == "const":
            continue
        base = float(node_value[i])
        up = traced_forward(node_op, node_exponent, node_value, edge_src, edge_dst, {i: base + h})[-1]
        dn = traced_forward(node_op, node_exponent, node_value, edge_src, edge_dst, {i: base - h})[-1]
        out[i] = (up - dn) / (2.0 * h)
    return out


def backprop_trace(example: str = "neuron", bug: str | None = None, **inputs: float) -> GraphTrace:
    """Trace a built-in expression; ``inputs`` override its default input values.

    ``bug`` (a key of :data:`BUGS`) plants a mistake in the backward pass.
    Raises ``ValueError`` for an unknown example, bug or input name.
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
    return graph_trace(fn, values, bug=bug)
