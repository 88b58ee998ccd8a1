"""Edit a YAML file's text in place: the lines docgen changes, and nothing else.

A YAML library can round-trip comments, but not each block's own indentation, quoting
and spacing: writing a user's file back through one re-indents every block it did not
mean to touch. So docgen parses the file once (ruamel keeps every node's line), and
replaces, inserts or appends whole lines, leaving every other byte as it was.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq


def dump(value: Any) -> str:
    """`value` as block-style YAML, indented the way docgen writes its own files."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(value, stream)
    return stream.getvalue()


class YamlText:
    """The lines of a YAML mapping document, with edits applied when `text` is read.

    Positions come from the document as parsed (`data`, a ruamel round-trip load of the
    same text); edits never overlap, since each touches the block of a different key.
    """

    def __init__(self, text: str, data: CommentedMap) -> None:
        # Line breaks as YAML counts them (str.splitlines also breaks at form feeds).
        self.lines = _LINE.findall(text)
        first = self.lines[0] if self.lines else ""
        # Lines docgen adds end as the file's own lines do (a CRLF file stays CRLF).
        self.eol = "\r\n" if first.endswith("\r\n") else "\r" if first.endswith("\r") else "\n"
        self.data = data
        # Where each top-level key starts, as parsed: callers may change `data` as they go.
        # Keys a merge key (`<<: *base`) brings in have no line here: only the map's own.
        self.starts = {key: position[0] for key, position in data.lc.data.items()}
        # A top-level merge key holds no key docgen edits, but ends the block before it.
        column = min((position[1] for position in data.lc.data.values()), default=0)
        self.boundaries = sorted(
            {*self.starts.values(), *(i for i, line in enumerate(self.lines) if re.match(rf" {{{column}}}<<\s*:", line))}
        )
        # The document's own lines: after a `%YAML` directive or `---`, before a closing `...`.
        body = min(self.boundaries, default=len(self.lines))
        self.top = max((i + 1 for i in range(body) if _DOCUMENT_START.match(self.lines[i])), default=0)
        last = max(self.boundaries, default=0)
        self.bottom = next((i for i in range(last + 1, len(self.lines)) if _DOCUMENT_END.match(self.lines[i])), len(self.lines))
        # (start, end, text, order): replace lines[start:end] with text. Of the edits at one
        # place, inside-a-block ones come before document appends, each in the order made.
        self.edits: list[tuple[int, int, str, tuple[int, int]]] = []

    def text(self) -> str:
        """The document with every edit applied."""
        lines = list(self.lines)
        if lines and not lines[-1].endswith(("\n", "\r")) and any(edit[0] == len(lines) for edit in self.edits):
            lines[-1] += self.eol  # something follows the last line now
        for start, end, replacement, _ in sorted(self.edits, key=lambda edit: (edit[0], edit[3]), reverse=True):
            lines[start:end] = [replacement] if replacement else []
        return "".join(lines)

    def _edit(self, start: int, end: int, text: str, *, appended: bool = False) -> None:
        self.edits.append((start, end, text.replace("\n", self.eol), (int(appended), len(self.edits))))

    def owns(self, key: str) -> bool:
        """Whether `key` is written in the map itself (not brought in by a merge key)."""
        return key in self.starts

    def is_alias(self, key: str) -> bool:
        """Whether the value of a top-level key is an alias (`*name`) of a node written
        earlier: editing it in place would change that node too."""
        value = self.data.get(key)
        position = getattr(value, "lc", None)
        return key in self.starts and position is not None and position.line is not None and position.line < self.starts[key]

    def block(self, key: str) -> tuple[int, int]:
        """The lines of a top-level key and its value, without the blank and comment lines
        that end it (they belong to what follows)."""
        start = self.starts[key]
        following = [line for line in self.boundaries if line > start]
        end = min(following, default=self.bottom)
        while end > start + 1 and self._is_blank_or_comment(end - 1):
            end -= 1
        return start, end

    def prepend(self, text: str) -> None:
        """Add lines at the very top of the document (after its `---`, if any)."""
        self._edit(self.top, self.top, text)

    def append(self, text: str) -> None:
        """Add lines at the end of the document (before its `...`, if any)."""
        self._edit(self.bottom, self.bottom, text, appended=True)

    def replace_block(self, key: str, text: str) -> None:
        """Replace a top-level key and its value."""
        start, end = self.block(key)
        self._edit(start, end, text)

    def append_items(self, key: str, values: list[Any]) -> None:
        """Add `values` at the end of a top-level block sequence, lined up with the items
        already there."""
        sequence = self.data[key]
        _, end = self.block(key)
        dash = self._dash_column(sequence, len(sequence) - 1)
        self._edit(end, end, _indented(dump(list(values)), dash))

    def replace_item(self, key: str, index: int, value: Any) -> None:
        """Replace one item of a top-level block sequence."""
        sequence = self.data[key]
        start = sequence.lc.item(index)[0]
        end = sequence.lc.item(index + 1)[0] if index + 1 < len(sequence) else self.block(key)[1]
        while end > start + 1 and self._is_blank_or_comment(end - 1):
            end -= 1
        self._edit(start, end, _indented(dump([value]), self._dash_column(sequence, index)))

    def append_entries(self, key: str, entries: dict[str, Any]) -> None:
        """Add `entries` at the end of a top-level block mapping, lined up with its keys."""
        mapping = self.data[key]
        _, end = self.block(key)
        column = mapping.lc.key(list(mapping)[-1])[1]
        self._edit(end, end, _indented(dump(dict(entries)), column))

    def is_block(self, key: str) -> bool:
        """Whether a top-level key holds a non-empty block sequence or mapping, which
        lines can be added to."""
        value = self.data.get(key)
        return isinstance(value, (CommentedSeq, CommentedMap)) and len(value) > 0 and not value.fa.flow_style()

    def _dash_column(self, sequence: CommentedSeq, index: int) -> int:
        line, column = sequence.lc.item(index)
        return max(self.lines[line].rfind("-", 0, column), 0)

    def _is_blank_or_comment(self, index: int) -> bool:
        stripped = self.lines[index].strip()
        return not stripped or stripped.startswith("#")


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_DOCUMENT_START = re.compile(r"---(\s|$)|%")
_DOCUMENT_END = re.compile(r"\.\.\.(\s|$)")


def _indented(text: str, column: int) -> str:
    """`text` (docgen's own YAML) shifted so that its first line starts at `column`."""
    lines = text.splitlines(keepends=True)
    margin = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()), default=0)
    return "".join(" " * column + line[margin:] if line.strip() else line for line in lines)
