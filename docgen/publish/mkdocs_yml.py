"""mkdocs.yml: the navigation docgen generates, merged into the user's own settings.

It uses only Material features and the search plugin, so the same docs folder builds with
MkDocs today and with Zensical tomorrow. `docgen.publish.site` builds it.
"""

from __future__ import annotations

import io
from typing import Any

from docgen.config import Config
from docgen.errors import ConfigError
from docgen.generate.reference import Page
from docgen.model import Document
from ruamel.yaml.comments import CommentedMap

from docgen.files import write_atomic

REQUIRED_EXTENSIONS = ("attr_list", "admonition", "tables", "toc")
NAV_MARK = "nav written by docgen: delete this line to keep your own nav (docgen then updates only its section)"
# Folders of the reference that hold no Python package: hyphens keep them apart from any
# package name (see docgen.generate.reference.page_path).
SECTION_LABELS = {"source-files": "Source files", "http-api": "HTTP APIs"}


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


def write_mkdocs_yml(config: Config, nav: list[Any], page_count: int) -> str:
    """Write mkdocs.yml, or merge into the user's own without losing their settings.

    Returns the text the file now holds.
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
    if not isinstance(data, CommentedMap):  # an empty file
        data = CommentedMap()
    _merge(data, config, nav, page_count, generated_nav=NAV_MARK in original)
    stream = io.StringIO()
    yaml.dump(data, stream)
    text = stream.getvalue()
    if text != original:
        write_atomic(path, text)
    return text


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip: keeps the user's comments, order and custom tags
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


_SHAPES = {"nav": (list,), "plugins": (list, dict), "markdown_extensions": (list, dict), "theme": (str, dict)}


def _merge(data: Any, config: Config, nav: list[Any], page_count: int, generated_nav: bool) -> None:
    for key, shapes in _SHAPES.items():
        if data.get(key) is not None and not isinstance(data[key], shapes):
            names = " or ".join("a list" if shape is list else "a mapping" if shape is dict else "a name" for shape in shapes)
            raise ConfigError(f"'{key}' must be {names}", file=str(config.root / "mkdocs.yml"))
    data.setdefault("site_name", config.name)
    if config.repo_url:
        data.setdefault("repo_url", config.repo_url)
    if "docs_dir" not in config.overridden and config.docs_dir != data.get("docs_dir", "docs"):
        data["docs_dir"] = config.docs_dir  # from docgen's settings; a one-off --docs-dir is not kept
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
    if data.get("use_directory_urls") is False:
        # Signatures are raw HTML, whose links MkDocs does not rewrite: they are written for
        # MkDocs' default URLs, where `a/b.md` is served at `a/b/`.
        raise ConfigError("docgen needs use_directory_urls: true (MkDocs' default)", file=str(config.root / "mkdocs.yml"))
    _ensure_listed(data, "plugins", "search", {})
    for name in REQUIRED_EXTENSIONS:
        _ensure_listed(data, "markdown_extensions", name, {"permalink": True} if name == "toc" else None)
    user_nav = data.get("nav")
    reference = nav[-1]  # build_nav puts the generated section last
    if not user_nav or generated_nav:
        data["nav"] = nav
        if not generated_nav:
            # The mark tells the next build this nav is docgen's to regenerate (new pages in
            # docs/ join it); a user who deletes it takes the nav over, and only the
            # reference section is kept up to date from then on.
            data.yaml_set_comment_before_after_key("nav", before=NAV_MARK)
        return
    for position, entry in enumerate(user_nav):
        if isinstance(entry, dict) and config.nav_title in entry:
            user_nav[position] = reference
            return
    user_nav.append(reference)


def _ensure_listed(data: dict[str, Any], key: str, name: str, options: dict[str, Any] | None) -> None:
    """Add `name` to a plugins / markdown_extensions setting, in whichever of MkDocs' two
    forms (a list of names and one-key maps, or a map) the user wrote it."""
    entries = data.setdefault(key, [])
    if isinstance(entries, dict):
        if name not in entries:
            entries[name] = options
        return
    present = {next(iter(e)) if isinstance(e, dict) else e for e in entries}
    if name not in present:
        entries.append({name: options} if options else name)
