"""Drafts of missing docstrings: which symbols get one, what the model is told of each,
and the drafts file brought up to date.

Every function, method and class the reference documents without a docstring gets a
draft, but for a method that overrides a documented method of a project base class (the
base's docstring documents it). The model is told each one's signature, its source
(bounded), what it calls and what it raises, with the summaries of its module and class around it; several symbols of
one module share a call. docgen names everything in the answer (symbols, parameters,
errors: the schema lists them), the model writes only the descriptions, and every one
of them passes the verifier like any drafted prose.

An entry is drafted again only when what the model was told of its symbol changed
(its `evidence`; the summaries around it are context, not evidence: documenting a
module does not redraft every draft in it). An entry a person edited is never drafted
over, and reported when its symbol changes; an entry whose symbol got a docstring of its
own is dropped. The drafts are shown on the reference pages and exported as a patch
(`docgen.generate.prose.docstring_patch`); docgen never writes them into the source.
"""

from __future__ import annotations

import ast
import json
import posixpath
import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from docgen.generate.llm import LLMError
from docgen.generate.prose.docstring_store import (
    STORE_NAME,
    DocstringDraft,
    DocstringStore,
    clean,
    fields_hash,
    read_entry,
    store_text,
)
from docgen.generate.prose.guides import DraftCache, Drafting, LLMStats, OpenModel, ask
from docgen.generate.prose.plan import FACT_CHARACTERS, _digest, _Facts, _summary
from docgen.generate.prose.prompts import DOCSTRING, messages
from docgen.generate.prose.verify import Names
from docgen.model import PAGE_KINDS, Project, Symbol, in_reference
from docgen.problems import Problem

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


@dataclass
class DocstringsResult:
    """The drafts of a build and what they cost."""

    drafts: dict[str, DocstringDraft] = field(default_factory=dict)  # shown on the pages, by symbol id
    # The drafts file to write; "" when no entry is left (docgen's file goes); None when
    # the file must stay as it is (there is none and nothing to put in one, or it is unreadable).
    text: str | None = None
    problems: list[Problem] = field(default_factory=list)
    stats: LLMStats = field(default_factory=LLMStats)
    drafted: list[str] = field(default_factory=list)  # symbol ids drafted (or drafted again) by this build


def store_path(guides_dir: str) -> str:
    """Where the drafts file lives, relative to the docs folder."""
    return posixpath.join(guides_dir.strip("/"), STORE_NAME)


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
    facts = [f"`{key}` ({symbol.kind} `{symbol.id}`)", f"Signature: `{_one_line(symbol.signature)}`"]
    if symbol.calls:
        shown = ", ".join(f"`{path}`" for path in symbol.calls[:CALLS_SHOWN])
        facts.append(f"Calls: {shown}" + (f" (and {len(symbol.calls) - CALLS_SHOWN} more)" if len(symbol.calls) > CALLS_SHOWN else ""))
    for raised in symbol.raises:
        facts.append(f"Raises `{raised.exception}`" + (f" with the message {raised.message!r}" if raised.message else ""))
    facts.append("Source:\n```python\n" + _excerpt(source) + "\n```")
    text = "\n".join(facts)
    return DocstringPlan(symbol, module, owner, key, text, _digest(text), params, tuple(raises.items()), returns)


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


def _one_line(signature: str) -> str:
    """A signature laid out on several lines, on one (as inline code must be)."""
    return re.sub(r",?\s*\)", ")", re.sub(r"\(\s+", "(", " ".join(signature.split())))


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


