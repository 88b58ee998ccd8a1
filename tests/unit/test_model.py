"""The model: content hashes that cannot go stale, and the one rule for what is documented."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from docgen.config import load_config
from docgen.model import Docstring, DocSection, Location, Symbol, in_reference
from docgen.scan import scan


def function(**changes) -> Symbol:
    symbol = Symbol("m.f", "f", "function", "python", Location("m.py", 3, 9), signature="def f()")
    return replace(symbol, **changes)


def test_hash_follows_replace() -> None:
    symbol = function()
    assert replace(symbol, signature="def f(x)").hash != symbol.hash
    assert replace(symbol, signature="def f()").hash == symbol.hash
    assert "hash" not in {f for f in Symbol.__dataclass_fields__}


def test_hash_leaves_out_line_numbers(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text('def f():\n    """One."""\n')
    before = {s.id: s for s in scan(load_config(tmp_path)).walk()}
    (tmp_path / "mod.py").write_text('\n\ndef f():\n    """One."""\n')
    after = {s.id: s for s in scan(load_config(tmp_path)).walk()}
    assert after["mod.f"].location.start == before["mod.f"].location.start + 2
    assert after["mod.f"].hash == before["mod.f"].hash
    assert function(location=Location("m.py", 30, 40)).hash == function().hash
    assert function(location=Location("other.py", 3, 9)).hash != function().hash


def test_reexports_record_where_they_are_defined(tmp_path: Path) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "__init__.py").write_text('from ._client import Client\n__all__ = ["Client"]\n')
    (tmp_path / "web" / "_client.py").write_text('class Client:\n    """A client."""\n')
    client = next(s for s in scan(load_config(tmp_path)).walk() if s.id == "web.Client")
    assert client.defined_in == "web._client.Client"


def test_empty_modules_are_not_in_the_reference() -> None:
    private = function(name="_f", id="m._f", public=False)
    module = Symbol("m", "m", "module", "python", Location("m.py", 1, 9), children=(private,))
    assert not in_reference(module)
    documented = replace(module, docstring=Docstring("M.", (DocSection("text", "M."),)))
    assert in_reference(documented)
    assert in_reference(replace(module, children=(function(),)))


def test_special_names_need_a_docstring() -> None:
    call = function(name="__call__", kind="method", id="m.C.__call__")
    assert not in_reference(call)
    assert in_reference(replace(call, docstring=Docstring("Run.", (DocSection("text", "Run."),))))
    mangled = function(name="__secret", public=False)  # private, not special
    assert in_reference(mangled, show_private=True)
    init = replace(call, name="__init__", docstring=Docstring("Init."))
    assert not in_reference(init)
    assert not in_reference(replace(call, name="__all__", kind="attribute", docstring=None))


def test_a_summary_is_the_first_sentence_however_it_is_wrapped() -> None:
    def summary(text: str) -> str:
        return Docstring(text, (DocSection("text", text),)).summary

    assert summary("A model on disk: weights and a\ntokenizer. Its digest is\ncomputed.") == "A model on disk: weights and a tokenizer."
    assert summary("Read it, e.g. twice. Then stop.") == "Read it, e.g. twice."
    assert summary("One line\n\nAnother paragraph.") == "One line"
