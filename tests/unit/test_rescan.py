"""The kept Python scan: after any edit, reading again only part of a project gives what a
full scan gives, and reads only that part."""

from __future__ import annotations

import json
import logging
import textwrap
from pathlib import Path

import pytest

from docgen.config import load_config
from docgen.model import Symbol
from docgen.scan import scan
from docgen.scan.rescan import load_scan, plan_rescan, scan_path

FILES = {
    "pkg/__init__.py": '''
        """The package."""
        from pkg._impl import Engine, make
        from pkg import base

        __all__ = ["Engine", "make", "base"]
    ''',
    "pkg/_impl.py": '''
        """Private home of the engine."""

        class Engine:
            """Runs things.

            Args:
                speed: How fast.
            """

            def __init__(self, speed: int = 1) -> None:
                self.speed = speed

            def run(self, steps: int) -> int:
                """Run `steps` steps."""
                return steps


        def make(speed: int = 2) -> Engine:
            """A new engine."""
            return Engine(speed)
    ''',
    "pkg/base.py": '''
        """Bases."""
        import torch.nn as nn


        class Block(nn.Module):
            """A block."""

            def forward(self, x):
                """Apply the block."""
                return x


        class Shape:
            """Has an area."""

            def area(self) -> float:
                """The area."""
                return 0.0
    ''',
    "pkg/models.py": '''
        """Models."""
        from pkg.base import Block, Shape


        class Big(Block):
            """A bigger block."""

            def __init__(self):
                super().__init__()
                self.inner = Block()


        class Square(Shape):
            """Four sides."""
    ''',
    "pkg/other.py": '''
        """Unrelated to everything else."""

        def helper(x: int) -> int:
            """Help with `x`."""
            return x
    ''',
    "pkg/stubbed.py": '''
        def fast(x):
            return x
    ''',
    "pkg/stubbed.pyi": '''
        """Typed."""
        def fast(x: int) -> int:
            """Fast thing."""
    ''',
}

# Each edit: (file, old text, new text).
EDITS = {
    "docstring of a re-exported class": ("pkg/_impl.py", "Runs things.", "Runs things, edited."),
    "signature of a re-exported function": ("pkg/_impl.py", "speed: int = 2", "speed: float = 2.5"),
    "docstring a subclass inherits": ("pkg/base.py", "The area.", "The area, edited."),
    "forward of a base model": ("pkg/base.py", "def forward(self, x):", "def forward(self, x, mask=None):"),
    "a function added": ("pkg/other.py", "def helper(", "def extra() -> None:\n    pass\n\n\ndef helper("),
    "a function removed": ("pkg/_impl.py", "def make(speed: int = 2) -> Engine:", "def _make(speed: int = 2) -> Engine:"),
    "members reordered": ("pkg/base.py", "class Block(nn.Module):", "class Later:\n    pass\n\n\nclass Block(nn.Module):"),
    "__all__ changed": ("pkg/__init__.py", '"make", ', ""),
    "bases changed": ("pkg/models.py", "class Square(Shape):", "class Square:"),
    "a stub edited": ("pkg/stubbed.pyi", "Fast thing.", "Fast thing, edited."),
    "a syntax error": ("pkg/other.py", "def helper(x: int)", "def helper(x: int"),
    "a docstring warning": ("pkg/other.py", 'Help with `x`."""', 'Help with `x`.\n\n    Args:\n        y: No such parameter.\n    """'),
}
# The edits that keep every module's shape: the rest are scanned again in full.
READ_IN_PART = {
    "docstring of a re-exported class",
    "signature of a re-exported function",
    "docstring a subclass inherits",
    "forward of a base model",
    "a stub edited",
    "a docstring warning",
}


