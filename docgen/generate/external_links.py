"""Links to other projects' documentation, read from their Sphinx inventories
(`objects.inv`, the `inventories` setting): `pathlib.Path` in a signature links to
docs.python.org, `torch.Tensor` to pytorch.org, as mkdocstrings and Sphinx link them.

An inventory is read from a file in the project, or, where the settings give only its URL,
fetched once and kept under `.docgen/inventories/`: fetched again when a week old; while
the network is down the copy kept serves, and the fetch is tried again a day later.
Nothing is fetched that the settings do not name. An inventory that cannot be had or read
is one problem, and the pages go on without its links. Its entries are untrusted text:
only http and https links come out of it.
"""

from __future__ import annotations

import builtins
import hashlib
import os
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

from docgen.config import Config, InventorySource
from docgen.files import write_atomic
from docgen.problems import Problem

MAX_AGE = 7 * 24 * 3600  # seconds a fetched inventory is used before it is fetched again
RETRY_AFTER = 24 * 3600  # seconds before a failed fetch is tried again (the old copy serving)
MAX_BYTES = 50_000_000  # of an inventory, fetched or inflated
TIMEOUT = 10.0
# Python objects an inventory lists (Sphinx's `py` domain), not its pages or glossary terms.
_PYTHON_ROLES = frozenset(
    {"module", "class", "exception", "function", "method", "classmethod", "staticmethod", "attribute", "property", "data", "type"}
)


@dataclass(frozen=True)
class ExternalLinks:
    """Python names of other projects (`pathlib.Path`, `str`) and the URL documenting each."""

    urls: Mapping[str, str] = field(default_factory=dict, repr=False)
    digest: str = ""  # of everything read: pages linking out render again when it changes

    def url(self, name: str, imports: Mapping[str, str]) -> str | None:
        """The URL documenting `name` as written where `imports` apply (`np.ndarray` with
        `import numpy as np`, `Path` with `from pathlib import Path`), or None. An imported
        name is what it was imported as, never another project's name that looks alike."""
        if not self.urls:
            return None
        name = name.strip().removeprefix("~").removesuffix("()")
        head, dot, rest = name.partition(".")
        return self.urls.get(imports[head] + dot + rest if head in imports else name)


def load_external_links(config: Config) -> tuple[ExternalLinks, list[Problem]]:
    """The links of every configured inventory, the first inventory winning where two name
    the same object, and a problem for each that could not be read."""
    urls: dict[str, str] = {}
    problems: list[Problem] = []
    digest = hashlib.blake2b(digest_size=16)
    for source in config.inventories:
        try:
            data, entries = _read_inventory(config, source)
        except InventoryError as error:
            problems.append(Problem("inventory", f"{error}; its links are left out", _settings_file(config, source)))
            continue
        digest.update(f"{source.file or source.fetched_from}\0{source.base}\0".encode() + hashlib.blake2b(data, digest_size=16).digest())
        for name, url in entries.items():
            urls.setdefault(name, url)
    return ExternalLinks(urls, digest.hexdigest() if config.inventories else ""), problems


def inventories_current(config: Config) -> bool:
    """Whether every inventory given by URL is in the cache, and younger than a week: a
    build may then be skipped as unchanged (else it fetches what is due)."""
    now = time.time()
    for source in config.inventories:
        if not source.file:
            cached = _cached(config, source)
            if not cached.is_file() or now - cached.stat().st_mtime >= MAX_AGE:
                return False
    return True


class InventoryError(Exception):
    """An inventory that cannot be had or read, in one line."""


def _settings_file(config: Config, source: InventorySource) -> str:
    """Where a problem with `source` is: the file it read, else the settings naming its URL."""
    if source.file or config.source is None:
        return source.file
    return config.source.relative_to(config.root).as_posix() if config.source.is_relative_to(config.root) else str(config.source)


def _cached(config: Config, source: InventorySource) -> Path:
    return config.cache_path / "inventories" / (hashlib.blake2b(source.fetched_from.encode(), digest_size=12).hexdigest() + ".inv")


