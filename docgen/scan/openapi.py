"""Read an OpenAPI 3 spec (YAML or JSON) into the language-neutral model.

One spec becomes one `api` symbol. Its children are one `tag` symbol per tag, holding that
tag's `operation`s, followed by one `schema` symbol per entry of `components/schemas`.
Swagger 2.0 and any other YAML or JSON file are not OpenAPI 3 and give None.

The document is composed with PyYAML (JSON is YAML) so every mapping keeps the lines it came
from; those become the `Location`s of operations, tags and schemas. A spec is untrusted text:
aliases may not refer to what contains them nor add more than `MAX_ALIASED_NODES` nodes all
together ("billion laughs"), collections may nest `MAX_NESTING` levels at most, and either
makes the file one problem instead of costing unbounded time or memory.
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
import types
from collections.abc import Iterator
from typing import Any

import yaml

from docgen.errors import ScanError
from docgen.model import DocItem, DocSection, Docstring, Field, Location, Param, Symbol
from docgen.problems import NOTICE, Problem, read_in_part

__all__ = ["parse_spec", "schema_text"]

LANGUAGE = "openapi"
DEFAULT_TAG = "default"
WEBHOOKS = "webhooks"  # the key of OpenAPI 3.1's webhooks, and the page listing those without a tag
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
INLINE_DEPTH = 3  # levels of an inline request or response body shown as nested fields
INLINE_FIELDS = 50  # properties shown per inline object
EXAMPLES = 2  # examples shown per media type
EXAMPLE_CHARACTERS = 2000
PARAMETER_PLACES = ("path", "query", "header", "cookie")
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})

# A top-level `openapi` key: at column 0 in block YAML, or quoted anywhere in JSON (whose
# top-level keys may sit at any indent, or all on one line). Matching it is far cheaper than
# parsing every YAML file of a repository; the parse still checks the key is top-level.
_OPENAPI_KEY = re.compile(r"""^['"]?openapi['"]?[ \t]*:|"openapi"\s*:""", re.MULTILINE)

# Two `\u` escapes making a surrogate pair, not preceded by an escaped backslash.
_SURROGATE_PAIR = re.compile(
    r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE
)

# The line breaks YAML counts lines by (`str.splitlines` knows more, like form feed).
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")

# The C loader is several times faster on large specs; both build the same nodes.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Real specs nest 20 levels or so; the bound keeps the recursive readers of the data (here
# and in `schema_text`) far from Python's recursion limit.
MAX_NESTING = 128
# All uses of aliases together may add this many nodes to the document. Specs share a few
# responses or schemas that way; nine levels of nine aliases each would make 387 million.
MAX_ALIASED_NODES = 1_000_000

_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"

Span = tuple[int, int]


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader with implicit tags remembered per distinct plain scalar.

    Resolving a tag runs a handful of regular expressions in Python for every scalar, close to
    half the time of composing a large spec, whose keys and values repeat a great deal.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.resolved: dict[tuple, str] = {}

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        """The tag of a node, as PyYAML's resolver gives it (the safe loader has no path resolvers)."""
        if kind is yaml.ScalarNode and implicit[0]:
            key = (value, implicit)
            tag = self.resolved.get(key)
            if tag is None:
                tag = self.resolved[key] = super().resolve(kind, value, implicit)
            return tag
        if kind is yaml.ScalarNode:
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG


class _Map(dict):
    """A mapping of the spec that remembers its lines.

    `span` covers the mapping itself; `spans[key]` covers the key and its value, which is what
    a reader wants to see for a path, an operation or a schema.
    """

    span: Span = (0, 0)
    spans: dict[str, Span]
    # The text of each scalar value as written: `version: 1.10` is "1.10", not the float 1.1.
    raw: dict[str, str]


def declares_openapi(text: str) -> bool:
    """Whether a YAML or JSON text has a top-level-looking `openapi` key (cheap pre-check)."""
    return _OPENAPI_KEY.search(text.removeprefix("\ufeff")) is not None


def parse_spec(path: str, text: str) -> tuple[Symbol, list[Problem]] | None:
    """Read the OpenAPI 3 document at `path` (relative to the project root, POSIX).

    Returns the `api` symbol and the parts of the spec that were left out, or None when the
    document is not OpenAPI 3. Raises `ScanError` when it declares `openapi` but is malformed.
    """
    if not declares_openapi(text):
        return None
    text = text.removeprefix("\ufeff")
    is_json = path.endswith(".json")
    spec, left_out = _load(path, _yaml_safe_json(text) if is_json else text)
    if not isinstance(spec, _Map) or "openapi" not in spec:
        return None
    _check(path, spec)
    if is_json:
        left_out += _json_problems(path, text)
    tags = _tags(path, spec, left_out)
    schemas = _schemas(path, spec)
    info = spec["info"]
    title = _str(info, "title")
    version = _str(info, "version")
    description = _str(info, "description")
    sections = [
        DocSection("text", text=description) if description else None,
        _section("servers", _servers(spec)),
        _section("authentication", _security_schemes(spec)),
    ]
    kept = tuple(section for section in sections if section is not None)
    api = Symbol(
        id=path,
        name=title,
        kind="api",
        language=LANGUAGE,
        location=Location(path, 1, _line_count(text)),
        signature=f"{title} {version}",
        docstring=Docstring(raw=description, sections=kept) if kept else None,
        children=tuple(tags) + tuple(schemas),
    )
    return api, left_out


