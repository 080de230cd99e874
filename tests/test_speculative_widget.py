"""SpeculativeWidget: scenarios from the sampled simulation, closed forms, wire format and errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.widgets.base import bundle_path
from vizkit.widgets.speculative import LEAVES_OUT, SpeculativeWidget, spec_scenario, tokens_pmf


@pytest.fixture
def w():
    return SpeculativeWidget()


def test_the_bundle_exists_and_is_the_widgets_esm(w):
    assert bundle_path("speculative").is_file()
    assert "speculative" in bundle_path("speculative").read_text()
    assert w.description == LEAVES_OUT


def test_one_scenario_per_alpha_with_hand_computed_E(w):
    assert [s["alpha"] for s in w.scenarios] == [0.6, 0.8, 0.9]
    # 1 + .8 + .64 + .512 + .4096
    assert w.scenarios[1]["E"] == pytest.approx(3.3616)
    assert w.scenarios[1]["speedup"] == pytest.approx(3.3616 / 1.2)
    assert w.n_frames == 200


def test_arrays_cross_as_binary_buffers_not_json_lists(w):
    state, _, buffers = _remove_buffers(w.get_state())
    assert len(buffers) >= 5 * 3
    for s in state["scenarios"]:
        assert not any(isinstance(v, list) and len(v) > 8 for v in s.values())
    assert sum(len(b) for b in buffers) < 100_000


def test_pmf_by_hand():
    assert np.allclose(tokens_pmf(0.5, 2), [0.5, 0.25, 0.25])
    assert np.allclose(tokens_pmf(0.0, 3), [1, 0, 0, 0])


@settings(max_examples=30, deadline=None)
@given(st.floats(0.0, 0.99), st.integers(1, 12))
def test_pmf_sums_to_one_and_its_mean_is_E(a, k):
    pmf = tokens_pmf(a, k)
    assert pmf.sum() == pytest.approx(1.0)
    mean = (np.arange(1, k + 2) * pmf).sum()
    assert mean == pytest.approx(sum(a ** i for i in range(k + 1)))


def test_trace_is_self_consistent():
    sc = spec_scenario(0.7, k=5, n_passes=500, seed=3)
    tok = sc["tokens"]
    assert ((tok >= 1) & (tok <= 6)).all() and (tok == sc["n_accepted"] + 1).all()
    assert np.allclose(sc["running_mean"], np.cumsum(tok) / np.arange(1, 501))
    assert (sc["counts"][-1] == np.bincount(tok - 1, minlength=6)).all()
    assert (sc["counts"].sum(axis=1) == np.arange(1, 501)).all()
    assert np.allclose(sc["running_speedup"], sc["running_mean"] / (5 * 0.05 + 1))


def test_running_mean_converges_to_the_closed_form():
    sc = spec_scenario(0.8, k=4, n_passes=2000, seed=0)
    se = sc["tokens"].std(ddof=1) / np.sqrt(2000)
    assert abs(sc["running_mean"][-1] - sc["E"]) < 3.5 * se


def test_alpha_switches_without_resimulating_and_bad_alpha_is_reported(w):
    before = w.scenarios
    w.alpha = 0.9
    assert w.scenarios is before and w.error == ""
    w.alpha = 0.5
    assert w.alpha == 0.9 and "alpha must be one of alphas" in w.error
    w.alpha = 0.6
    assert w.error == ""


def test_sim_params_resimulate_fast_and_bad_ones_keep_the_last_trace(w):
    w.k = 6
    assert w.scenarios[0]["k"] == 6 and w.error == ""
    good = w.scenarios
    for trait, bad in [("k", 0), ("k", 13), ("cost_ratio", -0.1), ("cost_ratio", 2.0), ("n_passes", 1),
                       ("n_passes", 5000), ("seed", -1), ("alphas", (1.0,)), ("alphas", ())]:
        old = getattr(w, trait)
        setattr(w, trait, bad)
        assert w.error.startswith(trait), (trait, w.error)
        assert w.scenarios is good
        setattr(w, trait, old)
        assert w.error == ""
        good = w.scenarios


@pytest.mark.parametrize("kwargs, name", [
    ({"alpha": 0.7}, "alpha"),
    ({"k": 0}, "k"),
    ({"cost_ratio": -1.0}, "cost_ratio"),
    ({"alphas": (0.8, 1.5), "alpha": 0.8}, "alphas"),
    ({"n_passes": 0}, "n_passes"),
])
def test_bad_constructor_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=name):
        SpeculativeWidget(**kwargs)


def test_scenario_accessor_and_repr(w):
    assert w.scenario(0.9)["E"] == pytest.approx(sum(0.9 ** i for i in range(5)))
    with pytest.raises(ValueError, match="alpha"):
        w.scenario(0.3)
    assert repr(w).startswith("SpeculativeWidget(alpha=0.8")
