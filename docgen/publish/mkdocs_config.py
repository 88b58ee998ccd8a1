"""MkDocs' configuration: loaded and validated by MkDocs itself, and what it tells a build.

Loading names what is missing (the pip package of an absent plugin or extension); the
facts say whether the site must be built whole and which files beyond docs/ it reads.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.config import Config
from docgen.errors import ConfigError
from docgen.problems import Problem
from docgen.publish.build_plugins import collecting

# Plugins whose output for a page depends on that page alone (the search plugin's index is
# merged by docgen): with these only, a site can be built in shards or incrementally.
PAGE_LOCAL_PLUGINS = frozenset({"search", "material/search"})
# pip packages of well-known MkDocs plugins and Markdown extensions, for "not installed" errors.
PACKAGES = {
    "pymdownx": "pymdown-extensions",
    "mkdocstrings": "mkdocstrings[python]",
    "autorefs": "mkdocs-autorefs",
    "awesome-pages": "mkdocs-awesome-pages-plugin",
    "macros": "mkdocs-macros-plugin",
    "redirects": "mkdocs-redirects",
    "minify": "mkdocs-minify-plugin",
    "gen-files": "mkdocs-gen-files",
    "literate-nav": "mkdocs-literate-nav",
    "section-index": "mkdocs-section-index",
    "include-markdown": "mkdocs-include-markdown-plugin",
    "git-revision-date-localized": "mkdocs-git-revision-date-localized-plugin",
    "glightbox": "mkdocs-glightbox",
    "mkdocs_click": "mkdocs-click",
    "markdown_include": "markdown-include",
    "callouts": "markdown-callouts",
    "zensical": "zensical",
}


def load_mkdocs_config(
    config: Config,
    site_dir: Path,
    *,
    config_file: Path | None = None,
    docs_dir: Path | None = None,
    problems: list[Problem] | None = None,
) -> Any:
    """MkDocs' own validated configuration, or a ConfigError that names what is wrong
    (and the pip package to install when a plugin, theme or extension is missing).

    `config_file` and `docs_dir` stand in for the project's, to validate a configuration
    before it is written; its warnings are added to `problems`.
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    problems = problems if problems is not None else []
    path = config_file or config.mkdocs_yml_path
    with collecting(problems, config), in_folder(config.root):
        try:
            return load_config(
                str(path), docs_dir=str(docs_dir or config.docs_path), site_dir=str(site_dir), strict=False
            )
        except (Abort, ConfigurationError) as error:
            reason = problems[-1].message if problems else str(error)
            raise ConfigError(f"MkDocs: {_with_package_hint(reason)}", file=str(config.mkdocs_yml_path)) from None


@dataclass(frozen=True)
class SiteFacts:
    """What a build must know of the MkDocs configuration before it starts."""

    whole_site: bool  # some page's output depends on other pages: no shards, no partial builds
    watched: list[str]  # files and folders MkDocs reads beyond docs/, relative to the root


def site_facts(config: Config, mkdocs_config: Any, mkdocs_yml: Path) -> SiteFacts:
    """Read a loaded MkDocs configuration (from `mkdocs_yml`) for what decides how the
    site is built."""
    import logging as levels

    from docgen.config import inherit_chain

    # Anchor checks read every page that links to a changed one: a partial build misses them.
    anchors_checked = mkdocs_config.validation.links.anchors >= levels.WARNING
    whole = anchors_checked or not page_local(mkdocs_config.plugins.keys())
    parents = [str(parent) for parent, _ in inherit_chain(mkdocs_yml)[1:]]
    hooks = [getattr(module, "__file__", None) for module in mkdocs_config.hooks.values()]
    docs = config.docs_path.resolve()
    watched = set()
    for path in (mkdocs_config.theme.custom_dir, *parents, *mkdocs_config.watch, *hooks):
        resolved = Path(path).resolve() if path else None
        if resolved is not None and resolved.is_relative_to(config.root) and not resolved.is_relative_to(docs):
            watched.add(resolved.relative_to(config.root).as_posix())
    return SiteFacts(whole, sorted(watched))


def page_local(plugins: Iterable[str]) -> bool:
    """Whether a site with these plugins may be built in shards or incrementally."""
    return all(name in PAGE_LOCAL_PLUGINS for name in plugins)


@contextmanager
def in_folder(folder: Path) -> Iterator[None]:
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def _with_package_hint(reason: str) -> str:
    """MkDocs' "not installed" messages, with the pip package that provides the missing part."""
    match = re.search(r"The \"([^\"]+)\" plugin is not installed|No module named '([^'.]+)", reason)
    if not match:
        return reason
    name = match.group(1) or match.group(2)
    package = PACKAGES.get(name.split("/")[0]) or PACKAGES.get(name)
    return f"{reason} (pip install {package})" if package else f"{reason} (install the package that provides '{name}')"
