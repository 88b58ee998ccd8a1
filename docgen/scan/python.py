"""Python through griffe: static analysis only, user code is never imported.

Finds the loadable units (packages, src/ and maturin layouts, namespace packages, loose
scripts at the root), loads them with one griffe loader that reads only the files docgen's
finder accepted, and converts griffe's objects to `Symbol`s. docgen's own enrichers are
griffe extensions, loaded with the published ones (griffe-typingdoc).
"""

from __future__ import annotations

import ast
import io
import logging
import os
import re
import tokenize
import tomllib
from contextlib import AbstractContextManager
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable

import griffe

from docgen.files import Work, run_now
from docgen.model import DocItem, DocSection, Docstring, Location, Raise, Symbol
from docgen.problems import Problem, capturing, skipped_file
from docgen.scan import signatures
from docgen.scan.finder import FoundFile
from docgen.scan.calls import EXTRA as CALLS
from docgen.scan.calls import CallsExtension, resolve
from docgen.scan.main_block import MainBlockExtension
from docgen.scan.ml import EXTRA, MLExtension
from docgen.scan.rescan import MODULE_KINDS, PythonScan, load_scan, plan_rescan, save_scan, settings_key, splice
from docgen.scan.stub_files import StubFilesExtension

# Deeper than this, an expression is generated data (`X = 1+1+...`, nested literals), not
# code to document; griffe and Python's own parser recurse on it until the stack runs out.
MAX_EXPRESSION_DEPTH = 100
# The docstring styles griffe can parse, and the option that keeps them from warning about
# every parameter documented without a type (most real docstrings).
_STYLES = ("google", "numpy", "sphinx")
_QUIET_TYPES = {"warn_missing_types": False}
_log = logging.getLogger("docgen.scan")
_LOCATED = re.compile(r"^(?P<file>.*?):(?P<line>\d+): (?P<message>.*)$", re.DOTALL)


def parse_python(
    root: Path,
    files: Iterable[FoundFile],
    docstring_style: str = "auto",
    *,
    inherited_members: bool = False,
    cache_dir: Path | None = None,
    fresh: bool = False,
    save: Callable[[Work], None] = run_now,
    call_graph: bool = False,
) -> tuple[list[Symbol], list[Problem]]:
    """Load every Python file in `files` (sources and `.pyi` stubs) with griffe and return
    the top-level module symbols and the problems found: files skipped, docstring warnings.

    griffe reads nothing else: an excluded or oversized file is never parsed, and a file
    too deeply nested to parse is skipped on its own, never taking its package along.
    With a `cache_dir`, the scan is kept there, and the next one reads again only what
    changed and what shows it (see `docgen.scan.rescan`); unless `fresh`. `save` writes it.
    `call_graph` records what each function calls and raises (for guides: it costs a
    tenth of the scan, so a reference-only build goes without).
    """
    every = {file.path: file for file in files}
    extensions = _extension_names(every.values(), call_graph)
    key = settings_key(docstring_style, str(inherited_members), *extensions)
    digests = {path: file.digest for path, file in every.items()}
    previous = load_scan(cache_dir, key) if cache_dir is not None and not fresh else None
    options = dict(docstring_style=docstring_style, inherited_members=inherited_members, extensions=extensions)
    result = _rescan(root, every, digests, previous, **options) if previous is not None else None
    if result is None:
        symbols, problems, public_paths = _parse(root, every, every, **options)
        result = PythonScan(key, digests, tuple(symbols), tuple(problems), public_paths)
    if cache_dir is not None and result is not previous:
        kept, folder = result, cache_dir
        save(lambda: save_scan(folder, kept))
    return list(result.symbols), list(result.problems)


