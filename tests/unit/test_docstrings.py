"""Docstring drafts: planned from the real scan of a small project, drafted through a
scripted model (the prose is fake; the scan, the verifier, the drafts file, the pages,
the patch, git and griffe are real)."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import textwrap
import threading
from pathlib import Path
from typing import Any

import griffe
import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.config import load_config
from docgen.generate.llm import Completion, Usage
from docgen.generate.prose import docstring_plan
from docgen.generate.prose.docstring_store import read_store, read_store_file, store_text
from docgen.generate.prose.docstring_plan import documented_ids, plan_docstrings
from docgen.generate.prose.docstrings import draft_docstrings, store_path
from docgen.generate.prose.guides import DraftCache
from docgen.generate.prose.verify import names_for
from docgen.generate.reference import RenderOptions, render_pages
from docgen.scan import scan
from docgen.scan.finder import find_files
from tests.unit.test_guides import ScriptedLLM

FILES = {
    "ledger/__init__.py": '''
        """A small ledger of accounts."""
    ''',
    "ledger/errors.py": '''
        """What can go wrong."""


        class Overdrawn(Exception):
            """An account has too little money."""
    ''',
    "ledger/accounts.py": '''
        """Accounts and their balances."""
        import functools

        from ledger.errors import Overdrawn


        class Account:
            def __init__(self, owner: str, balance: int = 0) -> None:
                self.owner = owner
                self.balance = balance

            def withdraw(self, amount: int) -> int:
                if amount > self.balance:
                    raise Overdrawn(f"cannot take {amount}")
                self.balance -= amount
                return self.balance

            def deposit(self, amount: int) -> None:
                """Add `amount` to the balance."""
                self.balance += amount


        def transfer(source: Account, target: Account, amount: int, *notes: str) -> None:
            source.withdraw(amount * rate("EUR"))
            target.deposit(amount)


        @functools.lru_cache
        def rate(currency: str):
            return 1.0


        def _helper():
            return None
    ''',
}
IDS = ["ledger.accounts.Account", "ledger.accounts.Account.withdraw", "ledger.accounts.transfer", "ledger.accounts.rate"]
ANSWER = {
    "Account": {"summary": "A named account holding a balance.", "params": {"owner": "Who owns it.", "balance": "What it starts with."}},
    "Account.withdraw": {
        "summary": "Take `amount` out of the account.",
        "params": {"amount": "How much to take."},
        "returns": "The balance left.",
        "raises": {"Overdrawn": "When the balance is too small."},
    },
    "transfer": {"summary": "Move money from `source` to `target`.", "params": {"source": "Pays.", "target": "Is paid.", "amount": "How much.", "notes": "Remarks."}},
    "rate": {"summary": "The exchange rate of a currency.", "params": {"currency": "Its code."}, "returns": "The rate."},
}
SHOWN = "docs/guides/docstrings.json"


class SchemaLLM(ScriptedLLM):
    """A scripted model that also keeps the schema of each call."""

    def __init__(self, answers: list[Any]) -> None:
        super().__init__(answers)
        self.schemas: list[dict[str, Any]] = []

    def complete(self, messages, *, max_tokens, schema=None):
        self.schemas.append(schema)
        return super().complete(messages, max_tokens=max_tokens, schema=schema)


def write_files(root: Path, files: dict[str, str] = FILES) -> None:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def scanned(root: Path):
    config = load_config(root, overrides={"llm": "llama-cpp"})  # a backend: the scan reads the call graph
    found = find_files(config)
    project = scan(config, found)
    index = render_pages(project, RenderOptions()).index
    sources = {f.path: f.text for f in found.files if f.language == "python"}
    return config, project, index, sources


def run(root: Path, model, **options):
    """Draft the docstrings of the project at `root` against its drafts file, and write
    the file as a build would."""
    config, project, index, sources = scanned(root)
    plans = plan_docstrings(project, sources)
    target = config.docs_path / store_path(config.guides_dir)
    result = draft_docstrings(
        plans,
        read_store_file(target, SHOWN),
        names_for(project, index, frozenset()),
        lambda: model,
        project="ledger",
        documented=documented_ids(project),
        shown=SHOWN,
        **options,
    )
    if result.text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(result.text, encoding="utf-8")
    elif result.text == "":
        target.unlink()
    return result


class ConcurrentLLM(SchemaLLM):
    """Answers each call from `ANSWER` by its schema, once `together` calls are in flight."""

    def __init__(self, together: int) -> None:
        super().__init__([])
        self.meeting = threading.Barrier(together, timeout=10)

    def complete(self, messages, *, max_tokens, schema=None):
        self.meeting.wait()  # BrokenBarrierError, and no draft, when the calls come one at a time
        answer = {key: ANSWER.get(key, {"summary": "Check an account."}) for key in schema["properties"]}
        return Completion(json.dumps(answer), Usage(100, 50), 0.01)


def test_workers_draft_the_batches_of_two_modules_at_once(tmp_path: Path) -> None:
    write_files(tmp_path, {**FILES, "ledger/audit.py": "def audit(account):\n    return account\n"})
    result = run(tmp_path, ConcurrentLLM(together=2), workers=2)
    assert result.stats.calls == 2 and result.problems == []
    assert result.drafted == [*IDS, "ledger.audit.audit"]  # in plan order, whichever answered first
    assert result.drafts["ledger.audit.audit"].summary == "Check an account."


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_undocumented_functions_methods_and_classes_of_the_reference_get_a_draft(tmp_path: Path) -> None:
    write_files(tmp_path)
    _, project, _, sources = scanned(tmp_path)
    plans = {plan.symbol.id: plan for plan in plan_docstrings(project, sources)}
    assert list(plans) == IDS  # documented ones, private ones and __init__ are left out
    withdraw = plans["ledger.accounts.Account.withdraw"]
    assert withdraw.key == "Account.withdraw" and withdraw.params == ("amount",) and withdraw.returns
    assert withdraw.raises == (("Overdrawn", "ledger.errors.Overdrawn"),)
    assert "raise Overdrawn(f\"cannot take {amount}\")" in withdraw.facts and "Signature: `def withdraw(" in withdraw.facts
    assert plans["ledger.accounts.Account"].params == ("owner", "balance") and not plans["ledger.accounts.Account"].returns
    assert not plans["ledger.accounts.transfer"].returns  # annotated None
    assert plans["ledger.accounts.rate"].returns  # no annotation, but it returns a value
    assert "Calls: `ledger.accounts.rate`\n" in plans["ledger.accounts.transfer"].facts
    assert "Signature: `def transfer(source: Account, target: Account, amount: int, *notes: str) -> None`" in plans["ledger.accounts.transfer"].facts


def test_symbols_of_a_module_share_a_call_and_the_schema_names_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path)
    model = SchemaLLM([ANSWER])
    result = run(tmp_path, model)
    assert result.stats.calls == 1 and result.drafted == IDS and result.problems == []
    schema = model.schemas[0]
    assert list(schema["properties"]) == ["Account", "Account.withdraw", "transfer", "rate"]
    withdraw = schema["properties"]["Account.withdraw"]
    assert list(withdraw["properties"]["params"]["properties"]) == ["amount"]
    assert list(withdraw["properties"]["raises"]["properties"]) == ["Overdrawn"]
    assert "returns" not in schema["properties"]["transfer"]["properties"]
    assert all(s["maxLength"] <= 200 for s in _strings(schema))
    facts = model.prompts[0][1]["content"]
    assert "Module `ledger.accounts`: Accounts and their balances." in facts
    assert "Class `ledger.accounts.Account`: (undocumented)" in facts

    # Fewer to a call: the same drafts, in more calls.
    for path in (tmp_path / "docs").rglob("*.json"):
        path.unlink()
    monkeypatch.setattr(docstring_plan, "BATCH", 3)
    model = SchemaLLM([{k: ANSWER[k] for k in list(ANSWER)[:3]}, {"rate": ANSWER["rate"]}])
    assert run(tmp_path, model).drafted == IDS and model.answers == []


def _strings(schema: Any) -> list[dict[str, Any]]:
    if isinstance(schema, dict):
        if schema.get("type") == "string":
            return [schema]
        return [s for value in schema.values() for s in _strings(value)]
    return []


def test_a_reference_to_nothing_is_retried_then_dropped(tmp_path: Path) -> None:
    write_files(tmp_path)
    invented = dict(ANSWER, transfer={"summary": "Move money. Then call `ledger.magic.boost` on it.", "params": {}})
    model = ScriptedLLM([invented, invented])
    result = run(tmp_path, model)
    assert result.stats.calls == 2
    assert "ledger.magic.boost" in model.prompts[1][-1]["content"]  # the retry said what was wrong
    assert result.drafts["ledger.accounts.transfer"].summary == "Move money."
    assert [(p.code, p.file) for p in result.problems] == [("unverified", SHOWN)]


def test_a_draft_with_nothing_left_is_kept_and_not_asked_for_again(tmp_path: Path) -> None:
    write_files(tmp_path)
    unusable = {key: value for key, value in ANSWER.items() if key != "rate"}  # the model left one out
    unusable["transfer"] = {"summary": "Calls `ledger.nowhere`.", "params": {}}
    result = run(tmp_path, ScriptedLLM([unusable, unusable]))
    assert result.drafts["ledger.accounts.rate"].empty and result.drafts["ledger.accounts.transfer"].empty
    again = run(tmp_path, ScriptedLLM([]))
    assert again.stats.calls == 0 and again.problems == []
    _, project, _, _ = scanned(tmp_path)
    page = {p.path: p.markdown for p in render_pages(project, RenderOptions(), drafts=again.drafts).pages}["reference/ledger/accounts.md"]
    assert page.count("Drafted by") == 2


def test_the_drafts_file_round_trips_sorted_one_field_a_line(tmp_path: Path) -> None:
    write_files(tmp_path)
    hostile = dict(ANSWER, rate={"summary": "A rate <b>&</b>, \u202egnp.exe\u202c \x1b[31mred."})
    result = run(tmp_path, ScriptedLLM([hostile]))
    text = (tmp_path / SHOWN).read_text(encoding="utf-8")
    assert text == result.text and text.endswith("}\n")
    data = json.loads(text)
    assert list(data) == ["docgen", "drafts"] and list(data["drafts"]) == sorted(IDS)
    assert text.count('\n    "ledger.') == len(IDS)  # one entry per symbol, each on lines of its own
    assert '\n          "amount": "How much to take."' in text
    assert "<" not in text and "&" not in text and "\\u003cb\\u003e" in text  # inert if served as a page
    assert "\u202e" not in text and "\x1b" not in text
    store = read_store(text, SHOWN)
    assert store.drafts == result.drafts and store.problems == []
    assert store_text(store.raw) == text
    assert store.lines["ledger.accounts.rate"] == text[: text.index('"ledger.accounts.rate"')].count("\n") + 1


def test_drafts_a_build_did_not_get_to_write_cost_no_call_again(tmp_path: Path) -> None:
    write_files(tmp_path)
    cache = DraftCache(tmp_path / ".docgen/drafts.json")
    first = run(tmp_path, ScriptedLLM([ANSWER]), cache=cache)
    (tmp_path / SHOWN).unlink()  # the build failed later: its docs were put back as they were
    again = run(tmp_path, ScriptedLLM([]), cache=DraftCache(tmp_path / ".docgen/drafts.json"))
    assert again.stats.calls == 0 and again.stats.cached == 4 and again.drafts == first.drafts
    assert (tmp_path / SHOWN).read_text(encoding="utf-8") == first.text


def test_a_build_with_nothing_changed_makes_no_call(tmp_path: Path) -> None:
    write_files(tmp_path)
    run(tmp_path, ScriptedLLM([ANSWER]))
    before = (tmp_path / SHOWN).read_text(encoding="utf-8")
    again = run(tmp_path, ScriptedLLM([]))
    assert again.stats.calls == 0 and again.stats.cached == 4 and again.drafted == [] and again.problems == []
    assert (tmp_path / SHOWN).read_text(encoding="utf-8") == before


def test_an_edited_entry_is_never_drafted_over_and_is_reported_stale(tmp_path: Path) -> None:
    write_files(tmp_path)
    run(tmp_path, ScriptedLLM([ANSWER]))
    store = tmp_path / SHOWN
    edit(store, "Take `amount` out of the account.", "Withdraw `amount`, as my team says it.")
    edited = store.read_text(encoding="utf-8")
    edit(tmp_path / "ledger/accounts.py", "raise Overdrawn(f\"cannot take {amount}\")", "raise Overdrawn(\"too little\")")
    result = run(tmp_path, ScriptedLLM([]))  # nothing may be drafted
    assert result.stats.calls == 0 and store.read_text(encoding="utf-8") == edited
    assert result.drafts["ledger.accounts.Account.withdraw"].summary == "Withdraw `amount`, as my team says it."
    stale = [p for p in result.problems if p.code == "stale-docstring"]
    assert len(stale) == 1 and "edited by hand" in stale[0].message and "ledger.accounts.Account.withdraw changed" in stale[0].message
    assert stale[0].where == f"{SHOWN}:{_line(store, 'ledger.accounts.Account.withdraw')}"


def test_editing_one_function_drafts_only_its_entry_again(tmp_path: Path) -> None:
    write_files(tmp_path)
    run(tmp_path, ScriptedLLM([ANSWER]))
    before = json.loads((tmp_path / SHOWN).read_text(encoding="utf-8"))["drafts"]
    edit(tmp_path / "ledger/accounts.py", "    target.deposit(amount)\n", "    target.deposit(amount)\n    print(notes)\n")
    model = SchemaLLM([{"transfer": {"summary": "Move money and print the notes.", "params": {}}}])
    result = run(tmp_path, model)
    assert result.stats.calls == 1 and result.drafted == ["ledger.accounts.transfer"]
    assert list(model.schemas[0]["properties"]) == ["transfer"]
    after = json.loads((tmp_path / SHOWN).read_text(encoding="utf-8"))["drafts"]
    assert {k for k in after if after[k] != before[k]} == {"ledger.accounts.transfer"}


def test_without_a_model_the_drafts_stay_and_changed_ones_are_reported(tmp_path: Path) -> None:
    write_files(tmp_path)
    run(tmp_path, ScriptedLLM([ANSWER]))
    before = (tmp_path / SHOWN).read_text(encoding="utf-8")
    edit(tmp_path / "ledger/accounts.py", "    return 1.0\n", "    return 2.0\n")
    result = run(tmp_path, None)  # llm = none, as in CI
    assert len(result.drafts) == 4 and result.stats.calls == 0 and (tmp_path / SHOWN).read_text(encoding="utf-8") == before
    assert [p.message for p in result.problems] == ["not drafted again (llm backend is none); since it was drafted: ledger.accounts.rate changed"]


def test_a_symbol_that_got_a_docstring_loses_its_draft(tmp_path: Path) -> None:
    write_files(tmp_path)
    run(tmp_path, ScriptedLLM([ANSWER]))
    edit(tmp_path / "ledger/accounts.py", "def rate(currency: str):\n", 'def rate(currency: str):\n    """The rate."""\n')
    result = run(tmp_path, ScriptedLLM([]))
    assert result.stats.calls == 0 and "ledger.accounts.rate" not in result.drafts
    assert set(json.loads((tmp_path / SHOWN).read_text(encoding="utf-8"))["drafts"]) == set(IDS) - {"ledger.accounts.rate"}


def test_entries_that_are_not_drafts_are_set_aside_and_kept(tmp_path: Path) -> None:
    write_files(tmp_path)
    run(tmp_path, ScriptedLLM([ANSWER]))
    store = tmp_path / SHOWN
    data = json.loads(store.read_text(encoding="utf-8"))
    data["drafts"]["ledger.accounts.rate"] = {"summary": 42}
    store.write_text(store_text(data["drafts"]), encoding="utf-8")
    result = run(tmp_path, ScriptedLLM([]))
    assert result.stats.calls == 0 and "ledger.accounts.rate" not in result.drafts
    assert [(p.code, p.where) for p in result.problems] == [("docstring-drafts", f"{SHOWN}:{_line(store, 'ledger.accounts.rate')}")]
    assert json.loads(store.read_text(encoding="utf-8"))["drafts"]["ledger.accounts.rate"] == {"summary": 42}

    store.write_text('{"docgen": "docstring-drafts/1",\n "drafts": {\n<<<<<<< HEAD\n', encoding="utf-8")
    broken = store.read_text(encoding="utf-8")
    result = run(tmp_path, ScriptedLLM([]))
    assert result.text is None and result.drafts == {} and store.read_text(encoding="utf-8") == broken
    assert [(p.code, p.line) for p in result.problems] == [("docstring-drafts", 3)]

    outside = tmp_path.parent / f"{tmp_path.name}-secret.json"
    outside.write_text(store_text({}), encoding="utf-8")
    store.unlink()
    store.symlink_to(outside)  # a link leading out of the project: never read, never written through
    result = run(tmp_path, ScriptedLLM([]))
    assert result.text is None and "not a plain file" in result.problems[0].message and store.is_symlink()


def _line(path: Path, symbol: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(json.dumps(symbol))].count("\n") + 1


def test_the_page_shows_the_draft_marked_and_renders_again_only_when_it_changes(tmp_path: Path) -> None:
    write_files(tmp_path)
    hostile = dict(ANSWER, rate={"summary": 'A rate.<script>alert(1)</script> <img src=x onerror="alert(2)">', "params": {"currency": "Its code."}, "returns": "x"})
    result = run(tmp_path, ScriptedLLM([hostile]))
    _, project, _, _ = scanned(tmp_path)
    first = render_pages(project, RenderOptions(), drafts=result.drafts)
    page = {p.path: p.markdown for p in first.pages}["reference/ledger/accounts.md"]
    assert '!!! info "Drafted by scripted:test; not in the source"' in page
    assert "    Take [`amount`]" not in page and "    Take `amount` out of the account." in page
    assert "    | <code>amount</code> | <code>int</code> |  | How much to take. |" in page
    assert '<code><a href="../errors/#ledger.errors.Overdrawn">ledger.errors.Overdrawn</a></code> | When the balance is too small. |' in page
    assert "<script" not in page and "onerror" not in page
    assert "Add `amount` to the balance." in page and page.count("Drafted by") == 4  # written docstrings are not boxed

    reuse = {kept.page.path: kept for kept in first.rendered}
    same = render_pages(project, RenderOptions(), reuse, drafts=dict(result.drafts))
    assert all(a is b for a, b in zip(same.rendered, first.rendered))  # nothing rendered again
    changed = dict(result.drafts)
    changed["ledger.accounts.transfer"] = read_store(store_text({"x": _entry(result, "transfer", "Moves money.")}), "").drafts["x"]
    again = render_pages(project, RenderOptions(), reuse, drafts=changed)
    rendered_again = [a.page.path for a, b in zip(again.rendered, first.rendered) if a is not b]
    assert rendered_again == ["reference/ledger/accounts.md"]
    assert "Moves money." in {p.path: p.markdown for p in again.pages}["reference/ledger/accounts.md"]


def _entry(result, name: str, summary: str) -> dict:
    entry = result.drafts[f"ledger.accounts.{name}"].entry()
    entry["fields"]["summary"] = summary
    return entry


def git_apply(root: Path, patch: str) -> None:
    for check in (["--check"], []):
        done = subprocess.run(["git", "apply", *check, "-"], cwd=root, input=patch, text=True, capture_output=True)
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("style", ["google", "numpy", "sphinx"])
def test_the_patch_applies_and_griffe_reads_the_docstrings_back(tmp_path: Path, style: str) -> None:
    project = tmp_path / "project"
    write_files(project)
    (project / "docgen.toml").write_text(f'docstring_style = "{"auto" if style == "google" else style}"\n', encoding="utf-8")
    run(project, ScriptedLLM([ANSWER]))
    result = CliRunner().invoke(main, ["docstrings", str(project), "--patch"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("--- a/ledger/accounts.py\n+++ b/ledger/accounts.py\n")
    copy = tmp_path / "copy"
    shutil.copytree(project, copy)
    git_apply(copy, result.stdout)
    assert (project / "ledger/accounts.py").read_text() == textwrap.dedent(FILES["ledger/accounts.py"]).lstrip("\n")  # never written
    source = (copy / "ledger/accounts.py").read_text(encoding="utf-8")
    ast.parse(source)
    assert '    @functools.lru_cache\n    def' not in source and '@functools.lru_cache\ndef rate(currency: str):\n    """' in source
    loaded = griffe.load("ledger", search_paths=[copy], docstring_parser=style)
    withdraw = loaded["accounts.Account.withdraw"]
    sections = {section.kind.value: section.value for section in withdraw.docstring.parsed}
    assert withdraw.docstring.value.startswith("Take `amount` out of the account.")
    assert [p.name for p in sections["parameters"]] == ["amount"] and sections["parameters"][0].description.strip() == "How much to take."
    assert sections["returns"][0].description.strip() == "The balance left."
    assert str(sections["raises"][0].annotation) == "Overdrawn" and sections["raises"][0].description.strip() == "When the balance is too small."
    transfer = {section.kind.value: section.value for section in loaded["accounts.transfer"].docstring.parsed}
    assert [p.name for p in transfer["parameters"]] == ["source", "target", "amount", "notes"]
    assert loaded["accounts.Account"].docstring.value.startswith("A named account holding a balance.")

    # Applied, the drafts are the source's own: the next run drops them all.
    config, project_model, index, sources = scanned(copy)
    assert plan_docstrings(project_model, sources) == []
    assert run(copy, ScriptedLLM([])).text == "" and not (copy / SHOWN).exists()


