"""The finder: which files are read, which are skipped and why."""

from __future__ import annotations

from pathlib import Path

from docgen.config import load_config
from docgen.scan.finder import find_files


def paths(root: Path) -> list[str]:
    return [f.path for f in find_files(load_config(root)).files]


def skipped(root: Path) -> dict[str, str]:
    return {p.file: p.message for p in find_files(load_config(root)).problems}


def test_default_excludes_and_gitignore(tmp_path: Path) -> None:
    for rel in ["pkg/__init__.py", "tests/test_x.py", "build/lib.py", "gen/out.py", "node_modules/a.js", "a.js"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x = 1\n")
    (tmp_path / ".gitignore").write_text("gen/\n")
    assert paths(tmp_path) == ["a.js", "pkg/__init__.py"]


def test_markdown_only_from_readme_and_docs(tmp_path: Path) -> None:
    for rel in ["README.md", "CHANGELOG.md", "docs/guide.md", "docs/reference/x.md", "pkg/notes.md"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("# T\n")
    # docs/ is excluded from code, yet its Markdown is the user's; docs/reference/ is docgen's.
    assert paths(tmp_path) == ["README.md", "docs/guide.md"]


def test_only_yaml_declaring_openapi_is_read(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text("openapi: 3.0.0\ninfo: {}\n")
    (tmp_path / "ci.yaml").write_text("jobs: {}\n")
    assert paths(tmp_path) == ["api.yaml"]


def test_unreadable_files_are_skipped_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("x = 1\n" * 10)
    (tmp_path / "docgen.toml").write_text("max_file_size = 20\n")
    (tmp_path / "bin.c").write_bytes(b"int\x00main;")
    (tmp_path / "loop.py").symlink_to(tmp_path / "loop.py")
    (tmp_path / "real").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    reasons = skipped(tmp_path)
    assert reasons["big.py"] == "larger than max_file_size (60 > 20 bytes)"
    assert reasons["bin.c"] == "binary file"
    assert reasons["loop.py"] == "symbolic link loop"
    assert reasons["linked"] == "symbolic link to a folder of the project, not followed"


def test_folder_links_out_of_the_project_are_unsafe_and_links_inside_it_a_notice(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "real").mkdir(parents=True)
    (root / "inside").symlink_to(root / "real")
    (root / "outside").symlink_to(tmp_path)
    problems = {p.file: p for p in find_files(load_config(root)).problems}
    assert (problems["inside"].code, problems["inside"].fails_strict) == ("linked-folder", False)
    assert (problems["outside"].code, problems["outside"].fails_strict) == ("unsafe-path", True)


def test_digest_follows_content(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    first = find_files(load_config(tmp_path)).files[0].digest
    (tmp_path / "a.py").write_text("x = 2\n")
    assert find_files(load_config(tmp_path)).files[0].digest != first


def test_project_folders_are_excluded_at_the_root_only(tmp_path: Path) -> None:
    for rel in ["build/gen.py", "docs/conf.py", "pkg/__init__.py", "pkg/testing/__init__.py", "pkg/build/__init__.py"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x = 1\n")
    assert paths(tmp_path) == ["pkg/__init__.py", "pkg/build/__init__.py", "pkg/testing/__init__.py"]


def test_file_links_out_of_the_project_are_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("x = 1\n")
    outside = tmp_path / "secret.py"
    outside.write_text("TOKEN = 'do not publish'\n")
    (root / "pkg" / "secret.py").symlink_to(outside)
    (root / "pkg" / "hostname.py").symlink_to("/etc/hostname")
    (root / "pkg" / "up.py").symlink_to("../../secret.py")  # relative, and out by `..`
    (root / "pkg" / "alias.py").symlink_to(root / "pkg" / "__init__.py")  # stays inside: fine
    (root / "pkg" / "hop.py").symlink_to(root / "pkg" / "secret.py")  # inside, to a link out
    found = find_files(load_config(root))
    assert [f.path for f in found.files] == ["pkg/__init__.py", "pkg/alias.py"]
    message = "symbolic link to a file outside the project, not followed"
    assert [(p.code, p.file, p.message) for p in found.problems] == [
        ("unsafe-path", rel, message) for rel in ["pkg/hop.py", "pkg/hostname.py", "pkg/secret.py", "pkg/up.py"]
    ]
    assert all("do not publish" not in f.text for f in found.files)


def test_a_project_reached_through_a_link_reads_its_own_links(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "pkg").mkdir(parents=True)
    (real / "pkg" / "__init__.py").write_text("x = 1\n")
    (real / "pkg" / "alias.py").symlink_to("__init__.py")
    (tmp_path / "linked").symlink_to(real)
    assert paths(tmp_path / "linked") == ["pkg/__init__.py", "pkg/alias.py"]


def test_markdown_in_docs_that_is_not_utf8_is_skipped_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.md").write_bytes("# Guide\n\nok\ncaf\xe9\n".encode("latin-1"))
    (tmp_path / "docs" / "other.md").write_text("# Other\n")
    found = find_files(load_config(tmp_path))
    assert [f.path for f in found.files] == ["docs/other.md"]
    assert [str(p) for p in found.problems] == ["docs/guide.md:4: not UTF-8 (byte 15)"]


def test_a_fifo_named_like_source_is_skipped_not_read(tmp_path: Path) -> None:
    import os
    import threading

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/__init__.py").write_text("x = 1\n")
    os.mkfifo(tmp_path / "pkg/pipe.py")  # reading it would wait for a writer forever
    found: list = []
    finder = threading.Thread(target=lambda: found.append(find_files(load_config(tmp_path))), daemon=True)
    finder.start()
    finder.join(timeout=10)
    assert found, "the finder blocked reading a FIFO"
    assert {p.file: p.message for p in found[0].problems} == {"pkg/pipe.py": "not a regular file"}