def _servers(spec: _Map) -> list[DocItem]:
    """Where the API is served: each server's URL and description."""
    servers = spec.get("servers")
    return [
        DocItem(name=_str(server, "url"), description=_str(server, "description"))
        for server in (servers if isinstance(servers, list) else [])
        if isinstance(server, dict) and _str(server, "url")
    ]


def _security_schemes(spec: _Map) -> list[DocItem]:
    """How clients authenticate: each security scheme's kind and where its credential goes."""
    components = spec.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    items = []
    for name, scheme in (schemes.items() if isinstance(schemes, dict) else ()):
        scheme = _resolve(spec, scheme)
        if not isinstance(scheme, dict):
            continue
        kind = _str(scheme, "type")
        where = {"apiKey": f"{_str(scheme, 'in')} {_str(scheme, 'name')}", "http": _str(scheme, "scheme")}.get(kind, "")
        items.append(DocItem(name=str(name), annotation=", ".join(p for p in (kind, where) if p), description=_str(scheme, "description")))
    return items


def _json_problems(path: str, text: str) -> list[Problem]:
    """What YAML forgave in a `.json` spec (a trailing comma, a comment) that JSON does not."""
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return [read_in_part(path, f"not valid JSON ({error.msg}); read as YAML", error.lineno)]
    except ValueError:  # a number longer than Python converts: valid JSON all the same
        pass
    return []


def _yaml_safe_json(text: str) -> str:
    r"""JSON `text` with each surrogate pair escape rewritten as one YAML `\U` escape.

    JSON writers escape a character beyond the Basic Multilingual Plane (an emoji) as a pair
    of `\u` escapes, which YAML rejects. Lines are kept, so marks still point at the right place.
    """
    return _SURROGATE_PAIR.sub(_join_surrogates, text)


def _join_surrogates(match: re.Match[str]) -> str:
    """The 8-digit escape of the character a matched surrogate pair encodes."""
    high, low = int(match[2], 16), int(match[3], 16)
    code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
    return f"{match[1]}\\U{code:08X}"


