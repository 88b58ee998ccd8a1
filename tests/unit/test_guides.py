"""Guides: planned from the real scan of a project, drafted through a scripted model
(the prose is fake; the scan, the verifier, the pages and the files are real)."""

from __future__ import annotations

import json
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from docgen.config import load_config
from docgen.generate.llm import Completion, LLMError, Usage
from docgen.generate.prose.drafts import read_guide
from docgen.generate.prose.guides import DraftCache, Drafting, ask, draft_guides
from docgen.generate.prose.plan import plan_guides
from docgen.generate.prose.verify import check, drop, names_for
from docgen.generate.reference import RenderOptions, render_pages
from docgen.scan import scan

FILES = {
    "shop/__init__.py": '''
        """A tiny shop: carts, prices and payments."""
        from shop.cart import Cart
    ''',
    "shop/errors.py": '''
        """What can go wrong."""


        class PaymentError(Exception):
            """A payment was refused."""
    ''',
    "shop/cart.py": '''
        """Carts of items."""
        from shop import pay


        class Cart:
            """Items a customer will buy."""

            def __init__(self) -> None:
                self.items = []

            def checkout(self, card: str) -> int:
                """Pay for everything in the cart with `card`."""
                return pay.charge(card, len(self.items))
    ''',
    "shop/pay.py": '''
        """Payments."""
        from shop.errors import PaymentError


        def charge(card: str, amount: int) -> int:
            """Charge `amount` to `card`."""
            if not card:
                raise PaymentError(f"no card given for {amount}")
            return validate(amount)


        def validate(amount: int) -> int:
            """Check an amount is positive."""
            if amount < 0:
                raise ValueError("amounts are positive")
            return amount
    ''',
}


class ScriptedLLM:
    """Answers from a script, one per call, and counts the calls."""

    model_id = "scripted:test"
    context_tokens = 8192

    def __init__(self, answers: list[dict[str, Any] | str]) -> None:
        self.answers = list(answers)
        self.prompts: list[list[dict[str, str]]] = []

    def complete(self, messages, *, max_tokens, schema=None) -> Completion:
        self.prompts.append(messages)
        if not self.answers:
            raise LLMError("the script ran out")
        answer = self.answers.pop(0)
        text = answer if isinstance(answer, str) else json.dumps(answer)
        return Completion(text, Usage(100, 50), 0.01)

    def count_tokens(self, text: str) -> int:
        return len(text) // 4

    def close(self) -> None:
        pass


def project_at(root: Path):
    """The shop written at `root`, then scanned (see `scanned`)."""
    for path, text in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return scanned(root)


def scanned(root: Path):
    """The config, model, link index and verifier names of the project at `root`."""
    config = load_config(root, overrides={"llm": "llama-cpp"})  # a backend: the scan reads the call graph
    project = scan(config)
    result = render_pages(project, RenderOptions())
    return config, project, result.index, names_for(project, result.index, frozenset())


OVERVIEW_ANSWER = {
    "purpose": "The shop sells things. Start with `shop.cart.Cart`.",
    "entry_points": [{"name": "Cart", "role": "Holds the items; call `Cart.checkout` to pay."}],
    "flows": [{"number": 1, "explanation": "A checkout charges the card through `shop.pay.charge`."}],
}
TROUBLESHOOTING_ANSWER = {
    "errors": [
        {"number": 1, "cause": "`shop.pay.charge` got no card.", "fix": "Pass a card."},
        {"number": 2, "cause": "A negative amount.", "fix": "Use positive amounts."},
    ]
}


def run(config, project, index, names, model, **options):
    plans = plan_guides(project, index, "guides")
    return draft_guides(plans, config.docs_path, names, lambda: model, DraftCache(config.cache_path / "drafts.json"), project="shop", **options)


def write_pages(config, result) -> None:
    for page in result.pages:
        target = config.docs_path / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.text, encoding="utf-8")


