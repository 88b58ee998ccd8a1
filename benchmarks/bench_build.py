"""Time docgen against its peers on real Python packages.

Run from the repository root with the project's interpreter:

    .venv/bin/python benchmarks/bench_build.py [--runs N] [--corpus click rich] [--json]

For each corpus (an sdist from PyPI, downloaded once into a cache folder) this
times, as the median of N runs and each run in a fresh temporary copy:

- ``docgen build`` from a cold cache, the no-change rebuild right after it, and the
  rebuild after one docstring is edited (against the cold build's time);
- a MkDocs + mkdocstrings-python site (one page per public module);
- pdoc, naming every public module;
- ``docgen scan --json`` against ``griffe dump``;
- the peak RSS of ``docgen build``.

It prints one table with the ratios and a PASS/FAIL per target, and exits
with status 1 when any target fails (a tool that errors fails its targets).
All executables are taken from the folder of ``sys.executable``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import logging
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

BIN = Path(sys.executable).parent
DEFAULT_CACHE = Path(__file__).resolve().parent / ".corpora"
RSS_PROBE = shutil.which("time", path="/usr/bin")  # GNU time, for `time -v`
# The reference site is what is timed against its peers: no guides drafted, no knowledge
# base filled (none of the peers makes one; benchmarks/bench_search.py times it).
QUIET_ENV = {"NO_MKDOCS_2_WARNING": "1", "DOCGEN_LLM": "none", "DOCGEN_INDEX": "off"}


# --------------------------------------------------------------------------- corpora


@dataclass(frozen=True)
class Corpus:
    """A released package whose sdist is the benchmark input."""

    name: str
    version: str
    package_path: str  # the importable package, relative to the sdist root

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"

    @property
    def package(self) -> str:
        return PurePosixPath(self.package_path).name

    @property
    def search_dir(self) -> str:
        """The folder to put on the search path, relative to the sdist root."""
        return str(PurePosixPath(self.package_path).parent)


CORPORA = {
    corpus.name: corpus
    for corpus in (
        Corpus("click", "8.1.7", "src/click"),
        Corpus("rich", "13.7.1", "rich"),
        Corpus("sphinx", "7.3.7", "sphinx"),
    )
}


def pip_command() -> list[str]:
    """pip of this interpreter, else the first pip on PATH (uv-made venvs have none)."""
    if importlib.util.find_spec("pip"):
        return [sys.executable, "-m", "pip"]
    found = shutil.which("pip3") or shutil.which("pip")
    if not found:
        sys.exit("pip is needed to download the corpora: install it or pre-fill --cache-dir")
    return [found]


def fetch_corpus(corpus: Corpus, cache: Path) -> Path:
    """Download and unpack the sdist into ``cache`` unless already there; return its root."""
    cache.mkdir(parents=True, exist_ok=True)
    (cache / ".gitignore").write_text("*\n")
    unpacked = cache / f"{corpus.name}-{corpus.version}"
    if unpacked.is_dir():
        return unpacked
    sdist = next(cache.glob(f"{corpus.name}-{corpus.version}.tar.gz"), None)
    if sdist is None:
        log(f"[{corpus.name}] downloading the sdist of {corpus.requirement}")
        subprocess.run(
            [*pip_command(), "download", "--quiet", "--no-binary", ":all:",
             "--no-deps", "--dest", str(cache), corpus.requirement],
            check=True,
        )
        sdist = next(cache.glob(f"{corpus.name}-{corpus.version}.tar.gz"))
    with tempfile.TemporaryDirectory(dir=cache) as staging, tarfile.open(sdist) as archive:
        archive.extractall(staging, filter="data")
        (top,) = Path(staging).iterdir()
        top.rename(unpacked)
    return unpacked


def public_modules(corpus: Corpus, root: Path) -> list[str]:
    """Dotted paths of the package and its submodules, skipping private ``_x`` ones."""
    import griffe

    logging.disable(logging.CRITICAL)  # griffe's complaints about the corpora are not our news
    try:
        package = griffe.load(
            corpus.package, search_paths=[root / corpus.search_dir], allow_inspection=False
        )
    finally:
        logging.disable(logging.NOTSET)

    def walk(module) -> list[str]:
        found = [module.path]
        for name, submodule in sorted(module.modules.items()):
            if not name.startswith("_") and not submodule.is_alias:  # skip `from . import x`
                found += walk(submodule)
        return found

    return walk(package)


# --------------------------------------------------------------------------- tools


@dataclass
class Workspace:
    """A fresh temporary copy of one corpus, used by one run of one tool."""

    corpus: Corpus
    tmp: Path
    repo: Path
    modules: list[str]

    @property
    def search_root(self) -> Path:
        return self.repo / self.corpus.search_dir


class ToolError(Exception):
    """A tool failed; the message is what the report shows."""


@dataclass(frozen=True)
class Tool:
    """A command to time, with untimed preparation of its workspace."""

    key: str
    label: str
    command: Callable[[Workspace], list[str]]
    setup: Callable[[Workspace], None] = lambda ws: None
    env: Callable[[Workspace], dict[str, str]] = lambda ws: {}
    measure_rss: bool = False


def exe(name: str) -> str:
    return str(BIN / name)


def docgen_build_command(ws: Workspace) -> list[str]:
    # The docs folder must be the project's; a folder of its own keeps the sdist's docs out.
    return [exe("docgen"), "-q", "build", str(ws.repo), "--docs-dir", str(ws.repo / "docgen-docs"),
            "--site-dir", str(ws.tmp / "site")]


def clear_docgen_cache(ws: Workspace) -> None:
    shutil.rmtree(ws.repo / ".docgen", ignore_errors=True)


def build_once(ws: Workspace) -> None:
    """Leave a finished build behind, so the timed command is a no-change rebuild."""
    clear_docgen_cache(ws)
    run_command(docgen_build_command(ws), cwd=ws.tmp, env=QUIET_ENV)


def build_then_edit_one_docstring(ws: Workspace) -> None:
    """Leave a finished build behind, then change the first docstring of the package, so
    the timed command is the incremental rebuild a contributor waits for."""
    import ast

    build_once(ws)
    package = ws.search_root / ws.corpus.package.replace(".", "/")
    for path in sorted(package.rglob("*.py")):
        if any(part.startswith("_") and part != "__init__.py" for part in path.relative_to(package).parts):
            continue  # a private module's docstrings are on no page
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for node in ast.walk(ast.parse("".join(lines))):
            public = isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")
            if public and ast.get_docstring(node):
                literal = node.body[0]
                line = lines[literal.lineno - 1]
                quotes = line.index(line[literal.col_offset:].lstrip("rRuU")[:3], literal.col_offset) + 3
                lines[literal.lineno - 1] = line[:quotes] + "Edited. " + line[quotes:]
                path.write_text("".join(lines), encoding="utf-8")
                return
    raise ToolError("no docstring to edit")


def mkdocstrings_docstring_style() -> str:
    """``auto`` where the installed mkdocstrings-python and griffe accept it, else ``google``."""
    try:
        import griffe
        from mkdocstrings_handlers.python import PythonInputOptions

        griffe.Parser("auto")
    except (ImportError, ValueError):
        return "google"
    annotation = PythonInputOptions.__annotations__.get("docstring_style", "")
    return "auto" if "auto" in str(annotation) else "google"


def write_mkdocs_site(ws: Workspace, docstring_style: str) -> None:
    """A typical mkdocstrings site: one ``::: module`` page per public module."""
    docs = ws.tmp / "docs"
    (docs / "reference").mkdir(parents=True)
    (docs / "index.md").write_text(f"# {ws.corpus.name} {ws.corpus.version}\n")
    for module in ws.modules:
        parts = module.split(".")
        is_package = any(other.startswith(module + ".") for other in ws.modules)
        relative = Path(*parts, "index.md") if is_package else Path(*parts[:-1], f"{parts[-1]}.md")
        page = docs / "reference" / relative
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# `{module}`\n\n::: {module}\n")
    (ws.tmp / "mkdocs.yml").write_text(
        f"site_name: {ws.corpus.name} {ws.corpus.version}\n"
        "docs_dir: docs\n"
        "site_dir: site\n"
        "theme:\n  name: material\n  font: false\n"
        "plugins:\n"
        "  - search\n"
        "  - mkdocstrings:\n"
        "      handlers:\n"
        "        python:\n"
        f"          paths: [{json.dumps(str(ws.search_root))}]\n"
        "          options:\n"
        f"            docstring_style: {docstring_style}\n"
    )


def make_tools(docstring_style: str) -> list[Tool]:
    return [
        Tool("docgen_build", "docgen build", docgen_build_command,
             setup=clear_docgen_cache, measure_rss=True),
        Tool("docgen_rebuild", "docgen no-change rebuild", docgen_build_command,
             setup=build_once),
        Tool("docgen_edit", "docgen rebuild after one docstring edit", docgen_build_command,
             setup=build_then_edit_one_docstring),
        Tool("mkdocs", "mkdocs+mkdocstrings",
             lambda ws: [exe("mkdocs"), "build", "-q", "-f", str(ws.tmp / "mkdocs.yml")],
             setup=lambda ws: write_mkdocs_site(ws, docstring_style)),
        # pdoc descends only into submodules a package's __all__ lists (when it has one),
        # so every public module is named; it would also import private ones (click's
        # Windows-only `_winconsole` fails on import), so a final "!" spec drops `_x` names.
        Tool("pdoc", "pdoc",
             lambda ws: [exe("pdoc"), "-o", str(ws.tmp / "pdoc"), *ws.modules, r"!.*\._"],
             env=lambda ws: {"PYTHONPATH": str(ws.search_root)}),
        Tool("docgen_scan", "docgen scan",
             lambda ws: [exe("docgen"), "scan", str(ws.repo), "--json"]),
        Tool("griffe", "griffe dump",
             lambda ws: [exe("griffe"), "dump", ws.corpus.package,
                         "-s", str(ws.search_root), "-o", os.devnull]),
    ]


# --------------------------------------------------------------------------- timing


@dataclass
class Timing:
    """The runs of one tool on one corpus."""

    runs_s: list[float] = field(default_factory=list)
    peak_rss_mb: float | None = None
    error: str | None = None

    @property
    def median_s(self) -> float | None:
        return statistics.median(self.runs_s) if self.runs_s and not self.error else None


def error_line(stderr: str) -> str:
    """The most telling line of a failed command's stderr.

    A traceback's last line, else the first line that reports an error (not a warning
    that merely mentions one), else the first line.
    """
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return "no output on stderr"
    if any(line.startswith("Traceback (most recent call last)") for line in lines):
        return lines[-1]
    reports = (line for line in lines
               if re.search(r"\berror\b", line, re.I) and not re.match(r"warn", line, re.I))
    return next(reports, lines[0])


def run_command(cmd: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 1800,
                rss_file: Path | None = None) -> float:
    """Run ``cmd`` to completion and return its wall time; raise ToolError on failure."""
    if not Path(cmd[0]).exists():
        raise ToolError(f"{Path(cmd[0]).name} not found in {BIN}")
    if rss_file is not None:
        cmd = ([RSS_PROBE, "-v", "-o", str(rss_file), *cmd] if RSS_PROBE
               else [sys.executable, "-c", RSS_WRAPPER, str(rss_file), *cmd])
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, cwd=cwd, env={**os.environ, **env}, timeout=timeout,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, errors="replace")
    except subprocess.TimeoutExpired:
        raise ToolError(f"timed out after {timeout:.0f} s") from None
    elapsed = time.perf_counter() - start
    if done.returncode != 0:  # the report adds its own "error: " prefix
        raise ToolError(re.sub(r"^error:\s*", "", error_line(done.stderr), flags=re.I))
    return elapsed


# Fallback peak-RSS probe where GNU time is missing: run the command as the only
# child of a small Python process and write that child's ru_maxrss (KiB on Linux).
RSS_WRAPPER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write(f"Maximum resident set size (kbytes): {rss}\\n")
sys.exit(code)
"""