def write(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    (root / "docgen.toml").write_text("inherited_members = true\n", encoding="utf-8")


def full_scan(root: Path):
    return scan(load_config(root))


def kept_scan(root: Path):
    return scan(load_config(root), keep_scan=True)


def tree(symbols) -> list[tuple]:
    """Everything about every symbol, hashes included, in order."""
    return [(s.id, s.hash, s.location, s.docstring, s.signature, s.model, s.fields) for top in symbols for s in top.walk()]


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_scan_after_an_edit_equals_a_full_scan(tmp_path: Path, edit: str, caplog: pytest.LogCaptureFixture) -> None:
    write(tmp_path, FILES)
    kept_scan(tmp_path)
    path, old, new = EDITS[edit]
    text = (tmp_path / path).read_text(encoding="utf-8")
    assert old in text
    (tmp_path / path).write_text(text.replace(old, new), encoding="utf-8")

    with caplog.at_level(logging.DEBUG, logger="docgen.scan"):
        again = kept_scan(tmp_path)
    assert any(r.getMessage().startswith("read again") for r in caplog.records) == (edit in READ_IN_PART)
    fresh = full_scan(tmp_path)
    assert tree(again.symbols) == tree(fresh.symbols)
    assert sorted(again.problems, key=repr) == sorted(fresh.problems, key=repr)
    # And the scan it kept is the new one.
    assert tree(kept_scan(tmp_path).symbols) == tree(fresh.symbols)


def previous_and_digests(root: Path, edited: str) -> tuple:
    config = load_config(root)
    kept = kept_scan(root)
    data = scan_path(config.cache_path).read_text(encoding="utf-8")
    previous = load_scan(config.cache_path, json.loads(data)["key"])
    assert previous is not None and kept.symbols
    digests = dict(previous.digests)
    digests[edited] = "edited"
    return previous, digests


def test_an_edit_reads_again_only_its_module_what_shows_it_and_their_packages(tmp_path: Path) -> None:
    write(tmp_path, FILES)
    previous, digests = previous_and_digests(tmp_path, "pkg/other.py")
    plan = plan_rescan(previous, digests)
    assert plan is not None
    assert plan.modules == {"pkg.other"}
    assert plan.load == {"pkg/other.py", "pkg/__init__.py"}

    digests = dict(previous.digests, **{"pkg/_impl.py": "edited"})
    plan = plan_rescan(previous, digests)
    assert plan is not None
    assert plan.modules == {"pkg", "pkg._impl"}  # pkg re-exports Engine and make

    digests = dict(previous.digests, **{"pkg/base.py": "edited"})
    plan = plan_rescan(previous, digests)
    assert plan is not None
    assert plan.modules == {"pkg.base", "pkg.models"}  # Big and Square derive from its classes


def test_files_added_or_removed_need_a_full_scan(tmp_path: Path) -> None:
    write(tmp_path, FILES)
    previous, digests = previous_and_digests(tmp_path, "pkg/other.py")
    assert plan_rescan(previous, {**digests, "pkg/new.py": "new"}) is None
    del digests["pkg/other.py"]
    assert plan_rescan(previous, digests) is None


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"key": "k", "digests": {}, "symbols": [{"@": "Popen", "args": "rm -rf ~"}], "problems": [], "public_paths": {}}',
        '{"key": "k", "digests": {}, "symbols": [{"@": "Symbol", "id": "x"}], "problems": [], "public_paths": {}}',
    ],
)
def test_a_damaged_or_planted_scan_is_ignored(tmp_path: Path, content: str) -> None:
    write(tmp_path, FILES)
    expected = tree(full_scan(tmp_path).symbols)
    config = load_config(tmp_path)
    kept_scan(tmp_path)
    path = scan_path(config.cache_path)
    key = json.loads(path.read_text(encoding="utf-8"))["key"]
    path.write_text(content.replace('"k"', json.dumps(key)), encoding="utf-8")
    assert load_scan(config.cache_path, key) is None
    assert tree(kept_scan(tmp_path).symbols) == expected


def test_the_kept_scan_round_trips_the_model(tmp_path: Path) -> None:
    write(tmp_path, FILES)
    kept = kept_scan(tmp_path)
    config = load_config(tmp_path)
    data = scan_path(config.cache_path).read_text(encoding="utf-8")
    previous = load_scan(config.cache_path, json.loads(data)["key"])
    assert previous is not None
    python = tuple(s for s in kept.symbols if s.language == "python")
    assert previous.symbols == python
    assert all(isinstance(s, Symbol) for top in previous.symbols for s in top.walk())
    assert [s.hash for s in previous.symbols] == [s.hash for s in python]
