"""`docgen serve`: the site and the API, through an HTTP client against the real app
(Starlette, the real knowledge base), bad input answered with 4xx, and one real server
process on a free local port."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from docgen.config import load_config
from docgen.server import MAX_BODY, ServerState, create_app
from tests.building import run

INDEX_ON = {"index": {"enabled": True}}


class ScriptedModel:
    """Answers from a script, in pieces (fake prose; everything under it is real)."""

    model_id = "scripted:test"
    context_tokens = 8192

    def __init__(self, answer: str) -> None:
        self.answer = answer

    def complete(self, messages, *, max_tokens, schema=None, on_text=None):
        from docgen.generate.llm import Completion

        for start in range(0, len(self.answer), 5):
            on_text(self.answer[start : start + 5])
        return Completion(self.answer)

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import SAMPLE

    root = tmp_path_factory.mktemp("serve") / "sample"
    shutil.copytree(SAMPLE, root)
    run(root, **INDEX_ON)
    return root


@pytest.fixture()
def client(built: Path) -> TestClient:
    config = load_config(built)
    state = ServerState(config)
    state.model = ScriptedModel("Call `Tokenizer.decode` with the ids [1].")
    from dataclasses import replace

    state.config = replace(config, llm=replace(config.llm, backend="llama-cpp"))
    return TestClient(create_app(config, state=state))


def test_the_site_is_served(client: TestClient) -> None:
    page = client.get("/reference/sample_pkg/tokenizer/")
    assert page.status_code == 200 and 'id="sample_pkg.tokenizer.Tokenizer.decode"' in page.text
    assert client.get("/llms.txt").status_code == 200
    assert client.get("/../pyproject.toml").status_code == 404


def test_status_tells_the_widget_what_is_served(client: TestClient, built: Path) -> None:
    status = client.get("/api/status")
    assert status.status_code == 200 and status.json()["ask"] is True and status.json()["project"] == "sample"
    assert status.headers["cache-control"] == "no-store"
    # Every page loads the widget, which asks /api/status before it shows itself.
    for page in ("index.html", "reference/sample_pkg/tokenizer/index.html"):
        html = (built / "site" / page).read_text(encoding="utf-8")
        assert 'assets/docgen/ask.js"' in html and 'assets/docgen/ask.css"' in html
    assert "api/status" in (built / "site/assets/docgen/ask.js").read_text(encoding="utf-8")


def test_search_answers_with_the_hits_the_cli_prints(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "Tokenizer.decode", "limit": "2"})
    assert response.status_code == 200
    hits = response.json()
    assert len(hits) == 2 and hits[0]["symbol"] == "sample_pkg.tokenizer.Tokenizer.decode"
    assert set(hits[0]) == {"symbol", "title", "url", "snippet", "score", "file", "line"}
    assert "access-control-allow-origin" not in response.headers  # no CORS unless asked


@pytest.mark.parametrize(
    ("params", "status"),
    [({"q": ""}, 400), ({"q": "   "}, 400), ({"q": "x" * 501}, 413), ({"q": "a", "limit": "0"}, 400), ({"q": "a", "limit": "many"}, 400), ({"q": "a", "limit": "51"}, 400), ({}, 400)],
)
def test_bad_searches_are_refused_with_a_reason(client: TestClient, params: dict, status: int) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == status and response.json()["error"]


def test_injection_attempts_are_only_text(client: TestClient) -> None:
    for query in ("<script>alert(1)</script>", "'; DROP TABLE chunks; --", "../../etc/passwd", "\x00\x1b[2J"):
        response = client.get("/api/search", params={"q": query})
        assert response.status_code == 200 and isinstance(response.json(), list)
        assert response.headers["content-type"] == "application/json"


def events(text: str) -> list[tuple[str, object]]:
    found = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        found.append((lines["event"], json.loads(lines["data"])))
    return found


def test_ask_streams_checked_sentences_then_the_answer(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": "how do I turn ids back into text?"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    stream = events(response.text)
    assert [kind for kind, _ in stream] == ["text", "answer"]
    answer = stream[-1][1]
    assert answer["abstained"] is False and answer["citations"][0]["url"]
    assert stream[0][1] == answer["answer"]


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"", {"content-type": "application/json"}, 400),
        (b"{}", {"content-type": "application/json"}, 400),
        (b'{"question": "   "}', {"content-type": "application/json"}, 400),
        (b'{"question": 42}', {"content-type": "application/json"}, 400),
        (b"not json", {"content-type": "application/json"}, 400),
        (b'{"question": "\xff\xfe"}', {"content-type": "application/json"}, 400),
        (json.dumps({"question": "x" * 1001}).encode(), {"content-type": "application/json"}, 413),
        (b"x" * (MAX_BODY + 1), {"content-type": "application/json"}, 413),
        (b"question=hi", {"content-type": "application/x-www-form-urlencoded"}, 415),
    ],
)
def test_bad_questions_are_refused_with_a_reason(client: TestClient, body: bytes, headers: dict, status: int) -> None:
    response = client.post("/api/ask", content=body, headers=headers)
    assert response.status_code == status and response.json()["error"]


def test_one_answer_at_a_time(built: Path) -> None:
    config = load_config(built)
    from dataclasses import replace

    state = ServerState(replace(config, llm=replace(config.llm, backend="llama-cpp")))
    state.model = ScriptedModel("x [1].")
    client = TestClient(create_app(config, state=state))
    state.answering.acquire()  # an answer being written
    try:
        busy = client.post("/api/ask", json={"question": "how do I decode?"})
        assert busy.status_code == 429 and "another question" in busy.json()["error"]
    finally:
        state.answering.release()
    assert client.post("/api/ask", json={"question": "how do I decode?"}).status_code == 200


def test_without_a_model_ask_says_so(built: Path) -> None:
    client = TestClient(create_app(load_config(built)))  # DOCGEN_LLM=none in the tests
    response = client.post("/api/ask", json={"question": "how do I decode?"})
    assert response.status_code == 503 and "no model" in response.json()["error"]


def test_a_named_origin_may_call_the_api(built: Path) -> None:
    client = TestClient(create_app(load_config(built), cors_origin="https://docs.example.org"))
    allowed = client.get("/api/search", params={"q": "decode"}, headers={"Origin": "https://docs.example.org"})
    assert allowed.headers["access-control-allow-origin"] == "https://docs.example.org"
    other = client.get("/api/search", params={"q": "decode"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_docgen_serve_listens_on_localhost_and_rebuilds_on_change(tmp_path: Path, sample: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    docgen = Path(sys.executable).parent / "docgen"
    env = {**os.environ, "DOCGEN_INDEX": "on"}
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen([str(docgen), "serve", str(sample), "--port", str(port)], env=env, stdout=log, stderr=log, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/search", params={"q": "decode"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            pytest.fail("docgen serve did not answer in 90 s: " + (tmp_path / "serve.log").read_text())
        assert httpx.get(f"{base}/").status_code == 200
        source = sample / "src/sample_pkg/tokenizer.py"
        source.write_text(source.read_text(encoding="utf-8").replace('    def _merge(', '    def frobnicate(self) -> None:\n        """Frobnicate the widgets."""\n\n    def _merge('), encoding="utf-8")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            hits = httpx.get(f"{base}/api/search", params={"q": "Tokenizer.frobnicate"}, timeout=5).json()
            if hits and hits[0]["symbol"] == "sample_pkg.tokenizer.Tokenizer.frobnicate":
                break
            time.sleep(0.5)
        else:
            pytest.fail("the change was not rebuilt and indexed in 60 s: " + (tmp_path / "serve.log").read_text())
        assert 'id="sample_pkg.tokenizer.Tokenizer.frobnicate"' in httpx.get(f"{base}/reference/sample_pkg/tokenizer/").text
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        log.close()
