r"""Small 2-D classification data sets for Part 1, each reproducible from a seed.

============= ============================================================== ====================
name          how the two classes are made                                   needs
============= ============================================================== ====================
``separable`` uniform points in a square, labelled by a random line; points  a line (perceptron)
              closer than ``margin`` to the line are redrawn
``two_moons`` two interleaved half circles                                   a curved boundary
``circles``   a disc inside a ring (inner radius ``factor``)                 a closed boundary
``xor``       four clusters, opposite corners share a class                  two lines
``spirals``   two interleaved spiral arms                                    a deep / wide net
============= ============================================================== ====================

Gaussian ``noise`` (standard deviation, in the data's units) is added to every
point except in ``separable``, which would lose its guarantee. Classes are
balanced (the first class gets ``n_points // 2``).

>>> d = make_dataset("two_moons", n_points=10, seed=0)
>>> d.x.shape, d.y.tolist()
((10, 2), [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._validate import in_range, nonneg_float, nonneg_int, one_of, positive_int
from vizkit.foundations._checks import class_labels, matrix

__all__ = ["Dataset", "DATASETS", "make_dataset", "train_val_split"]

DATASETS = ("separable", "two_moons", "circles", "xor", "spirals")


@dataclass(frozen=True)
class Dataset:
    """Points and labels; ``x[i]`` has class ``y[i]``."""

    x: np.ndarray          # (n, 2) float64 coordinates
    y: np.ndarray          # (n,) int64 class labels in [0, n_classes)
    name: str = "custom"
    n_classes: int = 2
    true_w: np.ndarray | None = None   # separable only: the unit normal of the labelling line
    true_b: float = 0.0                # separable only: the line is true_w·x + true_b = 0
    margin: float = 0.0                # separable only: no point is closer to the line

    def __post_init__(self):
        x = matrix("x", self.x, shape=(None, 2))                      # a private copy
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", class_labels("y", self.y, self.n_classes, length=x.shape[0]))

    def __len__(self) -> int:
        return int(self.x.shape[0])

    def subset(self, index: np.ndarray) -> "Dataset":
        return Dataset(self.x[index], self.y[index], self.name, self.n_classes, self.true_w,
                       self.true_b, self.margin)


def _moons(n0, n1):
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n1)
    outer = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    inner = np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)
    return np.concatenate([outer, inner]) - np.array([0.5, 0.25])      # centred on the origin


def _circles(n0, n1, factor):
    t0 = np.linspace(0.0, 2.0 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0.0, 2.0 * np.pi, n1, endpoint=False)
    return np.concatenate([np.stack([np.cos(t0), np.sin(t0)], 1),
                           factor * np.stack([np.cos(t1), np.sin(t1)], 1)])


def _xor(n0, n1):
    corners0 = np.array([[1.0, 1.0], [-1.0, -1.0]])
    corners1 = np.array([[1.0, -1.0], [-1.0, 1.0]])
    return np.concatenate([corners0[np.arange(n0) % 2], corners1[np.arange(n1) % 2]])


def _spirals(n0, n1):
    def arm(n, phase):
        r = np.linspace(0.15, 1.0, n)
        t = 3.0 * np.pi * r + phase
        return np.stack([r * np.cos(t), r * np.sin(t)], 1)
    return np.concatenate([arm(n0, 0.0), arm(n1, np.pi)])


def make_dataset(name: str = "two_moons", n_points: int = 200, noise: float = 0.1, seed: int = 0, *,
                 factor: float = 0.5, margin: float = 0.1) -> Dataset:
    """Build a named data set (see the module table).

    Raises ``ValueError`` for an unknown name, ``n_points < 2``, a negative
    ``noise``, ``factor`` outside ``[0.05, 0.95]`` or ``margin`` outside ``[0, 1]``.
    """
    name = one_of("name", name, DATASETS)
    n = positive_int("n_points", n_points, maximum=100_000)
    if n < 2:
        raise ValueError(f"n_points must be an integer >= 2 (one per class); got {n}")
    sigma = nonneg_float("noise", noise)
    rng = np.random.default_rng(nonneg_int("seed", seed))
    n0, n1 = n // 2, n - n // 2
    y = np.concatenate([np.zeros(n0, np.int64), np.ones(n1, np.int64)])
    if name == "separable":
        gap = in_range("margin", margin, 0.0, 1.0)
        phi = rng.uniform(0.0, 2.0 * np.pi)
        w = np.array([np.cos(phi), np.sin(phi)])
        b = rng.uniform(-0.5, 0.5)
        pts = {0: [], 1: []}
        want = {0: n0, 1: n1}
        while len(pts[0]) < n0 or len(pts[1]) < n1:
            cand = rng.uniform(-2.0, 2.0, size=(4 * n, 2))
            score = cand @ w + b
            for cls, keep in ((1, score >= gap), (0, score <= -gap)):
                pts[cls].extend(cand[keep][: want[cls] - len(pts[cls])])
        x = np.concatenate([np.array(pts[0]).reshape(-1, 2), np.array(pts[1]).reshape(-1, 2)])
        return Dataset(x, y, name, 2, w, float(b), gap)
    if name == "two_moons":
        x = _moons(n0, n1)
    elif name == "circles":
        x = _circles(n0, n1, in_range("factor", factor, 0.05, 0.95))
    elif name == "xor":
        x = _xor(n0, n1) * 0.6
    else:
        x = _spirals(n0, n1)
    return Dataset(x + sigma * rng.standard_normal(x.shape), y, name, 2)


def train_val_split(data: Dataset, val_fraction: float = 0.3, seed: int = 0) -> tuple[Dataset, Dataset]:
    """Shuffle with ``seed`` and hold out ``round(val_fraction · n)`` points (at least one each side).

    >>> tr, va = train_val_split(make_dataset(n_points=10), 0.3)
    >>> len(tr), len(va)
    (7, 3)
    """
    frac = in_range("val_fraction", val_fraction, 0.0, 0.9)
    n = len(data)
    n_val = int(round(frac * n))
    if n_val < 1 or n - n_val < 1:
        raise ValueError(f"val_fraction must leave at least one point on each side of the split; "
                         f"got {frac} of {n} points")
    order = np.random.default_rng(nonneg_int("seed", seed)).permutation(n)
    return data.subset(order[n_val:]), data.subset(order[:n_val])