def _rescan(
    root: Path, every: dict[str, FoundFile], digests: dict[str, str], previous: PythonScan, **options: Any
) -> PythonScan | None:
    """`previous` brought up to date by reading again what changed; None when only a
    full scan can be trusted to (see `docgen.scan.rescan`)."""
    plan = plan_rescan(previous, digests)
    if plan is None:
        return None
    if not plan.modules:
        return previous
    load = {path: every[path] for path in sorted(plan.load)}
    symbols, problems, _ = _parse(root, load, every, public_paths=previous.public_paths, **options)
    fresh = {s.id: s for top in symbols for s in top.walk() if s.kind in MODULE_KINDS and s.id in plan.modules}
    lost = any(p.code in ("skipped", "read-in-part") and p.file in plan.module_files for p in problems)
    spliced = splice(previous.symbols, fresh) if fresh.keys() == plan.modules and not lost else None
    if spliced is None:
        _log.debug("modules %s changed shape: scanning everything again", ", ".join(sorted(plan.modules)))
        return None
    _log.debug("read again %s (%d files)", ", ".join(sorted(plan.modules)), len(load))
    kept = [problem for problem in previous.problems if problem.file not in plan.module_files]
    found = [problem for problem in problems if problem.file in plan.module_files]
    return PythonScan(previous.key, digests, spliced, tuple(kept + found), previous.public_paths)


def _parse(
    root: Path,
    by_path: dict[str, FoundFile],
    every: dict[str, FoundFile],
    *,
    docstring_style: str,
    inherited_members: bool,
    extensions: tuple[str, ...],
    public_paths: dict[str, str] | None = None,
) -> tuple[list[Symbol], list[Problem], dict[str, str]]:
    """Load the files in `by_path` (of the project's Python files, `every`) and convert
    them; `public_paths` as a full scan found them, when only part is loaded."""
    warnings = _DocstringWarnings(root)
    converter = _Converter(root, by_path, warnings, inherited_members=inherited_members)
    loader = _Loader(
        root,
        by_path,
        _source_bases(root, every),
        extensions=griffe.load_extensions(*_extensions(extensions, converter)),
        docstring_parser=docstring_style,  # type: ignore[arg-type]
        docstring_options=_docstring_options(docstring_style),
        allow_inspection=False,
        store_source=False,
    )
    problems: list[Problem] = []
    failures: dict[str, str] = {}  # top-level name -> why griffe could not load it
    too_deep: set[str] = set()
    symbols: list[Symbol] = []
    with warnings.capture():
        modules: dict[str, Any] = {}
        for _, name in sorted(loader.units):
            module = _load_unit(loader, name, by_path, too_deep, failures)
            if module is not None:
                modules[name] = module
        converter.public_paths = _public_paths(modules.values()) if public_paths is None else public_paths
        for name, module in modules.items():
            symbol = _convert_unit(converter, loader, name, module, too_deep, failures)
            if symbol is not None:
                symbols.append(symbol)
    for path in sorted(too_deep):
        problems.append(skipped_file(path, f"nested deeper than {MAX_EXPRESSION_DEPTH} levels (generated data?)"))
    missing = sorted(set(by_path) - converter.loaded - too_deep)
    problems += [_why_not_loaded(by_path[path], failures.get(loader.unit_of(path))) for path in missing]
    return symbols, problems + _with_symbols(warnings.problems, symbols), converter.public_paths


def _with_symbols(problems: list[Problem], symbols: list[Symbol]) -> list[Problem]:
    """Docstring problems griffe raised outside the conversion (an extension parsed the
    docstring first), given the id of the symbol whose docstring holds their line."""
    if all(problem.symbol for problem in problems):
        return problems
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for top in symbols:
        for symbol in top.walk():
            if symbol.docstring is not None and symbol.docstring.line:
                end = symbol.docstring.line + symbol.docstring.raw.count("\n") + 2  # quotes, summary line
                spans.setdefault(symbol.location.file, []).append((symbol.docstring.line, end, symbol.id))
    placed = []
    for problem in problems:
        if not problem.symbol:
            owners = [i for start, end, i in spans.get(problem.file, ()) if start <= problem.line <= end]
            if owners:
                problem = replace(problem, symbol=owners[0])
        placed.append(problem)
    return placed


def _docstring_options(style: str) -> dict[str, Any]:
    if style == "auto":
        return {"per_style_options": {name: dict(_QUIET_TYPES) for name in _STYLES}}
    return dict(_QUIET_TYPES)


def _load_unit(
    loader: _Loader, name: str, by_path: dict[str, FoundFile], too_deep: set[str], failures: dict[str, str]
) -> Any | None:
    """One top-level package or module loaded; files nested too deeply to parse are set
    aside (into `too_deep`) and the package is loaded again without them."""
    while True:  # ends: each round withdraws at least one file, or returns
        try:
            return loader.load(name, try_relative_path=False)
        except RecursionError:
            if not _set_aside_deep(loader, name, by_path, too_deep):
                failures[name] = f"griffe could not load '{name}': nested too deeply"
                return None
        except Exception as error:  # griffe raises many kinds; each unit fails alone
            failures[name] = f"griffe could not load '{name}': {error}"
            return None


