"""The `docgen` command line: each command parses options, calls one pipeline function,
and prints the result (text for people, `--json` for tools)."""

from __future__ import annotations

import json
import os
import sys
import time
from functools import wraps
from pathlib import Path
from typing import Any, Callable

import click
from dataclasses import replace

from docgen import __version__
from docgen.generate.llm import BACKENDS
from docgen.errors import EXIT_CONFIG, EXIT_FAILED, EXIT_INPUT, EXIT_INTERNAL, EXIT_OUTPUT, DocgenError
from docgen.problems import FORMATS, Problem, render
from docgen.publish import BUILDERS
from docgen.progress import NORMAL, QUIET, VERBOSE, Reporter

EPILOG = f"""\b
Exit codes:
  0  success
  {EXIT_FAILED}  problems found, under --strict (broken references, MkDocs warnings, skipped files)
  2  bad command line
  {EXIT_CONFIG}  invalid configuration (pyproject.toml, docgen.toml, mkdocs.yml, a refused site_dir)
  {EXIT_INPUT}  the path is missing, not a folder, or holds nothing to document
  {EXIT_OUTPUT}  the docs or the site could not be written (a file of yours in the way, another build running)
  {EXIT_INTERNAL} internal error: a bug in docgen, please report it
"""

path_argument = click.argument(
    "path", type=click.Path(path_type=Path), default=".", required=False
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print a JSON report on stdout.")
format_option = click.option(
    "--format",
    "problem_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="How problems are printed: lines on stderr, JSON lines or GitHub annotations on stdout.",
)


class State:
    """Options shared by every command."""

    def __init__(self, verbosity: int, debug: bool) -> None:
        self.verbosity = verbosity
        self.debug = debug

    def reporter(self, as_json: bool = False) -> Reporter:
        """Where progress goes: stderr, quiet when stdout carries JSON."""
        return Reporter(QUIET if as_json else self.verbosity)


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn docgen's errors into one line on stderr and the documented exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        state = click.get_current_context().find_object(State)
        try:
            return command(*args, **kwargs)
        except DocgenError as error:
            if state and state.debug:
                raise
            click.echo(f"error: {error}", err=True)
            _report_for_scripts(error, kwargs)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("error: interrupted", err=True)
            sys.exit(130)
        except click.ClickException:
            raise  # a bad command line: click prints it, with the usage, and exits 2
        except Exception as error:
            if state and state.debug:
                raise
            click.echo(f"error: internal error: {type(error).__name__}: {error} (rerun with --debug)", err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docgen")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print more about each step.")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def main(context: click.Context, quiet: bool, verbose: bool, debug: bool) -> None:
    """Turn a code repository into a documentation site.

    \b
    Typical use, from the repository's root:
      docgen init      # add a commented [tool.docgen] section to pyproject.toml
      docgen scan      # see what docgen finds: files, symbols, coverage
      docgen build     # write docs/reference/ and build site/ with MkDocs
      docgen docstrings --patch   # drafted docstrings, as a diff to review and apply
    """
    context.obj = State(QUIET if quiet else VERBOSE if verbose else NORMAL, debug)


@main.command(epilog=EPILOG)
@path_argument
@json_option
@click.option("--symbols", "list_symbols", is_flag=True, help="List every symbol (id, kind, language, file, lines, public, documented).")
@click.pass_obj
@reports_errors
def scan(state: State, path: Path, as_json: bool, list_symbols: bool) -> None:
    """Scan PATH and print an inventory: files per language, symbols per kind, share
    documented, and files skipped with the reason.

    Python is read statically with griffe (never imported); C, C++, CUDA, JavaScript,
    TypeScript, Rust and Go with tree-sitter; OpenAPI specs and Markdown docs as well.
    With --symbols, every symbol too: `public` says whether the reference documents it
    (the same rule the pages follow), `documented` whether it has a docstring.
    """
    from docgen.config import check_root, load_config
    from docgen.inventory import symbol_rows, take_inventory
    from docgen.scan import scan as scan_project
    from docgen.scan.finder import find_files

    start = time.perf_counter()
    check_root(path)
    config = load_config(path)
    found = find_files(config)
    with state.reporter(as_json).task("Scanning", len(found.files)) as advance:
        project = scan_project(config, found, advance)
    inventory = take_inventory(project, time.perf_counter() - start, config.show_private)
    rows = symbol_rows(project, config.show_private) if list_symbols else []
    if as_json:
        report = inventory.as_dict()
        if list_symbols:
            report["symbol_list"] = rows
        click.echo(json.dumps(report, indent=2))
        return
    for line in inventory.lines():
        click.echo(line)
    for row in rows:
        marks = ("public" if row["public"] else "private") + (", documented" if row["documented"] else "")
        click.echo(f"{row['id']}  {row['kind']}  {row['file']}:{row['lines'][0]}  ({marks})")


@main.command(epilog=EPILOG)
@path_argument
@click.option(
    "--format",
    "report_format",
    type=click.Choice((*FORMATS, "sarif")),
    default="text",
    show_default=True,
    help="text for people; json for scripts; github: workflow annotations; sarif: for GitHub code scanning.",
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file instead of stdout.")
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path), help="Also write a Markdown summary to this file (as for $GITHUB_STEP_SUMMARY).")
@click.option("--fail-under", type=click.FloatRange(0, 100), metavar="PCT", help="Exit 1 when less than PCT% of the public symbols are documented.")
@click.option("--strict", is_flag=True, help="Exit 1 when any problem (warning or error) is reported.")
@click.option("--new-only", is_flag=True, help="Report only the problems the change since --base introduced.")
@click.option("--base", metavar="REF", help="The git revision --new-only compares with (a branch, tag or commit).")
@click.pass_obj
@reports_errors
def check(
    state: State,
    path: Path,
    report_format: str,
    output: Path | None,
    summary: Path | None,
    fail_under: float | None,
    strict: bool,
    new_only: bool,
    base: str | None,
) -> None:
    """Check the documentation of PATH without building the site.

    \b
    Reports, each at its file and line:
      undocumented     public symbols without a docstring (coverage per module and overall)
      drift            docstrings that contradict the signature: parameters documented but
                       not taken, or taken but not documented; types and defaults; project
                       errors documented as raised that nothing raises
      docstring        griffe's own docstring warnings
      broken-reference cross-references in docstrings that resolve to nothing
      broken-link      links in your Markdown to files or pages that do not exist
      stale-guide, stale-docstring
                       committed drafts whose code changed since they were drafted

    \b
    In a pull request, adopt the gate today on a project with years of undocumented code:
      docgen check --new-only --base origin/main --strict
    fails only on the problems the change introduces. The base is read from git's objects;
    your working tree is not touched. When $GITHUB_STEP_SUMMARY is set, a Markdown summary
    is appended to it.
    """
    from docgen.check import check_project, check_revision, introduced
    from docgen.check.formats import format_report, step_summary
    from docgen.config import check_root, load_config
    from docgen.files import write_atomic

    if new_only != bool(base):
        raise click.UsageError("--new-only and --base REF go together: the revision to compare with")
    check_root(path)
    config = load_config(path)
    if base:
        from docgen.check.revisions import resolve

        resolve(config.root, base)  # a revision that does not exist stops the check before it starts
    reporter = state.reporter(report_format != "text")
    with reporter.step("Checking"):
        report = check_project(config)
    if base:
        with reporter.step(f"Checking {base}"):
            report = introduced(report, check_revision(config, base), base)
    text = format_report(report, report_format)
    if output is not None:
        write_atomic(output, text + "\n")
    else:
        click.echo(text)
    markdown = step_summary(report)
    if summary is not None:
        write_atomic(summary, markdown)
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as stream:
            stream.write(markdown)
    failures = report.failures(fail_under, strict)
    if failures:
        click.echo("error: " + "; ".join(failures), err=True)
        sys.exit(EXIT_FAILED)


