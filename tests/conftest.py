"""Shared fixtures: the sample repository, copied so tests can build in it freely."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "sample"
SNAPSHOTS = Path(__file__).parent / "snapshots"


# Builds in tests draft no guides unless a test asks for a model: the default one takes
# minutes per guide. Tests of drafting set their backend themselves.
os.environ["DOCGEN_LLM"] = "none"
# Nor do they fill a knowledge base, but for the tests of the knowledge base, which turn it on.
os.environ["DOCGEN_INDEX"] = "off"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--snapshot-update",
        action="store_true",
        help="Rewrite the golden files in tests/snapshots/ from the current output.",
    )


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A private copy of the sample repository."""
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE, target)
    return target


@pytest.fixture
def snapshot(request: pytest.FixtureRequest):
    """Compare text with a golden file; `pytest --snapshot-update` rewrites the golden files."""
    update = request.config.getoption("--snapshot-update")

    def check(name: str, text: str) -> None:
        path = SNAPSHOTS / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.is_file(), f"no golden file {path}; run `pytest --snapshot-update` to create it"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, (
            f"{name} differs from its golden file; if the change is intended, "
            "run `.venv/bin/python -m pytest --snapshot-update` and review the diff"
        )

    return check


@pytest.fixture(autouse=True, scope="session")
def private_user_cache(tmp_path_factory: pytest.TempPathFactory):
    """Keep the user-level caches (compiled templates) of test builds out of ~/.cache."""
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous
