"""Sphinx extension: link every chapter page to its live, in-browser copy.

* Adds "Run live" to the launch menu of every notebook page. It is a plain link
  to the chapter in the book's own JupyterLite site (``lite/``), relative to the
  page, so nothing of the live tier (Pyodide alone is tens of MB) loads until a
  reader asks for it, and the link works wherever the book is hosted.
* Drops the remote font stylesheet jupyterlite-sphinx adds to every page (the
  book makes no off-origin requests; ``offline_pages`` would otherwise flag it).
* When jupyterlite-sphinx is enabled, stages its source folder (``jupyterlite_dir``)
  before anything is built: the self-hosted Pyodide (``scripts/pyodide_dist.py``,
  cached and re-verified) plus the kernel wheels of this checkout
  (``scripts/lite_wheels.py``). A tampered Pyodide file or a kernel wheel whose
  version drifted from the build environment stops the build with a message
  saying which file or package is wrong.
* Before jupyterlite-sphinx builds ``lite/``, writes the live copy of the book's
  pages to ``live_contents_dir`` (point ``jupyterlite_contents`` at its ``book``
  folder): markdown cells rewritten from MyST to plain Jupyter markdown with the
  values the build computed (``_ext/lite_markdown.py``), code cells untouched.
* After jupyterlite-sphinx has built ``lite/``, checks the result: kernel wheels at
  the build environment's versions, front-end extensions equal to the ones the
  kernel packages ship, ``pyodideUrl`` pointing at the self-hosted copy, every
  Pyodide file verified again.

Config (``sphinx: config:`` in ``_config.yml``):

``live_lite_app``
    JupyterLite app that opens a chapter: ``"notebooks"`` (default, the
    single-document Notebook interface) or ``"lab"``.
``live_lite_dir``
    Where the lite site sits in the built HTML (default ``"lite"``, jupyterlite-sphinx's).
``live_stage``
    Stage ``jupyterlite_dir`` at the start of an HTML build (default ``True``).
``live_contents_dir``
    Where the live copy of ``book/`` is written (default ``"_build/lite-contents"``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)



def _is_remote_font(url: str) -> bool:
    """A stylesheet served by a web-font host (jupyterlite-sphinx links one on every page)."""
    from urllib.parse import urlparse

    host = urlparse(url if "://" in url else "https:" + url).hostname or ""
    return (url.startswith("//") or "://" in url) and host.startswith("fonts.")


def _filename(asset) -> str:
    return str(getattr(asset, "filename", asset) or "")


def drop_remote_fonts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    assets = context.get("css_files")
    if assets is not None:
        context["css_files"] = [a for a in assets if not _is_remote_font(_filename(a))]


def live_url(app: Sphinx, pagename: str, context: dict) -> str | None:
    """Page-relative URL that opens ``pagename``'s notebook in JupyterLite, or None."""
    if context.get("page_source_suffix") != ".ipynb":
        return None
    lite = f"{app.config.live_lite_dir}/{app.config.live_lite_app}/index.html"
    return f"{context['pathto'](lite, 1)}?path={pagename}.ipynb"


