"""`show_source` through a real MkDocs build: each symbol's lines, highlighted and
numbered, in a closed block that survives Markdown whole (blank lines and all); a class's
block leaves out the methods that show their own, so no line is shown twice."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

from tests.building import run


def test_every_line_of_a_class_is_published_once_in_closed_blocks(sample: Path) -> None:
    report = run(sample, show_source=True)
    assert not report.problems
    html = (sample / "site/reference/sample_pkg/tokenizer/index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<details class="quote doc-source">(.*?)</details>', html, flags=re.S)
    assert len(blocks) == 4  # Tokenizer and its three methods
    summary = re.search(r"Source code in <code>src/sample_pkg/tokenizer\.py:(\d+)-(\d+)</code>", blocks[0])
    assert summary is not None
    start, end = int(summary.group(1)), int(summary.group(2))
    shown = [[int(n) for n in re.findall(r"\d+", block.split('<div class="linenodiv"><pre>')[1].split("</pre>")[0])] for block in blocks]
    source = (sample / "src/sample_pkg/tokenizer.py").read_text(encoding="utf-8").splitlines()
    every = sorted(n for numbers in shown for n in numbers)
    assert len(every) == len(set(every))  # no line twice
    assert set(every) >= {n for n in range(start, end + 1) if source[n - 1].strip()}  # every line of code once
    assert shown[0][0] == start and "\n⋮\n" in blocks[0]  # the methods' gaps marked
    for block, numbers in zip(blocks, shown):
        code = block.split('<td class="code">', 1)[1]
        assert "<p>" not in code  # not read again as Markdown
        text = html_module.unescape(re.sub(r"<[^>]+>", "", code)).split("\n")
        assert text[0].strip() == source[numbers[0] - 1].strip()
