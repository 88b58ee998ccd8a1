"""The shell of `action.yml` run as the runner would run it (bash, the step's env, the
files GitHub Actions provides), on a pull request made here: the check annotates and
records its status, the comment holds the diff and the check's summary, and the last step
fails the job only when the check failed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = {step["name"]: step for step in ACTION["runs"]["steps"]}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, str]:
    """A repository whose pull request adds an undocumented function; its base commit."""
    root = tmp_path / "repo"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text('"""Tools."""\n\n\ndef old(x):\n    return x\n', encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD").strip()
    (root / "pkg" / "__init__.py").write_text('"""Tools."""\n\n\ndef old(x):\n    return x\n\n\ndef new(y):\n    return y\n', encoding="utf-8")
    git(root, "commit", "-q", "-am", "add new")
    return root, base


def run_step(name: str, root: Path, tmp_path: Path, values: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run one step's script with its env, `${{ expression }}` replaced from `values`."""
    step = STEPS[name]
    env = {key: re.sub(r"\$\{\{\s*(.+?)\s*\}\}", lambda m: values[m.group(1)], str(value)) for key, value in step.get("env", {}).items()}
    runner = {
        "RUNNER_TEMP": str(tmp_path / "runner"),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    (tmp_path / "runner").mkdir(exist_ok=True)
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=root, env={**os.environ, **runner, **env}, capture_output=True, text=True)


def outputs(tmp_path: Path) -> dict[str, str]:
    lines = (tmp_path / "output").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_a_pull_request_that_adds_a_problem_is_annotated_commented_and_failed(pull_request: tuple[Path, str], tmp_path: Path) -> None:
    root, base = pull_request
    values = {
        "inputs.path": ".",
        "inputs.fail-under": "",
        "inputs.new-only": "true",
        "inputs.strict": "true",
        "github.event.pull_request.base.sha": base,
    }
    check = run_step("Check the docs", root, tmp_path, values)
    assert check.returncode == 0, check.stderr  # the status is recorded; the job fails last
    assert "::warning file=pkg/__init__.py,line=8,title=docgen undocumented::function `pkg.new` has no docstring" in check.stdout
    assert "pkg.old" not in check.stdout  # there before the pull request
    assert outputs(tmp_path)["status"] == "1"

    compare = run_step("Compare the API with the base", root, tmp_path, values)
    assert compare.returncode == 0, compare.stderr
    comment = (tmp_path / "runner" / "docgen-comment.md").read_text(encoding="utf-8")
    assert comment.startswith("<!-- docgen diff -->\n## docgen: documentation and API changes")
    assert "- `pkg.new`" in comment and "## docgen check" in comment

    fail = run_step("Fail when the check failed", root, tmp_path, {"steps.check.outputs.status": outputs(tmp_path)["status"]})
    assert fail.returncode == 1 and "::error title=docgen::docgen check failed (exit 1)" in fail.stdout


def test_a_clean_pull_request_passes(pull_request: tuple[Path, str], tmp_path: Path) -> None:
    root, _ = pull_request
    head = git(root, "rev-parse", "HEAD").strip()
    values = {"inputs.path": ".", "inputs.fail-under": "", "inputs.new-only": "true", "inputs.strict": "true", "github.event.pull_request.base.sha": head}
    assert run_step("Check the docs", root, tmp_path, values).returncode == 0
    assert outputs(tmp_path)["status"] == "0"
