"""docgen never loses a user's file: whatever is in its way stops the build, unchanged."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.build import build
from docgen.cache import record_path
from docgen.cli import main
from docgen.config import load_config
from docgen.errors import ConfigError, PublishError
from docgen.files import exclusive_lock

from tests.building import QUIET_REPORTER, run, tree


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("site_dir", [".", "docs", "src", "src/sample_pkg", ".."])
def test_a_site_dir_over_the_project_docs_or_sources_is_refused(sample: Path, site_dir: str) -> None:
    before = tree(sample)
    result = invoke("build", str(sample), "--site-dir", str(sample / site_dir))
    assert result.exit_code == 3, result.output
    assert result.output.count("\n") == 1 and "site_dir" in result.output
    assert tree(sample) == before


def test_an_existing_site_dir_docgen_did_not_build_is_refused(sample: Path) -> None:
    (sample / "public").mkdir()
    (sample / "public/notes.txt").write_text("mine\n")
    before = tree(sample)
    result = invoke("build", str(sample), "--site-dir", str(sample / "public"))
    assert result.exit_code == 3
    assert "exists and was not built by docgen" in result.output
    assert tree(sample) == before
    # A site docgen built is docgen's to replace.
    assert invoke("-q", "build", str(sample)).exit_code == 0
    assert invoke("-q", "build", str(sample), "--force").exit_code == 0


@pytest.mark.parametrize(
    ("key", "value"),
    [("docs_dir", "/"), ("docs_dir", ".."), ("docs_dir", "."), ("reference_dir", ""), ("reference_dir", ".."), ("reference_dir", "../x")],
)
def test_docs_and_reference_dirs_stay_inside_the_project(tmp_path: Path, key: str, value: str) -> None:
    (tmp_path / "docgen.toml").write_text(f'{key} = "{value}"\n')
    with pytest.raises(ConfigError, match=key):
        load_config(tmp_path)


def test_a_tampered_record_cannot_make_docgen_delete_outside_the_docs(sample: Path) -> None:
    run(sample)
    path = record_path(sample / ".docgen")
    record = json.loads(path.read_text())
    record["owned"] += ["../pyproject.toml", "/etc/hostname", "../src/sample_pkg/tokenizer.py"]
    record["inputs"] = ""
    path.write_text(json.dumps(record))
    (sample / "pyproject.toml").write_text("[project]\nname = 'sample'\n")
    report = run(sample)
    assert (sample / "pyproject.toml").is_file() and (sample / "src/sample_pkg/tokenizer.py").is_file()
    assert sum(problem.code == "unsafe-path" for problem in report.problems) == 3


def test_a_user_page_where_docgen_writes_is_never_replaced(sample: Path) -> None:
    (sample / "docs/reference").mkdir()
    (sample / "docs/reference/index.md").write_text("# My own reference\n")
    before = tree(sample)
    result = invoke("-q", "build", str(sample))
    assert result.exit_code == 5
    assert result.output == (
        f"error: docs/reference/index.md: was not written by docgen, which would replace it; "
        "move it, or set reference_dir to another folder\n"
    )
    assert tree(sample) == before


def test_an_unreadable_user_home_page_is_never_replaced(sample: Path) -> None:
    (sample / "docs/index.md").write_bytes(b"\xff\xfe not UTF-8")
    before = tree(sample)
    with pytest.raises(PublishError, match="docs/index.md: was not written by docgen"):
        run(sample)
    assert tree(sample) == before


def test_a_user_nav_section_with_docgens_title_is_never_replaced(sample: Path) -> None:
    (sample / "mkdocs.yml").write_text("site_name: S\nnav:\n  - Home: index.md\n  - Reference:\n      - Guide: guide.md\n")
    before = tree(sample)
    with pytest.raises(PublishError, match="'Reference' section of your own; set docgen's nav_title"):
        run(sample)
    assert tree(sample) == before


def test_a_missing_plugin_names_its_package_and_changes_nothing(sample: Path) -> None:
    (sample / "mkdocs.yml").write_text("site_name: S\nplugins:\n  - search\n  - awesome-pages\n")
    before = tree(sample)
    with pytest.raises(ConfigError, match=r"mkdocs.yml: MkDocs: .*awesome-pages.*pip install mkdocs-awesome-pages-plugin"):
        run(sample)
    assert tree(sample) == before


def test_a_failed_site_build_puts_the_docs_back(sample: Path) -> None:
    run(sample)
    hooks = sample / "hooks.py"
    hooks.write_text("def on_post_build(config):\n    raise RuntimeError('boom')\n")
    text = (sample / "mkdocs.yml").read_text()
    (sample / "mkdocs.yml").write_text(text + "hooks:\n  - hooks.py\n")
    tokenizer = sample / "src/sample_pkg/tokenizer.py"
    tokenizer.write_text(tokenizer.read_text().replace("Encode text into token ids.", "Turn text into ids."))
    before = tree(sample)
    with pytest.raises(PublishError, match="boom"):
        run(sample)
    assert tree(sample) == before


USER_MKDOCS_YML = """\
# Site settings
site_name: 'S'  # the name
theme:
    name: material
    palette:
      - scheme: default
        toggle:
            icon: material/lightbulb
