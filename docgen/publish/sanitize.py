"""Untrusted text made safe for the Markdown docgen writes: the one sanitizing boundary.

Docstrings, doc comments, OpenAPI descriptions and the names of files, tags and symbols come
from the code being documented, and whoever can change that code must not be able to run
script on the published site. The Markdown written here has to stay safe for any
MkDocs-compatible builder, so it is sanitized before it is written, not by a build plugin.

markdown-it-py (CommonMark) finds the code, the raw HTML and the links of a docstring; the
page is rendered later by Python-Markdown, which reads some things differently (it ends HTML
blocks at their closing tag rather than at a blank line, reads reference definitions inside
paragraphs, adds attributes with `{...}`). So nothing is kept because one parser reads it as
harmless: outside code, every `<`, `[`, `{` and stray backtick becomes a character reference,
HTML goes through nh3's allow-list, link targets are checked and rewritten, and code is
written in a form both parsers read as code.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline, autolink, backtick, html_inline, image, link
from markdown_it.token import Token

# Tags a docstring may use. Nothing that runs, loads or embeds (script, iframe, object, svg,
# math), styles (style, link) or takes input (form): and none that Python-Markdown treats as
# the start of a raw HTML block where CommonMark does not (video, canvas, noscript...), which
# would turn the code spans after them into raw HTML.
ALLOWED_TAGS = frozenset(
    "a abbr b blockquote br caption cite code col colgroup dd del details dfn div dl dt em "
    "figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span "
    "strong sub summary sup table tbody td tfoot th thead tr u ul var wbr".split()
)
# No `id`, `name`, `class` or `style`: they would let a docstring restyle the page or clobber
# the elements the theme's scripts look up (Material reads its settings from `#__config`).
ALLOWED_ATTRIBUTES = {
    "*": {"title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed"},
    "details": {"open"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite"},
    "ins": {"cite"},
}
# Relative URLs are always allowed; absolute ones only with these schemes, so `javascript:`,
# `vbscript:` and `data:` never reach an href or a src.
URL_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "ftps", "tel"})

# Dropped with their content, which is code, not text.
DROPPED_TAGS = frozenset({"script", "style"})
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
)
# Characters Python-Markdown acts on inside or around inline HTML (escapes, code spans,
# emphasis, links, table cells, attribute lists): as character references they mean the same
# to a browser and nothing to Markdown.
_MARKDOWN_INERT = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]|{}"})
# In text: a backslash escape (kept, but for `\<`, which Python-Markdown does not unescape), or
# a character that could start HTML, a link, a reference definition or an attribute list (or
# end a link's text early), or a backtick run that closes no code span (Python-Markdown could
# pair it with another).
_TEXT_ACTIVE = re.compile(r"\\([!-/:-@\[-`{-~])|([<\[\]{])|(`+)")
_TEXT_ACTIVE_CELL = re.compile(r"\\([!-/:-@\[-`{-~])|([<\[\]{|])|(`+)")
_REPLACEMENTS = {"<": "&lt;", "[": "&#91;", "]": "&#93;", "{": "&#123;", "|": "\\|"}
# Private-use characters stand for the Markdown between HTML tags while nh3 balances the tags.
_HOLE = re.compile("\ue000(\\d+)\ue001")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_INFO = re.compile(r"[\w#.+-]+")
_BACKTICKS = re.compile(r"`+")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
# What makes text more than plain prose to the sanitizer: anything that can start HTML, a
# link, code or a table, an indented line (code, or a list's continuation), or a run of
# blank lines (which the sanitized output collapses).
_PLAIN = re.compile(r"[<\[{`\\|~\t]|^ {2,}\S|\n[ ]*\n[ ]*\n", re.M)
_MARKERS = re.compile(r"[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)?")
_CLOSING_SEQUENCE = re.compile(r"[ \t]+#+[ \t]*")
_MARKERS_ONLY = re.compile(r"[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]*)?")
_DELIMITER_ROW = re.compile(r"[ \t>]*\|?(?:[ \t]*:?-+:?[ \t]*\|)*[ \t]*:?-+:?[ \t]*\|?[ \t]*")
_DEFINITION = re.compile(r"[ \t>]*\[[^\]]+\]:[ \t]*<?([^\s>]+)>?(?:[ \t]+.*)?")


def sanitize_markdown(text: str, *, fences: bool = True) -> str:
    """Untrusted Markdown (a docstring, a doc comment, a spec's description) made safe to
    write into a page, and self-contained: whatever it leaves open is closed, so it cannot
    swallow what the page shows after it.

    It still renders as Markdown: emphasis, lists, tables, links and code stay as written, and
    code shows exactly as written (`a < b`). Raw HTML is cut to an allow-list by nh3; links and
    images whose URL has a scheme other than http(s), mailto, ftp or tel are dropped (their
    text stays). `fences=False` writes code blocks as HTML rather than fenced, for text that
    the page indents (an admonition's body), where fences are not read.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ue000", "").replace("\ue001", "")
    text = text.replace("\x00", "\ufffd")
    if not text.strip():
        return ""
    if _PLAIN.search(text) is None:
        # Most docstrings are plain prose: nothing to parse, only the blank lines to trim.
        return _trim_blank_lines(text).rstrip()
    lines = text.split("\n")
    blocks: list[tuple[int, int, list[str | None]]] = []  # (first line, end line, what replaces them)
    covered = [False] * len(lines)
    cells: dict[int, list[str]] = {}
    tokens = _parser().parse(text, {})
    for position, token in enumerate(tokens):
        if token.map is None:
            continue
        start, end = token.map
        if token.type in ("fence", "code_block"):
            blocks.append((start, end, _code_block(token, fences)))
        elif token.type == "html_block":
            cleaned = _clean_html(token.content).strip("\n")
            blocks.append((start, end, [None, *cleaned.split("\n"), None] if cleaned.strip() else [None]))
        elif token.type == "inline" and tokens[position - 1].type in ("td_open", "th_open"):
            cells.setdefault(start, []).append(_inline(token, cell=True))
            continue
        elif token.type == "inline":
            blocks.append((start, end, _inline_lines(token, lines[start:end])))
        elif token.type == "hr":
            blocks.append((start, end, [lines[start]]))
        else:
            continue
        covered[start:end] = [True] * (end - start)
    for row, contents in cells.items():
        prefix = re.match(r"[ \t>]*", lines[row]).group(0)  # type: ignore[union-attr]
        blocks.append((row, row + 1, [prefix + "| " + " | ".join(contents) + " |"]))
        covered[row] = True
    for number, covered_line in enumerate(covered):
        # The table's delimiter row, blank lines, container markers of their own and link
        # reference definitions (kept when their URL is safe).
        if not covered_line:
            line = lines[number]
            blocks.append((number, number + 1, [line if line.strip() and _safe_line(line) else None]))
    return _assemble(sorted(blocks, key=lambda block: block[0]))


def escape_text(text: str) -> str:
    """Plain text (a name, a title) for Markdown inline content: shown exactly as written,
    never read as HTML or Markdown. Whitespace runs become one space."""
    text = " ".join(text.split())
    return html.escape(text, quote=True).translate(_MARKDOWN_INERT).replace("&lt;/", "&lt;&#8203;/")


def code_span(text: str) -> str:
    """`text` as inline code in Markdown: a code span when that reads the same in every
    parser, else an HTML `<code>` element (a name with backticks, `<` or a line break)."""
    if not text:
        return ""
    if "`" in text or "<" in text or "\n" in text or text != text.strip():
        return f"<code>{html.escape(text, quote=False).translate(_MARKDOWN_INERT)}</code>"
    return f"`{text}`"


def nav_label(text: str) -> str:
    """A label for mkdocs.yml's nav, HTML-escaped: MkDocs renders nav titles with Jinja
    autoescaping off, so Material's templates put them into the page as they are."""
    # Material also writes the page title into <title> through `striptags`, which unescapes:
    # a zero-width space keeps a `</title>` in a name from closing the element there.
    return html.escape(" ".join(text.split()), quote=True).replace("&lt;/", "&lt;\u200b/")


def safe_url(url: str) -> bool:
    """Whether a link or image URL may be published: relative, or with an allowed scheme."""
    # Browsers drop control characters and whitespace inside a scheme (`java\tscript:`), and
    # markdown-it percent-encodes what it normalizes: judge the URL as a browser would read it.
    shown = "".join(c for c in unquote(html.unescape(url)) if c > " " and c != "\x7f")
    match = _SCHEME.match(shown)
    if match is None:
        return ":" not in shown.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return match.group(1).lower() in URL_SCHEMES


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """CommonMark with tables and raw HTML, every link kept (markdown-it would quietly leave
    `javascript:` links out as text, which Python-Markdown reads as links), and the source
    span of every code span, link, image, autolink and HTML tag recorded."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    for name, rule in (
        ("backticks", backtick),
        ("link", link),
        ("image", image),
        ("autolink", autolink),
        ("html_inline", html_inline),
    ):
        md.inline.ruler.at(name, _spanned(rule))
    return md


def _spanned(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    def spanned(state: StateInline, silent: bool) -> bool:
        if state.pending and not silent:
            state.pushPending()  # else the text before would be the first token pushed
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent and len(state.tokens) > count:
            token = state.tokens[count]
            token.meta = {**(token.meta or {}), "span": (start, state.pos)}
            if token.type in ("link_open", "image") and token.markup != "autolink":
                saved = state.pos
                label_start = start + (1 if token.type == "image" else 0)
                end = state.md.helpers.parseLinkLabel(state, label_start, token.type == "link_open")
                state.pos = saved
                token.meta["label"] = (label_start + 1, end)
        return True

    return spanned


def _code_block(token: Token, fences: bool) -> list[str | None]:
    """A fenced or indented code block, rewritten as a closed fence at the start of the line
    (the only fence Python-Markdown reads), longer than any backtick run inside.

    With `fences=False`, as one line of HTML instead: in an indented block an indented code
    block after a list item is read as the item's text, and its HTML would be live."""
    words = token.info.split() if token.type == "fence" else []
    language = words[0].strip("{}.") if words else ""
    language = language if _INFO.fullmatch(language) else ""
    if not fences:
        code = html.escape(token.content.removesuffix("\n"), quote=False).translate(_MARKDOWN_INERT)
        attribute = f' class="language-{language}"' if language else ""
        return [None, f"<pre><code{attribute}>{code.replace(chr(10), '&#10;')}</code></pre>", None]
    code = token.content.removesuffix("\n").split("\n") if token.content else []
    fence = fence_for(token.content)
    return [None, fence + language, *code, fence, None]


def fence_for(code: str) -> str:
    """A backtick fence for `code`: three backticks, or more than its longest run of them."""
    return "`" * max(3, 1 + max((len(run) for run in _BACKTICKS.findall(code)), default=0))


def _clean_html(raw: str) -> str:
    """HTML through the allow-list, then made inert to Markdown, in case the page's parser
    reads it as Markdown rather than as an HTML block."""
    return _CLEANER.clean(_TAG.sub(_tag_or_text, raw)).translate(_MARKDOWN_INERT)


def _is_markup(tag: str) -> bool:
    """Whether an HTML tag goes to nh3 (allowed, or dropped with its content, or a comment)
    rather than being shown as text: docstrings write `<START>`, `<OBJECT>` or `<T>` and mean
    the words, and a tag nh3 would drop, text and all, is better shown than lost."""
    match = _TAG.match(tag)
    return match is None or match.group(1).lower() in ALLOWED_TAGS | DROPPED_TAGS


def _tag_or_text(match: re.Match[str]) -> str:
    return match.group(0) if _is_markup(match.group(0)) else "&lt;" + match.group(0)[1:]


def _inline_lines(token: Token, source: list[str]) -> list[str]:
    """A paragraph's or heading's lines with their inline content sanitized, keeping each
    line's container markers (`> `, list indentation) and a heading's `#`s."""
    content = token.content.split("\n")
    prefixes, suffix = [], ""
    for number, line in enumerate(content):
        src = source[number] if number < len(source) else ""
        at = src.rfind(line) if line else len(src)
        if at < 0:  # indentation with tabs, which markdown-it expands: keep just the markers
            prefixes.append(_MARKERS.match(src).group(0))  # type: ignore[union-attr]
            suffix = ""
            continue
        prefixes.append(src[:at])
        suffix = src[at + len(line) :]
    new = _inline(token).split("\n")
    lines = [prefixes[min(number, len(prefixes) - 1)] + line for number, line in enumerate(new)]
    if _CLOSING_SEQUENCE.fullmatch(suffix):  # an ATX heading's closing `#`s
        lines[-1] += suffix.rstrip()
    # A setext heading's underline is not content: it stays as written.
    return lines + source[len(content) :]


def _inline(token: Token, cell: bool = False) -> str:
    """Inline Markdown with its HTML through the allow-list, unsafe links dropped and every
    character that could start markup outside code written as a character reference."""
    pieces: list[tuple[bool, str]] = []  # (is an HTML tag, text)
    _pieces(token.content, token.children or [], 0, len(token.content), pieces, cell)
    if not any(is_html for is_html, _ in pieces):
        return "".join(text for _, text in pieces)
    markdown = [text for is_html, text in pieces if not is_html]
    holes = iter(range(len(markdown)))
    skeleton = "".join(text if is_html else f"\ue000{next(holes)}\ue001" for is_html, text in pieces)
    return _HOLE.sub(lambda match: markdown[int(match.group(1))], _clean_html(skeleton))


def _pieces(
    src: str, tokens: list[Token], start: int, end: int, out: list[tuple[bool, str]], cell: bool
) -> None:
    """Append the Markdown and HTML pieces of `src[start:end]`, whose spanned tokens are
    `tokens`, to `out`."""
    position, index = start, 0
    while index < len(tokens):
        token = tokens[index]
        span = (token.meta or {}).get("span")
        if span is None or span[0] < position:
            index += 1
            continue
        first, last = span
        out.append((False, _text(src[position:first], cell)))
        if token.type == "code_inline":
            out.append((False, _code_inline(src[first:last], token.content)))
        elif token.type == "html_inline":
            raw = src[first:last]
            out.append((True, raw) if _is_markup(raw) else (False, _text(raw, cell)))
        elif token.type == "image":
            out.append((False, _image(src, token, cell)))
        elif token.type == "link_open":
            close = _closing(tokens, index)
            if token.markup == "autolink":
                url = str(token.attrGet("href") or "")
                shown = "<" + _quote_url(src[first + 1 : last - 1]) + ">"
                out.append((False, shown if safe_url(url) else _text(src[first:last], cell)))
            else:
                label_start, label_end = token.meta["label"]
                safe = safe_url(str(token.attrGet("href") or ""))
                if safe:
                    out.append((False, "["))
                _pieces(src, tokens[index + 1 : close], label_start, label_end, out, cell)
                if safe:
                    out.append((False, f"]({_destination(token)})"))
            index = close
        position = last
        index += 1
    out.append((False, _text(src[position:end], cell)))


def _closing(tokens: list[Token], index: int) -> int:
    """The index of the `link_close` that ends the link opened at `index`."""
    depth = 0
    for position in range(index, len(tokens)):
        if tokens[position].type == "link_open":
            depth += 1
        elif tokens[position].type == "link_close":
            depth -= 1
            if depth == 0:
                return position
    return len(tokens) - 1


def _text(text: str, cell: bool = False) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            return "&lt;" if match.group(1) == "<" else match.group(0)
        if match.group(2):
            return _REPLACEMENTS[match.group(2)]
        return "&#96;" * len(match.group(3))

    return (_TEXT_ACTIVE_CELL if cell else _TEXT_ACTIVE).sub(replace, text)


def _code_inline(source: str, content: str) -> str:
    """A code span as written, unless it holds `<` (which Python-Markdown's HTML pass could
    read as a tag, at the start of a line or inside a raw block) or spans lines."""
    if "<" in content:
        return f"<code>{html.escape(content, quote=False).translate(_MARKDOWN_INERT)}</code>"
    return source.replace("\n", " ")


def _destination(token: Token) -> str:
    """A link's target and title, written so that neither can hold Markdown or break out."""
    href = _quote_url(str(token.attrGet("href") or ""))
    title = token.attrGet("title")
    if not title:
        return href
    shown = html.escape(" ".join(str(title).split()), quote=True).translate(_MARKDOWN_INERT)
    return f'{href} "{shown}"'


def _image(src: str, token: Token, cell: bool) -> str:
    """An image with a safe URL, or its alt text when the URL is not."""
    label_start, label_end = token.meta["label"]
    alt = _text(src[label_start:label_end], cell)
    if not safe_url(str(token.attrGet("src") or "")):
        return alt
    return f"![{alt}]({_quote_url(str(token.attrGet('src') or ''))}{_title_part(token)})"


def _title_part(token: Token) -> str:
    title = token.attrGet("title")
    if not title:
        return ""
    return ' "' + html.escape(" ".join(str(title).split()), quote=True).translate(_MARKDOWN_INERT) + '"'


def _quote_url(url: str) -> str:
    """`url` with what Markdown could read as syntax percent-encoded (markdown-it leaves
    parentheses, quotes and asterisks as they are)."""
    return "".join(f"%{ord(c):02X}" if c in "()'*<>\"` \\[]{}|^" else c for c in url)


def _safe_line(line: str) -> bool:
    """Whether a line outside every block may stay: blank, container markers alone, a
    table's delimiter row, or a link reference definition with a safe URL."""
    if _MARKERS_ONLY.fullmatch(line) or _DELIMITER_ROW.fullmatch(line):
        return True
    match = _DEFINITION.fullmatch(line)
    return match is not None and "<" not in line and "`" not in line and safe_url(match.group(1))


def _trim_blank_lines(text: str) -> str:
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def _assemble(blocks: list[tuple[int, int, list[str | None]]]) -> str:
    """Join the blocks' lines; `None` asks for a blank line unless there is one already."""
    out: list[str] = []
    for _, _, lines in blocks:
        for line in lines:
            if line is not None:
                out.append(line)
            elif out and out[-1].strip():
                out.append("")
    while out and not out[-1].strip():
        out.pop()
    while out and not out[0].strip():
        out.pop(0)
    return "\n".join(out)
