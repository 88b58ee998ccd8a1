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
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Iterable, Iterator

from mkdocs.plugins import BasePlugin

from docgen.config import Config
from docgen.errors import ConfigError, DocgenError, PublishError
from docgen.files import make_temporary_dir, remove_tree, write_atomic
from docgen.problems import Problem

# Each shard needs this many pages to repay its process (measured: click, 14 pages,
# builds in 0.56 s with two shards against 0.75 s with one).
PAGES_PER_SHARD = 6
MAX_SHARDS = 4
# Plugins whose output for a page depends on that page alone (the search plugin's index is
# merged by docgen): with these only, a site can be built in shards or incrementally.
PAGE_LOCAL_PLUGINS = frozenset({"search", "material/search"})
# A file docgen puts in every site it builds: a folder without it is not docgen's to replace.
SITE_MARKER = ".docgen-site"
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


@dataclass
class SiteResult:
    """What a MkDocs build reported."""

    problems: list[Problem] = field(default_factory=list)
    rendered: frozenset[str] = frozenset()  # the docs pages (relative to docs_dir) MkDocs rendered
    dirty: bool = False
    shards: int = 1


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
    with _collecting(problems, config), _in_folder(config.root):
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


def build_site(config: Config, *, changed: frozenset[str] | None, pages: int = 0, whole: bool = False) -> SiteResult:
    """Build `config`'s site from its mkdocs.yml; `pages` sizes the work for sharding.

    `changed` holds the docs files (relative to docs_dir) whose content changed since the
    last build: only their pages are re-rendered and the search index is then merged, so it
    stays whole (MkDocs' own --dirty loses it). None means a full build; `whole` (see
    `SiteFacts`), one full build in one process.
    """
    site = config.site_path
    dirty = changed is not None and not whole and (site / "index.html").is_file()
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
        elif shards == 1:
            result.problems, result.rendered = _run_mkdocs(config, staging)
        else:
            result.problems, result.rendered = _build_in_shards(config, staging, shards)
        write_atomic(staging / SITE_MARKER, "This folder was built by docgen, which replaces it on every build.\n")
        _swap(staging, site)
    except OSError as error:
        raise PublishError(f"cannot write the site: {error.strerror or error}", file=error.filename) from None
    finally:
        if staging is not None and staging.exists():
            remove_tree(staging)  # a failed build leaves the old site as it was
    return result


def shard_count(pages: int) -> int:
    """How many processes a full build of `pages` pages is worth on this machine."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_SHARDS, pages // PAGES_PER_SHARD))


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
    build_logger.addFilter(_drop_dirty_notice)
    # MkDocs keeps plugin instances across builds in one process, for `mkdocs serve`; the
    # search plugin then merges the previous build's index into the next one, which mixes
    # sites (or shards). Every docgen build starts from fresh plugins.
    MkDocsConfig.plugins.plugin_cache.clear()
    dirty = changed is not None or shard is not None
    tracker = _PageTracker()
    try:
        mkdocs_config = load_mkdocs_config(config, site_dir, problems=problems)
        with _collecting(problems, config, tracker), _in_folder(config.root):
            mkdocs_config.plugins["docgen-template-cache"] = TemplateCache()
            mkdocs_config.plugins["docgen-outside-files"] = _OutsideFiles(config.root, problems)
            mkdocs_config.plugins["docgen-page-tracker"] = tracker
            if dirty:
                mkdocs_config.plugins["docgen-partial-build"] = _PartialBuild(shard, changed)
            mkdocs_config.plugins.on_startup(command="build", dirty=dirty)
            try:
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
        build_logger.removeFilter(_drop_dirty_notice)
    return problems, frozenset(tracker.rendered)


@contextmanager
def _in_folder(folder: Path) -> Iterator[None]:
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


@contextmanager
def _collecting(problems: list[Problem], config: Config, tracker: _PageTracker | None = None) -> Iterator[None]:
    """MkDocs' warnings, as problems, for as long as the block runs."""
    collector = _ProblemCollector(problems, config, tracker)
    mkdocs_logger = logging.getLogger("mkdocs")
    propagate = mkdocs_logger.propagate
    mkdocs_logger.addHandler(collector)
    mkdocs_logger.propagate = False
    try:
        yield
    finally:
        mkdocs_logger.removeHandler(collector)
        mkdocs_logger.propagate = propagate


def _with_package_hint(reason: str) -> str:
    """MkDocs' "not installed" messages, with the pip package that provides the missing part."""
    match = re.search(r"The \"([^\"]+)\" plugin is not installed|No module named '([^'.]+)", reason)
    if not match:
        return reason
    name = match.group(1) or match.group(2)
    package = PACKAGES.get(name.split("/")[0]) or PACKAGES.get(name)
    return f"{reason} (pip install {package})" if package else f"{reason} (install the package that provides '{name}')"


