"""`docgen scan`'s inventory: what a scan found, counted for people and scripts."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from docgen.check.coverage import measure_coverage
from docgen.model import Project, reference_symbols
from docgen.problems import CODES, Problem

# How `docgen scan` titles the problems it lists, in this order; other codes follow.
GROUPS = (
    ("skipped", "Skipped files"),
    ("read-in-part", "Files read in part"),
    ("unsafe-path", "Links out of the project, not followed"),
    ("internal", "Files docgen failed on (please report)"),
    ("docstring", "Docstring problems"),
)


@dataclass
class Inventory:
    """Files per language, symbols per kind, documentation coverage, and the scan's problems."""

    files: dict[str, int] = field(default_factory=dict)
    symbols: dict[str, int] = field(default_factory=dict)
    public: int = 0
    documented: int = 0
    problems: list[dict[str, object]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def coverage(self) -> float:
        """Share of the symbols the reference documents (pages excluded) that have a
        docstring or doc comment."""
        return self.documented / self.public if self.public else 1.0

    def as_dict(self) -> dict:
        """The inventory as plain data."""
        return {**asdict(self), "coverage": round(self.coverage, 4)}

    def lines(self) -> list[str]:
        """The inventory for people."""
        out = ["Files:   " + _counts(self.files), "Symbols: " + _counts(self.symbols)]
        out.append(f"Documented: {self.documented} of {self.public} public symbols ({self.coverage:.0%})")
        grouped = dict(GROUPS)
        for code, title in (*GROUPS, *((code, f"Other problems ({code})") for code in CODES if code not in grouped)):
            problems = [p for p in self.problems if p["code"] == code]
            if problems:
                out.append(f"{title} ({len(problems)}):")
                out += [f"  {Problem.from_dict(p)}" for p in problems]
        return out


def take_inventory(project: Project, seconds: float = 0.0, show_private: bool = False) -> Inventory:
    """Count what `project` holds; coverage over what the reference documents."""
    symbols = list(project.walk())
    coverage = measure_coverage(project, show_private)
    return Inventory(
        files=dict(sorted(Counter(f.language for f in project.files).items())),
        symbols=dict(sorted(Counter(s.kind for s in symbols).items())),
        public=coverage.public,
        documented=coverage.documented,
        problems=[problem.as_dict() for problem in project.problems],
        seconds=round(seconds, 3),
    )


def symbol_rows(project: Project, show_private: bool = False) -> list[dict[str, object]]:
    """One row per symbol of `project`, depth first: id, kind, language, file, lines,
    `public` (documented in the reference, by the rule the pages follow) and `documented`
    (it has a docstring or doc comment)."""
    shown = {id(symbol) for symbol in reference_symbols(project, show_private)}
    return [
        {
            "id": symbol.id,
            "kind": symbol.kind,
            "language": symbol.language,
            "file": symbol.location.file,
            "lines": [symbol.location.start, symbol.location.end],
            "public": id(symbol) in shown,
            "documented": symbol.docstring is not None,
        }
        for symbol in project.walk()
    ]


def _counts(counter: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counter.items()) or "none"
