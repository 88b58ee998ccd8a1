"""Tests of the OpenAPI 3 reader, mostly against the sample inference server spec."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from docgen.config import load_config
from docgen.errors import ScanError
from docgen.model import DocItem, Param, Symbol
from docgen.scan import scan
from docgen.scan.openapi import parse_spec, schema_text

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sample"
SPEC_PATH = "api/openapi.yaml"
SPEC_TEXT = (SAMPLE / SPEC_PATH).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def api() -> Symbol:
    """The sample spec, read once."""
    result = parse_spec(SPEC_PATH, SPEC_TEXT)
    assert result is not None
    symbol, skipped = result
    assert skipped == []
    return symbol


def by_id(api: Symbol, suffix: str) -> Symbol:
    """The symbol of the sample spec whose id is `<spec path>::<suffix>`."""
    wanted = f"{SPEC_PATH}::{suffix}"
    for symbol in api.walk():
        if symbol.id == wanted:
            return symbol
    raise AssertionError(f"no symbol {wanted}")


def section(symbol: Symbol, kind: str) -> tuple[DocItem, ...]:
    """The items of `symbol`'s docstring section of `kind`."""
    assert symbol.docstring is not None
    for found in symbol.docstring.sections:
        if found.kind == kind:
            return found.items
    raise AssertionError(f"{symbol.id} has no {kind} section")


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of `text` that starts (after indent) with `needle`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(needle):
            return number
    raise AssertionError(f"{needle!r} not found")


def test_api_symbol(api: Symbol) -> None:
    assert (api.id, api.name, api.kind, api.language) == (
        SPEC_PATH,
        "Inference Server API",
        "api",
        "openapi",
    )
    # The version is taken as written: YAML would read an unquoted 1.10 as the float 1.1.
    assert api.signature == "Inference Server API 1.10"
    assert (api.location.file, api.location.start, api.location.end) == (
        SPEC_PATH,
        1,
        len(SPEC_TEXT.splitlines()),
    )
    assert api.docstring is not None
    assert api.docstring.summary.startswith("HTTP API of the inference server")


def test_tags_group_operations_declared_first_then_default(api: Symbol) -> None:
    tags = [child for child in api.children if child.kind == "tag"]
    assert [tag.name for tag in tags] == ["completions", "models", "default", "Schemas"]
    assert [tag.id for tag in tags] == [
        f"{SPEC_PATH}::{name}" for name in ("completions", "models", "default", "components/schemas")
    ]
    models = tags[1]
    assert models.docstring is not None
    assert models.docstring.summary == "List and inspect the models the server has loaded."
    assert [op.name for op in models.children] == [
        "GET /v1/models",
        "GET /v1/models/{model_id}",
        "DELETE /v1/models/{model_id}",
    ]
    assert [op.name for op in tags[2].children] == ["GET /health"]
    assert tags[2].docstring is None


def test_operation_ids_names_and_signatures(api: Symbol) -> None:
    operations = [symbol for symbol in api.walk() if symbol.kind == "operation"]
    assert len(operations) == 6
    for operation in operations:
        assert operation.id == f"{SPEC_PATH}::{operation.name}"
        assert operation.signature == operation.name
        assert operation.language == "openapi"
    assert len({operation.id for operation in operations}) == len(operations)


def test_operation_text_joins_summary_and_description(api: Symbol) -> None:
    operation = by_id(api, "POST /v1/completions")
    assert operation.docstring is not None
    assert operation.docstring.summary == "Create a completion."
    text = operation.docstring.sections[0]
    assert text.kind == "text"
    assert "server-sent events" in text.text
    assert [s.kind for s in operation.docstring.sections] == [
        "text",
        "parameters",
        "request body",
        "responses",
    ]


def test_query_parameters_with_types_and_defaults(api: Symbol) -> None:
    operation = by_id(api, "GET /v1/models")
    assert operation.params[0] == Param(
        name="limit",
        annotation="integer(int32)",
        default="20",
        kind="query",
        description="Largest number of models to return.",
    )
    assert section(operation, "parameters")[0] == DocItem(
        name="limit",
        annotation="integer(int32)",
        description="Largest number of models to return.",
        default="20",
    )


