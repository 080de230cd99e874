"""The reference chapter, live in JupyterLite on the self-hosted Pyodide, with the network cut off.

Every request that leaves the site's origin is aborted and must not happen.
The flow is a learner's, in a fresh browser profile: open the chapter, wait for
the kernel, run all cells, see the widget draw; change a parameter from Python
and see the simulation re-run and the canvas follow; edit a cell, save, reload,
and find the edit.

The flow runs once (a cold start takes ~15 s) in a thread of its own (see
``litetools.in_own_thread``) and records what it saw; each test checks one part.
A step that fails is recorded and the later steps are skipped.
"""

from __future__ import annotations

from importlib import metadata

import pytest

from litetools import (CANVAS_DIGEST_JS, INK_JS, REFERENCE, error_outputs, in_own_thread, kernel_exec,
                       launch, lite_url, new_context, run_all, show_widget, wait_all_executed,
                       wait_kernel_idle, wait_notebook, wait_widget_drawn, watch)

pytestmark = pytest.mark.browser

#: The first widget of the reference chapter, as the chapter names it.
WIDGET = "kv_widget"
NOTE = "# a learner's note, kept across reloads"


def wait_until(page, predicate, timeout_ms=20_000, step_ms=100) -> bool:
    waited = 0
    while waited < timeout_ms:
        if predicate():
            return True
        page.wait_for_timeout(step_ms)
        waited += step_ms
    return predicate()


def step_run_all(page, seen):
    wait_notebook(page)
    wait_kernel_idle(page)
    run_all(page)
    wait_all_executed(page)
    seen["errors"] = error_outputs(page)
    seen["versions"] = kernel_exec(page, "import sys, numpy, vizkit, anywidget, ipywidgets, traitlets\n"
                                         "print(sys.platform, vizkit.__version__, anywidget.__version__, "
                                         "ipywidgets.__version__, traitlets.__version__)").split()


def step_widget(page, seen):
    wait_widget_drawn(page, 0, timeout_ms=30_000)
    seen["ink"] = show_widget(page, 0).locator("canvas").first.evaluate(INK_JS)


def step_parameter(page, seen):
    widget = show_widget(page, 0)
    canvas = widget.locator("canvas").first
    # hold a fixed frame so only the parameter change can alter the picture
    frames = int(kernel_exec(page, f"{WIDGET}.pause(); {WIDGET}.seek(5); print({WIDGET}.n_frames)").split()[-1])
    seen["held"] = wait_until(page, lambda: widget.get_attribute("data-frame") == "5"
                              and widget.get_attribute("data-playing") == "false")
    page.wait_for_timeout(300)
    before = canvas.evaluate(CANVAS_DIGEST_JS)
    seen["new_frames"] = new = frames // 2 + 7
    seen["python"] = kernel_exec(page, f"{WIDGET}.prompt_len = 200; {WIDGET}.n_new = {new}; {WIDGET}.seek(5)\n"
                                       f"print({WIDGET}.n_frames, {WIDGET}.error or 'ok', "
                                       f"{WIDGET}.trace().prompt_len)").split()
    wait_until(page, lambda: widget.get_attribute("data-frames") == str(new))
    seen["data_frames"] = widget.get_attribute("data-frames")
    seen["canvas_changed"] = wait_until(page, lambda: canvas.evaluate(CANVAS_DIGEST_JS) != before)
    seen["ink_after"] = canvas.evaluate(INK_JS)


def step_reload(page, seen):
    index = page.evaluate("""() => Array.from(window.jupyterapp.shell.currentWidget.content.model.cells)
        .findIndex(c => c.type === 'code')""")
    page.evaluate(f"""async () => {{ const p = window.jupyterapp.shell.currentWidget;
        p.content.activeCellIndex = {index}; await p.content.scrollToItem({index}, 'start'); }}""")
    # type into the first code cell's editor, as a learner would, then save
    page.locator(".jp-Notebook .jp-Cell.jp-mod-active .cm-content").first.click()
    page.keyboard.press("Control+Home")
    page.keyboard.type(NOTE)
    page.keyboard.press("Enter")
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    seen["saved"] = wait_until(page, lambda: page.evaluate(
        "() => !window.jupyterapp.shell.currentWidget.context.model.dirty"))
    page.reload(wait_until="load")
    wait_notebook(page)
    seen["source_after_reload"] = page.evaluate(
        f"() => window.jupyterapp.shell.currentWidget.content.model.cells.get({index}).sharedModel.getSource()")


