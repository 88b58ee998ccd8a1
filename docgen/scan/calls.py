"""Who calls what, statically: the names each Python function calls and instantiates,
and the exceptions its `raise` statements name.

A griffe extension records the dotted names as written (`helper(...)`, `self.run(...)`,
`errors.fail(...)`, `Client(...)`); `resolve` turns them into full paths through the
module's imports and definitions once every module is loaded. Guides read the graph for
the flows an overview explains and the raise sites a troubleshooting guide lists.
"""

from __future__ import annotations

import ast
from typing import Any

import griffe

EXTRA = "docgen-calls"


class CallsExtension(griffe.Extension):
    """Records each function's calls and raises in `func.extra["docgen-calls"]`."""

    def on_function_instance(self, *, node: Any, func: Any, **kwargs: Any) -> None:
        """Read one function's body (nested functions count as its own; classes do not)."""
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        calls: dict[str, None] = {}
        raises: dict[tuple[str, str], None] = {}
        nodes = _body_nodes(node)
        raised = {id(child.exc) for child in nodes if isinstance(child, ast.Raise)}  # an error built to raise is no call
        for child in nodes:
            if isinstance(child, ast.Call) and id(child) not in raised:
                name = dotted(child.func)
                if name:
                    calls[name] = None
            elif isinstance(child, ast.Raise) and child.exc is not None:
                error = child.exc.func if isinstance(child.exc, ast.Call) else child.exc
                name = dotted(error)
                if name:
                    raises[(name, _message(child.exc))] = None
        func.extra[EXTRA] = {"calls": tuple(calls), "raises": tuple(raises)}


def _body_nodes(node: ast.AST) -> list[ast.AST]:
    """Every node of a function's body, iteratively, leaving out nested classes."""
    found, stack = [], list(ast.iter_child_nodes(node))
    while stack:
        current = stack.pop()
        if isinstance(current, ast.ClassDef):
            continue
        found.append(current)
        stack.extend(ast.iter_child_nodes(current))
    found.reverse()  # roughly source order, for stable tuples
    return found


def dotted(node: ast.AST) -> str:
    """`a.b.c` for a name or an attribute chain on a name; empty for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    parts.append(node.id)
    return ".".join(reversed(parts))


def _message(error: ast.AST) -> str:
    """The message a raised exception is built with, when it is written in the source:
    a string, or an f-string with its fields shown as `{...}`."""
    if not isinstance(error, ast.Call) or not error.args:
        return ""
    first = error.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    if isinstance(first, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "{...}"
            for part in first.values
        )
    return ""


def resolve(name: str, func: Any) -> str:
    """The full path `name`, as called inside `func`, refers to; empty when it is a local
    variable, a builtin or an attribute of something unknown."""
    head, _, rest = name.partition(".")
    parent = func.parent
    if head in ("self", "cls") and parent is not None and parent.is_class:
        return f"{parent.path}.{rest}" if rest else ""
    module = func.module
    member = module.members.get(head)
    if member is not None:
        base = member.target_path if member.is_alias else member.path
    elif head in module.imports:
        base = module.imports[head]
    else:
        return ""
    return f"{base}.{rest}" if rest else base
