"""Which symbols get a drafted docstring, and what the model is told of each.

Every function, method and class the reference documents without a docstring gets a
draft, but for a method that overrides a documented method of a project base class (the
base's docstring documents it). The model is told each one's signature, its source
(bounded), what it calls and what it raises, with the summaries of its module and class
around it; several symbols of one module share a call. docgen names everything in the
answer (symbols, parameters, errors: the schema lists them); the model writes only the
descriptions.

A symbol's `evidence` is a digest of what the model is told of it: the summaries around
it are context, not evidence (documenting a module does not redraft every draft in it),
and a class is told its `__init__`, not its methods (which have drafts of their own).
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docgen.generate.prose.plan import FACT_CHARACTERS, Facts, fact_digest, one_line, summary_of
from docgen.generate.prose.prompts import DOCSTRING
from docgen.model import PAGE_KINDS, Project, Symbol, in_reference

KINDS = ("function", "method", "class")
BATCH = 6  # symbols per call, at most
ANSWER_TOKENS = 1800  # the longest answer of a call, every field at its longest
SOURCE_LINES = 25  # of a symbol's source shown to the model, at most: prompt tokens are most of a call's cost
SOURCE_CHARACTERS = 1000
CALLS_SHOWN = 8
NO_RETURN = frozenset({"None", "NoReturn", "Never", "typing.NoReturn", "typing.Never"})


@dataclass(frozen=True)
class DocstringPlan:
    """One symbol to draft a docstring for, and what the model is told of it."""

    symbol: Symbol
    module: Symbol
    owner: Symbol | None  # the class of a method
    key: str  # how the facts and the answer name it: its path inside its module
    facts: str  # what the model is told of the symbol itself
    evidence: str  # digest of `facts`
    params: tuple[str, ...]  # the parameters it documents, in signature order
    raises: tuple[tuple[str, str], ...]  # (name in the answer, exception as resolved)
    returns: bool  # whether it returns a value worth a `Returns` section


def plan_docstrings(project: Project, sources: Mapping[str, str], show_private: bool = False) -> list[DocstringPlan]:
    """The symbols the reference documents without a docstring, in the order of their
    modules; `sources` holds the text of the project's files (by project-relative path)."""
    plans: list[DocstringPlan] = []
    lines: dict[str, list[str]] = {}
    symbols = {symbol.id: symbol for symbol in project.walk()}

    def visit(symbol: Symbol, module: Symbol, owner: Symbol | None) -> None:
        if not in_reference(symbol, show_private):
            return
        if symbol.kind in PAGE_KINDS:
            module = symbol
        elif _wants_draft(symbol) and symbol.location.file in sources and overridden_docs(symbol, owner, symbols) is None:
            if symbol.location.file not in lines:
                lines[symbol.location.file] = [line.removesuffix("\r") for line in sources[symbol.location.file].split("\n")]  # as Python counts lines
            plans.append(_plan(symbol, module, owner, lines[symbol.location.file]))
        for child in symbol.children:
            visit(child, module, symbol if symbol.kind == "class" else owner if symbol.kind not in PAGE_KINDS else None)

    for top in project.symbols:
        if top.language == "python":
            visit(top, top, None)
    return plans


def overridden_docs(method: Symbol, owner: Symbol | None, symbols: Mapping[str, Symbol]) -> Symbol | None:
    """The documented method of a project base class that `method` (of class `owner`)
    overrides, nearest base first; None when there is none. Its docstring documents the
    override too (as `help()` and griffe-inherited-docstrings read it): nothing to draft."""
    if owner is None or method.kind != "method":
        return None
    queue, seen = list(owner.bases), set()
    while queue:
        base = symbols.get(queue.pop(0))
        if base is None or base.id in seen:
            continue
        seen.add(base.id)
        found = base.member(method.name)
        if found is not None and found.docstring is not None:
            return found
        queue += base.bases
    return None


def documented_ids(project: Project) -> frozenset[str]:
    """The ids of the symbols that have a docstring of their own in the source."""
    return frozenset(symbol.id for symbol in project.walk() if symbol.docstring is not None)


def _wants_draft(symbol: Symbol) -> bool:
    return (
        symbol.language == "python"
        and symbol.kind in KINDS
        and symbol.docstring is None
        and not symbol.defined_in  # inherited or re-exported: drafted where it is defined
        and symbol.location.start > 0
    )


def _plan(symbol: Symbol, module: Symbol, owner: Symbol | None, lines: list[str]) -> DocstringPlan:
    key = symbol.id.removeprefix(module.id + ".")
    params = tuple(p.name for p in symbol.params if p.name not in ("self", "cls"))
    raises: dict[str, str] = {}
    for raised in symbol.raises:
        name = raised.exception.rsplit(".", 1)[-1]
        if raised.exception not in raises.values():
            raises[name if name not in raises else raised.exception] = raised.exception
    source = _lines(symbol, lines)
    returns = symbol.kind != "class" and "property" not in symbol.labels and _returns_value(symbol, source)
    if symbol.kind == "class":
        source = _class_source(symbol, lines)
    facts = [f"`{key}` ({symbol.kind} `{symbol.id}`)", f"Signature: `{one_line(symbol.signature)}`"]
    if symbol.calls:
        shown = ", ".join(f"`{path}`" for path in symbol.calls[:CALLS_SHOWN])
        facts.append(f"Calls: {shown}" + (f" (and {len(symbol.calls) - CALLS_SHOWN} more)" if len(symbol.calls) > CALLS_SHOWN else ""))
    for raised in symbol.raises:
        facts.append(f"Raises `{raised.exception}`" + (f" with the message {raised.message!r}" if raised.message else ""))
    facts.append("Source:\n```python\n" + _excerpt(source) + "\n```")
    text = "\n".join(facts)
    return DocstringPlan(symbol, module, owner, key, text, fact_digest(text), params, tuple(raises.items()), returns)


