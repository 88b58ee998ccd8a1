"""mkdocs.yml: the navigation docgen generates, merged into the user's own settings.

It uses only Material features and the search plugin, so the same docs folder builds with
MkDocs today and with Zensical tomorrow. `docgen.publish.site` builds it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from docgen.config import Config, effective_mkdocs_config, inherit_chain
from docgen.errors import ConfigError, PublishError
from docgen.generate.prose.guides import GuidePage
from docgen.generate.reference import Page
from docgen.model import Document
from docgen.publish.sanitize import nav_label
from docgen.publish.yaml_text import YamlText, dump

NAV_MARK = "nav written by docgen: delete this line to keep your own nav (docgen then updates only its section)"
# Folders of the reference that hold no Python package: hyphens keep them apart from any
# package name (see docgen.generate.reference.page_path).
SECTION_LABELS = {"source-files": "Source files", "http-api": "HTTP APIs"}
FOLDER_LABELS = {"components-schemas": "Schemas"}  # an OpenAPI spec's schema pages


GUIDES_TITLE = "Guides"
HOW_TOS_TITLE = "How-to guides"
# Where each kind of guide sits in the Guides section: the way in (the top overview, the
# tutorial, the how-tos), then the explanations (the other overviews), then the answers.
GUIDE_ORDER = ("tutorial", "how-to", "overview", "faq", "troubleshooting")


def build_nav(
    config: Config, pages: tuple[Page, ...], documents: tuple[Document, ...], guides: Iterable[GuidePage] = ()
) -> list[Any]:
    """The navigation: the user's pages first, then the guides, then the reference nested
    by package/folder."""
    nav: list[Any] = [{d.title: d.path} for d in documents]
    guide_entries = _guide_entries(list(guides))
    if guide_entries:
        nav.append({GUIDES_TITLE: guide_entries})
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


def _guide_entries(guides: list[GuidePage]) -> list[Any]:
    """The Guides section: the first overview (the top package's: guides come most
    important first) leads, then each kind in `GUIDE_ORDER`, the how-tos in a section of
    their own."""
    first = next((guide for guide in guides if guide.kind == "overview"), None)
    ordered = sorted(guides, key=lambda g: -1 if g is first else GUIDE_ORDER.index(g.kind) if g.kind in GUIDE_ORDER else len(GUIDE_ORDER))
    entries: list[Any] = []
    how_tos: list[Any] = []
    for guide in ordered:
        entry = {nav_label(guide.title): guide.path}
        if guide.kind == "how-to":
            if not how_tos:
                entries.append({HOW_TOS_TITLE: how_tos})
            how_tos.append(entry)
        else:
            entries.append(entry)
    return entries


def _nav_entries(tree: dict[str, Any], top: bool = False) -> list[Any]:
    entries: list[Any] = []
    index = tree.get("index.md")
    if isinstance(index, Page):
        entries.append({"Overview": index.path} if top else index.path)
    for name, node in sorted(tree.items(), key=lambda item: (isinstance(item[1], dict), item[0])):
        if name == "index.md":
            continue
        if isinstance(node, dict):
            # Folder names come from the scanned tree: as untrusted as any file name.
            label = SECTION_LABELS.get(name) if top else _folder_label(name, node)
            entries.append({label or nav_label(name): _nav_entries(node)})
        else:
            entries.append({nav_label(_short_title(node)): node.path})
    return entries


def _folder_label(name: str, node: dict[str, Any]) -> str | None:
    """A folder's label where docgen names it (an OpenAPI spec's schema pages), else None."""
    page = next((n for n in node.values() if isinstance(n, Page)), None)
    return FOLDER_LABELS.get(name) if page is not None and "/http-api/" in f"/{page.path}" else None


def _short_title(page: Page) -> str:
    """The last part of a page's title (a module's name, a file's name), as plain text."""
    title = page.title
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


# How the build's one line about mkdocs.yml says that its layout was not kept.
REWRITTEN = "rewrote the whole file (its layout could not be edited line by line)"


