"""Reference pages: a pure function from the model to Markdown.

`plan_pages` decides which symbol is documented on which page; `render_pages` writes each
page's Markdown. Nothing here touches the disk but to read the source lines a page shows
(`show_source`, through `SourceFiles`), so rendering is tested against golden files.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.cache import code_digest
from docgen.generate.diagrams import Diagram, class_hierarchy, composition, figure, module_dependencies
from docgen.generate.external_links import ExternalLinks
from docgen.generate.links import LinkIndex, Linker, anchor, code_html
from docgen.generate.prose.docstring_store import DocstringDraft
from docgen.generate.signature_layout import layout
from docgen.generate.source_view import SourceFiles, source_block, source_span
from docgen.model import PAGE_KINDS, DocItem, DocSection, Location, Project, Symbol, in_reference
from docgen.problems import Problem
from docgen.publish.sanitize import code_span, escape_text, sanitize_markdown
from docgen.scan.openapi import SCHEMAS_PAGE

if TYPE_CHECKING:
    from docgen.config import Config

FENCE_LANGUAGE = {
    "python": "python",
    "c": "c",
    "cpp": "cpp",
    "cuda": "cpp",
    "javascript": "js",
    "typescript": "ts",
    "rust": "rust",
    "go": "go",
    "openapi": "http",
}
SECTION_TITLES = {
    "parameters": "Parameters",
    "other parameters": "Other parameters",
    "type parameters": "Type parameters",
    "attributes": "Attributes",
    "returns": "Returns",
    "yields": "Yields",
    "receives": "Receives",
    "raises": "Raises",
    "warns": "Warns",
    "request body": "Request body",
    "responses": "Responses",
}
# Kinds whose long signatures get one parameter per line (a macro's `(` may be its value's).
LAID_OUT_KINDS = frozenset({"function", "method", "class"})
KIND_LABELS = {"type_alias": "type alias", "api": "HTTP API"}
# griffe's bookkeeping labels: true, but nothing a reader needs next to the heading.
HIDDEN_LABELS = frozenset({"class-attribute", "instance-attribute", "module-attribute"})


@dataclass(frozen=True)
class Page:
    """One generated Markdown page."""

    path: str  # relative to the docs dir
    title: str
    markdown: str
    symbol_id: str = ""

    @property
    def digest(self) -> str:
        """A digest of the page's Markdown: what the incremental build compares."""
        return hashlib.blake2b(self.markdown.encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class RenderOptions:
    """What a reference page shows, beyond the model itself."""

    reference_dir: str = "reference"
    repo_url: str = ""
    repo_branch: str = "main"
    show_private: bool = False
    diagrams: bool = True
    # Where the source lines a page shows (`show_source`) are read; None: no source blocks.
    # Left out of the options' digest: a moved project renders the same pages.
    source_root: Path | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, config: Config) -> RenderOptions:
        """The options `config` sets."""
        source_root = config.root if config.show_source else None
        return cls(config.reference_dir, config.repo_url, config.repo_branch, config.show_private, config.diagrams, source_root)


@dataclass(frozen=True)
class RenderedPage:
    """A page with what it was rendered from, so that a later render can reuse it."""

    key: str  # digest of everything the page shows (see `_page_key`)
    page: Page
    broken: tuple[Problem, ...]  # the references on it that did not resolve


@dataclass(frozen=True)
class RenderResult:
    """The pages, and the references that did not resolve (warnings under --strict)."""

    pages: tuple[Page, ...]
    broken_references: tuple[Problem, ...]
    rendered: tuple[RenderedPage, ...] = ()  # the symbols' pages, for the next render to reuse
    index: LinkIndex | None = None  # where each documented symbol is, for guides to link and verify


def is_documented(symbol: Symbol, options: RenderOptions) -> bool:
    """Whether a symbol appears in the reference at all (`docgen scan` counts the same)."""
    return in_reference(symbol, options.show_private)


