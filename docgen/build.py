"""`docgen build`: scan, render the reference, write the docs, build the site, incrementally.

A build whose inputs (every scanned file, the docs folder, the config, mkdocs.yml, docgen's
version, and the examples and tests guides are drafted from) hash to the last successful build's does nothing at all. Otherwise only the docs
files whose content changed are re-rendered by MkDocs, unless the navigation, the set of
docs files or mkdocs.yml changed, or a plugin needs to see the whole site.

Nothing is written before everything is checked: the site folder, the files in the way of
docgen's pages, the merged mkdocs.yml (loaded by MkDocs itself). A build that fails after
writing puts the docs folder and mkdocs.yml back as they were.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.cache import BuildRecord, digest, toolchain_digest, load_pages, load_record, make_cache_dir, save_pages, save_record
from docgen.config import Config, check_root
from docgen.errors import InputError, PublishError
from docgen.files import Background, exclusive_lock
from docgen.generate.external_links import inventories_current, load_external_links
from docgen.generate.links import LinkIndex
from docgen.generate.reference import RenderOptions, plan_pages, render_pages
from docgen.model import Document, Project
from docgen.problems import Problem, unique
from docgen.progress import Reporter
from docgen.scan import scan
from docgen.scan.finder import MARKDOWN_SUFFIXES, Found, FoundFile, content_digest, find_files
from docgen.scan.usage import read_usage_files

if TYPE_CHECKING:
    from docgen.generate.prose.docstrings import DocstringsResult
    from docgen.generate.prose.guides import DraftCache, GuidePage, GuidesResult, LLMStats, OpenModel
    from docgen.generate.prose.verify import Names
    from docgen.generate.prose.plan import GuidePlan
    from docgen.publish.mkdocs_yml import MergedConfig
    from docgen.publish.mkdocs_config import SiteFacts


@dataclass
class BuildReport:
    """What a build did, for people (`summary`) and scripts (`--json`)."""

    status: str = "built"  # "built", "unchanged"
    pages: int = 0
    pages_written: list[str] = field(default_factory=list)
    dirty: bool = False
    shards: int = 0  # MkDocs processes the build used
    builder: str = "mkdocs"  # what built the site
    problems: list[Problem] = field(default_factory=list)
    mkdocs_yml_added: list[str] = field(default_factory=list)  # what docgen added to the user's mkdocs.yml
    guides: int = 0  # guides published
    guides_drafted: list[str] = field(default_factory=list)  # drafted or re-drafted by this build
    docstrings: int = 0  # drafted docstrings shown on the reference pages
    docstrings_drafted: list[str] = field(default_factory=list)  # symbol ids drafted or re-drafted by this build
    llm: dict[str, Any] = field(default_factory=dict)  # calls, prompt_tokens, completion_tokens, cached, seconds, model
    index: dict[str, Any] = field(default_factory=dict)  # chunks, embedded, deleted, seconds, store (empty: not indexed)
    seconds: float = 0.0
    site_dir: str = ""

    def summary(self) -> str:
        """One line for people."""
        if self.status == "unchanged":
            return f"Nothing changed since the last build; {self.site_dir} is up to date ({self.seconds:.2f} s)."
        mode = "changed pages only" if self.dirty else f"full site, {self.shards} MkDocs processes" if self.builder == "mkdocs" else f"full site, {self.builder}"
        guides = f"{self.guides} guides ({len(self.guides_drafted)} drafted), " if self.guides or self.guides_drafted else ""
        if self.docstrings or self.docstrings_drafted:
            guides += f"{self.docstrings} docstring drafts ({len(self.docstrings_drafted)} drafted), "
        if self.llm.get("calls"):
            guides += f"{self.llm['calls']} LLM calls, "
        return (
            f"Built {self.site_dir}: {self.pages} reference pages, {guides}{len(self.pages_written)} written "
            f"({mode}), {self.count('skipped')} files skipped, {self.count('read-in-part')} read in part, "
            f"{len(self.problems)} problems in all, in {self.seconds:.2f} s."
            + (f" Knowledge base: {self.index['chunks']} chunks ({self.index['embedded']} embedded)." if self.index else "")
        )

    def count(self, code: str) -> int:
        """How many problems of one kind the build found."""
        return sum(1 for problem in self.problems if problem.code == code)

    def as_dict(self) -> dict:
        """The report as plain data."""
        return {**asdict(self), "problems": [problem.as_dict() for problem in self.problems]}


def inputs_digest(
    config: Config, found: Found, docs: dict[str, str], watched: dict[str, str], usage: tuple[FoundFile, ...] = ()
) -> str:
    """A digest of everything a build reads: the scanned files, the docs folder's other
    files (stylesheets, images; `docs` holds their digests, see `docs_digests`), the
    settings, mkdocs.yml, the files MkDocs reads beyond them (`watched`, see
    `_tree_digests`: theme overrides, INHERIT parents, hooks), the example and test files
    guides are drafted from (`usage`), the inventories read from the project's files, and
    the toolchain (docgen, MkDocs and its plugins)."""
    files = sorted(f"{f.path}:{f.digest}" for f in found.files) + [str(s) for s in found.problems]
    assets = [f"{path}:{value}" for path, value in docs.items() if not path.endswith(MARKDOWN_SUFFIXES)]
    others = [f"{path}:{value}" for path, value in watched.items()]
    examples = [f"usage {f.path}:{f.digest}" for f in usage]
    inventories = [f"inventory {source.file}:{_file_digest(config.root, config.root / source.file)}" for source in config.inventories if source.file]
    return digest(toolchain_digest(), _settings(config), _mkdocs_yml_text(config), *files, *assets, *others, *examples, *inventories)


def _settings(config: Config) -> str:
    # The knowledge base's settings change no page: the index keeps its own record (see `_index_current`).
    return repr(sorted((key, str(value)) for key, value in asdict(config).items() if key not in ("overridden", "index")))


def _mkdocs_yml_text(config: Config) -> str:
    path = config.mkdocs_yml_path
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


def docs_digests(config: Config, *, markdown: bool = True) -> dict[str, str]:
    """Every file of the docs folder (relative to it) and a digest of its content; files
    that link outside the project are listed, never read. `markdown=False` leaves out the
    Markdown pages, which the scan reads and digests itself."""
    digests = {
        rel: value
        for rel, value in _walk_digests(config.root, config.docs_path).items()
        if markdown or not rel.endswith(MARKDOWN_SUFFIXES)
    }
    return dict(sorted(digests.items()))


def _merge_key(config: Config, nav: list, owned: frozenset[str], watched: dict[str, str]) -> str:
    """Everything merging mkdocs.yml and checking it with MkDocs depend on: a build whose
    key is the last one's would write the file as it is and learn what it learnt."""
    return digest(toolchain_digest(), _settings(config), _mkdocs_yml_text(config), repr(nav), repr(sorted(owned)), repr(watched))


