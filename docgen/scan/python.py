"""Python through griffe: static analysis only, user code is never imported.

Finds the loadable units (packages, src/ layouts, namespace packages, loose scripts at the
root), loads them with one griffe loader, and converts griffe's objects to `Symbol`s.
"""

from __future__ import annotations

import ast
import io
import logging
import tokenize
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable

from docgen.model import DocItem, DocSection, Docstring, Location, Param, Symbol
from docgen.problems import Problem, skipped_file
from docgen.scan import ml
from docgen.scan.finder import FoundFile

# griffe logs unparsable files, docstring quirks and unresolvable aliases; docgen reports
# skipped files itself, with the line, and unresolved references at render time, so
# griffe's own log stays quiet.
logging.getLogger("griffe").setLevel(logging.CRITICAL)

SIGNATURE_WIDTH = 70  # what fits Material's content column without a scroll bar


def parse_python(root: Path, files: Iterable[FoundFile], docstring_style: str = "auto") -> tuple[
    list[Symbol], list[Problem]
]:
    """Load every Python file in `files` with griffe and return top-level module symbols."""
    import griffe

    by_path = {file.path: file for file in files}
    loader = griffe.GriffeLoader(
        search_paths=[str(root / base) if base else str(root) for base in _search_bases(by_path)],
        docstring_parser=docstring_style,  # type: ignore[arg-type]
        allow_inspection=False,
        store_source=False,
    )
    converter = _Converter(root, by_path)
    symbols: list[Symbol] = []
    failures: dict[str, str] = {}  # top-level name -> why griffe could not load it
    for _, name in sorted(_units(by_path)):
        try:
            module = loader.load(name, try_relative_path=False)
        except Exception as error:  # griffe raises many kinds; each unit fails alone
            failures[name] = f"griffe could not load '{name}': {error}"
            continue
        symbol = converter.module(module)
        if symbol is not None:
            symbols.append(symbol)
    missing = sorted(set(by_path) - converter.loaded)
    return symbols, [_why_not_loaded(by_path[path], failures) for path in missing]


def _search_bases(by_path: dict[str, FoundFile]) -> set[str]:
    return {base for base, _ in _units(by_path)}


def _units(by_path: dict[str, FoundFile]) -> set[tuple[str, str]]:
    """(search base, top-level name) pairs: `src/` layouts, flat packages, loose scripts."""
    units = set()
    src_layout = "src/__init__.py" not in by_path
    for path in by_path:
        parts = path.split("/")
        base = ""
        if src_layout and parts[0] == "src" and len(parts) > 1:
            base, parts = "src", parts[1:]
        top = parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")
        if top.isidentifier():
            units.add((base, top))
    return units


def _why_not_loaded(file: FoundFile, failures: dict[str, str]) -> Problem:
    """A one-line reason for a Python file griffe left out (it only logs them at DEBUG)."""
    try:
        ast.parse(file.text, filename=file.path)
    except SyntaxError as error:
        return skipped_file(file.path, f"syntax error: {error.msg}", error.lineno or 0)
    for top, message in failures.items():
        if file.path == f"{top}.py" or file.path.startswith((f"{top}/", f"src/{top}/", f"src/{top}.py")):
            return skipped_file(file.path, message)
    stem = file.path.rsplit("/", 1)[-1].removesuffix(".py")
    if not stem.isidentifier():
        return skipped_file(file.path, "not an importable module name")
    return skipped_file(file.path, "not importable: its folder is not a package (no __init__.py)")


