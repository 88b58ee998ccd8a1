"""Read an OpenAPI 3 spec (YAML or JSON) into the language-neutral model.

One spec becomes one `api` symbol. Its children are one `tag` symbol per tag, holding that
tag's `operation`s, followed by one `schema` symbol per entry of `components/schemas`.
Swagger 2.0 and any other YAML or JSON file are not OpenAPI 3 and give None.

The document is composed with PyYAML (JSON is YAML) so every mapping keeps the lines it came
from; those become the `Location`s of operations, tags and schemas.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from docgen.errors import ScanError
from docgen.model import DocItem, DocSection, Docstring, Field, Location, Param, Symbol
from docgen.problems import Problem, read_in_part

__all__ = ["parse_spec", "schema_text"]

LANGUAGE = "openapi"
DEFAULT_TAG = "default"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
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
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Span = tuple[int, int]


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
    spec = _load(path, _yaml_safe_json(text) if path.endswith(".json") else text)
    if not isinstance(spec, _Map) or "openapi" not in spec:
        return None
    _check(path, spec)
    left_out: list[Problem] = []
    tags = _tags(path, spec, left_out)
    if spec.get("webhooks"):
        left_out.append(read_in_part(path, "webhooks are not documented", spec.spans["webhooks"][0]))
    schemas = _schemas(path, spec)
    info = spec["info"]
    title = _str(info, "title")
    version = _str(info, "version")
    api = Symbol(
        id=path,
        name=title,
        kind="api",
        language=LANGUAGE,
        location=Location(path, 1, _line_count(text)),
        signature=f"{title} {version}",
        docstring=_text_docstring(_str(info, "description")),
        children=tuple(tags) + tuple(schemas),
    )
    return api, left_out


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


def _load(path: str, text: str) -> Any:
    """Compose and construct the single document in `text`, keeping lines on every mapping."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _Builder(loader, text).build(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise ScanError(
            _yaml_message(error), file=path, line=mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as error:
        raise ScanError(f"invalid YAML: {error}", file=path) from None
    finally:
        loader.dispose()


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    """One line from a PyYAML error, whose own text spans several lines with the marks."""
    parts = [error.context, error.problem]
    return "invalid YAML: " + ", ".join(part for part in parts if part)


class _Builder:
    """Builds plain Python data from composed nodes: `_Map`s for mappings, lists, scalars.

    Keys stay the strings written in the file, so `200:` is the status code "200" and not
    the integer, and `on:` stays "on".
    """

    def __init__(self, loader: Any, text: str) -> None:
        self.loader = loader
        self.lines = _LINE_BREAK.split(text)
        # Nodes already built, so that YAML aliases share one object and a recursive alias
        # cannot loop forever.
        self.done: dict[int, Any] = {}

    def build(self, node: yaml.Node) -> Any:
        """The data of `node`."""
        if id(node) in self.done:
            return self.done[id(node)]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            items: list[Any] = []
            self.done[id(node)] = items
            items.extend(self.build(item) for item in node.value)
            return items
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode) -> _Map:
        """A `_Map` with the lines of the mapping and of each of its entries."""
        self.loader.flatten_mapping(node)  # applies `<<` merge keys, as PyYAML's loader does
        mapping = _Map()
        mapping.span = (node.start_mark.line + 1, self._end_line(node))
        mapping.spans = {}
        mapping.raw = {}
        self.done[id(node)] = mapping
        for key_node, value_node in node.value:
            key = (
                str(key_node.value)
                if isinstance(key_node, yaml.ScalarNode)
                else str(self.build(key_node))
            )
            mapping[key] = self.build(value_node)
            mapping.spans[key] = (key_node.start_mark.line + 1, self._end_line(value_node))
            if isinstance(value_node, yaml.ScalarNode):
                mapping.raw[key] = value_node.value
        return mapping

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
    for tag, operation in _operations(path, spec, left_out):
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


def _operations(path: str, spec: _Map, left_out: list[Problem]) -> list[tuple[str, Symbol]]:
    """Every operation of `paths` in document order, with the tag whose page lists it.

    An operation with several tags is listed under its first only, so that its id stays unique
    in the project.
    """
    paths = spec.get("paths") or _Map()
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
            tags = operation.get("tags") or [DEFAULT_TAG]
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
    ]
    kept = tuple(section for section in sections if section is not None)
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
        labels=("deprecated",) if operation.get("deprecated") is True else (),
    )


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
    return [
        DocItem(
            name=media_type,
            annotation=", ".join(part for part in (_media_schema_text(media), *flags) if part),
            description=description,
        )
        for media_type, media in content.items()
    ]


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


def _schemas(path: str, spec: _Map) -> list[Symbol]:
    """One `schema` symbol per entry of `components/schemas`."""
    components = spec.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, _Map):
        return []
    return [
        _schema_symbol(path, name, schema, schemas.spans[name])
        for name, schema in schemas.items()
        if isinstance(schema, dict)
    ]


def _schema_symbol(path: str, name: str, schema: dict, span: Span) -> Symbol:
    """A named schema: its type text, description, fields and the schemas it extends (`allOf`)."""
    all_of = schema.get("allOf")
    parts = [part for part in all_of if isinstance(part, dict)] if isinstance(all_of, list) else []
    bases = tuple(_ref_name(_str(part, "$ref")) for part in parts if "$ref" in part)
    # Own fields are the schema's properties plus those of its inline `allOf` parts; the
    # referenced parts are bases, documented on their own.
    owners = [schema] + [part for part in parts if "$ref" not in part]
    return Symbol(
        id=f"{path}::{name}",
        name=name,
        kind="schema",
        language=LANGUAGE,
        location=Location(path, *span),
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
    required = (
        set(schema.get("required") or []) if isinstance(schema.get("required"), list) else set()
    )
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
