"""Source blocks (`show_source`) from real scans: the lines each parser counts, decorators,
members shown apart, and files that are odd or hostile."""

from __future__ import annotations

import re
from pathlib import Path

from docgen.config import load_config
from docgen.generate.reference import RenderOptions, render_pages
from docgen.generate.source_view import SourceFiles, source_block
from docgen.model import Location
from docgen.scan import scan


def pages(root: Path) -> dict[str, str]:
    return {page.path: page.markdown for page in render_pages(scan(load_config(root)), RenderOptions(source_root=root)).pages}


def blocks(markdown: str) -> list[tuple[list[str], str]]:
    """Each block's line numbers (⋮ for a gap) and its code as text."""
    found = []
    for block in re.findall(r'<details class="quote doc-source">(.*?)</details>', markdown, flags=re.S):
        numbers = block.split('<div class="linenodiv"><pre>')[1].split("</pre>")[0].split("\n")
        code = block.split("<code>", 2)[2].split("</code>")[0]
        found.append((numbers, re.sub(r"<[^>]+>", "", code)))
    return found


def package_blocks(root: Path, source: str) -> list[tuple[list[str], str]]:
    """The blocks of the page of a package `pkg` whose `__init__.py` is `source`."""
    (root / "pkg").mkdir(exist_ok=True)
    (root / "pkg" / "__init__.py").write_text(source)
    return blocks(pages(root)["reference/pkg/index.md"])


def test_a_property_shows_its_decorator_and_a_class_marks_every_gap(tmp_path: Path) -> None:
    (numbers, code), *members = package_blocks(
        tmp_path,
        '"""P."""\n\n\nclass A:\n    """A."""\n\n    X = 1\n\n    @property\n    def size(self) -> int:\n'
        '        """Size."""\n        return 1\n\n    def one(self): return 1\n',
    )
    assert numbers == ["4", "5", "6", "7", "8", "⋮"]  # the members' lines, and the blank line between them: one gap
    shown = {tuple(n) for n, _ in members}
    assert ("9", "10", "11", "12") in shown  # `@property` with its `def` (griffe starts it at the `def`)
    assert ("14",) in shown  # a one-line method has its block too
    assert "@property" in next(text for n, text in members if n[0] == "9")


def test_lines_are_counted_as_each_parser_counts_them(tmp_path: Path) -> None:
    # tree-sitter counts only \n: a lone \r inside a C comment is no line break.
    (tmp_path / "sum.c").write_bytes(b"/** Old\rcomment. */\nint x;\n\n/** Sum. */\nint sum(int a) {\n    return a;\n}\n")
    # YAML counts \u2028 as a break: the spec's operation is where its parser says.
    (tmp_path / "openapi.yaml").write_text(
        'openapi: 3.0.0\ninfo: {title: T, version: "1", description: "a\u2028b\u2028c"}\npaths:\n'
        "  /items:\n    get:\n      summary: List.\n      responses: {'200': {description: ok}}\n",
        encoding="utf-8",
    )
    rendered = pages(tmp_path)  # before: IndexError on the spec, and the C block shifted a line
    (numbers, code), = [b for b in blocks(next(v for k, v in rendered.items() if k.endswith("sum.c.md"))) if "sum" in b[1]]
    assert numbers == ["4", "5", "6", "7"]  # with its doc comment
    assert code.splitlines() == ["/** Sum. */", "int sum(int a) {", "    return a;", "}"]
    assert "\r" not in "".join(rendered.values())


def test_a_location_past_the_files_end_shows_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\ny = 2\n")
    files = SourceFiles(tmp_path)
    assert source_block(Location("a.py", 2, 40), files) == ""
    assert source_block(Location("a.py", 1, 2), files).count("\n") > 2


def test_hostile_source_is_text(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('def f():\n    """</details></code></pre><script>alert(1)</script>"""\n')
    block = source_block(Location("a.py", 1, 2), SourceFiles(tmp_path))
    assert block.count("</details>") == 1 and "<script>" not in block and "&lt;/details&gt;" in block


def test_decorators_doc_comments_and_attributes_go_with_their_item(tmp_path: Path) -> None:
    (numbers, _), *members = package_blocks(
        tmp_path,
        '"""P."""\n\n\nclass A:\n    """A."""\n\n    def first(self) -> int:\n        """First."""\n        return (1)\n\n'
        '    @deco(\n        "multi-line",\n        flag=True,\n    )\n    @property\n    def size(self) -> int:\n        """Size."""\n        return 1\n',
    )
    assert numbers == ["4", "5", "6", "⋮"]
    assert [n for n, _ in members][1][:2] == ["11", "12"]  # `@deco(` opens the property's block
    (tmp_path / "pkg" / "__init__.py").unlink()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "demo"\nversion = "0.1.0"\n')
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lib.rs").write_text(
        "//! Demo.\n\n/// A level.\n#[derive(Debug)]\npub enum Level {\n    Low,\n}\n\nimpl Level {\n"
        "    /// The lowest.\n    #[inline]\n    pub fn low() -> Level {\n        Level::Low\n    }\n}\n"
    )
    rendered = "".join(pages(tmp_path).values())
    shown = {tuple(n): code for n, code in blocks(rendered)}
    assert ("3", "4", "5", "6", "7") in shown  # the enum with its doc comment and attributes
    assert any(n[:3] == ("10", "11", "12") and "#[inline]" in code for n, code in shown.items())
    assert not any("⋮" in n and n[-2] in ("10", "11") for n in shown)  # nothing of `low` left behind in the impl


def test_tabs_are_shown_as_spaces_and_dedented(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("class A:\n\tdef f(self):\n\t\treturn 1\n")
    block = source_block(Location("a.py", 2, 3), SourceFiles(tmp_path))
    code = re.sub(r"<[^>]+>", "", block.split("<code>", 2)[2].split("</code>")[0])
    assert code.split("\n")[:2] == ["def f(self):", "    return 1"]
