"""What the knowledge base holds: a chunk per documented symbol and per section of a page.

A chunk is the unit search returns and `ask` cites: its text (what is embedded and
searched), its title, the URL it is published at (relative to the site's root, with the
anchor), and where it comes from. Its id is stable across builds (the symbol's id, or the
page and anchor), and its `digest` changes exactly when anything the index stores of it
does, so that an unchanged chunk is never embedded twice.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from markdown.extensions.toc import slugify, unique
from markdown_it import MarkdownIt

from docgen.generate.diagrams import without_figures
from docgen.generate.links import LinkIndex, page_url
from docgen.generate.prose.docstring_store import DocstringDraft
from docgen.model import PAGE_KINDS, Document, Project, Symbol, reference_symbols

SECTION_LEVEL = 3  # pages are cut at headings down to `###`
TEXT_CHARACTERS = 2000  # of a chunk's text: the embedding model reads about 256 tokens of it
SUMMARY_CHARACTERS = 600  # of what a search result shows

_INLINE = MarkdownIt("commonmark")
_CUSTOM_ID = re.compile(r"\s*\{\s*#([\w.:-]+)[^}]*\}\s*$")  # `## Title { #id }` (attr_list)


@dataclass(frozen=True)
class Chunk:
    """One searchable, citable piece of the docs."""

    id: str  # `symbol:<symbol id>`, or `page:<page path>#<anchor>`
    text: str
    title: str  # the symbol's id, or the section's heading
    url: str  # relative to the site root: `reference/pkg/mod/#pkg.mod.f`
    symbol: str | None  # the symbol's id; None for a section of prose
    kind: str  # the symbol's kind, or `section`
    language: str  # the symbol's language, or `markdown`
    file: str  # the source file, relative to the project root
    line: int
    summary: str = ""  # what a result shows of it: a symbol's docs (not its signature), a section's text

    @cached_property
    def digest(self) -> str:
        """A digest of everything the index stores of the chunk."""
        fields = (self.text, self.title, self.url, self.symbol or "", self.kind, self.language, self.file, str(self.line), self.summary)
        return hashlib.blake2b("\0".join(fields).encode("utf-8"), digest_size=12).hexdigest()


def project_chunks(
    project: Project,
    index: LinkIndex,
    documents: Iterable[Document],
    drafts: Mapping[str, DocstringDraft] | None = None,
    show_private: bool = False,
) -> list[Chunk]:
    """Every chunk of `project`: its documented symbols (with their docstring drafts, in
    `drafts` by symbol id, where they have no docstring of their own), then the sections
    of the Markdown pages published with it (`documents`: user's and guides alike)."""
    chunks = [
        symbol_chunk(symbol, index, (drafts or {}).get(symbol.id))
        for symbol in reference_symbols(project, show_private)
        if symbol.id in index.targets
    ]
    chunks += [chunk for document in documents for chunk in page_chunks(document)]
    return chunks


def symbol_chunk(symbol: Symbol, index: LinkIndex, draft: DocstringDraft | None = None) -> Chunk:
    """The chunk of one documented symbol: its kind and id, signature and docs."""
    target = index.targets[symbol.id]
    lines = [f"{symbol.kind} {symbol.id}"]
    if symbol.signature:
        lines.append(symbol.signature)
    docs = ""
    if symbol.docstring is not None and symbol.docstring.raw.strip():
        docs = symbol.docstring.raw.strip()
    elif draft is not None and not draft.empty:
        docs = _draft_text(draft)
    if symbol.kind in PAGE_KINDS and symbol.children:
        shown = [child.name for child in symbol.children if child.id in index.targets]
        docs += ("\n" if docs else "") + ("Contains: " + ", ".join(shown[:40]) if shown else "")
    lines.append(docs)
    return Chunk(
        id=f"symbol:{symbol.id}",
        text="\n".join(line for line in lines if line)[:TEXT_CHARACTERS],
        title=symbol.id,
        url=_url(target.page, target.anchor),
        symbol=symbol.id,
        kind=symbol.kind,
        language=symbol.language,
        file=symbol.location.file,
        line=symbol.location.start,
        summary=(docs.strip() or symbol.signature or "")[:SUMMARY_CHARACTERS],
    )


def page_chunks(document: Document) -> Iterator[Chunk]:
    """The chunks of one Markdown page: the text before its first heading (under the
    page's title), then one per heading down to `###`, each up to the next such heading."""
    body, offset = _without_front_matter(without_figures(document.text))
    lines = body.split("\n")
    ids: set[str] = set()
    starts: list[tuple[int, str, str]] = [(0, document.title, "")]  # (line, title, anchor)
    for heading, inline in _headings(body):
        title = inline.content
        custom = _CUSTOM_ID.search(title)
        title = _CUSTOM_ID.sub("", title).strip()
        anchor = custom.group(1) if custom else unique(slugify(_plain(title), "-"), ids)
        if heading.tag == "h1" and heading.map[0] == starts[0][0]:
            starts[0] = (heading.map[0], title or document.title, "")  # the page's own title
            continue
        starts.append((heading.map[0], title, anchor))
    for number, (start, title, anchor) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        text = "\n".join(lines[start:end]).strip()
        if not text or (number == 0 and len(starts) > 1 and _only_a_heading(text)):
            continue
        own = "\n".join(line for line in lines[start:end] if not line.lstrip().startswith("#")).strip() if number else text
        yield Chunk(
            id=f"page:{document.path}#{anchor}",
            text=f"{document.title}: {title}\n{text}"[:TEXT_CHARACTERS] if title != document.title else text[:TEXT_CHARACTERS],
            title=title if number else document.title,
            url=_url(document.path, anchor),
            symbol=None,
            kind="section",
            language="markdown",
            file=document.source,
            line=offset + start + 1,
            summary=(own or text)[:SUMMARY_CHARACTERS],
        )


def _headings(body: str) -> Iterable[tuple[object, object]]:
    """Each heading down to `SECTION_LEVEL`, outside code blocks: its open token and inline token."""
    tokens = _INLINE.parse(body)
    for position, token in enumerate(tokens):
        if token.type == "heading_open" and int(token.tag[1]) <= SECTION_LEVEL and token.map:
            yield token, tokens[position + 1]


def _without_front_matter(text: str) -> tuple[str, int]:
    """`text` without its YAML front matter, and how many lines that was."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end >= 0:
            return text[end + 5 :], text[: end + 5].count("\n")
    return text, 0


def _plain(title: str) -> str:
    """A heading's text as the table of contents slugs it: rendered, without its tags."""
    return html.unescape(re.sub(r"<[^>]*>", "", _INLINE.renderInline(title)))


def _only_a_heading(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.split("\n"))


def _draft_text(draft: DocstringDraft) -> str:
    lines = [draft.summary] if draft.summary else []
    lines += [f"{name}: {text}" for name, text in draft.params]
    lines += [f"Returns: {draft.returns}"] if draft.returns else []
    lines += [f"Raises {name}: {text}" for name, text in draft.raises]
    return "\n".join(lines)


def _url(page: str, anchor: str) -> str:
    """Where MkDocs publishes `page` (directory URLs), with the anchor."""
    stem = page_url(page)
    return (f"{stem}/" if stem else "") + (f"#{anchor}" if anchor else "")
