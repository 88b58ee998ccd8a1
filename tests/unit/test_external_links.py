"""Links into other projects' docs from their objects.inv (the `inventories` setting): real
inventories written by sphobjinv, a real scan and render, and a real HTTP server on
127.0.0.1 for the fetched ones."""

from __future__ import annotations

import http.server
import json
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sphobjinv

from docgen.config import load_config
from docgen.errors import ConfigError
from docgen.generate.external_links import load_external_links
from docgen.generate.reference import RenderOptions, plan_pages, render_pages
from docgen.scan import scan

MODULE = '''
    """Paths."""
    import numpy as np
    from pathlib import Path


    def load(path: Path, shape: np.ndarray, name: str, extra: body) -> list[str]:
        """Read `path` with `json.loads`; see [the path type][pathlib.Path] and `evil.thing`.

        A bare `list` is a word here; `np.ndarray` is numpy's.
        """
'''


def inventory(*entries: tuple[str, str, str, str]) -> bytes:
    """An objects.inv of (name, domain, role, uri) entries, as Sphinx writes one."""
    made = sphobjinv.Inventory()
    made.project, made.version = "Python", "3.13"
    for name, domain, role, uri in entries:
        made.objects.append(sphobjinv.DataObjStr(name=name, domain=domain, role=role, priority="1", uri=uri, dispname="-"))
    return sphobjinv.compress(made.data_file(contract=True))


PYTHON = inventory(
    ("pathlib.Path", "py", "class", "library/pathlib.html#$"),
    ("str", "py", "class", "library/stdtypes.html#$"),
    ("list", "py", "class", "library/stdtypes.html#$"),
    ("json.loads", "py", "function", "library/json.html#$"),
    ("evil.thing", "py", "function", "javascript:alert(1)//"),
    ("tutorial", "std", "label", "tutorial/index.html"),
    ("body", "py", "data", "development/templating.html#$"),  # as Sphinx's own inventory lists it
)
NUMPY = inventory(("numpy.ndarray", "py", "class", "reference/generated/numpy.ndarray.html#$"), ("str", "py", "class", "numpy-str.html"))


def project(root: Path, inventories: str) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text('"""Package."""\n')
    (root / "pkg" / "paths.py").write_text(textwrap.dedent(MODULE).lstrip())
    (root / "inv").mkdir()
    (root / "inv" / "python.inv").write_bytes(PYTHON)
    (root / "inv" / "numpy.inv").write_bytes(NUMPY)
    (root / "docgen.toml").write_text(f"inventories = {inventories}\n")
    return root


LOCAL = '[{url = "https://docs.python.org/3/", file = "inv/python.inv"}, {url = "https://numpy.org/doc/stable/", file = "inv/numpy.inv"}]'


def rendered(root: Path) -> tuple[str, list]:
    config = load_config(root)
    external, problems = load_external_links(config)
    project = scan(config)
    options = RenderOptions.of(config)
    pages = render_pages(project, options, plan=plan_pages(project, options, external)).pages
    return next(page.markdown for page in pages if page.path == "reference/pkg/paths.md"), problems


def test_names_of_other_projects_link_to_their_docs(tmp_path: Path) -> None:
    page, problems = rendered(project(tmp_path, LOCAL))
    assert problems == []
    # In the signature, through the module's imports and as builtins.
    assert '<a href="https://docs.python.org/3/library/pathlib.html#pathlib.Path">Path</a>' in page
    assert '<a href="https://numpy.org/doc/stable/reference/generated/numpy.ndarray.html#numpy.ndarray">np.ndarray</a>' in page
    assert '<a href="https://docs.python.org/3/library/stdtypes.html#str">str</a>' in page  # the first inventory wins
    # In prose: dotted or imported names, and explicit references; a bare word stays a word.
    assert "[`json.loads`](https://docs.python.org/3/library/json.html#json.loads)" in page
    assert "[the path type](https://docs.python.org/3/library/pathlib.html#pathlib.Path)" in page
    assert "A bare `list` is a word" in page
    assert "templating" not in page  # `body`, a bare name that is no builtin: a word, not a link
    assert "javascript" not in page and "`evil.thing`" in page  # an inventory's URL is untrusted


def test_without_inventories_nothing_links_out(tmp_path: Path) -> None:
    page, _ = rendered(project(tmp_path, "[]"))
    assert "https://" not in page


