"""Drive a chapter in the book's JupyterLite site with Playwright, offline.

Shared by the live browser tests and ``benchmarks/lite.py``. Every request that
leaves the site's origin is aborted and recorded. The lite site is built with
``exposeAppInBrowser``, so ``window.jupyterapp`` gives the notebook, its kernel
and the command registry.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]
LOCAL_SCHEMES = ("data:", "blob:", "about:")

#: The chapter every live test and benchmark opens.
REFERENCE = "book/07-inference/04-kv-cache.ipynb"

# The notebook panel the app shows (Notebook 7 or JupyterLab), or null.
PANEL_JS = "(() => { const a = window.jupyterapp; const w = a && a.shell.currentWidget;" \
           " return w && w.sessionContext && w.content ? w : null; })()"

# Counts pixels that differ from the canvas's corner (background) colour.
INK_JS = """(canvas) => {
  const w = canvas.width, h = canvas.height;
  if (!w || !h) return {ink: 0, samples: 0, colours: 0};
  const d = canvas.getContext('2d').getImageData(0, 0, w, h).data;
  const bg = [d[0], d[1], d[2], d[3]];
  let ink = 0; const colours = new Set();
  for (let i = 0; i < d.length; i += 16) {
    const dr = Math.abs(d[i]-bg[0]) + Math.abs(d[i+1]-bg[1]) + Math.abs(d[i+2]-bg[2]) + Math.abs(d[i+3]-bg[3]);
    if (dr > 24) ink++;
    colours.add((d[i] >> 4) << 8 | (d[i+1] >> 4) << 4 | (d[i+2] >> 4));
  }
  return {ink, samples: d.length / 16, colours: colours.size};
}"""

# A digest of what a canvas shows now.
CANVAS_DIGEST_JS = """async (canvas) => {
  const data = new TextEncoder().encode(canvas.toDataURL('image/png'));
  const h = await crypto.subtle.digest('SHA-256', data);
  return Array.from(new Uint8Array(h)).map(b => b.toString(16).padStart(2, '0')).join('');
}"""

# Run code on the notebook's kernel (as a learner's cell would); resolve with its text output.
KERNEL_EXEC_JS = """async (code) => {
  const panel = %s;
  const kernel = panel.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, stop_on_error: true});
  let out = '';
  future.onIOPub = (msg) => {
    const c = msg.content;
    if (msg.header.msg_type === 'stream') out += c.text;
    else if (msg.header.msg_type === 'error') out += `ERROR ${c.ename}: ${c.evalue}`;
    else if (msg.header.msg_type === 'execute_result') out += (c.data['text/plain'] || '');
  };
  await future.done;
  return out;
}""" % PANEL_JS


@dataclass
class LiteLog:
    origin: str
    off_origin: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".mjs": "text/javascript", ".js": "text/javascript"}

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` over HTTP on an ephemeral localhost port; yields the origin."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def in_own_thread(fn, *args, **kwargs):
    """Run ``fn`` in a new thread and return its result (or raise its exception).

    Playwright's sync API refuses to start while another sync instance is alive in
    the same thread (the static-page tests keep one open for the whole session), so
    the live flow drives its own Chromium from a thread of its own.
    """
    box: dict = {}

    def target():
        try:
            box["result"] = fn(*args, **kwargs)
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="live-browser")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["result"]


def launch(playwright):
    assert CHROMIUM.exists(), "Debian's chromium is missing: run `bash scripts/setup.sh --test`"
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def new_context(browser, origin: str):
    """A fresh profile (no cache, no storage) that blocks and logs every off-origin request."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    log = LiteLog(origin)

    def route(r):
        url = r.request.url
        if url.startswith(origin) or url.startswith(LOCAL_SCHEMES):
            log.served.append(url)
            r.continue_()
        else:
            log.off_origin.append(url)
            r.abort()

    context.route("**/*", route)
    return context, log


def watch(page, log: LiteLog) -> None:
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and log.console_errors.append(m.text))
    page.on("response", lambda r: r.status >= 400 and log.failed.append(f"{r.status} {r.url}"))


def lite_url(origin: str, notebook: str = REFERENCE, app: str = "notebooks") -> str:
    return f"{origin}/lite/{app}/index.html?path={notebook}"