def test_path_level_parameters_are_merged_first(api: Symbol) -> None:
    operation = by_id(api, "DELETE /v1/models/{model_id}")
    assert [(p.name, p.kind) for p in operation.params] == [
        ("model_id", "path"),
        ("force", "query"),
    ]
    model_id = operation.params[0]
    assert model_id.annotation == "string, required"
    assert model_id.description == "Id of the model, as listed by `GET /v1/models`."
    assert operation.params[1].default == "false"
    assert [item.name for item in section(operation, "parameters")] == ["model_id", "force"]


def test_operation_parameters_override_path_level_ones() -> None:
    text = """\
openapi: 3.0.0
info: {title: t, version: "1"}
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, description: shared, schema: {type: string}}
      - {name: verbose, in: query, schema: {type: boolean}}
    get:
      parameters:
        - {name: id, in: path, required: true, description: own, schema: {type: integer}}
      responses: {"200": {description: ok}}
"""
    api, _ = parse_spec("spec.yaml", text)
    operation = api.children[0].children[0]
    assert [(p.name, p.annotation, p.description) for p in operation.params] == [
        ("verbose", "boolean", ""),
        ("id", "integer, required", "own"),
    ]


def test_parameter_refs_are_resolved(api: Symbol) -> None:
    operation = by_id(api, "GET /v1/models")
    request_id = operation.params[-1]
    assert (request_id.name, request_id.kind, request_id.annotation) == (
        "X-Request-ID",
        "header",
        "string(uuid)",
    )
    assert request_id.description.startswith("Echoed back")


def test_request_body_ref_is_resolved(api: Symbol) -> None:
    body = section(by_id(api, "POST /v1/completions"), "request body")
    assert body == (
        DocItem(
            name="application/json",
            annotation="CompletionRequest, required",
            description="What to complete, and how.",
        ),
    )


def test_responses_resolve_refs_and_use_the_first_media_type(api: Symbol) -> None:
    responses = section(by_id(api, "POST /v1/completions"), "responses")
    assert [(r.name, r.annotation, r.description) for r in responses] == [
        ("200", "CompletionResponse", "The generated completion."),
        ("400", "Error", "The request is invalid."),
        ("404", "Error", "No such model."),
    ]
    health = section(by_id(api, "GET /health"), "responses")
    # An inline object's properties follow its row, as nested fields.
    assert [(r.name, r.annotation) for r in health] == [("200", "object"), ("status", '"ok" | "loading"'), ("default", "")]


def test_returns_is_the_success_schema(api: Symbol) -> None:
    assert by_id(api, "GET /v1/models").returns == "ModelList"
    assert by_id(api, "DELETE /v1/models/{model_id}").returns == ""


def test_deprecated_label(api: Symbol) -> None:
    assert by_id(api, "POST /v1/engines/{engine_id}/completions").labels == ("deprecated", "operationId: createEngineCompletion")
    assert "deprecated" not in by_id(api, "POST /v1/completions").labels


def test_operation_lines(api: Symbol) -> None:
    operation = by_id(api, "GET /v1/models/{model_id}")
    path_line = line_of(SPEC_TEXT, "/v1/models/{model_id}:")
    get_line = path_line + 3  # after the path-level `parameters` list
    assert SPEC_TEXT.splitlines()[get_line - 1].strip() == "get:"
    assert operation.location.start == get_line
    # The operation ends on its last line of content, just before `delete:`.
    delete_line = get_line + 13
    assert SPEC_TEXT.splitlines()[delete_line - 1].strip() == "delete:"
    assert operation.location.end == delete_line - 1
    # Blank lines after the last operation of a path are not counted as part of it.
    engines = by_id(api, "POST /v1/engines/{engine_id}/completions")
    assert engines.location.end == line_of(SPEC_TEXT, "/health:") - 2


def test_tag_location_is_its_declaration(api: Symbol) -> None:
    models = by_id(api, "models")
    start = line_of(SPEC_TEXT, "- name: models")
    assert (models.location.start, models.location.end) == (start, start + 1)
    default = by_id(api, "default")
    assert default.location == by_id(api, "GET /health").location