def _load(path: str, text: str) -> tuple[Any, list[Problem]]:
    """Compose and construct the single document in `text`, keeping lines on every mapping.

    Returns the data and the problems found on the way (duplicated keys); raises `ScanError`
    for invalid YAML and for documents past the bounds on aliases and nesting.
    """
    loader = _Loader(text)
    try:
        with _collector_paused():
            node = loader.get_single_node()
            if node is None:
                return None, []
            builder = _Builder(loader, text, path)
            return builder.build(node, node.start_mark.line + 1), builder.problems()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise ScanError(
            _yaml_message(error), file=path, line=mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as error:
        raise ScanError(f"invalid YAML: {error}", file=path) from None
    except RecursionError:  # the pure-Python composer recurses once per level of nesting
        raise ScanError(f"YAML nests more than {MAX_NESTING} levels deep", file=path) from None
    finally:
        loader.dispose()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold off Python's cycle collector while a spec's nodes are made.

    Composing allocates hundreds of thousands of nodes and marks that all stay alive, and
    every collection would walk them all again: more than half the time of reading a large
    spec. Nothing made here is garbage before the load ends.
    """
    if not gc.isenabled():  # someone else holds it off: leave it to them
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    """One line from a PyYAML error, whose own text spans several lines with the marks."""
    parts = [error.context, error.problem]
    return "invalid YAML: " + ", ".join(part for part in parts if part)


class _Builder:
    """Builds plain Python data from composed nodes: `_Map`s for mappings, lists, scalars.

    Keys stay the strings written in the file, so `200:` is the status code "200" and not
    the integer, and `on:` stays "on". An alias gives the very object its anchor built, so
    sharing costs nothing; but every use counts the nodes it stands for against
    `MAX_ALIASED_NODES`, since whoever reads the data walks them once per use.
    """

    def __init__(self, loader: Any, text: str, path: str) -> None:
        self.loader = loader
        self.path = path
        self.lines = _LINE_BREAK.split(text)
        self.done: dict[int, Any] = {}  # id of a collection node -> what it built
        self.sizes: dict[int, int] = {}  # id of a collection node -> nodes it stands for
        self.open: set[int] = set()  # collections being built: an alias to one is a cycle
        self.aliased = 0  # nodes added by alias uses so far
        self.duplicates: list[tuple[int, str]] = []  # (line, key) of keys given twice

    def problems(self) -> list[Problem]:
        """One problem for the keys given twice in one mapping, at the first such key."""
        if not self.duplicates:
            return []
        line, key = self.duplicates[0]
        more = len(self.duplicates) - 1
        also = f" ({more} more duplicated keys)" if more else ""
        return [read_in_part(self.path, f"duplicated key {key!r}, the last value is kept{also}", line)]

    def build(self, node: yaml.Node, line: int, depth: int = 1) -> Any:
        """The data of `node`, reached at `line` (where an alias to it is written)."""
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        key = id(node)
        if key in self.done:
            return self._alias(key, line)
        if depth > MAX_NESTING:
            raise ScanError(
                f"YAML nests more than {MAX_NESTING} levels deep",
                file=self.path,
                line=node.start_mark.line + 1,
            )
        self.open.add(key)
        if isinstance(node, yaml.MappingNode):
            size = self._mapping(node, depth)
        else:
            items: list[Any] = []
            self.done[key] = items
            size = 1
            row = node.start_mark.line + 1
            for item in node.value:
                items.append(self.build(item, row, depth + 1))
                size += self.sizes.get(id(item), 1)
        self.open.discard(key)
        self.sizes[key] = size
        return self.done[key]

    def _alias(self, key: int, line: int) -> Any:
        """What an alias to an already built collection gives, once it is counted."""
        if key in self.open:
            raise ScanError(
                "a YAML alias refers to a collection that contains it", file=self.path, line=line
            )
        self.aliased += self.sizes[key]
        if self.aliased > MAX_ALIASED_NODES:
            raise ScanError(
                f"YAML aliases expand too far (past {MAX_ALIASED_NODES:,} nodes)",
                file=self.path,
                line=line,
            )
        return self.done[key]

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        """A scalar's value; one that Python cannot hold as its type is kept as written."""
        if node.tag == _STR_TAG:
            return node.value
        constructor = self.loader.yaml_constructors.get(node.tag)
        if constructor is None:  # a tag of some application: its text is what docs can show
            return node.value
        try:
            value = constructor(self.loader, node)
        except ValueError:  # a 5,000-digit number, the 31st of February
            return node.value
        return node.value if isinstance(value, types.GeneratorType) else value

    def _mapping(self, node: yaml.MappingNode, depth: int) -> int:
        """Build a `_Map` with the lines of the mapping and of each entry; return its size.

        Merge keys (`<<: *base`) work as in PyYAML: the merged entries come first and the
        mapping's own entries win over them; among merged mappings, the first wins.
        """
        mapping = _Map()
        spans: dict[str, Span] = {}
        raw: dict[str, str] = {}
        mapping.spans, mapping.raw = spans, raw
        done, sizes, end_line = self.done, self.sizes, self._end_line
        done[id(node)] = mapping
        size = 1
        merged: list[_Map] = []
        # The loop runs once per entry of the whole spec: names are bound locally for speed.
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE_TAG:
                for source, source_size in self._merge_sources(value_node, line, depth):
                    merged.append(source)
                    size += source_size
                continue
            key = (
                key_node.value
                if isinstance(key_node, yaml.ScalarNode)
                else str(self.build(key_node, line, depth + 1))
            )
            if key in mapping:
                self.duplicates.append((line, key))
                raw.pop(key, None)
            if isinstance(value_node, yaml.ScalarNode):
                mapping[key] = value_node.value if value_node.tag == _STR_TAG else self._scalar(value_node)
                raw[key] = value_node.value
                size += 2
                spans[key] = (line, end_line(value_node))
                continue
            alias = id(value_node) in done
            mapping[key] = self.build(value_node, line, depth + 1)
            size += 1 + sizes[id(value_node)]
            # An alias's node is its anchor's, lines and all; the entry itself is one line.
            spans[key] = (line, line) if alias else (line, end_line(value_node))
        if merged:
            _merge(mapping, merged)
        mapping.span = (node.start_mark.line + 1, self._end_line(node))
        return size

    def _merge_sources(self, value: yaml.Node, line: int, depth: int) -> list[tuple[_Map, int]]:
        """The mappings a merge key names (with their sizes), in the order they are laid down."""
        nodes = value.value if isinstance(value, yaml.SequenceNode) else [value]
        sources = []
        for node in nodes:
            if not isinstance(node, yaml.MappingNode):
                raise ScanError(
                    "invalid YAML: a merge key (<<) needs a mapping or a list of mappings",
                    file=self.path,
                    line=line,
                )
            sources.append((self.build(node, line, depth + 1), self.sizes[id(node)]))
        return sources

    def _end_line(self, node: yaml.Node) -> int:
        """The 1-based last line of `node`, trailing blank lines left out.

        A block collection's own end mark sits on the next token, possibly past blank lines
        and comments, so the last line is taken from its last scalar instead; a block scalar
        ends after the blank lines that follow it.
        """
        while (
            isinstance(node, (yaml.MappingNode, yaml.SequenceNode))
            and not node.flow_style
            and node.value
        ):
            last = node.value[-1]
            node = last[1] if isinstance(node, yaml.MappingNode) else last
        start, mark = node.start_mark.line + 1, node.end_mark
        # An end mark at column 0 is just past a line break: the node ended on the line before.
        end = mark.line if mark.column == 0 and mark.line + 1 > start else mark.line + 1
        while end > start and not self.lines[end - 1].strip():
            end -= 1
        return end


def _merge(mapping: _Map, sources: list[_Map]) -> None:
    """Lay the entries of merged `sources` under `mapping`'s own: first the merged ones, in
    order, the first source winning; then the mapping's own, which win over all of them."""
    own = [(key, mapping[key], mapping.spans[key], mapping.raw.get(key)) for key in mapping]
    mapping.clear()
    mapping.spans.clear()
    mapping.raw.clear()
    for source in sources:
        for key in source:
            if key not in mapping:
                mapping[key] = source[key]
                mapping.spans[key] = source.spans[key]
                if key in source.raw:
                    mapping.raw[key] = source.raw[key]
    for key, value, span, raw in own:
        mapping[key] = value
        mapping.spans[key] = span
        mapping.raw.pop(key, None)
        if raw is not None:
            mapping.raw[key] = raw


def _line_count(text: str) -> int:
    """How many lines `text` has, a last line without a line break included."""
    lines = _LINE_BREAK.split(text)
    return len(lines) - 1 if lines[-1] == "" else len(lines)


def _check(path: str, spec: _Map) -> None:
    """Raise `ScanError` unless `spec` has what every OpenAPI 3 document must have."""
    line = spec.spans["openapi"][0]
    version = _str(spec, "openapi")
    if not version.startswith("3."):
        raise ScanError(
            f"unsupported OpenAPI version {version!r}: docgen reads 3.x", file=path, line=line
        )
    info = spec.get("info")
    if not isinstance(info, _Map):
        raise ScanError(
            "missing or invalid `info` object", file=path, line=spec.spans.get("info", (line,))[0]
        )
    for key in ("title", "version"):
        if info.get(key) is None:
            raise ScanError(f"`info` has no `{key}`", file=path, line=spec.spans["info"][0])
    # 3.1 lets a document hold only webhooks or components; 3.0 always needs `paths`.
    needed = ("paths",) if version.startswith("3.0") else ("paths", "components", "webhooks")
    if not any(key in spec for key in needed):
        raise ScanError(f"missing `{needed[0]}` object", file=path, line=line)
    for key in ("paths", "components", "webhooks"):
        if key in spec and not isinstance(spec[key], _Map):
            raise ScanError(f"`{key}` is not a mapping", file=path, line=spec.spans[key][0])


def _tags(path: str, spec: _Map, left_out: list[Problem]) -> list[Symbol]:
    """One `tag` symbol per tag with operations: declared tags first, then the others as used."""
    declared = _declared_tags(spec)
    grouped: dict[str, list[Symbol]] = {name: [] for name in declared}
    for tag, operation in _operations(path, spec, left_out) + _operations(path, spec, left_out, WEBHOOKS):
        grouped.setdefault(tag, []).append(operation)
    return [
        _tag_symbol(path, name, declared.get(name), operations)
        for name, operations in grouped.items()
        if operations
    ]


def _declared_tags(spec: _Map) -> dict[str, _Map]:
    """The top-level `tags` list, by name."""
    tags = spec.get("tags")
    if not isinstance(tags, list):
        return {}
    return {
        _str(tag, "name"): tag
        for tag in tags
        if isinstance(tag, _Map) and tag.get("name") is not None
    }


def _tag_symbol(path: str, name: str, declaration: _Map | None, operations: list[Symbol]) -> Symbol:
    """The page of one tag: where it is declared (else its first operation) and its operations."""
    if declaration is not None:
        location = Location(path, *declaration.span)
        description = _str(declaration, "description")
    else:
        location = operations[0].location
        description = ""
    return Symbol(
        id=f"{path}::{name}",
        name=name,
        kind="tag",
        language=LANGUAGE,
        location=location,
        docstring=_text_docstring(description),
        children=tuple(operations),
    )


def _operations(path: str, spec: _Map, left_out: list[Problem], key: str = "paths") -> list[tuple[str, Symbol]]:
    """Every operation of `paths` (or of `webhooks`: the requests the API sends, named
    `POST newPet`) in document order, with the tag whose page lists it.

    An operation with several tags is listed under its first only, so that its id stays unique
    in the project.
    """
    paths = spec.get(key)
    if not isinstance(paths, _Map):
        return []
    found: list[tuple[str, Symbol]] = []
    for url, item in paths.items():
        line = paths.spans[url][0]
        if url.startswith("x-"):
            continue  # specification extensions, not paths
        if not isinstance(item, _Map):
            left_out.append(read_in_part(path, f"path {url} is not a mapping", line))
            continue
        if "$ref" in item:
            left_out.append(read_in_part(path, f"path {url} is a $ref, which is not followed", line))
            continue
        shared = _parameter_list(spec, item.get("parameters"))
        for method in HTTP_METHODS:
            if method not in item:
                continue
            operation = item[method]
            name = f"{method.upper()} {url}"
            if not isinstance(operation, _Map):
                left_out.append(
                    read_in_part(path, f"operation {name} is not a mapping", item.spans[method][0])
                )
                continue
            tags = operation.get("tags") or [WEBHOOKS if key == WEBHOOKS else DEFAULT_TAG]
            symbol = _operation_symbol(path, name, spec, operation, shared, item.spans[method])
            found.append((_text(tags[0]) if isinstance(tags, list) else _text(tags), symbol))
    return found


def _operation_symbol(
    path: str, name: str, spec: _Map, operation: _Map, shared: list[dict], span: Span
) -> Symbol:
    """One operation: its text, parameters, request body and responses."""
    parameters = _merge_parameters(shared, _parameter_list(spec, operation.get("parameters")))
    text = "\n\n".join(
        part for part in (_str(operation, "summary"), _str(operation, "description")) if part
    )
    sections = [
        DocSection("text", text=text) if text else None,
        _section("parameters", [_parameter_item(p) for p in parameters]),
        _section("request body", _body_items(spec, operation.get("requestBody"))),
        _section("responses", _response_items(spec, operation.get("responses"))),
        _examples(spec, operation),
    ]
    kept = tuple(section for section in sections if section is not None)
    labels = ("deprecated",) if operation.get("deprecated") is True else ()
    if _str(operation, "operationId"):
        labels += (f"operationId: {_str(operation, 'operationId')}",)
    return Symbol(
        id=f"{path}::{name}",
        name=name,
        kind="operation",
        language=LANGUAGE,
        location=Location(path, *span),
        signature=name,
        docstring=Docstring(raw=text, sections=kept) if kept else None,
        params=tuple(_param(p) for p in parameters),
        returns=_success_schema(spec, operation.get("responses")),
        labels=labels,
    )


def _examples(spec: _Map, operation: _Map) -> DocSection | None:
    """The request's and the responses' examples, as JSON blocks under a title each."""
    blocks = []
    body = _resolve(spec, operation.get("requestBody"))
    for where, owner in [("Request", body), *((f"Response {status}", _resolve(spec, r)) for status, r in (operation.get("responses") or {}).items() if isinstance(status, str))]:
        content = owner.get("content") if isinstance(owner, dict) else None
        for media_type, media in (content.items() if isinstance(content, dict) else ()):
            if not isinstance(media, dict):
                continue
            examples = [media["example"]] if "example" in media else []
            named = media.get("examples")
            if isinstance(named, dict):
                examples += [e["value"] for e in (_resolve(spec, v) for v in named.values()) if isinstance(e, dict) and "value" in e]
            for example in examples[:EXAMPLES]:
                shown = json.dumps(example, indent=2, ensure_ascii=False, default=str)
                blocks.append(f"{where} ({media_type}):\n\n```json\n{shown[:EXAMPLE_CHARACTERS]}\n```")
    return DocSection("examples", "\n\n".join(blocks)) if blocks else None


def _section(kind: str, items: list[DocItem]) -> DocSection | None:
    """A structured section, or None when it would be empty."""
    return DocSection(kind, items=tuple(items)) if items else None


def _parameter_list(spec: _Map, parameters: Any) -> list[dict]:
    """The parameter objects of a `parameters` list, references resolved, broken ones dropped."""
    if not isinstance(parameters, list):
        return []
    resolved = (_resolve(spec, parameter) for parameter in parameters)
    return [
        p for p in resolved if isinstance(p, dict) and p.get("name") is not None and not _ignored(p)
    ]


def _ignored(parameter: dict) -> bool:
    """Whether the spec says to ignore `parameter`: no `in`, or a header HTTP itself governs."""
    place = _str(parameter, "in")
    if place not in PARAMETER_PLACES:
        return True
    # OpenAPI 3: these headers are described by `content`, `security` and response media types.
    return place == "header" and _str(parameter, "name").lower() in IGNORED_HEADERS


def _merge_parameters(shared: list[dict], own: list[dict]) -> list[dict]:
    """Path-level parameters followed by the operation's; the operation's win on (name, in)."""
    overridden = {(_str(p, "name"), _str(p, "in")) for p in own}
    return [p for p in shared if (_str(p, "name"), _str(p, "in")) not in overridden] + own


def _parameter_type(parameter: dict) -> str:
    """The type text of a parameter, with its required and deprecated flags."""
    schema = parameter.get("schema")
    if schema is None:
        # A parameter may give its schema per media type instead, like a request body.
        schema = _first_media_schema(parameter.get("content"))
    flags = []
    # Path parameters are always required, whatever the spec says.
    if parameter.get("required") is True or parameter.get("in") == "path":
        flags.append("required")
    if parameter.get("deprecated") is True:
        flags.append("deprecated")
    type_text = [schema_text(schema)] if schema is not None else []
    return ", ".join([*type_text, *flags])


def _parameter_default(parameter: dict) -> str:
    """The JSON text of a parameter's default value, or an empty string."""
    schema = parameter.get("schema")
    return _json(schema["default"]) if isinstance(schema, dict) and "default" in schema else ""


def _parameter_item(parameter: dict) -> DocItem:
    """A parameter as an entry of the `parameters` section."""
    return DocItem(
        name=_str(parameter, "name"),
        annotation=_parameter_type(parameter),
        description=_str(parameter, "description"),
        default=_parameter_default(parameter),
    )


def _param(parameter: dict) -> Param:
    """A parameter as a `Param`, whose `kind` says where it goes: path, query, header, cookie."""
    return Param(
        name=_str(parameter, "name"),
        annotation=_parameter_type(parameter),
        default=_parameter_default(parameter),
        kind=_str(parameter, "in"),
        description=_str(parameter, "description"),
    )


def _body_items(spec: _Map, body: Any) -> list[DocItem]:
    """One entry per media type the request body accepts."""
    body = _resolve(spec, body)
    if not isinstance(body, dict):
        return []
    description = _str(body, "description")
    flags = ["required"] if body.get("required") is True else []
    content = body.get("content")
    if not isinstance(content, dict):
        return []
    items = []
    for media_type, media in content.items():
        items.append(
            DocItem(
                name=media_type,
                annotation=", ".join(part for part in (_media_schema_text(media), *flags) if part),
                description=description,
            )
        )
        items += _inline_fields(spec, media.get("schema") if isinstance(media, dict) else None)
    return items


def _inline_fields(spec: _Map, schema: Any, prefix: str = "", depth: int = 0, seen: frozenset[int] = frozenset()) -> list[DocItem]:
    """The properties of an inline object schema as rows `pet`, `pet.name`...: a named
    schema (`$ref`) is linked, never expanded; `INLINE_DEPTH` levels at most, and a schema
    met again (YAML aliases can loop) is not expanded twice."""
    if not isinstance(schema, dict) or "$ref" in schema or depth >= INLINE_DEPTH or id(schema) in seen:
        return []
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return _inline_fields(spec, schema["items"], prefix + "[]" if prefix else "", depth, seen | {id(schema)})
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return []
    required = _required(schema)
    rows = []
    for name, prop in list(properties.items())[:INLINE_FIELDS]:
        path = f"{prefix}.{name}" if prefix else str(name)
        flags = ["required"] if name in required else []
        text = schema_text(prop) if isinstance(prop, dict) else ""
        rows.append(DocItem(name=path, annotation=", ".join([text or "any", *flags]), description=_str(prop, "description") if isinstance(prop, dict) else ""))
        rows += _inline_fields(spec, prop, path, depth + 1, seen | {id(schema)})
    return rows


def _response_items(spec: _Map, responses: Any) -> list[DocItem]:
    """One entry per status code, typed by the first schema among its media types."""
    if not isinstance(responses, dict):
        return []
    items = []
    for status, response in responses.items():
        if status.startswith("x-"):
            continue
        response = _resolve(spec, response)
        if not isinstance(response, dict):
            continue
        schema = _first_media_schema(response.get("content"))
        items.append(
            DocItem(
                name=status,
                annotation=schema_text(schema) if schema is not None else "",
                description=_str(response, "description"),
            )
        )
        items += _inline_fields(spec, schema)
    return items


def _success_schema(spec: _Map, responses: Any) -> str:
    """The schema text of the first 2xx response that has one: what the operation returns."""
    if not isinstance(responses, dict):
        return ""
    for status, response in responses.items():
        if status.startswith("2"):
            response = _resolve(spec, response)
            schema = (
                _first_media_schema(response.get("content")) if isinstance(response, dict) else None
            )
            if schema is not None:
                return schema_text(schema)
    return ""


def _first_media_schema(content: Any) -> Any:
    """The schema of the first media type of a `content` mapping, or None."""
    if not isinstance(content, dict):
        return None
    for media in content.values():
        if isinstance(media, dict) and "schema" in media:
            return media["schema"]
    return None


def _media_schema_text(media: Any) -> str:
    """The schema text of one media type object."""
    return schema_text(media["schema"]) if isinstance(media, dict) and "schema" in media else ""


def _resolve(spec: _Map, value: Any) -> Any:
    """Follow `$ref`s within the document (components or anywhere else) to the object they name.

    A reference into another file, or one that names nothing, resolves to None.
    """
    seen: set[str] = set()
    while isinstance(value, dict) and "$ref" in value:
        ref = _str(value, "$ref")
        if ref in seen or not ref.startswith("#"):
            return None
        seen.add(ref)
        value = _pointer(spec, ref[1:])
    return value


def _pointer(spec: Any, pointer: str) -> Any:
    """The value a JSON pointer (`/components/schemas/Pet`) names in `spec`, or None."""
    value = spec
    for part in pointer.split("/")[1:] if pointer else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def schema_text(schema: Any) -> str:
    """A short type text for a schema object, as a reader would write it.

    `$ref`s give the name they point to (`Pet`), arrays `array[Pet]`, `oneOf`/`anyOf`
    `A | B`, `allOf` `A & B`, enums their JSON values (`"a" | "b"`), formats
    `string(date-time)`, a map `map[string, Pet]`, any other inline object `object`.
    """
    if not isinstance(schema, dict):
        return ""
    if "$ref" in schema:
        return _ref_name(_str(schema, "$ref"))
    for key, joiner in (("oneOf", " | "), ("anyOf", " | "), ("allOf", " & ")):
        if isinstance(schema.get(key), list):
            return _nullable(
                joiner.join(_unique(schema_text(s) or "any" for s in schema[key])), schema
            )
    if isinstance(schema.get("enum"), list):
        return " | ".join(_json(value) for value in schema["enum"])
    if "const" in schema:
        return _json(schema["const"])
    types = schema.get("type")
    if isinstance(types, list):  # 3.1 writes a nullable string as `type: [string, "null"]`
        return " | ".join(_single_type_text(schema, _text(t)) for t in types)
    if types is None:
        types = "object" if "properties" in schema or "additionalProperties" in schema else ""
        if "items" in schema:
            types = "array"
    return _nullable(_single_type_text(schema, _text(types)) if types else "any", schema)


def _single_type_text(schema: dict, type_: str) -> str:
    """The text of `schema` read as the one type `type_`."""
    if type_ == "array":
        return f"array[{schema_text(schema.get('items')) or 'any'}]"
    if type_ == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and not schema.get("properties"):
            return f"map[string, {schema_text(extra)}]"
        return "object"
    if "format" in schema:
        return f"{type_}({_str(schema, 'format')})"
    return type_


def _nullable(text: str, schema: dict) -> str:
    """`text | null` for a 3.0 `nullable: true` schema."""
    return f"{text} | null" if schema.get("nullable") is True else text


def _unique(texts: Any) -> list[str]:
    """`texts` without repeats, first occurrences kept in order."""
    return list(dict.fromkeys(texts))


def _ref_name(ref: str) -> str:
    """The name a `$ref` points to: the last part of its pointer, else the file it names."""
    target, _, pointer = ref.partition("#")
    if pointer.strip("/"):
        return pointer.rstrip("/").rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    return target.rsplit("/", 1)[-1]


SCHEMAS_PAGE = "components/schemas"  # the id, within its spec, of the page of its schemas
SCHEMAS_PER_PAGE = 100  # more, and the schemas are paged by their first letter


def _schemas(path: str, spec: _Map) -> list[Symbol]:
    """The pages of `components/schemas`: one `Schemas` page (kind `tag`, beside the tags,
    so that no page holds a whole large spec and no tag shares an id or anchor with a
    schema), or one page per first letter when there are more than `SCHEMAS_PER_PAGE`.
    Each schema's id is `<spec>::components/schemas[/<letter>]::<name>`."""
    components = spec.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, _Map):
        return []
    named = [(name, schema) for name, schema in schemas.items() if isinstance(schema, dict)]
    if not named:
        return []
    groups: dict[str, list[tuple[str, dict]]] = {"": named}
    if len(named) > SCHEMAS_PER_PAGE:
        groups = {}
        for name, schema in sorted(named, key=lambda item: (not (item[0][:1].isascii() and item[0][:1].isalpha()), item[0].lower())):
            letter = name[:1].upper() if name[:1].isascii() and name[:1].isalpha() else "other"
            groups.setdefault(letter, []).append((name, schema))
    pages = []
    for letter, members in groups.items():
        page_id = f"{path}::{SCHEMAS_PAGE}" + (f"/{letter}" if letter else "")
        spans = [schemas.spans[name] for name, _ in members]
        pages.append(
            Symbol(
                id=page_id,
                name="Other schemas" if letter == "other" else f"Schemas {letter}" if letter else "Schemas",
                kind="tag",
                language=LANGUAGE,
                location=Location(path, min(s[0] for s in spans), max(s[1] for s in spans)),
                docstring=_text_docstring(
                    "The data types of `components/schemas`"
                    + {"": ".", "other": " whose names start with no letter."}.get(letter, f" whose names start with {letter}.")
                ),
                children=tuple(_schema_symbol(page_id, name, schema, schemas.spans[name]) for name, schema in members),
            )
        )
    return pages


