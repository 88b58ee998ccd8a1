"""Diagrams drawn from the model, never by a language model: what a module's classes derive
from, how a package's modules import each other, what an `nn.Module` is made of, and the
call flows an overview guide explains.

Each is laid out by grandalf (Sugiyama's layered drawing) and written as inline SVG at build
time: nothing to load from a CDN, nothing to run in the reader's browser. Every node that
is documented links to its page and anchor; a base class from outside the project is a
leaf without a link. Large graphs are folded (a package's modules into its subpackages) or
left out rather than drawn unreadably.
"""

from __future__ import annotations

import html
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from grandalf.graphs import Edge, Graph, Vertex

from docgen.generate.links import LinkIndex
from docgen.model import ModelInfo, Symbol

MAX_NODES = 40  # more, and a diagram is folded, or not drawn
_CLASS_KINDS = frozenset({"class", "struct", "interface"})
_CHAR_WIDTH, _PADDING, _HEIGHT, _GAP, _MARGIN, _ARROW = 7.2, 16, 26, 24, 8, 7
# Page-wide, as any <style> is: every name starts with `dg-` or is scoped to `.doc-diagram`.
_STYLE = (
    "<style>.doc-diagram{font:12px sans-serif}.doc-diagram text{text-anchor:middle;fill:currentColor}"
    ".doc-diagram a{color:var(--md-typeset-a-color)}.dg-n{fill:none;stroke:currentColor;stroke-opacity:.6;rx:4px}"
    ".dg-e{fill:none;stroke:currentColor;stroke-opacity:.5}.dg-h{fill:currentColor;fill-opacity:.5}</style>"
)


@dataclass
class Diagram:
    """Nodes (key -> label, link) and edges (from, to): the first above the second."""

    title: str
    labels: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # key -> href, for the documented ones
    edges: set[tuple[str, str]] = field(default_factory=set)
    # Where an edge's arrowhead is: at its second node (what is imported, called, held), or
    # at its first (the base a class derives from, as UML draws it; bases still on top).
    points_up: bool = False

    def node(self, key: str, label: str, href: str = "") -> None:
        self.labels.setdefault(key, label)
        if href:
            self.links[key] = href


def class_hierarchy(module: Symbol, index: LinkIndex, page: str, resolve: Callable[[str], str | None]) -> Diagram | None:
    """The page's documented classes and what they derive from: bases documented elsewhere
    link to their pages (`resolve` says which symbol a base's name is); those from outside
    the project are leaves."""
    classes = [c for c in module.children if c.kind in _CLASS_KINDS and c.id in index.targets]
    diagram = Diagram("Class hierarchy", points_up=True)
    for cls in classes:
        for base in cls.bases:
            if base in ("object", "builtins.object"):
                continue
            target = resolve(base)
            key = target or base
            diagram.node(key, key.split("::")[-1].rsplit(".", 1)[-1], index.href(target, page) if target else "")
            diagram.node(cls.id, cls.name, index.href(cls.id, page))
            diagram.edges.add((key, cls.id))
    # Only where the project's classes derive from each other: a class and its outside
    # base say no more than the "Bases" line already does.
    inside = any(base in diagram.links for base, _ in diagram.edges)
    return diagram if inside and len(diagram.labels) <= MAX_NODES else None


def module_dependencies(package: Symbol, index: LinkIndex, page: str) -> Diagram | None:
    """Which of the package's modules import which, inside the package; folded into its
    subpackages when there are too many modules to read."""
    modules = [m for m in package.walk() if m.kind in ("module", "package") and m.language == "python" and m.id in index.targets]
    if len(modules) < 2:
        return None
    fold = len(modules) > MAX_NODES
    shown = {m.id: _folded(m.id, package.id) if fold else m.id for m in modules}
    diagram = Diagram("Module dependencies")
    for module in modules:
        for _, target in module.imports:
            imported = _module_of(target, shown)
            if imported is None or shown[imported] == shown[module.id] or imported == package.id:
                continue
            for key in (shown[module.id], shown[imported]):
                diagram.node(key, key.removeprefix(package.id + ".") or key, index.href(key, page) if key in index.targets else "")
            diagram.edges.add((shown[module.id], shown[imported]))
    return diagram if diagram.edges and len(diagram.labels) <= MAX_NODES else None


