"""The search-and-ask widget in a real headless Chromium (Debian's, driven by Playwright),
against a real `docgen serve` app on a local port and against the same site on a static
host. Every request the browser makes is checked to stay on 127.0.0.1.

Chromium is a system package (`apt-get install chromium`): without it these tests skip,
unless DOCGEN_BROWSER_TESTS=required (CI sets it), where a missing browser fails them.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from docgen.config import load_config
from docgen.server import ServerState, create_app
from tests.building import run
from tests.e2e.test_serve import INDEX_ON, ScriptedModel

CHROMIUM = os.environ.get("DOCGEN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    if os.environ.get("DOCGEN_BROWSER_TESTS") == "required":
        raise RuntimeError("DOCGEN_BROWSER_TESTS=required but no chromium is installed (apt-get install chromium)")
    pytest.skip("no chromium installed (apt-get install chromium)", allow_module_level=True)

# As the machine's notes advise: no background connections, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = '<img src=x onerror="window.__pwned=1">'
ANSWER = f"Call `Tokenizer.decode` with the ids [1]. {HOSTILE}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import SAMPLE

    root = tmp_path_factory.mktemp("widget") / "sample"
    shutil.copytree(SAMPLE, root)
    hostile = root / "src/sample_pkg/hostile.py"
    hostile.write_text(f'"""Hostile text."""\n\n\ndef quux() -> None:\n    """Quux the frobs {HOSTILE}."""\n', encoding="utf-8")
    run(root, **INDEX_ON)
    return root


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(app) -> Iterator[str]:
    """Run an ASGI app with uvicorn on a free local port while the caller uses it."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def docgen_serve(built: Path) -> Iterator[str]:
    """`docgen serve`'s app, answering with a scripted model (everything under it real)."""
    config = load_config(built)
    state = ServerState(replace(config, llm=replace(config.llm, backend="llama-cpp")))
    state.model = ScriptedModel(ANSWER)
    yield from _serve(create_app(config, state=state))


@pytest.fixture(scope="module")
def static_host(built: Path) -> Iterator[str]:
    """The same site on a host that serves files and nothing else."""
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    yield from _serve(Starlette(routes=[Mount("/", StaticFiles(directory=built / "site", html=True))]))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Page:
    """A fresh page whose every request must go to 127.0.0.1 (others are refused and kept)."""

    def __init__(self, browser) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.offsite: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._only_local)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _only_local(self, route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.offsite.append(route.request.url)
            route.abort()

    def close(self) -> None:
        assert self.errors == [], self.errors
        assert self.offsite == [], self.offsite
        self.context.close()


@pytest.fixture()
def tab(browser) -> Iterator[object]:
    page = Page(browser)
    yield page.page
    page.close()


def _open_widget(tab, base: str) -> None:
    tab.goto(f"{base}/reference/sample_pkg/tokenizer/")
    tab.locator(".md-header .docgen-ask__open").click(timeout=10_000)
    assert tab.locator("dialog.docgen-ask").evaluate("dialog => dialog.open")


def test_search_results_link_to_existing_anchors(tab, docgen_serve: str) -> None:
    _open_widget(tab, docgen_serve)
    tab.locator(".docgen-ask__input").fill("Tokenizer.decode")
    first = tab.locator(".docgen-ask__result").first
    first.wait_for(timeout=10_000)
    assert first.locator(".docgen-ask__where").inner_text().startswith("src/sample_pkg/tokenizer.py:")
    first.locator("a").click()
    tab.wait_for_load_state()
    assert tab.url.endswith("/reference/sample_pkg/tokenizer/#sample_pkg.tokenizer.Tokenizer.decode")
    assert tab.locator("[id='sample_pkg.tokenizer.Tokenizer.decode']").count() == 1


def test_a_question_is_answered_with_clickable_citations(tab, docgen_serve: str) -> None:
    _open_widget(tab, docgen_serve)
    tab.locator(".docgen-ask__input").fill("how do I turn ids back into text?")
    tab.locator(".docgen-ask__input").press("Enter")
    citation = tab.locator(".docgen-ask__answer .docgen-ask__citations a").first
    citation.wait_for(timeout=20_000)
    text = tab.locator(".docgen-ask__answer .docgen-ask__text")
    assert text.inner_text().startswith("Call `Tokenizer.decode` with the ids [1].")
    marker = text.locator("a", has_text="[1]")
    assert marker.get_attribute("href") == citation.get_attribute("href")
    marker.click()
    tab.wait_for_load_state()
    anchor = urlsplit(tab.url).fragment
    assert anchor and tab.locator(f"[id='{anchor}']").count() == 1


def test_text_from_the_repository_is_shown_never_run(tab, docgen_serve: str) -> None:
    _open_widget(tab, docgen_serve)
    tab.locator(".docgen-ask__input").fill("quux the frobs")
    tab.locator(".docgen-ask__result", has_text="quux").first.wait_for(timeout=10_000)
    tab.locator(".docgen-ask__input").press("Enter")
    tab.locator(".docgen-ask__answer .docgen-ask__text:not(.docgen-ask__text--writing)").wait_for(timeout=20_000)
    assert tab.locator("dialog.docgen-ask img").count() == 0
    assert tab.evaluate("window.__pwned") is None
    assert HOSTILE in tab.locator("dialog.docgen-ask").inner_text()  # shown as the text it is


def test_only_links_into_the_site_are_made(tab, docgen_serve: str) -> None:
    """Whatever an API answers (here a hostile one, put in the browser's way), a result
    links only to a page of this site."""
    hostile = (
        '[{"title": "script", "url": "javascript:window.__pwned=1", "snippet": "a"},'
        ' {"title": "elsewhere", "url": "https://evil.example/", "snippet": "b"},'
        ' {"title": "upward", "url": "//evil.example/x", "snippet": "c"},'
        ' {"title": "in the site", "url": "reference/sample_pkg/tokenizer/", "snippet": "d"}]'
    )
    tab.route("**/api/search?*", lambda route: route.fulfill(status=200, content_type="application/json", body=hostile))
    _open_widget(tab, docgen_serve)
    tab.locator(".docgen-ask__input").fill("anything")
    tab.locator(".docgen-ask__result", has_text="in the site").wait_for(timeout=10_000)
    links = tab.locator(".docgen-ask__result a")
    assert links.count() == 1 and links.first.get_attribute("href") == f"{docgen_serve}/reference/sample_pkg/tokenizer/"


def test_on_a_static_host_the_widget_hides_and_materials_search_works(tab, static_host: str) -> None:
    tab.goto(f"{static_host}/")
    tab.wait_for_load_state("networkidle")
    assert tab.locator(".docgen-ask__open").count() == 0 and tab.locator("dialog.docgen-ask").count() == 0
    tab.locator("input.md-search__input").click()  # a desktop-wide window shows the search box
    tab.locator("input.md-search__input").press_sequentially("decode")  # Material listens for keys
    tab.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    assert "decode" in tab.locator(".md-search-result__list").inner_text().lower()
