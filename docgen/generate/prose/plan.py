"""Which guides a project gets, and what each is drafted from.

Paths come from symbol ids (`guides/overview/<package id>.md`,
`guides/how-to/<entry point id>.md`) or are fixed (`guides/tutorial.md`, `guides/faq.md`,
`guides/troubleshooting.md`), never from anything a model writes. Each plan holds its facts, the text the model is given, in order of
importance and whole items only: a list that does not fit the window says how many it
leaves out rather than being cut mid-item. The evidence it records is what those facts
say of each symbol, so a guide is drafted again exactly when what it was told changes.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, replace

from docgen.generate.links import LinkIndex
from docgen.generate.prose.drafts import Evidence
from docgen.generate.prose.prompts import FAQ, HOW_TO, OVERVIEW, TROUBLESHOOTING, TUTORIAL, Prompt
from docgen.generate.prose.usage import UsageItem, usage_items
from docgen.model import PAGE_KINDS, Project, Symbol, in_reference
from docgen.scan.finder import FoundFile

# Modules with at least this many documented members are candidates for an overview of
# their own; the most used of them get one.
IMPORTANT_MEMBERS = 8
IMPORTANT_MODULES = 4  # each overview is a call of about a minute on a 2-core machine
ENTRY_POINTS = 8
MAX_FLOWS = 3
FLOW_LENGTH = 4  # symbols in a flow, at most
CALLERS = ("function", "method", "class")
ERRORS_PER_CALL = 6  # as many as the troubleshooting schema takes
MAX_ERRORS = 40
FACT_CHARACTERS = 6000  # under 2k tokens: with the task and the longest answer, a 4k window holds it
HOW_TOS = 3  # how-tos for the entry points the examples and tests use most
USAGE_ITEMS = 6  # usage items shown per guide, at most (the budget may show fewer)
SETUP_ITEMS = 2  # of them, README blocks that use no code (`pip install`, settings)
HOW_TO_MEMBERS = 8
SIGNATURE_CHARACTERS = 200
FAQ_DOCUMENTS = 8
FAQ_SETTINGS = 4
FAQ_ERRORS = 6
_SETTINGS_NAMES = ("Config", "Configuration", "Settings", "Options")
_ERROR_NAMES = ("Error", "Exception", "Warning")
# Raised to say "override this" or "this cannot happen": what a subclass author or the
# project's own developers meet, not a user's trouble with a message to look up.
_NOT_TROUBLE = frozenset({"NotImplementedError", "AssertionError"})


@dataclass(frozen=True)
class ErrorEntry:
    """One error a troubleshooting guide explains: what is raised, where, with what message."""

    exception: str  # symbol id, or the builtin's name
    message: str
    raiser: str  # id of the raising function


@dataclass(frozen=True)
class GuidePlan:
    """One guide to publish: where, from what, asking what."""

    path: str  # relative to the docs folder
    title: str
    subject: str  # the symbol id it is about, or the project's name
    prompt: Prompt
    facts: tuple[str, ...]  # one per model call: a large guide is drafted in parts
    evidence: Evidence
    importance: int  # drafting order when a budget runs short: lower first
    entry_points: tuple[str, ...] = ()
    flows: tuple[tuple[str, ...], ...] = ()
    errors: tuple[ErrorEntry, ...] = ()
    modules: tuple[str, ...] = ()
    diagrams: bool = True  # whether an overview draws its flows (the `diagrams` setting)


def plan_guides(
    project: Project,
    index: LinkIndex,
    guides_dir: str,
    readme: tuple[str, str] | None = None,
    usage: tuple[FoundFile, ...] = (),
    diagrams: bool = True,
) -> list[GuidePlan]:
    """The guides of `project`, most important first: the top package's overview, the
    tutorial, troubleshooting, the FAQ, the how-tos, then the other overviews. `readme` is
    (path, text) of the project's README; `usage` its example and test files (see
    `docgen.scan.usage`): the evidence of the tutorial and the how-tos."""
    graph = _Graph(project, index)
    python = [s for s in graph.documented if s.language == "python"]
    packages = [s for s in python if s.kind == "package"]
    modules = [s for s in python if s.kind == "module" and _members(s) >= IMPORTANT_MEMBERS]
    # The modules the rest of the project leans on most.
    modules.sort(key=lambda m: (-sum(graph.fan_in(c.id) for c in m.children if c.id in graph.by_id), m.id))
    subjects = sorted(packages + modules[:IMPORTANT_MODULES], key=lambda s: (s.id.count("."), s.kind != "package", s.id))
    items = usage_items(usage, readme, index)
    graph.uses = _uses(items, graph)
    used = sorted(graph.uses, key=lambda s: (-graph.uses[s], -graph.fan_in(s), s))
    overviews = [_overview(subject, graph, guides_dir, rank, readme if rank == 0 else None) for rank, subject in enumerate(subjects)]
    top = subjects[0] if subjects else None
    plans = overviews[:1]
    plans.append(_tutorial(top, graph, guides_dir, items, used) if top else None)
    plans.append(_troubleshooting(project, graph, guides_dir))
    plans.append(_faq(project, top, graph, guides_dir, readme) if top else None)
    plans += _how_tos(graph, guides_dir, items, used[:HOW_TOS])
    plans += overviews[1:]
    return [replace(plan, importance=rank, diagrams=diagrams) for rank, plan in enumerate(p for p in plans if p is not None)]


def _does_work(symbol: Symbol) -> bool:
    """Whether calling `symbol` does something worth a step in a flow: a function, or a
    class with an `__init__` of its own (building a record of data is no step)."""
    return symbol.kind != "class" or symbol.member("__init__") is not None


def _members(module: Symbol) -> int:
    return sum(1 for child in module.children if child.kind not in PAGE_KINDS and in_reference(child))


class _Graph:
    """The project's documented symbols and who calls whom among them."""

    def __init__(self, project: Project, index: LinkIndex) -> None:
        self.index = index
        self.by_id: dict[str, Symbol] = {}
        self.module_of: dict[str, str] = {}
        self.documented: list[Symbol] = []
        self.calls: dict[str, list[str]] = defaultdict(list)
        self.callers: dict[str, set[str]] = defaultdict(set)
        self.uses: dict[str, int] = {}  # how many usage items use each entry point (see `_uses`)
        for top in project.symbols:
            self._visit(top, top.id)
        self.public = {symbol.id for symbol in self.documented}
        for caller, symbol in self.by_id.items():
            for path in symbol.calls:
                callee = path if path in self.by_id else index.resolve(path, [], {})
                if callee and callee != caller and callee in self.by_id and _does_work(self.by_id[callee]):
                    self.calls[caller].append(callee)
                    self.callers[callee].add(caller)

    def _visit(self, symbol: Symbol, module: str, parent_documented: bool = True) -> None:
        # Private functions are in the graph too: a flow passes through them, unshown.
        if symbol.kind in ("module", "package"):
            module = symbol.id
        self.by_id[symbol.id] = symbol
        self.module_of[symbol.id] = module
        # A member is documented only where its parent is (the reference's rule): the
        # public method of a private class is on no page.
        documented = parent_documented and in_reference(symbol)
        if documented:
            self.documented.append(symbol)
        for child in symbol.children:
            self._visit(child, module, documented)

    def fan_in(self, symbol_id: str) -> int:
        """How many functions of other modules call `symbol_id` (or its methods)."""
        module = self.module_of.get(symbol_id)
        callers = set(self.callers.get(symbol_id, ()))
        for member in self.by_id[symbol_id].children if symbol_id in self.by_id else ():
            callers |= self.callers.get(member.id, set())
        return sum(1 for caller in callers if self.module_of.get(caller) != module)

    def flows_from(self, starts: list[str]) -> list[tuple[str, ...]]:
        """Call chains from `starts` that cross from one module into another, longest first."""
        found: set[tuple[str, ...]] = set()
        for start in starts:
            stack = [(start,)]
            while stack:
                path = stack.pop()
                shown = tuple(step for step in path if step in self.public)
                extended = False
                if len(shown) < FLOW_LENGTH and len(path) < 2 * FLOW_LENGTH:
                    for callee in self.calls.get(path[-1], ()):
                        if callee not in path:
                            stack.append((*path, callee))
                            extended = True
                crosses = len({self.module_of.get(step) for step in shown}) > 1
                if not extended and len(shown) > 1 and crosses:
                    found.add(shown)
        # The flows that cross the most modules show best how the parts work together.
        ranked = sorted(found, key=lambda path: (-len({self.module_of.get(step) for step in path}), -len(path), path))
        chosen: list[tuple[str, ...]] = []
        for path in ranked:  # distinct first steps read as distinct flows
            if all(path[:2] != other[:2] for other in chosen):
                chosen.append(path)
            if len(chosen) == MAX_FLOWS:
                break
        return chosen