def _tree_digests(config: Config, paths: list[str]) -> dict[str, str]:
    """Content digests of the files at or under `paths` (relative to the project root)."""
    digests: dict[str, str] = {}
    for path in paths:
        for rel, value in _walk_digests(config.root, config.root / path).items():
            digests[f"{path}/{rel}" if rel else path] = value
    return dict(sorted(digests.items()))


def _walk_digests(root: Path, top: Path) -> dict[str, str]:
    """Every file at or under `top`, relative to it, with a digest of its content.

    Folder links are followed as MkDocs follows them, once each; a file or folder that
    leads out of the project is listed, never read.
    """
    if top.is_file():
        return {"": _file_digest(root, top)}
    digests, seen = {}, set()
    for directory, dirnames, filenames in os.walk(top, followlinks=True):
        real = os.path.realpath(directory)
        if real in seen or not Path(real).is_relative_to(root):
            dirnames[:] = []
            continue
        seen.add(real)
        for name in filenames:
            path = Path(directory, name)
            digests[path.relative_to(top).as_posix()] = _file_digest(root, path)
    return digests


def _file_digest(root: Path, path: Path) -> str:
    if not path.resolve().is_relative_to(root):
        return "outside"
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return "unreadable"


def build(
    config: Config, *, force: bool = False, reporter: Reporter | None = None, llm_budget: int | None = None
) -> BuildReport:
    """Build the documentation site of the project `config` describes; `llm_budget` caps
    the tokens drafting guides may spend (the most important are drafted first)."""
    from docgen.publish.site_folder import check_site_dir

    reporter = reporter or Reporter()
    start = time.perf_counter()
    check_root(config.root)
    found = find_files(config)
    check_site_dir(config, [file.path for file in found.files])
    usage = read_usage_files(config) if config.guides_enabled else ()
    with exclusive_lock(make_cache_dir(config.cache_path) / "build.lock", "another docgen build"):
        background = Background()  # writes the caches while the build goes on
        try:
            report = _build(config, found, usage, force, reporter, background, llm_budget)
        finally:
            background.wait()
    report.seconds = time.perf_counter() - start
    return report


