"""The knowledge base on disk: filled from a build's symbols and pages, searched by
`docgen search`, `ask`, `serve` and `mcp`.

It lives in `.docgen/index/`: `chroma/` (the local vector store, unless `index.chroma_url`
names a server), `lexical/` (BM25 over the same chunks) and `chunks.json` (every chunk,
the build inputs and commit it describes, and the model that embedded it). `chunks.json`
is written last and whole: until then, searches read the previous index.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from docgen.config import Config
from docgen.errors import DocgenError
from docgen.files import user_cache_dir, write_atomic
from docgen.index.chunk import Chunk
from docgen.index.embed import Embedder, ModelFolder
from docgen.index.lexical import LexicalIndex, fuse
from docgen.index.store import VectorStore, collection_name
from docgen.progress import Reporter

FORMAT = 1  # of chunks.json
EMBED_BATCH = 64  # chunks embedded and stored at a time: progress moves, memory stays flat
CANDIDATES = 30  # hits each retriever hands to rank fusion
SNIPPET_CHARACTERS = 240
_IDENTIFIER = re.compile(r"[A-Za-z_][\w]*(?:(?:\.|::)[A-Za-z_][\w]*)*")


@dataclass
class IndexReport:
    """What indexing did, for people and `--json`."""

    chunks: int = 0
    embedded: int = 0  # chunks new or changed, embedded by this run
    deleted: int = 0  # chunks gone from the docs, removed from the store
    seconds: float = 0.0
    store: str = ""


@dataclass(frozen=True)
class Hit:
    """One search result."""

    chunk: Chunk
    score: float
    similarity: float = 0.0  # the cosine of its vector and the query's, when among the nearest

    @property
    def snippet(self) -> str:
        return snippet(self.chunk)

    def as_dict(self) -> dict[str, Any]:
        """The hit as `docgen search --json` prints it."""
        c = self.chunk
        return {"symbol": c.symbol, "title": c.title, "url": c.url, "snippet": self.snippet, "score": round(self.score, 6), "file": c.file, "line": c.line}


def index_folder(config: Config) -> Path:
    """Where the knowledge base of `config`'s project lives: `.docgen/index/`."""
    return config.cache_path / "index"


def embedder_for(config: Config, model: ModelFolder | None = None) -> Embedder:
    """The configured embedding model (the packaged one unless `index.model` names a folder)."""
    if model is None:
        model = ModelFolder(config.root / config.index.model) if config.index.model else ModelFolder.default()
    return Embedder(model, user_cache_dir() / "embedders")


def update_index(
    config: Config,
    chunks: Sequence[Chunk],
    *,
    inputs: str = "",
    reporter: Reporter | None = None,
) -> IndexReport:
    """Bring the knowledge base to `chunks`: embed and store the new and changed ones, remove
    the vanished ones, rebuild the lexical index, then record them all in `chunks.json`.
    `inputs` is the digest of the inputs they come from (see `index_key`)."""
    start = time.perf_counter()
    chunks = list({chunk.id: chunk for chunk in chunks}.values())
    folder = index_folder(config)
    embedder = embedder_for(config)
    store = _open_store(config, embedder.model.digest)
    stored = store.digests()
    changed = [chunk for chunk in chunks if stored.get(chunk.id) != chunk.digest]
    with (reporter or Reporter()).task("Indexing", len(changed), unit="chunks embedded") as advance:
        for first in range(0, len(changed), EMBED_BATCH):
            part = changed[first : first + EMBED_BATCH]
            store.upsert(part, embedder.embed([chunk.text for chunk in part]))
            for chunk in part:
                advance(chunk.title)
    ids = {chunk.id for chunk in chunks}
    vanished = [chunk_id for chunk_id in stored if chunk_id not in ids]
    store.delete(vanished)
    LexicalIndex.build(chunks).save(folder / "lexical")
    record = {
        "format": FORMAT,
        "key": index_key(config, inputs),
        "commit": project_commit(config.root),
        "model": {"path": str(embedder.model.path), "digest": embedder.model.digest},
        "collection": _collection(config),
        "store": store.where,
        "chunks": [asdict(chunk) for chunk in chunks],
    }
    write_atomic(folder / "chunks.json", json.dumps(record, ensure_ascii=False))
    return IndexReport(len(chunks), len(changed), len(vanished), time.perf_counter() - start, store.where)


def index_key(config: Config, inputs: str) -> str:
    """What the knowledge base holds when filled from the inputs whose digest is `inputs`
    into the store the settings name."""
    where = (config.index.chroma_url, _collection(config), config.index.model, str(FORMAT))
    return hashlib.blake2b("\0".join((inputs, *where)).encode("utf-8"), digest_size=16).hexdigest()


def index_summary(config: Config) -> dict[str, Any]:
    """What the knowledge base holds, as an `IndexReport` of a run that changed nothing."""
    record = json.loads((index_folder(config) / "chunks.json").read_text(encoding="utf-8"))
    return asdict(IndexReport(chunks=len(record["chunks"]), store=str(record.get("store", ""))))