def read_peak_rss_mb(rss_file: Path) -> float:
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", rss_file.read_text())
    if not match:
        raise ToolError("could not read the peak RSS")
    return int(match.group(1)) / 1024


def time_once(tool: Tool, corpus: Corpus, source: Path, modules: list[str],
              timeout: float) -> tuple[float, float | None]:
    """One timed run of ``tool`` in a fresh copy of the corpus: (seconds, peak RSS MB)."""
    with tempfile.TemporaryDirectory(prefix=f"docgen-bench-{corpus.name}-") as tmp:
        ws = Workspace(corpus, Path(tmp), Path(tmp) / source.name, modules)
        shutil.copytree(source, ws.repo, symlinks=True)
        tool.setup(ws)
        rss_file = ws.tmp / "rss.txt" if tool.measure_rss else None
        seconds = run_command(tool.command(ws), cwd=ws.tmp, env={**QUIET_ENV, **tool.env(ws)},
                              timeout=timeout, rss_file=rss_file)
        return seconds, read_peak_rss_mb(rss_file) if rss_file else None


def bench_corpus(corpus: Corpus, source: Path, tools: list[Tool], runs: int,
                 timeout: float) -> dict[str, Timing]:
    """Time every tool ``runs`` times, interleaved so that machine noise hits all alike."""
    try:
        modules = public_modules(corpus, source)
    except Exception as exc:  # griffe missing or failing: only the peers need the list
        modules = []
        log(f"[{corpus.name}] cannot list public modules: {exc}")
    timings = {tool.key: Timing() for tool in tools}
    for run in range(1, runs + 1):
        for tool in tools:
            timing = timings[tool.key]
            if timing.error:
                continue
            try:
                if tool.key in ("mkdocs", "pdoc") and not modules:
                    raise ToolError("no public modules found (is griffe installed?)")
                seconds, rss = time_once(tool, corpus, source, modules, timeout)
            except ToolError as exc:
                timing.error = str(exc)
                log(f"[{corpus.name}] {tool.label}: error: {exc}")
                continue
            timing.runs_s.append(seconds)
            if rss is not None:
                timing.peak_rss_mb = max(rss, timing.peak_rss_mb or 0.0)
            log(f"[{corpus.name}] run {run}/{runs} {tool.label}: {seconds:.2f} s")
    return timings


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class Target:
    key: str
    description: str
    limit: float
    strict: bool  # True: value < limit; False: value <= limit
    corpora: tuple[str, ...] = ()  # the corpora it is set for; empty: every corpus

    def applies(self, corpus: str) -> bool:
        return not self.corpora or corpus in self.corpora

    def check(self, value: float | None) -> bool:
        if value is None:
            return False
        return value < self.limit if self.strict else value <= self.limit


