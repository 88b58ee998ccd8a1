"""A symbol's source lines as a collapsible, highlighted "Source code" block under its
documentation (the `show_source` setting), as mkdocstrings shows them.

Only files inside the project are read: a location that leads outside it (a link, `..`)
shows no block. The code is highlighted by Pygments' lexers at build time into the classes
Material's theme colours, so the block needs no script and no network.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_for_filename
from pygments.lexers.special import TextLexer
from pygments.token import STANDARD_TYPES
from pygments.token import _TokenType
from pygments.util import ClassNotFound

from docgen.model import Location, Symbol
from docgen.scan.finder import language_of

MAX_LINES = 300  # shown of one symbol: a longer one says how many more are in the file
_START = '<details class="quote doc-source">'
# Where a line ends, as each parser counts lines (a location's numbers are the parser's):
# Python reads \r, \r\n and \n; YAML also \x85, \u2028 and \u2029; tree-sitter only \n.
_PYTHON_BREAKS = re.compile(r"\r\n|\r|\n")
_YAML_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_BREAKS = {"python": _PYTHON_BREAKS, "openapi": _YAML_BREAKS}  # by the reader a file goes to
_TREE_SITTER_BREAKS = re.compile(r"\n")
# What opens a line of an item's preamble outside Python: comments, doc comments,
# attributes (`#[derive]`, `[[nodiscard]]`) and TypeScript's decorators.
_PREAMBLE_STARTS = ("//", "/*", "*", "#[", "[[", "@")
_PREAMBLE_LINES = 100  # read upwards at most
# What a browser would read as a line break inside <pre>, or not show: out of a line's text.
_INVISIBLE = re.compile(r"[\r\x85\u2028\u2029]")


class SourceFiles:
    """The project's files, each read once and highlighted once when first shown (a
    class's block and its methods' blocks show the same lines), for the lines a location
    spans."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._files: dict[str, _File | None] = {}

    def lines(self, location: Location) -> list[str] | None:
        """The lines `location` spans, as written (tabs as spaces); None for no span, or
        for a file that is outside the project, gone, not text, or shorter than the
        location says."""
        file = self._file(location)
        return file.text[location.start - 1 : location.end] if file is not None else None

    def highlighted(self, location: Location) -> list[str]:
        """The lines `lines` gives, highlighted: one string of HTML each."""
        file = self._file(location)
        return file.html()[location.start - 1 : location.end] if file is not None else []

    def digest(self, location: Location) -> str:
        """What a page that shows `location`'s source depends on: its lines."""
        lines = self.lines(location)
        return hashlib.blake2b("\n".join(lines).encode(), digest_size=8).hexdigest() if lines else ""

    def with_preamble(self, location: Location, language: str) -> Location:
        """`location` grown upwards over what belongs to the item below it: a Python
        member's decorators (griffe starts a property at its `def`), one of the other
        languages' doc comments and attributes (tree-sitter starts an item at its keyword)."""
        file = self._file(location)
        if file is None:
            return location
        start = location.start
        if language == "python":
            depth = 0  # brackets a multi-line decorator's arguments leave open, read upwards
            for above in range(location.start - 1, max(0, location.start - 1 - _PREAMBLE_LINES), -1):
                line = file.text[above - 1].strip()
                depth += sum(line.count(c) for c in ")]}") - sum(line.count(c) for c in "([{")
                if depth <= 0 and not line.startswith("@"):
                    break
                if depth <= 0:
                    start = above
        else:
            while start > 1 and location.start - start < _PREAMBLE_LINES and file.text[start - 2].lstrip().startswith(_PREAMBLE_STARTS):
                start -= 1
        return Location(location.file, start, location.end)

    def _file(self, location: Location) -> _File | None:
        if not location.file or location.start < 1 or location.end < location.start:
            return None
        if location.file not in self._files:
            self._files[location.file] = self._read(location.file)
        file = self._files[location.file]
        return file if file is not None and location.end <= len(file.text) else None

    def _read(self, file: str) -> _File | None:
        path = (self.root / file).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        breaks = _BREAKS.get(language_of(file) or "", _TREE_SITTER_BREAKS)
        # Tabs as spaces (four, as most code hosts show them): Markdown would widen a tab
        # by its column in the raw HTML line, and only spaces are dedented.
        return _File(file, [_INVISIBLE.sub("", line).expandtabs(4) for line in breaks.split(text)])


class _File:
    """One file's lines, as its parser counts them, and their HTML, made when first asked."""

    def __init__(self, path: str, text: list[str]) -> None:
        self.path = path
        self.text = text
        self._html: list[str] | None = None

    def html(self) -> list[str]:
        if self._html is None:
            highlighted = _highlight("\n".join(self.text), self.path)
            # A lexer that changed the text (none is known to): shown plain, never misnumbered.
            self._html = highlighted if len(highlighted) == len(self.text) else [html.escape(line, quote=False) for line in self.text]
        return self._html


def _highlight(text: str, file: str) -> list[str]:
    """Each line of `text` as HTML, its tokens in the classes Pygments' HTML formatter
    gives them (which the theme colours), each line's spans closed on it. Plain names and
    whitespace, which the theme shows in the code's own colour, and runs of one class are
    written with a tag fewer: Markdown and the search index read every tag of a page."""
    lines: list[str] = []
    current: list[str] = []
    for css, value in _runs(_lexer(posixpath.splitext(file)[1] or posixpath.basename(file)).get_tokens(text)):
        for number, part in enumerate(value.split("\n")):
            if number:
                lines.append("".join(current))
                current = []
            if part:
                escaped = html.escape(part, quote=False)
                current.append(f'<span class="{css}">{escaped}</span>' if css else escaped)
    lines.append("".join(current))
    return lines