def _overview(subject: Symbol, graph: _Graph, guides_dir: str, rank: int, readme: tuple[str, str] | None) -> GuidePlan:
    kind = "Package" if subject.kind == "package" else "Module"
    facts = Facts()
    facts.add(f"{kind} `{subject.id}`: " + _paragraphs(subject.docstring.raw if subject.docstring else "(no docstring)", 800), subject.id)
    modules = [child for child in subject.children if child.kind in ("module", "package") and in_reference(child)]
    if modules:
        facts.add("Modules in it:")
        for module in modules:
            facts.add(f"- `{module.id}`: {summary_of(module)}", module.id)
    entry_points = _entry_points(subject, graph)
    if entry_points:
        facts.add("Entry points:")
        for symbol_id in entry_points:
            facts.add(_listed(graph.by_id[symbol_id]), symbol_id)
    # Flows from the entry points first, else from any function inside the subject.
    starts = [m.id for e in entry_points for m in (graph.by_id[e], *graph.by_id[e].children) if m.kind in CALLERS]
    flows = graph.flows_from(starts) or graph.flows_from([s.id for s in subject.walk() if s.kind in CALLERS and s.id in graph.by_id])
    if flows:
        facts.add("Call flows:")
        for number, flow in enumerate(flows, start=1):
            facts.add(f"{number}. " + ", which calls ".join(f"`{step}`" for step in flow), *flow)
    files: tuple[tuple[str, str], ...] = ()
    if readme is not None:  # if room is left, shown next to the docstring: the flows stay nearest the task
        path, text = readme
        excerpt = _paragraphs(text, 1500)
        if facts.add(f"From {path}:\n" + excerpt, at=1):
            files = ((path, fact_digest(excerpt)),)  # what the model read of it, not the whole file
    path = posixpath.join(guides_dir, "overview", f"{subject.id}.md")
    return GuidePlan(
        path=path,
        title=f"Overview of {subject.id}",
        subject=subject.id,
        prompt=OVERVIEW,
        facts=(facts.text(),),
        evidence=Evidence(facts.evidence(), files),
        importance=rank * 2,
        entry_points=tuple(entry_points),
        flows=tuple(flows),
        modules=tuple(m.id for m in modules),
    )