def _convert_unit(
    converter: _Converter, loader: _Loader, name: str, module: Any, too_deep: set[str], failures: dict[str, str]
) -> Symbol | None:
    """The symbol of one loaded unit; files too deep to convert are set aside as in `_load_unit`."""
    while module is not None:  # ends: each round withdraws at least one file
        try:
            return converter.module(module)
        except RecursionError:
            if not _set_aside_deep(loader, name, converter.by_path, too_deep):
                failures[name] = f"griffe could not load '{name}': nested too deeply"
                return None
            module = _load_unit(loader, name, converter.by_path, too_deep, failures)
    return None


def _set_aside_deep(loader: _Loader, name: str, by_path: dict[str, FoundFile], too_deep: set[str]) -> bool:
    """After a `RecursionError` in unit `name`: withdraw its too-deep files from the loader
    and forget the half-loaded unit. False when no file of the unit is to blame."""
    loader.modules_collection.members.pop(name, None)
    culprits = {
        path
        for path, file in by_path.items()
        if path not in too_deep and loader.unit_of(path) == name and is_too_deep(file.text)
    }
    too_deep |= culprits
    loader.accepted.difference_update(loader.root / path for path in culprits)
    return bool(culprits)


def is_too_deep(text: str, limit: int = MAX_EXPRESSION_DEPTH) -> bool:
    """Whether a module's syntax tree nests deeper than `limit` (or too deep to parse at all)."""
    try:
        tree = ast.parse(text)
    except (RecursionError, MemoryError):
        return True
    except (SyntaxError, ValueError):
        return False
    stack = [(tree, 0)]
    while stack:  # iterative: the point is not to recurse on what does not fit the stack
        node, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return False


class _AcceptedFinder(griffe.ModuleFinder):
    """griffe's module finder, held to the files docgen's finder accepted.

    griffe walks package folders itself; without this an excluded file would still be
    parsed (and a broken one could fail its whole package) and an oversized one read.
    """

    def __init__(self, accepted: set[Path], search_paths: list[str]) -> None:
        super().__init__(search_paths=search_paths)
        self.accepted = accepted

    def find_package(self, module_name: str) -> griffe.Package | griffe.NamespacePackage:
        """The package griffe would load, without the files docgen set aside."""
        package = super().find_package(module_name)
        if not isinstance(package, griffe.Package):
            return package
        stubs = package.stubs if package.stubs in self.accepted else None
        if package.path in self.accepted:
            return griffe.Package(package.name, package.path, stubs)
        if stubs is not None:
            return griffe.Package(package.name, stubs)
        if package.path.name in ("__init__.py", "__init__.pyi"):
            # Its __init__ is set aside: its modules are still documented, as a namespace.
            return griffe.NamespacePackage(package.name, [package.path.parent])
        raise ModuleNotFoundError(module_name)

    def submodules(self, module: Any) -> list[tuple[tuple[str, ...], Path]]:
        """The submodules griffe would load, without the files docgen set aside."""
        return [(parts, path) for parts, path in super().submodules(module) if path in self.accepted]


class _Loader(griffe.GriffeLoader):
    """A griffe loader whose finder only hands out accepted files (one shared set: a file
    withdrawn from it is never read again)."""

    def __init__(self, root: Path, by_path: dict[str, FoundFile], bases: tuple[str, ...], **options: Any) -> None:
        self.root = root
        self.bases = bases
        self.units = _units(by_path, bases)
        self.accepted = {root / path for path in by_path}
        self._search_paths_given = [str(root / base) if base else str(root) for base in sorted({b for b, _ in self.units})]
        super().__init__(search_paths=self._search_paths_given, **options)

    @cached_property
    def finder(self) -> griffe.ModuleFinder:
        """The module finder, sharing `accepted` with the loader."""
        return _AcceptedFinder(self.accepted, self._search_paths_given)

    def unit_of(self, path: str) -> str:
        """The top-level name of the unit a project-relative file belongs to."""
        return _unit_of(path, self.bases)[1]


