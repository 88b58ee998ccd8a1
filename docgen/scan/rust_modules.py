"""Rust crates as rustdoc shows them: one page per module path (`crate::module`), not per
file.

A crate's files sit under `src/` beside its `Cargo.toml`: `src/lib.rs` (or `main.rs`) is
the crate's root module, `src/a.rs` and `src/a/mod.rs` are `crate::a`, `src/a/b.rs` is
`crate::a::b`. Each file's `file` symbol becomes a `module` symbol with that path (the crate
named as `Cargo.toml` names it, `-` read as `_`), its items' ids following. Files outside a
crate's `src/` (build scripts, examples) keep their file pages.
"""

from __future__ import annotations

import posixpath
import tomllib
from dataclasses import replace
from pathlib import Path

from docgen.model import Symbol, moved


def rust_modules(symbols: list[Symbol], root: Path) -> list[Symbol]:
    """`symbols` with each Rust file of a crate's `src/` turned into its module."""
    names: dict[str, str | None] = {}  # crate folder -> crate name (None: not a crate)
    result = []
    for symbol in symbols:
        if symbol.language != "rust" or symbol.kind != "file":
            result.append(symbol)
            continue
        path = _module_path(symbol.id, root, names)
        result.append(symbol if path is None else _as_module(symbol, path))
    return result


def _module_path(file: str, root: Path, names: dict[str, str | None]) -> str | None:
    """`crate::a::b` for `<crate>/src/a/b.rs`; None outside a crate's `src/`."""
    parts = file.split("/")
    if "src" not in parts:
        return None
    at = len(parts) - 1 - parts[::-1].index("src")  # the innermost `src/`
    folder = "/".join(parts[:at])
    if folder not in names:
        names[folder] = _crate_name(root / folder / "Cargo.toml") if folder or (root / "Cargo.toml").is_file() else None
    crate = names[folder]
    if crate is None:
        return None
    module = [*parts[at + 1 : -1], posixpath.splitext(parts[-1])[0]]
    if module in (["lib"], ["main"]):
        return crate
    if module[-1] == "mod":
        module = module[:-1]
    return "::".join([crate, *module])


def _crate_name(cargo: Path) -> str | None:
    """The package name `Cargo.toml` gives, as Rust spells it in paths; None when unreadable."""
    try:
        data = tomllib.loads(cargo.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    package = data.get("package") if isinstance(data, dict) else None
    name = package.get("name") if isinstance(package, dict) else None
    return name.replace("-", "_") if isinstance(name, str) and name else None


def _as_module(file: Symbol, path: str) -> Symbol:
    """The `module` symbol a crate's file is, at module path `path`."""
    return replace(file, id=path, name=path.rsplit("::", 1)[-1], kind="module", children=tuple(moved(c, file.id, path) for c in file.children))
