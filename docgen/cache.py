"""The build record under `.docgen/`: what the last successful build was made from.

One JSON file per docgen version (a new version starts from a clean slate), written
atomically after a successful build only, so a crash mid-build leaves the previous record
intact and a half-written file can never be read back as valid.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen import __version__
from docgen.files import write_atomic
from docgen.problems import Problem

if TYPE_CHECKING:
    from docgen.generate.reference import RenderedPage


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
    toolchain: str = ""  # docgen and the MkDocs packages that built the site (see toolchain_digest)
    merge_key: str = ""  # what mkdocs.yml was merged and checked from (see docgen.build._merge_key)
    whole_site: bool = False  # what the check found: some page's output depends on others
    llm: dict[str, Any] = field(default_factory=dict)  # what drafting cost: calls, tokens, cached, drafted (`docgen eval`)


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
            toolchain=str(data.get("toolchain", "")),
            merge_key=str(data.get("merge_key", "")),
            whole_site=bool(data.get("whole_site", False)),
            llm={str(key): value for key, value in data.get("llm", {}).items() if isinstance(value, (int, float, str))},
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


@cache
def code_digest() -> str:
    """A digest of docgen's own code and assets: every cache is keyed by it, so a docgen changed
    without a new version number (an editable install) never reuses an older one's work.
    By size and modification time: docgen's own files are not the user's inputs."""
    hasher = hashlib.blake2b(__version__.encode(), digest_size=16)
    package = Path(__file__).parent
    for path in sorted([*package.rglob("*.py"), *package.glob("publish/assets/*")]):
        info = path.stat()
        hasher.update(f"{path.relative_to(package).as_posix()}:{info.st_size}:{info.st_mtime_ns}\0".encode())
    return hasher.hexdigest()


# Distributions whose version changes what MkDocs makes of the same docs folder.
_BUILDERS = re.compile(r"^(mkdocs|markdown|pymdown|pygments|jinja2)", re.IGNORECASE)


@cache
def toolchain_digest() -> str:
    """A digest of docgen's code and of the MkDocs it builds with (MkDocs, its themes and
    plugins, Markdown and its extensions, by installed version): a site made by other
    versions is rebuilt whole. Read from the names of installed `.dist-info` folders
    (`mkdocs_material-9.7.0.dist-info`): importlib.metadata takes 50 times longer."""
    installed = set()
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        installed |= {name for name in names if name.endswith(".dist-info") and _BUILDERS.match(name)}
    return digest(code_digest(), *sorted(installed))


def pages_path(cache_dir: Path) -> Path:
    """Where this docgen version keeps the reference pages of the last build."""
    return cache_dir / f"pages-{__version__}.json"


def load_pages(cache_dir: Path) -> dict[str, RenderedPage]:
    """The last build's reference pages by path, to reuse those whose key still matches;
    empty when there are none or they are unreadable."""
    from docgen.generate.reference import Page, RenderedPage

    try:
        data = json.loads(pages_path(cache_dir).read_text(encoding="utf-8"))
        return {
            str(path): RenderedPage(
                key=str(item["key"]),
                page=Page(str(path), str(item["title"]), str(item["markdown"]), str(item["symbol_id"])),
                broken=tuple(Problem.from_dict(problem) for problem in item["broken"]),
            )
            for path, item in data.items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save_pages(cache_dir: Path, rendered: tuple[RenderedPage, ...]) -> None:
    """Keep a build's reference pages for the next one."""
    data = {
        kept.page.path: {
            "key": kept.key,
            "title": kept.page.title,
            "markdown": kept.page.markdown,
            "symbol_id": kept.page.symbol_id,
            "broken": [problem.as_dict() for problem in kept.broken],
        }
        for kept in rendered
    }
    write_atomic(pages_path(cache_dir), json.dumps(data, ensure_ascii=False))
