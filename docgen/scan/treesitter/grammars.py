"""Tree-sitter grammars and parsers, loaded on first use and cached.

Each grammar comes from its own `tree_sitter_*` package; the `Language` built from it is
shared by every thread (under a lock), while parsers, which keep per-parse state, are cached
once per thread and grammar.
"""

from __future__ import annotations

import importlib
import threading

from tree_sitter import Language, Parser

# grammar -> (module, function returning the language pointer)
_GRAMMARS = {
    "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"),
    "cuda": ("tree_sitter_cuda", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "rust": ("tree_sitter_rust", "language"),
    "go": ("tree_sitter_go", "language"),
}

_LANGUAGES: dict[str, Language] = {}
# Parsers keep per-parse state, so each thread gets its own; Language objects are shared.
_LOCAL = threading.local()
_LOCK = threading.Lock()


def _parser(grammar: str) -> Parser:
    """The cached parser for `grammar`, built on first use (loading a grammar costs ~ms)."""
    parsers = _LOCAL.__dict__.setdefault("parsers", {})
    parser = parsers.get(grammar)
    if parser is None:
        parser = parsers[grammar] = Parser(_language(grammar))
    return parser


def _language(grammar: str) -> Language:
    with _LOCK:
        if grammar not in _LANGUAGES:
            module, function = _GRAMMARS[grammar]
            _LANGUAGES[grammar] = Language(getattr(importlib.import_module(module), function)())
        return _LANGUAGES[grammar]
