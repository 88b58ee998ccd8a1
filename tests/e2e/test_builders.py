"""The docs folder and mkdocs.yml docgen writes build with Zensical as with MkDocs: the
same pages, each symbol at the same anchor."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docgen.errors import PublishError
from docgen.publish.zensical import zensical_command
from tests.building import run
from tests.conftest import SAMPLE


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("index.html")}


@pytest.mark.skipif(zensical_command() is None, reason="Zensical is not installed")
def test_the_sample_builds_with_zensical_as_with_mkdocs(tmp_path: Path) -> None:
    sites = {}
    for builder in ("mkdocs", "zensical"):
        root = tmp_path / builder
        shutil.copytree(SAMPLE, root)
        report = run(root, builder=builder)
        assert report.status == "built" and report.builder == builder
        sites[builder] = root / "site"
    assert _pages(sites["zensical"]) == _pages(sites["mkdocs"])
    assert len(_pages(sites["mkdocs"])) > 10
    for site in sites.values():
        page = (site / "reference" / "sample_pkg" / "tokenizer" / "index.html").read_text(encoding="utf-8")
        assert 'id="sample_pkg.tokenizer.Tokenizer"' in page
        assert (site / "objects.inv").is_file()


def test_the_zensical_builder_missing_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("docgen.publish.zensical.zensical_command", lambda: None)
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    with pytest.raises(PublishError, match=r"the zensical builder needs Zensical: pip install"):
        run(root, builder="zensical")
    assert not (root / "site").exists()  # nothing half-built left


def test_a_site_built_into_another_folder_is_never_read_as_sources(tmp_path: Path) -> None:
    """The theme's JavaScript in `public/` was scanned as the project's own, and the next
    build refused to replace a folder that "held sources"."""
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    run(root, site_dir="public")
    (root / "src" / "sample_pkg" / "__init__.py").write_text((root / "src" / "sample_pkg" / "__init__.py").read_text() + "\n")
    report = run(root, site_dir="public")
    assert report.status in ("built", "unchanged")
    assert not any("public/" in p.file for p in report.problems)


@pytest.mark.skipif(zensical_command() is None, reason="Zensical is not installed")
def test_zensical_builds_the_docs_folder_docgen_was_told(tmp_path: Path) -> None:
    """`--docs-dir` is docgen's setting: Zensical must read that folder, not mkdocs.yml's."""
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    run(root, builder="zensical", docs_dir="built-docs")
    assert (root / "site" / "reference" / "sample_pkg" / "tokenizer" / "index.html").is_file()