def page_path(symbol: Symbol, options: RenderOptions) -> str:
    """Where a page-kind symbol's page lives, relative to the docs dir.

    Python packages at `<reference>/<dotted path as folders>/`; source files under
    `source-files/`, OpenAPI specs under `http-api/`: hyphenated names no Python package can
    take. A module named `index` gets a folder, so it never takes its package's page.
    """
    base = options.reference_dir.strip("/")
    if symbol.language == "python":
        parts = symbol.id.split(".")
        if symbol.kind == "package" or parts[-1] == "index":
            return posixpath.join(base, *parts, "index.md")
        return posixpath.join(base, *parts[:-1], parts[-1] + ".md")
    if symbol.kind == "api":
        return posixpath.join(base, "http-api", _slug(symbol.id), "index.md")
    if symbol.language == "rust" and symbol.kind == "module":  # `crate::a::b`
        crate, *path = symbol.id.split("::")
        return posixpath.join(base, "rust", crate, *path[:-1], (path[-1] + ".md") if path else "index.md")
    if symbol.language == "go" and symbol.kind == "package":
        return posixpath.normpath(posixpath.join(base, "go", symbol.id, "index.md"))
    if symbol.kind == "tag":
        spec, tag = symbol.id.split("::", 1)
        if tag.startswith(SCHEMAS_PAGE):  # the schemas' pages, in a folder after the tags
            letter = tag.removeprefix(SCHEMAS_PAGE).strip("/")
            return posixpath.join(base, "http-api", _slug(spec), "components-schemas", (_slug(letter) if letter else "index") + ".md")
        return posixpath.join(base, "http-api", _slug(spec), _slug(tag) + ".md")
    return posixpath.join(base, "source-files", symbol.id + ".md")


def plan_pages(
    project: Project, options: RenderOptions, external: ExternalLinks | None = None
) -> tuple[dict[str, Symbol], LinkIndex]:
    """Each page's symbol, by page path, and the link index of every documented symbol
    (which links names of other projects through `external`)."""
    index = LinkIndex(external=external or ExternalLinks())
    pages: dict[str, Symbol] = {}

    def visit(symbol: Symbol, page: str | None) -> None:
        if not is_documented(symbol, options):
            return
        is_page = symbol.kind in PAGE_KINDS
        if is_page:
            page = _unique(page_path(symbol, options), pages)
            pages[page] = symbol
        assert page is not None, f"{symbol.id} has no page"
        index.add(symbol, page, is_page)
        for child in symbol.children:
            visit(child, page)

    for symbol in project.symbols:
        visit(symbol, None)
    return pages, index


def render_pages(
    project: Project,
    options: RenderOptions,
    reuse: Mapping[str, RenderedPage] | None = None,
    *,
    drafts: Mapping[str, DocstringDraft] | None = None,
    plan: tuple[dict[str, Symbol], LinkIndex] | None = None,
) -> RenderResult:
    """Every reference page of `project`, plus the reference's own index page.

    A page in `reuse` (by path) whose key still matches is taken as it is: its symbols,
    their lines, the drafts it shows, the links the whole reference offers and the options
    are all unchanged. `drafts` holds drafted docstrings by symbol id, shown (marked as
    drafted) for symbols without one; `plan` is `plan_pages`' answer, when already known.
    """
    planned, index = plan or plan_pages(project, options)
    drafts = drafts or {}
    context = _context_digest(index, options)
    sources = SourceFiles(options.source_root) if options.source_root is not None else None
    rendered: list[RenderedPage] = []
    for path, symbol in planned.items():
        key = _page_key(path, symbol, context, drafts, sources)
        kept = reuse.get(path) if reuse else None
        if kept is None or kept.key != key:
            index.broken = {}  # the references this page leaves unresolved
            page = Page(path, _title(symbol), _PageWriter(path, symbol, index, options, drafts, sources).render(), symbol.id)
            kept = RenderedPage(key, page, tuple(index.broken.values()))
        rendered.append(kept)
    broken: dict[tuple[str, int, str], Problem] = {}
    for kept in rendered:  # one problem each, however many pages show its docstring
        for problem in kept.broken:
            broken.setdefault((problem.file, problem.line, problem.message), problem)
    pages = [kept.page for kept in rendered]
    home = posixpath.join(options.reference_dir.strip("/"), "index.md")
    if home not in planned:
        pages.append(Page(home, "Reference", _reference_home(home, project, index, options)))
    return RenderResult(tuple(sorted(pages, key=lambda p: p.path)), tuple(broken.values()), tuple(rendered), index)


