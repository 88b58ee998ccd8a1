"""The language-neutral model every parser produces and every later stage reads.

Plain frozen dataclasses: a `Project` holds top-level `Symbol`s (Python modules, source
files of other languages, OpenAPI specs) and the user's own Markdown `Document`s. Each
symbol carries a content `hash` of everything that can change its documentation (children
included) but not where it sits in its file: the key for caching work derived from one
symbol, such as drafted prose. (The site build itself compares the rendered pages, which
also show line numbers and depend on other symbols' links.)
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Iterator

from docgen.problems import Problem

# Kinds of symbol that get a page of their own; everything else is rendered on the page of
# its nearest page-kind ancestor.
PAGE_KINDS = frozenset({"package", "module", "file", "api", "tag"})


@dataclass(frozen=True)
class Location:
    """Where a symbol is defined: a POSIX path relative to the project root and 1-based lines."""

    file: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Param:
    """One parameter of a signature (or of an API operation, `kind` then says where it goes)."""

    name: str
    annotation: str = ""
    default: str = ""
    kind: str = ""
    description: str = ""


@dataclass(frozen=True)
class DocItem:
    """One entry of a structured docstring section: a parameter, a return value, a raised error."""

    name: str = ""
    annotation: str = ""
    description: str = ""
    default: str = ""


@dataclass(frozen=True)
class DocSection:
    """A docstring section.

    `kind` is one of `text`, `parameters`, `other parameters`, `returns`, `yields`, `receives`,
    `raises`, `warns`, `attributes`, `examples`, `admonition`, `request body`, `responses`.
    Text-like sections keep their Markdown in `text`; structured ones list `items`.
    """

    kind: str
    text: str = ""
    items: tuple[DocItem, ...] = ()
    title: str = ""


_SENTENCE_BREAK = re.compile(r"(?<=[A-Za-z0-9)`'\"][.!?])\s+(?=[A-Z`])")


@dataclass(frozen=True)
class Docstring:
    """A parsed docstring or doc comment."""

    raw: str
    sections: tuple[DocSection, ...] = ()
    line: int = 0  # where it starts in its file, when known (problems point there)

    @property
    def summary(self) -> str:
        """The first sentence of the first paragraph (a summary wrapped over two lines is
        one sentence still), or an empty string."""
        for section in self.sections:
            if section.kind == "text" and section.text.strip():
                paragraph = " ".join(section.text.strip().split("\n\n")[0].split())
                return _SENTENCE_BREAK.split(paragraph, maxsplit=1)[0]
        return ""


@dataclass(frozen=True)
class Field:
    """A field of a config-like class (dataclass, pydantic model, NamedTuple, TypedDict)."""

    name: str
    annotation: str = ""
    default: str = ""
    description: str = ""


@dataclass(frozen=True)
class Submodule:
    """A submodule assigned in a model's `__init__`: `self.<name> = <value>`."""

    name: str
    value: str


@dataclass(frozen=True)
class ModelInfo:
    """What makes a `torch.nn.Module` subclass a model: its `forward` and its submodules."""

    forward: str = ""
    submodules: tuple[Submodule, ...] = ()


@dataclass(frozen=True)
class Raise:
    """An exception a function raises itself (`raise KeyError(f"no {name}")`)."""

    exception: str  # its full path when it resolves (`pkg.errors.Missing`), else as written
    message: str = ""  # the message it is raised with, when written in the source


