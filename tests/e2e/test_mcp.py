"""`docgen mcp`: the tools through the MCP SDK's own client, in process, on the real
knowledge base of the sample; and the stdio server as an agent launches it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import anyio
import pytest
from mcp import Client

from docgen.config import load_config
from docgen.mcp_server import create_server
from tests.building import run


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import SAMPLE

    root = tmp_path_factory.mktemp("mcp") / "sample"
    shutil.copytree(SAMPLE, root)
    run(root, index={"enabled": True})
    return root


def call(server, tool: str, arguments: dict) -> tuple[bool, object]:
    async def go():
        async with Client(server) as client:
            result = await client.call_tool(tool, arguments)
            text = " ".join(getattr(part, "text", "") for part in result.content)
            return bool(result.is_error), (text if result.is_error else result.structured_content)

    return anyio.run(go)


def test_the_tools_are_listed_with_their_descriptions(built: Path) -> None:
    async def go():
        async with Client(create_server(load_config(built))) as client:
            return {tool.name: tool.description for tool in (await client.list_tools()).tools}

    tools = anyio.run(go)
    assert set(tools) == {"search", "ask", "get_symbol", "read_page"}
    assert all(description for description in tools.values())


def test_search_gives_the_hits_of_docgen_search(built: Path) -> None:
    error, result = call(create_server(load_config(built)), "search", {"query": "Tokenizer.decode", "limit": 3})
    assert not error
    assert result["results"][0]["symbol"] == "sample_pkg.tokenizer.Tokenizer.decode"
    assert "commit" in result


def test_get_symbol_gives_signature_docs_location_and_page(built: Path) -> None:
    error, result = call(create_server(load_config(built)), "get_symbol", {"symbol": "sample_pkg.tokenizer.Tokenizer.decode"})
    assert not error
    assert result["signature"].startswith("def decode(")
    assert result["docs"].startswith("Decode ids back into text.")
    assert (result["file"], result["line"]) == ("src/sample_pkg/tokenizer.py", 47)
    assert result["url"] == "reference/sample_pkg/tokenizer/#sample_pkg.tokenizer.Tokenizer.decode"
    load = call(create_server(load_config(built)), "get_symbol", {"symbol": "sample_pkg.load"})[1]
    assert "sample_pkg.tokenizer.Tokenizer.from_name" in load["calls"]
    from_name = call(create_server(load_config(built)), "get_symbol", {"symbol": "sample_pkg.tokenizer.Tokenizer.from_name"})[1]
    assert "sample_pkg.load" in from_name["called_by"]


def test_a_symbol_that_does_not_exist_is_an_error_with_suggestions(built: Path) -> None:
    error, message = call(create_server(load_config(built)), "get_symbol", {"symbol": "Tokenizer.decod"})
    assert error and "no symbol 'Tokenizer.decod'" in message and "sample_pkg.tokenizer.Tokenizer.decode" in message


def test_read_page_reads_only_pages_of_the_docs_folder(built: Path) -> None:
    server = create_server(load_config(built))
    error, page = call(server, "read_page", {"path": "guide.md"})
    assert not error and page["markdown"].startswith("# User guide")
    for path in ("../pyproject.toml", "/etc/passwd", "../../README.md", "reference/../../src/sample_pkg/__init__.py", "missing.md", "guide.md\x00.md"):
        error, message = call(server, "read_page", {"path": path})
        assert error, path


def test_ask_without_a_model_says_to_search_instead(built: Path) -> None:
    error, message = call(create_server(load_config(built)), "ask", {"question": "how do I decode?"})
    assert error and "no model is configured" in message


def test_the_stdio_server_answers_an_agent(built: Path) -> None:
    from mcp import StdioServerParameters

    docgen = str(Path(sys.executable).parent / "docgen")

    async def go():
        async with Client(StdioServerParameters(command=docgen, args=["mcp", str(built)])) as client:
            result = await client.call_tool("search", {"query": "from name", "limit": 1})
            return result.structured_content

    result = anyio.run(go)
    assert result["results"][0]["symbol"] == "sample_pkg.tokenizer.Tokenizer.from_name"