def test_schemas_have_a_page_of_their_own(api: Symbol) -> None:
    """Beside the tags, never sharing an id or anchor with one (a tag and a schema were
    both `<spec>::Pet`, and the tag's link led to the schema)."""
    page = by_id(api, "components/schemas")
    assert (page.kind, page.name) == ("tag", "Schemas")
    schemas = [child for child in page.children if child.kind == "schema"]
    assert [s.name for s in schemas] == [
        "CompletionRequest",
        "CompletionResponse",
        "Choice",
        "Usage",
        "Model",
        "ModelList",
        "Error",
    ]
    model = by_id(api, "components/schemas::Model")
    assert model.signature == "object"
    assert (
        model.docstring is not None and model.docstring.summary == "A model the server has loaded."
    )
    assert model.location.start == line_of(SPEC_TEXT, "Model:")


def test_schema_fields(api: Symbol) -> None:
    fields = {f.name: f for f in by_id(api, "components/schemas::CompletionRequest").fields}
    assert list(fields) == ["model", "prompt", "max_tokens", "temperature", "stop", "stream"]
    assert fields["model"].annotation == "string, required"
    assert fields["prompt"].annotation == "string | array[string], required"
    assert fields["max_tokens"].annotation == "integer(int32)"
    assert fields["max_tokens"].default == "16"
    assert fields["temperature"].default == "1.0"
    assert fields["stream"].default == "false"
    assert fields["stop"].description == "Sequences where generation stops."


def test_schema_field_refs_enums_and_maps(api: Symbol) -> None:
    response = {f.name: f.annotation for f in by_id(api, "components/schemas::CompletionResponse").fields}
    assert response["choices"] == "array[Choice], required"
    assert response["usage"] == "Usage"
    assert response["object"] == '"text_completion"'
    model = {f.name: f.annotation for f in by_id(api, "components/schemas::Model").fields}
    assert model["created"] == "string(date-time)"
    assert model["metadata"] == "map[string, string]"
    assert {f.name: f.annotation for f in by_id(api, "components/schemas::Choice").fields}[
        "finish_reason"
    ] == '"stop" | "length"'


@pytest.mark.parametrize(
    ("schema", "text"),
    [
        ({"$ref": "#/components/schemas/Pet"}, "Pet"),
        ({"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}, "array[Pet]"),
        (
            {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]},
            "Cat | Dog",
        ),
        ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, "string | integer"),
        ({"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object"}]}, "Base & object"),
        ({"type": "string", "format": "date-time"}, "string(date-time)"),
        ({"type": "string", "enum": ["a", "b"]}, '"a" | "b"'),
        ({"type": "object", "properties": {"a": {"type": "string"}}}, "object"),
        ({"properties": {"a": {"type": "string"}}}, "object"),
        (
            {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Pet"}},
            "map[string, Pet]",
        ),
        ({"type": "string", "nullable": True}, "string | null"),
        ({"type": ["string", "null"]}, "string | null"),
        ({"type": "array"}, "array[any]"),
        ({}, "any"),
        ({"$ref": "common.yaml#/components/schemas/Error"}, "Error"),
    ],
)
def test_schema_text(schema: dict, text: str) -> None:
    assert schema_text(schema) == text


def test_all_of_refs_are_bases() -> None:
    text = """\
openapi: 3.1.0
info: {title: Pets, version: 2.0.0}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
    Dog:
      allOf:
        - $ref: "#/components/schemas/Pet"
        - type: object
          properties:
            bark: {type: boolean, default: true}
"""
    api, _ = parse_spec("pets.yaml", text)
    dog = api.member("Schemas").member("Dog")
    assert dog is not None
    assert dog.bases == ("Pet",)
    assert [(f.name, f.annotation, f.default) for f in dog.fields] == [("bark", "boolean", "true")]
    assert dog.signature == "Pet & object"


def test_untagged_operation_goes_to_default(api: Symbol) -> None:
    health = by_id(api, "GET /health")
    assert health.id == f"{SPEC_PATH}::GET /health"
    assert by_id(api, "default").children == (health,)