def _runs(tokens: Iterable[tuple[_TokenType, str]]) -> Iterator[tuple[str, str]]:
    """(CSS class, text) of each run of tokens that are written alike."""
    css, run = "", []
    for kind, value in tokens:
        token_css = _css(kind)
        if token_css != css and run:
            yield css, "".join(run)
            run = []
        css = token_css
        run.append(value)
    if run:
        yield css, "".join(run)


@lru_cache(maxsize=None)
def _css(kind: _TokenType) -> str:
    """The class Pygments' HTML formatter writes for `kind`; none where the theme shows the
    code's own colour (text, whitespace, plain names)."""
    while kind not in STANDARD_TYPES:
        kind = kind.parent
    css = STANDARD_TYPES[kind]
    return "" if css in ("w", "n") else css


@lru_cache(maxsize=None)
def _lexer(suffix: str) -> Lexer:
    """The lexer for files ending in `suffix` (finding one scans every lexer's patterns)."""
    try:
        return get_lexer_for_filename(f"file{suffix}" if suffix.startswith(".") else suffix, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return TextLexer(stripnl=False, ensurenl=False)


_ONE_LINE_KINDS = frozenset({"function", "method"})  # worth a block on one line: `def f(): return 1`


def source_span(symbol: Symbol, files: SourceFiles) -> Location | None:
    """The lines `symbol`'s block shows, or None for no block: with its decorators, doc
    comments and attributes; a symbol of one line only when it is a function."""
    location = symbol.location
    if not location.file or location.end < location.start or (location.end == location.start and symbol.kind not in _ONE_LINE_KINDS):
        return None
    return files.with_preamble(location, symbol.language)


def source_block(location: Location, files: SourceFiles, folded: tuple[Location, ...] = ()) -> str:
    """The collapsible block of `location`'s source (closed until opened), or nothing:
    numbered lines, dedented, highlighted into the classes Material's theme colours (the
    markup pymdownx.highlight writes for `linenums`, less a tag around each number).

    The lines of `folded` (a class's members that show their own source) are left out,
    each gap marked, so that no line is shown twice."""
    lines, highlighted = files.lines(location), files.highlighted(location)
    if not lines or not highlighted:
        return ""
    hidden = {n for fold in folded if fold.file == location.file for n in range(fold.start, fold.end + 1)}
    hidden |= _blank_between(hidden, lines, location)
    visible = [n for n in range(location.start, location.end + 1) if n not in hidden]
    shown = visible[:MAX_LINES]
    if not shown:
        return ""
    indent = min((len(text) - len(text.lstrip(" ")) for n in shown if (text := lines[n - location.start]).strip()), default=0)
    numbers, code = [], []
    for position, number in enumerate(shown):
        if position and number != shown[position - 1] + 1:
            numbers.append("⋮")
            code.append('<span class="c">⋮</span>')
        numbers.append(str(number))
        code.append(_dedent(highlighted[number - location.start], indent))
    if len(shown) == len(visible) and shown[-1] != location.end:  # members' lines close the span
        numbers.append("⋮")
        code.append('<span class="c">⋮</span>')
    table = (
        '<div class="highlight"><table class="highlighttable"><tr><td class="linenos"><div class="linenodiv"><pre>'
        + "\n".join(numbers)
        + '</pre></div></td><td class="code"><div><pre><span></span><code>'
        + "\n".join(code)
        + "\n</code></pre></div></td></tr></table></div>"
    )
    where = html.escape(f"{location.file}:{location.start}-{location.end}")
    more = len(visible) - len(shown)
    rest = f"<p><small>{more} more line{'s' if more > 1 else ''} in <code>{html.escape(location.file)}</code></small></p>" if more else ""
    return f"{_START}<summary>Source code in <code>{where}</code></summary>\n{table}{rest}</details>\n"


def _blank_between(hidden: set[int], lines: list[str], location: Location) -> set[int]:
    """The blank lines that separate hidden members from each other (or from the span's
    end): left out too, so that two members shown apart leave one gap, not two."""
    blank: set[int] = set()
    run: list[int] = []
    for number in range(location.start, location.end + 2):
        if number <= location.end and number not in hidden and not lines[number - location.start].strip():
            run.append(number)
            continue
        if run and run[0] - 1 in hidden and (number in hidden or number > location.end):
            blank.update(run)
        run = []
    return blank


def _dedent(line: str, width: int) -> str:
    """A highlighted line without its first `width` spaces of text (the tags kept)."""
    position = 0
    while width and position < len(line):
        if line[position] == "<":
            position = line.index(">", position) + 1
        elif line[position] == " ":
            line = line[:position] + line[position + 1 :]
            width -= 1
        else:
            break
    return line


_BLOCK = re.compile(re.escape(_START) + r".*?</details>\n\n?", flags=re.S)


def without_source_blocks(markdown: str) -> str:
    """`markdown` without the blocks `source_block` wrote: for `llms-full.txt`, where
    highlighted HTML is noise (the code is in the repository)."""
    return _BLOCK.sub("", markdown)
