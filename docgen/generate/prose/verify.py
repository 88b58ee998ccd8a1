"""The truth gate: drafted text may only name code that exists.

Every code reference in a draft (backticked names, dotted paths, calls, and the imports
and calls of its Python, in blocks or written inline) must resolve to a documented symbol
of the project, a name of the standard library or builtins, or a declared dependency.
Code blocks must parse, and use only names that they or the page's other blocks define
or import. `check` lists what does not; `drop` removes the sentences, list items and
blocks that hold it, so nothing unresolved reaches a page.
"""

from __future__ import annotations

import ast
import builtins
import json
import keyword
import re
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass

from docgen.generate.links import LinkIndex, looks_like_file
from docgen.model import Project

# A backticked span that reads as a reference: a (dotted) name, optionally called.
REFERENCE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?P<call>\(.*\))?$")
CODE_SPAN = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
INLINE_FENCE = re.compile(r"`{3,}[^`\n]*(?:`{3,}|$)")  # a fenced block flattened into a sentence
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)[ \t]*(?P<info>[^\n`]*)$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*\[(])")
PYTHON_FENCES = frozenset({"python", "py", "python3", "pycon"})
_BUILTINS = frozenset(dir(builtins)) | frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
_PLAIN_WORDS = frozenset({"self", "cls", "args", "kwargs"})
_MODULE_GLOBALS = frozenset({"__name__", "__file__", "__doc__", "__spec__", "__loader__", "__package__", "__builtins__"})


@dataclass(frozen=True)
class Unresolved:
    """A reference in a draft that names nothing that exists, or a block that does not parse."""

    reference: str
    line: int  # 1-based, in the draft
    why: str


@dataclass(frozen=True)
class Names:
    """What a draft may name."""

    index: LinkIndex  # the project's documented symbols
    modules: frozenset[str]  # top-level importable names: the project's, the standard library's, dependencies'
    words: frozenset[str]  # parameter, field and member names: a bare `timeout` means one of them

    def resolves(self, name: str) -> bool:
        """Whether a dotted name refers to something that exists."""
        head = name.split(".", 1)[0]
        if "." not in name and (name in _BUILTINS or name in self.words or name in _PLAIN_WORDS):
            return True
        if head in self.modules and head not in self.index.top_level:
            return True  # the standard library or a dependency: not ours to check deeper
        if head in ("self", "cls"):
            return True
        if self.index.resolve(name, [], {}) is not None or self.index.names_some(name):
            return True
        # A value's attributes, as prose names them (`response.text`, `cart.checkout()`): a
        # name that is no module, then members of the project's only.
        rest = name.split(".")[1:]
        return bool(rest) and head.islower() and head not in self.modules and all(part in self.words for part in rest)


def names_for(project: Project, index: LinkIndex, dependencies: frozenset[str]) -> Names:
    """The `Names` of a project: its link index, the names of its symbols and parameters,
    and the modules its code may import."""
    words = {symbol.name for symbol in project.walk()} | {param.name for symbol in project.walk() for param in symbol.params}
    modules = frozenset(sys.stdlib_module_names) | dependencies | frozenset(index.top_level)
    return Names(index, modules, frozenset(words))


def declared_dependencies(pyproject_text: str) -> frozenset[str]:
    """The import names of the dependencies a pyproject.toml declares (`PyYAML` -> `yaml`
    is not guessable; the distribution name, normalised, is what is accepted)."""
    try:
        data = tomllib.loads(pyproject_text)
    except tomllib.TOMLDecodeError:
        return frozenset()
    project = data.get("project", {}) if isinstance(data.get("project"), dict) else {}
    declared = list(project.get("dependencies", []) or [])
    for group in (project.get("optional-dependencies", {}) or {}).values():
        declared += list(group or [])
    names = set()
    for requirement in declared:
        match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", str(requirement))
        if match:
            names.add(re.sub(r"[-.]+", "_", match.group(1)).lower())
    return frozenset(names)


def check(text: str, names: Names, elsewhere: frozenset[str] | None = frozenset()) -> list[Unresolved]:
    """Every reference in `text` (Markdown) that does not resolve, and every code block
    that does not parse or uses a name that neither it, another block of `text` nor
    `elsewhere` (the names the rest of its page binds; None: anything) binds."""
    found: list[Unresolved] = []
    here = page_bound_names([text])
    bound = None if here is None or elsewhere is None else here | elsewhere
    for block in split_blocks(text):
        if block.fence is not None:
            found += _check_code(block, names, bound)
            continue
        for offset, line in enumerate(block.text.split("\n")):
            for flattened in INLINE_FENCE.findall(line):  # no page can show it as code
                found.append(Unresolved(flattened, block.line + offset, "is written inside a sentence, on one line; leave code out of the prose"))
            for span in CODE_SPAN.findall(line):
                match = REFERENCE.match(span.strip())
                if match and not names.resolves(match["name"]) and not looks_like_file(match["name"]):
                    found.append(Unresolved(span.strip(), block.line + offset, "names nothing in the project"))
                elif not match and (tree := _statements(span)) is not None:  # `import shop; shop.pay.charge(...)`
                    found += [Unresolved(name, block.line + offset, "names nothing in the project") for name in _python_names(tree, names)]
    return found


def drop(text: str, unresolved: list[Unresolved]) -> str:
    """`text` without the sentences (or list items, or code blocks) that hold an
    unresolved reference."""
    bad_lines = {item.line for item in unresolved}
    bad_names = {item.reference for item in unresolved}
    kept: list[str] = []
    for block in split_blocks(text):
        lines = range(block.line, block.line + block.text.count("\n") + 1)
        if not bad_lines.intersection(lines):
            kept.append(block.text)
        elif block.fence is None and not INLINE_FENCE.search(block.text) and not block.text.lstrip().startswith(("- ", "* ", "1.", "#", "|")):
            sentences = [s for s in _SENTENCE_END.split(block.text) if not any(f"`{n}`" in s for n in bad_names)]
            if sentences:
                kept.append(" ".join(sentences))
    return "\n\n".join(part.strip("\n") for part in kept if part.strip()) + "\n"


@dataclass(frozen=True)
class Block:
    """A paragraph, list item, heading or fenced code block of a Markdown draft."""

    text: str
    line: int  # where it starts, 1-based
    fence: str | None = None  # the info string of a code block (language), "" when none


def split_blocks(text: str) -> list[Block]:
    """`text` cut into blocks at blank lines and list items, keeping code blocks whole."""
    blocks: list[Block] = []
    lines = text.split("\n")
    current: list[str] = []
    start = 1
    fence: tuple[str, str] | None = None  # (fence, info) of the open code block

    def flush(end: int, info: str | None = None) -> None:
        nonlocal current, start
        if current and any(line.strip() for line in current):
            blocks.append(Block("\n".join(current), start, info))
        current, start = [], end + 1

    for number, line in enumerate(lines, start=1):
        opening = _FENCE.match(line)
        if fence is not None:
            current.append(line)
            if opening and opening["fence"].startswith(fence[0]) and not opening["info"].strip():
                flush(number, fence[1])
                fence = None
            continue
        if opening:
            flush(number - 1)
            current, start = [line], number
            fence = (opening["fence"], opening["info"].strip().split(" ")[0].lower())
            continue
        if not line.strip():
            flush(number)
            continue
        if re.match(r"^\s*(?:[-*+]|\d+[.)])\s", line) and current:
            flush(number - 1)
        if not current:
            start = number
        current.append(line)
    if fence is not None:  # an unclosed block: a code block all the same (it cannot be trusted)
        flush(len(lines), fence[1])
    else:
        flush(len(lines))
    return blocks


def parse_python(code: str) -> ast.Module | None:
    """`code`'s syntax tree, or None when it is not Python this interpreter parses: a
    syntax error, a null byte, or nesting too deep to parse (from a hostile README or
    example, ast.parse raises MemoryError or RecursionError on it)."""
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def parses_as_python(code: str) -> bool:
    """Whether `code` is Python this interpreter parses (see `parse_python`)."""
    return parse_python(code) is not None


def code_body(block: Block) -> str:
    """The code of a fenced block, without its fences; a `pycon` session's input lines only."""
    body = "\n".join(block.text.split("\n")[1:-1])
    if block.fence == "pycon":
        body = "\n".join(line[4:] for line in body.split("\n") if line.startswith((">>> ", "... ")))
    return body


def _check_code(block: Block, names: Names, bound: frozenset[str] | None) -> list[Unresolved]:
    """A code block's own problems: Python that does not parse, imports and calls of the
    project that name nothing, names that neither it nor the rest of its page (`bound`;
    None: anything) binds; JSON, TOML and YAML that do not parse."""
    body = code_body(block)
    language = block.fence or ""
    if language in PYTHON_FENCES:
        try:
            tree = ast.parse(body)
        except SyntaxError as error:
            return [Unresolved(f"```{language}", block.line, f"does not parse: {error.msg}")]
        except (ValueError, RecursionError, MemoryError):
            return [Unresolved(f"```{language}", block.line, "does not parse: nested too deep or holds a null byte")]
        found = [Unresolved(name, block.line, "names nothing in the project") for name in _python_names(tree, names)]
        unbound = unbound_names(tree, bound) if bound is not None else []
        return found + [Unresolved(f"```{language}", block.line, f"uses `{name}`, which it never defines or imports") for name in unbound]
    try:
        if language == "json":
            json.loads(body)
        elif language == "toml":
            tomllib.loads(body)
    except (ValueError, tomllib.TOMLDecodeError) as error:
        return [Unresolved(f"```{language}", block.line, f"does not parse: {str(error).splitlines()[0]}")]
    return []


@dataclass(frozen=True)
class CodeNames:
    """What a piece of Python code imports, and which of the project's names it uses."""

    modules: tuple[str, ...]  # every module imported absolutely, as written (`os.path`, `shop.cart`)
    paths: tuple[str, ...]  # the project's names it imports, and uses through those imports
    used: tuple[str, ...]  # of those, the ones it uses (calls, reads) beyond importing them
    relative: bool  # whether it imports relatively (`from . import x`)


def code_names(tree: ast.AST, project: frozenset[str] | set[str]) -> CodeNames:
    """The imports of `tree` and the dotted paths of the project (`project`: its top-level
    names) it imports, calls or reads through them (`cart.Cart().checkout` is
    `shop.cart.Cart.checkout` after `from shop import cart`)."""
    imported: dict[str, str] = {}  # local name -> full path, for imports of the project
    modules: list[str] = []
    paths: list[str] = []
    relative = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                modules.append(alias.name)
                if alias.name.split(".")[0] in project:
                    paths.append(alias.name)
                    imported[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and (node.level or not node.module):
            relative = True
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.append(node.module)
            if node.module.split(".")[0] in project:
                for alias in node.names:
                    path = f"{node.module}.{alias.name}"
                    if alias.name != "*":
                        paths.append(path)
                    imported[alias.asname or alias.name] = path
    used: list[str] = []
    inner = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}  # `a` of `a.b`: a.b says it
    for node in ast.walk(tree):
        if isinstance(node, (ast.Call, ast.Attribute, ast.Name)) and id(node) not in inner:
            head, _, rest = dotted(node.func if isinstance(node, ast.Call) else node).partition(".")
            if head in imported:
                used.append(imported[head] + (f".{rest}" if rest else ""))
    return CodeNames(tuple(dict.fromkeys(modules)), tuple(dict.fromkeys(paths + used)), tuple(dict.fromkeys(used)), relative)


def _statements(span: str) -> ast.Module | None:
    """An inline code span's Python, when it imports or calls something (code written on
    one line: `import shop; shop.pay.charge("4242", 3)`), else None."""
    tree = parse_python(span.strip())
    if tree is None or not any(isinstance(node, (ast.Import, ast.ImportFrom, ast.Call)) for node in ast.walk(tree)):
        return None
    return tree


def bound_names(tree: ast.Module) -> set[str] | None:
    """The names `tree` binds (by an import, a definition, an assignment, a parameter...),
    or None when it imports `*`, which binds what no one can tell."""
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if any(alias.name == "*" for alias in node.names):
                return None
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
    return bound


def unbound_names(tree: ast.Module, elsewhere: frozenset[str] = frozenset()) -> list[str]:
    """The names `tree` reads that neither it nor the rest of its page (`elsewhere`: the
    names its other blocks bind, as a tutorial's step uses what an earlier one made) binds,
    and that are no builtins: `naval()` in a page that defines no `naval`."""
    bound = bound_names(tree)
    if bound is None:
        return []
    known = bound | elsewhere | _BUILTINS | _MODULE_GLOBALS
    read = (node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load))
    return [name for name in dict.fromkeys(read) if name not in known]


def page_bound_names(texts: list[str]) -> frozenset[str] | None:
    """The names the Python blocks of `texts` (the fields of one answer, or a page) bind;
    None when one imports `*`, which binds what no one can tell."""
    return code_bound_names(code_body(block) for text in texts for block in split_blocks(text) if block.fence in PYTHON_FENCES)


def code_bound_names(codes: Iterable[str]) -> frozenset[str] | None:
    """The names the pieces of Python in `codes` bind (one that does not parse, none);
    None when one imports `*`."""
    bound: set[str] = set()
    for code in codes:
        tree = parse_python(code)
        names = bound_names(tree) if tree is not None else set()
        if names is None:
            return None
        bound |= names
    return frozenset(bound)


def _python_names(tree: ast.AST, names: Names) -> list[str]:
    """The modules a Python block imports that are not importable, and the project names
    it imports or calls that do not resolve."""
    found = code_names(tree, names.index.top_level)
    missing = [module for module in found.modules if module.split(".")[0] not in names.modules]
    missing += [path for path in found.paths if not names.resolves(path)]
    return list(dict.fromkeys(missing))


def dotted(node: ast.AST) -> str:
    """`a.b.c` for the attribute chain `a.b.c`, or "" when it does not start at a name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""
