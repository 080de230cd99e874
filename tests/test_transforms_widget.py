"""TransformWidget: scenarios, decoding, re-simulation, errors and budgets."""

import numpy as np
import pytest

from vizkit.widgets.transforms import N_MORPH, N_SHIFT, PRESETS, TransformWidget, gemm_cell_at


def _arr(s, name, shape):
    return np.frombuffer(s[name], "<f4").reshape(shape)


def test_presets_and_custom_are_shipped():
    w = TransformWidget()
    assert [s["key"] for s in w.scenarios] == [*PRESETS, "custom"]
    F = N_MORPH + N_SHIFT + 1
    for s in w.scenarios:
        assert s["n_frames"] == F == w.n_frames
        W = np.array(s["W"]).reshape(2, 2)
        assert s["det"] == pytest.approx(W[0, 0] * W[1, 1] - W[0, 1] * W[1, 0])
        m = _arr(s, "matrix", (F, 2, 2))
        assert np.allclose(m[0], np.eye(2)) and np.allclose(m[-1], W)
        sq = _arr(s, "square", (F, 4, 2))
        assert np.allclose(sq[-1, 0], s["b"], atol=1e-6)   # the origin corner lands on b


def test_flip_and_squash_dets():
    w = TransformWidget()
    d = {s["key"]: s["det"] for s in w.scenarios}
    assert d["flip"] == -1.0 and d["squash"] == 0.0 and d["rotate"] == 1.0


def test_gemm_state_is_the_product():
    w = TransformWidget()
    g = w.gemm
    a = np.frombuffer(g["a"], "<f4").reshape(g["m"], g["k"])
    b = np.frombuffer(g["b"], "<f4").reshape(g["k"], g["n"])
    c = np.frombuffer(g["c"], "<f4").reshape(g["m"], g["n"])
    assert np.allclose(a @ b, c)
    assert np.frombuffer(g["macs_done"], "<i4")[-1] == g["m"] * g["n"] * g["k"]


def test_resimulation_switches_to_custom_and_is_fast():
    w = TransformWidget()
    for w22 in (1.5, 2.0, 3.0):               
        w.W = (2.0, 0.0, 0.0, w22)
    assert w.scenario == "custom" and w.error == ""
    assert w.scenarios[-1]["det"] == 6.0
    assert w.trace().det[-1] == 6.0


def test_bad_traits_set_error_and_bad_args_raise():
    w = TransformWidget()
    w.b = (1.0,)
    assert "b must have 2" in w.error
    w.W = (1e9, 0, 0, 1)
    assert w.error.startswith("W entries")
    w.scenario = "nope"
    assert w.error.startswith("scenario") and w.scenario != "nope"
    with pytest.raises(ValueError, match="W"):
        TransformWidget(W=(1.0, 2.0))
    with pytest.raises(ValueError, match="scenario"):
        TransformWidget(scenario="nope")


def test_gemm_cell_pacing():
    cells = [gemm_cell_at(f, 46, 20) for f in range(46)]
    assert cells[0] == 0 and cells[-1] == 19 and sorted(cells) == cells
    assert set(cells) == set(range(20))


def test_state_is_small():
    w = TransformWidget()
    total = sum(len(v) for s in w.scenarios for v in s.values() if isinstance(v, bytes))
    assert total < 200_000
