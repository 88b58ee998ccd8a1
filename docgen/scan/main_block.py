"""Names assigned under `if __name__ == "__main__":` are a script's locals, not its API.

griffe records every top-level assignment, so a training script's `args = parser.parse_args()`
would show as a module attribute. `MainBlockExtension` removes what that block defines.
"""

from __future__ import annotations

import ast
from typing import Any

import griffe


class MainBlockExtension(griffe.Extension):
    """Drops module members defined inside a top-level `if __name__ == "__main__":` block."""

    def on_module_members(self, *, node: Any, mod: Any, agent: Any, **kwargs: Any) -> None:
        """Remove the members `mod` got from its main block, once the module is visited."""
        blocks = [(s.lineno, s.end_lineno or s.lineno) for s in getattr(node, "body", ()) if is_main_block(s)]
        if not blocks:
            return
        for name, member in list(mod.members.items()):
            # An alias's own `lineno` is its target's: resolving it may fail (`import uvicorn`).
            line = (member.alias_lineno if member.is_alias else member.lineno) or 0
            if any(start <= line <= end for start, end in blocks):
                del mod.members[name]


def is_main_block(statement: ast.stmt) -> bool:
    """Whether `statement` is `if __name__ == "__main__":` (either operand order)."""
    if not isinstance(statement, ast.If) or not isinstance(statement.test, ast.Compare):
        return False
    test = statement.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    operands = [test.left, *test.comparators]
    names = {o.id for o in operands if isinstance(o, ast.Name)}
    constants = {o.value for o in operands if isinstance(o, ast.Constant)}
    return names == {"__name__"} and constants == {"__main__"}
