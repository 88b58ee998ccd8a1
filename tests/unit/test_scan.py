"""The scan loop: one bad file becomes one problem, and every other file is still read."""

from __future__ import annotations

from pathlib import Path

from docgen.config import load_config
from docgen.problems import Problem
from docgen.scan import scan
from docgen.scan.finder import Found, FoundFile


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def test_a_go_method_without_receiver_does_not_stop_the_scan(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "go/bad.go": "package m\n\n// Ok is fine.\nfunc Ok() {}\n\nfunc () M() {}\n",
            "go/good.go": "package m\n\n// Run runs.\nfunc Run() {}\n",
            "lib.rs": "/// Add.\npub fn add() {}\n",
        },
    )
    project = scan(load_config(tmp_path))
    ids = {symbol.id for symbol in project.walk()}
    assert {"go::Ok", "go::Run", "lib.rs::add"} <= ids  # one package per folder
    assert [str(p) for p in project.problems] == ["go/bad.go:6: method M has no receiver type; left out"]


def test_an_unexpected_reader_failure_is_one_internal_problem(tmp_path: Path) -> None:
    # No reader knows "fortran": the lookup fails the way a reader bug would, for one file.
    found = Found(
        files=(
            FoundFile("a.f90", "fortran", "program a\nend program a\n", "0"),
            FoundFile("b.go", "go", "package m\n\nfunc B() {}\n", "1"),
        ),
        problems=(),
    )
    project = scan(load_config(tmp_path), found)
    assert [s.id for s in project.walk() if s.kind not in ("file", "package")] == ["m::B"]
    assert project.problems == (
        Problem(
            code="internal",
            message="docgen could not read this file: KeyError: 'fortran'; please report it",
            file="a.f90",
        ),
    )


def test_a_malformed_spec_is_still_a_skipped_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "api.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: [a]\n",
            "b.go": "package m\n\nfunc B() {}\n",
        },
    )
    project = scan(load_config(tmp_path))
    assert [(p.code, str(p)) for p in project.problems] == [
        ("skipped", "api.yaml:3: `paths` is not a mapping")
    ]
    assert "m::B" in {symbol.id for symbol in project.walk()}


def test_hostile_and_malformed_specs_cost_one_line_each(tmp_path: Path) -> None:
    head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
    lol = "x-lol:\n  a0: &a0 [" + ", ".join(["lol"] * 9) + "]\n"
    lol += "".join(f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 9))
    write(
        tmp_path,
        {
            "api/laughs.yaml": head + lol,
            "api/loop.yaml": head + "x: &a {b: *a}\n",
            "api/trailing.json": '{"openapi": "3.0.0", "info": {"title": "t", "version": "1"},\n"paths": {},}\n',
            "b.go": "package m\n\nfunc B() {}\n",
        },
    )
    project = scan(load_config(tmp_path))
    assert [(p.code, str(p)) for p in project.problems] == [
        ("skipped", "api/laughs.yaml:11: YAML aliases expand too far (past 1,000,000 nodes)"),
        ("skipped", "api/loop.yaml:4: a YAML alias refers to a collection that contains it"),
        ("read-in-part", "api/trailing.json:2: not valid JSON (Expecting property name enclosed in double quotes); read as YAML"),
    ]
    assert {"m::B", "api/trailing.json"} <= {symbol.id for symbol in project.walk()}
