"""What C-family source needs before the grammar sees it: the right grammar, macros out of the way.

`.h` is shared by C and C++, so `_is_cpp_header` looks for C++-only constructs (classes,
namespaces, templates, access specifiers, `::`) outside comments and strings.

Export and visibility macros (`class LEVELDB_EXPORT DB {`, `GGML_API void ggml_free(...)`)
sit where the grammar expects a name or a type, which no grammar can tell from a type without
running the preprocessor: the class comes out named after the macro, or the declaration
splits in two and loses its doc comment. `_blank_macros` overwrites such ALL_CAPS
identifiers with spaces, so every byte offset, line and column stays where it was and the
signatures read as if the macro expanded to nothing (`class DB`). These positions count:
- between `class`/`struct`/`union`/`enum` and a name followed by `{`, `:` or `final`;
- at the start of a line before a type and the name of a function (`LLAMA_API struct
  llama_model * llama_load(`). Where only the name follows the ALL_CAPS words (`HANDLE h;`,
  `DWORD WINAPI f(`), they are types and stay, unless the first is named like an export
  macro (`*_API`, `*EXPORT`, `*PUBLIC`, `*DECL`): `GGML_API FILE * ggml_fopen(` keeps `FILE`;
- a qualifier macro between `*` and a name (`float * GGML_RESTRICT x`);
- a line of nothing but attribute macros, with or without arguments, before a declaration
  (`GGML_NORETURN GGML_ATTRIBUTE_FORMAT(3, 4)`), a blank line or the end of the file
  (`GGML_BACKEND_DL_IMPL(ggml_backend_cpu_reg)`: a macro that expands to definitions, with
  no `;` for the grammar).
In the first two, a vendor keyword no grammar knows (`__dpct_inline__`,
`__builtin_align__(32)`) counts as a macro.
"""

from __future__ import annotations

import re

# Comments, string and character literals: skipped whole, never searched.
_SKIP = r"""//[^\n]*|/\*[\s\S]*?(?:\*/|\Z)|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'"""

_CPP_ONLY = re.compile(
    rf"""
    (?P<skip>{_SKIP})
    | extern[ \t]*"C\+\+"
    | ^[ \t]*(?:
        class[ \t]+[A-Za-z_]
        | namespace\s*(?:[A-Za-z_][\w:]*\s*)?[{{=]
        | template[ \t]*<
        | using[ \t]+(?:namespace\b|[A-Za-z_]\w*[ \t]*=)
        | enum[ \t]+(?:class|struct)\b
        | (?:public|private|protected)[ \t]*:(?!:)
      )
    | \b[A-Za-z_]\w*[ \t]*::[ \t]*~?[A-Za-z_]
    """,
    re.MULTILINE | re.VERBOSE,
)


_CUDA = re.compile(rf"(?P<skip>{_SKIP})|\b__(?:global|device|host|forceinline|noinline|shared|constant|managed|launch_bounds)__\b")


def _is_cuda_header(text: str) -> bool:
    """Whether a header holds CUDA: an execution-space qualifier outside comments and strings."""
    return _outside_comments(_CUDA, text, _CUDA_WORDS)


def _is_cpp_header(text: str) -> bool:
    """Whether a `.h` file is C++: some C++-only construct outside comments and strings."""
    return _outside_comments(_CPP_ONLY, text, _CPP_WORDS)


# What every match of `_CUDA` or `_CPP_ONLY` contains: most headers have none of these
# strings even in comments, and a string search says so a hundred times faster.
_CUDA_WORDS = ("__global__", "__device__", "__host__", "__forceinline__", "__noinline__", "__shared__",
               "__constant__", "__managed__", "__launch_bounds__")
_CPP_WORDS = ("::", "class", "namespace", "template", "using", "enum", "public", "private", "protected", '"C++"')


def _outside_comments(pattern: re.Pattern[str], text: str, words: tuple[str, ...]) -> bool:
    """Whether `pattern` matches outside comments and literals (its `skip` group)."""
    if not any(word in text for word in words):
        return False
    return any(match.lastgroup != "skip" for match in pattern.finditer(text))


