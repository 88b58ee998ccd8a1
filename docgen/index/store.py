"""Where the chunks' vectors live: Chroma, embedded under `.docgen/` or on a server.

The store holds, per chunk id, its vector, its text and its metadata (with the chunk's
digest, which says whether it must be embedded again). One collection per project; its
metadata names the embedding model, and vectors of another model are never mixed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from docgen.errors import EXIT_OUTPUT, DocgenError
from docgen.index.chunk import Chunk

MODEL_KEY = "docgen_model"  # collection metadata: the digest of the model that embedded it


class StoreError(DocgenError):
    """The vector store cannot be opened, read or written."""

    exit_code = EXIT_OUTPUT


class VectorStore:
    """One Chroma collection of chunk vectors."""

    def __init__(self, collection: Any, where: str) -> None:
        self._collection = collection
        self.where = where

    @classmethod
    def open(cls, *, folder: Path, url: str, name: str, model: str, create: bool = True) -> VectorStore:
        """The collection `name` in the local store in `folder`, or on the Chroma server at
        `url`, holding vectors of the embedding model whose digest is `model`. To fill it
        (`create`), it is made if missing and emptied if another model's vectors are in it;
        to search it, either is an error."""
        where = url or str(folder)
        metadata = {"hnsw:space": "cosine", MODEL_KEY: model}
        with _reporting(where, "open"):
            client = _client(folder, url, create)
            if create:
                collection = client.get_or_create_collection(name, embedding_function=None, metadata=metadata)
            else:
                collection = client.get_collection(name, embedding_function=None)
            if (collection.metadata or {}).get(MODEL_KEY) != model:
                if not create:
                    raise StoreError(f"collection {name!r} holds another model's vectors: run `docgen index`", file=where)
                client.delete_collection(name)
                collection = client.create_collection(name, embedding_function=None, metadata=metadata)
        store = cls(collection, where)
        store._batch = getattr(client, "get_max_batch_size", lambda: 1000)()
        return store

    def digests(self) -> dict[str, str]:
        """The digest of every chunk stored, by id."""
        with _reporting(self.where, "read"):
            stored = self._collection.get(include=["metadatas"])
        return {i: str((meta or {}).get("digest", "")) for i, meta in zip(stored["ids"], stored["metadatas"] or [])}

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Store `chunks` with their vectors (one row each), replacing any of the same id."""
        with _reporting(self.where, "write"):
            for start in range(0, len(chunks), self._batch):
                part = chunks[start : start + self._batch]
                self._collection.upsert(
                    ids=[chunk.id for chunk in part],
                    embeddings=vectors[start : start + len(part)],
                    documents=[chunk.text for chunk in part],
                    metadatas=[_metadata(chunk) for chunk in part],
                )

    def delete(self, ids: Iterable[str]) -> None:
        """Remove the chunks of these ids (those not stored are no error)."""
        ids = list(ids)
        with _reporting(self.where, "write"):
            for start in range(0, len(ids), self._batch):
                self._collection.delete(ids=ids[start : start + self._batch])

    def nearest(self, vector: np.ndarray, limit: int) -> list[tuple[str, float]]:
        """The ids of the `limit` chunks nearest `vector`, nearest first, with their cosine similarity."""
        with _reporting(self.where, "search"):
            count = self._collection.count()
            if not count:
                return []
            found = self._collection.query(query_embeddings=[vector], n_results=min(limit, count), include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(found["ids"][0], found["distances"][0])]


def collection_name(site_name: str) -> str:
    """A Chroma collection name for a project: `docgen-` and its name, as Chroma spells names."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", site_name).strip("-._")[:60].strip("-._")
    return f"docgen-{slug}" if slug else "docgen"


def _client(folder: Path, url: str, create: bool) -> Any:
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if not url:
        if not create and not folder.is_dir():
            raise StoreError("no vector store here: run `docgen index`", file=str(folder))
        folder.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(folder), settings=settings)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 8000)
    return chromadb.HttpClient(host=parts.hostname or "", port=port, ssl=parts.scheme == "https", settings=settings)


def _metadata(chunk: Chunk) -> dict[str, str | int]:
    return {
        "digest": chunk.digest,
        "title": chunk.title,
        "url": chunk.url,
        "symbol": chunk.symbol or "",
        "kind": chunk.kind,
        "language": chunk.language,
        "file": chunk.file,
        "line": chunk.line,
    }


@contextmanager
def _reporting(where: str, doing: str) -> Iterator[None]:
    """Turn whatever Chroma or its HTTP client raises into one line naming the store."""
    try:
        yield
    except DocgenError:
        raise
    except Exception as error:
        reason = (str(error).strip().splitlines() or [""])[0][:200]
        detail = reason or type(error).__name__
        raise StoreError(f"cannot {doing} the vector store: {detail}", file=where) from error
