"""`docgen build`: scan, render the reference, write the docs, build the site, incrementally.

A build whose inputs (every scanned file, the config, mkdocs.yml, docgen's version) hash to
the last successful build's does nothing at all. Otherwise only pages whose Markdown changed
are written, and MkDocs re-renders only those, unless the navigation or mkdocs.yml changed.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from docgen import __version__
from docgen.cache import BuildRecord, digest, load_record, save_record
from docgen.config import Config
from docgen.errors import DocgenError, InputError, PublishError
from docgen.generate.reference import RenderOptions, render_pages
from docgen.problems import Problem, unique
from docgen.progress import Reporter
from docgen.scan import scan
from docgen.scan.finder import MARKDOWN_SUFFIXES, Found, find_files


@dataclass
class BuildReport:
    """What a build did, for people (`summary`) and scripts (`--json`)."""

    status: str = "built"  # "built", "unchanged"
    pages: int = 0
    pages_written: list[str] = field(default_factory=list)
    dirty: bool = False
    shards: int = 0  # MkDocs processes the build used
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    site_dir: str = ""

    def summary(self) -> str:
        """One line for people."""
        if self.status == "unchanged":
            return f"Nothing changed since the last build; {self.site_dir} is up to date ({self.seconds:.2f} s)."
        mode = "changed pages only" if self.dirty else f"full site, {self.shards} MkDocs processes"
        return (
            f"Built {self.site_dir}: {self.pages} reference pages, {len(self.pages_written)} written "
            f"({mode}), {self.count('skipped')} files skipped, {self.count('read-in-part')} read in part, "
            f"{len(self.problems)} problems in all, in {self.seconds:.2f} s."
        )

    def count(self, code: str) -> int:
        """How many problems of one kind the build found."""
        return sum(1 for problem in self.problems if problem.code == code)

    def as_dict(self) -> dict:
        """The report as plain data."""
        return {**asdict(self), "problems": [problem.as_dict() for problem in self.problems]}


def inputs_digest(config: Config, found: Found) -> str:
    """A digest of everything a build reads: the scanned files, the docs folder's other
    files (stylesheets, images), the settings, mkdocs.yml and docgen's version."""
    settings = {key: str(value) for key, value in asdict(config).items() if key != "overridden"}
    mkdocs_yml = config.root / "mkdocs.yml"
    mkdocs_text = mkdocs_yml.read_text(encoding="utf-8", errors="replace") if mkdocs_yml.is_file() else ""
    files = [f"{f.path}:{f.digest}" for f in found.files] + [str(s) for s in found.problems]
    return digest(__version__, repr(sorted(settings.items())), mkdocs_text, *files, *_asset_stamps(config))


def _asset_stamps(config: Config) -> list[str]:
    """Path, size and mtime of every non-Markdown file in the docs folder: cheap to take,
    and any edit to a stylesheet, image or template changes one."""
    docs, stamps = config.docs_path, []
    for directory, _, filenames in os.walk(docs):
        for name in filenames:
            if not name.endswith(MARKDOWN_SUFFIXES):
                path = Path(directory, name)
                try:
                    stat = path.stat()
                except OSError:
                    continue
                stamps.append(f"{path.relative_to(docs).as_posix()}:{stat.st_size}:{stat.st_mtime_ns}")
    return sorted(stamps)


def _up_to_date(config: Config, record: BuildRecord, inputs: str) -> bool:
    """Whether the last build already made exactly what this one would."""
    if record.inputs != inputs or not (config.site_path / "index.html").is_file():
        return False
    return all((config.docs_path / path).is_file() for path in record.pages)


def build(config: Config, *, force: bool = False, reporter: Reporter | None = None) -> BuildReport:
    """Build the documentation site of the project `config` describes."""
    from docgen.publish.docs import with_home_page, write_docs
    from docgen.publish.mkdocs_yml import build_nav, write_mkdocs_yml
    from docgen.publish.site import build_site

    reporter = reporter or Reporter()
    start = time.perf_counter()
    report = BuildReport(site_dir=_shown(config.site_path))
    check_root(config.root)
    found = find_files(config)
    record = load_record(config.cache_path)
    if not force and _up_to_date(config, record, inputs_digest(config, found)):
        report.status = "unchanged"
        report.problems = list(record.problems)
        report.seconds = time.perf_counter() - start
        return report

    with reporter.task("Scanning", len(found.files)) as advance:
        project = scan(config, found, advance)
    report.problems = list(project.problems)
    if not project.symbols and not project.documents:
        raise InputError("nothing to document: no source files or Markdown found", file=str(config.root))

    options = RenderOptions(config.reference_dir, config.repo_url, config.repo_branch, config.show_private)
    result = render_pages(project, options)
    report.pages = len(result.pages)
    report.problems += result.broken_references
    documents = with_home_page(config, project.documents)
    try:
        report.pages_written = write_docs(config, result.pages, documents, set(record.pages))
        nav = build_nav(config, result.pages, documents)
        mkdocs_yml = digest(write_mkdocs_yml(config, nav, len(result.pages)))
    except OSError as error:
        raise PublishError(f"cannot write the docs: {error.strerror or error}", file=error.filename) from None
    nav_digest = digest(repr(nav))
    # Anything beyond a page's own content (nav, theme, settings) shows on every page: full build.
    dirty = not force and bool(record.pages) and mkdocs_yml == record.mkdocs_yml and nav_digest == record.nav
    for path in report.pages_written:
        reporter.detail(f"  wrote {path}")
    reporter.detail("Only pages whose Markdown changed are re-rendered." if dirty else "Rendering every page.")
    with reporter.step("Building the site with MkDocs"):
        site = build_site(config, dirty=dirty, pages=len(result.pages))
    report.dirty = site.dirty
    report.shards = site.shards
    report.problems = unique(report.problems + site.warnings)
    pages = {page.path: page.digest for page in result.pages}
    # Digest the inputs as scanned (a file edited during the build is rebuilt next time),
    # with mkdocs.yml as this build left it.
    save_record(
        config.cache_path,
        BuildRecord(inputs_digest(config, found), nav_digest, mkdocs_yml, pages, report.problems),
    )
    report.seconds = time.perf_counter() - start
    return report


def check_root(root: Path) -> None:
    """Fail with one line when the path to document is missing or not a folder."""
    if not root.exists():
        raise InputError("no such directory", file=str(root))
    if not root.is_dir():
        raise InputError("not a directory", file=str(root))


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return str(path)

