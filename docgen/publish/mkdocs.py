"""MkDocs: write the docs folder and mkdocs.yml, then build the site in-process.

The docs folder holds plain Markdown and mkdocs.yml uses only Material features and the
search plugin, so the same folder builds with MkDocs today and with Zensical tomorrow.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.config import Config
from docgen.errors import ConfigError, PublishError
from docgen.generate.reference import Page
from docgen.model import Document
from docgen.publish.files import write_atomic, write_if_changed
from docgen.scan.markdown import GENERATED_HOME_MARKER

REQUIRED_EXTENSIONS = ("attr_list", "admonition", "tables", "toc")
SECTION_LABELS = {"source": "Source files", "api": "HTTP APIs"}


def write_docs(config: Config, pages: tuple[Page, ...], documents: tuple[Document, ...]) -> list[str]:
    """Write generated pages, and the home page when it does not come from the docs folder
    (the README, or a generated one: see `with_home_page`).

    Returns the paths written; unchanged pages are left alone, stale generated pages removed.
    """
    docs = config.docs_path
    written = [page.path for page in pages if write_if_changed(docs / page.path, page.markdown)]
    reference = docs / config.reference_dir
    keep = {docs / page.path for page in pages}
    if reference.is_dir():
        for stale in [p for p in reference.rglob("*.md") if p not in keep]:
            stale.unlink()
            written.append(stale.relative_to(docs).as_posix())
    docs_prefix = config.docs_dir.strip("/") + "/"
    for document in documents:
        if not document.source.startswith(docs_prefix):
            if write_if_changed(docs / document.path, f"{GENERATED_HOME_MARKER}\n\n{document.text}"):
                written.append(document.path)
    return written


def with_home_page(config: Config, documents: tuple[Document, ...]) -> tuple[Document, ...]:
    """`documents`, with a generated home page first when neither the docs nor a README
    provide one: MkDocs makes `index.html` only from `index.md`."""
    if any(d.path in ("index.md", "README.md") for d in documents):
        return documents
    reference = f"{config.reference_dir.strip('/')}/index.md"
    text = f"# {config.name}\n\nThe [reference]({reference}) documents the code of {config.name}.\n"
    return (Document(path="index.md", source="", title=config.name, text=text), *documents)


def build_nav(config: Config, pages: tuple[Page, ...], documents: tuple[Document, ...]) -> list[Any]:
    """The navigation: the user's pages first, then the reference nested by package/folder."""
    nav: list[Any] = [{d.title: d.path} for d in documents]
    prefix = config.reference_dir.strip("/") + "/"
    tree: dict[str, Any] = {}
    for page in pages:
        parts = page.path.removeprefix(prefix).split("/")
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = page
    nav.append({config.nav_title: _nav_entries(tree, top=True)})
    return nav


def _nav_entries(tree: dict[str, Any], top: bool = False) -> list[Any]:
    entries: list[Any] = []
    index = tree.get("index.md")
    if isinstance(index, Page):
        entries.append({"Overview": index.path} if top else index.path)
    for name, node in sorted(tree.items(), key=lambda item: (isinstance(item[1], dict), item[0])):
        if name == "index.md":
            continue
        if isinstance(node, dict):
            label = SECTION_LABELS.get(name, name) if top else name
            entries.append({label: _nav_entries(node)})
        else:
            entries.append({_short_title(node): node.path})
    return entries


def _short_title(page: Page) -> str:
    title = page.title.strip("`")
    if "/" in title:
        return title.rsplit("/", 1)[-1]
    return title.rsplit(".", 1)[-1] if page.symbol_id and "::" not in page.symbol_id else title


