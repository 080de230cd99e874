r"""Exercises of chapter P0.6, "Probability, softmax, entropy, cross-entropy, KL".

Each ``check_*`` computes its expected answer with :mod:`vizkit.foundations`
(:func:`~vizkit.foundations.information.entropy`,
:func:`~vizkit.foundations.information.cross_entropy`,
:func:`~vizkit.foundations.information.kl_divergence`) or :mod:`vizkit.catalog`
and hands it to :class:`vizkit.exercises.Answer`.

The break-it exercise uses :func:`buggy_softmax`, a softmax with one deliberate
bug from :data:`BUGS`. Each bug leaves its own fingerprint on the bars as the
temperature rises:

================  ===========================================  ======================================
bug               what the code computes                        what the bars show
================  ===========================================  ======================================
times_T           :math:`e^{z_i T}` instead of :math:`e^{z_i/T}`  bars get *sharper* as T rises
no_normalize      :math:`e^{z_i/T - \max_j z_j/T}`, not divided  the top bar is always exactly 1; sum > 1
================  ===========================================  ======================================

>>> check_entropy(1.0)  # doctest: +ELLIPSIS
✗ entropy of (0.5, 0.25, 0.25) in bits: not yet — hint: ...
False
"""

from __future__ import annotations

import math

import numpy as np

from vizkit._validate import one_of, positive_float
from vizkit.catalog import model as catalog_model
from vizkit.foundations._checks import vector
from vizkit.foundations.information import entropy, kl_divergence

from . import Answer

__all__ = ["BUGS", "MYSTERIES", "EXERCISE_P", "EXERCISE_Q", "check_entropy", "uniform_loss", "check_uniform_loss",
           "check_kl", "buggy_softmax", "mystery", "check_bug"]

#: The distributions of the compute-it exercises.
EXERCISE_P = (0.5, 0.25, 0.25)
EXERCISE_Q = (0.25, 0.5, 0.25)

#: The deliberate bugs :func:`buggy_softmax` can plant.
BUGS = {
    "times_T": "the logits are multiplied by the temperature instead of divided by it",
    "no_normalize": "the exponentials are never divided by their sum, so the 'probabilities' do not add to 1",
}

#: The break-it exercise's suspects.
MYSTERIES = {"A": "times_T", "B": "no_normalize"}

#: Logits and temperatures of the break-it exercise.
MYSTERY_LOGITS = (2.0, 1.0, 0.5, -1.0)
MYSTERY_TEMPERATURES = (0.5, 1.0, 2.0)


def check_entropy(answer: object, p=EXERCISE_P) -> bool:
    """Compute-it: the entropy of ``p`` in bits."""
    return Answer(f"entropy of ({', '.join(f'{v:g}' for v in p)}) in bits", entropy(p, "bits"), rel_tol=0.01,
                  hint="−Σ p log₂ p: an outcome of probability 1/2 contributes 1/2 · 1 bit, one of 1/4 "
                       "contributes 1/4 · 2 bits").check(answer)


def uniform_loss(model_name: str = "llama-2-7b") -> float:
    """Cross-entropy in nats of a uniform guess over ``model_name``'s vocabulary: :math:`\\ln V`."""
    V = catalog_model(model_name).vocab_size
    return -math.log(1.0 / V)


def check_uniform_loss(answer: object, model_name: str = "llama-2-7b") -> bool:
    """Predict-then-check: the loss (nats) of a model that spreads probability evenly over its vocabulary."""
    return Answer(f"cross-entropy of a uniform guess over {model_name}'s vocabulary (nats)",
                  uniform_loss(model_name), rel_tol=0.01,
                  hint="every token gets 1/V, so the loss is −ln(1/V) = ln V whatever the target").check(answer)


def check_kl(answer: object, p=EXERCISE_P, q=EXERCISE_Q) -> bool:
    """Compute-it: :math:`D_\\mathrm{KL}(p\\Vert q)` in bits."""
    return Answer("KL(p ‖ q) in bits", kl_divergence(p, q, "bits"), rel_tol=0.01,
                  hint="Σ p log₂(p/q): the first outcome gives 0.5·log₂ 2, the second 0.25·log₂ 0.5, "
                       "the third 0").check(answer)


def buggy_softmax(logits, temperature: float, bug: str) -> np.ndarray:
    """A softmax with the bug ``bug`` (a key of :data:`BUGS`).

    >>> buggy_softmax([0.0, 0.0], 1.0, "no_normalize").tolist()
    [1.0, 1.0]
    """
    bug = one_of("bug", bug, tuple(BUGS))
    z = vector("logits", logits)
    T = positive_float("temperature", temperature)
    s = z * T if bug == "times_T" else z / T
    e = np.exp(s - s.max())
    return e if bug == "no_normalize" else e / e.sum()


def mystery(name: str) -> np.ndarray:
    """Rows: the buggy softmax of mystery ``name`` at each of :data:`MYSTERY_TEMPERATURES`."""
    bug = MYSTERIES[one_of("name", name, tuple(MYSTERIES))]
    return np.stack([buggy_softmax(MYSTERY_LOGITS, T, bug) for T in MYSTERY_TEMPERATURES])


def check_bug(name: str, answer: object) -> bool:
    """Break-it: which bug of :data:`BUGS` is behind mystery ``name``."""
    name = one_of("name", name, tuple(MYSTERIES))
    return Answer(f"bug behind mystery {name}", MYSTERIES[name], choices=tuple(BUGS),
                  hint="add up each row, and see whether the rows get flatter or sharper as T rises").check(answer)
