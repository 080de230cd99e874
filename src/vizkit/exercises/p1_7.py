r"""Exercises of chapter P1.7, "RNNs and the sequential bottleneck".

Each ``check_*`` computes its expected answer with :mod:`vizkit.nn.recurrence`
(:func:`~vizkit.nn.recurrence.sequence_trace`, which counts the steps and scores
it performs) and hands it to :func:`vizkit.exercises.check`.

The break-it exercise uses :func:`buggy_influence`: the influence
:math:`\lVert\partial h_T/\partial x_t\rVert` of every token on the last state
of an RNN whose code carries one deliberate bug from :data:`BUGS`. Each leaves
its own shape on the influence-per-token picture:

=============  =======================================  =========================================
bug            what the code does                       influence of token t on the last state
=============  =======================================  =========================================
reversed       reads the sequence last token first      largest for the first token, fading to
                                                        the last: the mirror image
no_recurrence  forgets W_h h_{t−1}: h_t = tanh(W_x x_t)  zero for every token but the last
big_gain       draws W_h with gain 3 instead of 0.9     does not fade: early tokens still count
=============  =======================================  =========================================

>>> check_weakest("last")  # doctest: +ELLIPSIS
✗ the token with the least influence on the RNN's last state: not yet — hint: ...
False
"""

from __future__ import annotations

from typing import Any

import numpy as np

from vizkit._validate import nonneg_int, one_of, positive_float, positive_int
from vizkit.nn.recurrence import rnn_forward, rnn_influence, sequence_trace

from . import Answer

__all__ = ["POSITIONS", "MODELS", "BUGS", "MYSTERIES", "MYSTERY_LEN", "weakest_position", "check_weakest",
           "sequential_steps", "check_sequential_steps", "causal_pairs", "check_causal_pairs",
           "buggy_influence", "correct_influence", "mystery_influence", "check_bug", "plot_influence"]

#: Where in the sequence: the choices of the predict-then-check exercise.
POSITIONS = ("first", "middle", "last")
#: The two ways to process a sequence.
MODELS = ("rnn", "attention")

#: The deliberate bugs :func:`buggy_influence` can plant in an RNN.
BUGS = {
    "reversed": "the loop reads the sequence backwards, last token first",
    "no_recurrence": "the recurrent term W_h h_{t-1} is missing: h_t = tanh(W_x x_t)",
    "big_gain": "W_h is drawn with gain 3 instead of 0.9",
}

#: The break-it exercise's suspects: which bug hides behind each mystery.
MYSTERIES = {"A": "reversed", "B": "no_recurrence"}
MYSTERY_LEN = 24


# --- predict, then check -------------------------------------------------------------------------

def weakest_position(seq_len: int = 32, recurrent_gain: float = 0.9) -> str:
    """``"first"``, ``"middle"`` or ``"last"``: the third of the sequence holding the token with the least
    influence on the RNN's last state.

    >>> weakest_position(32)
    'first'
    """
    t = sequence_trace(seq_len, 16, recurrent_gain=recurrent_gain)
    i = int(np.argmin(t.rnn_influence))
    T = t.seq_len
    return "first" if i < T / 3 else "last" if i >= 2 * T / 3 else "middle"


def check_weakest(answer: object, seq_len: int = 32) -> bool:
    """Predict-then-check: where is the token that influences the RNN's last state the least?"""
    return Answer("the token with the least influence on the RNN's last state", weakest_position(seq_len),
                  choices=POSITIONS,
                  hint="token t reaches h_T through T − t applications of the cell; each multiplies the "
                       "gradient by tanh's slope (at most 1) times W_h (gain 0.9)").check(answer)


# --- compute it ----------------------------------------------------------------------------------

def sequential_steps(seq_len: int, model: str = "rnn") -> int:
    """Dependent steps on the critical path, as counted by :func:`~vizkit.nn.recurrence.sequence_trace`.

    >>> sequential_steps(100), sequential_steps(100, "attention")
    (100, 1)
    """
    model = one_of("model", model, MODELS)
    t = sequence_trace(positive_int("seq_len", seq_len, maximum=4096), 2)
    return int(t.sequential_steps if model == "rnn" else t.parallel_steps)


