"""Drafting missing docstrings: ask the model only for what changed, check every
answer, and bring the drafts file up to date.

For each planned symbol (see `docstring_plan`), the drafts file decides: an entry
drafted from the same evidence and prompt is kept, no call; an entry a person edited is
never drafted over (reported `stale-docstring` when its symbol changed); an entry that is
not a draft is set aside; anything else is drafted, from the draft cache under `.docgen/`
when a build drafted it before, else by the model, in batches. Every description passes
the verifier like any drafted prose. An entry whose symbol got a docstring of its own is
dropped. The drafts are shown on the reference pages and exported as a patch
(`docstring_patch`); docgen never writes them into the source.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
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
from docgen.generate.prose.docstring_plan import DocstringPlan, batch_facts, batch_schema, batches, max_tokens
from docgen.generate.prose.guides import BUDGET_SPENT, DraftCache, Drafting, LLMStats, OpenModel, ask
from docgen.generate.prose.prompts import DOCSTRING, messages
from docgen.generate.prose.verify import Names
from docgen.problems import Problem


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
    workers: int = 1,
) -> DocstringsResult:
    """The drafts of `plans`, drafted where needed (see the module's docstring), from the
    drafts file as read (`store`, None when there is none; `shown` is its path as problems
    name it). `documented` holds the ids of symbols with a docstring of their own (see
    `documented_ids`); `cache` keeps each draft as soon as it is made, so that a build
    stopped after drafting loses no model time; `budget` the tokens drafting may spend;
    `workers` how many batches may be drafted at a time."""
    result = DocstringsResult()
    if store is not None and store.unreadable:
        result.problems += store.problems
        return result  # never drafted over, never shown: the file is not docgen's to judge
    store = store or DocstringStore()
    result.problems += store.problems
    entries = dict(store.raw)  # written back as read, but for what is drafted or dropped below
    state = Drafting(open_model, "docstrings", workers=workers)
    todo = _to_draft(plans, store, cache, shown, result, state, entries)
    _drop_obsolete(plans, store, documented, shown, state, entries)
    step = advance or (lambda _symbol: None)
    waiting = {plan.symbol.id for plan in todo}
    for plan in plans:
        if plan.symbol.id not in waiting:
            step(plan.symbol.id)

    def draft(batch: list[DocstringPlan]) -> tuple[list[DocstringDraft] | None, str, list[Problem]]:
        problems: list[Problem] = []
        if budget is not None and state.stats.tokens >= budget:
            return None, BUDGET_SPENT, problems
        drafts, why_not = _draft_batch(batch, names, state, project, shown, problems)
        for one in drafts if drafts is not None and cache is not None else ():
            cache.keep(_cache_key(one.symbol, one.evidence), one.model, one.symbol, json.dumps(one.fields()))
        return drafts, why_not, problems

    left = 0  # symbols without a draft once the budget is spent
    todo_batches = batches(todo)
    for batch, (drafts, why_not, problems) in zip(todo_batches, state.each(todo_batches, draft)):
        state.problems += problems
        if drafts is None:
            missing = _keep_stale(batch, store, shown, why_not, result, state)
            left += missing if why_not == BUDGET_SPENT else 0
        for one in drafts or ():
            result.drafts[one.symbol] = one
            result.drafted.append(one.symbol)
            entries[one.symbol] = one.entry()
        for plan in batch:
            step(f"{plan.module.id}{state.speed()}")
    if left:
        state.problems.append(Problem("stale-docstring", f"{left} docstrings not drafted: {BUDGET_SPENT}", shown))
    if entries or store.raw:
        result.text = store_text(entries) if entries else ""
    result.stats = state.stats
    result.problems += state.problems
    return result


def _to_draft(
    plans: list[DocstringPlan],
    store: DocstringStore,
    cache: DraftCache | None,
    shown: str,
    result: DocstringsResult,
    state: Drafting,
    entries: dict[str, Any],
) -> list[DocstringPlan]:
    """The plans that need the model; the others' drafts (current, edited, or in the
    cache) go into `result` and `entries` as they are."""
    todo = []
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
                if current:
                    state.reuse()
                continue
        cached = _cached(cache, plan)
        if cached is not None:
            entries[symbol] = cached.entry()
            result.drafts[symbol] = cached
            result.drafted.append(symbol)
            state.reuse()
            continue
        todo.append(plan)
    return todo


def _drop_obsolete(
    plans: list[DocstringPlan], store: DocstringStore, documented: frozenset[str], shown: str, state: Drafting, entries: dict[str, Any]
) -> None:
    """Drop the entries of symbols that got a docstring of their own, and docgen's entries
    of symbols that are gone; an edited entry of a symbol that is gone is kept, and reported."""
    planned = {plan.symbol.id for plan in plans}
    for symbol, draft in store.drafts.items():
        if symbol in planned:
            continue
        if symbol in documented or not draft.edited:
            del entries[symbol]
        else:
            named = clean(symbol)[:120]  # as the file spells it: untrusted
            message = f"{named} is no longer an undocumented function, method or class of the reference; the entry, edited by hand, is kept: remove it"
            state.problems.append(Problem("stale-docstring", message, shown, store.lines.get(symbol, 0), symbol=named))


def _draft_batch(
    batch: list[DocstringPlan], names: Names, state: Drafting, project: str, shown: str, problems: list[Problem]
) -> tuple[list[DocstringDraft] | None, str]:
    """One call's drafts, or None and why there are none (no model, no answer)."""
    model = state.llm()
    if model is None:
        return None, state.unavailable
    chat = messages(project, DOCSTRING, f"the module `{batch[0].module.id}`", batch_facts(batch))
    schema = batch_schema(batch)
    try:
        answer = ask(chat, schema, max_tokens(schema), model, names, state, shown, problems)
    except LLMError as error:
        problems.append(Problem("llm", f"docstrings of {batch[0].module.id} not drafted: {error}", shown))
        return None, "the model did not answer"
    return [_answered(plan, answer.get(plan.key), model.model_id) for plan in batch], ""


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
