"""Configuration: `[tool.docgen]` in pyproject.toml, or a `docgen.toml`, validated once.

Every error names the file and the key, so a user never has to guess which setting is wrong.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from docgen.errors import ConfigError, InputError
from docgen.generate.llm import BACKENDS, LLMSettings
from docgen.publish import BUILDERS

DOCSTRING_STYLES = ("auto", "google", "numpy", "sphinx")
LLM_ENV = "DOCGEN_LLM"  # a backend name that overrides the llm setting (CI: DOCGEN_LLM=none)
# Settings of the model the environment may give (a CI job's endpoint, from its secrets' names).
LLM_FIELD_ENV = {"model": "DOCGEN_LLM_MODEL", "base_url": "DOCGEN_LLM_BASE_URL", "api_key_env": "DOCGEN_LLM_API_KEY_ENV"}
INDEX_ENV = "DOCGEN_INDEX"  # "off" builds without the knowledge base, "on" with it, whatever the index setting says

# Folders that hold no documented code in almost every repository: scanning them costs
# time (tests and docs are often the bulk of a repository) and clutters the reference.
# Project-level folders are anchored at the root: `pkg/testing/` or `pkg/build/` inside a
# package may well be public API (numpy.testing, sphinx.testing).
DEFAULT_EXCLUDE = (
    ".*/",
    "__pycache__/",
    "node_modules/",
    "*.egg-info/",
    "tests/",
    "testdata/",  # Go's fixtures, wherever they sit
    "*_test.go",
    "/test/",
    "/testing/",
    "/venv/",
    "/env/",
    "/build/",
    "/dist/",
    "/site/",
    "/target/",
    "/vendor/",
    "/docs/",
    "/doc/",
    "/benchmarks/",
    "/examples/",
    "/setup.py",
    "/conftest.py",
    "/noxfile.py",
)


@dataclass(frozen=True)
class VerifySettings:
    """How drafted text is checked beyond its names (`[tool.docgen.verify]`)."""

    run_examples: bool = False  # run each Python example that imports only the project and the standard library
    example_timeout: float = 30.0  # seconds one example may run


@dataclass(frozen=True)
class IndexSettings:
    """The knowledge base (`[tool.docgen.index]`): where chunks are stored, which model embeds them."""

    enabled: bool = True  # index in every build (`--no-index` skips it once)
    chroma_url: str = ""  # a Chroma server (http://host:port); empty: a local store under .docgen/
    collection: str = ""  # the collection's name; empty: derived from the site's name
    model: str = ""  # a folder holding a BERT sentence-embedding model; empty: the packaged all-MiniLM-L6-v2


@dataclass(frozen=True)
class InventorySource:
    """Another project's Sphinx inventory (`objects.inv`), for links to its docs: read
    from `file` in the project, or else fetched from `url` (then kept in the cache)."""

    url: str  # the inventory's URL, or the docs' root URL (ending in `/`) when `file` is given
    file: str = ""  # relative to the project root

    @property
    def base(self) -> str:
        """The URL the inventory's paths are relative to: the folder of `objects.inv`."""
        return self.url if self.url.endswith("/") else self.url.rsplit("/", 1)[0] + "/"

    @property
    def fetched_from(self) -> str:
        """Where the inventory is fetched from, when no file is given."""
        return self.url + "objects.inv" if self.url.endswith("/") else self.url


@dataclass(frozen=True)
class Config:
    """Validated settings for one project (paths are relative to the project root)."""

    root: Path
    source: Path | None = None  # the file the settings came from, if any
    name: str = ""
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    docs_dir: str = "docs"
    site_dir: str = "site"
    reference_dir: str = "reference"
    docstring_style: str = "auto"
    repo_url: str = ""
    repo_branch: str = "main"
    max_file_size: int = 1_000_000
    max_spec_size: int = 50_000_000  # OpenAPI specs: a 3 MB one is normal
    builder: str = "mkdocs"  # what builds the site: "mkdocs" or "zensical"
    diagrams: bool = True  # class hierarchies, module dependencies, model compositions, overviews' call flows
    show_source: bool = False  # a collapsible block of each symbol's source under its docs
    inventories: tuple[InventorySource, ...] = ()  # other projects' objects.inv, for links to their docs
    show_private: bool = False
    inherited_members: bool = False
    nav_title: str = "Reference"
    mkdocs_yml: str = "mkdocs.yml"
    guides_dir: str = "guides"
    llm: LLMSettings = LLMSettings()
    verify: VerifySettings = VerifySettings()
    index: IndexSettings = IndexSettings()
    # Keys given on the command line for this run only: never written to mkdocs.yml.
    overridden: frozenset[str] = frozenset()

    @property
    def docs_path(self) -> Path:
        """The docs directory MkDocs reads."""
        return self.root / self.docs_dir

    @property
    def site_path(self) -> Path:
        """The directory the site is built into."""
        return self.root / self.site_dir

    @property
    def mkdocs_yml_path(self) -> Path:
        """The MkDocs configuration docgen merges into and builds from."""
        return self.root / self.mkdocs_yml

    @property
    def guides_enabled(self) -> bool:
        """Whether a build publishes guides: drafted by a model (one is set), or committed
        ones (the guides folder exists). Only then does it read what they are planned from."""
        return self.llm.backend != "none" or (self.docs_path / self.guides_dir).is_dir()

    @property
    def cache_path(self) -> Path:
        """docgen's own state: caches and build records."""
        return self.root / ".docgen"