def draft_docstrings(
    plans: list[DocstringPlan],
    store: DocstringStore | None,
    names: Names,
    open_model: OpenModel,
    *,
    project: str,
    documented: frozenset[str],
    shown: str,
    cache: DraftCache | None = None,
    budget: int | None = None,
    advance: Callable[[str], None] | None = None,
) -> DocstringsResult:
    """The drafts of `plans`, drafted where needed (see the module's docstring), from the
    drafts file as read (`store`, None when there is none; `shown` is its path as problems
    name it). `documented` holds the ids of symbols with a docstring of their own (see
    `documented_ids`); `cache` keeps each draft as soon as it is made, so that a build
    stopped after drafting loses no model time; `budget` the tokens drafting may spend."""
    result = DocstringsResult()
    if store is not None and store.unreadable:
        result.problems += store.problems
        return result  # never drafted over, never shown: the file is not docgen's to judge
    store = store or DocstringStore()
    result.problems += store.problems
    entries = dict(store.raw)  # written back as read, but for what is drafted or dropped below
    state = Drafting(open_model, "docstrings")
    todo: list[DocstringPlan] = []
    for plan in plans:
        symbol = plan.symbol.id
        if symbol in store.malformed:
            continue  # set aside (a problem says so): never drafted over
        draft = store.drafts.get(symbol)
        if draft is not None:
            current = draft.evidence == plan.evidence and draft.prompt == DOCSTRING.id
            if current or draft.edited:
                if not current:
                    state.problems.append(_stale(plan, store, shown, "edited by hand, so not drafted again"))
                result.drafts[symbol] = draft
                state.stats.cached += current
                continue
        cached = _cached(cache, plan)
        if cached is not None:
            entries[symbol] = cached.entry()
            result.drafts[symbol] = cached
            result.drafted.append(symbol)
            state.stats.cached += 1
            continue
        todo.append(plan)
    planned = {plan.symbol.id for plan in plans}
    for symbol, draft in store.drafts.items():
        if symbol in planned:
            continue
        if symbol in documented or not draft.edited:
            del entries[symbol]  # its source has a docstring now, or it is gone and the draft was docgen's
        else:
            named = clean(symbol)[:120]  # as the file spells it: untrusted
            message = f"{named} is no longer an undocumented function, method or class of the reference; the entry, edited by hand, is kept: remove it"
            state.problems.append(Problem("stale-docstring", message, shown, store.lines.get(symbol, 0), symbol=named))
    step = advance or (lambda _symbol: None)
    waiting = {plan.symbol.id for plan in todo}
    for plan in plans:
        if plan.symbol.id not in waiting:
            step(plan.symbol.id)
    left = 0  # symbols without a draft once the budget is spent
    for batch in batches(todo):
        if budget is not None and state.stats.tokens >= budget:
            left += _keep_stale(batch, store, shown, "the llm budget is spent", result, state)
        else:
            drafted = _draft_batch(batch, store, names, state, project, shown, result)
            entries.update((draft.symbol, draft.entry()) for draft in drafted)
            for draft in drafted if cache is not None else ():
                cache.keep(_cache_key(draft.symbol, draft.evidence), draft.model, draft.symbol, json.dumps(draft.fields()))
        stats = state.stats
        speed = f", {stats.completion_tokens / stats.seconds:.0f} tokens/s" if stats.seconds else ""
        for plan in batch:
            step(f"{plan.module.id}{speed}")
    if left:
        state.problems.append(Problem("stale-docstring", f"{left} docstrings not drafted: the llm budget is spent", shown))
    if entries or store.raw:
        result.text = store_text(entries) if entries else ""
    result.stats = state.stats
    result.problems += state.problems
    return result


