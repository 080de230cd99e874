"""Mounting and cleaning up a widget 50 times leaves nothing behind.

Each bundle is loaded as a module into a harness page that counts event
listeners, observers, animation frames, timers, model listeners, DOM nodes and
style tags, with a stand-in model carrying the Python widget's real state.
"""

from __future__ import annotations

import base64
import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

import vizkit.widgets
from vizkit.widgets.base import bundle_path

pytestmark = pytest.mark.browser

HARNESS = Path(__file__).parent / "harness"
# every widget the package exports, by its bundle name, mounted with its default state
WIDGETS = {cls._bundle: cls for cls in (getattr(vizkit.widgets, n) for n in vizkit.widgets.__all__)
           if getattr(cls, "_bundle", "")}


def state_json(widget) -> dict:
    """The widget's synced state with binary buffers as {"__b64": ...} for the stand-in model."""
    from ipywidgets.widgets.widget import _remove_buffers

    state, paths, buffers = _remove_buffers(widget.get_state())
    for path, buf in zip(paths, buffers):
        target = state
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = {"__b64": base64.b64encode(bytes(buf)).decode()}
    return state


@pytest.mark.parametrize("name", sorted(WIDGETS))
def test_fifty_mounts_leak_nothing(browser, tmp_path, name):
    import json

    shutil.copy(HARNESS / "cleanup.html", tmp_path)
    shutil.copy(HARNESS / "fake_model.js", tmp_path)
    shutil.copy(bundle_path(name), tmp_path / f"{name}.js")
    (tmp_path / "state.json").write_text(json.dumps(state_json(WIDGETS[name]())))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/cleanup.html?widget={name}")
        page.wait_for_function("window.result", timeout=30000, polling=100)  # not rAF: it would count
        r = page.evaluate("window.result")
    finally:
        page.close()
        server.shutdown()
        server.server_close()
    assert errors == []
    base, after = r["base"], r["after"]
    assert r["peak"] > base["listeners"], "the harness saw no listener from the bundle while mounted"
    assert r["made"].get("ResizeObserver", 0) >= 50, f"the harness saw no observer from the bundle: {r['made']}"
    assert after["listeners"] == base["listeners"], f"{len(r['leftoverKinds'])} event listeners left, e.g. {r['leftoverKinds'][:6]}"
    assert after["observers"] == base["observers"], "observers still connected"
    assert after["rafs"] == 0, "animation frames still scheduled"
    assert after["timers"] == base["timers"], "timers still pending"
    assert after["model"] == base["model"], "model listeners left"
    assert after["children"] == 0, "DOM nodes left in the output element"
    assert after["styles"] <= 1, f"{after['styles']} style tags after 50 mounts"