def _entry_points(subject: Symbol, graph: _Graph) -> list[str]:
    """The documented classes and functions of `subject` (and, for a package, of its
    modules): those it imports into itself first (a package's public face: `click.command`),
    then those the README, examples and tests use most (what its users call, which the
    package itself rarely does), then those other modules call most."""
    candidates: list[Symbol] = []
    for child in subject.children:
        if child.kind in ("class", "function"):
            candidates.append(child)
        elif subject.kind == "package" and child.kind == "module":
            candidates += [c for c in child.children if c.kind in ("class", "function")]
    exported = {target for _, target in subject.imports}
    candidates = [c for c in candidates if c.id in graph.public]  # a private module's functions are on no page
    candidates.sort(key=lambda c: (c.id not in exported, -graph.uses.get(c.id, 0), -graph.fan_in(c.id), c.id.count("."), c.id))
    return [c.id for c in candidates[:ENTRY_POINTS]]


def _troubleshooting(project: Project, graph: _Graph, guides_dir: str) -> GuidePlan | None:
    """The troubleshooting guide: one entry per (exception, message) the project's
    documented functions raise, the project's own exceptions first (not abstract methods'
    NotImplementedError, nor AssertionError)."""
    entries: dict[tuple[str, str], ErrorEntry] = {}
    for symbol in graph.documented:
        for raised in symbol.raises:
            exception = graph.index.resolve(raised.exception, [], {}) or raised.exception
            message = raised.message
            factory = graph.by_id.get(exception)
            if factory is not None and factory.kind in ("function", "method"):
                # `raise _failed(...)`: what the function returns is raised (when its annotation
                # says what), and what it is given is no message.
                module = graph.by_id[graph.module_of[exception]]
                exception = graph.index.resolve(factory.returns, [module], {}) if factory.returns else None
                message = ""
            if exception is None or exception in _NOT_TROUBLE:
                continue
            if exception in graph.by_id or message:
                entries.setdefault((exception, message), ErrorEntry(exception, message, symbol.id))
    ordered = sorted(entries.values(), key=lambda e: (e.exception not in graph.by_id, e.exception, e.message))[:MAX_ERRORS]
    if not ordered:
        return None
    chunks, evidence = [], Facts()
    for start in range(0, len(ordered), ERRORS_PER_CALL):
        facts = Facts()
        facts.add("Errors:")
        for number, entry in enumerate(ordered[start : start + ERRORS_PER_CALL], start=1):
            line = f"{number}. `{entry.exception}`"
            if entry.exception in graph.by_id:
                line += f" (an exception of the project: {summary_of(graph.by_id[entry.exception])})"
            line += f", raised by `{entry.raiser}` ({summary_of(graph.by_id[entry.raiser])})"
            if entry.message:
                line += f" with the message {entry.message!r}"
            facts.add(line, entry.exception, entry.raiser)
            evidence.add(line, entry.exception, entry.raiser)
        chunks.append(facts.text())
    return GuidePlan(
        path=posixpath.join(guides_dir, "troubleshooting.md"),
        title="Troubleshooting",
        subject=project.name,
        prompt=TROUBLESHOOTING,
        facts=tuple(chunks),
        evidence=Evidence(evidence.evidence()),
        importance=1,
        errors=tuple(ordered),
    )