def test_an_overview_names_a_cross_module_flow_that_resolves(tmp_path: Path) -> None:
    config, project, index, names = project_at(tmp_path)
    plans = {plan.path: plan for plan in plan_guides(project, index, "guides")}
    overview = plans["guides/overview/shop.md"]
    assert ("shop.cart.Cart.checkout", "shop.pay.charge", "shop.pay.validate") in overview.flows
    assert "shop.cart.Cart" in overview.entry_points
    trouble = plans["guides/troubleshooting.md"]
    assert [(e.exception, e.raiser) for e in trouble.errors] == [
        ("shop.errors.PaymentError", "shop.pay.charge"),
        ("ValueError", "shop.pay.validate"),
    ]


def test_entry_points_are_what_the_package_exports_first_and_never_private(tmp_path: Path) -> None:
    files = {
        "tool/__init__.py": '"""A tool."""\nfrom tool.api import run\n',
        "tool/_compat.py": 'def isatty():\n    """Whether we talk to a terminal."""\n    return True\n',
        "tool/api.py": '"""The API."""\nfrom tool import _compat, util\n\n\ndef run():\n    """Run."""\n    return _compat.isatty()\n',
        "tool/util.py": '"""Helpers."""\nfrom tool import _compat\n\n\ndef width():\n    """The width."""\n    return _compat.isatty()\n\n\ndef height():\n    """The height."""\n    return width()\n',
        "tool/cli.py": '"""The CLI."""\nfrom tool import _compat, util\n\n\ndef main():\n    """Main."""\n    util.width()\n    return _compat.isatty()\n',
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    _, project, index, _ = scanned(tmp_path)
    overview = next(plan for plan in plan_guides(project, index, "guides") if plan.path == "guides/overview/tool.md")
    # `isatty` has the most callers, but its module is private: no page shows it.
    assert overview.entry_points[:2] == ("tool.api.run", "tool.util.width")


def test_guides_are_drafted_once_and_then_cost_nothing(tmp_path: Path) -> None:
    config, project, index, names = project_at(tmp_path)
    model = ScriptedLLM([OVERVIEW_ANSWER, TROUBLESHOOTING_ANSWER])
    result = run(config, project, index, names, model)
    assert result.stats.calls == 2 and result.problems == []
    pages = {page.path: page.text for page in result.pages}
    overview = pages["guides/overview/shop.md"]
    assert "Drafted by scripted:test" in overview
    assert "[`shop.pay.charge`](../../reference/shop/pay.md#shop.pay.charge)" in overview
    assert "→" in overview and "## How the parts work together" in overview
    # The flows drawn too, from the call graph, each step linked to its reference anchor.
    assert '<figure class="doc-diagram">' in overview and 'href="../../../reference/shop/pay/#shop.pay.charge"' in overview
    assert "Holds the items" in overview  # `Cart` named by its short name: still its entry point
    assert "no card given for &#123;...&#125;" in pages["guides/troubleshooting.md"]
    assert check(read_guide(overview).body, names) == []
    write_pages(config, result)

    again = run(config, project, index, names, ScriptedLLM([]))
    assert again.stats.calls == 0 and again.stats.cached == 2 and again.drafted == []
    assert [page.text for page in again.pages] == [page.text for page in result.pages]


def test_a_flow_explanation_that_names_none_of_its_steps_is_left_out(tmp_path: Path) -> None:
    config, project, index, names = project_at(tmp_path)
    # What a small model does with a README in its facts: the same words for every flow.
    filler = "Shop sells things to everyone who wants them."
    answer = dict(OVERVIEW_ANSWER, flows=[{"number": 1, "explanation": filler}, {"number": 9, "explanation": "A charge of `shop.pay.charge`."}])
    result = run(config, project, index, names, ScriptedLLM([answer, TROUBLESHOOTING_ANSWER]))
    overview = next(page.text for page in result.pages if page.path == "guides/overview/shop.md")
    assert "1. [`shop.cart.Cart.checkout`]" in overview  # the flow stays, from the call graph
    assert filler not in overview and "A charge of" not in overview  # no flow 9 to explain


def test_a_reference_to_nothing_is_retried_then_dropped(tmp_path: Path) -> None:
    config, project, index, names = project_at(tmp_path)
    invented = dict(OVERVIEW_ANSWER, purpose="The shop sells things. Call `shop.magic.refund` to undo. It is small.")
    model = ScriptedLLM([invented, invented, TROUBLESHOOTING_ANSWER])
    result = run(config, project, index, names, model)
    assert result.stats.calls == 3
    assert "shop.magic.refund" in model.prompts[1][-1]["content"]  # the retry said what was wrong
    overview = next(page.text for page in result.pages if page.path.endswith("shop.md"))
    assert "refund" not in overview and "It is small." in overview
    assert [p.code for p in result.problems] == ["unverified"]


def test_html_from_the_model_is_sanitized(tmp_path: Path) -> None:
    config, project, index, names = project_at(tmp_path)
    hostile = dict(OVERVIEW_ANSWER, purpose='Shop.<script>alert(1)</script> <img src=x onerror="alert(2)">')
    result = run(config, project, index, names, ScriptedLLM([hostile, TROUBLESHOOTING_ANSWER]))
    overview = next(page.text for page in result.pages if page.path.endswith("shop.md"))
    assert "<script" not in overview and "onerror" not in overview


def test_an_edited_guide_is_never_overwritten_and_is_reported_stale(tmp_path: Path) -> None:
    config, project, index, names = project_at(tmp_path)
    result = run(config, project, index, names, ScriptedLLM([OVERVIEW_ANSWER, TROUBLESHOOTING_ANSWER]))
    write_pages(config, result)
    page = config.docs_path / "guides/overview/shop.md"
    edited = page.read_text(encoding="utf-8") + "\nA note of mine.\n"
    page.write_text(edited, encoding="utf-8")
    pay = tmp_path / "shop/pay.py"
    pay.write_text(pay.read_text().replace("Charge `amount` to `card`.", "Take `amount` from `card`."))
    config, project, index, names = scanned(tmp_path)
    model = ScriptedLLM([TROUBLESHOOTING_ANSWER])  # only the troubleshooting guide may be redrafted
    again = run(config, project, index, names, model)
    texts = {p.path: p.text for p in again.pages}
    assert texts["guides/overview/shop.md"] == edited
    stale = [p for p in again.problems if p.code == "stale-guide"]
    assert len(stale) == 1 and "shop.pay.charge changed" in stale[0].message
    assert again.drafted == ["guides/troubleshooting.md"] and again.stats.calls == 1


def test_a_page_of_the_users_at_a_guide_path_wins(tmp_path: Path) -> None:
    config, project, index, names = project_at(tmp_path)
    mine = config.docs_path / "guides/troubleshooting.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("# My own troubleshooting\n", encoding="utf-8")
    result = run(config, project, index, names, ScriptedLLM([OVERVIEW_ANSWER]))
    assert [page.path for page in result.pages] == ["guides/overview/shop.md"]
    assert mine.read_text() == "# My own troubleshooting\n"


def test_a_budget_drafts_the_most_important_guide_first(tmp_path: Path) -> None:
    config, project, index, names = project_at(tmp_path)
    result = run(config, project, index, names, ScriptedLLM([OVERVIEW_ANSWER, TROUBLESHOOTING_ANSWER]), budget=100)
    assert result.drafted == ["guides/overview/shop.md"]
    assert [p.message for p in result.problems] == ["not drafted: the llm budget is spent"]


class ConcurrentLLM(ScriptedLLM):
    """Answers by what is asked (calls made at once come in any order), and only once
    `together` calls are in flight at the same time."""

    def __init__(self, together: int) -> None:
        super().__init__([])
        self.meeting = threading.Barrier(together, timeout=10)

    def complete(self, messages, *, max_tokens, schema=None) -> Completion:
        self.meeting.wait()  # BrokenBarrierError, and no guide, when the calls come one at a time
        answer = OVERVIEW_ANSWER if "purpose" in schema["properties"] else TROUBLESHOOTING_ANSWER
        return Completion(json.dumps(answer), Usage(100, 50), 0.01)


def test_workers_draft_guides_at_once_and_publish_them_in_plan_order(tmp_path: Path) -> None:
    config, project, index, names = project_at(tmp_path)
    one_by_one = run(config, project, index, names, ScriptedLLM([OVERVIEW_ANSWER, TROUBLESHOOTING_ANSWER]))
    (config.cache_path / "drafts.json").unlink()
    at_once = run(config, project, index, names, ConcurrentLLM(together=2), workers=2)
    assert at_once.stats.calls == 2 and at_once.problems == []
    assert at_once.drafted == one_by_one.drafted == ["guides/overview/shop.md", "guides/troubleshooting.md"]
    assert [page.text for page in at_once.pages] == [page.text for page in one_by_one.pages]
    assert len(DraftCache(config.cache_path / "drafts.json").entries) == 2  # both kept, neither lost to the other


def test_an_answer_keeps_only_whole_sentences_of_the_models_own(tmp_path: Path) -> None:
    _, _, _, names = project_at(tmp_path)
    schema = {
        "type": "object",
        "properties": {"entries": {"type": "array", "items": {"type": "object", "properties": {"answer": {"type": "string", "maxLength": 48}}}}},
    }
    cut = "Carts hold items. Pay with `shop.cart.Cart.check"  # 48 characters: where the decoder stopped
    answers = [
        {"answer": cut},
        {"answer": "Entries are short. They end well, all of them."},  # 46 characters: under the limit
        {"answer": "Settings: - `shop.cart.Cart`: Items a customer"},  # the facts, copied
        {"answer": "Task: Write the FAQ of the shop."},  # the task, copied
        {"answer": "A sentence that the limit cut, with no end to it"},  # 48 characters, no sentence end
        {"answer": "Items a customer. Will Signature: `def f()`"},  # a fact copied, its signature after it
        {"answer": "Pass `cls`. Then they will be"},  # stopped mid-sentence, under the limit (click's option how-to)
        {"answer": "Holds the items"},  # one sentence without its full stop
    ]
    chat = [{"role": "user", "content": "Facts:\n\nSettings:\n- `shop.cart.Cart`: Items a customer will buy.\n\nTask: Write the FAQ of the shop."}]
    problems: list = []
    answer = ask(chat, schema, 500, ScriptedLLM([{"entries": answers}]), names, Drafting(lambda: None), "faq.md", problems)
    assert [entry["answer"] for entry in answer["entries"]] == [
        "Carts hold items.", answers[1]["answer"], "", "", "", "Items a customer.", "Pass `cls`.", "Holds the items"
    ]  # fmt: skip
    assert problems == []  # the cut name was never checked: its sentence went first


def test_a_model_that_fails_costs_its_guides_not_the_build(tmp_path: Path) -> None:
    config, project, index, names = project_at(tmp_path)

    def broken():
        raise LLMError("the endpoint answered HTTP 503: overloaded")

    plans = plan_guides(project, index, "guides")
    result = draft_guides(plans, config.docs_path, names, broken, DraftCache(config.cache_path / "d.json"), project="shop")
    assert result.pages == [] and [p.code for p in result.problems] == ["llm"]
    assert "HTTP 503" in result.problems[0].message


@pytest.mark.parametrize(
    ("text", "unresolved"),
    [
        ("Use `shop.cart.Cart` and `Cart.checkout()`.", []),
        ("Use `os.path.join` and `json` and `card`.", []),
        ("Call `shop.cart.Basket`.", ["shop.cart.Basket"]),
        ("```python\nfrom shop.cart import Cart\nCart().checkout('x')\n```", []),
        ("```python\nfrom shop.cart import Trolley\n```", ["shop.cart.Trolley"]),
        ("```python\nimport shop\nshop.refund()\n```", ["shop.refund"]),
        ("```python\ndef broken(:\n```", ["```python"]),
        ("```python\nfrom shop.cart import Cart\nCart()\nnaval()\n```", ["```python"]),  # never defined: a NameError
        ("```python\nfrom shop.cart import *\nCart()\n```", []),  # what `*` binds, no one can tell
        # A value's attribute: a member of the project's (requests' troubleshooting named `response.text`).
        ("Then call `cart.checkout()` on it.", []),
        ("Then call `cart.explode()` on it.", ["cart.explode()"]),
        ("Then call `shop.checkout()`.", ["shop.checkout()"]),  # a module's: it must be there
        # Code written on one line in a span is code: requests' FAQ answered in such spans.
        ("For example: `import shop; shop.pay.refund(1)`.", ["shop.pay.refund"]),
        ("For example: `from shop.pay import charge; charge('4242', 3)`.", []),
        # A later block may use what an earlier one made, as a tutorial's steps do.
        ("```python\nfrom shop.cart import Cart\ncart = Cart()\n```\n\nThen:\n\n```python\ncart.checkout('x')\n```", []),
        ("```python\nx = " + "-" * 150_000 + "1\n```", ["```python"]),  # too deep to parse: MemoryError, once a crash
        ("```python\nimport requests_oauthlib\n```", ["requests_oauthlib"]),
        ("Settings go in `pyproject.toml`; the cart is in `shop/cart.py` and `README.md`.", []),  # files, not code
        # A block flattened into a sentence: no page shows it as code (the FAQ of click had one).
        ("For example: ```python import shop @shop.cart def f(): pass```", ["```python import shop @shop.cart def f(): pass```"]),
    ],
)
def test_the_verifier(tmp_path: Path, text: str, unresolved: list[str]) -> None:
    _, _, _, names = project_at(tmp_path)
    assert [item.reference for item in check(text, names)] == unresolved


def test_drop_removes_the_whole_paragraph_holding_a_flattened_code_block(tmp_path: Path) -> None:
    _, _, _, names = project_at(tmp_path)
    text = "Carts hold items.\n\nHere it is. ```python import shop.cart c = shop.cart.Cart()``` Then pay.\n"
    assert drop(text, check(text, names)) == "Carts hold items.\n"


def test_drop_removes_only_the_sentence_that_names_nothing(tmp_path: Path) -> None:
    _, _, _, names = project_at(tmp_path)
    text = "First `shop.cart.Cart`. Then `shop.nope`. Last.\n\n```python\nimport shop\nshop.nope()\n```\n\nEnd."
    assert drop(text, check(text, names)) == "First `shop.cart.Cart`. Last.\n\nEnd.\n"


def test_committed_guides_stay_current_in_a_build_without_a_model(tmp_path: Path) -> None:
    config, project, index, names = project_at(tmp_path)
    write_pages(config, run(config, project, index, names, ScriptedLLM([OVERVIEW_ANSWER, TROUBLESHOOTING_ANSWER])))
    config = load_config(tmp_path)  # DOCGEN_LLM=none, as in CI
    assert config.llm.backend == "none"
    project = scan(config)
    index = render_pages(project, RenderOptions()).index
    again = run(config, project, index, names, None)
    assert again.problems == [] and again.stats.cached == 2 and again.stats.calls == 0


def test_an_answer_that_is_not_json_is_asked_again_once(tmp_path: Path) -> None:
    config, project, index, names = project_at(tmp_path)
    model = ScriptedLLM(['{"purpose": "cut off', OVERVIEW_ANSWER, "not json", "still not"])
    result = run(config, project, index, names, model)
    assert result.drafted == ["guides/overview/shop.md"]
    assert "JSON only" in model.prompts[1][-1]["content"]
    assert [(p.code, p.file) for p in result.problems] == [("llm", "docs/guides/troubleshooting.md")]


def test_an_error_raised_by_a_method_of_a_private_class_is_not_a_troubleshooting_entry(tmp_path: Path) -> None:
    """Its raiser is on no reference page: the guide would name code the docs do not show."""
    project_at(tmp_path)
    (tmp_path / "shop" / "pay.py").write_text(
        (tmp_path / "shop" / "pay.py").read_text(encoding="utf-8")
        + '\n\nclass _Ledger:\n    def post(self, amount: int) -> None:\n        """Post an amount."""\n'
        + '        raise ValueError("the ledger is closed")\n',
        encoding="utf-8",
    )
    _, project, index, _ = scanned(tmp_path)
    plans = {plan.path: plan for plan in plan_guides(project, index, "guides")}
    raisers = {entry.raiser for entry in plans["guides/troubleshooting.md"].errors}
    assert "shop.pay.charge" in raisers and not any("_Ledger" in raiser for raiser in raisers)


def test_override_me_and_cannot_happen_errors_are_not_troubleshooting_entries(tmp_path: Path) -> None:
    """An abstract method's NotImplementedError and an AssertionError are not a user's
    trouble: each would cost a model call to explain "subclass it" or "a bug"."""
    project_at(tmp_path)
    (tmp_path / "shop" / "pay.py").write_text(
        (tmp_path / "shop" / "pay.py").read_text(encoding="utf-8")
        + '\n\nclass Gateway:\n    """A payment gateway."""\n\n    def send(self, amount: int) -> None:\n        """Send an amount."""\n'
        + '        raise NotImplementedError("gateways must send")\n\n    def check(self, amount: int) -> None:\n'
        + '        """Check an amount."""\n        raise AssertionError("negative amount")\n',
        encoding="utf-8",
    )
    _, project, index, _ = scanned(tmp_path)
    plans = {plan.path: plan for plan in plan_guides(project, index, "guides")}
    assert [entry.exception for entry in plans["guides/troubleshooting.md"].errors] == ["shop.errors.PaymentError", "ValueError"]


def test_an_overview_schema_asks_for_what_the_facts_hold_neither_more_nor_fewer(tmp_path: Path) -> None:
    config, project, index, names = project_at(tmp_path)
    model = ScriptedLLM([OVERVIEW_ANSWER, TROUBLESHOOTING_ANSWER])
    model.schemas = []
    complete = model.complete

    def keep(messages, *, max_tokens, schema=None):
        model.schemas.append(schema)
        return complete(messages, max_tokens=max_tokens, schema=schema)

    model.complete = keep
    run(config, project, index, names, model)
    overview, trouble = model.schemas
    # An empty list is what a small model writes when it may: the entry points' roles and
    # the flows' explanations are required, as many as the facts hold (up to the limits).
    assert overview["properties"]["flows"]["minItems"] == overview["properties"]["flows"]["maxItems"] == 1
    assert overview["properties"]["entry_points"]["minItems"] >= 1
    assert trouble["properties"]["errors"]["minItems"] == trouble["properties"]["errors"]["maxItems"] == 2


def test_check_reports_committed_guides_whose_code_changed_and_writes_nothing(tmp_path: Path) -> None:
    from docgen.check import check_project

    config, project, index, names = project_at(tmp_path)
    write_pages(config, run(config, project, index, names, ScriptedLLM([OVERVIEW_ANSWER, TROUBLESHOOTING_ANSWER])))
    assert not [p for p in check_project(load_config(tmp_path)).problems if p.code.startswith("stale")]
    pay = tmp_path / "shop/pay.py"
    pay.write_text(pay.read_text().replace("Charge `amount` to `card`.", "Take `amount` from `card`."))
    guides = {path: path.read_bytes() for path in (tmp_path / "docs").rglob("*") if path.is_file()}
    stale = [p for p in check_project(load_config(tmp_path)).problems if p.code == "stale-guide"]
    assert [p.file for p in stale] == ["docs/guides/overview/shop.md", "docs/guides/troubleshooting.md"]
    assert all("shop.pay.charge changed" in p.message and "`docgen build` drafts it again" in p.message for p in stale)
    assert {path: path.read_bytes() for path in (tmp_path / "docs").rglob("*") if path.is_file()} == guides


def test_an_error_a_function_makes_is_raised_as_the_class_it_returns_never_as_the_function(tmp_path: Path) -> None:
    config, *_ = project_at(tmp_path)
    (tmp_path / "shop/refunds.py").write_text(textwrap.dedent('''
        """Refunds."""
        from shop.errors import PaymentError


        def _refused(card: str, code: int) -> PaymentError:
            return PaymentError(f"{card}: {code}")


        def _nothing(card: str):
            return ValueError(card)


        def refund(card: str) -> None:
            """Give the money back to `card`."""
            if not card:
                raise _refused("no card", 3)
            raise _nothing(card)
    '''))
    _, project, index, _ = scanned(tmp_path)
    trouble = {plan.path: plan for plan in plan_guides(project, index, "guides")}["guides/troubleshooting.md"]
    # docgen's own guide listed `docgen.check.revisions._failed` as an error, which no page documents.
    assert ("shop.errors.PaymentError", "", "shop.refunds.refund") in [(e.exception, e.message, e.raiser) for e in trouble.errors]
    assert not [e for e in trouble.errors if "_refused" in e.exception or "_nothing" in e.exception]
