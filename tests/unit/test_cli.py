"""Every command through click's CliRunner, and every command has --help text."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from docgen import __version__
from docgen.cli import main


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and result.output.strip() == f"docgen, version {__version__}"


@pytest.mark.parametrize("command", [[], *[[name] for name in main.commands]])
def test_every_command_has_help(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert "Exit codes:" in result.output
    if command:
        assert main.commands[command[0]].help, f"{command[0]} has no help text"


def test_help_lists_every_command() -> None:
    output = invoke("--help").output
    for name in ("build", "init", "scan"):
        assert name in output


def test_scan_prints_an_inventory(sample: Path) -> None:
    result = invoke("scan", str(sample))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "Files:   c 2, cpp 2, cuda 2, go 1, javascript 1, markdown 2, openapi 1, python 7, rust 1, typescript 2\n"
    )
    assert "Documented:" in result.output


def test_scan_json(sample: Path) -> None:
    (sample / "src/sample_pkg/broken.py").write_text("def f(:\n")
    result = invoke("scan", str(sample), "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data["files"]) >= {"python", "c", "cpp", "cuda", "javascript", "typescript", "rust", "go", "openapi", "markdown"}
    assert data["symbols"]["class"] >= 4
    assert 0 < data["coverage"] < 1
    assert {"file": "src/sample_pkg/broken.py", "line": 1} == {
        k: v for k, v in data["problems"][0].items() if k in ("file", "line")
    }


def test_build_then_unchanged(sample: Path) -> None:
    first = invoke("build", str(sample), "--json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    assert report["status"] == "built" and report["pages"] > 5
    second = invoke("build", str(sample))
    assert second.exit_code == 0
    assert "Nothing changed" in second.output


def test_site_outside_the_project_but_docs_inside_it(sample: Path, tmp_path: Path) -> None:
    result = invoke("-q", "build", str(sample), "--docs-dir", str(sample / "manual"), "--site-dir", str(tmp_path / "s"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "index.html").is_file()
    assert (sample / "manual" / "reference" / "index.md").is_file()
    # docgen writes and deletes in the docs folder: it must be the project's.
    outside = invoke("build", str(sample), "--docs-dir", str(tmp_path / "d"))
    assert outside.exit_code == 3
    assert "key 'docs_dir' must name a path inside the project" in outside.output
    assert not (tmp_path / "d").exists()


def test_missing_path_is_one_line_with_exit_code_4(tmp_path: Path) -> None:
    result = invoke("build", str(tmp_path / "nope"))
    assert result.exit_code == 4
    assert result.output.strip() == f"error: {tmp_path / 'nope'}: no such directory"


def test_config_error_exit_code_3(tmp_path: Path) -> None:
    (tmp_path / "docgen.toml").write_text("colour = 1\n")
    result = invoke("scan", str(tmp_path))
    assert result.exit_code == 3
    assert result.output.startswith(f"error: {tmp_path / 'docgen.toml'}: unknown key 'colour'")
    assert result.output.count("\n") == 1


def test_strict_build_exit_code_1(sample: Path) -> None:
    (sample / "src/sample_pkg/models/__init__.py").write_text('"""See `sample_pkg.missing_thing`."""\n')
    result = invoke("build", str(sample), "--strict")
    assert result.exit_code == 1
    assert "unresolved reference `sample_pkg.missing_thing`" in result.output


def test_init(tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path))
    assert result.exit_code == 0
    assert (tmp_path / "docgen.toml").is_file()
    again = invoke("init", str(tmp_path))
    assert again.exit_code == 3 and "already configured" in again.output


def test_console_entry_point_flushes_output_and_keeps_exit_codes(tmp_path: Path) -> None:
    import subprocess
    import sys

    version = subprocess.run([sys.executable, "-m", "docgen.cli", "--version"], capture_output=True, text=True)
    assert (version.returncode, version.stdout.strip()) == (0, f"docgen, version {__version__}")
    missing = subprocess.run([sys.executable, "-m", "docgen.cli", "scan", str(tmp_path / "nope")], capture_output=True, text=True)
    assert missing.returncode == 4
    assert missing.stderr.strip() == f"error: {tmp_path / 'nope'}: no such directory"


def test_inventory_counts_a_cpp_header_as_cpp(tmp_path: Path) -> None:
    (tmp_path / "db.h").write_text("namespace store {\nclass DB {\n public:\n  int Get();\n};\n}\n")
    (tmp_path / "util.h").write_text("int add(int a, int b);\n")
    data = json.loads(invoke("scan", str(tmp_path), "--json").output)
    assert data["files"] == {"c": 1, "cpp": 1}


def test_scan_lists_every_symbol_by_the_rule_the_pages_follow(sample: Path) -> None:
    from docgen.config import load_config
    from docgen.generate.reference import RenderOptions, plan_pages
    from docgen.scan import scan

    result = invoke("scan", str(sample), "--json", "--symbols")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = data["symbol_list"]
    assert set(rows[0]) == {"id", "kind", "language", "file", "lines", "public", "documented"}
    assert sum(data["symbols"].values()) == len(rows)
    _, index = plan_pages(scan(load_config(sample)), RenderOptions())
    assert {row["id"] for row in rows if row["public"]} == set(index.targets)
    counted = [row for row in rows if row["public"] and row["kind"] not in ("package", "module", "file", "api", "tag")]
    assert data["public"] == len(counted)
    assert data["documented"] == sum(row["documented"] for row in counted)


def test_scan_symbols_as_text(sample: Path) -> None:
    result = invoke("scan", str(sample), "--symbols")
    assert result.exit_code == 0, result.output
    assert "sample_pkg.load  function  src/sample_pkg/__init__.py:8  (public, documented)" in result.output


def test_scan_lists_every_kind_of_problem(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text('"""A package."""\n')
    (package / "bad.py").write_text("def f(:\n")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.py"
    outside.write_text("SECRET = 1\n")
    (package / "link.py").symlink_to(outside)
    result = invoke("scan", str(tmp_path))
    assert result.exit_code == 0
    assert "Skipped files (1):\n  pkg/bad.py:1: syntax error" in result.output
    assert "Links out of the project, not followed (1):\n  pkg/link.py: " in result.output


def test_a_bad_command_line_found_by_a_command_exits_2_not_as_an_internal_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["ask", "   ", "-C", str(tmp_path)])
    assert result.exit_code == 2 and "QUESTION must hold" in result.output