@pytest.mark.parametrize(
    "text",
    [
        "name: ci\non:\n  push:\n    branches: [main]\n",
        "site_name: docs\nnav:\n  - index.md\n",
        "swagger: '2.0'\ninfo: {title: old, version: '1'}\npaths: {}\n",
        # `openapi` nested below the top level is not a spec.
        "service:\n  openapi: 3.0.0\n",
        '{"name": "x", "config": {"openapi": "3.0.0"}}',
        "",
        "- openapi: 3.0.0\n",
    ],
)
def test_other_documents_are_not_specs(text: str) -> None:
    assert parse_spec("other.yaml", text) is None


def test_other_yaml_is_not_parsed() -> None:
    # Without an `openapi` key the file is never parsed, so even broken YAML gives None.
    assert parse_spec("chart/templates/deploy.yaml", "a: {{ .Values.x }\n  b: [\n") is None


def test_malformed_yaml_raises_with_the_line() -> None:
    # The flow mapping on line 7 is never closed; the parser notices on line 8.
    text = (
        'openapi: 3.0.3\ninfo:\n  title: t\n  version: "1"\n'
        'paths:\n  /a:\n    get: {summary: "x"\n  /b: {}\n'
    )
    with pytest.raises(ScanError) as caught:
        parse_spec("bad.yaml", text)
    assert caught.value.file == "bad.yaml"
    assert caught.value.line == 8
    assert str(caught.value).startswith("bad.yaml:8: invalid YAML")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n", 1, "missing `paths`"),
        ("openapi: 3.0.3\npaths: {}\n", 1, "`info`"),
        ("openapi: 3.0.3\ninfo:\n  title: t\npaths: {}\n", 2, "no `version`"),
        (
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: [a]\n",
            3,
            "`paths` is not a mapping",
        ),
        (
            "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
            1,
            "unsupported OpenAPI version",
        ),
    ],
)
def test_invalid_specs_raise(text: str, line: int, message: str) -> None:
    with pytest.raises(ScanError, match=message) as caught:
        parse_spec("bad.yaml", text)
    assert caught.value.line == line


def test_broken_parts_are_skipped_with_their_line() -> None:
    text = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a: 3
  /b:
    get: 1
    post:
      responses: {"201": {description: created}}
  x-internal: true
