"""Guides end to end: `docgen build` drafting with a real model (SmolLM2-135M in llama.cpp,
in this process and behind llama.cpp's OpenAI-compatible server on 127.0.0.1), the real
verifier, MkDocs and the site. The small model writes poor prose; what is checked is
what docgen guarantees whatever a model writes."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.generate.llm.models import SMOLLM2, model_file
from tests.unit.test_guides import FILES
from tests.unit.test_guides_usage import USAGE

LLAMA_CPP = 'backend = "llama-cpp"\nmodel = "smollm2"\ncontext = 4096\n'


def project(root: Path, llm_table: str, usage: bool = False) -> Path:
    """The shop; with `usage`, its README's usage, an example and a test (for the tutorial,
    the how-tos and the FAQ), and examples run when drafted."""
    import textwrap

    for path, text in {**FILES, **(USAGE if usage else {})}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    if not usage:
        (root / "README.md").write_text("# Shop\n\nA tiny shop. Start with `shop.cart.Cart`.\n", encoding="utf-8")
    verify = "[verify]\nrun_examples = true\nexample_timeout = 10\n" if usage else ""
    (root / "docgen.toml").write_text(f"{verify}[llm]\n{llm_table}", encoding="utf-8")
    return root


def build(root: Path, *args: str) -> dict:
    result = CliRunner().invoke(main, ["build", str(root), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value or "" for name, value in attrs if name == "href"]
        self.scripts += any(name.startswith("on") for name, _ in attrs)


def test_guides_drafted_by_a_real_model_then_no_call_on_the_next_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCGEN_LLM")
    monkeypatch.setattr("docgen.generate.prose.plan.HOW_TOS", 1)  # one how-to is enough to check, and costs less
    root = project(tmp_path / "shop", LLAMA_CPP, usage=True)
    report = build(root, "--strict")
    assert report["llm"]["calls"] >= 5 and report["llm"]["model"] == f"llama-cpp:{SMOLLM2.model_id}"
    assert sorted(report["guides_drafted"]) == [
        "guides/faq.md",
        "guides/how-to/shop.pay.charge.md",
        "guides/overview/shop.md",
        "guides/troubleshooting.md",
        "guides/tutorial.md",
    ]
    assert not [p for p in report["problems"] if p["code"] in ("broken-reference", "llm")]
    overview = (root / "docs/guides/overview/shop.md").read_text(encoding="utf-8")
    assert overview.startswith("---\ntitle: ") and "Drafted by llama-cpp:" in overview
    assert "## How the parts work together" in overview  # a flow from the call graph, whatever the model said
    tutorial = (root / "docs/guides/tutorial.md").read_text(encoding="utf-8")
    assert '"examples/quickstart.py": ' in tutorial and '"tests/test_pay.py": ' in tutorial  # its evidence
    for page in ("guides/overview/shop", "guides/tutorial", "guides/faq", "guides/how-to/shop.pay.charge"):
        links = Links()
        links.feed((root / f"site/{page}/index.html").read_text(encoding="utf-8"))
        assert links.scripts == 0
    links = Links()
    links.feed((root / "site/guides/overview/shop/index.html").read_text(encoding="utf-8"))
    assert any("reference/shop/pay/#shop.pay.charge" in href for href in links.hrefs)
    nav = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert nav.index("guides/tutorial.md") < nav.index("How-to guides") < nav.index("guides/faq.md")

    again = build(root, "--strict")
    assert again["status"] == "unchanged"
    pay = root / "shop/pay.py"
    pay.write_text(pay.read_text().replace("    return amount\n", "    return int(amount)\n"))  # a body no guide shows
    third = build(root)
    assert third["llm"]["calls"] == 0 and third["guides_drafted"] == []  # nothing a guide was drafted from changed
    test = root / "tests/test_pay.py"
    test.write_text(test.read_text().replace("return validate(1)", "return validate(2)"))  # a helper no guide shows
    fourth = build(root)
    assert fourth["status"] == "built" and fourth["llm"]["calls"] == 0


def test_the_openai_backend_against_a_real_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCGEN_LLM")
    path, _ = model_file("smollm2", tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:  # ready when it lists its models (it has no /health)
            try:
                if httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
            time.sleep(0.3)
        table = f'backend = "openai"\nbase_url = "http://127.0.0.1:{port}/v1"\nmodel = "smollm2"\ncontext = 4096\n'
        root = project(tmp_path / "shop", table)
        report = build(root)
        assert report["llm"]["calls"] >= 2 and report["llm"]["model"] == "openai:smollm2"
        assert (root / "docs/guides/troubleshooting.md").is_file()
        text = (root / "docs/guides/troubleshooting.md").read_text(encoding="utf-8")
        assert re.search(r"^## `PaymentError`", text, re.MULTILINE)
    finally:
        server.terminate()
        server.wait(timeout=30)
