r"""RNNs and the sequential bottleneck, beside attention (P1.7).

A recurrent cell folds the sequence into one state, token by token:

.. math::

    h_t = \tanh(W_h h_{t-1} + W_x x_t + b), \qquad h_0 = 0

Step :math:`t` needs :math:`h_{t-1}`, so :math:`T` tokens take :math:`T`
*sequential* steps however many processors there are, and token 1 reaches
:math:`h_T` only through :math:`T - 1` multiplications by
:math:`\mathrm{diag}(1 - h^2) W_h`: its influence
:math:`\lVert\partial h_T/\partial x_t\rVert` usually shrinks geometrically
with distance (vanishing gradients).

Causal self-attention computes every position at once:
:math:`O = \mathrm{softmax}(QK^\top/\sqrt d + M)\,V` with
:math:`Q, K, V = XW_q, XW_k, XW_v`. That is one step on the critical path, and
every token reaches every later one along a path of length 1 — paid for with
:math:`T^2` query–key scores (of which the causal mask keeps :math:`T(T+1)/2`).

The counts below come from the simulation itself: ``sequential_steps``
counts dependent cell applications, ``parallel_steps`` the dependent stages
of the attention computation, ``attention_scores`` the score entries computed.

>>> t = sequence_trace(seq_len=8)
>>> t.sequential_steps, t.parallel_steps, t.attention_scores, t.causal_pairs
(8, 1, 64, 36)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import nonneg_int, positive_float, positive_int
from vizkit.foundations._trace import Trace

__all__ = ["SequenceTrace", "sequence_trace", "rnn_forward", "rnn_influence", "causal_attention"]


def rnn_forward(x: np.ndarray, W_h: np.ndarray, W_x: np.ndarray) -> tuple[np.ndarray, int]:
    r"""Hidden states ``(T, d)`` of :math:`h_t = \tanh(W_h h_{t-1} + W_x x_t)` and the number of
    dependent steps taken (one per token)."""
    h = np.zeros(W_h.shape[0])
    hidden = np.empty((x.shape[0], W_h.shape[0]))
    steps = 0
    for t in range(x.shape[0]):
        h = np.tanh(W_h @ h + W_x @ x[t])            # needs the previous h: strictly one after another
        hidden[t] = h
        steps += 1
    return hidden, steps


def rnn_influence(hidden: np.ndarray, W_h: np.ndarray, W_x: np.ndarray) -> np.ndarray:
    r""":math:`\lVert\partial h_T/\partial x_t\rVert_F` for every t, from the chain
    :math:`(\prod_{s=t+1}^{T} D_s W_h)\,D_t W_x` with :math:`D_s = \mathrm{diag}(1 - h_s^2)`."""
    T = hidden.shape[0]
    out = np.empty(T)
    J = np.eye(W_h.shape[0])                          # ∂h_T/∂h_t, starting at t = T
    for t in range(T - 1, -1, -1):
        D = 1.0 - hidden[t] ** 2
        out[t] = np.linalg.norm((J * D) @ W_x)        # J · diag(D) · W_x
        J = (J * D) @ W_h
    return out


def causal_attention(x: np.ndarray, W_q: np.ndarray, W_k: np.ndarray, W_v: np.ndarray):
    """``(weights (T, T), output (T, d), dependent stages, scores computed, scores kept)`` of one causal head.

    Each stage (projections, scores, softmax, mixing) works on all positions at once,
    and no position waits for another's output: one step on the critical path.
    """
    T, d = x.shape[0], W_q.shape[1]
    q, k, v = x @ W_q, x @ W_k, x @ W_v                                  # (T, d) each
    scores = q @ k.T / np.sqrt(d)                                        # (T, T): all T² pairs
    keep = np.tril(np.ones((T, T), dtype=bool))                          # query i sees keys 0..i
    masked = np.where(keep, scores, -np.inf)
    w = np.exp(masked - masked.max(axis=1, keepdims=True))
    w /= w.sum(axis=1, keepdims=True)
    return w, w @ v, 1, int(scores.size), int(keep.sum())


@dataclass(frozen=True)
class SequenceTrace(Trace):
    """Frame t (1..T) is the RNN after reading token t; attention finished everything at frame 1."""

    STATIC = ("tokens", "attention_weights", "attention_output", "rnn_influence", "rnn_path_length",
              "attention_path_length")
    tokens: np.ndarray                 # (T, d) input embeddings x_t
    attention_weights: np.ndarray      # (T, T) causal softmax rows (row i: how query i mixes keys 0..i)
    attention_output: np.ndarray       # (T, d)
    rnn_influence: np.ndarray          # (T,) ‖∂h_T/∂x_t‖ (Frobenius)
    rnn_path_length: np.ndarray        # (T,) int32: cell applications from x_t to h_T, = T - t + 1
    attention_path_length: np.ndarray  # (T,) int32: always 1
    step: np.ndarray                   # (F = T,) int32: t
    rnn_hidden: np.ndarray             # (F, d) h_t
    rnn_hidden_norm: np.ndarray        # (F,) ‖h_t‖
    rnn_tokens_done: np.ndarray        # (F,) int32: tokens whose output exists after this frame
    attention_tokens_done: np.ndarray  # (F,) int32: T from the first frame on
    seq_len: int = 0
    sequential_steps: int = 0          # dependent RNN steps (critical path), counted
    parallel_steps: int = 0            # dependent attention stages, counted
    attention_scores: int = 0          # query–key scores computed: T²
    causal_pairs: int = 0              # scores the causal mask keeps: T(T+1)/2
    rnn_macs: int = 0                  # T · d · (d + d)
    attention_macs: int = 0            # 3 T d² projections + 2 T² d scores and mixing


def sequence_trace(seq_len: int = 16, d_model: int = 16, *, recurrent_gain: float = 0.9,
                   seed: int = 0) -> SequenceTrace:
    """Run an RNN and one causal attention layer over the same ``seq_len`` random tokens.

    ``recurrent_gain`` scales :math:`W_h` (entries :math:`\\sim \\mathcal N(0, g^2/d)`):
    below 1 the influence of early tokens fades, above 1 it can grow.

    Raises ``ValueError`` for ``seq_len`` outside ``[1, 4096]``, ``d_model`` outside
    ``[1, 512]`` or a gain <= 0.
    """
    T = positive_int("seq_len", seq_len, maximum=4096)
    d = positive_int("d_model", d_model, maximum=512)
    g = positive_float("recurrent_gain", recurrent_gain)
    rng = np.random.default_rng(nonneg_int("seed", seed))
    x = rng.standard_normal((T, d))                                      # (T, d)
    W_h = g / np.sqrt(d) * rng.standard_normal((d, d))
    W_x = 1.0 / np.sqrt(d) * rng.standard_normal((d, d))
    W_q, W_k, W_v = (1.0 / np.sqrt(d) * rng.standard_normal((d, d)) for _ in range(3))

    hidden, sequential = rnn_forward(x, W_h, W_x)
    influence = rnn_influence(hidden, W_h, W_x)
    w, out, parallel, n_scores, n_kept = causal_attention(x, W_q, W_k, W_v)

    steps = np.arange(1, T + 1, dtype=np.int32)
    return SequenceTrace(tokens=x, attention_weights=w, attention_output=out, rnn_influence=influence,
                         rnn_path_length=(T - np.arange(T)).astype(np.int32),
                         attention_path_length=np.ones(T, dtype=np.int32), step=steps, rnn_hidden=hidden,
                         rnn_hidden_norm=np.linalg.norm(hidden, axis=1), rnn_tokens_done=steps,
                         attention_tokens_done=np.full(T, T, dtype=np.int32), seq_len=T,
                         sequential_steps=sequential, parallel_steps=parallel,
                         attention_scores=n_scores, causal_pairs=n_kept,
                         rnn_macs=T * d * 2 * d, attention_macs=3 * T * d * d + 2 * T * T * d)
