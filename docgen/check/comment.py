"""One sticky pull-request comment: the Action's report, posted once and then updated in
place on every push (found again by the hidden marker it starts with), never a new
comment per push.

On a pull request from a fork the workflow's token is read-only: the comment is skipped
with a notice, never a failure (the report is in the job summary all the same).

    python -m docgen.check.comment REPORT.md

reads the repository, the pull request and the token from the environment GitHub Actions
sets (`GITHUB_REPOSITORY`, `GITHUB_EVENT_PATH`, `GITHUB_API_URL`, `GITHUB_TOKEN`).
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.check.diff import MARKER

MAX_BODY = 65_000  # GitHub refuses comments over 65,536 characters
TIMEOUT = 30  # seconds per request
PAGE = 100  # comments per page when looking for ours


@dataclass(frozen=True)
class PullRequest:
    """Where to comment, and whether this run may."""

    api: str  # e.g. https://api.github.com
    repository: str  # owner/name
    number: int
    from_fork: bool


class GitHubError(Exception):
    """The API refused or failed a request."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"GitHub API: {status} {message}")
        self.status = status


def pull_request_from_env(env: dict[str, str]) -> PullRequest | None:
    """The pull request this workflow run is for, or None when it is not for one."""
    try:
        event = json.loads(Path(env["GITHUB_EVENT_PATH"]).read_text(encoding="utf-8"))
    except (KeyError, OSError, ValueError):
        return None
    pull = event.get("pull_request") if isinstance(event, dict) else None
    if not isinstance(pull, dict) or not isinstance(pull.get("number"), int):
        return None
    head = ((pull.get("head") or {}).get("repo") or {}).get("full_name")
    repository = env.get("GITHUB_REPOSITORY", "")
    return PullRequest(env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/"), repository, pull["number"], head != repository)


def post_sticky_comment(pull: PullRequest, body: str, token: str) -> str:
    """Create or update the comment that starts with `MARKER`; what was done, in words."""
    if not body.startswith(MARKER):
        body = f"{MARKER}\n{body}"
    if len(body) > MAX_BODY:
        body = body[: MAX_BODY - 80].rsplit("\n", 1)[0] + "\n\n… (cut: the full report is in the job summary)\n"
    existing = _find(pull, token)
    if existing is not None:
        _request("PATCH", f"{pull.api}/repos/{pull.repository}/issues/comments/{existing}", token, {"body": body})
        return f"updated comment {existing}"
    created = _request("POST", f"{pull.api}/repos/{pull.repository}/issues/{pull.number}/comments", token, {"body": body})
    return f"created comment {created.get('id')}"


def _find(pull: PullRequest, token: str) -> int | None:
    """The id of this Action's comment on the pull request, if it made one."""
    page = 1
    while True:
        comments = _request("GET", f"{pull.api}/repos/{pull.repository}/issues/{pull.number}/comments?per_page={PAGE}&page={page}", token)
        if not isinstance(comments, list):
            return None
        for comment in comments:
            if isinstance(comment, dict) and str(comment.get("body", "")).startswith(MARKER):
                return int(comment["id"])
        if len(comments) < PAGE:
            return None
        page += 1


def _request(method: str, url: str, token: str, payload: dict[str, Any] | None = None) -> Any:
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Accept", "application/vnd.github+json")
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("X-GitHub-Api-Version", "2022-11-28")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - the API URL GitHub set
            text = response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        raise GitHubError(error.code, error.reason) from None
    except (urllib.error.URLError, TimeoutError) as error:
        raise GitHubError(0, str(getattr(error, "reason", error))) from None
    return json.loads(text) if text else None


def main(argv: list[str] | None = None, env: dict[str, str] | None = None) -> int:
    """Post the report file given as the only argument; 0 unless the report is unreadable."""
    args = sys.argv[1:] if argv is None else argv
    env = dict(os.environ) if env is None else env
    if len(args) != 1:
        print("usage: python -m docgen.check.comment REPORT.md", file=sys.stderr)
        return 2
    try:
        body = Path(args[0]).read_text(encoding="utf-8")
    except OSError as error:
        print(f"error: {args[0]}: {error.strerror or error}", file=sys.stderr)
        return 1
    pull = pull_request_from_env(env)
    token = env.get("GITHUB_TOKEN", "")
    if pull is None:
        print("::notice title=docgen::not a pull request: no comment posted")
        return 0
    if pull.from_fork or not token:
        print("::notice title=docgen::pull request from a fork (read-only token): no comment posted; the report is in the job summary")
        return 0
    try:
        print(f"docgen: {post_sticky_comment(pull, body, token)}")
    except GitHubError as error:
        reason = " ".join(str(error).split())  # one line: a workflow command ends at a line break
        if error.status in (401, 403, 404):
            print(f"::notice title=docgen::no comment posted ({reason}): the token may not write to pull requests; the report is in the job summary")
        else:
            print(f"::warning title=docgen::no comment posted: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