def add_run_live(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    url = live_url(app, pagename, context)
    buttons = context.get("header_buttons")
    if url is None or buttons is None:
        return
    context["live_url"] = url
    # a static widget's "needs Python" badge links here (widgets/engine/controls.js reads it)
    context["metatags"] = context.get("metatags", "") + f'\n<meta name="vizkit:live-url" content="{url}">'
    button = {
        "type": "link",
        "text": "Run live",
        "tooltip": "Run this chapter in your browser (JupyterLite, no install)",
        "icon": "fas fa-play",
        "url": url,
        "label": "run-live-button",
    }
    group = next((b for b in buttons if b.get("label") == "launch-buttons"), None)
    if group is None:
        buttons.append({"type": "group", "tooltip": "Launch interactive content", "icon": "fas fa-rocket",
                        "buttons": [button], "label": "launch-buttons"})
    else:
        group["buttons"].insert(0, button)


def _script(srcdir: Path, name: str):
    path = srcdir / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def stage_lite(app: Sphinx) -> None:
    if not app.config.live_stage or "jupyterlite_sphinx" not in app.extensions:
        return
    if getattr(app.builder, "format", None) != "html":
        return
    srcdir = Path(app.srcdir)
    lite_dir = (srcdir / app.config.jupyterlite_dir).resolve()
    if lite_dir == srcdir.resolve():
        raise ExtensionError("live_tier: set jupyterlite_dir to a folder of its own (e.g. _build/lite-src); "
                             "it is staged (wiped and rewritten) on every build")
    # jupyter lite keeps its task state here (cwd = srcdir); a stale one once dropped pyodideUrl
    (srcdir / ".jupyterlite.doit.db").unlink(missing_ok=True)
    _script(srcdir, "pyodide_dist")
    lite_wheels = _script(srcdir, "lite_wheels")
    try:
        lite_wheels.stage(lite_dir)
    except Exception as exc:  # DistError, WheelError, a failed download: all fatal, all explained
        raise ExtensionError(f"live_tier: could not stage the JupyterLite site in {lite_dir}:\n{exc}") from exc


def stage_contents(app: Sphinx, exception) -> None:
    """Write the live copy of ``book/``: MyST markdown as plain markdown, glue values filled in."""
    if exception is not None or not app.config.live_stage or "jupyterlite_sphinx" not in app.extensions:
        return
    if getattr(app.builder, "format", None) != "html":
        return
    import shutil
    from pathlib import PurePosixPath

    import nbformat
    from jupyter_cache import get_cache

    sys.path.insert(0, str(Path(__file__).parent))
    try:
        import lite_markdown as lm
    finally:
        sys.path.pop(0)

    srcdir = Path(app.srcdir)
    book = srcdir / "book"
    out = (srcdir / app.config.live_contents_dir).resolve() / "book"
    shutil.rmtree(out, ignore_errors=True)
    cache_path = app.env.mystnb_config.execution_cache_path or Path(app.outdir).parent / ".jupyter_cache"
    cache = get_cache(str(cache_path))
    cite = lm.cite_labels(book / "references.bib")
    docs = app.env.found_docs
    n = 0
    for path in sorted(book.rglob("*")):
        rel = path.relative_to(srcdir).as_posix()
        docname = rel.rsplit(".", 1)[0]
        target = out / path.relative_to(book)
        if path.is_dir() or (path.suffix in (".ipynb", ".md") and docname not in docs):
            continue                                  # not part of the book
        target.parent.mkdir(parents=True, exist_ok=True)
        link = lm.doc_linker(PurePosixPath(rel), lambda p: (srcdir / p).is_file())
        try:
            if path.suffix == ".ipynb":
                nb = nbformat.read(path, as_version=4)
                try:
                    _, executed = cache.merge_match_into_notebook(nb)
                except KeyError:
                    raise ExtensionError(
                        f"live_tier: {rel} has no executed copy in the notebook cache; the build "
                        "environment is out of step with it: delete _build/.doctrees and build again") from None
                lm.convert_notebook(nb, glue=lm.glue_values(executed), doc_link=link, cite=cite)
                nbformat.write(nb, target)
                n += 1
            elif path.suffix == ".md":
                target.write_text(lm.to_plain(path.read_text(encoding="utf-8"), doc_link=link, cite=cite),
                                  encoding="utf-8")
            else:
                shutil.copy2(path, target)
        except KeyError as exc:
            raise ExtensionError(f"live_tier: {rel}: {exc}") from exc
    logger.info(f"[live_tier] wrote the live copy of {n} chapters to {out}")


def check_lite(app: Sphinx, exception) -> None:
    if exception is not None or not app.config.live_stage or "jupyterlite_sphinx" not in app.extensions:
        return
    if getattr(app.builder, "format", None) != "html":
        return
    lite_wheels = sys.modules.get("lite_wheels") or _script(Path(app.srcdir), "lite_wheels")
    try:
        for line in lite_wheels.check_site(Path(app.outdir) / app.config.live_lite_dir):
            logger.info(f"[live_tier] {line}")
    except Exception as exc:
        raise ExtensionError(f"live_tier: the built JupyterLite site is not sound:\n{exc}") from exc


def setup(app: Sphinx) -> dict:
    app.add_config_value("live_lite_app", "notebooks", "html")
    app.add_config_value("live_lite_dir", "lite", "html")
    app.add_config_value("live_stage", True, "env")
    app.add_config_value("live_contents_dir", "_build/lite-contents", "html")
    app.connect("builder-inited", stage_lite)
    app.connect("build-finished", stage_contents, priority=400)  # before jupyterlite-sphinx's build (500)
    app.connect("build-finished", check_lite, priority=900)  # after jupyterlite-sphinx's build (500)
    # after sphinx-book-theme's launch buttons (501), before offline_pages' asset check (900)
    app.connect("html-page-context", add_run_live, priority=600)
    app.connect("html-page-context", drop_remote_fonts, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