def _context_digest(index: LinkIndex, options: RenderOptions) -> str:
    """What every page depends on beyond its own symbols: where each name links, the
    options, and the renderer itself (docgen's code)."""
    state = (code_digest(), options, sorted(index.targets.items()), sorted(index.kinds.items()), sorted(index.bases.items()))
    state += (sorted((module, sorted(names.items())) for module, names in index.reexports.items()),)
    state += (sorted(index.models.items()),)  # a model's diagram shows its submodules' submodules
    state += (sorted(index.public_paths.items()), index.external.digest)
    return hashlib.blake2b(repr(state).encode(), digest_size=16).hexdigest()


def _page_key(
    path: str, symbol: Symbol, context: str, drafts: Mapping[str, DocstringDraft], sources: SourceFiles | None
) -> str:
    """A digest of what one page shows: its symbol's content (its hash, which covers its
    members and sub-pages' summaries), the lines of what it documents (and their text,
    where it shows them: `sources`), the drafts it shows, and the context."""
    lines: list[object] = []
    shown = []
    stack = [symbol]
    while stack:
        current = stack.pop()
        lines.append(current.location)
        if sources is not None and current.kind not in PAGE_KINDS and (span := source_span(current, sources)) is not None:
            lines.append(sources.digest(span))
        if current.docstring is None and current.id in drafts:
            shown.append(drafts[current.id])
        stack.extend(child for child in current.children if child.kind not in PAGE_KINDS)
    return hashlib.blake2b(repr((context, path, symbol.hash, lines, shown)).encode(), digest_size=16).hexdigest()


def _reference_home(path: str, project: Project, index: LinkIndex, options: RenderOptions) -> str:
    lines = ["# Reference", "", f"Everything documented in {escape_text(project.name)}, generated from its source.", ""]
    groups = {"python": "Python packages", "api": "HTTP APIs", "other": "Source files"}
    rows: dict[str, list[str]] = {key: [] for key in groups}
    for symbol in project.symbols:
        if not is_documented(symbol, options) or symbol.id not in index.targets:
            continue
        group = "python" if symbol.language == "python" else "api" if symbol.kind == "api" else "other"
        summary = _cell(sanitize_markdown(symbol.docstring.summary) if symbol.docstring else "")
        name = code_span(symbol.name if group == "api" else symbol.id)
        rows[group].append(f"| [{name}]({index.url(symbol.id, path)}) | {summary} |")
    for key, title in groups.items():
        if rows[key]:
            lines += [f"## {title}", "", "| Name | Summary |", "| --- | --- |", *rows[key], ""]
    return "\n".join(lines)


