"""Greedy decoding under a grammar, best token first: the real llama.cpp with the small
model, compared token for token with llama-cpp-python's own check of every token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from docgen.generate.llm import LLMSettings, open_llm
from docgen.generate.llm.llama_cpp import LlamaCppLLM

SCHEMA = {
    "type": "object",
    "properties": {"summary": {"type": "string"}, "steps": {"type": "array", "items": {"type": "string"}}},
    "required": ["summary", "steps"],
}
MESSAGES = [
    {"role": "system", "content": "You write documentation. Answer with JSON only."},
    {"role": "user", "content": "Describe `echo(message, nl=True)`, which prints a message and a newline. Give `summary` and three `steps`."},
]


@pytest.fixture(scope="module")
def model() -> Iterator[LlamaCppLLM]:
    llm = open_llm(LLMSettings(model="smollm2", context=2048), Path("."))
    yield llm
    llm.close()


def _every_token_checked(model: LlamaCppLLM, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sample as llama-cpp-python does on its own: the grammar applied to every token."""
    base = type(model._llama).__mro__[1]
    monkeypatch.setattr(type(model._llama), "_init_sampler", base._init_sampler)


def test_the_same_answer_as_checking_every_token(model: LlamaCppLLM, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = model.complete(MESSAGES, max_tokens=200, schema=SCHEMA)
    with monkeypatch.context() as patch:
        _every_token_checked(model, patch)
        model._llama.reset()
        full = model.complete(MESSAGES, max_tokens=200, schema=SCHEMA)
    assert fast.text == full.text and fast.usage == full.usage


def test_the_grammar_still_decides_when_the_model_would_not_follow_it(model: LlamaCppLLM) -> None:
    """The model's own best tokens spell something else: every one is refused and the
    grammar's check of the whole vocabulary picks the token allowed."""
    schema = {"type": "object", "properties": {"colour": {"enum": ["zebra-striped"]}}, "required": ["colour"]}
    answer = model.complete([{"role": "user", "content": "Name a colour, as JSON."}], max_tokens=40, schema=schema)
    assert json.loads(answer.text) == {"colour": "zebra-striped"}


def test_without_a_grammar_sampling_is_llama_cpps_own(model: LlamaCppLLM) -> None:
    answer = model.complete(MESSAGES, max_tokens=30)
    assert answer.text.strip() and answer.usage.completion_tokens <= 31
