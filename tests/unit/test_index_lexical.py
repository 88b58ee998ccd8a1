"""Lexical search on real bm25s and PyStemmer: identifiers found as people type them."""

from __future__ import annotations

from pathlib import Path

from docgen.index.chunk import Chunk
from docgen.index.lexical import LexicalIndex, fuse
from docgen.index.terms import terms


def chunk(symbol: str, text: str) -> Chunk:
    return Chunk(f"symbol:{symbol}", text, symbol, f"reference/#{symbol}", symbol, "function", "python", "m.py", 1)


CHUNKS = [
    chunk("pkg.config.Config.from_file", "def from_file(path)\nRead settings from a TOML file."),
    chunk("pkg.io.readFileLines", "function readFileLines(path)\nThe lines of a text file."),
    chunk("pkg.net.fetch", "def fetch(url)\nDownload a page over HTTP."),
    chunk("pkg.errors.ConfigError", "class ConfigError\nRaised when the settings are invalid."),
]


def test_identifiers_split_on_case_and_underscores_and_stay_whole() -> None:
    assert terms("from_file") == ["from", "file", "from_file"]
    assert terms("readFileLines") == ["read", "file", "line", "readfilelines"]
    assert terms("How do I read the settings?") == ["read", "set"]


def test_search_finds_an_identifier_by_its_words_and_by_itself(tmp_path: Path) -> None:
    index = LexicalIndex.build(CHUNKS)
    assert index.search("from file", 3)[0][0] == "symbol:pkg.config.Config.from_file"
    assert index.search("read file lines", 3)[0][0] == "symbol:pkg.io.readFileLines"
    assert index.search("ConfigError", 3)[0][0] == "symbol:pkg.errors.ConfigError"
    assert index.search("quantum chromodynamics", 3) == []  # no word of the docs: nothing
    index.save(tmp_path / "bm25")
    again = LexicalIndex.load(tmp_path / "bm25")
    assert again is not None and again.search("download page", 1)[0][0] == "symbol:pkg.net.fetch"
    assert LexicalIndex.load(tmp_path / "missing") is None


def test_reciprocal_rank_fusion_favours_what_both_rankings_hold() -> None:
    fused = fuse([["a", "b"], ["b", "c"]], 3)
    assert [chunk_id for chunk_id, _ in fused] == ["b", "a", "c"]
    assert fused[0][1] == 1 / 62 + 1 / 61