@main.command(epilog=EPILOG)
@path_argument
@click.option("--base", required=True, metavar="REF", help="The revision to compare from (a branch, tag or commit).")
@click.option("--head", metavar="REF", help="The revision to compare to (default: the working tree as it is).")
@json_option
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file instead of stdout.")
@click.pass_obj
@reports_errors
def diff(state: State, path: Path, base: str, head: str | None, as_json: bool, output: Path | None) -> None:
    """Show how the API and the docs of PATH changed since --base.

    Symbols added, removed and changed in every language docgen reads; breaking changes
    called out (removed public symbols, removed or reordered parameters, changed
    defaults, removed OpenAPI operations or required fields); reference pages added,
    changed and removed; the coverage before and after. Markdown, ready for a pull
    request comment, or JSON with --json.

    \b
    Both revisions are read from git's objects: nothing is checked out, your working
    tree, index and branches are left as they are.
      docgen diff --base origin/main            # this branch's changes, uncommitted included
      docgen diff --base v1.0 --head v1.1 --json
    """
    from docgen.check.diff import diff_revisions
    from docgen.config import check_root, load_config
    from docgen.files import write_atomic

    check_root(path)
    config = load_config(path)
    with state.reporter(as_json or output is None).step("Comparing revisions"):
        result = diff_revisions(config, base, head)
    text = result.json() if as_json else result.markdown()
    if output is not None:
        write_atomic(output, text if text.endswith("\n") else text + "\n")
    else:
        click.echo(text.rstrip("\n"))


