"""Every chapter page offers "Run live" (JupyterLite) and loads nothing of it until asked."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import yaml

from bookpaths import ROOT, notebook_pages

pytestmark = pytest.mark.build

HREF = re.compile(r"""<a\s[^>]*href="([^"]+)"[^>]*>""", re.I)
LOADS = re.compile(r"""<(?:script|link|img|iframe)\s[^>]*(?:src|href)="([^"]+)\"""", re.I)


def links(html: str) -> list[str]:
    return [unescape(h) for h in HREF.findall(html)]


@pytest.mark.parametrize("page", notebook_pages())
def test_run_live_opens_this_chapter_in_the_books_own_lite_site(lite_site, page):
    html_dir = lite_site.parent
    html = (html_dir / page).read_text()
    notebook = page.removesuffix(".html") + ".ipynb"
    live = [h for h in links(html) if "lite/" in h and "path=" in h]
    assert live, f"{page}: no Run live link"
    url = urlparse(live[0])
    assert not url.scheme and not url.netloc, f"{page}: Run live must stay on the book's origin: {live[0]}"
    target = Path(urljoin(f"/{page}", url.path).lstrip("/"))
    assert (html_dir / target).is_file(), f"{page}: Run live points at {target}, which was not built"
    assert target.parts[0] == "lite"
    assert parse_qs(url.query)["path"] == [notebook]
    assert (lite_site / "files" / notebook).is_file(), f"{notebook} is not in the lite site"


@pytest.mark.parametrize("page", notebook_pages())
def test_the_page_loads_nothing_of_the_live_tier(lite_site, page):
    html = (lite_site.parent / page).read_text()
    loaded = [u for u in LOADS.findall(html) if "lite/" in u or "pyodide" in u]
    assert loaded == [], f"{page} loads live-tier assets before anyone asked: {loaded}"


