"""Chunks: from the real scan and reference of a small project and real Markdown pages;
section anchors are checked against the ids Python-Markdown's `toc` gives the headings."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import markdown

from docgen.config import load_config
from docgen.generate.prose.docstring_store import DocstringDraft
from docgen.generate.reference import RenderOptions, render_pages
from docgen.index.chunk import page_chunks, project_chunks
from docgen.model import Document
from docgen.scan import scan

PAGE = """\
---
title: ignored by the chunks
---
# Getting started

Install it first.

## Reading `from_file` settings

Call `from_file`.

```python
# not a heading
```

### Custom { #my-id }

Text.

## Reading from_file settings

Same title again: a second anchor.
"""


def test_a_page_is_cut_at_its_headings_with_the_anchors_mkdocs_gives_them() -> None:
    chunks = list(page_chunks(Document("guide/start.md", "docs/guide/start.md", "Getting started", PAGE)))
    html = markdown.markdown(PAGE.split("---\n", 2)[2], extensions=["toc", "attr_list", "fenced_code"])
    ids = re.findall(r'<h[23] id="([^"]+)"', html)
    assert [chunk.url for chunk in chunks] == ["guide/start/"] + [f"guide/start/#{anchor}" for anchor in ids]
    assert [chunk.title for chunk in chunks] == ["Getting started", "Reading `from_file` settings", "Custom", "Reading from_file settings"]
    assert chunks[0].line == 4 and chunks[1].line == 8  # lines of the file, front matter included
    assert "# not a heading" in chunks[1].text and chunks[1].text.startswith("Getting started: Reading")
    assert len({chunk.id for chunk in chunks}) == 4 and all(chunk.symbol is None for chunk in chunks)


def test_each_documented_symbol_is_a_chunk_at_its_anchor(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text('"""A shop."""\n')
    (tmp_path / "shop" / "cart.py").write_text(
        textwrap.dedent('''
            """Carts."""


            def total(prices: list[int]) -> int:
                """Add up `prices`."""
                return sum(prices)


            def empty(cart):
                return not cart


            def _private():
                """Not in the reference."""
        ''')
    )
    config = load_config(tmp_path, overrides={"llm": "none"})
    project = scan(config)
    index = render_pages(project, RenderOptions()).index
    draft = DocstringDraft("shop.cart.empty", "m", "docstring/1", "e", "Whether `cart` holds nothing.", (("cart", "The cart."),))
    chunks = {chunk.id: chunk for chunk in project_chunks(project, index, project.documents, {"shop.cart.empty": draft})}
    assert set(chunks) == {"symbol:shop", "symbol:shop.cart", "symbol:shop.cart.total", "symbol:shop.cart.empty"}
    total = chunks["symbol:shop.cart.total"]
    assert total.url == "reference/shop/cart/#shop.cart.total" and total.file == "shop/cart.py" and total.line == 5
    assert total.text.startswith("function shop.cart.total\n") and "Add up `prices`." in total.text
    assert "Whether `cart` holds nothing.\ncart: The cart." in chunks["symbol:shop.cart.empty"].text  # the draft stands in
    assert chunks["symbol:shop.cart"].digest != total.digest
