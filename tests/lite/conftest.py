"""Fixtures for the live tier: the assembled Pyodide, a staged lite folder, the built lite site."""

from __future__ import annotations

from pathlib import Path

import pytest

from litetools import load_script, serve


@pytest.fixture(scope="session")
def pyodide_dist():
    return load_script("pyodide_dist")


@pytest.fixture(scope="session")
def lite_wheels(pyodide_dist):
    return load_script("lite_wheels")


@pytest.fixture(scope="session")
def dist(pyodide_dist) -> Path:
    """The assembled Pyodide distribution (downloaded once, then re-verified from the cache)."""
    return pyodide_dist.ensure_dist()


@pytest.fixture(scope="session")
def upstream(pyodide_dist, dist) -> dict:
    return pyodide_dist.upstream_lock()


@pytest.fixture(scope="session")
def staged(lite_wheels, tmp_path_factory) -> Path:
    """A JupyterLite source folder staged from this checkout; returns its static/pyodide."""
    lite_dir = tmp_path_factory.mktemp("lite-src")
    lite_wheels.stage(lite_dir)
    return lite_dir / "static" / "pyodide"


@pytest.fixture(scope="session")
def lite_site(book_build) -> Path:
    """The lite site inside the strictly built book (_build/html/lite)."""
    assert book_build.returncode == 0, "the book did not build; see test_book_build"
    lite = book_build.html_dir / "lite"
    assert (lite / "jupyter-lite.json").is_file(), (
        f"{lite} was not built: enable jupyterlite_sphinx and the live_tier extension in _config.yml "
        "(see lite/README.md)")
    return lite


@pytest.fixture(scope="session")
def lite_origin(lite_site):
    with serve(lite_site.parent) as origin:
        yield origin