STEPS = (("run_all", step_run_all), ("widget", step_widget), ("parameter", step_parameter),
         ("reload", step_reload))


def scenario(origin: str) -> dict:
    from playwright.sync_api import sync_playwright

    seen: dict = {"failed": {}, "skipped": []}
    with sync_playwright() as p:
        browser = launch(p)
        context, log = new_context(browser, origin)
        page = context.new_page()
        watch(page, log)
        page.goto(lite_url(origin, REFERENCE), wait_until="load")
        for name, step in STEPS:
            if seen["failed"]:
                seen["skipped"].append(name)
                continue
            try:
                step(page, seen)
            except Exception as exc:
                seen["failed"][name] = f"{type(exc).__name__}: {exc}"
            seen[f"off_origin_after_{name}"] = list(log.off_origin)
        seen["log"] = log
        context.close()
        browser.close()
    return seen


@pytest.fixture(scope="module")
def seen(lite_origin):
    return in_own_thread(scenario, lite_origin)


def check_step(seen, name):
    if name in seen["skipped"]:
        pytest.fail(f"not reached: an earlier step failed: {seen['failed']}")
    off = seen[f"off_origin_after_{name}"]
    assert off == [], f"{name}: requests left the site (blocked): {off}; step result: {seen['failed'].get(name, 'ok')}"
    assert name not in seen["failed"], f"{name}: {seen['failed'][name]}"


def test_every_cell_runs_without_pip_from_the_sites_own_pyodide(seen):
    check_step(seen, "run_all")
    assert seen["errors"] == [], f"cells raised: {seen['errors']}"
    assert seen["versions"] == ["emscripten", metadata.version("vizkit"), metadata.version("anywidget"),
                                metadata.version("ipywidgets"), metadata.version("traitlets")], seen["versions"]


def test_the_widget_draws(seen):
    check_step(seen, "widget")
    ink = seen["ink"]
    assert ink["ink"] / ink["samples"] > 0.01 and ink["colours"] >= 4, ink


def test_a_parameter_changed_from_python_reruns_the_simulation_and_redraws(seen):
    check_step(seen, "parameter")
    assert seen["held"], "the widget did not hold frame 5 when paused from Python"
    new = seen["new_frames"]
    assert seen["python"] == [str(new), "ok", "200"], f"the simulation did not re-run: {seen['python']}"
    assert seen["data_frames"] == str(new), \
        f"the widget did not receive the new trace (data-frames={seen['data_frames']}, expected {new})"
    assert seen["canvas_changed"], "the canvas did not change after the simulation re-ran"
    assert seen["ink_after"]["ink"] > 0, seen["ink_after"]


def test_an_edit_survives_a_reload(seen):
    check_step(seen, "reload")
    assert seen["saved"], "the notebook was not saved"
    source = seen["source_after_reload"]
    assert source.startswith(NOTE + "\n"), f"the edit was lost on reload: {source[:120]!r}"


def test_nothing_left_the_site_and_pyodide_loaded_cleanly(seen):
    log = seen["log"]
    assert log.off_origin == [], f"requests left the site: {log.off_origin}"
    assert log.page_errors == [], f"page errors: {log.page_errors}"
    failed = [f for f in log.failed if "/static/pyodide/" in f or "/files/" in f or "/extensions/" in f]
    assert failed == [], f"failed requests: {failed}"
    served = "\n".join(log.served)
    assert "/lite/static/pyodide/pyodide.asm.wasm" in served and "/lite/static/pyodide/vizkit-" in served
