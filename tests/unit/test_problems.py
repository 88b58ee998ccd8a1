"""The Problem record and its renderers."""

from __future__ import annotations

import json

from docgen.problems import Problem, render, unique


def test_text_json_and_github_renderings() -> None:
    problem = Problem("broken-reference", "unresolved reference `x`", "src/pkg/mod.py", 12, symbol="pkg.mod.f")
    assert render(problem) == "warning: src/pkg/mod.py:12: unresolved reference `x`"
    assert json.loads(render(problem, "json")) == {
        "code": "broken-reference",
        "message": "unresolved reference `x`",
        "file": "src/pkg/mod.py",
        "line": 12,
        "severity": "warning",
        "symbol": "pkg.mod.f",
    }
    assert render(problem, "github") == (
        "::warning file=src/pkg/mod.py,line=12,title=docgen broken-reference::unresolved reference `x`"
    )


def test_github_annotations_cannot_be_ended_or_forged_by_their_text() -> None:
    # A file name or message from the repository must not close the command or start another.
    problem = Problem("skipped", "bad\n::error::forged 100%", "a,b:c.py", 3)
    line = render(problem, "github")
    assert "\n" not in line
    assert line == "::warning file=a%2Cb%3Ac.py,line=3,title=docgen skipped::bad%0A::error::forged 100%25"


def test_problems_round_trip_and_repeat_once() -> None:
    problem = Problem("mkdocs", "Doc file 'a.md' contains a link", "docs/a.md")
    assert Problem.from_dict(problem.as_dict()) == problem
    assert unique([problem, Problem("mkdocs", "Doc file 'a.md' contains a link", "docs/a.md"), problem]) == [problem]
