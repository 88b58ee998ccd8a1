"""The build record under `.docgen/`: what the last successful build was made from.

One JSON file per docgen version (a new version starts from a clean slate), written
atomically after a successful build only, so a crash mid-build leaves the previous record
intact and a half-written file can never be read back as valid.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from docgen import __version__
from docgen.files import write_atomic
from docgen.problems import Problem


@dataclass
class BuildRecord:
    """Digests of a successful build's inputs and outputs."""

    inputs: str = ""  # digest of everything the build read (see docgen.build.inputs_digest)
    nav: str = ""  # digest of the navigation
    mkdocs_yml: str = ""  # digest of mkdocs.yml as the build wrote or merged it
    docs: dict[str, str] = field(default_factory=dict)  # every docs file -> content digest
    owned: list[str] = field(default_factory=list)  # the manifest: docs files docgen wrote
    problems: list[Problem] = field(default_factory=list)  # replayed when nothing changed
    site: str = ""  # the site folder the build made: another one is built whole
    watched: list[str] = field(default_factory=list)  # files MkDocs reads outside docs/ (theme overrides...)
    watched_digest: str = ""  # of their content: any change shows on every page


def record_path(cache_dir: Path) -> Path:
    """Where this docgen version keeps its build record."""
    return cache_dir / f"build-{__version__}.json"


def load_record(cache_dir: Path) -> BuildRecord:
    """The last build record, or an empty one when there is none or it is unreadable."""
    try:
        data = json.loads(record_path(cache_dir).read_text(encoding="utf-8"))
        return BuildRecord(
            inputs=str(data["inputs"]),
            nav=str(data["nav"]),
            mkdocs_yml=str(data["mkdocs_yml"]),
            docs={str(path): str(value) for path, value in data.get("docs", {}).items()},
            # Records of earlier builds listed docgen's pages under "pages".
            owned=[str(path) for path in data.get("owned", data.get("pages", []))],
            problems=[Problem.from_dict(problem) for problem in data["problems"]],
            site=str(data.get("site", "")),
            watched=[str(path) for path in data.get("watched", [])],
            watched_digest=str(data.get("watched_digest", "")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return BuildRecord()  # no record, or a damaged one: rebuild everything


def make_cache_dir(cache_dir: Path) -> Path:
    """The state folder, created with a `.gitignore` that keeps it out of the repository."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    gitignore = cache_dir / ".gitignore"
    if not gitignore.exists():
        write_atomic(gitignore, "*\n")
    return cache_dir


def save_record(cache_dir: Path, record: BuildRecord) -> None:
    """Store the record of a build that finished."""
    make_cache_dir(cache_dir)
    data = {**asdict(record), "problems": [problem.as_dict() for problem in record.problems]}
    write_atomic(record_path(cache_dir), json.dumps(data, indent=1, sort_keys=True))


def digest(*parts: str) -> str:
    """A short content digest of some strings."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode())
        hasher.update(b"\0")
    return hasher.hexdigest()