def _build(
    config: Config,
    found: Found,
    usage: tuple[FoundFile, ...],
    force: bool,
    reporter: Reporter,
    background: Background,
    llm_budget: int | None,
) -> BuildReport:
    from docgen.publish.docs import DocsWriter, plan_docs, with_home_page
    from docgen.publish.mkdocs_config import SiteFacts
    from docgen.publish.mkdocs_yml import MergedConfig, build_nav, merge_mkdocs_yml
    from docgen.publish.inventory import NAME as INVENTORY, inventory, project_version
    from docgen.publish.site import build_site

    report = BuildReport(site_dir=_shown(config.site_path))
    record = load_record(config.cache_path)
    watched_before = _tree_digests(config, record.watched)  # what the last build's MkDocs read
    inputs_before = inputs_digest(config, found, docs_digests(config, markdown=False), watched_before, usage)
    if not force and _up_to_date(config, record, inputs_before) and _index_current(config, record):
        report.status = "unchanged"
        report.problems = list(record.problems)
        return report

    with reporter.task("Scanning", len(found.files)) as advance:
        project = scan(config, found, advance, keep_scan=True, fresh=force, save=background.run)
    if not project.symbols and not project.documents:
        raise InputError("nothing to document: no source files or Markdown found", file=str(config.root))
    options = RenderOptions.of(config)
    external, external_problems = load_external_links(config)
    planned = plan_pages(project, options, external)
    # Drafted before the reference is rendered: its pages show the docstring drafts.
    guides, docstrings = _drafts(config, project, found, planned[1], usage, reporter, llm_budget)
    result = render_pages(project, options, reuse=None if force else load_pages(config.cache_path), drafts=docstrings.drafts, plan=planned)
    report.pages = len(result.pages)
    report.guides, report.guides_drafted = len(guides.pages), guides.drafted
    report.docstrings, report.docstrings_drafted = len(docstrings.drafts), docstrings.drafted
    report.llm = {**asdict(_spent(guides.stats, docstrings.stats)), "drafted": len(guides.drafted) + len(docstrings.drafted)}
    guide_paths = {guide.path for guide in guides.pages}
    retired, retired_problems = _retired_guides(config, project, guide_paths)
    documents = with_home_page(config, tuple(d for d in project.documents if d.path not in guide_paths | retired))
    data, owned_data = _docstrings_file(config, docstrings)
    data.update(_llms_files(config, project, result.pages, documents, guides.pages, record.owned))
    plan = plan_docs(config, result.pages, documents, [*record.owned, *owned_data, *retired], guides.pages, data)
    nav = build_nav(config, result.pages, documents, guides.pages)
    owned_now = frozenset(page.path for page in result.pages) | frozenset(record.owned)
    merge_key = _merge_key(config, nav, owned_now, watched_before)
    if not force and merge_key == record.merge_key:
        # As the last build left it, and checked then: loading it with MkDocs again would
        # cost a quarter of a one-docstring rebuild to learn nothing new.
        text = _mkdocs_yml_text(config)
        merged = MergedConfig(config.mkdocs_yml_path, text, text, ())
        facts = SiteFacts(record.whole_site, record.watched)
    else:
        merged = merge_mkdocs_yml(config, nav, len(result.pages), owned=owned_now)
        # A file docgen writes whole uses Material, search and nothing of the user's:
        # nothing for MkDocs to find wrong, nothing beyond the docs folder to watch.
        facts = SiteFacts(False, []) if merged.original is None else _validate(config, merged)
    if merged.added and merged.original is not None:
        reporter.info(f"{_shown(merged.path)}: {_what_changed(merged.added)}")
        report.mkdocs_yml_added = list(merged.added)

    writer = DocsWriter(config)
    try:
        try:
            report.pages_written = writer.apply(plan)
            if merged.changed:
                writer.write(merged.path, merged.text)
        except OSError as error:
            raise PublishError(f"cannot write the docs: {error.strerror or error}", file=error.filename) from None
        docs = docs_digests(config)
        mkdocs_yml = digest(merged.text)
        nav_digest = digest(repr(nav))
        watched = _tree_digests(config, facts.watched)
        watched_digest = digest(repr(watched))
        # Anything beyond a page's own content (nav, theme and its overrides, settings, the
        # set of files, the site folder) shows on every page: full build.
        incremental = (
            not force
            and not facts.whole_site
            and record.site == str(config.site_path)
            and bool(record.docs)
            and mkdocs_yml == record.mkdocs_yml
            and nav_digest == record.nav
            and watched_digest == record.watched_digest
            and record.toolchain == toolchain_digest()
            and docs.keys() == record.docs.keys()
        )
        changed = frozenset(path for path, value in docs.items() if record.docs.get(path) != value)
        for path in report.pages_written:
            reporter.detail(f"  wrote {path}")
        with reporter.step(f"Building the site with {'Zensical' if config.builder == 'zensical' else 'MkDocs'}"):
            extra = {INVENTORY: inventory(config.name, project_version(config.root), project.walk(), result.index)}
            site = build_site(config, changed=changed if incremental else None, pages=len(result.pages), whole=facts.whole_site, extra=extra)
    except BaseException:
        writer.undo()
        raise
    report.dirty = site.dirty
    report.shards = site.shards
    report.builder = config.builder
    kept = _unrendered_page_problems(config, record.problems, site.rendered, docs) if site.dirty else []
    report.problems = unique(
        [*project.problems, *external_problems, *docstrings.problems, *result.broken_references, *guides.problems, *retired_problems, *plan.problems, *kept, *site.problems]
    )
    owned = sorted(plan.writes)
    background.run(lambda: save_pages(config.cache_path, result.rendered))
    # Digest the inputs as scanned (a file edited during the build is rebuilt next time),
    # with mkdocs.yml as this build left it.
    inputs_after = inputs_digest(config, _with_guides(config, found, guides), docs, watched, usage)
    save_record(
        config.cache_path,
        BuildRecord(
            inputs=inputs_after,
            nav=nav_digest,
            mkdocs_yml=mkdocs_yml,
            docs=docs,
            owned=owned,
            problems=report.problems,
            site=str(config.site_path),
            watched=facts.watched,
            watched_digest=watched_digest,
            # As the next build will compute it, with this build's manifest.
            toolchain=toolchain_digest(),
            merge_key=_merge_key(config, nav, frozenset(page.path for page in result.pages) | frozenset(owned), watched),
            whole_site=facts.whole_site,
            llm=report.llm,
        ),
    )
    if config.index.enabled:
        pages = [*documents, *(_guide_document(config, guide) for guide in guides.pages)]
        from docgen.index.store import StoreError

        try:
            report.index = _index(config, project, planned[1], pages, docstrings.drafts, inputs_after, reporter)
        except StoreError as error:  # the site stands; the next build tries the index again
            report.problems.append(Problem("index", error.message, file=error.file or ""))
    return report


