"""Every page of the built book, in a real browser, offline.

For every chapter page, in light and dark theme: each widget's canvas has
non-blank pixels, its animation advances, play/pause/step work by mouse and by
keyboard, the console shows no error and no request leaves the page's origin.
Every other page (front matter) must also load cleanly and offline.
"""

from __future__ import annotations

import json
import re

import pytest

from bookpaths import BUILD_HTML, ROOT, chapter_pages, notebook_pages
from pagetools import open_page

pytestmark = pytest.mark.browser

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Counts pixels that differ from the canvas's own corner (background) colour.
INK_JS = """(canvas) => {
  const w = canvas.width, h = canvas.height;
  const g = canvas.getContext('2d');
  const d = g.getImageData(0, 0, w, h).data;
  const bg = [d[0], d[1], d[2], d[3]];
  let ink = 0, colours = new Set();
  for (let i = 0; i < d.length; i += 16) {
    const dr = Math.abs(d[i]-bg[0]) + Math.abs(d[i+1]-bg[1]) + Math.abs(d[i+2]-bg[2]) + Math.abs(d[i+3]-bg[3]);
    if (dr > 24) ink++;
    colours.add((d[i] >> 4) << 8 | (d[i+1] >> 4) << 4 | (d[i+2] >> 4));
  }
  return {ink, samples: d.length / 16, colours: colours.size, w, h};
}"""


def frame(widget) -> int:
    return int(widget.get_attribute("data-frame"))


def playing(widget) -> bool:
    return widget.get_attribute("data-playing") == "true"


VIEWS = 'script[type="application/vnd.jupyter.widget-view+json"]'


def wait_for_widgets(page, timeout_ms=15000):
    """Every widget on the page mounted, and the page's layout settled (MathJax done typesetting).

    Widgets render at DOMContentLoaded, before MathJax has typeset the prose; typesetting then
    moves everything below it, which would scroll a widget out of view (and pause its clock,
    as it should) right after a test scrolled to it.
    """
    page.wait_for_selector(".vk-widget canvas", timeout=timeout_ms)
    page.wait_for_function(f"() => document.querySelectorAll('.vk-widget').length >= "
                           f"document.querySelectorAll('{VIEWS}').length", timeout=timeout_ms)
    page.evaluate("async () => { const s = window.MathJax && window.MathJax.startup;"
                  " if (s && s.promise) await s.promise; }")
    return page.locator(".vk-widget").all()


def wait_until(page, predicate, timeout_ms=8000, step_ms=50) -> bool:
    waited = 0
    while waited < timeout_ms:
        if predicate():
            return True
        page.wait_for_timeout(step_ms)
        waited += step_ms
    return predicate()


@pytest.fixture(params=["light", "dark"])
def theme(request):
    return request.param


