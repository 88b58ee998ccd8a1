"""The OpenAI-compatible backend against a scripted server on 127.0.0.1: the real HTTP
client, retries, Retry-After, timeouts and malformed answers."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from docgen.generate.llm import LLMError
from docgen.generate.llm.openai import OpenAICompatibleLLM

GOOD = {"choices": [{"message": {"content": "hello"}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 7, "completion_tokens": 2}}


class Script:
    """What the server answers, one step per request: (status, body, headers, delay)."""

    def __init__(self) -> None:
        self.steps: list[tuple[int, object, dict[str, str], float]] = []
        self.requests: list[tuple[dict[str, str], dict]] = []


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            length = int(self.headers.get("content-length", 0))
            script.requests.append((dict(self.headers), json.loads(self.rfile.read(length))))
            status, body, headers, delay = script.steps.pop(0) if script.steps else (200, GOOD, {}, 0.0)
            time.sleep(delay)
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting: what a timeout test wants

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/v1", script
    finally:
        httpd.shutdown()
        httpd.server_close()


def ask(llm: OpenAICompatibleLLM) -> str:
    return llm.complete([{"role": "user", "content": "hi"}], max_tokens=5).text


def test_an_answer_and_its_usage(server, monkeypatch: pytest.MonkeyPatch) -> None:
    url, script = server
    monkeypatch.setenv("TEST_LLM_KEY", "sk-secret-123")
    llm = OpenAICompatibleLLM(url, "tiny", api_key_env="TEST_LLM_KEY")
    completion = llm.complete([{"role": "user", "content": "hi"}], max_tokens=5, schema={"type": "object"})
    assert completion.text == "hello" and completion.usage.prompt_tokens == 7
    headers, body = script.requests[0]
    assert headers["Authorization"] == "Bearer sk-secret-123"
    assert body["model"] == "tiny" and body["temperature"] == 0 and body["response_format"]["schema"] == {"type": "object"}
    assert llm.model_id == "openai:tiny"


def test_a_rate_limit_is_retried_after_the_time_the_server_asks(server) -> None:
    url, script = server
    script.steps = [(429, {"error": {"message": "slow down"}}, {"Retry-After": "1"}, 0.0), (503, "busy", {"Retry-After": "0"}, 0.0)]
    start = time.perf_counter()
    assert ask(OpenAICompatibleLLM(url, "tiny")) == "hello"
    assert time.perf_counter() - start >= 1.0
    assert len(script.requests) == 3


def test_errors_are_one_line_and_never_show_the_key(server, monkeypatch: pytest.MonkeyPatch) -> None:
    url, script = server
    monkeypatch.setenv("TEST_LLM_KEY", "sk-secret-123")
    script.steps = [(401, {"error": {"message": "bad key sk-secret-123"}}, {}, 0.0)]
    with pytest.raises(LLMError) as raised:
        ask(OpenAICompatibleLLM(url, "tiny", api_key_env="TEST_LLM_KEY"))
    assert "HTTP 401" in str(raised.value) and "sk-secret-123" not in str(raised.value)


def test_a_server_that_does_not_answer_in_time(server) -> None:
    url, script = server
    script.steps = [(200, GOOD, {}, 2.0)] * 2
    with pytest.raises(LLMError, match="did not answer within 1 s"):
        ask(OpenAICompatibleLLM(url, "tiny", timeout=1, retries=1))


def test_a_malformed_answer(server) -> None:
    url, script = server
    script.steps = [(200, {"choices": []}, {}, 0.0)]
    with pytest.raises(LLMError, match="not a chat completion"):
        ask(OpenAICompatibleLLM(url, "tiny"))


def test_a_missing_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_SUCH_KEY_VARIABLE", raising=False)
    with pytest.raises(LLMError, match="NO_SUCH_KEY_VARIABLE"):
        OpenAICompatibleLLM("http://127.0.0.1:9/v1", "tiny", api_key_env="NO_SUCH_KEY_VARIABLE")
