"""The walker every language shares, and the drafts it builds.

`_Draft` is a symbol under construction (frozen into a `Symbol` at the end); `_Scope` and
`_Wrap` carry what a scope and a declaration's wrappers pass down; `_Spec` says how to read
one language (grammar, doc-comment style, node-type handlers); `_Walker` dispatches nodes to
those handlers and gives them the shared parts: text, locations, signatures cut at the body,
and the doc comments above or after a declaration. Small node helpers the language modules
all use (`_last_row`, `_collapse`, `_named`) live here too.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from tree_sitter import Node

from docgen.model import Docstring, Field, Location, Param, Symbol
from docgen.scan.treesitter.comments import (
    _clean_comments,
    _is_doc,
    is_plain_line_doc,
    _is_file_doc,
    _is_inner_doc,
    _markdown_docstring,
    _tagged_docstring,
)

# --- drafts ---------------------------------------------------------------------------------

# How many declarations deep the walk goes (namespaces, classes, templates, `export`s all
# count). Real code nests a handful; each level costs a few Python frames, so 100 keeps the
# walk, and the freezing of its drafts, far from the interpreter's recursion limit.
MAX_DEPTH = 100
TOO_DEEP = f"declarations nest more than {MAX_DEPTH} levels deep; the ones further in were not read"

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
    value: str = ""  # a Rust constant's value; a Rust `reexport`'s path as written
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

    def freeze(self, id_: str, path: str, language: str, members_of: str = "") -> Symbol:
        """The immutable symbol; children get `<id>::<name>` ids (`<members_of>::<name>`
        when given), overloads after the first a suffix derived from their signature (see
        `overload_suffix`)."""
        taken: set[str] = set()
        children = []
        # Source order, also for members attached after the fact (impls, receivers).
        for child in sorted(self.children, key=lambda child: child.start):
            child_id = unique_id(f"{members_of or id_}::{child.name}", child.signature, taken)
            children.append(child.freeze(child_id, path, language))
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
            value=self.value,
            bases=tuple(dict.fromkeys(self.bases)),
            labels=tuple(sorted(set(self.labels))),
            public=self.public,
            children=tuple(children),
            fields=tuple(self.fields),
        )


def unique_id(base_id: str, signature: str, taken: set[str]) -> str:
    """`base_id`, or with its overload suffix when taken already; recorded in `taken`."""
    symbol_id = base_id + overload_suffix(signature, base_id, taken) if base_id in taken else base_id
    taken.add(symbol_id)
    return symbol_id


def overload_suffix(signature: str, base_id: str, taken: set[str]) -> str:
    """`-<digest of the signature>` for an overload of `base_id`: an id (and the cache keys,
    links and anchors made from it) that stays put when another overload is added above.
    Identical signatures (declarations under different `#if`s) are then counted."""
    digest = hashlib.blake2b(" ".join(signature.split()).encode(), digest_size=3).hexdigest()
    suffix, number = f"-{digest}", 2
    while base_id + suffix in taken:
        suffix, number = f"-{digest}-{number}", number + 1
    return suffix


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
        # (1-based line, reason) of declarations a handler could not read: read-in-part problems.
        self.left_out: list[tuple[int, str]] = []
        self.depth = 0  # handlers running, one inside the other

    def leave_out(self, node: Node, reason: str) -> None:
        """Note that the declaration at `node` was left out, and why."""
        self.left_out.append((node.start_point.row + 1, reason))

    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.text_between(node.start_byte, node.end_byte)

    def text_between(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", errors="replace")

    def walk(self, container: Node, scope: _Draft, ctx: _Scope) -> None:
        """Dispatch every child of `container`; run deferred attachments once all are known."""
        deferred, handlers = [], self.spec.handlers
        for node in container.named_children:
            if node.type not in handlers:  # comments, expressions: most nodes of a file
                continue
            later = self.dispatch(node, scope, ctx, _Wrap(node))
            if later is not None:
                deferred.append(later)
        for later in deferred:
            later()

    def dispatch(self, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> Callable[[], None] | None:
        """Hand `node` to its language's handler, unless it sits too deep (then note it once)."""
        handler = self.spec.handlers.get(node.type)
        if handler is None:
            return None
        if self.depth >= MAX_DEPTH:
            if not any(reason == TOO_DEEP for _, reason in self.left_out):
                self.leave_out(node, TOO_DEEP)
            return None
        self.depth += 1
        try:
            return handler(self, node, scope, ctx, wrap)
        finally:
            self.depth -= 1

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
        if b"/" in self.data[start:stop]:  # every comment these languages have starts with `/`
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
        if self.spec.doc == "doxygen" and not text.startswith(("///", "//!")) and is_plain_line_doc(text):
            return _clean_comments([text], self.spec.doc)  # `int y;  // vertical position`
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
        return _markdown_docstring(raw, self.spec.doc)

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
        # Include guards hold the whole header, so comments inside `#if`s count as top level;
        # a stack rather than recursion, since conditionals can nest thousands deep.
        stack = [iter(node.named_children)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
            elif child.type in self.spec.comments:
                yield child
            elif child.type.startswith("preproc_if"):
                stack.append(iter(child.named_children))


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
    """Comments under `node` that overlap `start:stop`, in source order."""
    # A stack, not recursion: a declarator or type can nest thousands deep (`int *****f`).
    stack = [iter(node.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.end_byte <= start or child.start_byte >= stop:
            continue
        elif child.type in types:
            yield child
        else:
            stack.append(iter(child.children))


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _named(node: Node, type_: str) -> list[Node]:
    return [c for c in node.named_children if c.type == type_]
