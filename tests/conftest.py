"""Shared fixtures: the repository root and one strict build of the book per test session."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bookpaths import BUILD_HTML, ROOT


@dataclass(frozen=True)
class BookBuild:
    returncode: int
    log: str
    html_dir: Path

    @property
    def warnings(self) -> list[str]:
        """Lines Sphinx reported as ``WARNING:`` or ``ERROR:`` (ANSI colours stripped).

        A kernel's own log lines (``[IPKernelApp] WARNING | ...``) are not build warnings.
        """
        plain = re.sub(r"\x1b\[[0-9;]*m", "", self.log)
        return [ln for ln in plain.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL):", ln)]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def book_build() -> BookBuild:
    """Build the whole book once, strictly (-W -n --keep-going), into _build/html.

    Notebook execution is cached by jupyter-cache, so an unchanged book rebuilds quickly.
    """
    vendor = subprocess.run([sys.executable, str(ROOT / "scripts" / "vendor_static.py")],
                            cwd=ROOT, capture_output=True, text=True)
    if vendor.returncode != 0:
        return BookBuild(vendor.returncode, vendor.stdout + vendor.stderr, BUILD_HTML)
    jb = Path(sys.executable).with_name("jupyter-book")
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.run([str(jb), "build", ".", "-W", "-n", "--keep-going"], cwd=ROOT,
                          capture_output=True, text=True, env=env)
    return BookBuild(proc.returncode, proc.stdout + proc.stderr, BUILD_HTML)