class _PageWriter:
    """Renders one page: its symbol, then every documented descendant on the same page."""

    def __init__(
        self,
        path: str,
        symbol: Symbol,
        index: LinkIndex,
        options: RenderOptions,
        drafts: Mapping[str, DocstringDraft],
        sources: SourceFiles | None = None,
    ) -> None:
        self.path = path
        self.sources = sources
        self.symbol = symbol
        self.index = index
        self.options = options
        self.drafts = drafts
        self.imports = dict(symbol.imports)
        # What a diagram's name (a base class, a submodule's type) is, seen from this page.
        self.resolve = partial(index.resolve, scopes=[symbol], imports=self.imports)
        self.out: list[str] = []

    def render(self) -> str:
        symbol = self.symbol
        self.out.append(f"# {_heading(symbol)}\n")
        linker = self.linker([symbol])
        self.meta(symbol)
        self.docstring(symbol, linker)
        self.contents_table(symbol)
        self.diagrams(symbol)
        self.members(symbol, [symbol], level=2)
        return "\n".join(self.out).rstrip() + "\n"

    def diagrams(self, symbol: Symbol) -> None:
        """A package's module dependencies and a page's class hierarchy, drawn from the model."""
        if not self.options.diagrams:
            return
        self.draw(module_dependencies(symbol, self.index, self.path) if symbol.kind == "package" else None)
        self.draw(class_hierarchy(symbol, self.index, self.path, self.resolve))

    def draw(self, diagram: Diagram | None) -> None:
        if diagram is not None:
            self.out.append(figure(diagram))

    def members(self, symbol: Symbol, scopes: list[Symbol], level: int) -> None:
        """The documented children of `symbol`: undocumented attributes in one compact table
        (a heading each would bury the API under `self.x = x`), the rest under headings."""
        plain = self.plain_attributes(symbol)
        if plain:
            self.attributes_table(symbol, plain, self.linker(scopes))
        for child in self.headed(symbol, plain):
            self.member(child, scopes, min(level, 6))

    def headed(self, symbol: Symbol, plain: list[Symbol]) -> list[Symbol]:
        """The children of `symbol` documented under headings of their own: the rest of the
        documented ones are in a table (`plain`, the fields)."""
        tabled = _table_names(symbol) | {a.name for a in plain}
        return [
            child
            for child in symbol.children
            if child.kind not in PAGE_KINDS
            and is_documented(child, self.options)
            and not (child.kind == "attribute" and child.name in tabled)  # in (and anchored by) a table
        ]

    def source(self, symbol: Symbol) -> None:
        """The block of `symbol`'s source (`show_source`), less the lines of its members
        under headings, which show their own."""
        if self.sources is None or (span := source_span(symbol, self.sources)) is None:
            return
        members = self.headed(symbol, self.plain_attributes(symbol))
        folded = tuple(s for member in members if (s := source_span(member, self.sources)) is not None)
        block = source_block(span, self.sources, folded)
        if block:
            self.out.append(block)

    def plain_attributes(self, symbol: Symbol) -> list[Symbol]:
        """Python attributes without a docstring of their own, outside the field and
        submodule tables (which document and anchor theirs)."""
        in_tables = _table_names(symbol)
        return [
            c
            for c in symbol.children
            if c.kind == "attribute"
            and c.language == "python"
            and c.docstring is None
            and c.name not in in_tables
            and is_documented(c, self.options)
        ]

    def attributes_table(self, symbol: Symbol, attributes: list[Symbol], linker: Linker) -> None:
        """One row per attribute, described by the owner's `Attributes:` docstring section."""
        described = {
            item.name: item
            for section in (symbol.docstring.sections if symbol.docstring else ())
            if section.kind == "attributes"
            for item in section.items
        }
        rows = ["**Attributes**", "", "| Name | Type | Value | Description |", "| --- | --- | --- | --- |"]
        for attribute in attributes:
            item = described.get(attribute.name)
            annotation = attribute.returns or (item.annotation if item else "")
            description = _cell(_prose(linker, item.description)) if item else ""
            value = code_html(attribute.value) if attribute.value else ""
            name = f'<span id="{anchor(attribute.id)}"></span>{code_span(attribute.name)}'
            rows.append(f"| {name} | {linker.code(annotation)} | {value} | {description} |")
        shown = {attribute.name for attribute in attributes}
        for item in described.values():
            if item.name not in shown:  # described, but defined where the scan cannot see it
                row = [code_html(item.name), linker.code(item.annotation), "", _cell(_prose(linker, item.description))]
                rows.append("| " + " | ".join(row) + " |")
        self.out.append("\n".join(rows) + "\n")

    def linker(self, scopes: list[Symbol]) -> Linker:
        imports = dict(self.imports)
        for scope in scopes:  # a re-exported symbol brings the imports of where it is defined
            imports.update(scope.imports)
        return Linker(self.index, self.path, list(reversed(scopes)), imports)

    def member(self, symbol: Symbol, parents: list[Symbol], level: int) -> None:
        scopes = [*parents, symbol]
        linker = self.linker(scopes)
        self.out.append(f"{'#' * level} {code_span(symbol.name)} {{ #{anchor(symbol.id)} }}\n")
        self.meta(symbol)
        self.signature(symbol, linker)
        if symbol.bases:
            bases = ", ".join(linker.code(base) for base in symbol.bases)
            self.out.append(f"Bases: {bases}\n")
        self.docstring(symbol, linker)
        self.model(symbol)
        if symbol.model is not None and self.options.diagrams:
            self.draw(composition(symbol, self.index, self.path, self.resolve))
        self.fields(symbol, linker)
        self.source(symbol)
        self.members(symbol, scopes, level + 1)

    def signature(self, symbol: Symbol, linker: Linker) -> None:
        """The signature as a code block whose type names link to their documentation.

        Raw HTML rather than a fenced block: code blocks cannot hold links, and MkDocs
        passes an HTML block through untouched, which is also the cheapest thing it renders.
        """
        if not symbol.signature or symbol.kind in PAGE_KINDS:
            return
        # The symbol's own name and its parameters' names are not references.
        skip = frozenset({symbol.name, *(p.name for p in symbol.params)})
        language = FENCE_LANGUAGE.get(symbol.language, "")
        values = (*(p.default for p in symbol.params), symbol.value)  # defaults are values, not references
        signature = layout(symbol.signature, symbol.language) if symbol.kind in LAID_OUT_KINDS else symbol.signature
        code = linker.html(signature, skip, values)
        self.out.append(f'<div class="doc-signature highlight"><pre><code class="language-{language}">{code}</code></pre></div>\n')

    def docstring(self, symbol: Symbol, linker: Linker) -> None:
        draft = self.drafts.get(symbol.id) if symbol.docstring is None else None
        if draft is not None and not draft.empty:
            self.drafted(symbol, draft, linker)
            return
        self.sections(symbol, symbol.docstring.sections if symbol.docstring else (), linker)

    def drafted(self, symbol: Symbol, draft: DocstringDraft, linker: Linker) -> None:
        """A drafted docstring, rendered as a written one is, inside a box that says it
        was drafted, by which model, and is not in the source."""
        start = len(self.out)
        self.sections(symbol, _draft_sections(symbol, draft), linker)
        body = "\n".join(self.out[start:]).rstrip("\n")
        del self.out[start:]
        indented = "\n".join("    " + line if line else "" for line in body.split("\n"))
        title = f"Drafted by {escape_text(draft.model)}; not in the source"
        self.out.append(f'!!! info "{title}"\n\n{indented}\n')

    def sections(self, symbol: Symbol, sections: tuple[DocSection, ...], linker: Linker) -> None:
        """A docstring's sections, and a parameter table where the signature needs one."""
        described_params = False
        for section in sections:
            if section.kind == "parameters":
                described_params = True
                self.parameters(symbol, section, linker)
            elif not (section.kind == "attributes" and self.plain_attributes(symbol)):
                self.section(section, linker)  # else merged into the attributes table
        # A config class's parameters are its fields: the field table says it all.
        # Without descriptions a table would repeat the signature; API parameters also say
        # where they go (path, query, header), which the signature does not show.
        needs_table = symbol.language == "openapi" or any(p.description for p in symbol.params)
        if not described_params and needs_table and not symbol.fields and symbol.kind not in PAGE_KINDS:
            self.parameters(symbol, None, linker)

    def parameters(self, symbol: Symbol, section: DocSection | None, linker: Linker) -> None:
        documented = {item.name: item for item in section.items} if section else {}
        rows = []
        for param in symbol.params:
            if param.name in ("self", "cls"):
                continue
            item = documented.pop(param.name, None)
            annotation = param.annotation or (item.annotation if item else "")
            description = param.description or (item.description if item else "")
            where = f" ({param.kind})" if symbol.language == "openapi" and param.kind else ""
            default = param.default or (item.default if item else "")  # JSDoc `[name=value]`
            rows.append((param.name + where, annotation, default, description))
        rows += [(i.name, i.annotation, i.default, i.description) for i in documented.values()]
        if not rows:
            return
        if any(_has_blocks(description) for *_, description in rows):
            self.item_list("Parameters", rows, linker)
            return
        table = ["**Parameters**", "", "| Name | Type | Default | Description |", "| --- | --- | --- | --- |"]
        for name, annotation, default, description in rows:
            default_cell = code_html(default) if default else ""
            table.append(
                f"| {code_html(name)} | {linker.code(annotation)} | {default_cell} | {_cell(_prose(linker, description))} |"
            )
        self.out.append("\n".join(table) + "\n")

    def section(self, section: DocSection, linker: Linker) -> None:
        if section.kind == "text":
            text = _prose(linker, section.text)
            if text:
                self.out.append(text + "\n")
        elif section.kind == "examples":
            self.out.append("**Examples**\n\n" + sanitize_markdown(linker.prose(section.text.strip())) + "\n")
        elif section.kind == "admonition":
            title = escape_text((section.title or "Note").capitalize())
            # Fences are not read inside an indented block: its code is written as HTML.
            body = sanitize_markdown(linker.prose(section.text.strip()), fences=False)
            body = "\n".join("    " + line if line else "" for line in body.split("\n"))
            self.out.append(f'!!! note "{title}"\n\n{body}\n')
        elif section.items:
            title = SECTION_TITLES.get(section.kind, section.kind.capitalize())
            if any(_has_blocks(item.description) for item in section.items):
                self.item_list(title, [(i.name, i.annotation, i.default, i.description) for i in section.items], linker)
                return
            named = any(item.name for item in section.items)
            header = "| Name | Type | Description |" if named else "| Type | Description |"
            rows = [f"**{title}**", "", header, "| --- | --- | --- |" if named else "| --- | --- |"]
            for item in section.items:
                cells = [linker.code(item.annotation), _cell(_prose(linker, item.description))]
                if named:
                    cells.insert(0, code_html(item.name) if item.name else "")
                rows.append("| " + " | ".join(cells) + " |")
            self.out.append("\n".join(rows) + "\n")

    def item_list(self, title: str, rows: list[tuple[str, str, str, str]], linker: Linker) -> None:
        """Items whose descriptions hold paragraphs or code, as a list: a table cell would
        flatten them into one line."""
        lines = [f"**{title}**", ""]
        for name, annotation, default, description in rows:
            head = " ".join(
                part
                for part in (
                    code_html(name) if name else "",
                    f"({linker.code(annotation)})" if annotation else "",
                    f"= {code_html(default)}" if default else "",
                )
                if part
            )
            # Fences are not read inside a list item: its code is written as HTML.
            body = sanitize_markdown(linker.prose(description.strip()), fences=False) if description.strip() else ""
            first, _, rest = body.partition("\n")
            item = f"- {head}: {first}" if head and first else f"- {head or first}"
            lines.append(item + "".join(f"\n    {line}" if line else "\n" for line in rest.split("\n") if rest))
            lines.append("")  # a loose list: else the next item reads as the paragraph's last line
        self.out.append("\n".join(lines))

    def model(self, symbol: Symbol) -> None:
        if symbol.model is None:
            return
        # Names in `forward` and `__init__` are locals (`x`, `config`): link through module scope only.
        module_linker = self.linker([self.symbol])
        lines = ['!!! abstract "Model"', ""]
        if symbol.model.forward:
            lines += [f"    **forward**: {module_linker.code(symbol.model.forward)}", ""]
        if symbol.model.submodules:
            lines += ["    | Submodule | Defined as |", "    | --- | --- |"]
            lines += [
                f'    | <span id="{anchor(symbol.id + "." + s.name)}"></span>{code_span(s.name)} | {module_linker.code(s.value)} |'
                for s in symbol.model.submodules
            ]
        self.out.append("\n".join(lines).rstrip() + "\n")

    def fields(self, symbol: Symbol, linker: Linker) -> None:
        if not symbol.fields:
            return
        rows = ["**Fields**", "", "| Name | Type | Default | Description |", "| --- | --- | --- | --- |"]
        for f in symbol.fields:
            default = code_html(f.default) if f.default else ""
            target = anchor(f"{symbol.id}.{f.name}") if symbol.language == "python" else ""
            name = f'<span id="{target}"></span>{code_span(f.name)}' if target else code_span(f.name)
            rows.append(f"| {name} | {linker.code(f.annotation)} | {default} | {_cell(_prose(linker, f.description))} |")
        self.out.append("\n".join(rows) + "\n")

    def meta(self, symbol: Symbol) -> None:
        """One line under the heading: kind, labels, source location (linked with repo_url)."""
        parts = [] if symbol.kind in PAGE_KINDS else [KIND_LABELS.get(symbol.kind, symbol.kind)]
        parts += [f"<code>{html.escape(label)}</code>" for label in symbol.labels if label not in HIDDEN_LABELS]
        if symbol.location.file:
            parts.append(self._where("source", symbol.location))
        if symbol.definition is not None:
            parts.append(self._where("defined in", symbol.definition))
        if parts:
            self.out.append(f'<p class="doc-meta"><small>{" · ".join(parts)}</small></p>\n')

    def _where(self, title: str, location: Location) -> str:
        """`title: file:lines`, linked to the repository when `repo_url` is set."""
        lines = f"{location.start}-{location.end}" if location.end > location.start else f"{location.start}"
        shown = html.escape(f"{location.file}:{lines}" if location.start else location.file)
        if not self.options.repo_url:
            return f"{title}: <code>{shown}</code>"
        fragment = f"#L{location.start}" if location.start else ""
        if location.end > location.start:
            fragment += f"-L{location.end}"
        url = f"{self.options.repo_url.rstrip('/')}/blob/{self.options.repo_branch}/{location.file}{fragment}"
        return f'{title}: <a href="{html.escape(url)}"><code>{shown}</code></a>'

    def contents_table(self, symbol: Symbol) -> None:
        """Sub-pages of a package, file-level index of an API, as a table of links."""
        subpages = [c for c in symbol.children if c.kind in PAGE_KINDS and is_documented(c, self.options)]
        if not subpages:
            return
        title = "Modules" if symbol.language == "python" else "Sections"
        rows = [f"## {title}", "", "| Name | Summary |", "| --- | --- |"]
        for child in subpages:
            summary = _cell(sanitize_markdown(child.docstring.summary) if child.docstring else "")
            rows.append(f"| [{code_span(child.name)}]({self.index.url(child.id, self.path)}) | {summary} |")
        self.out.append("\n".join(rows) + "\n")


