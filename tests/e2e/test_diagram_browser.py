"""Diagrams in a real headless Chromium with no network: every one renders (drawn at build
time as inline SVG, nothing fetched) and each node links to an anchor that exists."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.building import run
from tests.e2e.test_widget_browser import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import SAMPLE

    root = tmp_path_factory.mktemp("diagrams") / "sample"
    shutil.copytree(SAMPLE, root)
    run(root)
    return root / "site"


@pytest.fixture(scope="module")
def guide_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shop with its overview drafted (by a scripted model: the flows it draws come from
    the call graph, whatever the prose), then built as a fresh clone would."""
    from tests.unit.test_guides import OVERVIEW_ANSWER, TROUBLESHOOTING_ANSWER, ScriptedLLM, project_at, write_pages
    from tests.unit.test_guides import run as draft

    root = tmp_path_factory.mktemp("guides")
    config, project, index, names = project_at(root)
    write_pages(config, draft(config, project, index, names, ScriptedLLM([OVERVIEW_ANSWER, TROUBLESHOOTING_ANSWER])))
    run(root)
    return root / "site"


@pytest.fixture(scope="module")
def tab() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        fetched: list[str] = []
        page.route("**/*", lambda route: (fetched.append(route.request.url), route.abort()) if not route.request.url.startswith("file://") else route.continue_())
        page.fetched = fetched
        yield page
        browser.close()


def test_every_diagram_renders_offline_and_links_to_existing_anchors(site: Path, guide_site: Path, tab) -> None:
    pages = sorted(p for s in (site, guide_site) for p in s.rglob("index.html") if 'class="doc-diagram"' in p.read_text(encoding="utf-8"))
    # a package's modules; a class hierarchy and model compositions; an overview's call flows
    assert len(pages) >= 3 and guide_site / "guides/overview/shop/index.html" in pages
    links = 0
    for page in pages:
        tab.goto(page.as_uri())
        diagrams = tab.query_selector_all("svg.doc-diagram")
        assert diagrams, page
        for diagram in diagrams:
            box = diagram.bounding_box()
            assert box is not None and box["width"] > 20 and box["height"] > 20, page
            for href in [a.get_attribute("href") for a in diagram.query_selector_all("a")]:
                target = urlsplit(tab.evaluate("(h) => new URL(h, document.baseURI).href", href))
                html = Path(unquote(target.path)).joinpath("index.html") if target.path.endswith("/") else Path(unquote(target.path))
                assert html.is_file(), (page, href)
                if target.fragment:
                    assert f'id="{unquote(target.fragment)}"' in html.read_text(encoding="utf-8"), (page, href)
                links += 1
    assert links >= 5
    assert tab.fetched == []  # nothing but the site's own files was asked for
