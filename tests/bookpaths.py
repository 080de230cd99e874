"""Where things are: the repository root, the built book and the pages its table of contents lists."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_HTML = ROOT / "_build" / "html"


def chapter_pages() -> list[str]:
    """Every page in _toc.yml as its path under _build/html (e.g. 'book/intro.html')."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files: list[str] = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [f + ".html" for f in files]


def notebook_pages() -> list[str]:
    """The pages built from notebooks: every chapter, each of which carries a widget."""
    return [p for p in chapter_pages() if (ROOT / p.replace(".html", ".ipynb")).is_file()]
