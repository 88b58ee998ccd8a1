"""A model through Hugging Face transformers: an HF folder, or a GGUF file (dequantized),
on a GPU when there is one. On a CPU the llama-cpp backend is ten times faster."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from docgen.generate.llm.base import Completion, LLMError, Message, TextSink, Usage


class TransformersLLM:
    """A causal language model loaded with transformers, answering greedily."""

    def __init__(self, model: str, root: Path, *, context_tokens: int = 8192) -> None:
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError:
            raise LLMError("the transformers backend needs torch and transformers: pip install 'docgen[transformers]'") from None
        if not model:
            raise LLMError("the transformers backend needs llm.model: an HF model folder or a GGUF file")
        path = Path(model).expanduser()
        path = path if path.is_absolute() else root / path
        if not path.exists():
            raise LLMError(f"no model folder or file '{model}'")  # never a hub name: nothing is downloaded
        options: dict[str, Any] = {"local_files_only": True}
        folder = path
        if path.is_file():  # GGUF: transformers reads it from its folder, by file name
            folder, options["gguf_file"] = path.parent, path.name
        self._device = "cuda" if torch.cuda.is_available() else "cpu"
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(folder, **options)
            self._model = AutoModelForCausalLM.from_pretrained(
                folder, torch_dtype=torch.bfloat16 if self._device == "cuda" else torch.float32, **options
            ).to(self._device)
        except (OSError, ValueError, RuntimeError) as error:
            raise LLMError(f"transformers cannot load {path.name}: {str(error).splitlines()[0]}") from None
        self._model.eval()
        self._model_id = f"transformers:{path.stem if path.is_file() else path.name}"
        self._context = context_tokens

    @property
    def model_id(self) -> str:
        """`transformers:` and the model's folder or file name."""
        return self._model_id

    @property
    def context_tokens(self) -> int:
        """The window docgen plans for."""
        return self._context

    def complete(
        self, messages: list[Message], *, max_tokens: int, schema: dict[str, Any] | None = None, on_text: TextSink | None = None
    ) -> Completion:
        """One greedy answer (a JSON `schema` is asked for in words: transformers cannot
        constrain decoding by itself)."""
        import torch

        start = time.perf_counter()
        inputs = self._tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt").to(self._device)
        with torch.no_grad():
            output = self._model.generate(inputs, max_new_tokens=max_tokens, do_sample=False)
        answer = output[0][inputs.shape[-1] :]
        text = self._tokenizer.decode(answer, skip_special_tokens=True)
        if on_text is not None and text:
            on_text(text)
        return Completion(
            text=text,
            usage=Usage(int(inputs.shape[-1]), int(answer.shape[-1])),
            seconds=time.perf_counter() - start,
            truncated=int(answer.shape[-1]) >= max_tokens,
        )

    def count_tokens(self, text: str) -> int:
        """Tokens as the model's tokenizer counts them."""
        return len(self._tokenizer.encode(text, add_special_tokens=False))

    def close(self) -> None:
        """Let the model's memory go."""
        self._model = None