TARGETS = [
    Target("mkdocs_ratio", "docgen build / mkdocs+mkdocstrings", 0.35, strict=False),
    Target("scan_ratio", "docgen scan / griffe dump", 1.2, strict=False),
    Target("rebuild_s", "no-change rebuild (s)", 1.0, strict=True),
    Target("peak_rss_mb", "docgen build peak RSS (MB)", 1024, strict=True),
    # The issue sets it on sphinx, a project large enough for a build to be mostly work:
    # on click a build is mostly the fixed cost (imports, MkDocs' start) an edit pays too.
    Target("edit_ratio", "rebuild after one docstring edit / docgen build", 0.25, strict=False,
           corpora=("sphinx",)),
]


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def corpus_report(corpus: Corpus, timings: dict[str, Timing]) -> dict:
    median = {key: timing.median_s for key, timing in timings.items()}
    values = {
        "mkdocs_ratio": ratio(median["docgen_build"], median["mkdocs"]),
        "pdoc_ratio": ratio(median["docgen_build"], median["pdoc"]),
        "scan_ratio": ratio(median["docgen_scan"], median["griffe"]),
        "rebuild_s": median["docgen_rebuild"],
        "edit_ratio": ratio(median["docgen_edit"], median["docgen_build"]),
        "peak_rss_mb": timings["docgen_build"].peak_rss_mb,
    }
    return {
        "corpus": corpus.name,
        "version": corpus.version,
        "tools": {
            key: {"median_s": timing.median_s, "runs_s": timing.runs_s, "error": timing.error}
            for key, timing in timings.items()
        },
        **values,
        "targets": {
            target.key: {"limit": target.limit, "value": values[target.key],
                         "pass": target.check(values[target.key])}
            for target in TARGETS
            if target.applies(corpus.name)
        },
    }


