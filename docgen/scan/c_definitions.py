"""C and C++ functions declared in a header and defined in a source file: one symbol, as
Doxygen shows them. The header's declaration stays (its doc first, else the definition's)
and records where the definition is; the source file no longer lists it again.

Files are read one at a time (each cached on its own); this joins them after the scan.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace

from docgen.model import Symbol, with_children

C_FAMILY = frozenset({"c", "cpp", "cuda"})
# C, C++ and CUDA headers (the reader also tells CUDA and C++ headers from C ones by these).
HEADER_SUFFIXES = (".h", ".hh", ".hpp", ".hxx", ".cuh")
_CALLABLE = frozenset({"function", "method"})


def join_c_definitions(symbols: list[Symbol]) -> list[Symbol]:
    """`symbols` with each definition of a function a header declares folded into it."""
    headers = [s for s in symbols if _is_c_file(s) and _suffix(s) in HEADER_SUFFIXES]
    if not headers:
        return symbols
    declared: dict[tuple, list[str]] = {}
    for header in headers:
        for symbol in header.walk():
            if symbol.kind in _CALLABLE:
                declared.setdefault(_key(symbol), []).append(symbol.id)
    found: dict[str, Symbol] = {}  # declaration id -> its definition
    kept = []
    for symbol in symbols:
        if _is_c_file(symbol) and _suffix(symbol) not in HEADER_SUFFIXES:
            symbol = _without_definitions(symbol, declared, found)
        kept.append(symbol)
    if not found:
        return kept
    header_ids = {header.id for header in headers}  # ids, not `in headers`: symbols compare whole trees
    return [_with_definitions(s, found) if s.id in header_ids else s for s in kept]


def _is_c_file(symbol: Symbol) -> bool:
    return symbol.kind == "file" and symbol.language in C_FAMILY


def _suffix(symbol: Symbol) -> str:
    return posixpath.splitext(symbol.id)[1].lower()


def _key(symbol: Symbol) -> tuple:
    """What a declaration and its definition share: the name within its file (`ns::Class::f`)
    and the parameters' types (`f(void)` and `f()` alike)."""
    within = symbol.id.split("::", 1)[1]
    types = tuple(p.annotation for p in symbol.params if (p.annotation, p.name) != ("void", ""))
    return within, types


def _without_definitions(symbol: Symbol, declared: dict[tuple, list[str]], found: dict[str, Symbol]) -> Symbol:
    """`symbol` without the definitions of functions a single header declares (recorded in
    `found`); a placeholder left with nothing in it goes too."""
    children = []
    for child in symbol.children:
        if child.kind in _CALLABLE:
            matches = declared.get(_key(child), [])
            if len(matches) == 1 and matches[0] not in found:
                found[matches[0]] = child
                continue
        child = _without_definitions(child, declared, found)
        if child.kind == "impl" and not child.children and child.docstring is None:
            continue  # `Class::` of out-of-class definitions, all joined to their class
        children.append(child)
    return with_children(symbol, children)


def _with_definitions(symbol: Symbol, found: dict[str, Symbol]) -> Symbol:
    definition = found.get(symbol.id)
    children = tuple(_with_definitions(child, found) for child in symbol.children)
    if definition is None:
        return with_children(symbol, children)
    return replace(symbol, children=children, definition=definition.location, docstring=symbol.docstring or definition.docstring)