# An ALL_CAPS identifier (leading underscores allowed: `_LIBCPP_TYPE_VIS`).
_MACRO = r"_*[A-Z][A-Z0-9_]+"
# A possibly qualified, possibly templated name: `Foo`, `std::vector<int>`, `ns::Foo<T>`.
# Template arguments nest (three levels); each `<` finds its own `>`, or the regex could
# backtrack exponentially over runs of `a<b> c<d>`.
_ARGS = r"<[^;{}()<>]*>"
for _ in range(2):
    _ARGS = rf"<[^;{{}}()<>]*(?:{_ARGS}[^;{{}}()<>]*)*>"
_TEMPLATE = rf"(?:\s*{_ARGS})?"
_WORD = rf"[A-Za-z_]\w*{_TEMPLATE}(?:\s*::\s*~?[A-Za-z_]\w*{_TEMPLATE})*"

# A function's name: `f`, `~Foo`, `Foo::bar`, `operator<<`, `operator()`.
_FUNCTION_NAME = rf"(?:~?{_WORD}|(?:{_WORD}\s*::\s*)?operator\s*(?:\(\)|\[\]|[^\s\w(;{{}}]+))"

# Two places hold macros: at the start of a line, maybe after a template head or storage
# keywords, before a type and a function's name (`GGML_API void ggml_free(`, `static
# GGML_INLINE float f(`), where the run of macros is taken whole: the next word is no macro;
# and between the record keyword and a name followed by `{`, `:` (not `::`, nor a
# bit-field's `: 3`) or `final` (`class C10_API Foo final : public Bar {`). The first
# lookahead of each bounds how far the second may scan, so a line never reads the rest of
# the file.
#
# Speed: every alternative of `_LINE_MACROS` starts with one literal character (`/`, `"`,
# `'` or the newline before a line, which `_blank_macros` supplies for the first one), so
# the regex engine jumps from candidate to candidate instead of trying each alternative at
# every offset; on ggml that made blanking seven times as fast. Record macros are rare and
# need a keyword first, so `_RECORD_MACROS` runs only on files `_RECORD_HINT` finds one in.
# A compiler or vendor keyword no grammar knows (`__dpct_inline__`, `__builtin_align__`),
# which sits where a macro would; the ones the grammars read stay.
_VENDOR_WORD = (
    r"__(?!(?:device|global|host|forceinline|noinline|shared|constant|managed|launch_bounds|restrict"
    r"|inline|attribute|declspec|extension|asm|volatile|thread|cdecl|stdcall|fastcall)__)[a-z][a-z0-9_]*__"
)
_WORD_MACRO = rf"(?:{_MACRO}|{_VENDOR_WORD})"
_LINE_MACROS = re.compile(
    rf"""
    {_SKIP}  # comments and literals: they match no named group
    | \n[ \t]*(?=[A-Z_]|(?:static|inline|extern|template|virtual|explicit|constexpr|friend)\b)(?:
      (?:(?:static|inline|extern)[ \t]+)*
      (?P<export>(?:_*[A-Z][A-Z0-9_]*(?:API|EXPORT|PUBLIC|DECL)\b[ \t]+)+)
      (?=(?:{_WORD}[\s*&]+)+{_FUNCTION_NAME}\s*\()
    | (?:template\s*<[^;{{}}()]*>\s*)?
      (?:(?:static|inline|extern|virtual|explicit|constexpr|friend)[ \t]+)*
      (?={_WORD_MACRO}[ \t])(?=[^;{{}}()]{{0,400}}\()
      (?P<function>(?:{_WORD_MACRO}[ \t]+)+)
      (?!{_MACRO}\b)
      (?=(?:{_WORD}[\s*&]+)+{_FUNCTION_NAME}\s*\()
    | (?P<attributes>(?:{_MACRO}\b(?:[ \t]*\([^()\n;{{}}]*\))?[ \t]*)+)$(?=\n[ \t]*[A-Za-z_]|(?<=\))(?:\n[ \t]*$|\Z))
    )
    | \*[ \t]*(?P<qualifier>{_MACRO})(?=[ \t]+[A-Za-z_])
    """,
    re.MULTILINE | re.VERBOSE,
)
_RECORD = r"\b(?:class|struct|union|enum)\s+"
_RECORD_HINT = re.compile(rf"(?:class|struct|union|enum)\s+{_WORD_MACRO}[\s(]")  # no `\b`: as fast as a string search
_RECORD_MACROS = re.compile(
    rf"""
    {_SKIP}  # comments and literals: they match no named group
    | {_RECORD}(?={_WORD_MACRO}[\s(])(?=[^;{{}}]{{0,400}}[{{:]|[^;{{}}]{{0,400}}\bfinal\b)
      (?P<record>(?:{_WORD_MACRO}(?:\s*\([^()\n]*\))?\s+)+)
      (?={_WORD}\s*(?:final\b\s*)?(?:\{{|:(?!:)(?!\s*\d)))
    """,
    re.MULTILINE | re.VERBOSE,
)


