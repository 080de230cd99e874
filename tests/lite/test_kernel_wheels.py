"""Kernel-side wheels: the same versions (and code) as the build environment, and a front end that matches.

A notebook behaves the same in Jupyter, on Binder and in JupyterLite only if the
kernel runs the packages the book was built and tested with, and the widget
front end the lite site serves speaks the same version as the kernel's widgets.
"""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from bookpaths import notebook_pages

KERNEL = ("vizkit", "anywidget", "ipywidgets", "psygnal", "comm", "jupyterlab-widgets",
          "typing-extensions", "traitlets")


def manifest(pyodide_dir: Path) -> dict:
    return json.loads((pyodide_dir / "kernel-wheels.json").read_text())


def test_kernel_wheels_are_at_the_build_environments_versions(lite_wheels, staged):
    shipped = {k: v["version"] for k, v in manifest(staged).items()}
    assert set(shipped) == set(KERNEL)
    for name, version in shipped.items():
        assert version == metadata.version(name), f"{name}: kernel wheel {version}, build environment " \
                                                  f"{metadata.version(name)}"
    lite_wheels.check_versions(shipped, lite_wheels.build_versions())


def test_kernel_wheels_carry_the_installed_code(lite_wheels, staged):
    """Hash by hash, the Python files in each downloaded wheel are the ones the build environment runs."""
    for name, entry in manifest(staged).items():
        if name == "vizkit":
            continue
        dist_name = next(n for n in lite_wheels.THIRD_PARTY if lite_wheels.canonical(n) == name)
        assert lite_wheels.record_mismatches(staged / entry["file_name"], dist_name) == [], name


def test_the_project_wheel_is_this_checkout(staged):
    whl = staged / manifest(staged)["vizkit"]["file_name"]
    src = Path(__file__).resolve().parents[2] / "src" / "vizkit"
    with zipfile.ZipFile(whl) as zf:
        names = set(zf.namelist())
        for path in src.rglob("*.py"):
            rel = "vizkit/" + path.relative_to(src).as_posix()
            assert rel in names, f"{rel} missing from {whl.name}"
            assert zf.read(rel) == path.read_bytes(), f"{rel} in {whl.name} is stale"
        for path in (src / "widgets" / "static").glob("*.js"):
            rel = "vizkit/" + path.relative_to(src).as_posix()
            assert zf.read(rel) == path.read_bytes(), f"widget bundle {rel} in {whl.name} is stale"


def test_imports_in_a_chapter_need_no_pip(staged):
    """loadPackagesFromImports finds vizkit in the lock and loads everything it needs with it."""
    packages = json.loads((staged / "pyodide-lock.json").read_text())["packages"]

    def closure(name, seen=None):
        seen = set() if seen is None else seen
        if name not in seen:
            seen.add(name)
            for dep in packages[name]["depends"]:
                closure(dep.lower().replace("_", "-"), seen)
        return seen

    assert packages["vizkit"]["imports"] == ["vizkit"]
    assert {"numpy", "matplotlib", "anywidget", "ipywidgets", "psygnal", "comm", "traitlets",
            "typing-extensions"} <= closure("vizkit")
    # the kernel installs comm itself at start-up: from the lock, never from an index
    assert packages["comm"]["imports"] == ["comm"]
    # Pyodide's traitlets is replaced by the build environment's
    assert packages["traitlets"]["version"] == metadata.version("traitlets")


def test_a_version_drift_says_what_drifted(lite_wheels):
    with pytest.raises(lite_wheels.WheelError) as err:
        lite_wheels.check_versions({"anywidget": "0.10.0", "ipywidgets": "8.1.9"},
                                   {"anywidget": "0.11.0", "ipywidgets": "8.1.9", "comm": "0.2.3"})
    message = str(err.value)
    assert "anywidget: kernel wheel 0.10.0 != build environment 0.11.0" in message
    assert "comm: kernel wheel missing != build environment 0.2.3" in message
    assert "ipywidgets" not in message


