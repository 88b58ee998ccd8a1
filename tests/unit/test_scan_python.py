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


def write(root: Path, files: dict[str, str]) -> Path:
    """Write a small project under `root` (`files`: relative path -> text)."""
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return root


def test_signatures_are_written_as_in_the_source(tmp_path: Path) -> None:
    write(tmp_path, {"mod.py": (
        "def f(a, b, /, c, *, d=1, **kw):\n    pass\n\n"
        "def g(*args, mode: str = 'json', **kwargs) -> None:\n    pass\n\n"
        "def h(x, *, y):\n    pass\n\n"
        "class C:\n    def __init__(self, /, size, *, name=None):\n        pass\n"
    )})
    project = scan(load_config(tmp_path))
    assert find(project, "mod.f").signature == "def f(a, b, /, c, *, d=1, **kw)"
    assert find(project, "mod.g").signature == "def g(*args, mode: str = 'json', **kwargs) -> None"
    assert find(project, "mod.h").signature == "def h(x, *, y)"
    assert find(project, "mod.C").signature == "class C(size, *, name=None)"
    assert [p.default for p in find(project, "mod.f").params] == ["", "", "", "1", ""]


def test_annotated_doc_parameters_are_described_not_signed(tmp_path: Path) -> None:
    # FastAPI style: the description lives in the annotation (griffe-typingdoc reads it).
    write(tmp_path, {"api.py": (
        "from typing import Annotated\nfrom typing_extensions import Doc\n\n"
        "def route(path: Annotated[str, Doc('The URL path.')], *, tags: Annotated[list[str], 'meta', Doc('Tags.')] = ()) -> None:\n"
        "    \"\"\"Add a route.\"\"\"\n"
    )})
    route = find(scan(load_config(tmp_path)), "api.route")
    assert route.signature == "def route(path: str, *, tags: Annotated[list[str], meta] = ()) -> None"
    assert [(p.name, p.annotation, p.description) for p in route.params] == [
        ("path", "str", "The URL path."),
        ("tags", "Annotated[list[str], meta]", "Tags."),
    ]


def test_stubs_merge_with_their_module(tmp_path: Path) -> None:
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/fast.py": "def add(a, b):\n    return a + b\n",
        "pkg/fast.pyi": "def add(a: int, b: int) -> int:\n    \"\"\"Add two numbers.\"\"\"\n",
    })
    project = scan(load_config(tmp_path))
    add = find(project, "pkg.fast.add")
    assert add.signature == "def add(a: int, b: int) -> int"
    assert add.docstring is not None and add.docstring.summary == "Add two numbers."
    assert project.problems == ()


def test_binding_package_classes_are_documented_under_their_import_name(tmp_path: Path) -> None:
    # PyO3/maturin: the class lives in a compiled module; only the stub describes it.
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "fasttok"\n\n[tool.maturin]\npython-source = "python"\n',
        "python/fasttok/__init__.py": 'from .fasttok import Tokenizer, encode\n\n__all__ = ["Tokenizer", "encode"]\n',
        "python/fasttok/__init__.pyi": (
            "class Tokenizer:\n    \"\"\"A fast tokenizer.\"\"\"\n\n"
            "    def encode(self, text: str) -> list[int]:\n        \"\"\"Token ids of `text`.\"\"\"\n\n"
            "def encode(text: str) -> list[int]:\n    \"\"\"Encode with the default tokenizer.\"\"\"\n"
        ),
        "src/lib.rs": "/// The Rust side.\npub fn encode() {}\n",
    })
    project = scan(load_config(tmp_path))
    tokenizer = find(project, "fasttok.Tokenizer")
    assert tokenizer.docstring is not None and tokenizer.docstring.summary == "A fast tokenizer."
    assert tokenizer.location.file == "python/fasttok/__init__.pyi"
    assert find(project, "fasttok.Tokenizer.encode").signature == "def encode(self, text: str) -> list[int]"
    assert find(project, "fasttok.encode").kind == "function"
    assert [p for p in project.problems if p.file.startswith("python/")] == []


def test_special_methods_with_docstrings_are_documented(tmp_path: Path) -> None:
    from docgen.generate.reference import RenderOptions, render_pages

    write(tmp_path, {"pool.py": (
        "class Pool:\n    def __init__(self, size: int):\n        \"\"\"A pool of workers.\"\"\"\n"
        "    def __enter__(self):\n        \"\"\"Start the workers.\"\"\"\n"
        "    def __call__(self, job):\n        \"\"\"Run `job` on a free worker.\"\"\"\n"
        "    def __len__(self):\n        return 0\n"
        "    def __getitem__(self, index):\n        \"\"\"The worker at `index`.\"\"\"\n"
    )})
    project = scan(load_config(tmp_path))
    page = {p.path: p.markdown for p in render_pages(project, RenderOptions()).pages}["reference/pool.md"]
    for name in ("__enter__", "__call__", "__getitem__"):
        assert f"`{name}` {{ #pool.Pool.{name} }}" in page
    assert "__len__" not in page and "{ #pool.Pool.__init__ }" not in page
    # Documented on __init__ only (numpy style): the class says it.
    assert "A pool of workers." in page


