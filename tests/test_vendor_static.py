"""A change to vizkit's sources makes the next build re-execute every chapter."""

from __future__ import annotations

import importlib.util

from bookpaths import ROOT


def load_vendor_static(monkeypatch, root):
    spec = importlib.util.spec_from_file_location("vendor_static_under_test", ROOT / "scripts" / "vendor_static.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "ROOT", root)
    return module


def test_a_vizkit_change_drops_the_execution_cache_and_the_sphinx_environment(monkeypatch, tmp_path):
    vs = load_vendor_static(monkeypatch, tmp_path)
    src = tmp_path / "src" / "vizkit"
    src.mkdir(parents=True)
    (src / "a.py").write_text("x = 1\n")
    cache, env = tmp_path / "_build" / ".jupyter_cache", tmp_path / "_build" / ".doctrees"

    assert vs.invalidate_stale_execution_cache() is True          # first build: no stamp yet
    for d in (cache, env):
        d.mkdir(parents=True)
        (d / "keep").write_text("")
    assert vs.invalidate_stale_execution_cache() is False         # nothing changed: both kept
    assert (cache / "keep").exists() and (env / "keep").exists()

    (src / "a.py").write_text("x = 2\n")                          # a simulation changed
    assert vs.invalidate_stale_execution_cache() is True
    assert not cache.exists() and not env.exists()
