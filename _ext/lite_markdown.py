"""Rewrite a chapter's MyST markdown cells as plain Jupyter markdown for the live tier.

The book's prose uses MyST roles and directives (``{glue:text}``, ``{term}``,
``{cite}``, ``{eq}``, ``:::{dropdown}``) that Sphinx renders and JupyterLab does
not: opened live, they would show as raw markup. The live copy of each chapter
therefore gets its markdown cells rewritten; its code cells are left byte for
byte as they are, so the notebook runs exactly as the book executed it.

- ``{glue:text}`key:fmt``` becomes the value the build computed, formatted as
  the book formats it (values come from the executed notebook's glue outputs);
- labelled display math ``$$ … $$ (label)`` gets ``\\tag{n}`` and ``{eq}`label```
  becomes ``(n)``, numbered in order of appearance as Sphinx numbers them;
- ``{term}``, ``{ref}``, ``{numref}`` keep their text; ``{doc}`` becomes a link
  to the neighbouring notebook or page; ``{cite}`` becomes "(Author et al.
  year)" from the bibliography;
- ``:::{dropdown} Title`` becomes ``<details><summary>Title</summary>``, and
  admonitions (note, tip, warning, …) become block quotes with a bold title.

>>> to_plain("Loss {glue:text}`x:.2f` ({term}`loss function`)", glue={"x": "3.14159"})
'Loss 3.14 (loss function)'
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath

__all__ = ["to_plain", "number_equations", "convert_notebook", "glue_values", "cite_labels", "LEFTOVER"]

#: Any MyST role or directive opener still present after conversion (a test asserts none remain).
LEFTOVER = re.compile(r"\{[a-zA-Z][\w:-]*\}`|^\s*(?::::+|```+)\s*\{[\w-]+\}", re.M)

_ROLE = re.compile(r"\{(?P<role>[a-zA-Z][\w:-]*)\}`(?P<body>[^`]*)`")
_TITLED = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>\s*$", re.S)
_DIRECTIVE = re.compile(r"^(?P<fence>:{3,}|`{3,})\{(?P<name>[\w-]+)\}[ \t]*(?P<arg>.*)$")
_LABELLED_MATH = re.compile(r"\$\$(?P<body>.+?)\$\$[ \t]*\((?P<label>[\w.:-]+)\)", re.S)
_ADMONITIONS = {"note", "tip", "hint", "important", "warning", "caution", "attention", "danger", "error",
                "seealso", "admonition"}


def format_glue(text_plain: str, fmt: str) -> str:
    """Format a glued ``text/plain`` repr the way myst-nb's ``{glue:text}`` role does."""
    from myst_nb.core.variables import format_plain_text

    return format_plain_text(text_plain, fmt)


def number_equations(md_cells: list[str]) -> tuple[list[str], dict[str, int]]:
    """Tag labelled display math ``$$ … $$ (label)`` with ``\\tag{n}``; return cells and label → n."""
    numbers: dict[str, int] = {}

    def tag(m: re.Match) -> str:
        numbers[m["label"]] = n = len(numbers) + 1
        return f"$${m['body'].rstrip()} \\tag{{{n}}}\n$$"

    return [_LABELLED_MATH.sub(tag, src) for src in md_cells], numbers


def _role(m: re.Match, *, glue: Mapping[str, str], equations: Mapping[str, int],
          doc_link: Callable[[str], str], cite: Callable[[str], str]) -> str:
    role, body = m["role"], m["body"]
    titled = _TITLED.match(body)
    text, target = (titled["text"], titled["target"]) if titled else (body, body)
    if role in ("glue:text", "glue", "glue:"):
        key, _, fmt = body.rpartition(":") if role == "glue:text" and ":" in body else (body, "", "")
        if key not in glue:
            raise KeyError(f"glue key {key!r} has no computed value")
        return format_glue(glue[key], fmt or "s") if role == "glue:text" else glue[key]
    if role == "eq":
        return f"({equations[target]})" if target in equations else f"({target})"
    if role == "doc":
        return f"[{text}]({doc_link(target)})"
    if role == "cite" or role.startswith("cite:"):
        return cite(body)
    if role == "math":
        return f"${body}$"
    return text            # term, ref, numref, abbr, sub, …: the words the reader sees


