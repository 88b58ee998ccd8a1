"""The words lexical search matches on: identifiers split as people type them.

`from_file`, `FromFile` and `fromFile` all hold the terms `from` and `file` (so the query
"from file" finds them) and, whole, `from_file` or `fromfile` (so the identifier typed as
it is ranks its own symbol first). Words are lowercased and stemmed (PyStemmer's English
Snowball, as bm25s uses it), and the question words left out.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+")
_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
# Only words that never name code: `from`, `to`, `is` and `get` open many an identifier.
STOPWORDS = frozenset("a an the and or of it this that how what why which who where when do does can i my me you your".split())


def terms(text: str) -> list[str]:
    """The search terms of `text`, in order (repeats kept: they count)."""
    out: list[str] = []
    for word in _WORD.findall(text):
        parts = [part.lower() for part in _PART.findall(word)]
        out += [_stem(part) for part in parts if part not in STOPWORDS]
        if len(parts) > 1:
            out.append(word.lower().strip("_"))
    return out


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")
