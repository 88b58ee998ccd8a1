"""Documentation coverage: the public symbols without docs, and the share documented per
module and overall, by the one rule the reference and `docgen scan` follow."""

from __future__ import annotations

from dataclasses import dataclass

from docgen.model import PAGE_KINDS, Project, Symbol, in_reference
from docgen.problems import Problem


@dataclass(frozen=True)
class ModuleCoverage:
    """How much of one module (or source file, or API) is documented."""

    module: str  # the id of the page-kind symbol
    file: str
    public: int
    documented: int

    @property
    def share(self) -> float:
        """The documented part of the module's public symbols (1.0 when it has none)."""
        return self.documented / self.public if self.public else 1.0


@dataclass(frozen=True)
class Coverage:
    """Coverage per module and overall, and one problem per public symbol without docs."""

    modules: tuple[ModuleCoverage, ...]
    undocumented: tuple[Problem, ...]

    @property
    def public(self) -> int:
        """How many public symbols the reference documents, all modules together."""
        return sum(module.public for module in self.modules)

    @property
    def documented(self) -> int:
        """How many of them have a docstring or doc comment."""
        return sum(module.documented for module in self.modules)

    @property
    def share(self) -> float:
        """The documented part of all public symbols (1.0 when there are none)."""
        return self.documented / self.public if self.public else 1.0


def measure_coverage(project: Project, show_private: bool = False) -> Coverage:
    """What `project` documents (see `docgen.model.in_reference`), counted per module."""
    counts: dict[str, list[int]] = {}
    files: dict[str, str] = {}
    undocumented: list[Problem] = []

    def visit(symbol: Symbol, module: Symbol | None) -> None:
        if not in_reference(symbol, show_private):
            return
        if symbol.kind in PAGE_KINDS:
            module = symbol
        else:
            owner = module or symbol  # a top-level symbol that is not a page: its own module
            count = counts.setdefault(owner.id, [0, 0])
            files.setdefault(owner.id, owner.location.file)
            count[0] += 1
            if symbol.docstring is not None:
                count[1] += 1
            else:
                message = f"{symbol.kind} `{symbol.id}` has no docstring"
                undocumented.append(Problem("undocumented", message, symbol.location.file, symbol.location.start, symbol=symbol.id))
        for child in symbol.children:
            visit(child, module)

    for symbol in project.symbols:
        visit(symbol, None)
    modules = tuple(ModuleCoverage(module, files[module], public, documented) for module, (public, documented) in sorted(counts.items()))
    return Coverage(modules, tuple(undocumented))