def write_mkdocs_yml(config: Config, nav: list[Any], page_count: int) -> bool:
    """Write mkdocs.yml, or merge into the user's own without losing their settings.

    Returns whether the file changed.
    """
    path = config.root / "mkdocs.yml"
    yaml = _yaml()
    data: Any = {}
    original = ""
    if path.is_file():
        original = path.read_text(encoding="utf-8")
        try:
            data = yaml.load(original) or {}
        except Exception as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(error, "problem", None) or str(error).splitlines()[0]
            raise ConfigError(f"invalid YAML: {problem}", file=str(path), line=line) from None
        if not isinstance(data, dict):
            raise ConfigError("mkdocs.yml must be a mapping", file=str(path))
    _merge(data, config, nav, page_count)
    stream = io.StringIO()
    yaml.dump(data, stream)
    text = stream.getvalue()
    if text == original:
        return False
    write_atomic(path, text)
    return True


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip: keeps the user's comments, order and custom tags
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def _merge(data: dict[str, Any], config: Config, nav: list[Any], page_count: int) -> None:
    data.setdefault("site_name", config.name)
    if config.repo_url:
        data.setdefault("repo_url", config.repo_url)
    if config.docs_dir != "docs" or "docs_dir" in data:
        data["docs_dir"] = config.docs_dir
    theme = data.get("theme")
    if theme is None or theme == "material":
        data["theme"] = theme = {"name": "material"}
    if isinstance(theme, dict) and theme.get("name") == "material":
        theme.setdefault("font", False)  # Material fetches fonts from a CDN otherwise
        features = theme.setdefault("features", [])
        wanted = ["navigation.indexes", "content.code.copy"]
        if page_count > 100:  # the sidebar costs pages squared to render: show only the open branch
            wanted.append("navigation.prune")
        features.extend(f for f in wanted if f not in features)
    plugins = data.setdefault("plugins", ["search"])
    names = [next(iter(p)) if isinstance(p, dict) else p for p in plugins]
    if "search" not in names:
        plugins.insert(0, "search")
    extensions = data.setdefault("markdown_extensions", [])
    present = {next(iter(e)) if isinstance(e, dict) else e for e in extensions}
    for name in REQUIRED_EXTENSIONS:
        if name not in present:
            extensions.append({"toc": {"permalink": True}} if name == "toc" else name)
    user_nav = data.get("nav")
    reference = nav[-1]
    if not user_nav:
        data["nav"] = nav
        return
    for position, entry in enumerate(user_nav):
        if isinstance(entry, dict) and config.nav_title in entry:
            user_nav[position] = reference
            return
    user_nav.append(reference)


@dataclass
class SiteResult:
    """What a MkDocs build reported."""

    warnings: list[str] = field(default_factory=list)
    dirty: bool = False


def build_site(config: Config, *, strict: bool, dirty: bool) -> SiteResult:
    """Build the site with MkDocs in this process, into a temporary folder, then swap it in.

    A dirty build re-renders only pages whose Markdown is newer than their HTML and then
    merges the search index, so the index stays whole (MkDocs' own --dirty loses it).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    from docgen.publish.template_cache import TemplateCache

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    site = config.site_path
    dirty = dirty and (site / "index.html").is_file()
    result = SiteResult(dirty=dirty)
    staging: Path | None = None
    collector = _WarningCollector(result.warnings)
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(collector)
    mkdocs_logger.propagate = False
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(_drop_dirty_notice)
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=site.parent, prefix=f".{site.name}.", suffix=".tmp"))
        if dirty:
            shutil.rmtree(staging)
            shutil.copytree(site, staging)  # copy2 keeps mtimes, which dirty builds compare
            old_index = _read_search_index(staging)
        mkdocs_config = load_config(str(config.root / "mkdocs.yml"), site_dir=str(staging), strict=strict)
        mkdocs_config.plugins["docgen-template-cache"] = TemplateCache()
        mkdocs_config.plugins.on_startup(command="build", dirty=dirty)
        try:
            build(mkdocs_config, dirty=dirty)
        finally:
            mkdocs_config.plugins.on_shutdown()
        if dirty:
            _merge_search_index(staging, old_index)
        _swap(staging, site)
    except Abort as error:
        raise PublishError(f"MkDocs stopped: {error}") from None
    except MkDocsException as error:
        raise PublishError(f"MkDocs failed: {error}") from None
    except OSError as error:
        raise PublishError(f"cannot write the site: {error.strerror or error}", file=error.filename) from None
    except Exception as error:  # a Markdown extension or theme crashing on some page's content
        raise PublishError(f"MkDocs crashed: {type(error).__name__}: {error}") from None
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)  # a failed build leaves the old site as it was
        mkdocs_logger.removeHandler(collector)
        mkdocs_logger.propagate = True
        build_logger.removeFilter(_drop_dirty_notice)
    return result


def _drop_dirty_notice(record: logging.LogRecord) -> bool:
    # MkDocs warns that dirty builds break navigation and search; docgen only builds dirty
    # when the nav is unchanged and it repairs the search index, so the warning is moot.
    return "'dirty' build" not in record.getMessage()


class _WarningCollector(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(" ".join(record.getMessage().split()))


def _read_search_index(site: Path) -> dict[str, Any] | None:
    try:
        return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _merge_search_index(site: Path, old: dict[str, Any] | None) -> None:
    """Keep the old entries of every page the dirty build did not re-render."""
    new = _read_search_index(site)
    if old is None or new is None:
        return
    rebuilt = {doc["location"].split("#")[0] for doc in new.get("docs", [])}
    kept = [doc for doc in old.get("docs", []) if doc["location"].split("#")[0] not in rebuilt]
    new["docs"] = kept + new.get("docs", [])
    write_atomic(site / "search" / "search_index.json", json.dumps(new, separators=(",", ":")))


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