def merge_mkdocs_yml(config: Config, nav: list[Any], page_count: int, *, owned: frozenset[str]) -> MergedConfig:
    """mkdocs.yml with docgen's navigation and the settings its pages need. A new file gets
    docgen's full settings; a user's file gets only what docgen must add, as line edits
    that leave every other byte (comments, quotes, indentation, line endings) as it was.
    `owned` holds the docs pages docgen generates or wrote before: a nav section with
    docgen's title is docgen's to replace only when it lists nothing else. Writes nothing."""
    path = config.mkdocs_yml_path
    if not path.is_file():
        return MergedConfig(path, _new_file(config, nav, page_count), None, ())
    try:
        with open(path, encoding="utf-8", newline="") as stream:  # newline="": CRLF stays CRLF
            original = stream.read()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read: {error}", file=str(path)) from None
    data = _load(original, path)
    if data is None:  # an empty file
        return MergedConfig(path, _new_file(config, nav, page_count), original, ("everything",))
    # What MkDocs will read (INHERIT applied, `!ENV` resolved, YAML 1.1 booleans): what is
    # present and what it says is decided there; the edits go to this file's own text.
    effective = effective_mkdocs_config(path)
    added: list[str] = []
    edit = YamlText(original, data)
    _merge_into(edit, data, effective, config, nav, owned, added)
    text = edit.text()
    if text != original and not _agrees(text, data, path):
        # The line edits and the intended settings disagree: a file shape docgen has not
        # met. Correct settings matter more than keeping its layout; the user is told.
        text = _whole_file(data, edit, text)
        added.append(REWRITTEN)
    return MergedConfig(path, text, original, tuple(added))


def _agrees(text: str, data: CommentedMap, path: Path) -> bool:
    """Whether the edited text reads back as the intended settings."""
    if data.fa.flow_style():  # a one-line `{...}` document has no lines to edit
        return False
    try:
        return _plain(_load(text, path)) == _plain(data)
    except ConfigError:
        return False


def _whole_file(data: CommentedMap, edit: YamlText, edited: str) -> str:
    """The settings written out whole, keeping the mark of a nav docgen writes."""
    data.fa.set_block_style()
    text = dump(data)
    if NAV_MARK in edited and NAV_MARK not in text and "nav" in data:
        data.yaml_set_comment_before_after_key("nav", before=NAV_MARK)
        text = dump(data)
    return text.replace("\n", edit.eol)


def _new_file(config: Config, nav: list[Any], page_count: int) -> str:
    """docgen's own mkdocs.yml: Material without a font CDN, search, the nav it generates."""
    features = ["navigation.indexes", "content.code.copy"]
    if page_count > 100:  # the sidebar costs pages squared to render: show only the open branch
        features.append("navigation.prune")
    data = CommentedMap(site_name=config.name)
    if config.repo_url:
        data["repo_url"] = config.repo_url
    if _docs_dir(config) != "docs" and "docs_dir" not in config.overridden:
        data["docs_dir"] = _docs_dir(config)
    data["theme"] = CommentedMap(name="material", font=False, features=features)
    data["plugins"] = ["search"]
    data["markdown_extensions"] = ["attr_list", "admonition", "tables", {"toc": {"permalink": True}}]
    data["nav"] = nav
    # The mark tells the next build this nav is docgen's to regenerate (new pages in docs/
    # join it); a user who deletes it takes the nav over, and only the reference section
    # is kept up to date from then on.
    data.yaml_set_comment_before_after_key("nav", before=NAV_MARK)
    return dump(data)


def _load(text: str, path: Path) -> Any:
    """The YAML mapping in `text`, or None when it is empty; ConfigError otherwise."""
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip: keeps each node's line, custom tags (`!!python/name`) as tags
    try:
        _check_expansion(yaml, text)
        data = yaml.load(text)
    except ConfigError as error:
        raise ConfigError(error.message, file=str(path), line=error.line) from None
    except Exception as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ConfigError(f"invalid YAML: {problem}", file=str(path), line=line) from None
    if data is not None and not isinstance(data, CommentedMap):
        raise ConfigError("mkdocs.yml must be a mapping", file=str(path))
    return data


# YAML aliases may nest (`b: [*a, *a]`, `c: [*b, *b]`...): a few lines can stand for
# billions of nodes ("billion laughs"), which anything walking the settings would visit.
# A real mkdocs.yml expands to a few thousand nodes at most.
MAX_NODES = 100_000


def _check_expansion(yaml: Any, text: str) -> None:
    """Refuse a document that stands for more nodes than any mkdocs.yml needs, counted from
    the parser's events (each alias counts as the whole subtree it repeats), so nothing
    large is ever built."""
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

    sizes: dict[str, int] = {}  # anchor -> nodes it stands for
    open_collections: list[tuple[str | None, int]] = []  # (anchor, expanded nodes before it)
    expanded = 0
    for event in yaml.parse(text):
        if isinstance(event, CollectionStartEvent):
            open_collections.append((event.anchor, expanded))
            expanded += 1
        elif isinstance(event, CollectionEndEvent):
            anchor, before = open_collections.pop()
            if anchor:
                sizes[anchor] = expanded - before
        elif isinstance(event, ScalarEvent):
            expanded += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, AliasEvent):
            expanded += sizes.get(event.anchor, 1)
        if expanded > MAX_NODES:
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            raise ConfigError(f"the YAML stands for more than {MAX_NODES:,} values (aliases repeating aliases)", line=line)