"""
    api, skipped = parse_spec("spec.yaml", text)
    assert [str(s) for s in skipped] == [
        "spec.yaml:4: path /a is not a mapping",
        "spec.yaml:6: operation GET /b is not a mapping",
    ]
    assert [op.name for op in api.walk() if op.kind == "operation"] == ["POST /b"]


def test_json_spec(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(yaml.safe_load(SPEC_TEXT), indent=2), encoding="utf-8")
    text = spec.read_text(encoding="utf-8")
    result = parse_spec("openapi.json", text)
    assert result is not None
    api, skipped = result
    assert skipped == []
    assert api.signature == "Inference Server API 1.10"
    operation = next(s for s in api.walk() if s.id == "openapi.json::GET /v1/models/{model_id}")
    assert [p.name for p in operation.params] == ["model_id"]
    assert [r.annotation for r in section(operation, "responses")] == ["Model", "Error"]
    # Lines come from the JSON text as well: the operation starts on its `"get": {` line.
    assert text.splitlines()[operation.location.start - 1].strip() == '"get": {'
    assert text.splitlines()[operation.location.end - 1].strip() == "},"  # `delete` follows


def test_json_escapes_beyond_the_basic_plane() -> None:
    # json.dumps writes the emoji as a surrogate pair of \u escapes, which YAML alone rejects;
    # an escaped backslash before `u` is text and stays as it is.
    spec = {
        "openapi": "3.0.0",
        "info": {"title": "Chat \U0001f916", "version": "1", "description": "a \\ud83d\\ude00"},
        "paths": {},
    }
    api, _ = parse_spec("openapi.json", json.dumps(spec, indent=2))
    assert api.name == "Chat \U0001f916"
    assert api.docstring is not None
    assert api.docstring.raw == "a \\ud83d\\ude00"


def test_malformed_json_raises_with_the_line() -> None:
    text = (
        '{\n  "openapi": "3.0.0",\n  "info": {"title": "t", "version": "1"},\n  "paths": {,}\n}\n'
    )
    with pytest.raises(ScanError) as caught:
        parse_spec("openapi.json", text)
    assert caught.value.line == 4


def test_parse_is_deterministic(api: Symbol) -> None:
    again, _ = parse_spec(SPEC_PATH, SPEC_TEXT)
    assert again == api
    assert again.hash == api.hash


# --- hostile and malformed specs: one problem with its line, never unbounded time or memory --

HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"


def laughs(levels: int, indent: str = "  ") -> str:
    """`a0: &a0 [lol x 9]`, then each level nine aliases of the one before: 9**levels strings."""
    lines = [f"{indent}a0: &a0 [{', '.join(['lol'] * 9)}]"]
    lines += [f"{indent}a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (HEAD + "paths: {}\nx: &a [*a]\n", 4),
        (HEAD + "paths: {}\nx: &a {b: *a}\n", 4),
        (HEAD + "paths: {}\ncomponents:\n  schemas:\n    A: &a\n      type: array\n      items: *a\n", 8),
        (HEAD + "paths: {}\nx: &a {<<: *a}\n", 4),
    ],
)
def test_an_alias_to_what_contains_it_is_refused(text: str, line: int) -> None:
    with pytest.raises(ScanError, match="alias refers to a collection that contains it") as caught:
        parse_spec("spec.yaml", text)
    assert caught.value.line == line


@pytest.mark.parametrize(
    "use",
    [
        "paths: {}\nx-use: *a8\n",
        "paths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, schema: {default: *a8}}\n",
        "paths: {}\ncomponents: {schemas: {A: {properties: {p: {enum: *a8}}}}}\n",
        "paths: {}\nx:\n  ? *a8\n  : 1\n",
    ],
)
def test_billion_laughs_are_refused_quickly(use: str) -> None:
    text = HEAD + "x-lol:\n" + laughs(9) + use
    started = time.process_time()
    with pytest.raises(ScanError, match="YAML aliases expand too far") as caught:
        parse_spec("spec.yaml", text)
    assert time.process_time() - started < 2
    # Where the aliases pass the bound: the level whose nine uses add a million nodes.
    assert caught.value.line == 10
    assert text.splitlines()[caught.value.line - 1].startswith("  a6: &a6")


def test_merge_key_laughs_are_refused() -> None:
    lines = ["a0: &a0 {" + ", ".join(f"k{i}: {i}" for i in range(9)) + "}"]
    lines += [f"a{i}: &a{i} {{<<: [{', '.join([f'*a{i - 1}'] * 9)}], x{i}: 1}}" for i in range(1, 12)]
    with pytest.raises(ScanError, match="YAML aliases expand too far"):
        parse_spec("spec.yaml", HEAD + "paths: {}\n" + "\n".join(lines) + "\n")


def test_shared_aliases_and_merge_keys_still_read() -> None:
    text = HEAD + """\
x-responses:
  ok: &ok {description: fine, content: {application/json: {schema: {type: string}}}}
  base: &base {summary: shared, responses: {'200': *ok}}
  op: &op
    summary: aliased
    responses: {'200': *ok}
paths:
  /a:
    get: {<<: *base, description: own}
    post: {<<: *base, summary: mine}
    put: *op
"""
    api, problems = parse_spec("spec.yaml", text)
    assert problems == []
    get, put, post = (s for s in api.walk() if s.kind == "operation")
    assert get.docstring.raw == "shared\n\nown"
    assert post.docstring.raw == "mine"
    assert put.docstring.raw == "aliased"
    assert get.returns == post.returns == put.returns == "string"
    assert (get.location.start, post.location.start) == (11, 12)
    # An alias stands where it is written, not where its anchor is.
    assert (put.location.start, put.location.end) == (13, 13)


def test_merge_keys_agree_with_pyyaml() -> None:
    from docgen.scan.openapi import _load

    text = """\