@dataclass(frozen=True)
class Symbol:
    """A documented thing: module, file, class, function, attribute, API operation...

    `id` is stable and unique in a project: the fully qualified dotted path for Python
    (`pkg.mod.Class.method`), `<file>::<qualified name>` for other languages and
    `<spec file>::<METHOD> <path>` for API operations.
    """

    id: str
    name: str
    kind: str
    language: str
    location: Location
    signature: str = ""
    docstring: Docstring | None = None
    params: tuple[Param, ...] = ()
    returns: str = ""  # a callable's return type; an attribute's or field's declared type
    bases: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    value: str = ""
    public: bool = True
    children: tuple[Symbol, ...] = ()
    # Python only: local name -> fully qualified target, for resolving names in annotations.
    imports: tuple[tuple[str, str], ...] = ()
    fields: tuple[Field, ...] = ()
    model: ModelInfo | None = None
    # A re-exported or inherited symbol: the id of the definition it shows (`httpx.Client`
    # shows `httpx._client.Client`); empty where the symbol is defined.
    defined_in: str = ""
    # Python functions: the full paths of what they call or instantiate (static, resolved
    # through imports), and the exceptions they raise.
    calls: tuple[str, ...] = ()
    raises: tuple[Raise, ...] = ()
    # C and C++: where a function this header declares is defined (a `.c` or `.cpp` file).
    definition: Location | None = None

    @cached_property
    def hash(self) -> str:
        """The content hash (see `content_hash`), computed from the symbol as it is: a
        symbol rebuilt with `dataclasses.replace` gets its own."""
        return content_hash(self)

    def walk(self) -> Iterator[Symbol]:
        """This symbol, then every descendant, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def member(self, name: str) -> Symbol | None:
        """The direct child called `name`, if any."""
        for child in self.children:
            if child.name == name:
                return child
        return None


@dataclass(frozen=True)
class Document:
    """A Markdown page the user wrote (README, docs/): published as it is."""

    path: str  # relative to the docs dir it is published under
    source: str  # relative to the project root
    title: str
    text: str


@dataclass(frozen=True)
class SourceFile:
    """A file the scan read, with the language it was read as and its content digest."""

    path: str
    language: str
    digest: str


@dataclass(frozen=True)
class Project:
    """Everything the scan found in one repository."""

    root: Path
    name: str
    symbols: tuple[Symbol, ...] = ()
    documents: tuple[Document, ...] = ()
    files: tuple[SourceFile, ...] = ()
    problems: tuple[Problem, ...] = ()  # files skipped or read in part, and why

    def walk(self) -> Iterator[Symbol]:
        """Every symbol of the project, depth first."""
        for symbol in self.symbols:
            yield from symbol.walk()


def moved(symbol: Symbol, old: str, new: str) -> Symbol:
    """`symbol` and its members with the id prefix `old` replaced by `new`: a Go file's
    declarations become its package's, a Rust file's its module's."""
    if old == new:
        return symbol
    return replace(symbol, id=new + symbol.id[len(old) :], children=tuple(moved(child, old, new) for child in symbol.children))


def with_children(symbol: Symbol, children: list[Symbol] | tuple[Symbol, ...]) -> Symbol:
    """`symbol` holding `children`: itself when they are the very objects it holds (a
    cheaper test than `==`, which compares whole trees)."""
    if len(children) == len(symbol.children) and all(a is b for a, b in zip(children, symbol.children)):
        return symbol
    return replace(symbol, children=tuple(children))


def in_reference(symbol: Symbol, show_private: bool = False) -> bool:
    """Whether `symbol` is documented in the reference: the one rule the pages and
    `docgen scan`'s coverage share (a member counts only where its parent does too)."""
    if not (symbol.public or show_private):
        return False
    name = symbol.name
    if symbol.language == "python" and name.startswith("__") and name.endswith("__") and symbol.kind not in PAGE_KINDS:
        # Special names (__call__, __enter__, __len__, __version__) when explained;
        # __init__ is shown as its class's parameters.
        return name != "__init__" and symbol.docstring is not None
    if symbol.kind in ("module", "package", "file") and symbol.docstring is None:
        # A module or source file that declares nothing documentable (a translation table,
        # minified code, tests' helpers) would be an empty page. An API's pages always say
        # where it is served, so they stay.
        return any(in_reference(child, show_private) for child in symbol.children)
    return True


def reference_symbols(project: Project, show_private: bool = False) -> Iterator[Symbol]:
    """Every symbol documented in the reference, depth first."""
    stack = list(reversed(project.symbols))
    while stack:
        symbol = stack.pop()
        if in_reference(symbol, show_private):
            yield symbol
            stack.extend(reversed(symbol.children))


def content_hash(symbol: Symbol) -> str:
    """A digest of everything about `symbol` that can change its page or prose drafted
    from it (signature, docstring, kind, members...), children included; its line numbers
    are left out, so code moving down a file keeps its hash."""
    # Shallow on purpose: children count through their own hashes, so hashing a tree is linear.
    # The generated reprs of frozen dataclasses are deterministic and far cheaper than asdict.
    state = tuple(getattr(symbol, name) for name in _HASHED_FIELDS)
    docstring = (symbol.docstring.raw, symbol.docstring.sections) if symbol.docstring else None
    payload = repr((state, docstring, symbol.location.file, [child.hash for child in symbol.children])).encode()
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


_HASHED_FIELDS = tuple(f.name for f in fields(Symbol) if f.name not in ("children", "location", "docstring"))