def index_project(config: Config, reporter: Reporter | None = None) -> dict[str, Any]:
    """Fill the knowledge base from the project as it is on disk, without building the site:
    its symbols, its Markdown pages (the guides committed among them) and its committed
    docstring drafts. Returns what `update_index` reports."""
    from docgen.generate.prose.docstring_store import read_store_file
    from docgen.generate.prose.docstrings import store_path
    from docgen.publish.docs import with_home_page

    from docgen.index.knowledge import index_key, indexed_key, index_summary

    reporter = reporter or Reporter()
    check_root(config.root)
    start = time.perf_counter()
    found = find_files(config)
    # What the chunks are made of: the files read, the docs folder, the settings, docgen.
    inputs = inputs_digest(config, found, docs_digests(config), {})
    if indexed_key(config) == index_key(config, inputs):
        return {**index_summary(config), "seconds": time.perf_counter() - start}
    with reporter.task("Scanning", len(found.files)) as advance:
        project = scan(config, found, advance, keep_scan=True)
    if not project.symbols and not project.documents:
        raise InputError("nothing to document: no source files or Markdown found", file=str(config.root))
    options = RenderOptions.of(config)
    _, links = plan_pages(project, options)
    drafts_file = store_path(config.guides_dir.strip("/"))
    store = read_store_file(config.docs_path / drafts_file, drafts_file)
    documents = list(with_home_page(config, project.documents))
    return _index(config, project, links, documents, store.drafts if store else {}, inputs, reporter)