def composition(model: Symbol, index: LinkIndex, page: str, resolve: Callable[[str], str | None], depth: int = 3) -> Diagram | None:
    """What an `nn.Module` is made of: its submodules (`name: Type`), and theirs, `depth`
    levels down, where a submodule is a model of the project too."""
    diagram = Diagram("Composition")
    diagram.node(model.id, model.name, index.href(model.id, page) if model.id in index.targets else "")
    _compose(diagram, model.id, index.models.get(model.id), index, page, resolve, depth, {model.id})
    return diagram if diagram.edges and len(diagram.labels) <= MAX_NODES else None


def call_flows(flows: tuple[tuple[str, ...], ...], index: LinkIndex, page: str) -> Diagram | None:
    """The call flows of an overview (caller -> callee chains from the call graph, see
    `docgen.generate.prose.plan`) as one graph: a step that several flows pass through is
    drawn once. Each step is labelled with its last two names (`pay.charge`,
    `Cart.checkout`), so the modules a flow crosses show."""
    diagram = Diagram("Call flows")
    for flow in flows:
        for step in flow:
            diagram.node(step, ".".join(step.split(".")[-2:]), index.href(step, page) if step in index.targets else "")
        diagram.edges.update(zip(flow, flow[1:]))
    return diagram if diagram.edges and len(diagram.labels) <= MAX_NODES else None


def figure(diagram: Diagram | None) -> str:
    """The diagram as a page shows it: a figure with its title as the caption; nothing for
    no diagram. A block of its own: blank lines around it."""
    if diagram is None:
        return ""
    return f'<figure class="doc-diagram">{svg(diagram)}<figcaption>{html.escape(diagram.title)}</figcaption></figure>\n'


_FIGURE = re.compile(r'<figure class="doc-diagram">.*?</figure>')


def without_figures(markdown: str) -> str:
    """`markdown` without the diagrams `figure` wrote, each line kept (empty): for text
    that is read, not seen (the knowledge base, `llms-full.txt`), where an SVG is noise."""
    return _FIGURE.sub("", markdown)


def _compose(
    diagram: Diagram, key: str, model: ModelInfo | None, index: LinkIndex, page: str,
    resolve: Callable[[str], str | None], depth: int, seen: set[str],
) -> None:
    if model is None or depth == 0:
        return
    for submodule in model.submodules:
        calls = [match.group(1) for match in _CALLED.finditer(submodule.value)]
        type_name = calls[0] if calls else ""
        label = type_name.rsplit(".", 1)[-1]
        target = resolve(type_name) if type_name else None
        if label in _CONTAINERS:  # `nn.ModuleList([Block(config) for ...])`: a list of Blocks
            inner = next(((c, t) for c in calls[1:] if (t := resolve(c)) in index.models), None)
            if inner is not None:
                label, target = f"{label}[{inner[0].rsplit('.', 1)[-1]}]", inner[1]
        child = f"{key}/{submodule.name}"
        href = index.href(target, page) if target and target in index.targets else ""
        diagram.node(child, f"{submodule.name}: {label}" if label else submodule.name, href)
        diagram.edges.add((key, child))
        if target is not None and target not in seen:
            _compose(diagram, child, index.models.get(target), index, page, resolve, depth - 1, seen | {target})


# What a submodule is made by: the callables of `nn.Linear(...)`, `Block(config)`.
_CALLED = re.compile(r"([A-Za-z_][\w.]*)\s*\(")
_CONTAINERS = frozenset({"ModuleList", "Sequential", "ModuleDict"})


def _module_of(target: str, modules: dict[str, str]) -> str | None:
    """The longest of `modules` that `target` (`pkg.mod.Name`) is or is inside."""
    parts = target.split(".")
    return next((p for cut in range(len(parts), 0, -1) if (p := ".".join(parts[:cut])) in modules), None)


def _folded(module_id: str, package_id: str) -> str:
    """`pkg.sub.deep.mod` shown as `pkg.sub` on `pkg`'s diagram."""
    rest = module_id.removeprefix(package_id + ".").split(".")
    return f"{package_id}.{rest[0]}" if module_id != package_id else package_id


