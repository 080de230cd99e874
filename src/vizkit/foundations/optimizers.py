r"""Update rules: SGD, momentum and Adam (P0.7), used on surfaces and by the MLP.

With gradient :math:`g_t` at step :math:`t = 1, 2, \dots` and learning rate :math:`\eta`:

**SGD** :math:`\theta_t = \theta_{t-1} - \eta\,g_t`

**Momentum** (heavy ball, as PyTorch writes it) :math:`v_t = \beta v_{t-1} + g_t`,
:math:`\theta_t = \theta_{t-1} - \eta\,v_t`, with :math:`v_0 = 0`. Along a
constant gradient the step grows towards :math:`\eta g/(1-\beta)`.

**Adam** :math:`m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t`,
:math:`v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2`, bias-corrected
:math:`\hat m_t = m_t/(1-\beta_1^t)`, :math:`\hat v_t = v_t/(1-\beta_2^t)`, and
:math:`\theta_t = \theta_{t-1} - \eta\,\hat m_t/(\sqrt{\hat v_t} + \epsilon)`.
Its first step is about :math:`\eta\,\mathrm{sign}(g_1)` in every coordinate,
whatever the gradient's scale.

**Weight decay** :math:`\lambda`: SGD and momentum add :math:`\lambda\theta` to
the gradient (L2 regularisation); Adam decays the weights directly,
:math:`\theta \leftarrow \theta - \eta\lambda\theta`, before its update
(AdamW), so the decay is not rescaled by :math:`\sqrt{\hat v}`.

Optimisers are frozen records of hyper-parameters; the state is passed in and
returned, so a run is a pure function of its inputs.

>>> opt = SGD(learning_rate=0.1)
>>> theta, state = opt.step(np.array([1.0]), np.array([2.0]), opt.init(np.array([1.0])))
>>> theta.tolist()
[0.8]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from vizkit._validate import in_range, nonneg_float, one_of, positive_float

__all__ = ["OptimizerState", "SGD", "Momentum", "Adam", "OPTIMIZERS", "make_optimizer"]


@dataclass(frozen=True)
class OptimizerState:
    """What an optimiser carries between steps."""

    step: int = 0                                        # t: updates taken so far
    m: np.ndarray = field(default_factory=lambda: np.zeros(0))  # velocity / first moment
    v: np.ndarray = field(default_factory=lambda: np.zeros(0))  # second moment (Adam)


@dataclass(frozen=True)
class SGD:
    """Plain (stochastic) gradient descent."""

    name: ClassVar[str] = "sgd"
    learning_rate: float = 0.01
    weight_decay: float = 0.0

    def __post_init__(self):
        positive_float("learning_rate", self.learning_rate)
        nonneg_float("weight_decay", self.weight_decay)

    def init(self, params: np.ndarray) -> OptimizerState:
        return OptimizerState()

    def step(self, params, grad, state):
        g = grad + self.weight_decay * params if self.weight_decay else grad
        return params - self.learning_rate * g, OptimizerState(state.step + 1)


@dataclass(frozen=True)
class Momentum:
    """SGD with heavy-ball momentum :math:`\\beta`."""

    name: ClassVar[str] = "momentum"
    learning_rate: float = 0.01
    beta: float = 0.9
    weight_decay: float = 0.0

    def __post_init__(self):
        positive_float("learning_rate", self.learning_rate)
        in_range("beta", self.beta, 0.0, 0.999999)
        nonneg_float("weight_decay", self.weight_decay)

    def init(self, params: np.ndarray) -> OptimizerState:
        return OptimizerState(0, np.zeros_like(params))

    def step(self, params, grad, state):
        g = grad + self.weight_decay * params if self.weight_decay else grad
        velocity = self.beta * state.m + g
        return params - self.learning_rate * velocity, OptimizerState(state.step + 1, velocity)


@dataclass(frozen=True)
class Adam:
    """Adam with bias correction; decoupled weight decay (AdamW) when ``weight_decay > 0``."""

    name: ClassVar[str] = "adam"
    learning_rate: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    weight_decay: float = 0.0

    def __post_init__(self):
        positive_float("learning_rate", self.learning_rate)
        in_range("beta1", self.beta1, 0.0, 0.999999)
        in_range("beta2", self.beta2, 0.0, 0.999999)
        positive_float("eps", self.eps)
        nonneg_float("weight_decay", self.weight_decay)

    def init(self, params: np.ndarray) -> OptimizerState:
        return OptimizerState(0, np.zeros_like(params), np.zeros_like(params))

    def step(self, params, grad, state):
        t = state.step + 1
        m = self.beta1 * state.m + (1.0 - self.beta1) * grad
        v = self.beta2 * state.v + (1.0 - self.beta2) * grad * grad
        m_hat = m / (1.0 - self.beta1**t)
        v_hat = v / (1.0 - self.beta2**t)
        if self.weight_decay:
            params = params * (1.0 - self.learning_rate * self.weight_decay)
        return params - self.learning_rate * m_hat / (np.sqrt(v_hat) + self.eps), OptimizerState(t, m, v)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimizer(name: str, **hyperparams):
    """Build an optimiser by name: ``sgd``, ``momentum`` or ``adam``.

    >>> make_optimizer("adam", learning_rate=0.1).beta2
    0.999
    >>> make_optimizer("sgd", learning_rate=-1.0)
    Traceback (most recent call last):
    ...
    ValueError: learning_rate must be a finite number > 0; got -1.0
    """
    cls = OPTIMIZERS[one_of("optimizer", name, OPTIMIZERS)]
    try:
        return cls(**hyperparams)
    except TypeError as exc:
        raise ValueError(f"hyperparams do not fit optimizer {name!r}: {exc}") from None