def _lines(symbol: Symbol, lines: list[str]) -> list[str]:
    return lines[symbol.location.start - 1 : max(symbol.location.end, symbol.location.start)]


def _class_source(symbol: Symbol, lines: list[str]) -> list[str]:
    """What a class's docstring is drafted from: its statements before its first method,
    and its `__init__` (its methods have drafts of their own: editing one must not
    redraft the class's)."""
    methods = sorted((child for child in symbol.children if child.kind == "method" and child.location.start), key=lambda c: c.location.start)
    end = methods[0].location.start - 1 if methods else max(symbol.location.end, symbol.location.start)
    source = lines[symbol.location.start - 1 : end]
    init = symbol.member("__init__")
    if init is not None and init.location.start:
        source += _lines(init, lines)
    return source


def _excerpt(source: list[str]) -> str:
    """Whole lines of a symbol's source, dedented, within `SOURCE_LINES` and
    `SOURCE_CHARACTERS`, saying how many are left out."""
    kept: list[str] = []
    size = 0
    for line in source[:SOURCE_LINES]:
        if kept and size + len(line) > SOURCE_CHARACTERS:
            break
        kept.append(line)
        size += len(line) + 1
    text = textwrap.dedent("\n".join(kept))
    if len(kept) < len(source):
        text += f"\n# ... ({len(source) - len(kept)} more lines)"
    return text


def _returns_value(symbol: Symbol, source: list[str]) -> bool:
    """Whether a function returns something: its annotation says so, or, without one, its
    source returns or yields a value (outside the functions nested in it)."""
    if symbol.returns:
        return symbol.returns not in NO_RETURN
    try:
        tree = ast.parse(textwrap.dedent("\n".join(source)))
    except SyntaxError:
        return False
    function = next((node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))), None)
    stack = list(function.body) if function is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)) or (isinstance(node, ast.Return) and node.value is not None):
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))
    return False


def batches(plans: list[DocstringPlan]) -> list[list[DocstringPlan]]:
    """`plans` in calls: symbols of one module together, `BATCH` at most, their facts
    within `FACT_CHARACTERS` and their longest answer within `ANSWER_TOKENS` (so that a
    4k window holds both)."""
    found: list[list[DocstringPlan]] = []
    size = answer = 0
    for plan in plans:
        last = found[-1] if found else None
        facts = len(plan.facts) + len(_context(plan))
        tokens = max_tokens(batch_schema([plan]))
        if (
            last is None
            or last[0].module.id != plan.module.id
            or len(last) == BATCH
            or size + facts > FACT_CHARACTERS
            or answer + tokens > ANSWER_TOKENS
        ):
            found.append([plan])
            size, answer = facts, tokens
        else:
            last.append(plan)
            size, answer = size + facts, answer + tokens
    return found


def batch_facts(batch: list[DocstringPlan]) -> str:
    """What the model is told for one call: the module, then each symbol (after its class's summary)."""
    facts = Facts()
    module = batch[0].module
    facts.add(f"Module `{module.id}`: {summary_of(module)}")
    owners: set[str] = set()
    for number, plan in enumerate(batch, start=1):
        if plan.owner is not None and plan.owner.id not in owners:
            owners.add(plan.owner.id)
            facts.add(f"\nClass `{plan.owner.id}`: {summary_of(plan.owner)}")
        facts.add(f"\n{number}. " + plan.facts, plan.symbol.id)
    return facts.text()


def batch_schema(batch: list[DocstringPlan]) -> dict[str, Any]:
    """The answer's schema for one call: one object per symbol, under its key, with the
    parameters and errors docgen names, nothing else."""
    template = DOCSTRING.schema["properties"]
    symbols: dict[str, Any] = {}
    for plan in batch:
        fields: dict[str, Any] = {"summary": template["summary"]}
        if plan.params:
            fields["params"] = _named(plan.params, template["params"]["additionalProperties"])
        if plan.returns:
            fields["returns"] = template["returns"]
        if plan.raises:
            fields["raises"] = _named([name for name, _ in plan.raises], template["raises"]["additionalProperties"])
        symbols[plan.key] = {"type": "object", "properties": fields, "required": list(fields), "additionalProperties": False}
    return {"type": "object", "properties": symbols, "required": list(symbols), "additionalProperties": False}


def max_tokens(schema: dict[str, Any]) -> int:
    """Room for an answer with every string at its longest (a cut-off answer is not
    JSON): about three characters a token, and the keys and quotes around them."""
    if schema.get("type") == "string":
        return schema.get("maxLength", 200) // 3 + 8
    return 8 + sum(max_tokens(value) + len(key) // 3 + 4 for key, value in schema.get("properties", {}).items())


def _named(names: Any, text: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": {name: text for name in names}, "required": list(names), "additionalProperties": False}


def _context(plan: DocstringPlan) -> str:
    return f"Class `{plan.owner.id}`: {summary_of(plan.owner)}" if plan.owner is not None else ""
