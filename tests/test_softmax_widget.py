"""SoftmaxWidget: scenarios, identities in the shipped state, re-simulation, errors, budgets."""

import math

import numpy as np
import pytest

from vizkit.widgets.softmax import PRESETS, TEMPERATURES, SoftmaxWidget


def _f(s, name):
    return np.frombuffer(s[name], "<f4")


def test_scenarios_and_identities():
    w = SoftmaxWidget()
    assert [s["key"] for s in w.scenarios] == [*PRESETS, "custom"]
    F = len(TEMPERATURES)
    for s in w.scenarios:
        V = s["V"]
        p = _f(s, "probs").reshape(F, V)
        assert np.allclose(p.sum(axis=1), 1.0, atol=1e-5)
        H, CE, KL = _f(s, "entropy_bits"), _f(s, "cross_entropy_bits"), _f(s, "kl_bits")
        assert np.all(KL >= 0)
        # one-hot target: H(target) = 0, so CE = KL; and CE = -log2 p(target)
        assert np.allclose(CE, KL, atol=1e-4)
        assert np.allclose(CE, -np.log2(p[:, s["target"]].astype(float)), rtol=1e-3, atol=1e-4)
        assert np.all(H <= math.log2(V) + 1e-5)
        assert s["uniform_bits"] == pytest.approx(math.log2(V))
        assert H[-1] > H[0]                                    # hotter is flatter


def test_resimulate_and_errors():
    w = SoftmaxWidget()
    for z in ((1.0, 0.0, 0.0), (0.5, 0.0, 0.0), (0.0, 0.0, 0.0)):
        w.logits = z
    assert w.scenario == "custom" and w.error == ""
    s = w.scenarios[-1]
    assert np.allclose(_f(s, "entropy_bits"), math.log2(3), atol=1e-5)
    w.target = 7
    assert w.error.startswith("target must be")
    w.logits = (1.0,)
    assert w.error.startswith("logits must have")
    w.scenario = "nope"
    assert w.error.startswith("scenario") and w.scenario != "nope"
    with pytest.raises(ValueError, match="logits"):
        SoftmaxWidget(logits=(1e9, 0.0))
    with pytest.raises(ValueError, match="target"):
        SoftmaxWidget(target=5)
    assert w.trace("flat").probs.shape == (len(TEMPERATURES), 6)


def test_state_is_small():
    w = SoftmaxWidget()
    assert sum(len(v) for s in w.scenarios for v in s.values() if isinstance(v, bytes)) < 50_000
