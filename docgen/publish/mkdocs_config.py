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


def site_facts(config: Config, mkdocs_config: Any, mkdocs_text: str) -> SiteFacts:
    """Read a loaded MkDocs configuration for what decides how the site is built."""
    import logging as levels

    if mkdocs_config.use_directory_urls is False:
        # Signatures are raw HTML, whose links MkDocs does not rewrite: they are written for
        # MkDocs' default URLs, where `a/b.md` is served at `a/b/`.
        raise ConfigError("docgen needs use_directory_urls: true (MkDocs' default)", file=str(config.mkdocs_yml_path))
    # Anchor checks read every page that links to a changed one: a partial build misses them.
    anchors_checked = mkdocs_config.validation.links.anchors >= levels.WARNING
    whole = anchors_checked or not page_local(mkdocs_config.plugins.keys())
    watched = []
    custom_dir = mkdocs_config.theme.custom_dir
    hooks = [getattr(module, "__file__", None) for module in mkdocs_config.hooks.values()]
    inherit = re.search(r"^INHERIT:\s*['\"]?([^'\"#\n]+?)['\"]?\s*$", mkdocs_text, re.MULTILINE)
    parent = str(config.mkdocs_yml_path.parent / inherit.group(1)) if inherit else None
    for path in (custom_dir, parent, *mkdocs_config.watch, *hooks):
        if path and Path(path).resolve().is_relative_to(config.root) and not Path(path).resolve().is_relative_to(config.docs_path.resolve()):
            watched.append(Path(path).resolve().relative_to(config.root).as_posix())
    return SiteFacts(whole, sorted(set(watched)))


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
