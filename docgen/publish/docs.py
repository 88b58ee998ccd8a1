"""The docs folder: generated reference pages, drafted guides, the docstring drafts file
and, when the docs have none, a home page.

docgen owns only what it wrote: the files listed in the last build's manifest, each of
which starts with docgen's marker line, the guides it drafted that nobody edited since,
and a docstring drafts file (whose entries a person edited docgen writes back as they
are). Anything else in its way is the user's, and stops
the build with one line before a file is touched. Writes are undone when the build after
them fails, so a failed build leaves the docs folder as it found it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from docgen.config import Config
from docgen.errors import PublishError
from docgen.files import write_atomic
from docgen.generate.prose.docstring_store import is_store
from docgen.generate.prose.drafts import read_guide
from docgen.generate.prose.guides import GuidePage
from docgen.generate.reference import Page
from docgen.model import Document
from docgen.problems import Problem
from docgen.scan.markdown import GENERATED_HOME_MARKER, GENERATED_PAGE_MARKER, GENERATED_PREFIX


@dataclass
class DocsPlan:
    """What the docs folder must hold after the build, checked against what it holds now."""

    writes: dict[str, str] = field(default_factory=dict)  # docs-relative path -> text
    removals: list[str] = field(default_factory=list)  # pages docgen wrote before, no longer generated
    problems: list[Problem] = field(default_factory=list)


def plan_docs(
    config: Config,
    pages: tuple[Page, ...],
    documents: tuple[Document, ...],
    manifest: Iterable[str],
    guides: Iterable[GuidePage] = (),
    data: Mapping[str, str] | None = None,
) -> DocsPlan:
    """The pages to write and the stale ones to remove; `data` holds docgen's other files
    (the docstring drafts) by docs path. Raises PublishError, before anything is written,
    when a file in the way is not docgen's."""
    plan = DocsPlan()
    owned = set()
    for path in manifest:
        if _is_docs_path(path):
            owned.add(path)
        else:  # a damaged or tampered record: never act on it
            plan.problems.append(Problem("unsafe-path", f"build record names '{path}', outside the docs folder; ignored"))
    for page in pages:
        plan.writes[page.path] = f"{GENERATED_PAGE_MARKER}\n\n{page.markdown}"
    for guide in guides:  # the files as they stand are written back unchanged (never rewritten)
        plan.writes[guide.path] = guide.text
    plan.writes.update(data or {})
    docs_prefix = config.docs_dir.strip("/") + "/"
    for document in documents:
        if not document.source.startswith(docs_prefix):  # the README, or a generated home page
            plan.writes[document.path] = f"{GENERATED_HOME_MARKER}\n\n{document.text}"
    for path, text in plan.writes.items():
        _check_real_folders(config, path)
        _check_ours(config, path, path in owned, text)
    stale = sorted(owned - set(plan.writes))
    plan.removals = [path for path in stale if _in_real_folders(config, path) and written_by_docgen(config.docs_path / path)]
    return plan


class DocsWriter:
    """Applies a plan, keeping what it replaced, so that `undo` restores the folder."""

    def __init__(self, config: Config) -> None:
        self.root = config.root
        self.docs = config.docs_path
        self.saved: dict[Path, bytes | None] = {}
        self.made: list[Path] = []  # folders this writer created, outermost first

    def write(self, path: Path, text: str) -> bool:
        """Write `text` to `path` unless it already holds it; True if written. A link is
        written through to its target, which must lie inside the project."""
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(self.root):
                raise PublishError("links outside the project; docgen writes only inside it", file=_shown(self.root, path))
            path = target
        missing = [folder for folder in reversed(path.parents) if not folder.exists()]
        try:
            before: bytes | None = path.read_bytes()
        except FileNotFoundError:
            before = None
        if before is not None and before == text.encode("utf-8"):
            return False
        self.saved.setdefault(path, before)
        self.made += [folder for folder in missing if folder not in self.made]
        write_atomic(path, text)
        return True

    def apply(self, plan: DocsPlan) -> list[str]:
        """Write and remove what `plan` says; returns the docs paths that changed."""
        changed = [path for path, text in plan.writes.items() if self.write(self.docs / path, text)]
        for path in plan.removals:
            stale = self.docs / path
            self.saved.setdefault(stale, stale.read_bytes())
            stale.unlink()
            changed.append(path)
        return changed

    def undo(self) -> None:
        """Put back every file as it was before this writer touched it."""
        for path, before in reversed(list(self.saved.items())):
            try:
                if before is None:
                    path.unlink(missing_ok=True)
                else:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(before)
            except OSError:
                pass  # the rest is still worth restoring
        for folder in reversed(self.made):
            try:
                folder.rmdir()
            except OSError:
                pass  # not empty: something else lives there now
        self.saved.clear()
        self.made.clear()


