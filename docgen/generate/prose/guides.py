"""Drafting guides: ask the model only for what changed, check every answer, render pages.

For each planned guide (see `plan`), the page already in the docs folder decides:
- current (same evidence and prompt): published as it is, no call;
- edited by a person (its body hash differs): never overwritten; reported stale when its
  evidence changed;
- a person's own page at that path (no docgen front matter): theirs, left alone;
- otherwise drafted: from the draft cache under `.docgen/` when the same evidence was
  drafted before (a build that failed later), else by the model.

Every answer passes the verifier (`verify`): a reference that names nothing, or a code
block that does not parse (or, with `verify.run_examples`, fails when run: see
`examples`), gets one retry with the failures as feedback, then the sentence or block
holding it is dropped and a problem recorded. The model's words are untrusted text: they
reach the page only through the sanitizer, and docgen writes the structure, the names and
the links.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from docgen.files import write_atomic
from docgen.generate.diagrams import call_flows, figure
from docgen.generate.links import LinkIndex, Linker
from docgen.generate.llm import LLM, LLMError, Usage
from docgen.generate.prose.drafts import Guide, read_guide
from docgen.generate.prose.examples import ExampleRunner
from docgen.generate.prose.plan import GuidePlan
from docgen.generate.prose.prompts import BLOCK_FEEDBACK, FEEDBACK, NOT_JSON, messages, schema_for
from docgen.generate.prose.verify import (
    PYTHON_FENCES,
    Names,
    Unresolved,
    check,
    code_body,
    code_bound_names,
    dotted,
    drop,
    page_bound_names,
    parse_python,
    parses_as_python,
    split_blocks,
    unbound_names,
)
from docgen.problems import Problem
from docgen.publish.sanitize import code_span, escape_text, fence_for, sanitize_markdown

OpenModel = Callable[[], "LLM | None"]
BUDGET_SPENT = "the llm budget is spent"  # why a draft was not made, for guides and docstrings alike
MAX_DROPS = 4  # rounds of dropping what does not verify: each may leave a later block without what it used
Item = TypeVar("Item")
Outcome = TypeVar("Outcome")


@dataclass
class LLMStats:
    """What drafting cost, for `build --json` (`llm`)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: int = 0  # guides published without a call: current, or from the draft cache
    seconds: float = 0.0
    model: str = ""

    def add(self, usage: Usage, seconds: float) -> None:
        self.calls += 1
        self.prompt_tokens += usage.prompt_tokens
        self.completion_tokens += usage.completion_tokens
        self.seconds += seconds

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class GuidePage:
    """A guide to publish: its path in the docs folder, its nav title, its file's text, and
    its kind (the prompt's name: overview, tutorial, how-to, faq, troubleshooting)."""

    path: str
    title: str
    text: str
    kind: str = ""


@dataclass
class GuidesResult:
    """The guides of a build and what it cost."""

    pages: list[GuidePage] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    stats: LLMStats = field(default_factory=LLMStats)
    drafted: list[str] = field(default_factory=list)  # paths drafted (or re-drafted) by this build


