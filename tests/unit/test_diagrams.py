"""Diagrams from the sample project's model: which nodes and edges, and where they link."""

from __future__ import annotations

from functools import partial

import pytest

from docgen.config import load_config
from docgen.generate.diagrams import Diagram, call_flows, class_hierarchy, composition, figure, module_dependencies, svg, without_figures
from docgen.generate.links import LinkIndex, Target
from docgen.generate.reference import RenderOptions, plan_pages
from docgen.model import Location, Project, Symbol
from docgen.scan import scan
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def planned() -> tuple[Project, dict[str, Symbol], object]:
    project = scan(load_config(SAMPLE))
    pages, index = plan_pages(project, RenderOptions())
    return project, {symbol.id: symbol for symbol in pages.values()}, index


def _page_of(index, symbol_id: str) -> str:
    return index.targets[symbol_id].page


def test_a_modules_classes_derive_from_project_and_outside_bases(planned) -> None:
    _, by_id, index = planned
    gpt = by_id["sample_pkg.models.gpt"]
    page = _page_of(index, gpt.id)
    diagram = class_hierarchy(gpt, index, page, partial(index.resolve, scopes=[gpt], imports=dict(gpt.imports)))
    assert diagram is not None
    assert diagram.points_up and diagram.edges == {("torch.nn.Module", "sample_pkg.models.gpt.Block"), ("sample_pkg.models.gpt.Block", "sample_pkg.models.gpt.GPT")}
    assert diagram.links["sample_pkg.models.gpt.GPT"] == "#sample_pkg.models.gpt.GPT"
    assert "torch.nn.Module" not in diagram.links  # outside the project: a leaf, no link
    assert diagram.labels["torch.nn.Module"] == "Module"


def test_a_packages_modules_and_what_they_import(planned) -> None:
    _, by_id, index = planned
    package = by_id["sample_pkg"]
    diagram = module_dependencies(package, index, _page_of(index, package.id))
    assert diagram is not None
    assert ("sample_pkg", "sample_pkg.tokenizer") in diagram.edges
    assert all(a in diagram.labels and b in diagram.labels for a, b in diagram.edges)
    assert diagram.links["sample_pkg.tokenizer"] == "tokenizer/"


def test_svg_escapes_names_links_every_documented_node_and_puts_bases_above() -> None:
    diagram = Diagram("Class hierarchy", points_up=True)
    diagram.node("base", "<Base>", "#base")
    diagram.node("child", 'Child"&', "#child")
    diagram.edges.add(("base", "child"))
    drawn = svg(diagram)
    assert "<Base>" not in drawn and "&lt;Base&gt;" in drawn and "Child&quot;&amp;" in drawn
    assert drawn.count('<a href="#') == 2
    base_y = float(drawn.split("&lt;Base&gt;")[0].rsplit('y="', 1)[1].split('"')[0])
    child_y = float(drawn.split("Child&quot;")[0].rsplit('y="', 1)[1].split('"')[0])
    assert base_y < child_y
    head = drawn.split('class="dg-h" d="')[1].split('"')[0]
    tip_y = float(head[1:].split("L")[0].split()[1])
    middle = (base_y + child_y) / 2
    assert head.count("Z") == 1 and base_y < tip_y < middle  # an arrowhead at the base's end, below it
    diagram.points_up = False  # (what imports, calls or holds what: at the second node's end)
    tip_y = float(svg(diagram).split('class="dg-h" d="')[1].split('"')[0][1:].split("L")[0].split()[1])
    assert middle < tip_y < child_y


def test_a_graph_too_large_to_read_is_not_drawn() -> None:
    index = LinkIndex()
    index.targets["m.C"] = Target("m.md", "m.C")
    crowded = Symbol("m.C", "C", "class", "python", Location("m.py"), bases=tuple(f"ext.Base{n}" for n in range(60)))
    module = Symbol("m", "m", "module", "python", Location("m.py"), children=(crowded,))
    assert class_hierarchy(module, index, "m.md", lambda name: None) is None


def test_an_nn_modules_composition_goes_into_its_project_submodules(planned) -> None:
    _, by_id, index = planned
    gpt_module = by_id["sample_pkg.models.gpt"]
    gpt = next(c for c in gpt_module.children if c.name == "GPT")
    resolve = partial(index.resolve, scopes=[gpt_module], imports=dict(gpt_module.imports))
    diagram = composition(gpt, index, _page_of(index, gpt.id), resolve)
    assert diagram is not None
    assert sorted(diagram.labels.values()) == ["GPT", "blocks: ModuleList[Block]", "ln: LayerNorm", "mlp: Linear"]
    blocks = "sample_pkg.models.gpt.GPT/blocks"
    assert diagram.links[blocks] == "#sample_pkg.models.gpt.Block"  # a list of the project's Blocks, and what they hold
    assert {(blocks, f"{blocks}/ln"), (blocks, f"{blocks}/mlp")} <= diagram.edges


def test_call_flows_draw_a_step_shared_by_flows_once_and_link_each_documented_step() -> None:
    index = LinkIndex()
    for symbol_id in ("shop.cart.Cart.checkout", "shop.pay.charge", "shop.pay.validate"):
        module = symbol_id.rsplit(".", 2)[0] if "Cart" in symbol_id else symbol_id.rsplit(".", 1)[0]
        index.targets[symbol_id] = Target(f"reference/{module.replace('.', '/')}.md", symbol_id)
    flows = (("shop.cart.Cart.checkout", "shop.pay.charge", "shop.pay.validate"), ("shop.api.buy", "shop.pay.charge"))
    diagram = call_flows(flows, index, "guides/overview/shop.md")
    assert diagram is not None
    assert diagram.edges == {
        ("shop.cart.Cart.checkout", "shop.pay.charge"), ("shop.pay.charge", "shop.pay.validate"), ("shop.api.buy", "shop.pay.charge"),
    }
    assert diagram.labels["shop.cart.Cart.checkout"] == "Cart.checkout" and diagram.labels["shop.pay.charge"] == "pay.charge"
    assert diagram.links["shop.pay.charge"] == "../../../reference/shop/pay/#shop.pay.charge"
    assert "shop.api.buy" not in diagram.links  # not documented: drawn, not linked
    assert call_flows((), index, "guides/overview/shop.md") is None


def test_figures_are_left_out_of_text_that_is_read_and_keep_its_lines() -> None:
    diagram = Diagram("Call flows")
    diagram.node("a", "a")
    diagram.node("b", "b")
    diagram.edges.add(("a", "b"))
    text = f"# Title\n\n{figure(diagram)}\nAfter.\n"
    assert "<svg" in text and figure(None) == ""
    assert without_figures(text) == "# Title\n\n\n\nAfter.\n"
