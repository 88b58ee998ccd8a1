"""One record for everything docgen reports, and one place that renders it.

A `Problem` is a skipped file, a file read in part, a broken reference, a docstring quirk
griffe noticed, a MkDocs warning: each with a code, a severity and the place it applies.
Builds, `scan`, and later `check`, the LLM verifier and the pull-request Action all speak
it; `render` turns it into a line for people, a JSON object or a GitHub annotation.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, Iterable

ERROR, WARNING, NOTICE = "error", "warning", "notice"

# code -> what it means; `docgen build --json` and the docs list them.
CODES = {
    "skipped": "a file was not read (binary, too large, unreadable, unparsable)",
    "read-in-part": "a file was read, but some declarations may be missing",
    "broken-reference": "a cross-reference in a docstring names no documented symbol",
    "docstring": "griffe found something wrong in a docstring",
    "mkdocs": "MkDocs warned while building the site",
    "unsafe-path": "a path points outside the project and was not followed",
    "internal": "docgen failed on one file; the rest of the build went on",
    "linked-folder": "a folder linked from inside the project, read once where it really is",
    "error": "the command could not go on (configuration, input or output)",
    "llm": "the model could not be loaded or did not answer; guides or docstrings were not drafted",
    "stale-guide": "a guide's evidence changed and it was not drafted again (edited by hand, no model, budget)",
    "unverified": "drafted text named code that does not exist, or held code that does not parse (or run), and was dropped",
    "stale-docstring": "a docstring draft's symbol changed and it was not drafted again (edited by hand, no model, budget)",
    "docstring-drafts": "the docstring drafts file, or an entry in it, is not as docgen writes it, and was set aside",
    "undocumented": "a public symbol has no docstring or doc comment",
    "drift": "a docstring contradicts the code: a parameter, type, default or raised error it names is not what the code has",
    "broken-link": "a link in the user's Markdown leads to a file or page that does not exist",
    "index": "the knowledge base could not be updated (its store could not be reached or written); the site was built",
}
# Codes whose problems are not warnings; `--strict` fails on errors and warnings only.
SEVERITIES = {"internal": ERROR, "error": ERROR, "index": ERROR, "linked-folder": NOTICE, "unverified": NOTICE}

FORMATS = ("text", "json", "github")


@dataclass(frozen=True)
class Problem:
    """One thing worth telling the user, at the place it applies (`file:line`)."""

    code: str
    message: str
    file: str = ""
    line: int = 0
    severity: str = ""  # ERROR, WARNING or NOTICE; by default, what the code says (SEVERITIES)
    symbol: str = ""  # the id of the symbol it concerns, when there is one

    def __post_init__(self) -> None:
        if not self.severity:
            object.__setattr__(self, "severity", SEVERITIES.get(self.code, WARNING))

    @property
    def fails_strict(self) -> bool:
        """Whether `--strict` counts it."""
        return self.severity in (ERROR, WARNING)

    @property
    def where(self) -> str:
        """`file:line`, `file`, or empty."""
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def as_dict(self) -> dict[str, Any]:
        """The problem as plain data (the shape of `--json` output)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        """A problem read back from `as_dict`'s output (a build record)."""
        return cls(
            code=str(data["code"]),
            message=str(data["message"]),
            file=str(data.get("file", "")),
            line=int(data.get("line", 0)),
            severity=str(data.get("severity", "")),
            symbol=str(data.get("symbol", "")),
        )


def skipped_file(file: str, reason: str, line: int = 0) -> Problem:
    """A file the scan left out."""
    return Problem("skipped", reason, file, line)


def read_in_part(file: str, reason: str, line: int = 0) -> Problem:
    """A file whose declarations were kept, though some near `line` may be missing."""
    return Problem("read-in-part", reason, file, line)


@contextmanager
def capturing(logger_name: str, handler: logging.Handler) -> Iterator[None]:
    """Route a library's log records (griffe's, MkDocs') to `handler`, which turns them
    into problems, for as long as the block runs: they are reported once, by docgen, and
    the logger is left as it was found."""
    logger = logging.getLogger(logger_name)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def unique(problems: Iterable[Problem]) -> list[Problem]:
    """`problems` without repeats, in their first order."""
    return list(dict.fromkeys(problems))


def render(problem: Problem, format: str = "text") -> str:
    """One problem as one line: for people, for scripts, or as a GitHub annotation."""
    if format == "json":
        return json.dumps(problem.as_dict(), sort_keys=True)
    if format == "github":
        return _github_annotation(problem)
    return f"{problem.severity}: {problem}"


def _github_annotation(problem: Problem) -> str:
    # Workflow commands: properties and message are escaped as the runner's toolkit does,
    # so a file name or a docstring cannot end the command or start another.
    level = {ERROR: "error", WARNING: "warning"}.get(problem.severity, "notice")
    properties = [f"title={_property(f'docgen {problem.code}')}"]
    if problem.file:
        properties.insert(0, f"file={_property(problem.file)}")
        if problem.line:
            properties.insert(1, f"line={problem.line}")
    return f"::{level} {','.join(properties)}::{_data(problem.message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
