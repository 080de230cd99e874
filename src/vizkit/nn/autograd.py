r"""A scalar reverse-mode autograd engine (P1.4), in the spirit of micrograd.

Every operation builds its output :class:`Value` and attaches a closure that,
given the output's gradient :math:`\bar o = \partial L/\partial o`, adds its
share to each input's gradient (the chain rule, one local derivative at a time):

========================= =====================================================
:math:`o = a + b`         :math:`\bar a \mathrel{+}= \bar o,\ \bar b \mathrel{+}= \bar o`
:math:`o = a\,b`          :math:`\bar a \mathrel{+}= b\,\bar o,\ \bar b \mathrel{+}= a\,\bar o`
:math:`o = a^k`           :math:`\bar a \mathrel{+}= k\,a^{k-1}\,\bar o` (constant :math:`k`)
:math:`o = e^a`           :math:`\bar a \mathrel{+}= o\,\bar o`
:math:`o = \ln a`         :math:`\bar a \mathrel{+}= \bar o / a`
:math:`o = \tanh a`       :math:`\bar a \mathrel{+}= (1 - o^2)\,\bar o`
:math:`o = \sigma(a)`     :math:`\bar a \mathrel{+}= o(1 - o)\,\bar o`
:math:`o = \max(0, a)`    :math:`\bar a \mathrel{+}= [a > 0]\,\bar o`
========================= =====================================================

Gradients *accumulate* (``+=``) because a value used twice receives a share
from each use. :meth:`Value.backward` visits the nodes in reverse
topological order, so each node's gradient is complete before it is passed on.
Subtraction and division are built from these (:math:`a - b = a + (-1)b`,
:math:`a / b = a\,b^{-1}`).

>>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
>>> loss = (a * b + a) ** 2          # ((2)(-3) + 2)^2 = 16
>>> loss.backward()
>>> loss.data, a.grad, b.grad        # dL/da = 2(ab + a)(b + 1), dL/db = 2(ab + a) a
(16.0, 16.0, -16.0)
"""

from __future__ import annotations

import math
from numbers import Real

__all__ = ["Value", "topological_order"]


def _real(name: str, x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, Real) or not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number; got {x!r}")
    return float(x)


class Value:
    """A scalar that remembers how it was computed, so gradients can flow back through it."""

    __slots__ = ("data", "grad", "_backward", "_prev", "op", "label", "exponent")

    def __init__(self, data: float, _children: tuple = (), op: str = "", label: str = ""):
        self.data = _real("data", data)
        self.grad = 0.0                       # ∂(output of the last backward)/∂(this value)
        self._backward = lambda: None
        self._prev = _children                # the operands, in order
        self.op = op                          # "" for a leaf (an input or a constant)
        self.label = label
        self.exponent = None                  # the constant k of a power node

    @staticmethod
    def _lift(other) -> "Value":
        return other if isinstance(other, Value) else Value(other)

    def __add__(self, other):
        other = self._lift(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = self._lift(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, k):
        k = _real("exponent", k)
        if self.data == 0 and k < 1 or self.data < 0 and not k.is_integer():
            raise ValueError(f"exponent {k} needs a positive base; got {self.data}")
        out = Value(self.data**k, (self,), "**")
        out.exponent = k

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(min(self.data, 700.0)), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log needs a positive input; got {self.data}")
        out = Value(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    def tanh(self):
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1.0 - out.data**2) * out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        x = self.data
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        out = Value(s, (self,), "sigmoid")

        def _backward():
            self.grad += out.data * (1.0 - out.data) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad
        out._backward = _backward
        return out

    def backward(self) -> None:
        """Set ``grad`` of every node in this value's graph to ∂self/∂node."""
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node._backward()

    # everything else is built from the operations above
    def __neg__(self):
        return self * -1.0

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-self._lift(other))

    def __rsub__(self, other):
        return self._lift(other) + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        other = self._lift(other)
        if other.data == 0:
            raise ValueError("divisor must be non-zero; got 0")
        return self * other**-1

    def __rtruediv__(self, other):
        return self._lift(other) / self

    def __repr__(self) -> str:
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:.6g}, grad={self.grad:.6g})"


def topological_order(root: Value) -> list[Value]:
    """Every node reachable from ``root``, each after all of its operands (iterative DFS).

    >>> x = Value(1.0)
    >>> [n.op for n in topological_order(x * x + x)]
    ['', '*', '+']
    """
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for child in reversed(node._prev):
            if id(child) not in seen:
                stack.append((child, False))
    return order
