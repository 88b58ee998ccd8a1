"""Time `docgen check` and `docgen diff` against the tools people stitch together today.

Run from the repository root with the project's interpreter (peers from
``benchmarks/requirements.txt``):

    .venv/bin/python benchmarks/bench_check.py [--runs 3] [--json]

1. ``docgen check`` on sphinx 7.3.7 (an sdist, as in ``bench_build.py``): the first run
   (no ``.docgen/``: every file scanned) and a second one (the scan cache), against
   ``interrogate`` (coverage only) plus ``pydoclint`` (docstring drift only) on the same
   package. Target: under 5 s.
2. ``docgen diff`` between click 8.1.6 and 8.1.7, the two sdists committed as two
   revisions of one git repository, against ``griffe check`` (Python API breakages only,
   through a git worktree). Target: under 10 s.

Each figure is the median of ``--runs``; ratios are docgen's time over the peers'.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import CORPORA, DEFAULT_CACHE, Corpus, exe, fetch_corpus, log  # noqa: E402

CLICK_BEFORE = Corpus("click", "8.1.6", "src/click")
TARGETS = {"check_s": 5.0, "diff_s": 10.0}


def timed(command: list[str], cwd: Path, timeout: float = 600) -> float:
    """Seconds `command` took; it may exit non-zero (problems found), but must not crash."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1, 3):  # interrogate exits 1 under its fail-under, pydoclint 1 on findings
        sys.exit(f"{command[0]} exited {done.returncode}: {done.stderr.strip().splitlines()[-1:]}")
    return seconds


def median(command: list[str], cwd: Path, runs: int, before: object = None) -> float:
    times = []
    for _ in range(runs):
        if callable(before):
            before()
        times.append(timed(command, cwd))
    return statistics.median(times)


def bench_check(cache: Path, runs: int) -> dict[str, float]:
    corpus = CORPORA["sphinx"]
    source = fetch_corpus(corpus, cache)
    with tempfile.TemporaryDirectory(prefix="docgen-bench-check-") as scratch:
        repo = Path(scratch, "sphinx")
        shutil.copytree(source, repo)
        state = repo / ".docgen"
        log("docgen check on sphinx, cold and warm")
        cold = median([exe("docgen"), "check", ".", "--format", "json"], repo, runs, lambda: shutil.rmtree(state, ignore_errors=True))
        timed([exe("docgen"), "check", ".", "--format", "json"], repo)
        warm = median([exe("docgen"), "check", ".", "--format", "json"], repo, runs)
        log("interrogate and pydoclint on sphinx")
        interrogate = median([exe("interrogate"), "--quiet", "--fail-under", "0", corpus.package_path], repo, runs)
        pydoclint = median([exe("pydoclint"), "--quiet", "--style", "sphinx", corpus.package_path], repo, runs)
    return {"check_cold_s": cold, "check_warm_s": warm, "interrogate_s": interrogate, "pydoclint_s": pydoclint}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def bench_diff(cache: Path, runs: int) -> dict[str, float]:
    before, after = fetch_corpus(CLICK_BEFORE, cache), fetch_corpus(CORPORA["click"], cache)
    with tempfile.TemporaryDirectory(prefix="docgen-bench-diff-") as scratch:
        repo = Path(scratch, "click")
        shutil.copytree(before, repo)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "-c", "user.email=bench@example.com", "-c", "user.name=bench", "add", "-A")
        git(repo, "-c", "user.email=bench@example.com", "-c", "user.name=bench", "commit", "-q", "-m", "8.1.6")
        for path in list(repo.iterdir()):
            if path.name != ".git":
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        shutil.copytree(after, repo, dirs_exist_ok=True)
        git(repo, "-c", "user.email=bench@example.com", "-c", "user.name=bench", "add", "-A")
        git(repo, "-c", "user.email=bench@example.com", "-c", "user.name=bench", "commit", "-q", "-m", "8.1.7")
        log("docgen diff and griffe check, click 8.1.6 -> 8.1.7")
        diff = median([exe("docgen"), "diff", ".", "--base", "HEAD~1", "--head", "HEAD", "--json"], repo, runs)
        griffe = median([exe("griffe"), "check", "click", "-s", "src", "-a", "HEAD~1", "-b", "HEAD"], repo, runs)
        sample = subprocess.run([exe("docgen"), "diff", ".", "--base", "HEAD~1", "--head", "HEAD"], cwd=repo, capture_output=True, text=True).stdout
    return {"diff_s": diff, "griffe_check_s": griffe, "comment": sample}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    check, diff = bench_check(args.cache_dir, args.runs), bench_diff(args.cache_dir, args.runs)
    passed = {"check_s": check["check_cold_s"] < TARGETS["check_s"], "diff_s": diff["diff_s"] < TARGETS["diff_s"]}
    if args.json:
        print(json.dumps({"check": check, "diff": {k: v for k, v in diff.items() if k != "comment"}, "targets": TARGETS, "passed": passed}, indent=2))
        return 0 if all(passed.values()) else 1
    mark = {True: "PASS", False: "FAIL"}
    peers = check["interrogate_s"] + check["pydoclint_s"]
    print(f"docgen check, sphinx 7.3.7: cold {check['check_cold_s']:.2f} s, warm {check['check_warm_s']:.2f} s "
          f"(target < {TARGETS['check_s']:g} s: {mark[passed['check_s']]})")
    print(f"  interrogate {check['interrogate_s']:.2f} s + pydoclint {check['pydoclint_s']:.2f} s = {peers:.2f} s; "
          f"docgen/peers: cold {check['check_cold_s'] / peers:.2f}x, warm {check['check_warm_s'] / peers:.2f}x")
    print(f"docgen diff, click 8.1.6 -> 8.1.7: {diff['diff_s']:.2f} s (target < {TARGETS['diff_s']:g} s: {mark[passed['diff_s']]}); "
          f"griffe check {diff['griffe_check_s']:.2f} s; docgen/griffe {diff['diff_s'] / diff['griffe_check_s']:.2f}x")
    print("\nThe pull-request comment for that diff:\n")
    print(diff["comment"])
    return 0 if all(passed.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
