#!/usr/bin/env python3
"""Kernel-side wheels for the JupyterLite site, at exactly the build environment's versions.

The Pyodide kernel runs the chapter notebooks unchanged: ``import vizkit`` must work
without ``%pip``. jupyterlite-pyodide-kernel 0.6 calls Pyodide's
``loadPackagesFromImports`` before every cell, and that looks imports up in
``pyodide-lock.json``. So the wheels built here are **added to the staged
Pyodide lock** (name, version, sha256, top-level imports, dependencies from
their own metadata) instead of being served through a piplite index:

* ``from vizkit.widgets import KVCacheWidget`` loads vizkit and, through the lock's
  ``depends``, numpy, anywidget, ipywidgets, psygnal, comm, traitlets, matplotlib, ...;
* the kernel's own start-up ``piplite.install('comm')`` finds comm in the lock;
* nothing touches an index at run time, and Pyodide checks each wheel's sha256
  (subresource integrity) as it fetches it.

The wheels are the project's own (``pip wheel --no-deps .``) and pure-Python wheels
from PyPI (``pip download --no-deps --only-binary=:all:``) at the version
``importlib.metadata`` reports in the build environment. Each downloaded wheel's
Python files are compared, hash by hash, with the installed copy's RECORD.

Usage::

    python scripts/lite_wheels.py --stage DIR     # stage a JupyterLite source folder in DIR:
                                                  #   DIR/static/pyodide  (Pyodide + kernel wheels + lock)
                                                  #   DIR/jupyter_lite_config.json, DIR/jupyter-lite.json
    python scripts/lite_wheels.py --wheels DIR    # only build/download the kernel wheels into DIR
    python scripts/lite_wheels.py --check-site SITE   # versions in a built lite site agree
"""

from __future__ import annotations

import argparse
import csv
import email.parser
import importlib.util
import io
import json
import re
import shutil
import sys
import tempfile
import time
import zipfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "lite"
CACHE = ROOT / ".cache" / "lite-wheels"


def _load_pyodide_dist():
    spec = importlib.util.spec_from_file_location("pyodide_dist", Path(__file__).with_name("pyodide_dist.py"))
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("pyodide_dist", mod)
    spec.loader.exec_module(mod)
    return mod


pyodide_dist = sys.modules.get("pyodide_dist") or _load_pyodide_dist()
canonical = pyodide_dist.canonical
sha256_file = pyodide_dist.sha256_file

#: The project, shipped as a wheel built from this checkout.
PROJECT = "vizkit"
#: Pure-Python packages the kernel needs that Pyodide does not ship (or ships at a
#: different version than the build environment): the widget stack and its dependencies.
#: traitlets replaces Pyodide's 5.14.3 so trait semantics match the build environment.
THIRD_PARTY = ("anywidget", "ipywidgets", "psygnal", "comm", "jupyterlab_widgets",
               "typing_extensions", "traitlets")
#: Requirements that are not needed inside the kernel: widgetsnbextension is the classic
#: Notebook front end (JupyterLite serves the JupyterLab one from the build environment).
FRONTEND_ONLY = {"widgetsnbextension"}
#: Imports the lock cannot see: vizkit imports matplotlib lazily (exercise plots), so a
#: cell that calls ``ex.plot_traces`` has no matplotlib import for Pyodide to find.
EXTRA_DEPENDS = {"vizkit": ["matplotlib"]}

#: Environment markers of Pyodide 0.27 (CPython 3.12 on Emscripten/wasm32).
PYODIDE_MARKERS = {
    "python_version": "3.12", "python_full_version": "3.12.7", "sys_platform": "emscripten",
    "platform_system": "Emscripten", "platform_machine": "wasm32", "os_name": "posix",
    "implementation_name": "cpython", "platform_python_implementation": "CPython",
    "platform_release": "3.1.58", "implementation_version": "3.12.7", "extra": "",
}
KERNEL_MANIFEST = pyodide_dist.KERNEL_MANIFEST
#: Marks a folder this script staged (and may therefore wipe and re-stage).
STAGE_MARKER = ".lite-stage"


class WheelError(RuntimeError):
    """A kernel wheel is missing, at the wrong version, or disagrees with the front end."""


def log(msg: str) -> None:
    print(f"lite_wheels: {msg}", file=sys.stderr, flush=True)


# -- versions --------------------------------------------------------------------------------

