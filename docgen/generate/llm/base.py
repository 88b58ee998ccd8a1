"""One protocol for every language model docgen drafts prose with.

A backend turns chat messages into one completion and counts tokens the way its model
does; nothing else in docgen knows which backend it talks to. Every failure is an
`LLMError` with one line that never holds a credential.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any, Protocol

from docgen.errors import DocgenError

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": ...}
TextSink = Callable[[str], None]


class LLMError(DocgenError):
    """The model could not be loaded or did not answer (timeout, server error, bad reply)."""


@dataclass(frozen=True)
class Usage:
    """Tokens one or more calls cost."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(self.prompt_tokens + other.prompt_tokens, self.completion_tokens + other.completion_tokens)


@dataclass(frozen=True)
class Completion:
    """One answer of a model."""

    text: str
    usage: Usage = field(default_factory=Usage)
    seconds: float = 0.0
    truncated: bool = False  # stopped by `max_tokens` or the time limit, not by the model


class LLM(Protocol):
    """What docgen needs of a model."""

    @property
    def model_id(self) -> str:
        """Which model answers, as recorded in every draft (`llama-cpp:qwen2.5-coder-1.5b-q4_k_m`)."""
        ...

    @property
    def context_tokens(self) -> int:
        """The model's window: prompt and answer together."""
        ...

    def complete(
        self, messages: list[Message], *, max_tokens: int, schema: dict[str, Any] | None = None, on_text: TextSink | None = None
    ) -> Completion:
        """The model's answer to `messages`, at most `max_tokens` long; with a JSON
        `schema`, an answer constrained to it where the backend can. `on_text` is handed
        the answer as it comes, piece by piece (all at once by backends that cannot stream)."""
        ...

    def count_tokens(self, text: str) -> int:
        """How many tokens `text` is to this model."""
        ...

    def close(self) -> None:
        """Free what the model holds (memory, connections)."""
        ...


def estimate_tokens(text: str) -> int:
    """A backend-free estimate (about four characters a token in English and code)."""
    return max(1, len(text) // 4) if text else 0
