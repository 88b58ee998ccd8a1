"""Python signatures as the source writes them, from griffe's functions.

`/` and `*` markers where the source has them, `*args` and `**kwargs` without the `()`
and `{}` griffe fills in as their defaults, and `Annotated[T, Doc("...")]` shown as `T`:
the `Doc` text is the parameter's description (griffe-typingdoc puts it in the docstring),
not a paragraph inside the signature.
"""

from __future__ import annotations

from typing import Any

from docgen.model import Param

SIGNATURE_WIDTH = 70  # what fits Material's content column without a scroll bar

POSITIONAL_ONLY = "positional-only"
KEYWORD_ONLY = "keyword-only"
VARIADIC = {"variadic positional": "*", "variadic keyword": "**"}
_ANNOTATED = frozenset({"Annotated", "typing.Annotated", "typing_extensions.Annotated"})
_DOC = frozenset({"Doc", "typing.Doc", "typing_extensions.Doc", "annotated_doc.Doc"})


def params(func: Any) -> tuple[Param, ...]:
    """The parameters of a griffe function, with descriptions from its docstring."""
    described: dict[str, str] = {}
    if func.docstring is not None:
        for section in func.docstring.parsed:
            if section.kind.value == "parameters":
                described.update({item.name: item.description for item in section.value})
    result = []
    for parameter in func.parameters:
        kind = parameter.kind.value if parameter.kind is not None else ""
        result.append(
            Param(
                name=parameter.name,
                annotation=annotation_text(parameter.annotation),
                # griffe records `()` and `{}` for variadics; the source has no default there.
                default="" if kind in VARIADIC else _text(parameter.default),
                kind=kind,
                description=described.get(parameter.name, ""),
            )
        )
    return tuple(result)


def annotation_text(annotation: Any) -> str:
    """An annotation as written, without `Doc(...)` metadata inside `Annotated[...]`."""
    if annotation is None:
        return ""
    if type(annotation).__name__ == "ExprSubscript" and _name(annotation.left) in _ANNOTATED:
        elements = getattr(annotation.slice, "elements", None)
        if elements:
            kept = [e for e in elements if not (type(e).__name__ == "ExprCall" and _name(e.function) in _DOC)]
            if len(kept) < len(elements):
                if len(kept) == 1:
                    return annotation_text(kept[0])
                return f"{annotation.left}[{', '.join(annotation_text(e) for e in kept)}]"
    return str(annotation)


def arguments(parameters: tuple[Param, ...] | list[Param]) -> list[str]:
    """Each parameter as written, with the `/` and `*` markers the source needs."""
    out: list[str] = []
    starred = False
    for index, param in enumerate(parameters):
        previous = parameters[index - 1].kind if index else ""
        if previous == POSITIONAL_ONLY and param.kind != POSITIONAL_ONLY:
            out.append("/")
        if param.kind == "variadic positional":
            starred = True
        if param.kind == KEYWORD_ONLY and not starred:
            out.append("*")
            starred = True
        out.append(param_text(param))
    if parameters and parameters[-1].kind == POSITIONAL_ONLY:
        out.append("/")
    if out[:1] == ["/"]:  # `self` was positional-only and is not shown: no marker for nothing
        out = out[1:]
    return out


def param_text(param: Param) -> str:
    """`name: annotation = default`, with `*`/`**` for variadics."""
    text = VARIADIC.get(param.kind, "") + param.name
    if param.annotation:
        text += f": {param.annotation}"
    if param.default:
        text += f" = {param.default}" if param.annotation else f"={param.default}"
    return text


def call(head: str, argument_texts: list[str], returns: str = "", *, wrap: bool = True) -> str:
    """`head(arguments) -> returns`, one argument a line when one line would be too long
    to read (the way black formats it) and `wrap` allows it."""
    tail = f" -> {returns}" if returns else ""
    line = f"{head}({', '.join(argument_texts)}){tail}"
    if not wrap or len(line) <= SIGNATURE_WIDTH or len(argument_texts) < 2:
        return line
    return f"{head}(\n" + "".join(f"    {argument},\n" for argument in argument_texts) + f"){tail}"


def one_line(func: Any) -> str:
    """`name(params) -> returns` on one line, as written in the source."""
    return call(func.name, arguments(params(func)), returns(func), wrap=False)


def returns(func: Any) -> str:
    """A griffe function's return annotation, as written."""
    return annotation_text(func.returns)


def _name(expr: Any) -> str:
    return getattr(expr, "canonical_path", None) or str(expr)


def _text(value: Any) -> str:
    return "" if value is None else str(value)
