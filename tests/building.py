"""Helpers for tests that build a project and check what the build left on disk."""

from __future__ import annotations

from pathlib import Path

from docgen.build import BuildReport, build
from docgen.config import load_config
from docgen.progress import QUIET, Reporter

QUIET_REPORTER = Reporter(QUIET)


def run(root: Path, **overrides) -> BuildReport:
    """Build `root` quietly, with settings given as on the command line."""
    return build(load_config(root, overrides=overrides), reporter=QUIET_REPORTER)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (docgen's own state aside) and its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".docgen" not in path.relative_to(root).parts
    }