def _index(
    config: Config, project: Project, links: LinkIndex, documents: list[Document], drafts: dict[str, Any], inputs: str, reporter: Reporter
) -> dict[str, Any]:
    """Bring the knowledge base up to date (see `docgen.index.knowledge`) with the symbols
    of `project` and the pages of `documents`, made from the build inputs `inputs`."""
    from docgen.index.chunk import project_chunks
    from docgen.index.knowledge import update_index

    chunks = project_chunks(project, links, documents, drafts, config.show_private)
    return asdict(update_index(config, chunks, inputs=inputs, reporter=reporter))


def _index_current(config: Config, record: BuildRecord) -> bool:
    """Whether the knowledge base holds what the last build made (or none is wanted)."""
    if not config.index.enabled:
        return True  # and nothing of the knowledge base imported: numpy alone costs a no-change build a third
    from docgen.index.knowledge import index_key, indexed_key

    return indexed_key(config) == index_key(config, record.inputs)


def _guide_document(config: Config, guide: GuidePage) -> Document:
    return Document(path=guide.path, source=f"{config.docs_dir.strip('/')}/{guide.path}", title=guide.title, text=guide.text)


def _drafts(
    config: Config,
    project: Project,
    found: Found,
    index: LinkIndex,
    usage: tuple[FoundFile, ...],
    reporter: Reporter,
    budget: int | None,
    *,
    open_model: OpenModel | None = None,
    cache: DraftCache | None = None,
) -> tuple[GuidesResult, DocstringsResult]:
    """The guides and docstring drafts of the build: current ones as they are, the others
    drafted by the configured model (opened once, and only if something must be drafted),
    guides first: within a budget they matter more. `usage` holds the examples and tests
    the tutorial and how-tos are drafted from; `open_model` and `cache`, when given,
    replace the configured model and the build's draft cache."""
    from docgen.generate.prose.docstrings import DocstringsResult
    from docgen.generate.prose.guides import DraftCache, GuidesResult

    if not any(symbol.language == "python" for symbol in project.symbols):
        return GuidesResult(), DocstringsResult()
    if not config.guides_enabled:
        reporter.info("Guides: none drafted (llm = none): the reference only")
        return GuidesResult(), DocstringsResult()
    names = draft_names(config, project, index)
    model = _SharedModel(config, reporter)
    opener = open_model or model.open
    cache = cache or DraftCache(config.cache_path / "drafts.json")  # one for both: each keeps the file whole
    try:
        guides = _guides(config, project, guide_plans(config, project, index, usage), names, opener, cache, reporter, budget)
        left = None if budget is None else max(0, budget - guides.stats.tokens)
        docstrings = _docstrings(config, project, found, names, opener, cache, reporter, left)
    finally:
        model.close()
    return guides, docstrings


