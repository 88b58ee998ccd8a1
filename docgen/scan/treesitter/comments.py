"""Doc comments: which comments document a declaration, and what they say.

Comment markers and leading `*`s are cleaned off; Doxygen and JSDoc/TSDoc text is split by
its tags (`@param`, `@return`, `@throws`, `@example`, admonitions such as `@note`) into the
sections of a `Docstring`, with `{@link X}` and `@p x` turned into Markdown; Rust and Go doc
comments are Markdown already, so they become one text section (plus Rust's `# Examples`).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from docgen.model import DocItem, DocSection, Docstring

_FILE_TAGS = {
    "doxygen": re.compile(r"[@\\]file\b"),
    "jsdoc": re.compile(r"@(file|fileoverview|overview|module|packageDocumentation)\b"),
}


# `//` lines that are no prose: tool directives, rulers, closing-brace labels.
_NOT_PROSE = re.compile(r"//\s*(?:NOLINT|clang-format|IWYU|cppcheck|namespace\b|end(?:if)?\b|#|[-=*_~+#/]{3,})", re.IGNORECASE)


def _is_doc(text: str, style: str) -> bool:
    """Whether a comment is a doc comment in `style` (an outer one, for Rust). In C and
    C++ a plain `//` block directly above a declaration documents it, as in many headers
    that use nothing else; `/* */` stays a plain comment."""
    if style == "go":
        return True
    if text.startswith(("/***", "/**/", "////")) or re.match(r"(///|//!|/\*\*|/\*!)<", text):
        return False  # banners and trailing member docs
    if style == "jsdoc":
        return text.startswith("/**")
    if style == "rust":
        return text.startswith(("///", "/**"))
    if text.startswith("//") and not text.startswith(("///", "//!")):
        return is_plain_line_doc(text)
    return text.startswith(("/**", "/*!", "///", "//!"))


def is_plain_line_doc(text: str) -> bool:
    """Whether a plain `//` comment reads as documentation (not a directive or a ruler)."""
    return text.startswith("//") and not _NOT_PROSE.match(text) and bool(text[2:].strip())


def _is_inner_doc(text: str) -> bool:
    return text.startswith(("//!", "/*!"))


def _is_file_doc(text: str, style: str) -> bool:
    tag = _FILE_TAGS.get(style)
    return tag is not None and _is_doc(text, style) and bool(tag.search(text))


def _clean_comments(texts: list[str], style: str) -> str:
    """Comment texts without markers or leading `*`s, dedented, as one string."""
    parts, run = [], []
    for text in texts:
        if text.startswith("/*"):
            parts.append(_clean_lines(run, style))
            run = []
            parts.append(_clean_block(text))
        else:
            run.append(text.rstrip("\n"))
    parts.append(_clean_lines(run, style))
    return "\n".join(part for part in parts if part).strip("\n")


def _clean_block(text: str) -> str:
    body = text[3:] if text[2:3] in ("*", "!") else text[2:]
    body = body.removesuffix("*/").removeprefix("<")
    first, *rest = body.split("\n")
    if all(line.lstrip().startswith("*") or not line.strip() for line in rest):
        rest = [re.sub(r"^\s*\*", "", line) for line in rest]
    return _tidy([first.strip()] + textwrap.dedent("\n".join(rest)).split("\n"))


_GO_DIRECTIVE = re.compile(r"\s*//[a-z0-9]+:\S")
_LINE_MARKER = re.compile(r"^[ \t]*//[/!]?<?", re.MULTILINE)


def _clean_lines(lines: list[str], style: str) -> str:
    if style == "go":  # `//go:generate` and friends are directives, not documentation
        lines = [line for line in lines if not _GO_DIRECTIVE.match(line)]
    return _tidy(textwrap.dedent(_LINE_MARKER.sub("", "\n".join(lines))).split("\n"))


def _tidy(lines: list[str]) -> str:
    return "\n".join(line.rstrip() for line in lines).strip("\n")


# Doxygen and JSDoc tags: which section each one feeds.
_PARAM_TAGS = frozenset({"param", "arg", "argument"})
_TYPE_PARAM_TAGS = frozenset({"tparam", "template", "typeparam"})
_RETURN_TAGS = frozenset({"return", "returns", "result", "retval"})
_RAISE_TAGS = frozenset({"throws", "throw", "exception", "exceptions"})
_EXAMPLE_TAGS = frozenset({"example", "examples"})
_ADMONITIONS = {
    "note": "Note",
    "remark": "Remarks",
    "remarks": "Remarks",
    "warning": "Warning",
    "attention": "Attention",
    "deprecated": "Deprecated",
    "see": "See also",
    "sa": "See also",
    "pre": "Precondition",
    "post": "Postcondition",
    "invariant": "Invariant",
}
_SEE_TAGS = frozenset({"see", "sa"})
_BRIEF_TAGS = frozenset({"brief", "short", "details", "description", "desc", "summary"})
# Tags whose text is the file's description in JSDoc; Doxygen's `\file` takes a file name.
_JSDOC_TEXT_TAGS = frozenset({"file", "fileoverview", "overview"})
# Metadata tags that say nothing a reader of the page needs.
# fmt: off
_DROPPED_TAGS = frozenset({
    "file", "module", "packagedocumentation", "author", "version", "since", "date", "copyright",
    "license", "internal", "public", "private", "protected", "hidden", "ingroup", "defgroup",
    "addtogroup", "name", "class", "struct", "fn", "var", "typedef", "type", "memberof",
    "namespace", "alpha", "beta", "experimental", "override", "virtual", "readonly", "async",
    "static", "inheritdoc", "callback", "property", "prop", "exports", "function", "func", "method",
    "constructor", "interface", "implements", "extends", "augments", "enum", "const", "constant",
    "lends", "abstract", "access", "ignore", "kind", "package", "headerfile",
})
# fmt: on
# `@p name`, `\c value`, `@a arg`: a word set in code font (a final full stop is prose).
_DOXYGEN_CODE_WORD = re.compile(r"(?<![\w`])[@\\][pca]\s+(\w+(?:(?:::|\.)\w+)*(?:\(\))?)")
_TAG_LINE = re.compile(r"^[@\\](\w+)(?:\[[^\]]*\])?(?:\s+|$)(.*)$")


@dataclass
class _Tag:
    name: str
    lines: list[str]

    @property
    def body(self) -> str:
        """The tag's text with continuation lines unindented, paragraphs and code kept
        (examples use `lines`)."""
        if not self.lines:
            return ""
        return (self.lines[0].strip() + "\n" + textwrap.dedent("\n".join(self.lines[1:]))).strip()


def _tagged_docstring(raw: str, style: str, fence: str) -> Docstring:
    """Doxygen or JSDoc/TSDoc text split into text, parameters, returns, raises, examples."""
    text, brief, tags = _split_tags(_code_blocks(raw, fence), style)
    sections = []
    free = _BLANK_RUN.sub("\n\n", _inline_markup("\n".join(text), style)).strip()
    lead = "\n".join(brief).strip()
    body = "\n\n".join(part for part in (_inline_markup(lead, style), free) if part)
    if body:
        sections.append(DocSection("text", body))
    params = tuple(_param_item(tag.body, style) for tag in tags if tag.name in _PARAM_TAGS)
    if params:
        sections.append(DocSection("parameters", items=params))
    type_params = tuple(_param_item(tag.body, style) for tag in tags if tag.name in _TYPE_PARAM_TAGS)
    if type_params:
        title = "Template parameters" if style == "doxygen" else "Type parameters"
        sections.append(DocSection("other parameters", items=type_params, title=title))
    returns = tuple(_return_item(tag, style) for tag in tags if tag.name in _RETURN_TAGS)
    if returns:
        sections.append(DocSection("returns", items=returns))
    raises = tuple(_raise_item(tag.body, style) for tag in tags if tag.name in _RAISE_TAGS)
    if raises:
        sections.append(DocSection("raises", items=raises))
    see = [_see_also(tag.body, style) for tag in tags if tag.name in _SEE_TAGS and tag.body]
    for tag in tags:
        if tag.name in _ADMONITIONS and tag.name not in _SEE_TAGS:
            sections.append(DocSection("admonition", _inline_markup(tag.body, style), title=_ADMONITIONS[tag.name]))
    if see:  # every `@see` in one box
        body = see[0] if len(see) == 1 else "\n".join(f"- {item}" for item in see)
        sections.append(DocSection("admonition", body, title=_ADMONITIONS["see"]))
    for tag in tags:
        if tag.name in _EXAMPLE_TAGS:
            sections.append(_example_section(tag, fence))
    return Docstring(raw, tuple(sections))


def _code_blocks(raw: str, fence: str) -> list[str]:
    """Lines with Doxygen `@code{.cpp}` ... `@endcode` turned into Markdown fences."""
    lines = []
    for line in raw.split("\n"):
        match = re.match(r"^(\s*)[@\\]code(?:\{\.?(\w+)\})?\s*$", line)
        if match:  # without a language, Doxygen highlights code as the file's own language
            lines.append(f"{match.group(1)}```{match.group(2) or fence}")
        elif re.match(r"^\s*[@\\]endcode\s*$", line):
            lines.append(re.sub(r"[@\\]endcode", "```", line))
        else:
            lines.append(line)
    return lines


def _split_tags(lines: list[str], style: str) -> tuple[list[str], list[str], list[_Tag]]:
    """(free text lines, @brief lines, tags in order); fenced code is never read as tags."""
    text: list[str] = []
    brief: list[str] = []
    tags: list[_Tag] = []
    current: _Tag | None = None  # the tag still collecting lines
    target = text
    in_fence = False
    for line in lines:
        stripped = line.strip()
        match = None if in_fence else _TAG_LINE.match(stripped)
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        if match:
            current, target = _start_tag(match.group(1).lower(), match.group(2), style, text, brief, tags)
            continue
        if not stripped and not in_fence and current is not None and (style == "jsdoc" or current.name in _EXAMPLE_TAGS):
            current.lines.append("")  # a JSDoc tag runs to the next tag, paragraphs and all
            continue
        if not stripped and not in_fence:
            current, target = None, text  # in Doxygen a blank line ends a tag's (or the brief's) paragraph
            text.append("")
            continue
        if current is not None:
            current.lines.append(line)
        else:
            target.append(line)
    return text, brief, tags


def _start_tag(
    name: str, rest: str, style: str, text: list[str], brief: list[str], tags: list[_Tag]
) -> tuple[_Tag | None, list[str]]:
    """Route a tag line: to the brief, the free text, a new tag, or nowhere."""
    if name in _BRIEF_TAGS or (style == "jsdoc" and name in _JSDOC_TEXT_TAGS):
        target = brief if name in ("brief", "short") else text
        if rest:
            target.append(rest)
        return None, target
    known = _PARAM_TAGS | _TYPE_PARAM_TAGS | _RETURN_TAGS | _RAISE_TAGS | _EXAMPLE_TAGS
    if name in known or name in _ADMONITIONS:
        tag = _Tag(name, [rest] if rest else [])
        tags.append(tag)
        return tag, text
    if name not in _DROPPED_TAGS:
        text.append(f"@{name} {rest}".rstrip())  # not a tag we know: keep what was written
    return None, text


def _braced_type(body: str) -> tuple[str, str]:
    """Split a leading JSDoc `{type}` (braces may nest) off `body`."""
    if not body.startswith("{"):
        return "", body
    depth = 0
    for index, char in enumerate(body):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            annotation = body[1:index].strip().removeprefix("@link").strip()
            return annotation, body[index + 1 :].strip()
    return "", body


def _param_item(body: str, style: str) -> DocItem:
    """`{type} name desc`, `[name=default] desc`, `name - desc` (TSDoc) or `name desc`."""
    annotation, body = _braced_type(body)
    match = re.match(r"(\[[^\]]*\]|\.{3}[\w$]*|[\w$.]+)\s*(?:-\s+|-$)?(.*)", body, re.DOTALL)
    if not match:
        return DocItem(annotation=annotation, description=_inline_markup(body, style))
    name, description = match.group(1), match.group(2)
    default = ""
    if name.startswith("["):
        name, _, default = name[1:-1].partition("=")
    return DocItem(name.strip(), annotation, _inline_markup(description.strip(), style), default.strip())


def _return_item(tag: _Tag, style: str) -> DocItem:
    annotation, body = _braced_type(tag.body)
    if tag.name == "retval":  # `\retval 0 on success`: the value is named first
        value, _, body = body.partition(" ")
        return DocItem(name=value, description=_inline_markup(body.strip(), style))
    return DocItem(annotation=annotation, description=_inline_markup(body, style))


def _raise_item(body: str, style: str) -> DocItem:
    annotation, body = _braced_type(body)
    if not annotation and style == "doxygen":  # `@throws std::runtime_error if ...`
        annotation, _, body = body.partition(" ")
    return DocItem(annotation=annotation, description=_inline_markup(body.strip(), style))


def _example_section(tag: _Tag, fence: str) -> DocSection:
    """An `@example`: its code, fenced for Markdown unless the author fenced it already."""
    lines = list(tag.lines)
    title = ""
    if lines and (caption := re.match(r"\s*<caption>(.*?)</caption>\s*(.*)", lines[0])):
        title = caption.group(1).strip()
        lines[0] = caption.group(2)
    code = textwrap.dedent("\n".join(lines)).strip("\n")
    if "```" not in code:
        code = f"```{fence}\n{code}\n```"
    return DocSection("examples", code, title=title)


def _inline_markup(text: str, style: str) -> str:
    """JSDoc `{@link X}` and Doxygen `\\ref X` as docgen's cross-references (`[label][X]`,
    which `--strict` holds to resolve, as in every language), links to URLs as Markdown
    links, and Doxygen `@p x`/`@c x` as code spans; code fences are left alone."""
    out = []
    in_fence = False
    for line in text.split("\n"):
        if line.strip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence:
            line = _JSDOC_LINK.sub(lambda m: _link(m.group("target"), m.group("text")), line)
            if style == "doxygen":
                line = _DOXYGEN_REF.sub(lambda m: _link(m.group("target"), m.group("text")), line)
                line = _DOXYGEN_CODE_WORD.sub(r"`\1`", line)
        out.append(line)
    return "\n".join(out)


# `{@link Target}`, `{@link Target|text}`, `{@link Target text}` (and `@linkcode`, `@linkplain`).
_JSDOC_LINK = re.compile(r"\{@(?:link|linkcode|linkplain)\s++(?P<target>[^}|\s]++)\s*+(?:\|\s*+)?(?P<text>[^}]*+)\}")  # possessive: linear
# `\ref name`, `@ref name "text"`.
_DOXYGEN_REF = re.compile(r"(?<![\w`])[@\\]ref\s+(?P<target>[A-Za-z_]\w*(?:(?:::|\.|#)~?[A-Za-z_]\w*)*(?:\(\))?)(?:\s+\"(?P<text>[^\"\n]*)\")?")
_URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+")
# A code name docgen can look up: `Client`, `Client#send`, `ns::f()`, `module:foo.bar`.
_LINKABLE = re.compile(r"(?:module:)?[A-Za-z_$][\w$]*(?:(?:\.|#|::)~?[A-Za-z_$][\w$]*)*(?:\(\))?")


def _link(target: str, text: str | None) -> str:
    """One link as docgen's Markdown: to a URL, or to a code name as a cross-reference
    (`Class#method`, JSDoc for an instance member, is looked up as `Class.method`)."""
    text = (text or "").strip()
    if _URL.fullmatch(target):
        return f"[{text}]({target})" if text else f"<{target}>"
    if not _LINKABLE.fullmatch(target):
        return text or f"`{target}`"
    name = target.removeprefix("module:").replace("#", ".").removesuffix("()")
    return f"[{text}][{name}]" if text else f"[`{target.removeprefix('module:')}`][{name}]"


def _see_also(body: str, style: str) -> str:
    """A `@see`/`\\sa` body: a list of code names becomes their links; anything else (a
    sentence, a `{@link}`) is read as text."""
    names = [name.strip() for name in body.split(",")]
    if all(_LINKABLE.fullmatch(name) for name in names):
        return ", ".join(_link(name, None) for name in names)
    return _inline_markup(body, style)


def _markdown_docstring(raw: str, style: str) -> Docstring:
    """Markdown doc comments (Rust, Go): one text section, with doc links written as docgen
    resolves them. In Rust, `# Examples` is split out and every other heading (`# Panics`,
    `# Errors`, `# Safety`) becomes a titled section nested under its symbol. Link
    definitions (`[label]: url`) serve the whole comment, whichever section they end."""
    definitions = {label.lower(): target for label, target in _DEFINITION.findall(raw)}
    if style == "go":  # no sections: the text, links rewritten
        body = go_doc_links(raw, definitions)
        return Docstring(raw, (DocSection("text", body),) if body else ())
    text: list[str] = []
    titled: list[tuple[str, list[str]]] = []  # (title, lines)
    example: list[str] = []
    in_fence = False
    current = text
    level = 0
    for line in raw.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence and (heading := re.match(r"^(#{1,6})\s+(.*?)\s*#*$", line)):
            depth, title = len(heading.group(1)), heading.group(2)
            if current is not text and depth > level:
                pass  # a sub-heading of the section: kept in it, as written
            elif title.lower() in ("example", "examples"):
                current, level = example, depth
                continue
            else:
                titled.append((title, []))
                current, level = titled[-1][1], depth
                continue
        current.append(line)
    sections = []
    body = _paragraphs(text, definitions)
    if body:
        sections.append(DocSection("text", body))
    code = _paragraphs(example, definitions)  # prose between the examples has links too
    if code:
        sections.append(DocSection("examples", code))
    for title, lines in titled:
        if _paragraphs(lines, definitions):
            sections.append(DocSection("admonition", _paragraphs(lines, definitions), title=title))
    return Docstring(raw, tuple(sections))


def _paragraphs(lines: list[str], definitions: dict[str, str]) -> str:
    return rustdoc_links("\n".join(lines), definitions)


_BLANK_RUN = re.compile(r"\n{3,}")


def _outside_code(text: str, rewrite: Callable[[str], str], indented_code: bool = False) -> str:
    """`text` with `rewrite` applied to each line outside code blocks (fenced, or also
    indented when `indented_code`, as in Go), `[label]: target` definition lines dropped,
    and runs of blank lines made one."""
    if "[" not in text:  # every rewrite is of links, and definitions start with `[`
        return _BLANK_RUN.sub("\n\n", text).strip()
    out, in_fence = [], False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence and not (indented_code and line.startswith(("\t", "    "))):
            if _DEFINITION.fullmatch(line):
                continue
            line = rewrite(line)
        out.append(line)
    return _BLANK_RUN.sub("\n\n", "\n".join(out)).strip()


# Go doc links: `[Name]`, `[Name.Method]`, `[pkg.Name]`, `[*pkg.Name]`, or a `[text]`
# defined by a `[text]: URL` line.
_GO_LINK = re.compile(r"(?<![\]\w`])\[(\*?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*){0,2}|[^\[\]\n]+)\](?![\[(:])")


def go_doc_links(text: str, definitions: dict[str, str]) -> str:
    """Go doc links as docgen writes cross-references (`[Name][Name]`), and defined texts
    as Markdown links; the definition lines are dropped. Code blocks stay as they are."""
    return _outside_code(text, lambda line: _GO_LINK.sub(lambda m: _go_link(m.group(1), definitions), line), indented_code=True)


def _go_link(written: str, definitions: dict[str, str]) -> str:
    target = definitions.get(written.lower())
    if target is not None:
        return f"[{written}]({target})"
    if re.fullmatch(r"\*?[A-Za-z_][\w.]*", written):
        return f"[{written}][{written.lstrip('*')}]"
    return f"[{written}]"


# Rustdoc's link forms: `[name]`, `` [`name`] ``, `[text][label]`, `[text](path)`, and
# `[label]: target` definitions. Paths may carry a disambiguator (`struct@Name`, `fn@f`)
# or a macro's `!` and a function's `()`.
_DEFINITION = re.compile(r"^[ \t]*\[([^\]\n]+)\]:[ \t]*(\S+)[ \t]*$", re.MULTILINE)
_PATH = r"(?:[a-z]+@)?`?[A-Za-z_][\w]*(?:::[A-Za-z_][\w]*)*(?:!|\(\))?`?"
# Links to the pages rustdoc writes (`struct.Record.html#method.args`), as older crates write them.
_RUSTDOC_PAGE = re.compile(
    r"(?:\./)?(?:struct|enum|trait|macro|fn|type|constant|static|union|primitive)\.(\w+)\.html"
    r"(?:#(?:method|tymethod|variant|structfield|associatedtype|associatedconstant)\.(\w+))?"
)
_RUST_LINK = re.compile(
    rf"\[(?P<text>[^\[\]\n]+)\]\[(?P<label>[^\[\]\n]*)\]"
    rf"|\[(?P<shown>[^\[\]\n]+)\]\((?P<path>{_PATH}|{_RUSTDOC_PAGE.pattern})\)"
    rf"|(?<![\]\w])\[(?P<bare>{_PATH})\](?![\[(:])"
)


def rustdoc_links(text: str, definitions: dict[str, str]) -> str:
    """Rustdoc intra-doc links as docgen writes cross-references: `` `name` `` for a
    linked code name, `[text][path]` for linked text, `[text](url)` for a label defined
    in the comment (`definitions`, whose lines are dropped). Code blocks are left as they are."""
    return _outside_code(text, lambda line: _RUST_LINK.sub(lambda match: _rust_link(match, definitions), line))


def _rust_link(match: re.Match[str], definitions: dict[str, str]) -> str:
    if match.group("bare") is not None:
        written = match.group("bare")
        if written.lower() in definitions:
            return _to_definition(written, definitions[written.lower()])
        path = _path(written)
        return f"`{path}`" if written.startswith("`") or "`" in written else f"[{written}][{path}]"
    if match.group("path") is not None:
        if _RUSTDOC_PAGE.fullmatch(match.group("path")):
            return _to_definition(match.group("shown"), match.group("path"))
        return f"[{match.group('shown')}][{_path(match.group('path'))}]"
    text, label = match.group("text", "label")
    target = definitions.get((label or text).lower())
    if target is not None:
        return _to_definition(text, target)
    return f"[{text}][{_path(label or text)}]"


def _to_definition(text: str, target: str) -> str:
    """A link to what a `[label]: target` line defines: a path when it is a rustdoc page."""
    page = _RUSTDOC_PAGE.fullmatch(target)
    if page is None:
        return f"[{text}]({target})"
    path = "::".join(n for n in page.groups() if n)
    return f"[{text}][{path}!]" if target.lstrip("./").startswith("macro.") else f"[{text}][{path}]"


def _path(written: str) -> str:
    """A rustdoc path as docgen resolves it: no backticks, disambiguator or `()`; a
    macro's `!` stays, to tell `log!` from a function `log`."""
    path = written.strip("`")
    path = re.sub(r"^[a-z]+@", "", path)
    return path.removesuffix("()")