class _Converter:
    """Turns griffe objects into `Symbol`s, keeping only files the finder accepted."""

    def __init__(self, root: Path, by_path: dict[str, FoundFile]) -> None:
        self.root = root
        self.by_path = by_path
        self.loaded: set[str] = set()
        self._lines: dict[str, list[str]] = {}

    def rel(self, filepath: Any) -> str | None:
        if isinstance(filepath, list):  # namespace packages span folders
            return None
        try:
            return Path(filepath).relative_to(self.root).as_posix()
        except ValueError:
            return None

    def module(self, module: Any) -> Symbol | None:
        rel = self.rel(module.filepath)
        if rel is not None and rel not in self.by_path:
            return None  # excluded, too large, or otherwise set aside by the finder
        if rel is not None:
            self.loaded.add(rel)
        children = []
        for member in module.members.values():
            if member.is_alias:
                child = self.reexport(member, module)
            elif member.is_module:
                child = self.module(member)
            else:
                child = self.member(member, rel or "")
            if child is not None:
                children.append(child)
        if module.is_namespace_package and not children:
            return None
        is_package = module.is_package or module.is_subpackage or module.is_namespace_package or module.is_namespace_subpackage
        lines = len(self.by_path[rel].text.splitlines()) if rel else 0
        return Symbol(
            id=module.path,
            name=module.name,
            kind="package" if is_package else "module",
            language="python",
            location=Location(rel or "", 1 if rel else 0, lines),
            docstring=self.docstring(module),
            public=_is_public(module),
            children=tuple(children),
            imports=tuple(sorted((name, str(target)) for name, target in module.imports.items())),
        )

    def reexport(self, alias: Any, module: Any) -> Symbol | None:
        """A public name a module imports from a private one (`httpx.Client`, defined in
        `httpx._client`), documented here, where users find it; else None.

        Names defined in public modules stay documented where they are defined.
        """
        if not _is_public(alias):
            return None
        try:
            target = alias.final_target
        except Exception:  # defined outside the project, or unresolvable: nothing to show
            return None
        if target.is_module or not _has_private_part(target.path):
            return None
        rel = self.rel(target.filepath)
        if rel not in self.by_path:
            return None
        symbol = self.member(target, rel)
        if symbol is None:
            return None
        # Names in its signatures mean what they mean where it is defined.
        home = target.module
        context = {name: f"{home.path}.{name}" for name, member in home.members.items() if not member.is_alias}
        context.update({name: str(path) for name, path in home.imports.items()})
        rehomed = _rehome(symbol, f"{module.path}.{alias.name}", alias.name)
        return replace(rehomed, imports=tuple(sorted(context.items())), hash="")

    def member(self, obj: Any, rel: str) -> Symbol | None:
        if obj.is_class:
            return self.klass(obj, rel)
        if obj.is_function:
            return self.function(obj, rel)
        if obj.is_attribute:
            return self.attribute(obj, rel)
        return None  # type aliases and other rare kinds are not rendered yet

    def klass(self, cls: Any, rel: str) -> Symbol:
        # Members griffe synthesised (a dataclass's __init__) have no line and no page of their own.
        children = [self.member(m, rel) for m in cls.members.values() if not m.is_alias and m.lineno]
        init = cls.members.get("__init__")
        params = _params(init) if init is not None and init.is_function else ()
        bases = tuple(_canonical(base) for base in cls.bases)
        # Shown as it is called, like mkdocstrings does; the bases get a line of their own.
        arguments = [_param_text(p) for p in params if p.name not in ("self", "cls")]
        signature = _call(f"class {cls.name}", arguments) if arguments else f"class {cls.name}"
        return Symbol(
            id=cls.path,
            name=cls.name,
            kind="class",
            language="python",
            location=Location(rel, cls.lineno or 0, cls.endlineno or 0),
            signature=signature,
            docstring=self.docstring(cls),
            params=tuple(p for p in params if p.name not in ("self", "cls")),
            bases=bases,
            labels=tuple(sorted(cls.labels)),
            public=_is_public(cls),
            children=tuple(child for child in children if child is not None),
            fields=ml.config_fields(cls, self.comment),
            model=ml.model_info(cls, _one_line_signature),
        )

    def function(self, func: Any, rel: str) -> Symbol:
        params = _params(func)
        returns = str(func.returns) if func.returns is not None else ""
        prefix = "async def" if "async" in func.labels else "def"
        return Symbol(
            id=func.path,
            name=func.name,
            kind="method" if func.parent is not None and func.parent.is_class else "function",
            language="python",
            location=Location(rel, func.lineno or 0, func.endlineno or 0),
            signature=_call(f"{prefix} {func.name}", [_param_text(p) for p in params], returns),
            docstring=self.docstring(func),
            params=params,
            returns=returns,
            labels=tuple(sorted(func.labels)),
            public=_is_public(func),
        )

    def attribute(self, attr: Any, rel: str) -> Symbol:
        annotation = str(attr.annotation) if attr.annotation is not None else ""
        value = _short(str(attr.value)) if attr.value is not None else ""
        signature = attr.name + (f": {annotation}" if annotation else "") + (f" = {value}" if value else "")
        docstring = self.docstring(attr)
        if docstring is None:
            comment = self.comment(attr)
            docstring = Docstring(comment, (DocSection("text", comment),)) if comment else None
        return Symbol(
            id=attr.path,
            name=attr.name,
            kind="attribute",
            language="python",
            location=Location(rel, attr.lineno or 0, attr.endlineno or 0),
            signature=signature,
            docstring=docstring,
            returns=annotation,
            value=value,
            labels=tuple(sorted(attr.labels)),
            public=_is_public(attr),
        )

    def comment(self, obj: Any) -> str:
        """The trailing `# comment` on an attribute's line (nanoGPT-style field docs)."""
        rel = self.rel(obj.filepath)
        if rel not in self.by_path or not obj.lineno:
            return ""
        lines = self._lines.get(rel)
        if lines is None:
            lines = self._lines[rel] = self.by_path[rel].text.splitlines()
        if obj.lineno > len(lines):
            return ""
        return trailing_comment(lines[obj.lineno - 1])

    def docstring(self, obj: Any) -> Docstring | None:
        if obj.docstring is None or not obj.docstring.value.strip():
            return None
        sections = tuple(s for s in (_section(section) for section in obj.docstring.parsed) if s)
        return Docstring(obj.docstring.value, sections, obj.docstring.lineno or 0)


