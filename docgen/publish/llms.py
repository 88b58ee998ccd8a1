"""`llms.txt` and `llms-full.txt`: the site as language models read it (llmstxt.org).

`llms.txt` is an index: the project's name and summary, then a link per page, grouped as
the nav groups them (guides, the user's pages, the reference), each with its summary.
`llms-full.txt` holds every page's Markdown, one after another. docgen writes both into
the docs folder as files of its own, beside the pages: MkDocs (or Zensical, or any builder
of the folder) publishes them at the site's root without a plugin. A file of that name
the user wrote is left alone, and none is generated in its place: docgen's end with its
marker (a last line, as the first must be the title), so a fresh clone of a repository
that commits them still knows them as docgen's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from docgen.generate.diagrams import without_figures
from docgen.generate.links import page_url
from docgen.generate.reference import Page
from docgen.generate.source_view import without_source_blocks
from docgen.model import Document, Project
from docgen.scan.markdown import GENERATED_PREFIX

INDEX = "llms.txt"
FULL = "llms-full.txt"
NAMES = (INDEX, FULL)
SUMMARY_CHARACTERS = 200
MARKER = f"{GENERATED_PREFIX} from the docs: edits here are lost on the next build -->"


def llms_files(
    name: str, project: Project, pages: Sequence[Page], documents: Iterable[Document], guides: Iterable[Document]
) -> dict[str, str]:
    """The two files' text by docs path, from the reference `pages`, the user's `documents`
    and the published `guides`."""
    documents = [d for d in documents if d.path not in NAMES]
    guides = list(guides)
    summaries = {symbol.id: symbol.docstring.summary for symbol in project.walk() if symbol.docstring and symbol.docstring.summary}
    home = next((d for d in documents if d.path in ("index.md", "README.md")), None)
    lines = [f"# {_one_line(name)}", ""]
    summary = _first_paragraph(home.text) if home else ""
    if summary:
        lines += [f"> {summary}", ""]
    lines += [f"The whole documentation, as Markdown in one file: [{FULL}]({FULL}).", ""]
    sections = (
        ("Guides", [(g.title, g.path, _first_paragraph(g.text)) for g in guides]),
        ("Pages", [(d.title, d.path, _first_paragraph(d.text)) for d in documents if d is not home]),
        ("Reference", [(p.title, p.path, summaries.get(p.symbol_id, "")) for p in pages]),
    )
    for title, entries in sections:
        if not entries:
            continue
        lines += [f"## {title}", ""]
        for label, path, about in entries:
            link = f"- [{_label(label)}]({_url(path)})"
            lines.append(f"{link}: {_one_line(about)}" if about.strip() else link)
        lines.append("")
    full = [f"# {_one_line(name)}", ""]
    for document in [*([home] if home else []), *guides, *(d for d in documents if d is not home)]:
        full += [f"<!-- {_url(document.path)} -->", without_figures(document.text).strip(), ""]
    for page in pages:
        full += [f"<!-- {_url(page.path)} -->", without_source_blocks(without_figures(page.markdown)).strip(), ""]
    return {INDEX: "\n".join([*lines, MARKER]).strip() + "\n", FULL: "\n".join([*full, MARKER]).strip() + "\n"}


def _url(path: str) -> str:
    """Where MkDocs publishes a docs page (directory URLs, a README as its folder's index),
    relative to the site root."""
    stem = page_url(re.sub(r"(^|/)README\.md$", r"\1index.md", path))
    return (f"{stem}/" if stem else "./").replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _first_paragraph(text: str) -> str:
    """The first paragraph of prose of a Markdown text, on one line, at most
    `SUMMARY_CHARACTERS` long (front matter, headings, HTML and code left out)."""
    body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    body = re.sub(r"^```.*?^```", "", body, flags=re.S | re.M)
    for paragraph in body.split("\n\n"):
        lines = [line.strip() for line in paragraph.strip().split("\n")]
        if not lines or not lines[0] or lines[0].startswith(("#", "<", "!", "|", "```", "-", "*", ">", "[")):
            continue
        return _one_line(" ".join(lines))
    return ""


def _one_line(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > SUMMARY_CHARACTERS:
        text = text[:SUMMARY_CHARACTERS].rsplit(" ", 1)[0] + " …"
    return text


def _label(text: str) -> str:
    """A link's text: brackets in it would end it early."""
    return _one_line(text).replace("[", "\\[").replace("]", "\\]") or "page"
