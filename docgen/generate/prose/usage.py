"""Usage items: the pieces of a project's README, examples and tests that show its API in use.

An item is whole (a test function, an example's function or top-level code, a README code
block with the paragraph that introduces it), carries the imports it needs, and knows which
documented symbols it uses, resolved the way the verifier resolves drafted code
(`verify.code_names`). Tutorials and how-tos pick the items that use the entry points they
are about, most telling first.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass

from docgen.generate.links import LinkIndex
from docgen.generate.prose.verify import PYTHON_FENCES, code_body, code_names, parse_python, split_blocks
from docgen.scan.finder import FoundFile
from docgen.scan.usage import is_test_file

ITEM_CHARACTERS = 1500  # an item longer than this is left out, never cut
SOURCES = ("readme", "example", "test")  # most telling first


@dataclass(frozen=True)
class UsageItem:
    """One piece of code (and its introduction) that uses the project."""

    source: str  # "readme", "example" or "test"
    file: str  # project-relative path
    text: str  # as shown to the model: Markdown for the README, Python otherwise
    uses: tuple[str, ...]  # ids of the documented symbols it uses, in order of first use

    @property
    def rank(self) -> int:
        """Its source's place in `SOURCES`."""
        return SOURCES.index(self.source)


def usage_items(files: tuple[FoundFile, ...], readme: tuple[str, str] | None, index: LinkIndex) -> list[UsageItem]:
    """The items of the README's code blocks and of the example and test `files` that use
    at least one documented symbol, in the order they were found."""
    items: list[UsageItem] = []
    if readme is not None:
        items += _readme_items(*readme, index)
    for file in files:
        tree = parse_python(file.text)
        if tree is None:
            continue  # not Python this interpreter reads: no evidence
        source = "test" if is_test_file(file.path) else "example"
        for text in _pieces(tree, file.text, tests_only=source == "test"):
            uses = _uses(text, index)
            if uses and len(text) <= ITEM_CHARACTERS:
                items.append(UsageItem(source, file.path, text, uses))
    return items


def _readme_items(path: str, text: str, index: LinkIndex) -> list[UsageItem]:
    """Each code block of the README, with the paragraph before it; Python blocks must use
    the project, others (a shell session: `pip install`) are kept when short."""
    items = []
    previous = ""
    for block in split_blocks(text):
        if block.fence is None:
            previous = block.text if not block.text.lstrip().startswith("#") else ""
            continue
        shown = (previous + "\n\n" if previous else "") + block.text
        uses = _uses(code_body(block), index) if block.fence in PYTHON_FENCES else ()
        if (uses or block.fence not in PYTHON_FENCES) and len(shown) <= ITEM_CHARACTERS:
            items.append(UsageItem("readme", path, shown, uses))
        previous = ""
    return items


def _pieces(tree: ast.Module, text: str, tests_only: bool) -> list[str]:
    """The whole pieces of a Python file, each with the file's imports it needs: its test
    functions (and test methods) when `tests_only`, else its functions, classes and runs
    of top-level statements."""
    lines = text.split("\n")
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]

    def source(first: ast.stmt, last: ast.stmt) -> str:
        start = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", ()))])
        return textwrap.dedent("\n".join(lines[start - 1 : last.end_lineno])).rstrip()  # a method, dedented

    pieces: list[str] = []
    if tests_only:
        for node in tree.body:
            members = node.body if isinstance(node, ast.ClassDef) and node.name.startswith("Test") else [node]
            pieces += [source(m, m) for m in members if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and m.name.startswith("test")]
    else:
        run: list[ast.stmt] = []
        for node in [*tree.body, None]:
            if node is None or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if run:
                    pieces.append(source(run[0], run[-1]))
                    run = []
                if node is not None:
                    pieces.append(source(node, node))
            elif not isinstance(node, (ast.Import, ast.ImportFrom)) and not _is_docstring(node):
                run.append(node)
    return [_with_imports(piece, imports, lines) for piece in pieces]


def _with_imports(piece: str, imports: list[ast.Import | ast.ImportFrom], lines: list[str]) -> str:
    """`piece` after the file's import statements that bind a name it uses."""
    tree = parse_python(piece)
    if tree is None:
        return piece
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    needed = []
    for node in imports:
        bound = {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        if bound & used:
            needed.append("\n".join(lines[node.lineno - 1 : node.end_lineno]))
    return "\n".join(needed) + ("\n\n" if needed else "") + piece


def _uses(code: str, index: LinkIndex) -> tuple[str, ...]:
    """The documented symbols `code` uses (not only imports) through its imports."""
    tree = parse_python(code)
    if tree is None:
        return ()
    found = code_names(tree, index.top_level)
    resolved = (index.resolve(path, [], {}) for path in found.used)
    return tuple(dict.fromkeys(symbol for symbol in resolved if symbol is not None))


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
