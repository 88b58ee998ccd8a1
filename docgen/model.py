"""The language-neutral model every parser produces and every later stage reads.

Plain frozen dataclasses: a `Project` holds top-level `Symbol`s (Python modules, source
files of other languages, OpenAPI specs) and the user's own Markdown `Document`s. Each
symbol carries a content `hash` of everything that can change its documentation (children
included): the key for caching work derived from one symbol, such as drafted prose. (The
site build itself compares the rendered pages, which also depend on other symbols' links.)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
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


@dataclass(frozen=True)
class Docstring:
    """A parsed docstring or doc comment."""

    raw: str
    sections: tuple[DocSection, ...] = ()
    line: int = 0  # where it starts in its file, when known (problems point there)

    @property
    def summary(self) -> str:
        """The first paragraph's first line, or an empty string."""
        for section in self.sections:
            if section.kind == "text" and section.text.strip():
                return section.text.strip().split("\n\n")[0].split("\n")[0].strip()
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
    hash: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.hash:
            object.__setattr__(self, "hash", content_hash(self))

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


def content_hash(symbol: Symbol) -> str:
    """A digest of everything about `symbol` that can change its page (children included)."""
    # Shallow on purpose: children count through their own hashes, so hashing a tree is linear.
    # The generated reprs of frozen dataclasses are deterministic and far cheaper than asdict.
    state = tuple(getattr(symbol, name) for name in _HASHED_FIELDS)
    payload = repr((state, [child.hash for child in symbol.children])).encode()
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


_HASHED_FIELDS = tuple(f.name for f in fields(Symbol) if f.name not in ("hash", "children"))