@main.command(epilog=EPILOG)
@path_argument
@click.option("--strict", is_flag=True, help="Exit 1 when the build found any problem (broken reference, MkDocs warning, file skipped).")
@click.option("--force", is_flag=True, help="Rebuild everything, ignoring the cache.")
@click.option("--docs-dir", type=click.Path(), help="Docs folder (default: docs_dir setting, 'docs').")
@click.option("--site-dir", type=click.Path(), help="Site folder (default: site_dir setting, 'site').")
@click.option(
    "-f", "--config-file", type=click.Path(dir_okay=False), help="The mkdocs.yml to use (default: mkdocs_yml setting, 'mkdocs.yml')."
)
@click.option(
    "--llm",
    "llm_backend",
    type=click.Choice(BACKENDS),
    help="The backend that drafts guides (default: env DOCGEN_LLM, else the llm setting, else llama-cpp). 'none': the reference only.",
)
@click.option("--llm-budget", type=click.IntRange(min=0), metavar="TOKENS", help="Spend at most this many tokens drafting; the most important guides first.")
@click.option("--no-index", is_flag=True, help="Do not update the knowledge base (`docgen search`, `ask`) this time.")
@click.option(
    "--builder", type=click.Choice(BUILDERS), help="What builds the site from the docs folder (default: builder setting, 'mkdocs'); zensical when installed."
)
@json_option
@format_option
@click.pass_obj
@reports_errors
def build(
    state: State,
    path: Path,
    strict: bool,
    force: bool,
    docs_dir: str | None,
    site_dir: str | None,
    config_file: str | None,
    builder: str | None,
    llm_backend: str | None,
    llm_budget: int | None,
    no_index: bool,
    as_json: bool,
    problem_format: str,
) -> None:
    """Build the documentation site of PATH.

    Writes one Markdown page per module, source file and API tag under
    DOCS_DIR/reference/, writes mkdocs.yml (or adds to yours only its nav section and
    the extensions its pages need), and builds SITE_DIR with MkDocs. A second build
    with nothing changed does nothing; after a change, only the docs files whose
    content changed are re-rendered.

    Guides (package overviews, troubleshooting) are drafted by a local model into
    DOCS_DIR/guides/, checked against the code, and re-drafted only when what they
    were drafted from changes; commit them, and review them like code. A guide you
    edited is never overwritten. So are missing docstrings, into
    DOCS_DIR/guides/docstrings.json, shown on the reference pages marked as drafted
    (see `docgen docstrings`).

    docgen never replaces a file it did not write, nor a site folder it did not build:
    whatever is in the way stops the build with one line, before anything is written.

    Then it updates the knowledge base that `docgen search` and `docgen ask` read:
    only what changed is embedded again (skip with --no-index).
    """
    from docgen.build import build as build_site
    from docgen.config import check_root, load_config

    check_root(path)
    overrides = {
        "docs_dir": _relative(docs_dir, path),
        "site_dir": _relative(site_dir, path),
        "mkdocs_yml": _relative(config_file, path),
        "builder": builder,
    }
    config = load_config(path, overrides=overrides)
    if llm_backend is not None:
        config = replace(config, llm=replace(config.llm, backend=llm_backend))
    if no_index:
        config = replace(config, index=replace(config.index, enabled=False))
    reporter = state.reporter(as_json)
    report = build_site(config, force=force, reporter=reporter, llm_budget=llm_budget)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        _print_problems(report.problems, problem_format)
        if state.verbosity >= NORMAL:
            click.echo(report.summary(), err=problem_format != "text")
    failing = [problem for problem in report.problems if problem.fails_strict]
    if strict and failing:
        click.echo(f"error: {_plural(len(failing), 'problem')} in strict mode", err=True)
        sys.exit(EXIT_FAILED)