def _draft_sections(symbol: Symbol, draft: DocstringDraft) -> tuple[DocSection, ...]:
    """A drafted docstring as the sections of a written one (parameters in signature
    order, only those the symbol has)."""
    sections = [DocSection("text", draft.summary)] if draft.summary else []
    described = dict(draft.params)
    items = tuple(DocItem(p.name, description=described[p.name]) for p in symbol.params if described.get(p.name))
    if items:
        sections.append(DocSection("parameters", items=items))
    if draft.returns:
        sections.append(DocSection("returns", items=(DocItem(annotation=symbol.returns, description=draft.returns),)))
    if draft.raises:
        sections.append(DocSection("raises", items=tuple(DocItem(annotation=e, description=d) for e, d in draft.raises)))
    return tuple(sections)


def _table_names(symbol: Symbol) -> set[str]:
    """Attributes the field and submodule tables document (and anchor) already."""
    submodules = symbol.model.submodules if symbol.model else ()
    return {f.name for f in symbol.fields} | {s.name for s in submodules}


def _title(symbol: Symbol) -> str:
    """A page's title as plain text: what the nav shows (escaped where it is written)."""
    return symbol.id if symbol.language == "python" or symbol.kind == "file" else symbol.name


def _heading(symbol: Symbol) -> str:
    """A page's title as the Markdown of its first heading: ids as code, names as text."""
    if symbol.language == "python" or symbol.kind == "file":
        return code_span(symbol.id)
    return escape_text(symbol.name)


def _prose(linker: Linker, text: str) -> str:
    """Docstring Markdown with its references linked, sanitized: the one way untrusted
    prose reaches a page."""
    return sanitize_markdown(linker.prose(text.strip())) if text.strip() else ""


def _has_blocks(text: str) -> bool:
    """Whether a description holds more than one paragraph, or code."""
    return "\n\n" in text.strip() or "```" in text


def _cell(text: str) -> str:
    """Text fit for one Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _unique(path: str, taken: dict[str, Symbol]) -> str:
    """`path`, or `path` with `-2`, `-3`... when another page has it (API tags that differ
    only in case or punctuation slug alike)."""
    stem, number = path.removesuffix(".md"), 2
    while path in taken:
        path, number = f"{stem}-{number}.md", number + 1
    return path


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-").lower() or "api"
