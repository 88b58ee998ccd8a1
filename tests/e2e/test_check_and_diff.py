"""`docgen check` and `docgen diff` end to end, on a git repository made here with two
commits: the second adds an undocumented function, drops a parameter the docstring still
documents, and removes a public class."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from docgen.cli import main

SARIF_SCHEMA = Path(__file__).parents[1] / "fixtures" / "sarif" / "github-sarif-2.1.0.schema.json"

BASE = '''"""Shapes and their areas."""


def area(width: float, height: float) -> float:
    """The area of a rectangle.

    Args:
        width: How wide.
        height: How tall.
    """
    return width * height


def old_helper(x):
    return x


class Circle:
    """A circle."""

    def __init__(self, radius: float) -> None:
        self.radius = radius
'''

HEAD = '''"""Shapes and their areas."""


def area(width: float) -> float:
    """The area of a square.

    Args:
        width: How wide.
        height: How tall.
    """
    return width * width


def old_helper(x):
    return x


def perimeter(width, height):
    return 2 * (width + height)
'''
HEIGHT_LINE = 9  # `height: How tall.`, documented but no longer taken
PERIMETER_LINE = 18
OLD_HELPER_LINE = 14


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "pkg").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "pkg" / "__init__.py").write_text('"""Geometry."""\n', encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Geometry\n\nSee [the guide](guide.md).\n", encoding="utf-8")
    (root / "pkg" / "shapes.py").write_text(BASE, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "test@example.com")
    git(root, "config", "user.name", "test")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    (root / "pkg" / "shapes.py").write_text(HEAD, encoding="utf-8")
    git(root, "commit", "-q", "-am", "head")
    return root


def docgen(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_check_finds_each_problem_at_its_line_in_text(repo: Path) -> None:
    result = docgen("check", str(repo))
    assert result.exit_code == 0, result.output  # neither --strict nor --fail-under
    lines = result.output.splitlines()
    assert f"warning: pkg/shapes.py:{PERIMETER_LINE}: function `pkg.shapes.perimeter` has no docstring" in lines
    assert f"warning: pkg/shapes.py:{OLD_HELPER_LINE}: function `pkg.shapes.old_helper` has no docstring" in lines
    assert any(line.startswith(f"warning: pkg/shapes.py:{HEIGHT_LINE}: ") and "'height'" in line for line in lines), lines
    assert "warning: docs/index.md:3: link to `guide.md`, which does not exist" in lines
    assert "Documented: 1 of 3 public symbols (33.3%)" in result.output


def test_check_speaks_github_annotations_json_and_valid_sarif(repo: Path, tmp_path: Path) -> None:
    github = docgen("check", str(repo), "--format", "github").output
    assert f"::warning file=pkg/shapes.py,line={PERIMETER_LINE},title=docgen undocumented::function `pkg.shapes.perimeter` has no docstring" in github

    report = json.loads(docgen("check", str(repo), "--format", "json").output)
    located = {(p["code"], p["file"], p["line"]) for p in report["problems"]}
    assert {("undocumented", "pkg/shapes.py", PERIMETER_LINE), ("docstring", "pkg/shapes.py", HEIGHT_LINE)} <= located
    assert report["coverage"]["share"] == pytest.approx(1 / 3, abs=1e-4)
    assert report["coverage"]["modules"] == [
        {"module": "pkg.shapes", "file": "pkg/shapes.py", "public": 3, "documented": 1, "share": pytest.approx(0.3333, abs=1e-4)}
    ]

    sarif_file = tmp_path / "docgen.sarif"
    assert docgen("check", str(repo), "--format", "sarif", "--output", str(sarif_file)).exit_code == 0
    sarif = json.loads(sarif_file.read_text(encoding="utf-8"))
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    results = sarif["runs"][0]["results"]
    rules = [rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]]
    perimeter = next(r for r in results if "perimeter" in r["message"]["text"])
    assert perimeter["locations"][0]["physicalLocation"]["region"]["startLine"] == PERIMETER_LINE
    assert rules[perimeter["ruleIndex"]] == perimeter["ruleId"] == "undocumented"


def test_new_only_keeps_just_what_the_change_introduced(repo: Path) -> None:
    report = json.loads(docgen("check", str(repo), "--format", "json", "--new-only", "--base", "HEAD~1").output)
    assert sorted((p["code"], p["line"]) for p in report["problems"]) == [("docstring", HEIGHT_LINE), ("undocumented", PERIMETER_LINE)]
    assert report["left_out"] == 2  # old_helper and the broken link were there before
    assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""  # the base was never checked out
    assert git(repo, "worktree", "list").count("\n") == 1


def test_exit_code_follows_fail_under_and_strict(repo: Path) -> None:
    assert docgen("check", str(repo), "--fail-under", "30").exit_code == 0
    failed = docgen("check", str(repo), "--fail-under", "40")
    assert failed.exit_code == 1 and "coverage 33.3% is under --fail-under 40%" in failed.output
    assert docgen("check", str(repo), "--strict").exit_code == 1
    assert docgen("check", str(repo), "--new-only", "--base", "HEAD", "--strict").exit_code == 0  # nothing new since HEAD


def test_check_appends_a_summary_for_github(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    docgen("check", str(repo), "--format", "github")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## docgen check\n")
    assert "| `undocumented` | 2 |" in text and "| `pkg.shapes` | 33% | 1/3 |" in text


def test_a_revision_that_does_not_exist_is_one_line(repo: Path) -> None:
    result = docgen("check", str(repo), "--new-only", "--base", "no-such-branch")
    assert result.exit_code == 4
    assert result.output.strip().splitlines() == [
        f"error: {repo}: 'no-such-branch' names no commit of this repository (a shallow clone may lack it: fetch it first)"
    ]


def test_diff_reports_exactly_the_breaking_changes(repo: Path) -> None:
    report = json.loads(docgen("diff", str(repo), "--base", "HEAD~1", "--head", "HEAD", "--json").output)
    assert sorted((b["symbol"], b["kind"], b["detail"]) for b in report["breaking"]) == [
        ("pkg.shapes.Circle", "public object was removed", "a public class"),
        ("pkg.shapes.area", "parameter was removed", "height"),
    ]
    assert report["added"] == ["pkg.shapes.perimeter"]
    assert report["removed"] == ["pkg.shapes.Circle"]
    assert report["changed"] == ["pkg.shapes.area"]
    assert report["pages_changed"] == ["reference/pkg/shapes.md"]
    assert report["coverage_before"] == pytest.approx(2 / 4) and report["coverage_after"] == pytest.approx(1 / 3)


def test_diff_markdown_is_a_comment_the_action_can_find(repo: Path) -> None:
    markdown = docgen("diff", str(repo), "--base", "HEAD~1").output  # against the working tree
    assert markdown.startswith("<!-- docgen diff -->\n## docgen")
    assert "### ⚠️ 2 breaking changes" in markdown
    assert "- `pkg.shapes.area`: parameter was removed (height)" in markdown
    assert "Coverage: 50.0% → 33.3% (-16.7 points)" in markdown


def test_new_only_and_base_go_together_and_need_git(repo: Path, tmp_path: Path) -> None:
    assert docgen("check", str(repo), "--base", "HEAD~1").exit_code == 2
    assert docgen("check", str(repo), "--new-only").exit_code == 2
    plain = tmp_path / "plain"
    (plain / "pkg").mkdir(parents=True)
    (plain / "pkg" / "__init__.py").write_text('"""Not in git."""\n', encoding="utf-8")
    result = docgen("diff", str(plain), "--base", "HEAD")
    assert result.exit_code == 4 and result.output.startswith(f"error: {plain}: git rev-parse failed: fatal: not a git repository")


def test_breaking_changes_are_named_where_the_package_exports_them(tmp_path: Path) -> None:
    root = tmp_path / "exported"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text('"""Clients."""\nfrom pkg._client import Client\n\n__all__ = ["Client"]\n', encoding="utf-8")
    client = root / "pkg" / "_client.py"
    client.write_text('class Client:\n    """A client."""\n\n    def __init__(self, proxies=None, timeout=5):\n        """Open."""\n', encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", "-A")
    git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "one")
    client.write_text('class Client:\n    """A client."""\n\n    def __init__(self, timeout=5):\n        """Open."""\n', encoding="utf-8")
    report = json.loads(docgen("diff", str(root), "--base", "HEAD", "--json").output)
    assert [(b["symbol"], b["kind"], b["detail"]) for b in report["breaking"]] == [
        ("pkg.Client.__init__", "parameter was removed", "proxies"),
        ("pkg.Client.__init__", "positional parameter was moved", "timeout"),
    ]


SPEC = """openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      summary: List pets.
      parameters:
        - {name: limit, in: query, schema: {type: integer, default: 10}}
      responses:
        "200": {description: The pets.}
  /pets/{id}:
    delete:
      operationId: deletePet
      summary: Delete a pet.
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: Gone.}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tag: {type: string}
"""


def test_diff_calls_out_breaking_changes_of_an_openapi_spec_and_c(tmp_path: Path) -> None:
    root = tmp_path / "api"
    root.mkdir()
    (root / "openapi.yaml").write_text(SPEC, encoding="utf-8")
    (root / "pets.h").write_text("/** Feed a pet. */\nint feed(int pet, int grams);\n\n/** Old. */\nint groom(int pet);\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", "-A")
    git(root, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "one")
    changed = SPEC.replace("      required: [name]\n", "      required: [name, tag]\n").replace("default: 10", "default: 20")
    changed = changed[: changed.index("  /pets/{id}:")] + changed[changed.index("components:") :]
    (root / "openapi.yaml").write_text(changed.replace("        name: {type: string}\n", ""), encoding="utf-8")
    (root / "pets.h").write_text("/** Feed a pet. */\nint feed(int grams, int pet);\n", encoding="utf-8")
    report = json.loads(docgen("diff", str(root), "--base", "HEAD", "--json").output)
    breaking = sorted((b["symbol"].split("::")[-1], b["kind"], b["detail"]) for b in report["breaking"])
    assert breaking == [
        ("DELETE /pets/{id}", "removed", "a public operation"),
        ("GET /pets", "parameter default changed", "limit: 10 → 20"),
        ("Pet", "field now required", "tag"),
        ("Pet", "required field removed", "name"),
        ("feed", "parameters reordered", "pet, grams → grams, pet"),
        ("groom", "removed", "a public function"),
    ]
