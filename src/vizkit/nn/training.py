r"""Training an MLP, one mini-batch per animation frame (P1.5).

Each step draws the next :math:`B` examples of a shuffled pass over the
training set (a new shuffle every epoch), computes the mean cross-entropy and
its gradient on that batch only, and lets the optimiser move the parameters.
After every step the whole training and validation sets are scored, so the
trace holds both curves; their gap is what overfitting looks like.

* A smaller batch gives a noisier gradient (the batch loss jitters) but more
  steps per epoch.
* Weight decay :math:`\lambda` pulls every weight towards 0 each step (L2 for
  SGD/momentum, decoupled AdamW for Adam), trading training fit for a
  smoother boundary.

The decision boundary — :math:`P(\text{class } 1)` on a grid over the data —
is saved every ``boundary_every`` steps.

>>> t = train_trace(n_steps=5)
>>> len(t), t.train_loss.shape
(6, (6,))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import nonneg_float, nonneg_int, one_of, positive_float, positive_int
from vizkit.foundations._checks import int_tuple
from vizkit.foundations._trace import Trace
from vizkit.foundations.optimizers import make_optimizer
from vizkit.nn.activations import ACTIVATIONS
from vizkit.nn.datasets import DATASETS, Dataset, make_dataset, train_val_split
from vizkit.nn.initialization import INIT_SCHEMES
from vizkit.nn.losses import softmax_rows
from vizkit.nn.mlp import MLPSpec, _forward, init_params, loss_and_grad_unchecked

__all__ = ["TrainingTrace", "train_trace", "SCENARIOS", "train_scenario"]

#: Preset arguments for the chapter's switches. ``overfit``: 28 noisy training points and
#: a wide net, so the validation loss bottoms out early and then climbs; ``overfit_decay``:
#: the same with weight decay, which keeps the validation loss down.
SCENARIOS: dict[str, dict] = {
    "learn": {},
    "overfit": {"n_points": 40, "noise": 0.35, "hidden": (32, 32), "batch_size": 8, "n_steps": 300},
    "overfit_decay": {"n_points": 40, "noise": 0.35, "hidden": (32, 32), "batch_size": 8, "n_steps": 300,
                      "weight_decay": 1.0},
}


@dataclass(frozen=True)
class TrainingTrace(Trace):
    """Frame 0 is the initial network; frame t follows the t-th mini-batch step."""

    STATIC = ("x_train", "y_train", "x_val", "y_val", "grid_x", "grid_y", "boundary_step",
              "boundary_prob", "final_params")
    x_train: np.ndarray        # (n_train, 2)
    y_train: np.ndarray        # (n_train,) int32
    x_val: np.ndarray          # (n_val, 2)
    y_val: np.ndarray          # (n_val,) int32
    grid_x: np.ndarray         # (G,) boundary grid
    grid_y: np.ndarray         # (G,)
    boundary_step: np.ndarray  # (S,) int32: the step each snapshot was taken after
    boundary_prob: np.ndarray  # (S, G, G): P(class 1) at (grid_x[j], grid_y[i]) is [s, i, j]
    final_params: np.ndarray   # (P,) the trained flat parameter vector
    step: np.ndarray           # (F,) int32
    epoch: np.ndarray          # (F,) examples seen / n_train
    batch_loss: np.ndarray     # (F,) loss on the batch just used (NaN at frame 0)
    train_loss: np.ndarray     # (F,) mean cross-entropy on the whole training set
    val_loss: np.ndarray       # (F,)
    train_acc: np.ndarray      # (F,)
    val_acc: np.ndarray        # (F,)
    gap: np.ndarray            # (F,) val_loss - train_loss
    grad_norm: np.ndarray      # (F,) ‖batch gradient‖ (NaN at frame 0)
    weight_norm: np.ndarray    # (F,) ‖θ‖
    layer_sizes: tuple[int, ...] = ()
    n_params: int = 0


def _scores(spec, theta, x, y):
    z = _forward(spec, theta, x)[0]
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(y)), y], z.argmax(axis=1) == y


def train_trace(dataset: Dataset | str = "two_moons", *, n_points: int = 200, noise: float = 0.1,
                val_fraction: float = 0.3, hidden=(16, 16), activation: str = "relu", init: str = "he",
                optimizer: str = "adam", learning_rate: float = 0.01, batch_size: int = 32,
                weight_decay: float = 0.0, n_steps: int = 200, boundary_every: int = 10,
                grid_points: int = 24, seed: int = 0) -> TrainingTrace:
    """Train a ``2 → hidden… → 2`` MLP on a 2-D data set for ``n_steps`` mini-batch steps.

    ``dataset`` is a :class:`~vizkit.nn.datasets.Dataset` (split with ``val_fraction``)
    or a name for :func:`~vizkit.nn.datasets.make_dataset` with ``n_points``, ``noise``
    and ``seed``. The same ``seed`` drives the split, the initial weights and the batches.

    Raises ``ValueError`` for a learning rate <= 0, a negative weight decay, a batch
    larger than the training set, an empty ``hidden`` entry or any unknown name.
    """
    seed = nonneg_int("seed", seed)
    if isinstance(dataset, str):
        dataset = make_dataset(one_of("dataset", dataset, DATASETS), n_points=n_points, noise=noise, seed=seed)
    if not isinstance(dataset, Dataset):
        raise ValueError(f"dataset must be a Dataset or one of {', '.join(DATASETS)}; got {dataset!r}")
    data = dataset
    train, val = train_val_split(data, val_fraction, seed)
    hidden = int_tuple("hidden", hidden, minimum=1, maximum=1024, allow_empty=True)
    spec = MLPSpec((2, *hidden, data.n_classes), one_of("activation", activation, ACTIVATIONS))
    opt = make_optimizer(optimizer, learning_rate=positive_float("learning_rate", learning_rate),
                         weight_decay=nonneg_float("weight_decay", weight_decay))
    n_train = len(train)
    B = positive_int("batch_size", batch_size)
    if B > n_train:
        raise ValueError(f"batch_size must be <= the {n_train} training points; got {B}")
    T = positive_int("n_steps", n_steps, maximum=100_000)
    every = positive_int("boundary_every", boundary_every, maximum=100_000)
    G = positive_int("grid_points", grid_points, maximum=256)
    rng = np.random.default_rng(seed)
    theta = init_params(spec, one_of("init", init, INIT_SCHEMES), seed)
    state = opt.init(theta)

    lo, hi = data.x.min(axis=0) - 0.5, data.x.max(axis=0) + 0.5
    gx, gy = np.linspace(lo[0], hi[0], G), np.linspace(lo[1], hi[1], G)
    grid = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)          # (G·G, 2), row i = gy[i]
    x_all = np.concatenate([train.x, val.x])                               # one forward pass scores both
    y_all = np.concatenate([train.y, val.y])

    F = T + 1
    rec = {k: np.full(F, np.nan) for k in ("batch_loss", "grad_norm", "weight_norm")}
    point_loss = np.empty((F, len(y_all)))                                 # per frame, per point
    point_hit = np.empty((F, len(y_all)), dtype=bool)
    snaps, snap_steps = [], []
    order, pos = rng.permutation(n_train), 0
    with np.errstate(over="ignore", invalid="ignore"):   # a too-large step shows as NaN, not a warning
        for t in range(F):
            if t:
                if pos + B > n_train:                                          # next epoch: reshuffle
                    order, pos = rng.permutation(n_train), 0
                idx = order[pos:pos + B]
                pos += B
                loss, grad = loss_and_grad_unchecked(spec, theta, train.x[idx], train.y[idx])
                theta, state = opt.step(theta, grad, state)
                rec["batch_loss"][t], rec["grad_norm"][t] = loss, np.sqrt(grad @ grad)
            point_loss[t], point_hit[t] = _scores(spec, theta, x_all, y_all)
            rec["weight_norm"][t] = np.sqrt(theta @ theta)
            if t % every == 0 or t == T:
                z = _forward(spec, theta, grid)[0]
                snaps.append(softmax_rows(z)[:, 1].reshape(G, G))
                snap_steps.append(t)
    steps = np.arange(F, dtype=np.int32)
    rec["train_loss"], rec["val_loss"] = point_loss[:, :n_train].mean(1), point_loss[:, n_train:].mean(1)
    rec["train_acc"], rec["val_acc"] = point_hit[:, :n_train].mean(1), point_hit[:, n_train:].mean(1)
    return TrainingTrace(x_train=train.x, y_train=train.y.astype(np.int32), x_val=val.x,
                         y_val=val.y.astype(np.int32), grid_x=gx, grid_y=gy,
                         boundary_step=np.array(snap_steps, dtype=np.int32), boundary_prob=np.stack(snaps),
                         final_params=theta, step=steps, epoch=steps * B / n_train,
                         gap=rec["val_loss"] - rec["train_loss"], layer_sizes=spec.layer_sizes,
                         n_params=spec.n_params, **rec)


def train_scenario(name: str = "learn", **overrides) -> TrainingTrace:
    """:func:`train_trace` with a preset from :data:`SCENARIOS`, optionally overridden.

    >>> t = train_scenario("overfit", n_steps=5)
    >>> len(t.x_train)
    28
    """
    preset = SCENARIOS[one_of("scenario", name, SCENARIOS)]
    return train_trace(**{**preset, **overrides})