_SHAPES = {"nav": (list,), "plugins": (list, dict), "markdown_extensions": (list, dict), "theme": (str, dict)}
# What docgen's pages need beyond the extensions MkDocs always loads (toc, tables, fenced_code):
# `{ #anchor }` on headings, and the Model and note boxes.
NEEDED_EXTENSIONS = ("attr_list", "admonition")


def _merge_into(
    edit: YamlText,
    data: CommentedMap,
    effective: dict[str, Any],
    config: Config,
    nav: list[Any],
    owned: frozenset[str],
    added: list[str],
) -> None:
    """Add to a user's mkdocs.yml what docgen's pages need, both to its text (`edit`) and
    to its parsed settings (`data`), which must agree. `effective` is what MkDocs reads."""
    path = str(config.mkdocs_yml_path)
    for key, shapes in _SHAPES.items():
        if effective.get(key) is not None and not isinstance(effective[key], shapes):
            names = " or ".join("a list" if shape is list else "a mapping" if shape is dict else "a name" for shape in shapes)
            raise ConfigError(f"'{key}' must be {names}", file=path)
    if effective.get("use_directory_urls") is False:  # `no` and `off` too: MkDocs reads YAML 1.1
        # Signatures are raw HTML, whose links MkDocs does not rewrite: they are written for
        # MkDocs' default URLs, where `a/b.md` is served at `a/b/`.
        raise ConfigError("docgen needs use_directory_urls: true (MkDocs' default)", file=path)
    # A setting a parent (INHERIT) holds counts as present. A scalar set here would only
    # override the parent's; a list set here would replace the parent's whole list.
    if "site_name" not in effective:
        edit.prepend(dump({"site_name": config.name}))
        data.insert(0, "site_name", config.name)
        added.append("site_name")
    if config.repo_url and "repo_url" not in effective:
        _set(edit, data, "repo_url", config.repo_url, added)
    written = (config.mkdocs_yml_path.parent / str(effective.get("docs_dir") or "docs")).resolve()
    if "docs_dir" not in config.overridden and written != config.docs_path.resolve():  # a one-off --docs-dir is not kept
        if edit.owns("docs_dir") and _tag(data["docs_dir"]):
            raise ConfigError(
                f"docs_dir is set with {_tag(data['docs_dir'])} to '{effective.get('docs_dir')}', docgen's settings say "
                f"'{config.docs_dir}': make them agree (docgen does not rewrite a tagged value)",
                file=path,
            )
        _set(edit, data, "docs_dir", _docs_dir(config), added)
    if "theme" not in effective:
        _set(edit, data, "theme", CommentedMap(name="material", font=False, features=["navigation.indexes"]), added)
    extensions = effective.get("markdown_extensions")
    present = set(extensions or ()) if isinstance(extensions, dict) else {
        next(iter(entry)) if isinstance(entry, dict) else entry for entry in extensions or ()
    }
    missing = [name for name in NEEDED_EXTENSIONS if name not in present]
    if missing:
        if "markdown_extensions" not in data and extensions is not None:
            parent = _parent_holding(config.mkdocs_yml_path, "markdown_extensions")
            raise ConfigError(
                f"add {', '.join(missing)} to markdown_extensions here: {config.mkdocs_yml_path.name} inherits it, "
                "and a list docgen wrote there would replace this one",
                file=str(parent),
            )
        _extend(edit, data, "markdown_extensions", missing, added)
        added += [f"extension {name}" for name in missing]
    _merge_nav(edit, data, effective, config, nav, owned, added)


