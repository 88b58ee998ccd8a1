"""Measure the knowledge base: search quality on a question set, and its speeds.

Run from the repository root with the project's interpreter:

    .venv/bin/python benchmarks/bench_search.py [--corpus click] [--index-corpus sphinx] [--json]

On a fresh copy of the question set's corpus (an sdist, as bench_build.py fetches it) it
builds the reference site with its knowledge base, then:

- asks every question of benchmarks/questions/<corpus>.json of `docgen search` (in this
  process, as the server will) and reports hit@1, hit@5 and MRR against the symbols each
  question expects, and the search latency (p50, p95);
- times a cold `docgen search` (a new process, as a terminal runs it), median of 3;
- times `docgen index` of the index corpus from nothing, and again with nothing changed;
- with `--ask`, puts every question (and the out-of-scope ones) to `docgen ask` with the
  default model, loaded once: keyword recall (the answer names an expected symbol),
  citation precision (cited chunks that are expected symbols), abstention on out-of-scope
  questions, false abstention on answerable ones, phantom citations (citations of chunks
  the knowledge base does not hold) and the time to the first shown sentence.

It prints one table with a PASS/FAIL per target and exits 1 when any target fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import CORPORA, DEFAULT_CACHE, compile_docgen, fetch_corpus  # noqa: E402

QUESTIONS = Path(__file__).resolve().parent / "questions"
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DOCGEN_LLM": "none", "DOCGEN_INDEX": "on"}
TARGETS = {
    "hit@5": (">=", 0.9),
    "MRR": (">=", 0.75),
    "served search p95 ms": ("<", 50.0),
    "cold search s": ("<", 2.0),
    "index s": ("<", 60.0),
    "no-change index s": ("<", 2.0),
}
ASK_TARGETS = {
    "abstention (out of scope)": (">=", 0.8),
    "false abstention": ("<=", 0.1),
    "phantom citations": ("<=", 0),
    "first text p50 s": ("<", 10.0),
}


def docgen(*args: str, cwd: Path) -> float:
    """Run docgen; its wall time in seconds."""
    start = time.perf_counter()
    done = subprocess.run([str(BIN / "docgen"), *args], cwd=cwd, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"docgen {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def fresh_copy(corpus: str, cache: Path, into: Path) -> Path:
    source = fetch_corpus(CORPORA[corpus], cache)
    target = into / source.name
    shutil.copytree(source, target)
    return target


def question_metrics(root: Path, questions: list[dict]) -> tuple[dict[str, float], list[dict]]:
    """hit@1, hit@5, MRR and latency of the search API over `questions`."""
    from docgen.config import load_config
    from docgen.index.knowledge import KnowledgeBase

    base = KnowledgeBase.open(load_config(root))
    base.search("warm up", 5)  # the model and store load once, as in a server
    ranks, latencies, misses = [], [], []
    for question in questions:
        start = time.perf_counter()
        hits = base.search(question["q"], 10)
        latencies.append((time.perf_counter() - start) * 1000)
        found = [hit.chunk.symbol for hit in hits]
        rank = next((n for n, symbol in enumerate(found, start=1) if symbol in question["expect"]), None)
        ranks.append(rank)
        if rank != 1:
            misses.append({"q": question["q"], "rank": rank, "top": found[:3], "expect": question["expect"]})
    count = len(questions)
    latencies.sort()
    return {
        "questions": count,
        "hit@1": sum(1 for r in ranks if r == 1) / count,
        "hit@5": sum(1 for r in ranks if r and r <= 5) / count,
        "MRR": sum(1 / r for r in ranks if r) / count,
        "served search p50 ms": statistics.median(latencies),
        "served search p95 ms": latencies[min(count - 1, round(0.95 * (count - 1)))],
    }, misses


def ask_metrics(root: Path, questions: list[dict], out_of_scope: list[str]) -> tuple[dict[str, float], list[dict]]:
    """What `docgen ask` makes of the question set, with the configured model loaded once."""
    from dataclasses import replace

    from docgen.build import project_names
    from docgen.config import load_config
    from docgen.generate.llm import open_llm
    from docgen.index.answer import ask
    from docgen.index.knowledge import KnowledgeBase

    config = load_config(root)
    config = replace(config, llm=replace(config.llm, backend="llama-cpp"))
    base, names = KnowledgeBase.open(config), project_names(config)
    model = open_llm(config.llm, config.root)
    firsts, answered, recalled, cited, precise, phantom, abstained_out, transcripts = [], 0, 0, 0, 0, 0, 0, []
    try:
        for question in [*questions, *({"q": q, "expect": None} for q in out_of_scope)]:
            start = time.perf_counter()
            first: list[float] = []
            answer = ask(base, question["q"], model, names, project=config.name, on_text=lambda _t: first or first.append(time.perf_counter() - start))
            transcripts.append({"q": question["q"], **answer.as_dict()})
            phantom += sum(1 for c in answer.citations if f"symbol:{c.symbol}" not in base.chunks and c.symbol is not None)
            if question["expect"] is None:
                abstained_out += answer.abstained
                continue
            if first:
                firsts.append(first[0])
            if answer.abstained:
                continue
            answered += 1
            short = {symbol.rsplit(".", 1)[-1] for symbol in question["expect"]}
            recalled += any(name in answer.text for name in short)
            cited += len(answer.citations)
            precise += sum(1 for c in answer.citations if c.symbol in question["expect"])
    finally:
        model.close()
    return {
        "keyword recall": recalled / len(questions),
        "citation precision": precise / cited if cited else 0.0,
        "abstention (out of scope)": abstained_out / len(out_of_scope),
        "false abstention": (len(questions) - answered) / len(questions),
        "phantom citations": phantom,
        "first text p50 s": statistics.median(firsts) if firsts else float("inf"),
    }, transcripts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="click", help="the corpus of the question set")
    parser.add_argument("--index-corpus", default="sphinx", help="the corpus whose indexing is timed")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--ask", action="store_true", help="also put the questions to docgen ask (the default model: minutes)")
    args = parser.parse_args()
    compile_docgen()
    questions = json.loads((QUESTIONS / f"{args.corpus}.json").read_text(encoding="utf-8"))
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        root = fresh_copy(args.corpus, args.cache_dir, Path(scratch))
        results["build with index s"] = docgen("build", cwd=root)
        metrics, misses = question_metrics(root, questions["questions"])
        results.update(metrics)
        cold = [docgen("search", "how do I prompt for a password", "--json", cwd=root) for _ in range(3)]
        results["cold search s"] = statistics.median(cold)
        transcripts: list[dict] = []
        if args.ask:
            asked, transcripts = ask_metrics(root, questions["questions"], questions["out_of_scope"])
            results.update(asked)
        other = fresh_copy(args.index_corpus, args.cache_dir, Path(scratch) / "index")
        results["index s"] = docgen("index", cwd=other)
        results["no-change index s"] = docgen("index", cwd=other)
        chunks = json.loads((other / ".docgen" / "index" / "chunks.json").read_text(encoding="utf-8"))["chunks"]
        results["index chunks"] = len(chunks)
    targets = {**TARGETS, **(ASK_TARGETS if args.ask else {})}
    failed = [name for name, (op, bar) in targets.items() if not _meets(results[name], op, bar)]
    if args.json:
        print(json.dumps({"results": results, "misses": misses, "failed": failed, "answers": transcripts}, indent=2))
    else:
        print(f"question set: {args.corpus} ({results['questions']:.0f} questions); index timed on {args.index_corpus} ({results['index chunks']:.0f} chunks)")
        for name, value in results.items():
            target = targets.get(name)
            verdict = "" if target is None else f"  {target[0]} {target[1]:g}  {'FAIL' if name in failed else 'PASS'}"
            print(f"  {name:24} {value:8.3f}{verdict}")
        for miss in misses:
            print(f"  not first: {miss['q']!r}: rank {miss['rank']}, top {miss['top']}")
    sys.exit(1 if failed else 0)


def _meets(value: float, op: str, bar: float) -> bool:
    return {">=": value >= bar, "<=": value <= bar, "<": value < bar}[op]


if __name__ == "__main__":
    main()