class _DocstringWarnings(logging.Handler):
    """Collects what griffe logs about docstrings as `docstring` problems.

    Attached to griffe's logger only while docgen loads and converts, with propagation off
    for that time, so griffe's messages neither reach the user's terminal twice nor change
    how griffe logs for anyone else in the process.
    """

    def __init__(self, root: Path) -> None:
        super().__init__(logging.WARNING)
        self.root = root
        self.problems: list[Problem] = []
        self.context: tuple[str, str] = ("", "")  # (file, symbol id) being converted

    def emit(self, record: logging.LogRecord) -> None:
        """Record one griffe warning about a docstring (`file:line: message`); the others
        (aliases griffe cannot resolve) say nothing docgen does not report better itself."""
        located = _LOCATED.match(record.getMessage())
        if located is None or "AliasResolutionError" in located["message"]:
            return  # an annotation naming an alias griffe cannot follow: no fault of the docstring
        file, symbol = self.context
        if not file:
            file = self._relative(located["file"])
        problem = Problem("docstring", located["message"].strip(), file, int(located["line"]), symbol=symbol)
        if problem not in self.problems:
            self.problems.append(problem)

    def _relative(self, shown: str) -> str:
        path = Path(shown) if os.path.isabs(shown) else Path.cwd() / shown
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            return shown

    def capture(self) -> AbstractContextManager[None]:
        """Attach to griffe's logger for the duration of the block."""
        return capturing("griffe", self)


def _source_bases(root: Path, by_path: dict[str, FoundFile]) -> tuple[str, ...]:
    """Folders packages live under: maturin's `python-source`, then `src/` folders that are
    not packages themselves, at the root or deeper (monorepos: `packages/lib/src/lib/`)."""
    bases = []
    maturin = _maturin_source(root)
    if maturin:
        bases.append(maturin)
    sources = set()
    for path in by_path:
        folders = path.split("/")[:-1]
        if "src" in folders:
            prefix = "/".join(folders[: folders.index("src") + 1])
            if prefix + "/__init__.py" not in by_path:
                sources.add(prefix)
    bases += sorted(sources, key=lambda base: (-base.count("/"), base))  # innermost first
    return tuple(bases)


def _maturin_source(root: Path) -> str:
    """`[tool.maturin] python-source` of the project's pyproject.toml, if any."""
    try:
        with open(root / "pyproject.toml", "rb") as stream:
            data = tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError):
        return ""
    source = data.get("tool", {}).get("maturin", {}).get("python-source", "")
    return source.strip("/") if isinstance(source, str) and ".." not in source else ""


def _units(by_path: dict[str, FoundFile], bases: tuple[str, ...] = ("src",)) -> set[tuple[str, str]]:
    """(search base, top-level name) pairs: `src/` and maturin layouts, flat packages, loose scripts."""
    units = {_unit_of(path, bases) for path in by_path}
    return {(base, top) for base, top in units if top.isidentifier()}


def _unit_of(path: str, bases: tuple[str, ...]) -> tuple[str, str]:
    """The (search base, top-level name) a project-relative file belongs to."""
    base = next((b for b in bases if path.startswith(b + "/")), "")
    parts = (path[len(base) + 1 :] if base else path).split("/")
    return base, parts[0] if len(parts) > 1 else os.path.splitext(parts[0])[0]


def _public_paths(modules: Iterable[Any]) -> dict[str, str]:
    """Where each object defined in a private module is imported from publicly
    (`httpx._client.Client` -> `httpx.Client`): the shortest such path."""
    found: dict[str, str] = {}
    stack = list(modules)
    while stack:
        module = stack.pop()
        if _has_private_part(module.path + "."):  # names in a private module are not public paths
            continue
        for name, member in module.members.items():
            if not member.is_alias:
                if member.is_module:
                    stack.append(member)
                continue
            if name.startswith("_"):
                continue
            try:
                target = member.final_target.path
            except Exception:  # outside the project, or unresolvable
                continue
            public = f"{module.path}.{name}"
            if _has_private_part(target) and len(public) < len(found.get(target, public + "_")):
                found[target] = public
    return found


