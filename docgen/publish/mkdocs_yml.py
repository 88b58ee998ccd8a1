"""mkdocs.yml: the navigation docgen generates, merged into the user's own settings.

It uses only Material features and the search plugin, so the same docs folder builds with
MkDocs today and with Zensical tomorrow. `docgen.publish.site` builds it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from docgen.config import Config
from docgen.errors import ConfigError, PublishError
from docgen.files import write_atomic
from docgen.generate.reference import Page
from docgen.model import Document

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


@dataclass(frozen=True)
class MergedConfig:
    """mkdocs.yml as docgen needs it, beside what the file holds now."""

    path: Path
    text: str
    original: str | None  # None: there is no mkdocs.yml yet
    added: tuple[str, ...]  # what docgen added to the user's file, in words

    @property
    def changed(self) -> bool:
        """Whether the file must be written."""
        return self.text != self.original


def merge_mkdocs_yml(config: Config, nav: list[Any], page_count: int) -> MergedConfig:
    """mkdocs.yml with docgen's navigation and the settings its pages need, merged into the
    user's own file without losing anything: comments, order, tags, quotes and indentation
    are kept, and only docgen's nav section and the missing settings change. Writes nothing."""
    path = config.mkdocs_yml_path
    yaml = _yaml()
    data: Any = {}
    original = None
    if path.is_file():
        try:
            original = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"cannot read: {error}", file=str(path)) from None
        try:
            data = _load_bounded(yaml, original)
        except ConfigError as error:
            raise ConfigError(error.message, file=str(path), line=error.line) from None
        except Exception as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(error, "problem", None) or str(error).splitlines()[0]
            raise ConfigError(f"invalid YAML: {problem}", file=str(path), line=line) from None
        if data is not None and not isinstance(data, dict):
            raise ConfigError("mkdocs.yml must be a mapping", file=str(path))
        _keep_indentation(yaml, original)
    if not isinstance(data, CommentedMap):  # no file, or an empty one
        data = CommentedMap()
    added: list[str] = []
    _merge(data, config, nav, page_count, generated_nav=original is not None and NAV_MARK in original, added=added)
    if original is not None and data == yaml.load(original):
        return MergedConfig(path, original, original, ())  # nothing to add: not even a reformat
    stream = io.StringIO()
    yaml.dump(data, stream)
    return MergedConfig(path, stream.getvalue(), original, tuple(added))


def write_mkdocs_yml(merged: MergedConfig) -> None:
    """Write the merged mkdocs.yml, when it differs from the file."""
    if merged.changed:
        write_atomic(merged.path, merged.text)


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip: keeps the user's comments, order and custom tags
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def _keep_indentation(yaml: Any, original: str) -> None:
    """Write the file back with the indentation its author used: how far a nested mapping
    is indented, and where a list's dashes and items sit under their key."""
    mapping = sequence = offset = None
    previous = None
    for line in original.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        if previous is not None and previous.rstrip().endswith(":"):
            parent = len(previous) - len(previous.lstrip(" "))
            indent = len(line) - len(stripped)
            if indent >= parent and stripped.startswith("- ") and sequence is None:
                offset = indent - parent
                sequence = offset + 1 + len(stripped[1:]) - len(stripped[1:].lstrip(" "))
            elif indent > parent and not stripped.startswith("- ") and mapping is None:
                mapping = indent - parent
        previous = line
    yaml.indent(mapping=mapping or 2, sequence=sequence or (mapping or 2) + 2, offset=offset if offset is not None else 2)


# YAML aliases may nest (`b: [*a, *a]`, `c: [*b, *b]`...): "billion laughs" grow without
# bound when something walks the loaded data. mkdocs.yml files use a handful, if any.
MAX_ALIASES = 100


