"""Long signatures, one parameter per line, in each language's own way."""

from __future__ import annotations

import pytest

from docgen.generate.signature_layout import layout


def test_a_short_signature_stays_on_one_line() -> None:
    assert layout("def f(a, b) -> int", "python") == "def f(a, b) -> int"


@pytest.mark.parametrize(
    ("language", "signature", "expected"),
    [
        (
            "typescript",
            "export async function request(url: string, opts: { timeout?: number; retries?: number } = {}, "
            "extra: Map<string, Array<string>> = new Map()): Promise<Response>",
            "export async function request(\n    url: string,\n    opts: { timeout?: number; retries?: number } = {},\n"
            "    extra: Map<string, Array<string>> = new Map(),\n): Promise<Response>",
        ),
        (
            "go",  # the receiver is not the parameter list
            "func (q *Queue) Push(ctx context.Context, item Item, options ...PushOption, deadline time.Duration) error",
            "func (q *Queue) Push(\n    ctx context.Context,\n    item Item,\n    options ...PushOption,\n"
            "    deadline time.Duration,\n) error",
        ),
        (
            "c",  # no trailing comma where the language has none
            "int ggml_backend_sched_graph_compute_async(ggml_backend_sched_t sched, struct ggml_cgraph * graph, int n)",
            "int ggml_backend_sched_graph_compute_async(\n    ggml_backend_sched_t sched,\n    struct ggml_cgraph * graph,\n"
            "    int n\n)",
        ),
        (
            "python",  # commas in strings, brackets and lambdas split nothing
            "def f(a: str = 'x, y', b: Callable[[int, str], None] = lambda x: (x, 1), *, c: int = 3) -> dict[str, int]",
            "def f(\n    a: str = 'x, y',\n    b: Callable[[int, str], None] = lambda x: (x, 1),\n    *,\n    c: int = 3,\n"
            ") -> dict[str, int]",
        ),
        (
            "rust",  # generics before the parameters, and lifetimes are no quotes
            "pub fn find<'h, I: Into<Input<'h>>>(&self, input: I, other: &'h str, more: Vec<(u8, u8)>) -> Option<Match>",
            "pub fn find<'h, I: Into<Input<'h>>>(\n    &self,\n    input: I,\n    other: &'h str,\n    more: Vec<(u8, u8)>,\n"
            ") -> Option<Match>",
        ),
        (
            "rust",  # `->` inside generics closes no `<`
            "fn apply<F: Fn(u8) -> u8, G: Fn(u16) -> u16>(first: F, second: G, handlers: HashMap<Box<dyn Fn() -> u8>, u8>) -> u8",
            "fn apply<F: Fn(u8) -> u8, G: Fn(u16) -> u16>(\n    first: F,\n    second: G,\n"
            "    handlers: HashMap<Box<dyn Fn() -> u8>, u8>,\n) -> u8",
        ),
    ],
)
def test_a_long_signature_gets_one_parameter_per_line(language: str, signature: str, expected: str) -> None:
    assert layout(signature, language) == expected


@pytest.mark.parametrize(
    "signature",
    [
        "GET /v1/organization/projects/{project_id}/service_accounts/{service_account_id}/keys/{key_id}",
        "def broken(a: str = 'never closed, b: int, c: int, d: int, e: int, f: int, g: int, h: int",
        "x" * 100 + "()",
    ],
)
def test_what_is_not_head_params_tail_is_left_as_written(signature: str) -> None:
    assert layout(signature, "python") == signature
