"""`objects.inv`: the site's symbols as a Sphinx inventory (version 2), so that Sphinx
(intersphinx) and mkdocstrings projects can link into a docgen site.

Every symbol the reference documents is listed under the Sphinx domain of its language
(`py`, `c`, `cpp`, `js`) with the role of its kind (`py:class`, `c:function`...), at the
page and anchor where it is shown. Languages Sphinx has no domain for (Rust, Go, HTTP
APIs) are left out: no tool could ask for them. sphobjinv writes the file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

import sphobjinv

from docgen.generate.links import LinkIndex, page_url
from docgen.model import Symbol

NAME = "objects.inv"
_OVERLOAD = re.compile(r"-[0-9a-f]{6}(?:-\d+)?$")  # the suffix of an overload's id

# language -> kind -> "domain:role"; kinds not listed (and Rust, Go, OpenAPI) are left out.
_ROLES = {
    "python": {
        "package": "py:module", "module": "py:module", "class": "py:class", "function": "py:function",
        "method": "py:method", "attribute": "py:attribute", "property": "py:property",
    },
    "c": {"function": "c:function", "struct": "c:struct", "union": "c:union", "enum": "c:enum", "macro": "c:macro", "type_alias": "c:type"},
    "cpp": {
        "function": "cpp:function", "method": "cpp:function", "class": "cpp:class", "struct": "cpp:class",
        "union": "cpp:union", "enum": "cpp:enum", "macro": "c:macro", "type_alias": "cpp:type", "namespace": "cpp:type",
    },
    "javascript": {"function": "js:function", "method": "js:method", "class": "js:class", "file": "js:module"},
}
_ROLES["cuda"] = _ROLES["cpp"]
_ROLES["typescript"] = _ROLES["javascript"]


def inventory(project: str, version: str, symbols: Iterable[Symbol], index: LinkIndex) -> bytes:
    """The compressed inventory of `symbols` that `index` says are documented, and where."""
    inv = sphobjinv.Inventory()
    inv.project, inv.version = project, version
    seen: set[tuple[str, str]] = set()
    for symbol in symbols:
        target = index.targets.get(symbol.id)
        role = _ROLES.get(symbol.language, {}).get(_kind(symbol))
        if target is None or role is None:
            continue
        domain, _, kind = role.partition(":")
        url = page_url(target.page)
        uri = (f"{url}/" if url else "") + (f"#{target.anchor}" if target.anchor else "")
        # Under its own name, and under the package's that re-exports it (`click.Context`
        # for `click.core.Context`): the name a Sphinx project writes.
        for name in (_name(symbol), *(_public_names(symbol, index))):
            if (name, role) in seen:  # an overload: the first one stands for its name
                continue
            seen.add((name, role))
            inv.objects.append(sphobjinv.DataObjStr(name=name, domain=domain, role=kind, priority="1", uri=uri, dispname="-"))
    return sphobjinv.compress(inv.data_file(contract=True))


def project_version(root: Path) -> str:
    """The version `pyproject.toml` declares (`[project] version`), or "" (dynamic, absent)."""
    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8")).get("project")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ""
    version = project.get("version") if isinstance(project, dict) else None
    return version if isinstance(version, str) else ""


def _kind(symbol: Symbol) -> str:
    return "property" if symbol.kind == "attribute" and "property" in symbol.labels else symbol.kind


def _public_names(symbol: Symbol, index: LinkIndex) -> tuple[str, ...]:
    """The name a package re-exports a Python symbol (or what holds it) under, if any."""
    if symbol.language != "python":
        return ()
    parts = symbol.id.split(".")
    for cut in range(len(parts), 1, -1):
        public = index.public_paths.get(".".join(parts[:cut]))
        if public is not None:
            name = ".".join([public, *parts[cut:]])
            return (name,) if name != symbol.id else ()
    return ()


def _name(symbol: Symbol) -> str:
    """How the domain names the symbol: Python's dotted path; in C and C++ the qualified
    name within its file (`ns::Class::f`); in JavaScript the dotted name, the file for a module."""
    if symbol.language == "python" or "::" not in symbol.id:
        return symbol.id
    within = _OVERLOAD.sub("", symbol.id.split("::", 1)[1]) if symbol.kind != "file" else symbol.id
    return within.replace("::", ".") if symbol.language in ("javascript", "typescript") else within