def test_a_damaged_or_missing_inventory_is_one_problem_and_the_rest_still_link(tmp_path: Path) -> None:
    root = project(tmp_path, '[{url = "https://x.org/", file = "inv/broken.inv"}, {url = "https://y.org/", file = "inv/gone.inv"}, ' + LOCAL[1:])
    (root / "inv" / "broken.inv").write_bytes(b"# Sphinx inventory version 2\n# Project: x\nnot zlib at all")
    page, problems = rendered(root)
    assert [(p.code, p.file) for p in problems] == [("inventory", "inv/broken.inv"), ("inventory", "inv/gone.inv")]
    assert "not a Sphinx inventory" in problems[0].message and "its links are left out" in problems[0].message
    assert "https://docs.python.org/3/library/pathlib.html#pathlib.Path" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('["ftp://x.org/objects.inv"]', "http or https URL"),
        ('[{file = "inv/python.inv"}]', "a URL, or a table with url"),
        ('[{url = "https://x.org/", file = "../python.inv"}]', "inside the project"),
        ('[{url = "https://x.org/", path = "a.inv"}]', "unknown key 'inventories.path'"),
        ("[3]", "a URL, or a table with url"),
    ],
)
def test_bad_inventory_settings_are_one_line_errors(tmp_path: Path, value: str, message: str) -> None:
    (tmp_path / "docgen.toml").write_text(f"inventories = {value}\n")
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path)


class _Server:
    """objects.inv on 127.0.0.1, counting the requests it answers."""

    def __init__(self, body: bytes, port: int = 0) -> None:
        self.body, self.requests = body, 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                self.send_response(200)
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/3/objects.inv"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[_Server]:
    running = _Server(PYTHON)
    yield running
    running.stop()


def test_an_inventory_given_by_url_is_fetched_once_then_read_from_the_cache(tmp_path: Path, server: _Server) -> None:
    root = project(tmp_path, json.dumps([server.url]))
    page, problems = rendered(root)
    assert problems == [] and server.requests == 1
    base = server.url.removesuffix("objects.inv")
    assert f'<a href="{base}library/pathlib.html#pathlib.Path">Path</a>' in page
    again, _ = rendered(root)
    assert again == page and server.requests == 1  # from .docgen/inventories/, no request
    server.stop()
    for cached in (root / ".docgen" / "inventories").iterdir():  # a week later, and offline
        import os

        os.utime(cached, (0, 0))
    offline, problems = rendered(root)
    assert offline == page and problems == []  # the copy kept beats no links


def test_an_inventory_that_cannot_be_fetched_is_one_problem(tmp_path: Path, server: _Server) -> None:
    url = server.url
    server.stop()
    page, problems = rendered(project(tmp_path, json.dumps([url])))
    assert [p.code for p in problems] == ["inventory"] and f"cannot fetch inventory {url}" in problems[0].message
    assert "pathlib.html" not in page


def test_an_imported_name_is_only_what_it_was_imported_as(tmp_path: Path) -> None:
    root = project(tmp_path, LOCAL)
    (root / "pkg" / "paths.py").write_text(
        '"""Paths."""\nfrom pkg.util import json\n\n\ndef f() -> None:\n    """Uses `json.loads` and [a project name][pkg.missing]."""\n'
    )
    (root / "pkg" / "util.py").write_text('"""Util."""\njson = None\n')
    (root / "inv" / "python.inv").write_bytes(inventory(("json.loads", "py", "function", "json.html#$"), ("pkg.missing", "py", "function", "x.html#$")))
    page, _ = rendered(root)
    assert "json.html" not in page  # `json` here is pkg.util's, not the standard library's
    assert "x.html" not in page and "[a project name][pkg.missing]" not in page  # the project's own name: never linked out


def test_only_a_trailing_dollar_is_the_objects_name(tmp_path: Path) -> None:
    root = project(tmp_path, LOCAL)
    (root / "inv" / "python.inv").write_bytes(inventory(("pathlib.Path", "py", "class", "lib$dir/pathlib.html#$")))
    page, _ = rendered(root)
    assert "https://docs.python.org/3/lib$dir/pathlib.html#pathlib.Path" in page


def test_an_inventory_that_inflates_without_end_is_refused(tmp_path: Path) -> None:
    import zlib

    from docgen.generate import external_links

    root = project(tmp_path, '[{url = "https://x.org/", file = "inv/bomb.inv"}]')
    header = b"# Sphinx inventory version 2\n# Project: x\n# Version: 1\n# The remainder of this file is compressed using zlib.\n"
    (root / "inv" / "bomb.inv").write_bytes(header + zlib.compress(b"a" * (external_links.MAX_BYTES + 10), 9))
    _, problems = rendered(root)
    assert [p.code for p in problems] == ["inventory"] and "inflates to more than" in problems[0].message


def test_a_fetched_file_that_is_no_inventory_is_not_kept(tmp_path: Path, server: _Server) -> None:
    server.body = b"<html>a captive portal</html>"
    root = project(tmp_path, json.dumps([server.url]))
    _, problems = rendered(root)
    assert [p.code for p in problems] == ["inventory"] and problems[0].file == "docgen.toml"  # relative, as every problem's
    server.body = PYTHON  # the next build fetches again: nothing bad was kept
    page, problems = rendered(root)
    assert problems == [] and server.requests == 2 and "pathlib.html" in page
