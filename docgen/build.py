"""`docgen build`: scan, render the reference, write the docs, build the site, incrementally.

A build whose inputs (every scanned file, the config, mkdocs.yml, docgen's version) hash to
the last successful build's does nothing at all. Otherwise only pages whose Markdown changed
are written, and MkDocs re-renders only those, unless the navigation or mkdocs.yml changed.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from docgen import __version__
from docgen.cache import BuildRecord, digest, load_record, save_record
from docgen.config import Config
from docgen.errors import DocgenError, InputError, PublishError
from docgen.generate.reference import RenderOptions, render_pages
from docgen.progress import Reporter
from docgen.scan import scan
from docgen.scan.finder import Found, find_files


@dataclass
class BuildReport:
    """What a build did, for people (`summary`) and scripts (`--json`)."""

    status: str = "built"  # "built", "unchanged"
    pages: int = 0
    pages_written: list[str] = field(default_factory=list)
    dirty: bool = False
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    site_dir: str = ""

    def summary(self) -> str:
        """One line for people."""
        if self.status == "unchanged":
            return f"Nothing changed since the last build; {self.site_dir} is up to date ({self.seconds:.2f} s)."
        mode = "changed pages only" if self.dirty else "full site"
        return (
            f"Built {self.site_dir}: {self.pages} reference pages, {len(self.pages_written)} written "
            f"({mode}), {len(self.skipped)} files skipped, {len(self.warnings)} warnings "
            f"in {self.seconds:.2f} s."
        )

    def as_dict(self) -> dict:
        """The report as plain data."""
        return asdict(self)


def inputs_digest(config: Config, found: Found) -> str:
    """A digest of everything a build reads: files, settings, mkdocs.yml, docgen's version."""
    settings = {key: str(value) for key, value in asdict(config).items()}
    mkdocs_yml = config.root / "mkdocs.yml"
    mkdocs_text = mkdocs_yml.read_text(encoding="utf-8", errors="replace") if mkdocs_yml.is_file() else ""
    files = [f"{f.path}:{f.digest}" for f in found.files] + [str(s) for s in found.skipped]
    return digest(__version__, repr(sorted(settings.items())), mkdocs_text, *files)


def build(config: Config, *, strict: bool = False, force: bool = False, reporter: Reporter | None = None) -> BuildReport:
    """Build the documentation site of the project `config` describes."""
    from docgen.publish.mkdocs import build_nav, with_home_page, write_docs, write_mkdocs_yml
    from docgen.publish.site import build_site

    reporter = reporter or Reporter()
    start = time.perf_counter()
    report = BuildReport(site_dir=_shown(config.site_path))
    check_root(config.root)
    found = find_files(config)
    inputs = inputs_digest(config, found)
    record = load_record(config.cache_path)
    if not force and record.inputs == inputs and (config.site_path / "index.html").is_file():
        report.status = "unchanged"
        report.seconds = time.perf_counter() - start
        return report

    with reporter.task("Scanning", len(found.files)) as advance:
        project = scan(config, found, advance)
    report.skipped = [str(s) for s in project.skipped]
    if not project.symbols and not project.documents:
        raise InputError("nothing to document: no source files or Markdown found", file=str(config.root))

    options = RenderOptions(config.reference_dir, config.repo_url, config.repo_branch, config.show_private)
    result = render_pages(project, options)
    report.pages = len(result.pages)
    report.warnings += list(result.broken_references)
    documents = with_home_page(config, project.documents)
    try:
        report.pages_written = write_docs(config, result.pages, documents)
        nav = build_nav(config, result.pages, documents)
        yml_changed = write_mkdocs_yml(config, nav, len(result.pages))
    except OSError as error:
        raise PublishError(f"cannot write the docs: {error.strerror or error}", file=error.filename) from None
    nav_digest = digest(repr(nav))
    # Anything beyond page contents (nav, theme, settings) shows on every page: full build.
    dirty = not force and bool(record.pages) and not yml_changed and nav_digest == record.nav
    for path in report.pages_written:
        reporter.detail(f"  wrote {path}")
    reporter.detail("Only pages whose Markdown changed are re-rendered." if dirty else "Rendering every page.")
    if strict and report.warnings:
        raise DocgenError(f"{len(report.warnings)} broken references in strict mode; first: {report.warnings[0]}")
    with reporter.step("Building the site with MkDocs"):
        site = build_site(config, strict=strict, dirty=dirty, pages=len(result.pages))
    report.dirty = site.dirty
    report.warnings += site.warnings
    pages = {page.path: page.digest for page in result.pages}
    # The build itself may have rewritten inputs (mkdocs.yml, the home page): record them as they are now.
    save_record(config.cache_path, BuildRecord(inputs_digest(config, find_files(config)), nav_digest, pages))
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

