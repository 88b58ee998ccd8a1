"""The sanitizer of untrusted text: docstring Markdown stays Markdown, markup that could run
or escape its docstring does not survive, and code is never mangled."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from docgen.config import load_config
from docgen.generate.reference import RenderOptions, render_pages
from docgen.model import Docstring, DocSection, DocItem, Location, Param, Project, Symbol
from docgen.publish.mkdocs_yml import build_nav
from docgen.publish.sanitize import code_span, escape_text, nav_label, safe_url, sanitize_markdown


def rendered(text: str) -> str:
    """What Python-Markdown makes of the sanitized text, with MkDocs' extensions and docgen's."""
    extensions = ["toc", "tables", "fenced_code", "attr_list", "admonition"]
    return markdown.markdown(sanitize_markdown(text), extensions=extensions)


@pytest.mark.parametrize(
    "text",
    [
        "a <script>alert(1)</script> b",
        "<script>\nalert(1)\n</script>",
        '<img src=x onerror="alert(1)">',
        '<img src=x onerror="alert(1)"x>',  # not a tag to CommonMark, one to Python-Markdown
        "\\<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JaVa\tScRiPt:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](java&#115;cript:alert(1))",
        "![x](data:text/html,<script>alert(1)</script>)",
        "[x](vbscript:msgbox(1))",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "text\n[r]: javascript:alert(1)\n\n[x][r]",  # a definition only Python-Markdown reads
        "<javascript:alert(1)>",
        "*em*{ onclick=alert(1) }",
        "Paragraph {: onclick=alert(1) }",
        "## Heading { onclick=alert(1) }",
        "<iframe src=x></iframe>",
        "<style>*{}</style>",
        '<svg onload="alert(1)"></svg>',
        "<div onmouseover=alert(1)>x</div>",
        "``x` [a](javascript:alert(1))`",  # a stray backtick run Python-Markdown could pair
        "- item\n\n      <script>alert(1)</script>",  # code to CommonMark, HTML to Python-Markdown
        "> ```\n> <script>alert(1)</script>\n> ```",
        "text `foo\n<script>alert(1)</script>` end",
        '<a title="`">x</a> `<script>alert(1)</script>`',
        "- [r]```\n\t\t![i](data:x)",  # tabs markdown-it expands: the line cannot be found
        ">1. x<p onclick=alert(1)>\n\t<iframe><style>",
    ],
)
def test_vectors_render_to_nothing_that_runs(text: str) -> None:
    assert unsafe(rendered(text)) == []


def unsafe(page: str) -> list[str]:
    """Elements that run or embed, event handlers and script URLs in a piece of HTML."""
    found: list[str] = []

    class Check(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("script", "iframe", "style", "svg", "object", "embed"):
                found.append(tag)
            for name, value in attrs:
                plain = "".join((value or "").split()).lower()
                if name.startswith("on") or plain.startswith(("javascript:", "vbscript:", "data:")):
                    found.append(f"{tag} {name}={value}")

    Check().feed(page)
    return found


def test_code_is_shown_exactly_as_written() -> None:
    text = "Compare `a < b` and `x & y`.\n\n```python\nif a < b and c & d:\n    print('<b>')\n```\n\n    indented <i>code</i>"
    page = rendered(text)
    assert "<code>a &lt; b</code>" in page and "<code>x &amp; y</code>" in page
    assert "if a &lt; b and c &amp; d:\n    print('&lt;b&gt;')" in page
    assert "indented &lt;i&gt;code&lt;/i&gt;" in page


def test_markdown_stays_markdown() -> None:
    text = (
        "Some *emphasis*, **strong**, a [link](https://example.org \"Title\"), <https://example.org>,\n"
        "a line<br>break, <kbd>Ctrl</kbd>, H<sub>2</sub>O and a &amp; entity.\n\n"
        "| a | b |\n| --- | :-: |\n| `x < y` | <b>bold</b> |\n\n"
        "- one\n- two\n\n> quoted\n"
    )
    page = rendered(text)
    for expected in [
        "<em>emphasis</em>",
        "<strong>strong</strong>",
        '<a href="https://example.org" title="Title">link</a>',
        '<a href="https://example.org">https://example.org</a>',
        "a line<br>break",
        "<kbd>Ctrl</kbd>",
        "H<sub>2</sub>O",
        "a &amp; entity",
        "<td><code>x &lt; y</code></td>",
        "<td style=\"text-align: center;\"><b>bold</b></td>",
        "<li>one</li>",
        "<blockquote>",
    ]:
        assert expected in page, expected
    assert sanitize_markdown("Plain text, `code` and [a link](page.md#anchor).") == (
        "Plain text, `code` and [a link](page.md#anchor)."
    )


def test_unsafe_links_keep_their_text() -> None:
    assert sanitize_markdown("[click me](javascript:alert(1))") == "click me"
    assert sanitize_markdown("![a cat](data:image/png;base64,AAAA)") == "a cat"
    assert sanitize_markdown('<a href="javascript:alert(1)">text</a>') == '<a rel="noopener noreferrer">text</a>'


def test_what_a_docstring_opens_it_closes() -> None:
    assert sanitize_markdown("```python\nx = 1\n").endswith("x = 1\n```")
    assert sanitize_markdown("<div>\nopen").endswith("</div>")
    assert sanitize_markdown("An <b>open tag").endswith("</b>")
    assert sanitize_markdown("An <!-- open comment") == "An &lt;!-- open comment"
    # A fence longer than any backtick run inside, which no line of the code can close.
    assert sanitize_markdown("````\n```\ncode\n````").split("\n")[0] == "````"


def test_indented_text_gets_code_as_html() -> None:
    sanitized = sanitize_markdown("- item\n\n      <b>x</b>\n\n      y", fences=False)
    assert sanitized == "- item\n\n<pre><code>&lt;b&gt;x&lt;/b&gt;&#10;&#10;y</code></pre>"
    body = "\n".join("    " + line if line else "" for line in sanitized.split("\n"))
    page = markdown.markdown(f'!!! note "Note"\n\n{body}\n', extensions=["admonition"])
    assert "&lt;b&gt;x&lt;/b&gt;&#10;&#10;y" in page and "<b>" not in page


def test_safe_urls() -> None:
    for url in ["https://example.org", "page.md#a", "#anchor", "../x/", "mailto:a@b.c", "?q=1", "a/b:c"]:
        assert safe_url(url), url
    for url in ["javascript:alert(1)", " JAVASCRIPT:x", "java\nscript:x", "data:text/html,x", "vbscript:x", "file:///etc", "%6Aavascript:x"]:
        assert not safe_url(url), url


def test_names_are_escaped_for_headings_code_and_nav() -> None:
    assert escape_text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;&#8203;/script&gt;"
    assert escape_text("a *b* [c] {d} `e`") == "a &#42;b&#42; &#91;c&#93; &#123;d&#125; &#96;e&#96;"
    assert code_span("Tokenizer") == "`Tokenizer`"
    assert code_span("<img src=x>.js") == "<code>&lt;img src=x&gt;.js</code>"
    assert code_span("a`b") == "<code>a&#96;b</code>"
    assert nav_label("<img src=x onerror=alert(1)>.js") == "&lt;img src=x onerror=alert(1)&gt;.js"
    # Material writes the title into <title> through `striptags`, which unescapes.
    assert "</title" not in __import__("html").unescape(nav_label("</title><script>"))


def _page(symbol: Symbol) -> str:
    result = render_pages(Project(root=Path("."), name="p", symbols=(symbol,)), RenderOptions())
    return "\n".join(page.markdown for page in result.pages)


def test_the_reference_sanitizes_every_piece_of_prose() -> None:
    bad = "<script>alert(1)</script>"
    docstring = Docstring(
        raw="",
        sections=(
            DocSection("text", text=f"Summary {bad}"),
            DocSection("parameters", items=(DocItem("x", "int", f"param {bad}"),)),
            DocSection("returns", items=(DocItem("", "int", f"returns {bad}"),)),
            DocSection("admonition", text=f"note {bad}", title=f"warning {bad}"),
            DocSection("examples", text=f">>> f()  # {bad}"),
        ),
    )
    function = Symbol(
        "m::f", "f", "function", "javascript", Location("m.js", 2), signature="f(x)",
        docstring=docstring, params=(Param("x", "int"),),
    )
    module = Symbol(
        "m.js", "m.js", "file", "javascript", Location("m.js", 1),
        docstring=Docstring("", (DocSection("text", text=f"File {bad}"),)), children=(function,),
    )
    markdown_text = _page(module)
    assert "<script" not in markdown_text
    assert "alert(1)" not in markdown_text.replace("&lt;script&gt;alert(1)", "")


def test_api_titles_tags_and_file_names_are_text() -> None:
    tag = Symbol("api.yaml::<script>x</script>", "<script>x</script>", "tag", "openapi", Location("api.yaml", 3))
    api = Symbol("api.yaml", "<b>API</b>", "api", "openapi", Location("api.yaml", 1), children=(tag,))
    page = _page(api)
    assert "# &lt;b&gt;API&lt;&#8203;/b&gt;" in page
    assert "# &lt;script&gt;x&lt;&#8203;/script&gt;" in page
    assert "<script" not in page and "<b>" not in page
    named = Symbol("<img src=x onerror=alert(1)>.js", "<img src=x onerror=alert(1)>.js", "file", "javascript",
                   Location("<img src=x onerror=alert(1)>.js"), docstring=Docstring("", (DocSection("text", text="Doc."),)))
    page = _page(named)
    assert "# <code>&lt;img src=x onerror=alert(1)&gt;.js</code>" in page
    assert "(source-files/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.js.md)" in page  # the reference home links it
    assert "<img" not in page


def test_nav_labels_are_escaped(tmp_path: Path) -> None:
    (tmp_path / "x.js").write_text("/** Doc. */\nexport function f() {}\n")
    config = load_config(tmp_path)
    named = Symbol("d<i>/<img src=x>.js", "<img src=x>.js", "file", "javascript", Location("d<i>/<img src=x>.js"),
                   docstring=Docstring("", (DocSection("text", text="Doc."),)))
    api = Symbol("api.yaml", "<b>API</b>", "api", "openapi", Location("api.yaml", 1))
    result = render_pages(Project(root=tmp_path, name="p", symbols=(named, api)), RenderOptions())
    labels: list[str] = []

    def collect(entries: list) -> None:
        for entry in entries:
            if isinstance(entry, dict):
                for label, value in entry.items():
                    labels.append(label)
                    if isinstance(value, list):
                        collect(value)

    collect(build_nav(config, result.pages, ()))
    assert "&lt;img src=x&gt;.js" in labels and "d&lt;i&gt;" in labels
    assert not [label for label in labels if "<" in label]


def test_plain_prose_takes_the_short_way_to_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    import docgen.publish.sanitize as sanitize

    samples = [
        "One line.",
        "\n\nA summary.\n\nA second paragraph, with *emphasis* & an entity &amp; no more.\n\n",
        "- a list\n- of items\n\n> quoted\n\n# Heading\n\n1. one\n2. two",
        "Trailing spaces  \nmake a break.   ",
        " One leading space.",
    ]
    short = [sanitize_markdown(text) for text in samples]
    monkeypatch.setattr(sanitize, "_PLAIN", re.compile(r"[\s\S]"))  # always parse
    assert [sanitize_markdown(text) for text in samples] == short


FRAGMENTS = [
    "`", "``", "```", "~~~", "\n", "\n\n", "    ", "\t", "> ", "- ", "1. ", "| ", "|---|---|\n", "text ",
    "<script>alert(1)</script>", "<script>", "<img src=x onerror=alert(1)>", '<img src=x onerror="alert(1)"x>',
    "<div>", "</div>", "<b>", "<!--", "-->", "[x](javascript:alert(1))", "[x]", "(javascript:alert(1))",
    "[r]: javascript:alert(1)\n", "[r]", "{ onclick=alert(1) }", "*", "\\", "&lt;", "&", "<https://ok.org>",
    "<a href='javascript:alert(1)'>", "</a>", "# ", "<javascript:alert(1)>", "![i](data:x)", "<pre>", "</pre>",
    "<svg onload=alert(1)>", '"', "<", ">", "]", "[", "<style>", "<iframe>", "<video>", "<textarea>", "```python\n",
]


def test_random_mixtures_of_vectors_render_to_nothing_that_runs() -> None:
    import random

    chance = random.Random(20261201)
    for _ in range(300):
        text = "".join(chance.choice(FRAGMENTS) for _ in range(chance.randint(1, 20)))
        indented = "\n".join("    " + line if line else "" for line in sanitize_markdown(text, fences=False).split("\n"))
        cell = " ".join(sanitize_markdown(text).split()).replace("|", "\\|")
        page = (
            f"{sanitize_markdown(text)}\n\n## After {{ #after }}\n\n!!! note \"Note\"\n\n{indented}\n\n"
            f"| a | b |\n| --- | --- |\n| {cell} | x |\n\nThe end.\n"
        )
        html_page = markdown.markdown(page, extensions=["toc", "tables", "fenced_code", "attr_list", "admonition"])
        assert unsafe(html_page) == [], text
        assert 'id="after"' in html_page and "The end." in html_page, text
