"""Go packages as pkg.go.dev shows them: one page per package, not per file.

Tree-sitter reads Go one file at a time (each file's result is cached on its own); here the
files of each folder become one `package` symbol: their declarations together, methods
joined to their receiver type whichever file declares it, and the package comment as its
doc. Ids become `<folder>::<name>`, so the same type name in two packages stays apart.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import replace

from docgen.model import Location, Symbol, moved
from docgen.scan.treesitter.walker import unique_id

_TYPES = frozenset({"struct", "interface", "type_alias", "class", "enum"})


def merge_go_packages(symbols: list[Symbol]) -> list[Symbol]:
    """`symbols` with every folder's Go `file` symbols replaced by one `package` symbol."""
    folders: dict[str, list[Symbol]] = defaultdict(list)
    others: list[Symbol] = []
    for symbol in symbols:
        if symbol.language == "go" and symbol.kind == "file":
            folders[posixpath.dirname(symbol.id)].append(symbol)
        else:
            others.append(symbol)
    packages = []
    for folder, files in sorted(folders.items()):
        # The root folder's package goes by its name (`package main`), unless a folder has it.
        named = next((f.signature.removeprefix("package ") for f in files if f.signature.startswith("package ")), "")
        root_id = named if named and named not in folders else "."
        packages.append(_package(folder, sorted(files, key=lambda f: f.id), folder or root_id))
    return others + packages


def _package(folder: str, files: list[Symbol], package_id: str) -> Symbol:
    # Placeholders last, so that a type keeps its plain id whichever file comes first.
    declared = sorted((child for f in files for child in f.children), key=lambda child: child.kind == "impl")
    members = _unique(package_id, declared)
    # A type declared in several files (one per build tag: `labels_stringlabels.go`,
    # `labels_slicelabels.go`) keeps each declaration; methods declared beside another
    # file's type join the first.
    owners: dict[str, int] = {}
    for index, member in enumerate(members):
        if member.kind in _TYPES:
            owners.setdefault(member.name, index)
    placeholders = set()
    for index, member in enumerate(members):
        if member.kind == "impl" and member.name in owners:
            owner = members[owners[member.name]]
            methods = [moved(method, member.id, owner.id) for method in member.children]
            members[owners[member.name]] = replace(owner, children=tuple(_unique(owner.id, [*owner.children, *methods])))
            placeholders.add(index)
    kept = [member for index, member in enumerate(members) if index not in placeholders]
    documented = [f.docstring for f in files if f.docstring is not None]
    doc = next((d for d in documented if d.raw.startswith("Package ")), documented[0] if documented else None)
    return Symbol(
        id=package_id,
        name=posixpath.basename(folder) or package_id,
        signature=next((f.signature for f in files if f.signature), ""),
        kind="package",
        language="go",
        location=Location(posixpath.join(folder, "") if folder else "./"),
        docstring=doc,
        children=tuple(sorted(kept, key=lambda m: (m.location.file, m.location.start))),
    )


def _unique(prefix: str, symbols: list[Symbol]) -> list[Symbol]:
    """`symbols` with the ids `<prefix>::<name>`, where a name taken already (`init` in two
    files, a function declared once per build tag) gets its signature's suffix."""
    taken: set[str] = set()
    return [moved(symbol, symbol.id, unique_id(f"{prefix}::{symbol.name}", symbol.signature, taken)) for symbol in symbols]
