"""Reference rendering: a pure function from the model to Markdown, checked against golden files."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from docgen.config import load_config
from docgen.generate.links import LinkIndex, Linker, anchor
from docgen.generate.reference import RenderOptions, render_pages
from docgen.generate.source_view import without_source_blocks
from docgen.model import Location, Project, Symbol
from docgen.scan import scan
from tests.conftest import SAMPLE, SNAPSHOTS

OPTIONS = RenderOptions(repo_url="https://github.com/example/sample", repo_branch="main")


@pytest.fixture(scope="module")
def pages():
    result = render_pages(scan(load_config(SAMPLE)), OPTIONS)
    return {page.path: page for page in result.pages}


def test_every_page_matches_its_golden_file(pages, snapshot) -> None:
    for path, page in pages.items():
        snapshot(f"sample/{path}", page.markdown)


def test_no_golden_file_without_a_page(pages, request) -> None:
    golden = SNAPSHOTS / "sample"
    stale = {p.relative_to(golden).as_posix() for p in golden.rglob("*.md")} - set(pages)
    if request.config.getoption("--snapshot-update"):
        for path in stale:
            (golden / path).unlink()
    else:
        assert not stale, f"golden files for pages no longer rendered: {sorted(stale)}"


def test_pages_per_module_file_and_tag(pages) -> None:
    assert {
        "reference/index.md",
        "reference/sample_pkg/index.md",
        "reference/sample_pkg/tokenizer.md",
        "reference/sample_pkg/models/index.md",
        "reference/sample_pkg/models/gpt.md",
        "reference/train.md",
        "reference/scripts/train.md",
        "reference/source-files/native/kernels.cu.md",
        "reference/go/go/index.md",  # the package in the folder `go/`
    } <= set(pages)
    assert any(path.startswith("reference/http-api/") and not path.endswith("index.md") for path in pages)


def test_private_members_are_left_out_unless_asked(pages) -> None:
    assert "_merge" not in pages["reference/sample_pkg/tokenizer.md"].markdown
    result = render_pages(scan(load_config(SAMPLE)), RenderOptions(show_private=True))
    tokenizer = next(p for p in result.pages if p.path == "reference/sample_pkg/tokenizer.md")
    assert "_merge" in tokenizer.markdown


def test_source_links_use_repo_url(pages) -> None:
    text = pages["reference/sample_pkg/tokenizer.md"].markdown
    assert 'href="https://github.com/example/sample/blob/main/src/sample_pkg/tokenizer.py#L32-L45"' in text


def test_rendering_is_the_same_in_every_process() -> None:
    # Set and dict ordering varies with the hash seed between processes; the incremental
    # build compares page digests across runs, so no page may depend on it.
    script = (
        "from docgen.config import load_config; from docgen.scan import scan; "
        "from docgen.generate.reference import RenderOptions, render_pages; "
        f"print([p.digest for p in render_pages(scan(load_config(__import__('pathlib').Path({str(SAMPLE)!r}))), RenderOptions()).pages])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def _linker(*symbols: Symbol, imports: dict[str, str] | None = None) -> Linker:
    index = LinkIndex()
    for symbol in symbols:
        index.add(symbol, "reference/pkg/mod.md" if "::" not in symbol.id else "reference/source-files/a.c.md", False)
    return Linker(index, "reference/pkg/other.md", [], imports or {})


def _symbol(symbol_id: str, bases: tuple[str, ...] = ()) -> Symbol:
    return Symbol(symbol_id, symbol_id.rsplit(".", 1)[-1], "class", "python", Location("x.py"), bases=bases)


def test_annotations_link_each_resolvable_name() -> None:
    linker = _linker(_symbol("pkg.mod.Config"), imports={"Cfg": "pkg.mod.Config"})
    # Raw HTML with directory URLs: safe in table cells, linked inside the code.
    assert linker.code("list[Cfg] | None") == (
        '<code>list&#91;<a href="../mod/#pkg.mod.Config">Cfg</a>&#93; &#124; None</code>'
    )
    assert linker.code("Literal['<s>', '*']") == "<code>Literal&#91;'&lt;s&gt;', '&#42;'&#93;</code>"


def test_prose_links_backticks_and_roles_but_not_code_blocks() -> None:
    linker = _linker(_symbol("pkg.mod.Config"))
    text = "Use `Config` or :class:`~pkg.mod.Config`.\n```\n`Config`\n```"
    assert linker.prose(text) == (
        "Use [`Config`](mod.md#pkg.mod.Config) or [`Config`](mod.md#pkg.mod.Config).\n```\n`Config`\n```"
    )


def test_explicit_references_and_broken_ones() -> None:
    linker = _linker(_symbol("pkg.mod.Config"))
    assert linker.prose("[the config][pkg.mod.Config]") == "[the config](mod.md#pkg.mod.Config)"
    assert linker.prose("[gone][pkg.mod.Gone] and `pkg.nothing`") == "gone and `pkg.nothing`"
    assert [str(problem) for problem in linker.index.broken.values()] == [
        "reference/pkg/other.md: unresolved reference [gone][pkg.mod.Gone]",
        "reference/pkg/other.md: unresolved reference `pkg.nothing`",
    ]


def test_inherited_members_resolve_through_bases() -> None:
    base, child = _symbol("pkg.mod.Base"), _symbol("pkg.mod.Child", bases=("pkg.mod.Base",))
    method = Symbol("pkg.mod.Base.run", "run", "method", "python", Location("x.py"))
    linker = _linker(base, child, method)
    assert linker.prose("`pkg.mod.Child.run`") == "[`pkg.mod.Child.run`](mod.md#pkg.mod.Base.run)"


def test_non_python_anchors_are_css_safe() -> None:
    assert anchor("native/tok.cpp::tok::Tokenizer::encode") == "tok-Tokenizer-encode"
    assert anchor("pkg.mod.Class") == "pkg.mod.Class"
    # A module named after a file with spaces, quotes or braces cannot add attributes.
    assert anchor('pkg.x" onclick="alert(1).f') == "pkg.x-onclick-alert-1-.f"
    assert anchor("pkg.b{ onclick=x }.f") == "pkg.b-onclick-x-.f"


def test_empty_project_renders_only_the_reference_home() -> None:
    result = render_pages(Project(root=SAMPLE, name="empty"), OPTIONS)
    assert [page.path for page in result.pages] == ["reference/index.md"]


def test_pages_never_collide(tmp_path) -> None:
    # A module named `index`, a package named like the other sections, tags that slug alike.
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text('"""Package."""\n')
    (tmp_path / "pkg" / "index.py").write_text('"""Index module."""\n')
    (tmp_path / "index.py").write_text('"""Top index module."""\n')
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "__init__.py").write_text('"""Named like the source-files section."""\n')
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths:\n"
        "  /a: {get: {tags: [Models], responses: {'200': {description: ok}}}}\n"
        "  /b: {get: {tags: [models], responses: {'200': {description: ok}}}}\n"
    )
    result = render_pages(scan(load_config(tmp_path)), RenderOptions())
    by_path = {page.path: page.symbol_id for page in result.pages}
    assert by_path["reference/pkg/index.md"] == "pkg"
    assert by_path["reference/pkg/index/index.md"] == "pkg.index"
    assert by_path["reference/index/index.md"] == "index"
    assert by_path["reference/index.md"] == ""  # the reference's own home
    assert by_path["reference/source/index.md"] == "source"
    tags = sorted(path for path in by_path if path.startswith("reference/http-api/") and not path.endswith("index.md"))
    assert tags == ["reference/http-api/api.yaml/models-2.md", "reference/http-api/api.yaml/models.md"]


def test_references_inside_code_spans_are_code() -> None:
    linker = _linker(_symbol("pkg.mod.Config"))
    assert linker.prose("Write `[text][id]` to link.") == "Write `[text][id]` to link."
    assert not linker.index.broken


def test_defaults_and_string_literals_are_never_links(tmp_path) -> None:
    (tmp_path / "codec.py").write_text(
        "from typing import Literal\n\n"
        "class json:\n    \"\"\"A format.\"\"\"\n\n"
        "DEFAULT = json()\n\n"
        "def dump(value: json, mode: Literal['json', 'text'] = 'json', fmt: json = DEFAULT, other=json) -> json:\n"
        "    \"\"\"Dump.\"\"\"\n"
    )
    page = {p.path: p.markdown for p in render_pages(scan(load_config(tmp_path)), RenderOptions()).pages}["reference/codec.md"]
    block = page[page.index('<div class="doc-signature', page.index("{ #codec.dump }")) :].split("</div>", 1)[0]
    assert block.count('<a href="#codec.json">json</a>') == 3, block  # value, fmt and the return type
    assert "'json'" in block and "= DEFAULT" in block and "=json" in block


def test_rust_lifetimes_are_not_string_literals() -> None:
    text = Symbol("lib.rs::Text", "Text", "struct", "rust", Location("lib.rs", 3, 4))
    function = Symbol(
        "lib.rs::split", "split", "function", "rust", Location("lib.rs", 1, 2),
        signature="pub fn split<'a>(text: &'a Text, rest: &'a Text) -> &'a Text",
    )
    index = LinkIndex()
    for symbol in (text, function):
        index.add(symbol, "reference/source-files/lib.rs.md", False)
    linker = Linker(index, "reference/source-files/lib.rs.md", [function], {})
    assert linker.html(function.signature, frozenset({"split", "text", "rest"})).count(">Text</a>") == 3


def _edited(project: Project, symbol_id: str, **changes) -> Project:
    """`project` with one symbol changed (and its ancestors rebuilt around it)."""
    from dataclasses import replace

    def rebuild(symbol: Symbol) -> Symbol:
        if symbol.id == symbol_id:
            return replace(symbol, **changes)
        children = tuple(rebuild(child) for child in symbol.children)
        return symbol if children == symbol.children else replace(symbol, children=children)

    return replace(project, symbols=tuple(rebuild(symbol) for symbol in project.symbols))


def _docstring(text: str):
    from docgen.model import DocSection, Docstring

    return Docstring(text, (DocSection("text", text),), 1)


@pytest.mark.parametrize(
    "change",
    ["docstring", "lines moved", "a link target gone", "options"],
)
def test_pages_reused_from_an_earlier_render_are_what_a_fresh_render_gives(change: str) -> None:
    project = scan(load_config(SAMPLE))
    options = OPTIONS
    if change == "docstring":
        edited = _edited(project, "sample_pkg.tokenizer.Tokenizer.encode", docstring=_docstring("Now see `load`."))
    elif change == "lines moved":
        edited = _edited(project, "sample_pkg.tokenizer.Tokenizer.encode", location=Location("src/sample_pkg/tokenizer.py", 90, 95))
    elif change == "a link target gone":  # other pages' links to it must break
        edited = _edited(project, "sample_pkg.load", public=False)
    else:
        edited, options = project, RenderOptions(repo_url="https://example.org/other", repo_branch="dev")
    earlier = render_pages(project, OPTIONS)
    reused = render_pages(edited, options, reuse={kept.page.path: kept for kept in earlier.rendered})
    fresh = render_pages(edited, options)
    assert reused.pages == fresh.pages
    assert sorted(reused.broken_references, key=repr) == sorted(fresh.broken_references, key=repr)
    assert reused.pages != earlier.pages


def test_a_page_whose_key_matches_is_reused_as_it_is() -> None:
    from dataclasses import replace

    project = scan(load_config(SAMPLE))
    earlier = render_pages(project, OPTIONS)
    marked = {kept.page.path: replace(kept, page=replace(kept.page, markdown="kept\n")) for kept in earlier.rendered}
    edited = _edited(project, "sample_pkg.tokenizer.Tokenizer.encode", docstring=_docstring("Changed."))
    pages = {page.path: page.markdown for page in render_pages(edited, OPTIONS, reuse=marked).pages}
    assert pages["reference/sample_pkg/models/gpt.md"] == "kept\n"  # nothing on it changed
    assert "Changed." in pages["reference/sample_pkg/tokenizer.md"]


def _source_project(root):
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text('"""Package."""\n')
    (root / "pkg" / "mod.py").write_text(
        '"""Module."""\n\n\nclass Shop:\n    """A shop."""\n\n    def pay(self, amount: int) -> int:\n'
        '        """Pay `amount`."""\n        return amount * 2  # <script>alert(1)</script>\n'
    )
    return scan(load_config(root))


def test_show_source_adds_each_symbols_highlighted_lines_in_a_closed_block(tmp_path) -> None:
    project = _source_project(tmp_path)
    page = {p.path: p.markdown for p in render_pages(project, RenderOptions(source_root=tmp_path)).pages}["reference/pkg/mod.md"]
    blocks = re.findall(r'<details class="quote doc-source">.*?</details>', page, flags=re.S)
    assert len(blocks) == 2  # the class and its method; not the module, which is the page
    method = blocks[1]
    assert "<summary>Source code in <code>pkg/mod.py:7-9</code></summary>" in method
    assert "<pre>7\n8\n9</pre>" in method and '<span class="k">def</span>' in method  # numbered, highlighted
    assert "<script>" not in page and "&lt;script&gt;" in method  # the source is text, escaped
    plain = {p.path: p.markdown for p in render_pages(project, RenderOptions()).pages}["reference/pkg/mod.md"]
    assert "doc-source" not in plain
    assert without_source_blocks(page).rstrip() == plain.rstrip()  # what llms-full.txt holds of the page


def test_a_changed_body_renders_its_page_again_when_the_source_is_shown(tmp_path) -> None:
    project = _source_project(tmp_path)
    options = RenderOptions(source_root=tmp_path)
    earlier = render_pages(project, options)
    module = tmp_path / "pkg" / "mod.py"
    module.write_text(module.read_text().replace("amount * 2", "amount * 3"))  # same lines, same signature
    again = scan(load_config(tmp_path))
    reused = {p.path: p.markdown for p in render_pages(again, options, reuse={k.page.path: k for k in earlier.rendered}).pages}
    assert 'amount <span class="o">*</span> <span class="mi">3</span>' in reused["reference/pkg/mod.md"]


def test_source_outside_the_project_is_never_shown(tmp_path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("SECRET = 1\n" * 20)
    root = tmp_path / "project"
    project = _source_project(root)
    from docgen.generate.source_view import SourceFiles, source_block

    files = SourceFiles(root)
    assert source_block(Location("../outside.py", 1, 5), files) == ""
    (root / "link.py").symlink_to(outside)
    assert source_block(Location("link.py", 1, 5), files) == ""
    assert "SECRET" not in "".join(p.markdown for p in render_pages(project, RenderOptions(source_root=root)).pages)