def _merge_nav(
    edit: YamlText,
    data: CommentedMap,
    effective: dict[str, Any],
    config: Config,
    nav: list[Any],
    owned: frozenset[str],
    added: list[str],
) -> None:
    reference = nav[-1]  # build_nav puts the generated section last
    if "nav" not in data and effective.get("nav"):
        inherited = [entry for entry in effective["nav"] if isinstance(entry, dict) and config.nav_title in entry]
        if inherited and _plain(inherited[0]) == _plain(reference):
            return
        parent = _parent_holding(config.mkdocs_yml_path, "nav")
        raise ConfigError(
            f"add docgen's '{config.nav_title}' section (its pages under {config.docs_dir}/{config.reference_dir.strip('/')}/) "
            f"to the nav here, or move nav into {config.mkdocs_yml_path.name}: it inherits nav, which a nav docgen wrote "
            "there would replace",
            file=str(parent),
        )
    user_nav = data.get("nav")
    # A nav brought in by a merge key or an alias is another key's too: never edited in place.
    shared = "nav" in data and (not edit.owns("nav") or edit.is_alias("nav"))
    if not user_nav:
        _put(edit, data, "nav", nav, mark=True)
        added.append("nav")
        return
    if any(NAV_MARK in line for line in edit.lines):
        if _plain(user_nav) != _plain(nav):
            _put(edit, data, "nav", nav)
        return
    prefix = config.reference_dir.strip("/") + "/"
    for position, entry in enumerate(user_nav):
        if isinstance(entry, dict) and config.nav_title in entry:
            # docgen's section lists only pages docgen makes: a hand-written
            # `Reference: [CLI: reference/cli.md]` is the user's, whatever its folder.
            pages = list(_nav_pages(entry[config.nav_title]))
            if not all(page.startswith(prefix) and page in owned for page in pages):
                raise PublishError(
                    f"the nav already has a '{config.nav_title}' section of your own; "
                    "set docgen's nav_title to another title",
                    file=str(config.mkdocs_yml_path),
                )
            if _plain(entry) != _plain(reference):
                if edit.is_block("nav") and not shared:
                    edit.replace_item("nav", position, reference)
                    user_nav[position] = reference
                else:
                    _put(edit, data, "nav", [*user_nav[:position], reference, *user_nav[position + 1 :]])
            return
    _extend(edit, data, "nav", [reference], added)
    added.append(f"the {config.nav_title} section of the nav")


def _put(edit: YamlText, data: CommentedMap, key: str, value: Any, *, mark: bool = False) -> None:
    """Give a top-level key a new value: its own block replaced, or (absent, or brought in
    by a merge key) a block of its own at the end, which MkDocs reads instead."""
    text = (f"# {NAV_MARK}\n" if mark else "") + dump({key: value})
    if edit.owns(key):
        edit.replace_block(key, text)
    else:
        edit.append(text)
    data[key] = value


def _set(edit: YamlText, data: CommentedMap, key: str, value: Any, added: list[str]) -> None:
    """Give a top-level key a value, and say so."""
    _put(edit, data, key, value)
    added.append(key)


def _extend(edit: YamlText, data: CommentedMap, key: str, names: list[Any], added: list[str]) -> None:
    """Add items to a top-level list setting (or, in MkDocs' other form, a mapping)."""
    current = data.get(key)
    if current is None:
        _put(edit, data, key, names)
    elif not edit.owns(key) or edit.is_alias(key):
        # The value is another key's too (`markdown_extensions: *e`, or `<<: *base`):
        # extending it would change that key; this key gets a list of its own.
        if isinstance(current, dict):
            _put(edit, data, key, {**current, **{name: None for name in names}})
        else:
            _put(edit, data, key, [*current, *names])
    elif isinstance(current, dict):
        entries = {name: None for name in names}
        if edit.is_block(key):
            edit.append_entries(key, entries)
        else:
            edit.replace_block(key, dump({key: {**current, **entries}}))
        current.update(entries)
    else:
        if edit.is_block(key):
            edit.append_items(key, names)
        else:
            edit.replace_block(key, dump({key: [*current, *names]}))
        current.extend(names)


def _parent_holding(path: Path, key: str) -> Path:
    """The file of the INHERIT chain from `path` that sets `key` (the last one read, if none)."""
    parents = inherit_chain(path)[1:] or [(path, {})]
    return next((parent for parent, own in parents if key in own), parents[-1][0])


def _tag(value: Any) -> str:
    """The tag of a parsed scalar (`!ENV`), or '' for a plain one."""
    tag = getattr(value, "tag", None)
    return str(getattr(tag, "value", tag) or "") if tag is not None else ""


def _docs_dir(config: Config) -> str:
    """docs_dir as mkdocs.yml holds it: relative to the folder of mkdocs.yml."""
    return os.path.relpath(config.docs_path, config.mkdocs_yml_path.parent)


def _plain(value: Any) -> Any:
    """Parsed YAML as plain data that compares by content (tags included)."""
    from ruamel.yaml.comments import TaggedScalar

    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, TaggedScalar):
        return ("tagged", str(value.tag), value.value)
    return value


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
