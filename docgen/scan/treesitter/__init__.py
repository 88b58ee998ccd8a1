"""C, C++, CUDA, JavaScript, TypeScript, Rust and Go source files through tree-sitter.

One walker serves every language: a per-language `_Spec` maps tree-sitter node types to
handlers, and the handlers share the parts every language needs (locations, signatures cut
at the body, doc comments, ids, publicity). Handlers build mutable `_Draft`s, because
methods can be attached to their type only after the whole scope is known (Rust `impl`
blocks, Go receivers, C++ out-of-class definitions); the drafts are frozen into `Symbol`s
at the end, which is also where ids get their overload suffixes.

Tree-sitter is error tolerant: a file with syntax errors still yields every declaration the
parser could make sense of, plus one `read-in-part` problem pointing at the first error.

This module holds the public interface (`EXTENSIONS`, `SYNTAX_ERROR`, `parse_source`) and
the table of language specs; the parts live beside it: `grammars` loads the parsers,
`walker` holds the shared walk, `comments` reads doc comments, `macros` picks the grammar
for `.h` files and blanks export macros out of C-family source, and `c_family`,
`javascript`, `rust` and `go` hold each language family's handlers.
"""

from __future__ import annotations

import functools
import posixpath

from tree_sitter import Node, Query, QueryCursor

from docgen.model import Symbol
from docgen.problems import Problem, read_in_part
from docgen.scan.c_definitions import HEADER_SUFFIXES
from docgen.scan.treesitter.c_family import _C_HANDLERS, _CPP_HANDLERS
from docgen.scan.treesitter.go import _GO_HANDLERS
from docgen.scan.treesitter.grammars import _language, _parser
from docgen.scan.treesitter.javascript import (
    _JS_HANDLERS,
    _TS_HANDLERS,
    _js_exports,
    _js_has_exports,
)
from docgen.scan.treesitter.macros import _blank_macros, _is_cpp_header, _is_cuda_header, _unwrap_declarations
from docgen.scan.treesitter.rust import _RUST_HANDLERS
from docgen.scan.treesitter.walker import _Draft, _Scope, _Spec, _Walker

EXTENSIONS: dict[str, str] = {
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".hpp": "cpp",
    ".hh": "cpp",
    ".hxx": "cpp",
    ".cu": "cuda",
    ".cuh": "cuda",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".rs": "rust",
    ".go": "go",
}

SYNTAX_ERROR = "syntax error; declarations near it may be missing"


def parse_source(path: str, language: str, text: str) -> tuple[Symbol, list[Problem]]:
    """Parse one source file into a `file` symbol whose children are its declarations.

    `path` is the POSIX path relative to the project root (it prefixes every id);
    `language` is a value of `EXTENSIONS`. A `.h` file written in C++ is read, and
    reported, as "cpp"; a header holding CUDA qualifiers as "cuda". Syntax errors never raise: the symbols tree-sitter recovered are
    kept and one `read-in-part` problem names the line of the first error.
    """
    if language in ("c", "cpp") and path.lower().endswith(HEADER_SUFFIXES) and _is_cuda_header(text):
        language = "cuda"  # `__device__` read as C or C++ makes phantom functions and fields
    elif language == "c" and path.lower().endswith(".h") and _is_cpp_header(text):
        language = "cpp"
    spec = _SPECS[language]
    grammar = "tsx" if language == "typescript" and path.lower().endswith(".tsx") else spec.grammar
    # Export macros are blanked and wrapped declarations unwrapped (offsets kept), so
    # signatures read without them too.
    deprecated: set[int] = set()
    source = text
    if spec.doc == "doxygen":
        source, deprecated = _unwrap_declarations(source)
        source = _blank_macros(source)
    data = source.encode("utf-8", errors="replace")
    tree = _parser(grammar).parse(data)
    walker = _Walker(spec, data)
    root = tree.root_node
    file = _Draft(
        name=posixpath.basename(path),
        kind="file",
        start=1,
        end=text.count("\n") + (not text.endswith("\n")),  # lines as tree-sitter counts them
        docstring=walker.file_docstring(root),
    )
    # JS/TS publicity depends on what the module exports, which only the whole file tells.
    scope = (
        _Scope(exports=_js_exports(root), has_exports=_js_has_exports(root))
        if spec.doc == "jsdoc"
        else _Scope()
    )
    walker.walk(root, file, scope)
    _label_deprecated(file, deprecated)
    problems = [read_in_part(path, reason, line) for line, reason in walker.left_out]
    error_line = _first_error_line(root, grammar)
    if error_line:
        problems.append(read_in_part(path, SYNTAX_ERROR, error_line))
    # A Go declaration belongs to its package, the folder: ids say so from the start, so
    # that gathering a package's files (`go_packages`) moves nothing. The root folder's
    # package is named only once every folder is known.
    members_of = posixpath.dirname(path) if language == "go" else ""
    return file.freeze(path, path, language, members_of), problems


