"""Rust crates as rustdoc shows them: one page per module path (`crate::module`), not per
file.

A crate's files sit under `src/` beside its `Cargo.toml`: `src/lib.rs` (or `main.rs`) is
the crate's root module, `src/a.rs` and `src/a/mod.rs` are `crate::a`, `src/a/b.rs` is
`crate::a::b`. Each file's `file` symbol becomes a `module` symbol with that path (the crate
named as `Cargo.toml` names it, `-` read as `_`), its items' ids following. Files outside a
crate's `src/` (build scripts, examples) keep their file pages.

Then the crate's public API, as rustdoc shows it:
- a module is public when its `mod x;` says `pub` (and no `#[doc(hidden)]`), and its parent
  is public; a private module gets no page, and its doc may come from above the `mod` line;
- `pub use` re-exports of items from private modules are documented where they are
  re-exported (`crate::Match` for `pub use matcher::Match;` with `mod matcher;`), as
  rustdoc inlines them, renamed, by glob, and through re-exports of re-exports (not
  through a glob of re-exports); re-exports of public items add nothing, the item has its page;
- `#[macro_export]` macros belong to the crate root, whichever module defines them.
The reader's `mod_declaration` and `reexport` symbols are consumed here.
"""

from __future__ import annotations

import posixpath
import tomllib
from dataclasses import replace
from pathlib import Path

from docgen.model import Symbol, moved, with_children


def rust_modules(symbols: list[Symbol], root: Path) -> list[Symbol]:
    """`symbols` with each Rust file of a crate's `src/` turned into its module, and each
    crate's modules shaped into its public API."""
    names: dict[str, str | None] = {}  # crate folder -> crate name (None: not a crate)
    result = []
    for symbol in symbols:
        if symbol.language != "rust" or symbol.kind != "file":
            result.append(symbol)
            continue
        path = _module_path(symbol.id, root, names)
        result.append(_without_bookkeeping(symbol) if path is None else _as_module(symbol, path))
    modules = {s.id: s for s in result if s.language == "rust" and s.kind == "module"}
    if not modules:
        return result
    shaped = _Crates(modules).shape()
    return [shaped.get(s.id, s) if s.language == "rust" and s.kind == "module" else s for s in result]


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


_BOOKKEEPING = frozenset({"mod_declaration", "reexport"})
_MAX_HOPS = 5  # re-exports of re-exports followed, at most


def _without_bookkeeping(symbol: Symbol) -> Symbol:
    """`symbol` without the reader's `mod_declaration`s and `reexport`s, at any depth."""
    return with_children(symbol, [_without_bookkeeping(c) for c in symbol.children if c.kind not in _BOOKKEEPING])


def _parent(module_id: str) -> str:
    return module_id.rsplit("::", 1)[0] if "::" in module_id else ""


