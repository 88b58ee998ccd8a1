"""Packaged models: found in their installed packages, never imported; the default one is
assembled from its parts once, checked, and assembled again when its copy is damaged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docgen.generate.llm import LLMError
from docgen.generate.llm import models
from docgen.generate.llm.models import PackagedModel, model_file


def test_the_small_model_is_found_in_its_package() -> None:
    path, model_id = model_file("smollm2", Path("."))
    assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000 and model_id == models.SMOLLM2.model_id


def test_a_path_or_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "m.gguf").write_bytes(b"GGUF")
    assert model_file("m.gguf", tmp_path) == (tmp_path / "m.gguf", "m")
    with pytest.raises(LLMError, match="no model file 'nope.gguf'"):
        model_file("nope.gguf", tmp_path)


def test_parts_are_assembled_once_and_again_when_damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    parts = [tmp_path / "a.bin", tmp_path / "b.bin"]
    parts[0].write_bytes(b"first half,")
    parts[1].write_bytes(b" second half")
    whole = b"first half, second half"
    model = PackagedModel("toy", "toy-1", "reinstall", ("a", "b"), len(whole), hashlib.sha256(whole).hexdigest())
    target = models._assembled(model, parts)
    assert target.read_bytes() == whole
    stamp = os.stat(target).st_mtime_ns
    assert models._assembled(model, parts).stat().st_mtime_ns == stamp  # checked, not assembled again
    target.write_bytes(b"first half, second hal!")  # damaged in place
    assert models._assembled(model, parts).read_bytes() == whole
    parts[1].write_bytes(b" other half!")
    target.unlink()
    with pytest.raises(LLMError, match="do not make the expected file"):
        models._assembled(model, parts)
    assert not target.exists()