def _schema_symbol(page_id: str, name: str, schema: dict, span: Span) -> Symbol:
    """A named schema: its type text, description, fields and the schemas it extends (`allOf`)."""
    all_of = schema.get("allOf")
    parts = [part for part in all_of if isinstance(part, dict)] if isinstance(all_of, list) else []
    bases = tuple(_ref_name(_str(part, "$ref")) for part in parts if "$ref" in part)
    # Own fields are the schema's properties plus those of its inline `allOf` parts; the
    # referenced parts are bases, documented on their own.
    owners = [schema] + [part for part in parts if "$ref" not in part]
    return Symbol(
        id=f"{page_id}::{name}",
        name=name,
        kind="schema",
        language=LANGUAGE,
        location=Location(page_id.split("::", 1)[0], *span),
        signature=schema_text(schema),
        docstring=_text_docstring(_str(schema, "description")),
        bases=bases,
        labels=("deprecated",) if schema.get("deprecated") is True else (),
        fields=tuple(field for owner in owners for field in _fields(owner)),
    )


def _fields(schema: dict) -> list[Field]:
    """One `Field` per property; required ones say so in their annotation (`string, required`)."""
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return []
    required = _required(schema)
    fields = []
    for name, prop in properties.items():
        flags = ["required"] if name in required else []
        if isinstance(prop, dict) and prop.get("deprecated") is True:
            flags.append("deprecated")
        fields.append(
            Field(
                name=name,
                annotation=", ".join([schema_text(prop) or "any", *flags]),
                default=_json(prop["default"])
                if isinstance(prop, dict) and "default" in prop
                else "",
                description=_str(prop, "description") if isinstance(prop, dict) else "",
            )
        )
    return fields