def indexed_key(config: Config) -> str | None:
    """The `index_key` the knowledge base was last filled with, if there is one."""
    try:
        return str(json.loads((index_folder(config) / "chunks.json").read_text(encoding="utf-8")).get("key", ""))
    except (OSError, ValueError, AttributeError):
        return None


class KnowledgeBase:
    """The knowledge base as the last index left it, for searching."""

    def __init__(self, config: Config, record: dict[str, Any], lexical: LexicalIndex) -> None:
        self.config = config
        self.commit: str | None = record.get("commit")
        self.chunks = {item["id"]: Chunk(**item) for item in record["chunks"]}
        self._lexical = lexical
        self._model = record["model"]
        self._store: VectorStore | None = None
        self._embedder: Embedder | None = None

    @classmethod
    def open(cls, config: Config) -> KnowledgeBase:
        """The knowledge base the last index of `config`'s project left; one line when
        there is none, or it cannot be read."""
        folder = index_folder(config)
        try:
            record = json.loads((folder / "chunks.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DocgenError("no knowledge base yet: run `docgen build` or `docgen index` first", file=str(config.root)) from None
        except (OSError, ValueError) as error:
            raise DocgenError(f"cannot read the knowledge base: {error}", file=str(folder / "chunks.json")) from None
        if not isinstance(record, dict) or record.get("format") != FORMAT:
            raise DocgenError("the knowledge base was written by another docgen version: run `docgen index`", file=str(folder))
        lexical = LexicalIndex.load(folder / "lexical")
        if lexical is None:
            raise DocgenError("the lexical index is missing or unreadable: run `docgen index`", file=str(folder / "lexical"))
        return cls(config, record, lexical)

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """The chunks that best answer `query`, best first: BM25 and vector rankings fused."""
        query = query.strip()
        if not query or not self.chunks:
            return []
        exact, loose = self.named(query)
        lexical = [chunk_id for chunk_id, _ in self._lexical.search(query, CANDIDATES)]
        nearest = dict(self.nearest(query, CANDIDATES))
        vector = list(nearest)
        # Typed as it is spelt, an identifier finds its own symbols first; the rest by fusion.
        top = 1.0 + len(exact)
        ranked = [(chunk_id, top - rank) for rank, chunk_id in enumerate(exact)]
        ranked += [(chunk_id, score) for chunk_id, score in fuse([loose, lexical, vector], CANDIDATES) if chunk_id not in exact]
        # A chunk the store still holds from an interrupted index, but the record does not, is not shown.
        return [
            Hit(self.chunks[chunk_id], score, nearest.get(chunk_id, 0.0)) for chunk_id, score in ranked if chunk_id in self.chunks
        ][:limit]

    def named(self, query: str) -> tuple[list[str], list[str]]:
        """The symbols a query that is an identifier names (`echo`, `click.echo`,
        `Context.invoke()`): those spelt exactly so, and those spelt in another case; each
        shortest id first."""
        name = query.strip().removesuffix("()")
        if not _IDENTIFIER.fullmatch(name):
            return [], []
        exact: list[Chunk] = []
        loose: list[Chunk] = []
        for chunk in self.chunks.values():
            symbol = chunk.symbol or ""
            if symbol == name or symbol.endswith("." + name):
                exact.append(chunk)
            elif symbol.lower() == name.lower() or symbol.lower().endswith("." + name.lower()):
                loose.append(chunk)

        def ids(chunks: list[Chunk]) -> list[str]:
            return [c.id for c in sorted(chunks, key=lambda c: ((c.symbol or "").count("."), c.symbol or ""))][:CANDIDATES]

        return ids(exact), ids(loose)

    def nearest(self, query: str, limit: int) -> list[tuple[str, float]]:
        """The chunks nearest `query` in meaning, with their cosine similarity."""
        if self._embedder is None:
            self._embedder = embedder_for(self.config, ModelFolder(Path(self._model["path"]), self._model["digest"]))
        if self._store is None:
            self._store = _open_store(self.config, self._model["digest"], create=False)
        return self._store.nearest(self._embedder.embed([query])[0], limit)


def _open_store(config: Config, model: str, *, create: bool = True) -> VectorStore:
    return VectorStore.open(
        folder=index_folder(config) / "chroma", url=config.index.chroma_url, name=_collection(config), model=model, create=create
    )


def _collection(config: Config) -> str:
    return config.index.collection or collection_name(config.name or config.root.name)


def snippet(chunk: Chunk) -> str:
    """The start of what a chunk says, on one line."""
    text = re.sub(r"\s+", " ", chunk.summary or chunk.text).strip()
    if len(text) <= SNIPPET_CHARACTERS:
        return text
    return text[:SNIPPET_CHARACTERS].rsplit(" ", 1)[0] + " …"


def project_commit(root: Path) -> str | None:
    """The commit the project's working tree is at, if it is a git repository."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and re.fullmatch(r"[0-9a-f]{40,64}", commit) else None