def environment() -> dict:
    versions = {}
    for dist in ("docgen", "mkdocs", "mkdocs-material", "mkdocstrings-python", "griffelib",
                 "pdoc"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = None
    return {"python": platform.python_version(), "machine": platform.machine(),
            "cpus": os.cpu_count(), "versions": versions}


def render_table(reports: list[dict], runs: int, docstring_style: str) -> str:
    def seconds(report: dict, key: str) -> str:
        tool = report["tools"][key]
        if tool["error"]:
            message = f"error: {tool['error']}"
            return message if len(message) <= 48 else message[:45] + "..."
        return f"{tool['median_s']:.2f}"

    def plain(value: float | None, fmt: str = "{:.2f}") -> str:
        return "-" if value is None else fmt.format(value)

    def judged(report: dict, key: str, fmt: str = "{:.2f}") -> str:
        target = report["targets"].get(key)
        if target is None:  # no target for this corpus: the value alone
            return plain(report[key], fmt)
        return f"{plain(target['value'], fmt)} {'PASS' if target['pass'] else 'FAIL'}"

    header = ["corpus", "docgen build s", "mkdocs+mkdocstrings s", "ratio", "pdoc s", "ratio",
              "docgen scan s", "griffe s", "ratio", "no-change rebuild s", "edit rebuild s", "ratio",
              "peak RSS MB"]
    rows = [
        [f"{r['corpus']} {r['version']}", seconds(r, "docgen_build"), seconds(r, "mkdocs"),
         judged(r, "mkdocs_ratio"), seconds(r, "pdoc"), plain(r["pdoc_ratio"]),
         seconds(r, "docgen_scan"), seconds(r, "griffe"), judged(r, "scan_ratio"),
         judged(r, "rebuild_s"), seconds(r, "docgen_edit"), judged(r, "edit_ratio"),
         judged(r, "peak_rss_mb", "{:.0f}")]
        for r in reports
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    lines.append("")
    lines.append(f"medians of {runs} run(s); mkdocstrings docstring_style: {docstring_style}")
    lines.append("targets: " + "; ".join(
        f"{t.description} {'<' if t.strict else '<='} {t.limit:g}"
        + (f" (on {', '.join(t.corpora)})" if t.corpora else "") for t in TARGETS))
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per tool (default 3)")
    parser.add_argument("--corpus", action="extend", nargs="+", choices=list(CORPORA),
                        help="limit to these corpora (default: all)")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE,
                        help=f"where the sdists are kept (default {DEFAULT_CACHE})")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds before one command counts as failed (default 1800)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def compile_docgen() -> None:
    """Write docgen's bytecode before timing anything, as pip does for the peers it installs.
    An editable install (the project's own venv) leaves it to the first import, and under
    PYTHONDONTWRITEBYTECODE every run would compile docgen's sources again (~0.1 s)."""
    import docgen

    package = Path(docgen.__file__).parent
    run_command([sys.executable, "-m", "compileall", "-q", str(package)], cwd=package, env={})


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    compile_docgen()
    docstring_style = mkdocstrings_docstring_style()
    tools = make_tools(docstring_style)
    reports = []
    for name in dict.fromkeys(args.corpus or CORPORA):
        corpus = CORPORA[name]
        source = fetch_corpus(corpus, args.cache_dir)
        timings = bench_corpus(corpus, source, tools, args.runs, args.timeout)
        reports.append(corpus_report(corpus, timings))
    all_pass = all(t["pass"] for report in reports for t in report["targets"].values())
    if args.json:
        print(json.dumps({"runs": args.runs, "docstring_style": docstring_style,
                          "environment": environment(), "corpora": reports,
                          "all_pass": all_pass}, indent=2))
    else:
        print(render_table(reports, args.runs, docstring_style))
    return 0 if all_pass else 1


if __name__ == "__main__":
    sys.exit(main())