def _sugiyama() -> type:
    """grandalf's layered layout. grandalf imports numpy when it can, for geometry docgen
    does not use: a tenth of a second a build without the knowledge base does not spend, so
    numpy is kept out while grandalf loads, unless something imported it already."""
    if "numpy" in sys.modules or "grandalf.layouts" in sys.modules:
        from grandalf.layouts import SugiyamaLayout
    else:
        sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` raises ImportError
        try:
            from grandalf.layouts import SugiyamaLayout
        finally:
            del sys.modules["numpy"]
    return SugiyamaLayout


def svg(diagram: Diagram) -> str:
    """The diagram as one line of inline SVG, the first node of each edge above the second."""
    SugiyamaLayout = _sugiyama()
    vertices = {key: Vertex(key) for key in sorted(diagram.labels)}
    for key, vertex in vertices.items():
        vertex.view = _Box(len(diagram.labels[key]) * _CHAR_WIDTH + _PADDING, _HEIGHT)
    graph = Graph(list(vertices.values()), [Edge(vertices[a], vertices[b]) for a, b in sorted(diagram.edges)])
    offset = 0.0
    for component in graph.C:  # connected parts side by side
        layout = SugiyamaLayout(component)
        layout.yspace, layout.xspace = _HEIGHT + _GAP, _GAP
        layout.init_all()
        layout.draw()
        left = min(v.view.xy[0] - v.view.w / 2 for v in component.sV)
        for vertex in component.sV:
            vertex.view.xy = (vertex.view.xy[0] - left + offset, vertex.view.xy[1])
        offset = max(v.view.xy[0] + v.view.w / 2 for v in component.sV) + _GAP
    boxes = {key: vertex.view for key, vertex in vertices.items()}
    top = min(box.xy[1] for box in boxes.values()) - _HEIGHT / 2
    width = max(box.xy[0] + box.w / 2 for box in boxes.values()) + 2 * _MARGIN
    height = max(box.xy[1] for box in boxes.values()) - top + _HEIGHT / 2 + 2 * _MARGIN

    def at(key: str) -> tuple[float, float]:
        x, y = boxes[key].xy
        return x + _MARGIN, y - top + _MARGIN

    # Few elements, few attributes: MkDocs parses every tag of a page, twice (Markdown, search).
    lines = [(at(a)[0], at(a)[1] + _HEIGHT / 2, at(b)[0], at(b)[1] - _HEIGHT / 2) for a, b in sorted(diagram.edges)]
    edges = "".join(f"M{x1:.0f} {y1:.0f}L{x2:.0f} {y2:.0f}" for x1, y1, x2, y2 in lines)
    heads = "".join(_arrowhead(x2, y2, x1, y1) if diagram.points_up else _arrowhead(x1, y1, x2, y2) for x1, y1, x2, y2 in lines)
    parts = [
        f'<svg class="doc-diagram" role="img" aria-label="{html.escape(diagram.title)}" xmlns="http://www.w3.org/2000/svg" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}">',
        f"<title>{html.escape(diagram.title)}</title>{_STYLE}",
        f'<path class="dg-e" d="{edges}"/><path class="dg-h" d="{heads}"/>',
    ]
    for key in sorted(boxes):
        x, y = at(key)
        w = boxes[key].w
        box = (
            f'<rect class="dg-n" x="{x - w / 2:.0f}" y="{y - _HEIGHT / 2:.0f}" width="{w:.0f}" height="{_HEIGHT}"/>'
            f'<text x="{x:.0f}" y="{y + 4:.0f}">{html.escape(diagram.labels[key])}</text>'
        )
        href = diagram.links.get(key)
        parts.append(f'<a href="{html.escape(href)}">{box}</a>' if href else box)
    parts.append("</svg>")
    return "".join(parts)


def _arrowhead(x1: float, y1: float, x2: float, y2: float) -> str:
    """A small triangle at the end of the edge from (x1, y1) to (x2, y2), pointing along it:
    which way an edge goes (what imports, derives from or calls what) is what it says."""
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    bx, by = x2 - ux * _ARROW, y2 - uy * _ARROW
    half = _ARROW / 2
    return f"M{x2:.1f} {y2:.1f}L{bx - uy * half:.1f} {by + ux * half:.1f}L{bx + uy * half:.1f} {by - ux * half:.1f}Z"


@dataclass
class _Box:
    """What grandalf lays out: a node's size, and where it put its centre."""

    w: float
    h: float
    xy: tuple[float, float] = (0.0, 0.0)
