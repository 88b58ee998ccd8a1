"""Guides no plan asks for any more (their subject is gone): docgen removes the ones it
drafted, keeps and reports the ones a person edited, and publishes neither as current."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

from click.testing import CliRunner

from docgen.cli import main
from docgen.generate.prose.drafts import Evidence, Guide
from tests.unit.test_guides import FILES


def test_a_guide_whose_subject_is_gone_is_removed_unless_edited(tmp_path: Path) -> None:
    for path, text in FILES.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    overview = tmp_path / "docs" / "guides" / "overview"
    overview.mkdir(parents=True)
    old = Guide("Overview of shop.legacy", "scripted:test", "overview/1", Evidence((("shop.legacy", "0" * 16),)), "# Old\n\nCall `shop.legacy.run`.\n")
    (overview / "shop.legacy.md").write_text(old.text(), encoding="utf-8")
    edited = Guide("Overview of shop.gone", "scripted:test", "overview/1", Evidence((("shop.gone", "0" * 16),)), "# Gone\n\nDrafted.\n")
    (overview / "shop.gone.md").write_text(edited.text().replace("Drafted.", "Edited by a person."), encoding="utf-8")
    mine = overview / "shop.notes.md"
    mine.write_text("# My notes\n", encoding="utf-8")

    result = CliRunner().invoke(main, ["build", str(tmp_path), "--json", "--llm", "none"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert not (overview / "shop.legacy.md").exists()
    assert not (tmp_path / "site" / "guides" / "overview" / "shop.legacy").exists()
    assert "Edited by a person." in (overview / "shop.gone.md").read_text(encoding="utf-8")
    assert mine.read_text(encoding="utf-8") == "# My notes\n"
    stale = [p for p in report["problems"] if p["code"] == "stale-guide"]
    assert [p["file"] for p in stale] == ["docs/guides/overview/shop.gone.md"]
    assert "no longer planned" in stale[0]["message"]


def test_a_guide_edited_by_hand_builds_in_a_fresh_clone(tmp_path: Path) -> None:
    """A fresh clone has no `.docgen/` record of what docgen wrote: an edited guide, which
    docgen keeps as it stands, must not be refused as a file in the way."""
    from tests.unit.test_guides import OVERVIEW_ANSWER, TROUBLESHOOTING_ANSWER, ScriptedLLM, project_at, run, write_pages

    config, project, index, names = project_at(tmp_path)
    write_pages(config, run(config, project, index, names, ScriptedLLM([OVERVIEW_ANSWER, TROUBLESHOOTING_ANSWER])))
    page = tmp_path / "docs" / "guides" / "troubleshooting.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Pass a card.", "Pass a card; see the FAQ."), encoding="utf-8")
    shutil.rmtree(tmp_path / ".docgen", ignore_errors=True)  # as a fresh clone has it

    result = CliRunner().invoke(main, ["build", str(tmp_path), "--llm", "none"])
    assert result.exit_code == 0, result.output
    assert "Pass a card; see the FAQ." in page.read_text(encoding="utf-8")
    assert "see the FAQ" in (tmp_path / "site" / "guides" / "troubleshooting" / "index.html").read_text(encoding="utf-8")
