"""The MkDocs plugins docgen adds to the builds it runs in-process (never to mkdocs.yml).

- `PageTracker` knows which page MkDocs is rendering, so its warnings become that page's
  problems (`ProblemCollector`), and which pages it rendered.
- `OutsideFiles` keeps docs files that link outside the project out of the site.
- `PartialBuild` makes MkDocs' dirty mode right for docgen's incremental and sharded builds.
- `AskWidget` adds the search-and-ask widget, which shows itself only under `docgen serve`.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin

from docgen.config import Config
from docgen.problems import Problem, capturing


@contextmanager
def collecting(problems: list[Problem], config: Config, tracker: PageTracker | None = None) -> Iterator[None]:
    """MkDocs' warnings, as problems, for as long as the block runs."""
    with capturing("mkdocs", ProblemCollector(problems, config, tracker)):
        yield


class PageTracker(BasePlugin):
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


class ProblemCollector(logging.Handler):
    def __init__(self, sink: list[Problem], config: Config, tracker: PageTracker | None) -> None:
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


class OutsideFiles(BasePlugin):
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


class PartialBuild(BasePlugin):
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


# The widget's files, shipped in the package and published under the site's assets/.
WIDGET_ASSETS = Path(__file__).parent / "assets"
WIDGET_FOLDER = "assets/docgen"


class AskWidget(BasePlugin):
    """Adds the search-and-ask widget (`assets/docgen/ask.js` and `ask.css`) to every page.
    The script asks `docgen serve`'s `api/status` whether it is served with the knowledge
    base and adds nothing to the page when it is not (a static host). A file the user's
    docs already hold at the widget's path is theirs and is published instead."""

    def on_config(self, config: Any, /) -> Any:
        config.extra_javascript.append(f"{WIDGET_FOLDER}/ask.js")
        config.extra_css.append(f"{WIDGET_FOLDER}/ask.css")
        return config

    def on_files(self, files: Any, /, *, config: Any) -> Any:
        from mkdocs.structure.files import File

        for name in ("ask.js", "ask.css"):
            uri = f"{WIDGET_FOLDER}/{name}"
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, abs_src_path=str(WIDGET_ASSETS / name)))
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


def drop_dirty_notice(record: logging.LogRecord) -> bool:
    # MkDocs warns that dirty builds break navigation and search; docgen builds dirty only
    # when the nav is unchanged (or in shards of a full build) and repairs the search
    # index, so the warning is moot.
    return "'dirty' build" not in record.getMessage()