def stale_drafts(config: Config, project: Project, found: Found, index: LinkIndex) -> list[Problem]:
    """The committed guides and docstring drafts whose evidence changed since they were
    drafted, as `docgen build` would find them, without opening a model or writing anything.
    A project that commits none is not planned for (planning reads its examples and tests)."""
    from docgen.generate.llm.base import LLMError
    from docgen.generate.prose.guides import DraftCache

    if not (config.docs_path / config.guides_dir).is_dir():
        return []

    def no_model() -> None:
        raise LLMError("a check drafts nothing; `docgen build` drafts it again")

    with tempfile.TemporaryDirectory(prefix="docgen-check-") as scratch:
        guides, docstrings = _drafts(
            config, project, found, index, read_usage_files(config), Reporter(verbosity=0), None, open_model=no_model, cache=DraftCache(Path(scratch, "drafts.json"))
        )
    return [problem for problem in [*guides.problems, *docstrings.problems] if problem.code != "llm"]


class _SharedModel:
    """The configured model, opened on the first draft that needs one and kept for the
    rest of the build's drafts (a failure to open it is not tried twice)."""

    def __init__(self, config: Config, reporter: Reporter) -> None:
        self.config = config
        self.reporter = reporter
        self.opened = False
        self.model: Any = None
        self.error: Exception | None = None  # why it could not be opened

    def open(self) -> Any:
        from docgen.generate.llm import LLMError, open_llm

        if not self.opened:
            self.opened = True
            self.reporter.info(f"Loading the model ({self.config.llm.backend})...")
            try:
                self.model = open_llm(self.config.llm, self.config.root)
            except LLMError as error:  # each kind of draft that needed the model says what it lost
                self.error = error
        if self.error is not None:
            raise self.error
        return self.model

    def close(self) -> None:
        if self.model is not None:
            self.model.close()


def draft_names(config: Config, project: Project, index: LinkIndex) -> Names:
    """What drafted text may name: the project's documented symbols and parameters, the
    standard library, and the dependencies its pyproject.toml declares."""
    from docgen.generate.prose.verify import declared_dependencies, names_for

    pyproject = config.root / "pyproject.toml"
    dependencies = declared_dependencies(pyproject.read_text(encoding="utf-8")) if pyproject.is_file() else frozenset()
    return names_for(project, index, dependencies)


def scanned_project(config: Config, *, call_graph: bool = False) -> tuple[Project, LinkIndex]:
    """The project as it is on disk (the scan cache makes it quick), and where its symbols
    are documented; with what its Python functions call when `call_graph`."""
    project = scan(config, find_files(config), lambda _item: None, keep_scan=True, call_graph=call_graph)
    _, links = plan_pages(project, RenderOptions.of(config))
    return project, links


def project_names(config: Config) -> Names:
    """What text about the project may name (see `draft_names`), from a scan of it as it is."""
    return draft_names(config, *scanned_project(config))


def guide_plans(config: Config, project: Project, index: LinkIndex, usage: tuple[FoundFile, ...]) -> list[GuidePlan]:
    """The guides the project gets (see `docgen.generate.prose.plan`), drafted from its
    README and the examples and tests in `usage` (see `docgen.scan.usage`)."""
    from docgen.generate.prose.plan import plan_guides
    from docgen.scan.rst_readme import rst_as_markdown

    readme = next(((d.source, d.text) for d in project.documents if d.source.lower() == "readme.md"), None)
    rst = next((f for f in usage if f.language == "rst"), None)
    if readme is None and rst is not None:  # a README MkDocs cannot publish: still the project's own account
        readme = (rst.path, rst_as_markdown(rst.text))
    python = tuple(f for f in usage if f.language == "python")
    return plan_guides(project, index, config.guides_dir.strip("/"), readme, python, config.diagrams)


