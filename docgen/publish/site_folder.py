"""The site folder: which folder docgen may replace, and replacing it.

A site is built in a temporary folder beside the site and swapped in once complete; docgen
replaces only a folder it built (marked with `SITE_MARKER`), never the project, its docs or
its sources, and removes what killed builds left behind.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from docgen.config import Config
from docgen.errors import ConfigError
from docgen.files import make_temporary_dir, remove_tree, write_atomic

# A file docgen puts in every site it builds: a folder without it is not docgen's to replace.
SITE_MARKER = ".docgen-site"
# pip packages of well-known MkDocs plugins and Markdown extensions, for "not installed" errors.


def check_site_dir(config: Config, sources: Iterable[str]) -> None:
    """Refuse, before anything is written, a site folder whose replacement would lose
    something: the project itself, the docs, a folder holding sources, or any existing
    folder that docgen did not build."""
    site, docs, root = config.site_path.resolve(), config.docs_path.resolve(), config.root
    setting = f"site_dir '{config.site_dir}'"
    if docs.is_relative_to(site) or site.is_relative_to(docs):
        raise ConfigError(f"{setting} and docs_dir '{config.docs_dir}' overlap; docgen replaces the site folder on every build")
    for kept in (config.mkdocs_yml_path, config.cache_path, root / ".git", *(root / path for path in sources)):
        if kept.resolve().is_relative_to(site):
            shown = kept.relative_to(root).as_posix() if kept.is_relative_to(root) else kept
            raise ConfigError(f"{setting} holds {shown}; docgen replaces the site folder on every build")
    if site.exists() and not site.is_dir():
        raise ConfigError(f"{setting} is a file; docgen builds the site into a folder of its own")
    if site.is_dir() and not (site / SITE_MARKER).is_file() and any(site.iterdir()):
        raise ConfigError(
            f"{setting} exists and was not built by docgen; move it away or set site_dir to another folder"
        )


def remove_leftovers(site: Path) -> None:
    """Remove the staging and old-site folders of builds that were killed before cleaning up:
    only names docgen makes (`.site.<random>.tmp`, `.site.old.<random>.tmp`, shards)."""
    pattern = re.compile(rf"^\.{re.escape(site.name)}\.(old\.)?[^/]*\.tmp(\.\d+)?$")
    try:
        entries = list(site.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        if pattern.match(entry.name) and entry.is_dir() and not entry.is_symlink():
            remove_tree(entry)


def mark(staging: Path) -> None:
    """Mark a freshly built site as docgen's."""
    write_atomic(staging / SITE_MARKER, "This folder was built by docgen, which replaces it on every build.\n")


def swap_in(staging: Path, site: Path) -> None:
    """Put the freshly built site in place; the old one is removed only after the rename,
    from a folder of its own (a read-only old site can never block the next build)."""
    old = None
    if site.exists():
        old = make_temporary_dir(site.parent, f".{site.name}.old.")
        os.replace(site, old)
    os.replace(staging, site)
    if old is not None:
        remove_tree(old)
