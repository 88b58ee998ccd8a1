"""Long signatures laid out one parameter per line, as black, rustfmt and TypeDoc show them.

A signature that fits in `WIDTH` characters stays on one line. A longer one is split at the
top-level commas of its first parameter list: brackets nest (and `<...>` too where the
language has generics), strings are skipped. A trailing comma follows the last parameter
where the language allows one (not in C, C++ or CUDA). Anything that does not read as
`head(params)tail` is left as written. The renderer lays out callables only: a macro's
`(` may be its value's.
"""

from __future__ import annotations

WIDTH = 80
INDENT = "    "
_OPENERS = {"(": ")", "[": "]", "{": "}", "<": ">"}
_GENERICS = frozenset({"typescript", "javascript", "rust", "cpp", "cuda"})
_TRAILING_COMMA = frozenset({"python", "typescript", "javascript", "rust", "go"})
_ARROWS = ("=", "-")  # the `>` of `=>` and `->` closes no `<`


def layout(signature: str, language: str, width: int = WIDTH) -> str:
    """`signature`, one parameter per line when it is longer than `width`."""
    if len(signature) <= width or "\n" in signature:
        return signature
    angles = language in _GENERICS
    start = _first_parameter_list(signature, angles, after=_receiver_end(signature) if language == "go" else 0)
    if start is None:
        return signature
    split = _split_parameters(signature, start + 1, angles, quote="'" if language != "rust" else "")
    if split is None:
        return signature
    params, end = split
    if not params:
        return signature
    last = "," if language in _TRAILING_COMMA else ""
    lines = [f"{INDENT}{param}," for param in params[:-1]] + [f"{INDENT}{params[-1]}{last}"]
    return signature[: start + 1] + "\n" + "\n".join(lines) + "\n" + signature[end:]


def _receiver_end(text: str) -> int:
    """Where a Go method's receiver (`func (s *Server) Start(...)`) ends; 0 for a function."""
    if not text.startswith("func ("):
        return 0
    split = _split_parameters(text, len("func ("), angles=False, quote="")
    return split[1] + 1 if split is not None else 0


def _first_parameter_list(text: str, angles: bool, after: int = 0) -> int | None:
    """The offset of the `(` that opens the parameters: the first one from `after` outside `<...>`."""
    depth = 0
    for index in range(after, len(text)):
        char = text[index]
        if angles and char == "<":
            depth += 1
        elif angles and char == ">" and depth and text[index - 1 : index] not in _ARROWS:
            depth -= 1
        elif char == "(" and depth == 0:
            return index
    return None


def _split_parameters(text: str, start: int, angles: bool, quote: str) -> tuple[list[str], int] | None:
    """The parameters between `text[start - 1]` (an opening parenthesis) and its match,
    split at top-level commas, and the offset of the closing parenthesis."""
    stack = [")"]
    params, begin, index = [], start, start
    quotes = '"`' + quote
    while index < len(text):
        char = text[index]
        if char in quotes:
            close = _string_end(text, index, char)
            if close is None:
                return None
            index = close + 1
            continue
        if char in _OPENERS and (char != "<" or angles):
            stack.append(_OPENERS[char])
        elif char == stack[-1] and (char != ">" or text[index - 1 : index] not in _ARROWS):
            stack.pop()
            if not stack:
                last = text[begin:index].strip()
                if last:
                    params.append(last)
                return params, index
        elif char == "," and len(stack) == 1:
            params.append(text[begin:index].strip())
            begin = index + 1
        index += 1
    return None


def _string_end(text: str, start: int, quote: str) -> int | None:
    index = start + 1
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == quote:
            return index
        index += 1
    return None
