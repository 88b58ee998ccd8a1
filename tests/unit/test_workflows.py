"""Checks of the GitHub Actions workflows: schema, security audit, and what the docs one does.

check-jsonschema and zizmor run from the environment of the tests, so the checks need no
network and no tools beyond the dev dependencies.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])
ACTION = ROOT / "action.yml"
BIN = Path(sys.executable).parent


def tool(name: str) -> Path:
    """The executable `name` installed next to the running Python (the `test` extra has it)."""
    candidate = BIN / name
    assert candidate.exists(), f"{name} is not installed in {BIN}: install docgen with its 'test' extra"
    return candidate


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run a checker from the repository root and capture what it says."""
    # NO_COLOR keeps escape codes out of the output shown when a check fails.
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [str(a) for a in args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def load(path: Path) -> dict:
    """A workflow file as data. PyYAML reads the key `on` as True, so it is put back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def test_there_are_workflows() -> None:
    assert WORKFLOWS / "docs.yml" in WORKFLOW_FILES
    assert WORKFLOWS / "ci.yml" in WORKFLOW_FILES


def test_the_action_matches_the_schema() -> None:
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", ACTION)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_matches_the_schema(path: Path) -> None:
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_the_security_audit() -> None:
    # --offline: no GitHub API calls, so the audit runs the same on a laptop and in CI.
    result = run(tool("zizmor"), "--offline", "--no-progress", WORKFLOWS, ACTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout, result.stdout


def test_docs_workflow_builds_on_push_to_main_and_deploys_to_pages() -> None:
    workflow = load(WORKFLOWS / "docs.yml")
    assert workflow["name"] == "docs"
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {}

    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert any(step.get("run") == "make site" for step in build["steps"])
    uploads = [
        step
        for step in build["steps"]
        if step.get("uses", "").startswith("actions/upload-pages-artifact@")
    ]
    assert [step["with"]["path"].rstrip("/") for step in uploads] == ["site"]

    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in deploy["steps"])


def steps(path: Path) -> list[dict]:
    """Every step of a workflow's jobs, or of a composite action."""
    data = load(path)
    if "runs" in data:
        return data["runs"]["steps"]
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("path", [*WORKFLOW_FILES, ACTION], ids=lambda p: p.name)
def test_actions_are_pinned_to_commits(path: Path) -> None:
    for step in steps(path):
        if "uses" in step and not step["uses"].startswith("./"):
            _, _, ref = step["uses"].partition("@")
            assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), step["uses"]


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_checkouts_do_not_keep_credentials(path: Path) -> None:
    for job in load(path)["jobs"].values():
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False


def test_ci_runs_the_tests_and_checks_pull_requests_with_docgens_own_action() -> None:
    workflow = load(WORKFLOWS / "ci.yml")
    assert "pull_request" in workflow["on"] and workflow["permissions"] == {}
    test, docs = workflow["jobs"]["test"], workflow["jobs"]["docs"]
    assert test["permissions"] == {"contents": "read"}
    assert any(step.get("run") == "make test" for step in test["steps"])
    assert docs["if"] == "github.event_name == 'pull_request'"
    assert docs["permissions"] == {"contents": "read", "pull-requests": "write"}
    checkout, action = docs["steps"]
    assert checkout["with"]["fetch-depth"] == 0
    assert action["uses"] == "./"


def test_the_action_never_expands_inputs_inside_a_script() -> None:
    # Inputs and event fields reach scripts through env only: `${{ }}` in `run:` would be
    # pasted into the shell as code (template injection).
    for step in steps(ACTION):
        assert "${{" not in step.get("run", ""), step.get("name")
    action = load(ACTION)
    assert {"path", "fail-under", "new-only", "llm", "llm-endpoint", "comment"} <= action["inputs"].keys()
    names = [step.get("name") for step in action["runs"]["steps"]]
    assert names.index("Check the docs") < names.index("Comment on the pull request") < names.index("Fail when the check failed")
