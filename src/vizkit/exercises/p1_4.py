r"""Exercises of chapter P1.4, "Backpropagation".

Each ``check_*`` computes its expected answer with :mod:`vizkit.nn.backprop`
(:func:`~vizkit.nn.backprop.backprop_trace`) and hands it to :func:`vizkit.exercises.check`.

The break-it exercise uses :func:`~vizkit.nn.backprop.traced_backward` with one
deliberate bug from :data:`~vizkit.nn.backprop.BUGS` planted in the backward
pass. Every node's gradient is checked against a finite difference, and each bug
leaves its own fingerprint:

=========  ===============================================================
bug        what the check shows
=========  ===============================================================
sign       the first operand of a product gets exactly minus the right value
overwrite  only a node used more than once is wrong: it kept one share only
no_chain   every node below a tanh/σ/exp/ln/** whose ō ≠ 1 is off by a factor
=========  ===============================================================

>>> check_bug("sign", which="B")  # doctest: +ELLIPSIS
✗ the bug behind mystery B: not yet — hint: ...
False
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vizkit._validate import one_of, positive_float, positive_int
from vizkit.nn.backprop import BUGS, OPS, GraphTrace, backprop_trace

from . import Answer

__all__ = ["BUGS", "MYSTERIES", "check_linear_grad", "shared_grad", "check_shared_grad", "fd_forward_passes",
           "check_fd_passes", "TRAIN_PARAMS", "train_losses", "mystery_trace", "fingerprint", "node_names", "plot_check", "check_bug"]

#: The break-it suspects: (expression, bug) behind each mystery.
MYSTERIES = {"A": ("tiny_mlp", "no_chain"), "B": ("shared", "overwrite"), "C": ("neuron", "sign")}


# --- compute it ----------------------------------------------------------------------------------

def check_linear_grad(answer: object, w: float = 0.5, x: float = 2.0, b: float = 0.1, y: float = 3.0) -> bool:
    """Compute-it: ∂L/∂w for L = (w x + b − y)² at these values."""
    t = backprop_trace("squared_error", w=w, x=x, b=b, y=y)
    return Answer("∂L/∂w", t.input_grads["w"], rel_tol=0.01,
                  hint="forward first: r = w x + b − y. Then walk back: ∂L/∂r = 2r, and ∂r/∂w = x, "
                       "so ∂L/∂w = 2r·x. Mind the sign of r.").check(answer)


def shared_grad(a: float = 2.0, b: float = -3.0) -> float:
    """∂L/∂a for L = (a b + a)², from the traced backward pass (two paths from a to L add up).

    >>> shared_grad(2.0, -3.0)
    16.0
    """
    return float(backprop_trace("shared", a=a, b=b).input_grads["a"])


def check_shared_grad(answer: object, a: float = 2.0, b: float = -3.0) -> bool:
    """Compute-it: ∂L/∂a for L = (a b + a)², where a is used twice."""
    return Answer("∂L/∂a", shared_grad(a, b), rel_tol=0.01,
                  hint="a reaches L along two paths: through the product a·b (local slope b) and directly "
                       "into the sum (local slope 1). Multiply each by ∂L/∂(ab + a) = 2(ab + a), then add "
                       "the two shares.").check(answer)


# --- predict, then check -------------------------------------------------------------------------

def fd_forward_passes(n_params: int) -> int:
    """Forward passes a central-difference gradient needs for ``n_params`` parameters: two per parameter.

    Backpropagation needs one forward and one backward pass, whatever ``n_params`` is.

    >>> fd_forward_passes(6)
    12
    """
    return 2 * positive_int("n_params", n_params, maximum=10**13)


def check_fd_passes(answer: object, n_params: int = 1_000_000) -> bool:
    """Predict-then-check: how many forward passes a finite-difference gradient of ``n_params`` parameters needs."""
    return Answer(f"forward passes for a finite-difference gradient of {n_params:,} parameters",
                  fd_forward_passes(n_params),
                  hint="a central difference (L(θ + h) − L(θ − h)) / 2h nudges one parameter at a time, "
                       "and needs two evaluations of the whole network per nudge").check(answer)


#: The parameters :func:`train_losses` updates in the ``tiny_mlp`` expression (x and y are data).
TRAIN_PARAMS = ("w1", "b1", "w2", "b2")


def train_losses(bug: str | None = None, learning_rate: float = 0.05, n_steps: int = 30) -> np.ndarray:
    """Loss per step of gradient descent on ``tiny_mlp``'s weights, with gradients from a (buggy) backward pass.

    >>> losses = train_losses()
    >>> bool(losses[-1] < losses[0])
    True
    """
    lr = positive_float("learning_rate", learning_rate)
    n = positive_int("n_steps", n_steps, maximum=10_000)
    values = _defaults()
    out = []
    for _ in range(n + 1):
        t = backprop_trace("tiny_mlp", bug, **values)
        out.append(t.output)
        for k in TRAIN_PARAMS:
            values[k] -= lr * t.input_grads[k]
    return np.array(out)


def _defaults() -> dict[str, float]:
    from vizkit.nn.backprop import EXAMPLES
    return dict(EXAMPLES["tiny_mlp"][1])


# --- break it ------------------------------------------------------------------------------------

def mystery_trace(which: str = "A") -> GraphTrace:
    """A break-it suspect: the traced graph of mystery ``which`` with its hidden bug in the backward pass."""
    example, bug = MYSTERIES[one_of("which", which, MYSTERIES)]
    return backprop_trace(example, bug)


def node_names(t: GraphTrace) -> list[str]:
    """Short names of a trace's nodes: input labels, constants' values, operation symbols."""
    sym = {"+": "+", "*": "×", "**": "^", "exp": "exp", "log": "ln", "tanh": "tanh", "sigmoid": "σ",
           "relu": "relu"}
    out = []
    for i, o in enumerate(t.node_op):
        op = OPS[o]
        if op == "input":
            out.append(t.labels[i])
        elif op == "const":
            out.append(f"{t.node_value[i]:g}")
        elif op == "**":
            out.append(f"^{t.node_exponent[i]:g}")
        else:
            out.append(sym[op])
    return out


def fingerprint(t: GraphTrace) -> dict[str, Any]:
    """What the finite-difference check shows: which nodes disagree, where it starts, and how.

    ``ratio`` is backprop ÷ finite difference at the first disagreeing node (−1 for a flipped sign).

    >>> fingerprint(mystery_trace("C"))["ratio"]
    -1.0
    """
    bad = ~np.isclose(t.node_grad, t.node_fd, rtol=1e-4, atol=1e-6) & ~np.isnan(t.node_fd)
    names = node_names(t)
    idx = np.flatnonzero(bad)
    first = int(idx[-1]) if idx.size else -1
    ratio = float(t.node_grad[first] / t.node_fd[first]) if first >= 0 and t.node_fd[first] != 0 else float("nan")
    return {"bad_nodes": [names[i] for i in idx[::-1]], "first_bad": names[first] if first >= 0 else "",
            "first_bad_index": first, "ratio": round(ratio, 6)}


def plot_check(which: str = "A") -> Any:
    """Backprop against finite difference for every node of mystery ``which``, output first. Needs matplotlib."""
    import matplotlib.pyplot as plt

    t = mystery_trace(which)
    names = node_names(t)
    keep = [i for i in range(len(names))[::-1] if not np.isnan(t.node_fd[i])]
    x = np.arange(len(keep))
    fig, ax = plt.subplots(figsize=(9, 3.2), constrained_layout=True)
    ax.bar(x - 0.2, t.node_grad[keep], 0.4, label="backprop")
    ax.bar(x + 0.2, t.node_fd[keep], 0.4, label="finite difference", fill=False, hatch="//")
    fp = fingerprint(t)
    for j, i in enumerate(keep):
        if names[i] in fp["bad_nodes"] and i <= fp["first_bad_index"]:
            ax.annotate("✗", (j, 0), ha="center", va="bottom", color="C3", fontsize=12,
                        xytext=(0, 4), textcoords="offset points")
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set_xticks(x, [names[i] for i in keep])
    ax.set(xlabel="node, in backward order (output first)", ylabel="∂L/∂node",
           title=f"mystery {which}: every node's gradient, backprop vs finite difference")
    ax.legend(frameon=False, fontsize=8)
    return fig


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug (a key of :data:`BUGS`) behind mystery ``which``."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug behind mystery {which}", MYSTERIES[which][1], choices=tuple(BUGS),
                  hint="find the first node (from the output back) where the two bars differ, then ask: "
                       "is the wrong value exactly minus the right one, is the node used twice, or is "
                       "it off by the upstream gradient ō?").check(answer)
