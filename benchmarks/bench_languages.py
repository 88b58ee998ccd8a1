"""Time docgen's scan of C/C++/CUDA, Go and TypeScript projects against tree-sitter alone.

Run from the repository root with the project's interpreter:

    .venv/bin/python benchmarks/bench_languages.py [--runs 5] [--corpus ggml ...] [--json]

For each corpus, a large real project pinned at a commit, two things are timed in one
process, taking turns within each run so that machine noise hits both alike:

- **tree-sitter**: reading every file docgen would read and parsing it with its grammar
  (`Parser.parse`, grammars loaded before timing), and nothing else: the floor.
- **docgen scan**: `find_files` and `scan` on the same project, restricted to the files
  tree-sitter reads (Python and Markdown have readers of their own): macro blanking,
  the walk, doc comments, header/source joins, Go packages, Rust modules.

Target: docgen's scan takes at most twice the raw parse. The table also reports what the
scan found (symbols, the documented share of public ones, read-in-part and skipped files),
the figures to compare before and after a change to a reader.

The corpora are git checkouts under the cache folder (`benchmarks/.corpora/<name>`, which
git ignores). A missing one is cloned at its commit when the network allows; otherwise
fill the folder yourself (`git clone URL DIR && git -C DIR checkout COMMIT`).
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from docgen.check.coverage import measure_coverage
from docgen.config import load_config
from docgen.scan import scan
from docgen.scan.finder import Found, FoundFile, find_files
from docgen.scan.treesitter import EXTENSIONS
from docgen.scan.treesitter.grammars import _parser

DEFAULT_CACHE = Path(__file__).resolve().parent / ".corpora"
TARGET_RATIO = 2.0


@dataclass(frozen=True)
class Corpus:
    name: str
    kind: str
    url: str
    commit: str


CORPORA = {
    corpus.name: corpus
    for corpus in (
        Corpus("ggml", "C, C++, CUDA", "https://github.com/ggml-org/ggml", "d99724f2b141fed9e1a9f402213506c081433465"),
        Corpus("prometheus", "Go", "https://github.com/prometheus/prometheus", "d15adb9ad7e5d9fbde3a9a8f30200593a5a14d86"),
        Corpus("vue-core", "TypeScript", "https://github.com/vuejs/core", "e2bede96134f757aad5c5b33ac9be055022dbfc8"),
    )
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def checkout(corpus: Corpus, cache: Path) -> Path:
    """The corpus's folder, cloned at its commit the first time."""
    folder = cache / corpus.name
    if folder.is_dir():
        return folder
    log(f"[{corpus.name}] cloning {corpus.url} at {corpus.commit[:12]}")
    cache.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(["git", "init", "-q", str(folder)], check=True)
        subprocess.run(["git", "-C", str(folder), "fetch", "-q", "--depth", "1", corpus.url, corpus.commit], check=True)
        subprocess.run(["git", "-C", str(folder), "checkout", "-q", "FETCH_HEAD"], check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        sys.exit(f"cannot clone {corpus.url} into {folder} ({error}); fill that folder yourself")
    return folder


def grammar(file: FoundFile) -> str:
    language = EXTENSIONS[Path(file.path).suffix.lower()]
    return "tsx" if file.path.lower().endswith(".tsx") else language


def parse_only(root: Path, files: list[FoundFile]) -> float:
    start = time.perf_counter()
    for file in files:
        _parser(grammar(file)).parse((root / file.path).read_bytes())
    return time.perf_counter() - start


def docgen_scan(root: Path) -> tuple[float, object]:
    config = load_config(root)
    start = time.perf_counter()
    found = find_files(config)
    found = Found(tuple(f for f in found.files if Path(f.path).suffix.lower() in EXTENSIONS), found.problems)
    project = scan(config, found, call_graph=False)
    return time.perf_counter() - start, project


def bench(corpus: Corpus, cache: Path, runs: int) -> dict[str, object]:
    root = checkout(corpus, cache).resolve()
    config = load_config(root)
    files = [f for f in find_files(config).files if Path(f.path).suffix.lower() in EXTENSIONS]
    for name in {grammar(f) for f in files}:
        _parser(name)  # loading a grammar is not parsing
    megabytes = sum(len(f.text.encode()) for f in files) / 1e6
    raw, ours = [], []
    project = None
    for run in range(runs):
        raw.append(parse_only(root, files))
        seconds, project = docgen_scan(root)
        ours.append(seconds)
        log(f"[{corpus.name}] run {run + 1}/{runs}: tree-sitter {raw[-1]:.2f} s, docgen scan {seconds:.2f} s")
    coverage = measure_coverage(project)
    codes = [problem.code for problem in project.problems]
    raw_s, scan_s = statistics.median(raw), statistics.median(ours)
    return {
        "corpus": corpus.name,
        "kind": corpus.kind,
        "commit": corpus.commit,
        "files": len(files),
        "megabytes": round(megabytes, 1),
        "tree_sitter_s": round(raw_s, 3),
        "docgen_scan_s": round(scan_s, 3),
        "ratio": round(scan_s / raw_s, 2),
        "symbols": sum(1 for _ in project.walk()),
        "public": coverage.public,
        "documented_share": round(coverage.share, 3),
        "read_in_part": codes.count("read-in-part"),
        "skipped": codes.count("skipped"),
    }


def table(rows: list[dict[str, object]]) -> str:
    head = ("corpus", "language", "files", "MB", "tree-sitter s", "docgen scan s", "ratio", "symbols", "documented", "read in part", "skipped")
    lines = [" | ".join(head)]
    for row in rows:
        lines.append(" | ".join(str(v) for v in (
            row["corpus"], row["kind"], row["files"], row["megabytes"], row["tree_sitter_s"], row["docgen_scan_s"],
            f"{row['ratio']}x", row["symbols"], f"{row['documented_share']:.0%} of {row['public']}", row["read_in_part"], row["skipped"],
        )))
    verdicts = [f"{row['corpus']} {'PASS' if row['ratio'] <= TARGET_RATIO else 'FAIL'}" for row in rows]
    lines.append(f"target: docgen scan <= {TARGET_RATIO:g}x the raw tree-sitter parse: " + ", ".join(verdicts))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", nargs="+", choices=sorted(CORPORA), default=sorted(CORPORA))
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    rows = [bench(CORPORA[name], options.cache_dir, options.runs) for name in options.corpus]
    print(json.dumps(rows, indent=2) if options.json else table(rows))
    return 0 if all(row["ratio"] <= TARGET_RATIO for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
