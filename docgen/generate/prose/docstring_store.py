"""Docstring drafts as one file people review and commit, beside the guides.

`<docs_dir>/<guides_dir>/docstrings.json` holds one entry per symbol whose docstring a
model drafted, keyed by the symbol's id, each recording what the draft was drafted from
(`evidence`: a digest of what the model was told of the symbol), the prompt's version,
the model, the drafted fields and a hash of them as docgen wrote them. Keys are sorted and
every field sits on a line of its own, so a review reads one hunk per symbol.

The file comes from the repository: it is read as plain JSON and checked field by field.
An entry that does not fit is set aside with one problem and written back as it stands,
like an entry a person edited (its fields no longer match their hash): docgen never
drafts over either. Characters HTML acts on are written as JSON escapes, so the file
stays inert even where a server shows it as a page (MkDocs publishes the docs folder).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.problems import Problem

STORE_NAME = "docstrings.json"
FORMAT = "docstring-drafts/1"  # the marker that makes the file docgen's
_ENTRY_KEYS = frozenset({"evidence", "model", "prompt", "fields", "fields_hash"})
_FIELD_KEYS = frozenset({"summary", "params", "returns", "raises"})
_ENTRY = re.compile(r'^    ("(?:[^"\\\n]|\\.)*"): \{', re.MULTILINE)  # an entry's key, as docgen writes it
# Characters that mean something to HTML, written as JSON escapes (as Go's encoder does).
_HTML_INERT = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


@dataclass(frozen=True)
class DocstringDraft:
    """A drafted docstring: its record and its fields (parameters and errors by name)."""

    symbol: str
    model: str
    prompt: str  # the prompt's name and version, e.g. "docstring/1"
    evidence: str  # digest of what the model was told of the symbol
    summary: str
    params: tuple[tuple[str, str], ...] = ()  # (parameter name, description), sorted as the file holds them
    returns: str = ""
    raises: tuple[tuple[str, str], ...] = ()  # (exception as the scan resolved it, description), sorted
    edited: bool = False  # read back with fields that no longer match the hash docgen wrote

    @property
    def empty(self) -> bool:
        """Whether nothing of it is left to show (all of it was dropped by the verifier)."""
        return not (self.summary or self.params or self.returns or self.raises)

    def fields(self) -> dict[str, Any]:
        """The drafted fields as the file holds them."""
        return {"summary": self.summary, "params": dict(self.params), "returns": self.returns, "raises": dict(self.raises)}

    def entry(self) -> dict[str, Any]:
        """The entry as docgen writes it."""
        fields = self.fields()
        return {"evidence": self.evidence, "model": self.model, "prompt": self.prompt, "fields": fields, "fields_hash": fields_hash(fields)}


@dataclass
class DocstringStore:
    """The drafts file as read: its drafts, and the entries set aside (kept as they are)."""

    drafts: dict[str, DocstringDraft] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)  # every entry as read, by symbol id
    malformed: frozenset[str] = frozenset()  # ids of entries that do not fit the format
    lines: dict[str, int] = field(default_factory=dict)  # where each entry starts in the file, for problems
    problems: list[Problem] = field(default_factory=list)
    unreadable: str = ""  # why the file as a whole cannot be read ("": it can, or there is none)


def fields_hash(fields: dict[str, Any]) -> str:
    """The digest an entry records of its fields."""
    return hashlib.blake2b(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode(), digest_size=16).hexdigest()


def clean(text: str) -> str:
    """A drafted field as one line of plain text: no control or format characters (no
    terminal escapes, no bidirectional overrides in a patch), whitespace collapsed."""
    kept = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text if unicodedata.category(c) not in ("Cf", "Cs"))
    return " ".join(kept.split())


def read_store(text: str, shown: str) -> DocstringStore:
    """The store in `text` (the file at `shown`, as problems name it), never trusted: a
    file that is not docgen's store is `unreadable`; an entry that does not fit is set
    aside with a problem at its line."""
    store = DocstringStore()
    try:
        data = json.loads(text)
    except ValueError as error:
        line = getattr(error, "lineno", 0)
        store.unreadable = f"not JSON ({getattr(error, 'msg', error)})"
        store.problems.append(_problem(f"{store.unreadable}; fix it or remove it", shown, line))
        return store
    if not isinstance(data, dict) or data.get("docgen") != FORMAT or not isinstance(data.get("drafts"), dict):
        store.unreadable = f"not a docgen docstring drafts file (no \"docgen\": \"{FORMAT}\" with \"drafts\")"
        store.problems.append(_problem(f"{store.unreadable}; move it, or set guides_dir to another folder", shown))
        return store
    store.lines = _entry_lines(text)
    malformed = set()
    for symbol, value in data["drafts"].items():
        store.raw[symbol] = value
        draft = read_entry(symbol, value)
        if draft is None:
            malformed.add(symbol)
            message = f"entry {json.dumps(clean(symbol)[:120])} is not a docstring draft; set aside, kept as it is"
            store.problems.append(_problem(message, shown, store.lines.get(symbol, 0)))
        else:
            store.drafts[symbol] = draft
    store.malformed = frozenset(malformed)
    return store


def is_store(text: str) -> bool:
    """Whether `text` is a docstring drafts file docgen can read (and so may write)."""
    return not read_store(text, "").unreadable


def read_store_file(path: Path, shown: str) -> DocstringStore | None:
    """The drafts file at `path` (`shown` as problems name it), or None when there is none.
    A link, or a file that cannot be read as UTF-8, is `unreadable`: never followed, never
    written over."""
    try:
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise OSError("not a plain file")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror or str(error) if isinstance(error, OSError) else "not UTF-8"
        return DocstringStore(problems=[_problem(f"cannot be read ({reason}); docstring drafts neither shown nor drafted", shown)], unreadable=reason)
    return read_store(text, shown)


def store_text(entries: dict[str, Any]) -> str:
    """The file holding `entries` (by symbol id): sorted, one field a line, HTML-inert."""
    text = json.dumps({"docgen": FORMAT, "drafts": entries}, indent=2, sort_keys=True, ensure_ascii=False)
    return re.sub("[<>&]", lambda match: _HTML_INERT[match.group(0)], text) + "\n"


def read_entry(symbol: str, value: Any) -> DocstringDraft | None:
    """One entry of the file (as JSON values) read back, or None when it does not fit the format."""
    if not isinstance(value, dict) or set(value) != _ENTRY_KEYS:
        return None
    fields = value["fields"]
    if not all(isinstance(value[key], str) for key in _ENTRY_KEYS - {"fields"}) or not isinstance(fields, dict):
        return None
    if set(fields) != _FIELD_KEYS or not isinstance(fields["summary"], str) or not isinstance(fields["returns"], str):
        return None
    pairs = []
    for name in ("params", "raises"):
        mapping = fields[name]
        if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
            return None
        pairs.append(tuple(sorted((clean(key), clean(description)) for key, description in mapping.items())))
    return DocstringDraft(
        symbol=symbol,
        model=clean(value["model"]),
        prompt=value["prompt"],
        evidence=value["evidence"],
        summary=clean(fields["summary"]),
        params=pairs[0],
        returns=clean(fields["returns"]),
        raises=pairs[1],
        edited=value["fields_hash"] != fields_hash(fields),  # the fields as written, before `clean`
    )


def _entry_lines(text: str) -> dict[str, int]:
    """The line each entry of the file starts on (as docgen writes it: a key indented by
    four spaces), by symbol id; entries laid out otherwise are not found (line 0)."""
    lines: dict[str, int] = {}
    line, position = 1, 0
    for match in _ENTRY.finditer(text):
        line += text.count("\n", position, match.start())  # counted once, from the last entry on
        position = match.start()
        try:
            lines.setdefault(json.loads(match.group(1)), line)
        except ValueError:
            continue
    return lines


def _problem(message: str, shown: str, line: int = 0) -> Problem:
    return Problem("docstring-drafts", message, shown, line)
