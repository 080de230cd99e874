"""The book builds strictly: any warning, unresolved reference or cell error fails."""

from __future__ import annotations

import re

import pytest

from bookpaths import ROOT, chapter_pages

pytestmark = pytest.mark.build


def test_strict_build_succeeds(book_build):
    assert book_build.returncode == 0, "book build failed:\n" + "\n".join(
        book_build.warnings or book_build.log.splitlines()[-40:])
    assert book_build.warnings == []


def test_every_toc_page_was_built(book_build):
    missing = [p for p in chapter_pages() if not (book_build.html_dir / p).is_file()]
    assert missing == []


REMOTE = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)


def test_no_page_loads_an_off_origin_asset(book_build):
    """Scripts, styles, images and fonts are all served by the book itself.

    Links a reader clicks (<a href>) may point anywhere; what the page *loads* may not.
    """
    offenders = {}
    for page in sorted(book_build.html_dir.rglob("*.html")):
        html = page.read_text(errors="replace")
        # drop ordinary hyperlinks, keep every loading tag
        loading = re.sub(r"<a\s[^>]*>", "", html, flags=re.I)
        hits = REMOTE.findall(loading)
        if hits:
            offenders[str(page.relative_to(book_build.html_dir))] = hits[:3]
    assert offenders == {}


def test_notebooks_are_stored_without_outputs():
    import json

    dirty = []
    for nb_path in sorted((ROOT / "book").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in nb_path.parts:
            continue
        nb = json.loads(nb_path.read_text())
        if any(c.get("outputs") or c.get("execution_count") for c in nb["cells"] if c["cell_type"] == "code"):
            dirty.append(str(nb_path.relative_to(ROOT)))
    assert dirty == []
