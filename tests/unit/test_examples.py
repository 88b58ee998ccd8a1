"""`verify.run_examples`: drafted Python blocks run in real subprocesses; the ones that fail
or time out are dropped like a reference to nothing, the ones that need other packages are
kept unrun."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from docgen.generate.prose.examples import ExampleRunner, runner_for
from docgen.generate.prose.verify import names_for
from tests.unit.test_guides import OVERVIEW_ANSWER, TROUBLESHOOTING_ANSWER, ScriptedLLM, scanned
from tests.unit.test_guides_usage import FAQ_ANSWER, HOW_TO_ANSWER, TUTORIAL, run, usage_project

PASSES = "from shop.pay import validate\n\nassert validate(2) == 2\nprint('ok')"
FAILS = 'from shop.pay import charge\n\ncharge("", 1)'  # raises PaymentError
SLEEPS = "import time\n\ntime.sleep(30)"
NEEDS_A_PACKAGE = "import yaml\n\nprint(yaml.safe_dump({'a': 1}))"


def steps(*codes: str) -> dict:
    return {"introduction": "Try it.", "steps": [{"explanation": f"Part {n}.", "code": code} for n, code in enumerate(codes, 1)]}


class CountingRunner(ExampleRunner):
    runs = 0

    def _run(self, code: str) -> str:
        self.runs += 1
        return super()._run(code)


def draft_tutorial(root: Path, answer: dict, timeout: float = 30.0):
    config, project, index, names, readme, usage = usage_project(root)
    found = runner_for(project, timeout)
    runner = CountingRunner(found.project, found.source_folders, found.timeout)
    answers = [OVERVIEW_ANSWER, answer, answer, TROUBLESHOOTING_ANSWER, FAQ_ANSWER, HOW_TO_ANSWER, HOW_TO_ANSWER]
    result = run(root, ScriptedLLM(answers), examples=runner)
    return next(page.text for page in result.pages if page.path == TUTORIAL), result, runner


def test_a_passing_block_is_kept_a_failing_one_dropped(tmp_path: Path) -> None:
    tutorial, result, runner = draft_tutorial(tmp_path, steps(PASSES, FAILS))
    assert "assert validate(2) == 2" in tutorial
    assert 'charge("", 1)' not in tutorial and "Part 2." in tutorial  # its explanation stays
    assert [(p.code, p.message) for p in result.problems] == [
        ("unverified", "dropped drafted text: a code block failed when run: shop.errors.PaymentError: no card given for 1")
    ]
    assert runner.runs == 3  # each block once (the how-tos' too), however often it was checked


def test_a_block_that_runs_too_long_is_stopped_and_dropped(tmp_path: Path) -> None:
    start = time.monotonic()
    tutorial, result, _ = draft_tutorial(tmp_path, steps(PASSES, SLEEPS), timeout=1.0)
    assert time.monotonic() - start < 15
    assert "time.sleep" not in tutorial and "validate(2)" in tutorial
    assert [p.message for p in result.problems] == ["dropped drafted text: a code block did not finish in 1 s"]


def test_a_block_that_needs_another_package_is_kept_unrun(tmp_path: Path) -> None:
    config, project, index, _, readme, usage = usage_project(tmp_path)
    names = names_for(project, index, frozenset({"yaml"}))  # a declared dependency
    runner = runner_for(project, 30.0)
    assert not runner.runnable(NEEDS_A_PACKAGE) and runner.run(NEEDS_A_PACKAGE) == ""
    assert runner.check(f"```python\n{NEEDS_A_PACKAGE}\n```", []) == []
    assert names.resolves("yaml.safe_dump")


def test_a_block_runs_isolated_in_an_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config, project, *_ = usage_project(tmp_path / "shop")
    monkeypatch.setenv("MY_API_KEY", "sk-secret")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "elsewhere"))
    runner = runner_for(project, 30.0)
    assert runner.source_folders == ((tmp_path / "shop").resolve(),)
    assert runner.run("import os\nassert 'MY_API_KEY' not in os.environ\nassert 'docgen-example-' in os.getcwd()") == ""
    assert "KeyError: 'MY_API_KEY'" in runner.run("import os\nos.environ['MY_API_KEY']")
    assert runner.run("open('written.txt', 'w').write('x')") == ""
    assert not (tmp_path / "shop/written.txt").exists() and not list((tmp_path / "shop").rglob("*.pyc"))
    assert runner.run("import sys\nprint('x' * 2_000_000, file=sys.stderr)") == "wrote more than 1,000,000 bytes"


def test_a_src_layout_is_importable_and_relative_imports_are_not_run(tmp_path: Path) -> None:
    (tmp_path / "src/tiny").mkdir(parents=True)
    (tmp_path / "src/tiny/__init__.py").write_text('"""Tiny."""\n\n\ndef answer() -> int:\n    """The answer."""\n    return 42\n')
    _, project, *_ = scanned(tmp_path)
    runner = runner_for(project, 30.0)
    assert runner.source_folders == ((tmp_path / "src").resolve(),)
    assert runner.run("from tiny import answer\nassert answer() == 42") == ""
    assert runner.run("from tiny import answer\nassert answer() == 41").startswith("failed when run: AssertionError")
    assert not runner.runnable("from . import answer")
    # The project needs a package this environment lacks: the block is not to blame, and stays.
    (tmp_path / "src/tiny/heavy.py").write_text('"""Heavy."""\nimport not_installed_anywhere\n')
    assert runner.run("import tiny.heavy") == ""
    assert runner.run("import tiny.missing").startswith("failed when run: ModuleNotFoundError")
