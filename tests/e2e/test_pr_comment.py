"""The Action's sticky comment against a fake of GitHub's REST API started here (on
127.0.0.1): found by its marker, updated rather than posted again, skipped on forks and
read-only tokens without failing the job."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from docgen.check.comment import main
from docgen.check.diff import MARKER

REPOSITORY = "octo/project"
NUMBER = 7
TOKEN = "test-token"


class FakeGitHub:
    """Issue comments of one pull request, as the REST API serves them."""

    def __init__(self) -> None:
        self.comments: list[dict] = []
        self.requests: list[tuple[str, str]] = []
        self.read_only = False
        self.next_id = 1000

    def add(self, body: str) -> dict:
        self.next_id += 1
        comment = {"id": self.next_id, "body": body}
        self.comments.append(comment)
        return comment


@pytest.fixture
def github() -> Iterator[tuple[FakeGitHub, str]]:
    fake = FakeGitHub()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def answer(self, status: int, payload: object) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def body(self) -> dict:
            return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

        def handle_any(self) -> None:
            url = urlparse(self.path)
            fake.requests.append((self.command, url.path))
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self.answer(401, {"message": "Bad credentials"})
            if fake.read_only and self.command != "GET":
                return self.answer(403, {"message": "Resource not accessible by integration"})
            listing = f"/repos/{REPOSITORY}/issues/{NUMBER}/comments"
            if self.command == "GET" and url.path == listing:
                query = parse_qs(url.query)
                size, page = int(query["per_page"][0]), int(query["page"][0])
                return self.answer(200, fake.comments[(page - 1) * size : page * size])
            if self.command == "POST" and url.path == listing:
                return self.answer(201, fake.add(self.body()["body"]))
            prefix = f"/repos/{REPOSITORY}/issues/comments/"
            if self.command == "PATCH" and url.path.startswith(prefix):
                comment = next((c for c in fake.comments if c["id"] == int(url.path[len(prefix) :])), None)
                if comment is None:
                    return self.answer(404, {"message": "Not Found"})
                comment["body"] = self.body()["body"]
                return self.answer(200, comment)
            return self.answer(404, {"message": "Not Found"})

        do_GET = do_POST = do_PATCH = handle_any

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def environment(tmp_path: Path, api: str, head_repository: str = REPOSITORY) -> dict[str, str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": NUMBER, "head": {"repo": {"full_name": head_repository}}}}), encoding="utf-8")
    return {"GITHUB_EVENT_PATH": str(event), "GITHUB_REPOSITORY": REPOSITORY, "GITHUB_API_URL": api, "GITHUB_TOKEN": TOKEN}


def report(tmp_path: Path, text: str) -> str:
    path = tmp_path / "report.md"
    path.write_text(f"{MARKER}\n{text}\n", encoding="utf-8")
    return str(path)


def test_the_first_push_creates_the_comment_and_the_next_ones_update_it(
    github: tuple[FakeGitHub, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake, api = github
    for _ in range(100):  # someone else's comments fill the first page: ours is on the second
        fake.add("looks good")
    env = environment(tmp_path, api)
    assert main([report(tmp_path, "first push")], env) == 0
    assert main([report(tmp_path, "second push")], env) == 0
    ours = [c for c in fake.comments if c["body"].startswith(MARKER)]
    assert [c["body"] for c in ours] == [f"{MARKER}\nsecond push\n"]
    assert len(fake.comments) == 101
    assert [method for method, _ in fake.requests if method != "GET"] == ["POST", "PATCH"]
    assert "updated comment" in capsys.readouterr().out


def test_a_pull_request_from_a_fork_is_not_commented_and_does_not_fail(
    github: tuple[FakeGitHub, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake, api = github
    assert main([report(tmp_path, "from a fork")], environment(tmp_path, api, head_repository="someone/fork")) == 0
    assert fake.requests == []
    assert capsys.readouterr().out.startswith("::notice title=docgen::pull request from a fork")


def test_a_read_only_token_is_a_notice_not_a_failure(
    github: tuple[FakeGitHub, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake, api = github
    fake.read_only = True
    assert main([report(tmp_path, "read only")], environment(tmp_path, api)) == 0
    assert fake.comments == []
    out = capsys.readouterr().out
    assert out.startswith("::notice title=docgen::no comment posted (GitHub API: 403")
    assert TOKEN not in out


def test_a_report_without_the_marker_gets_it(github: tuple[FakeGitHub, str], tmp_path: Path) -> None:
    fake, api = github
    path = tmp_path / "plain.md"
    path.write_text("no marker here\n", encoding="utf-8")
    assert main([str(path)], environment(tmp_path, api)) == 0
    assert main([str(path)], environment(tmp_path, api)) == 0
    assert [c["body"] for c in fake.comments] == [f"{MARKER}\nno marker here\n"]