markdown_extensions:
    - codehilite:
          css_class: highlight
    - pymdownx.emoji:
        emoji_index: !!python/name:material.extensions.emoji.twemoji

nav:
    - Home: index.md
    - Guide:   guide.md   # two spaces, kept
extra_css: [extra.css]
"""


def test_mkdocs_yml_changes_only_where_docgen_must(sample: Path) -> None:
    (sample / "mkdocs.yml").write_text(USER_MKDOCS_YML)
    (sample / "docs/index.md").write_text("# Home\n")
    (sample / "docs/extra.css").write_text("")
    result = invoke("build", str(sample))
    assert result.exit_code == 0, result.output
    text = (sample / "mkdocs.yml").read_text()
    reference = text[text.index("    - Reference:\n") : text.index("extra_css")]
    assert text == USER_MKDOCS_YML.replace(
        "twemoji\n", "twemoji\n    - attr_list\n    - admonition\n"
    ).replace("   # two spaces, kept\n", "   # two spaces, kept\n" + reference)
    assert reference.startswith("    - Reference:\n        - Overview: reference/index.md\n")
    assert "mkdocs.yml: docgen added extension attr_list, extension admonition, the Reference section of the nav" in result.output
    result = invoke("build", str(sample), "--force")
    assert (sample / "mkdocs.yml").read_text() == text  # a second merge changes nothing


def test_mkdocs_runs_from_the_project_root_with_a_config_file_elsewhere(sample: Path, tmp_path: Path, monkeypatch) -> None:
    (sample / "config").mkdir()
    (sample / "config/hook.py").write_text(
        "import pathlib\n\ndef on_post_build(config):\n    pathlib.Path('hook-ran-here').write_text('yes')\n"
    )
    (sample / "config/mkdocs.yml").write_text("site_name: S\ndocs_dir: ../docs\nhooks:\n  - hook.py\n")
    monkeypatch.chdir(tmp_path)
    result = invoke("-q", "build", str(sample), "--config-file", str(sample / "config/mkdocs.yml"))
    assert result.exit_code == 0, result.output
    assert (sample / "hook-ran-here").is_file() and not (tmp_path / "hook-ran-here").exists()
    assert not (sample / "mkdocs.yml").exists()
    assert "docs_dir: ../docs" in (sample / "config/mkdocs.yml").read_text()


def test_leftovers_of_killed_builds_are_removed(sample: Path) -> None:
    run(sample)
    for name in (".site.k1l3d.tmp", ".site.old.x9.tmp", ".site.k1l3d.tmp.1"):
        (sample / name / "assets").mkdir(parents=True)
        (sample / name / "assets/page.html").write_text("half")
    (sample / ".site.notes").mkdir()  # not a name docgen makes: not docgen's to remove
    build(load_config(sample), force=True, reporter=QUIET_REPORTER)
    assert sorted(p.name for p in sample.glob(".site.*")) == [".site.notes"]


def test_read_only_old_site_never_blocks_the_next_build(sample: Path) -> None:
    run(sample)
    for path in [sample / "site", *(sample / "site").rglob("*")]:
        if path.is_dir():
            path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        build(load_config(sample), force=True, reporter=QUIET_REPORTER)
        build(load_config(sample), force=True, reporter=QUIET_REPORTER)
    finally:
        for path in [sample / "site", *(sample / "site").rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
    assert not list(sample.glob(".site.*"))


def test_a_second_concurrent_build_stops_with_one_line(sample: Path) -> None:
    with exclusive_lock(sample / ".docgen/build.lock", "test"):
        result = invoke("-q", "build", str(sample))
    assert result.exit_code == 5
    assert result.output == f"error: {sample / '.docgen/build.lock'}: another docgen build is already running here; wait for it to finish\n"


def test_files_get_the_umask_permissions(sample: Path) -> None:
    run(sample)
    for path in (sample / "site/index.html", sample / "docs/reference/index.md", sample / "mkdocs.yml"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~_umask(), path
    assert stat.S_IMODE((sample / "site").stat().st_mode) == 0o777 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_file_restored_with_an_old_mtime_is_rerendered(sample: Path) -> None:
    run(sample)
    guide = sample / "docs/guide.md"
    old = guide.stat().st_mtime - 3600
    guide.write_text("# User guide\n\nRestored from a backup.\n")
    os.utime(guide, (old, old))
    report = run(sample)
    assert report.dirty
    assert "Restored from a backup." in (sample / "site/guide/index.html").read_text()


def test_a_deleted_asset_leaves_the_site(sample: Path) -> None:
    (sample / "docs/extra.js").write_text("console.log(1)\n")
    run(sample)
    assert (sample / "site/extra.js").is_file()
    (sample / "docs/extra.js").unlink()
    run(sample)
    assert not (sample / "site/extra.js").exists()


def test_changing_reference_dir_or_nav_title_gives_a_correct_site(sample: Path) -> None:
    run(sample)
    (sample / "docgen.toml").write_text('reference_dir = "api"\nnav_title = "API"\n')
    report = run(sample)
    assert report.problems == []
    assert not (sample / "docs/reference").exists() or not list((sample / "docs/reference").rglob("*.md"))
    assert (sample / "site/api/sample_pkg/tokenizer/index.html").is_file()
    assert not (sample / "site/reference").exists()
    assert "- API:" in (sample / "mkdocs.yml").read_text()


def test_docs_links_to_files_outside_the_project_never_reach_the_site(sample: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=hunter2\n")
    (sample / "docs/env.txt").symlink_to(secret)
    (sample / "docs/outside").symlink_to(tmp_path, target_is_directory=True)
    report = run(sample)
    assert not any("hunter2" in path.read_text(errors="replace") for path in (sample / "site").rglob("*") if path.is_file())
    unsafe = sorted(problem.file for problem in report.problems if problem.code == "unsafe-path")
    assert "docs/env.txt" in unsafe


def test_a_billion_laughs_mkdocs_yml_is_refused_quickly(sample: Path) -> None:
    import time

    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        levels.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    (sample / "mkdocs.yml").write_text("site_name: S\n" + "\n".join(levels) + "\n")
    before = tree(sample)
    started = time.perf_counter()
    with pytest.raises(ConfigError, match=r"mkdocs.yml:\d+: the YAML stands for more than 100,000 values"):
        run(sample)
    assert time.perf_counter() - started < 30
    assert tree(sample) == before


def test_a_linked_reference_folder_is_never_written_through(sample: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (sample / "docs/reference").symlink_to(elsewhere, target_is_directory=True)
    before = tree(sample)
    with pytest.raises(PublishError, match="docs/reference/.*symbolic link"):
        run(sample)
    assert list(elsewhere.iterdir()) == [] and tree(sample) == before


def test_a_linked_mkdocs_yml_is_written_through_and_keeps_its_mode(sample: Path) -> None:
    (sample / "config").mkdir()
    real = sample / "config/mkdocs.yml"
    real.write_text("site_name: S\n")
    real.chmod(0o640)
    (sample / "mkdocs.yml").symlink_to("config/mkdocs.yml")
    run(sample)
    assert (sample / "mkdocs.yml").is_symlink()
    assert "attr_list" in real.read_text() and stat.S_IMODE(real.stat().st_mode) == 0o640


def test_a_site_dir_that_is_a_file_is_refused_and_nothing_is_left(sample: Path) -> None:
    (sample / "LICENSE").write_text("MIT\n")
    before = tree(sample)
    result = invoke("build", str(sample), "--site-dir", str(sample / "LICENSE"))
    assert result.exit_code == 3 and "is a file" in result.output
    assert tree(sample) == before and not list(sample.glob(".LICENSE*")) and not (sample / "docs/reference").exists()


def test_a_failed_build_removes_the_folders_it_made(sample: Path) -> None:
    (sample / "hooks.py").write_text("def on_post_build(config):\n    raise RuntimeError('boom')\n")
    (sample / "mkdocs.yml").write_text("site_name: S\nhooks:\n  - hooks.py\nmarkdown_extensions: [attr_list, admonition]\n")
    with pytest.raises(PublishError, match="boom"):
        run(sample)
    assert not (sample / "docs/reference").exists()


def test_errors_reach_scripts_as_problems(sample: Path) -> None:
    (sample / "mkdocs.yml").write_text("site_name: [\n")
    result = CliRunner().invoke(main, ["-q", "build", str(sample), "--format", "github"])
    assert result.exit_code == 3
    assert result.stdout.startswith(f"::error file={sample / 'mkdocs.yml'},line=")
    as_json = CliRunner().invoke(main, ["-q", "build", str(sample), "--json"])
    data = json.loads(as_json.stdout)
    assert data["status"] == "error" and data["exit_code"] == 3 and data["problems"][0]["severity"] == "error"


def test_a_mkdocs_yml_rewritten_whole_says_so_in_one_line(sample: Path) -> None:
    (sample / "mkdocs.yml").write_text("{site_name: S, theme: material}\n")
    result = invoke("build", str(sample))
    assert result.exit_code == 0, result.output
    assert "mkdocs.yml: docgen rewrote the whole file (its layout could not be edited line by line); it added " in result.output
