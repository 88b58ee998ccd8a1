"""Text from the code being documented is untrusted: a real `docgen build` of a repository
full of injection vectors, in every language docgen reads, publishes none of them."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from docgen.build import build
from docgen.config import load_config
from docgen.progress import QUIET, Reporter

# Every vector carries XSS in what it would run, so that the theme's own scripts are told
# apart from anything that came from the fixture.
VECTORS = """Summary <script>alert("XSS-script")</script> and <img src=x onerror="alert('XSS-img')">.

<iframe src="javascript:alert('XSS-iframe')"></iframe>

<style>body { background: url("javascript:alert('XSS-style')") }</style>

Links: [md](javascript:alert('XSS-mdlink')), [mixed case](JaVaScRiPt:alert('XSS-case')),
![image](data:text/html;base64,WFNTLWRhdGE=), [vb](vbscript:msgbox('XSS-vb')),
<a href="javascript:alert('XSS-href')" onclick="alert('XSS-onclick')">html link</a>,
<div onmouseover="alert('XSS-div')">hover</div>, <javascript:alert('XSS-autolink')>,
[by reference][xss], *emphasis*{ onclick="alert('XSS-attrlist')" } and <svg onload="alert('XSS-svg')"></svg>.

[xss]: javascript:alert('XSS-reference')
"""

MARKER = "XSS"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "cite", "background", "poster", "data"}


def indent(text: str, prefix: str) -> str:
    return "\n".join((prefix + line).rstrip() for line in text.split("\n"))


def write_fixture(root: Path) -> None:
    """A small repository whose every docstring, doc comment, description and name is hostile."""
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text(f'"""{VECTORS}"""\n')
    (root / "pkg" / "core.py").write_text(
        f'''"""Core module.

{VECTORS}
"""


def run(value: int) -> int:
    """Run <b onclick="alert('XSS-summary')">it</b>.

    {indent(VECTORS, "    ").strip()}

    Args:
        value: The value <img src=x onerror=alert('XSS-param')>.

    Returns:
        Twice <script>alert('XSS-returns')</script> the value.

    Note:
        An admonition <script>alert('XSS-note')</script> [x](javascript:alert('XSS-notelink')).

    Examples:
        >>> run(1)  # <script>alert('XSS-example')</script>
        2
    """
    return value * 2


class Settings:
    """Settings.

    Attributes:
        level: How loud <img src=x onerror=alert('XSS-attribute')>.
    """

    level: int = 1
'''
    )
    # Module names come from file names, which may hold spaces, quotes and braces.
    for name in ["x onclick=alert('XSS-module')", 'q" onmouseover="alert(\'XSS-quote\')', "b{ onclick=alert('XSS-brace') }"]:
        (root / "pkg" / f"{name}.py").write_text('"""A module."""\n\n\ndef f():\n    """F."""\n\n\nX = 1\n')
    comment = indent(VECTORS, " * ")
    (root / "native").mkdir()
    for name, body in {
        "ops.h": "int op_add(int a, int b);\n",
        "tok.hpp": "namespace tok { class Tokenizer { public: int size() const; }; }\n",
        "kern.cu": "__global__ void scale(float *x, float k) { x[threadIdx.x] *= k; }\n",
    }.items():
        (root / "native" / name).write_text(f"/**\n{comment}\n */\n{body}")
    (root / "web").mkdir()
    (root / "web" / "client.js").write_text(f"/**\n{comment}\n */\nexport function send(url) {{ return url; }}\n")
    (root / "web" / "types.ts").write_text(f"/**\n{comment}\n */\nexport interface Options {{ url: string; }}\n")
    (root / "web" / "<img src=x onerror=alert('XSS-filename')>.js").write_text(
        "/** A file with markup in its name. */\nexport function named() {}\n"
    )
    (root / "web" / "<svg onload=alert('XSS-folder')>").mkdir()
    (root / "web" / "<svg onload=alert('XSS-folder')>" / "inside.js").write_text(
        "/** A file in a folder with markup in its name. */\nexport function inside() {}\n"
    )
    (root / "rust" / "src").mkdir(parents=True)
    (root / "rust" / "src" / "lib.rs").write_text(f"{indent(VECTORS, '/// ')}\npub fn add(a: i32) -> i32 {{ a }}\n")
    (root / "go").mkdir()
    (root / "go" / "server.go").write_text(f"{indent(VECTORS, '// ')}\npackage server\n\n{indent(VECTORS, '// ')}\nfunc Start() {{}}\n")
    (root / "api").mkdir()
    (root / "api" / "openapi.yaml").write_text(
        f"""openapi: 3.0.3
