r"""The neuron and the perceptron learning rule (P1.1).

A neuron scores a point with :math:`w \cdot x + b` and predicts class 1 when
the score is positive; the boundary :math:`w \cdot x + b = 0` is a line. The
perceptron visits one example at a time, with sign :math:`s = \pm1` for
class 1 / class 0, and changes the weights only on a mistake
(:math:`s\,(w\cdot x + b) \le 0`):

.. math::

    w \leftarrow w + \eta\, s\, x, \qquad b \leftarrow b + \eta\, s

If some line separates the data with margin :math:`\gamma` (every point at
least :math:`\gamma` from it) and every :math:`\lVert (x, 1)\rVert \le R`,
the perceptron makes at most :math:`(R/\gamma')^2` mistakes, where
:math:`\gamma'` is that margin measured in the lifted space :math:`(x, 1)`
(Novikoff, 1962) — whatever the order of the examples. On data that no line
separates it never settles.

>>> from vizkit.nn.datasets import make_dataset
>>> t = perceptron_trace(make_dataset("separable", 40, seed=1))
>>> float(t.accuracy[-1]), t.converged_epoch >= 1
(1.0, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import nonneg_int, one_of, positive_float, positive_int
from vizkit.foundations._trace import Trace
from vizkit.nn.datasets import DATASETS, Dataset, make_dataset

__all__ = ["PerceptronTrace", "perceptron_trace"]


@dataclass(frozen=True)
class PerceptronTrace(Trace):
    """Frame 0 is the starting line; frame f > 0 is the line after visiting one example."""

    STATIC = ("x", "y")
    x: np.ndarray            # (n, 2) the points
    y: np.ndarray            # (n,) int32 labels 0 / 1
    example: np.ndarray      # (F,) int32: index of the example visited (-1 at frame 0)
    epoch: np.ndarray        # (F,) int32: pass over the data, from 1 (0 at frame 0)
    mistake: np.ndarray      # (F,) int32: 1 if the example was misclassified and w, b moved
    w: np.ndarray            # (F, 2) weights after the visit
    b: np.ndarray            # (F,) bias after the visit
    accuracy: np.ndarray     # (F,) fraction of all points on the right side
    n_mistakes: np.ndarray   # (F,) int32: updates so far
    converged_epoch: int = -1  # first epoch with no mistake (training stops after it); -1 if never


def perceptron_trace(data: Dataset | str = "separable", learning_rate: float = 1.0, max_epochs: int = 20, *,
                     shuffle: bool = True, seed: int = 0, n_points: int = 40) -> PerceptronTrace:
    """Run the perceptron rule one example per frame, until an epoch passes without a mistake.

    ``data`` is a :class:`Dataset` or a name for :func:`make_dataset` (with ``n_points``
    and ``seed``). With ``shuffle`` each epoch visits the points in a new order drawn
    from ``seed``. Starts from :math:`w = 0, b = 0`.

    Raises ``ValueError`` for a learning rate <= 0 or ``max_epochs < 1``.
    """
    seed = nonneg_int("seed", seed)
    if isinstance(data, str):
        data = make_dataset(one_of("data", data, DATASETS), n_points=n_points, seed=seed)
    if not isinstance(data, Dataset):
        raise ValueError(f"data must be a Dataset or one of {', '.join(DATASETS)}; got {data!r}")
    lr = positive_float("learning_rate", learning_rate)
    epochs = positive_int("max_epochs", max_epochs, maximum=10_000)
    x, s = data.x, 2.0 * data.y - 1.0
    n = len(data)
    rng = np.random.default_rng(seed)

    w, b = np.zeros(2), 0.0
    ex, ep, miss, ws, bs = [-1], [0], [0], [w.copy()], [b]
    converged = -1
    for e in range(1, epochs + 1):
        errors = 0
        for i in (rng.permutation(n) if shuffle else range(n)):
            xi, si = x[i], s[i]
            wrong = si * (w[0] * xi[0] + w[1] * xi[1] + b) <= 0.0
            if wrong:
                w = w + lr * si * xi
                b = b + lr * si
                errors += 1
            ex.append(int(i)); ep.append(e); miss.append(int(wrong)); ws.append(w); bs.append(b)
        if errors == 0:
            converged = e
            break
    W, B = np.array(ws), np.array(bs)                                # (F, 2), (F,)
    correct = (s[None, :] * (W @ x.T + B[:, None])) > 0              # (F, n)
    mistakes = np.array(miss, dtype=np.int32)
    return PerceptronTrace(x=x, y=data.y.astype(np.int32), example=np.array(ex, dtype=np.int32),
                           epoch=np.array(ep, dtype=np.int32), mistake=mistakes, w=W, b=B,
                           accuracy=correct.mean(axis=1), n_mistakes=np.cumsum(mistakes).astype(np.int32),
                           converged_epoch=converged)
