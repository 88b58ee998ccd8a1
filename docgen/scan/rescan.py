"""What an edit makes the scan read again.

Files of other languages are read one at a time, so each reader's result is kept with
the file's digest and reused while the file stays the same (`load_file_results`).

griffe loading every module is most of a build after a one-line edit (sphinx: 187 modules,
3 s). The last build's Python scan is kept under `.docgen/`; the next one asks griffe for
the modules whose files changed and the modules that show something defined in them
(re-exports, inherited members, subclasses), with the files those need to resolve, and
splices them into the kept tree. Anything it cannot vouch for costs a full scan, never a
wrong page: files added or removed, a changed file that was not a module, or a re-read
module whose shape (members, kinds, imports, bases) differs from before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from docgen import __version__, model_json
from docgen.cache import code_digest
from docgen.files import write_atomic
from docgen.model import Symbol
from docgen.problems import Problem

MODULE_KINDS = frozenset({"module", "package"})


@dataclass(frozen=True)
class PythonScan:
    """A finished Python scan, as kept for the next build."""

    key: str  # digest of the settings and extensions it was made with
    digests: dict[str, str]  # every Python file it read -> content digest
    symbols: tuple[Symbol, ...]
    problems: tuple[Problem, ...]
    public_paths: dict[str, str]  # where each privately defined name is imported from publicly


@dataclass(frozen=True)
class Rescan:
    """The part of a project griffe must read again after an edit."""

    modules: frozenset[str]  # ids of the modules to convert again
    module_files: frozenset[str]  # their files (and stubs): the problems they own are re-found
    load: frozenset[str]  # every file griffe must load to convert them as a full scan would


def scan_path(cache_dir: Path) -> Path:
    """Where this docgen version keeps the last Python scan."""
    return cache_dir / f"python-scan-{__version__}.json"


def load_scan(cache_dir: Path, key: str) -> PythonScan | None:
    """The kept scan made with settings `key`, or None (none, another key, damaged)."""
    try:
        data = model_json.loads(scan_path(cache_dir).read_text(encoding="utf-8"))
        if data["key"] != key:
            return None
        return PythonScan(
            key=key,
            digests={str(path): str(value) for path, value in data["digests"].items()},
            symbols=tuple(data["symbols"]),
            problems=tuple(Problem.from_dict(problem) for problem in data["problems"]),
            public_paths={str(path): str(value) for path, value in data["public_paths"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save_scan(cache_dir: Path, scan: PythonScan) -> None:
    """Keep `scan` for the next build (atomically: a crash leaves the previous one)."""
    data = {
        "key": scan.key,
        "digests": scan.digests,
        "symbols": scan.symbols,
        "problems": [problem.as_dict() for problem in scan.problems],
        "public_paths": scan.public_paths,
    }
    try:
        write_atomic(scan_path(cache_dir), model_json.dumps(data))
    except OSError:
        pass  # a cache that cannot be written costs the next build time, nothing else
    except (TypeError, ValueError) as error:  # pragma: no cover - a model the codec does not know
        raise AssertionError(f"cannot keep the scan: {error}") from error


def files_path(cache_dir: Path) -> Path:
    """Where this docgen version keeps what the other readers made of each file."""
    return cache_dir / f"source-scan-{__version__}.json"


FileResult = tuple[str, Symbol, tuple[Problem, ...]]  # (content digest, symbol, problems)


def load_file_results(cache_dir: Path) -> dict[str, FileResult]:
    """What the last scan's tree-sitter and OpenAPI readers made of each file, by path.

    Each reader sees one file alone, so a file with the same content reads the same."""
    try:
        data = model_json.loads(files_path(cache_dir).read_text(encoding="utf-8"))
        if data["key"] != settings_key():
            return {}
        results = {}
        for path, (digest, symbol, problems) in data["files"].items():
            if not isinstance(symbol, Symbol):
                return {}
            results[str(path)] = (str(digest), symbol, tuple(Problem.from_dict(problem) for problem in problems))
        return results
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save_file_results(cache_dir: Path, results: dict[str, FileResult]) -> None:
    """Keep what the readers made of each file for the next scan."""
    files = {path: [digest, symbol, [p.as_dict() for p in problems]] for path, (digest, symbol, problems) in results.items()}
    try:
        write_atomic(files_path(cache_dir), model_json.dumps({"key": settings_key(), "files": files}))
    except OSError:
        pass  # the next scan reads them all again


def plan_rescan(previous: PythonScan, digests: dict[str, str]) -> Rescan | None:
    """What to read again to bring `previous` up to files now at `digests`; None when only
    a full scan can (files added or removed, a changed file that was no module)."""
    if digests.keys() != previous.digests.keys():
        return None
    changed = {path for path, value in digests.items() if previous.digests[path] != value}
    if not changed:
        return Rescan(frozenset(), frozenset(), frozenset())
    tree = _Tree(previous.symbols)
    if any(path not in tree.module_of_file and _sibling(path) not in tree.module_of_file for path in changed):
        return None  # a file that was skipped, or belonged to no module: start over
    changed |= {_sibling(path) for path in changed} & digests.keys()  # a stub describes its module
    modules = {module for module, needs in tree.needs.items() if needs & changed}
    modules |= {tree.module_of_file[path] for path in changed if path in tree.module_of_file}
    module_files = {tree.file_of[module] for module in modules} - {""}
    load = set(module_files)
    for module in modules:
        load |= tree.needs[module]
    # The packages griffe loads a module under, which are also where chains of re-exports
    # run through (`pkg/_impl/__init__.py` between `pkg.X` and `pkg/_impl/_core.py`).
    load |= {init for path in load for init in _package_inits(path)}
    load = (load | {_sibling(path) for path in load}) & digests.keys()
    module_files |= {_sibling(path) for path in module_files} & digests.keys()
    return Rescan(frozenset(modules), frozenset(module_files), frozenset(load))


def splice(previous: tuple[Symbol, ...], fresh: dict[str, Symbol]) -> tuple[Symbol, ...] | None:
    """`previous` with the modules in `fresh` (by id) read again; None when one of them no
    longer has the shape it had, which only a full scan can place correctly."""
    spliced = []
    for top in previous:
        symbol = _splice(top, fresh)
        if symbol is None:
            return None
        spliced.append(symbol)
    return tuple(spliced)


def _splice(module: Symbol, fresh: dict[str, Symbol]) -> Symbol | None:
    new = fresh.get(module.id)
    if new is None and not any(key.startswith(module.id + ".") for key in fresh):
        return module  # nothing read again in here: kept as it was, hashes and all
    if new is not None and _shape(new) != _shape(module):
        return None
    own = {child.id: child for child in new.children} if new is not None else {}
    children = []
    for child in module.children:
        if child.kind in MODULE_KINDS:
            spliced = _splice(child, fresh)
            if spliced is None:
                return None
            children.append(spliced)
        else:
            children.append(own.get(child.id, child))
    return replace(new if new is not None else module, children=tuple(children))


def _shape(module: Symbol) -> tuple:
    """What a module's own members must keep for a re-read to stand in for a full scan:
    their ids and order, kinds, visibility, imports, bases and what they re-export."""
    members = tuple(
        (s.id, s.kind, s.public, s.bases, s.defined_in, s.model is not None, tuple(f.name for f in s.fields))
        for child in module.children
        if child.kind not in MODULE_KINDS
        for s in child.walk()
    )
    return module.kind, module.public, module.imports, members


class _Tree:
    """The previous scan's modules: their files, and the other files each one shows
    something from (re-exported and inherited members, base classes down their chain)."""

    def __init__(self, symbols: tuple[Symbol, ...]) -> None:
        self.by_id = {symbol.id: symbol for top in symbols for symbol in top.walk()}
        self.file_of: dict[str, str] = {}
        self.module_of_file: dict[str, str] = {}
        self.needs: dict[str, set[str]] = {}
        for top in symbols:
            self._visit(top)

    def _visit(self, module: Symbol) -> None:
        self.file_of[module.id] = module.location.file
        if module.location.file:
            self.module_of_file[module.location.file] = module.id
        needs: set[str] = set()
        for child in module.children:
            if child.kind in MODULE_KINDS:
                self._visit(child)
                continue
            for symbol in child.walk():
                if symbol.defined_in:
                    needs.add(symbol.location.file)
                needs |= self._base_files(symbol, set())
        self.needs[module.id] = needs - {module.location.file}

    def _base_files(self, symbol: Symbol, seen: set[str]) -> set[str]:
        files = set()
        for base in symbol.bases:
            target = self.by_id.get(base)
            if target is None or target.id in seen:
                continue  # outside the project
            seen.add(target.id)
            files.add(target.location.file)
            files |= self._base_files(target, seen)
        return files


def _package_inits(path: str) -> list[str]:
    """The `__init__` files (and stubs) of the folders above `path`."""
    folders = path.split("/")[:-1]
    return [
        "/".join([*folders[:depth], name]) for depth in range(1, len(folders) + 1) for name in ("__init__.py", "__init__.pyi")
    ]


def _sibling(path: str) -> str:
    """The stub of a module file, or the module file of a stub."""
    stem, _, suffix = path.rpartition(".")
    return f"{stem}.pyi" if suffix == "py" else f"{stem}.py"


def settings_key(*parts: str) -> str:
    """A digest of what a scan was made with, beyond its files."""
    return json.dumps([code_digest(), *parts])
