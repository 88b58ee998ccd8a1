"""`show_source` through a real MkDocs build: each symbol's lines, highlighted and
numbered, in a closed block that survives Markdown whole (blank lines and all)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.building import run


def test_a_classs_source_is_published_whole_in_a_closed_block(sample: Path) -> None:
    report = run(sample, show_source=True)
    assert not report.problems
    html = (sample / "site/reference/sample_pkg/tokenizer/index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<details class="quote doc-source">(.*?)</details>', html, flags=re.S)
    assert len(blocks) == 4  # Tokenizer and its three methods
    summary = re.search(r"Source code in <code>src/sample_pkg/tokenizer\.py:(\d+)-(\d+)</code>", blocks[0])
    assert summary is not None
    start, end = int(summary.group(1)), int(summary.group(2))
    numbers = [int(n) for n in re.findall(r'<span class="normal">(\d+)</span>', blocks[0])]
    assert numbers == list(range(start, end + 1))  # every line, blank ones too, in one piece
    code = blocks[0].split('<td class="code">', 1)[1]
    assert "<p>" not in code and code.count("\n") >= end - start  # not re-read as Markdown
    source = (sample / "src/sample_pkg/tokenizer.py").read_text(encoding="utf-8").splitlines()[start - 1]
    assert re.sub(r"<[^>]+>", "", code.split("\n", 1)[0]).strip() == source.strip()