base: &b {x: 1, y: 2}
other: &o {y: 3, z: 4}
m1: {<<: *b, x: 9}
m2: &m2 {<<: [*b, *o]}
m3: {<<: [*o, *b], w: 0}
m4: {a: 1, <<: *m2, y: 7}
"""
    data, problems = _load("x.yaml", text)
    expected = yaml.safe_load(text)
    assert data == expected and problems == []
    assert [list(value) for value in data.values()] == [list(value) for value in expected.values()]


@pytest.mark.parametrize("text", ["x: " + "[" * 900 + "]" * 900, "x: " + "{a: " * 900 + "1" + "}" * 900])
def test_deep_nesting_is_refused(text: str) -> None:
    with pytest.raises(ScanError, match="YAML nests more than 128 levels deep") as caught:
        parse_spec("spec.yaml", HEAD + "paths: {}\n" + text + "\n")
    assert caught.value.line == 4


def test_a_duplicated_key_is_reported_and_the_last_kept() -> None:
    text = HEAD + "paths:\n  /a: {get: {summary: one}}\n  /b: {}\n  /a: {post: {summary: two}}\n  /b: {}\n"
    api, problems = parse_spec("spec.yaml", text)
    assert [str(p) for p in problems] == [
        "spec.yaml:6: duplicated key '/a', the last value is kept (1 more duplicated keys)"
    ]
    assert [s.name for s in api.walk() if s.kind == "operation"] == ["POST /a"]


def test_a_json_spec_with_a_trailing_comma_is_read_with_a_warning() -> None:
    text = '{\n  "openapi": "3.0.0",\n  "info": {"title": "t", "version": "1"},\n  "paths": {"/a": {"get": {}},}\n}\n'
    api, problems = parse_spec("openapi.json", text)
    assert [s.name for s in api.walk() if s.kind == "operation"] == ["GET /a"]
    assert [(p.code, p.line) for p in problems] == [("read-in-part", 4)]
    assert problems[0].message.startswith("not valid JSON (")


def test_scalars_python_cannot_hold_are_kept_as_written() -> None:
    text = HEAD + (
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      required: [[a], id]\n"
        "      properties:\n        id: {default: 1" + "0" * 5000 + "}\n        day: {default: 2024-02-31}\n"
    )
    api, problems = parse_spec("spec.yaml", text)
    (schema,) = [s for s in api.walk() if s.kind == "schema"]
    assert [(f.name, f.annotation, f.default[:3]) for f in schema.fields] == [
        ("id", "any, required", '"10'),
        ("day", "any", '"20'),
    ]


def big_spec(paths: int) -> str:
    """A synthetic spec of `paths` paths, two operations each, and 500 schemas (~1 KB a path)."""
    out = [HEAD.rstrip("\n"), "paths:"]
    for i in range(paths):
        out += [
            f"  /items{i}/{{id}}:",
            "    parameters:",
            "      - {name: id, in: path, required: true, schema: {type: string}}",
            "    get:",
            f"      tags: [t{i % 40}]",
            f"      summary: Get item {i}",
            "      description: |",
            "        A longer description",
            "        over two lines.",
            "      parameters:",
            "        - name: limit",
            "          in: query",
            "          schema: {type: integer, default: 10, minimum: 1}",
            "      responses:",
            "        '200':",
            "          description: ok",
            "          content:",
            "            application/json:",
            f"              schema: {{$ref: '#/components/schemas/Item{i % 500}'}}",
            "        '404': {$ref: '#/components/responses/NotFound'}",
            "    post:",
            f"      operationId: post{i}",
            "      requestBody:",
            "        required: true",
            "        content:",
            "          application/json:",
            "            schema:",
            "              type: object",
            "              properties:",
            "                name: {type: string}",
            "                tags: {type: array, items: {type: string}}",
            "      responses:",
            "        '201': {description: created}",
        ]
    out += ["components:", "  responses:", "    NotFound: {description: not found}", "  schemas:"]
    for i in range(500):
        out += [
            f"    Item{i}:",
            "      type: object",
            "      required: [id]",
            "      properties:",
            "        id: {type: string, format: uuid}",
            "        name: {type: string, description: The name}",
            f"        parent: {{$ref: '#/components/schemas/Item{(i + 1) % 500}'}}",
        ]
    return "\n".join(out) + "\n"


def test_a_3_mb_spec_reads_in_reasonable_time() -> None:
    text = big_spec(3000)
    assert len(text) > 2_800_000
    started = time.process_time()  # CPU time: other work on a shared machine does not count
    api, problems = parse_spec("big.yaml", text)
    assert time.process_time() - started < 10
    assert problems == []
    assert sum(1 for s in api.walk() if s.kind == "operation") == 6000


SPEC_31 = """\
openapi: 3.1.0
info: {title: Pets, version: "1", description: A pet store.}
servers:
  - {url: "https://api.example.com/v1", description: production}
