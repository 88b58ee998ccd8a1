"""The Python reader: real griffe on the sample repository, never importing it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docgen.config import load_config
from docgen.model import Project, Symbol
from docgen.scan import scan
from tests.conftest import FIXTURES, SAMPLE


@pytest.fixture(scope="module")
def project() -> Project:
    return scan(load_config(SAMPLE))


def find(project: Project, symbol_id: str) -> Symbol:
    for symbol in project.walk():
        if symbol.id == symbol_id:
            return symbol
    raise AssertionError(f"{symbol_id} not found")


def ids(project: Project) -> set[str]:
    return {symbol.id for symbol in project.walk()}


def test_src_layout_packages_and_modules(project: Project) -> None:
    package = find(project, "sample_pkg")
    assert package.kind == "package"
    assert package.location.file == "src/sample_pkg/__init__.py"
    assert find(project, "sample_pkg.models").kind == "package"
    assert find(project, "sample_pkg.models.gpt").kind == "module"


def test_loose_scripts_and_folders_without_init_are_modules(project: Project) -> None:
    # nanoGPT-style repositories: train.py at the root, config/*.py beside it.
    assert find(project, "train").kind == "module"
    assert find(project, "scripts").kind == "package"
    script = find(project, "scripts.train")
    assert script.location.file == "scripts/train.py"
    assert find(project, "scripts.train.main").kind == "function"


def test_functions_have_signature_params_and_location(project: Project) -> None:
    load = find(project, "sample_pkg.load")
    assert load.signature == "def load(name: str) -> Tokenizer"
    assert [(p.name, p.annotation, p.description) for p in load.params] == [
        ("name", "str", "Name of the vocabulary to load.")
    ]
    assert load.returns == "Tokenizer"
    assert (load.location.start, load.location.end) == (8, 20)
    assert load.docstring is not None and load.docstring.summary == "Load a tokenizer by name."


def test_privacy_follows_python_conventions(project: Project) -> None:
    assert find(project, "sample_pkg.tokenizer.Tokenizer").public
    assert not find(project, "sample_pkg.tokenizer.Tokenizer._merge").public


def test_model_classes_get_forward_and_submodules(project: Project) -> None:
    block = find(project, "sample_pkg.models.gpt.Block")
    assert block.bases == ("torch.nn.Module",)
    assert block.model is not None
    assert block.model.forward == "forward(self, x: torch.Tensor) -> torch.Tensor"
    assert [s.name for s in block.model.submodules] == ["ln", "mlp"]
    # GPT derives from Block, a project class: still a model, forward inherited.
    gpt = find(project, "sample_pkg.models.gpt.GPT")
    assert gpt.model is not None and gpt.model.forward.startswith("forward(self, x")
    assert [s.name for s in gpt.model.submodules] == ["blocks"]
    assert find(project, "sample_pkg.tokenizer.Tokenizer").model is None


def test_config_dataclass_fields_read_trailing_comments(project: Project) -> None:
    config = find(project, "sample_pkg.models.gpt.GPTConfig")
    assert [(f.name, f.annotation, f.default) for f in config.fields] == [
        ("block_size", "int", "1024"),
        ("vocab_size", "int", "50304"),
        ("n_layer", "int", "12"),
        ("dropout", "float", "0.0"),
    ]
    described = {f.name: f.description for f in config.fields}
    assert described["block_size"] == "longest sequence the model sees"
    assert described["dropout"] == "Dropout probability in every block."
    assert described["n_layer"] == ""
    assert config.model is None


def test_module_attribute_comment_becomes_its_doc(project: Project) -> None:
    attribute = find(project, "scripts.train.batch_size")
    assert attribute.docstring is not None and attribute.docstring.raw == "sequences per step"


@pytest.mark.parametrize("module", ["google_style", "numpy_style", "sphinx_style"])
def test_docstring_styles_are_detected(module: str) -> None:
    project = scan(load_config(FIXTURES / "styles"))
    function = next(s for s in project.walk() if s.kind == "function" and s.id.startswith(module))
    assert function.docstring is not None
    kinds = [section.kind for section in function.docstring.sections]
    assert "parameters" in kinds and "returns" in kinds and "raises" in kinds
    parameters = next(s for s in function.docstring.sections if s.kind == "parameters")
    assert all(item.description for item in parameters.items)


def test_google_admonitions_are_kept() -> None:
    project = scan(load_config(FIXTURES / "styles"))
    pad = next(s for s in project.walk() if s.id == "google_style.pad")
    assert pad.docstring is not None
    note = [s for s in pad.docstring.sections if s.kind == "admonition"]
    assert note and note[0].text == "Padding goes on the right."


def test_configured_style_is_used(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "styles" / "google_style.py", tmp_path)
    (tmp_path / "docgen.toml").write_text('docstring_style = "numpy"\n')
    project = scan(load_config(tmp_path))
    pad = next(s for s in project.walk() if s.id == "google_style.pad")
    assert pad.docstring is not None
    assert "parameters" not in [s.kind for s in pad.docstring.sections]


def test_bad_files_are_skipped_with_a_reason_and_the_rest_is_read(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text('"""A package."""\n')
    (package / "good.py").write_text("def ok():\n    pass\n")
    (package / "broken.py").write_text("x = 1\n\ndef f(:\n    pass\n")
    (package / "latin1.py").write_bytes("# caf\xe9\nx = 1\n".encode("latin-1"))
    (package / "blob.py").write_bytes(b"\x00\x01binary")
    project = scan(load_config(tmp_path))
    assert "pkg.good.ok" in ids(project)
    reasons = {p.file: (p.line, p.message) for p in project.problems}
    assert reasons["pkg/broken.py"][0] == 3 and reasons["pkg/broken.py"][1].startswith("syntax error")
    assert reasons["pkg/latin1.py"] == (1, "not UTF-8 (byte 5)")
    assert reasons["pkg/blob.py"][1] == "binary file"
    assert not any(i.startswith(("pkg.broken", "pkg.latin1", "pkg.blob")) for i in ids(project))


def test_user_code_is_never_imported(tmp_path: Path) -> None:
    marker = tmp_path / "imported"
    (tmp_path / "boom.py").write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit(1)\n")
    project = scan(load_config(tmp_path))
    assert "boom" in ids(project)
    assert not marker.exists()


def test_hashes_change_with_content_only(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text('def f():\n    """One."""\n')
    first = {s.id: s.hash for s in scan(load_config(tmp_path)).walk()}
    assert first == {s.id: s.hash for s in scan(load_config(tmp_path)).walk()}
    (tmp_path / "mod.py").write_text('def f():\n    """Two."""\n')
    second = {s.id: s.hash for s in scan(load_config(tmp_path)).walk()}
    assert first["mod.f"] != second["mod.f"]
    assert first["mod"] != second["mod"]  # a parent's hash covers its children


@pytest.mark.parametrize(
    ("class_id", "expected"),
    [
        ("sample_pkg.settings.ServerSettings", [("host", "str", "'127.0.0.1'", "address to bind"), ("port", "int", "Field(8000, ge=1)", "TCP port")]),
        ("sample_pkg.settings.Sample", [("text", "str", "", ""), ("score", "float", "0.0", "log-probability of the text")]),
        ("sample_pkg.settings.Request", [("prompt", "str", "", "the text to complete"), ("max_tokens", "int", "", "")]),
    ],
)
def test_pydantic_namedtuple_and_typeddict_fields(project: Project, class_id: str, expected: list) -> None:
    fields = find(project, class_id).fields
    assert [(f.name, f.annotation, f.default, f.description) for f in fields] == expected


def test_public_names_from_private_modules_are_documented_where_exported(tmp_path: Path) -> None:
    # httpx-style: the API lives in private modules and the package re-exports it.
    package = tmp_path / "web"
    package.mkdir()
    (package / "__init__.py").write_text(
        'from ._client import Client\nfrom ._models import Response as Reply\nfrom .public import helper\n'
        '__all__ = ["Client", "Reply", "helper"]\n'
    )
    (package / "_client.py").write_text(
        'from ._models import Response\n\n\nclass Client:\n    """An HTTP client."""\n\n'
        '    def get(self, url: str) -> Response:\n        """Fetch `url`."""\n'
    )
    (package / "_models.py").write_text('class Response:\n    """A response."""\n')
    (package / "public.py").write_text('def helper() -> None:\n    """Help."""\n')
    project = scan(load_config(tmp_path))
    client = find(project, "web.Client")
    assert client.docstring is not None and client.docstring.summary == "An HTTP client."
    assert find(project, "web.Client.get").location.file == "web/_client.py"
    assert find(project, "web.Reply").name == "Reply"
    # Defined in a public module: documented there only.
    assert "web.helper" not in ids(project) and "web.public.helper" in ids(project)


def test_reexported_names_link_to_their_public_page(tmp_path: Path) -> None:
    from docgen.generate.reference import RenderOptions, render_pages

    test_public_names_from_private_modules_are_documented_where_exported(tmp_path)
    pages = {p.path: p.markdown for p in render_pages(scan(load_config(tmp_path)), RenderOptions()).pages}
    # `-> Response` inside web._client resolves to web._models.Response, documented as web.Reply.
    assert '<a href="#web.Reply">Response</a>' in pages["reference/web/index.md"]


def test_a_broken_top_level_script_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("x = (\n")
    (tmp_path / "good.py").write_text("y = 1\n")
    project = scan(load_config(tmp_path))
    assert [(p.file, p.line, p.code) for p in project.problems] == [("bad.py", 1, "skipped")]
    assert "good" in ids(project)


def test_a_broken_reference_shown_on_two_pages_is_one_problem(tmp_path: Path) -> None:
    from docgen.generate.reference import RenderOptions, render_pages

    package = tmp_path / "web"
    package.mkdir()
    (package / "__init__.py").write_text('from ._client import Client\n__all__ = ["Client"]\n')
    (package / "_client.py").write_text('class Client:\n    """Uses `web.Gone`."""\n')
    result = render_pages(scan(load_config(tmp_path)), RenderOptions(show_private=True))
    pages = [page.path for page in result.pages if "Uses" in page.markdown]
    assert len(pages) == 2  # web.Client and web._client.Client
    assert [(p.where, p.message) for p in result.broken_references] == [
        ("web/_client.py:2", "unresolved reference `web.Gone`")
    ]
