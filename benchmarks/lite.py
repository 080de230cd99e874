"""The live tier's numbers as one table: cold start in JupyterLite, and what the site weighs.

    python benchmarks/lite.py                  # 3 cold starts of the reference chapter against _build/html
    python benchmarks/lite.py --runs 5 --site /path/to/html --assembly

Each run is a fresh browser profile (empty cache and storage) on localhost with
every off-origin request blocked. Times are milliseconds since navigation
start, measured by the page: notebook open, kernel idle, first cell output
after "run all" (sent as soon as the kernel is idle, as a learner would), and
the first widget's canvas drawn. Sizes: the self-hosted Pyodide (core,
upstream packages, kernel wheels; raw and gzip -6), the whole lite site and the
whole built book. ``--assembly`` also times scripts/pyodide_dist.py cold
(empty cache) and cached. Measured, not asserted; budget (DESIGN §6): first
widget under 15 s.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "lite"))

from litetools import (REFERENCE, launch, lite_url, new_context, run_all, serve,  # noqa: E402
                       wait_first_output, wait_kernel_idle, wait_notebook, wait_widget_drawn, watch)

MiB = 2**20


def tree_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def gzip_bytes(files) -> int:
    return sum(len(gzip.compress(f.read_bytes(), 6)) for f in files)


def pyodide_sizes(site: Path) -> list[tuple[str, str]]:
    pyo = site / "lite" / "static" / "pyodide"
    lock = json.loads((pyo / "pyodide-lock.json").read_text())["packages"]
    kernel = json.loads((pyo / "kernel-wheels.json").read_text())
    files = [f for f in pyo.iterdir() if f.is_file()]
    kernel_files = [pyo / v["file_name"] for v in kernel.values()]
    package_files = [pyo / e["file_name"] for k, e in lock.items() if k not in kernel]
    core = [f for f in files if f not in kernel_files and f not in package_files]

    def row(label, fs):
        raw = sum(f.stat().st_size for f in fs)
        return (label, f"{raw / MiB:.1f} MiB ({gzip_bytes(fs) / MiB:.1f} MiB gzip)")

    return [
        row(f"self-hosted Pyodide, total ({len(lock)} packages)", files),
        row("  core (wasm, asm.js, stdlib, lock)", core),
        row(f"  upstream Pyodide packages ({len(package_files)})", package_files),
        row(f"  kernel wheels ({len(kernel_files)}: vizkit + widget stack)", kernel_files),
        (f"lite site ({site / 'lite'})", f"{tree_bytes(site / 'lite') / MiB:.1f} MiB"),
        ("whole built book (static + lite)", f"{tree_bytes(site) / MiB:.1f} MiB"),
    ]


def served_bytes(site: Path, urls: list[str]) -> int:
    total = 0
    for url in dict.fromkeys(urls):
        path = site / urlparse(url).path.lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            total += path.stat().st_size
    return total


def cold_start(browser, origin: str, site: Path, notebook: str) -> dict:
    context, log = new_context(browser, origin)
    page = context.new_page()
    watch(page, log)
    try:
        page.goto(lite_url(origin, notebook), wait_until="load")
        opened = wait_notebook(page)
        idle = wait_kernel_idle(page)
        run_all(page)
        first_output = wait_first_output(page)
        drawn = wait_widget_drawn(page)
        return {"notebook_open": opened, "kernel_idle": idle, "first_output": first_output,
                "first_widget": drawn, "bytes": served_bytes(site, log.served),
                "off_origin": len(log.off_origin)}
    finally:
        context.close()


def time_assembly() -> list[tuple[str, str]]:
    script = ROOT / "scripts" / "pyodide_dist.py"
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(script), "--cache", tmp], check=True, capture_output=True)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(script), "--cache", tmp], check=True, capture_output=True)
        cached = time.perf_counter() - t0
        shutil.rmtree(tmp, ignore_errors=True)
    return [("Pyodide assembly, empty project cache (registry clients' caches as they are)", f"{cold:.1f} s"),
            ("Pyodide assembly, cached (re-verify every hash)", f"{cached:.2f} s")]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", type=Path, default=ROOT / "_build" / "html", help="built book (with lite/)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--notebook", default=REFERENCE)
    ap.add_argument("--assembly", action="store_true", help="also time the Pyodide assembly")
    args = ap.parse_args()
    if not (args.site / "lite" / "jupyter-lite.json").is_file():
        print(f"no lite site under {args.site}: build the book with jupyterlite_sphinx enabled", file=sys.stderr)
        return 1

    table = []
    if args.assembly:
        table += time_assembly()
    table += pyodide_sizes(args.site)

    from playwright.sync_api import sync_playwright

    runs = []
    with serve(args.site) as origin, sync_playwright() as p:
        browser = launch(p)
        for _ in range(args.runs):
            runs.append(cold_start(browser, origin, args.site, args.notebook))
        browser.close()

    def stat(key):
        values = [r[key] / 1e3 for r in runs]
        return f"{statistics.median(values):.1f} s (min {min(values):.1f}, max {max(values):.1f}, n={len(values)})"

    table += [
        (f"cold start {args.notebook}: notebook open", stat("notebook_open")),
        ("cold start: kernel idle", stat("kernel_idle")),
        ("cold start: first cell output (run all at idle)", stat("first_output")),
        ("cold start: first widget drawn (budget: aim < 15 s)", stat("first_widget")),
        ("cold start: bytes requested from the site", f"{statistics.median(r['bytes'] for r in runs) / MiB:.1f} MiB"),
        ("cold start: off-origin requests (blocked)", str(max(r["off_origin"] for r in runs))),
    ]
    width = max(len(label) for label, _ in table)
    print(f"{'what'.ljust(width)} | measured")
    print(f"{'-' * width}-|-{'-' * 30}")
    for label, value in table:
        print(f"{label.ljust(width)} | {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
