"""Browser fixtures: the built book served on localhost and Debian's Chromium driven by Playwright.

Every request that leaves the page's origin is aborted and recorded, so a test
can assert that a page made none. Playwright never downloads a browser here:
it drives /usr/bin/chromium (installed by scripts/setup.sh --test).
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]



class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@pytest.fixture(scope="session")
def site(book_build):
    """Serve _build/html on an ephemeral localhost port; yields its origin."""
    assert book_build.returncode == 0, "the book did not build; see test_book_build"
    handler = functools.partial(_QuietHandler, directory=str(book_build.html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is missing: run `bash scripts/setup.sh --test`"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
