"""Stage 1: turn a source tree into a `Project` (see `scan`)."""

from __future__ import annotations

from collections.abc import Callable
from docgen.config import Config
from docgen.errors import ScanError
from docgen.files import Work, run_now
from docgen.model import Document, Project, SourceFile, Symbol
from docgen.problems import Problem, skipped_file
from docgen.scan.c_definitions import join_c_definitions
from docgen.scan.finder import Found, FoundFile, find_files
from docgen.scan.go_packages import merge_go_packages
from docgen.scan.markdown import read_document, readme_as_home
from docgen.scan.rescan import FileResult, load_file_results, save_file_results
from docgen.scan.rust_modules import rust_modules

Advance = Callable[[str], None]


def scan(
    config: Config,
    found: Found | None = None,
    advance: Advance | None = None,
    *,
    keep_scan: bool = False,
    fresh: bool = False,
    save: Callable[[Work], None] = run_now,
    call_graph: bool | None = None,
) -> Project:
    """Read every documented file under `config.root` into the language-neutral model.

    Files that cannot be read or parsed are recorded in `Project.problems` (one each) and
    the scan carries on with the rest; so are files a reader fails on unexpectedly (an
    `internal` problem: a docgen bug, which must not cost the user the rest of the build).
    `advance` is called once per file read. With `keep_scan` what the readers made of
    the files is kept under the cache folder, and the next such scan reads again only what
    changed (unless `fresh`: then everything is read, and kept anew); `save` does the
    writing (`Background.run` does it while the build goes on). `call_graph` says whether
    to record what Python functions call and raise (default: when guides are, see `Config.guides_enabled`).
    """
    found = found or find_files(config)
    step = advance or (lambda _path: None)
    python_files = [f for f in found.files if f.language == "python"]
    symbols: list[Symbol] = []
    problems = list(found.problems)
    documents: list[Document] = []
    if python_files:
        from docgen.scan.python import parse_python

        python_symbols, python_problems = parse_python(
            config.root,
            python_files,
            config.docstring_style,
            inherited_members=config.inherited_members,
            cache_dir=config.cache_path if keep_scan else None,
            fresh=fresh,
            save=save,
            # Guides are planned from it: read it when they may be drafted, or published.
            call_graph=config.guides_enabled if call_graph is None else call_graph,
        )
        symbols += python_symbols
        problems += python_problems
        for file in python_files:
            step(file.path)
    kept = load_file_results(config.cache_path) if keep_scan and not fresh else {}
    results: dict[str, FileResult] = {}
    for file in found.files:
        if file.language == "python":
            continue
        try:
            known = kept.get(file.path)
            if known is not None and known[0] == file.digest:
                result: Document | tuple[Symbol, list[Problem]] | None = (known[1], list(known[2]))
            else:
                result = _read_other(file, config)
            if isinstance(result, tuple):
                results[file.path] = (file.digest, result[0], tuple(result[1]))
        except ScanError as error:
            problems.append(skipped_file(file.path, error.message, error.line or 0))
            result = None
        except Exception as error:  # a reader bug on one file must not end the scan
            problems.append(_internal_problem(file.path, error))
            result = None
        if isinstance(result, Document):
            documents.append(result)
        elif result is not None:
            symbol, file_problems = result
            symbols.append(symbol)
            problems += file_problems
        step(file.path)
    if keep_scan and results != kept:
        save(lambda: save_file_results(config.cache_path, results))
    symbols = rust_modules(join_c_definitions(merge_go_packages(symbols)), config.root)
    if any(s.kind == "api" for s in symbols):
        from docgen.scan.openapi import one_per_api

        symbols, duplicates = one_per_api(symbols)
        problems += duplicates
    # A reader may know better than the file name: a `.h` header can turn out to be C++.
    read_as = {s.location.file: s.language for s in symbols if s.kind == "file"}
    files = tuple(SourceFile(f.path, read_as.get(f.path, f.language), f.digest) for f in found.files)
    return Project(
        root=config.root,
        name=config.name,
        symbols=tuple(symbols),
        documents=tuple(_home_first(documents)),
        files=files,
        problems=tuple(sorted(problems, key=lambda p: (p.file, p.line))),
    )


def _internal_problem(file: str, error: Exception) -> Problem:
    """The one-line `internal` problem for a file whose reader failed with `error`."""
    detail = str(error).strip().splitlines()
    what = type(error).__name__ + (f": {detail[0][:200]}" if detail else "")
    return Problem(
        code="internal",
        message=f"docgen could not read this file: {what}; please report it",
        file=file,
    )


def _read_other(file: FoundFile, config: Config) -> Document | tuple[Symbol, list[Problem]] | None:
    if file.language == "markdown":
        docs_prefix = config.docs_dir.strip("/") + "/"
        if file.path.startswith(docs_prefix):
            return read_document(file.path[len(docs_prefix):], file.path, file.text)
        text = readme_as_home(file.text, config.docs_dir, config.repo_url, config.repo_branch)
        return read_document("index.md", file.path, text)
    if file.language == "openapi":
        from docgen.scan.openapi import parse_spec

        return parse_spec(file.path, file.text)
    from docgen.scan.treesitter import parse_source

    return parse_source(file.path, file.language, file.text)


def _home_first(documents: list[Document]) -> list[Document]:
    """The docs folder's own home page wins over the README; the home page comes first."""
    own_home = any(d.path in ("index.md", "README.md") and d.source != "README.md" for d in documents)
    kept = [d for d in documents if not (own_home and d.source == "README.md")]
    return sorted(kept, key=lambda d: (d.path not in ("index.md", "README.md"), d.path))

