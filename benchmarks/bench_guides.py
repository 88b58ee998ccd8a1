"""Time what drafting guides costs: a full drafted build, a rebuild, a one-function change.

Run from the repository root with the project's interpreter (the default model needs
`pip install -e '.[local]'`, which `make site` does):

    .venv/bin/python benchmarks/bench_guides.py [--corpus click] [--model smollm2] [--json]

On a fresh copy of the corpus (an sdist, as in ``bench_build.py``) it runs, with the
configured local model and a cold cache:

1. ``docgen build --json``: every guide drafted; its time, LLM calls and tokens;
2. the same command again: nothing changed, so no call may be made;
3. after editing one public function's docstring below its summary line, the edit most
   pull requests make: only the guides whose facts quote that text are drafted again;
4. after editing the same function's summary line too: every guide that lists the
   function with its summary (its how-to, the overviews and the tutorial naming it) is
   drafted again. The function is the corpus's most used one, so this is the worst
   single-function edit; the same targets are applied and reported.

It prints one table with a PASS/FAIL per target and exits 1 when any fails; then, from the
guides' plans alone (no model), how many guides quote the summary of each documented
function, method and class: what a summary edit of any of them would cost, of which the
edited function is the worst case. The calls and
tokens a build spends are printed for comparison with other tools' figures (CodeWiki
reports 169 calls for its own repository); no peer drafts offline here, so there is no
ratio to take.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import CORPORA, DEFAULT_CACHE, exe, fetch_corpus, log  # noqa: E402

# The function whose docstring is edited, per corpus: used by many, shown in overviews.
EDITED = {"click": ("src/click/utils.py", "def echo("), "rich": ("rich/console.py", "def print_json("), "sphinx": ("sphinx/util/logging.py", "def getLogger(")}
TARGETS = {
    "full_s": 15 * 60,  # a full drafted build of click on a 2-core machine
    "unchanged_calls": 0,
    "unchanged_s": 2.0,
    "edit_calls": 3,
    "edit_s": 60.0,
}


@dataclass
class Step:
    """One timed `docgen build`."""

    label: str
    seconds: float
    calls: int
    prompt_tokens: int
    completion_tokens: int
    drafted: list[str]
    problems: dict[str, int]


def build(repo: Path, site: Path, timeout: float, label: str) -> Step:
    """One `docgen build --json` of `repo`, timed."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("DOCGEN_LLM", None)
    command = [exe("docgen"), "build", str(repo), "--docs-dir", str(repo / "docgen-docs"), "--site-dir", str(site), "--json"]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=repo, env=env, timeout=timeout, capture_output=True, text=True, errors="replace")
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{label}: docgen exited {done.returncode}: {done.stderr.strip().splitlines()[-1:]}")
    report = json.loads(done.stdout)
    llm = report.get("llm") or {}
    problems: dict[str, int] = {}
    for problem in report.get("problems", []):
        problems[problem["code"]] = problems.get(problem["code"], 0) + 1
    step = Step(label, seconds, llm.get("calls", 0), llm.get("prompt_tokens", 0), llm.get("completion_tokens", 0),
                report.get("guides_drafted", []), problems)
    log(f"{label}: {seconds:.1f} s, {step.calls} calls, drafted {len(step.drafted)}")
    return step


def configure(repo: Path, model: str) -> None:
    """Select the model in the copy's own configuration (pyproject.toml or docgen.toml)."""
    table = f'\n[tool.docgen.llm]\nbackend = "llama-cpp"\nmodel = "{model}"\n' if model else ""
    if not table:
        return
    pyproject = repo / "pyproject.toml"
    if pyproject.is_file() and "[tool.docgen" not in pyproject.read_text(encoding="utf-8"):
        with open(pyproject, "a", encoding="utf-8") as stream:
            stream.write(table)
    else:
        (repo / "docgen.toml").write_text(table.replace("[tool.docgen.llm]", "[llm]"), encoding="utf-8")


def edit_one_function(repo: Path, corpus: str, part: str) -> str:
    """Add a sentence to the docstring of the corpus's chosen function: a paragraph after
    its summary (`part="description"`) or the start of the summary itself; returns its file."""
    relative, header = EDITED[corpus]
    path = repo / relative
    text = path.read_text(encoding="utf-8")
    start = text.index(header)
    quotes = re.compile(r'("""|\'\'\')').search(text, start)
    if quotes is None:
        sys.exit(f"no docstring after {header!r} in {relative}")
    if part == "summary":
        at, added = quotes.end(), "Edited for the benchmark. "
    else:
        at = text.index("\n\n", quotes.end()) + 2
        indent = re.match(r"[ \t]*", text[at:]).group()
        added = f"{indent}Edited for the benchmark: one more paragraph.\n\n"
    path.write_text(text[:at] + added + text[at:], encoding="utf-8")
    return relative


