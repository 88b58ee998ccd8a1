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
    members = [moved(child, child.id.split("::", 1)[0], package_id) for f in files for child in f.children]
    types = {m.name: m for m in members if m.kind in _TYPES}
    placeholders = [m for m in members if m.kind == "impl" and m.name in types]
    for impl in placeholders:  # methods declared beside another file's type
        owner = types[impl.name]
        methods = tuple(moved(method, impl.id, owner.id) for method in impl.children)
        types[impl.name] = replace(owner, children=owner.children + methods)
    kept = [types.get(m.name, m) if m.kind in _TYPES else m for m in members if m not in placeholders]
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
