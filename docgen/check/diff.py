"""`docgen diff`: the API change between two revisions of a project, for a pull request.

Both sides are read with docgen's own scan, so every language is compared by symbol id:
symbols added, removed and changed, the reference pages that change with them, and the
coverage before and after. Breaking changes are called out: removed public symbols,
removed or reordered parameters, changed defaults, removed OpenAPI operations and
required fields, fields newly required. For Python, griffe's `find_breaking_changes`
decides (it also knows parameter kinds and return types).

Revisions are read from git's objects (`docgen.check.revisions`). griffe's `load_git` is
not used: it adds a branch and a worktree to the user's repository while it runs.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from docgen.check.coverage import measure_coverage
from docgen.config import Config
from docgen.model import PAGE_KINDS, Project, Symbol, in_reference, reference_symbols
from docgen.publish.sanitize import code_span, escape_text

MARKER = "<!-- docgen diff -->"  # how the Action finds its own pull-request comment
SHOWN = 30  # symbols listed per group in Markdown; the JSON has them all


@dataclass(frozen=True)
class Breakage:
    """One change that can break code using the API."""

    symbol: str
    kind: str  # "removed", "parameter removed", "parameter moved", "default changed"...
    detail: str
    file: str = ""
    line: int = 0


@dataclass
class ApiDiff:
    """What changed between `base` and `head`."""

    base: str
    head: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    breaking: list[Breakage] = field(default_factory=list)
    pages_added: list[str] = field(default_factory=list)
    pages_changed: list[str] = field(default_factory=list)
    pages_removed: list[str] = field(default_factory=list)
    coverage_before: float = 1.0
    coverage_after: float = 1.0

    def as_dict(self) -> dict[str, Any]:
        """The diff as plain data."""
        return asdict(self)

    def json(self) -> str:
        """The diff as `docgen diff --json` prints it."""
        return json.dumps(self.as_dict(), indent=2)

    def markdown(self) -> str:
        """The diff as a pull-request comment, starting with the marker the Action finds it by."""
        delta = (self.coverage_after - self.coverage_before) * 100
        lines = [
            MARKER,
            "## docgen: documentation and API changes",
            "",
            f"Comparing {code_span(self.base)} with {code_span(self.head)}.",
            "",
            f"- Coverage: {self.coverage_before:.1%} → {self.coverage_after:.1%} ({delta:+.1f} points)",
            f"- Symbols: {len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed",
            f"- Reference pages: {len(self.pages_added)} added, {len(self.pages_changed)} changed, {len(self.pages_removed)} removed",
            "",
        ]
        if self.breaking:
            lines += [f"### ⚠️ {len(self.breaking)} breaking change{'s' * (len(self.breaking) != 1)}", ""]
            lines += [f"- {code_span(b.symbol)}: {b.kind}{f' ({escape_text(b.detail)})' if b.detail else ''}" for b in self.breaking[:SHOWN]]
            lines += _more(len(self.breaking)) + [""]
        else:
            lines += ["No breaking changes.", ""]
        for title, ids in (("Added", self.added), ("Removed", self.removed), ("Changed", self.changed)):
            if ids:
                lines += [f"<details><summary>{title} ({len(ids)})</summary>", ""]
                lines += [f"- {code_span(symbol)}" for symbol in ids[:SHOWN]] + _more(len(ids)) + ["", "</details>", ""]
        return "\n".join(lines).rstrip() + "\n"


def diff_revisions(config: Config, base: str, head: str | None) -> ApiDiff:
    """The change from git revision `base` to `head` (None: the working tree as it is)."""
    from docgen.check.revisions import extract_revision, resolve

    with tempfile.TemporaryDirectory(prefix="docgen-diff-") as scratch:
        old_root = extract_revision(config.root, base, Path(scratch, "base"))
        new_root = extract_revision(config.root, head, Path(scratch, "head")) if head else config.root
        old, new = _scan(replace(config, root=old_root)), _scan(replace(config, root=new_root))
        result = diff_projects(old, new, config)
        result.breaking += python_breakages(old, new, old_root, new_root)
        result.breaking.sort(key=lambda b: (b.symbol, b.kind))
    result.base = f"{base} ({resolve(config.root, base)[:12]})"
    result.head = f"{head} ({resolve(config.root, head)[:12]})" if head else "the working tree"
    return result


def _scan(config: Config) -> Project:
    from docgen.scan import scan

    return scan(config, keep_scan=False)


def diff_projects(old: Project, new: Project, config: Config) -> ApiDiff:
    """Symbols, pages and coverage compared by id; the breaking changes of every language
    but Python (see `python_breakages`)."""
    from docgen.generate.reference import RenderOptions, plan_pages

    before = {s.id: s for s in reference_symbols(old, config.show_private)}
    after = {s.id: s for s in reference_symbols(new, config.show_private)}
    result = ApiDiff("", "")
    # A class added or removed is one change, not one per member.
    added, removed = after.keys() - before.keys(), before.keys() - after.keys()
    result.added = sorted(i for i in added if not _inside(i, added))
    result.removed = sorted(i for i in removed if not _inside(i, removed))
    result.changed = sorted(i for i in before.keys() & after.keys() if _shown(before[i]) != _shown(after[i]))
    for symbol_id in result.removed:
        symbol = before[symbol_id]
        if symbol.language != "python":
            result.breaking.append(Breakage(symbol_id, "removed", f"a public {symbol.kind}", symbol.location.file, symbol.location.start))
    for symbol_id in sorted(before.keys() & after.keys()):
        if before[symbol_id].language != "python":
            result.breaking += _signature_breakages(before[symbol_id], after[symbol_id])
    options = RenderOptions.of(config)
    old_pages, new_pages = plan_pages(old, options)[0], plan_pages(new, options)[0]
    result.pages_added = sorted(new_pages.keys() - old_pages.keys())
    result.pages_removed = sorted(old_pages.keys() - new_pages.keys())
    result.pages_changed = sorted(p for p in old_pages.keys() & new_pages.keys() if _on_page(old_pages[p], config.show_private) != _on_page(new_pages[p], config.show_private))
    result.coverage_before = measure_coverage(old, config.show_private).share
    result.coverage_after = measure_coverage(new, config.show_private).share
    return result


def _shown(symbol: Symbol) -> tuple:
    """What a symbol's own entry shows (its members count as symbols of their own)."""
    return symbol.kind, symbol.signature, symbol.docstring.raw if symbol.docstring else None, symbol.params, symbol.returns, symbol.fields


