"""Guides as files people review and commit, like a lockfile.

Each drafted guide is a Markdown page whose front matter records what it was drafted
from: the symbols (by content hash) and files (by digest) of its evidence, the prompt's
version, the model, and a hash of the body as docgen wrote it. From that record alone a
build can tell, without any model, that a page is current (publish it as it is), stale
(its evidence changed: draft it again) or edited by a person (its body hash differs:
never overwrite it, report it stale instead).

The front matter is YAML that MkDocs reads (`title`), written with every value quoted as
JSON and read back line by line: a guide file comes from the repository, and docgen never
hands it to a YAML parser of its own.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

GENERATOR = "docgen"
_KEYS = ("title", "generated_by", "model", "prompt", "body_hash")
_MAPS = ("evidence_symbols", "evidence_files")


@dataclass(frozen=True)
class Evidence:
    """What a guide was drafted from."""

    symbols: tuple[tuple[str, str], ...] = ()  # (symbol id, content hash), sorted
    files: tuple[tuple[str, str], ...] = ()  # (project-relative path, content digest), sorted

    @property
    def digest(self) -> str:
        """One digest of all of it: the key of the draft cache."""
        return hashlib.blake2b(repr((self.symbols, self.files)).encode(), digest_size=16).hexdigest()

    def changes_since(self, older: Evidence) -> list[str]:
        """What changed from `older` to this, in words (`click.core.Command changed`)."""
        changes = []
        for label, new, old in (("", self.symbols, older.symbols), ("file ", self.files, older.files)):
            now, before = dict(new), dict(old)
            changes += [f"{label}{key} changed" for key in sorted(now.keys() & before.keys()) if now[key] != before[key]]
            changes += [f"{label}{key} added" for key in sorted(now.keys() - before.keys())]
            changes += [f"{label}{key} removed" for key in sorted(before.keys() - now.keys())]
        return changes


@dataclass(frozen=True)
class Guide:
    """A drafted guide page: its record and its body."""

    title: str
    model: str
    prompt: str  # the prompt's name and version, e.g. "overview/1"
    evidence: Evidence
    body: str
    body_hash: str = ""  # as written by docgen; empty: compute from the body

    @property
    def edited(self) -> bool:
        """Whether someone changed the body since docgen wrote it."""
        return bool(self.body_hash) and self.body_hash != body_hash(self.body)

    def text(self) -> str:
        """The page as written to the docs folder: front matter, then the body."""
        lines = ["---"]
        values = {
            "title": self.title,
            "generated_by": GENERATOR,
            "model": self.model,
            "prompt": self.prompt,
            "body_hash": body_hash(self.body),
        }
        lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()]
        for name, pairs in zip(_MAPS, (self.evidence.symbols, self.evidence.files)):
            lines.append(f"{name}:" + ("" if pairs else " {}"))
            lines += [f"  {json.dumps(key, ensure_ascii=False)}: {json.dumps(value)}" for key, value in pairs]
        lines.append("---")
        return "\n".join(lines) + "\n\n" + self.body


def body_hash(body: str) -> str:
    """The digest a guide's front matter records of its body."""
    return hashlib.blake2b(body.strip().encode(), digest_size=16).hexdigest()


def read_guide(text: str) -> Guide | None:
    """A guide docgen wrote, read back; None for any other page (a person's own page at a
    guide's path wins over the guide, and is never touched)."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0:
        return None
    values: dict[str, str] = {}
    maps: dict[str, list[tuple[str, str]]] = {name: [] for name in _MAPS}
    current: str | None = None
    try:
        for line in text[4:end].split("\n"):
            if line.startswith("  ") and current is not None:
                key, value = _pair(line.strip())
                maps[current].append((key, value))
                continue
            name, _, rest = line.partition(":")
            rest = rest.strip()
            if name in _MAPS:
                current = name
                if rest not in ("", "{}"):
                    return None
            elif name in _KEYS:
                current = None
                value = json.loads(rest)
                if not isinstance(value, str):
                    return None
                values[name] = value
            else:
                return None
    except ValueError:
        return None
    if values.get("generated_by") != GENERATOR or not all(key in values for key in _KEYS):
        return None
    body = text[end + len("\n---\n") :].lstrip("\n")
    evidence = Evidence(tuple(sorted(maps["evidence_symbols"])), tuple(sorted(maps["evidence_files"])))
    return Guide(values["title"], values["model"], values["prompt"], evidence, body, values["body_hash"])


def _pair(line: str) -> tuple[str, str]:
    """`"key": "value"` as two strings (ValueError for anything else)."""
    decoder = json.JSONDecoder()
    key, end = decoder.raw_decode(line)
    rest = line[end:].lstrip()
    if not rest.startswith(":"):
        raise ValueError("no colon")
    value = json.loads(rest[1:].strip())
    if not isinstance(key, str) or not isinstance(value, str):
        raise ValueError("not strings")
    return key, value