@pytest.mark.parametrize("path", notebook_pages())
def test_chapter_widgets_draw_animate_and_respond(browser, site, path, theme):
    context, page, log = open_page(browser, site, path, theme=theme)
    try:
        widgets = wait_for_widgets(page)
        assert widgets, f"{path}: no widget rendered"
        assert page.evaluate("document.documentElement.dataset.theme") == theme
        for i, w in enumerate(widgets):
            w.scroll_into_view_if_needed()
            name = f"{path} widget {i} ({w.get_attribute('data-widget')}, {theme})"
            assert w.get_attribute("data-theme") == theme, name
            assert int(w.get_attribute("data-frames")) > 1, name

            # drawn: a real picture, not a blank or single-colour canvas
            canvas = w.locator("canvas").first
            assert wait_until(page, lambda: canvas.evaluate(INK_JS)["ink"] > 0), name
            ink = canvas.evaluate(INK_JS)
            assert ink["ink"] / ink["samples"] > 0.01 and ink["colours"] >= 4, f"{name}: {ink}"

            # every frame drawn so far drew completely (a throwing view leaves a partial picture)
            console_text = w.locator(".vk-console").inner_text() if w.locator(".vk-console").count() else ""
            assert "Drawing failed" not in console_text, f"{name}: {console_text}"

            # accessible: the canvas is an image with a text description
            assert canvas.get_attribute("role") == "img", name
            assert (canvas.get_attribute("aria-label") or "").strip(), name

            # animates: frames advance while playing
            if not playing(w):
                w.get_by_role("button", name="Play").click()
            start = frame(w)
            assert wait_until(page, lambda: frame(w) != start), f"{name}: animation does not advance"

            # pause by mouse: the frame holds still
            w.get_by_role("button", name="Pause").click()
            assert not playing(w), name
            held = frame(w)
            page.wait_for_timeout(400)
            assert frame(w) == held, f"{name}: frame moved while paused"

            # step forward / back by mouse
            w.get_by_role("button", name="Restart").click()
            assert wait_until(page, lambda: frame(w) == 0), name
            w.get_by_role("button", name="Step forward").click()
            assert wait_until(page, lambda: frame(w) == 1), f"{name}: step forward"
            w.get_by_role("button", name="Step back").click()
            assert wait_until(page, lambda: frame(w) == 0), f"{name}: step back"

            # keyboard on the widget itself: arrows step, space plays and pauses
            w.focus()
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")
            assert wait_until(page, lambda: frame(w) == 2), f"{name}: ArrowRight"
            page.keyboard.press("ArrowLeft")
            assert wait_until(page, lambda: frame(w) == 1), f"{name}: ArrowLeft"
            page.keyboard.press("Space")
            assert wait_until(page, lambda: playing(w)), f"{name}: Space did not play"
            assert wait_until(page, lambda: frame(w) > 1), f"{name}: keyboard play does not advance"
            page.keyboard.press("Space")
            assert wait_until(page, lambda: not playing(w)), f"{name}: Space did not pause"

            # keyboard on a control: Tab to the step button, Enter activates it
            step = w.get_by_role("button", name="Step forward")
            step.focus()
            before = frame(w)
            page.keyboard.press("Enter")
            assert wait_until(page, lambda: frame(w) == min(before + 1, int(w.get_attribute("data-frames")) - 1)), \
                f"{name}: Enter on Step forward"

            # scrub: the range input seeks
            scrub = w.get_by_role("slider", name="Time step")
            last = int(w.get_attribute("data-frames")) - 1
            scrub.fill(str(last))
            assert wait_until(page, lambda: frame(w) == last), f"{name}: scrub"
            console_text = w.locator(".vk-console").inner_text() if w.locator(".vk-console").count() else ""
            assert "Drawing failed" not in console_text, f"{name}: {console_text}"

        assert log.console_errors == [], f"{path} ({theme}): console errors {log.console_errors}"
        assert log.off_origin == [], f"{path} ({theme}): off-origin requests {log.off_origin}"
        assert log.failed == [], f"{path} ({theme}): failed requests {log.failed}"
    finally:
        context.close()


@pytest.mark.parametrize("path", notebook_pages())
def test_needs_python_badge_links_to_this_chapter_live(browser, site, path):
    """A control that needs Python says so on the static page, and "Run live" opens the chapter."""
    context, page, log = open_page(browser, site, path)
    try:
        widgets = wait_for_widgets(page)
        live = page.get_attribute('meta[name="vizkit:live-url"]', "content")
        assert live and "path=" in live, f"{path}: no vizkit:live-url meta tag"
        for i, w in enumerate(widgets):
            badge = w.locator(".vk-badge")
            if badge.count() == 0 or not w.locator(".vk-static").count():
                continue        # this widget has no control that needs Python
            link = badge.get_by_role("link", name="Run live")
            assert wait_until(page, lambda: link.count() == 1), f"{path} widget {i}: badge has no Run live link"
            assert "needs Python" in badge.inner_text(), f"{path} widget {i}"
            assert link.get_attribute("href") == live, f"{path} widget {i}"
            target = page.evaluate("(h) => new URL(h, location.href).href", live)
            assert target.startswith(site + "/lite/"), f"{path} widget {i}: {target}"
            resp = context.request.get(target.split("?")[0])
            assert resp.ok, f"{path} widget {i}: {target} answers {resp.status}"
    finally:
        context.close()


