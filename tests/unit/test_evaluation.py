"""`docgen eval`: measured on a real scan of the shop fixture, with guides drafted through
the scripted model (the prose is fake; the scan, the plans, the verifier are real)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from docgen.cli import main
from docgen.evaluation import evaluate, missing_docs
from tests.unit.test_guides import OVERVIEW_ANSWER, ScriptedLLM, project_at, run


def drafted_shop(root: Path):
    """The shop with its top overview drafted and written (the other guides' answers run
    out: they are not drafted)."""
    config, project, index, names = project_at(root)
    result = run(config, project, index, names, ScriptedLLM([OVERVIEW_ANSWER]))
    for page in result.pages:
        (config.docs_path / page.path).parent.mkdir(parents=True, exist_ok=True)
        (config.docs_path / page.path).write_text(page.text, encoding="utf-8")
    return config, project


def test_completeness_counts_summary_every_parameter_return_and_raise(tmp_path: Path) -> None:
    config, project = drafted_shop(tmp_path)
    symbols = {symbol.id: symbol for symbol in project.walk()}
    assert missing_docs(symbols["shop.pay.charge"]) == ["parameter card", "parameter amount", "return", "raises PaymentError"]
    assert missing_docs(symbols["shop.cart.Cart"]) == []
    result = evaluate(config)
    assert (result.complete, result.symbols) == (2, 5)  # Cart and PaymentError say all there is to say
    assert {item["id"] for item in result.incomplete} == {"shop.cart.Cart.checkout", "shop.pay.charge", "shop.pay.validate"}


def test_truthfulness_coverage_and_stale_guides(tmp_path: Path) -> None:
    config, _ = drafted_shop(tmp_path)
    result = evaluate(config)
    assert result.guides == 1 and not result.stale
    assert result.references >= 3 and not result.unresolved and result.truthfulness == 1.0
    assert "shop.cart.Cart" not in result.uncovered and result.covered >= 1

    overview = config.docs_path / "guides/overview/shop.md"
    overview.write_text(overview.read_text(encoding="utf-8") + "\nThen call `shop.pay.refund`.\n", encoding="utf-8")
    result = evaluate(config)
    assert result.unresolved == [{"file": "docs/guides/overview/shop.md", "line": result.unresolved[0]["line"], "reference": "shop.pay.refund"}]
    assert result.truthfulness < 1.0
    assert result.stale == [{"file": "docs/guides/overview/shop.md", "why": "edited by hand"}]


def test_eval_on_the_command_line(tmp_path: Path) -> None:
    drafted_shop(tmp_path)
    runner = CliRunner()
    shown = runner.invoke(main, ["eval", str(tmp_path), "--json"])
    assert shown.exit_code == 0, shown.output
    report = json.loads(shown.stdout)
    assert report["completeness"] == 0.4 and report["truthfulness"] == 1.0 and report["llm"] == {}
    assert runner.invoke(main, ["eval", str(tmp_path), "--fail-under", "0.5"]).exit_code == 1
    assert runner.invoke(main, ["eval", str(tmp_path), "--fail-under", "0.4"]).exit_code == 0
