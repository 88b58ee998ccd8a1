"""Go modules as pkg.go.dev shows them: one page per package, methods under their
receiver whichever file declares them, tests and testdata left out, doc links resolved
within their own package first, struct tags shown."""

from __future__ import annotations

from pathlib import Path

from tests.building import run

FILES = {
    "go.mod": "module example.com/app\n",
    "server/server.go": """// Package server serves requests; see [Config] and [Server.Start].
package server

// Config configures a [Server].
type Config struct {
\t// Addr to listen on.
\tAddr string `json:"addr"`
}

// Server answers requests.
type Server struct {
\tcfg Config
}

// New makes a server from a [Config].
func New(cfg Config) *Server { return &Server{cfg: cfg} }
""",
    "server/start.go": "package server\n\n// Start starts [Server] s.\nfunc (s *Server) Start() error { return nil }\n",
    "server/server_test.go": 'package server\n\nimport "testing"\n\nfunc TestStart(t *testing.T) {}\n',
    "server/testdata/fixture.go": "package fixture\n\n// Helper helps.\nfunc Helper() {}\n",
    "client/client.go": "// Package client calls a server.\npackage client\n\n// Config configures the client; see [server.Config] and [Missing].\ntype Config struct {\n\tURL string\n}\n",
}


def test_a_module_reads_as_pkg_go_dev_shows_it(tmp_path: Path) -> None:
    for path, text in FILES.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    report = run(tmp_path)
    # `[Missing]` names nothing: shown as text, as gofmt does, and a problem, as in every language
    assert [(p.code, p.file, p.message) for p in report.problems] == [
        ("broken-reference", "client/client.go", "unresolved doc link [Missing]")
    ]
    reference = tmp_path / "docs" / "reference"
    assert sorted(p.relative_to(reference).as_posix() for p in reference.rglob("*.md")) == [
        "go/client/index.md",
        "go/server/index.md",
        "index.md",
    ]
    server = (reference / "go" / "server" / "index.md").read_text(encoding="utf-8")
    assert "Package server serves requests; see [Config](#Config) and [Server.Start](#Server-Start)." in server
    assert "### `Start` { #Server-Start }" in server  # under Server, though start.go declares it
    assert "<code>string &#96;json:\"addr\"&#96;</code>" in server
    assert "New makes a server from a [Config](#Config)." in server
    assert "TestStart" not in server and "Helper" not in server
    client = (reference / "go" / "client" / "index.md").read_text(encoding="utf-8")
    assert "see [server.Config](../server/index.md#Config) and &#91;Missing&#93;." in client  # shown as written