def _required(schema: dict) -> set[str]:
    """The names a schema's `required` list gives. Names are strings; anything else in the
    list (a list, a mapping) names no property."""
    listed = schema.get("required")
    return {name for name in listed if isinstance(name, str)} if isinstance(listed, list) else set()


def _text_docstring(text: str) -> Docstring | None:
    """A docstring of one Markdown `text` section, or None for no text."""
    return Docstring(raw=text, sections=(DocSection("text", text=text),)) if text else None


def _str(mapping: dict, key: str) -> str:
    """The value at `key` as stripped text, as written in the file; empty when missing or null."""
    value = mapping.get(key)
    if value is None:
        return ""
    return str(getattr(mapping, "raw", {}).get(key, value)).strip()


def _text(value: Any) -> str:
    """`value` as stripped text; None is empty."""
    return "" if value is None else str(value).strip()


def _json(value: Any) -> str:
    """`value` written as JSON, the notation of the spec's own examples and defaults."""
    return json.dumps(value, ensure_ascii=False, default=str)


def one_per_api(symbols: list[Symbol]) -> tuple[list[Symbol], list[Problem]]:
    """`symbols` with each API documented once: a spec kept as both `openapi.yaml` and
    `openapi.json` (one generated from the other) would give every page twice. The YAML
    one is kept (usually the one people write); the other gets a notice."""
    kept: dict[tuple, Symbol] = {}
    notices = []
    for symbol in sorted(symbols, key=lambda s: (not s.id.endswith((".yaml", ".yml")), s.id)):
        if symbol.kind != "api":
            continue
        key = _content(symbol)
        if key in kept:
            notices.append(Problem("skipped", f"the same API as {kept[key].id}, documented once", symbol.id, severity=NOTICE))
        else:
            kept[key] = symbol
    if not notices:
        return symbols, []
    dropped = {problem.file for problem in notices}
    return [s for s in symbols if not (s.kind == "api" and s.id in dropped)], notices


def _content(api: Symbol) -> tuple:
    """What two specs must share to be the same API: everything but the file they are in."""
    return tuple(
        (s.id.removeprefix(api.id), s.kind, s.name, s.signature, s.docstring, s.fields, s.params, s.returns, s.labels, s.bases, s.value)
        for s in api.walk()
    )