def _blank_macros(text: str) -> str:
    """`text` with export/visibility macros replaced by as many spaces (offsets unchanged)."""

    def blank(match: re.Match[str]) -> str:
        group = match.lastgroup
        if group is None:  # a comment or a literal
            return match.group()
        # The macros end the match (what follows is lookahead); newlines stay for the rows.
        start = match.start(group) - match.start()
        whole = match.group()
        return whole[:start] + re.sub(r"\S", " ", whole[start:])

    text = _LINE_MACROS.sub(blank, "\n" + text)[1:]
    return _RECORD_MACROS.sub(blank, text) if _RECORD_HINT.search(text) else text


# `GGML_DEPRECATED(GGML_API int f(int x), "use g");`: a declaration passed to a macro, which
# no grammar reads as one (everything after it used to be lost). The macro's name, its `(`
# and its other arguments are blanked, offsets kept, so the declaration reads as written.
# A macro call at the start of a line whose first argument holds a call or declarator
# `name(` before any `)` or `;` (`GGML_ASSERT(x == y);` has none: never scanned further),
# within 400 characters, so that a line never reads the rest of the file.
# The newline comes first, so the regex engine jumps from line to line.
_WRAPPER = re.compile(r"\n[ \t]*(_*[A-Z][A-Z0-9_]*)\((?=[^();{}]{0,400}?(?<!\w)[A-Za-z_]\w*\s*\()")
_WRAPPED_SPAN = 8000  # characters a wrapped declaration may take, at most
_SKIPPED = re.compile(_SKIP)


def _unwrap_declarations(text: str) -> tuple[str, set[int]]:
    """`text` with declarations wrapped in a macro call unwrapped, and the 1-based lines
    they start on (a wrapper named `*DEPRECATED*` marks them deprecated)."""
    text = "\n" + text  # so that the first line starts after a newline too
    pieces, deprecated, position, scanned = [], set(), 0, 0
    for match in _WRAPPER.finditer(text):
        if match.start() < max(position, scanned):
            continue  # inside what an earlier call took, or could not close: each byte is read once
        commas, close = _arguments(text, match.end())
        if commas is None:
            scanned = close
            continue
        cut = commas[0] if commas else close  # the end of the first argument
        after = text[close + 1 : close + 200].lstrip(" \t")
        if not after.startswith(";") or not re.search(r"[A-Za-z_]\w*\s*\(", text[match.end() : cut]):
            continue
        pieces += [text[position : match.start(1)], _spaces(text[match.start(1) : match.end()]), text[match.end() : cut], _spaces(text[cut : close + 1])]
        position = close + 1
        if "DEPRECATED" in match.group(1):
            deprecated.add(text.count("\n", 0, match.start()) + 1)  # newlines before the one ending the line before
    pieces.append(text[position:])
    return "".join(pieces)[1:], deprecated


def _arguments(text: str, start: int) -> tuple[list[int] | None, int]:
    """The offsets of the top-level commas of a call's arguments from `start` (just after
    its `(`), and of its closing `)`; when it does not close soon enough, None and how far
    the search went."""
    depth, commas, i, end = 0, [], start, min(len(text), start + _WRAPPED_SPAN)
    while i < end:
        c = text[i]
        skipped = _SKIPPED.match(text, i) if c in "\"'/" else None
        if skipped:  # a string, a character or a comment: nothing in it counts
            i = skipped.end()
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                return (commas, i) if c == ")" else (None, i)
            depth -= 1
        elif c == "," and depth == 0:
            commas.append(i)
        elif c == ";" and depth == 0:
            return None, i
        i += 1
    return None, i


def _spaces(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)
