"""C, C++, CUDA, JavaScript, TypeScript, Rust and Go source files through tree-sitter.

One walker serves every language: a per-language `_Spec` maps tree-sitter node types to
handlers, and the handlers share the parts every language needs (locations, signatures cut
at the body, doc comments, ids, publicity). Handlers build mutable `_Draft`s, because
methods can be attached to their type only after the whole scope is known (Rust `impl`
blocks, Go receivers, C++ out-of-class definitions); the drafts are frozen into `Symbol`s
at the end, which is also where ids get their overload suffixes.

Tree-sitter is error tolerant: a file with syntax errors still yields every declaration the
parser could make sense of, plus one `Skipped` entry pointing at the first error.
"""

from __future__ import annotations

import importlib
import posixpath
import re
import textwrap
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from tree_sitter import Language, Node, Parser

from docgen.model import (
    DocItem,
    DocSection,
    Docstring,
    Field,
    Location,
    Param,
    Skipped,
    Symbol,
)

EXTENSIONS: dict[str, str] = {
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".hpp": "cpp",
    ".hh": "cpp",
    ".hxx": "cpp",
    ".cu": "cuda",
    ".cuh": "cuda",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".rs": "rust",
    ".go": "go",
}

SYNTAX_ERROR = "syntax error; declarations near it may be missing"


def parse_source(path: str, language: str, text: str) -> tuple[Symbol, list[Skipped]]:
    """Parse one source file into a `file` symbol whose children are its declarations.

    `path` is the POSIX path relative to the project root (it prefixes every id);
    `language` is a value of `EXTENSIONS`. Syntax errors never raise: the symbols
    tree-sitter recovered are kept and one `Skipped` names the line of the first error.
    """
    spec = _SPECS[language]
    grammar = "tsx" if language == "typescript" and path.lower().endswith(".tsx") else spec.grammar
    data = text.encode("utf-8", errors="replace")
    tree = _parser(grammar).parse(data)
    walker = _Walker(spec, data)
    root = tree.root_node
    file = _Draft(
        name=posixpath.basename(path),
        kind="file",
        start=1,
        end=len(text.splitlines()),
        docstring=walker.file_docstring(root),
    )
    # JS/TS publicity depends on what the module exports, which only the whole file tells.
    scope = (
        _Scope(exports=_js_exports(root), has_exports=_js_has_exports(root))
        if spec.doc == "jsdoc"
        else _Scope()
    )
    walker.walk(root, file, scope)
    skipped = []
    error_line = _first_error_line(root)
    if error_line:
        skipped.append(Skipped(file=path, reason=SYNTAX_ERROR, line=error_line))
    return file.freeze(path, path, language), skipped


# --- grammars -------------------------------------------------------------------------------

# grammar -> (module, function returning the language pointer)
_GRAMMARS = {
    "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"),
    "cuda": ("tree_sitter_cuda", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "rust": ("tree_sitter_rust", "language"),
    "go": ("tree_sitter_go", "language"),
}

_LANGUAGES: dict[str, Language] = {}
# Parsers keep per-parse state, so each thread gets its own; Language objects are shared.
_LOCAL = threading.local()
_LOCK = threading.Lock()


def _parser(grammar: str) -> Parser:
    """The cached parser for `grammar`, built on first use (loading a grammar costs ~ms)."""
    parsers = _LOCAL.__dict__.setdefault("parsers", {})
    parser = parsers.get(grammar)
    if parser is None:
        parser = parsers[grammar] = Parser(_language(grammar))
    return parser


def _language(grammar: str) -> Language:
    with _LOCK:
        if grammar not in _LANGUAGES:
            module, function = _GRAMMARS[grammar]
            _LANGUAGES[grammar] = Language(getattr(importlib.import_module(module), function)())
        return _LANGUAGES[grammar]


def _first_error_line(root: Node) -> int:
    """1-based line of the first ERROR or MISSING node, or 0 when the tree is clean."""
    if not root.has_error:
        return 0
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or (node.is_missing and not node.type.startswith("#")):
            return node.start_point.row + 1
        # A MISSING `#endif` comes from `#ifdef __cplusplus extern "C" { #endif`: the
        # preprocessor splits the braces across conditionals, which no grammar can follow.
        stack.extend(child for child in reversed(node.children) if child.has_error or child.is_missing)
    return 0


# --- drafts ---------------------------------------------------------------------------------

# Kinds that hold methods, and kinds a qualified C++ name or a Rust/Go method can attach to.
_TYPE_KINDS = frozenset({"class", "struct", "union", "enum", "interface", "trait", "type_alias", "impl"})
_CONTAINER_KINDS = _TYPE_KINDS | {"namespace"}


@dataclass
class _Draft:
    """A symbol under construction; `freeze` turns it (and its children) into a `Symbol`."""

    name: str
    kind: str
    start: int
    end: int
    signature: str = ""
    docstring: Docstring | None = None
    params: list[Param] = field(default_factory=list)
    returns: str = ""
    bases: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    public: bool = True
    children: list[_Draft] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    # C/C++ only: declarations with equal keys are one entity declared more than once.
    key: tuple | None = None
    # (name, kind, key) -> child, so folding redeclarations stays linear in big files.
    declared: dict[tuple, _Draft] = field(default_factory=dict, repr=False)

    def find(self, name: str, kinds: frozenset[str]) -> _Draft | None:
        """The last direct child called `name` whose kind is one of `kinds`."""
        for child in reversed(self.children):
            if child.name == name and child.kind in kinds:
                return child
        return None

    def add(self, child: _Draft) -> _Draft:
        """Append `child`, or fold it into an earlier declaration of the same entity."""
        if child.key is not None:
            identity = (child.name, child.kind, child.key)
            other = self.declared.setdefault(identity, child)
            if other is not child:
                # A prototype and its definition: keep the first, take whichever doc exists.
                other.docstring = other.docstring or child.docstring
                return other
        self.children.append(child)
        if self.kind == "impl":  # a synthetic container spans the members it collected
            self.start = min(self.start, child.start)
            self.end = max(self.end, child.end)
        return child

    def freeze(self, id_: str, path: str, language: str) -> Symbol:
        """The immutable symbol; children get `<id>::<name>` ids, `-2`, `-3` for overloads."""
        seen: dict[str, int] = {}
        children = []
        # Source order, also for members attached after the fact (impls, receivers).
        for child in sorted(self.children, key=lambda child: child.start):
            seen[child.name] = count = seen.get(child.name, 0) + 1
            suffix = f"-{count}" if count > 1 else ""
            children.append(child.freeze(f"{id_}::{child.name}{suffix}", path, language))
        return Symbol(
            id=id_,
            name=self.name,
            kind=self.kind,
            language=language,
            location=Location(path, self.start, self.end),
            signature=self.signature,
            docstring=self.docstring,
            params=_described(self.params, self.docstring),
            returns=self.returns,
            bases=tuple(dict.fromkeys(self.bases)),
            labels=tuple(sorted(set(self.labels))),
            public=self.public,
            children=tuple(children),
            fields=tuple(self.fields),
        )


def _described(params: list[Param], docstring: Docstring | None) -> tuple[Param, ...]:
    """Copy `@param` descriptions (and JSDoc `{types}` of untyped parameters) onto parameters."""
    if docstring is None:
        return tuple(params)
    items = {
        item.name: item
        for section in docstring.sections
        if section.kind == "parameters"
        for item in section.items
    }
    described = []
    for param in params:
        item = items.get(param.name)
        if item is not None:
            param = replace(
                param, description=item.description, annotation=param.annotation or item.annotation
            )
        described.append(param)
    return tuple(described)


# --- the walker -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    """What a scope passes down to the declarations in it."""

    access: str = ""  # C++ class bodies: the current access specifier
    private: bool = False  # C++ anonymous namespaces
    exports: frozenset[str] = frozenset()  # JS/TS: names exported by `export { a }` clauses
    has_exports: bool = False  # JS/TS: whether anything in this scope is exported
    trait_impl: bool = False  # Rust: inside `impl Trait for Type`