def _why_not_loaded(file: FoundFile, failure: str | None) -> Problem:
    """A one-line reason for a Python file griffe left out (it only logs them at DEBUG)."""
    try:
        ast.parse(file.text, filename=file.path)
    except SyntaxError as error:
        return skipped_file(file.path, f"syntax error: {error.msg}", error.lineno or 0)
    except (RecursionError, MemoryError, ValueError):
        pass  # reported below, with its unit's failure if there is one
    stem, suffix = os.path.splitext(file.path.rsplit("/", 1)[-1])
    if failure is not None:
        return skipped_file(file.path, failure)
    if suffix == ".pyi":
        return skipped_file(file.path, "a stub with no module of its package to describe")
    if not stem.isidentifier():
        return skipped_file(file.path, "not an importable module name")
    return skipped_file(file.path, "not importable: its folder is not a package (no __init__.py)")


def _extension_names(files: Iterable[FoundFile], call_graph: bool) -> tuple[str, ...]:
    """The griffe extensions these files need. griffe calls every extension on every object
    it visits, so one that cannot apply here only costs time (a fifth of the scan)."""
    files = list(files)
    names = ["ml", "calls"] if call_graph else ["ml"]
    if any("Doc(" in file.text for file in files):
        names.append("griffe_typingdoc")  # Annotated[T, Doc("...")] parameters
    if any("__main__" in file.text for file in files):
        names.append("main-block")
    if any(file.path.endswith(".pyi") for file in files):
        names.append("stub-files")
    return tuple(names)


def _extensions(names: tuple[str, ...], converter: _Converter) -> list[Any]:
    """The extensions `_extension_names` chose, ready for griffe to load."""
    own = {
        "ml": lambda: MLExtension(converter.comment),
        "calls": CallsExtension,
        "main-block": MainBlockExtension,
        "stub-files": StubFilesExtension,
    }
    return [own[name]() if name in own else name for name in names]


