"""The knowledge base end to end: real builds fill a real Chroma store with the real
embedding model, and `docgen search` finds symbols and sections by name, words and meaning;
a real `chroma run` server takes the same index and going away mid-index loses nothing."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.index.knowledge import KnowledgeBase
from tests.building import run
from docgen.config import load_config

INDEX_ON = {"index": {"enabled": True}}


def search(root: Path, query: str, *extra: str) -> list[dict]:
    result = CliRunner().invoke(main, ["search", query, "-C", str(root), "--json", *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample repository, built once with its knowledge base."""
    from tests.conftest import SAMPLE

    root = tmp_path_factory.mktemp("kb") / "sample"
    shutil.copytree(SAMPLE, root)
    report = run(root, **INDEX_ON)
    assert report.index["chunks"] > 20 and report.index["embedded"] == report.index["chunks"]
    return root


def test_an_identifier_finds_its_own_symbol_first(indexed: Path) -> None:
    assert search(indexed, "Tokenizer")[0]["symbol"] == "sample_pkg.tokenizer.Tokenizer"
    assert search(indexed, "Tokenizer.from_name()")[0]["symbol"] == "sample_pkg.tokenizer.Tokenizer.from_name"
    # Split as people type it: "from name" finds from_name.
    assert "sample_pkg.tokenizer.Tokenizer.from_name" in [hit["symbol"] for hit in search(indexed, "from name")[:3]]


def test_a_question_in_other_words_finds_the_symbol_that_answers_it(indexed: Path) -> None:
    hits = [hit["symbol"] for hit in search(indexed, "turn token ids back into a string")]
    # The sample decodes tokens in Python and in C++: both answer.
    assert hits[0].endswith(("Tokenizer.decode", "Tokenizer::decode"))
    assert "sample_pkg.tokenizer.Tokenizer.decode" in hits[:5], hits


def test_other_languages_and_prose_sections_are_found_too(indexed: Path) -> None:
    go = search(indexed, "serve generation requests over HTTP")
    assert any(hit["file"] == "go/server.go" for hit in go[:3])
    rust = search(indexed, "errors while loading a vocabulary")
    assert any(hit["file"] == "rust/src/lib.rs" for hit in rust[:3])
    guide = [hit for hit in search(indexed, "User guide") if hit["symbol"] is None]
    assert guide and guide[0]["url"].startswith("guide/") and guide[0]["file"] == "docs/guide.md"


def test_results_say_where_each_hit_is_published_and_written(indexed: Path) -> None:
    hit = search(indexed, "Tokenizer.decode", "--limit", "1")
    assert len(hit) == 1
    assert set(hit[0]) == {"symbol", "title", "url", "snippet", "score", "file", "line"}
    assert hit[0]["url"].endswith("#sample_pkg.tokenizer.Tokenizer.decode")
    assert hit[0]["file"] == "src/sample_pkg/tokenizer.py" and hit[0]["line"] == 47
    assert hit[0]["snippet"].startswith("Decode ids back into text.")
    # The anchor exists on the page the URL names.
    page, anchor = hit[0]["url"].split("#")
    assert f'id="{anchor}"' in (indexed / "site" / page / "index.html").read_text(encoding="utf-8")


def test_a_second_build_embeds_only_what_changed(tmp_path: Path, sample: Path) -> None:
    run(sample, **INDEX_ON)
    unchanged = run(sample, **INDEX_ON)
    assert unchanged.status == "unchanged"
    source = sample / "src/sample_pkg/tokenizer.py"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Decode ids back into text.", "Turn ids into words again.").replace(
        '    def _merge(', '    def frobnicate(self) -> None:\n        """Frobnicate the widgets."""\n\n    def _merge('), encoding="utf-8")
    edited = run(sample, **INDEX_ON)
    assert edited.index["embedded"] == 2, edited.index  # decode and frobnicate
    assert search(sample, "frobnicate widgets")[0]["symbol"] == "sample_pkg.tokenizer.Tokenizer.frobnicate"
    source.write_text(text, encoding="utf-8")
    removed = run(sample, **INDEX_ON)
    assert removed.index["deleted"] == 1
    assert "sample_pkg.tokenizer.Tokenizer.frobnicate" not in {h["symbol"] for h in search(sample, "frobnicate widgets")}


def test_no_index_builds_the_site_only(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_INDEX", "on")  # the command line wins over the environment
    result = CliRunner().invoke(main, ["-q", "build", str(sample), "--no-index"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (sample / "site" / "index.html").is_file()
    assert not (sample / ".docgen" / "index").exists()
    missing = CliRunner().invoke(main, ["search", "Tokenizer", "-C", str(sample)])
    assert missing.exit_code == 1
    assert missing.stderr.strip().splitlines() == [f"error: {sample.resolve()}: no knowledge base yet: run `docgen build` or `docgen index` first"]


def test_docgen_index_fills_the_knowledge_base_without_building_the_site(sample: Path) -> None:
    result = CliRunner().invoke(main, ["index", str(sample), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["chunks"] == report["embedded"] > 20
    assert not (sample / "site").exists()
    assert search(sample, "Tokenizer")[0]["symbol"] == "sample_pkg.tokenizer.Tokenizer"


def test_terminal_output_shows_control_characters_from_docstrings_instead_of_running_them(sample: Path) -> None:
    source = sample / "src/sample_pkg/tokenizer.py"
    source.write_text(source.read_text(encoding="utf-8").replace("Build the tokenizer", "Build \x1b[2Jthe tokenizer"), encoding="utf-8")
    CliRunner().invoke(main, ["-q", "index", str(sample)], catch_exceptions=False)
    shown = CliRunner().invoke(main, ["search", "from_name", "-C", str(sample)], catch_exceptions=False).stdout
    assert "\x1b" not in shown and "\\x1b[2Jthe tokenizer" in shown


# --------------------------------------------------------------------------- a Chroma server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_chroma(path: Path, port: int) -> subprocess.Popen:
    chroma = Path(sys.executable).parent / "chroma"
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    pytest.fail("chroma run did not start in 30 s")


def _stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=10)


def test_a_chroma_server_holds_the_index_and_its_loss_is_one_line(tmp_path: Path, sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = _start_chroma(tmp_path / "chroma", port)
    try:
        (sample / "docgen.toml").write_text(f'index = {{ chroma_url = "{url}" }}\n', encoding="utf-8")
        first = CliRunner().invoke(main, ["index", str(sample), "--json"], catch_exceptions=False)
        assert first.exit_code == 0, first.output
        assert json.loads(first.stdout)["store"] == url
        assert not (sample / ".docgen" / "index" / "chroma").exists()  # nothing stored locally
        hits = search(sample, "make the tokenizer registered under a name")
        assert hits[0]["symbol"] == "sample_pkg.tokenizer.Tokenizer.from_name"
    finally:
        _stop(server)
    record = (sample / ".docgen" / "index" / "chunks.json").read_bytes()
    source = sample / "src/sample_pkg/tokenizer.py"
    source.write_text(source.read_text(encoding="utf-8").replace("back into text", "back into Klingon"), encoding="utf-8")
    gone = CliRunner().invoke(main, ["-q", "index", str(sample)])
    assert gone.exit_code == 5
    [line] = gone.stderr.strip().splitlines()
    assert line.startswith(f"error: {url}: cannot open the vector store: ")
    assert (sample / ".docgen" / "index" / "chunks.json").read_bytes() == record  # the previous index stands
    # A build goes on without its index, and says why.
    monkeypatch.setenv("DOCGEN_INDEX", "on")
    built = run(sample)
    assert [p.code for p in built.problems if p.code == "index"] == ["index"]
    assert (sample / "site" / "index.html").is_file()
    # The server back, with what it held: the index catches up.
    server = _start_chroma(tmp_path / "chroma", port)
    try:
        again = CliRunner().invoke(main, ["index", str(sample), "--json"], catch_exceptions=False)
        assert json.loads(again.stdout)["embedded"] == 1
        assert KnowledgeBase.open(load_config(sample)).search("Klingon", 1)[0].chunk.symbol == "sample_pkg.tokenizer.Tokenizer.decode"
    finally:
        _stop(server)


# --------------------------------------------------------------------------- ask


class StreamingScript:
    """A model that answers from a script, handing its answer on in small pieces as a
    streaming backend does (fake prose; the knowledge base and verifier under it are real)."""

    model_id = "scripted:test"
    context_tokens = 8192

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.prompts: list[list[dict[str, str]]] = []

    def complete(self, messages, *, max_tokens, schema=None, on_text=None):
        from docgen.generate.llm import Completion

        self.prompts.append(messages)
        if on_text is not None:
            for start in range(0, len(self.answer), 7):
                on_text(self.answer[start : start + 7])
        return Completion(self.answer)

    def close(self) -> None:
        pass


def ask_with(root: Path, question: str, answer: str) -> tuple[object, list[str], StreamingScript]:
    from docgen.build import project_names
    from docgen.index.answer import ask

    config = load_config(root)
    model = StreamingScript(answer)
    shown: list[str] = []
    result = ask(KnowledgeBase.open(config), question, model, project_names(config), project="sample", on_text=shown.append)
    return result, shown, model


def test_an_answer_cites_the_sources_it_was_given(indexed: Path) -> None:
    answer, shown, model = ask_with(
        indexed,
        "how do I turn ids back into text?",
        "Call `Tokenizer.decode` with the ids [1]. It raises `ValueError` on an unknown id [1].",
    )
    prompt = model.prompts[0][1]["content"]
    assert "[1] sample_pkg.tokenizer.Tokenizer.decode" in prompt or "Tokenizer::decode" in prompt
    assert not answer.abstained
    assert "".join(shown) == answer.text
    assert [c.number for c in answer.citations] == [1]
    source = answer.citations[0]
    assert source.url in {hit["url"] for hit in search(indexed, "how do I turn ids back into text?")}


def test_sentences_naming_code_that_does_not_exist_are_never_shown(indexed: Path) -> None:
    answer, shown, _ = ask_with(
        indexed,
        "how do I turn ids back into text?",
        "Use `Tokenizer.decode_all_fast` for speed [1]. Call `Tokenizer.decode` with the ids [1]. See also [9].",
    )
    assert "decode_all_fast" not in answer.text and "decode_all_fast" not in "".join(shown)
    assert answer.dropped == 1
    assert "[9]" not in answer.text  # only the sources given can be cited
    assert all(1 <= c.number <= 4 for c in answer.citations)


def test_a_sentence_that_names_a_source_symbol_cites_it(indexed: Path) -> None:
    answer, shown, model = ask_with(indexed, "Tokenizer.decode", "The `Tokenizer.decode` method turns ids into text.")
    sources = model.prompts[0][1]["content"]
    assert "[1] sample_pkg.tokenizer.Tokenizer.decode" in sources
    assert not answer.abstained and answer.text == "The `Tokenizer.decode` method turns ids into text [1]."
    assert [c.symbol for c in answer.citations] == ["sample_pkg.tokenizer.Tokenizer.decode"]


def test_an_answer_that_cites_nothing_is_an_abstention_and_shows_nothing(indexed: Path) -> None:
    answer, shown, _ = ask_with(indexed, "how do I turn ids back into text?", "You could probably write a loop over the ids.")
    assert answer.abstained and answer.text == "The documentation does not cover this." and shown == []


def test_the_model_saying_the_sources_do_not_answer_is_an_abstention(indexed: Path) -> None:
    answer, shown, _ = ask_with(indexed, "how do I turn ids back into text?", "The sources do not say how. Sorry.")
    assert answer.abstained and answer.why == "the answer cited no source" and shown == []


def test_a_question_far_from_the_docs_is_not_put_to_the_model(indexed: Path) -> None:
    answer, _, model = ask_with(indexed, "what is the capital of France?", "Paris [1].")
    assert answer.abstained and model.prompts == []


def test_ask_runs_a_real_model_end_to_end(indexed: Path) -> None:
    """SmolLM2 in llama.cpp: poor prose, but every step is real; whatever it says, what
    reaches the user cites a source given to it or is an abstention."""
    (indexed / "docgen.toml").write_text('llm = { backend = "llama-cpp", model = "smollm2", context = 4096 }\n', encoding="utf-8")
    try:
        result = CliRunner().invoke(main, ["ask", "how do I turn token ids back into text?", "-C", str(indexed), "--json", "--llm", "llama-cpp"], catch_exceptions=False)
    finally:
        (indexed / "docgen.toml").unlink()
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert set(answer) == {"answer", "citations", "abstained", "commit"}
    if answer["abstained"]:
        assert answer["answer"] == "The documentation does not cover this." and answer["citations"] == []
    else:
        assert answer["citations"] and all(c["url"] for c in answer["citations"])


def test_ask_without_a_model_says_so(indexed: Path) -> None:
    result = CliRunner().invoke(main, ["ask", "anything", "-C", str(indexed)])
    assert result.exit_code == 1
    assert "docgen ask needs a model, and llm is 'none' (the llm setting or DOCGEN_LLM): pass --llm llama-cpp" in result.stderr


def test_a_build_without_the_knowledge_base_never_imports_it(sample: Path) -> None:
    """Its imports (numpy, onnxruntime, chromadb) cost a no-change build a third of its time."""
    script = (
        "import sys; from pathlib import Path; from docgen.build import build; from docgen.config import load_config; "
        "from docgen.progress import QUIET, Reporter; "
        f"[build(load_config(Path({str(sample)!r})), reporter=Reporter(QUIET)) for _ in range(2)]; "
        "print(sorted(m for m in sys.modules if m.startswith(('docgen.index', 'numpy', 'chromadb', 'onnxruntime'))))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env={**os.environ, "DOCGEN_INDEX": "off"}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
