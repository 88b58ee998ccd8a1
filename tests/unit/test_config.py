"""Configuration: read once, validated, errors name the key and the file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from docgen.config import DEFAULT_EXCLUDE, KEYS, VerifySettings, init_config, load_config
from docgen.errors import ConfigError


def test_defaults_without_any_config(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.name == tmp_path.name
    assert config.docs_dir == "docs" and config.site_dir == "site"
    assert config.exclude == DEFAULT_EXCLUDE
    assert config.source is None


def test_pyproject_table_and_project_name(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "tok"\n\n[tool.docgen]\nsite_dir = "public"\nshow_private = true\n'
    )
    config = load_config(tmp_path)
    assert (config.name, config.site_dir, config.show_private) == ("tok", "public", True)
    assert config.source == tmp_path / "pyproject.toml"


def test_docgen_toml_wins_and_overrides_win_over_both(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\nsite_dir = "a"\n')
    (tmp_path / "docgen.toml").write_text('site_dir = "b"\ndocs_dir = "manual"\n')
    config = load_config(tmp_path, overrides={"site_dir": "c", "docs_dir": None})
    assert (config.site_dir, config.docs_dir) == ("c", "manual")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[tool.docgen]\nsite_dri = "x"\n', "unknown key 'site_dri'"),
        ("[tool.docgen]\nmax_file_size = true\n", "key 'max_file_size' must be int, not bool"),
        ('[tool.docgen]\nexclude = "tests/"\n', "key 'exclude' must be list, not str"),
        ("[tool.docgen]\nexclude = [1]\n", "key 'exclude' must be a list of strings"),
        ('[tool.docgen]\ndocstring_style = "rst"\n', "must be one of auto, google, numpy, sphinx"),
        ("[tool.docgen]\nmax_file_size = 0\n", "'max_file_size' must be positive"),
        ('[tool.docgen]\nname = "x\n', "invalid TOML"),
    ],
)
def test_errors_name_the_key_and_the_file(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    line = str(caught.value)
    assert line.startswith(str(tmp_path / "pyproject.toml") + ": ")
    assert message in line
    assert "\n" not in line


def test_init_appends_a_commented_table_that_loads_back(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "tok"\n')
    written = init_config(tmp_path)
    assert written == tmp_path / "pyproject.toml"
    text = written.read_text()
    assert "[tool.docgen]" in text
    for key in KEYS:
        assert f"# {key} = " in text
    assert tomllib.loads(text)["tool"]["docgen"] == {}  # everything commented: defaults hold
    assert load_config(tmp_path).name == "tok"
    with pytest.raises(ConfigError, match="already configured"):
        init_config(tmp_path)


def test_init_writes_docgen_toml_without_pyproject(tmp_path: Path) -> None:
    written = init_config(tmp_path)
    assert written == tmp_path / "docgen.toml"
    # Uncommenting a line gives a valid setting.
    text = written.read_text().replace('# site_dir = "site"', 'site_dir = "public"')
    written.write_text(text)
    assert load_config(tmp_path).site_dir == "public"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x.org/r", 'https://x.org/"><script>'])
def test_repo_url_must_be_http_or_https(tmp_path: Path, url: str) -> None:
    (tmp_path / "docgen.toml").write_text(f"repo_url = '{url}'\n")
    with pytest.raises(ConfigError, match="key 'repo_url' must be an http or https URL"):
        load_config(tmp_path)


def test_a_site_dir_above_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "docgen.toml").write_text('site_dir = ".."\n')
    with pytest.raises(ConfigError, match="key 'site_dir' must not be the project folder or above it"):
        load_config(tmp_path)


def test_llm_as_a_backend_name_or_a_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCGEN_LLM")
    (tmp_path / "docgen.toml").write_text('llm = "openai"\n')
    assert load_config(tmp_path).llm.backend == "openai"
    (tmp_path / "docgen.toml").write_text('[llm]\nbackend = "openai"\nbase_url = "http://127.0.0.1:8080/v1"\nmodel = "m"\ntimeout = 30\n')
    settings = load_config(tmp_path).llm
    assert (settings.backend, settings.base_url, settings.model, settings.timeout) == ("openai", "http://127.0.0.1:8080/v1", "m", 30.0)
    assert settings.workers == 4  # an endpoint answers several drafts at once
    monkeypatch.setenv("DOCGEN_LLM", "none")  # the environment wins over the file, keeping its other keys
    assert load_config(tmp_path).llm.backend == "none" and load_config(tmp_path).llm.model == "m"
    monkeypatch.delenv("DOCGEN_LLM")
    (tmp_path / "docgen.toml").write_text('[llm]\nbackend = "llama-cpp"\nconcurrency = 8\n')
    assert load_config(tmp_path).llm.workers == 1  # a model in this process, one at a time


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('llm = "gpt"\n', "key 'llm.backend' must be one of"),
        ('[llm]\nkey = "sk-123"\n', "unknown key 'llm.key'"),
        ('[llm]\nbase_url = "file:///etc"\n', "key 'llm.base_url' must be an http or https URL"),
        ("[llm]\ntimeout = true\n", "key 'llm.timeout' must be float"),
        ("[llm]\nconcurrency = 0\n", "key 'llm.concurrency' must be between 1 and 64, not 0"),
        ('guides_dir = "../out"\n', "key 'guides_dir' must name a folder inside docs_dir"),
    ],
)
def test_bad_llm_settings_name_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str) -> None:
    monkeypatch.delenv("DOCGEN_LLM")
    (tmp_path / "docgen.toml").write_text(text)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(tmp_path)


def test_verify_settings_from_a_table_or_the_line_init_writes(tmp_path: Path) -> None:
    assert load_config(tmp_path).verify == VerifySettings(run_examples=False, example_timeout=30.0)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "tok"\n\n[tool.docgen.verify]\nrun_examples = true\nexample_timeout = 5\n')
    assert load_config(tmp_path).verify == VerifySettings(run_examples=True, example_timeout=5.0)
    (tmp_path / "pyproject.toml").unlink()
    written = init_config(tmp_path)
    text = written.read_text().replace("# verify = { run_examples = false", "verify = { run_examples = true")
    written.write_text(text)
    assert load_config(tmp_path).verify.run_examples is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("verify = true\n", "key 'verify' must be dict, not bool"),
        ("[verify]\nrun = true\n", "unknown key 'verify.run' (known keys: run_examples, example_timeout)"),
        ('[verify]\nrun_examples = "yes"\n', "key 'verify.run_examples' must be bool, not str"),
        ("[verify]\nexample_timeout = true\n", "key 'verify.example_timeout' must be float, not bool"),
        ("[verify]\nexample_timeout = 0\n", "key 'verify.example_timeout' must be between 0 and 3600 seconds"),
    ],
)
def test_bad_verify_settings_name_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "docgen.toml").write_text(text)
    with pytest.raises(ConfigError, match=re.escape(message)) as caught:
        load_config(tmp_path)
    assert str(caught.value).startswith(str(tmp_path / "docgen.toml") + ": ")


def test_source_links_follow_the_repository_mkdocs_yml_names(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nrepo_url: https://github.com/org/proj/  # the code\nedit_uri: edit/develop/docs/\n", encoding="utf-8"
    )
    config = load_config(tmp_path)
    assert (config.repo_url, config.repo_branch) == ("https://github.com/org/proj", "develop")
    (tmp_path / "docgen.toml").write_text("repo_url = 'https://example.org/mine'\n", encoding="utf-8")
    assert load_config(tmp_path).repo_url == "https://example.org/mine"  # docgen's own setting wins
    (tmp_path / "docgen.toml").unlink()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nrepo_url: javascript:alert(1)\n", encoding="utf-8")
    assert load_config(tmp_path).repo_url == ""  # never a link to anything but a web page


def test_a_config_file_outside_the_project_is_named_as_the_mistake(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "docgen.toml").write_text("show_source = true\n")
    # `-f mkdocs-docgen.yml` typed in the folder above: before, docgen.toml's docs_dir was blamed.
    with pytest.raises(ConfigError, match=r"-f/--config-file must name a file inside the project") as error:
        load_config(root, overrides={"mkdocs_yml": str(tmp_path / "mkdocs-docgen.yml")})
    assert error.value.file == "command line"


def test_a_docs_dir_read_from_mkdocs_yml_is_blamed_on_mkdocs_yml(tmp_path: Path) -> None:
    (tmp_path / "docgen.toml").write_text("show_source = true\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: ../elsewhere\n")
    with pytest.raises(ConfigError, match="docs_dir") as error:
        load_config(tmp_path)
    assert error.value.file.endswith("mkdocs.yml")
