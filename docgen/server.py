"""`docgen serve`: the site, its search and its answers, over HTTP, on this machine.

- `/` serves the built site (as `mkdocs serve` would, without live reload);
- `GET /api/status` says what is served (the site's search-and-ask widget asks it first:
  on a static host the widget finds no answer and stays hidden);
- `GET /api/search?q=...&limit=10` answers with the hits `docgen search --json` prints;
- `POST /api/ask` with `{"question": "..."}` streams the answer as server-sent events: `text`
  events as the checked sentences come, then one `answer` event with what `docgen ask
  --json` prints.

Input is bounded (query, question and body lengths; one answer at a time, the model being
one), every refusal is a 4xx with a JSON `{"error": ...}`, there is no CORS unless an origin
is named, and the server listens on 127.0.0.1 unless told otherwise. A watcher rebuilds the
site and the knowledge base when the project's files change.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from docgen import __version__
from docgen.config import Config
from docgen.errors import DocgenError
from docgen.index.answer import MAX_QUESTION

MAX_QUERY = 500  # characters of a search
MAX_LIMIT = 50  # results of a search
MAX_BODY = 8192  # bytes of a request body
WATCH_SECONDS = 1.0  # how often the project is looked at for changes


@dataclass
class ServerState:
    """What the endpoints share: the knowledge base, the names answers may use, the model
    (loaded on the first question), and the lock that lets one answer be written at a time."""

    config: Config
    base: Any = None  # KnowledgeBase
    names: Any = None  # Names
    model: Any = None  # LLM
    answering: threading.Lock = field(default_factory=threading.Lock)
    reloading: threading.Lock = field(default_factory=threading.Lock)

    def load(self) -> None:
        """(Re)open the knowledge base and the names, after a build."""
        from docgen.build import project_names
        from docgen.index.knowledge import KnowledgeBase

        with self.reloading:
            self.base = KnowledgeBase.open(self.config)
            self.names = project_names(self.config)

    def open_model(self) -> Any:
        """The configured model, loaded on the first question and kept."""
        from docgen.generate.llm import open_llm

        if self.model is None:
            self.model = open_llm(self.config.llm, self.config.root)
        return self.model


def create_app(config: Config, *, cors_origin: str | None = None, state: ServerState | None = None) -> Starlette:
    """The ASGI app serving `config`'s site and knowledge base (which must exist)."""
    state = state or ServerState(config)
    if state.base is None:
        state.load()
    site = config.site_path
    if not (site / "index.html").is_file():
        raise DocgenError("no site to serve: run `docgen build` first", file=str(site))

    def status(request: Request) -> Response:
        return JSONResponse(
            {
                "docgen": __version__,
                "project": state.config.name,
                "ask": state.config.llm.backend != "none",
                "max_query": MAX_QUERY,
                "max_question": MAX_QUESTION,
            },
            headers={"Cache-Control": "no-store"},
        )

    def search(request: Request) -> Response:
        query = request.query_params.get("q", "")
        limit_text = request.query_params.get("limit", "10")
        if not query.strip():
            return _refuse(400, "the query (q) is empty")
        if len(query) > MAX_QUERY:
            return _refuse(413, f"the query is longer than {MAX_QUERY} characters")
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_LIMIT:
            return _refuse(400, f"limit must be a whole number from 1 to {MAX_LIMIT}")
        hits = state.base.search(query, int(limit_text))
        return JSONResponse([hit.as_dict() for hit in hits])

    async def ask(request: Request) -> Response:
        question, refusal = await _question(request)
        if refusal is not None:
            return refusal
        if state.config.llm.backend == "none":
            return _refuse(503, "no model is configured to answer (llm = none)")
        if not state.answering.acquire(blocking=False):
            return _refuse(429, "another question is being answered; ask again in a moment")
        return StreamingResponse(_answer_events(state, question), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    middleware = [Middleware(CORSMiddleware, allow_origins=[cors_origin], allow_methods=["GET", "POST"], allow_headers=["Content-Type"])] if cors_origin else []
    return Starlette(
        routes=[
            Route("/api/status", status, methods=["GET"]),
            Route("/api/search", search, methods=["GET"]),
            Route("/api/ask", ask, methods=["POST"]),
            Mount("/", StaticFiles(directory=site, html=True, follow_symlink=False)),
        ],
        middleware=middleware,
    )


async def _question(request: Request) -> tuple[str, Response | None]:
    """The question of an ask request, or the refusal of a bad one."""
    if "application/json" not in request.headers.get("content-type", ""):
        return "", _refuse(415, "send the question as JSON: {\"question\": \"...\"}")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return "", _refuse(413, f"the request is larger than {MAX_BODY} bytes")
    body = b""
    async for part in request.stream():
        body += part
        if len(body) > MAX_BODY:
            return "", _refuse(413, f"the request is larger than {MAX_BODY} bytes")
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return "", _refuse(400, "the request is not UTF-8")
    except ValueError:
        return "", _refuse(400, "the request is not JSON")
    question = data.get("question") if isinstance(data, dict) else None
    if not isinstance(question, str) or not question.strip():
        return "", _refuse(400, "the question is missing or empty")
    if len(question) > MAX_QUESTION:
        return "", _refuse(413, f"the question is longer than {MAX_QUESTION} characters")
    return question, None


async def _answer_events(state: ServerState, question: str) -> AsyncIterator[str]:
    """The answer as server-sent events, written by the model in a worker thread."""
    from docgen.index.answer import ask

    loop = asyncio.get_running_loop()
    events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    def put(kind: str, value: Any) -> None:
        loop.call_soon_threadsafe(events.put_nowait, (kind, value))

    def work() -> None:
        try:
            model = state.open_model()
            answer = ask(state.base, question, model, state.names, project=state.config.name, on_text=lambda text: put("text", text))
            put("answer", answer.as_dict())
        except DocgenError as error:
            put("error", {"error": str(error)})
        except Exception as error:  # noqa: BLE001 - the stream must end with a reason, whatever happened
            put("error", {"error": f"internal error: {type(error).__name__}"})
        finally:
            state.answering.release()
            put("end", None)

    threading.Thread(target=work, name="docgen-ask", daemon=True).start()
    while True:
        kind, value = await events.get()
        if kind == "end":
            return
        yield f"event: {kind}\ndata: {json.dumps(value, ensure_ascii=False)}\n\n"


def _refuse(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


class Watcher:
    """Rebuilds the site and the knowledge base when the project's files change, then
    reopens what the endpoints read. Changes are noticed by a fingerprint of the files the
    build reads (paths, sizes, modification times); the build itself decides what changed
    by content, as every build does."""

    def __init__(self, state: ServerState, rebuild: Callable[[], None], report: Callable[[str], None]) -> None:
        self.state = state
        self.rebuild = rebuild
        self.report = report
        self.stop = threading.Event()
        self._seen = self.fingerprint()

    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """Path, size and modification time of every file a build reads."""
        from docgen.scan.finder import find_files

        config = self.state.config
        paths = [config.root / file.path for file in find_files(config).files]
        paths += [config.mkdocs_yml_path, *(p for p in config.docs_path.rglob("*") if p.is_file())] if config.docs_path.is_dir() else []
        stamps = []
        for path in paths:
            try:
                info = path.stat()
            except OSError:
                continue
            stamps.append((str(path), info.st_size, info.st_mtime_ns))
        return tuple(sorted(stamps))

    def run(self) -> None:
        """Look at the project every `WATCH_SECONDS` until stopped; build after a change."""
        while not self.stop.wait(WATCH_SECONDS):
            now = self.fingerprint()
            if now == self._seen:
                continue
            try:
                self.rebuild()
                self.state.load()
                self.report("Rebuilt after a change.")
            except DocgenError as error:
                self.report(f"error: {error}")
            self._seen = self.fingerprint()  # what the build itself wrote is no change

    def start(self) -> threading.Thread:
        """Watch in a thread of its own (a daemon: it ends with the server)."""
        thread = threading.Thread(target=self.run, name="docgen-watch", daemon=True)
        thread.start()
        return thread


def serve(config: Config, *, host: str, port: int, cors_origin: str | None, watch: bool, rebuild: Callable[[], None], report: Callable[[str], None]) -> None:
    """Serve until interrupted."""
    import uvicorn

    state = ServerState(config)
    app = create_app(config, cors_origin=cors_origin, state=state)
    watcher = Watcher(state, rebuild, report) if watch else None
    if watcher is not None:
        watcher.start()
    report(f"Serving {config.site_dir}/ and its knowledge base at http://{_shown_host(host)}:{port}/ (Ctrl-C to stop)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    finally:
        if watcher is not None:
            watcher.stop.set()
        if state.model is not None:
            state.model.close()


def _shown_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host