def test_drafted_text_cannot_break_out_of_the_docstring(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write_files(project)
    sneaky = dict(ANSWER, rate={"summary": 'Rate."""; import os; os.system("echo owned") #', "params": {"currency": 'ends in a quote "'}, "returns": "\\"})
    run(project, ScriptedLLM([sneaky]))
    result = CliRunner().invoke(main, ["docstrings", str(project), "--patch"])
    copy = tmp_path / "copy"
    shutil.copytree(project, copy)
    git_apply(copy, result.stdout)
    tree = ast.parse((copy / "ledger/accounts.py").read_text(encoding="utf-8"))
    rate = next(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == "rate")
    assert ast.get_docstring(rate).startswith('Rate."""; import os; os.system("echo owned") #')
    assert len(rate.body) == 2 and not any(isinstance(node, ast.Import) for node in rate.body)


def test_the_docstrings_command_lists_the_drafts(tmp_path: Path) -> None:
    write_files(tmp_path)
    empty = CliRunner().invoke(main, ["docstrings", str(tmp_path)])
    assert empty.exit_code == 0 and "No docstring drafts" in empty.output
    run(tmp_path, ScriptedLLM([ANSWER]))
    edit(tmp_path / "ledger/accounts.py", "    return 1.0\n", "    return 2.0 * len(currency)\n")
    listed = CliRunner().invoke(main, ["docstrings", str(tmp_path)])
    assert listed.exit_code == 0, listed.output
    assert "ledger.accounts.Account.withdraw  ledger/accounts.py:12  current\n" in listed.stdout
    assert "ledger.accounts.rate  ledger/accounts.py:" in listed.stdout and "  stale\n" in listed.stdout
    assert "4 docstring drafts in docs/guides/docstrings.json: 3 current, 1 stale." in listed.stdout
    assert "was drafted before its symbol changed" in listed.stderr
    data = json.loads(CliRunner().invoke(main, ["docstrings", str(tmp_path), "--json"]).stdout)
    assert {row["id"]: row["status"] for row in data["drafts"]}["ledger.accounts.rate"] == "stale"

    (tmp_path / SHOWN).write_text("{not json", encoding="utf-8")
    broken = CliRunner().invoke(main, ["docstrings", str(tmp_path)])
    assert broken.exit_code == 4 and broken.stderr.startswith(f"error: {SHOWN}:1: not JSON")


def test_an_override_of_a_documented_method_gets_no_draft(tmp_path: Path) -> None:
    """Its base's docstring documents it, as help() reads it: drafting one would cost a call for nothing."""
    from docgen.evaluation import evaluate

    (tmp_path / "zoo").mkdir()
    (tmp_path / "zoo" / "__init__.py").write_text('"""Animals."""\n', encoding="utf-8")
    (tmp_path / "zoo" / "animals.py").write_text(
        '"""Animals that speak."""\n\n\nclass Animal:\n    """An animal."""\n\n    def speak(self) -> None:\n'
        '        """Say something."""\n\n    def eat(self) -> None:\n        pass\n\n\n'
        'class Dog(Animal):\n    """A dog."""\n\n    def speak(self) -> None:\n        print("woof")\n\n'
        '    def eat(self) -> None:\n        print("bone")\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path, overrides={"llm": "llama-cpp"})
    found = find_files(config)
    project = scan(config, found)
    sources = {file.path: file.text for file in found.files}
    planned = [plan.symbol.id for plan in plan_docstrings(project, sources)]
    assert planned == ["zoo.animals.Animal.eat", "zoo.animals.Dog.eat"]
    incomplete = {item["id"] for item in evaluate(config).incomplete}
    assert "zoo.animals.Dog.speak" not in incomplete and "zoo.animals.Dog.eat" in incomplete