def _uses(items: list[UsageItem], graph: _Graph) -> dict[str, int]:
    """How many usage items use each documented module-level class or function (itself
    or its members). Exceptions are raised, not used: the troubleshooting guide has them."""
    used: dict[str, int] = defaultdict(int)
    for item in items:
        for symbol_id in {_entry_point_of(use, graph) for use in item.uses} - {None}:
            if not _is_error(graph.by_id[symbol_id]):  # type: ignore[index]
                used[symbol_id] += 1  # type: ignore[index]
    return dict(used)


def _tutorial(subject: Symbol, graph: _Graph, guides_dir: str, items: list[UsageItem], used: list[str]) -> GuidePlan | None:
    """The getting-started tutorial: what the README blocks, examples and tests of the
    top package use most, and the pieces that show most of it. None when nothing shows
    the package in use."""
    entry_points = [s for s in used if s.startswith(subject.id + ".")][:ENTRY_POINTS] or _entry_points(subject, graph)
    chosen = _relevant(items, [*entry_points, subject.id], setup=True)
    if not any(item.uses for item in chosen):
        return None
    facts = Facts()
    facts.add(f"Package `{subject.id}`: " + _paragraphs(subject.docstring.raw if subject.docstring else "(no docstring)", 500), subject.id)
    facts.add("Entry points:")
    for symbol_id in entry_points:
        facts.add(_listed(graph.by_id[symbol_id]), symbol_id)
    _add_usage(facts, chosen)
    return GuidePlan(
        path=posixpath.join(guides_dir, "tutorial.md"),
        title=f"Getting started with {subject.id}",
        subject=subject.id,
        prompt=TUTORIAL,
        facts=(facts.text(),),
        evidence=Evidence(facts.evidence(), facts.files()),
        importance=0,
        entry_points=tuple(entry_points),
    )


def _how_tos(graph: _Graph, guides_dir: str, items: list[UsageItem], subjects: list[str]) -> list[GuidePlan]:
    """A how-to for each of `subjects` (the classes and functions the examples and tests
    use most), drawn from that usage: `guides/how-to/<id>.md`."""
    plans = []
    for symbol_id in subjects:
        symbol = graph.by_id[symbol_id]
        facts = Facts()
        facts.add(f"`{symbol_id}` ({symbol.kind}): " + _paragraphs(symbol.docstring.raw if symbol.docstring else "(no docstring)", 600), symbol_id)
        facts.add(f"Signature: `{_signature(symbol)}`", symbol_id)
        members = [m for m in symbol.children if m.id in graph.public and m.kind in CALLERS][:HOW_TO_MEMBERS]
        if members:
            facts.add("Members:")
            for member in members:
                facts.add(_listed(member), member.id)
        _add_usage(facts, _relevant(items, [symbol_id]))
        plans.append(
            GuidePlan(
                path=posixpath.join(guides_dir, "how-to", f"{symbol_id}.md"),
                title=f"How to use {symbol_id}",
                subject=symbol_id,
                prompt=HOW_TO,
                facts=(facts.text(),),
                evidence=Evidence(facts.evidence(), facts.files()),
                importance=0,
                entry_points=(symbol_id,),
            )
        )
    return plans


