r"""P1.4 widget: a computation graph, values flowing forward, then gradients flowing backward.

Each *scenario* is one built-in expression of :data:`vizkit.nn.backprop.EXAMPLES`
traced by :func:`~vizkit.nn.backprop.backprop_trace`, either with the correct
backward pass or with one deliberate bug of :data:`~vizkit.nn.backprop.BUGS`
planted in it. Every combination is simulated up front, so the browser switches
example and bug with no kernel. One frame reveals one node: its value on the
way forward, its gradient on the way back. Every node's gradient is checked
against a central difference (nudge the node, re-run what follows it), so a
planted bug shows as a red node where the disagreement starts.

The trait ``inputs`` overrides input values of the current example and re-runs
the simulation in Python.

>>> w = BackpropWidget()
>>> w
BackpropWidget(example='tiny_mlp', bug='none', inputs={})
>>> len(w.scenarios), w.n_frames
(20, 30)
>>> w.inputs = {"z": 1.0}          # bad input: reported, not raised
>>> w.error
"inputs must be among w1, x, b1, w2, b2, y for 'tiny_mlp'; got ['z']"
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from vizkit._buffers import to_buffers
from vizkit._validate import one_of
from vizkit.nn.backprop import BUGS, EXAMPLES, OPS, GraphTrace, backprop_trace

from .base import VizWidget

__all__ = ["BackpropWidget", "BUG_CHOICES", "EXAMPLE_LABELS", "LEAVES_OUT", "backprop_scenario"]

#: The backward passes offered: the correct one, then each planted bug.
BUG_CHOICES = ("none", *BUGS)

#: Menu labels of the built-in expressions.
EXAMPLE_LABELS = {
    "tiny_mlp": "One hidden unit: (w₂·tanh(w₁x + b₁) + b₂ − y)²",
    "neuron": "Neuron: tanh(x₁w₁ + x₂w₂ + b)",
    "squared_error": "Linear fit: (wx + b − y)²",
    "shared": "Shared input: (ab + a)²",
    "logistic": "Logistic loss: −ln σ(wx + b)",
}

BUG_LABELS = {"none": "Correct backward pass", "sign": "Bug: sign error in the product rule",
              "overwrite": "Bug: = instead of +=", "no_chain": "Bug: chain-rule factor ō dropped"}

LEAVES_OUT = (
    "Every value is one scalar and every node one elementary operation; real frameworks run the same "
    "reverse pass on tensors, with one node per matrix multiply or activation, and keep the forward "
    "values in memory until the backward pass has used them. The finite-difference check uses a step "
    "h = 1e-6 in double precision; gradients are only computed, never used to update anything here."
)


def backprop_scenario(example: str, bug: str, inputs: dict[str, float] | None = None) -> dict[str, Any]:
    """One scenario dict for the browser: the traced graph, arrays as binary buffers."""
    bug = one_of("bug", bug, BUG_CHOICES)
    t: GraphTrace = backprop_trace(example, None if bug == "none" else bug, **(inputs or {}))
    names = [OPS[i] for i in t.node_op]
    bad = ~np.isclose(t.node_grad, t.node_fd, rtol=1e-4, atol=1e-6) & ~np.isnan(t.node_fd)
    return {
        "key": f"{example}|{bug}", "example": example, "bug": bug,
        "label": f"{EXAMPLE_LABELS[example]}; {BUG_LABELS[bug]}",
        "ops": names, "labels": list(t.labels), "n_nodes": int(t.node_op.size), "n_frames": int(t.n_frames),
        "output": float(t.output), "max_fd_error": float(t.max_fd_error), "first_bad": int(t.first_bad),
        **to_buffers([("value", t.node_value), ("grad", t.node_grad), ("fd", np.nan_to_num(t.node_fd, nan=np.inf)),
                      ("depth", t.node_depth), ("exponent", np.nan_to_num(t.node_exponent)),
                      ("src", t.edge_src), ("dst", t.edge_dst), ("phase", t.phase), ("active", t.active_node),
                      ("bad", bad)]),
    }


class BackpropWidget(VizWidget):
    """A computation graph animated forward then backward, every gradient checked by finite differences.

    Parameters
    ----------
    example : the expression shown first, a key of :data:`~vizkit.nn.backprop.EXAMPLES`.
    bug : ``"none"`` or a key of :data:`~vizkit.nn.backprop.BUGS`, the backward pass shown first.
    inputs : input values of ``example`` to override (re-simulated in Python).
    """

    _bundle = "backprop"
    _sim_params = ("inputs",)
    _repr_params = ("example", "bug", "inputs")

    example = traitlets.Unicode("tiny_mlp").tag(sync=True)
    bug = traitlets.Unicode("none").tag(sync=True)
    inputs = traitlets.Dict().tag(sync=True)
    scenarios = traitlets.List().tag(sync=True)

    def __init__(self, example="tiny_mlp", bug="none", inputs=None, **kwargs: Any) -> None:
        example = one_of("example", example, EXAMPLES)
        bug = one_of("bug", bug, BUG_CHOICES)
        if inputs is not None and not isinstance(inputs, dict):
            raise ValueError(f"inputs must be a dict of input name -> number; got {inputs!r}")
        super().__init__(example=example, bug=bug, inputs=dict(inputs or {}), description=LEAVES_OUT, **kwargs)
        self._apply(self._simulate())           # bad constructor arguments raise ValueError here
        self._last = {"example": example, "bug": bug}
        self.observe(self._on_choice, names=["example", "bug"])

    @property
    def n_frames(self) -> int:
        s = next(s for s in self.scenarios if s["key"] == f"{self.example}|{self.bug}")
        return s["n_frames"]

    def _simulate(self) -> list[dict[str, Any]]:
        out = []
        for ex in EXAMPLE_LABELS:
            over = self.inputs if ex == self.example else None
            out.extend(backprop_scenario(ex, b, over) for b in BUG_CHOICES)
        return out

    def _apply(self, result: list[dict[str, Any]]) -> None:
        self.scenarios = result

    def _on_choice(self, change: dict) -> None:
        name = change["name"]
        allowed = EXAMPLES if name == "example" else BUG_CHOICES
        try:
            one_of(name, change["new"], allowed)
        except ValueError as exc:
            setattr(self, name, self._last[name])
            self.error = str(exc)
            return
        self._last[name] = change["new"]
        if name == "example" and self.inputs:
            self.inputs = {}                    # the overrides belonged to the previous example
        self.frame = min(self.frame, self.n_frames - 1)
        if self.error.startswith(f"{name} "):
            self.error = ""

    def trace(self) -> GraphTrace:
        """The :class:`~vizkit.nn.backprop.GraphTrace` behind the scenario on screen."""
        return backprop_trace(self.example, None if self.bug == "none" else self.bug, **self.inputs)