# key -> (type, description) for every user-settable key: validation and `docgen init` read it.
KEYS: dict[str, tuple[type, str]] = {
    "name": (str, "Site name; defaults to [project].name or the directory name."),
    "exclude": (list, "Gitignore-style patterns left out of the scan (replaces the default list)."),
    "docs_dir": (str, "Where the user's Markdown lives and generated pages are written."),
    "site_dir": (str, "Where the HTML site is built."),
    "reference_dir": (str, "Folder under docs_dir that docgen owns and regenerates."),
    "docstring_style": (str, "Docstring style: auto, google, numpy or sphinx."),
    "repo_url": (str, "Repository URL, for 'source' links (e.g. https://github.com/org/repo)."),
    "repo_branch": (str, "Branch or tag the source links point at."),
    "max_file_size": (int, "Files larger than this many bytes are skipped."),
    "diagrams": (bool, "Draw class hierarchies, module dependencies and nn.Module compositions on the reference pages, and call flows in the overview guides drafted from then on."),
    "show_source": (bool, "Show each symbol's source, highlighted, in a collapsible block under its documentation."),
    "inventories": (
        list,
        "Other projects' Sphinx inventories, so names like pathlib.Path link to their docs: each the URL of an"
        " objects.inv (fetched once, then cached for a week) or a table with url (the docs' root) and file"
        " (an objects.inv in the project, read instead of fetching).",
    ),
    "builder": (str, "What builds the site from the docs folder: mkdocs (default) or zensical (when installed)."),
    "max_spec_size": (int, "OpenAPI specs larger than this many bytes are skipped (specs of a few MB are normal)."),
    "show_private": (bool, "Document private names (_x, static, non-exported) too."),
    "inherited_members": (bool, "Document members a Python class inherits from project classes on the class itself."),
    "nav_title": (str, "Title of the generated section of the navigation."),
    "mkdocs_yml": (str, "The MkDocs configuration file, relative to the project root."),
    "guides_dir": (str, "Folder under docs_dir for the guides an LLM drafts (committed, reviewed like code)."),
    "llm": (
        (str, dict),
        "The model that drafts guides: a backend name (llama-cpp, openai, transformers, none) or a"
        " table with backend, model, base_url, api_key_env, timeout, context, concurrency.",
    ),
    "verify": (
        dict,
        "How drafted text is checked: a table with run_examples (run the Python examples that import only the"
        " project and the standard library, keeping those that pass) and example_timeout (seconds each).",
    ),
    "index": (
        dict,
        "The knowledge base: a table with enabled (index in every build), chroma_url (a Chroma server instead of"
        " the local store), collection (its name) and model (a folder with another BERT embedding model).",
    ),
}
# The keys of the `llm` table and what each must be.
LLM_KEYS: dict[str, type] = {
    "backend": str,
    "model": str,
    "base_url": str,
    "api_key_env": str,
    "timeout": float,
    "context": int,
    "concurrency": int,
}

# The keys of the `verify` table and what each must be.
VERIFY_KEYS: dict[str, type] = {"run_examples": bool, "example_timeout": float}

# The keys of the `index` table and what each must be.
INDEX_KEYS: dict[str, type] = {"enabled": bool, "chroma_url": str, "collection": str, "model": str}
_COLLECTION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,510}[A-Za-z0-9]")  # what Chroma accepts as a name

# Folder settings and what they may be: each must stay inside the project.
_FOLDERS = ("docs_dir", "site_dir", "reference_dir", "mkdocs_yml")
# Folders inside docs_dir that docgen writes to.
_DOCS_SUBFOLDERS = ("reference_dir", "guides_dir")