def _guides(
    config: Config,
    project: Project,
    plans: list[GuidePlan],
    names: Names,
    open_model: OpenModel,
    cache: DraftCache,
    reporter: Reporter,
    budget: int | None,
) -> GuidesResult:
    """The guides of the build (see `docgen.generate.prose.guides`)."""
    from docgen.generate.prose.examples import runner_for
    from docgen.generate.prose.guides import draft_guides

    with reporter.task("Guides", len(plans), unit="guides") as advance:
        return draft_guides(
            plans,
            config.docs_path,
            names,
            open_model,
            cache,
            project=config.name,
            budget=budget,
            advance=advance,
            docs_dir=config.docs_dir.strip("/"),
            examples=runner_for(project, config.verify.example_timeout) if config.verify.run_examples else None,
            workers=config.llm.workers,
        )


def _docstrings(
    config: Config,
    project: Project,
    found: Found,
    names: Names,
    open_model: OpenModel,
    cache: DraftCache,
    reporter: Reporter,
    budget: int | None,
) -> DocstringsResult:
    """The docstring drafts of the build (see `docgen.generate.prose.docstrings`)."""
    from docgen.generate.prose.docstring_store import read_store_file
    from docgen.generate.prose.docstring_plan import documented_ids, plan_docstrings
    from docgen.generate.prose.docstrings import draft_docstrings, store_path

    path = store_path(config.guides_dir)
    shown = f"{config.docs_dir.strip('/')}/{path}"
    store = read_store_file(config.docs_path / path, shown)
    sources = {file.path: file.text for file in found.files if file.language == "python"}
    plans = plan_docstrings(project, sources, config.show_private)
    with reporter.task("Docstrings", len(plans), unit="symbols") as advance:
        return draft_docstrings(
            plans,
            store,
            names,
            open_model,
            project=config.name,
            documented=documented_ids(project),
            shown=shown,
            cache=cache,
            budget=budget,
            advance=advance,
            workers=config.llm.workers,
        )


def _retired_guides(config: Config, project: Project, planned: set[str]) -> tuple[set[str], list[Problem]]:
    """The guides docgen drafted that no plan asks for any more (their subject is gone, or
    no longer among the most used): unedited, they are docgen's to remove (they may name
    code that no longer exists); one a person edited is kept, and reported."""
    from docgen.generate.prose.drafts import read_guide

    prefix = config.guides_dir.strip("/") + "/"
    retired, problems = set(), []
    for document in project.documents:
        if not document.path.startswith(prefix) or document.path in planned:
            continue
        guide = read_guide(document.text)
        if guide is None:
            continue  # a page of the user's own
        if guide.edited:
            message = "no longer planned (its subject is gone or no longer among the most used); edited by hand, so kept: remove it"
            problems.append(Problem("stale-guide", message, f"{config.docs_dir.strip('/')}/{document.path}"))
        else:
            retired.add(document.path)
    return retired, problems


def _docstrings_file(config: Config, docstrings: DocstringsResult) -> tuple[dict[str, str], list[str]]:
    """The drafts file to write (by docs path), and the path to count as docgen's when it
    is to go: no entry is left in it (the docs plan removes it if it is docgen's)."""
    from docgen.generate.prose.docstrings import store_path

    path = store_path(config.guides_dir)
    if docstrings.text:
        return {path: docstrings.text}, []
    return {}, [path] if docstrings.text == "" else []


def _llms_files(
    config: Config, project: Project, pages: list[Any], documents: tuple[Document, ...], guides: list[GuidePage], owned: list[str]
) -> dict[str, str]:
    """llms.txt and llms-full.txt (see `docgen.publish.llms`), but for a file of that name
    in the docs folder that docgen did not write: that one is the user's, and stays."""
    from docgen.publish.docs import written_by_docgen
    from docgen.publish.llms import llms_files

    files = llms_files(config.name, project, pages, documents, [_guide_document(config, guide) for guide in guides])
    return {path: text for path, text in files.items() if path in owned or not (config.docs_path / path).exists() or written_by_docgen(config.docs_path / path)}