def build_versions() -> dict[str, str]:
    """Versions installed in this (the build) environment, by canonical name."""
    return {canonical(n): metadata.version(n) for n in (PROJECT, *THIRD_PARTY)}


def wheel_metadata(whl: Path) -> email.message.Message:
    with zipfile.ZipFile(whl) as zf:
        name = next(n for n in zf.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
        return email.parser.Parser().parsestr(zf.read(name).decode())


def wheel_name_version(whl: Path) -> tuple[str, str]:
    meta = wheel_metadata(whl)
    return canonical(meta["Name"]), meta["Version"]


def check_versions(wheels: dict[str, str], expected: dict[str, str], *, what: str = "kernel wheel",
                   against: str = "build environment") -> None:
    """Raise WheelError listing every package whose version differs (or is missing)."""
    problems = []
    for name in sorted(set(expected) | set(wheels)):
        have, want = wheels.get(name), expected.get(name)
        if have != want:
            problems.append(f"{name}: {what} {have or 'missing'} != {against} {want or 'missing'}")
    if problems:
        raise WheelError("version drift between the JupyterLite kernel and the "
                         f"{against}:\n  " + "\n  ".join(problems))


# -- building and downloading ----------------------------------------------------------------

def _pip(*args: str) -> None:
    pyodide_dist.run_quiet([sys.executable, "-m", "pip", *args, "--disable-pip-version-check", "-q"],
                           error=WheelError)


def build_project_wheel(dest: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
        _pip("wheel", "--no-deps", *isolation, "-w", tmp, str(ROOT))
        (whl,) = Path(tmp).glob("*.whl")
        for old in dest.glob(f"{PROJECT}-*.whl"):
            old.unlink()
        return Path(shutil.copy2(whl, dest / whl.name))


def download_wheel(name: str, version: str, dest: Path) -> Path:
    """The pure-Python (py3-none-any) wheel of ``name==version``; cached in ``CACHE``."""
    CACHE.mkdir(parents=True, exist_ok=True)
    found = [w for w in CACHE.glob("*.whl") if wheel_name_version(w) == (canonical(name), version)]
    if not found:
        log(f"pip download {name}=={version}")
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            _pip("download", "--no-deps", "--only-binary=:all:", "--python-version", "3.12",
                 "--implementation", "py", "--abi", "none", "--platform", "any", "-d", tmp,
                 f"{name}=={version}")
            (whl,) = Path(tmp).glob("*.whl")
            found = [Path(shutil.move(str(whl), CACHE / whl.name))]
    whl = found[0]
    if not whl.name.endswith("-none-any.whl"):
        raise WheelError(f"{whl.name}: not a pure-Python wheel; Pyodide cannot load it")
    return Path(shutil.copy2(whl, dest / whl.name))


def record_mismatches(whl: Path, dist_name: str) -> list[str]:
    """Importable files whose sha256 in the wheel differs from the installed copy's RECORD."""
    with zipfile.ZipFile(whl) as zf:
        rec = next(n for n in zf.namelist() if n.endswith(".dist-info/RECORD"))
        in_wheel = {row[0]: row[1].split("=", 1)[1] for row in csv.reader(io.StringIO(zf.read(rec).decode()))
                    if len(row) > 1 and row[1]}
    installed = {str(f): f.hash.value for f in (metadata.distribution(dist_name).files or []) if f.hash}
    return sorted(p for p, h in in_wheel.items()
                  if ".dist-info/" not in p and ".data/" not in p and p in installed and installed[p] != h)


def collect_wheels(dest: Path) -> list[Path]:
    """Build the project wheel and download the third-party ones into ``dest``; check them."""
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("*.whl"):
        old.unlink()
    expected = build_versions()
    wheels = [build_project_wheel(dest)]
    for name in THIRD_PARTY:
        wheels.append(download_wheel(name, expected[canonical(name)], dest))
        bad = record_mismatches(wheels[-1], name)
        if bad:
            raise WheelError(f"{wheels[-1].name} differs from the installed {name}: {', '.join(bad[:5])}")
    check_versions(dict(wheel_name_version(w) for w in wheels), expected)
    return wheels


# -- lock entries ----------------------------------------------------------------------------

def top_level_imports(whl: Path) -> list[str]:
    names = set()
    with zipfile.ZipFile(whl) as zf:
        for n in zf.namelist():
            first = n.split("/", 1)[0]
            if first.endswith((".dist-info", ".data")):
                continue
            if "/" in n:
                if n.split("/", 1)[1] == "__init__.py":
                    names.add(first)
            elif first.endswith(".py"):
                names.add(first[:-3])
    return sorted(names)


def requirements(whl: Path) -> list[str]:
    """Canonical names of the wheel's unconditional requirements under Pyodide's markers."""
    from packaging.requirements import Requirement

    out = []
    for line in wheel_metadata(whl).get_all("Requires-Dist") or []:
        req = Requirement(line)
        if req.marker is not None and not req.marker.evaluate(PYODIDE_MARKERS):
            continue
        out.append(canonical(req.name))
    return out


def lock_entry(whl: Path) -> dict:
    name, version = wheel_name_version(whl)
    depends = [d for d in requirements(whl) if d not in FRONTEND_ONLY] + EXTRA_DEPENDS.get(name, [])
    return {
        "name": name, "version": version, "file_name": whl.name, "install_dir": "site",
        "sha256": sha256_file(whl), "package_type": "package", "imports": top_level_imports(whl),
        "depends": sorted(set(depends)), "unvendored_tests": False,
    }


def merge_into_lock(pyodide_dir: Path, wheels: list[Path]) -> dict:
    """Copy ``wheels`` into ``pyodide_dir`` and add them to its lock (replacing same-named entries)."""
    lock_path = pyodide_dir / pyodide_dist.LOCK
    lock = json.loads(lock_path.read_text())
    manifest = {}
    for whl in wheels:
        entry = lock_entry(whl)
        old = lock["packages"].get(entry["name"])
        if old is not None:
            (pyodide_dir / old["file_name"]).unlink(missing_ok=True)
            log(f"{entry['name']}: {entry['version']} replaces Pyodide's {old['version']}")
        shutil.copy2(whl, pyodide_dir / whl.name)
        lock["packages"][entry["name"]] = entry
        manifest[entry["name"]] = {"file_name": whl.name, "sha256": entry["sha256"], "version": entry["version"],
                                   "replaces_pyodide": old["version"] if old else None}
    unmet = sorted({f"{k} needs {d}" for k, e in lock["packages"].items() for d in e["depends"]
                    if canonical(d) not in lock["packages"]})
    if unmet:
        raise WheelError("kernel wheels need packages neither shipped nor provided by Pyodide: "
                         + "; ".join(unmet) + " (add them to THIRD_PARTY in scripts/lite_wheels.py)")
    lock["packages"] = dict(sorted(lock["packages"].items()))
    pyodide_dist.write_json(lock_path, lock)
    pyodide_dist.write_json(pyodide_dir / KERNEL_MANIFEST, dict(sorted(manifest.items())))
    return lock


# -- staging ---------------------------------------------------------------------------------

def stage(lite_dir: Path) -> dict:
    """Prepare the JupyterLite source folder the book build points ``jupyterlite_dir`` at."""
    t0 = time.perf_counter()
    lite_dir = Path(lite_dir).resolve()
    marker = lite_dir / STAGE_MARKER
    if lite_dir.exists() and any(lite_dir.iterdir()) and not marker.exists():
        raise WheelError(f"{lite_dir} is not empty and was not staged by this script; refusing to clean it")
    dist = pyodide_dist.ensure_dist()
    lite_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text("staged by scripts/lite_wheels.py; rebuilt on every book build\n")
    # Stale JupyterLite build state once silently dropped pyodideUrl: start clean.
    for stale in (".jupyterlite.doit.db", ".cache", "_output", "static"):
        p = lite_dir / stale
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    for template in ("jupyter_lite_config.json", "jupyter-lite.json"):
        shutil.copy2(TEMPLATES / template, lite_dir / template)
    target = lite_dir / "static" / "pyodide"
    shutil.copytree(dist, target)
    with tempfile.TemporaryDirectory() as tmp:
        wheels = collect_wheels(Path(tmp))
        merge_into_lock(target, wheels)
    summary = pyodide_dist.verify(target, upstream=pyodide_dist.upstream_lock())
    log(f"staged {lite_dir}: {summary['packages']} packages, {summary['bytes'] / 2**20:.1f} MiB "
        f"({time.perf_counter() - t0:.1f} s)")
    return summary


# -- checking a built site -------------------------------------------------------------------

def _json(path: Path) -> dict:
    if not path.is_file():
        raise WheelError(f"{path} is missing: was the lite site built (jupyterlite_sphinx enabled)?")
    return json.loads(path.read_text())


def wheel_labextension_version(whl: Path, npm_name: str) -> str:
    """Version of the JupyterLab extension ``npm_name`` that a Python wheel ships."""
    with zipfile.ZipFile(whl) as zf:
        suffix = f"/share/jupyter/labextensions/{npm_name}/package.json"
        name = next((n for n in zf.namelist() if n.endswith(suffix)), None)
        if name is None:
            raise WheelError(f"{whl.name} ships no {npm_name} lab extension")
        return json.loads(zf.read(name))["version"]


def check_site(site_lite: Path) -> list[str]:
    """Check a built lite site; return what was checked, raise WheelError on any disagreement.

    * the kernel wheels in ``static/pyodide`` are at the build environment's versions;
    * each front-end extension is the one its kernel package ships (anywidget,
      @jupyter-widgets/jupyterlab-manager), and the kernel's ipywidgets accepts it;
    * the Pyodide kernel extension is the build environment's and the site loads the
      self-hosted Pyodide.
    """
    from packaging.requirements import Requirement

    pyo = site_lite / "static" / "pyodide"
    lock = _json(pyo / pyodide_dist.LOCK)["packages"]
    manifest = _json(pyo / KERNEL_MANIFEST)
    kernel = {k: v["version"] for k, v in manifest.items()}
    check_versions(kernel, build_versions())
    checked = [f"kernel wheels == build environment: {', '.join(f'{k} {v}' for k, v in sorted(kernel.items()))}"]

    problems = []
    ext = site_lite / "extensions"
    pairs = [("anywidget", "anywidget"), ("jupyterlab-widgets", "@jupyter-widgets/jupyterlab-manager")]
    for pkg, npm in pairs:
        front = _json(ext / npm / "package.json")["version"]
        shipped = wheel_labextension_version(pyo / lock[pkg]["file_name"], npm)
        if front != shipped:
            problems.append(f"front-end extension {npm} {front} != {shipped} shipped by kernel wheel "
                            f"{lock[pkg]['file_name']}")
        else:
            checked.append(f"front end {npm} {front} == kernel {pkg} {kernel[pkg]}")
    # The kernel's ipywidgets pins the front-end package it talks to.
    ipyw_whl = pyo / lock["ipywidgets"]["file_name"]
    for line in wheel_metadata(ipyw_whl).get_all("Requires-Dist") or []:
        req = Requirement(line)
        if canonical(req.name) == "jupyterlab-widgets" and kernel["jupyterlab-widgets"] not in req.specifier:
            problems.append(f"kernel ipywidgets {kernel['ipywidgets']} requires {req}, "
                            f"the site ships jupyterlab_widgets {kernel['jupyterlab-widgets']}")
    kext = _json(ext / "@jupyterlite" / "pyodide-kernel-extension" / "package.json")["version"]
    want = metadata.version("jupyterlite-pyodide-kernel")
    if kext != want:
        problems.append(f"front-end pyodide-kernel-extension {kext} != build environment "
                        f"jupyterlite-pyodide-kernel {want}")
    settings = _json(site_lite / "jupyter-lite.json")["jupyter-config-data"]["litePluginSettings"]
    url = settings["@jupyterlite/pyodide-kernel-extension:kernel"].get("pyodideUrl", "")
    if url != "./static/pyodide/pyodide.js":
        problems.append(f"jupyter-lite.json pyodideUrl is {url!r}, not the self-hosted ./static/pyodide/pyodide.js")
    if problems:
        raise WheelError("the lite site's front end and kernel disagree:\n  " + "\n  ".join(problems))
    checked.append(f"pyodide-kernel-extension {kext}; pyodideUrl {url}")
    pyodide_dist.verify(pyo, upstream=pyodide_dist.upstream_lock())
    checked.append("static/pyodide verified against the pinned Pyodide and its lock")
    return checked


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--stage", metavar="DIR", type=Path, help="stage a JupyterLite source folder")
    group.add_argument("--wheels", metavar="DIR", type=Path, help="only collect the kernel wheels")
    group.add_argument("--check-site", metavar="SITE_LITE", type=Path, help="check a built lite/ folder")
    args = ap.parse_args(argv)
    try:
        if args.stage:
            stage(args.stage)
        elif args.wheels:
            for whl in collect_wheels(args.wheels):
                print(whl)
        else:
            for line in check_site(args.check_site):
                log(f"OK {line}")
        return 0
    except (WheelError, pyodide_dist.DistError) as exc:
        log(f"ERROR: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
