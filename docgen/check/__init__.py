"""`docgen check`: what is wrong with a project's documentation, each problem at its
file and line, without building the site.

It reports public symbols without docs (and coverage per module and overall: the rule of
`docgen scan`), drift between docstrings and signatures (`drift`), cross-references that
resolve to nothing and links in the user's Markdown that lead nowhere, and committed guides
and docstring drafts whose evidence changed since they were drafted. With a base revision
it keeps only the problems the change introduced (`introduced`).
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.check.coverage import Coverage, measure_coverage
from docgen.check.drift import drift_problems
from docgen.check.markdown_links import broken_links
from docgen.config import Config, check_root
from docgen.problems import Problem, unique

# Scan problems a check repeats: why a file was not read, or read in part, and griffe's
# docstring warnings (documented parameters the signature lacks, among others).
SCAN_CODES = ("skipped", "read-in-part", "docstring", "internal", "unsafe-path")


@dataclass
class CheckReport:
    """What `docgen check` found: the problems and the coverage they leave."""

    coverage: Coverage
    problems: list[Problem] = field(default_factory=list)
    base: str = ""  # the revision compared with, under --new-only
    left_out: int = 0  # problems the base already had, not shown under --new-only
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        """Problems per code."""
        counts: dict[str, int] = {}
        for problem in self.problems:
            counts[problem.code] = counts.get(problem.code, 0) + 1
        return dict(sorted(counts.items()))

    def failures(self, fail_under: float | None, strict: bool) -> list[str]:
        """Why the check fails under `--fail-under` (a percentage) and `--strict`, if it does."""
        failures = []
        if fail_under is not None and self.coverage.share * 100 < fail_under:
            failures.append(f"coverage {self.coverage.share:.1%} is under --fail-under {fail_under:g}%")
        failing = sum(1 for problem in self.problems if problem.fails_strict)
        if strict and failing:
            failures.append(f"{failing} problem{'s' * (failing != 1)} in strict mode")
        return failures

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data (the shape of `--format json`)."""
        return {
            "coverage": {
                "share": round(self.coverage.share, 4),
                "public": self.coverage.public,
                "documented": self.coverage.documented,
                "modules": [
                    {"module": m.module, "file": m.file, "public": m.public, "documented": m.documented, "share": round(m.share, 4)}
                    for m in self.coverage.modules
                ],
            },
            "counts": self.counts(),
            "problems": [problem.as_dict() for problem in self.problems],
            "base": self.base,
            "left_out": self.left_out,
            "seconds": round(self.seconds, 3),
        }


def check_project(config: Config) -> CheckReport:
    """Every documentation problem of the project `config` describes, as it is on disk."""
    from docgen.build import stale_drafts
    from docgen.cache import load_pages
    from docgen.generate.external_links import load_external_links
    from docgen.generate.reference import RenderOptions, plan_pages, render_pages
    from docgen.scan import scan
    from docgen.scan.finder import find_files

    start = time.perf_counter()
    check_root(config.root)
    found = find_files(config)
    project = scan(config, found, keep_scan=True, call_graph=True)
    options = RenderOptions.of(config)
    external, external_problems = load_external_links(config)  # as the build links, so the same references break
    planned = plan_pages(project, options, external)
    rendered = render_pages(project, options, reuse=load_pages(config.cache_path), plan=planned)
    coverage = measure_coverage(project, config.show_private)
    site_pages = {*planned[0], *(d.path for d in project.documents), "index.md"}  # committed guides are documents
    problems = [
        *(p for p in project.problems if p.code in SCAN_CODES),
        *coverage.undocumented,
        *drift_problems(project, config.show_private),
        *rendered.broken_references,
        *external_problems,
        *broken_links(project.documents, config.root, config.docs_dir, site_pages),
        *stale_drafts(config, project, found, planned[1]),
    ]
    return CheckReport(coverage, _ordered(unique(problems)), seconds=time.perf_counter() - start)


def introduced(report: CheckReport, base: CheckReport, revision: str) -> CheckReport:
    """`report` with only the problems `base` did not have. Problems are matched by what
    they say and of which file and symbol, not by line: code moving down a file is no new
    problem."""
    known = {_identity(problem) for problem in base.problems}
    kept = [problem for problem in report.problems if _identity(problem) not in known]
    return CheckReport(report.coverage, kept, revision, len(report.problems) - len(kept), report.seconds)


def check_revision(config: Config, revision: str) -> CheckReport:
    """The check of the project as it was at git `revision`, read from git's objects (the
    working tree is never touched), with the project's current settings."""
    from dataclasses import replace

    from docgen.check.revisions import extract_revision

    with tempfile.TemporaryDirectory(prefix="docgen-base-") as scratch:
        tree = extract_revision(config.root, revision, Path(scratch, "tree"))
        return check_project(replace(config, root=tree))


def _identity(problem: Problem) -> tuple[str, str, str, str]:
    return problem.code, problem.file, problem.symbol, problem.message


def _ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line, p.code, p.message))