def _on_page(symbol: Symbol, show_private: bool) -> list[tuple]:
    """What a page shows of its symbol and its members; of a member with a page of its
    own (a package's modules), the link and summary."""
    shown = [_shown(symbol)]
    for child in symbol.children:
        if not in_reference(child, show_private):
            continue
        if child.kind in PAGE_KINDS:
            shown.append((child.id, child.docstring.summary if child.docstring else ""))
        else:
            shown += _on_page(child, show_private)
    return shown


def _inside(symbol_id: str, ids: set[str]) -> bool:
    """Whether one of the symbols `symbol_id` lies inside is in `ids` too."""
    return any(symbol_id[:match.start()] in ids for match in _SEPARATOR.finditer(symbol_id))


_SEPARATOR = re.compile(r"(?<=[^.:])(?:\.|::)")


def _signature_breakages(old: Symbol, new: Symbol) -> list[Breakage]:
    """Parameters removed, moved or given another default; OpenAPI fields removed while
    required, or newly required."""
    found = []

    def breakage(kind: str, detail: str) -> None:
        found.append(Breakage(new.id, kind, detail, new.location.file, new.location.start))

    old_names, new_names = [p.name for p in old.params], [p.name for p in new.params]
    new_params = {p.name: p for p in new.params}
    for position, param in enumerate(old.params):
        if param.name not in new_params:
            breakage("parameter removed", param.name)
            continue
        if param.default != new_params[param.name].default and param.default:
            breakage("parameter default changed", f"{param.name}: {param.default} → {new_params[param.name].default or 'no default'}")
        if "required" not in param.annotation and "required" in new_params[param.name].annotation:
            breakage("parameter now required", param.name)
    kept_old = [name for name in old_names if name in new_params]
    kept_new = [name for name in new_names if name in set(kept_old)]
    if kept_old != kept_new:
        breakage("parameters reordered", f"{', '.join(kept_old)} → {', '.join(kept_new)}")
    new_fields = {f.name: f for f in new.fields}
    for old_field in old.fields:
        required = "required" in old_field.annotation.split(", ")
        if old_field.name not in new_fields:
            if required:
                breakage("required field removed", old_field.name)
        elif not required and "required" in new_fields[old_field.name].annotation.split(", "):
            breakage("field now required", old_field.name)
    return found