def _read_inventory(config: Config, source: InventorySource) -> tuple[bytes, dict[str, str]]:
    """The inventory's bytes and its Python entries: from its file; or from the cache while
    a week old at most, else fetched and kept (only once it reads as an inventory). A
    failed fetch falls back to the copy kept, and is tried again a day later."""
    if source.file:
        path = (config.root / source.file).resolve()
        if not path.is_relative_to(config.root.resolve()):
            raise InventoryError(f"inventory '{source.file}' is outside the project")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InventoryError(f"cannot read inventory '{source.file}': {error.strerror or error}") from None
        return data, _python_entries(data, source.base)
    cached = _cached(config, source)
    if cached.is_file() and time.time() - cached.stat().st_mtime < MAX_AGE:
        data = cached.read_bytes()
        return data, _python_entries(data, source.base)
    try:
        data = _fetch(source.fetched_from)
        entries = _python_entries(data, source.base)
    except InventoryError:
        if not cached.is_file():
            raise
        retry = time.time() - MAX_AGE + RETRY_AFTER  # offline, or the site is down: last week's links beat none
        os.utime(cached, (retry, retry))
        data = cached.read_bytes()
        return data, _python_entries(data, source.base)
    write_atomic(cached, data)
    return data, entries


def _fetch(url: str) -> bytes:
    import httpx

    try:
        with httpx.stream("GET", url, timeout=TIMEOUT, follow_redirects=True) as response:
            if response.status_code != 200:
                raise InventoryError(f"cannot fetch inventory {url}: HTTP {response.status_code}")
            data = bytearray()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > MAX_BYTES:
                    raise InventoryError(f"inventory {url} is larger than {MAX_BYTES // 1_000_000} MB")
            return bytes(data)
    except httpx.HTTPError as error:
        raise InventoryError(f"cannot fetch inventory {url}: {str(error) or type(error).__name__}") from None


def _python_entries(data: bytes, base: str) -> dict[str, str]:
    """Each Python object of the inventory `data` and its URL under `base`."""
    import sphobjinv

    try:
        inventory = sphobjinv.Inventory(plaintext=_plaintext(data))
    except InventoryError:
        raise
    except Exception as error:  # sphobjinv raises many kinds on a damaged file
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InventoryError(f"not a Sphinx inventory (objects.inv v2): {first}") from None
    entries = {}
    for item in inventory.objects:
        if item.domain != "py" or item.role not in _PYTHON_ROLES:
            continue
        if "." not in item.name and not hasattr(builtins, item.name):
            continue  # a bare name is a builtin (`str`, `None`), or a word: Sphinx lists template variables so
        url = _url(base, item.uri[:-1] + item.name if item.uri.endswith("$") else item.uri)  # Sphinx's shorthand
        if url is not None:
            entries.setdefault(item.name, url)
    return entries


def _plaintext(data: bytes) -> bytes:
    """The inventory's text: its four header lines, then the zlib body inflated, to
    `MAX_BYTES` at most (a small file may inflate to gigabytes)."""
    lines = data.split(b"\n", 4)
    if len(lines) < 5 or not lines[0].startswith(b"# Sphinx inventory version 2"):
        raise InventoryError("not a Sphinx inventory (objects.inv v2): no version 2 header")
    inflater = zlib.decompressobj()
    try:
        body = inflater.decompress(lines[4], MAX_BYTES)
    except zlib.error as error:
        raise InventoryError(f"not a Sphinx inventory (objects.inv v2): {error}") from None
    if inflater.unconsumed_tail:
        raise InventoryError(f"inventory inflates to more than {MAX_BYTES // 1_000_000} MB")
    return b"\n".join(lines[:4]) + b"\n" + body


def _url(base: str, uri: str) -> str | None:
    """`uri` under `base`, percent-encoded for a Markdown link and an HTML attribute; None
    for anything but an http or https URL (`javascript:` from a hostile inventory)."""
    url = urljoin(base, uri.strip())
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    return quote(url, safe=":/?#@!$&*+,;=%-._~")