info:
  title: "</title><script>alert('XSS-title')</script> API"
  version: "1"
  description: |
{indent(VECTORS, "    ")}
tags:
  - name: "<script>alert('XSS-tag')</script>"
    description: "<img src=x onerror=alert('XSS-tagdescription')>"
paths:
  /items:
    get:
      tags: ["<script>alert('XSS-tag')</script>"]
      summary: "<img src=x onerror=alert('XSS-operation')>"
      description: |
{indent(VECTORS, "        ")}
      parameters:
        - name: q
          in: query
          description: "<script>alert('XSS-query')</script>"
          schema: {{type: string}}
      responses:
        "200":
          description: "[ok](javascript:alert('XSS-response'))"
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Item"}}
components:
  schemas:
    Item:
      description: "<iframe src=javascript:alert('XSS-schema')></iframe>"
      properties:
        id:
          type: string
          description: "<img src=x onerror=alert('XSS-field')>"
"""
    )
    (root / "README.md").write_text("# Hostile\n\nA repository whose code is not to be trusted.\n")
    (root / "docs").mkdir()
    # The user's own page: theirs, published as MkDocs publishes it.
    (root / "docs" / "own.md").write_text("# Own page\n\n<script>window.userOwned = 'USER-SCRIPT';</script>\n")


class Elements(HTMLParser):
    """Every element of a page: tag, attributes, and the text of script and style bodies.

    A browser reads <title> and <textarea> as text up to their end tag (Material writes the
    page title there unescaped): so does this parser, so that only a real breakout counts."""

    CDATA_CONTENT_ELEMENTS = ("script", "style", "title", "textarea")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str]]]] = []
        self.bodies: list[tuple[str, str]] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, [(name, value or "") for name, value in attrs]))
        self._open = tag if tag in ("script", "style") else None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, [(name, value or "") for name, value in attrs]))

    def handle_data(self, data: str) -> None:
        if self._open:
            self.bodies.append((self._open, data))

    def handle_endtag(self, tag: str) -> None:
        self._open = None


def parse(page: Path) -> Elements:
    parser = Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "repo"
    write_fixture(root)
    report = build(load_config(root), reporter=Reporter(QUIET))
    assert report.status == "built"
    return root


def test_every_language_was_documented(hostile: Path) -> None:
    reference = hostile / "docs" / "reference"
    pages = {p.relative_to(reference).as_posix() for p in reference.rglob("*.md")}
    for expected in [
        "pkg/index.md",
        "pkg/core.md",
        "source-files/native/ops.h.md",
        "source-files/native/tok.hpp.md",
        "source-files/native/kern.cu.md",
        "source-files/web/client.js.md",
        "source-files/web/types.ts.md",
        "source-files/web/<img src=x onerror=alert('XSS-filename')>.js.md",
        "source-files/rust/src/lib.rs.md",
        "go/go/index.md",  # the Go package in the folder go/
    ]:
        assert expected in pages, expected
    assert any(page.startswith("http-api/") for page in pages)


def test_no_vector_survives_in_any_html_page(hostile: Path) -> None:
    pages = sorted((hostile / "site").rglob("*.html"))
    assert len(pages) > 10
    found: list[str] = []
    for page in pages:
        shown = page.relative_to(hostile / "site").as_posix()
        elements = parse(page)
        for tag, attrs in elements.elements:
            if tag in ("script", "iframe", "object", "embed", "frame", "base", "form", "meta"):
                if any(MARKER in value for _, value in attrs):
                    found.append(f"{shown}: <{tag}> {attrs}")
            for name, value in attrs:
                if name.startswith("on"):
                    found.append(f"{shown}: <{tag} {name}={value!r}>")
                plain = re.sub(r"[\x00-\x20]", "", value).lower()
                if name in URL_ATTRIBUTES and plain.startswith(("javascript:", "vbscript:", "data:")):
                    found.append(f"{shown}: <{tag} {name}={value!r}>")
                if name == "style" and MARKER in value:
                    found.append(f"{shown}: <{tag} style={value!r}>")
        for tag, body in elements.bodies:
            if MARKER in body:
                found.append(f"{shown}: <{tag}>{body[:80]}")
    assert not found, "\n".join(found[:40])


def test_hostile_pages_have_the_scripts_of_a_clean_build(hostile: Path, tmp_path: Path) -> None:
    # The theme's scripts, and nothing else: a page of the same module, built from clean code.
    clean = tmp_path / "clean"
    (clean / "pkg").mkdir(parents=True)
    (clean / "pkg" / "__init__.py").write_text('"""Package."""\n')
    (clean / "pkg" / "core.py").write_text('"""Core module."""\n\n\ndef run(value: int) -> int:\n    """Run it."""\n')
    assert build(load_config(clean), reporter=Reporter(QUIET)).status == "built"

    def scripts(root: Path) -> list[str]:
        page = parse(root / "site" / "reference" / "pkg" / "core" / "index.html")
        return [Path(dict(attrs).get("src", "inline")).name for tag, attrs in page.elements if tag == "script"]

    assert scripts(hostile) == scripts(clean)


def test_names_with_markup_are_shown_as_text(hostile: Path) -> None:
    site = hostile / "site"
    api_page = next((site / "reference" / "http-api").rglob("index.html"))
    text = api_page.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;XSS-tag&#39;)&lt;" in text or "&lt;script&gt;alert('XSS-tag')&lt;" in text
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    assert title and "<script" not in title.group(1)
    mkdocs_yml = (hostile / "mkdocs.yml").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(&#x27;XSS-filename&#x27;)&gt;.js" in mkdocs_yml
    assert "&lt;svg onload=alert(&#x27;XSS-folder&#x27;)&gt;" in mkdocs_yml
    named = site / "reference" / "source-files" / "web" / "<img src=x onerror=alert('XSS-filename')>.js" / "index.html"
    assert "A file with markup in its name." in named.read_text(encoding="utf-8")
    # The nav shows the name once escaped: MkDocs does not escape nav titles itself.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(&#x27;XSS-filename&#x27;)&gt;.js" in home
    assert "&amp;lt;img" not in home


def test_the_users_own_pages_are_not_sanitized(hostile: Path) -> None:
    own = (hostile / "site" / "own" / "index.html").read_text(encoding="utf-8")
    assert "<script>window.userOwned = 'USER-SCRIPT';</script>" in own


ISOLATED = '''"""Docstrings that leave things open."""


def fence():
    """An unclosed fence.

    ```python
    x = 1
    """


def after_fence():
    """Shown after the fence."""


def division():
    """An unclosed <div> and <b>bold."""


def after_division():
    """Shown after the div."""


def comment():
    """An unclosed <!-- comment.

    <!-- and one on its own line
    """


def after_comment():
    """Shown after the comment."""


def legit():
    """Markdown that must render as written.

    | Name | Meaning |
    | --- | --- |
    | `a or b` | either <br> or |
    | `x < y` | less than, `&amp;` stays |

    See [the docs](https://example.org/docs "Docs") and <https://example.org>.
    A line<br>break, an <abbr title="HyperText">HTML</abbr> abbreviation, `a < b && c`.

    ```python
    if a < b and c & d:
        print("<b>")
    ```
    """
'''


@pytest.fixture(scope="module")
def isolated(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("isolated") / "repo"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text('"""Package."""\n')
    (root / "pkg" / "open.py").write_text(ISOLATED)
    assert build(load_config(root), reporter=Reporter(QUIET)).status == "built"
    return (root / "site" / "reference" / "pkg" / "open" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["after_fence", "after_division", "after_comment"])
def test_what_a_docstring_leaves_open_cannot_swallow_the_next_symbol(isolated: str, name: str) -> None:
    heading = re.search(rf'<h2 id="pkg\.open\.{name}">(.*?)</h2>', isolated, re.S)
    assert heading, f"the heading of {name} is gone"
    assert "<code>" + name + "</code>" in heading.group(1)
    shown = {"after_fence": "fence", "after_division": "div", "after_comment": "comment"}[name]
    # A paragraph of its own: not inside a code block, a comment or a <div>.
    assert f"<p>Shown after the {shown}.</p>" in isolated


def test_unclosed_inline_tags_are_closed_where_they_were_opened(isolated: str) -> None:
    division = isolated.split('id="pkg.open.division"', 1)[1].split('id="pkg.open.after_division"', 1)[0]
    assert division.count("<div") - division.count("</div") <= division.count('<div class="doc-signature')
    assert division.count("<b>") == division.count("</b>") == 1


def test_legitimate_docstring_markdown_still_renders(isolated: str) -> None:
    legit = isolated.split('id="pkg.open.legit"', 1)[1]
    assert "<table>" in legit and "<td><code>x &lt; y</code></td>" in legit
    assert "either <br> or" in legit and "A line<br>break" in legit
    assert '<a href="https://example.org/docs" title="Docs">the docs</a>' in legit
    assert '<a href="https://example.org">https://example.org</a>' in legit
    assert '<abbr title="HyperText">HTML</abbr>' in legit
    assert "<code>a &lt; b &amp;&amp; c</code>" in legit
    assert "<code>&amp;amp;</code>" in legit  # a code span shows an entity as written
    assert "if a &lt; b and c &amp; d:" in legit and "print(&quot;&lt;b&gt;&quot;)" in legit