def python_breakages(old: Project, new: Project, old_root: Path, new_root: Path) -> list[Breakage]:
    """griffe's breaking changes between the Python packages of both sides, loaded
    statically from their folders."""
    import griffe

    found: list[Breakage] = []
    new_tops = {s.id: s for s in new.symbols if s.language == "python"}
    # griffe names what changed where it is defined (`httpx._client.Client.__init__`); the
    # reference shows it where it is exported (`httpx.Client.__init__`).
    exported = {s.defined_in: s.id for project in (old, new) for s in project.walk() if s.defined_in and s.public}
    for top in old.symbols:
        if top.language != "python" or not top.public:
            continue
        if top.id not in new_tops:
            found.append(Breakage(top.id, "removed", f"a public {top.kind}", top.location.file, top.location.start))
            continue
        try:
            with _quiet_griffe():
                before = _load(griffe, top, old_root)
                after = _load(griffe, new_tops[top.id], new_root)
                breakages = list(griffe.find_breaking_changes(before, after))
        except Exception as error:  # noqa: BLE001 - one package griffe cannot compare leaves the rest
            found.append(Breakage(top.id, "not compared", f"griffe could not load it: {type(error).__name__}"))
            continue
        for breakage in breakages:
            path = _exported_path(breakage.obj.path, exported)
            if not any(part.startswith("_") and not part.startswith("__") for part in path.split(".")):
                found.append(Breakage(path, breakage.kind.value.lower(), _griffe_detail(breakage), _griffe_file(breakage, top), breakage.obj.lineno or 0))
    return found


def _exported_path(path: str, exported: dict[str, str]) -> str:
    """`path` as the reference shows it: through the export of it, or of what it lies in."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        public = exported.get(".".join(parts[:cut]))
        if public is not None:
            return ".".join([public, *parts[cut:]])
    return path


def _load(griffe: Any, top: Symbol, root: Path) -> Any:
    """One package as griffe reads it statically (never imported: no inspection)."""
    return griffe.load(top.id, search_paths=[root / _search_path(top)], allow_inspection=False, resolve_aliases=True, resolve_external=False)


def _search_path(top: Symbol) -> str:
    """The folder a top-level package or module is imported from (`src` for `src/pkg/`)."""
    parts = Path(top.location.file).parts
    depth = len(top.id.split(".")) + (1 if top.kind == "package" else 0)
    return str(Path(*parts[:-depth])) if len(parts) > depth else "."


def _griffe_detail(breakage: Any) -> str:
    old, new = breakage.old_value, breakage.new_value
    name = getattr(old, "name", None) or getattr(new, "name", None)
    if breakage.kind.name == "PARAMETER_CHANGED_DEFAULT":
        return f"{name}: {old.default} → {new.default}"
    if breakage.kind.name == "OBJECT_REMOVED":
        return f"a public {getattr(old, 'kind', 'object')}".replace("Kind.", "").lower()
    return str(name or "")


def _griffe_file(breakage: Any, top: Symbol) -> str:
    try:
        return str(breakage.obj.relative_filepath)
    except (ValueError, AttributeError):
        return top.location.file


class _quiet_griffe:
    """griffe's log is left out while both sides load: check reports the current side's
    docstring warnings, and the base's are history."""

    def __enter__(self) -> None:
        import logging

        self.logger = logging.getLogger("griffe")
        self.level = self.logger.level
        self.logger.setLevel(logging.CRITICAL)

    def __exit__(self, *exc: object) -> None:
        self.logger.setLevel(self.level)


def _more(count: int) -> list[str]:
    return [f"- … and {count - SHOWN} more (see the JSON report)"] if count > SHOWN else []
