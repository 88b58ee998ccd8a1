"""docgen edits a user's mkdocs.yml only where it must, as MkDocs will read it: INHERIT,
tags, aliases, merge keys, line endings and document markers included."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from docgen.build import build
from docgen.cli import main
from docgen.config import load_config
from docgen.errors import ConfigError, PublishError
from docgen.publish.mkdocs_yml import NAV_MARK, REWRITTEN

from tests.building import QUIET_REPORTER, run, tree


def effective(path: Path) -> dict:
    """What MkDocs reads from `path`, INHERIT applied."""
    from mkdocs.utils.yaml import yaml_load

    with open(path, "rb") as stream:
        return yaml_load(stream)


def extension_names(config: dict) -> list[str]:
    return [next(iter(entry)) if isinstance(entry, dict) else entry for entry in config["markdown_extensions"]]


def test_an_extension_list_inherited_from_a_parent_is_refused_unchanged(sample: Path) -> None:
    (sample / "base.yml").write_text("theme:\n  name: material\nmarkdown_extensions: [footnotes]\n")
    (sample / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: S\n")
    before = tree(sample)
    result = CliRunner().invoke(main, ["-q", "build", str(sample)])
    assert result.exit_code == 3, result.output
    assert result.output.count("\n") == 1
    assert "base.yml: add attr_list, admonition to markdown_extensions here" in result.output
    assert tree(sample) == before


def test_a_nav_inherited_from_a_parent_is_refused_unchanged(sample: Path) -> None:
    (sample / "base.yml").write_text("markdown_extensions: [footnotes, attr_list, admonition]\nnav:\n  - Guide: guide.md\n")
    (sample / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: S\n")
    before = tree(sample)
    with pytest.raises(ConfigError, match=r"base\.yml: add docgen's 'Reference' section .* to the nav here") as caught:
        run(sample)
    assert caught.value.exit_code == 3
    assert tree(sample) == before


def test_a_parents_theme_and_lists_are_kept_when_the_child_holds_its_own(sample: Path) -> None:
    (sample / "base.yml").write_text("theme:\n  name: material\n  palette:\n    primary: teal\nmarkdown_extensions: [footnotes]\n")
    child = "INHERIT: base.yml\nsite_name: S\nmarkdown_extensions:\n  - footnotes\n"
    (sample / "mkdocs.yml").write_text(child)
    run(sample)
    text = (sample / "mkdocs.yml").read_text()
    assert text.startswith(child + "  - attr_list\n  - admonition\n")
    assert "theme" not in text  # the parent's theme stands
    config = effective(sample / "mkdocs.yml")
    assert config["theme"]["palette"] == {"primary": "teal"}
    assert extension_names(config) == ["footnotes", "attr_list", "admonition"]


def test_an_env_docs_dir_is_read_as_mkdocs_reads_it_and_never_rewritten(sample: Path, monkeypatch) -> None:
    (sample / "docs").rename(sample / "manual")
    text = "site_name: S\ndocs_dir: !ENV [DOCS_DIR, manual]\n"
    (sample / "mkdocs.yml").write_text(text)
    run(sample)
    assert (sample / "manual/reference/sample_pkg/tokenizer.md").is_file()
    assert not [path for path in sample.iterdir() if "!ENV" in path.name]
    assert (sample / "mkdocs.yml").read_text().startswith(text)
    # docgen's own setting disagreeing with the tag: refused, not rewritten.
    (sample / "docgen.toml").write_text('docs_dir = "docs"\n')
    before = tree(sample)
    with pytest.raises(ConfigError, match=r"docs_dir is set with !ENV to 'manual', docgen's settings say 'docs'"):
        run(sample)
    assert tree(sample) == before


def test_folders_of_an_inherited_mkdocs_yml_come_from_its_parent(sample: Path) -> None:
    (sample / "docs").rename(sample / "manual")
    (sample / "base.yml").write_text("docs_dir: manual\nsite_dir: public\n")
    (sample / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: S\n")
    config = load_config(sample)
    assert (config.docs_dir, config.site_dir) == ("manual", "public")


def test_plain_folders_are_read_without_a_yaml_parser(sample: Path) -> None:
    # Importing MkDocs' loader costs `docgen scan` about 0.15 s: only a file that needs it pays.
    (sample / "mkdocs.yml").write_text("site_name: S\ndocs_dir: docs\n")
    probe = "import sys, pathlib; from docgen.config import load_config; load_config(pathlib.Path(sys.argv[1])); print('mkdocs' in sys.modules, 'yaml' in sys.modules)"
    plain = subprocess.run([sys.executable, "-c", probe, str(sample)], capture_output=True, text=True, check=True)
    assert plain.stdout.split() == ["False", "False"]
    (sample / "mkdocs.yml").write_text("site_name: S\ndocs_dir: !ENV [DOCS_DIR, docs]\n")
    tagged = subprocess.run([sys.executable, "-c", probe, str(sample)], capture_output=True, text=True, check=True)
    assert tagged.stdout.split() == ["True", "True"]


def test_folders_default_beside_a_mkdocs_yml_in_a_subfolder(sample: Path) -> None:
    (sample / "web/mkdocs.yml").write_text("site_name: Web\n")
    (sample / "web/docs").mkdir()
    (sample / "web/docs/index.md").write_text("# Web home\n")
    config = load_config(sample, overrides={"mkdocs_yml": "web/mkdocs.yml"})
    assert (config.docs_dir, config.site_dir) == ("web/docs", "web/site")
    result = CliRunner().invoke(main, ["-q", "build", str(sample), "--config-file", str(sample / "web/mkdocs.yml")])
    assert result.exit_code == 0, result.output
    assert (sample / "web/docs/reference/sample_pkg/tokenizer.md").is_file()
    assert (sample / "web/site/index.html").is_file()
    assert not (sample / "docs/reference").exists() and not (sample / "site").exists()
    assert "docs_dir" not in (sample / "web/mkdocs.yml").read_text()  # MkDocs' default already says it


def test_a_crlf_mkdocs_yml_keeps_crlf_and_is_not_rewritten_when_nothing_is_added(sample: Path) -> None:
    yml = sample / "mkdocs.yml"
    yml.write_bytes(b"site_name: S\r\ntheme:\r\n  name: material\r\nmarkdown_extensions:\r\n  - toc\r\n")
    run(sample)
    data = yml.read_bytes()
    assert data.startswith(b"site_name: S\r\ntheme:\r\n  name: material\r\nmarkdown_extensions:\r\n  - toc\r\n  - attr_list\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    stamp = yml.stat().st_mtime_ns
    time.sleep(0.01)
    (sample / "docs/guide.md").write_text((sample / "docs/guide.md").read_text() + "\nMore.\n")
    assert run(sample).status == "built"
    assert yml.read_bytes() == data and yml.stat().st_mtime_ns == stamp  # nothing to add: not written


def test_a_top_level_merge_key_is_edited_by_line(sample: Path) -> None:
    text = "base: &base\n  theme:\n    name: material\n  markdown_extensions: [toc]\nsite_name: S\n<<: *base\nextra_css: []\n"
    (sample / "mkdocs.yml").write_text(text)
    report = run(sample)
    written = (sample / "mkdocs.yml").read_text()
    assert written.startswith(text)
    assert REWRITTEN not in report.mkdocs_yml_added
    config = effective(sample / "mkdocs.yml")
    assert extension_names(config) == ["toc", "attr_list", "admonition"]
    assert config["base"]["markdown_extensions"] == ["toc"]  # the anchored map is not changed


def test_an_aliased_extension_list_is_replaced_not_extended(sample: Path) -> None:
    (sample / "mkdocs.yml").write_text("site_name: S\nextra:\n  shown: &e [toc]\nmarkdown_extensions: *e\n")
    report = run(sample)
    assert REWRITTEN not in report.mkdocs_yml_added
    text = (sample / "mkdocs.yml").read_text()
    assert text.startswith("site_name: S\nextra:\n  shown: &e [toc]\n")
    config = yaml.safe_load(text)
    assert config["extra"] == {"shown": ["toc"]}
    assert config["markdown_extensions"] == ["toc", "attr_list", "admonition"]


@pytest.mark.parametrize(
    ("head", "tail"),
    [("---\n", ""), ("%YAML 1.1\n---\n", ""), ("", "...\n"), ("--- # start\n", "...\n# end\n")],
)
def test_document_markers_are_kept_and_the_file_edited_by_line(sample: Path, head: str, tail: str) -> None:
    body = "# mine\ntheme:\n    name: material\n"
    (sample / "mkdocs.yml").write_text(head + body + tail)
    report = run(sample)
    assert REWRITTEN not in report.mkdocs_yml_added
    text = (sample / "mkdocs.yml").read_text()
    assert text.startswith(head + "site_name: sample\n" + body) and text.endswith(tail)
    assert text.count(NAV_MARK) == 1
    assert yaml.safe_load(text)["nav"][-1]["Reference"]


def test_a_whole_file_rewrite_is_said_and_keeps_the_nav_mark(sample: Path) -> None:
    (sample / "mkdocs.yml").write_text("{site_name: S, theme: {name: material}}\n")
    result = CliRunner().invoke(main, ["build", str(sample)])
    assert result.exit_code == 0, result.output
    assert REWRITTEN in result.output
    text = (sample / "mkdocs.yml").read_text()
    assert text.count(NAV_MARK) == 1
    (sample / "docs/faq.md").write_text("# FAQ\n")
    run(sample)  # the mark kept: the nav is still docgen's, and the new page joins it
    assert "FAQ: faq.md" in (sample / "mkdocs.yml").read_text()


def test_a_hand_written_reference_section_under_reference_is_the_users(sample: Path) -> None:
    (sample / "docs/reference").mkdir()
    (sample / "docs/reference/cli.md").write_text("# CLI\n")
    (sample / "mkdocs.yml").write_text("site_name: S\nnav:\n  - Guide: guide.md\n  - Reference:\n      - CLI: reference/cli.md\n")
    before = tree(sample)
    with pytest.raises(PublishError, match="'Reference' section of your own"):
        run(sample)
    assert tree(sample) == before


def test_docgens_own_reference_section_is_still_updated(sample: Path) -> None:
    (sample / "mkdocs.yml").write_text("site_name: S\nnav:\n  - Guide: guide.md\n")
    run(sample)
    (sample / "src/sample_pkg/tokenizer.py").unlink()  # a page docgen wrote before goes away
    run(sample)
    text = (sample / "mkdocs.yml").read_text()
    assert text.count("- Reference:") == 1 and "tokenizer.md" not in text


@pytest.mark.parametrize("value", ["no", "off", "False", "NO"])
def test_file_urls_in_yaml_1_1_words_are_refused(sample: Path, value: str) -> None:
    (sample / "mkdocs.yml").write_text(f"site_name: x\nuse_directory_urls: {value}\n")
    before = tree(sample)
    with pytest.raises(ConfigError, match="use_directory_urls"):
        run(sample)
    assert tree(sample) == before
