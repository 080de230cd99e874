"""One chapter of every other finished part, live in JupyterLite, offline.

The reference chapter's full flow (edit, save, reload) is in test_live_browser.py.
Here, for Parts 0, 1 and 9: open the chapter in a fresh profile, run all cells
with no error, see the first widget draw, then change one simulation parameter
from Python and see the simulation re-run (no error, the trace changed) and the
canvas follow. Every off-origin request is aborted and must not happen.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from litetools import (CANVAS_DIGEST_JS, INK_JS, error_outputs, in_own_thread, kernel_exec, launch,
                       lite_url, new_context, run_all, show_widget, wait_all_executed, wait_kernel_idle,
                       wait_notebook, wait_widget_drawn, watch)

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Chapter:
    notebook: str
    widget: str           # the chapter's variable holding its first widget
    change: str           # Python that changes one simulation parameter of it
    probe: str            # Python expression whose value must differ after the change


CHAPTERS = {
    "part-0": Chapter("book/00-math/05-gradient-descent.ipynb", "descent", "descent.learning_rate = 0.3",
                      "(descent.scenario, round(float(descent.trace().learning_rate), 6))"),
    "part-1": Chapter("book/01-nn/01-perceptron.ipynb", "perceptron", "perceptron.dataset = 'xor'",
                      "(perceptron.scenario, perceptron.dataset)"),
    "part-9": Chapter("book/09-serving/08-kv-transfer.ipynb", "kv_widget", "kv_widget.prompt_tokens = 1024",
                      "round(float(kv_widget.scenario('roce-400g')['total_s']), 9)"),
}


def wait_until(page, predicate, timeout_ms=20_000, step_ms=100) -> bool:
    waited = 0
    while waited < timeout_ms:
        if predicate():
            return True
        page.wait_for_timeout(step_ms)
        waited += step_ms
    return predicate()


def flow(origin: str, ch: Chapter) -> dict:
    from playwright.sync_api import sync_playwright

    seen: dict = {}
    with sync_playwright() as p:
        browser = launch(p)
        context, log = new_context(browser, origin)
        page = context.new_page()
        watch(page, log)
        try:
            page.goto(lite_url(origin, ch.notebook), wait_until="load")
            wait_notebook(page)
            wait_kernel_idle(page)
            run_all(page)
            wait_all_executed(page)
            seen["errors"] = error_outputs(page)
            wait_widget_drawn(page, 0, timeout_ms=30_000)
            widget = show_widget(page, 0)
            canvas = widget.locator("canvas").first
            seen["ink"] = canvas.evaluate(INK_JS)
            kernel_exec(page, f"{ch.widget}.pause(); {ch.widget}.seek(0)")
            wait_until(page, lambda: widget.get_attribute("data-frame") == "0"
                       and widget.get_attribute("data-playing") == "false")
            page.wait_for_timeout(300)
            before = canvas.evaluate(CANVAS_DIGEST_JS)
            seen["probe_before"] = kernel_exec(page, f"print(repr({ch.probe}))").strip()
            seen["after"] = kernel_exec(page, f"{ch.change}; {ch.widget}.pause(); {ch.widget}.seek(0)\n"
                                              f"print(repr({ch.probe})); print({ch.widget}.error or 'ok')")
            seen["canvas_changed"] = wait_until(page, lambda: canvas.evaluate(CANVAS_DIGEST_JS) != before)
        except Exception as exc:
            seen["failed"] = f"{type(exc).__name__}: {exc}"
        seen["log"] = log
        context.close()
        browser.close()
    return seen


@pytest.fixture(scope="module", params=sorted(CHAPTERS))
def seen(request, lite_origin):
    ch = CHAPTERS[request.param]
    return ch, in_own_thread(flow, lite_origin, ch)


def test_the_chapter_runs_live_offline_and_reruns_its_simulation(seen):
    ch, s = seen
    assert "failed" not in s, f"{ch.notebook}: {s['failed']}"
    assert s["errors"] == [], f"{ch.notebook}: cells raised {s['errors']}"
    assert s["ink"]["ink"] > 0 and s["ink"]["colours"] >= 4, f"{ch.notebook}: the widget did not draw: {s['ink']}"
    probe_after, status = s["after"].strip().splitlines()[-2:]
    assert status == "ok", f"{ch.notebook}: the widget reported {status!r} after `{ch.change}`"
    assert probe_after != s["probe_before"], f"{ch.notebook}: `{ch.change}` did not re-run the simulation"
    assert s["canvas_changed"], f"{ch.notebook}: the canvas did not follow `{ch.change}`"
    assert s["log"].off_origin == [], f"{ch.notebook}: requests left the site: {s['log'].off_origin}"
    assert s["log"].page_errors == [], f"{ch.notebook}: page errors {s['log'].page_errors}"