def _draft_batch(
    batch: list[DocstringPlan], store: DocstringStore, names: Names, state: Drafting, project: str, shown: str, result: DocstringsResult
) -> list[DocstringDraft]:
    """One call's drafts (also recorded in `result`); without a model or an answer, the
    batch's drafts as they were."""
    model = state.llm()
    if model is None:
        _keep_stale(batch, store, shown, state.unavailable, result, state)
        return []
    chat = messages(project, DOCSTRING, f"the module `{batch[0].module.id}`", batch_facts(batch))
    schema = batch_schema(batch)
    try:
        answer = ask(chat, schema, max_tokens(schema), model, names, state, shown)
    except LLMError as error:
        state.problems.append(Problem("llm", f"docstrings of {batch[0].module.id} not drafted: {error}", shown))
        _keep_stale(batch, store, shown, "the model did not answer", result, state)
        return []
    drafts = [_answered(plan, answer.get(plan.key), model.model_id) for plan in batch]
    for draft in drafts:
        result.drafts[draft.symbol] = draft
        result.drafted.append(draft.symbol)
    return drafts


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
    facts = _Facts()
    module = batch[0].module
    facts.add(f"Module `{module.id}`: {_summary(module)}")
    owners: set[str] = set()
    for number, plan in enumerate(batch, start=1):
        if plan.owner is not None and plan.owner.id not in owners:
            owners.add(plan.owner.id)
            facts.add(f"\nClass `{plan.owner.id}`: {_summary(plan.owner)}")
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
    return f"Class `{plan.owner.id}`: {_summary(plan.owner)}" if plan.owner is not None else ""


def _answered(plan: DocstringPlan, value: Any, model_id: str) -> DocstringDraft:
    """One symbol's draft from the answer (checked already). A draft with nothing left in
    it is kept all the same: asking again on every build would cost a call each time, and
    a person may fill it in (an edited entry is theirs)."""
    value = value if isinstance(value, dict) else {}
    summary = _field(value.get("summary"))
    described = value.get("params") if isinstance(value.get("params"), dict) else {}
    params = tuple((name, _field(described.get(name))) for name in plan.params)
    errors = value.get("raises") if isinstance(value.get("raises"), dict) else {}
    raises = tuple((exception, _field(errors.get(name))) for name, exception in plan.raises)
    return DocstringDraft(
        symbol=plan.symbol.id,
        model=model_id,
        prompt=DOCSTRING.id,
        evidence=plan.evidence,
        summary=summary,
        params=tuple(sorted(pair for pair in params if pair[1])),  # as the file holds them: sorted
        returns=_field(value.get("returns")) if plan.returns else "",
        raises=tuple(sorted(pair for pair in raises if pair[1])),
    )


def _field(value: Any) -> str:
    return clean(value) if isinstance(value, str) else ""


def _cache_key(symbol: str, evidence: str) -> str:
    return f"docstring|{symbol}|{DOCSTRING.id}|{evidence}"


def _cached(cache: DraftCache | None, plan: DocstringPlan) -> DocstringDraft | None:
    """The draft of `plan` a build drafted before (and did not get to write), if any."""
    entry = cache.entry(_cache_key(plan.symbol.id, plan.evidence)) if cache is not None else None
    if entry is None:
        return None
    try:
        fields = json.loads(entry["body"])
    except ValueError:
        return None
    value = {"evidence": plan.evidence, "model": entry["model"], "prompt": DOCSTRING.id, "fields": fields, "fields_hash": ""}
    if isinstance(fields, dict):
        value["fields_hash"] = fields_hash(fields)
    return read_entry(plan.symbol.id, value)


def _keep_stale(batch: list[DocstringPlan], store: DocstringStore, shown: str, reason: str, result: DocstringsResult, state: Drafting) -> int:
    """The drafts of a batch that could not be drafted again, shown as they were (each
    reported stale); returns how many symbols have none."""
    missing = 0
    for plan in batch:
        draft = store.drafts.get(plan.symbol.id)
        if draft is None:
            missing += 1
            continue
        result.drafts[plan.symbol.id] = draft
        state.problems.append(_stale(plan, store, shown, f"not drafted again ({reason})"))
    return missing


def _stale(plan: DocstringPlan, store: DocstringStore, shown: str, why: str) -> Problem:
    draft = store.drafts[plan.symbol.id]
    what = "its prompt changed" if draft.evidence == plan.evidence else f"{plan.symbol.id} changed"
    return Problem("stale-docstring", f"{why}; since it was drafted: {what}", shown, store.lines.get(plan.symbol.id, 0), symbol=plan.symbol.id)