def _directives(src: str) -> str:
    """Rewrite ``:::{name}`` / ```` ```{name} ```` blocks (dropdowns, admonitions) as HTML/markdown."""
    lines, out, stack = src.split("\n"), [], []
    for line in lines:
        m = _DIRECTIVE.match(line.strip())
        if m:
            name, arg = m["name"], m["arg"].strip()
            stack.append((m["fence"], name, True))
            if name == "dropdown":
                out += [f"<details><summary>{arg or 'Details'}</summary>", ""]
            elif name in _ADMONITIONS:
                out.append(f"> **{arg or name.capitalize()}.**")
            continue
        if stack and line.strip() == stack[-1][0]:
            _, name, _ = stack.pop()
            if name == "dropdown":
                out += ["", "</details>"]
            continue
        if stack and stack[-1][2] and re.match(r"^\s*:[\w-]+:", line):
            continue            # a directive option such as :open:
        if stack:
            stack[-1] = (stack[-1][0], stack[-1][1], False)
            if stack[-1][1] in _ADMONITIONS:
                line = "> " + line if line.strip() else ">"
        out.append(line)
    return "\n".join(out)


def to_plain(src: str, *, glue: Mapping[str, str] | None = None, equations: Mapping[str, int] | None = None,
             doc_link: Callable[[str], str] = lambda t: t, cite: Callable[[str], str] = lambda k: f"[{k}]") -> str:
    """One markdown cell's MyST, as markdown JupyterLab renders (see the module docstring)."""
    src = _directives(src)
    return _ROLE.sub(lambda m: _role(m, glue=glue or {}, equations=equations or {}, doc_link=doc_link,
                                     cite=cite), src)


def glue_values(executed_nb) -> dict[str, str]:
    """``{key: text/plain}`` of every ``glue(...)`` output in an executed notebook."""
    values = {}
    for cell in executed_nb.cells:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            if meta:
                prefix = meta.get("mime_prefix", "")
                data = {k[len(prefix):]: v for k, v in out.get("data", {}).items()}
                if "text/plain" in data:
                    values[meta["name"]] = data["text/plain"]
    return values


def cite_labels(bib_path) -> Callable[[str], str]:
    """A ``{cite}`` formatter: ``"vaswani2017"`` → ``"(Vaswani et al. 2017)"``, from the .bib file."""
    from pybtex.database import parse_file

    entries = parse_file(str(bib_path)).entries

    def one(key: str) -> str:
        entry = entries.get(key.strip())
        if entry is None:
            return key.strip()
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(p.last_names).replace("{", "").replace("}", "") for p in people]
        who = (names[0] + (" et al." if len(names) > 2 else f" and {names[1]}" if len(names) == 2 else "")
               if names else entry.fields.get("title", key))
        return f"{who} {entry.fields.get('year', '')}".strip()

    return lambda body: "(" + "; ".join(one(k) for k in body.split(",")) + ")"


def convert_notebook(nb, *, glue: Mapping[str, str], doc_link: Callable[[str], str],
                     cite: Callable[[str], str]):
    """Rewrite ``nb``'s markdown cells in place (code cells untouched); return ``nb``."""
    md = [c for c in nb.cells if c.cell_type == "markdown"]
    sources, equations = number_equations([c.source for c in md])
    for cell, src in zip(md, sources):
        cell.source = to_plain(src, glue=glue, equations=equations, doc_link=doc_link, cite=cite)
    return nb


def doc_linker(notebook_path: PurePosixPath, exists: Callable[[PurePosixPath], bool]) -> Callable[[str], str]:
    """``{doc}`` target → a relative link to the ``.ipynb`` or ``.md`` file beside ``notebook_path``."""
    def link(target: str) -> str:
        base = posixpath.normpath(str(notebook_path.parent / target))
        for suffix in (".ipynb", ".md"):
            if exists(PurePosixPath(str(base) + suffix)):
                return target + suffix
        return target

    return link