@dataclass(frozen=True)
class _Wrap:
    """A declaration node as reached through wrappers (`export`, `template <...>`, `declare`)."""

    outer: Node  # the outermost wrapper: docs precede it, the signature starts at it
    labels: tuple[str, ...] = ()
    exported: bool = False


Handler = Callable[["_Walker", Node, _Draft, _Scope, _Wrap], "Callable[[], None] | None"]


@dataclass(frozen=True)
class _Spec:
    """How to read one language: its grammar, doc-comment style and node-type handlers."""

    grammar: str
    doc: str  # "doxygen", "jsdoc", "rust" or "go"
    handlers: dict[str, Handler]
    comments: frozenset[str] = frozenset({"comment"})
    # Nodes allowed between a doc comment and its declaration (Rust attributes).
    between: frozenset[str] = frozenset()
    fence: str = ""  # info string of fenced examples


class _Walker:
    """Shared machinery: text, signatures, doc comments and the scope walk."""

    def __init__(self, spec: _Spec, data: bytes) -> None:
        self.spec = spec
        self.data = data

    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.text_between(node.start_byte, node.end_byte)

    def text_between(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", errors="replace")

    def walk(self, container: Node, scope: _Draft, ctx: _Scope) -> None:
        """Dispatch every child of `container`; run deferred attachments once all are known."""
        deferred = []
        for node in container.named_children:
            later = self.dispatch(node, scope, ctx, _Wrap(node))
            if later is not None:
                deferred.append(later)
        for later in deferred:
            later()

    def dispatch(self, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> Callable[[], None] | None:
        handler = self.spec.handlers.get(node.type)
        return handler(self, node, scope, ctx, wrap) if handler is not None else None

    def declare(
        self,
        node: Node,
        wrap: _Wrap,
        name: str,
        kind: str,
        body: Node | None = None,
        labels: tuple[str, ...] | list[str] = (),
    ) -> _Draft:
        """A draft for `node` with its location, signature (cut at `body`) and doc comment."""
        outer = wrap.outer
        stop = body.start_byte if body is not None else node.end_byte
        return _Draft(
            name=name,
            kind=kind,
            start=outer.start_point.row + 1,
            end=max(_last_row(node), _last_row(outer)) + 1,
            signature=self.signature(outer, stop),
            docstring=self.docstring(outer),
            labels=list(wrap.labels) + list(labels),
        )

    def signature(self, outer: Node, stop: int) -> str:
        """The declaration's text up to `stop` (its body), comments dropped, spaces collapsed."""
        start = _signature_start(outer, self.spec)
        pieces, pos = [], start
        for comment in _comments_within(outer, start, stop, self.spec.comments):
            pieces.append(self.data[pos : comment.start_byte])
            pos = comment.end_byte
        pieces.append(self.data[pos:stop])
        text = _collapse(b"".join(pieces).decode("utf-8", errors="replace"))
        text = text.rstrip(" ;{")
        return text.removesuffix("=>").rstrip() if text.endswith("=>") else text

    def docstring(self, outer: Node) -> Docstring | None:
        """The doc comment right above `outer` (no blank line between), parsed."""
        run = []
        for comment in reversed(self.preceding_comments(outer)):
            text = self.text(comment)
            if not _is_doc(text, self.spec.doc) or _is_file_doc(text, self.spec.doc):
                break
            run.append(text)
        return self.parse_doc(list(reversed(run)))

    def preceding_comments(self, outer: Node) -> list[Node]:
        """Comments directly above `outer`, skipping attributes, stopping at a blank line."""
        found = []
        row = outer.start_point.row
        node = outer.prev_sibling
        while node is not None and _last_row(node) >= row - 1:
            if node.type in self.spec.between:
                row = node.start_point.row
            elif node.type in self.spec.comments and not self._is_trailing(node):
                found.append(node)
                row = node.start_point.row
            else:
                break
            node = node.prev_sibling
        found.reverse()
        return found

    def trailing_doc(self, node: Node) -> str:
        """A member's trailing doc comment on its own line (`int x; ///< doc`, Go `// doc`)."""
        sibling = node.next_sibling
        while sibling is not None and not sibling.is_named and sibling.start_point.row == _last_row(node):
            sibling = sibling.next_sibling  # skip the `,` after an enumerator
        if sibling is None or sibling.type not in self.spec.comments:
            return ""
        if sibling.start_point.row != _last_row(node):
            return ""
        text = self.text(sibling)
        if self.spec.doc == "go" or re.match(r"(///|//!|/\*\*|/\*!)<", text):
            return _clean_comments([text], self.spec.doc)
        return ""

    def member_doc(self, node: Node) -> str:
        """A member's description: the doc comment above it or the trailing one."""
        docstring = self.docstring(node)
        return docstring.raw if docstring is not None else self.trailing_doc(node)

    def _is_trailing(self, comment: Node) -> bool:
        """Whether `comment` ends the line of the code before it (so documents that code)."""
        before = comment.prev_sibling
        return (
            before is not None
            and before.type not in self.spec.comments
            and _last_row(before) == comment.start_point.row
        )

    def parse_doc(self, texts: list[str]) -> Docstring | None:
        raw = _clean_comments(texts, self.spec.doc)
        if not raw:
            return None
        if self.spec.doc in ("doxygen", "jsdoc"):
            return _tagged_docstring(raw, self.spec.doc, self.spec.fence)
        return _markdown_docstring(raw, examples=self.spec.doc == "rust")

    def file_docstring(self, root: Node) -> Docstring | None:
        """The file-level doc: Rust `//!`, a Go package comment, a `@file`/`@module` block."""
        style = self.spec.doc
        if style == "rust":
            comments = [self.text(c) for c in root.named_children if c.type in self.spec.comments]
            return self.parse_doc([text for text in comments if _is_inner_doc(text)])
        if style == "go":
            package = next((c for c in root.named_children if c.type == "package_clause"), None)
            return (
                self.parse_doc([self.text(c) for c in self.preceding_comments(package)]) if package else None
            )
        for comment in self._top_comments(root):
            text = self.text(comment)
            if _is_file_doc(text, style):
                return self.parse_doc([text])
        return None

    def _top_comments(self, node: Node) -> Iterator[Node]:
        for child in node.named_children:
            if child.type in self.spec.comments:
                yield child
            elif child.type.startswith("preproc_if"):  # include guards hold the whole header
                yield from self._top_comments(child)


def _last_row(node: Node) -> int:
    """0-based row of a node's last character (line comments end after their newline)."""
    end = node.end_point
    return end.row - 1 if end.column == 0 and end.row > node.start_point.row else end.row


def _signature_start(outer: Node, spec: _Spec) -> int:
    """Where the signature starts: after leading decorators, attributes and comments."""
    for child in outer.children:
        if child.type not in ("decorator", "attribute_item") and child.type not in spec.comments:
            return child.start_byte
    return outer.start_byte


def _comments_within(node: Node, start: int, stop: int, types: frozenset[str]) -> Iterator[Node]:
    for child in node.children:
        if child.end_byte <= start or child.start_byte >= stop:
            continue
        if child.type in types:
            yield child
        else:
            yield from _comments_within(child, start, stop, types)


def _collapse(text: str) -> str:
    return " ".join(text.split())


# --- doc comments ---------------------------------------------------------------------------

_FILE_TAGS = {
    "doxygen": re.compile(r"[@\\]file\b"),
    "jsdoc": re.compile(r"@(file|fileoverview|overview|module|packageDocumentation)\b"),
}


def _is_doc(text: str, style: str) -> bool:
    """Whether a comment is a doc comment in `style` (an outer one, for Rust)."""
    if style == "go":
        return True
    if text.startswith(("/***", "/**/", "////")) or re.match(r"(///|//!|/\*\*|/\*!)<", text):
        return False  # banners and trailing member docs
    if style == "jsdoc":
        return text.startswith("/**")
    if style == "rust":
        return text.startswith(("///", "/**"))
    return text.startswith(("/**", "/*!", "///", "//!"))


def _is_inner_doc(text: str) -> bool:
    return text.startswith(("//!", "/*!"))


def _is_file_doc(text: str, style: str) -> bool:
    tag = _FILE_TAGS.get(style)
    return tag is not None and _is_doc(text, style) and bool(tag.search(text))


def _clean_comments(texts: list[str], style: str) -> str:
    """Comment texts without markers or leading `*`s, dedented, as one string."""
    parts, run = [], []
    for text in texts:
        if text.startswith("/*"):
            parts.append(_clean_lines(run, style))
            run = []
            parts.append(_clean_block(text))
        else:
            run.append(text.rstrip("\n"))
    parts.append(_clean_lines(run, style))
    return "\n".join(part for part in parts if part).strip("\n")


def _clean_block(text: str) -> str:
    body = text[3:] if text[2:3] in ("*", "!") else text[2:]
    body = body.removesuffix("*/").removeprefix("<")
    first, *rest = body.split("\n")
    if all(line.lstrip().startswith("*") or not line.strip() for line in rest):
        rest = [re.sub(r"^\s*\*", "", line) for line in rest]
    return _tidy([first.strip()] + textwrap.dedent("\n".join(rest)).split("\n"))


def _clean_lines(lines: list[str], style: str) -> str:
    if style == "go":  # `//go:generate` and friends are directives, not documentation
        lines = [line for line in lines if not re.match(r"\s*//[a-z0-9]+:\S", line)]
    stripped = [re.sub(r"^\s*//[/!]?<?", "", line) for line in lines]
    return _tidy(textwrap.dedent("\n".join(stripped)).split("\n"))


def _tidy(lines: list[str]) -> str:
    return "\n".join(line.rstrip() for line in lines).strip("\n")


# Doxygen and JSDoc tags: which section each one feeds.
_PARAM_TAGS = frozenset({"param", "arg", "argument"})
_TYPE_PARAM_TAGS = frozenset({"tparam", "template", "typeparam"})
_RETURN_TAGS = frozenset({"return", "returns", "result", "retval"})
_RAISE_TAGS = frozenset({"throws", "throw", "exception", "exceptions"})
_EXAMPLE_TAGS = frozenset({"example", "examples"})
_ADMONITIONS = {
    "note": "Note",
    "remark": "Remarks",
    "remarks": "Remarks",
    "warning": "Warning",
    "attention": "Attention",
    "deprecated": "Deprecated",
    "see": "See also",
    "sa": "See also",
    "pre": "Precondition",
    "post": "Postcondition",
    "invariant": "Invariant",
}
_BRIEF_TAGS = frozenset({"brief", "short", "details", "description", "desc", "summary"})
# Tags whose text is the file's description in JSDoc; Doxygen's `\file` takes a file name.
_JSDOC_TEXT_TAGS = frozenset({"file", "fileoverview", "overview"})
# Metadata tags that say nothing a reader of the page needs.
# fmt: off
_DROPPED_TAGS = frozenset({
    "file", "module", "packagedocumentation", "author", "version", "since", "date", "copyright",
    "license", "internal", "public", "private", "protected", "hidden", "ingroup", "defgroup",
    "addtogroup", "name", "class", "struct", "fn", "var", "typedef", "type", "memberof",
    "namespace", "alpha", "beta", "experimental", "override", "virtual", "readonly", "async",
    "static", "inheritdoc", "callback", "property", "prop", "exports", "function", "func", "method",
    "constructor", "interface", "implements", "extends", "augments", "enum", "const", "constant",
    "lends", "abstract", "access", "ignore", "kind", "package", "headerfile",
})
# fmt: on
# `@p name`, `\c value`, `@a arg`: a word set in code font (a final full stop is prose).
_DOXYGEN_CODE_WORD = re.compile(r"(?<![\w`])[@\\][pca]\s+(\w+(?:(?:::|\.)\w+)*(?:\(\))?)")
_TAG_LINE = re.compile(r"^[@\\](\w+)(?:\[[^\]]*\])?(?:\s+|$)(.*)$")


@dataclass
class _Tag:
    name: str
    lines: list[str]

    @property
    def body(self) -> str:
        """The tag's text with continuation lines unindented (examples use `lines`)."""
        return "\n".join(line.strip() for line in self.lines).strip()


def _tagged_docstring(raw: str, style: str, fence: str) -> Docstring:
    """Doxygen or JSDoc/TSDoc text split into text, parameters, returns, raises, examples."""
    text, brief, tags = _split_tags(_code_blocks(raw, fence), style)
    sections = []
    free = re.sub(r"\n{3,}", "\n\n", _inline_markup("\n".join(text), style)).strip()
    lead = "\n".join(brief).strip()
    body = "\n\n".join(part for part in (_inline_markup(lead, style), free) if part)
    if body:
        sections.append(DocSection("text", body))
    params = tuple(_param_item(tag.body, style) for tag in tags if tag.name in _PARAM_TAGS)
    if params:
        sections.append(DocSection("parameters", items=params))
    type_params = tuple(_param_item(tag.body, style) for tag in tags if tag.name in _TYPE_PARAM_TAGS)
    if type_params:
        title = "Template parameters" if style == "doxygen" else "Type parameters"
        sections.append(DocSection("other parameters", items=type_params, title=title))
    returns = tuple(_return_item(tag, style) for tag in tags if tag.name in _RETURN_TAGS)
    if returns:
        sections.append(DocSection("returns", items=returns))
    raises = tuple(_raise_item(tag.body, style) for tag in tags if tag.name in _RAISE_TAGS)
    if raises:
        sections.append(DocSection("raises", items=raises))
    for tag in tags:
        if tag.name in _ADMONITIONS:
            sections.append(
                DocSection("admonition", _inline_markup(tag.body, style), title=_ADMONITIONS[tag.name])
            )
    for tag in tags:
        if tag.name in _EXAMPLE_TAGS:
            sections.append(_example_section(tag, fence))
    return Docstring(raw, tuple(sections))


def _code_blocks(raw: str, fence: str) -> list[str]:
    """Lines with Doxygen `@code{.cpp}` ... `@endcode` turned into Markdown fences."""
    lines = []
    for line in raw.split("\n"):
        match = re.match(r"^(\s*)[@\\]code(?:\{\.?(\w+)\})?\s*$", line)
        if match:  # without a language, Doxygen highlights code as the file's own language
            lines.append(f"{match.group(1)}```{match.group(2) or fence}")
        elif re.match(r"^\s*[@\\]endcode\s*$", line):
            lines.append(re.sub(r"[@\\]endcode", "```", line))
        else:
            lines.append(line)
    return lines


def _split_tags(lines: list[str], style: str) -> tuple[list[str], list[str], list[_Tag]]:
    """(free text lines, @brief lines, tags in order); fenced code is never read as tags."""
    text: list[str] = []
    brief: list[str] = []
    tags: list[_Tag] = []
    current: _Tag | None = None  # the tag still collecting lines
    target = text
    in_fence = False
    for line in lines:
        stripped = line.strip()
        match = None if in_fence else _TAG_LINE.match(stripped)
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        if match:
            current, target = _start_tag(match.group(1).lower(), match.group(2), style, text, brief, tags)
            continue
        if not stripped and not in_fence and (current is None or current.name not in _EXAMPLE_TAGS):
            current, target = None, text  # a blank line ends a tag's (or the brief's) paragraph
            text.append("")
            continue
        if current is not None:
            current.lines.append(line)
        else:
            target.append(line)
    return text, brief, tags


def _start_tag(
    name: str, rest: str, style: str, text: list[str], brief: list[str], tags: list[_Tag]
) -> tuple[_Tag | None, list[str]]:
    """Route a tag line: to the brief, the free text, a new tag, or nowhere."""
    if name in _BRIEF_TAGS or (style == "jsdoc" and name in _JSDOC_TEXT_TAGS):
        target = brief if name in ("brief", "short") else text
        if rest:
            target.append(rest)
        return None, target
    known = _PARAM_TAGS | _TYPE_PARAM_TAGS | _RETURN_TAGS | _RAISE_TAGS | _EXAMPLE_TAGS
    if name in known or name in _ADMONITIONS:
        tag = _Tag(name, [rest] if rest else [])
        tags.append(tag)
        return tag, text
    if name not in _DROPPED_TAGS:
        text.append(f"@{name} {rest}".rstrip())  # not a tag we know: keep what was written
    return None, text


def _braced_type(body: str) -> tuple[str, str]:
    """Split a leading JSDoc `{type}` (braces may nest) off `body`."""
    if not body.startswith("{"):
        return "", body
    depth = 0
    for index, char in enumerate(body):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            annotation = body[1:index].strip().removeprefix("@link").strip()
            return annotation, body[index + 1 :].strip()
    return "", body


def _param_item(body: str, style: str) -> DocItem:
    """`{type} name desc`, `[name=default] desc`, `name - desc` (TSDoc) or `name desc`."""
    annotation, body = _braced_type(body)
    match = re.match(r"(\[[^\]]*\]|\.{3}[\w$]*|[\w$.]+)\s*(?:-\s+|-$)?(.*)", body, re.DOTALL)
    if not match:
        return DocItem(annotation=annotation, description=_inline_markup(body, style))
    name, description = match.group(1), match.group(2)
    default = ""
    if name.startswith("["):
        name, _, default = name[1:-1].partition("=")
    return DocItem(name.strip(), annotation, _inline_markup(description.strip(), style), default.strip())


def _return_item(tag: _Tag, style: str) -> DocItem:
    annotation, body = _braced_type(tag.body)
    if tag.name == "retval":  # `\retval 0 on success`: the value is named first
        value, _, body = body.partition(" ")
        return DocItem(name=value, description=_inline_markup(body.strip(), style))
    return DocItem(annotation=annotation, description=_inline_markup(body, style))


def _raise_item(body: str, style: str) -> DocItem:
    annotation, body = _braced_type(body)
    if not annotation and style == "doxygen":  # `@throws std::runtime_error if ...`
        annotation, _, body = body.partition(" ")
    return DocItem(annotation=annotation, description=_inline_markup(body.strip(), style))


def _example_section(tag: _Tag, fence: str) -> DocSection:
    """An `@example`: its code, fenced for Markdown unless the author fenced it already."""
    lines = list(tag.lines)
    title = ""
    if lines and (caption := re.match(r"\s*<caption>(.*?)</caption>\s*(.*)", lines[0])):
        title = caption.group(1).strip()
        lines[0] = caption.group(2)
    code = textwrap.dedent("\n".join(lines)).strip("\n")
    if "```" not in code:
        code = f"```{fence}\n{code}\n```"
    return DocSection("examples", code, title=title)


def _inline_markup(text: str, style: str) -> str:
    """`{@link X}` and Doxygen `@p x`/`@c x` as Markdown code spans, outside code fences."""
    out = []
    in_fence = False
    for line in text.split("\n"):
        if line.strip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence:
            line = re.sub(
                r"\{@(?:link|linkcode|linkplain)\s+([^}|\s]+)\s*(?:\|\s*([^}]*))?\}",
                lambda m: m.group(2).strip() if m.group(2) else f"`{m.group(1)}`",
                line,
            )
            if style == "doxygen":
                line = _DOXYGEN_CODE_WORD.sub(r"`\1`", line)
        out.append(line)
    return "\n".join(out)


def _markdown_docstring(raw: str, examples: bool) -> Docstring:
    """Markdown doc comments (Rust, Go): one text section; Rust `# Examples` split out."""
    text: list[str] = []
    example: list[str] = []
    in_fence = in_examples = False
    level = 0
    for line in raw.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence and examples and (heading := re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line)):
            if in_examples and len(heading.group(1)) <= level:
                in_examples = False
            if heading.group(2).lower() in ("example", "examples"):
                in_examples, level = True, len(heading.group(1))
                continue
        (example if in_examples else text).append(line)
    sections = []
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(text)).strip()
    if body:
        sections.append(DocSection("text", body))
    code = "\n".join(example).strip()
    if code:
        sections.append(DocSection("examples", code))
    return Docstring(raw, tuple(sections))