def check_root(root: Path) -> None:
    """Fail with one line when the path to document is missing or not a folder."""
    if not root.exists():
        raise InputError("no such directory", file=str(root))
    if not root.is_dir():
        raise InputError("not a directory", file=str(root))


def load_config(root: Path, *, overrides: dict[str, Any] | None = None) -> Config:
    """Read and validate the settings of the project at `root`.

    `docgen.toml` wins over `[tool.docgen]` in pyproject.toml; `overrides` (from the
    command line) win over both.
    """
    root = root.resolve()
    source, table, project_name = _read_table(root)
    given = {key: value for key, value in (overrides or {}).items() if value is not None}
    kwargs: dict[str, Any] = {key: _validate(key, value, source) for key, value in table.items()}
    kwargs.update({key: _validate(key, value, None) for key, value in given.items()})
    mkdocs_yml = kwargs.get("mkdocs_yml", "mkdocs.yml")
    for key, value in _mkdocs_folders(root, mkdocs_yml).items():
        kwargs.setdefault(key, value)  # mkdocs.yml's folders, unless docgen's settings say
    for key, value in _mkdocs_repository(root / mkdocs_yml).items():
        kwargs.setdefault(key, value)  # and its repository, for source links
    kwargs.setdefault("name", project_name or root.name)
    if "exclude" in kwargs:
        kwargs["exclude"] = tuple(kwargs["exclude"])
    backend = os.environ.get(LLM_ENV)
    from_env = {name: os.environ[variable] for name, variable in LLM_FIELD_ENV.items() if os.environ.get(variable)}
    if (backend or from_env) and "llm" not in given:  # the environment overrides the files, the command line both
        settings = kwargs.get("llm", LLMSettings())
        named = [LLM_ENV] * bool(backend) + [LLM_FIELD_ENV[name] for name in from_env]
        values = {**asdict(settings), **from_env, **({"backend": backend} if backend else {})}
        kwargs["llm"] = _llm_settings(values, f"environment variable {', '.join(named)}")
    indexing = os.environ.get(INDEX_ENV, "").strip().lower()
    if indexing and "index" not in given:
        if indexing not in ("on", "off"):
            raise ConfigError(f"environment variable {INDEX_ENV} must be 'on' or 'off', not '{indexing}'")
        kwargs["index"] = replace(kwargs.get("index", IndexSettings()), enabled=indexing == "on")
    config = Config(root=root, source=source, overridden=frozenset(given), **kwargs)
    _check_folders(config, given, frozenset(table))
    return config


def _check_folders(config: Config, given: dict[str, Any], written: frozenset[str]) -> None:
    """Every folder setting names a place inside the project, and the reference folder a
    folder inside the docs folder: docgen writes and deletes there. A mistake is blamed
    where the value came from: the command line, docgen's settings (`written` keys), or
    mkdocs.yml, which the folders are read from otherwise (the mkdocs.yml first: the docs
    and site folders of one outside the project are outside it too)."""
    for key in ("mkdocs_yml", *(k for k in _FOLDERS if k != "mkdocs_yml")):
        value = getattr(config, key)
        if key in given:
            where = "command line"
        elif key in written or key == "mkdocs_yml":
            where = str(config.source or config.root)
        else:
            where = str(config.mkdocs_yml_path)
        path = (config.root / value).resolve()
        if key == "mkdocs_yml" and key in given and not path.is_relative_to(config.root):
            raise ConfigError(
                f"-f/--config-file must name a file inside the project, not '{value}' (a relative path is read from the current folder)",
                file=where,
            )
        if key == "site_dir":
            # The site may be built anywhere but over the project (see publish.site.check_site_dir).
            if not value.strip() or config.root.is_relative_to(path):
                raise ConfigError(f"key 'site_dir' must not be the project folder or above it, not '{value}'", file=where)
        elif not value.strip() or not path.is_relative_to(config.root) or path == config.root:
            raise ConfigError(f"key '{key}' must name a path inside the project, not '{value}'", file=where)
    for key in _DOCS_SUBFOLDERS:
        value = getattr(config, key)
        folder = Path(value)
        if folder.is_absolute() or ".." in folder.parts or value.strip("/. ") == "":
            raise ConfigError(
                f"key '{key}' must name a folder inside docs_dir, not '{value}'",
                file=str(config.source or "command line"),
            )
    if config.guides_dir.strip("/") == config.reference_dir.strip("/"):
        raise ConfigError("keys 'guides_dir' and 'reference_dir' must name different folders", file=str(config.source or "command line"))