class _PageTracker(BasePlugin):
    """Knows which page MkDocs is rendering, so its warnings are that page's problems, and
    which pages it rendered, so an incremental build keeps the others' problems."""

    def __init__(self) -> None:
        self.current: str | None = None
        self.rendered: set[str] = set()

    def on_page_markdown(self, markdown: str, /, *, page: Any, config: Any, files: Any) -> str:
        self.current = page.file.src_uri
        self.rendered.add(page.file.src_uri)
        return markdown

    def on_post_page(self, output: str, /, *, page: Any, config: Any) -> str:
        self.current = None
        return output


_DOC_FILE = re.compile(r"^Doc file '([^']+)'")


class _ProblemCollector(logging.Handler):
    def __init__(self, sink: list[Problem], config: Config, tracker: _PageTracker | None) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink
        self.tracker = tracker
        self.docs_dir = config.docs_dir.strip("/")

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())
        page = _DOC_FILE.match(message)
        source = page.group(1) if page else self.tracker.current if self.tracker else None
        file = f"{self.docs_dir}/{source}" if source else ""
        self.sink.append(Problem("mkdocs", message, file))


class _OutsideFiles(BasePlugin):
    """Keeps out of the site every docs file that is a link to something outside the
    project (a `docs/env -> /proc/self/environ` would otherwise be published)."""

    def __init__(self, root: Path, problems: list[Problem]) -> None:
        self.root = root
        self.problems = problems

    def on_files(self, files: Any, /, *, config: Any) -> Any:
        docs = Path(config.docs_dir)
        for file in list(files):
            if file.abs_src_path is None or not Path(file.abs_src_path).is_relative_to(docs):
                continue  # the theme's own files
            if not Path(file.abs_src_path).resolve().is_relative_to(self.root):
                files.remove(file)
                shown = Path(file.abs_src_path).relative_to(self.root).as_posix()
                self.problems.append(
                    Problem("unsafe-path", "links to a file outside the project; left out of the site", shown)
                )
        return files


class _PartialBuild(BasePlugin):
    """Makes a dirty MkDocs build right for docgen.

    - Whether a file counts as modified comes from docgen's content digests, never from
      MkDocs' mtime comparison (a file restored with an old mtime is still re-rendered).
    - In a shard `(index, count)` of a full build, only this shard's pages count as
      modified (and only shard 0 copies the theme's assets); pages are dealt by size so the
      shards finish together.
    - Pages a dirty build does not re-render are never read, so the nav would show `None`
      for any whose title comes from its first heading: their sources are read (not rendered).
    """

    def __init__(self, shard: tuple[int, int] | None, changed: frozenset[str] | None) -> None:
        self.shard = shard
        self.changed = changed

    def on_nav(self, nav: Any, /, *, config: Any, files: Any) -> Any:
        for page in nav.pages:
            if page.markdown is None and not page.file.is_modified():
                page.read_source(config)
        return nav

    def on_files(self, files: Any, /, *, config: Any) -> Any:
        if self.shard is None:
            docs = Path(config.docs_dir)
            for file in files:
                from_docs = file.abs_src_path is not None and Path(file.abs_src_path).is_relative_to(docs)
                file.is_modified = _modified if from_docs and file.src_uri in self.changed else _unmodified
            return files
        index, count = self.shard
        pages = sorted(files.documentation_pages(), key=_source_size, reverse=True)
        # Shard 0 also copies the theme's assets and renders 404.html and the sitemap: it
        # starts with a tenth of the work already counted (measured best on sphinx's site).
        loads = [sum(map(_source_size, pages)) // 10] + [0] * (count - 1)
        mine = set()
        for file in pages:
            shard = loads.index(min(loads))
            loads[shard] += _source_size(file)
            if shard == index:
                mine.add(file.src_uri)
        for file in files:
            keep = file.src_uri in mine if file.is_documentation_page() else index == 0
            file.is_modified = _modified if keep else _unmodified  # dirty mode skips unmodified files
        return files


def _modified() -> bool:
    return True


def _unmodified() -> bool:
    return False


def _source_size(file: Any) -> int:
    try:
        return os.path.getsize(file.abs_src_path)
    except (OSError, TypeError):
        return 0


def _drop_dirty_notice(record: logging.LogRecord) -> bool:
    # MkDocs warns that dirty builds break navigation and search; docgen builds dirty only
    # when the nav is unchanged (or in shards of a full build) and repairs the search
    # index, so the warning is moot.
    return "'dirty' build" not in record.getMessage()


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


def _swap(staging: Path, site: Path) -> None:
    """Put the freshly built site in place; the old one is removed only after the rename,
    from a folder of its own (a read-only old site can never block the next build)."""
    old = None
    if site.exists():
        old = make_temporary_dir(site.parent, f".{site.name}.old.")
        os.replace(site, old)
    os.replace(staging, site)
    if old is not None:
        remove_tree(old)