# --- C, C++ and CUDA ------------------------------------------------------------------------

_FUNCTION_NAMES = frozenset(
    {
        "identifier",
        "field_identifier",
        "qualified_identifier",
        "operator_name",
        "destructor_name",
        "template_function",
        "template_method",
        "operator_cast",
    }
)
_DECLARATOR_WRAPPERS = frozenset(
    {
        "pointer_declarator",
        "reference_declarator",
        "parenthesized_declarator",
        "attributed_declarator",
    }
)
_RECORDS = {
    "struct_specifier": "struct",
    "class_specifier": "class",
    "union_specifier": "union",
    "enum_specifier": "enum",
}
# Modifier tokens -> labels; CUDA's execution-space qualifiers are anonymous tokens.
_C_LABELS = {
    "static": "static",
    "inline": "inline",
    "extern": "extern",
    "virtual": "virtual",
    "constexpr": "constexpr",
    "consteval": "consteval",
    "__global__": "kernel",
    "__device__": "device",
    "__host__": "host",
    "__forceinline__": "inline",
}


def _inner_declarator(node: Node) -> Node | None:
    return node.child_by_field_name("declarator") or (
        node.named_children[-1] if node.named_children else None
    )


def _function_declarator(node: Node | None) -> Node | None:
    """The function declarator naming a function, or None for variables (function pointers too)."""
    while node is not None:
        if node.type == "function_declarator":
            inner = node.child_by_field_name("declarator")
            if inner is not None and inner.type in _FUNCTION_NAMES:
                return node
            node = inner
        elif node.type in _DECLARATOR_WRAPPERS:
            node = _inner_declarator(node)
        else:
            return None
    return None


