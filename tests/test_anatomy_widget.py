"""AnatomyWidget: the engine's steps cut into frames, the wire format, budgets and errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.serving import LIMITS
from vizkit.widgets.anatomy import (FRAME_FIELDS, LEAVES_OUT, MAX_FRAMES, PRESETS, AnatomyWidget,
                                    anatomy_scenario)

COL = {name: i for i, name in enumerate(FRAME_FIELDS)}


@pytest.fixture(scope="module")
def w():
    return AnatomyWidget()


@pytest.fixture(scope="module")
def tight():
    return anatomy_scenario("tight", *PRESETS["tight-memory"][:3])


def test_bundle_and_scenarios(w):
    from vizkit.widgets.base import bundle_path
    assert bundle_path("anatomy").is_file()
    assert [s["name"] for s in w.scenarios] == ["custom", *PRESETS]
    assert w.n_frames <= MAX_FRAMES


def test_arrays_cross_as_binary_buffers_and_stay_small(w):
    state, _, buffers = _remove_buffers(w.get_state())
    assert len(buffers) == len(w.scenarios)
    assert sum(len(b) for b in buffers) < 100_000
    for s in state["scenarios"]:
        assert not any(isinstance(v, list) and len(v) > 8 for v in s.values())


def test_frames_partition_the_steps(tight):
    f, t = tight["frames"], tight["trace"]
    steps = f[:, COL["n_steps"]]
    assert steps.sum() == t.n_steps and (steps >= 1).all()
    assert (f[1:, COL["first_step"]] == f[:-1, COL["first_step"]] + steps[:-1]).all()
    # per-frame counts add up to the run's totals
    assert f[:, COL["n_preempted"]].sum() == t.n_preempted.sum() == t.n_preemptions.sum()
    assert f[-1, COL["preempted_total"]] == t.n_preempted.sum()
    assert f[:, COL["tokens_out"]].sum() == t.output_tokens.sum()
    assert f[:, COL["prefill_steps"]].sum() == (t.n_prefill_seqs > 0).sum()
    assert f[-1, COL["finished_total"]] == t.n_requests
    assert (np.diff(f[:, COL["finished_total"]]) >= 0).all()
    assert (f[:, COL["kv_used_frac"]] <= 1).all() and f[:, COL["kv_used_frac"]].max() == 1.0


def test_state_is_the_last_step_of_each_frame(tight):
    f, t = tight["frames"], tight["trace"]
    last = (f[:, COL["first_step"]] + f[:, COL["n_steps"]] - 1).astype(int)
    assert (f[:, COL["n_waiting"]] == t.n_waiting[last]).all()
    assert (f[:, COL["n_running"]] == t.n_running[last]).all()
    assert np.allclose(f[:, COL["t_end_s"]], t.step_start_s[last] + t.step_s[last])


def test_memory_pressure_preempts_and_queues():
    roomy = anatomy_scenario("r", 150, 8.0, 4.0)["trace"]
    small = anatomy_scenario("s", 150, 8.0, 0.5)["trace"]
    assert roomy.n_preemptions.sum() == 0 and small.n_preemptions.sum() > 0
    assert small.n_waiting.max() > 5 * max(1, roomy.n_waiting.max())


@settings(max_examples=6, deadline=None)
@given(st.integers(1, 60), st.floats(1.0, 50.0), st.floats(0.3, 8.0))
def test_any_valid_run_frames_its_steps(n, rate, kv):
    sc = anatomy_scenario("h", n, rate, kv)
    f = sc["frames"]
    assert f[:, COL["n_steps"]].sum() == sc["n_steps"]
    assert f.shape == (min(sc["n_steps"], MAX_FRAMES), len(FRAME_FIELDS))
    assert f[-1, COL["finished_total"]] == n


def test_changing_the_rate_resimulates_without_error(w):
    for r in (7.0, 9.0, 8.5):
        w.rate_per_s = r
        assert w.error == ""


def test_leaves_out_names_the_cost_model_limits():
    assert LIMITS[0] in LEAVES_OUT and "preempts" in LEAVES_OUT


@pytest.mark.parametrize("trait, value, name", [
    ("kv_gb", 0.0, "kv_gb"), ("kv_gb", 1000.0, "kv_gb"), ("kv_gb", 0.05, "kv_gb"),
    ("rate_per_s", 0.0, "rate_per_s"), ("n_requests", 0, "n_requests"), ("n_requests", 301, "n_requests"),
    ("scenario", "nope", "scenario"),
])
def test_bad_traits_set_error(trait, value, name):
    x = AnatomyWidget()
    before = x.scenarios
    setattr(x, trait, value)
    assert x.error.startswith(name)
    assert x.scenarios == before


@pytest.mark.parametrize("kwargs, name", [({"kv_gb": -1.0}, "kv_gb"), ({"scenario": "x"}, "scenario")])
def test_bad_constructor_arguments_raise(kwargs, name):
    with pytest.raises(ValueError, match=name):
        AnatomyWidget(**kwargs)
