"""`inventories` through `docgen build`: the site links out to other projects' docs, and
an inventory that cannot be read is a problem that `--strict` fails on, the site built."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from docgen.cli import main
from tests.unit.test_external_links import LOCAL, project


def build(root: Path, *args: str):
    return CliRunner().invoke(main, ["build", str(root), "--json", *args])


def test_the_site_links_to_other_projects_docs(tmp_path: Path) -> None:
    root = project(tmp_path, LOCAL)
    result = build(root, "--strict")
    assert result.exit_code == 0, result.output
    html = (root / "site/reference/pkg/paths/index.html").read_text(encoding="utf-8")
    assert 'href="https://docs.python.org/3/library/pathlib.html#pathlib.Path"' in html
    assert 'href="https://docs.python.org/3/library/json.html#json.loads"' in html
    # A new inventory file is a change: the next build renders the pages again.
    (root / "inv" / "python.inv").write_bytes((root / "inv" / "numpy.inv").read_bytes())
    result = build(root)
    assert json.loads(result.stdout)["status"] != "unchanged"
    assert "pathlib.html" not in (root / "site/reference/pkg/paths/index.html").read_text(encoding="utf-8")


def test_an_unreadable_inventory_fails_strict_and_leaves_a_site(tmp_path: Path) -> None:
    root = project(tmp_path, '[{url = "https://x.org/", file = "inv/gone.inv"}]')
    result = build(root, "--strict")
    assert result.exit_code == 1
    problems = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "inventory"]
    assert len(problems) == 1 and problems[0]["file"] == "inv/gone.inv"
    assert (root / "site/reference/pkg/paths/index.html").is_file()


def test_check_links_out_as_the_build_does(tmp_path: Path) -> None:
    root = project(tmp_path, LOCAL)
    result = CliRunner().invoke(main, ["check", str(root), "--format", "json"])
    problems = json.loads(result.output)["problems"]
    assert not [p for p in problems if p["code"] == "broken-reference"]  # `[the path type][pathlib.Path]` links out


def test_an_inventory_that_could_not_be_fetched_is_fetched_by_the_next_build(tmp_path: Path) -> None:
    from tests.unit.test_external_links import PYTHON, _Server

    server = _Server(PYTHON)
    url = server.url
    server.stop()
    root = project(tmp_path, json.dumps([url]))
    first = json.loads(build(root).stdout)
    assert "inventory" in [p["code"] for p in first["problems"]]
    server = _Server(PYTHON, port=int(url.split(":")[2].split("/")[0]))  # the network is back
    try:
        second = json.loads(build(root).stdout)
    finally:
        server.stop()
    assert second["status"] != "unchanged" and second["problems"] == []
    assert "pathlib.html" in (root / "site/reference/pkg/paths/index.html").read_text(encoding="utf-8")
