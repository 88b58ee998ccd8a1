"""Drift between what a docstring says and what the code is: parameters documented that
the signature does not take, parameters left out of a documented list, types and defaults
the docstring contradicts, and project errors documented as raised that nothing raises.

griffe already reports documented parameters missing from a Python signature (its
warnings reach `check` as `docstring` problems); the rule is applied here to the other
languages. Every rule reads the model, so it holds for Doxygen `@param`, JSDoc and rustdoc
as for Google, NumPy and Sphinx docstrings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from docgen.model import Project, Symbol, reference_symbols
from docgen.problems import Problem

CALLABLE_KINDS = frozenset({"function", "method", "class"})
_IMPLICIT = frozenset({"self", "cls"})
# "Defaults to 5.", "defaults to ``False``", "(default: 'utf-8')", "Default is True.": a
# literal only; "defaults to the terminal's width" says what happens, not a value.
_LITERAL = r"-?\d+(?:\.\d+)?|True|False|None|'[^'\n]*'|\"[^\"\n]*\""
_DEFAULT_SAID = re.compile(rf"\bdefault(?:s to|:| is)\s+`*({_LITERAL})`*(?![\w(\[]|\.\w)", re.IGNORECASE)
CALL_DEPTH = 3  # how far down the project's own calls a documented error is looked for


def drift_problems(project: Project, show_private: bool = False) -> list[Problem]:
    """Every drift between docstrings and signatures of what the reference documents."""
    symbols = {symbol.id: symbol for symbol in project.walk()}
    errors = {symbol.name for symbol in symbols.values() if symbol.kind == "class" and symbol.language == "python"}
    problems: list[Problem] = []
    for symbol in reference_symbols(project, show_private):
        if symbol.kind in CALLABLE_KINDS and symbol.docstring is not None:
            problems += _parameter_drift(symbol)
            if symbol.language == "python":
                problems += _raises_drift(symbol, symbols, errors)
    return problems


def _documented(symbol: Symbol, kind: str) -> Iterator[tuple[str, str, str]]:
    """(name, type, description) of each item of the docstring's `kind` sections."""
    assert symbol.docstring is not None
    for section in symbol.docstring.sections:
        if section.kind == kind:
            for item in section.items:
                yield item.name, item.annotation, item.description


def _parameter_drift(symbol: Symbol) -> list[Problem]:
    documented = {name.lstrip("*"): (annotation, description) for name, annotation, description in _documented(symbol, "parameters") if name}
    if not documented:
        return []
    params = {param.name.lstrip("*"): param for param in symbol.params}
    problems = []
    if symbol.language != "python":  # griffe reports these for Python
        for name in documented.keys() - params.keys():
            problems.append(_problem(symbol, name, f"`{symbol.id}` documents parameter `{name}`, which it does not take"))
    for name, param in params.items():
        if name in _IMPLICIT:
            continue
        if name not in documented:
            problems.append(_problem(symbol, "", f"`{symbol.id}` does not document parameter `{name}`"))
            continue
        annotation, description = documented[name]
        if annotation and param.annotation and not _same_type(annotation, param.annotation):
            problems.append(_problem(symbol, name, f"`{symbol.id}`: parameter `{name}` is documented as `{annotation}` but annotated `{param.annotation}`"))
        said = _DEFAULT_SAID.search(description)
        # A default of None often stands for one computed at run time, which the
        # docstring rightly names instead.
        if said and param.default not in ("", "None") and not _same_value(said.group(1), param.default):
            problems.append(_problem(symbol, name, f"`{symbol.id}`: parameter `{name}` is documented to default to `{said.group(1)}` but defaults to `{param.default}`"))
    return problems


def _raises_drift(symbol: Symbol, symbols: dict[str, Symbol], errors: set[str]) -> list[Problem]:
    """Project errors the docstring says `symbol` raises that neither it nor the project
    functions it calls (`CALL_DEPTH` deep) raise. Errors from outside the project
    (`KeyError`, `OSError`) may come from any call, so they are never reported."""
    documented = [_last(annotation or name) for name, annotation, _ in _documented(symbol, "raises")]
    documented = [name for name in documented if name in errors]
    if not documented:
        return []
    raised = _raised(symbol, symbols)
    return [
        _problem(symbol, name, f"`{symbol.id}` documents raising `{name}`, which neither it nor the project code it calls raises")
        for name in dict.fromkeys(documented)
        if name not in raised
    ]


def _raised(symbol: Symbol, symbols: dict[str, Symbol]) -> set[str]:
    """The names of the errors `symbol` raises, or the project functions it calls do."""
    raised: set[str] = set()
    seen = {symbol.id}
    level = [symbol]
    for _ in range(CALL_DEPTH + 1):
        following = []
        for caller in level:
            raised.update(_last(r.exception) for r in caller.raises)
            for callee_id in caller.calls:
                callee = symbols.get(callee_id)
                if callee is not None and callee_id not in seen:
                    seen.add(callee_id)
                    # A class called is its `__init__` running.
                    following.append(callee.member("__init__") or callee if callee.kind == "class" else callee)
        level = following
    return raised


def _problem(symbol: Symbol, name: str, message: str) -> Problem:
    """A drift problem at the docstring line naming `name`, when the docstring's own line
    is known (Python); else where the symbol is declared."""
    assert symbol.docstring is not None
    line = symbol.docstring.line
    if not line:
        return Problem("drift", message, symbol.location.file, symbol.location.start, symbol=symbol.id)
    if name:
        for offset, text in enumerate(symbol.docstring.raw.splitlines()):
            if re.search(rf"(?<![\w*]){re.escape(name)}\b", text):
                line += offset
                break
    return Problem("drift", message, symbol.location.file, line, symbol=symbol.id)


def _last(name: str) -> str:
    return name.rsplit(".", 1)[-1].strip()


def _normal_type(text: str) -> str:
    text = re.sub(r"\s+|\btyping\.|\bt\.|[\"']", "", text)
    text = re.sub(r"^Optional\[(.*)\]$", r"\1|None", text)
    return text


def _same_type(documented: str, annotated: str) -> bool:
    """Whether a documented type agrees with the annotation: equal once spelled alike, or
    one a loose spelling of the other (`str` for `Optional[str]`, `list` for `list[int]`)."""
    a, b = _normal_type(documented), _normal_type(annotated)
    return a == b or a in b or b in a or a.lower() in ("optional", "any", "callable")


def _same_value(said: str, default: str) -> bool:
    return said.strip("'\"").lower() == default.strip("'\"").lower()