_WEB_URL = re.compile(r"^https?://[^\s\"'<>`]+$", re.IGNORECASE)
_MKDOCS_FOLDER = re.compile(r"^(docs_dir|site_dir):[ \t]*['\"]?([^'\"#\n]+?)['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)
_INHERIT = re.compile(r"^INHERIT[ \t]*:", re.MULTILINE)
# A value starting with one of these is YAML the regex cannot read: a tag (`!ENV`), an
# anchor or alias, a flow collection, a block scalar.
_YAML_INDICATORS = tuple("!&*[{|>@%`")
MKDOCS_DEFAULT_FOLDERS = {"docs_dir": "docs", "site_dir": "site"}


def _mkdocs_folders(root: Path, mkdocs_yml: str) -> dict[str, str]:
    """`docs_dir` and `site_dir` from the project's mkdocs.yml, relative to the project root
    (MkDocs reads them relative to mkdocs.yml's folder). A plain value is read with a regex,
    which keeps `docgen scan` from importing a YAML parser; a file with INHERIT, or a tag on
    those keys (`!ENV`), is read as MkDocs reads it. Keys set nowhere get MkDocs' defaults,
    beside mkdocs.yml."""
    path = root / mkdocs_yml
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    found = dict(_MKDOCS_FOLDER.findall(text))
    if _INHERIT.search(text) or any(value.strip().startswith(_YAML_INDICATORS) for value in found.values()):
        effective = effective_mkdocs_config(path)
        found = {key: str(effective[key]) for key in MKDOCS_DEFAULT_FOLDERS if effective.get(key) is not None}
    folders = {}
    for key, default in MKDOCS_DEFAULT_FOLDERS.items():
        resolved = (path.parent / found.get(key, default).strip()).resolve()
        folders[key] = resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(resolved)
    return folders


_MKDOCS_REPOSITORY = re.compile(r"^(repo_url|edit_uri):[ \t]*['\"]?([^'\"#\n]+?)['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)


def _mkdocs_repository(path: Path) -> dict[str, str]:
    """`repo_url`, and `repo_branch` from `edit_uri` (`edit/<branch>/docs/`), as a plain
    mkdocs.yml writes them: where the pages' source links point when docgen's own
    settings do not say."""
    try:
        found = dict(_MKDOCS_REPOSITORY.findall(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return {}
    url = found.get("repo_url", "").strip()
    if not _WEB_URL.match(url):
        return {}
    settings = {"repo_url": url.rstrip("/")}
    parts = found.get("edit_uri", "").strip().strip("/").split("/")
    if len(parts) >= 2 and parts[0] in ("edit", "blob", "tree") and parts[1]:
        settings["repo_branch"] = parts[1]
    return settings


def effective_mkdocs_config(path: Path) -> dict[str, Any]:
    """The settings MkDocs would read from `path`: INHERIT applied (parents first, the
    child's keys winning), `!ENV` tags replaced by the environment's values. Other tags
    (`!!python/name:...`) stand as None: reading a setting must not import user code."""
    from docgen.errors import ConfigError

    try:
        with open(path, "rb") as stream:
            return _yaml_load(stream)
    except ConfigError:
        raise
    except Exception as error:
        raise ConfigError(f"MkDocs cannot read it: {str(error).splitlines()[0]}", file=str(path)) from None


def mkdocs_own_settings(path: Path) -> dict[str, Any]:
    """The settings written in `path` itself, its parents (INHERIT) left out."""
    from docgen.errors import ConfigError

    try:
        return _yaml_load(path.read_text(encoding="utf-8"))
    except Exception as error:
        raise ConfigError(f"MkDocs cannot read it: {str(error).splitlines()[0]}", file=str(path)) from None


def inherit_chain(path: Path) -> list[tuple[Path, dict[str, Any]]]:
    """`path` and each file it INHERITs from, nearest first, with the settings written in
    each; a file met again ends the chain (MkDocs itself would loop)."""
    chain = [(path, mkdocs_own_settings(path))]
    seen = {path.resolve()}
    while isinstance(parent := chain[-1][1].get("INHERIT"), str):
        current = Path(os.path.normpath(chain[-1][0].parent / parent))
        if current.resolve() in seen:
            break
        seen.add(current.resolve())
        chain.append((current, mkdocs_own_settings(current)))
    return chain


def _yaml_load(source: Any) -> dict[str, Any]:
    """MkDocs' own loader (a str source skips INHERIT), on a safe loader that tolerates tags."""
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    class TolerantLoader(yaml.SafeLoader):
        """PyYAML's safe loader, with every unknown tag read as None."""

    TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
    result = yaml_load(source, get_yaml_loader(TolerantLoader))
    if not isinstance(result, dict):
        raise ValueError("mkdocs.yml must be a mapping")
    return result


def _read_table(root: Path) -> tuple[Path | None, dict[str, Any], str]:
    """The raw docgen table, the file it came from, and the project's declared name."""
    pyproject = root / "pyproject.toml"
    project_name = ""
    table: dict[str, Any] = {}
    source: Path | None = None
    if pyproject.is_file():
        data = _parse_toml(pyproject)
        project = data.get("project")
        if isinstance(project, dict) and isinstance(project.get("name"), str):
            project_name = project["name"]
        tool = data.get("tool", {})
        if isinstance(tool, dict) and "docgen" in tool:
            source, table = pyproject, tool["docgen"]
    standalone = root / "docgen.toml"
    if standalone.is_file():
        source, table = standalone, _parse_toml(standalone)
    if not isinstance(table, dict):
        raise ConfigError("[tool.docgen] must be a table", file=str(source))
    return source, table, project_name


def _parse_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"invalid TOML: {error}", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read: {error}", file=str(path)) from None


def _validate(key: str, value: Any, source: Path | None) -> Any:
    where = str(source) if source else "command line"
    if key not in KEYS:
        known = ", ".join(sorted(KEYS))
        raise ConfigError(f"unknown key '{key}' (known keys: {known})", file=where)
    expected, _ = KEYS[key]
    # bool is an int in Python; a `max_file_size = true` is still a mistake.
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        names = " or ".join(t.__name__ for t in expected) if isinstance(expected, tuple) else expected.__name__
        raise ConfigError(f"key '{key}' must be {names}, not {type(value).__name__}", file=where)
    if key == "inventories":
        return tuple(_inventory_source(item, where) for item in value)
    if expected is list and not all(isinstance(item, str) for item in value):
        raise ConfigError(f"key '{key}' must be a list of strings", file=where)
    if key == "docstring_style" and value not in DOCSTRING_STYLES:
        raise ConfigError(
            f"key 'docstring_style' must be one of {', '.join(DOCSTRING_STYLES)}, not '{value}'",
            file=where,
        )
    if key == "builder" and value not in BUILDERS:
        raise ConfigError(f"key 'builder' must be one of {', '.join(BUILDERS)}, not '{value}'", file=where)
    if key in ("max_file_size", "max_spec_size") and value <= 0:
        raise ConfigError(f"key '{key}' must be positive", file=where)
    if key == "repo_url" and value and not _WEB_URL.match(value):
        raise ConfigError(f"key 'repo_url' must be an http or https URL, not '{value}'", file=where)
    if key == "llm":
        return _llm_settings(value, where)
    if key == "verify":
        return _verify_settings(value, where)
    if key == "index":
        return _index_settings(value, where)
    return value


def _typed_table(table: dict[str, Any], prefix: str, keys: dict[str, type], where: str) -> dict[str, Any]:
    """A settings table whose every key is known and every value of its type (an integer
    where a number of seconds is asked for is taken; true is never a number)."""
    values = dict(table)
    for name, item in values.items():
        expected = keys.get(name)
        if expected is None:
            raise ConfigError(f"unknown key '{prefix}.{name}' (known keys: {', '.join(keys)})", file=where)
        if expected is float and isinstance(item, int) and not isinstance(item, bool):
            values[name] = item = float(item)
        if not isinstance(item, expected) or (expected is not bool and isinstance(item, bool)):
            raise ConfigError(f"key '{prefix}.{name}' must be {expected.__name__}, not {type(item).__name__}", file=where)
    return values


def _llm_settings(value: str | dict[str, Any], where: str) -> LLMSettings:
    """`llm = "openai"` or an `[llm]` table, validated into settings."""
    table = _typed_table({"backend": value} if isinstance(value, str) else value, "llm", LLM_KEYS, where)
    settings = LLMSettings(**table)
    if settings.backend not in BACKENDS:
        raise ConfigError(f"key 'llm.backend' must be one of {', '.join(BACKENDS)}, not '{settings.backend}'", file=where)
    if settings.base_url and not _WEB_URL.match(settings.base_url):
        raise ConfigError(f"key 'llm.base_url' must be an http or https URL, not '{settings.base_url}'", file=where)
    if settings.timeout <= 0 or settings.context < 512:
        raise ConfigError("key 'llm.timeout' must be positive and 'llm.context' at least 512", file=where)
    if not 1 <= settings.concurrency <= 64:
        raise ConfigError(f"key 'llm.concurrency' must be between 1 and 64, not {settings.concurrency}", file=where)
    return settings


def _inventory_source(item: Any, where: str) -> InventorySource:
    """One entry of `inventories`: a URL, or a table with `url` and `file`."""
    if isinstance(item, str):
        item = {"url": item}
    if not isinstance(item, dict) or "url" not in item:
        raise ConfigError("each entry of 'inventories' must be a URL, or a table with url (and file)", file=where)
    source = InventorySource(**_typed_table(item, "inventories", {"url": str, "file": str}, where))
    if not _WEB_URL.match(source.url):
        raise ConfigError(f"key 'inventories.url' must be an http or https URL, not '{source.url}'", file=where)
    file = Path(source.file)
    if source.file and (file.is_absolute() or ".." in file.parts):
        raise ConfigError(f"key 'inventories.file' must name a file inside the project, not '{source.file}'", file=where)
    return source


def _verify_settings(table: dict[str, Any], where: str) -> VerifySettings:
    """The `[verify]` table, validated into settings."""
    settings = VerifySettings(**_typed_table(table, "verify", VERIFY_KEYS, where))
    if not 0 < settings.example_timeout <= 3600:
        raise ConfigError("key 'verify.example_timeout' must be between 0 and 3600 seconds", file=where)
    return settings


def _index_settings(table: dict[str, Any], where: str) -> IndexSettings:
    """The `[index]` table, validated into settings."""
    settings = IndexSettings(**_typed_table(table, "index", INDEX_KEYS, where))
    if settings.chroma_url and not _WEB_URL.match(settings.chroma_url):
        raise ConfigError(f"key 'index.chroma_url' must be an http or https URL, not '{settings.chroma_url}'", file=where)
    if settings.collection and not _COLLECTION.fullmatch(settings.collection):
        raise ConfigError(
            "key 'index.collection' must be 3 to 512 letters, digits, '.', '_' or '-', starting and ending"
            f" with a letter or digit, not '{settings.collection}'",
            file=where,
        )
    return settings


def init_text() -> str:
    """A commented `[tool.docgen]` table showing every key with its default."""
    defaults = {item.name: item.default for item in fields(Config)}
    lines = ["[tool.docgen]"]
    for key, (_, description) in KEYS.items():
        lines.append(f"# {description}")
        if key == "name":
            lines.append('# name = "My project"')
        elif key == "llm":
            lines.append(f'# llm = "{LLMSettings().backend}"')
        elif key == "verify":
            default = VerifySettings()
            lines.append(f"# verify = {{ run_examples = {_toml_value(default.run_examples)}, example_timeout = {default.example_timeout:g} }}")
        elif key == "index":
            lines.append('# index = { enabled = true, chroma_url = "", collection = "", model = "" }')
        else:
            lines.append(f"# {key} = {_toml_value(defaults[key])}")
    return "\n".join(lines) + "\n"


def init_config(root: Path, *, standalone: bool = False) -> Path:
    """Write the commented settings to pyproject.toml (appended) or docgen.toml; returns the file."""
    from docgen.files import write_atomic

    pyproject = root / "pyproject.toml"
    target = root / "docgen.toml" if standalone or not pyproject.is_file() else pyproject
    if (root / "docgen.toml").is_file():
        raise ConfigError("docgen is already configured here", file=str(root / "docgen.toml"))
    if target == pyproject:
        text = pyproject.read_text(encoding="utf-8")
        if "[tool.docgen]" in text:
            raise ConfigError("docgen is already configured here ([tool.docgen])", file=str(pyproject))
        write_atomic(pyproject, text.rstrip("\n") + "\n\n" + init_text())
    else:
        # docgen.toml holds the keys at the top level: the same text without the table header.
        write_atomic(target, init_text().replace("[tool.docgen]\n", "# docgen settings\n", 1))
    return target


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(f'"{item}"' for item in value) + "]"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


__all__ = [
    "Config",
    "DEFAULT_EXCLUDE",
    "VerifySettings",
    "KEYS",
    "check_root",
    "effective_mkdocs_config",
    "init_config",
    "init_text",
    "load_config",
    "mkdocs_own_settings",
]
