"""Print the performance budgets (DESIGN §6) for what the book has, as one table.

    python benchmarks/run.py            # everything (builds the book twice: clean, then no-op)
    python benchmarks/run.py --no-build # skip the build timings, reuse _build/html

Measured, not asserted: compare the table with the last run's.
Budgets: widget frame p95 < 8 ms; re-simulation < 50 ms (CPython); first widget
drawn < 1 s (localhost); page weight beyond shared assets < 500 KB.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from bookpaths import BUILD_HTML, notebook_pages  # noqa: E402
from pagetools import open_page  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Samples the engine's own per-frame draw durations (ms), recorded by the widget root.
FRAME_TIMES_JS = "(el) => Array.from(el.vkFrameTimes ? el.vkFrameTimes() : [])"


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def time_build(clean: bool) -> float:
    jb = Path(sys.executable).with_name("jupyter-book")
    if clean:
        shutil.rmtree(ROOT / "_build" / "html", ignore_errors=True)
        shutil.rmtree(ROOT / "_build" / ".doctrees", ignore_errors=True)
        shutil.rmtree(ROOT / "_build" / ".jupyter_cache", ignore_errors=True)
    t0 = time.perf_counter()
    subprocess.run([str(jb), "build", ".", "-W", "-n", "--keep-going", "-q"], cwd=ROOT, check=True,
                   capture_output=True)
    return time.perf_counter() - t0


def resimulation_ms() -> dict[str, float]:
    """Median wall time of the work a parameter change triggers, per exported widget class.

    ``_resimulate()`` is exactly what a change to any simulation trait runs: the
    simulation of every scenario the widget ships, then the synced-state update.
    """
    import vizkit.widgets as widgets

    out = {}
    for name in widgets.__all__:
        cls = getattr(widgets, name)
        if not getattr(cls, "_bundle", ""):
            continue
        w = cls()
        samples = []
        for _ in range(10):
            t0 = time.perf_counter()
            assert w._resimulate(), w.error
            samples.append((time.perf_counter() - t0) * 1e3)
        out[cls._bundle] = statistics.median(samples)
    return out


def page_weight_kb(path: str) -> float:
    """Bytes only this page brings: its HTML (with embedded widget state) and its own images."""
    html = BUILD_HTML / path
    size = html.stat().st_size
    text = html.read_text(errors="replace")
    for img in set(__import__("re").findall(r'src="([^"]*_images/[^"]+)"', text)):
        f = (html.parent / img).resolve()
        if f.is_file():
            size += f.stat().st_size
    return size / 1000


FIRST_INK_JS = """() => {
  const c = document.querySelector('.vk-widget canvas');
  if (!c || !c.width) return false;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 0; i < d.length; i += 64) if (d[i] !== d[0] || d[i + 1] !== d[1]) return performance.now();
  return false;
}"""


def browser_metrics(origin: str, browser) -> list[dict]:
    """Per widget: draw-time p95 over 3 s of playback from the first frame; per page: time to first ink."""
    rows = []
    for path in notebook_pages():
        context, page, log = open_page(browser, origin, path)
        # milliseconds since navigation start, measured by the page itself
        first_drawn_s = page.wait_for_function(FIRST_INK_JS, polling="raf").json_value() / 1e3
        for i, w in enumerate(page.locator(".vk-widget").all()):
            w.scroll_into_view_if_needed()
            w.get_by_role("button", name="Restart").click()
            if w.get_attribute("data-playing") != "true":
                w.get_by_role("button", name="Play").click()
            before = len(w.evaluate(FRAME_TIMES_JS))
            page.wait_for_timeout(3000)
            times = w.evaluate(FRAME_TIMES_JS)[before:]
            w.get_by_role("button", name="Pause").click()
            rows.append({"page": path, "widget": f"{w.get_attribute('data-widget')}#{i}",
                         "frame_p95_ms": percentile(times, 95), "frames": len(times),
                         "first_drawn_s": first_drawn_s, "weight_kb": page_weight_kb(path)})
        context.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()

    table: list[tuple[str, str, str, str]] = []
    if not args.no_build:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "vendor_static.py")], check=True)
        clean = time_build(clean=True)
        noop = time_build(clean=False)
        table.append(("clean build of the whole book", f"{clean:.1f} s", "report", ""))
        table.append(("no-op rebuild", f"{noop:.1f} s", "report", ""))

    for name, ms in resimulation_ms().items():
        table.append((f"re-simulation, {name} (CPython, median)", f"{ms:.2f} ms", "< 50 ms",
                      "ok" if ms < 50 else "OVER"))

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(BUILD_HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        rows = browser_metrics(origin, browser)
        for row in rows:
            label = f"{row['page']} {row['widget']}"
            table.append((f"frame time p95, {label} ({row['frames']} frames)", f"{row['frame_p95_ms']:.2f} ms",
                          "< 8 ms", "ok" if row["frame_p95_ms"] < 8 else "OVER"))
        for page in dict.fromkeys(r["page"] for r in rows):
            row = next(r for r in rows if r["page"] == page)
            table.append((f"first widget drawn, {page}", f"{row['first_drawn_s']:.2f} s", "< 1 s",
                          "ok" if row["first_drawn_s"] < 1 else "OVER"))
            table.append((f"page weight beyond shared assets, {page}", f"{row['weight_kb']:.0f} KB",
                          "< 500 KB", "ok" if row["weight_kb"] < 500 else "OVER"))
        browser.close()
    server.shutdown()

    widths = [max(len(r[i]) for r in table + [("what", "measured", "budget", "")]) for i in range(4)]
    header = ("what", "measured", "budget", "")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("-|-".join("-" * w for w in widths))
    for r in table:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
