"""Docstring drafts as a patch to the source, for a person to review and apply.

docgen never writes into the code it documents: `docgen docstrings --patch` prints a
unified diff (paths relative to the project root, for `git apply` or `patch -p1`) that
adds each drafted docstring as the first statement of its function or class, indented
like the body, in the project's docstring style. Drafted text is untrusted: every
character that could end the string literal is escaped, and each patched file is parsed
again and compared with the original: unless the only change is the new docstrings, the
file is left out of the patch with a problem.
"""

from __future__ import annotations

import ast
import difflib
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field

from docgen.generate.prose.docstring_store import DocstringDraft
from docgen.model import Symbol
from docgen.problems import Problem

WIDTH = 88  # the longest line a docstring line is wrapped to, its indent included
STYLES = ("google", "numpy", "sphinx")
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_LINE = re.compile(r"[^\n]*\n|[^\n]+$")  # lines as Python counts them, not as str.splitlines does
_SAFE_PATH = re.compile(r"^[\w./+@-]+$")  # what a diff header carries unquoted, in git and patch alike


@dataclass
class Patch:
    """The diff, and the drafts left out of it with why."""

    text: str = ""
    symbols: list[str] = field(default_factory=list)  # the symbols it documents
    problems: list[Problem] = field(default_factory=list)


def docstring_lines(symbol: Symbol, draft: DocstringDraft, style: str, width: int = WIDTH) -> list[str]:
    """The docstring's lines (no quotes, no indent) in `style`: google (the default, and
    what `auto` means), numpy or sphinx; wrapped to `width`."""
    style = style if style in STYLES else "google"
    described = dict(draft.params)
    # By name alone, `*args` too: griffe, and so docgen, match a described parameter by its name.
    params = [(p.name, described[p.name]) for p in symbol.params if described.get(p.name)]
    raises = [(exception.rsplit(".", 1)[-1], text) for exception, text in draft.raises]
    lines = _wrap(draft.summary, width)
    if style == "google":
        sections = [("Args:", params), ("Returns:", [("", draft.returns)] if draft.returns else []), ("Raises:", raises)]
        for title, items in sections:
            if items:
                lines += ["", title]
                for name, text in items:
                    lines += _wrap(f"{name}: {text}", width, "    ", "        ") if name else _wrap(text, width, "    ", "    ")
    elif style == "numpy":
        returned = [(symbol.returns or "object", draft.returns)] if draft.returns else []
        for title, items in (("Parameters", params), ("Returns", returned), ("Raises", raises)):
            if items:
                lines += ["", title, "-" * len(title)]
                for name, text in items:
                    lines += [name, *_wrap(text, width, "    ", "    ")]
    else:
        fields = [(f":param {name}:", text) for name, text in params]
        fields += [(":returns:", draft.returns)] if draft.returns else []
        fields += [(f":raises {name}:", text) for name, text in raises]
        if fields:
            lines.append("")
        for name, text in fields:
            lines += _wrap(f"{name} {text}", width, "", "    ")
    return lines


def _wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """`text` in lines of at most `width`, never breaking a word (a dotted name stays whole)."""
    return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest, break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


def make_patch(sources: Mapping[str, str], drafted: list[tuple[Symbol, DocstringDraft]], style: str) -> Patch:
    """The diff adding each draft of `drafted` to the source in `sources` (text by
    project-relative path)."""
    patch = Patch()
    by_file: dict[str, list[tuple[Symbol, DocstringDraft]]] = {}
    for symbol, draft in drafted:
        by_file.setdefault(symbol.location.file, []).append((symbol, draft))
    parts = []
    for path in sorted(by_file):
        if path not in sources:
            patch.problems += [_left_out(symbol, "its file was not read") for symbol, _ in by_file[path]]
            continue
        if not _SAFE_PATH.match(path):
            patch.problems += [_left_out(symbol, "its file's name cannot go into a patch unquoted") for symbol, _ in by_file[path]]
            continue
        diff = _file_diff(path, sources[path], by_file[path], style, patch)
        if diff:
            parts.append(diff)
    patch.text = "".join(parts)
    return patch


