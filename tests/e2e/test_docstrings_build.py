"""Docstring drafts through `docgen build`: drafted with the guides under one model (a
scripted one, then SmolLM2-135M in llama.cpp), shown on the site's reference pages,
committed as a file docgen owns, and exported as a patch that applies."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.generate.llm.models import SMOLLM2
from tests.e2e.test_guides_build import Links
from tests.unit.test_docstrings import ANSWER, IDS, write_files
from tests.unit.test_guides import ScriptedLLM

STORE = "docs/guides/docstrings.json"
TROUBLESHOOTING = {"errors": [{"number": 1, "cause": "Too little money.", "fix": "Take less."}]}
OVERVIEW = {"purpose": "A ledger.", "entry_points": [], "flows": []}


def build(root: Path, *args: str) -> dict:
    result = CliRunner().invoke(main, ["build", str(root), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch):
    """Builds draft with a scripted model (set its answers); counts how often it is opened."""
    import docgen.generate.llm as llm

    state = {"answers": [], "opened": 0}

    def open_llm(settings, root):
        if settings.backend == "none":
            return None
        state["opened"] += 1
        model = ScriptedLLM(state["answers"])
        model.answers = state["answers"]  # shared: what one build used is gone for the next
        return model

    monkeypatch.setattr(llm, "open_llm", open_llm)
    monkeypatch.setenv("DOCGEN_LLM", "llama-cpp")
    return state


def test_a_build_drafts_shows_and_then_keeps_the_drafts(tmp_path: Path, scripted: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ledger"
    write_files(root)
    scripted["answers"] += [OVERVIEW, TROUBLESHOOTING, ANSWER]
    report = build(root)
    assert scripted["opened"] == 1 and report["llm"]["calls"] == 3  # one model for guides and docstrings
    assert report["docstrings_drafted"] == IDS and report["docstrings"] == 4
    assert "4 docstring drafts (0 drafted)" in CliRunner().invoke(main, ["build", str(root), "--force"]).stdout
    page = (root / "site/reference/ledger/accounts/index.html").read_text(encoding="utf-8")
    assert "Drafted by scripted:test; not in the source" in page and "Take <code>amount</code> out of the account." in page
    assert json.loads((root / STORE).read_text(encoding="utf-8"))["drafts"].keys() == set(IDS)
    assert not (root / "site/guides/docstrings.json").read_text(encoding="utf-8").count("<")

    assert build(root)["status"] == "unchanged"
    monkeypatch.setenv("DOCGEN_LLM", "none")  # CI: the committed drafts, no model
    (root / "ledger/errors.py").write_text('"""What can go wrong, and why."""\n\n\nclass Overdrawn(Exception):\n    """Too little money."""\n')
    report = build(root)
    assert report["llm"]["calls"] == 0 and report["docstrings"] == 4 and scripted["opened"] == 1
    assert "Drafted by scripted:test" in (root / "site/reference/ledger/accounts/index.html").read_text(encoding="utf-8")

    # Every symbol documented in the source: the drafts file goes, as docgen wrote it.
    accounts = root / "ledger/accounts.py"
    text = accounts.read_text(encoding="utf-8")
    for header in ("class Account:\n", "    def withdraw(self, amount: int) -> int:\n", "def rate(currency: str):\n"):
        indent = " " * (len(header) - len(header.lstrip()) + 4)
        text = text.replace(header, f'{header}{indent}"""Documented."""\n')
    accounts.write_text(text.replace("-> None:\n    source", '-> None:\n    """Documented."""\n    source'), encoding="utf-8")
    report = build(root)
    assert report["docstrings"] == 0 and not (root / STORE).exists()


def test_guides_come_first_within_a_budget(tmp_path: Path, scripted: dict) -> None:
    root = tmp_path / "ledger"
    write_files(root)
    scripted["answers"] += [OVERVIEW, TROUBLESHOOTING]
    report = build(root, "--llm-budget", "250")  # each scripted call costs 150 tokens
    assert report["llm"]["calls"] == 2 and report["docstrings_drafted"] == []
    assert [p["message"] for p in report["problems"] if p["code"] == "stale-docstring"] == ["4 docstrings not drafted: the llm budget is spent"]
    assert not (root / STORE).exists()


def test_a_drafts_file_that_is_not_docgens_is_left_alone(tmp_path: Path, scripted: dict) -> None:
    root = tmp_path / "ledger"
    write_files(root)
    (root / "docs/guides").mkdir(parents=True)
    (root / STORE).write_text('{"mine": true}\n', encoding="utf-8")
    scripted["answers"] += [OVERVIEW, TROUBLESHOOTING]
    report = build(root)
    assert report["llm"]["calls"] == 2 and report["docstrings"] == 0
    assert [p["code"] for p in report["problems"] if p["file"] == STORE] == ["docstring-drafts"]
    assert (root / STORE).read_text(encoding="utf-8") == '{"mine": true}\n'


def test_docstrings_drafted_by_a_real_model_shown_and_patched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCGEN_LLM")
    root = tmp_path / "ledger"
    write_files(root)
    (root / "docgen.toml").write_text('[llm]\nbackend = "llama-cpp"\nmodel = "smollm2"\ncontext = 4096\n', encoding="utf-8")
    report = build(root)
    assert report["llm"]["model"] == f"llama-cpp:{SMOLLM2.model_id}" and report["llm"]["calls"] >= 2
    assert not [p for p in report["problems"] if p["code"] in ("broken-reference", "llm", "docstring-drafts")]
    drafts = json.loads((root / STORE).read_text(encoding="utf-8"))["drafts"]
    assert drafts and set(drafts) <= set(IDS) and report["docstrings_drafted"] == sorted(drafts, key=IDS.index)
    page = (root / "site/reference/ledger/accounts/index.html").read_text(encoding="utf-8")
    assert "Drafted by llama-cpp:" in page
    links = Links()
    links.feed(page)
    assert links.scripts == 0
    assert build(root)["status"] == "unchanged"

    patch = CliRunner().invoke(main, ["docstrings", str(root), "--patch"])
    assert patch.exit_code == 0 and patch.stdout.startswith("--- a/ledger/accounts.py\n")
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    done = subprocess.run(["git", "apply", "-"], cwd=copy, input=patch.stdout, text=True, capture_output=True)
    assert done.returncode == 0, done.stderr
    tree = ast.parse((copy / "ledger/accounts.py").read_text(encoding="utf-8"))
    documented = {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node)}
    assert {symbol.rsplit(".", 1)[-1] for symbol, entry in drafts.items() if entry["fields"]["summary"]} <= documented
