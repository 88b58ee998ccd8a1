"""The default backend: a GGUF model in this process, through llama-cpp-python.

Offline by construction: the model is a local file (a packaged one by default, see
`docgen.generate.llm.models`), loaded once per build, answering at temperature 0 so that
the same evidence drafts the same text on every machine.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from docgen.generate.llm.base import Completion, LLMError, Message, TextSink, Usage

DEFAULT_CONTEXT = 8192


def _llama_class() -> Any:
    """llama-cpp-python's `Llama`, sampling greedy answers under a grammar (JSON schemas)
    with `greedy_grammar_sampler`: the same tokens, 1.4 times as fast on two cores."""
    from llama_cpp import Llama

    from docgen.generate.llm.llama_sampling import greedy_grammar_sampler

    class GrammarLlama(Llama):
        def _init_sampler(self, **options: Any) -> Any:
            plain = options.get("frequency_penalty", 0.0) == 0.0 and options.get("presence_penalty", 0.0) == 0.0
            if options.get("grammar") is None or options.get("temp") != 0.0 or options.get("logits_processor") or not plain:
                return super()._init_sampler(**options)
            try:
                return greedy_grammar_sampler(self, options["grammar"], options.get("repeat_penalty", 1.0))
            except (AttributeError, ImportError, TypeError):  # llama-cpp-python's internals moved: its own way
                return super()._init_sampler(**options)

    return GrammarLlama


class LlamaCppLLM:
    """A GGUF model run by llama.cpp."""

    def __init__(self, path: Path, model_id: str, *, context_tokens: int = DEFAULT_CONTEXT, timeout: float = 600) -> None:
        try:
            Llama = _llama_class()
        except ImportError:
            raise LLMError("the llama-cpp backend needs llama-cpp-python: pip install 'docgen[local]'") from None
        self._model_id = f"llama-cpp:{model_id}"
        self.timeout = timeout
        try:
            self._llama = Llama(
                model_path=str(path),
                n_ctx=context_tokens,
                n_threads=max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1),
                seed=0,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as error:
            raise LLMError(f"llama.cpp cannot load {path.name}: {error}", file=str(path)) from None
        self._context = self._llama.n_ctx()

    @property
    def model_id(self) -> str:
        """`llama-cpp:` and the model's name."""
        return self._model_id

    @property
    def context_tokens(self) -> int:
        """The window the model was loaded with."""
        return self._context

    def complete(
        self, messages: list[Message], *, max_tokens: int, schema: dict[str, Any] | None = None, on_text: TextSink | None = None
    ) -> Completion:
        """One answer, greedy; generation stops at `max_tokens`, or fails after `timeout`
        seconds (streamed, so that a slow answer can be stopped between two tokens)."""
        start = time.perf_counter()
        options: dict[str, Any] = {}
        if schema is not None:
            options["response_format"] = {"type": "json_object", "schema": schema}
        parts: list[str] = []
        finish = None
        try:
            stream = self._llama.create_chat_completion(
                messages=messages,  # type: ignore[arg-type]
                max_tokens=max_tokens,
                temperature=0.0,
                repeat_penalty=1.1,  # greedy small models otherwise loop on a phrase
                seed=0,
                stream=True,
                **options,
            )
            for chunk in stream:  # type: ignore[union-attr]
                choice = chunk["choices"][0]
                piece = choice["delta"].get("content") or ""
                parts.append(piece)
                if on_text is not None and piece:
                    on_text(piece)
                finish = choice.get("finish_reason") or finish
                if time.perf_counter() - start > self.timeout:
                    raise LLMError(f"the model took more than {self.timeout:.0f} s to answer")
        except (ValueError, RuntimeError) as error:  # a prompt longer than the window, a decode failure
            raise LLMError(f"llama.cpp failed: {str(error).splitlines()[0] if str(error) else type(error).__name__}") from None
        text = "".join(parts)
        prompt = sum(self.count_tokens(message["content"]) for message in messages)
        return Completion(
            text=text,
            usage=Usage(prompt, self.count_tokens(text)),
            seconds=time.perf_counter() - start,
            truncated=finish == "length",
        )

    def count_tokens(self, text: str) -> int:
        """Tokens as the model's own tokenizer counts them."""
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def close(self) -> None:
        """Free the model's memory now rather than at exit."""
        llama, self._llama = getattr(self, "_llama", None), None
        if llama is not None:
            llama.close()
