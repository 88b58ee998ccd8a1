"""A symbol's source lines as a collapsible, highlighted "Source code" block under its
documentation (the `show_source` setting), as mkdocstrings shows them.

Only files inside the project are read: a location that leads outside it (a link, `..`)
shows no block. The code is highlighted by Pygments at build time into the classes
Material's theme colours, so the block needs no script and no network.
"""

from __future__ import annotations

import hashlib
import html
import re
import textwrap
from pathlib import Path

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_for_filename
from pygments.lexers.special import TextLexer
from pygments.util import ClassNotFound

from docgen.model import Location

MAX_LINES = 300  # shown of one symbol: a longer one says how many more are in the file
_START = '<details class="quote doc-source">'


class SourceFiles:
    """The project's files, each read once, for the lines a location spans."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._files: dict[str, list[str] | None] = {}

    def lines(self, location: Location) -> list[str] | None:
        """The lines `location` spans (with their line ends), or None: no span, or a file
        that is outside the project, gone, or not text."""
        if not location.file or location.end <= location.start or location.start < 1:
            return None
        if location.file not in self._files:
            self._files[location.file] = self._read(location.file)
        lines = self._files[location.file]
        return lines[location.start - 1 : location.end] if lines is not None else None

    def digest(self, location: Location) -> str:
        """What a page that shows `location`'s source depends on: its lines."""
        lines = self.lines(location)
        return hashlib.blake2b("".join(lines).encode(), digest_size=8).hexdigest() if lines else ""

    def _read(self, file: str) -> list[str] | None:
        path = (self.root / file).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        try:
            return path.read_text(encoding="utf-8").splitlines(keepends=True)
        except (OSError, UnicodeDecodeError):
            return None


def source_block(location: Location, files: SourceFiles) -> str:
    """The collapsible block of `location`'s source (closed until opened), or nothing."""
    lines = files.lines(location)
    if not lines:
        return ""
    shown = lines[:MAX_LINES]
    try:
        lexer = get_lexer_for_filename(location.file, stripnl=False)
    except ClassNotFound:
        lexer = TextLexer(stripnl=False)
    code = highlight(textwrap.dedent("".join(shown)), lexer, HtmlFormatter(linenos="table", linenostart=location.start, cssclass="highlight", wrapcode=True))
    where = html.escape(f"{location.file}:{location.start}-{location.end}")
    more = len(lines) - len(shown)
    rest = f"<p><small>{more} more lines in <code>{html.escape(location.file)}</code></small></p>" if more else ""
    return f"{_START}<summary>Source code in <code>{where}</code></summary>\n{code}{rest}</details>\n"


_BLOCK = re.compile(re.escape(_START) + r".*?</details>\n\n?", flags=re.S)


def without_source_blocks(markdown: str) -> str:
    """`markdown` without the blocks `source_block` wrote: for `llms-full.txt`, where
    highlighted HTML is noise (the code is in the repository)."""
    return _BLOCK.sub("", markdown)
