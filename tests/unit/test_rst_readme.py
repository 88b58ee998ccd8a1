"""A README.rst read as the guides read a README: its code fenced, its titles marked, and
the tutorial and the overview drafted from it (a real scan of the shop)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from docgen.build import guide_plans
from docgen.scan.rst_readme import rst_as_markdown
from docgen.scan.usage import read_usage_files
from tests.unit.test_guides import project_at, scanned

README = """
    Shop
    ====

    A tiny shop.

    .. image:: https://example.com/badge.svg
       :alt: the badge

    .. |pypi| image:: https://example.com/pypi.svg

    Install
    -------

    .. code-block:: console

        $ pip install shop

    Usage
    -----

    Fill a cart, then pay:

    .. code-block:: python
        :emphasize-lines: 2

        from shop.cart import Cart

        cart = Cart()
        cart.checkout("4242")

    Or charge a card yourself::

        from shop.pay import charge
        charge("4242", 3)

    >>> from shop.pay import validate
    >>> validate(1)
    1

    .. include:: /etc/passwd

    .. _pip: https://example.com/pip-badge
"""


def test_literal_blocks_are_fenced_and_titles_marked() -> None:
    text = rst_as_markdown(textwrap.dedent(README))
    assert text.startswith("\n# Shop\n\nA tiny shop.")
    assert "# Install" in text and "# Usage" in text and "=====" not in text and "-----" not in text
    assert "```console\n$ pip install shop\n```" in text
    # The option line is the directive's, not code; the code is dedented, its blank line kept.
    assert '```python\nfrom shop.cart import Cart\n\ncart = Cart()\ncart.checkout("4242")\n```' in text
    assert "emphasize-lines" not in text
    # `yourself::` introduces a literal block: the paragraph reads `yourself:`.
    assert 'Or charge a card yourself:\n\n```python\nfrom shop.pay import charge\ncharge("4242", 3)\n```' in text
    assert "```pycon\n>>> from shop.pay import validate\n>>> validate(1)\n1\n```" in text
    assert ".. include:: /etc/passwd" in text  # text, never run
    assert "image::" not in text and "badge" not in text  # nothing to read: no room taken from the rest


def test_a_lone_double_colon_an_overlined_title_and_a_literal_block_of_text() -> None:
    text = rst_as_markdown("=====\nTitle\n=====\n\nSee ::\n\n    not python at all ?\n\nAfter.\n")
    assert text.splitlines()[:2] == ["# Title", ""]
    assert "See\n\n```text\nnot python at all ?\n```\n\nAfter." in text
    assert "::" not in text


def test_a_literal_block_too_deep_to_parse_is_text_not_a_crash() -> None:
    deep = "-" * 150_000 + "1"  # ast.parse raises MemoryError on it
    assert f"```text\n{deep}\n```" in rst_as_markdown(f"Example::\n\n    {deep}\n")


def test_the_tutorial_and_the_overview_are_drafted_from_a_readme_rst(tmp_path: Path) -> None:
    project_at(tmp_path)
    (tmp_path / "README.rst").write_text(textwrap.dedent(README), encoding="utf-8")
    config, project, index, _ = scanned(tmp_path)
    usage = read_usage_files(config)
    assert [f.path for f in usage] == ["README.rst"]  # in the build's inputs: an edit drafts again
    plans = {plan.path: plan for plan in guide_plans(config, project, index, usage)}
    tutorial = plans["guides/tutorial.md"]
    assert 'cart.checkout("4242")' in tutorial.facts[0] and "Fill a cart, then pay:" in tutorial.facts[0]
    assert "From `README.rst`" in tutorial.facts[0] and [path for path, _ in tutorial.evidence.files] == ["README.rst"]
    overview = plans["guides/overview/shop.md"]
    assert "From README.rst:\n# Shop\n\nA tiny shop." in overview.facts[0]
    assert "guides/faq.md" in plans  # a README is enough to ground an FAQ


def test_a_readme_rst_linked_from_outside_the_project_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.rst"
    outside.write_text("Secret\n======\n\nfrom shop.cart import Cart::\n\n    Cart()\n", encoding="utf-8")
    project = tmp_path / "project"
    project_at(project)
    os.symlink(outside, project / "README.rst")
    config, *_ = scanned(project)
    assert read_usage_files(config) == ()


def test_a_readme_rst_beside_a_readme_md_is_no_input(tmp_path: Path) -> None:
    project_at(tmp_path)
    (tmp_path / "README.rst").write_text(textwrap.dedent(README), encoding="utf-8")
    (tmp_path / "Readme.md").write_text("# Shop\n\nThe shop.\n", encoding="utf-8")
    config, *_ = scanned(tmp_path)
    assert [f.path for f in read_usage_files(config)] == []  # the guides quote the README.md: an edit to the rst drafts nothing


def test_link_references_read_as_their_words_and_a_shell_session_is_console() -> None:
    text = rst_as_markdown(
        "Install with `pip`_, see `the docs <https://x.example>`_ and `please\ndonate today`__.\n\n"
        ".. code-block:: text\n\n    $ pip install -U shop\n\n"
        "Code::\n\n    name = `pip`_\n\n.. _pip: https://pip.pypa.io\n"
    )
    assert "Install with pip, see the docs and please\ndonate today." in text
    assert "```console\n$ pip install -U shop\n```" in text  # click's README fences its sessions as text
    assert "name = `pip`_" in text  # code stays as written