def _declarator_name(node: Node | None) -> Node | None:
    """The identifier a (possibly nested) declarator declares, or None when it is abstract."""
    while node is not None:
        # tree-sitter-c reads well-known typedef names (`uint8_t`) as `primitive_type`.
        if node.type in ("identifier", "field_identifier", "type_identifier", "primitive_type"):
            return node
        if node.type in _FUNCTION_NAMES:
            return node
        if node.type.startswith("abstract_"):
            return None
        node = _inner_declarator(node) if node.named_children else None
    return None


def _c_name_parts(w: _Walker, node: Node) -> list[str]:
    """`a::B<int>::f` -> ["a", "B", "f"] (template arguments dropped from scopes)."""
    parts = []
    while node is not None and node.type == "qualified_identifier":
        scope = node.child_by_field_name("scope")
        if scope is not None:
            name = scope.child_by_field_name("name") if scope.type == "template_type" else scope
            parts.append(w.text(name))
        node = node.child_by_field_name("name")
    if node is not None and node.type in ("template_function", "template_method"):
        node = node.child_by_field_name("name")
    parts.append(_collapse(w.text(node)))
    return parts


def _c_callable(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap, declarator: Node) -> None:
    """A function or method, declared or defined, possibly `Class::name` qualified."""
    fdecl = _function_declarator(declarator)
    if fdecl is None:
        return
    parts = _c_name_parts(w, fdecl.child_by_field_name("declarator"))
    owner = _c_owner(scope, parts[:-1], node)
    name = parts[-1]
    body = node.child_by_field_name("body")
    in_type = owner.kind in _TYPE_KINDS
    draft = w.declare(node, wrap, name, "method" if in_type else "function", body, _c_labels(w, node, fdecl))
    if in_type and name == owner.name:
        draft.labels.append("constructor")
    elif in_type and name == "~" + owner.name:
        draft.labels.append("destructor")
    draft.params = _c_params(w, fdecl.child_by_field_name("parameters"))
    draft.returns = _c_returns(w, node, declarator, fdecl)
    draft.public = _c_public(ctx, draft.labels) if owner is scope else not ctx.private
    if w.spec.grammar == "c":
        draft.key = ()  # C has no overloading: one name, one function
    else:
        draft.key = (tuple(p.annotation for p in draft.params), "const" in draft.labels)
    owner.add(draft)


def _c_owner(scope: _Draft, qualifiers: list[str], node: Node) -> _Draft:
    """The draft a qualified name belongs to, creating `impl` placeholders for unknown types."""
    for qualifier in qualifiers:
        found = scope.find(qualifier, _CONTAINER_KINDS)
        if found is None:
            row = node.start_point.row + 1
            found = scope.add(_Draft(name=qualifier, kind="impl", start=row, end=row))
        scope = found
    return scope