def _file_diff(path: str, text: str, drafted: list[tuple[Symbol, DocstringDraft]], style: str, patch: Patch) -> str:
    try:
        original = ast.parse(text)
    except (SyntaxError, ValueError):
        patch.problems += [_left_out(symbol, f"{path} does not parse") for symbol, _ in drafted]
        return ""
    lines = _LINE.findall(text)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    insertions: dict[int, list[str]] = {}  # 0-based line index -> lines inserted before it
    documented = []
    for symbol, draft in drafted:
        node = _node(original, symbol)
        if node is None:
            patch.problems.append(_left_out(symbol, "not found where the scan saw it (was the file edited since?)"))
            continue
        first = node.body[0]
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            patch.problems.append(_left_out(symbol, "it has an empty docstring: fill that in instead"))
            continue
        start = min([first.lineno] + [d.lineno for d in getattr(first, "decorator_list", [])])
        if start <= node.lineno or start > len(lines):
            patch.problems.append(_left_out(symbol, "its body starts on the line of its definition"))
            continue
        indent = re.match(r"[ \t]*", lines[start - 1]).group(0)
        if not draft.summary:
            continue  # drafted, but nothing of it passed the verifier: nothing to add
        body = docstring_lines(symbol, draft, style, max(40, WIDTH - len(indent.expandtabs())))
        literal = _literal(body, indent)
        if isinstance(node, ast.ClassDef) and lines[start - 1].strip():
            literal.append("")  # PEP 257: a blank line after a class's docstring
        insertions.setdefault(start - 1, []).extend(line + newline for line in literal)
        documented.append(symbol.id)
    if not insertions:
        return ""
    patched_lines = []
    for number, line in enumerate(lines):
        patched_lines += insertions.get(number, [])
        patched_lines.append(line)
    patched = "".join(patched_lines)
    if not _only_docstrings_added(original, patched, len(documented)):
        patch.problems += [_left_out(symbol, f"{path} would change beyond its docstrings") for symbol, _ in drafted]
        return ""
    patch.symbols += documented
    return _unified(path, lines, patched_lines)


def _node(tree: ast.Module, symbol: Symbol) -> ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | None:
    """The definition of `symbol`: its name, starting (at its def or a decorator) on the line the scan saw."""
    start, end = symbol.location.start, max(symbol.location.end, symbol.location.start)
    for node in ast.walk(tree):
        if isinstance(node, _DEFS) and node.name == symbol.name:
            lines = [node.lineno] + [d.lineno for d in node.decorator_list]
            if any(line == start for line in lines) or start <= node.lineno <= end and min(lines) >= start:
                return node
    return None


def _literal(body: list[str], indent: str) -> list[str]:
    """`body` as a triple-quoted string literal at `indent`. Backslashes are doubled and a
    quote followed by a quote or ending a line is escaped, so nothing inside can close it."""
    escaped = [re.sub(r'"(?="|$)', r'\\"', line.replace("\\", "\\\\")) for line in body]
    if len(escaped) == 1:
        return [f'{indent}"""{escaped[0]}"""']
    return [f'{indent}"""{escaped[0]}', *(f"{indent}{line}" if line else "" for line in escaped[1:]), f'{indent}"""']


def _only_docstrings_added(original: ast.Module, patched_text: str, added: int) -> bool:
    """Whether `patched_text` is `original` with `added` docstrings and nothing else."""
    try:
        patched = ast.parse(patched_text)
    except (SyntaxError, ValueError):
        return False
    before = [node for node in ast.walk(original) if isinstance(node, _DEFS)]
    after = [node for node in ast.walk(patched) if isinstance(node, _DEFS)]
    if len(before) != len(after):
        return False
    found = 0
    for old, new in zip(before, after):
        if ast.get_docstring(old) is None and ast.get_docstring(new, clean=False) is not None:
            new.body = new.body[1:]
            found += 1
    return found == added and ast.dump(original) == ast.dump(patched)


def _unified(path: str, before: list[str], after: list[str]) -> str:
    """A unified diff of one file, `a/` and `b/` prefixed; a last line without a newline
    gets the marker that says so."""
    out = []
    for line in difflib.unified_diff(before, after, f"a/{path}", f"b/{path}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _left_out(symbol: Symbol, why: str) -> Problem:
    where = symbol.location
    return Problem("docstring-drafts", f"the draft of {symbol.id} is not in the patch: {why}", where.file, where.start, symbol=symbol.id)
