"""Build the site with MkDocs, in this process, never leaving a broken site behind.

MkDocs builds into a temporary folder that replaces the site only once complete. Large
sites are built in shards, one process per core: MkDocs renders pages one after another,
and Markdown, the theme and the search plugin are all per-page work. Each shard is an
ordinary MkDocs build in `dirty` mode in which only its own pages count as modified; the
shards' pages are then put together and their search indexes merged. Incremental builds
use the same dirty mode, with the pages whose Markdown changed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin

from docgen.config import Config
from docgen.errors import ConfigError, DocgenError, PublishError
from docgen.files import write_atomic
from docgen.problems import Problem

# Each shard needs this many pages to repay its process (measured: click, 14 pages,
# builds in 0.56 s with two shards against 0.75 s with one).
PAGES_PER_SHARD = 6
MAX_SHARDS = 4


@dataclass
class SiteResult:
    """What a MkDocs build reported."""

    warnings: list[Problem] = field(default_factory=list)
    dirty: bool = False
    shards: int = 1


def build_site(config: Config, *, dirty: bool, pages: int = 0) -> SiteResult:
    """Build `config`'s site from its mkdocs.yml; `pages` sizes the work for sharding.

    A dirty build re-renders only pages whose Markdown is newer than their HTML and then
    merges the search index, so the index stays whole (MkDocs' own --dirty loses it).
    """
    site = config.site_path
    dirty = dirty and (site / "index.html").is_file()
    shards = 1 if dirty else shard_count(pages)
    result = SiteResult(dirty=dirty, shards=shards)
    staging: Path | None = None
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=site.parent, prefix=f".{site.name}.", suffix=".tmp"))
        if dirty:
            shutil.rmtree(staging)
            shutil.copytree(site, staging)  # copy2 keeps mtimes, which dirty builds compare
            old_index = read_search_index(staging)
            result.warnings += _run_mkdocs(config, staging, dirty=True)
            merge_search_indexes(staging, [old_index])
        elif shards == 1:
            result.warnings += _run_mkdocs(config, staging, dirty=False)
        else:
            result.warnings += _build_in_shards(config, staging, shards)
        _swap(staging, site)
    except OSError as error:
        raise PublishError(f"cannot write the site: {error.strerror or error}", file=error.filename) from None
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)  # a failed build leaves the old site as it was
    return result


def shard_count(pages: int) -> int:
    """How many processes a full build of `pages` pages is worth on this machine."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_SHARDS, pages // PAGES_PER_SHARD))


def _build_in_shards(config: Config, staging: Path, shards: int) -> list[Problem]:
    """Shard 0 builds here, into `staging`, with the theme's assets; the others in forked
    processes, into folders of their own, whose pages then join `staging`."""
    folders = [staging] + [staging.with_name(f"{staging.name}.{k}") for k in range(1, shards)]
    warnings: list[Problem] = []
    try:
        # fork: the children start with docgen and MkDocs already imported.
        with ProcessPoolExecutor(shards - 1, mp_context=get_context("fork")) as pool:
            others = [pool.submit(_run_shard, config, folders[k], k, shards) for k in range(1, shards)]
            warnings += _run_mkdocs(config, staging, dirty=True, shard=(0, shards))
            for future in others:
                shard_warnings, error = future.result()
                warnings += shard_warnings
                if error is not None:
                    raise error
        indexes = [read_search_index(folder) for folder in folders[1:]]
        for folder in folders[1:]:
            _move_missing(folder, staging)
        merge_search_indexes(staging, indexes)
    finally:
        for folder in folders[1:]:
            shutil.rmtree(folder, ignore_errors=True)
    return warnings


def _run_shard(config: Config, folder: Path, index: int, count: int) -> tuple[list[Problem], DocgenError | None]:
    """One shard in a child process: its warnings, and the error that stopped it, if any."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return _run_mkdocs(config, folder, dirty=True, shard=(index, count)), None
    except DocgenError as error:
        return [], error
    except OSError as error:
        return [], PublishError(f"cannot write the site: {error.strerror or error}", file=error.filename)


def _run_mkdocs(config: Config, site_dir: Path, *, dirty: bool, shard: tuple[int, int] | None = None) -> list[Problem]:
    """One MkDocs build into `site_dir`; returns its warnings, raises PublishError."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import Abort, MkDocsException

    from docgen.publish.template_cache import TemplateCache

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    warnings: list[Problem] = []
    collector = _WarningCollector(warnings)
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(collector)
    mkdocs_logger.propagate = False
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(_drop_dirty_notice)
    # MkDocs keeps plugin instances across builds in one process, for `mkdocs serve`; the
    # search plugin then merges the previous build's index into the next one, which mixes
    # sites (or shards). Every docgen build starts from fresh plugins.
    MkDocsConfig.plugins.plugin_cache.clear()
    try:
        mkdocs_config = load_config(
            str(config.root / "mkdocs.yml"), docs_dir=str(config.docs_path), site_dir=str(site_dir), strict=False
        )
        mkdocs_config.plugins["docgen-template-cache"] = TemplateCache()
        if dirty:
            mkdocs_config.plugins["docgen-partial-build"] = _PartialBuild(shard)
        mkdocs_config.plugins.on_startup(command="build", dirty=dirty)
        try:
            build(mkdocs_config, dirty=dirty)
        finally:
            mkdocs_config.plugins.on_shutdown()
    except Abort as error:
        reason = warnings[0].message if warnings else str(error)
        if "configuration error" in str(error):
            raise ConfigError(f"MkDocs: {reason}", file=str(config.root / "mkdocs.yml")) from None
        raise PublishError(f"MkDocs stopped: {reason}") from None
    except MkDocsException as error:
        raise PublishError(f"MkDocs failed: {error}") from None
    except OSError:
        raise
    except Exception as error:  # a Markdown extension or theme crashing on some page's content
        raise PublishError(f"MkDocs crashed: {type(error).__name__}: {error}") from None
    finally:
        mkdocs_logger.removeHandler(collector)
        mkdocs_logger.propagate = True
        build_logger.removeFilter(_drop_dirty_notice)
    return warnings


class _PartialBuild(BasePlugin):
    """Makes a dirty MkDocs build right for docgen.

    - In a shard `(index, count)` of a full build, only this shard's pages count as
      modified (and only shard 0 copies the theme's assets); pages are dealt by size so the
      shards finish together.
    - Pages a dirty build does not re-render are never read, so the nav would show `None`
      for any whose title comes from its first heading: their sources are read (not rendered).
    """

    def __init__(self, shard: tuple[int, int] | None) -> None:
        self.shard = shard

    def on_nav(self, nav: Any, /, *, config: Any, files: Any) -> Any:
        for page in nav.pages:
            if page.markdown is None and not page.file.is_modified():
                page.read_source(config)
        return nav

    def on_files(self, files: Any, /, *, config: Any) -> Any:
        if self.shard is None:
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
            if file.is_documentation_page():
                keep = file.src_uri in mine
            else:
                keep = index == 0
            if not keep:
                file.is_modified = _unmodified  # MkDocs' dirty mode skips unmodified files
        return files


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


class _WarningCollector(logging.Handler):
    def __init__(self, sink: list[Problem]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(Problem("mkdocs", " ".join(record.getMessage().split())))


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
    """Put the freshly built site in place; the old one is removed only after the rename."""
    old = None
    if site.exists():
        old = site.with_name(f".{site.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(site, old)
    os.replace(staging, site)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
