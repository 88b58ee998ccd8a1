"""The rules of `docgen check` on small real projects: drift between docstrings and code in
Python, C and TypeScript, links in the user's Markdown, and coverage per module."""

from __future__ import annotations

import textwrap
from pathlib import Path

from docgen.check import check_project
from docgen.config import load_config


def write(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def problems(root: Path, code: str) -> list[str]:
    return [str(p) for p in check_project(load_config(root)).problems if p.code == code]


def test_python_drift_in_types_defaults_and_raises(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/__init__.py": '''
        """Finding things."""


        class Missing(Exception):
            """Nothing there."""


        def find(name: str, limit: int = 3, *, strict: bool = True) -> str:
            """Find a thing.

            Args:
                name (int): What to find.
                limit: At most this many. Defaults to 5.
                strict: Refuse near matches. Defaults to ``True``.

            Raises:
                Missing: When absent.
                KeyError: When the index is broken.
            """
            return name


        def lookup(name: str) -> str:
            """Look `name` up.

            Args:
                name: What to find. Defaults to the terminal's width.

            Raises:
                Missing: When absent.
            """
            raise Missing(name)


        def half(name: str, size: int) -> str:
            """Half documented.

            Args:
                name: A name.
            """
            return name
    '''})
    assert problems(tmp_path, "drift") == [
        "pkg/__init__.py:12: `pkg.find`: parameter `name` is documented as `int` but annotated `str`",
        "pkg/__init__.py:13: `pkg.find`: parameter `limit` is documented to default to `5` but defaults to `3`",
        "pkg/__init__.py:17: `pkg.find` documents raising `Missing`, which neither it nor the project code it calls raises",
        "pkg/__init__.py:36: `pkg.half` does not document parameter `size`",
    ]


def test_an_error_raised_by_a_callee_is_no_drift(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/__init__.py": '''
        """Finding things."""


        class Missing(Exception):
            """Nothing there."""


        def find(name: str) -> str:
            """Find a thing.

            Raises:
                Missing: When absent.
            """
            return _lookup(name)


        def _lookup(name: str) -> str:
            raise Missing(name)
    '''})
    assert problems(tmp_path, "drift") == []


def test_doc_comments_of_other_languages_name_parameters_that_exist(tmp_path: Path) -> None:
    write(tmp_path, {
        "api.h": """
            /**
             * Add two numbers.
             * @param a the first
             * @param c gone
             */
            int add(int a, int b);
        """,
        "util.ts": """
            /**
             * Scale a value.
             * @param value - what to scale
             * @param factor - by how much
             */
            export function scale(value: number): number { return value; }
        """,
    })
    assert problems(tmp_path, "drift") == [
        "api.h:6: `api.h::add` documents parameter `c`, which it does not take",
        "api.h:6: `api.h::add` does not document parameter `b`",
        "util.ts:6: `util.ts::scale` documents parameter `factor`, which it does not take",
    ]


def test_links_in_the_users_markdown_lead_somewhere(tmp_path: Path) -> None:
    write(tmp_path, {
        "pkg/__init__.py": '"""A package."""\n',
        "README.md": "# Pkg\n\nRead [the docs](docs/guide.md) and [missing](docs/nope.md).\n",
        "docs/advanced/transports.md": "# Transports\n",
        "docs/guide.md": """
            # Guide

            The [API](reference/pkg/index.md), [home](index.md), [a file](../pkg/__init__.py),
            [a section](#guide), [elsewhere](https://example.com/x.md) and
            ![a picture](img/missing.png).
            As [served](../advanced/transports#mounts) at the page's URL.

            ```markdown
            [in code](nowhere.md)
            ```
        """,
    })
    assert problems(tmp_path, "broken-link") == [
        "README.md:3: link to `nope.md`, which does not exist",  # as the home page links it
        "docs/guide.md:5: link to `img/missing.png`, which does not exist",
    ]


def test_coverage_is_counted_per_module_by_the_rule_of_the_reference(tmp_path: Path) -> None:
    write(tmp_path, {
        "pkg/__init__.py": '"""A package."""\n',
        "pkg/a.py": '"""A."""\n\ndef one():\n    """One."""\n\ndef two():\n    pass\n\ndef _private():\n    pass\n',
        "pkg/b.py": '"""B."""\n\nclass Three:\n    pass\n',
    })
    report = check_project(load_config(tmp_path))
    assert [(m.module, m.public, m.documented) for m in report.coverage.modules] == [("pkg.a", 2, 1), ("pkg.b", 1, 0)]
    assert round(report.coverage.share, 4) == 0.3333
    assert [p.symbol for p in report.problems if p.code == "undocumented"] == ["pkg.a.two", "pkg.b.Three"]