components:
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: X-API-Key, description: Your key.}
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [pet]
              properties:
                pet: {$ref: "#/components/schemas/Pet"}
                owner:
                  type: object
                  properties:
                    name: {type: string, description: Who owns it.}
            example: {pet: {name: Rex}}
      responses:
        "201": {description: Created.}
webhooks:
  newPet:
    post:
      summary: A pet was added.
      responses:
        "200": {description: Received.}
"""


def test_servers_security_inline_bodies_examples_and_webhooks() -> None:
    api, problems = parse_spec(SPEC_PATH, SPEC_31)
    assert problems == []
    assert [(i.name, i.description) for i in section(api, "servers")] == [("https://api.example.com/v1", "production")]
    assert [(i.name, i.annotation, i.description) for i in section(api, "authentication")] == [("apiKey", "apiKey, header X-API-Key", "Your key.")]
    create = by_id(api, "POST /pets")
    assert [(r.name, r.annotation, r.description) for r in section(create, "request body")] == [
        ("application/json", "object", ""),
        ("pet", "Pet, required", ""),  # a named schema: linked, not expanded
        ("owner", "object", ""),
        ("owner.name", "string", "Who owns it."),
    ]
    examples = next(found for found in create.docstring.sections if found.kind == "examples")
    assert examples.text == 'Request (application/json):\n\n```json\n{\n  "pet": {\n    "name": "Rex"\n  }\n}\n```'
    assert "operationId: createPet" in create.labels
    webhook = by_id(api, "POST newPet")
    assert webhook.docstring.summary == "A pet was added."
    assert [t.name for t in api.children if t.kind == "tag"] == ["default", "webhooks", "Schemas"]


def test_a_large_spec_pages_its_schemas_by_first_letter() -> None:
    names = [f"{letter}{n}" for letter in "AbC" for n in range(40)] + ["_Private", "Été"]
    schemas = "".join(f"    {name}:\n      type: object\n" for name in names)
    text = f"openapi: 3.0.0\ninfo: {{title: Big, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
    api, _ = parse_spec("big.yaml", text)
    pages = [child for child in api.children if child.kind == "tag"]
    assert [(page.id, page.name, len(page.children)) for page in pages] == [
        ("big.yaml::components/schemas/A", "Schemas A", 40),
        ("big.yaml::components/schemas/B", "Schemas B", 40),
        ("big.yaml::components/schemas/C", "Schemas C", 40),
        ("big.yaml::components/schemas/other", "Other schemas", 2),  # a page per ASCII letter: slugs must differ
    ]
    assert pages[1].children[0].id == "big.yaml::components/schemas/B::b0"


def test_the_same_api_as_json_and_yaml_is_documented_once(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    spec = {"openapi": "3.0.0", "info": {"title": "Pets", "version": "1"}, "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok"}}}}}}
    (tmp_path / "api" / "openapi.json").write_text(json.dumps(spec, indent=2), encoding="utf-8")
    (tmp_path / "api" / "openapi.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    (tmp_path / "api" / "other.yaml").write_text(yaml.safe_dump({**spec, "info": {"title": "Other", "version": "1"}}), encoding="utf-8")
    project = scan(load_config(tmp_path))
    assert sorted(s.id for s in project.symbols if s.kind == "api") == ["api/openapi.yaml", "api/other.yaml"]
    assert [(p.file, p.message, p.severity) for p in project.problems] == [
        ("api/openapi.json", "the same API as api/openapi.yaml, documented once", "notice")
    ]


def test_specs_that_differ_only_in_their_responses_are_two_apis(tmp_path: Path) -> None:
    spec = {"openapi": "3.0.0", "info": {"title": "Pets", "version": "1"}, "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok"}}}}}}
    other = json.loads(json.dumps(spec))
    other["paths"]["/pets"]["get"]["responses"]["404"] = {"description": "none"}
    other["paths"]["/pets"]["get"]["deprecated"] = True
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    (tmp_path / "openapi.json").write_text(json.dumps(other), encoding="utf-8")
    project = scan(load_config(tmp_path))
    assert sorted(s.id for s in project.symbols if s.kind == "api") == ["openapi.json", "openapi.yaml"]
