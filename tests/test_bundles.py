"""The bundled widget modules in src/vizkit/widgets/static/ match their sources in widgets/.

Runs `node widgets/build.mjs --check`, which bundles every entry in memory and
compares it byte for byte with the committed file.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from bookpaths import ROOT

INSTALL = ("install Node.js >= 18 with npm (Debian: `sudo apt-get install nodejs npm`), "
           "then run `npm ci` in the repository root to get esbuild")


def test_widget_bundles_are_fresh():
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is not on PATH: {INSTALL}")
    if not (ROOT / "node_modules" / "esbuild").is_dir():
        pytest.fail(f"esbuild is missing from node_modules: {INSTALL}")
    proc = subprocess.run([node, "widgets/build.mjs", "--check"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, (proc.stderr or proc.stdout).strip()


def test_every_entry_has_a_bundle_and_a_widget_class():
    entries = sorted(p.stem for p in (ROOT / "widgets" / "entries").glob("*.js"))
    bundles = sorted(p.stem for p in (ROOT / "src" / "vizkit" / "widgets" / "static").glob("*.js"))
    assert entries and entries == bundles

    import vizkit.widgets as widgets

    classes = {getattr(widgets, n)._bundle for n in widgets.__all__ if getattr(widgets, n)._bundle}
    assert classes == set(entries)