@pytest.mark.parametrize("path", notebook_pages())
def test_reduced_motion_starts_paused_but_still_plays(browser, site, path):
    context, page, log = open_page(browser, site, path, reduced_motion="reduce")
    try:
        for w in wait_for_widgets(page):
            w.scroll_into_view_if_needed()
            page.wait_for_timeout(600)
            assert not playing(w), "a widget autoplayed although the reader asked for reduced motion"
            start = frame(w)
            w.get_by_role("button", name="Play").click()
            assert wait_until(page, lambda: frame(w) != start)
            w.get_by_role("button", name="Pause").click()
        assert log.console_errors == []
    finally:
        context.close()


@pytest.mark.parametrize("path", notebook_pages())
def test_widgets_pass_an_accessibility_audit(browser, site, path):
    context, page, log = open_page(browser, site, path)
    try:
        wait_for_widgets(page)
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("""async () => {
            const r = await axe.run('.vk-widget', {resultTypes: ['violations']});
            return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')');
        }""")
        assert result == []
    finally:
        context.close()


@pytest.mark.parametrize("path", [p for p in chapter_pages() if p not in notebook_pages()])
def test_front_matter_pages_load_offline_without_errors(browser, site, path):
    context, page, log = open_page(browser, site, path)
    try:
        page.wait_for_timeout(500)
        assert page.title()
        assert log.console_errors == [], log.console_errors
        assert log.off_origin == [], log.off_origin
        assert log.failed == [], log.failed
    finally:
        context.close()


def test_bad_input_shows_in_the_console_line_and_the_widget_still_draws(browser, site):
    """P7.4 sets prompt_len = 0 on one widget: the static page must show the message, not break."""
    import re

    context, page, log = open_page(browser, site, "book/07-inference/04-kv-cache.html")
    try:
        wait_for_widgets(page)
        consoles = {i: w.locator(".vk-console").inner_text().strip()
                    for i, w in enumerate(page.locator(".vk-widget").all())}
        reported = {i: text for i, text in consoles.items() if text}
        assert reported, f"no widget shows an error: {consoles}"
        for i, text in reported.items():
            assert re.search(r"\bprompt_len must be an integer >= 1\b.*got 0", text), text
            w = page.locator(".vk-widget").nth(i)
            w.scroll_into_view_if_needed()
            assert w.locator("canvas").first.evaluate(INK_JS)["ink"] > 0, "the widget stopped drawing"
        assert log.console_errors == []
    finally:
        context.close()


def test_chapters_render_with_the_small_loader_and_other_widgets_fall_back_to_the_manager(browser, site, tmp_path):
    """Anywidgets render without the 3.6 MB manager; a page with any other widget still gets it."""
    path = notebook_pages()[0]
    context, page, log = open_page(browser, site, path)
    try:
        requested = []
        page.on("request", lambda r: requested.append(r.url))
        page.reload(wait_until="load")
        wait_for_widgets(page)
        assert not [u for u in requested if "embed-amd" in u or "require.js" in u], \
            f"{path}: the full widget manager was loaded for anywidgets only"
        assert any("vizkit-embed.js" in u for u in requested)

        # the same page with one view pointed at a model that is not an anywidget
        built = BUILD_HTML / path
        html = built.read_text(encoding="utf-8")
        m = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', html, re.S)
        state = json.loads(m.group(1))
        state["state"]["not-an-anywidget"] = {"model_name": "HTMLModel", "model_module": "@jupyter-widgets/controls",
                                              "model_module_version": "2.0.0", "state": {"value": "<b>plain</b>"}}
        html = html.replace(m.group(1), json.dumps(state))
        html = html.replace("</article>", '<script type="application/vnd.jupyter.widget-view+json">'
                            '{"version_major": 2, "version_minor": 0, "model_id": "not-an-anywidget"}</script></article>', 1)
        mixed = built.with_name("mixed-widgets-test.html")
        mixed.write_text(html, encoding="utf-8")
        try:
            requested.clear()
            page.goto(f"{site}/{path.rsplit('/', 1)[0]}/mixed-widgets-test.html", wait_until="load")
            assert wait_until(page, lambda: any("embed-amd" in u for u in requested), timeout_ms=10000), \
                "a non-anywidget view did not bring in the full manager"
            page.wait_for_selector(".vk-widget canvas", timeout=15000)   # the anywidgets still render
        finally:
            mixed.unlink()
        assert log.off_origin == [], log.off_origin
    finally:
        context.close()
