"""The live copy of a chapter reads like the book: MyST rewritten, computed values filled in.

Unit tests of ``_ext/lite_markdown.py``, then the built lite site checked
against the built HTML pages: every value the HTML quotes from ``glue`` also
appears in the live notebook's prose, no MyST markup is left, and the code cells
are exactly the chapter's own.
"""

from __future__ import annotations

import html as htmllib
import importlib.util
import json
import re
import sys

import pytest

from bookpaths import ROOT, notebook_pages

_spec = importlib.util.spec_from_file_location("lite_markdown", ROOT / "_ext" / "lite_markdown.py")
lm = importlib.util.module_from_spec(_spec)
sys.modules["lite_markdown"] = lm
_spec.loader.exec_module(lm)


def test_glue_values_are_formatted_like_the_book():
    glue = {"loss": "0.000123456", "n": "1024", "name": "'llama-2-7b'"}
    out = lm.to_plain("{glue:text}`loss:.2e`, {glue:text}`n:,d` and {glue:text}`name`", glue=glue)
    assert out == "1.23e-04, 1,024 and llama-2-7b"


def test_an_unknown_glue_key_is_an_error_naming_it():
    with pytest.raises(KeyError, match="missing_key"):
        lm.to_plain("{glue:text}`missing_key:.1f`", glue={})


def test_labelled_equations_are_tagged_and_references_numbered():
    cells = ["$$\na = b\n$$ (eq-first)\n", "text\n$$\nc = d\n$$ (eq-second)\nsee {eq}`eq-first`"]
    tagged, numbers = lm.number_equations(cells)
    assert numbers == {"eq-first": 1, "eq-second": 2}
    assert "\\tag{1}" in tagged[0] and "\\tag{2}" in tagged[1] and "(eq-" not in tagged[1].split("see")[0]
    assert lm.to_plain(tagged[1], equations=numbers).endswith("see (1)")


def test_dropdowns_become_details_and_admonitions_block_quotes():
    src = ":::{dropdown} Solution\n:open:\nThe answer is 4.\n:::\n\n```{note}\nMind the units.\n```\n"
    out = lm.to_plain(src)
    assert out.startswith("<details><summary>Solution</summary>")
    assert ":open:" not in out and "The answer is 4." in out and "</details>" in out
    assert "> **Note.**" in out and "> Mind the units." in out
    assert not lm.LEFTOVER.search(out)


def test_roles_keep_their_words_and_links_point_at_files():
    link = lm.doc_linker(lm.PurePosixPath("book/01-nn/index.md"), lambda p: str(p) == "book/00-math/x.ipynb")
    out = lm.to_plain("{term}`loss function`, {term}`LR <learning rate>`, {doc}`the chapter <../00-math/x>`",
                      doc_link=link)
    assert out == "loss function, LR, [the chapter](../00-math/x.ipynb)"


def test_citations_name_authors_and_year(tmp_path):
    bib = tmp_path / "r.bib"
    bib.write_text("@article{a1, author={Kwon, Woosuk and Li, Zhuohan and Zhuang, Siyuan}, title={T}, year={2023}}\n"
                   "@article{b2, author={Rosenbrock, H. H.}, title={U}, year={1960}}\n")
    cite = lm.cite_labels(bib)
    assert lm.to_plain("{cite}`a1,b2`", cite=cite) == "(Kwon et al. 2023; Rosenbrock 1960)"


# -- the built site --------------------------------------------------------------------------------

PASTED = re.compile(r'<span class="pasted-text">(.*?)</span>', re.S)


def md_text(nb: dict) -> str:
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


@pytest.mark.build
@pytest.mark.parametrize("page", notebook_pages())
def test_the_live_copy_quotes_every_computed_value_and_keeps_the_code(lite_site, page):
    notebook = page.removesuffix(".html") + ".ipynb"
    live = json.loads((lite_site / "files" / notebook).read_text(encoding="utf-8"))
    source = json.loads((ROOT / notebook).read_text(encoding="utf-8"))
    prose = md_text(live)

    leftover = lm.LEFTOVER.findall(prose)
    assert not leftover, f"{notebook}: MyST markup left in the live copy: {leftover[:5]}"

    values = [htmllib.unescape(v) for v in PASTED.findall((lite_site.parent / page).read_text(encoding="utf-8"))]
    assert values, f"{page}: the book page quotes no computed value"
    missing = [v for v in values if v not in prose]
    assert not missing, f"{notebook}: values the book shows but the live copy does not: {missing[:5]}"

    code = lambda nb: ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]  # noqa: E731
    assert code(live) == code(source), f"{notebook}: the live copy's code differs from the chapter's"