def test_inherited_members_on_request(tmp_path: Path) -> None:
    write(tmp_path, {"shapes.py": (
        "class Shape:\n    def area(self) -> float:\n        \"\"\"The area.\"\"\"\n        return 0.0\n\n"
        "class Square(Shape):\n    def side(self) -> float:\n        \"\"\"The side.\"\"\"\n        return 1.0\n"
    )})
    assert "shapes.Square.area" not in ids(scan(load_config(tmp_path)))
    (tmp_path / "docgen.toml").write_text("inherited_members = true\n")
    area = find(scan(load_config(tmp_path)), "shapes.Square.area")
    assert "inherited" in area.labels and area.defined_in == "shapes.Shape.area"
    assert area.docstring is not None and area.docstring.summary == "The area."


def test_bases_show_their_public_import_path(tmp_path: Path) -> None:
    from docgen.generate.reference import RenderOptions, render_pages

    write(tmp_path, {
        "web/__init__.py": 'from ._client import BaseClient, Client\n__all__ = ["BaseClient", "Client"]\n',
        "web/_client.py": (
            "class BaseClient:\n    \"\"\"Shared by clients.\"\"\"\n\n"
            "class Client(BaseClient):\n    \"\"\"A client.\"\"\"\n"
        ),
    })
    project = scan(load_config(tmp_path))
    assert find(project, "web.Client").bases == ("web.BaseClient",)
    page = {p.path: p.markdown for p in render_pages(project, RenderOptions()).pages}["reference/web/index.md"]
    assert 'Bases: <code><a href="#web.BaseClient">web.BaseClient</a></code>' in page


def test_names_under_the_main_guard_are_not_module_attributes(tmp_path: Path) -> None:
    write(tmp_path, {"train.py": (
        "import uvicorn\n\nLEARNING_RATE = 3e-4\n\n"
        "def main():\n    pass\n\n"
        "if __name__ == '__main__':\n    import json\n    args = parse()\n    def helper():\n        pass\n    uvicorn.run(main)\n"
    )})
    found = ids(scan(load_config(tmp_path)))
    assert {"train.LEARNING_RATE", "train.main"} <= found
    assert "train.args" not in found and "train.helper" not in found
    assert "train" in found


def test_excluded_files_are_never_parsed(tmp_path: Path) -> None:
    # An excluded file too deep to parse used to fail its whole package.
    deep = "X = " + "+".join(["1"] * 4000) + "\n"
    write(tmp_path, {
        "pkg/__init__.py": '"""Pkg."""\n',
        "pkg/good.py": "def ok():\n    pass\n",
        "pkg/generated/__init__.py": "",
        "pkg/generated/table.py": deep,
        "docgen.toml": 'exclude = ["pkg/generated/"]\n',
    })
    project = scan(load_config(tmp_path))
    assert "pkg.good.ok" in ids(project)
    assert not any(i.startswith("pkg.generated") for i in ids(project))
    assert project.problems == ()


def test_oversized_files_are_never_read(tmp_path: Path) -> None:
    import time

    write(tmp_path, {"pkg/__init__.py": "", "pkg/small.py": "def ok():\n    pass\n"})
    with open(tmp_path / "pkg" / "big.py", "w") as big:
        big.write("value_0 = 0\n" * 1_700_000)  # 20 MB: minutes of griffe work if it were read
    started = time.perf_counter()
    project = scan(load_config(tmp_path))
    assert time.perf_counter() - started < 5
    assert "pkg.small.ok" in ids(project) and "pkg.big" not in ids(project)
    assert [(p.file, p.code) for p in project.problems] == [("pkg/big.py", "skipped")]


def test_deep_expressions_skip_their_file_only(tmp_path: Path) -> None:
    write(tmp_path, {
        "pkg/__init__.py": '"""Pkg."""\n',
        "pkg/good.py": "def ok():\n    pass\n",
        "pkg/sums.py": "X = " + "+".join(["1"] * 4000) + "\n",
        "pkg/nested.py": "Y = " + "[" * 150 + "]" * 150 + "\n",
        "loose.py": "Z = " + "-" * 3000 + "1\n",
    })
    project = scan(load_config(tmp_path))
    assert "pkg.good.ok" in ids(project)
    skipped = {p.file for p in project.problems if p.code == "skipped"}
    assert skipped == {"pkg/sums.py", "pkg/nested.py", "loose.py"}