def wait_notebook(page, timeout_ms: int = 60_000) -> float:
    """Wait until the notebook is open; returns performance.now() (ms since navigation)."""
    return page.wait_for_function(f"() => {{ const p = {PANEL_JS}; return p && p.context.isReady"
                                  " && p.content.widgets.length > 0 ? performance.now() : 0; }",
                                  timeout=timeout_ms).json_value()


def wait_kernel_idle(page, timeout_ms: int = 120_000) -> float:
    """Wait until the Pyodide kernel has started and is idle (commands sent earlier are lost)."""
    return page.wait_for_function(
        f"""() => {{ const p = {PANEL_JS}; const s = p && p.sessionContext;
            const k = s && s.session && s.session.kernel;
            return s && s.isReady && k && k.status === 'idle' && k.connectionStatus === 'connected'
                ? performance.now() : 0; }}""", timeout=timeout_ms).json_value()


def run_all(page) -> None:
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


def wait_all_executed(page, timeout_ms: int = 180_000) -> float:
    """Wait until every code cell has an execution count and the kernel is idle again."""
    return page.wait_for_function(
        f"""() => {{ const p = {PANEL_JS}; if (!p) return 0;
            const cells = Array.from(p.content.model.cells);
            const done = cells.filter(c => c.type === 'code').every(c => c.executionCount !== null);
            return done && p.sessionContext.session.kernel.status === 'idle' ? performance.now() : 0; }}""",
        timeout=timeout_ms).json_value()


def error_outputs(page) -> list[str]:
    """Tracebacks in the notebook's outputs, as 'ename: evalue'."""
    return page.evaluate(f"""() => {{ const p = {PANEL_JS}; const errs = [];
        for (const cell of p.content.model.cells) {{
          if (cell.type !== 'code') continue;
          for (let i = 0; i < cell.outputs.length; i++) {{
            const o = cell.outputs.get(i).toJSON();
            if (o.output_type === 'error') errs.push(`${{o.ename}}: ${{o.evalue}}`);
          }}
        }}
        return errs; }}""")


def wait_first_output(page, timeout_ms: int = 180_000) -> float:
    return page.wait_for_function(
        "() => document.querySelector('.jp-OutputArea-output') ? performance.now() : 0",
        timeout=timeout_ms).json_value()


WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def show_widget(page, n: int = 0, timeout_ms: int = 180_000):
    """Scroll the notebook to the cell holding its ``n``-th widget output; return a locator for the widget.

    The notebook renders only the cells near the viewport (windowing), so a widget
    further down is not in the page until its cell is scrolled to. The cell gets a
    ``data-live-test`` attribute so the locator stays valid however the notebook scrolls.
    """
    index = page.wait_for_function(
        f"""(n) => {{ const p = {PANEL_JS}; if (!p) return null; let seen = -1;
            const cells = Array.from(p.content.model.cells);
            for (let i = 0; i < cells.length; i++) {{
              const c = cells[i]; if (c.type !== 'code') continue;
              for (let j = 0; j < c.outputs.length; j++) {{
                const o = c.outputs.get(j);
                if (o.data && o.data['{WIDGET_MIME}'] && ++seen === n) return i;
              }}
            }}
            return null; }}""", arg=n, timeout=timeout_ms).json_value()
    page.evaluate(f"""async (i) => {{ const p = {PANEL_JS};
        p.content.activeCellIndex = i; await p.content.scrollToItem(i, 'start');
        p.content.widgets[i].node.setAttribute('data-live-test', 'widget-{n}'); }}""", index)
    widget = page.locator(f"[data-live-test='widget-{n}'] .vk-widget").first
    widget.wait_for(state="visible", timeout=timeout_ms)
    return widget


def wait_widget_drawn(page, n: int = 0, timeout_ms: int = 180_000) -> float:
    """Wait until the ``n``-th vizkit widget's canvas has real ink on it; returns performance.now()."""
    show_widget(page, n, timeout_ms)
    return page.wait_for_function(
        f"(inkjs) => {{ const c = document.querySelector(\"[data-live-test='widget-{n}'] .vk-widget canvas\");"
        " if (!c) return 0; const r = (0, eval)(inkjs)(c);"
        " return r.ink > 0 && r.colours >= 3 ? performance.now() : 0; }",
        arg=INK_JS, timeout=timeout_ms, polling=100).json_value()


def kernel_exec(page, code: str) -> str:
    return page.evaluate(KERNEL_EXEC_JS, code)


def load_script(name: str):
    """Import scripts/<name>.py as a module (the scripts are not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
