"""`docgen mcp`: the knowledge base as a Model Context Protocol server, for coding agents.

Four tools, each answering with the commit the docs describe:

- `search`: the hits `docgen search --json` gives;
- `ask`: the answer `docgen ask --json` gives (when a model is configured);
- `get_symbol`: one symbol's signature, docs, source location, page URL, and what it calls
  and what calls it, where the static call graph knows (Python);
- `read_page`: one page of the docs folder, as Markdown.

It reads what the last `docgen build` or `docgen index` left, and never writes. stdio by
default (what agents launch); streamable HTTP on 127.0.0.1 with `--http`.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from functools import cached_property
from pathlib import PurePosixPath
from typing import Any

from mcp.server.mcpserver.exceptions import ToolError  # said to the agent, in one line

from docgen.config import Config
from docgen.errors import DocgenError
from docgen.index.answer import MAX_QUESTION

MAX_QUERY = 500
MAX_LIMIT = 50
MAX_PAGE_BYTES = 2_000_000


class Docs:
    """What the tools read, loaded on first use and kept."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._model: Any = None
        self._answering = threading.Lock()

    @cached_property
    def base(self) -> Any:
        from docgen.index.knowledge import KnowledgeBase

        return KnowledgeBase.open(self.config)

    @cached_property
    def scanned(self) -> tuple[Any, Any]:
        from docgen.build import scanned_project

        return scanned_project(self.config, call_graph=True)

    @cached_property
    def symbols(self) -> dict[str, Any]:
        project, _ = self.scanned
        return {symbol.id: symbol for symbol in project.walk()}

    @cached_property
    def callers(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for symbol in self.symbols.values():
            for callee in symbol.calls:
                found[callee].append(symbol.id)
        return found

    @cached_property
    def names(self) -> Any:
        from docgen.build import draft_names

        project, links = self.scanned
        return draft_names(self.config, project, links)

    def model(self) -> Any:
        """The configured model, loaded on the first question and kept."""
        from docgen.generate.llm import open_llm

        if self._model is None:
            self._model = open_llm(self.config.llm, self.config.root)
        return self._model

    # ----------------------------------------------------------------------- the tools

    def search(self, query: str, limit: int) -> dict[str, Any]:
        """The `search` tool: the best `limit` hits for `query`."""
        if not query.strip():
            raise ToolError("the query is empty")
        if len(query) > MAX_QUERY:
            raise ToolError(f"the query is longer than {MAX_QUERY} characters")
        if not 1 <= limit <= MAX_LIMIT:
            raise ToolError(f"limit must be from 1 to {MAX_LIMIT}")
        return {"commit": self.base.commit, "results": [hit.as_dict() for hit in self.base.search(query, limit)]}

    def ask(self, question: str) -> dict[str, Any]:
        """The `ask` tool: an answer with citations, or an abstention."""
        from docgen.index.answer import ask

        if not question.strip():
            raise ToolError("the question is empty")
        if len(question) > MAX_QUESTION:
            raise ToolError(f"the question is longer than {MAX_QUESTION} characters")
        if self.config.llm.backend == "none":
            raise ToolError("no model is configured to answer (llm = none); use search instead")
        with self._answering:  # one model, one answer at a time
            answer = ask(self.base, question, self.model(), self.names, project=self.config.name)
        return answer.as_dict()

    def get_symbol(self, symbol_id: str) -> dict[str, Any]:
        """The `get_symbol` tool: one symbol by id; the nearest ids when there is none."""
        symbol = self.symbols.get(symbol_id.strip())
        if symbol is None:
            hits = self.base.search(symbol_id, 3) if symbol_id.strip() and len(symbol_id) <= MAX_QUERY else []
            near = ", ".join(hit.chunk.symbol for hit in hits if hit.chunk.symbol)
            raise ToolError(f"no symbol {symbol_id!r}" + (f"; did you mean one of: {near}" if near else ""))
        _, links = self.scanned
        chunk = self.base.chunks.get(f"symbol:{symbol.id}")
        docs = symbol.docstring.raw if symbol.docstring else ""
        return {
            "commit": self.base.commit,
            "id": symbol.id,
            "kind": symbol.kind,
            "language": symbol.language,
            "signature": symbol.signature,
            "docs": docs or (chunk.summary if chunk else ""),
            "file": symbol.location.file,
            "line": symbol.location.start,
            "end_line": symbol.location.end,
            "url": chunk.url if chunk else None,
            "members": [child.id for child in symbol.children if child.id in links.targets],
            "calls": sorted(c for c in symbol.calls if c in self.symbols),
            "called_by": sorted(self.callers.get(symbol.id, [])),
        }

    def read_page(self, path: str) -> dict[str, Any]:
        """The `read_page` tool: a Markdown page of the docs folder, and nothing outside it."""
        docs = self.config.docs_path.resolve()
        relative = PurePosixPath(path.strip().lstrip("/"))
        if not str(relative) or relative.is_absolute() or ".." in relative.parts or relative.suffix.lower() not in (".md", ".markdown"):
            raise ToolError("path must be a Markdown page of the docs folder, relative to it (guides/overview.md)")
        target = (docs / relative).resolve()
        if not target.is_relative_to(docs) or not target.is_file():
            raise ToolError(f"no page {str(relative)!r} in the docs folder")
        if target.stat().st_size > MAX_PAGE_BYTES:
            raise ToolError(f"{relative} is larger than {MAX_PAGE_BYTES} bytes")
        return {"commit": self.base.commit, "path": str(relative), "markdown": target.read_text(encoding="utf-8", errors="replace")}

    def close(self) -> None:
        """Free the model, if one was loaded."""
        if self._model is not None:
            self._model.close()


def create_server(config: Config, docs: Docs | None = None) -> Any:
    """The MCP server of `config`'s docs."""
    from mcp.server import MCPServer

    docs = docs or Docs(config)
    docs.base  # noqa: B018 - fail now, with one line, when there is no knowledge base
    server = MCPServer(
        "docgen",
        instructions=(
            f"The documentation of {config.name}, built by docgen: search it, ask it, read a symbol or a page. "
            "Every result names the commit it describes. Prefer search and get_symbol; ask writes an answer with a model."
        ),
    )

    @server.tool()
    def search(query: str, limit: int = 10) -> dict[str, Any]:
        """Search the docs (symbols and page sections) by words, identifiers and meaning.
        Results: symbol id (null for prose), title, url, snippet, score, file, line."""
        return _answer(docs.search, query, limit)

    @server.tool()
    def ask(question: str) -> dict[str, Any]:
        """Answer a question from the docs only, citing them; abstained is true when the
        docs do not cover it."""
        return _answer(docs.ask, question)

    @server.tool()
    def get_symbol(symbol: str) -> dict[str, Any]:
        """One symbol by id (`pkg.mod.Class.method`, or `file::name` in other languages):
        signature, docs, source location, page URL, members, calls and callers."""
        return _answer(docs.get_symbol, symbol)

    @server.tool()
    def read_page(path: str) -> dict[str, Any]:
        """One page of the docs folder as Markdown, by its path in the folder
        (`guides/overview.md`, `reference/pkg/mod.md`)."""
        return _answer(docs.read_page, path)

    return server


def _answer(tool: Any, *args: Any) -> dict[str, Any]:
    try:
        return tool(*args)
    except DocgenError as error:
        raise ToolError(str(error)) from None