def check_sequential_steps(answer: object, seq_len: int = 2048, model: str = "rnn") -> bool:
    """Compute-it: how many dependent steps does ``model`` need to process ``seq_len`` tokens?"""
    return Answer(f"dependent steps of the {model} for {seq_len:,} tokens", sequential_steps(seq_len, model),
                  hint="an RNN's step t needs h_{t-1}; attention's stages each handle every position at "
                       "once").check(answer)


def causal_pairs(seq_len: int) -> int:
    """Query–key scores a causal mask keeps for ``seq_len`` tokens, counted by the simulation.

    >>> causal_pairs(4)
    10
    """
    return int(sequence_trace(positive_int("seq_len", seq_len, maximum=4096), 2).causal_pairs)


def check_causal_pairs(answer: object, seq_len: int = 1024) -> bool:
    """Compute-it: how many query–key scores survive the causal mask for ``seq_len`` tokens?"""
    return Answer(f"causal query–key pairs for {seq_len:,} tokens", causal_pairs(seq_len),
                  hint="query i sees keys 1..i: add 1 + 2 + … + T").check(answer)


# --- break it ------------------------------------------------------------------------------------

def buggy_influence(bug: str, seq_len: int = MYSTERY_LEN, d_model: int = 16, seed: int = 0) -> np.ndarray:
    r"""Influence :math:`\lVert\partial h_T/\partial x_t\rVert` of token t (in reading order of the *input*) on
    the last state of an RNN with ``bug`` (a key of :data:`BUGS`, or ``"none"``)."""
    bug = one_of("bug", bug, (*BUGS, "none"))
    T = positive_int("seq_len", seq_len, maximum=4096)
    d = positive_int("d_model", d_model, maximum=512)
    rng = np.random.default_rng(nonneg_int("seed", seed))
    x = rng.standard_normal((T, d))
    gain = 3.0 if bug == "big_gain" else 0.9
    W_h = gain / np.sqrt(d) * rng.standard_normal((d, d))
    W_x = 1.0 / np.sqrt(d) * rng.standard_normal((d, d))
    if bug == "no_recurrence":
        W_h = np.zeros((d, d))
    if bug == "reversed":
        hidden, _ = rnn_forward(x[::-1], W_h, W_x)
        return rnn_influence(hidden, W_h, W_x)[::-1]
    hidden, _ = rnn_forward(x, W_h, W_x)
    return rnn_influence(hidden, W_h, W_x)


def correct_influence() -> np.ndarray:
    """The bug-free run the mysteries are compared with."""
    return buggy_influence("none")


def mystery_influence(which: str = "A") -> np.ndarray:
    """A break-it suspect: mystery ``which`` (a key of :data:`MYSTERIES`) hides one of :data:`BUGS`."""
    return buggy_influence(MYSTERIES[one_of("which", which, MYSTERIES)])


def check_bug(answer: object, which: str = "A") -> bool:
    """Break-it: name the bug behind mystery ``which`` (one of :data:`BUGS`)."""
    which = one_of("which", which, MYSTERIES)
    return Answer(f"the bug in mystery RNN {which}", MYSTERIES[which], choices=tuple(BUGS),
                  hint="which tokens still matter to the last state, and which have no influence at "
                       "all?").check(answer)


def plot_influence(good: np.ndarray, other: np.ndarray, labels: tuple[str, str] = ("correct", "mystery")) -> Any:
    """Influence per token of two runs on a log axis (zeros drawn at the bottom). Needs matplotlib."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 3.2), constrained_layout=True)
    floor = 1e-12
    for y, label, style in ((good, labels[0], "-o"), (other, labels[1], "--s")):
        ax.plot(np.arange(1, len(y) + 1), np.maximum(y, floor), style, lw=1.5, ms=3, label=label)
    ax.set_yscale("log")
    ax.set(xlabel="token t (reading order of the input)", ylabel="‖∂h_T/∂x_t‖ (floor 1e-12)",
           title="influence of each token on the last hidden state")
    ax.legend(frameon=False, fontsize=8)
    return fig
