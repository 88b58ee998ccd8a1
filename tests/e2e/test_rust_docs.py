"""Rust crates as rustdoc shows them: one page per module path, intra-doc links resolve,
doc headings nest under their symbol, trait implementations are listed apart, and an impl
for a foreign type never takes that type's name."""

from __future__ import annotations

from pathlib import Path

from docgen.config import load_config
from docgen.scan import scan
from tests.building import run

LIB = """\
//! Find things in text.
//!
//! See [`Match`] and [Finder::find], or [the docs][docs].
//!
//! [docs]: https://example.com/docs

pub mod matcher;
pub use matcher::Match;

/// Finds matches.
pub struct Finder {
    needle: String,
}

impl Finder {
    /// Find the first [`Match`] in `haystack`; see [Self::new].
    ///
    /// # Panics
    ///
    /// Never.
    pub fn find(&self, haystack: &str) -> Option<Match> { None }

    /// Make one from [`crate::matcher::Match`]'s needle, as [`new`](Self::new) says.
    pub fn new(needle: &str) -> Self { Finder { needle: needle.into() } }
}

impl Default for Finder {
    fn default() -> Self { Finder::new("") }
}

/// Old-style links to rustdoc's pages: [`Finder::find`](struct.Finder.html#method.find)
/// and [`found!`], a macro of the crate.
///
/// [`found!`]: macro.found.html
pub fn legacy() {}

/// Says it found one.
#[macro_export]
macro_rules! found {
    () => {};
}

impl std::ops::Index<Finder> for str {
    type Output = str;
    fn index(&self, f: Finder) -> &str { self }
}
"""

MATCHER = """\
/// A match: where it starts and ends in a `&str`.
pub struct Match {
    /// Start offset.
    pub start: usize,
}
"""


def test_a_crate_reads_as_rustdoc_shows_it(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "finder"\nversion = "0.1.0"\n', encoding="utf-8")
    (tmp_path / "src" / "lib.rs").write_text(LIB, encoding="utf-8")
    (tmp_path / "src" / "matcher.rs").write_text(MATCHER, encoding="utf-8")
    report = run(tmp_path)
    assert [p for p in report.problems if p.code == "broken-reference"] == []
    crate = tmp_path / "docs" / "reference" / "rust" / "finder"
    assert sorted(p.name for p in crate.iterdir()) == ["index.md", "matcher.md"]  # `finder`, `finder::matcher`
    page = (crate / "index.md").read_text(encoding="utf-8")
    assert page.split("\n")[2] == "# finder"
    assert "See [`Match`](matcher.md#matcher-Match) and [Finder::find](#Finder-find), or [the docs](https://example.com/docs)." in page
    assert "[docs]:" not in page and "&#91;" not in page
    assert "see [Self::new](#Finder-new)." in page
    assert "Make one from [`crate::matcher::Match`](matcher.md#matcher-Match)'s needle, as [`new`](#Finder-new) says." in page
    assert '!!! note "Panics"\n\n    Never.' in page  # nested under `find`, not a page heading
    assert "### `impl Default for Finder` { #Finder-impl-Default-for-Finder }" in page
    # `&str` in signatures is never a link to the impl for `str`.
    assert 'href="#str"' not in page
    assert "\n## <code>impl std::ops::Index&lt;Finder&gt; for str</code>" not in page  # under Finder instead
    assert "### <code>impl std::ops::Index&lt;Finder&gt; for str</code>" in page
    assert "Old-style links to rustdoc's pages: [`Finder::find`](#Finder-find)\nand [`found!`](#found), a macro of the crate." in page
    assert '<code class="language-rust">macro_rules! found</code>' in page


API_LIB = """\
//! Search text. See [`Searcher`], [`Kind::Fast`] and [`crate::engine::Engine`].

mod search;
/// The engines, public.
pub mod engine;
#[doc(hidden)]
pub mod __private;
mod macros;

pub use crate::search::{Searcher, Kind as SearchKind};
pub use self::search::*;

/// The largest pattern.
pub const MAX_PATTERN: usize = 64;

mod inner {
    /// Deep inside a private inline module.
    pub struct Deep;
}
pub use inner::Deep;
"""

API_SEARCH = """\
/// Searches.
pub struct Searcher;

/// How to search.
pub enum Kind {
    /// Quickly.
    Fast,
}

/// Only through the glob.
pub fn search() {}

pub(crate) fn helper() {}
"""

API_ENGINE = """\
/// An engine.
pub struct Engine;

impl crate::Sealed for crate::engine::Engine {}
"""

API_MACROS = """\
/// Search now.
#[macro_export]
macro_rules! find {
    () => {};
}
"""


def test_a_crates_public_api_follows_its_module_declarations_and_reexports(tmp_path: Path) -> None:
    """rust-lang/log had pages for its private `macros` module and `#[doc(hidden)]`
    `__private_api`; aho-corasick's root page was empty, its whole API re-exported from
    private modules, and links to `crate::dfa::DFA` broke on an `impl ... for crate::dfa::DFA`."""
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "seek"\nversion = "0.1.0"\n', encoding="utf-8")
    for name, text in {"lib.rs": API_LIB, "search.rs": API_SEARCH, "engine.rs": API_ENGINE, "__private.rs": "pub fn internal() {}\n", "macros.rs": API_MACROS}.items():
        (tmp_path / "src" / name).write_text(text, encoding="utf-8")
    report = run(tmp_path)
    assert [p for p in report.problems if p.code == "broken-reference"] == []
    crate = tmp_path / "docs" / "reference" / "rust" / "seek"
    assert sorted(p.name for p in crate.iterdir()) == ["engine.md", "index.md"]  # no private, no hidden module
    page = (crate / "index.md").read_text(encoding="utf-8")
    headings = [line.split("`")[1] for line in page.splitlines() if line.startswith("## ")]
    assert headings == ["MAX_PATTERN", "Searcher", "SearchKind", "Deep", "Kind", "search", "find"]  # its own, re-exported, exported macros
    assert "See [`Searcher`](#Searcher), [`Kind::Fast`](#Kind) and [`crate::engine::Engine`](engine.md#engine-Engine)." in page
    assert "pub const MAX_PATTERN: usize" in page
    assert "helper" not in page
    assert "The engines, public." in (crate / "engine.md").read_text(encoding="utf-8")  # the doc above `pub mod engine;`


def test_globs_and_circular_reexports_whatever_the_file_names(tmp_path: Path) -> None:
    """`mod alpha; pub use alpha::*;` re-exported nothing when `alpha.rs` sorted before
    `lib.rs` (the `mod` line and the module shared an id); a circle of re-exports left the
    reader's `reexport` symbols in the model."""
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "ab"\nversion = "0.1.0"\n', encoding="utf-8")
    (tmp_path / "src" / "lib.rs").write_text("mod alpha;\nmod b;\npub use alpha::*;\npub use b::Loop;\n", encoding="utf-8")
    (tmp_path / "src" / "alpha.rs").write_text("/// First.\npub struct First;\n", encoding="utf-8")
    (tmp_path / "src" / "b.rs").write_text("pub use crate::Loop;\n", encoding="utf-8")
    project = scan(load_config(tmp_path))
    assert [s.id for s in project.walk() if s.kind in ("reexport", "mod_declaration")] == []
    root = next(s for s in project.symbols if s.id == "ab")
    assert [(c.name, c.defined_in) for c in root.children] == [("First", "ab::alpha::First")]
