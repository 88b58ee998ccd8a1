"""The embedder: the packaged all-MiniLM-L6-v2, its graph written from the weights by docgen
and run by onnxruntime, against vectors sentence-transformers computed from the same
weights (tests/fixtures/embeddings/minilm-reference.json, made once with
sentence-transformers 6.3.0 and torch 2.13.0)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from docgen.errors import DocgenError
from docgen.files import user_cache_dir
from docgen.index.embed import Embedder, ModelFolder, read_safetensors

REFERENCE = Path(__file__).parents[1] / "fixtures" / "embeddings" / "minilm-reference.json"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder(ModelFolder.default(), user_cache_dir() / "embedders")


def test_vectors_agree_with_sentence_transformers(embedder: Embedder) -> None:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    vectors = embedder.embed(reference["texts"])
    expected = np.array(reference["vectors"], dtype=np.float32)
    cosine = (vectors * expected).sum(axis=1)
    texts = reference["texts"]
    assert vectors.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    # int8 weights move each vector a little, never far (the float graph agrees to 1e-6).
    assert all(c > 0.98 for c, text in zip(cosine, texts) if text), cosine
    # Meaning is kept: the question is nearer the sentence that answers it than the weather.
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_the_graph_is_written_once_and_reused(embedder: Embedder) -> None:
    first = embedder.graph()
    written = first.stat().st_mtime_ns
    again = Embedder(ModelFolder.default(), embedder.cache).graph()
    assert again == first and again.stat().st_mtime_ns == written
    assert [p.name for p in embedder.cache.iterdir() if p.name.startswith(".export-")] == []


def test_a_text_gets_the_same_vector_whatever_it_is_embedded_with(embedder: Embedder) -> None:
    texts = ["short", "a much longer text about parsing command line options " * 8, "medium length text here"]
    together = embedder.embed(texts)
    alone = np.vstack([embedder.embed([text]) for text in texts])
    assert np.array_equal(together, alone)  # incremental indexing relies on it


def test_a_folder_that_is_not_a_model_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(DocgenError, match=r"not an embedding model folder \(no model.safetensors\)"):
        Embedder(ModelFolder(tmp_path), tmp_path / "cache")


def test_another_model_of_the_same_shape_gets_its_own_graph(tmp_path: Path, embedder: Embedder) -> None:
    copy = tmp_path / "model"
    shutil.copytree(embedder.model.path, copy)
    config = json.loads((copy / "config.json").read_text(encoding="utf-8"))
    config["layer_norm_eps"] = 1e-6  # a different model, as far as the digest knows
    (copy / "config.json").write_text(json.dumps(config), encoding="utf-8")
    assert ModelFolder(copy).digest != embedder.model.digest


def test_safetensors_are_read_as_written(embedder: Embedder) -> None:
    tensors = read_safetensors(embedder.model.path / "model.safetensors")
    assert tensors["embeddings.word_embeddings.weight"].shape == (30522, 384)
    assert tensors["encoder.layer.5.output.dense.weight"].dtype == np.float32
