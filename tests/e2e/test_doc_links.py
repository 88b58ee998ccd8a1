"""Doc links in every language resolve to their symbol's anchor, and one to nothing is a
`broken-reference` problem, so `--strict` means the same for TypeScript, C and Go as for
Python and Rust."""

from __future__ import annotations

from pathlib import Path

from tests.building import run

CLIENT_TS = """\
/**
 * A client of the {@link Server}; not of {@link Gone}.
 * @see Server
 * @see {@link https://example.com/api|the API}
 */
export class Client {
  /** Retry, for subclasses. */
  protected retry(times: number): void {}
  /** Nobody else's. */
  private secret(): void {}
}

/** Serves. */
export class Server {}
"""

MATH_H = """\
/** Add two numbers; see \\ref sub and \\ref vanished. */
int add(int a, int b);

/**
 * Subtract.
 * @see add
 */
int sub(int a, int b);
"""

QUEUE_GO = """\
// Package queue holds work.
package queue

// Queue holds work; [Queue.Push] adds, [Queue.Pop] does not exist, and [io.Reader] is
// another package's. Times are [RFC3339], which names nothing and is no link.
type Queue struct{}

// Push adds one.
func (q *Queue) Push() {}
"""


def test_doc_links_resolve_or_are_problems_in_every_language(tmp_path: Path) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "client.ts").write_text(CLIENT_TS, encoding="utf-8")
    (tmp_path / "native").mkdir()
    (tmp_path / "native" / "math.h").write_text(MATH_H, encoding="utf-8")
    (tmp_path / "queue").mkdir()
    (tmp_path / "queue" / "queue.go").write_text(QUEUE_GO, encoding="utf-8")
    report = run(tmp_path)
    broken = sorted((p.file, p.message) for p in report.problems if p.code == "broken-reference")
    assert broken == [
        ("native/math.h", "unresolved reference [`vanished`][vanished]"),
        ("queue/queue.go", "unresolved doc link [Queue.Pop]"),
        ("web/client.ts", "unresolved reference [`Gone`][Gone]"),
    ]
    reference = tmp_path / "docs" / "reference"
    client = (reference / "source-files" / "web" / "client.ts.md").read_text(encoding="utf-8")
    assert "A client of the [`Server`](#Server); not of `Gone`." in client
    assert '!!! note "See also"\n\n    - [`Server`](#Server)\n    - [the API](https://example.com/api)' in client
    assert "### `retry` { #Client-retry }" in client and "<code>protected</code>" in client
    assert "secret" not in client
    header = (reference / "source-files" / "native" / "math.h.md").read_text(encoding="utf-8")
    assert "Add two numbers; see [`sub`](#sub) and `vanished`." in header
    assert '!!! note "See also"\n\n    [`add`](#add)' in header
    package = (reference / "go" / "queue" / "index.md").read_text(encoding="utf-8")
    assert "[Queue.Push](#Queue-Push) adds, &#91;Queue.Pop&#93; does not exist, and &#91;io.Reader&#93;" in package


REQUEST_TS = """\
/**
 * Make a request.
 *
 * @param {string} url - The URL.
 *
 *   It may be relative; then the base applies:
 *
 *   ```ts
 *   request("/v1/models");
 *   ```
 * @param {number} [timeout=config.timeout ?? null] - Seconds.
 */
export function request(url: string, timeout?: number): void {}
"""


def test_a_jsdoc_tag_keeps_its_paragraphs_and_code_out_of_table_cells(tmp_path: Path) -> None:
    (tmp_path / "request.ts").write_text(REQUEST_TS, encoding="utf-8")
    run(tmp_path)
    page = (tmp_path / "docs" / "reference" / "source-files" / "request.ts.md").read_text(encoding="utf-8")
    text, _, parameters = page.partition("**Parameters**")
    assert "It may be relative" not in text  # it was moved out of its tag, into the description
    assert parameters.startswith("\n\n- <code>url</code> (<code>string</code>): The URL.\n\n    It may be relative; then the base applies:\n")
    assert "request(&quot;/v1/models&quot;);" in parameters or 'request("/v1/models");' in parameters
    # A loose list: without the blank line, Markdown reads the next item into the paragraph before.
    assert "</code></pre>\n\n- <code>timeout</code> (<code>number</code>) = <code>config.timeout ?? null</code>: Seconds." in parameters
    assert "| Name |" not in parameters
