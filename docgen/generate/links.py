"""Cross-references: which page and anchor a name in a signature or docstring points at.

Names resolve the way a reader would: relative to the enclosing scopes, through the module's
imports, as an absolute id, and finally by an unambiguous short name.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from functools import partial
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from docgen.generate.external_links import ExternalLinks
from docgen.model import ModelInfo, Symbol
from docgen.problems import Problem

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:(?:\.|::)[A-Za-z_][A-Za-z0-9_]*)*")
# One pass over a line, left to right, so that a code span's content is never read as a
# reference: backticked names, optionally in a Sphinx role (:class:`x`, :meth:`~x.y`), and
# explicit cross-references in the mkdocstrings/autorefs style: [text][dotted.id].
_PROSE_REFERENCE = re.compile(
    r"(?::(?:py:)?[a-z]+:)?`(?P<code>[^`\n]+)`|\[(?P<label>[^\]\n]+)\]\[(?P<target>[A-Za-z_][\w.:]*!?)\]"
)
_FENCE = re.compile(r"^\s*(```|~~~)")
# A Go doc link into its own package: an exported name, maybe with a method or field. One
# without a lower-case letter (`[RFC3339]`, `[TODO]`) is more often a bracketed word.
_GO_OWN_PACKAGE = re.compile(r"\*?[A-Z]\w*(?:\.[A-Za-z_]\w*)?")
_LOWER = re.compile(r"[a-z]")
# String literals in signatures (`mode: str = "json"`, `Literal["fast"]`): text, never references.
_STRING = re.compile(r"""(?<![\w.])[rRbBuUfF]{0,2}(?:'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")""")
# In Rust a quote also opens a lifetime (`&'a str`): there only double-quoted strings are text.
_DOUBLE_QUOTED = re.compile(r'"(?:\\.|[^"\\\n])*"')
# Kinds a bare word may name through the short-name fallback.
NAMEABLE_KINDS = frozenset(
    {"class", "struct", "enum", "union", "trait", "interface", "type_alias", "function", "macro", "schema", "module", "package"}
)
# What `Self` names in Rust docs: the type (or trait) whose items they document.
_RUST_SELF_KINDS = frozenset({"struct", "enum", "union", "trait", "type_alias"})
# `pkg.toml`, `docgen.yml`: backticked file names look like dotted paths but name no symbol.
_FILE_SUFFIXES = frozenset("py pyi toml yml yaml json md txt cfg ini rst html js ts rs go c h cpp cu".split())


def looks_like_file(name: str) -> bool:
    """Whether a backticked name is a file's (`pyproject.toml`, `shop/cart.py`), not code's."""
    return "." in name and name.rsplit(".", 1)[-1] in _FILE_SUFFIXES


def anchor(symbol_id: str) -> str:
    """The HTML id of a symbol: Python ids as they are, other ids made URL- and CSS-safe."""
    if "::" not in symbol_id and _IDENTIFIER.fullmatch(symbol_id):
        return symbol_id
    # A module's name is its file's, which may hold spaces, quotes or braces: written as they
    # are, they would end the `id` attribute or the heading's `{ #id }` and add attributes.
    qualified = symbol_id.split("::", 1)[1] if "::" in symbol_id else symbol_id
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", qualified).strip("-") or "top"


@dataclass
class Target:
    """Where a symbol is documented."""

    page: str  # path of the Markdown page, relative to the docs dir
    anchor: str


@dataclass
class LinkIndex:
    """Every documented symbol's page and anchor, and the means to resolve names to them."""

    targets: dict[str, Target] = field(default_factory=dict)
    by_tail: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    top_level: set[str] = field(default_factory=set)
    bases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reexports: dict[str, dict[str, str]] = field(default_factory=dict)  # module -> name -> target
    public_paths: dict[str, str] = field(default_factory=dict)  # where it is defined -> re-exported id
    kinds: dict[str, str] = field(default_factory=dict)
    fields: dict[str, frozenset[str]] = field(default_factory=dict)  # a record's or enum's field names
    schemas: dict[tuple[str, str], str] = field(default_factory=dict)  # (OpenAPI spec, schema name) -> id
    models: dict[str, ModelInfo] = field(default_factory=dict)  # nn.Module class -> its submodules
    external: ExternalLinks = field(default_factory=ExternalLinks)  # other projects' docs (`inventories`)
    # Unresolved references, once each, at the docstring that holds them (a symbol shown
    # on several pages, or re-exported under another name, is still one problem).
    broken: dict[tuple[str, int, str], Problem] = field(default_factory=dict)
    # Where each path asked of `_documented` is documented: the pages ask the same few
    # names (`str`, `Config`) thousands of times. Emptied whenever a symbol is added.
    _found: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)

    def add(self, symbol: Symbol, page: str, is_page: bool) -> None:
        """Record that `symbol` is documented on `page` (at the top when `is_page`)."""
        self._found.clear()
        self.targets[symbol.id] = Target(page, "" if is_page else anchor(symbol.id))
        self.kinds[symbol.id] = symbol.kind
        if not (symbol.kind == "impl" and " " in symbol.name):  # `impl Sealed for crate::dfa::DFA` is not `DFA`
            self.by_tail[_tail(symbol.id)].append(symbol.id)
        if symbol.bases:
            self.bases[symbol.id] = symbol.bases
        if symbol.fields:
            self.fields[symbol.id] = frozenset(f.name for f in symbol.fields)
        if symbol.model is not None:
            self.models[symbol.id] = symbol.model
        if symbol.kind == "schema":
            self.schemas[(symbol.id.split("::", 1)[0], symbol.name)] = symbol.id
        if symbol.imports and symbol.kind in ("module", "package"):
            self.reexports[symbol.id] = dict(symbol.imports)
            for name, target in symbol.imports:
                self.public_paths.setdefault(target, f"{symbol.id}.{name}")
        if symbol.language == "python":
            self.top_level.add(symbol.id.split(".", 1)[0])

    def resolve(self, name: str, scopes: list[Symbol], imports: dict[str, str]) -> str | None:
        """The id `name` refers to, seen from inside `scopes` (innermost first), or None."""
        name = name.strip().removeprefix("~").removesuffix("()")
        if not _IDENTIFIER.fullmatch(name):
            return None
        for scope in scopes:
            separator = "::" if "::" in scope.id or scope.kind in ("file", "api") or scope.language != "python" else "."
            candidate = self._documented(f"{scope.id}{separator}{name}")
            if candidate:
                return candidate
        if scopes and scopes[0].language == "openapi":  # a bare name in a spec: one of its schemas
            candidate = self.schemas.get((scopes[0].id.split("::", 1)[0], name))
            if candidate:
                return candidate
        head, _, rest = name.partition(".")
        if head in imports:
            candidate = self._documented(imports[head] + ("." + rest if rest else ""))
            if candidate:
                return candidate
        candidate = self._documented(name) or self._reexported(name)
        if candidate:
            return candidate
        # Last, an unambiguous short name; a bare word only when it names a type or a
        # function (`json` is more often a word than `Response.json`).
        matches = [i for i in self.by_tail.get(_tail(name), ()) if _ends_with(i, name)]
        if len(matches) == 1 and (_is_qualified(name) or self.kinds[matches[0]] in NAMEABLE_KINDS):
            return matches[0]
        return self._inherited(name, scopes, imports) or self._field(name, scopes, imports)

    def _field(self, name: str, scopes: list[Symbol], imports: dict[str, str]) -> str | None:
        """`Enum::Variant` or `Record.field`: the enum or record, which lists it."""
        member = _tail(name)
        owner_name = name[: len(name) - len(member)].rstrip(".:")
        if not owner_name:
            return None
        owner = self.resolve(owner_name, scopes, imports)
        return owner if owner is not None and member in self.fields.get(owner, ()) else None

    def names_some(self, name: str) -> bool:
        """Whether a qualified name (`Tokenizer.decode`) ends the id of some documented
        symbol, even when it ends several (a class of one name in two languages): whether
        it names something that exists, not which."""
        name = name.strip().removesuffix("()")
        return _is_qualified(name) and any(_ends_with(i, name) for i in self.by_tail.get(_tail(name), ()))

    def _documented(self, path: str) -> str | None:
        """`path` if documented, or where it is documented when a package re-exports it
        (`httpx._client.Client` is documented as `httpx.Client`)."""
        if path in self.targets:
            return path
        if path in self._found:
            return self._found[path]
        found = None
        parts = path.split(".")
        for cut in range(len(parts), 1, -1):
            public = self.public_paths.get(".".join(parts[:cut]))
            if public is not None:
                candidate = ".".join([public, *parts[cut:]])
                if candidate in self.targets:
                    found = candidate
                    break
        self._found[path] = found
        return found

    def _reexported(self, name: str, depth: int = 0) -> str | None:
        """`pkg.Name.rest` where `pkg` imports `Name` from where it is defined (`pkg.core.Name`)."""
        parts = name.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            imports = self.reexports.get(".".join(parts[:cut]))
            if imports and parts[cut] in imports:
                candidate = ".".join([imports[parts[cut]], *parts[cut + 1 :]])
                documented = self._documented(candidate)
                if documented:
                    return documented
                return self._reexported(candidate, depth + 1) if depth < 5 else None
        return None

    def _inherited(self, name: str, scopes: list[Symbol], imports: dict[str, str]) -> str | None:
        """`Class.member` where the member is defined on one of the class's bases."""
        owner_name, dot, member = name.rpartition(".")
        owner = self.resolve(owner_name, scopes, imports) if dot else None
        seen: set[str] = set()
        while owner is not None and owner not in seen:
            seen.add(owner)
            for base in self.bases.get(owner, ()):
                if f"{base}.{member}" in self.targets:
                    return f"{base}.{member}"
            owner = next((b for b in self.bases.get(owner, ()) if b in self.targets), None)
        return None

    def url(self, symbol_id: str, from_page: str) -> str:
        """A relative Markdown link (to the `.md` file) from `from_page` to `symbol_id`,
        percent-encoded: a file name may hold spaces, quotes or `<` (MkDocs decodes it)."""
        target = self.targets[symbol_id]
        if target.page == from_page:
            return f"#{quote(target.anchor)}"
        path = quote(posixpath.relpath(target.page, posixpath.dirname(from_page) or "."))
        return path + (f"#{quote(target.anchor)}" if target.anchor else "")

    def href(self, symbol_id: str, from_page: str) -> str:
        """A relative URL from `from_page`'s HTML to `symbol_id`, for raw HTML, which MkDocs
        does not rewrite (directory URLs, MkDocs' default: `a/b.md` is served at `a/b/`)."""
        target = self.targets[symbol_id]
        if target.page == from_page:
            return f"#{quote(target.anchor)}"
        path = quote(posixpath.relpath(page_url(target.page) or ".", page_url(from_page) or ".")) + "/"
        return ("" if path == "./" else path) + (f"#{quote(target.anchor)}" if target.anchor else "")


