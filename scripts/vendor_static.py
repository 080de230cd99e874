"""Copy the browser runtime the static book needs from node_modules into the build.

The static pages must make no request off their own origin, so require.js, the
Jupyter widget manager, anywidget's AMD module and MathJax are served from the
book itself. Pages render their widgets with the book's own small loader,
``widgets/page/embed.js`` (copied here as ``vizkit-embed.js``), which falls back
to the full widget manager for any widget that is not an anywidget. This script copies them from the pinned npm packages into
``_build/_vendor_static/vendor/`` (listed in ``html_static_path``) and refuses to
run when an npm package's version differs from the Python package it must match.

It also drops the notebook execution cache when the vizkit sources changed:
jupyter-cache keys a notebook's outputs on the notebook alone, so without this
a changed simulation would leave stale numbers in the built prose.

Usage: python scripts/vendor_static.py [--check]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
OUT = ROOT / "_build" / "_vendor_static" / "vendor"

# (npm package, files or folders inside it, destination folder under vendor/)
COPIES = [
    ("requirejs", ["require.js"], ""),
    ("@jupyter-widgets/html-manager", ["dist/embed-amd.js", "dist/*.woff2", "dist/*.woff",
                                       "dist/*.ttf", "dist/*.eot", "dist/*.svg"], "html-manager"),
    ("anywidget", ["dist/index.js"], "anywidget"),
    ("mathjax", ["es5/tex-chtml.js", "es5/output/chtml/fonts/woff-v2",
                 "es5/input/tex/extensions", "es5/ui", "es5/a11y"], "mathjax"),
]

# Loaded between require.js and the widget manager: resolves the AMD module names
# the widget state asks for to the copies above, relative to this file's own URL,
# so it works on pages at any depth and over file:// as well as http.
REQUIRE_CONFIG_JS = """\
(function () {
  var me = document.currentScript;
  var base = me.src.slice(0, me.src.lastIndexOf("/") + 1);
  window.requirejs.config({
    paths: {
      anywidget: base + "anywidget/index",
      // The manager derives the URL of its icon fonts from this module's URL.
      "@jupyter-widgets/html-manager/dist": base + "html-manager",
    },
  });
  // Any module not configured above is looked up on this origin, never a CDN.
  me.setAttribute("data-jupyter-widgets-cdn", base + "npm/");
})();
"""


def npm_version(package: str) -> str:
    manifest = NODE_MODULES / package / "package.json"
    if not manifest.is_file():
        raise SystemExit(f"vendor_static: {package} is not installed in node_modules; run `npm ci` first")
    return json.loads(manifest.read_text())["version"]


def check_versions() -> list[str]:
    """Versions of the browser runtime must equal the Python packages that drive it."""
    problems = []
    py_anywidget = importlib.metadata.version("anywidget")
    if npm_version("anywidget") != py_anywidget:
        problems.append(f"npm anywidget {npm_version('anywidget')} != Python anywidget {py_anywidget}")
    import ipywidgets._version as ipv  # the html-manager range ipywidgets declares
    wanted = ipv.__html_manager_version__.lstrip("^~")
    have = npm_version("@jupyter-widgets/html-manager")
    if have.split(".")[0] != wanted.split(".")[0] or tuple(map(int, have.split("."))) < tuple(map(int, wanted.split("."))):
        problems.append(f"npm @jupyter-widgets/html-manager {have} does not satisfy ipywidgets' {ipv.__html_manager_version__}")
    return problems


def copy_all() -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    count = 0
    for package, patterns, dest in COPIES:
        src_root = NODE_MODULES / package
        npm_version(package)
        for pattern in patterns:
            matches = sorted(src_root.glob(pattern))
            if not matches:
                raise SystemExit(f"vendor_static: nothing matches {package}/{pattern}")
            for src in matches:
                rel = src.relative_to(src_root)
                # keep the package's inner layout below es5/ or dist/ so relative loads work
                inner = Path(*rel.parts[1:]) if rel.parts[0] in ("dist", "es5") else rel
                target = OUT / dest / inner
                target.parent.mkdir(parents=True, exist_ok=True)
                if src.is_dir():
                    shutil.copytree(src, target)
                    count += sum(1 for p in target.rglob("*") if p.is_file())
                else:
                    shutil.copy2(src, target)
                    count += 1
    (OUT / "widgets-require-config.js").write_text(REQUIRE_CONFIG_JS)
    (OUT / "npm").mkdir(exist_ok=True)
    # the book's own page loader (widgets/page/embed.js): served as _static/vizkit-embed.js
    shutil.copy2(ROOT / "widgets" / "page" / "embed.js", OUT.parent / "vizkit-embed.js")
    return count + 2


def invalidate_stale_execution_cache() -> bool:
    """Delete the execution cache and Sphinx's environment if any file under src/vizkit changed.

    Dropping ``_build/.jupyter_cache`` alone is not enough: Sphinx re-reads (and so
    re-executes) only documents whose source changed, so its environment
    (``_build/.doctrees``) goes too and every chapter is executed afresh.
    """
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "vizkit").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    stamp = ROOT / "_build" / ".vizkit-sources.sha256"
    cache = ROOT / "_build" / ".jupyter_cache"
    if stamp.is_file() and stamp.read_text() == digest.hexdigest():
        return False
    for stale in (cache, ROOT / "_build" / ".doctrees"):
        if stale.exists():
            shutil.rmtree(stale)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest.hexdigest())
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check versions")
    args = parser.parse_args()
    problems = check_versions()
    if problems:
        print("vendor_static: version mismatch:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    if not args.check:
        if invalidate_stale_execution_cache():
            print("vendor_static: vizkit changed since the last build; notebooks will be re-executed")
        n = copy_all()
        size = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
        print(f"vendor_static: {n} files, {size / 2**20:.1f} MiB -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
