"""Building the site with Zensical, the Material team's successor to MkDocs, instead.

Zensical reads the same `mkdocs.yml` and docs folder (docgen writes nothing it would not
understand: plain Markdown and Material's own settings). It runs as its own command, into
the staging folder `build_site` swaps in: through a copy of `mkdocs.yml` beside it that
ends by setting `site_dir` there and `docs_dir` to docgen's (YAML's last key wins),
removed afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.errors import PublishError
from docgen.problems import Problem

if TYPE_CHECKING:
    from docgen.config import Config

TIMEOUT = 1800  # seconds: Zensical builds sphinx's 177 pages in 4


def zensical_command() -> str | None:
    """The `zensical` executable beside this Python, or on the PATH; None when not installed."""
    beside = Path(sys.executable).with_name("zensical")
    return str(beside) if beside.is_file() else shutil.which("zensical")


def run_zensical(config: Config, site_dir: Path) -> tuple[list[Problem], frozenset[str]]:
    """One Zensical build of `config`'s docs into `site_dir`; its warnings as problems,
    and every page as rendered (Zensical builds them all)."""
    command = zensical_command()
    if command is None:
        raise PublishError("the zensical builder needs Zensical: pip install 'zensical>=0.0.73,<0.1'")
    source = config.mkdocs_yml_path
    text = source.read_text(encoding="utf-8")
    folders = {"docs_dir": config.docs_path, "site_dir": site_dir}  # docgen's settings win, as MkDocs is told
    handle, name = tempfile.mkstemp(dir=source.parent, prefix=f".{source.name}.", suffix=".zensical.tmp")
    os.close(handle)
    copy = Path(name)
    try:
        # JSON strings are YAML strings: any folder name, quoted and escaped as YAML reads it.
        settings = "".join(f"{key}: {json.dumps(os.path.relpath(path, source.parent))}\n" for key, path in folders.items())
        copy.write_text(f"{text.rstrip()}\n\n{settings}", encoding="utf-8")
        done = subprocess.run(
            [command, "build", "-f", str(copy)], cwd=source.parent, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise PublishError(f"Zensical took more than {TIMEOUT} s to build the site") from None
    finally:
        copy.unlink(missing_ok=True)
    output = (done.stdout + done.stderr).strip().splitlines()
    if done.returncode != 0:
        reason = next((line for line in reversed(output) if line.strip()), f"exit status {done.returncode}")
        raise PublishError(f"Zensical stopped: {reason.strip()}")
    problems = [Problem("mkdocs", line.strip(), config.mkdocs_yml) for line in output if line.lstrip().lower().startswith(("warning", "error"))]
    pages = frozenset(p.relative_to(config.docs_path).as_posix() for p in config.docs_path.rglob("*.md"))
    return problems, pages