def _spent(*stats: LLMStats) -> LLMStats:
    """What all of a build's drafting cost, together."""
    from docgen.generate.prose.guides import LLMStats

    total = LLMStats(model=next((s.model for s in stats if s.model), ""))
    for one in stats:
        total.calls += one.calls
        total.prompt_tokens += one.prompt_tokens
        total.completion_tokens += one.completion_tokens
        total.cached += one.cached
        total.seconds += one.seconds
    return total


def _with_guides(config: Config, found: Found, guides: GuidesResult) -> Found:
    """The files as scanned, with the guides as this build wrote them: the next build's
    finder reads them as inputs, and must find what this build left."""
    prefix = config.docs_dir.strip("/") + "/"
    written = {prefix + page.path: page.text for page in guides.pages}
    files = [file for file in found.files if file.path not in written]
    files += [FoundFile(path, "markdown", text, content_digest(text.encode("utf-8"))) for path, text in written.items()]
    return Found(tuple(files), found.problems)


def _validate(config: Config, merged: MergedConfig) -> SiteFacts:
    """Load the merged mkdocs.yml with MkDocs before anything is written (a missing plugin
    or a bad setting must stop the build while the user's files are untouched); returns
    what the build must know of it."""
    from docgen.publish.mkdocs_config import load_mkdocs_config, site_facts

    for leftover in merged.path.parent.glob(f".{merged.path.name}.*.check.tmp"):  # of a killed build
        leftover.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="docgen-check-") as scratch:
        candidate = merged.path
        if merged.changed:
            # Beside the real file, so that relative paths (INHERIT, hooks) mean the same.
            handle, name = tempfile.mkstemp(dir=merged.path.parent, prefix=f".{merged.path.name}.", suffix=".check.tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(merged.text)
            candidate = Path(name)
        try:
            docs = config.docs_path if config.docs_path.is_dir() else Path(scratch, "docs")
            docs.mkdir(exist_ok=True)
            mkdocs_config = load_mkdocs_config(config, Path(scratch, "site"), config_file=candidate, docs_dir=docs)
            return site_facts(config, mkdocs_config, candidate)
        finally:
            if candidate != merged.path:
                candidate.unlink(missing_ok=True)


def _what_changed(added: tuple[str, ...]) -> str:
    """What docgen did to a user's mkdocs.yml, in one line."""
    from docgen.publish.mkdocs_yml import REWRITTEN

    parts = [item for item in added if item != REWRITTEN]
    listed = ", ".join(parts)
    if REWRITTEN in added:
        return f"docgen {REWRITTEN}" + (f"; it added {listed}" if parts else "")
    return f"docgen added {listed}"


def _unrendered_page_problems(
    config: Config, previous: list[Problem], rendered: frozenset[str], docs: dict[str, str]
) -> list[Problem]:
    """The MkDocs problems of pages an incremental build did not re-render: still true."""
    prefix = config.docs_dir.strip("/") + "/"
    kept = []
    for problem in previous:
        page = problem.file.removeprefix(prefix)
        if problem.code == "mkdocs" and problem.file.startswith(prefix) and page in docs and page not in rendered:
            kept.append(problem)
    return kept


def _up_to_date(config: Config, record: BuildRecord, inputs: str) -> bool:
    """Whether the last build already made exactly what this one would (an inventory it
    could not fetch, or one due to be fetched again, may link more this time)."""
    if record.inputs != inputs or not (config.site_path / "index.html").is_file():
        return False
    if any(problem.code == "inventory" for problem in record.problems) or not inventories_current(config):
        return False
    return all((config.docs_path / path).is_file() for path in record.owned)


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return str(path)