def _c_labels(w: _Walker, node: Node, fdecl: Node) -> list[str]:
    labels = []
    for child in node.children:
        if child.type in ("storage_class_specifier", "type_qualifier", "virtual"):
            label = _C_LABELS.get(w.text(child))
            if label:
                labels.append(label)
        elif child.type in _C_LABELS:
            labels.append(_C_LABELS[child.type])
        elif child.type == "explicit_function_specifier":
            labels.append("explicit")
        elif child.type == "delete_method_clause":
            labels.append("deleted")
        elif child.type == "default_method_clause":
            labels.append("defaulted")
    for child in fdecl.children:
        if child.type == "type_qualifier" and w.text(child) == "const":
            labels.append("const")
        elif child.type == "virtual_specifier":
            labels.append(w.text(child))
        elif child.type == "noexcept":
            labels.append("noexcept")
    pure = node.child_by_field_name("default_value")
    if node.type == "field_declaration" and pure is not None and w.text(pure) == "0":
        labels.append("abstract")
    return labels


def _c_public(ctx: _Scope, labels: list[str]) -> bool:
    if ctx.access:
        return ctx.access == "public"
    return not ctx.private and "static" not in labels


def _c_params(w: _Walker, params: Node | None) -> list[Param]:
    result = []
    for child in params.children if params is not None else ():
        if child.type in ("...", "variadic_parameter"):
            result.append(Param("..."))
        elif child.type in (
            "parameter_declaration",
            "optional_parameter_declaration",
            "variadic_parameter_declaration",
        ):
            result.append(_c_param(w, child))
    if len(result) == 1 and result[0] == Param("", "void"):
        return []  # `f(void)` takes nothing
    return result


def _c_param(w: _Walker, node: Node) -> Param:
    name = _declarator_name(node.child_by_field_name("declarator"))
    default = node.child_by_field_name("default_value")
    end = default.start_byte if default is not None else node.end_byte
    if name is None:
        annotation = w.text_between(node.start_byte, end)
    else:
        annotation = w.text_between(node.start_byte, name.start_byte) + w.text_between(name.end_byte, end)
    return Param(w.text(name), _collapse(annotation).rstrip("= "), w.text(default))


def _c_returns(w: _Walker, node: Node, declarator: Node, fdecl: Node) -> str:
    """The return type: the type plus whatever the declarator adds around the name (`*`)."""
    trailing = next((c for c in fdecl.named_children if c.type == "trailing_return_type"), None)
    if trailing is not None:
        return _collapse(w.text(trailing).removeprefix("->"))
    type_node = node.child_by_field_name("type")
    if type_node is None:
        return ""  # constructors, destructors, conversion operators
    # Keep the spacing written before a `*`, but not what sits there otherwise
    # (`void __launch_bounds__(256) kernel(...)`).
    gap = w.text_between(type_node.end_byte, declarator.start_byte)
    around = w.text_between(declarator.start_byte, fdecl.start_byte) + w.text_between(
        fdecl.end_byte, declarator.end_byte
    )
    return _collapse(_c_type_text(w, node, type_node) + (gap if not gap.strip() else " ") + around)


def _c_type_text(w: _Walker, node: Node, type_node: Node) -> str:
    """The declared type with the qualifiers written before it (`const char`)."""
    start = type_node.start_byte
    for child in node.children:
        # `const` before the type is part of it; `constexpr` and friends are labels.
        is_qualifier = child.type == "type_qualifier" and child.end_byte <= type_node.start_byte
        if is_qualifier and w.text(child) not in _C_LABELS:
            start = min(start, child.start_byte)
    return w.text_between(start, type_node.end_byte)


