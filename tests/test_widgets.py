"""The Python side of the widgets: bundle wiring, traits, error reporting, ping/pong, buffers."""

from __future__ import annotations

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from vizkit.inference import decode_trace
from vizkit.widgets import KVCacheWidget, VizWidget
from vizkit.widgets.base import bundle_path
from vizkit.widgets.kvcache import MAX_WIDGET_STEPS


@pytest.fixture
def w():
    return KVCacheWidget()


def test_the_bundle_exists_and_is_the_widgets_esm(w):
    path = bundle_path("kvcache")
    assert path.is_file(), "run `npm run build:widgets`"
    text = path.read_text(encoding="utf-8")
    assert w._esm == text
    assert text.startswith('// vizkit widget "kvcache"')
    assert "export" in text and "render" in text
    assert w.get_state()["_esm"] == text, "the saved state carries the module for the static book"


def test_every_widget_class_names_an_existing_bundle():
    for cls in VizWidget.__subclasses__():
        assert cls._bundle and bundle_path(cls._bundle).is_file(), cls


def test_defaults_give_one_scenario_per_model(w):
    assert [s["name"] for s in w.scenarios] == list(w.models)
    assert w.model == "llama-2-7b" and w.cached is True
    assert w.n_frames == 48
    assert w.error == ""
    assert "FLOPs" in w.description, "the leaves-out line comes from Python"
    assert "bf16" in w.dtype_options
    for s in w.scenarios:
        assert {"display_name", "n_layers", "n_heads", "n_kv_heads", "attention"} <= set(s)


def test_buffers_decode_back_to_the_trace(w):
    for s in w.scenarios:
        t = decode_trace(s["name"], w.prompt_len, w.n_new, w.dtype)
        np.testing.assert_array_equal(np.frombuffer(s["context_len"], "<i4"), t.context_len)
        for name in ("flops_cached", "flops_recompute", "kv_bytes", "cum_flops_cached", "cum_flops_recompute"):
            np.testing.assert_allclose(np.frombuffer(s[name], "<f4"), getattr(t, name), rtol=1e-7)


def test_arrays_cross_as_binary_buffers_not_json_lists(w):
    state, paths, buffers = _remove_buffers(w.get_state())
    assert ["scenarios", 0, "flops_cached"] in [list(p) for p in paths]
    assert len(buffers) == 6 * len(w.models)

    def no_number_lists(x):
        if isinstance(x, dict):
            return all(no_number_lists(v) for v in x.values())
        if isinstance(x, (list, tuple)):
            return not any(isinstance(v, (int, float)) for v in x) and all(no_number_lists(v) for v in x)
        return True

    assert no_number_lists(state["scenarios"])


def test_a_bad_parameter_sets_error_and_keeps_the_last_trace(w):
    before = w.scenarios
    w.prompt_len = 0
    assert w.error == "prompt_len must be an integer >= 1 and <= 999999; got 0"
    assert w.scenarios is before and w.n_frames == 48
    w.prompt_len = 32
    assert w.error == ""
    good = w.scenarios
    w.n_new = MAX_WIDGET_STEPS + 1
    assert w.error == f"n_new must be an integer >= 1 and <= {MAX_WIDGET_STEPS}; got {MAX_WIDGET_STEPS + 1}"
    assert w.scenarios is good
    w.n_new = 20
    w.dtype = "fp7"
    assert w.error.startswith("dtype must be one of") and "bf16" in w.error
    assert w.n_frames == 20
    w.dtype = "fp8"
    assert w.error == ""
    assert w.scenarios[0]["dtype"] == "fp8" and w.scenarios[0]["prompt_len"] == 32


def test_an_unknown_model_is_reported_and_the_shown_one_kept(w):
    w.model = "gpt2"
    w.model = "gpt-5"
    assert w.error.startswith("model must be one of")
    assert w.model == "gpt2"
    w.model = "llama-3-8b"
    assert w.error == ""


def test_changing_the_model_list_resimulates(w):
    w.models = ("gpt2",)
    assert [s["name"] for s in w.scenarios] == ["gpt2"]
    assert w.model == "gpt2"
    w.models = ("gpt2", "nope")
    assert w.error.startswith("models must be one of")
    assert [s["name"] for s in w.scenarios] == ["gpt2"]


def test_bad_constructor_arguments_raise():
    with pytest.raises(ValueError, match="^n_new"):
        KVCacheWidget(n_new=0)
    with pytest.raises(ValueError, match="^model"):
        KVCacheWidget(model="gpt2", models=("llama-2-7b",))


def test_ping_gets_pong(w, monkeypatch):
    sent = []
    monkeypatch.setattr(w, "send", lambda content, buffers=None: sent.append(content))
    w._on_custom_msg(w, {"type": "ping"}, [])
    w._on_custom_msg(w, {"type": "something else"}, [])
    w._on_custom_msg(w, "not a dict", [])
    assert sent == [{"type": "pong"}]


def test_playback_methods_for_prose_cells(w):
    w.pause()
    assert w.playing is False
    w.play()
    assert w.playing is True
    w.seek(47)
    assert w.frame == 47
    with pytest.raises(ValueError, match="^frame must be an integer >= 0 and <= 47"):
        w.seek(48)
    w.n_new = 10
    assert w.frame == 9, "a shorter trace pulls the frame back inside it"


def test_repr_is_stable(w):
    r = repr(w)
    assert "0x" not in r
    assert r == ("KVCacheWidget(model='llama-2-7b', cached=True, prompt_len=16, n_new=48, dtype='bf16', "
                 "models=('gpt2', 'llama-2-7b', 'llama-3-8b', 'deepseek-v2'))")
    assert repr(KVCacheWidget()) == r
    bundle = w._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "0x" not in data["text/plain"]
