"""`docgen docstrings`: what the docstring drafts file holds, against the code as it is now.

Each entry is `current` (drafted from what its symbol still is), `stale` (its symbol
changed since), `documented` (the source has a docstring of its own now: the next build
drops the draft), `gone` (no undocumented function, method or class of the reference has
that id) or `set aside` (not a draft docgen can read). The patch adds the current and
stale drafts to the source (see `docgen.generate.prose.docstring_patch`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from docgen.config import Config
from docgen.errors import InputError
from docgen.generate.prose.docstring_patch import Patch, make_patch
from docgen.generate.prose.docstring_store import DocstringDraft, clean, read_store_file
from docgen.generate.prose.docstring_plan import documented_ids, plan_docstrings
from docgen.generate.prose.docstrings import store_path
from docgen.generate.prose.prompts import DOCSTRING
from docgen.model import Symbol
from docgen.problems import Problem
from docgen.scan import scan
from docgen.scan.finder import find_files


@dataclass(frozen=True)
class DraftRow:
    """One entry of the drafts file, and where its symbol is."""

    id: str
    status: str  # current, stale, documented, gone, set aside
    file: str = ""
    line: int = 0
    model: str = ""
    edited: bool = False
    empty: bool = False  # nothing of it passed the verifier: not shown, not in the patch


@dataclass
class DraftsReport:
    """The drafts file's entries, and the drafts that can go into a patch."""

    store: str  # the file, relative to the project root
    exists: bool = False
    rows: list[DraftRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    patchable: list[tuple[Symbol, DocstringDraft]] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """One line per entry, for people."""
        if not self.exists:
            return [f"No docstring drafts: {self.store} does not exist (`docgen build` drafts them)."]
        out = []
        for row in self.rows:
            where = f"{row.file}:{row.line}" if row.file else "-"
            out.append(f"{row.id}  {where}  {row.status}" + (", edited" if row.edited else "") + (", empty" if row.empty else ""))
        counts: dict[str, int] = {}
        for row in self.rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items())) or "none"
        out.append(f"{len(self.rows)} docstring drafts in {self.store}: {summary}.")
        return out

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data (`--json`)."""
        return {
            "store": self.store,
            "exists": self.exists,
            "drafts": [asdict(row) for row in self.rows],
            "problems": [problem.as_dict() for problem in self.problems],
        }

    def patch(self, style: str) -> Patch:
        """The diff that adds every current and stale draft to the source."""
        return make_patch(self.sources, self.patchable, style)


def report_drafts(config: Config) -> DraftsReport:
    """The drafts file of the project `config` describes, checked against a fresh scan.
    Raises InputError when the file cannot be read as docgen's."""
    path = store_path(config.guides_dir)
    shown = f"{config.docs_dir.strip('/')}/{path}"
    report = DraftsReport(shown)
    store = read_store_file(config.docs_path / path, shown)
    if store is None:
        return report
    if store.unreadable:
        problem = store.problems[0]
        raise InputError(problem.message, file=problem.file, line=problem.line or None)
    report.exists = True
    report.problems += store.problems
    found = find_files(config)
    project = scan(config, found)
    report.sources = {file.path: file.text for file in found.files if file.language == "python"}
    plans = {plan.symbol.id: plan for plan in plan_docstrings(project, report.sources, config.show_private)}
    documented = documented_ids(project)
    for symbol_id in sorted(store.raw):
        shown_id = clean(symbol_id)
        draft = store.drafts.get(symbol_id)
        if draft is None:
            report.rows.append(DraftRow(shown_id, "set aside"))
            continue
        plan = plans.get(symbol_id)
        if plan is None:
            status = "documented" if symbol_id in documented else "gone"
            report.rows.append(DraftRow(shown_id, status, model=draft.model, edited=draft.edited, empty=draft.empty))
            continue
        current = draft.evidence == plan.evidence and draft.prompt == DOCSTRING.id
        location = plan.symbol.location
        status = "current" if current else "stale"
        report.rows.append(DraftRow(shown_id, status, location.file, location.start, draft.model, draft.edited, draft.empty))
        report.patchable.append((plan.symbol, draft))
        if not current:
            message = f"the draft of {symbol_id} was drafted before its symbol changed: review it (`docgen build` drafts it again unless edited)"
            report.problems.append(Problem("stale-docstring", message, location.file, location.start, symbol=symbol_id))
    return report
