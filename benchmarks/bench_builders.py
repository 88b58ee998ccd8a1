"""Time a full site build with each builder docgen supports, and what diagrams cost.

Run from the repository root with the project's interpreter (peers and Zensical from
``benchmarks/requirements.txt``):

    .venv/bin/python benchmarks/bench_builders.py [--runs 3] [--corpus sphinx] [--json]

On each corpus (sphinx 7.3.7 by default, as in ``bench_build.py``), from a cold cache,
taking turns within each run:

- ``docgen build`` with MkDocs (the default builder), with its diagrams;
- the same with ``diagrams = false``: target, diagrams add under 10% to the build;
- ``docgen build --builder zensical``;
- the same as the first with ``show_source = true``: each symbol's source in a block, as
  mkdocstrings shows it by default (the like-for-like comparison);
- mkdocs+mkdocstrings, the peer site ``bench_build.py`` writes.

Each figure is the median of ``--runs``; ratios are docgen's time over the peer's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import (  # noqa: E402
    CORPORA,
    DEFAULT_CACHE,
    Tool,
    Workspace,
    bench_corpus,
    clear_docgen_cache,
    exe,
    fetch_corpus,
    make_tools,
    mkdocstrings_docstring_style,
)

DIAGRAM_OVERHEAD = 0.10  # at most


def build_command(ws: Workspace, *options: str) -> list[str]:
    # The site inside the project: Zensical builds nowhere else.
    return [exe("docgen"), "-q", "build", str(ws.repo), "--docs-dir", str(ws.repo / "docgen-docs"),
            "--site-dir", str(ws.repo / "docgen-site"), *options]


def without_diagrams(ws: Workspace) -> None:
    clear_docgen_cache(ws)
    (ws.repo / "docgen.toml").write_text("diagrams = false\n", encoding="utf-8")


def with_source(ws: Workspace) -> None:
    clear_docgen_cache(ws)
    (ws.repo / "docgen.toml").write_text("show_source = true\n", encoding="utf-8")


def tools() -> list[Tool]:
    peer = next(tool for tool in make_tools(mkdocstrings_docstring_style()) if tool.key == "mkdocs")
    return [
        Tool("mkdocs_builder", "docgen build (MkDocs)", build_command, setup=clear_docgen_cache),
        Tool("no_diagrams", "docgen build (MkDocs), diagrams = false", build_command, setup=without_diagrams),
        Tool("zensical_builder", "docgen build --builder zensical", lambda ws: build_command(ws, "--builder", "zensical"),
             setup=clear_docgen_cache),
        Tool("show_source", "docgen build (MkDocs), show_source = true", build_command, setup=with_source),
        peer,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", nargs="+", choices=sorted(CORPORA), default=["sphinx"])
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)
    reports, passed = [], True
    for name in options.corpus:
        corpus = CORPORA[name]
        timings = bench_corpus(corpus, fetch_corpus(corpus, options.cache_dir), tools(), options.runs, options.timeout)
        median = {key: timing.median_s for key, timing in timings.items()}
        if None in median.values():
            errors = {key: timing.error for key, timing in timings.items() if timing.error}
            print(f"{name}: failed: {errors}", file=sys.stderr)
            return 1
        overhead = median["mkdocs_builder"] / median["no_diagrams"] - 1
        passed = passed and overhead < DIAGRAM_OVERHEAD
        reports.append({
            "corpus": f"{corpus.name} {corpus.version}",
            **{f"{key}_s": round(value, 2) for key, value in median.items()},
            "mkdocs_builder_ratio": round(median["mkdocs_builder"] / median["mkdocs"], 2),
            "zensical_builder_ratio": round(median["zensical_builder"] / median["mkdocs"], 2),
            "show_source_ratio": round(median["show_source"] / median["mkdocs"], 2),
            "diagram_overhead": round(overhead, 3),
        })
    if options.json:
        print(json.dumps(reports, indent=2))
    else:
        print("corpus | docgen (MkDocs) s | ratio | docgen (Zensical) s | ratio | diagrams = false s | diagram overhead"
              " | show_source s | ratio | mkdocs+mkdocstrings s")
        for r in reports:
            print(f"{r['corpus']} | {r['mkdocs_builder_s']} | {r['mkdocs_builder_ratio']} | {r['zensical_builder_s']} | "
                  f"{r['zensical_builder_ratio']} | {r['no_diagrams_s']} | {r['diagram_overhead']:+.1%} | "
                  f"{r['show_source_s']} | {r['show_source_ratio']} | {r['mkdocs_s']}")
        print(f"medians of {options.runs} run(s); target: diagrams add under {DIAGRAM_OVERHEAD:.0%}: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
