"""`docgen build` end to end on the sample repository, with the real MkDocs."""

from __future__ import annotations

import json
import shutil
from html import unescape
import time
from pathlib import Path

import pytest
import sphobjinv

from docgen.build import build
from docgen.config import load_config
from docgen.errors import ConfigError, DocgenError, InputError, PublishError
from docgen.progress import QUIET, Reporter

QUIET_REPORTER = Reporter(QUIET)


def run(root: Path, **kwargs):
    return build(load_config(root), reporter=QUIET_REPORTER, **kwargs)


def site_files(root: Path) -> dict[str, bytes]:
    """Every file of a built site and its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def search_docs(root: Path) -> list:
    """A site's search index entries, in a stable order."""
    return sorted(json.loads((root / "search/search_index.json").read_text())["docs"], key=json.dumps)


def html(root: Path, page: str) -> str:
    return (root / "site" / page).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import SAMPLE

    root = tmp_path_factory.mktemp("built") / "sample"
    shutil.copytree(SAMPLE, root)
    report = run(root)
    assert report.status == "built" and not report.dirty and report.problems == []
    return root


def test_site_has_home_user_pages_and_reference(built: Path) -> None:
    home = html(built, "index.html")
    assert "A tiny inference library" in home  # the README became the home page
    assert "User guide" in html(built, "guide/index.html")
    for page in [
        "reference/index.html",
        "reference/sample_pkg/index.html",
        "reference/sample_pkg/tokenizer/index.html",
        "reference/sample_pkg/models/gpt/index.html",
        "reference/source-files/native/kernels.cu/index.html",
        "reference/source-files/rust/src/lib.rs/index.html",
        "reference/go/go/index.html",
        "reference/source-files/web/api.ts/index.html",
    ]:
        assert (built / "site" / page).is_file(), page


def test_reference_page_content(built: Path) -> None:
    page = html(built, "reference/sample_pkg/tokenizer/index.html")
    assert 'id="sample_pkg.tokenizer.Tokenizer.encode"' in page
    assert "def encode(self, text: str) -&gt; list[int]" in page
    assert "Encode text into token ids." in page
    assert "<td>The text to encode.</td>" in page  # numpy-style parameters, as a table
    assert "src/sample_pkg/tokenizer.py:32-45" in page


def test_cross_references_link_to_page_and_anchor(built: Path) -> None:
    page = html(built, "reference/sample_pkg/index.html")
    # `-> Tokenizer` in the return type of load() links to the class on its own page.
    assert 'href="tokenizer/#sample_pkg.tokenizer.Tokenizer"' in page
    gpt = html(built, "reference/sample_pkg/models/gpt/index.html")
    assert 'href="#sample_pkg.models.gpt.GPTConfig"' in gpt


def test_objects_inv_lists_every_documented_symbol_where_the_site_shows_it(built: Path) -> None:
    """Sphinx (intersphinx) and mkdocstrings projects link into the site through it."""
    inventory = sphobjinv.Inventory(built / "site" / "objects.inv")
    assert inventory.project == "sample"
    found = {(o.domain, o.role, o.name): o.uri_expanded for o in inventory.objects}
    assert found[("py", "class", "sample_pkg.tokenizer.Tokenizer")] == "reference/sample_pkg/tokenizer/#sample_pkg.tokenizer.Tokenizer"
    assert found[("py", "module", "sample_pkg")] == "reference/sample_pkg/"
    # Under the name the package re-exports it as, too: what a Sphinx project would write.
    assert found[("py", "class", "sample_pkg.Tokenizer")] == found[("py", "class", "sample_pkg.tokenizer.Tokenizer")]
    assert found[("py", "method", "sample_pkg.Tokenizer.encode")] == "reference/sample_pkg/tokenizer/#sample_pkg.tokenizer.Tokenizer.encode"
    assert {("c", "function"), ("cpp", "class"), ("js", "class")} <= {(d, r) for d, r, _ in found}
    for uri in found.values():  # every entry is a page of the site, and an anchor on it
        page, _, anchor = uri.partition("#")
        text = html(built, page + "index.html")
        assert not anchor or f'id="{anchor}"' in text, uri