class _Crates:
    """Every crate module of the scan, by id, and the means to find items by path."""

    def __init__(self, modules: dict[str, Symbol]) -> None:
        self.modules = modules
        # `mod x;` shares its id with the module `x` it declares: the module is what a path names.
        self.by_id = {s.id: s for module in modules.values() for s in module.walk() if s.kind != "mod_declaration"}

    def shape(self) -> dict[str, Symbol]:
        """The modules with their visibility, docs, inlined re-exports and exported macros."""
        visible = {module_id: self._visible(module_id) for module_id in self.modules}
        shaped = {}
        macros: dict[str, list[Symbol]] = {}  # crate root -> exported macros from its modules
        for module_id, module in self.modules.items():
            declaration = self._declaration(module_id)
            docstring = module.docstring or (declaration.docstring if declaration is not None else None)
            children = []
            for child in module.children:
                if child.kind == "macro" and child.public and "::" in module_id:
                    root_id = module_id.split("::", 1)[0]
                    macros.setdefault(root_id, []).append(moved(child, child.id, f"{root_id}::{child.name}"))
                elif child.kind not in _BOOKKEEPING:
                    children.append(_without_bookkeeping(child))
            # Names the module has win over re-exported ones, and named re-exports over globs.
            reexports = sorted((c for c in module.children if c.kind == "reexport"), key=lambda c: c.name == "*")
            taken = {c.id for c in children}
            for reexport in reexports:
                for copy in self._inlined(module_id, reexport, visible):
                    if copy.id not in taken:
                        taken.add(copy.id)
                        children.append(copy)
            shaped[module_id] = replace(module, public=visible[module_id], docstring=docstring, children=tuple(children))
        for root_id, exported in macros.items():
            if root_id in shaped:
                taken = {c.id for c in shaped[root_id].children}
                extra = tuple(m for m in exported if m.id not in taken)
                shaped[root_id] = replace(shaped[root_id], children=shaped[root_id].children + extra)
        return shaped

    def _declaration(self, module_id: str) -> Symbol | None:
        """The `mod x;` of module `a::x` in `a`, if `a` declares it."""
        parent = self.modules.get(_parent(module_id))
        name = module_id.rsplit("::", 1)[-1]
        if parent is None:
            return None
        return next((c for c in parent.children if c.kind == "mod_declaration" and c.name == name), None)

    def _visible(self, module_id: str) -> bool:
        """Whether a module is reachable from outside: declared `pub`, as its parents are.
        A file no module declares stays as it was (it may be compiled by `#[path]`)."""
        while "::" in module_id:
            declaration = self._declaration(module_id)
            if declaration is not None and not declaration.public:
                return False
            module_id = _parent(module_id)
        return True

    def _inlined(self, module_id: str, reexport: Symbol, visible: dict[str, bool]) -> list[Symbol]:
        """The items `reexport` brings into `module_id`, copied there when their own
        module is private (an item in a public module keeps its own page)."""
        targets: list[tuple[str, Symbol]] = []
        if reexport.name == "*":
            source = self._resolve(module_id, reexport.value.removesuffix("::*"))
            if source is not None and source.kind in ("module", "namespace"):
                targets = [(c.name, c) for c in source.children if c.public and c.kind not in _BOOKKEEPING | {"module"}]
        else:
            target = self._resolve(module_id, reexport.value)
            if target is not None and target.kind not in ("module", "namespace"):
                targets = [(reexport.name, target)]
        copies = []
        for name, target in targets:
            home = self._module_of(target.id)
            if not target.public or home is None or (visible.get(home, True) and self._namespaces_public(home, target.id)):
                continue  # private (a compile error), from outside, or documented where it is
            copy = _without_bookkeeping(moved(target, target.id, f"{module_id}::{name}"))
            copies.append(replace(copy, name=name, defined_in=target.id))
        return copies

    def _namespaces_public(self, home: str, symbol_id: str) -> bool:
        """Whether every inline module (`mod x { ... }`) between `home` and `symbol_id` is `pub`."""
        parts = symbol_id[len(home) + 2 :].split("::")[:-1]
        prefix = home
        for part in parts:
            prefix = f"{prefix}::{part}"
            enclosing = self.by_id.get(prefix)
            if enclosing is not None and enclosing.kind == "namespace" and not enclosing.public:
                return False
        return True

    def _resolve(self, module_id: str, path: str, hops: int = 0) -> Symbol | None:
        """The symbol a `use` path names from `module_id`: `crate::`, `self::` and
        `super::` as Rust reads them, a bare path from the module and then from the crate
        root; a re-export it lands on is followed."""
        parts = path.split("::")
        base = module_id
        if parts[0] == "crate":
            base, parts = module_id.split("::", 1)[0], parts[1:]
        elif parts[0] == "self":
            parts = parts[1:]
        while parts and parts[0] == "super":
            base, parts = _parent(base), parts[1:]
        if not parts:
            return self.modules.get(base)
        for start in dict.fromkeys((base, module_id.split("::", 1)[0])):
            found = self.by_id.get(f"{start}::{'::'.join(parts)}")
            if found is None:
                continue
            if found.kind == "reexport":  # followed, unless the chain runs in circles
                return self._resolve(self._module_of(found.id) or start, found.value, hops + 1) if hops < _MAX_HOPS else None
            return found
        return None

    def _module_of(self, symbol_id: str) -> str | None:
        """The id of the crate module that holds `symbol_id`."""
        module_id = symbol_id
        while "::" in module_id:
            module_id = _parent(module_id)
            if module_id in self.modules:
                return module_id
        return None
