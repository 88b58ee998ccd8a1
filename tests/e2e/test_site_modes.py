"""Sharded, incremental and single builds make the same site, whatever the plugins; and
`--strict` fails exactly when a clean strict build would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.build import build
from docgen.cli import main
from docgen.config import load_config
from docgen.progress import QUIET, Reporter
from docgen.publish.mkdocs_config import page_local

QUIET_REPORTER = Reporter(QUIET)
TAGGED = 8


def run(root: Path, **kwargs):
    return build(load_config(root), reporter=QUIET_REPORTER, **kwargs)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def with_tags_and_a_hook(root: Path) -> None:
    """Material's tags plugin and a user hook: both need to see every page of the site."""
    for number in range(TAGGED):
        (root / f"docs/note{number}.md").write_text(f"---\ntags:\n  - notes\n---\n# Note {number}\n")
    (root / "docs/tags.md").write_text("# Tags\n\n<!-- material/tags -->\n")
    (root / "count_pages.py").write_text(
        "import pathlib\n\nPAGES = []\n\n"
        "def on_pre_build(config):\n    PAGES.clear()\n\n"
        "def on_page_markdown(markdown, page, **kwargs):\n    PAGES.append(page.file.src_uri)\n    return markdown\n\n"
        "def on_post_build(config):\n    pathlib.Path(config.site_dir, 'pages.txt').write_text(str(len(PAGES)))\n"
    )
    (root / "mkdocs.yml").write_text("site_name: Notes\nplugins:\n  - search\n  - tags\nhooks:\n  - count_pages.py\n")


def tagged_pages(root: Path) -> set[str]:
    page = (root / "site/tags/index.html").read_text()
    return set(re.findall(r'href="\.\./(note\d)/"', page))


def test_only_page_local_plugins_allow_shards() -> None:
    assert page_local(["material/search"])
    assert not page_local(["material/search", "material/tags"])
    assert not page_local(["material/search", "count_pages.py"])


def test_a_site_with_tags_and_a_hook_is_built_whole(sample: Path) -> None:
    with_tags_and_a_hook(sample)
    report = run(sample)
    assert report.shards == 1
    assert len(tagged_pages(sample)) == TAGGED
    pages = len(list((sample / "docs").rglob("*.md")))
    assert int((sample / "site/pages.txt").read_text()) == pages
    # An edit is not built incrementally either: the tags page and the hook see every page.
    tokenizer = sample / "src/sample_pkg/tokenizer.py"
    tokenizer.write_text(tokenizer.read_text().replace("Encode text into token ids.", "Turn text into ids."))
    report = run(sample)
    assert not report.dirty
    assert len(tagged_pages(sample)) == TAGGED
    assert int((sample / "site/pages.txt").read_text()) == pages


def break_a_docs_link(root: Path) -> None:
    (root / "docs/guide.md").write_text("# User guide\n\n[broken](missing.md)\n")


def test_strict_replays_problems_of_pages_an_incremental_build_did_not_render(sample: Path) -> None:
    break_a_docs_link(sample)
    first = run(sample)
    assert [p.code for p in first.problems] == ["mkdocs"] and first.problems[0].file == "docs/guide.md"
    tokenizer = sample / "src/sample_pkg/tokenizer.py"
    tokenizer.write_text(tokenizer.read_text().replace("Encode text into token ids.", "Turn text into ids."))
    second = run(sample)
    assert second.dirty  # guide.md was not re-rendered, and its problem is still there
    assert second.problems == first.problems
    result = invoke("build", str(sample), "--strict")
    assert result.exit_code == 1
    assert "docs/guide.md: Doc file 'guide.md' contains a link 'missing.md'" in result.output
    (sample / "docs/guide.md").write_text("# User guide\n\nFixed.\n")
    assert run(sample).problems == []
    assert invoke("-q", "build", str(sample), "--strict").exit_code == 0


def test_an_unknown_mkdocs_key_under_strict_is_a_problem_not_a_failure_to_build(sample: Path) -> None:
    (sample / "mkdocs.yml").write_text("site_name: S\ncolour: blue\n")
    result = invoke("build", str(sample), "--strict")
    assert result.exit_code == 1, result.output
    assert "Unrecognised configuration name: colour" in result.output
    assert (sample / "site/index.html").is_file()


def test_problems_as_github_annotations(sample: Path) -> None:
    module = sample / "src/sample_pkg/__init__.py"
    module.write_text(module.read_text().replace("Load a tokenizer by name.", "See `sample_pkg.nowhere`, 100%."))
    result = CliRunner().invoke(main, ["-q", "build", str(sample), "--format", "github"])
    assert result.exit_code == 0
    assert result.stdout == (
        "::warning file=src/sample_pkg/__init__.py,line=9,title=docgen broken-reference::"
        "unresolved reference `sample_pkg.nowhere`\n"
    )