def _entry_point_of(symbol_id: str, graph: _Graph) -> str | None:
    """The documented module-level class or function `symbol_id` is, or is a member of."""
    parts = symbol_id.split(".")
    for cut in range(len(parts), 1, -1):
        candidate = ".".join(parts[:cut])
        symbol = graph.by_id.get(candidate)
        if symbol is not None and symbol.kind in ("class", "function") and candidate in graph.public:
            if graph.module_of.get(candidate) == ".".join(parts[: cut - 1]):
                return candidate
    return None


def _relevant(items: list[UsageItem], subjects: list[str], setup: bool = False) -> list[UsageItem]:
    """The items that use `subjects` (or their members), most telling first: the README,
    then examples, then tests; among them, those using more of the subjects, then the
    shortest. With `setup`, the README's first blocks that use no code (`pip install`)
    too, first: a few, so that a README of many settings leaves room for the code."""

    def covered(item: UsageItem) -> int:
        return sum(1 for subject in subjects if any(use == subject or use.startswith(subject + ".") for use in item.uses))

    setups = [item for item in items if setup and item.source == "readme" and not item.uses][:SETUP_ITEMS]
    relevant = [item for item in items if covered(item)] + setups
    relevant.sort(key=lambda item: (item.rank, bool(item.uses), -covered(item), len(item.text)))
    # One piece of each file before a second of any: five near-copies tell less than five files.
    nth: dict[str, int] = defaultdict(int)
    order = {}
    for position, item in enumerate(relevant):
        order[id(item)] = (item.rank, nth[item.file], position)
        nth[item.file] += 1
    return sorted(relevant, key=lambda item: order[id(item)])[:USAGE_ITEMS]


def _add_usage(facts: Facts, items: list[UsageItem]) -> None:
    """Each item as a fact about what it uses, quoting its file."""
    for item in items:
        where = f"From `{item.file}`" + (" (a test)" if item.source == "test" else "")
        text = item.text if item.source == "readme" else f"```python\n{item.text}\n```"
        facts.add(f"{where}:\n{text}", *item.uses, file=item.file)


def _faq(project: Project, subject: Symbol, graph: _Graph, guides_dir: str, readme: tuple[str, str] | None) -> GuidePlan | None:
    """The FAQ: what the README and the docs pages say, the entry points, the settings
    classes and the errors, for the model to ask and answer questions about. None when
    the project has no documentation of its own to ground it."""
    documents = [
        d for d in project.documents
        if d.source.lower() != "readme.md" and not d.path.startswith(guides_dir.rstrip("/") + "/") and d.text.strip()
    ][:FAQ_DOCUMENTS]  # fmt: skip
    if readme is None and not documents:
        return None
    facts = Facts()
    if readme is not None:
        path, text = readme
        facts.add(f"From `{path}`:\n" + _paragraphs(text, 1000), file=path)
    if documents:
        facts.add("Documentation pages:")
        for document in documents:
            body = "\n".join(line for line in document.text.split("\n") if not line.startswith("#"))
            facts.add(f"- {document.title} (`{document.source}`): " + _paragraphs(body, 300), file=document.source)
    entry_points = _entry_points(subject, graph)
    if entry_points:
        facts.add("Entry points:")
        for symbol_id in entry_points:
            facts.add(f"- `{symbol_id}` ({graph.by_id[symbol_id].kind}): {summary_of(graph.by_id[symbol_id])}", symbol_id)
    classes = [s for s in graph.documented if s.kind == "class" and s.language == "python"]
    settings = [s for s in classes if s.name.endswith(_SETTINGS_NAMES)][:FAQ_SETTINGS]
    if settings:
        facts.add("Settings:")
        for symbol in settings:
            fields = ", ".join(f"`{f.name}`" + (f" (default {f.default})" if f.default else "") for f in symbol.fields[:10])
            facts.add(f"- `{symbol.id}`: {summary_of(symbol)}" + (f" Fields: {fields}." if fields else ""), symbol.id)
    errors = [s for s in classes if _is_error(s)][:FAQ_ERRORS]
    if errors:
        facts.add("Errors:")
        for symbol in errors:
            facts.add(f"- `{symbol.id}`: {summary_of(symbol)}", symbol.id)
    return GuidePlan(
        path=posixpath.join(guides_dir, "faq.md"),
        title="Frequently asked questions",
        subject=project.name,
        prompt=FAQ,
        facts=(facts.text(),),
        evidence=Evidence(facts.evidence(), facts.files()),
        importance=0,
        entry_points=tuple(entry_points),
    )