def test_griffe_docstring_warnings_become_problems(tmp_path: Path) -> None:
    import logging

    write(tmp_path, {"mod.py": (
        "def f(a):\n    \"\"\"Do f.\n\n    Args:\n        a: The a.\n        zz: Not a parameter.\n    \"\"\"\n"
    )})
    griffe_logger = logging.getLogger("griffe")
    level, propagate = griffe_logger.level, griffe_logger.propagate
    project = scan(load_config(tmp_path))
    docstring = [p for p in project.problems if p.code == "docstring"]
    assert [(p.file, p.line, p.symbol) for p in docstring] == [("mod.py", 6, "mod.f")]
    assert "zz" in docstring[0].message
    # Captured around the load only: griffe's logger is as it was.
    assert (griffe_logger.level, griffe_logger.propagate) == (level, propagate)
    assert not griffe_logger.isEnabledFor(logging.CRITICAL) or griffe_logger.getEffectiveLevel() < logging.CRITICAL


def test_an_annotation_griffe_cannot_resolve_is_no_docstring_problem(tmp_path: Path) -> None:
    # click's `_compat`: a name imported on Windows, defined elsewhere; griffe logs each
    # annotation of the definition as an unresolvable alias, with a file and a line.
    write(tmp_path, {"pkg/__init__.py": '"""Pkg."""\n', "pkg/_compat.py": (
        "import sys\nimport typing as t\n\nif sys.platform.startswith('win'):\n    from ._win import get\nelse:\n\n"
        "    def get(f: t.TextIO, encoding: t.Optional[str]) -> t.Optional[t.TextIO]:\n        return None\n"
    ), "pkg/_win.py": "import typing as t\n\ndef get(f: t.TextIO, encoding: t.Optional[str]) -> t.Optional[t.TextIO]:\n    return f\n"})
    assert [p for p in scan(load_config(tmp_path)).problems if p.code == "docstring"] == []


def test_ml_enrichment_is_a_griffe_extension(tmp_path: Path) -> None:
    import griffe

    from docgen.scan.ml import EXTRA, MLExtension

    write(tmp_path, {"net/__init__.py": "", "net/base.py": (
        "from torch import nn\n\nclass Base(nn.Module):\n    def forward(self, x):\n        return x\n"
    ), "net/deep.py": (
        "from net.base import Base\nfrom torch import nn\n\nclass Deep(Base):\n"
        "    def __init__(self):\n        self.head = nn.Linear(2, 2)\n"
    )})
    assert issubclass(MLExtension, griffe.Extension)
    extensions = griffe.load_extensions(MLExtension(lambda attr: ""))
    package = griffe.load("net", search_paths=[tmp_path], extensions=extensions, allow_inspection=False)
    model = package["deep.Deep"].extra[EXTRA]["model"]
    assert model.forward == "forward(self, x)"  # inherited from a class in another module
    assert [s.name for s in model.submodules] == ["head"]


def test_docstring_warnings_from_extensions_name_their_symbol(tmp_path: Path) -> None:
    # The ML extension reads a config class's Attributes section before docgen converts it.
    write(tmp_path, {"conf.py": (
        "from dataclasses import dataclass\n\n@dataclass\nclass Config:\n"
        "    \"\"\"Settings.\n\n    Args:\n        ghost: Not a parameter.\n    \"\"\"\n\n    size: int = 1\n"
    )})
    problems = [p for p in scan(load_config(tmp_path)).problems if p.code == "docstring"]
    assert problems and all((p.file, p.symbol) == ("conf.py", "conf.Config") for p in problems)


def test_monorepo_src_layouts_load_under_their_import_name(tmp_path: Path) -> None:
    write(tmp_path, {
        "packages/lib/src/lib/__init__.py": 'from lib._impl import Thing\n\n__all__ = ["Thing"]\n',
        "packages/lib/src/lib/_impl.py": 'class Thing:\n    """A thing."""\n',
        "packages/cli/src/libcli/__init__.py": '"""The command line."""\n',
    })
    project = scan(load_config(tmp_path))
    assert {"lib", "lib.Thing", "libcli"} <= ids(project)
    assert project.problems == ()


def test_a_base_that_names_an_attribute_costs_nothing(tmp_path: Path) -> None:
    # `resolved_bases` hands out what the name points at: here an attribute, not a class.
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text('"""P."""\n\nBase = dict\n\n\nclass Settings(Base):\n    """S."""\n')
    project = scan(load_config(tmp_path))
    assert "pkg.Settings" in ids(project)
    assert project.problems == ()


def test_docgen_reads_itself_without_a_problem() -> None:
    # `make site` documents this repository with --strict: any problem here fails it.
    root = Path(__file__).resolve().parents[2]
    project = scan(load_config(root))
    assert [str(problem) for problem in project.problems] == []
    assert {"docgen.build.build", "docgen.problems.Problem", "docgen.scan.ml.MLExtension"} <= ids(project)