class _Converter:
    """Turns griffe objects into `Symbol`s, keeping only files the finder accepted."""

    def __init__(
        self, root: Path, by_path: dict[str, FoundFile], warnings: _DocstringWarnings, *, inherited_members: bool
    ) -> None:
        self.root = root
        self.by_path = by_path
        self.warnings = warnings
        self.inherited_members = inherited_members
        self.loaded: set[str] = set()
        self.public_paths: dict[str, str] = {}  # defined in a private module -> public path
        self._lines: dict[str, list[str]] = {}

    def rel(self, filepath: Any) -> str | None:
        """`filepath` relative to the project root; None for namespace packages and outsiders."""
        if isinstance(filepath, list):  # namespace packages span folders
            return None
        try:
            return Path(filepath).relative_to(self.root).as_posix()
        except ValueError:
            return None

    def module(self, module: Any) -> Symbol | None:
        """A module or package and its documented members; None when it was set aside."""
        rel = self.rel(module.filepath)
        if rel is not None and rel not in self.by_path:
            return None  # excluded, too large, or otherwise set aside by the finder
        if rel is not None:
            self.loaded.add(rel)
            stub = os.path.splitext(rel)[0] + ".pyi"
            if stub in self.by_path:  # griffe merged it into this module
                self.loaded.add(stub)
        children = []
        for member in module.members.values():
            if member.is_alias:
                child = self.reexport(member, module)
            elif member.is_module:
                child = self.module(member)
            else:
                child = self.member(member, rel or "")
            if child is not None:
                children.append(child)
        if module.is_namespace_package and not children:
            return None
        is_package = module.is_package or module.is_subpackage or module.is_namespace_package or module.is_namespace_subpackage
        lines = len(self.by_path[rel].text.splitlines()) if rel else 0
        self.warnings.context = (rel or "", module.path)
        return Symbol(
            id=module.path,
            name=module.name,
            kind="package" if is_package else "module",
            language="python",
            location=Location(rel or "", 1 if rel else 0, lines),
            docstring=self.docstring(module),
            public=_is_public(module),
            children=tuple(children),
            imports=tuple(sorted((name, str(target)) for name, target in module.imports.items())),
        )

    def reexport(self, alias: Any, module: Any) -> Symbol | None:
        """A public name a module imports from a private one (`httpx.Client`, defined in
        `httpx._client`), documented here, where users find it; else None.

        Names defined in public modules stay documented where they are defined.
        """
        if not _is_public(alias):
            return None
        try:
            target = alias.final_target
        except Exception:  # defined outside the project, or unresolvable: nothing to show
            return None
        if target.is_module or not _has_private_part(target.path):
            return None
        rel = self.rel(target.filepath)
        if rel not in self.by_path:
            return None
        symbol = self.member(target, rel)
        if symbol is None:
            return None
        # Names in its signatures mean what they mean where it is defined.
        home = target.module
        context = {name: f"{home.path}.{name}" for name, member in home.members.items() if not member.is_alias}
        context.update({name: str(path) for name, path in home.imports.items()})
        rehomed = _rehome(symbol, f"{module.path}.{alias.name}", alias.name)
        return replace(rehomed, imports=tuple(sorted(context.items())), defined_in=target.path)

    def member(self, obj: Any, rel: str) -> Symbol | None:
        """A class, function or attribute; None for kinds not rendered yet (type aliases)."""
        stub = obj.extra.get(EXTRA, {}).get("file")  # defined by a stub only
        rel = (self.rel(stub) if stub else None) or rel
        self.warnings.context = (rel, obj.path)
        if obj.is_class:
            return self.klass(obj, rel)
        if obj.is_function:
            return self.function(obj, rel)
        if obj.is_attribute:
            return self.attribute(obj, rel)
        return None

    def klass(self, cls: Any, rel: str) -> Symbol:
        """A class: its `__init__` parameters as its signature, its members, what the
        ML extension found."""
        # Members griffe synthesised (a dataclass's __init__) have no line and no page of their own.
        children = [self.member(m, rel) for m in cls.members.values() if not m.is_alias and m.lineno]
        if self.inherited_members:
            children += self.inherited(cls)
        self.warnings.context = (rel, cls.path)
        init = cls.members.get("__init__")
        params = signatures.params(init) if init is not None and init.is_function else ()
        params = tuple(p for p in params if p.name not in ("self", "cls"))
        bases = tuple(self.public_paths.get(path, path) for path in (_canonical(base) for base in cls.bases))
        # Shown as it is called, like mkdocstrings does; the bases get a line of their own.
        arguments = signatures.arguments(params)
        signature = signatures.call(f"class {cls.name}", arguments) if arguments else f"class {cls.name}"
        docstring = self.docstring(cls)
        if docstring is None and init is not None and init.is_function and not init.is_alias:
            docstring = self.docstring(init)  # numpy style often documents the class there
        found = cls.extra.get(EXTRA, {})
        return Symbol(
            id=cls.path,
            name=cls.name,
            kind="class",
            language="python",
            location=Location(rel, cls.lineno or 0, cls.endlineno or 0),
            signature=signature,
            docstring=docstring,
            params=params,
            bases=bases,
            labels=tuple(sorted(cls.labels)),
            public=_is_public(cls),
            children=tuple(child for child in children if child is not None),
            fields=found.get("fields", ()),
            model=found.get("model"),
        )

    def inherited(self, cls: Any) -> list[Symbol]:
        """Members `cls` inherits from project classes, under `cls`'s id (`inherited_members`)."""
        try:
            inherited = cls.inherited_members
        except Exception:  # bases griffe cannot resolve: nothing known to inherit
            return []
        symbols = []
        for name, alias in inherited.items():
            try:
                target = alias.final_target
            except Exception:
                continue
            rel = self.rel(target.filepath)
            if rel not in self.by_path or not target.lineno:
                continue
            symbol = self.member(target, rel)
            if symbol is None:
                continue
            rehomed = _rehome(symbol, f"{cls.path}.{name}", name)
            symbols.append(replace(rehomed, labels=tuple(sorted({*rehomed.labels, "inherited"})), defined_in=target.path))
        return symbols

    def function(self, func: Any, rel: str) -> Symbol:
        """A function or method, its signature as written."""
        params = signatures.params(func)
        returns = signatures.returns(func)
        prefix = "async def" if "async" in func.labels else "def"
        found = func.extra.get(CALLS, {})
        calls = tuple(sorted({path for path in (resolve(name, func) for name in found.get("calls", ())) if path}))
        raises = tuple(Raise(resolve(name, func) or name, message) for name, message in found.get("raises", ()))
        return Symbol(
            id=func.path,
            name=func.name,
            kind="method" if func.parent is not None and func.parent.is_class else "function",
            language="python",
            location=Location(rel, func.lineno or 0, func.endlineno or 0),
            signature=signatures.call(f"{prefix} {func.name}", signatures.arguments(params), returns),
            docstring=self.docstring(func),
            params=params,
            returns=returns,
            labels=tuple(sorted(func.labels)),
            public=_is_public(func),
            calls=calls,
            raises=raises,
        )

    def attribute(self, attr: Any, rel: str) -> Symbol:
        """A module, class or instance attribute, described by its docstring or trailing comment."""
        annotation = signatures.annotation_text(attr.annotation)
        value = _short(str(attr.value)) if attr.value is not None else ""
        signature = attr.name + (f": {annotation}" if annotation else "") + (f" = {value}" if value else "")
        docstring = self.docstring(attr)
        if docstring is None:
            comment = self.comment(attr)
            docstring = Docstring(comment, (DocSection("text", comment),)) if comment else None
        return Symbol(
            id=attr.path,
            name=attr.name,
            kind="attribute",
            language="python",
            location=Location(rel, attr.lineno or 0, attr.endlineno or 0),
            signature=signature,
            docstring=docstring,
            returns=annotation,
            value=value,
            labels=tuple(sorted(attr.labels)),
            public=_is_public(attr),
        )

    def comment(self, obj: Any) -> str:
        """The trailing `# comment` on an attribute's line (nanoGPT-style field docs)."""
        rel = self.rel(obj.filepath)
        if rel not in self.by_path or not obj.lineno:
            return ""
        lines = self._lines.get(rel)
        if lines is None:
            lines = self._lines[rel] = self.by_path[rel].text.splitlines()
        if obj.lineno > len(lines):
            return ""
        return trailing_comment(lines[obj.lineno - 1])

    def docstring(self, obj: Any) -> Docstring | None:
        """`obj`'s docstring parsed into sections (griffe's warnings become problems)."""
        if obj.docstring is None or not obj.docstring.value.strip():
            return None
        sections = tuple(s for s in (_section(section) for section in obj.docstring.parsed) if s)
        return Docstring(obj.docstring.value, sections, obj.docstring.lineno or 0)