def test_model_block_and_hyperparameter_table(built: Path) -> None:
    gpt = unescape(html(built, "reference/sample_pkg/models/gpt/index.html"))
    assert "forward(self, x: torch.Tensor) -> torch.Tensor" in gpt
    assert "nn.LayerNorm(config.block_size)" in gpt
    assert "longest sequence the model sees" in gpt  # a field's trailing comment


def test_search_index_covers_every_page(built: Path) -> None:
    index = json.loads(html(built, "search/search_index.json"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {"", "guide/", "reference/sample_pkg/tokenizer/"} <= locations


def test_mkdocs_yml_written_with_material_and_nav(built: Path) -> None:
    text = (built / "mkdocs.yml").read_text()
    assert "name: material" in text and "font: false" in text and "- search" in text
    assert text.index("User guide: guide.md") < text.index("Reference:")


def test_second_build_does_nothing(sample: Path) -> None:
    run(sample)
    start = time.perf_counter()
    report = run(sample)
    assert report.status == "unchanged"
    assert time.perf_counter() - start < 1.0


def test_one_changed_file_rerenders_only_its_page(sample: Path) -> None:
    run(sample)
    site = sample / "site"
    before = {p: p.stat().st_mtime_ns for p in site.rglob("index.html")}
    time.sleep(0.01)
    tokenizer = sample / "src/sample_pkg/tokenizer.py"
    tokenizer.write_text(tokenizer.read_text().replace("Encode text into token ids.", "Turn text into ids."))
    report = run(sample)
    assert report.status == "built" and report.dirty
    # Its page, and the whole docs for language models, which hold it.
    assert sorted(report.pages_written) == ["llms-full.txt", "reference/sample_pkg/tokenizer.md"]
    changed = {p.relative_to(site).as_posix() for p in site.rglob("index.html") if p.stat().st_mtime_ns != before.get(p)}
    assert "reference/sample_pkg/tokenizer/index.html" in changed
    assert "reference/sample_pkg/models/gpt/index.html" not in changed
    assert "Turn text into ids." in html(sample, "reference/sample_pkg/tokenizer/index.html")
    # The search index stays whole after a partial build, and holds the new text.
    index = json.loads(html(sample, "search/search_index.json"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {"", "guide/", "reference/sample_pkg/models/gpt/"} <= locations
    assert any("Turn text into ids." in doc["text"] for doc in index["docs"])


def test_new_module_rebuilds_whole_site(sample: Path) -> None:
    run(sample)
    (sample / "src/sample_pkg/extra.py").write_text('"""Extra things."""\n')
    report = run(sample)
    assert not report.dirty
    assert (sample / "site/reference/sample_pkg/extra/index.html").is_file()
    assert "extra" in html(sample, "reference/sample_pkg/tokenizer/index.html")  # in every page's nav


def test_removed_module_leaves_no_stale_page(sample: Path) -> None:
    run(sample)
    (sample / "src/sample_pkg/tokenizer.py").unlink()
    run(sample)
    assert not (sample / "docs/reference/sample_pkg/tokenizer.md").exists()
    assert not (sample / "site/reference/sample_pkg/tokenizer").exists()


def test_damaged_cache_record_means_a_full_rebuild(sample: Path) -> None:
    run(sample)
    for record in (sample / ".docgen").glob("build-*.json"):
        record.write_text('{"inputs": "trunc')
    report = run(sample)
    assert report.status == "built" and not report.dirty


def test_user_mkdocs_settings_survive(sample: Path) -> None:
    (sample / "mkdocs.yml").write_text(
        "# my site\nsite_name: Mine\ntheme:\n  name: material\n  palette:\n    primary: teal\n"
        "nav:\n  - Guide: guide.md\nextra:\n  analytics: none\n"
    )
    run(sample)
    text = (sample / "mkdocs.yml").read_text()
    assert text.startswith("# my site\nsite_name: Mine\n")
    assert "primary: teal" in text and "analytics: none" in text
    assert text.index("Guide: guide.md") < text.index("Reference:")
    run(sample)
    assert (sample / "mkdocs.yml").read_text() == text  # merging twice changes nothing


def test_strict_fails_on_broken_reference(sample: Path) -> None:
    module = sample / "src/sample_pkg/__init__.py"
    module.write_text(module.read_text().replace("Load a tokenizer by name.", "See `sample_pkg.nowhere`."))
    report = run(sample)
    assert [(p.code, p.where, p.symbol, p.message) for p in report.problems] == [
        ("broken-reference", "src/sample_pkg/__init__.py:9", "sample_pkg.load", "unresolved reference `sample_pkg.nowhere`")
    ]


def test_strict_fails_on_mkdocs_warning(sample: Path) -> None:
    (sample / "docs/guide.md").write_text("# Guide\n\n[broken](missing.md)\n")
    report = run(sample)
    assert [p.code for p in report.problems] == ["mkdocs"]
    assert "Doc file 'guide.md' contains a link 'missing.md'" in report.problems[0].message
    assert not list(sample.glob(".site.*"))  # no staging folder left behind


def test_malformed_mkdocs_yml_is_a_config_error_with_a_line(sample: Path) -> None:
    (sample / "mkdocs.yml").write_text("site_name: x\nnav: [\n")
    with pytest.raises(ConfigError) as caught:
        run(sample)
    assert "mkdocs.yml:" in str(caught.value) and "invalid YAML" in str(caught.value)


def test_empty_repository_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nothing to document"):
        run(tmp_path)


def test_unwritable_site_dir_is_a_publish_error(sample: Path) -> None:
    # A path under a regular file can never be created, whoever runs the test (root included).
    config = load_config(sample, overrides={"site_dir": "README.md/site"})
    with pytest.raises(PublishError, match="cannot write the site"):
        build(config, reporter=QUIET_REPORTER)
    assert (sample / "README.md").is_file()


def test_unwritable_docs_dir_is_a_publish_error(sample: Path) -> None:
    config = load_config(sample, overrides={"docs_dir": "train.py/docs"})
    with pytest.raises(PublishError, match="cannot write the docs"):
        build(config, reporter=QUIET_REPORTER)


def test_compiled_templates_are_cached_and_a_damaged_cache_is_harmless(sample: Path) -> None:
    from docgen.publish.template_cache import cache_folder

    run(sample)
    cached = list(cache_folder().glob("*.cache"))
    assert cached, "the theme's compiled templates were not cached"
    for path in cached:
        path.write_bytes(b"\x00garbage")
    report = run(sample, force=True)
    assert report.status == "built"
    assert "Tokenizer" in html(sample, "reference/sample_pkg/tokenizer/index.html")


def test_code_that_looks_like_markup_is_shown_as_written(tmp_path: Path) -> None:
    # Values, defaults and annotations can hold anything; rich's own regexes once crashed
    # Python-Markdown's HTML pre-pass (`<![`), and pipes split table cells.
    (tmp_path / "patterns.py").write_text(
        'import re\n\nTAG = re.compile(r"(?<![\\\\w])(?P<str>x)|`y`")\n\n\n'
        'def match(text: str = "<b>|</b>") -> "re.Match[str] | None":\n    """Find a `TAG`."""\n'
    )
    report = run(tmp_path)
    assert report.status == "built" and report.problems == []
    page = html(tmp_path, "reference/patterns/index.html")
    shown = unescape(page)
    assert "(?P<str>x)|`y`')</code>" in shown  # griffe writes the raw string's value with doubled backslashes
    assert "def match(text: str = '<b>|</b>') -> re.Match[str] | None" in shown


def test_sharded_build_makes_the_same_site(sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.publish import site as site_module

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # same build date in both, even at midnight
    monkeypatch.setattr(site_module, "shard_count", lambda pages: 1)
    run(sample)
    single = tmp_path / "single"
    shutil.copytree(sample / "site", single)
    monkeypatch.setattr(site_module, "shard_count", lambda pages: 3)
    run(sample, force=True)
    sharded, whole = site_files(sample / "site"), site_files(single)
    assert sharded.keys() == whole.keys()
    different = [path for path in whole if sharded[path] != whole[path] and not path.startswith("search/")]
    assert different == []
    assert search_docs(sample / "site") == search_docs(single)
    assert not list(sample.glob(".site.*"))  # no shard folders left behind


def test_an_incremental_build_makes_the_site_a_full_build_makes(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    run(sample)
    for path, old, new in [
        ("src/sample_pkg/tokenizer.py", "Encode text into token ids.", "Turn text into ids."),
        ("src/sample_pkg/__init__.py", "Load a tokenizer by name.", "Load a tokenizer, by its name."),
    ]:
        source = sample / path
        source.write_text(source.read_text().replace(old, new))
        report = run(sample)
        assert report.dirty and len(report.pages_written) == 2  # the page, and llms-full.txt
        incremental, incremental_search = site_files(sample / "site"), search_docs(sample / "site")
        run(sample, force=True)  # everything read, rendered and built again
        full = site_files(sample / "site")
        assert incremental.keys() == full.keys()  # the theme's assets included
        assert [p for p in full if incremental[p] != full[p] and not p.startswith("search/")] == []
        assert incremental_search == search_docs(sample / "site")


def test_a_site_built_by_other_mkdocs_packages_is_rebuilt_whole(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    from docgen.cache import toolchain_digest

    run(sample)
    tokenizer = sample / "src/sample_pkg/tokenizer.py"
    tokenizer.write_text(tokenizer.read_text().replace("Encode text into token ids.", "Turn text into ids."))
    installed = tmp_path / "env" / "mkdocs_newplugin-1.0.dist-info"  # as if a MkDocs plugin was installed
    installed.mkdir(parents=True)
    (installed / "METADATA").write_text("Metadata-Version: 2.1\nName: mkdocs-newplugin\nVersion: 1.0\n")
    monkeypatch.syspath_prepend(str(tmp_path / "env"))
    request.addfinalizer(toolchain_digest.cache_clear)
    toolchain_digest.cache_clear()
    report = run(sample)
    assert report.status == "built" and not report.dirty


def test_plugins_and_extensions_written_as_maps_are_merged(sample: Path) -> None:
    (sample / "mkdocs.yml").write_text(
        "site_name: Maps\nplugins:\n  tags: {}\nmarkdown_extensions:\n  footnotes: {}\n  toc:\n    toc_depth: 3\n"
    )
    run(sample)
    import yaml

    data = yaml.safe_load((sample / "mkdocs.yml").read_text())
    assert set(data["plugins"]) == {"tags"}  # the user's choice: no search
    assert {"footnotes", "toc", "attr_list", "admonition"} <= set(data["markdown_extensions"])
    assert data["markdown_extensions"]["toc"] == {"toc_depth": 3}  # the user's settings win


def test_file_urls_are_refused_with_a_clear_error(sample: Path) -> None:
    (sample / "mkdocs.yml").write_text("site_name: x\nuse_directory_urls: false\n")
    with pytest.raises(ConfigError, match="use_directory_urls"):
        run(sample)


def test_mkdocs_yml_edit_shows_on_every_page(sample: Path) -> None:
    run(sample)
    yml = sample / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("site_name: sample", "site_name: Renamed site"))
    report = run(sample)
    assert report.status == "built" and not report.dirty
    assert "Renamed site" in html(sample, "reference/sample_pkg/tokenizer/index.html")


def test_asset_edit_is_a_change(sample: Path) -> None:
    (sample / "docs/extra.css").write_text("body { color: red; }\n")
    run(sample)
    time.sleep(0.01)
    (sample / "docs/extra.css").write_text("body { color: blue; }\n")
    assert run(sample).status == "built"
    assert "blue" in (sample / "site/extra.css").read_text()


def test_deleted_generated_pages_are_rebuilt(sample: Path) -> None:
    run(sample)
    shutil.rmtree(sample / "docs/reference")
    assert run(sample).status == "built"
    assert (sample / "docs/reference/sample_pkg/tokenizer.md").is_file()


def test_strict_after_a_lenient_build_still_fails(sample: Path) -> None:
    module = sample / "src/sample_pkg/__init__.py"
    module.write_text(module.read_text().replace("Load a tokenizer by name.", "See `sample_pkg.nowhere`."))
    first = run(sample)
    assert first.problems  # built, with a problem
    again = run(sample)  # unchanged: the problem is repeated
    assert again.status == "unchanged" and again.problems == first.problems


def test_pages_the_user_wrote_in_the_reference_folder_are_kept(sample: Path) -> None:
    own = sample / "docs/reference/cli.md"
    own.parent.mkdir(parents=True)
    own.write_text("# CLI\n")
    run(sample)
    (sample / "src/sample_pkg/tokenizer.py").unlink()  # a generated page goes stale
    run(sample)
    assert own.read_text() == "# CLI\n"
    assert not (sample / "docs/reference/sample_pkg/tokenizer.md").exists()


def test_docs_dir_comes_from_mkdocs_yml_and_one_off_dirs_are_not_kept(sample: Path, tmp_path: Path) -> None:
    (sample / "docs").rename(sample / "manual")
    (sample / "mkdocs.yml").write_text("site_name: Manual\ndocs_dir: manual\n")
    run(sample)
    assert (sample / "manual/reference/sample_pkg/tokenizer.md").is_file()
    assert "User guide" in html(sample, "guide/index.html")
    config = load_config(sample, overrides={"docs_dir": "elsewhere"})
    build(config, reporter=QUIET_REPORTER)
    assert "docs_dir: manual\n" in (sample / "mkdocs.yml").read_text()


def test_untitled_nav_entries_keep_their_titles_in_partial_builds(sample: Path) -> None:
    (sample / "docs/other.md").write_text("# Other page\n")
    (sample / "mkdocs.yml").write_text("site_name: Nav\nnav:\n  - index.md\n  - guide.md\n  - other.md\n")
    run(sample)
    tokenizer = sample / "src/sample_pkg/tokenizer.py"
    tokenizer.write_text(tokenizer.read_text().replace("Encode text", "Turn text"))
    assert run(sample).dirty
    page = html(sample, "reference/sample_pkg/tokenizer/index.html")
    assert "Other page" in page and "User guide" in page and ">None<" not in page


def test_mkdocs_configuration_errors_are_config_errors(sample: Path) -> None:
    (sample / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - no-such-plugin\n")
    with pytest.raises(ConfigError, match="no-such-plugin") as caught:
        run(sample)
    assert caught.value.exit_code == 3
    (sample / "mkdocs.yml").write_text("site_name: x\nnav: index.md\n")
    with pytest.raises(ConfigError, match="'nav' must be a list"):
        run(sample)


def test_a_new_page_joins_the_nav_docgen_wrote(sample: Path) -> None:
    run(sample)
    (sample / "docs/faq.md").write_text("# FAQ\n")
    run(sample)
    text = (sample / "mkdocs.yml").read_text()
    assert text.count("nav written by docgen") == 1
    assert text.index("Sample project: index.md") < text.index("FAQ: faq.md") < text.index("Reference:")
    assert "FAQ" in html(sample, "reference/index.html")


def test_a_nav_without_the_mark_is_the_users(sample: Path) -> None:
    run(sample)
    yml = sample / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("# nav written by docgen", "# my own nav, was written by docgen"))
    (sample / "docs/faq.md").write_text("# FAQ\n")
    run(sample)
    assert "faq.md" not in yml.read_text()  # the user's choice of pages stands
