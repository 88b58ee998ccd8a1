"""The scan loop: one bad file becomes one problem, every other file is still read, and what the
files say together (Go packages, C declarations and their definitions) is joined."""

from __future__ import annotations

from pathlib import Path

from docgen.config import load_config
from docgen.model import Location
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


def test_a_function_declared_in_a_header_and_defined_in_a_source_file_is_one_symbol(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "include/calc.hpp": "namespace calc {\n// Adds numbers.\nclass Adder {\npublic:\n    /// Add two values.\n    int add(int a, int b);\n    int twice(int a);\n};\n}\n",
            "src/calc.cpp": '#include "calc.hpp"\nnamespace calc {\nint Adder::add(int a, int b) { return a + b; }\n\n/// Twice a.\nint Adder::twice(int a) { return 2 * a; }\n\n// Only here.\nstatic int helper() { return 1; }\n}\n',
        },
    )
    project = scan(load_config(tmp_path))
    found = {symbol.id: symbol for symbol in project.walk()}
    add, twice = found["include/calc.hpp::calc::Adder::add"], found["include/calc.hpp::calc::Adder::twice"]
    assert (add.location.file, add.location.start, add.definition) == ("include/calc.hpp", 6, Location("src/calc.cpp", 3, 3))
    assert add.docstring.raw == "Add two values."  # the header's doc
    assert twice.docstring.raw == "Twice a."  # the definition's, where the header has none
    assert [s.id for s in project.walk() if s.location.file == "src/calc.cpp" and s.kind != "file"] == [
        "src/calc.cpp::calc",
        "src/calc.cpp::calc::helper",
    ]


def test_rust_files_of_a_crate_become_its_module_paths(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "tok/Cargo.toml": '[package]\nname = "fast-tok"\nversion = "0.1.0"\n',
            "tok/src/lib.rs": "//! Tokens.\npub mod vocab;\n/// Go.\npub fn run() {}\n",
            "tok/src/vocab/mod.rs": "/// A vocabulary.\npub struct Vocab;\n",
            "tok/src/vocab/merge.rs": "/// Merge.\npub fn merge() {}\n",
            "tok/build.rs": "fn main() {}\n",
            "loose/src/x.rs": "/// No crate around it.\npub fn x() {}\n",
        },
    )
    project = scan(load_config(tmp_path))
    modules = {s.id: s.location.file for s in project.symbols if s.language == "rust"}
    assert modules == {
        "fast_tok": "tok/src/lib.rs",
        "fast_tok::vocab": "tok/src/vocab/mod.rs",
        "fast_tok::vocab::merge": "tok/src/vocab/merge.rs",
        "tok/build.rs": "tok/build.rs",  # outside `src/`: a file page
        "loose/src/x.rs": "loose/src/x.rs",  # no Cargo.toml: a file page
    }
    assert {s.id for s in project.walk()} >= {"fast_tok::run", "fast_tok::vocab::Vocab", "fast_tok::vocab::merge::merge"}