def page_url(page: str) -> str:
    """The directory URL MkDocs serves a page at: `a/b.md` -> `a/b`, `a/index.md` -> `a`."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index").rstrip("/")
    return stem


@dataclass
class Linker:
    """Links names for one page, seen from one place in the symbol tree."""

    index: LinkIndex
    page: str
    scopes: list[Symbol]
    imports: dict[str, str]
    # The innermost scope's parameters: in its docstring, `text` means the argument.
    parameters: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.parameters = frozenset(p.name for p in self.scopes[0].params) if self.scopes else frozenset()

    def code(self, text: str) -> str:
        """`text` (a type annotation, a base class) as inline code with resolvable names
        linked; HTML, so it is safe in a table cell whatever characters it holds."""
        return code_html(text, self._linked(text, frozenset(), escape)) if text else ""

    def html(self, text: str, skip: frozenset[str] = frozenset(), values: tuple[str, ...] = ()) -> str:
        """`text` as escaped HTML for an HTML block, with resolvable names linked, except
        the names in `skip`, string literals and the default `values` (`= DEFAULT_MODE`)."""
        return self._linked(text, skip, partial(html.escape, quote=False), values)

    def _linked(
        self, text: str, skip: frozenset[str], escaper: Callable[[str], str], values: tuple[str, ...] = ()
    ) -> str:
        pieces: list[str] = []
        position = 0
        rust = bool(self.scopes) and self.scopes[0].language == "rust"
        unlinked = _unlinked_spans(text, values, _DOUBLE_QUOTED if rust else _STRING)
        for match in _IDENTIFIER.finditer(text):
            if any(start <= match.start() < end for start, end in unlinked):
                continue
            name = match.group(0)
            if name in skip or name in self.parameters:
                continue
            target = self.index.resolve(name, self.scopes, self.imports)
            href = self.index.href(target, self.page) if target is not None else self._external(name)
            if href is None:
                continue
            pieces.append(escaper(text[position : match.start()]))
            pieces.append(f'<a href="{html.escape(href)}">{escaper(name)}</a>')
            position = match.end()
        pieces.append(escaper(text[position:]))
        return "".join(pieces)

    def prose(self, text: str) -> str:
        """Markdown with backticked names and `[text][id]` references linked (not in code blocks)."""
        lines = []
        in_fence = False
        for line in text.split("\n"):
            if _FENCE.match(line):
                in_fence = not in_fence
            elif not in_fence and ("`" in line or "][" in line):
                line = _PROSE_REFERENCE.sub(self._reference, line)
            lines.append(line)
        return "\n".join(lines)

    def _reference(self, match: re.Match[str]) -> str:
        return self._code_span(match) if match.group("code") is not None else self._explicit(match)

    def _resolve(self, name: str) -> str | None:
        """The id `name` refers to from here. Rust paths may start from `Self` (the type
        whose docs these are), `crate`, `self` or `super`: those are read from the crate's
        names, and then by the path's last part."""
        rust = bool(self.scopes) and self.scopes[0].language == "rust"
        if rust and name.endswith("!"):  # `log!`: the macro, whatever else is called `log`
            macros = [i for i in self.index.by_tail.get(_tail(name[:-1]), ()) if self.index.kinds[i] == "macro"]
            return macros[0] if len(macros) == 1 else None
        target = self.index.resolve(name, self.scopes, self.imports)
        if target is not None or not rust or "::" not in name:
            return target
        head, _, rest = name.partition("::")
        if head == "Self":
            owner = next((s for s in self.scopes if s.kind in _RUST_SELF_KINDS), None)
            return self.index.resolve(f"{owner.name}::{rest}", self.scopes, self.imports) if owner is not None else None
        if head in ("crate", "self", "super"):
            while head in ("crate", "self", "super") and "::" in rest:
                head, _, rest = rest.partition("::")
            path = rest if head in ("crate", "self", "super") else f"{head}::{rest}"
            return self.index.resolve(path, self.scopes, self.imports) or self.index.resolve(_tail(path), self.scopes, self.imports)
        return None

    def _external(self, name: str) -> str | None:
        """The URL of `name` in another project's docs (see `external_links`), for Python
        code, whose inventories those are. A name in the project's own packages is never
        another project's: one that resolves to nothing is a broken reference."""
        if not self.index.external.urls or not self.scopes or self.scopes[0].language != "python":
            return None
        head = name.removeprefix("~").split(".", 1)[0]
        if self.imports.get(head, head).split(".", 1)[0] in self.index.top_level:
            return None
        return self.index.external.url(name, self.imports)

    def _explicit(self, match: re.Match[str]) -> str:
        label, name = match.group("label", "target")
        target = self._resolve(name)
        url = self._external(name) if target is None else None
        if url is not None:
            return f"[{label}]({url})"
        if target is None:
            if self.scopes and self.scopes[0].language == "go":
                # A doc link to nothing is text, brackets and all, as in go doc. One to
                # another package (`[io.Reader]`) cannot be checked; one to this package's
                # `[Name]` or `[Type.Method]` names something that is not there.
                if _GO_OWN_PACKAGE.fullmatch(name) and _LOWER.search(name):
                    self._broken(f"unresolved doc link [{label}]")
                return f"[{label}]"
            self._broken(f"unresolved reference [{label}][{name}]")
            return label
        return f"[{label}]({self.index.url(target, self.page)})"

    def _code_span(self, match: re.Match[str]) -> str:
        name = match.group("code")
        target = None if name in self.parameters else self._resolve(name)
        shown = name.removeprefix("~").rsplit(".", 1)[-1] if name.startswith("~") else name
        head = re.split(r"\.|::", name.removeprefix("~"), maxsplit=1)[0]
        # Out of the project only a dotted or imported name: a bare `list` in prose is a word.
        if target is None and name not in self.parameters and ("." in name or head in self.imports):
            url = self._external(name)
            if url is not None:
                return f"[`{shown}`]({url})"
        if target is None:
            if head in self.index.top_level and name != head and not looks_like_file(name) and _IDENTIFIER.fullmatch(name.removesuffix("()")):
                self._broken(f"unresolved reference `{name}`")
            return f"`{name}`"
        return f"[`{shown}`]({self.index.url(target, self.page)})"

    def _broken(self, message: str) -> None:
        symbol = self.scopes[0] if self.scopes else None
        if symbol is None:
            problem = Problem("broken-reference", message, self.page)
        else:
            line = symbol.docstring.line if symbol.docstring and symbol.docstring.line else symbol.location.start
            problem = Problem("broken-reference", message, symbol.location.file, line, symbol=symbol.id)
        self.index.broken.setdefault((problem.file, problem.line, problem.message), problem)


