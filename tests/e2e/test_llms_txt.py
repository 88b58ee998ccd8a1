"""llms.txt and llms-full.txt: written into the docs folder as docgen's own files and
published by MkDocs at the site's root; a user's file of that name is theirs."""

from __future__ import annotations

import re
from pathlib import Path

from tests.building import run


def test_the_site_publishes_an_index_and_the_whole_docs_for_language_models(sample: Path) -> None:
    run(sample)
    index = (sample / "site" / "llms.txt").read_text(encoding="utf-8")
    assert index.startswith("# sample\n")
    assert "[llms-full.txt](llms-full.txt)" in index
    links = re.findall(r"^- \[[^\]]+\]\(([^)]+)\)", index, flags=re.M)
    assert "guide/" in links and "reference/sample_pkg/tokenizer/" in links
    for link in links:  # every link lands on a page of the site
        assert (sample / "site" / link / "index.html").is_file(), link
    assert "- [sample_pkg.tokenizer](reference/sample_pkg/tokenizer/): Byte-pair tokenization." in index
    full = (sample / "site" / "llms-full.txt").read_text(encoding="utf-8")
    assert "Load a tokenizer with `sample_pkg.tokenizer.Tokenizer`" in full  # the user's guide
    assert "Decode ids back into text." in full  # a docstring, from its reference page
    assert "<svg" in (sample / "docs/reference/sample_pkg/index.md").read_text(encoding="utf-8")
    assert "<svg" not in full  # a diagram is for the eye: noise to a model reading the text
    # Written into the docs folder, beside the pages, as any builder of the folder publishes them.
    assert {"llms.txt", "llms-full.txt"} <= {p.name for p in (sample / "docs").iterdir()}


def test_a_users_llms_txt_is_kept_and_published_as_written(sample: Path) -> None:
    mine = "# My own index\n\nHand-written.\n"
    (sample / "docs" / "llms.txt").write_text(mine, encoding="utf-8")
    report = run(sample)
    assert "llms.txt" not in report.pages_written
    assert (sample / "docs" / "llms.txt").read_text(encoding="utf-8") == mine
    assert (sample / "site" / "llms.txt").read_text(encoding="utf-8") == mine
    assert (sample / "site" / "llms-full.txt").is_file()


def test_a_fresh_clone_knows_committed_llms_files_as_docgens(sample: Path) -> None:
    """A repository that commits its docs folder: a clone has no record of docgen's files,
    and its llms.txt is still rewritten from the code, not kept stale as if a person's."""
    import shutil

    run(sample)
    assert (sample / "docs/llms.txt").read_text(encoding="utf-8").rstrip().endswith("edits here are lost on the next build -->")
    shutil.rmtree(sample / ".docgen")  # what a fresh clone lacks
    source = sample / "src/sample_pkg/tokenizer.py"
    source.write_text(source.read_text(encoding="utf-8").replace('"""Byte-pair tokenization.', '"""Byte-pair tokenization, renamed.'), encoding="utf-8")
    run(sample)
    assert "Byte-pair tokenization, renamed." in (sample / "docs/llms.txt").read_text(encoding="utf-8")
    assert "Byte-pair tokenization, renamed." in (sample / "site/llms.txt").read_text(encoding="utf-8")