def with_home_page(config: Config, documents: tuple[Document, ...]) -> tuple[Document, ...]:
    """`documents`, with a generated home page first when neither the docs nor a README
    provide one: MkDocs makes `index.html` only from `index.md`."""
    if any(d.path in ("index.md", "README.md") for d in documents):
        return documents
    reference = f"{config.reference_dir.strip('/')}/index.md"
    text = f"# {config.name}\n\nThe [reference]({reference}) documents the code of {config.name}.\n"
    return (Document(path="index.md", source="", title=config.name, text=text), *documents)


def _check_ours(config: Config, path: str, owned: bool, text: str) -> None:
    """Refuse to replace a file docgen did not write. Writing a file the text it holds
    replaces nothing: a guide a person edited is kept that way, with or without a record
    of docgen's files (a fresh clone has none)."""
    target = config.docs_path / path
    if not target.exists() and not target.is_symlink():
        return
    if target.is_symlink() or not target.is_file():
        raise PublishError(f"is in the way of a page docgen writes and is not a plain file; {_remedy(config, path)}", file=_shown(config.root, target))
    if owned or written_by_docgen(target) or _holds(target, text):
        return
    raise PublishError(f"was not written by docgen, which would replace it; {_remedy(config, path)}", file=_shown(config.root, target))


def _check_real_folders(config: Config, path: str) -> None:
    """Refuse to write through a linked folder (`docs/reference -> /elsewhere`): the page
    would land outside the docs folder."""
    if not _in_real_folders(config, path):
        raise PublishError(
            "is on a path through a symbolic link; docgen writes its pages only into real folders of the docs folder",
            file=_shown(config.root, config.docs_path / path),
        )


def _in_real_folders(config: Config, path: str) -> bool:
    folder = config.docs_path
    for part in Path(path).parent.parts:
        folder = folder / part
        if folder.is_symlink():
            return False
    return True


def _remedy(config: Config, path: str) -> str:
    if path.startswith(config.reference_dir.strip("/") + "/"):
        return "move it, or set reference_dir to another folder"
    return "move it, or give the docs folder a home page of your own (docs_dir/index.md)"


def _holds(path: Path, text: str) -> bool:
    """Whether the file at `path` holds exactly `text`."""
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def written_by_docgen(path: Path) -> bool:
    """Whether a file is docgen's: it starts with docgen's marker (or ends with it, as
    llms.txt does, whose first line must be its title), it is a guide docgen drafted that
    nobody has edited since, or a docstring drafts file (unreadable files are the user's)."""
    try:
        with path.open("rb") as stream:
            start = stream.read(len(GENERATED_PREFIX))
            if start == GENERATED_PREFIX.encode():
                return True
            if start.startswith(b"{"):
                return is_store((start + stream.read()).decode("utf-8"))
            if not start.startswith(b"---"):
                stream.seek(max(0, path.stat().st_size - 200))
                last_line = stream.read().rstrip().rsplit(b"\n", 1)[-1]
                return last_line.startswith(GENERATED_PREFIX.encode()) and last_line.endswith(b"-->")
            guide = read_guide((start + stream.read()).decode("utf-8"))
    except (OSError, UnicodeDecodeError):
        return False
    return guide is not None and not guide.edited


def _is_docs_path(path: str) -> bool:
    """A relative POSIX path that stays inside the docs folder."""
    normal = posixpath.normpath(path)
    return bool(path) and not path.startswith("/") and "\\" not in path and normal == path and not normal.startswith("..")


def _shown(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