@main.command(epilog=EPILOG)
@path_argument
@click.option("--chroma-url", metavar="URL", help="Fill this Chroma server (http://host:port) instead of the configured store.")
@json_option
@click.pass_obj
@reports_errors
def index(state: State, path: Path, chroma_url: str | None, as_json: bool) -> None:
    """Fill the knowledge base of PATH without building the site.

    Reads the code, the Markdown pages (committed guides among them) and the committed
    docstring drafts, cuts them into chunks (one per documented symbol, one per page
    section), embeds the new and changed ones with the local embedding model and stores
    them in Chroma: under .docgen/index/ by default, or on the server that the
    index.chroma_url setting or --chroma-url names (from CI, for a whole team).
    `docgen build` does the same after each build.
    """
    from docgen.build import index_project
    from docgen.config import check_root, load_config

    check_root(path)
    config = load_config(path)
    if chroma_url is not None:
        config = load_config(path, overrides={"index": {**_index_table(config), "chroma_url": chroma_url}})
    report = index_project(config, state.reporter(as_json))
    if as_json:
        click.echo(json.dumps(report, indent=2))
    elif state.verbosity >= NORMAL:
        click.echo(
            f"Indexed {report['chunks']} chunks ({report['embedded']} embedded, {report['deleted']} removed)"
            f" in {report['store']}, in {report['seconds']:.2f} s."
        )