class DraftCache:
    """Drafts by (path, prompt, evidence), under `.docgen/`: a build that fails after
    drafting loses no model time. Drafts made at once (`Drafting.each`) may keep theirs
    at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.entries: dict[str, dict[str, str]] = {
                str(key): {name: str(value[name]) for name in ("model", "title", "body")} for key, value in data.items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.entries = {}

    @staticmethod
    def key(plan: GuidePlan) -> str:
        return f"{plan.path}|{plan.prompt.id}|{plan.evidence.digest}"

    def get(self, plan: GuidePlan) -> Guide | None:
        entry = self.entry(self.key(plan))
        if entry is None:
            return None
        return Guide(entry["title"], entry["model"], plan.prompt.id, plan.evidence, entry["body"])

    def put(self, plan: GuidePlan, guide: Guide) -> None:
        self.keep(self.key(plan), guide.model, guide.title, guide.body)

    def entry(self, key: str) -> dict[str, str] | None:
        """The draft kept under `key` (its model, title and body), for drafts other than guides."""
        return self.entries.get(key)

    def keep(self, key: str, model: str, title: str, body: str) -> None:
        """Keep a draft under `key`, on disk at once."""
        with self._lock:
            self.entries[key] = {"model": model, "title": title, "body": body}
            write_atomic(self.path, json.dumps(self.entries, ensure_ascii=False, indent=0, sort_keys=True))


def draft_guides(
    plans: list[GuidePlan],
    docs: Path,
    names: Names,
    open_model: OpenModel,
    cache: DraftCache,
    *,
    project: str,
    budget: int | None = None,
    advance: Callable[[str], None] | None = None,
    docs_dir: str = "",
    examples: ExampleRunner | None = None,
    workers: int = 1,
) -> GuidesResult:
    """The guides of `plans`, drafted where needed (see the module's docstring), the most
    important first, up to `workers` at a time; `docs_dir` is how problems name the docs
    folder (relative to the project root); `examples`, when given, runs the Python blocks
    drafted (`verify.run_examples`)."""
    result = GuidesResult()
    state = Drafting(open_model, examples=examples, workers=workers)
    step = advance or (lambda _path: None)

    def guide(plan: GuidePlan) -> tuple[GuidePage | None, bool, list[Problem]]:
        problems: list[Problem] = []
        page, drafted = _guide(plan, docs, f"{docs_dir or docs.name}/{plan.path}", names, state, cache, project, budget, problems)
        return page, drafted, problems

    ordered = sorted(plans, key=lambda p: p.importance)
    for plan, (page, drafted, problems) in zip(ordered, state.each(ordered, guide)):
        if page is not None:
            result.pages.append(page)
        if drafted:
            result.drafted.append(plan.path)
        result.problems += problems
        step(f"{plan.path}{state.speed()}")
    result.stats = state.stats
    result.problems[:0] = state.problems  # the model's failure to open, first
    return result


class Drafting:
    """The model, opened on the first draft that needs it (a build with nothing to
    draft never loads one), and what drafting cost; `what` names the drafts in problems.

    Drafts may be made `workers` at a time (`each`: a model served over HTTP answers
    several requests at once); what they share (the model, the cost) is kept here under
    a lock, and each returns its own problems, so the build reports them in plan order."""

    def __init__(self, open_model: OpenModel, what: str = "guides", examples: ExampleRunner | None = None, workers: int = 1) -> None:
        self.open_model = open_model
        self.what = what
        self.examples = examples
        self.workers = max(1, workers)
        self.model: LLM | None = None
        self.opened = False
        self.unavailable = ""  # why there is no model, once known
        self.stats = LLMStats()
        self.problems: list[Problem] = []  # the model's failure to open
        self._lock = threading.Lock()

    def llm(self) -> LLM | None:
        with self._lock:
            if not self.opened:
                self.opened = True
                try:
                    self.model = self.open_model()
                except LLMError as error:
                    self.unavailable = str(error)
                    self.problems.append(Problem("llm", f"no {self.what} drafted: {error}"))
                if self.model is None and not self.unavailable:
                    self.unavailable = "llm backend is none"
                if self.model is not None:
                    self.stats.model = self.model.model_id
        return self.model

    def spend(self, usage: Usage, seconds: float) -> None:
        """Count one call's cost."""
        with self._lock:
            self.stats.add(usage, seconds)

    def reuse(self) -> None:
        """Count one draft published without a call (current, or from the draft cache)."""
        with self._lock:
            self.stats.cached += 1

    def speed(self) -> str:
        """The model's speed so far, for the progress bar: `, 25 tokens/s`, or nothing."""
        stats = self.stats
        return f", {stats.completion_tokens / stats.seconds:.0f} tokens/s" if stats.seconds else ""

    def each(self, items: Iterable[Item], draft: Callable[[Item], Outcome]) -> Iterator[Outcome]:
        """`draft(item)` for each item, in their order, up to `workers` at a time (a budget
        spent stops the drafts not yet begun; those under way finish)."""
        if self.workers == 1:
            yield from map(draft, items)
            return
        pool = ThreadPoolExecutor(self.workers, thread_name_prefix="docgen-draft")
        try:
            yield from pool.map(draft, items)
        finally:  # stopped (an error, Ctrl-C): what has not begun never will
            pool.shutdown(wait=True, cancel_futures=True)


def _guide(
    plan: GuidePlan,
    docs: Path,
    shown: str,
    names: Names,
    state: Drafting,
    cache: DraftCache,
    project: str,
    budget: int | None,
    problems: list[Problem],
) -> tuple[GuidePage | None, bool]:
    """The page of `plan` to publish, if any, and whether it is a new draft (of the model
    or the cache); what went wrong goes into `problems`."""
    target = docs / plan.path
    try:
        with open(target, encoding="utf-8", newline="") as stream:  # as it is: written back unchanged
            existing_text: str | None = stream.read()
    except FileNotFoundError:
        existing_text = None
    except (OSError, UnicodeDecodeError):
        return None, False  # unreadable: not docgen's to judge, and never replaced
    existing = read_guide(existing_text) if existing_text is not None else None
    if existing_text is not None and existing is None:
        return None, False  # a person's own page at this path wins
    as_it_is = GuidePage(plan.path, existing.title, existing_text, plan.prompt.name) if existing is not None else None
    if existing is not None:
        current = existing.prompt == plan.prompt.id and existing.evidence == plan.evidence
        if current or existing.edited:
            if not current:
                problems.append(
                    Problem("stale-guide", f"edited by hand, so not drafted again; since it was drafted: {_changes(plan, existing)}", shown)
                )
            if current:
                state.reuse()
            return as_it_is, False
    cached = cache.get(plan)
    if cached is not None:
        state.reuse()
        return _published(plan, cached), True
    model = state.llm()
    if model is None or (budget is not None and state.stats.tokens >= budget):
        reason = BUDGET_SPENT if model is not None else state.unavailable
        if existing is not None:
            problems.append(Problem("stale-guide", f"not drafted again ({reason}); since it was drafted: {_changes(plan, existing)}", shown))
        elif model is not None:
            problems.append(Problem("stale-guide", f"not drafted: {reason}", shown))
        return as_it_is, False
    try:
        body = _draft(plan, model, names, state, project, shown, problems)
    except LLMError as error:
        problems.append(Problem("llm", f"not drafted: {error}", shown))
        return as_it_is, False
    guide = Guide(plan.title, model.model_id, plan.prompt.id, plan.evidence, body)
    cache.put(plan, guide)
    return _published(plan, guide), True


def _changes(plan: GuidePlan, existing: Guide) -> str:
    """What changed since `existing` was drafted, in a few words."""
    return "; ".join(plan.evidence.changes_since(existing.evidence)[:5]) or "its prompt changed"


def _published(plan: GuidePlan, guide: Guide) -> GuidePage:
    return GuidePage(plan.path, guide.title, guide.text(), plan.prompt.name)


def _draft(plan: GuidePlan, model: LLM, names: Names, state: Drafting, project: str, shown: str, problems: list[Problem]) -> str:
    """One guide's body: each part of its facts asked, answered, checked, rendered."""
    answers = [_ask(plan, facts, model, names, state, project, shown, problems) for facts in plan.facts]
    return RENDERERS[plan.prompt.name](plan, answers, names.index, model.model_id)


def _ask(
    plan: GuidePlan, facts: str, model: LLM, names: Names, state: Drafting, project: str, shown: str, problems: list[Problem]
) -> dict[str, Any]:
    """The model's answer to one part of a guide (see `ask`)."""
    chat = messages(project, plan.prompt, plan.subject, facts)
    items = len(plan.entry_points) if plan.prompt.name == "overview" else len(re.findall(r"^\d+\. ", facts, re.MULTILINE))
    schema = schema_for(plan.prompt, items, len(plan.flows))
    return ask(chat, schema, plan.prompt.max_tokens, model, names, state, shown, problems, plan.prompt.whole)


def ask(
    chat: list[dict[str, str]],
    schema: dict[str, Any],
    max_tokens: int,
    model: LLM,
    names: Names,
    state: Drafting,
    shown: str,
    problems: list[Problem],
    whole: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The model's answer to `chat` in `schema`, its prose fields verified: one retry with
    the failures as feedback, then what still names nothing (or fails to parse or run) is
    dropped, with an `unverified` problem at `shown` (into `problems`); the items of the lists `whole` names
    go whole. An answer that is not JSON is asked for once more; LLMError when the
    second is not JSON either. What is not the model's own prose goes first (see `_tidy`)."""

    def failures(text: str) -> list[Unresolved]:
        found = check(text, names, bound)  # a step's code may use what an earlier step's made
        return found + (state.examples.check(text, found) if state.examples is not None else [])

    answer: dict[str, Any] = {}
    bound: frozenset[str] | None = frozenset()
    labels = _labels(chat[-1]["content"])
    commands = _shown_commands(chat[-1]["content"])
    # The tools those commands run are names prose may give (`pip`), as the facts do.
    names = replace(names, words=names.words | {word for word in (line.split()[0] for line in commands) if _TOOL.fullmatch(word)})
    for attempt in range(2):
        completion = model.complete(chat, max_tokens=max_tokens, schema=schema)
        state.spend(completion.usage, completion.seconds)
        try:
            answer = _fenced(_tidy(_json(completion.text), schema, labels), commands, names)
            bound = page_bound_names(_prose_fields(answer))
        except LLMError:
            if attempt == 1 and answer:
                break  # the first answer stands, with what names nothing dropped below
            if attempt == 1:
                raise
            chat = [*chat, {"role": "assistant", "content": completion.text[:2000]}, {"role": "user", "content": NOT_JSON}]
            continue
        found = [item for text in _prose_fields(answer) for item in failures(text)]
        if not found:
            return answer
        if attempt == 0:
            chat = [*chat, {"role": "assistant", "content": completion.text}, {"role": "user", "content": _feedback(found)}]
    for _ in range(MAX_DROPS):  # a block dropped may leave a later one using what it made
        found = {(item.reference, item.why) for text in _prose_fields(answer) for item in failures(text)}
        if not found:
            break
        for reference, why in sorted(found):
            what = "a code block" if reference.startswith("```") else f"`{reference}`"
            problems.append(Problem("unverified", f"dropped drafted text: {what} {why}", shown))
        answer = _dropped(answer, failures, whole)
        bound = page_bound_names(_prose_fields(answer))
    return answer


_SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?=\s|$)")
_TOOL = re.compile(r"[a-z][\w.-]*")  # a command's program: `pip`, `python3`, `docker-compose`
_UNFINISHED = re.compile(r"[\w,;]\s*$")  # what ends a sentence cut short
_COPIED_SIGNATURE = re.compile(r"\s*\bSignature: `")  # how facts give a symbol's signature


def _labels(prompt: str) -> re.Pattern[str]:
    """What opens a copy of the prompt rather than prose: its labels (`Task:`, and each
    `Settings:`, `Entry points:` or `Signature:` that opens a line of its facts)."""
    labels = {"Task", "Facts", *re.findall(r"^([A-Z][^\n:`]{0,38}):", prompt, re.MULTILINE)}
    return re.compile("(?:" + "|".join(re.escape(label) for label in sorted(labels)) + "):")


def _tidy(answer: Any, schema: dict[str, Any], labels: re.Pattern[str]) -> Any:
    """`answer` with only the model's own prose left in it: a string that opens with a
    label of the prompt (a small model copies its facts, or its task, for an answer) is
    emptied, one that copies a fact's signature loses it; one that reached its schema's
    `maxLength` (where a constrained decoder cuts it, mid-sentence) ends at its last whole
    sentence, or is emptied when it has none; one that stops mid-sentence after whole ones
    ends at the last of them (one sentence without its full stop stays). Code is left to
    the verifier, which parses it."""
    if isinstance(answer, str):
        if labels.match(answer.lstrip()):
            return ""
        copied = _COPIED_SIGNATURE.search(answer)
        if copied:  # a fact copied whole, its signature after its summary: the summary's whole sentences
            ends = [match.end() for match in _SENTENCE_END.finditer(answer, 0, copied.start())]
            return answer[: ends[-1]] if ends else ""
        ends = [match.end() for match in _SENTENCE_END.finditer(answer)]
        limit = schema.get("maxLength")
        if limit is not None and len(answer) >= limit:
            return answer[: ends[-1]] if ends else ""
        if ends and _UNFINISHED.search(answer):  # `..., and they will be`: its whole sentences only
            return answer[: ends[-1]]
        return answer
    if isinstance(answer, dict):
        properties, extra = schema.get("properties", {}), schema.get("additionalProperties")
        return {
            key: value if key == "code" else _tidy(value, properties.get(key, extra if isinstance(extra, dict) else {}), labels)
            for key, value in answer.items()
        }
    if isinstance(answer, list):
        items = schema.get("items")
        return [_tidy(value, items if isinstance(items, dict) else {}, labels) for value in answer]
    return answer


def _feedback(found: list[Unresolved]) -> str:
    """What to tell the model of its answer's failures: the names that name nothing, and
    why its code blocks failed."""
    names = sorted({f"`{item.reference}`" for item in found if not item.reference.startswith("```")})[:10]
    blocks = sorted({item.why for item in found if item.reference.startswith("```")})[:3]
    parts = [FEEDBACK.format(names=", ".join(names))] if names else []
    parts += [BLOCK_FEEDBACK.format(why=why) for why in blocks]
    return " ".join(parts)


def _fenced(answer: Any, commands: frozenset[str], names: Names) -> Any:
    """`answer` with each `code` field made a fenced Python block, so the verifier reads
    it as code (and drops it whole) and the page shows it as code, with the imports it
    leaves out added (see `_with_missing_imports`); or a shell block, when it is only
    `commands` the facts show (`pip install click`, from the README)."""
    answer = _map_code(answer, _unwrapped)
    bound = code_bound_names(code for code in _code_fields(answer) if isinstance(code, str))
    return _map_code(answer, lambda code: _fence(code, commands, names, bound))


def _map_code(answer: Any, change: Callable[[Any], Any]) -> Any:
    """`answer` with `change` applied to each of its `code` fields."""
    if isinstance(answer, dict):
        return {key: change(value) if key == "code" else _map_code(value, change) for key, value in answer.items()}
    if isinstance(answer, list):
        return [_map_code(value, change) for value in answer]
    return answer


def _code_fields(answer: Any) -> list[Any]:
    """Every `code` field of `answer`, in order."""
    if isinstance(answer, dict):
        return [item for key, value in answer.items() for item in ([value] if key == "code" else _code_fields(value))]
    if isinstance(answer, list):
        return [item for value in answer for item in _code_fields(value)]
    return []


def _unwrapped(code: Any) -> Any:
    """A `code` field as the code it holds: without the fence the task said to leave out,
    dedented, its line breaks cut by JSON escaping mended."""
    if not isinstance(code, str):
        return code
    code = code.strip("\n")
    wrapped = re.match(r"^\s*(`{3,}|~{3,})[^\n]*\n(.*)\n\s*\1\s*$", code, re.DOTALL)  # fenced despite the task
    if wrapped:
        code = wrapped.group(2)
    return _escaped_line_breaks(textwrap.dedent(code).strip("\n"))


def _fence(code: Any, commands: frozenset[str], names: Names, bound: frozenset[str] | None) -> Any:
    """One unwrapped `code` field fenced, with the imports it leaves out added but for
    the names `bound` in its answer (None, after an import of `*`: none added)."""
    if not isinstance(code, str):
        return code
    if bound is not None:
        code = _with_missing_imports(code, names, bound)
    if not code.strip():
        return ""
    fence = fence_for(code)
    lines = [_command(line) for line in code.split("\n") if line.strip()]
    language = "python"
    if commands and all(line in commands for line in lines) and not parses_as_python(code):
        language = "console" if code.lstrip().startswith("$ ") else "sh"
    return f"{fence}{language}\n{code}\n{fence}"


def _with_missing_imports(code: str, names: Names, elsewhere: frozenset[str]) -> str:
    """`code` with the imports it leaves out added: of each module it uses by name
    (`click.echo(...)`) and never imports, where the name is the project's (imported down
    to the module used: `import click.testing` for `click.testing.CliRunner`) or another
    importable module's (`json.dumps`). A small model leaves them out of most snippets;
    any other name a snippet never binds is the verifier's to send back. One another block
    of its answer imports (`elsewhere`: a tutorial's first step) is left as it is."""
    tree = parse_python(code)
    if tree is None:
        return code
    unbound = set(unbound_names(tree, elsewhere))
    paths = [dotted(node) for node in ast.walk(tree) if isinstance(node, ast.Attribute)]
    imports: dict[str, None] = {}
    for path in sorted(path for path in paths if path.split(".")[0] in unbound):
        parts = path.split(".")
        head = parts[0]
        if head in names.index.top_level:
            modules = [".".join(parts[:cut]) for cut in range(len(parts), 0, -1)]
            imports[next((m for m in modules if names.index.kinds.get(m) in ("module", "package")), head)] = None
        elif head in names.modules:
            imports[head] = None
    if not imports:
        return code
    return "\n".join(f"import {module}" for module in imports) + "\n\n" + code


def _command(line: str) -> str:
    """A shell line without its prompt (`$ `) or its surrounding spaces."""
    line = line.strip()
    return line[2:].strip() if line.startswith("$ ") else line


def _shown_commands(prompt: str) -> frozenset[str]:
    """The lines of the prompt's non-Python code blocks (a README's `pip install`): the only
    shell a drafted page may show, since no verifier can check a command it invents."""
    shown = (code_body(block) for block in split_blocks(prompt) if block.fence is not None and block.fence not in PYTHON_FENCES)
    return frozenset(_command(line) for body in shown for line in body.split("\n") if line.strip())


_CUT_STRING = re.compile(r"unterminated (?:f-)?string literal|EOL while scanning string literal")
MAX_JOINED = 8


def _escaped_line_breaks(code: str) -> str:
    """`code` with each line break that cuts a one-line string literal in two written back
    as the escape `\\n` it stood for. In a JSON answer `print('a\\nb')` needs its backslash
    doubled; a model that writes it once gets a real line break inside the quotes, which no
    Python parses (`'\\n'.join(...)` is the common case). Mended only where Python names such
    a cut, line by line; code that still does not parse is returned as it came."""
    lines = code.split("\n")
    for _ in range(MAX_JOINED):
        try:
            ast.parse("\n".join(lines))
        except SyntaxError as error:
            cut = error.lineno or 0
            if not _CUT_STRING.match(error.msg) or not 0 < cut < len(lines):
                return code
            lines[cut - 1 : cut + 1] = [lines[cut - 1] + "\\n" + lines[cut]]
        except (ValueError, RecursionError, MemoryError):
            return code  # not Python at all: the verifier says why
        else:
            return "\n".join(lines)
    return code


def _json(text: str) -> dict[str, Any]:
    """The JSON object in a model's answer (some wrap it in a code fence)."""
    text = text.strip()
    fenced = re.match(r"^```(?:json)?\s*(.*?)\s*```$", text, re.DOTALL)
    if fenced:
        text = fenced.group(1)
    try:
        # strict=False: a raw line break inside a string (code, mostly) is what the model
        # meant, and some constrained decoders let it through.
        value = json.loads(text, strict=False)
    except ValueError:
        raise LLMError("the model's answer is not the JSON asked for") from None
    if not isinstance(value, dict):
        raise LLMError("the model's answer is not a JSON object")
    return value


def _prose_fields(answer: Any) -> list[str]:
    """Every string the model wrote, wherever it sits in the answer."""
    if isinstance(answer, str):
        return [answer]
    if isinstance(answer, dict):
        return [text for value in answer.values() for text in _prose_fields(value)]
    if isinstance(answer, list):
        return [text for value in answer for text in _prose_fields(value)]
    return []


def _dropped(answer: Any, failures: Callable[[str], list[Unresolved]], whole: tuple[str, ...] = ()) -> Any:
    """`answer` without the sentences (or code blocks) that hold unresolved references;
    the items of the lists named in `whole` go entirely when any of their text does."""
    if isinstance(answer, str):
        found = failures(answer)
        return drop(answer, found).strip() if found else answer
    if isinstance(answer, dict):
        kept = {}
        for key, value in answer.items():
            if key in whole and isinstance(value, list):
                value = [item for item in value if not any(failures(text) for text in _prose_fields(item))]
            kept[key] = _dropped(value, failures, whole)
        return kept
    if isinstance(answer, list):
        return [_dropped(value, failures, whole) for value in answer]
    return answer


def _text(value: Any, linker: Linker) -> str:
    """One prose field of an answer, linked and sanitized: the only way model text reaches a page."""
    if not isinstance(value, str) or not value.strip():
        return ""
    return sanitize_markdown(linker.prose(" ".join(value.split())))


def _link(symbol_id: str, index: LinkIndex, page: str) -> str:
    if symbol_id in index.targets:
        return f"[{code_span(symbol_id)}]({index.url(symbol_id, page)})"
    return code_span(symbol_id)


def _credit(model_id: str) -> str:
    return f"!!! info \"Drafted by {escape_text(model_id)}\"\n\n    Written by a language model from the code, and checked against it by docgen.\n"


def _entry_point(name: Any, entry_points: tuple[str, ...]) -> str | None:
    """The entry point a model's `name` means: its id, or the one id it ends (`Cart.checkout`)."""
    if not isinstance(name, str):
        return None
    name = name.strip().strip("`").removesuffix("()")
    if name in entry_points:
        return name
    matches = [entry for entry in entry_points if entry.endswith("." + name)]
    return matches[0] if len(matches) == 1 else None


def _render_overview(plan: GuidePlan, answers: list[dict[str, Any]], index: LinkIndex, model_id: str) -> str:
    answer = answers[0]
    linker = Linker(index, plan.path, [], {})
    out = [f"# {escape_text(plan.title)}", "", _credit(model_id)]
    purpose = _text(answer.get("purpose"), linker)
    if purpose:
        out += [purpose, ""]
    roles = {}
    for item in answer.get("entry_points") or []:
        entry = _entry_point(item.get("name") if isinstance(item, dict) else None, plan.entry_points)
        if entry is not None:
            roles[entry] = _text(item.get("role"), linker)
    if plan.entry_points:
        out += ["## Entry points", ""]
        out += [f"- {_link(e, index, plan.path)}" + (f": {roles[e]}" if roles.get(e) else "") for e in plan.entry_points]
        out.append("")
    if plan.flows:
        explained: dict[int, str] = {}
        for item in answer.get("flows") or []:
            if not isinstance(item, dict) or not isinstance(item.get("number"), int) or not 1 <= item["number"] <= len(plan.flows):
                continue
            text = item.get("explanation")
            # One that names none of its steps, or says what another said, explains no flow.
            if isinstance(text, str) and _explains(text, plan.flows[item["number"] - 1]) and text not in explained.values():
                explained[item["number"]] = text
        explained = {number: _text(text, linker) for number, text in explained.items()}
        out += ["## How the parts work together", ""]
        drawn = figure(call_flows(plan.flows, index, plan.path)) if plan.diagrams else ""
        out += [drawn] if drawn else []
        for number, flow in enumerate(plan.flows, start=1):
            out.append(f"{number}. " + " → ".join(_link(step, index, plan.path) for step in flow))
            if explained.get(number):
                out += ["", f"    {explained[number]}"]
            out.append("")
    if plan.modules:
        out += ["## Modules", ""] + [f"- {_link(m, index, plan.path)}" for m in plan.modules] + [""]
    return "\n".join(out).rstrip() + "\n"


def _explains(text: str, flow: tuple[str, ...]) -> bool:
    """Whether `text` names a step of `flow` (by its own name, as prose does: `confirm` for
    `click.termui.confirm`); what names none explains some other thing, often the README."""
    return any(re.search(rf"(?<!\w){re.escape(step.rsplit('.', 1)[-1])}\b", text) for step in flow)


def _render_troubleshooting(plan: GuidePlan, answers: list[dict[str, Any]], index: LinkIndex, model_id: str) -> str:
    linker = Linker(index, plan.path, [], {})
    out = [f"# {escape_text(plan.title)}", "", _credit(model_id)]
    explained: dict[int, dict[str, Any]] = {}
    offset = 0
    for answer, facts in zip(answers, plan.facts):
        count = sum(1 for line in facts.split("\n") if re.match(r"^\d+\. ", line))
        for item in answer.get("errors") or []:
            if isinstance(item, dict) and isinstance(item.get("number"), int) and 1 <= item["number"] <= count:
                explained[offset + item["number"] - 1] = item
        offset += count
    for position, entry in enumerate(plan.errors):
        name = entry.exception.rsplit(".", 1)[-1]
        heading = f"## {code_span(name)}" + (f": {escape_text(entry.message)}" if entry.message else "")
        out += [heading, "", f"Raised by {_link(entry.raiser, index, plan.path)}; the error is {_link(entry.exception, index, plan.path)}.", ""]
        item = explained.get(position, {})
        cause, fix = _text(item.get("cause"), linker), _text(item.get("fix"), linker)
        if cause:
            out += [f"**Cause.** {cause}", ""]
        if fix:
            out += [f"**Fix.** {fix}", ""]
    return "\n".join(out).rstrip() + "\n"


def _code(value: Any) -> str:
    """A code block the model wrote (fenced by `_fence`, verified), sanitized like any text."""
    return sanitize_markdown(value) if isinstance(value, str) and value.strip() else ""


def _render_steps(answer: dict[str, Any], linker: Linker) -> list[str]:
    """Numbered steps, each the model's explanation and code. Code an earlier step shows
    is not shown again; an explanation left without its code loses the sentence that
    introduced it ("For example:"); a step left empty is left out, and the rest renumbered."""
    out: list[str] = []
    steps = [item for item in answer.get("steps") or [] if isinstance(item, dict)]
    shown: list[tuple[str, str]] = []
    for item in steps:
        explanation, code = _text(item.get("explanation"), linker), _code(item.get("code"))
        if code in (earlier for _, earlier in shown):
            code = ""
        if not code and explanation.endswith(":"):
            ends = [match.end() for match in _SENTENCE_END.finditer(explanation)]
            explanation = explanation[: ends[-1]] if ends else ""
        shown.append((explanation, code))
    for number, (explanation, code) in enumerate([step for step in shown if any(step)], start=1):
        out += [f"## Step {number}", ""]
        out += [explanation, ""] if explanation else []
        out += [code, ""] if code else []
    return out


def _drawn_from(plan: GuidePlan) -> list[str]:
    """Which files the guide was drafted from (its evidence), for the reader to look at."""
    files = [path for path, _ in plan.evidence.files]
    return [f"Drawn from {', '.join(code_span(path) for path in files)}.", ""] if files else []


def _render_steps_page(plan: GuidePlan, answer: dict[str, Any], lead: str, index: LinkIndex, model_id: str, closing: list[str]) -> str:
    """A page of steps (a tutorial, a how-to): the title, the model's `lead` sentence, its
    steps, then docgen's `closing` section and the files it was drawn from."""
    linker = Linker(index, plan.path, [], {})
    out = [f"# {escape_text(plan.title)}", "", _credit(model_id)]
    opening = _text(answer.get(lead), linker)
    out += [opening, ""] if opening else []
    out += _render_steps(answer, linker)
    out += closing
    out += _drawn_from(plan)
    return "\n".join(out).rstrip() + "\n"


def _render_tutorial(plan: GuidePlan, answers: list[dict[str, Any]], index: LinkIndex, model_id: str) -> str:
    closing = ["## Where to go next", ""] + [f"- {_link(e, index, plan.path)}" for e in plan.entry_points] + [""] if plan.entry_points else []
    return _render_steps_page(plan, answers[0], "introduction", index, model_id, closing)


def _render_how_to(plan: GuidePlan, answers: list[dict[str, Any]], index: LinkIndex, model_id: str) -> str:
    closing = ["## Reference", "", f"See {_link(plan.subject, index, plan.path)}.", ""]
    return _render_steps_page(plan, answers[0], "task", index, model_id, closing)


def _render_faq(plan: GuidePlan, answers: list[dict[str, Any]], index: LinkIndex, model_id: str) -> str:
    linker = Linker(index, plan.path, [], {})
    out = [f"# {escape_text(plan.title)}", "", _credit(model_id)]
    for item in answers[0].get("entries") or []:
        if not isinstance(item, dict):
            continue
        question, answer = _text(item.get("question"), linker), _text(item.get("answer"), linker)
        if question and answer:
            out += [f"## {question}", "", answer, ""]
    out += _drawn_from(plan)
    return "\n".join(out).rstrip() + "\n"


RENDERERS = {
    "overview": _render_overview,
    "troubleshooting": _render_troubleshooting,
    "tutorial": _render_tutorial,
    "how-to": _render_how_to,
    "faq": _render_faq,
}