def _load_bounded(yaml: Any, text: str) -> Any:
    """The YAML document in `text`, refusing documents with many aliases."""
    from ruamel.yaml.events import AliasEvent

    aliases = 0
    for event in yaml.parse(text):
        if isinstance(event, AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                line = event.start_mark.line + 1 if event.start_mark is not None else None
                raise ConfigError(f"more than {MAX_ALIASES} YAML aliases; docgen does not expand so many", line=line)
    return yaml.load(text)


_SHAPES = {"nav": (list,), "plugins": (list, dict), "markdown_extensions": (list, dict), "theme": (str, dict)}


def _merge(data: Any, config: Config, nav: list[Any], page_count: int, generated_nav: bool, added: list[str]) -> None:
    path = str(config.mkdocs_yml_path)
    for key, shapes in _SHAPES.items():
        if data.get(key) is not None and not isinstance(data[key], shapes):
            names = " or ".join("a list" if shape is list else "a mapping" if shape is dict else "a name" for shape in shapes)
            raise ConfigError(f"'{key}' must be {names}", file=path)
    if "site_name" not in data:
        data["site_name"] = config.name
        added.append("site_name")
    if config.repo_url and "repo_url" not in data:
        data["repo_url"] = config.repo_url
        added.append("repo_url")
    docs_dir = os.path.relpath(config.docs_path, config.mkdocs_yml_path.parent)
    written = (config.mkdocs_yml_path.parent / str(data.get("docs_dir", "docs"))).resolve()
    if "docs_dir" not in config.overridden and written != config.docs_path.resolve():
        data["docs_dir"] = docs_dir  # from docgen's settings; a one-off --docs-dir is not kept
        added.append("docs_dir")
    theme = data.get("theme")
    if theme is None or theme == "material":
        data["theme"] = theme = CommentedMap(name="material")
        added.append("theme: material")
    if isinstance(theme, dict) and theme.get("name") == "material":
        if "font" not in theme:
            theme["font"] = False  # Material fetches fonts from a CDN otherwise
            added.append("theme.font: false")
        features = theme.setdefault("features", [])
        wanted = ["navigation.indexes", "content.code.copy"]
        if page_count > 100:  # the sidebar costs pages squared to render: show only the open branch
            wanted.append("navigation.prune")
        missing = [f for f in wanted if f not in features]
        features.extend(missing)
        added += [f"theme feature {feature}" for feature in missing]
    if data.get("use_directory_urls") is False:
        # Signatures are raw HTML, whose links MkDocs does not rewrite: they are written for
        # MkDocs' default URLs, where `a/b.md` is served at `a/b/`.
        raise ConfigError("docgen needs use_directory_urls: true (MkDocs' default)", file=path)
    if _ensure_listed(data, "plugins", "search", {}):
        added.append("plugin search")
    for name in REQUIRED_EXTENSIONS:
        if _ensure_listed(data, "markdown_extensions", name, {"permalink": True} if name == "toc" else None):
            added.append(f"extension {name}")
    user_nav = data.get("nav")
    reference = nav[-1]  # build_nav puts the generated section last
    if not user_nav or generated_nav:
        data["nav"] = nav
        if not generated_nav:
            # The mark tells the next build this nav is docgen's to regenerate (new pages in
            # docs/ join it); a user who deletes it takes the nav over, and only the
            # reference section is kept up to date from then on.
            data.yaml_set_comment_before_after_key("nav", before=NAV_MARK)
            added.append("nav")
        return
    prefix = config.reference_dir.strip("/") + "/"
    for position, entry in enumerate(user_nav):
        if isinstance(entry, dict) and config.nav_title in entry:
            if not all(page.startswith(prefix) for page in _nav_pages(entry[config.nav_title])):
                raise PublishError(
                    f"the nav already has a '{config.nav_title}' section of your own; "
                    "set docgen's nav_title to another title",
                    file=path,
                )
            user_nav[position] = reference
            return
    user_nav.append(reference)
    added.append(f"the {config.nav_title} section of the nav")


def _nav_pages(entry: Any) -> Iterator[str]:
    """Every page a nav entry points at, however deep."""
    if isinstance(entry, str):
        yield entry
    elif isinstance(entry, list):
        for item in entry:
            yield from _nav_pages(item)
    elif isinstance(entry, dict):
        for value in entry.values():
            yield from _nav_pages(value)


def _ensure_listed(data: dict[str, Any], key: str, name: str, options: dict[str, Any] | None) -> bool:
    """Add `name` to a plugins / markdown_extensions setting, in whichever of MkDocs' two
    forms (a list of names and one-key maps, or a map) the user wrote it; True if added."""
    entries = data.setdefault(key, [])
    if isinstance(entries, dict):
        if name in entries:
            return False
        entries[name] = options
        return True
    present = {next(iter(e)) if isinstance(e, dict) else e for e in entries}
    if name in present:
        return False
    entries.append({name: options} if options else name)
    return True
