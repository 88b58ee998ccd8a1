"""A README written in reStructuredText, read as the Markdown the guides are drafted from.

MkDocs publishes Markdown, so a `README.rst` is never a page; it is still the project's
own account of itself and its first examples (click's, numpy's, pytest's), which the
overview, the tutorial and the FAQ are drafted from. This turns it into Markdown only as
far as they read it: its literal blocks fenced (`.. code-block:: python`, a paragraph
ending in `::`, a `>>>` session, a `$ ` shell session), its titles marked with `#`, its
badges, pictures and link targets left out, its link references read as their words.
Everything else is kept as written, which a model reads well enough. No directive is run:
an `.. include::` stays text, and nothing outside the file is read.
"""

from __future__ import annotations

import re
import textwrap

from docgen.generate.prose.verify import parses_as_python, split_blocks
from docgen.publish.sanitize import fence_for

README_RST = "README.rst"
_CODE_DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\.\s+(?:code-block|code|sourcecode)::\s*(?P<language>[\w+.-]*)\s*$")
_OPTION = re.compile(r"^\s+:[\w-]+:")  # a directive's option line: `:linenos:`
_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+<>:._])\1{2,}\s*$")
# Markup with nothing to read: badges, pictures, raw HTML, link targets (`.. _pip: URL`).
_NOTHING_TO_READ = re.compile(r"^(?P<indent>\s*)\.\.\s+(?:(?:\|[^|]+\|\s+)?(?:image|figure|raw)::|_[^:]+:)")
_REFERENCE = re.compile(r"`(?P<words>[^`<]+?)(?:\s*<[^`>]*>)?`__?(?![\w`])")  # `pip`_, `the docs <URL>`_
_SESSION_LANGUAGES = frozenset({"pycon", "python-console", "doscon", "console", "shell-session"})


def rst_as_markdown(text: str) -> str:
    """`text` (reStructuredText) with its literal blocks fenced and its titles marked."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        skipped = _NOTHING_TO_READ.match(line)
        if skipped is not None:
            i, _ = _indented_block(lines, i + 1, len(skipped["indent"]))
            continue
        directive = _CODE_DIRECTIVE.match(line)
        if directive is not None:
            i, body = _indented_block(lines, i + 1, len(directive["indent"]), options=True)
            out += _fence(body, directive["language"].lower(), out)
            continue
        if line.rstrip().endswith("::") and not line.lstrip().startswith(".."):
            intro = line.rstrip()[:-2].rstrip()
            if intro.strip():  # `Example::` reads `Example:`; `Example ::` and a lone `::`, nothing
                out.append(intro + (":" if not line.rstrip().endswith(" ::") else ""))
            indent = len(line) - len(line.lstrip())
            i, body = _indented_block(lines, i + 1, indent)
            out += _fence(body, "", out)
            continue
        if line.lstrip().startswith(">>>") and (not out or not out[-1].strip()):
            session = []
            while i < len(lines) and lines[i].strip():
                session.append(lines[i])
                i += 1
            out += _fence(textwrap.dedent("\n".join(session)), "pycon", out)
            continue
        if line.strip() and i + 1 < len(lines) and _UNDERLINE.match(lines[i + 1]) and len(lines[i + 1].strip()) >= len(line.strip()):
            out.append("# " + _unescaped(line.strip()))
            i += 2
            continue
        if _UNDERLINE.match(line) and i + 2 < len(lines) and lines[i + 1].strip() and lines[i + 2].strip() == line.strip():
            out.append("# " + _unescaped(lines[i + 1].strip()))  # a title with an overline
            i += 3
            continue
        out.append(line)
        i += 1
    return _with_plain_references("\n".join(out))


def _with_plain_references(text: str) -> str:
    """`text` with the hyperlink references of its prose (not of its code blocks) read as
    their words: `pip`_ as pip, `the docs <URL>`_ as the docs."""
    lines = text.split("\n")
    for block in split_blocks(text):
        if block.fence is None:  # the same lines back: a reference keeps its line breaks
            lines[block.line - 1 : block.line + block.text.count("\n")] = _REFERENCE.sub(r"\g<words>", block.text).split("\n")
    return "\n".join(lines)


def _indented_block(lines: list[str], start: int, indent: int, options: bool = False) -> tuple[int, str]:
    """From `start`, the lines indented deeper than `indent` (and the blank lines among
    them), after a directive's option lines when `options`: where the block ends, and its
    text dedented."""
    i = start
    while options and i < len(lines) and _OPTION.match(lines[i]):
        i += 1
    body: list[str] = []
    while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
        body.append(lines[i])
        i += 1
    return i, textwrap.dedent("\n".join(body)).strip("\n")


def _fence(body: str, language: str, before: list[str]) -> list[str]:
    """`body` as a fenced block set apart by blank lines from what is `before` it and after
    it; a block of no language is Python when it parses as Python (a `>>>` session,
    `pycon`), else plain text."""
    if not body.strip():
        return []
    if not language:
        language = "pycon" if body.lstrip().startswith(">>>") else "python" if parses_as_python(body) else "text"
    if language in _SESSION_LANGUAGES and body.lstrip().startswith(">>>"):
        language = "pycon"
    if language == "text" and body.lstrip().startswith("$ "):
        language = "console"  # a shell session, as the guides show one (click's README has it as text)
    fence = fence_for(body)
    return ([""] if before and before[-1].strip() else []) + [f"{fence}{language}", body, fence, ""]


def _unescaped(title: str) -> str:
    """A title without reStructuredText's backslash escapes (`\\$ click\\_`)."""
    return re.sub(r"\\(.)", r"\1", title)
