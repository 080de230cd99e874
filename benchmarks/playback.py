"""Frame time of one widget playing one scenario, in Chromium, outside the book.

    python benchmarks/playback.py                                  # P9.2 with 256 concurrent requests
    python benchmarks/playback.py --widget paged --seconds 5       # any bundle, its default scenario
    python benchmarks/playback.py --widget batching --scenario 256-concurrent

Mounts the bundle on a bare page with the Python widget's real saved state (the
same stand-in model the cleanup test uses), plays from frame 0 and reports the
engine's own per-frame draw durations. Budget: p95 < 8 ms. Measured, not asserted.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import importlib
import json
import shutil
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from bookpaths import ROOT as _  # noqa: E402,F401  (puts tests/ on the path first)
from test_widget_cleanup import HARNESS, state_json  # noqa: E402

from vizkit.widgets.base import VizWidget, bundle_path  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

PAGE = """<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>playback benchmark</title></head><body><div id="w" style="width:960px"></div>
<script type="module">
import { fakeModel } from "./fake_model.js";
const widget = (await import("./bundle.js")).default;
const state = await (await fetch("./state.json")).json();
widget.render({ model: fakeModel(state), el: document.getElementById("w") });
window.ready = true;
</script></body></html>"""


def widget_class(bundle: str) -> type[VizWidget]:
    """The widget class whose ``_bundle`` is ``bundle`` (imports ``vizkit.widgets.<bundle>``)."""
    importlib.import_module("vizkit.widgets")
    try:
        importlib.import_module(f"vizkit.widgets.{bundle}")
    except ModuleNotFoundError:
        pass
    found = [c for c in VizWidget.__subclasses__() if c._bundle == bundle]
    if not found:
        raise SystemExit(f"no widget class with bundle {bundle!r}")
    return found[0]


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def measure(bundle: str, scenario: str | None, seconds: float) -> dict:
    cls = widget_class(bundle)
    widget = cls(scenario=scenario) if scenario else cls()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shutil.copy(HARNESS / "fake_model.js", tmp)
        shutil.copy(bundle_path(bundle), tmp / "bundle.js")
        (tmp / "state.json").write_text(json.dumps(state_json(widget)))
        (tmp / "index.html").write_text(PAGE)

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                errors = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
                page.wait_for_function("window.ready === true")
                w = page.locator(".vk-widget").first
                page.wait_for_selector(".vk-widget canvas")
                w.get_by_role("button", name="Restart").click()
                if w.get_attribute("data-playing") != "true":
                    w.get_by_role("button", name="Play").click()
                before = len(w.evaluate("(el) => Array.from(el.vkFrameTimes())"))
                page.wait_for_timeout(int(seconds * 1000))
                times = w.evaluate("(el) => Array.from(el.vkFrameTimes())")[before:]
                frames = int(w.get_attribute("data-frames"))
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    if errors:
        raise SystemExit(f"the widget raised in the browser: {errors}")
    shown = scenario or getattr(widget, "scenario", "")
    return {"bundle": bundle, "scenario": shown if isinstance(shown, str) else "default", "frames": frames,
            "drawn": len(times), "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95),
            "max_ms": max(times) if times else float("nan")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--widget", default="batching", help="bundle name (default: batching, P9.2)")
    ap.add_argument("--scenario", default=None, help="scenario key (default for batching: 256-concurrent)")
    ap.add_argument("--seconds", type=float, default=4.0, help="playback time measured")
    args = ap.parse_args()
    scenario = args.scenario or ("256-concurrent" if args.widget == "batching" else None)
    r = measure(args.widget, scenario, args.seconds)
    ok = "ok" if r["p95_ms"] < 8 else "OVER"
    print(f"{r['bundle']} / {r['scenario']}: {r['drawn']} frames drawn of a {r['frames']}-frame trace; "
          f"draw p50 {r['p50_ms']:.2f} ms, p95 {r['p95_ms']:.2f} ms ({ok}, budget < 8 ms), max {r['max_ms']:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