def _has_private_part(path: str) -> bool:
    """Whether a dotted path goes through a private module or class (`pkg._impl.Thing`)."""
    return any(part.startswith("_") and not part.startswith("__") for part in path.split(".")[:-1])


def _rehome(symbol: Symbol, new_id: str, name: str) -> Symbol:
    """`symbol` and its members under a new id (hashes recomputed)."""
    old = symbol.id
    children = tuple(_rehome(child, new_id + child.id[len(old) :], child.name) for child in symbol.children)
    return replace(symbol, id=new_id, name=name, children=children, hash="")


def trailing_comment(line: str) -> str:
    """The text of a `#` comment ending `line`, ignoring `#` inside strings."""
    if "#" not in line:
        return ""
    try:
        for token in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline):
            if token.type == tokenize.COMMENT:
                return token.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return ""  # a line of a multi-line statement: no reliable comment
    return ""


def _section(section: Any) -> DocSection | None:
    kind = section.kind.value
    value = section.value
    if kind == "text":
        return DocSection("text", value)
    if kind in ("parameters", "other parameters", "attributes", "type parameters"):
        items = tuple(
            DocItem(item.name, _text(item.annotation), item.description, _text(getattr(item, "default", None)))
            for item in value
        )
        return DocSection(kind, items=items)
    if kind in ("returns", "yields", "receives", "raises", "warns"):
        items = tuple(
            DocItem(getattr(item, "name", "") or "", _text(item.annotation), item.description) for item in value
        )
        return DocSection(kind, items=items)
    if kind == "examples":
        parts = [f"```pycon\n{text}\n```" if part.value == "examples" else text for part, text in value]
        return DocSection("examples", "\n\n".join(parts))
    if kind == "admonition":
        return DocSection("admonition", value.description, title=section.title or value.annotation or "")
    if kind == "deprecated":
        return DocSection("admonition", value.description, title=f"Deprecated {value.version or ''}".strip())
    return None


def _one_line_signature(func: Any) -> str:
    """`name(params) -> returns` on one line, as written in the source."""
    returns = str(func.returns) if func.returns is not None else ""
    return _call(func.name, [_param_text(p) for p in _params(func)], returns, wrap=False)


def _call(head: str, arguments: list[str], returns: str = "", *, wrap: bool = True) -> str:
    """`head(arguments) -> returns`, one argument a line when one line would be too long
    to read (the way black formats it) and `wrap` allows it."""
    tail = f" -> {returns}" if returns else ""
    line = f"{head}({', '.join(arguments)}){tail}"
    if not wrap or len(line) <= SIGNATURE_WIDTH or len(arguments) < 2:
        return line
    return f"{head}(\n" + "".join(f"    {argument},\n" for argument in arguments) + f"){tail}"


def _params(func: Any) -> tuple[Param, ...]:
    described = {}
    if func.docstring is not None:
        for section in func.docstring.parsed:
            if section.kind.value == "parameters":
                described.update({item.name: item.description for item in section.value})
    return tuple(
        Param(
            name=p.name,
            annotation=_text(p.annotation),
            default=_text(p.default),
            kind=p.kind.value if p.kind is not None else "",
            description=described.get(p.name, ""),
        )
        for p in func.parameters
    )


def _param_text(param: Param) -> str:
    stars = {"variadic positional": "*", "variadic keyword": "**"}.get(param.kind, "")
    text = stars + param.name
    if param.annotation:
        text += f": {param.annotation}"
    if param.default:
        text += f" = {param.default}" if param.annotation else f"={param.default}"
    return text


def _canonical(expr: Any) -> str:
    """The fully qualified name an expression refers to, when griffe can tell."""
    return getattr(expr, "canonical_path", None) or str(expr)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_public(obj: Any) -> bool:
    try:
        return bool(obj.is_public)
    except Exception:  # griffe may need to resolve aliases to answer; assume by the name
        return not obj.name.startswith("_") or obj.name.startswith("__")
