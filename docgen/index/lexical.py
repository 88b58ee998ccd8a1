"""Lexical search: BM25 (bm25s) over the chunks' terms (see `terms`), and the fusion of
rankings by reciprocal rank that makes search hybrid."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docgen.index.chunk import Chunk
from docgen.index.terms import terms

RRF_K = 60  # the usual constant of reciprocal rank fusion: rank 1 scores 1/61


class LexicalIndex:
    """BM25 over the terms of a set of chunks, by chunk id."""

    def __init__(self, ids: list[str], retriever: Any) -> None:
        self.ids = ids
        self._retriever = retriever

    @classmethod
    def build(cls, chunks: Sequence[Chunk]) -> LexicalIndex:
        """The index of `chunks` (their title counts as part of their text)."""
        import bm25s

        retriever = bm25s.BM25()
        if chunks:
            retriever.index([terms(f"{chunk.title}\n{chunk.text}") or ["_"] for chunk in chunks], show_progress=False)
        return cls([chunk.id for chunk in chunks], retriever)

    def search(self, query: str, limit: int) -> list[tuple[str, float]]:
        """The ids of the chunks that best match `query`, best first, with their scores."""
        vocabulary = getattr(self._retriever, "vocab_dict", None) or {}
        wanted = [term for term in terms(query) if term in vocabulary]
        if not wanted or not self.ids:
            return []
        found, scores = self._retriever.retrieve([wanted], k=min(limit, len(self.ids)), show_progress=False)
        return [(self.ids[int(i)], float(s)) for i, s in zip(found[0], scores[0]) if s > 0]

    def save(self, folder: Path) -> None:
        """Write the index into `folder`, replacing what it held only once all is written."""
        staging = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        self._retriever.save(str(staging))
        (staging / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        staging.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        """The index saved in `folder`, or None when there is none (or it is unreadable)."""
        import bm25s

        try:
            ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
            return cls([str(i) for i in ids], bm25s.BM25.load(str(folder)))
        except (OSError, ValueError, KeyError):
            return None


def fuse(rankings: Sequence[Sequence[str]], limit: int) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: each id scored by the sum of 1 / (RRF_K + rank) over the
    rankings it is in, best first."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