def _has_private_part(path: str) -> bool:
    """Whether a dotted path goes through a private module or class (`pkg._impl.Thing`)."""
    return any(part.startswith("_") and not part.startswith("__") for part in path.split(".")[:-1])


def _rehome(symbol: Symbol, new_id: str, name: str) -> Symbol:
    """`symbol` and its members under a new id (hashes recomputed)."""
    old = symbol.id
    children = tuple(_rehome(child, new_id + child.id[len(old) :], child.name) for child in symbol.children)
    return replace(symbol, id=new_id, name=name, children=children)


def trailing_comment(line: str) -> str:
    """The text of a `#` comment ending `line`, ignoring `#` inside strings."""
    if "#" not in line:
        return ""
    try:
        for token in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline):
            if token.type == tokenize.COMMENT:
                return token.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return ""  # a line of a multi-line statement: no reliable comment
    return ""


def _section(section: Any) -> DocSection | None:
    kind = section.kind.value
    value = section.value
    if kind == "text":
        return DocSection("text", value)
    if kind in ("parameters", "other parameters", "attributes", "type parameters"):
        items = tuple(
            DocItem(item.name, _text(item.annotation), item.description, _text(getattr(item, "default", None)))
            for item in value
        )
        return DocSection(kind, items=items)
    if kind in ("returns", "yields", "receives", "raises", "warns"):
        items = tuple(
            DocItem(getattr(item, "name", "") or "", _text(item.annotation), item.description) for item in value
        )
        return DocSection(kind, items=items)
    if kind == "examples":
        parts = [f"```pycon\n{text}\n```" if part.value == "examples" else text for part, text in value]
        return DocSection("examples", "\n\n".join(parts))
    if kind == "admonition":
        return DocSection("admonition", value.description, title=section.title or value.annotation or "")
    if kind == "deprecated":
        return DocSection("admonition", value.description, title=f"Deprecated {value.version or ''}".strip())
    return None


def _canonical(expr: Any) -> str:
    """The fully qualified name an expression refers to, when griffe can tell."""
    return getattr(expr, "canonical_path", None) or str(expr)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_public(obj: Any) -> bool:
    try:
        return bool(obj.is_public)
    except Exception:  # griffe may need to resolve aliases to answer; assume by the name
        return not obj.name.startswith("_") or obj.name.startswith("__")
