"""`docgen check`'s report as people, scripts and GitHub read it: text, JSON, workflow
annotations, SARIF 2.1.0 (code scanning) and the Markdown of a job summary."""

from __future__ import annotations

import json
from typing import Any

from docgen import __version__
from docgen.check import CheckReport
from docgen.check.coverage import ModuleCoverage
from docgen.problems import CODES, ERROR, WARNING, Problem, render
from docgen.publish.sanitize import code_span, escape_text

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
WORST_MODULES = 10  # the least documented modules a text report or summary lists


def format_report(report: CheckReport, format: str) -> str:
    """The whole report in `format`: `text`, `json`, `github` (workflow annotations) or `sarif`."""
    if format == "json":
        return json.dumps(report.as_dict(), indent=2)
    if format == "sarif":
        return json.dumps(sarif(report), indent=2)
    lines = [render(problem, format) for problem in report.problems]
    if format == "text":
        lines += _coverage_lines(report)
    lines.append(summary_line(report))
    return "\n".join(lines)


def summary_line(report: CheckReport) -> str:
    """One line: the coverage and the problems per code."""
    coverage = report.coverage
    counts = ", ".join(f"{count} {code}" for code, count in report.counts().items()) or "no problems"
    new = f" introduced since {report.base} ({report.left_out} older not shown)" if report.base else ""
    return f"Documented: {coverage.documented} of {coverage.public} public symbols ({coverage.share:.1%}); {counts}{new}"


def _least_documented(report: CheckReport) -> list[ModuleCoverage]:
    """The `WORST_MODULES` modules with the smallest documented share, fully documented ones left out."""
    return sorted((m for m in report.coverage.modules if m.documented < m.public), key=lambda m: (m.share, m.module))[:WORST_MODULES]


def _coverage_lines(report: CheckReport) -> list[str]:
    worst = _least_documented(report)
    if not worst:
        return []
    return ["Least documented:", *(f"  {m.share:6.1%}  {m.documented}/{m.public}  {m.module} ({m.file})" for m in worst)]


def sarif(report: CheckReport) -> dict[str, Any]:
    """The problems as a SARIF 2.1.0 log, as GitHub code scanning takes it: one rule per
    code, one result per problem located by file and line."""
    codes = sorted({problem.code for problem in report.problems})
    rules = [{"id": code, "name": code.title().replace("-", ""), "shortDescription": {"text": CODES.get(code, code)}} for code in codes]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "docgen", "version": __version__, "rules": rules}},
                "results": [_result(problem, codes.index(problem.code)) for problem in report.problems],
            }
        ],
    }


def _result(problem: Problem, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": problem.code,
        "ruleIndex": rule_index,
        "level": {ERROR: "error", WARNING: "warning"}.get(problem.severity, "note"),
        "message": {"text": problem.message},
    }
    if problem.file:
        location: dict[str, Any] = {"artifactLocation": {"uri": problem.file, "uriBaseId": "%SRCROOT%"}}
        if problem.line:
            location["region"] = {"startLine": problem.line}
        result["locations"] = [{"physicalLocation": location}]
    if problem.symbol:
        result["partialFingerprints"] = {"docgenSymbol/v1": f"{problem.code}:{problem.symbol}"}
    return result


def step_summary(report: CheckReport) -> str:
    """The report as Markdown for `$GITHUB_STEP_SUMMARY`: the coverage, the problems per
    code and the least documented modules. Untrusted text (messages, names) is kept out of
    Markdown's way in code spans."""
    lines = ["## docgen check", "", escape_text(summary_line(report)), ""]
    if report.problems:
        lines += ["| problem | count |", "|---|---:|", *(f"| `{code}` | {count} |" for code, count in report.counts().items()), ""]
    worst = _least_documented(report)
    if worst:
        lines += ["| least documented | share | documented |", "|---|---:|---:|"]
        lines += [f"| {code_span(m.module.replace('|', '/'))} | {m.share:.0%} | {m.documented}/{m.public} |" for m in worst]
    return "\n".join(lines) + "\n"