def _is_error(symbol: Symbol) -> bool:
    """Whether `symbol` is an exception class, by its name or its bases' names."""
    return symbol.kind == "class" and (symbol.name.endswith(_ERROR_NAMES) or any(base.endswith(_ERROR_NAMES) for base in symbol.bases))


class Facts:
    """Lines of facts, kept within `FACT_CHARACTERS`, and what each says of which symbol."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.left_out = 0
        self.about: dict[str, list[str]] = defaultdict(list)
        self.quoted: dict[str, list[str]] = defaultdict(list)  # file -> what the facts show of it
        self.size = 0

    def add(self, line: str, *symbols: str, file: str = "", at: int | None = None) -> bool:
        """Add `line` (about `symbols`, quoting `file`) if it fits, at the end or before
        line number `at`; whether it did."""
        if self.size + len(line) > FACT_CHARACTERS and self.lines:
            self.left_out += 1  # a whole item left out, and said so
            return False
        self.lines.insert(len(self.lines) if at is None else at, line)
        self.size += len(line) + 1
        for symbol in symbols:
            if symbol:
                self.about[symbol].append(line)
        if file:
            self.quoted[file].append(line)
        return True

    def text(self) -> str:
        more = [f"(and {self.left_out} more not shown)"] if self.left_out else []
        return "\n".join(self.lines + more)

    def evidence(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((symbol, fact_digest("\n".join(lines))) for symbol, lines in self.about.items()))

    def files(self) -> tuple[tuple[str, str], ...]:
        """Each file quoted, with a digest of what was shown of it (not of the whole file:
        an edit elsewhere in it changes nothing the model read)."""
        return tuple(sorted((path, fact_digest("\n".join(lines))) for path, lines in self.quoted.items()))


def _listed(symbol: Symbol) -> str:
    """A class or function as a list item of facts: its id, kind, summary and signature."""
    return f"- `{symbol.id}` ({symbol.kind}): {summary_of(symbol)} Signature: `{_signature(symbol)}`"


def _signature(symbol: Symbol) -> str:
    """`symbol`'s signature on one line, or its parameters' names alone when it is long
    (a class of twenty annotated settings would crowd out the usage that shows it)."""
    signature = one_line(symbol.signature)
    if len(signature) <= SIGNATURE_CHARACTERS:
        return signature
    names = ", ".join(("*" if p.kind == "variadic positional" else "**" if p.kind == "variadic keyword" else "") + p.name for p in symbol.params)
    return f"{symbol.name}({names})"


def one_line(signature: str) -> str:
    """A signature laid out on several lines, on one (as inline code must be)."""
    return re.sub(r",?\s*\)", ")", re.sub(r"\(\s+", "(", " ".join(signature.split())))


# A Sphinx role (`:class:` in :class:`Command`), with what it shows: its title when it has one
# (:class:`Request <Request>`), its target without `~` (:func:`~click.echo`).
_SPHINX_ROLE = re.compile(r":(?:[\w-]+:)?[\w-]+:`~?(?:(?P<title>[^`<]*?)\s*<[^`>]*>|(?P<target>[^`]*))`")


def summary_of(symbol: Symbol) -> str:
    """`symbol`'s one-line summary, as facts give it (`(undocumented)` when it has none),
    without Sphinx's roles, which a model copies into prose: `Command`, not :class:`Command`."""
    summary = symbol.docstring.summary if symbol.docstring else ""
    return _SPHINX_ROLE.sub(lambda role: f"`{role['title'] or role['target']}`", summary) or "(undocumented)"


def _paragraphs(text: str, limit: int) -> str:
    """Whole paragraphs of `text` up to `limit` characters (at least the first)."""
    kept: list[str] = []
    for paragraph in text.strip().split("\n\n"):
        if kept and sum(map(len, kept)) + len(paragraph) > limit:
            break
        kept.append(paragraph.strip())
    return "\n\n".join(kept)


def fact_digest(text: str) -> str:
    """A short digest of what the facts say: evidence compares these."""
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