def summary_reach(repo: Path) -> tuple[Counter[int], list[tuple[str, int]]]:
    """For each documented function, method and class of `repo`, how many guides' facts
    quote its summary: the calls a summary edit of it costs (before any retry), counted
    from the guides' plans with no model. Returns how many symbols reach each number of
    guides, and the five that reach most."""
    from docgen.build import guide_plans, scanned_project
    from docgen.config import load_config
    from docgen.generate.prose.plan import summary_of
    from docgen.model import in_reference
    from docgen.scan.usage import read_usage_files

    config = load_config(repo)
    project, index = scanned_project(config, call_graph=True)
    plans = [set("\n".join(plan.facts).split("\n")) for plan in guide_plans(config, project, index, read_usage_files(config))]
    reach: dict[str, int] = {}
    stack = [(symbol, True) for symbol in project.symbols]
    while stack:
        symbol, documented = stack.pop()
        documented = documented and in_reference(symbol)
        if documented and symbol.kind in ("function", "method", "class") and symbol.docstring:
            quoted = f"`{symbol.id}`", summary_of(symbol)
            reach[symbol.id] = sum(1 for lines in plans if any(all(part in line for part in quoted) for line in lines))
        stack += [(child, documented) for child in symbol.children]
    return Counter(reach.values()), sorted(reach.items(), key=lambda item: (-item[1], item[0]))[:5]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=sorted(EDITED), default="click")
    parser.add_argument("--model", default="", help="a packaged model name or GGUF path (default: docgen's default model)")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds one build may take (default 3600)")
    parser.add_argument("--keep", type=Path, help="copy the drafted docs folder here, to read the guides")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    corpus = CORPORA[args.corpus]
    source = fetch_corpus(corpus, args.cache_dir)
    with tempfile.TemporaryDirectory(prefix="docgen-bench-guides-") as scratch:
        repo = Path(scratch, "repo")
        shutil.copytree(source, repo)
        configure(repo, args.model)
        site = Path(scratch, "site")
        full = build(repo, site, args.timeout, "full drafted build")
        unchanged = build(repo, site, args.timeout, "no-change rebuild")
        edited_file = edit_one_function(repo, args.corpus, "description")
        edits = [build(repo, site, args.timeout, f"docstring description ({Path(edited_file).name})")]
        edit_one_function(repo, args.corpus, "summary")
        edits.append(build(repo, site, args.timeout, f"docstring summary ({Path(edited_file).name})"))
        if args.keep:
            shutil.copytree(repo / "docgen-docs", args.keep, dirs_exist_ok=True)
        reach, most = summary_reach(repo)
    checks = {
        "full_s": full.seconds <= TARGETS["full_s"],
        "unchanged_calls": unchanged.calls <= TARGETS["unchanged_calls"],
        "unchanged_s": unchanged.seconds < TARGETS["unchanged_s"],
        **{f"{kind}_{check}": ok for kind, edit in zip(("description", "summary"), edits)
           for check, ok in (("edit_calls", edit.calls <= TARGETS["edit_calls"]), ("edit_s", edit.seconds < TARGETS["edit_s"]))},
    }
    steps = (full, unchanged, *edits)
    if args.json:
        print(json.dumps({"corpus": corpus.requirement, "model": args.model or "default",
                          "steps": [step.__dict__ for step in steps], "targets": TARGETS, "passed": checks,
                          "summary_reach": {"symbols_by_guides": dict(sorted(reach.items())), "most": most}}, indent=2))
    else:
        mark = {True: "PASS", False: "FAIL"}
        print(f"{corpus.requirement}, model: {args.model or 'default'}")
        print(f"{'step':<40} | {'seconds':>8} | {'calls':>5} | {'prompt tok':>10} | {'completion tok':>14} | drafted | problems")
        for step in steps:
            problems = ", ".join(f"{code} {count}" for code, count in sorted(step.problems.items())) or "-"
            print(f"{step.label:<40} | {step.seconds:8.1f} | {step.calls:5d} | {step.prompt_tokens:10d} | {step.completion_tokens:14d} | {len(step.drafted):7d} | {problems}")
        print(f"targets: full drafted build <= {TARGETS['full_s']} s {mark[checks['full_s']]}; "
              f"no-change rebuild 0 calls {mark[checks['unchanged_calls']]}, < 2 s {mark[checks['unchanged_s']]}; "
              + "; ".join(f"{kind} edit <= 3 calls {mark[checks[kind + '_edit_calls']]}, < 60 s {mark[checks[kind + '_edit_s']]}"
                          for kind in ("description", "summary")))
        total = sum(reach.values())
        within = sum(count for guides, count in reach.items() if guides <= TARGETS["edit_calls"])
        print(f"summary edits: of {total} documented functions, methods and classes, {within} ({within / max(total, 1):.0%}) "
              f"have their summary quoted by at most {TARGETS['edit_calls']} guides; by number of guides: "
              + ", ".join(f"{guides}: {count}" for guides, count in sorted(reach.items()))
              + "; most quoted: " + ", ".join(f"{symbol} {guides}" for symbol, guides in most))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
