"""The user's Markdown: titles, the README made the home page, and hostile text in time."""

from __future__ import annotations

import time

import pytest

from docgen.scan.markdown import read_document, readme_as_home


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("# Guide\n", "Guide"),
        ("intro\n\n#   Spaced out   \n", "Spaced out"),
        ("# Closed ##\n", "Closed"),
        ("#NoSpace\nbody\n", "Getting Started"),
        ("## Second level only\n", "Getting Started"),
    ],
)
def test_title_is_the_first_level_one_heading(text: str, title: str) -> None:
    assert read_document("getting-started.md", "docs/getting-started.md", text).title == title


def test_readme_links_into_docs_are_relative_and_others_point_at_the_repository() -> None:
    text = (
        "[Guide](docs/guide.md) [Code](src/a.py \"code\") [Web](https://x.org) [Top](#top)\n"
        "[![ci](docs/badge.svg)](https://ci.example/x)\n"
    )
    assert readme_as_home(text, "docs", "https://github.com/o/r", "main") == (
        "[Guide](guide.md) [Code](https://github.com/o/r/blob/main/src/a.py \"code\") "
        "[Web](https://x.org) [Top](#top)\n"
        "[![ci](badge.svg)](https://ci.example/x)\n"
    )
    assert readme_as_home("[Code](src/a.py) ![pic](img.png)", "docs") == "Code "


@pytest.mark.parametrize(
    "text",
    [
        "# a" + " " * 20_000 + "b\n",
        "[a](" * 20_000,
        "[" * 100_000,
        "![" + "]" * 100_000,
        "[a](b" + ' "' * 50_000,
    ],
)
def test_hostile_markdown_reads_in_time(text: str) -> None:
    started = time.process_time()
    read_document("index.md", "README.md", readme_as_home(text, "docs", "https://github.com/o/r"))
    assert time.process_time() - started < 2
