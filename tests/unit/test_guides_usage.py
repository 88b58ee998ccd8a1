"""The tutorial, the how-tos and the FAQ: planned from a real scan of the shop, its README,
its example and its test, drafted through a scripted model (the prose is fake; the scan,
the files read, the verifier and the pages are real)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import markdown

from docgen.generate.prose.drafts import read_guide
from docgen.generate.prose.guides import DraftCache, GuidePage, draft_guides
from docgen.generate.prose.plan import plan_guides
from docgen.generate.prose.usage import usage_items
from docgen.generate.prose.verify import check
from docgen.publish.mkdocs_yml import build_nav
from docgen.scan.finder import FoundFile
from docgen.scan.usage import read_usage_files
from tests.unit.test_guides import OVERVIEW_ANSWER, TROUBLESHOOTING_ANSWER, ScriptedLLM, project_at, scanned, write_pages

USAGE = {
    "README.md": """
        # Shop

        A tiny shop.

        ## Usage

        Fill a cart, then pay:

        ```python
        from shop.cart import Cart

        cart = Cart()
        cart.checkout("4242")
        ```
    """,
    "examples/quickstart.py": '''
        """Buy some tea."""
        from shop.cart import Cart


        def main():
            cart = Cart()
            cart.items.append("tea")
            print(cart.checkout("4242"))


        if __name__ == "__main__":
            main()
    ''',
    "tests/test_pay.py": """
        import pytest

        from shop.errors import PaymentError
        from shop.pay import charge, validate


        def test_charge():
            assert charge("4242", 3) == 3


        def test_no_card():
            with pytest.raises(PaymentError):
                charge("", 3)


        def helper():
            return validate(1)
    """,
}
TUTORIAL = "guides/tutorial.md"
HOW_TO_CART = "guides/how-to/shop.cart.Cart.md"
HOW_TO_CHARGE = "guides/how-to/shop.pay.charge.md"
GOOD_CODE = 'from shop.cart import Cart\n\nprint(Cart().checkout("4242"))'
TUTORIAL_ANSWER = {
    "introduction": "You will fill a `shop.cart.Cart` and pay.",
    "steps": [{"explanation": "Make a cart and check out with a card.", "code": GOOD_CODE}],
}
HOW_TO_ANSWER = {
    "task": "Charge a card with `shop.pay.charge`.",
    "steps": [{"explanation": "Call it.", "code": 'from shop.pay import charge\n\ncharge("4242", 3)'}],
}
FAQ_ANSWER = {"entries": [{"question": "How do I pay?", "answer": "Call `Cart.checkout` with a card."}]}


def usage_project(root: Path):
    """The shop with its README, example and test: config, project, index, names, and the
    README and usage files as the build reads them."""
    project_at(root)
    for path, text in USAGE.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return rescan(root)


def rescan(root: Path):
    config, project, index, names = scanned(root)
    readme = next((d.source, d.text) for d in project.documents if d.source == "README.md")
    return config, project, index, names, readme, read_usage_files(config)


def plans_of(root: Path):
    config, project, index, names, readme, usage = rescan(root)
    return {plan.path: plan for plan in plan_guides(project, index, "guides", readme, usage)}


def run(root: Path, model, **options):
    config, project, index, names, readme, usage = rescan(root)
    plans = plan_guides(project, index, "guides", readme, usage)
    cache = DraftCache(config.cache_path / "drafts.json")
    return draft_guides(plans, config.docs_path, names, lambda: model, cache, project="shop", **options)


def answers_for_all() -> list:
    # In drafting order: overview, tutorial, troubleshooting, FAQ, how-tos (charge, Cart).
    return [OVERVIEW_ANSWER, TUTORIAL_ANSWER, TROUBLESHOOTING_ANSWER, FAQ_ANSWER, HOW_TO_ANSWER, HOW_TO_ANSWER]


def test_the_tutorial_is_drawn_from_the_readme_the_example_and_the_test(tmp_path: Path) -> None:
    usage_project(tmp_path)
    plans = plans_of(tmp_path)
    facts = plans[TUTORIAL].facts[0]
    assert 'cart.checkout("4242")' in facts and "Fill a cart, then pay:" in facts  # the README's block
    assert "def main():" in facts and "from shop.cart import Cart" in facts  # the example, with its import
    assert "def test_charge():" in facts and "(a test)" in facts
    assert "def helper" not in facts and "Buy some tea" not in facts  # not a test; a docstring shows no usage
    assert facts.index("Fill a cart") < facts.index("def main") < facts.index("def test_charge")
    assert [path for path, _ in plans[TUTORIAL].evidence.files] == ["README.md", "examples/quickstart.py", "tests/test_pay.py"]
    # The build's order: what a budget drafts first.
    assert list(plans) == ["guides/overview/shop.md", TUTORIAL, "guides/troubleshooting.md", "guides/faq.md", HOW_TO_CHARGE, HOW_TO_CART]


def test_an_overview_reads_the_readme_beside_the_docstring_and_the_flows_last(tmp_path: Path) -> None:
    usage_project(tmp_path)
    facts = plans_of(tmp_path)["guides/overview/shop.md"].facts[0]
    assert facts.index("Package `shop`") < facts.index("From README.md") < facts.index("Entry points:") < facts.index("Call flows:")


def test_facts_give_long_signatures_on_one_line_and_summaries_without_sphinx_roles(tmp_path: Path) -> None:
    usage_project(tmp_path)
    cart = tmp_path / "shop/cart.py"
    cart.write_text(cart.read_text().replace(
        '"""Items a customer will buy."""', '"""Items a customer will buy: see :class:`shop.pay.charge`, :py:func:`charge`, :class:`a cart <Cart>` and :func:`~shop.pay.validate`."""'
    ).replace("def checkout(self, card: str) -> int:", "def checkout(\n        self,\n        card: str,\n    ) -> int:"))
    plans = plans_of(tmp_path)
    facts = plans["guides/overview/shop.md"].facts[0]
    # requests' summary of `Request`, :class:`Request <Request>`, reached a page as `Request <Request>`.
    assert "Items a customer will buy: see `shop.pay.charge`, `charge`, `a cart` and `shop.pay.validate`." in facts
    assert ":class:" not in facts
    assert "Signature: `def checkout(self, card: str) -> int`" in plans[HOW_TO_CART].facts[0]


def test_many_setup_blocks_in_the_readme_leave_room_for_the_code_that_uses_the_package(tmp_path: Path) -> None:
    usage_project(tmp_path)
    readme = tmp_path / "README.md"
    setup = "".join(f"\n```toml\n[tool.shop]\nsetting_{n} = true\n```\n" for n in range(8))  # blocks using no code
    readme.write_text(readme.read_text().replace("## Usage", f"## Settings\n{setup}\n## Usage"))
    tutorial = plans_of(tmp_path)[TUTORIAL]  # before, eight blocks of settings crowded out every use
    assert 'cart.checkout("4242")' in tutorial.facts[0] and "setting_0" in tutorial.facts[0]
    assert "setting_2" not in tutorial.facts[0]


def test_a_package_s_entry_points_are_what_its_users_call_most_not_what_it_calls_most(tmp_path: Path) -> None:
    usage_project(tmp_path)
    (tmp_path / "shop/__init__.py").write_text('"""A tiny shop."""\nfrom shop.cart import Cart\nfrom shop.pay import charge, validate\n')
    (tmp_path / "examples/gift.py").write_text("from shop.cart import Cart\n\nCart().checkout('4242')\n")
    overview = plans_of(tmp_path)["guides/overview/shop.md"]
    # All three are exported; `charge` is the one the shop calls itself (from `Cart.checkout`),
    # `Cart` the one its README and two examples use. Before, the shop's own calls ranked first.
    assert overview.entry_points[:3] == ("shop.cart.Cart", "shop.pay.charge", "shop.pay.validate")


def test_how_to_paths_come_from_the_most_used_symbols_never_from_the_model(tmp_path: Path) -> None:
    usage_project(tmp_path)
    plans = plans_of(tmp_path)
    # Each used twice (`charge` is called by more of the project); `validate` only by a helper,
    # `PaymentError` is raised, not used.
    assert [p for p in plans if "/how-to/" in p] == [HOW_TO_CHARGE, HOW_TO_CART]
    assert 'charge("", 3)' in plans[HOW_TO_CHARGE].facts[0] and "def main" not in plans[HOW_TO_CHARGE].facts[0]
    titled = dict(HOW_TO_ANSWER, task="See ../../../etc/passwd.md and `shop.pay.charge`.", title="evil", path="x.md")
    result = run(tmp_path, ScriptedLLM([*answers_for_all()[:4], titled, titled]))
    pages = {page.path: page for page in result.pages}
    assert HOW_TO_CHARGE in pages and not any("evil" in path or path == "x.md" for path in pages)
    assert pages[HOW_TO_CHARGE].text.count("# How to use shop.pay.charge") == 1
    assert pages[HOW_TO_CHARGE].kind == "how-to"


def test_every_page_is_drafted_once_verified_and_links_to_the_reference(tmp_path: Path) -> None:
    config, project, index, names, readme, usage = usage_project(tmp_path)
    result = run(tmp_path, ScriptedLLM(answers_for_all()))
    assert result.problems == [] and result.stats.calls == 6
    pages = {page.path: page.text for page in result.pages}
    tutorial = pages[TUTORIAL]
    assert "## Step 1" in tutorial and "print(Cart().checkout" in tutorial
    assert "[`shop.cart.Cart`](../reference/shop/cart.md#shop.cart.Cart)" in tutorial
    assert "Drawn from `README.md`, `examples/quickstart.py`, `tests/test_pay.py`." in tutorial
    assert "## How do I pay?" in pages["guides/faq.md"]
    for text in pages.values():
        assert check(read_guide(text).body, names) == []


def test_code_written_with_raw_line_breaks_in_its_json_string_is_kept(tmp_path: Path) -> None:
    usage_project(tmp_path)
    raw = '{"task": "Charge a card.", "steps": [{"explanation": "Call it.", "code": "from shop.pay import charge\n\ncharge(\\"4242\\", 3)"}]}'
    answers = answers_for_all()
    result = run(tmp_path, ScriptedLLM([*answers[:4], raw, HOW_TO_ANSWER]))
    page = next(page.text for page in result.pages if page.path == HOW_TO_CHARGE)
    assert result.problems == [] and 'from shop.pay import charge\n\ncharge("4242", 3)\n```' in page


def test_a_line_break_escaped_once_inside_a_string_of_code_is_mended_not_retried(tmp_path: Path) -> None:
    usage_project(tmp_path)
    # The model meant `'\\n'.join(...)` but wrote one backslash: JSON reads a real line break
    # inside the quotes, which Python cannot parse. Before, a retry drafted the same again
    # and the block was dropped.
    raw = json.dumps({"task": "Charge a card.", "steps": [{"explanation": "Call it.", "code": "from shop.pay import charge\n\nprint('\n'.join([str(charge('4242', 3))]))"}]})
    answers = answers_for_all()
    model = ScriptedLLM([*answers[:4], raw, HOW_TO_ANSWER])
    result = run(tmp_path, model)
    page = next(page.text for page in result.pages if page.path == HOW_TO_CHARGE)
    assert result.problems == [] and len(model.prompts) == 6
    assert "print('\\n'.join([str(charge('4242', 3))]))" in page


def test_a_shell_command_the_readme_shows_is_kept_one_it_does_not_is_dropped(tmp_path: Path) -> None:
    usage_project(tmp_path)
    readme = tmp_path / "README.md"
    readme.write_text(readme.read_text().replace("## Usage", "## Install\n\n```console\n$ pip install shop\n```\n\n## Usage"))
    steps = [
        {"explanation": "Install it with `pip`.", "code": "pip install shop"},  # the tool the README's command runs
        {"explanation": "Then clean up.", "code": "curl https://example.com/x | sh"},
    ]
    answer = {"introduction": "You will pay.", "steps": steps}
    result = run(tmp_path, ScriptedLLM([OVERVIEW_ANSWER, answer, answer, *answers_for_all()[2:]]))
    tutorial = next(page.text for page in result.pages if page.path == TUTORIAL)
    assert "Install it with `pip`.\n\n```sh\npip install shop\n```" in tutorial  # before, fenced as Python and dropped
    assert "curl" not in tutorial  # no README shows it: invented, and no verifier could check it
    assert [p.message for p in result.problems if p.file.endswith(TUTORIAL)] == ["dropped drafted text: a code block does not parse: invalid syntax"]


def test_broken_code_and_code_naming_nothing_are_retried_then_dropped(tmp_path: Path) -> None:
    usage_project(tmp_path)
    bad = {
        "introduction": "Pay for tea.",
        "steps": [
            {"explanation": "Make a cart.", "code": GOOD_CODE},
            {"explanation": "Use a trolley.", "code": "from shop.cart import Trolley\n\nTrolley()"},
            {"explanation": "Pay.", "code": "cart.checkout(:"},
        ],
    }
    model = ScriptedLLM([OVERVIEW_ANSWER, bad, bad, TROUBLESHOOTING_ANSWER, FAQ_ANSWER, HOW_TO_ANSWER, HOW_TO_ANSWER])
    result = run(tmp_path, model)
    retry = model.prompts[2][-1]["content"]
    assert "`shop.cart.Trolley`" in retry and "does not parse" in retry  # the retry said what was wrong
    tutorial = next(page.text for page in result.pages if page.path == TUTORIAL)
    assert "Trolley" not in tutorial.split("Use a trolley.")[1] and "checkout(:" not in tutorial
    assert "print(Cart().checkout" in tutorial and "## Step 3" in tutorial  # the explanations stay
    problems = sorted(p.message for p in result.problems if p.code == "unverified")
    assert problems == [
        "dropped drafted text: `shop.cart.Trolley` names nothing in the project",
        "dropped drafted text: a code block does not parse: invalid syntax",
    ]


def test_faq_entries_naming_nothing_are_dropped_whole(tmp_path: Path) -> None:
    usage_project(tmp_path)
    faq = {
        "entries": [
            {"question": "How do I pay?", "answer": "Call `Cart.checkout`."},
            {"question": "What does `shop.magic` do?", "answer": "It is magic."},
            {"question": "Can I get a refund?", "answer": "Yes. Call `Cart.refund`."},
        ]
    }
    answers = answers_for_all()
    result = run(tmp_path, ScriptedLLM([*answers[:3], faq, faq, *answers[4:]]))
    page = next(page.text for page in result.pages if page.path == "guides/faq.md")
    assert "How do I pay?" in page and "magic" not in page and "refund" not in page
    assert sorted(p.message for p in result.problems if p.code == "unverified") == [
        "dropped drafted text: `Cart.refund` names nothing in the project",
        "dropped drafted text: `shop.magic` names nothing in the project",
    ]


def test_html_in_drafted_prose_and_code_is_inert(tmp_path: Path) -> None:
    usage_project(tmp_path)
    hostile = {
        "introduction": 'Hi <script>alert(1)</script><img src=x onerror="alert(2)">',
        "steps": [{"explanation": "Print <b onclick=x>it</b>.", "code": 's = "```</code><script>alert(3)</script>"\nprint(s)'}],
    }
    answers = answers_for_all()
    result = run(tmp_path, ScriptedLLM([answers[0], hostile, *answers[2:]]))
    body = read_guide(next(page.text for page in result.pages if page.path == TUTORIAL)).body
    html = markdown.markdown(body, extensions=["pymdownx.superfences", "admonition"])
    assert "<script" not in html and "onerror" not in html and "onclick" not in html
    assert "&lt;script&gt;alert(3)" in html  # the code is shown, as code


def test_editing_an_example_drafts_again_only_what_showed_it(tmp_path: Path) -> None:
    config, *_ = usage_project(tmp_path)
    write_pages(config, run(tmp_path, ScriptedLLM(answers_for_all())))
    example = tmp_path / "examples/quickstart.py"
    example.write_text(example.read_text().replace('"tea"', '"milk"'))
    again = run(tmp_path, ScriptedLLM([TUTORIAL_ANSWER, HOW_TO_ANSWER]))
    assert sorted(again.drafted) == [HOW_TO_CART, TUTORIAL] and again.stats.calls == 2
    write_pages(config, again)
    # Edits to what no guide was shown: the example's docstring, a test helper.
    example.write_text(example.read_text().replace("Buy some tea.", "Buy some milk."))
    test = tmp_path / "tests/test_pay.py"
    test.write_text(test.read_text().replace("return validate(1)", "return validate(2)"))
    third = run(tmp_path, ScriptedLLM([]))
    assert third.stats.calls == 0 and third.drafted == [] and third.problems == []


def test_test_methods_are_pieces_of_their_own_with_their_imports(tmp_path: Path) -> None:
    config, project, index, *_ = usage_project(tmp_path)
    text = "import shop.pay as p\n\n\nclass TestPay:\n    def test_it(self):\n        assert p.validate(1) == 1\n\n    def helper(self):\n        p.charge('x', 1)\n"
    items = usage_items((FoundFile("tests/test_class.py", "python", text, "d"),), None, index)
    assert [(item.text, item.uses) for item in items] == [
        ("import shop.pay as p\n\ndef test_it(self):\n    assert p.validate(1) == 1", ("shop.pay.validate",))
    ]


def test_usage_files_are_read_only_from_inside_the_project(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    usage_project(root)
    (tmp_path / "secret.py").write_text("from shop.cart import Cart\nTOKEN = Cart()\n")
    (root / "examples/linked.py").symlink_to(tmp_path / "secret.py")
    (root / "examples/big.py").write_text("x = 1\n" * 50_000)
    (root / "examples/binary.py").write_bytes(b"\x00\x01")
    (root / ".gitignore").write_text("examples/generated_*.py\n")
    (root / "examples/generated_x.py").write_text("from shop.cart import Cart\n")
    config, *_ = scanned(root)
    assert [f.path for f in read_usage_files(config)] == ["examples/quickstart.py", "tests/test_pay.py"]


def test_the_nav_leads_with_the_overview_and_the_tutorial_and_groups_the_how_tos(tmp_path: Path) -> None:
    config, project, index, names, readme, usage = usage_project(tmp_path)
    result = run(tmp_path, ScriptedLLM(answers_for_all()))
    extra = GuidePage("guides/overview/shop.cart.md", "Overview of shop.cart", "", "overview")
    nav = build_nav(config, (), (), [*result.pages, extra])
    guides = next(entry["Guides"] for entry in nav if "Guides" in entry)
    assert guides == [
        {"Overview of shop": "guides/overview/shop.md"},
        {"Getting started with shop": TUTORIAL},
        {"How-to guides": [{"How to use shop.pay.charge": HOW_TO_CHARGE}, {"How to use shop.cart.Cart": HOW_TO_CART}]},
        {"Overview of shop.cart": "guides/overview/shop.cart.md"},
        {"Frequently asked questions": "guides/faq.md"},
        {"Troubleshooting": "guides/troubleshooting.md"},
    ]


def test_readme_blocks_and_examples_too_deep_to_parse_are_no_evidence_not_a_crash(tmp_path: Path) -> None:
    config, project, index, *_ = usage_project(tmp_path)
    deep = "-" * 150_000 + "1"  # ast.parse raises MemoryError on it
    readme = ("README.md", f"Deep:\n\n```python\nfrom shop.cart import Cart\nx = {deep}\n```\n")
    example = FoundFile("examples/deep.py", "python", f"from shop.cart import Cart\nx = {deep}\n", "d")
    normal = FoundFile("examples/quickstart.py", "python", "from shop.cart import Cart\n\nCart().checkout('1')\n", "e")
    items = usage_items((example, normal), readme, index)
    assert [item.file for item in items] == ["examples/quickstart.py"]


def test_a_left_out_import_is_added_and_a_name_never_defined_is_sent_back_then_dropped(tmp_path: Path) -> None:
    usage_project(tmp_path)
    # Click's tutorial, drafted by the default model, called `naval()`, which it never defined,
    # and its how-tos used `click.command` without importing `click`.
    bad = {
        "introduction": "Pay for tea.",
        "steps": [
            {"explanation": "Charge a card.", "code": 'shop.pay.charge("4242", 3)\nprint(json.dumps(shop.cart.Cart().items))'},
            {"explanation": "Pay.", "code": "from shop.cart import Cart\n\npay_for(Cart())"},
            {"explanation": "Make a cart.", "code": "cart = Cart()"},  # uses what step 2 imported
            {"explanation": "Pay for it.", "code": "cart.checkout('4242')"},  # uses what step 3 made
        ],
    }
    model = ScriptedLLM([OVERVIEW_ANSWER, bad, bad, TROUBLESHOOTING_ANSWER, FAQ_ANSWER, HOW_TO_ANSWER, HOW_TO_ANSWER])
    result = run(tmp_path, model)
    assert "uses `pay_for`, which it never defines or imports" in model.prompts[2][-1]["content"]
    tutorial = next(page.text for page in result.pages if page.path == TUTORIAL)
    assert '```python\nimport json\nimport shop.cart\nimport shop.pay\n\nshop.pay.charge("4242", 3)' in tutorial
    assert "pay_for" not in tutorial and "## Step 2\n\nPay." in tutorial  # the block goes, its explanation stays
    # With step 2's block gone, step 3 uses a `Cart` nothing on the page imports, and step 4 a `cart` then unmade.
    assert "cart = Cart()" not in tutorial and "cart.checkout" not in tutorial and "## Step 4\n\nPay for it." in tutorial
    assert [p.message for p in result.problems if p.code == "unverified"] == [
        "dropped drafted text: a code block uses `pay_for`, which it never defines or imports",
        "dropped drafted text: a code block uses `Cart`, which it never defines or imports",
        "dropped drafted text: a code block uses `cart`, which it never defines or imports",
    ]


def test_a_step_shows_no_code_twice_nor_introduces_code_it_lost(tmp_path: Path) -> None:
    usage_project(tmp_path)
    # Click's tutorial, drafted by the default model: step 3 said "For example:" over a block
    # the verifier dropped, and step 4 showed step 2's code again.
    steps = [
        {"explanation": "Make a cart:", "code": GOOD_CODE},
        {"explanation": "For example:", "code": "from shop.cart import Trolley\n\nTrolley()"},
        {"explanation": "It costs nothing. Like this:", "code": GOOD_CODE},
    ]
    answer = {"introduction": "Pay for tea.", "steps": steps}
    result = run(tmp_path, ScriptedLLM([OVERVIEW_ANSWER, answer, answer, *answers_for_all()[2:]]))
    tutorial = next(page.text for page in result.pages if page.path == TUTORIAL)
    assert tutorial.count(GOOD_CODE) == 1 and "Make a cart:\n\n```python" in tutorial
    assert "For example" not in tutorial and "Like this" not in tutorial
    assert "## Step 2\n\nIt costs nothing.\n\n## Where to go next" in tutorial  # step 2 had nothing left
