"""`docgen ask`: an answer from the docs only, with citations, or an honest abstention.

The question is searched in the knowledge base; the best few chunks go to the model as
numbered sources, and the model answers from them alone, citing each fact as `[n]`. What
comes back is checked sentence by sentence as it streams: a sentence that names code that
does not exist (the verifier of the guides decides) is dropped, a citation of a source
that was not given is removed, and an answer that cites nothing is no answer. docgen
abstains, saying so, when retrieval finds nothing near the question, or when nothing cited
survives the checks (a model that finds no answer in its sources says so without citing).

The model is not offered a way to refuse: measured on benchmarks/questions/click.json,
Qwen2.5-Coder-1.5B took it for half the questions its sources answered, while retrieval
alone turned away every question out of scope.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from docgen.generate.llm import LLM
from docgen.generate.prose.verify import CODE_SPAN, Names, check
from docgen.index.knowledge import Hit, KnowledgeBase

NOT_COVERED = "The documentation does not cover this."
MAX_QUESTION = 1000  # characters of a question
SOURCES = 4  # chunks given to the model: prompt evaluation is most of the time to first token
SOURCE_CHARACTERS = 420  # of each source's text
MAX_TOKENS = 260  # of an answer: a few sentences
# Retrieval is weak when no chunk is this near the question in meaning (cosine), and none
# is named by it exactly. Measured on benchmarks/questions/click.json (so a threshold fitted
# to one set): the best similarity of the questions in scope is 0.34 or more (`secho`, at
# 0.28, is found by its name), of those out of scope 0.29 or less.
MIN_SIMILARITY = 0.33
_CITATION = re.compile(r"\[(\d{1,2})\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*\n")

SYSTEM = (
    "Answer the question about the {project} project with what the numbered sources below say. "
    "Write two to four short sentences. End each sentence with the number of the source it comes "
    "from in brackets, like [1]. Write names of code in backticks, exactly as the sources spell them."
)


@dataclass(frozen=True)
class Citation:
    """A source an answer cites."""

    number: int
    symbol: str | None
    title: str
    url: str


@dataclass
class Answer:
    """What `ask` says: the answer and the sources it cites, or that the docs do not say."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    commit: str | None = None  # the commit the knowledge base describes
    why: str = ""  # why it abstained
    dropped: int = 0  # sentences dropped for naming code that does not exist

    def as_dict(self) -> dict[str, Any]:
        """The answer as `docgen ask --json` prints it."""
        return {
            "answer": self.text,
            "citations": [{"symbol": c.symbol, "url": c.url, "title": c.title, "number": c.number} for c in self.citations],
            "abstained": self.abstained,
            "commit": self.commit,
        }


def ask(
    base: KnowledgeBase,
    question: str,
    model: LLM,
    names: Names,
    *,
    project: str,
    on_text: Callable[[str], None] | None = None,
) -> Answer:
    """Answer `question` from `base` with `model`; `on_text` receives the answer as it is
    checked, sentence by sentence (never a sentence that is later dropped)."""
    hits = base.search(question, SOURCES)
    if not _retrieved_enough(base, question, hits):
        return Answer(NOT_COVERED, abstained=True, commit=base.commit, why="nothing in the docs is near the question")
    messages = [
        {"role": "system", "content": SYSTEM.format(project=project)},
        {"role": "user", "content": f"Sources:\n{_sources(hits)}\n\nQuestion: {question.strip()}"},
    ]
    checker = _Checker(hits, names, on_text)
    model.complete(messages, max_tokens=MAX_TOKENS, on_text=checker.feed)
    checker.finish()
    cited = sorted({number for sentence in checker.kept for number in _numbers(sentence)})
    if not cited:
        return Answer(NOT_COVERED, abstained=True, commit=base.commit, why="the answer cited no source", dropped=checker.dropped)
    citations = [_citation(number, hits[number - 1]) for number in cited]
    return Answer(" ".join(checker.kept).strip(), citations, commit=base.commit, dropped=checker.dropped)


def _retrieved_enough(base: KnowledgeBase, question: str, hits: list[Hit]) -> bool:
    if not hits:
        return False
    exact, _ = base.named(question)
    return bool(exact) or max(hit.similarity for hit in hits) >= MIN_SIMILARITY


def _sources(hits: list[Hit]) -> str:
    parts = []
    for number, hit in enumerate(hits, start=1):
        text = hit.chunk.text
        if len(text) > SOURCE_CHARACTERS:
            text = text[:SOURCE_CHARACTERS].rsplit(" ", 1)[0] + " ..."
        parts.append(f"[{number}] {hit.chunk.title}\n{text}")
    return "\n\n".join(parts)


def _numbers(sentence: str) -> list[int]:
    return [int(n) for n in _CITATION.findall(sentence)]


def _citation(number: int, hit: Hit) -> Citation:
    return Citation(number, hit.chunk.symbol, hit.chunk.title, hit.chunk.url)


class _Checker:
    """The answer as it streams, cut into sentences; each is checked whole, then passed on.

    Sentences before the first one that cites a source are held back: if none ever does,
    the answer is no answer, and nothing of it was shown.
    """

    def __init__(self, sources: list[Hit], names: Names, on_text: Callable[[str], None] | None) -> None:
        self.sources = sources
        self.names = names
        self.on_text = on_text
        self.pending = ""  # text not yet a whole sentence
        self.held: list[str] = []  # checked sentences waiting for the first citation
        self.kept: list[str] = []  # sentences of the answer, in order
        self.dropped = 0
        self._shown = False  # whether anything was passed on

    def feed(self, piece: str) -> None:
        """Take the next piece of the answer; pass on each sentence it completes."""
        self.pending += piece
        while True:
            match = _SENTENCE_END.search(self.pending)
            if match is None:
                return
            sentence, self.pending = self.pending[: match.start()], self.pending[match.end() :]
            self._take(sentence)

    def finish(self) -> None:
        """Take what is left once the answer is complete: its last sentence."""
        if self.pending.strip():
            self._take(self.pending)
        self.pending = ""

    def _take(self, sentence: str) -> None:
        sentence = sentence.strip()
        if not sentence:
            return
        # Only the sources given can be cited: any other number is removed.
        sentence = _CITATION.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= len(self.sources) else "", sentence).strip()
        if check(sentence, self.names):
            self.dropped += 1
            return
        if not _numbers(sentence):
            sentence = self._cite_named(sentence)
        if not self.kept and not _numbers(sentence):
            self.held.append(sentence)
            return
        for waiting in [*self.held, sentence]:
            self.kept.append(waiting)
            self._show(waiting)
        self.held = []

    def _cite_named(self, sentence: str) -> str:
        """A sentence the model left uncited, citing the sources whose symbols it names in
        backticks (`open_file` names the source of `click.utils.open_file`): a small model
        often forgets the brackets, never the name."""
        named = {span.strip().removesuffix("()") for span in CODE_SPAN.findall(sentence)}
        numbers = [
            number
            for number, hit in enumerate(self.sources, start=1)
            if hit.chunk.symbol and any(hit.chunk.symbol == name or hit.chunk.symbol.endswith("." + name) for name in named if name)
        ]
        if not numbers:
            return sentence
        marks = " ".join(f"[{number}]" for number in numbers)
        body = sentence.rstrip()
        end = len(body.rstrip(".!?")) if body.endswith((".", "!", "?")) else len(body)
        return f"{body[:end]} {marks}{body[end:]}"

    def _show(self, sentence: str) -> None:
        if self.on_text is not None:
            self.on_text((" " if self._shown else "") + sentence)
            self._shown = True
