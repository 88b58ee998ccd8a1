"""Usage evidence: the project's examples and tests, read as text, never documented.

The scan leaves `examples/` and `tests/` out of the reference (see `DEFAULT_EXCLUDE`), yet
they show how the code is meant to be called: the tutorial and the how-tos are drafted from
them, and from a `README.rst`, which MkDocs cannot publish (a `README.md` is a page, read by
the scan). They are read here, from the project root only: regular files inside the
project (never through a link that leads out of it), Python and that README only, each and
all of them size-bounded, the .gitignore honoured. What cannot be read is left out without a word: these
files are evidence a guide may use, not pages the build owes the user.
"""

from __future__ import annotations

import os
from pathlib import Path

import pathspec

from docgen.config import Config
from docgen.scan.finder import PYTHON_SUFFIXES, FoundFile, leads_out, read_text_file
from docgen.scan.rst_readme import README_RST

# Top-level folders that hold examples or tests, the examples first: they are written to be
# read, tests to be run.
USAGE_FOLDERS = ("examples", "example", "tests", "test")
TEST_FOLDERS = frozenset({"tests", "test"})
MAX_FILE_BYTES = 200_000
MAX_FILES = 400
MAX_TOTAL_BYTES = 4_000_000


def is_test_file(path: str) -> bool:
    """Whether a usage file (project-relative) lies in a test folder."""
    return path.split("/", 1)[0] in TEST_FOLDERS


def read_usage_files(config: Config) -> tuple[FoundFile, ...]:
    """The project's `README.rst` when it has one and no `README.md` (the README the scan
    reads as a page, which the guides then quote), then the Python files of its example
    and test folders, in a stable order."""
    root = config.root
    inside = os.path.realpath(root)
    ignore = _gitignore(root)
    found: list[FoundFile] = []
    total = 0
    limit = min(MAX_FILE_BYTES, config.max_file_size)
    readme = root / README_RST  # a README MkDocs cannot publish (see `rst_readme`)
    has_markdown_readme = any(name.lower() == "readme.md" for name in os.listdir(root))
    if not has_markdown_readme and readme.is_file() and not leads_out(str(readme), inside):
        read = read_text_file(readme, README_RST, "rst", limit)
        if isinstance(read, FoundFile):
            found.append(read)
            total += len(read.text)
    for folder in USAGE_FOLDERS:
        top = root / folder
        if not top.is_dir() or top.is_symlink():
            continue
        for directory, dirnames, filenames in os.walk(top):  # folder links are listed, not followed
            rel_dir = Path(directory).relative_to(root).as_posix() + "/"
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not ignore.match_file(rel_dir + d + "/"))
            for name in sorted(filenames):
                rel = rel_dir + name
                path = os.path.join(directory, name)
                if not name.endswith(PYTHON_SUFFIXES[0]) or ignore.match_file(rel) or leads_out(path, inside):
                    continue
                read = read_text_file(Path(path), rel, "python", limit)
                if not isinstance(read, FoundFile) or total + len(read.text) > MAX_TOTAL_BYTES:
                    continue
                found.append(read)
                total += len(read.text)
                if len(found) == MAX_FILES:
                    return tuple(found)
    return tuple(found)


def _gitignore(root: Path) -> pathspec.PathSpec:
    """The root .gitignore's patterns (the config's excludes leave tests out on purpose)."""
    try:
        lines = (root / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    return pathspec.GitIgnoreSpec.from_lines(lines)
