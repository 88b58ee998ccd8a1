"""`docgen eval`: how good the documentation is, written and drafted, measured without a model.

- **completeness**: the share of the reference's functions, methods and classes whose docs
  (their docstring, the docstring of the documented method they override, or else their
  committed draft) give a summary, every parameter, the
  return value (when there is one) and every error the code raises itself;
- **truthfulness**: the share of code references in the drafted text (guides and
  docstring drafts) that resolve to code that exists; the bar is 1.0;
- **coverage**: the share of the reference's classes and functions that some guide names;
- **stale**: drafted pages and drafts whose evidence changed since they were drafted, or
  that a person edited;
- **cost**: the last build's LLM calls, tokens and cache hits (`.docgen/`).

Everything is read from the scan, the committed guides and drafts file, and the last
build's record: no model is loaded, nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from docgen.cache import load_record
from docgen.config import Config
from docgen.generate.prose.docstring_store import DocstringDraft, read_store_file
from docgen.generate.prose.docstring_plan import NO_RETURN, overridden_docs
from docgen.generate.prose.docstrings import store_path
from docgen.generate.prose.drafts import read_guide
from docgen.generate.prose.verify import CODE_SPAN, REFERENCE, Names, check, split_blocks
from docgen.model import PAGE_KINDS, Symbol, reference_symbols
from docgen.problems import Problem

CALLABLES = ("function", "method", "class")
_PARAMETER_SECTIONS = ("parameters", "other parameters")
_RETURN_SECTIONS = ("returns", "yields")
SHOWN = 10  # items listed per finding in the text report


@dataclass
class Evaluation:
    """What `docgen eval` measured."""

    symbols: int = 0  # functions, methods and classes of the reference
    complete: int = 0
    incomplete: list[dict[str, Any]] = field(default_factory=list)  # {"id", "missing": [...]}
    drafted_docstrings: int = 0  # symbols whose docs come from the drafts file
    references: int = 0  # code references in drafted text
    unresolved: list[dict[str, Any]] = field(default_factory=list)  # {"file", "line", "reference"}
    guides: int = 0
    covered: int = 0  # classes and functions some guide names
    uncovered: list[str] = field(default_factory=list)
    stale: list[dict[str, str]] = field(default_factory=list)  # {"file", "why"}
    llm: dict[str, Any] = field(default_factory=dict)  # the last build's: calls, tokens, cached...
    problems: list[Problem] = field(default_factory=list)

    @property
    def completeness(self) -> float:
        return self.complete / self.symbols if self.symbols else 1.0

    @property
    def truthfulness(self) -> float:
        return 1 - len(self.unresolved) / self.references if self.references else 1.0

    @property
    def coverage(self) -> float:
        total = self.covered + len(self.uncovered)
        return self.covered / total if total else 1.0

    @property
    def cache_hit_rate(self) -> float | None:
        """Of the pages and drafts the last build published, the share it made no call for."""
        cached, drafted = self.llm.get("cached", 0), self.llm.get("drafted", 0)
        return cached / (cached + drafted) if cached + drafted else None

    def as_dict(self) -> dict[str, Any]:
        """The evaluation as plain data, ratios included."""
        data = asdict(self)
        data["problems"] = [problem.as_dict() for problem in self.problems]
        data.update(
            completeness=round(self.completeness, 4),
            truthfulness=round(self.truthfulness, 4),
            coverage=round(self.coverage, 4),
            cache_hit_rate=None if self.cache_hit_rate is None else round(self.cache_hit_rate, 4),
        )
        return data

    def lines(self) -> list[str]:
        """The evaluation for people: one line per measure, then what to look at."""
        tokens = self.llm.get("prompt_tokens", 0) + self.llm.get("completion_tokens", 0)
        hits = "-" if self.cache_hit_rate is None else f"{self.cache_hit_rate:.0%}"
        out = [
            f"completeness  {self.completeness:6.1%}  {self.complete} of {self.symbols} functions, methods and classes"
            f" document summary, parameters, return and raises ({self.drafted_docstrings} from drafts)",
            f"truthfulness  {self.truthfulness:6.1%}  {self.references - len(self.unresolved)} of {self.references}"
            " code references in drafted text resolve",
            f"coverage      {self.coverage:6.1%}  {self.covered} of {self.covered + len(self.uncovered)} classes and"
            f" functions named by the {self.guides} guides",
            f"stale         {len(self.stale):6d}  drafted pages or drafts out of date or edited",
            f"last build    {self.llm.get('calls', 0)} LLM calls, {tokens} tokens, cache hits {hits}",
        ]
        for item in self.unresolved[:SHOWN]:
            out.append(f"  unresolved: {item['file']}:{item['line']}: `{item['reference']}`")
        for item in self.stale[:SHOWN]:
            out.append(f"  stale: {item['file']}: {item['why']}")
        for item in self.incomplete[:SHOWN]:
            out.append(f"  incomplete: {item['id']}: no {', '.join(item['missing'])}")
        if len(self.incomplete) > SHOWN:
            out.append(f"  ... and {len(self.incomplete) - SHOWN} more incomplete (--json lists them all)")
        if self.uncovered:
            shown = ", ".join(self.uncovered[:SHOWN]) + (" ..." if len(self.uncovered) > SHOWN else "")
            out.append(f"  no guide names: {shown}")
        return out


def evaluate(config: Config) -> Evaluation:
    """Measure the documentation of the project `config` describes (see the module's docstring)."""
    from docgen.build import draft_names, guide_plans
    from docgen.generate.prose.docstring_plan import plan_docstrings
    from docgen.generate.prose.prompts import DOCSTRING
    from docgen.generate.reference import RenderOptions, plan_pages
    from docgen.scan import scan
    from docgen.scan.finder import find_files
    from docgen.scan.usage import read_usage_files

    found = find_files(config)
    project = scan(config, found, call_graph=True)
    _, index = plan_pages(project, RenderOptions.of(config))
    result = Evaluation()
    drafts_file = store_path(config.guides_dir)
    drafts_shown = f"{config.docs_dir.strip('/')}/{drafts_file}"
    store = read_store_file(config.docs_path / drafts_file, drafts_shown)
    drafts = {} if store is None or store.unreadable else store.drafts
    if store is not None:
        result.problems += store.problems

    symbols = [s for s in reference_symbols(project, config.show_private) if s.kind in CALLABLES]
    by_id = {symbol.id: symbol for symbol in project.walk()}
    owners = {child.id: symbol for symbol in by_id.values() if symbol.kind == "class" for child in symbol.children}
    for symbol in symbols:
        draft = drafts.get(symbol.id) if symbol.docstring is None else None
        overridden = overridden_docs(symbol, owners.get(symbol.id), by_id) if symbol.docstring is None else None
        missing = missing_docs(overridden or symbol, draft)
        result.symbols += 1
        result.drafted_docstrings += draft is not None and not draft.empty
        if missing:
            result.incomplete.append({"id": symbol.id, "missing": missing})
        else:
            result.complete += 1

    plans = guide_plans(config, project, index, read_usage_files(config))
    names = draft_names(config, project, index)
    named: set[str] = set()
    for plan in plans:
        path = config.docs_path / plan.path
        shown = f"{config.docs_dir.strip('/')}/{plan.path}"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        guide = read_guide(text)
        if guide is None:
            continue  # a person's own page at a guide's path: not drafted text
        result.guides += 1
        if guide.prompt != plan.prompt.id or guide.evidence != plan.evidence:
            changes = "; ".join(plan.evidence.changes_since(guide.evidence)[:3]) or "its prompt changed"
            result.stale.append({"file": shown, "why": ("edited by hand; " if guide.edited else "") + changes})
        elif guide.edited:
            result.stale.append({"file": shown, "why": "edited by hand"})
        named |= {symbol for symbol, _ in guide.evidence.symbols}
        _count_references(guide.body, shown, names, result, named)

    python_sources = {file.path: file.text for file in found.files if file.language == "python"}
    current = {plan.symbol.id: plan.evidence for plan in plan_docstrings(project, python_sources, config.show_private)}
    for symbol_id, draft in sorted(drafts.items()):
        for text in _draft_texts(draft):
            _count_references(text, drafts_shown, names, result, None, symbol_id)
        if symbol_id in current and (current[symbol_id] != draft.evidence or draft.prompt != DOCSTRING.id):
            result.stale.append({"file": drafts_shown, "why": f"the draft of {symbol_id}: its symbol changed since"})

    for symbol in symbols:
        if symbol.kind in ("class", "function"):
            if symbol.id in named:
                result.covered += 1
            else:
                result.uncovered.append(symbol.id)
    result.llm = dict(load_record(config.cache_path).llm)
    return result


def missing_docs(symbol: Symbol, draft: DocstringDraft | None = None) -> list[str]:
    """What `symbol`'s docs leave out: "summary", "parameter x", "return", "raises E"."""
    sections = symbol.docstring.sections if symbol.docstring else ()
    summary = bool(symbol.docstring and symbol.docstring.summary) or bool(draft and draft.summary)
    described = {item.name.lstrip("*") for s in sections if s.kind in _PARAMETER_SECTIONS for item in s.items}
    described |= {param.name for param in symbol.params if param.description}
    described |= {name for name, text in (draft.params if draft else ()) if text}
    missing = [] if summary else ["summary"]
    for param in symbol.params:
        name = param.name.lstrip("*")
        if name not in ("self", "cls") and name not in described:
            missing.append(f"parameter {name}")
    returns_value = symbol.kind != "class" and "property" not in symbol.labels and (symbol.returns or "None") not in NO_RETURN
    if returns_value and not any(s.kind in _RETURN_SECTIONS for s in sections) and not (draft and draft.returns):
        missing.append("return")
    raised_docs = " ".join(item.name + " " + item.annotation for s in sections if s.kind == "raises" for item in s.items)
    raised_docs += " " + " ".join(name for name, text in (draft.raises if draft else ()) if text)
    for raised in symbol.raises:
        short = raised.exception.rsplit(".", 1)[-1]
        if not re.search(rf"\b{re.escape(short)}\b", raised_docs):
            missing.append(f"raises {short}")
    return list(dict.fromkeys(missing))


def _draft_texts(draft: DocstringDraft) -> list[str]:
    return [draft.summary, draft.returns, *(text for _, text in draft.params), *(text for _, text in draft.raises)]


def _count_references(
    text: str, shown: str, names: Names, result: Evaluation, named: set[str] | None, symbol: str = ""
) -> None:
    """Count the code references of drafted `text`, record those that resolve to nothing,
    and add the project symbols it names to `named`."""
    for block in split_blocks(text):
        if block.fence is not None:
            result.references += 1  # a code block is one claim: it parses and names what exists
            continue
        for span in CODE_SPAN.findall(block.text):
            span = span.strip()
            if REFERENCE.match(span):
                result.references += 1
                if named is not None:
                    target = names.index.resolve(span.split("(")[0], [], {})
                    if target:
                        named.add(target)
    for item in check(text, names):
        where = f"{shown} ({symbol})" if symbol else shown
        result.unresolved.append({"file": where, "line": item.line, "reference": item.reference})
        if not any(item.reference == span.strip() for span in CODE_SPAN.findall(text)):
            result.references += 1  # a name inside a code block, beyond the block itself


__all__ = ["Evaluation", "evaluate", "missing_docs"]