@main.command(epilog=EPILOG)
@click.argument("query")
@click.option("-C", "--project", "path", type=click.Path(path_type=Path), default=".", show_default=True, help="The project whose docs to search.")
@click.option("-n", "--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="How many results.")
@json_option
@click.pass_obj
@reports_errors
def search(state: State, query: str, path: Path, limit: int, as_json: bool) -> None:
    """Search the docs of a project for QUERY: words, a question or an identifier.

    Ranks the knowledge base's chunks (symbols and page sections) by their words, with
    identifiers split as people type them ("from file" finds from_file), and by meaning,
    with the local embedding model, and fuses both rankings. Needs a knowledge base:
    `docgen build` or `docgen index` first.

    \b
    Examples:
      docgen search "open a file lazily"
      docgen search LazyFile --json --limit 3
    """
    from docgen.config import check_root, load_config
    from docgen.index.knowledge import KnowledgeBase

    check_root(path)
    hits = KnowledgeBase.open(load_config(path)).search(query, limit)
    if as_json:
        click.echo(json.dumps([hit.as_dict() for hit in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        click.echo("No results.", err=True)
        return
    for number, hit in enumerate(hits, start=1):
        chunk = hit.chunk
        click.echo(f"{number}. {_printable(chunk.title)}  {chunk.url}")
        click.echo(f"   {_printable(hit.snippet)}")
        click.echo(f"   {chunk.file}:{chunk.line}" if chunk.file else "   (generated page)")


@main.command(epilog=EPILOG)
@click.argument("question")
@click.option("-C", "--project", "path", type=click.Path(path_type=Path), default=".", show_default=True, help="The project whose docs answer.")
@click.option(
    "--llm",
    "llm_backend",
    type=click.Choice([backend for backend in BACKENDS if backend != "none"]),
    help="The backend that answers (default: env DOCGEN_LLM, else the llm setting, else llama-cpp).",
)
@json_option
@click.pass_obj
@reports_errors
def ask(state: State, question: str, path: Path, llm_backend: str | None, as_json: bool) -> None:
    """Answer QUESTION from the docs of a project, citing them.

    Searches the knowledge base (as `docgen search` does), gives the best chunks to the
    configured model as numbered sources, and prints its answer with the page and anchor
    of each source it cites. Every sentence is checked before it is shown: one that names
    code the project does not have is dropped, and an answer that cites nothing is no
    answer. When the docs hold nothing near the question, or the model finds no answer in
    them, docgen says "The documentation does not cover this." rather than guess.

    \b
    Examples:
      docgen ask "how do I prompt for a password?"
      docgen ask "what does Context.invoke do?" --json
    """
    from docgen.build import project_names
    from docgen.config import check_root, load_config
    from docgen.generate.llm import open_llm
    from docgen.index.answer import MAX_QUESTION, ask as answer_question
    from docgen.index.knowledge import KnowledgeBase

    if not question.strip() or len(question) > MAX_QUESTION:
        raise click.UsageError(f"QUESTION must hold 1 to {MAX_QUESTION} characters")
    check_root(path)
    config = load_config(path)
    if llm_backend is not None:
        config = replace(config, llm=replace(config.llm, backend=llm_backend))
    if config.llm.backend == "none":
        raise DocgenError("docgen ask needs a model, and llm is 'none' (the llm setting or DOCGEN_LLM): pass --llm llama-cpp", file=str(config.source or config.root))
    base = KnowledgeBase.open(config)
    names = project_names(config)
    reporter = state.reporter(as_json)
    reporter.info(f"Loading the model ({config.llm.backend})...")
    model = open_llm(config.llm, config.root)
    assert model is not None
    streaming = not as_json and sys.stdout.isatty()
    try:
        answer = answer_question(
            base, question, model, names, project=config.name, on_text=(lambda text: click.echo(_printable(text), nl=False)) if streaming else None
        )
    finally:
        model.close()
    if as_json:
        click.echo(json.dumps(answer.as_dict(), indent=2, ensure_ascii=False))
        return
    if streaming and not answer.abstained:
        click.echo()
    else:
        click.echo(_printable(answer.text))
    for citation in answer.citations:
        click.echo(f"  [{citation.number}] {_printable(citation.title)}  {citation.url}")
    if answer.commit and state.verbosity >= NORMAL:
        click.echo(f"(docs of commit {answer.commit[:12]})", err=True)


@main.command(epilog=EPILOG)
@path_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on (0.0.0.0: every interface; think before you do).")
@click.option("-p", "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="The port to listen on.")
@click.option("--cors-origin", metavar="ORIGIN", help="Let pages of this origin (https://docs.example.org) call the API from a browser.")
@click.option("--no-watch", is_flag=True, help="Do not rebuild when the project's files change.")
@click.pass_obj
@reports_errors
def serve(state: State, path: Path, host: str, port: int, cors_origin: str | None, no_watch: bool) -> None:
    """Serve the site of PATH, with its search and answers, on this machine.

    Builds first (as `docgen build` does, knowledge base included), then serves the site
    at / and the API beside it: GET /api/search?q=...&limit=10 (the hits `docgen search
    --json` prints) and POST /api/ask with {"question": "..."} (the answer, streamed as
    server-sent events). When the project's files change, it builds again.

    Listens on 127.0.0.1 only, unless --host says otherwise; browsers of other origins may
    call the API only when --cors-origin names theirs.
    """
    from docgen.build import build as build_site
    from docgen.config import check_root, load_config
    from docgen.server import serve as run_server

    check_root(path)
    config = load_config(path)
    config = replace(config, index=replace(config.index, enabled=True))
    reporter = state.reporter()
    report = build_site(config, reporter=reporter)
    _print_problems(report.problems, "text")
    run_server(
        config,
        host=host,
        port=port,
        cors_origin=cors_origin,
        watch=not no_watch,
        rebuild=lambda: _print_problems(build_site(config, reporter=Reporter(QUIET)).problems, "text"),
        report=lambda line: click.echo(line, err=True),
    )


@main.command(name="mcp", epilog=EPILOG)
@path_argument
@click.option("--http", "over_http", is_flag=True, help="Serve streamable HTTP at http://HOST:PORT/mcp instead of stdio.")
@click.option("--host", default="127.0.0.1", show_default=True, help="With --http: the address to listen on.")
@click.option("-p", "--port", type=click.IntRange(1, 65535), default=8001, show_default=True, help="With --http: the port.")
@click.pass_obj
@reports_errors
def mcp_command(state: State, path: Path, over_http: bool, host: str, port: int) -> None:
    """Serve the knowledge base of PATH to coding agents (Model Context Protocol).

    Tools: search (the docs, by words, identifiers and meaning), ask (an answer with
    citations, when a model is configured), get_symbol (signature, docs, source location,
    calls and callers) and read_page (a page of the docs folder). Every result names the
    commit the docs describe. Reads what the last `docgen build` or `docgen index` left.

    \b
    For an agent that launches MCP servers, e.g. in its JSON settings:
      {"command": "docgen", "args": ["mcp", "/path/to/project"]}
    """
    from docgen.config import check_root, load_config
    from docgen.mcp_server import Docs, create_server

    check_root(path)
    config = load_config(path)
    docs = Docs(config)
    server = create_server(config, docs)
    try:
        if over_http:
            click.echo(f"MCP at http://{host}:{port}/mcp (Ctrl-C to stop)", err=True)
            server.run("streamable-http", host=host, port=port)
        else:
            server.run("stdio")
    finally:
        docs.close()


@main.command(epilog=EPILOG)
@path_argument
@click.option(
    "--patch",
    "as_patch",
    is_flag=True,
    help="Print a unified diff that adds each draft to the source (for git apply or patch -p1); writes nothing.",
)
@json_option
@click.pass_obj
@reports_errors
def docstrings(state: State, path: Path, as_patch: bool, as_json: bool) -> None:
    """List the docstring drafts of PATH: each symbol, where it is, and whether its
    draft is current, stale (the code changed since), documented (the source has a
    docstring of its own now), gone, or set aside (not readable as a draft).

    `docgen build` drafts a docstring for each function, method and class the reference
    documents without one, keeps the drafts in DOCS_DIR/guides/docstrings.json (commit
    it, review it like code; an entry you edit is never drafted over) and shows them on
    the reference pages, marked as drafted. docgen never writes them into your source:
    --patch prints them as a diff in the project's docstring_style (google unless set),
    for you to review and apply:

    \b
      docgen docstrings --patch > docstrings.patch
      git apply docstrings.patch
    """
    from docgen.config import check_root, load_config
    from docgen.drafts_report import report_drafts

    check_root(path)
    config = load_config(path)
    report = report_drafts(config)
    if as_patch:
        patch = report.patch(config.docstring_style)
        if as_json:
            problems = [problem.as_dict() for problem in [*report.problems, *patch.problems]]
            click.echo(json.dumps({"patch": patch.text, "symbols": patch.symbols, "problems": problems}, indent=2))
            return
        _print_problems([*report.problems, *patch.problems], "text")
        click.echo(patch.text, nl=False)
        return
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
        return
    _print_problems(report.problems, "text")
    for line in report.lines():
        click.echo(line)


@main.command(name="eval", epilog=EPILOG)
@path_argument
@json_option
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 1),
    metavar="SHARE",
    help="Exit 1 when completeness is under SHARE (0 to 1), or any drafted reference resolves to nothing.",
)
@click.pass_obj
@reports_errors
def evaluate(state: State, path: Path, as_json: bool, fail_under: float | None) -> None:
    """Measure the documentation of PATH, written and drafted, without a model.

    \b
      completeness  functions, methods and classes whose docs (docstring, or its
                    committed draft) give a summary, every parameter, the return
                    value and every error the code raises itself
      truthfulness  code references in drafted guides and docstrings that resolve
                    to code that exists (the bar is 100%)
      coverage      classes and functions some guide names
      stale         drafted pages and drafts whose code changed, or edited by hand
      last build    its LLM calls, tokens, and the share it published from cache

    Nothing is written and no model is loaded: run it in CI after `docgen build`.
    """
    from docgen.config import check_root, load_config
    from docgen.evaluation import evaluate as measure

    check_root(path)
    config = load_config(path)
    with state.reporter(as_json).step("Evaluating the docs"):
        result = measure(config)
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
    else:
        _print_problems(result.problems, "text")
        for line in result.lines():
            click.echo(line)
    if fail_under is not None and (result.completeness < fail_under or result.unresolved):
        click.echo(f"error: completeness {result.completeness:.1%} (under {fail_under:.0%}) or unresolved references", err=True)
        sys.exit(EXIT_FAILED)


@main.command(epilog=EPILOG)
@path_argument
@click.option("--toml", "standalone", is_flag=True, help="Write docgen.toml instead of pyproject.toml.")
@click.pass_obj
@reports_errors
def init(state: State, path: Path, standalone: bool) -> None:
    """Write a commented docgen configuration, showing every setting and its default.

    Appends a [tool.docgen] table to PATH/pyproject.toml, or writes PATH/docgen.toml
    when there is no pyproject.toml or with --toml.
    """
    from docgen.config import check_root, init_config

    check_root(path)
    written = init_config(path, standalone=standalone)
    if state.verbosity >= NORMAL:
        click.echo(f"Wrote the docgen settings to {written}.")


def _print_problems(problems: list[Problem], problem_format: str) -> None:
    """Problems on stderr for people; on stdout, where scripts and runners read them, otherwise."""
    for problem in problems:
        click.echo(render(problem, problem_format), err=problem_format == "text")


def _report_for_scripts(error: DocgenError, options: dict[str, Any]) -> None:
    """The error that stopped a command, on stdout too, where `--json` and `--format`
    readers look: as a problem of its own."""
    problem = Problem("error", error.message, error.file or "", error.line or 0)
    if options.get("as_json"):
        click.echo(json.dumps({"status": "error", "exit_code": error.exit_code, "problems": [problem.as_dict()]}, indent=2))
    elif options.get("problem_format", "text") != "text":
        click.echo(render(problem, options["problem_format"]))


def _index_table(config: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(config.index)


def _printable(text: str) -> str:
    """Text from the docs, on a terminal: control characters (escape sequences) shown, not run."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _relative(option: str | None, root: Path) -> str | None:
    """A folder given on the command line, as a path relative to the project root."""
    if option is None:
        return None
    absolute = Path(option).resolve()
    try:
        return absolute.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(absolute)


def run() -> None:
    """The console entry point: `main`, then an immediate exit.

    Freeing the object graphs of a large build (griffe's model, MkDocs' pages) takes longer
    than building a small site, so, like mypy, docgen flushes its output and leaves without
    the interpreter's teardown. Everything docgen writes is already renamed into place.
    """
    try:
        main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