def _label_deprecated(scope: _Draft, lines: set[int]) -> None:
    """Label `deprecated` the declarations a deprecation macro wrapped (by their first line)."""
    if not lines:
        return
    for child in scope.children:
        if child.start in lines and "deprecated" not in child.labels:
            child.labels.append("deprecated")
        _label_deprecated(child, lines)


def _first_error_line(root: Node, grammar: str) -> int:
    """1-based line of the first ERROR or MISSING node that may hide declarations, or 0
    when there is none."""
    if not root.has_error:
        return 0
    file_end = root.named_children[-1].end_byte if root.named_children else root.end_byte
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or (node.is_missing and not node.type.startswith("#")):
            return node.start_point.row + 1
        # A MISSING `#endif` comes from `#ifdef __cplusplus extern "C" { #endif`: the
        # preprocessor splits the braces across conditionals, which no grammar can follow.
        stack.extend(
            child
            for child in reversed(node.children)
            if (child.has_error or child.is_missing) and not _closed_body(child, grammar, file_end)
        )
    return 0


def _closed_body(node: Node, grammar: str, file_end: int) -> bool:
    """Whether `node` is a function's body that closes with its own `}`: docgen reads no
    declaration inside one, so a syntax error there (a statement macro without its `;`,
    an `#if` inside an expression) hides nothing. Unless the body may have swallowed what
    follows it: when it runs to the end of the file (an unclosed bracket inside), or, in
    C and C++, when a function definition turns up inside it."""
    parent = node.parent
    if parent is None or parent.type not in _FUNCTIONS or node.child_count == 0 or node.end_byte >= file_end:
        return False
    body, last = parent.child_by_field_name("body"), node.children[-1]
    if body is None or body.id != node.id or last.type != "}" or last.is_missing:
        return False
    if grammar in ("c", "cpp", "cuda"):
        return not QueryCursor(_definitions(grammar)).captures(node)
    return True


@functools.cache
def _definitions(grammar: str) -> Query:
    return Query(_language(grammar), "(function_definition) @definition")


_FUNCTIONS = frozenset({
    "function_definition",  # C, C++, CUDA
    "function_declaration", "generator_function_declaration", "method_definition",  # JS, TS; Go's functions
    "method_declaration",  # Go
    "function_item",  # Rust
})


_SPECS: dict[str, _Spec] = {
    "c": _Spec("c", "doxygen", _C_HANDLERS, fence="c"),
    "cpp": _Spec("cpp", "doxygen", _CPP_HANDLERS, fence="cpp"),
    "cuda": _Spec("cuda", "doxygen", _CPP_HANDLERS, fence="cuda"),
    "javascript": _Spec("javascript", "jsdoc", _JS_HANDLERS, fence="js"),
    "typescript": _Spec("typescript", "jsdoc", _TS_HANDLERS, fence="ts"),
    "rust": _Spec(
        "rust",
        "rust",
        _RUST_HANDLERS,
        comments=frozenset({"line_comment", "block_comment"}),
        between=frozenset({"attribute_item"}),
        fence="rust",
    ),
    "go": _Spec("go", "go", _GO_HANDLERS, fence="go"),
}