def _c_function(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    declarator = node.child_by_field_name("declarator")
    if declarator is not None:
        _c_callable(w, node, scope, ctx, wrap, declarator)


def _c_declaration(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """Prototypes (`int f(int);`), records declared with variables, member data and methods."""
    type_node = node.child_by_field_name("type")
    if type_node is not None and type_node.type in _RECORDS and type_node.child_by_field_name("body"):
        _c_record(w, type_node, scope, ctx, wrap)
    for declarator in node.children_by_field_name("declarator"):
        if _function_declarator(declarator) is not None:
            _c_callable(w, node, scope, ctx, wrap, declarator)
        elif node.type == "field_declaration" and (not ctx.access or ctx.access == "public"):
            _c_field(w, node, scope, type_node, declarator)


def _c_field(w: _Walker, node: Node, scope: _Draft, type_node: Node | None, declarator: Node) -> None:
    """A data member, as a `Field` of its record."""
    name = _declarator_name(declarator)
    if name is None:
        return
    prefix = _c_type_text(w, node, type_node) if type_node is not None else ""
    rest = w.text_between(declarator.start_byte, name.start_byte) + w.text_between(
        name.end_byte, declarator.end_byte
    )
    annotation = _collapse(f"{prefix} {rest}").replace(" [", "[")
    default = node.child_by_field_name("default_value")
    scope.fields.append(Field(w.text(name), annotation, w.text(default), w.member_doc(node)))


def _c_typedef(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`typedef struct {...} name;` is the struct `name`; any other typedef is a type alias."""
    names = [_declarator_name(d) for d in node.children_by_field_name("declarator")]
    name = next((w.text(n) for n in names if n is not None), "")
    if not name:
        return
    type_node = node.child_by_field_name("type")
    if type_node is not None and type_node.type in _RECORDS and type_node.child_by_field_name("body"):
        _c_record(w, type_node, scope, ctx, wrap, alias=name)
        return
    draft = w.declare(node, wrap, name, "type_alias")
    draft.public = not ctx.private
    scope.add(draft)


def _c_alias(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """C++ `using Name = Type;`."""
    draft = w.declare(node, wrap, w.text(node.child_by_field_name("name")), "type_alias")
    draft.public = _c_public(ctx, [])
    scope.add(draft)


def _c_record(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap, alias: str = "") -> None:
    """A struct, class, union or enum with a body; forward declarations are skipped."""
    body = node.child_by_field_name("body")
    name_node = node.child_by_field_name("name")
    if name_node is not None and name_node.type == "template_type":
        name_node = name_node.child_by_field_name("name")
    name = alias or w.text(name_node)
    if body is None or not name:
        return
    kind = _RECORDS[node.type]
    draft = w.declare(node, wrap, name, kind, body)
    if alias:
        draft.signature = f"{draft.signature} {alias}"
    draft.public = _c_public(ctx, [])
    for clause in _named(node, "base_class_clause"):
        draft.bases += [w.text(c) for c in clause.named_children if c.type != "access_specifier"]
    draft.labels += [w.text(c) for c in node.named_children if c.type == "virtual_specifier"]
    draft = scope.add(draft)
    if kind == "enum":
        for item in body.named_children:
            if item.type == "enumerator":
                name = w.text(item.child_by_field_name("name"))
                value = w.text(item.child_by_field_name("value"))
                draft.fields.append(Field(name, "", value, w.member_doc(item)))
        return
    members = replace(ctx, access="private" if kind == "class" else "public")
    for member in body.named_children:
        if member.type == "access_specifier":
            members = replace(members, access=w.text(member))
        else:
            w.dispatch(member, draft, members, _Wrap(member))


def _c_namespace(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """C++ namespaces nest their members; anonymous ones make their members private."""
    body = node.child_by_field_name("body")
    name = node.child_by_field_name("name")
    if body is None:
        return
    if name is None:
        w.walk(body, scope, replace(ctx, private=True))
        return
    names = (
        [w.text(n) for n in name.named_children]
        if name.type == "nested_namespace_specifier"
        else [w.text(name)]
    )
    for index, part in enumerate(names):
        found = scope.find(part, frozenset({"namespace"}))
        if found is None:  # a namespace reopened in the same file stays one symbol
            found = w.declare(node, wrap if index == 0 else _Wrap(node), part, "namespace", body)
            found.signature = f"namespace {part}"
            found.public = not ctx.private
            found = scope.add(found)
        found.end = max(found.end, _last_row(node) + 1)
        scope = found
    w.walk(body, scope, replace(ctx, access=""))


def _c_template(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`template <...>` wraps the declaration it applies to; docs sit above the template line."""
    inner = next(
        (
            c
            for c in node.named_children
            if c.type != "template_parameter_list" and c.type not in w.spec.comments
        ),
        None,
    )
    if inner is not None:
        w.dispatch(inner, scope, ctx, replace(wrap, labels=wrap.labels + ("template",)))


def _c_transparent(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """Preprocessor conditionals and `extern "C"` blocks: their declarations belong to the scope."""
    body = node.child_by_field_name("body") if node.type == "linkage_specification" else node
    if body is None:
        return
    if body.type in ("declaration_list", node.type):
        w.walk(body, scope, ctx)
    else:  # `extern "C" int f(void);`
        w.dispatch(body, scope, ctx, wrap)


def _c_record_statement(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    _c_record(w, node, scope, ctx, wrap)


def _named(node: Node, type_: str) -> list[Node]:
    return [c for c in node.named_children if c.type == type_]


_C_HANDLERS: dict[str, Handler] = {
    "function_definition": _c_function,
    "declaration": _c_declaration,
    "field_declaration": _c_declaration,
    "type_definition": _c_typedef,
    "struct_specifier": _c_record_statement,
    "union_specifier": _c_record_statement,
    "enum_specifier": _c_record_statement,
    "preproc_ifdef": _c_transparent,
    "preproc_if": _c_transparent,
    "preproc_else": _c_transparent,
    "preproc_elif": _c_transparent,
    "preproc_elifdef": _c_transparent,
    "linkage_specification": _c_transparent,
}
_CPP_HANDLERS: dict[str, Handler] = {
    **_C_HANDLERS,
    "class_specifier": _c_record_statement,
    "namespace_definition": _c_namespace,
    "template_declaration": _c_template,
    "alias_declaration": _c_alias,
}


# --- JavaScript and TypeScript --------------------------------------------------------------

_JS_MODIFIERS = {
    "async": "async",
    "*": "generator",
    "static": "static",
    "get": "get",
    "set": "set",
    "abstract": "abstract",
    "readonly": "readonly",
    "declare": "declare",
    "override_modifier": "override",
}
_JS_FUNCTION_VALUES = frozenset({"arrow_function", "function_expression", "function", "generator_function"})


def _js_exports(container: Node) -> frozenset[str]:
    """Local names a scope exports by name: `export { a, b as c }`, `export default a`."""
    names = set()
    for node in container.named_children:
        if node.type != "export_statement":
            continue
        value = node.child_by_field_name("value")
        if value is not None and value.type == "identifier":
            names.add(value.text.decode())
        for clause in _named(node, "export_clause"):
            for spec in _named(clause, "export_specifier"):
                names.add(spec.child_by_field_name("name").text.decode())
    return frozenset(names)


def _js_has_exports(container: Node) -> bool:
    return any(node.type == "export_statement" for node in container.named_children)


def _js_public(name: str, ctx: _Scope, wrap: _Wrap) -> bool:
    """Exported, or in a script that exports nothing, not `_private` by convention."""
    if wrap.exported or name in ctx.exports:
        return True
    return not ctx.has_exports and not name.startswith("_")


def _js_export(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    default = any(child.type == "default" for child in node.children)
    labels = wrap.labels + ("export",) + (("default",) if default else ())
    inner = replace(wrap, labels=labels, exported=True)
    declaration = node.child_by_field_name("declaration")
    value = node.child_by_field_name("value")
    if declaration is not None:
        w.dispatch(declaration, scope, ctx, inner)
    elif value is not None and value.type in _JS_FUNCTION_VALUES:
        _js_function(w, value, scope, ctx, inner)  # `export default function () {}`
    elif value is not None and value.type == "class":
        _js_class(w, value, scope, ctx, inner)


def _js_modifiers(w: _Walker, node: Node) -> list[str]:
    labels = []
    for child in node.children:
        if child.type in _JS_MODIFIERS:
            labels.append(_JS_MODIFIERS[child.type])
        elif child.type == "accessibility_modifier" and w.text(child) == "protected":
            labels.append("protected")
        elif child.type in ("formal_parameters", "statement_block", "class_body"):
            break
    return labels


def _js_function(
    w: _Walker,
    node: Node,
    scope: _Draft,
    ctx: _Scope,
    wrap: _Wrap,
    name: str = "",
    function: Node | None = None,
) -> None:
    """Function declarations, TS overload signatures, and functions bound to a `const`."""
    function = function or node
    name = name or w.text(node.child_by_field_name("name")) or "default"
    kind = "method" if scope.kind in _TYPE_KINDS else "function"
    draft = w.declare(
        node, wrap, name, kind, function.child_by_field_name("body"), _js_modifiers(w, function)
    )
    draft.params = _js_params(w, function)
    draft.returns = _ts_type(w, function.child_by_field_name("return_type"))
    draft.public = _js_public(name, ctx, wrap)
    scope.add(draft)


def _js_variables(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`const f = (x) => ...` and `let g = function () {}` document as functions."""
    kind = node.child_by_field_name("kind")
    for declarator in _named(node, "variable_declarator"):
        value = declarator.child_by_field_name("value")
        if value is None or value.type not in _JS_FUNCTION_VALUES:
            continue
        labels = wrap.labels + ((w.text(kind),) if kind is not None else ())
        name = w.text(declarator.child_by_field_name("name"))
        _js_function(w, declarator, scope, ctx, replace(wrap, labels=labels), name=name, function=value)


def _js_params(w: _Walker, function: Node) -> list[Param]:
    params = function.child_by_field_name("parameters")
    if params is None:  # `x => x * 2`
        single = function.child_by_field_name("parameter")
        return [Param(w.text(single))] if single is not None else []
    result = []
    for param in params.named_children:
        if param.type in ("required_parameter", "optional_parameter"):
            pattern = param.child_by_field_name("pattern")
            result.append(
                Param(
                    w.text(pattern),
                    _ts_type(w, param.child_by_field_name("type")),
                    w.text(param.child_by_field_name("value")),
                )
            )
        elif param.type == "assignment_pattern":
            result.append(
                Param(
                    w.text(param.child_by_field_name("left")), "", w.text(param.child_by_field_name("right"))
                )
            )
        elif param.type not in w.spec.comments:
            result.append(Param(w.text(param)))
    return result


def _ts_type(w: _Walker, annotation: Node | None) -> str:
    """The type of a `: Type` annotation, without the colon."""
    return _collapse(w.text(annotation).lstrip().removeprefix(":").strip())


def _js_class(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    name = w.text(node.child_by_field_name("name")) or "default"
    body = node.child_by_field_name("body")
    labels = ["abstract"] if node.type == "abstract_class_declaration" else []
    draft = w.declare(node, wrap, name, "class", body, labels)
    draft.public = _js_public(name, ctx, wrap)
    for heritage in _named(node, "class_heritage"):
        draft.bases += _js_heritage(w, heritage)
    draft = scope.add(draft)
    for member in body.named_children if body is not None else ():
        if member.type in ("method_definition", "method_signature", "abstract_method_signature"):
            _js_method(w, member, draft)
        elif member.type in ("field_definition", "public_field_definition"):
            _js_field(w, member, draft)


def _js_heritage(w: _Walker, heritage: Node) -> list[str]:
    """Base names from `extends A implements B, C` (JS has a bare expression, TS clauses)."""
    bases = []
    for clause in heritage.named_children:
        if clause.type in ("extends_clause", "implements_clause", "extends_type_clause"):
            values = [c for c in clause.named_children if c.type != "type_arguments"]
            bases += [_collapse(w.text(value)) for value in values]
        elif clause.type not in w.spec.comments:
            bases.append(_collapse(w.text(clause)))
    return bases


def _js_member_public(w: _Walker, member: Node, name: str) -> bool:
    """Class members are public unless `#private`, `_conventional` or TS private/protected."""
    access = next((w.text(c) for c in member.children if c.type == "accessibility_modifier"), "public")
    return access == "public" and not name.startswith(("#", "_"))


def _js_method(w: _Walker, member: Node, owner: _Draft) -> None:
    name = w.text(member.child_by_field_name("name"))
    draft = w.declare(
        member, _Wrap(member), name, "method", member.child_by_field_name("body"), _js_modifiers(w, member)
    )
    draft.params = _js_params(w, member)
    draft.returns = _ts_type(w, member.child_by_field_name("return_type"))
    draft.public = _js_member_public(w, member, name)
    owner.add(draft)


def _js_field(w: _Walker, member: Node, owner: _Draft) -> None:
    name_node = member.child_by_field_name("name") or member.child_by_field_name("property")
    name = w.text(name_node)
    if _js_member_public(w, member, name):
        owner.fields.append(
            Field(
                name,
                _ts_type(w, member.child_by_field_name("type")),
                w.text(member.child_by_field_name("value")),
                w.member_doc(member),
            )
        )


def _ts_interface(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    name = w.text(node.child_by_field_name("name"))
    body = node.child_by_field_name("body")
    draft = w.declare(node, wrap, name, "interface", body)
    draft.public = _js_public(name, ctx, wrap)
    for clause in _named(node, "extends_type_clause"):
        draft.bases += [_collapse(w.text(c)) for c in clause.named_children]
    draft = scope.add(draft)
    for member in body.named_children if body is not None else ():
        if member.type == "property_signature":
            draft.fields.append(
                Field(
                    w.text(member.child_by_field_name("name")),
                    _ts_type(w, member.child_by_field_name("type")),
                    "",
                    w.member_doc(member),
                )
            )
        elif member.type == "method_signature":
            _js_method(w, member, draft)


def _ts_type_alias(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    name = w.text(node.child_by_field_name("name"))
    draft = w.declare(node, wrap, name, "type_alias")
    draft.public = _js_public(name, ctx, wrap)
    scope.add(draft)


def _ts_enum(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    name = w.text(node.child_by_field_name("name"))
    body = node.child_by_field_name("body")
    labels = ["const"] if any(c.type == "const" for c in node.children) else []
    draft = w.declare(node, wrap, name, "enum", body, labels)
    draft.public = _js_public(name, ctx, wrap)
    for member in body.named_children if body is not None else ():
        if member.type == "enum_assignment":
            draft.fields.append(
                Field(
                    w.text(member.child_by_field_name("name")),
                    "",
                    w.text(member.child_by_field_name("value")),
                    w.member_doc(member),
                )
            )
        elif member.type in ("property_identifier", "string"):
            draft.fields.append(Field(w.text(member), "", "", w.member_doc(member)))
    scope.add(draft)


def _ts_namespace(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`namespace A.B {}` and `declare module "x" {}`: members are public when exported."""
    name = w.text(node.child_by_field_name("name")).strip("\"'")
    body = node.child_by_field_name("body")
    draft = scope.find(name, frozenset({"namespace"}))
    if draft is None:  # namespaces merge across declarations
        draft = w.declare(node, wrap, name, "namespace", body)
        draft.public = _js_public(name, ctx, wrap)
        draft = scope.add(draft)
    if body is not None:
        w.walk(body, draft, _Scope(exports=_js_exports(body), has_exports=True))


def _ts_ambient(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`declare function f(): void;` and friends: the declaration, labelled `declare`."""
    for child in node.named_children:
        if child.type not in w.spec.comments:
            w.dispatch(child, scope, ctx, replace(wrap, labels=wrap.labels + ("declare",)))
            return


def _ts_statement(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """A non-exported `namespace X {}` parses as an expression statement."""
    for child in node.named_children:
        if child.type == "internal_module":
            _ts_namespace(w, child, scope, ctx, wrap)


_JS_HANDLERS: dict[str, Handler] = {
    "export_statement": _js_export,
    "function_declaration": _js_function,
    "generator_function_declaration": _js_function,
    "class_declaration": _js_class,
    "lexical_declaration": _js_variables,
    "variable_declaration": _js_variables,
}
_TS_HANDLERS: dict[str, Handler] = {
    **_JS_HANDLERS,
    "function_signature": _js_function,
    "abstract_class_declaration": _js_class,
    "interface_declaration": _ts_interface,
    "type_alias_declaration": _ts_type_alias,
    "enum_declaration": _ts_enum,
    "internal_module": _ts_namespace,
    "module": _ts_namespace,
    "ambient_declaration": _ts_ambient,
    "expression_statement": _ts_statement,
}


# --- Rust -----------------------------------------------------------------------------------

_RUST_MODIFIERS = frozenset({"async", "const", "unsafe", "extern", "default"})


def _rust_public(w: _Walker, node: Node) -> bool:
    """Only a bare `pub` is public API; `pub(crate)` and friends stay inside the crate."""
    return any(c.type == "visibility_modifier" and w.text(c) == "pub" for c in node.children)


def _rust_function(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    name = w.text(node.child_by_field_name("name"))
    modifiers = [w.text(c).split() for c in node.children if c.type == "function_modifiers"]
    labels = [word for words in modifiers for word in words if word in _RUST_MODIFIERS]
    kind = "method" if scope.kind in _TYPE_KINDS else "function"
    draft = w.declare(node, wrap, name, kind, node.child_by_field_name("body"), labels)
    draft.params = _rust_params(w, node.child_by_field_name("parameters"))
    draft.returns = _collapse(w.text(node.child_by_field_name("return_type")))
    # Trait items and trait-impl methods are as visible as the trait itself.
    draft.public = scope.public if scope.kind == "trait" else ctx.trait_impl or _rust_public(w, node)
    scope.add(draft)


def _rust_params(w: _Walker, params: Node | None) -> list[Param]:
    result = []
    for param in params.named_children if params is not None else ():
        if param.type == "parameter":
            result.append(
                Param(
                    w.text(param.child_by_field_name("pattern")),
                    _collapse(w.text(param.child_by_field_name("type"))),
                )
            )
        elif param.type == "self_parameter":
            result.append(Param(_collapse(w.text(param))))  # `&self`, `&mut self`: the name says it all
        elif param.type == "variadic_parameter":
            result.append(Param("..."))
    return result


def _rust_struct(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """Structs and unions; named fields, or `0`, `1`... for tuple structs."""
    body = node.child_by_field_name("body")
    named = body is not None and body.type == "field_declaration_list"
    kind = "union" if node.type == "union_item" else "struct"
    draft = w.declare(node, wrap, w.text(node.child_by_field_name("name")), kind, body if named else None)
    draft.public = _rust_public(w, node)
    if named:
        for item in _named(body, "field_declaration"):
            if _rust_public(w, item):
                draft.fields.append(
                    Field(
                        w.text(item.child_by_field_name("name")),
                        _collapse(w.text(item.child_by_field_name("type"))),
                        "",
                        w.member_doc(item),
                    )
                )
    elif body is not None:  # a tuple struct: `pub struct Id(pub u32);` has a public field `0`
        for index, item in enumerate(body.children_by_field_name("type")):
            visibility = item.prev_named_sibling
            if (
                visibility is not None
                and visibility.type == "visibility_modifier"
                and w.text(visibility) == "pub"
            ):
                draft.fields.append(Field(str(index), _collapse(w.text(item))))
    scope.add(draft)


def _rust_enum(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    body = node.child_by_field_name("body")
    draft = w.declare(node, wrap, w.text(node.child_by_field_name("name")), "enum", body)
    draft.public = _rust_public(w, node)
    for variant in _named(body, "enum_variant") if body is not None else ():
        draft.fields.append(
            Field(
                w.text(variant.child_by_field_name("name")),
                _collapse(w.text(variant.child_by_field_name("body"))),
                w.text(variant.child_by_field_name("value")),
                w.member_doc(variant),
            )
        )
    scope.add(draft)


def _rust_trait(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    body = node.child_by_field_name("body")
    draft = w.declare(node, wrap, w.text(node.child_by_field_name("name")), "trait", body)
    draft.public = _rust_public(w, node)
    bounds = node.child_by_field_name("bounds")
    draft.bases = [_collapse(w.text(b)) for b in bounds.named_children] if bounds is not None else []
    draft = scope.add(draft)
    if body is not None:
        w.walk(body, draft, _Scope())


def _rust_type_name(w: _Walker, node: Node) -> str:
    """`Vec<T>` -> `Vec`, `fmt::Formatter` -> `Formatter`, `&str` -> `str`."""
    while node.type in ("generic_type", "reference_type", "pointer_type"):
        inner = node.child_by_field_name("type")
        if inner is None:
            break
        node = inner
    if node.type == "scoped_type_identifier":
        node = node.child_by_field_name("name")
    return _collapse(w.text(node))


def _rust_impl(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> Callable[[], None]:
    """Methods of `impl X` / `impl Trait for X` join X, once every type in the scope is known."""

    def attach() -> None:
        body = node.child_by_field_name("body")
        trait = node.child_by_field_name("trait")
        name = _rust_type_name(w, node.child_by_field_name("type"))
        target = scope.find(name, frozenset({"struct", "enum", "union", "type_alias", "impl"}))
        if target is None:
            target = w.declare(node, wrap, name, "impl", body)
            target.public = True
            target = scope.add(target)
        if trait is not None:
            target.bases.append(_collapse(w.text(trait)))
        if body is not None:
            w.walk(body, target, _Scope(trait_impl=trait is not None))

    return attach


def _rust_mod(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """Inline modules nest like namespaces; `mod x;` lives in another file."""
    body = node.child_by_field_name("body")
    if body is None:
        return
    draft = w.declare(node, wrap, w.text(node.child_by_field_name("name")), "namespace", body)
    draft.public = _rust_public(w, node)
    comments = [w.text(c) for c in body.named_children if c.type in w.spec.comments]
    inner = [text for text in comments if _is_inner_doc(text)]
    if inner and draft.docstring is None:  # `mod x { //! ... }` documents itself
        draft.docstring = w.parse_doc(inner)
    w.walk(body, scope.add(draft), _Scope())


def _rust_type(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    draft = w.declare(node, wrap, w.text(node.child_by_field_name("name")), "type_alias")
    draft.public = _rust_public(w, node)
    scope.add(draft)


def _rust_foreign(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`extern "C" { fn f(); }`: the functions belong to the enclosing scope."""
    body = node.child_by_field_name("body")
    if body is not None:
        w.walk(body, scope, ctx)


_RUST_HANDLERS: dict[str, Handler] = {
    "function_item": _rust_function,
    "function_signature_item": _rust_function,
    "struct_item": _rust_struct,
    "union_item": _rust_struct,
    "enum_item": _rust_enum,
    "trait_item": _rust_trait,
    "impl_item": _rust_impl,
    "mod_item": _rust_mod,
    "type_item": _rust_type,
    "foreign_mod_item": _rust_foreign,
}


# --- Go -------------------------------------------------------------------------------------


def _go_public(name: str) -> bool:
    return name[:1].isupper()


def _go_function(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    scope.add(_go_callable(w, node, wrap, "function"))


def _go_callable(w: _Walker, node: Node, wrap: _Wrap, kind: str) -> _Draft:
    name = w.text(node.child_by_field_name("name"))
    draft = w.declare(node, wrap, name, kind, node.child_by_field_name("body"))
    draft.params = _go_params(w, node.child_by_field_name("parameters"))
    draft.returns = _collapse(w.text(node.child_by_field_name("result")))
    draft.public = _go_public(name)
    return draft


def _go_params(w: _Walker, params: Node | None) -> list[Param]:
    result = []
    for param in params.named_children if params is not None else ():
        type_text = _collapse(w.text(param.child_by_field_name("type")))
        if param.type == "variadic_parameter_declaration":
            type_text = "..." + type_text
        elif param.type != "parameter_declaration":
            continue
        names = param.children_by_field_name("name")
        result += [Param(w.text(n), type_text) for n in names] or [Param("", type_text)]
    return result


def _go_method(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> Callable[[], None]:
    """A method joins its receiver's type once every type of the file is known."""

    def attach() -> None:
        name = _go_receiver(w, node.child_by_field_name("receiver"))
        target = scope.find(name, _TYPE_KINDS)
        if target is None:  # the type is declared in another file of the package
            row = node.start_point.row + 1
            target = scope.add(_Draft(name=name, kind="impl", start=row, end=row, public=_go_public(name)))
        target.add(_go_callable(w, node, wrap, "method"))

    return attach


def _go_receiver(w: _Walker, receiver: Node) -> str:
    param = next(c for c in receiver.named_children if c.type == "parameter_declaration")
    node = param.child_by_field_name("type")
    while node.type in ("pointer_type", "parenthesized_type"):
        node = node.named_children[-1]
    if node.type == "generic_type":
        node = node.child_by_field_name("type")
    return w.text(node)


def _go_types(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`type X struct {...}`, `type ( A ...; B ... )`: one symbol per spec."""
    specs = [c for c in node.named_children if c.type in ("type_spec", "type_alias")]
    for spec in specs:
        # Grouped specs carry their own doc comment; a lone spec's sits above `type`.
        spec_wrap = _Wrap(node) if len(specs) == 1 else _Wrap(spec)
        scope.add(_go_type(w, spec, spec_wrap))


def _go_type(w: _Walker, spec: Node, wrap: _Wrap) -> _Draft:
    name = w.text(spec.child_by_field_name("name"))
    type_node = spec.child_by_field_name("type")
    kinds = {"struct_type": "struct", "interface_type": "interface"}
    kind = kinds.get(type_node.type, "type_alias") if spec.type == "type_spec" else "type_alias"
    draft = w.declare(spec, wrap, name, kind)
    if kind == "type_alias":
        if wrap.outer is spec:  # inside `type ( ... )` the keyword is not part of the spec
            draft.signature = "type " + draft.signature
    else:
        params = spec.child_by_field_name("type_parameters")
        draft.signature = f"type {name}{w.text(params)} {type_node.type.removesuffix('_type')}"
    draft.public = _go_public(name)
    if kind == "struct":
        _go_struct_members(w, type_node, draft)
    elif kind == "interface":
        _go_interface_members(w, type_node, draft)
    return draft


def _go_struct_members(w: _Walker, struct: Node, draft: _Draft) -> None:
    for fields in _named(struct, "field_declaration_list"):
        for item in _named(fields, "field_declaration"):
            type_text = _collapse(w.text(item.child_by_field_name("type")))
            names = item.children_by_field_name("name")
            if not names:  # an embedded type is how Go composes: list it as a base
                draft.bases.append(type_text.lstrip("*"))
            for name in names:
                if _go_public(w.text(name)):
                    draft.fields.append(Field(w.text(name), type_text, "", w.member_doc(item)))


def _go_interface_members(w: _Walker, interface: Node, draft: _Draft) -> None:
    for member in interface.named_children:
        if member.type == "method_elem":
            draft.add(_go_callable(w, member, _Wrap(member), "method"))
        elif member.type == "type_elem":
            draft.bases.append(_collapse(w.text(member)))


_GO_HANDLERS: dict[str, Handler] = {
    "function_declaration": _go_function,
    "method_declaration": _go_method,
    "type_declaration": _go_types,
}


_SPECS: dict[str, _Spec] = {
    "c": _Spec("c", "doxygen", _C_HANDLERS, fence="c"),
    "cpp": _Spec("cpp", "doxygen", _CPP_HANDLERS, fence="cpp"),
    "cuda": _Spec("cuda", "doxygen", _CPP_HANDLERS, fence="cuda"),
    "javascript": _Spec("javascript", "jsdoc", _JS_HANDLERS, fence="js"),
    "typescript": _Spec("typescript", "jsdoc", _TS_HANDLERS, fence="ts"),
    "rust": _Spec(
        "rust",
        "rust",
        _RUST_HANDLERS,
        comments=frozenset({"line_comment", "block_comment"}),
        between=frozenset({"attribute_item"}),
        fence="rust",
    ),
    "go": _Spec("go", "go", _GO_HANDLERS, fence="go"),
}
