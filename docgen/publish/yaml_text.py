"""Edit a YAML file's text in place: the lines docgen changes, and nothing else.

A YAML library can round-trip comments, but not each block's own indentation, quoting
and spacing: writing a user's file back through one re-indents every block it did not
mean to touch. So docgen parses the file once (ruamel keeps every node's line), and
replaces, inserts or appends whole lines, leaving every other byte as it was.
"""

from __future__ import annotations

import io
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
        self.lines = text.splitlines(keepends=True)
        if self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += "\n"
        self.data = data
        # Where each top-level key starts, as parsed: callers may change `data` as they go.
        self.starts = {key: data.lc.key(key)[0] for key in data}
        # (start, end, text, order): replace lines[start:end] with text. Of the edits at one
        # place, inside-a-block ones come before document appends, each in the order made.
        self.edits: list[tuple[int, int, str, tuple[int, int]]] = []

    def text(self) -> str:
        """The document with every edit applied."""
        lines = list(self.lines)
        for start, end, replacement, _ in sorted(self.edits, key=lambda edit: (edit[0], edit[3]), reverse=True):
            lines[start:end] = [replacement] if replacement else []
        return "".join(lines)

    def _edit(self, start: int, end: int, text: str, *, appended: bool = False) -> None:
        self.edits.append((start, end, text, (int(appended), len(self.edits))))

    def block(self, key: str) -> tuple[int, int]:
        """The lines of a top-level key and its value, without the blank and comment lines
        that end it (they belong to what follows)."""
        start = self.starts[key]
        following = [line for line in self.starts.values() if line > start]
        end = min(following, default=len(self.lines))
        while end > start + 1 and self._is_blank_or_comment(end - 1):
            end -= 1
        return start, end

    def prepend(self, text: str) -> None:
        """Add lines at the very top of the document."""
        self._edit(0, 0, text)

    def append(self, text: str) -> None:
        """Add lines at the end of the document."""
        self._edit(len(self.lines), len(self.lines), text, appended=True)

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


def _indented(text: str, column: int) -> str:
    """`text` (docgen's own YAML) shifted so that its first line starts at `column`."""
    lines = text.splitlines(keepends=True)
    margin = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()), default=0)
    return "".join(" " * column + line[margin:] if line.strip() else line for line in lines)