def fake_site(staged: Path, root: Path) -> Path:
    """A lite/ folder with the staged Pyodide and the build environment's front-end extensions."""
    site = root / "lite"
    shutil.copytree(staged, site / "static" / "pyodide")
    labext = Path(sys.prefix) / "share" / "jupyter" / "labextensions"
    for npm in ("anywidget", "@jupyter-widgets/jupyterlab-manager", "@jupyterlite/pyodide-kernel-extension"):
        (site / "extensions" / npm).mkdir(parents=True)
        shutil.copy2(labext / npm / "package.json", site / "extensions" / npm / "package.json")
    template = json.loads((Path(__file__).resolve().parents[2] / "lite" / "jupyter-lite.json").read_text())
    (site / "jupyter-lite.json").write_text(json.dumps(template))
    return site


def rewrite_wheel(whl: Path, version: str) -> None:
    """Make ``whl`` claim another version, in its metadata and in the lab extension it ships."""
    tmp = whl.with_suffix(".tmp")
    with zipfile.ZipFile(whl) as src, zipfile.ZipFile(tmp, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith(".dist-info/METADATA"):
                data = b"\n".join(b"Version: " + version.encode() if ln.startswith(b"Version: ") else ln
                                  for ln in data.split(b"\n"))
            elif item.filename.endswith("labextensions/anywidget/package.json"):
                pkg = json.loads(data)
                pkg["version"] = version
                data = json.dumps(pkg).encode()
            dst.writestr(item, data)
    tmp.replace(whl)


def test_a_consistent_site_passes(lite_wheels, staged, tmp_path):
    checked = lite_wheels.check_site(fake_site(staged, tmp_path))
    assert any("front end anywidget" in c for c in checked)


def test_a_kernel_front_end_mismatch_fails_with_a_clear_message(lite_wheels, pyodide_dist, staged, tmp_path):
    """The kernel's anywidget drifts to 0.10.0 while the front end stays at the build's version."""
    site = fake_site(staged, tmp_path)
    pyo = site / "static" / "pyodide"
    lock = json.loads((pyo / "pyodide-lock.json").read_text())
    whl = pyo / lock["packages"]["anywidget"]["file_name"]
    rewrite_wheel(whl, "0.10.0")
    sha = pyodide_dist.sha256_file(whl)
    lock["packages"]["anywidget"].update(version="0.10.0", sha256=sha)
    (pyo / "pyodide-lock.json").write_text(json.dumps(lock))
    kernel = manifest(pyo)
    kernel["anywidget"].update(version="0.10.0", sha256=sha)
    (pyo / "kernel-wheels.json").write_text(json.dumps(kernel))

    with pytest.raises(lite_wheels.WheelError) as err:
        lite_wheels.check_site(site)
    assert f"anywidget: kernel wheel 0.10.0 != build environment {metadata.version('anywidget')}" in str(err.value)

    # with the build environment's versions taken from the drifted wheel, the front end disagrees
    real = lite_wheels.build_versions
    try:
        lite_wheels.build_versions = lambda: {**real(), "anywidget": "0.10.0"}
        with pytest.raises(lite_wheels.WheelError) as err:
            lite_wheels.check_site(site)
    finally:
        lite_wheels.build_versions = real
    front = json.loads((site / "extensions" / "anywidget" / "package.json").read_text())["version"]
    assert f"front-end extension anywidget {front} != 0.10.0 shipped by kernel wheel" in str(err.value)


def test_a_wrong_pyodide_url_fails(lite_wheels, staged, tmp_path):
    site = fake_site(staged, tmp_path)
    cfg = json.loads((site / "jupyter-lite.json").read_text())
    cfg["jupyter-config-data"]["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"][
        "pyodideUrl"] = "https://cdn.jsdelivr.net/pyodide/v0.27.7/full/pyodide.js"
    (site / "jupyter-lite.json").write_text(json.dumps(cfg))
    with pytest.raises(lite_wheels.WheelError, match="not the self-hosted"):
        lite_wheels.check_site(site)


@pytest.mark.build
def test_the_built_lite_site_agrees_with_its_kernel(lite_wheels, lite_site):
    """The real site: front-end extensions, kernel wheels, Pyodide and jupyter-lite.json all agree."""
    checked = lite_wheels.check_site(lite_site)
    assert len(checked) >= 4
    notebooks = {p.relative_to(lite_site / "files").as_posix() for p in (lite_site / "files").rglob("*.ipynb")}
    chapters = {page.removesuffix(".html") + ".ipynb" for page in notebook_pages()}   # every chapter in the toc
    assert chapters <= notebooks, f"chapters missing from the lite site: {sorted(chapters - notebooks)}"
