"""Build the site with MkDocs, in this process, never leaving a broken site behind.

MkDocs builds into a temporary folder that replaces the site only once complete. Large
sites are built in shards, one process per core: MkDocs renders pages one after another,
and Markdown, the theme and the search plugin are all per-page work. Each shard is an
ordinary MkDocs build in `dirty` mode in which only its own pages count as modified; the
shards' pages are then put together and their search indexes merged. Incremental builds
use the same dirty mode, with the files whose content changed.

Both tricks are only right when every plugin works page by page; with any other plugin
(Material's tags, a user's hook, a blog) the site is built once, whole, as `mkdocs build`
would build it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from docgen.config import Config
from docgen.errors import DocgenError, PublishError
from docgen.files import make_temporary_dir, remove_tree, write_atomic
from docgen.problems import Problem
from docgen.publish.build_plugins import AskWidget, OutsideFiles, PageTracker, PartialBuild, collecting, drop_dirty_notice
from docgen.publish.mkdocs_config import in_folder, load_mkdocs_config
from docgen.publish.site_folder import mark, remove_leftovers, swap_in

# Each shard needs this many pages to repay its process (measured: click, 14 pages,
# builds in 0.56 s with two shards against 0.75 s with one).
PAGES_PER_SHARD = 6
MAX_SHARDS = 4
# Plugins whose output for a page depends on that page alone (the search plugin's index is
# merged by docgen): with these only, a site can be built in shards or incrementally.
PAGE_LOCAL_PLUGINS = frozenset({"search", "material/search"})


@dataclass
class SiteResult:
    """What a MkDocs build reported."""

    problems: list[Problem] = field(default_factory=list)
    rendered: frozenset[str] = frozenset()  # the docs pages (relative to docs_dir) MkDocs rendered
    dirty: bool = False
    shards: int = 1


def build_site(
    config: Config, *, changed: frozenset[str] | None, pages: int = 0, whole: bool = False, extra: Mapping[str, bytes] | None = None
) -> SiteResult:
    """Build `config`'s site from its mkdocs.yml; `pages` sizes the work for sharding.

    `changed` holds the docs files (relative to docs_dir) whose content changed since the
    last build: only their pages are re-rendered and the search index is then merged, so it
    stays whole (MkDocs' own --dirty loses it). None means a full build; `whole` (see
    `SiteFacts`), one full build in one process. `extra` files (`objects.inv`) are put at
    the site's root.
    """
    site = config.site_path
    # Zensical builds whole sites, in one process of its own.
    dirty = changed is not None and not whole and config.builder == "mkdocs" and (site / "index.html").is_file()
    shards = 1 if dirty or whole else shard_count(pages)
    result = SiteResult(dirty=dirty, shards=shards)
    staging: Path | None = None
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(site)
        staging = make_temporary_dir(site.parent, f".{site.name}.")
        if dirty:
            assert changed is not None
            remove_tree(staging)
            shutil.copytree(site, staging, symlinks=True)
            old_index = read_search_index(staging)
            result.problems, result.rendered = _run_mkdocs(config, staging, changed=changed)
            merge_search_indexes(staging, [old_index])
        elif config.builder == "zensical":
            from docgen.publish.zensical import run_zensical

            result.problems, result.rendered = run_zensical(config, staging)
        elif shards == 1:
            result.problems, result.rendered = _run_mkdocs(config, staging)
        else:
            result.problems, result.rendered = _build_in_shards(config, staging, shards)
        for name, data in (extra or {}).items():
            (staging / name).write_bytes(data)  # in the staging folder: swapped in with the rest
        mark(staging)
        swap_in(staging, site)
    except OSError as error:
        raise PublishError(f"cannot write the site: {error.strerror or error}", file=error.filename) from None
    finally:
        if staging is not None and staging.exists():
            remove_tree(staging)  # a failed build leaves the old site as it was
    return result


def shard_count(pages: int) -> int:
    """How many processes a full build of `pages` pages is worth on this machine: one
    while this process runs other threads (a server's, onnxruntime's, Chroma's), whose
    locks a forked shard would inherit held, and wait on forever."""
    if _other_threads():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_SHARDS, pages // PAGES_PER_SHARD))


def _other_threads() -> bool:
    """Whether any thread but this one runs in the process, native ones included."""
    try:
        return len(os.listdir("/proc/self/task")) > 1
    except OSError:  # no /proc: Python's own threads are what can be seen
        return threading.active_count() > 1


def _build_in_shards(config: Config, staging: Path, shards: int) -> tuple[list[Problem], frozenset[str]]:
    """Shard 0 builds here, into `staging`, with the theme's assets; the others in forked
    processes, into folders of their own, whose pages then join `staging`."""
    folders = [staging] + [staging.with_name(f"{staging.name}.{k}") for k in range(1, shards)]
    problems: list[Problem] = []
    rendered: set[str] = set()
    try:
        # fork: the children start with docgen and MkDocs already imported.
        with ProcessPoolExecutor(shards - 1, mp_context=get_context("fork")) as pool:
            others = [pool.submit(_run_shard, config, folders[k], k, shards) for k in range(1, shards)]
            mine, pages = _run_mkdocs(config, staging, shard=(0, shards))
            problems += mine
            rendered |= pages
            for future in others:
                shard_problems, shard_pages, error = future.result()
                problems += shard_problems
                rendered |= shard_pages
                if error is not None:
                    raise error
        indexes = [read_search_index(folder) for folder in folders[1:]]
        for folder in folders[1:]:
            _move_missing(folder, staging)
        merge_search_indexes(staging, indexes)
    finally:
        for folder in folders[1:]:
            remove_tree(folder)
    return list(dict.fromkeys(problems)), frozenset(rendered)  # config warnings come from every shard


def _run_shard(
    config: Config, folder: Path, index: int, count: int
) -> tuple[list[Problem], frozenset[str], DocgenError | None]:
    """One shard in a child process: its problems, its pages, and the error that stopped it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return (*_run_mkdocs(config, folder, shard=(index, count)), None)
    except DocgenError as error:
        return [], frozenset(), error
    except OSError as error:
        return [], frozenset(), PublishError(f"cannot write the site: {error.strerror or error}", file=error.filename)


def _run_mkdocs(
    config: Config, site_dir: Path, *, changed: frozenset[str] | None = None, shard: tuple[int, int] | None = None
) -> tuple[list[Problem], frozenset[str]]:
    """One MkDocs build into `site_dir`; returns its problems and the pages it rendered.

    MkDocs runs with the project root as working directory, so the relative paths of a
    user's hooks and plugin settings mean what they mean to `mkdocs build` at the root.
    """
    from mkdocs.commands.build import build
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import Abort, MkDocsException

    from docgen.publish.template_cache import TemplateCache

    problems: list[Problem] = []
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(drop_dirty_notice)
    # MkDocs keeps plugin instances across builds in one process, for `mkdocs serve`; the
    # search plugin then merges the previous build's index into the next one, which mixes
    # sites (or shards). Every docgen build starts from fresh plugins.
    MkDocsConfig.plugins.plugin_cache.clear()
    dirty = changed is not None or shard is not None
    tracker = PageTracker()
    try:
        mkdocs_config = load_mkdocs_config(config, site_dir, problems=problems)
        with collecting(problems, config, tracker), in_folder(config.root):
            mkdocs_config.plugins["docgen-template-cache"] = TemplateCache()
            mkdocs_config.plugins["docgen-outside-files"] = OutsideFiles(config.root, problems)
            mkdocs_config.plugins["docgen-page-tracker"] = tracker
            mkdocs_config.plugins["docgen-ask-widget"] = AskWidget()
            if dirty:
                mkdocs_config.plugins["docgen-partial-build"] = PartialBuild(shard, changed)
            mkdocs_config.plugins.on_startup(command="build", dirty=dirty)
            # The theme's assets are in the site an incremental build starts from, and
            # shard 0 copies them for the others.
            skip_assets = changed is not None or (shard is not None and shard[0] != 0)
            try:
                with _theme_assets_left_out() if skip_assets else _theme_assets_listed_quickly():
                    build(mkdocs_config, dirty=dirty)
            finally:
                mkdocs_config.plugins.on_shutdown()
    except Abort as error:
        reason = problems[0].message if problems else str(error)
        raise PublishError(f"MkDocs stopped: {reason}") from None
    except DocgenError:
        raise
    except MkDocsException as error:
        raise PublishError(f"MkDocs failed: {error}") from None
    except OSError:
        raise
    except Exception as error:  # a Markdown extension or theme crashing on some page's content
        raise PublishError(f"MkDocs crashed: {type(error).__name__}: {error}") from None
    finally:
        build_logger.removeFilter(drop_dirty_notice)
    return problems, frozenset(tracker.rendered)


@contextmanager
def _theme_assets_left_out() -> Iterator[None]:
    """A MkDocs build that does not list the theme's static files: Material ships some
    14,000 (its icons), and listing and filtering them is a fifth of rebuilding a page.

    MkDocs offers no setting for it (its plugins see the files only once listed), so the
    listing method is replaced for the one build, in this process, and put back.
    """
    from mkdocs.structure.files import Files

    listing = Files.add_files_from_theme
    Files.add_files_from_theme = lambda self, env, config: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        Files.add_files_from_theme = listing  # type: ignore[method-assign]


@contextmanager
def _theme_assets_listed_quickly() -> Iterator[None]:
    """A MkDocs build that lists the theme's static files without walking its hidden
    folders: MkDocs lists every file of the theme, Material's 14,000 icons under `.icons/`
    included, then matches each against a dozen patterns, two of which (`.*`, `*/.*`)
    drop whatever lies in a hidden folder. The names MkDocs then sees are the same.

    Only a theme read by Jinja's plain `FileSystemLoader` (MkDocs' own) is listed this
    way; a plugin's loader of its own is listed as MkDocs lists it.
    """
    import jinja2
    from mkdocs.structure.files import Files

    listing = Files.add_files_from_theme

    def add_files_from_theme(self: Files, env: jinja2.Environment, config: Any) -> None:
        loader = env.loader
        if type(loader) is jinja2.FileSystemLoader:
            env = _VisibleTemplates(loader)  # type: ignore[assignment]
        listing(self, env, config)

    Files.add_files_from_theme = add_files_from_theme  # type: ignore[method-assign]
    try:
        yield
    finally:
        Files.add_files_from_theme = listing  # type: ignore[method-assign]


class _VisibleTemplates:
    """What `add_files_from_theme` asks of a Jinja environment, `list_templates`, answered
    as `FileSystemLoader.list_templates` answers it, less the files in hidden folders."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def list_templates(self, filter_func: Any = None) -> list[str]:
        found: set[str] = set()
        for searchpath in self.loader.searchpath:
            for dirpath, dirnames, filenames in os.walk(searchpath, followlinks=self.loader.followlinks):
                dirnames[:] = [name for name in dirnames if not name.startswith(".")]
                for filename in filenames:
                    name = os.path.join(dirpath, filename)[len(searchpath) :].strip(os.path.sep).replace(os.path.sep, "/")
                    found.add(name.removeprefix("./"))
        return [name for name in sorted(found) if filter_func is None or filter_func(name)]


def read_search_index(site: Path) -> dict[str, Any] | None:
    """The search index MkDocs wrote into `site`, or None."""
    try:
        return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def merge_search_indexes(site: Path, others: list[dict[str, Any] | None]) -> None:
    """Add to `site`'s search index the entries of `others` for every page it lacks."""
    index = read_search_index(site)
    if index is None:
        return
    docs = index.get("docs", [])
    have = {doc["location"].split("#")[0] for doc in docs}
    for other in others:
        if other is not None:
            docs += [doc for doc in other.get("docs", []) if doc["location"].split("#")[0] not in have]
    index["docs"] = docs
    write_atomic(site / "search" / "search_index.json", json.dumps(index, separators=(",", ":")))


def _move_missing(source: Path, target: Path) -> None:
    """Move every file of `source` that `target` lacks (a shard's pages) into `target`."""
    for path in source.rglob("*"):
        if path.is_file():
            destination = target / path.relative_to(source)
            if not destination.exists():
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, destination)
