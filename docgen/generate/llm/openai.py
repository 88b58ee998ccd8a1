"""Any OpenAI-compatible chat endpoint: vLLM, Ollama, llama.cpp's server, hosted APIs.

The key is read from the environment variable the settings name, sent in one header and
nowhere else: errors say what happened (a status, a timeout), never what was sent.
Rate limits and server errors are retried with exponential backoff, honouring the
server's `Retry-After`.
"""

from __future__ import annotations

import email.utils
import os
import random
import time
from typing import Any

from docgen.generate.llm.base import Completion, LLMError, Message, TextSink, Usage, estimate_tokens

RETRIED_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
MAX_WAIT = 60.0  # seconds: a Retry-After longer than this is not worth waiting for in a build


class OpenAICompatibleLLM:
    """A model served over the OpenAI chat completions API."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key_env: str = "",
        timeout: float = 120,
        retries: int = 4,
        context_tokens: int = 8192,
    ) -> None:
        import httpx

        if not base_url.startswith(("http://", "https://")):
            raise LLMError(f"llm base_url must be an http or https URL, not '{base_url}'")
        if not model:
            raise LLMError("the openai backend needs llm.model: the model name the endpoint serves")
        headers = {}
        self._secret = ""
        if api_key_env:
            key = os.environ.get(api_key_env, "")
            if not key:
                raise LLMError(f"the environment variable {api_key_env} (llm.api_key_env) is not set")
            headers["Authorization"] = f"Bearer {key}"
            self._secret = key
        self.model = model
        self.retries = retries
        self._context = context_tokens
        self._client = httpx.Client(base_url=base_url.rstrip("/") + "/", headers=headers, timeout=timeout)
        self._timeout = timeout

    @property
    def model_id(self) -> str:
        """`openai:` and the served model's name."""
        return f"openai:{self.model}"

    @property
    def context_tokens(self) -> int:
        """The window the settings declare (an endpoint does not say)."""
        return self._context

    def complete(
        self, messages: list[Message], *, max_tokens: int, schema: dict[str, Any] | None = None, on_text: TextSink | None = None
    ) -> Completion:
        """One answer at temperature 0, retried on rate limits and server errors."""
        import httpx

        body: dict[str, Any] = {"model": self.model, "messages": messages, "max_tokens": max_tokens, "temperature": 0}
        if schema is not None:
            # llama.cpp's server and vLLM read a schema here; OpenAI's "json_schema" type is not portable.
            body["response_format"] = {"type": "json_object", "schema": schema}
        start = time.perf_counter()
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self._client.post("chat/completions", json=body)
            except httpx.TimeoutException:
                if last:
                    raise LLMError(f"the endpoint did not answer within {self._timeout:.0f} s") from None
                self._wait(attempt, None)
                continue
            except httpx.TransportError as error:
                if last:
                    raise LLMError(f"cannot reach the endpoint: {type(error).__name__}") from None
                self._wait(attempt, None)
                continue
            if response.status_code in RETRIED_STATUSES and not last:
                self._wait(attempt, response.headers.get("retry-after"))
                continue
            if response.status_code != 200:
                reason = _reason(response).replace(self._secret, "***") if self._secret else _reason(response)
                raise LLMError(f"the endpoint answered HTTP {response.status_code}: {reason}")
            completion = _completion(response, time.perf_counter() - start)
            if on_text is not None and completion.text:
                on_text(completion.text)  # answered whole: the endpoint is not asked to stream
            return completion
        raise AssertionError("unreachable")  # pragma: no cover - the last attempt returns or raises

    def _wait(self, attempt: int, retry_after: str | None) -> None:
        delay = _retry_after_seconds(retry_after)
        if delay is None:
            delay = min(MAX_WAIT, 0.5 * 2**attempt) * (0.5 + random.random() / 2)
        time.sleep(min(delay, MAX_WAIT))

    def count_tokens(self, text: str) -> int:
        """An estimate: the endpoint's tokenizer is not at hand."""
        return estimate_tokens(text)

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()


def _completion(response: Any, seconds: float) -> Completion:
    try:
        data = response.json()
        choice = data["choices"][0]
        text = choice["message"]["content"]
        if not isinstance(text, str):
            raise TypeError("content is not text")
        usage = data.get("usage") or {}
        return Completion(
            text=text,
            usage=Usage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)),
            seconds=seconds,
            truncated=choice.get("finish_reason") == "length",
        )
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise LLMError("the endpoint's answer is not a chat completion") from None


def _reason(response: Any) -> str:
    """The error message an endpoint gave, shortened; its text is the server's, not ours."""
    try:
        message = response.json().get("error", {})
        message = message.get("message", "") if isinstance(message, dict) else str(message)
    except (ValueError, AttributeError):
        message = response.text
    message = " ".join(str(message).split())[:200]
    return message or response.reason_phrase or "no reason given"


def _retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` as seconds to wait: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
