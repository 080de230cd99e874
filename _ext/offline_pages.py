"""Sphinx extension: keep every built page on its own origin.

Jupyter Book 1 always loads sphinx-thebe, whose inline config points at a CDN
even with thebe disabled; other extensions may add remote fonts or scripts.
This extension drops the thebe assets from every page and turns any remaining
off-origin script or stylesheet into a build warning, so the strict build
(``-W``) fails instead of shipping a page that reaches the network.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

_DROPPED = ("sphinx-thebe", "thebe@", "thebe_config", "thebelab")


def _filename(asset) -> str:
    return str(getattr(asset, "filename", asset) or "")


def _body(asset) -> str:
    attributes = getattr(asset, "attributes", {}) or {}
    return str(attributes.get("body", ""))


def _is_thebe(asset) -> bool:
    text = _filename(asset) + _body(asset)
    return any(marker in text for marker in _DROPPED)


def _is_remote(url: str) -> bool:
    return "://" in url or url.startswith("//")


def clean_page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if assets is None:
            continue
        kept = [a for a in assets if not _is_thebe(a)]
        for asset in kept:
            if _is_remote(_filename(asset)):
                logger.warning("off-origin asset %s on page %s (vendor it instead)",
                               _filename(asset), pagename, type="offline", subtype="asset")
        context[key] = kept


def drop_thebe_nodes(app: Sphinx, doctree, docname: str) -> None:
    """Remove the inline thebe configuration sphinx-thebe writes into every code page."""
    from docutils import nodes

    for node in list(doctree.findall(nodes.raw)):
        if "thebe" in node.astext() or "kernelName" in node.astext():
            node.parent.remove(node)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", drop_thebe_nodes, priority=900)
    app.connect("html-page-context", clean_page_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