# Characters Markdown would still act on inside inline HTML (emphasis, code spans, escapes,
# links, table cells), written as character references so code shows exactly as written.
_MARKDOWN_ACTIVE = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]|"})


def escape(text: str) -> str:
    """`text` for inline HTML inside Markdown: HTML-escaped, Markdown-inert."""
    return html.escape(text, quote=False).translate(_MARKDOWN_ACTIVE)


def code_html(text: str, linked: str | None = None) -> str:
    """Inline code as raw HTML (`linked`: text already escaped by `Linker.html`).

    Markdown code spans break on backticks, on pipes in tables and on `<!`-like text in
    Python-Markdown's HTML pre-pass; escaped HTML breaks on nothing."""
    return f"<code>{linked if linked is not None else escape(text)}</code>"


def _unlinked_spans(text: str, values: tuple[str, ...], strings: re.Pattern[str]) -> list[tuple[int, int]]:
    """Where `text` holds string literals or one of `values` after an `=`: never links."""
    spans = [match.span() for match in strings.finditer(text)] if ("'" in text or '"' in text) else []
    for value in values:
        if not value:
            continue
        for written in (f"= {value}", f"={value}"):
            start = text.find(written)
            while start != -1:
                spans.append((start, start + len(written)))
                start = text.find(written, start + 1)
    return spans


def _is_qualified(name: str) -> bool:
    return "." in name or "::" in name


def _tail(name: str) -> str:
    return re.split(r"\.|::", name)[-1]


def _ends_with(symbol_id: str, name: str) -> bool:
    normalized = symbol_id.replace("::", ".")
    dotted = name.replace("::", ".")
    return normalized == dotted or normalized.endswith("." + dotted)