def test_an_inherit_error_is_a_config_error(sample: Path) -> None:
    (sample / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: S\n")
    result = invoke("build", str(sample))
    assert result.exit_code == 3
    assert "base.yml" in result.output


@pytest.mark.parametrize("args", [["scan"], ["build"]])
def test_a_path_that_is_a_file_is_exit_4(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "file.py").write_text("x = 1\n")
    result = invoke(*args, str(tmp_path / "file.py"))
    assert result.exit_code == 4
    assert result.output == f"error: {tmp_path / 'file.py'}: not a directory\n"


def test_an_internal_error_has_its_own_exit_code(sample: Path, monkeypatch) -> None:
    from docgen import build as build_module

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(build_module, "render_pages", broken)
    result = invoke("build", str(sample))
    assert result.exit_code == 70
    assert result.output.splitlines()[-1] == "error: internal error: ZeroDivisionError: a bug (rerun with --debug)"


def test_checked_anchors_make_every_build_whole(sample: Path) -> None:
    (sample / "docs/other.md").write_text("# Other\n\nSee [alpha](guide.md#alpha).\n")
    (sample / "docs/guide.md").write_text("# User guide\n\n## Alpha\n")
    (sample / "mkdocs.yml").write_text("site_name: S\nvalidation:\n  anchors: warn\nmarkdown_extensions: [attr_list, admonition]\n")
    assert run(sample).problems == []
    (sample / "docs/guide.md").write_text("# User guide\n\n## Beta\n")
    report = run(sample)
    assert not report.dirty
    assert [p.file for p in report.problems] == ["docs/other.md"]


def test_a_build_into_another_site_folder_leaves_no_stale_page(sample: Path, tmp_path: Path) -> None:
    run(sample)
    (sample / "docs/guide.md").write_text("# User guide\n\nNew words.\n")
    build(load_config(sample, overrides={"site_dir": str(tmp_path / "preview")}), reporter=QUIET_REPORTER)
    report = run(sample)
    assert report.status == "built" and not report.dirty
    assert "New words." in (sample / "site/guide/index.html").read_text()


def test_theme_overrides_are_inputs(sample: Path) -> None:
    (sample / "overrides").mkdir()
    (sample / "overrides/main.html").write_text('{% extends "base.html" %}\n{% block footer %}FOOTER-ONE{% endblock %}\n')
    (sample / "mkdocs.yml").write_text(
        "site_name: S\ntheme:\n  name: material\n  custom_dir: overrides\nmarkdown_extensions: [attr_list, admonition]\n"
    )
    run(sample)
    assert "FOOTER-ONE" in (sample / "site/index.html").read_text()
    (sample / "overrides/main.html").write_text('{% extends "base.html" %}\n{% block footer %}FOOTER-TWO{% endblock %}\n')
    assert run(sample).status == "built"
    assert "FOOTER-TWO" in (sample / "site/index.html").read_text()


def test_files_in_a_docs_folder_linked_inside_the_project_are_inputs(sample: Path) -> None:
    (sample / "assets").mkdir()
    (sample / "assets/logo.svg").write_text("<svg>one</svg>")
    (sample / "docs/img").symlink_to("../assets", target_is_directory=True)
    first = run(sample)
    assert not [p for p in first.problems if p.fails_strict]
    (sample / "assets/logo.svg").write_text("<svg>two</svg>")
    assert run(sample).status == "built"
    assert (sample / "site/img/logo.svg").read_text() == "<svg>two</svg>"


def test_every_inherited_mkdocs_yml_is_an_input(sample: Path) -> None:
    (sample / "config").mkdir()
    (sample / "config/base.yml").write_text("markdown_extensions: [attr_list, admonition]\nextra:\n  words: ONE\n")
    (sample / "config/site.yml").write_text("INHERIT: base.yml\n")
    (sample / "mkdocs.yml").write_text("INHERIT: config/site.yml\nsite_name: S\n")
    (sample / "docs/guide.md").write_text("# User guide\n")
    run(sample)
    (sample / "config/base.yml").write_text("markdown_extensions: [attr_list, admonition]\nextra:\n  words: TWO\n")
    assert run(sample).status == "built"  # a grandparent's edit is seen


def test_the_theme_assets_listed_quickly_are_those_mkdocs_lists(tmp_path: Path) -> None:
    """The quick listing skips the theme's hidden folders (Material's 14,000 icons); MkDocs
    must end up with the same static files, a hidden file of a custom_dir left out too."""
    import mkdocs.config
    from mkdocs.structure.files import Files

    from docgen.publish.site import _theme_assets_listed_quickly

    custom = tmp_path / "overrides"
    (custom / "assets" / ".private").mkdir(parents=True)
    (custom / "assets" / "extra.css").write_text("a {}\n")
    (custom / "assets" / ".private" / "key.css").write_text("secret\n")
    (custom / ".hidden.js").write_text("x\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\ntheme:\n  name: material\n  custom_dir: overrides\n")
    with open(tmp_path / "mkdocs.yml", "rb") as stream:
        config = mkdocs.config.load_config(config_file=stream, site_dir=str(tmp_path / "site"))
    env = config.theme.get_env()
    listed_by_mkdocs = Files([])
    listed_by_mkdocs.add_files_from_theme(env, config)
    listed_quickly = Files([])
    with _theme_assets_listed_quickly():
        listed_quickly.add_files_from_theme(env, config)
    assert [f.src_uri for f in listed_quickly] == [f.src_uri for f in listed_by_mkdocs]
    assert "assets/extra.css" in listed_quickly.src_uris
    assert not any(".private" in uri or ".hidden" in uri or ".icons" in uri for uri in listed_quickly.src_uris)
    assert Files.add_files_from_theme.__name__ == "add_files_from_theme" and Files.add_files_from_theme.__module__ == "mkdocs.structure.files"


def test_a_process_running_other_threads_builds_in_one_process(sample: Path) -> None:
    """A forked shard inherits every lock other threads hold, held: it would wait forever
    (seen when a build followed the knowledge base's tests in one process)."""
    import threading

    from docgen.publish.site import shard_count

    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert shard_count(1000) == 1
    finally:
        stop.set()
        worker.join()
