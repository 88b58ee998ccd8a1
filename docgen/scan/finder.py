"""Find the files worth documenting: walk the tree, honour .gitignore and excludes, read each
file once, and set aside (with a reason) whatever cannot be read as text."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pathspec

from docgen.config import Config
from docgen.problems import Problem, skipped_file
from docgen.publish.site_folder import SITE_MARKER
from docgen.scan.markdown import GENERATED_PREFIX
from docgen.scan.openapi import declares_openapi

PYTHON_SUFFIXES = (".py", ".pyi")  # sources and their stubs, merged by griffe
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
MARKDOWN_SUFFIXES = (".md", ".markdown")



@dataclass(frozen=True)
class FoundFile:
    """A readable text file and the kind of reader it goes to."""

    path: str  # POSIX, relative to the project root
    language: str  # "python", a tree-sitter language, "openapi" or "markdown"
    text: str
    digest: str


@dataclass(frozen=True)
class Found:
    """What the finder returns: the files to read, and the files it set aside with why."""

    files: tuple[FoundFile, ...]
    problems: tuple[Problem, ...]


def language_of(path: str) -> str | None:
    """The reader a file name goes to, or None when docgen does not read such files."""
    from docgen.scan.treesitter import EXTENSIONS

    suffix = os.path.splitext(path)[1].lower()
    if suffix in PYTHON_SUFFIXES:
        return "python"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in SPEC_SUFFIXES:
        return "openapi"
    return EXTENSIONS.get(suffix)


def find_files(config: Config) -> Found:
    """Walk `config.root` and read every file a reader wants, in a stable (sorted) order."""
    root = config.root
    ignore = _ignore_spec(config)
    docs_prefix = config.docs_dir.strip("/") + "/"
    generated_prefix = docs_prefix + config.reference_dir.strip("/") + "/"
    files: list[FoundFile] = []
    problems: list[Problem] = []
    inside = os.path.realpath(root)
    for directory, dirnames, filenames in os.walk(root):
        rel_dir = Path(directory).relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        kept = []
        for name in sorted(dirnames):
            rel = rel_dir + name + "/"
            if os.path.islink(os.path.join(directory, name)):
                if leads_out(os.path.join(directory, name), inside):
                    problems.append(Problem("unsafe-path", "symbolic link to a folder outside the project, not followed", rel.rstrip("/")))
                else:  # the code it holds is read where it really is
                    problems.append(Problem("linked-folder", "symbolic link to a folder of the project, not followed", rel.rstrip("/")))
            elif rel == generated_prefix or os.path.isfile(os.path.join(directory, name, SITE_MARKER)):
                continue  # docgen's own output: its reference pages, a site it built (`--site-dir` anywhere)
            elif rel.startswith(docs_prefix) or not ignore.match_file(rel):
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            rel = rel_dir + name
            language = language_of(rel)
            if language == "markdown":
                # The user's pages: the docs folder (excluded as code, not as docs) and README.
                wanted = rel.startswith(docs_prefix) or rel == "README.md"
            else:
                wanted = language is not None and not ignore.match_file(rel)
            if not wanted:
                continue
            if leads_out(os.path.join(directory, name), inside):
                problems.append(
                    Problem("unsafe-path", "symbolic link to a file outside the project, not followed", rel)
                )
                continue
            # A spec of a few MB is normal; any other file that large is not.
            limit = (config.max_spec_size, "max_spec_size") if language == "openapi" else (config.max_file_size, "max_file_size")
            found = read_text_file(root / rel, rel, language, *limit)
            if isinstance(found, Problem):
                problems.append(found)
            elif found is not None:
                files.append(found)
    return Found(tuple(files), tuple(problems))


def leads_out(path: str, inside: str) -> bool:
    """Whether `path` is a symbolic link whose target resolves outside the folder `inside`.

    Such a link would publish a file the project does not hold (`secret.py -> ~/.ssh/id_rsa`).
    """
    if not os.path.islink(path):
        return False
    target = os.path.realpath(path)
    return os.path.commonpath([target, inside]) != inside


def _ignore_spec(config: Config) -> pathspec.PathSpec:
    """Config excludes plus the root .gitignore, as one gitignore-style matcher."""
    patterns = list(config.exclude)
    gitignore = config.root / ".gitignore"
    if gitignore.is_file():
        try:
            patterns += gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            pass  # an unreadable .gitignore only means we scan a little more
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def read_text_file(
    path: Path, rel: str, language: str, max_size: int, setting: str = "max_file_size"
) -> FoundFile | Problem | None:
    """`path` (shown as `rel`) read as UTF-8 text for the reader of `language`; a problem
    saying why it was set aside (larger than `max_size`, which `setting` sets; binary,
    not UTF-8, not a regular file), or None when it is not the kind of file that reader wants."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            return skipped_file(rel, "not a regular file")  # a FIFO or a device would block the read
        size = status.st_size
        if size > max_size:
            if language == "openapi" and not _mentions_openapi(path):
                return None  # a large YAML or JSON file of another kind: not ours to judge
            return skipped_file(rel, f"larger than {setting} ({size:,} > {max_size:,} bytes)")
        data = path.read_bytes()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return skipped_file(rel, "symbolic link loop")
        return skipped_file(rel, f"cannot read: {error.strerror or error}")
    if language == "openapi" and b"openapi" not in data:
        return None  # a YAML or JSON file of another kind: not ours to judge
    if b"\0" in data[:8192]:
        return skipped_file(rel, "binary file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return skipped_file(rel, f"not UTF-8 (byte {error.start})", line)
    if language == "markdown" and text.startswith(GENERATED_PREFIX):
        return None  # a page docgen wrote: an output, not an input
    if language == "openapi" and not declares_openapi(text):
        return None  # any other YAML or JSON file
    return FoundFile(rel, language, text, content_digest(data))


def _mentions_openapi(path: Path) -> bool:
    """Whether a file too large to read has the word `openapi` in its first 64 KB, where a
    spec says it (YAML specs open with it; JSON ones with sorted keys may not, and are
    then left out as any other large JSON file)."""
    with path.open("rb") as handle:
        return b"openapi" in handle.read(65536)


def content_digest(data: bytes) -> str:
    """The digest a found file is known by (the build's no-change check compares them)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
