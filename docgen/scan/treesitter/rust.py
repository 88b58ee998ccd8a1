"""Rust: the handlers for its items.

Functions, structs and unions (named or tuple fields), enums with their variants, traits,
`impl` blocks (whose methods join their type once the whole scope is known), inline modules
with their `//!` docs, type aliases and `extern` blocks. Only a bare `pub` is public.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from docgen.model import Field, Param
from docgen.scan.treesitter.comments import _is_inner_doc
from docgen.scan.treesitter.walker import _TYPE_KINDS, Handler, _collapse, _Draft, _named, _Scope, _Walker, _Wrap

_RUST_MODIFIERS = frozenset({"async", "const", "unsafe", "extern", "default"})


def _rust_public(w: _Walker, node: Node) -> bool:
    """Only a bare `pub` is public API; `pub(crate)` and friends stay inside the crate, and
    `#[doc(hidden)]` keeps an item out of the docs as rustdoc does."""
    return any(c.type == "visibility_modifier" and w.text(c) == "pub" for c in node.children) and not _doc_hidden(w, node)


def _attributes(w: _Walker, node: Node) -> list[str]:
    """The texts of the attributes right above `node` (`#[macro_export]`, `#[doc(hidden)]`)."""
    found, before = [], node.prev_named_sibling
    while before is not None and before.type in ("attribute_item", "line_comment", "block_comment"):
        if before.type == "attribute_item":
            found.append(w.text(before))
        before = before.prev_named_sibling
    return found


def _doc_hidden(w: _Walker, node: Node) -> bool:
    return any(re.fullmatch(r"#\[\s*doc\s*\(\s*hidden\s*\)\s*\]", attribute) for attribute in _attributes(w, node))


def _rust_function(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    name = w.text(node.child_by_field_name("name"))
    modifiers = [w.text(c).split() for c in node.children if c.type == "function_modifiers"]
    labels = [word for words in modifiers for word in words if word in _RUST_MODIFIERS]
    kind = "method" if scope.kind in _TYPE_KINDS else "function"
    draft = w.declare(node, wrap, name, kind, node.child_by_field_name("body"), labels)
    draft.params = _rust_params(w, node.child_by_field_name("parameters"))
    draft.returns = _collapse(w.text(node.child_by_field_name("return_type")))
    draft.public = _item_public(w, node, scope, ctx)
    scope.add(draft)


def _rust_params(w: _Walker, params: Node | None) -> list[Param]:
    result = []
    for param in params.named_children if params is not None else ():
        if param.type == "parameter":
            result.append(
                Param(
                    w.text(param.child_by_field_name("pattern")),
                    _collapse(w.text(param.child_by_field_name("type"))),
                )
            )
        elif param.type == "self_parameter":
            result.append(Param(_collapse(w.text(param))))  # `&self`, `&mut self`: the name says it all
        elif param.type == "variadic_parameter":
            result.append(Param("..."))
    return result


def _rust_struct(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """Structs and unions; named fields, or `0`, `1`... for tuple structs."""
    body = node.child_by_field_name("body")
    named = body is not None and body.type == "field_declaration_list"
    kind = "union" if node.type == "union_item" else "struct"
    draft = w.declare(node, wrap, w.text(node.child_by_field_name("name")), kind, body if named else None)
    draft.public = _rust_public(w, node)
    if named:
        for item in _named(body, "field_declaration"):
            if _rust_public(w, item):
                draft.fields.append(
                    Field(
                        w.text(item.child_by_field_name("name")),
                        _collapse(w.text(item.child_by_field_name("type"))),
                        "",
                        w.member_doc(item),
                    )
                )
    elif body is not None:  # a tuple struct: `pub struct Id(pub u32);` has a public field `0`
        for index, item in enumerate(body.children_by_field_name("type")):
            visibility = item.prev_named_sibling
            if (
                visibility is not None
                and visibility.type == "visibility_modifier"
                and w.text(visibility) == "pub"
            ):
                draft.fields.append(Field(str(index), _collapse(w.text(item))))
    scope.add(draft)


def _rust_enum(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    body = node.child_by_field_name("body")
    draft = w.declare(node, wrap, w.text(node.child_by_field_name("name")), "enum", body)
    draft.public = _rust_public(w, node)
    for variant in _named(body, "enum_variant") if body is not None else ():
        draft.fields.append(
            Field(
                w.text(variant.child_by_field_name("name")),
                _collapse(w.text(variant.child_by_field_name("body"))),
                w.text(variant.child_by_field_name("value")),
                w.member_doc(variant),
            )
        )
    scope.add(draft)


def _rust_trait(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    body = node.child_by_field_name("body")
    draft = w.declare(node, wrap, w.text(node.child_by_field_name("name")), "trait", body)
    draft.public = _rust_public(w, node)
    bounds = node.child_by_field_name("bounds")
    draft.bases = [_collapse(w.text(b)) for b in bounds.named_children] if bounds is not None else []
    draft = scope.add(draft)
    if body is not None:
        w.walk(body, draft, _Scope())


def _rust_type_name(w: _Walker, node: Node) -> str:
    """`Vec<T>` -> `Vec`, `fmt::Formatter` -> `Formatter`, `&str` -> `str`."""
    while node.type in ("generic_type", "reference_type", "pointer_type"):
        inner = node.child_by_field_name("type")
        if inner is None:
            break
        node = inner
    if node.type == "scoped_type_identifier":
        node = node.child_by_field_name("name")
    return _collapse(w.text(node))


def _rust_impl(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> Callable[[], None]:
    """Methods of `impl X` join X; `impl Trait for X` becomes a member of X of its own,
    listed apart from X's inherent methods as rustdoc lists it. A trait implemented for a
    type of another crate (`impl Index<Match> for str`) is listed under the local type
    its trait names. All once every type in the scope is known."""

    def attach() -> None:
        body = node.child_by_field_name("body")
        trait = node.child_by_field_name("trait")
        type_node = node.child_by_field_name("type")
        name = _rust_type_name(w, type_node)
        if trait is None:
            # The methods of a type of another file or crate gather in one placeholder
            # here, however many `impl` blocks add to it.
            target = scope.find(name, _LOCAL_TYPES | {"impl"})
            if target is None:
                target = w.declare(node, wrap, name, "impl", body)
                target.public = True
                target = scope.add(target)
            if body is not None:
                w.walk(body, target, _Scope())
            return
        target = scope.find(name, _LOCAL_TYPES)
        if target is None:
            named = (scope.find(n, _LOCAL_TYPES) for n in _type_names(w, trait))
            target = next((t for t in named if t is not None), None)
        implementation = w.declare(node, wrap, f"impl {_collapse(w.text(trait))} for {_collapse(w.text(type_node))}", "impl", body)
        implementation.public = True
        implementation = (target or scope).add(implementation)
        if body is not None:
            w.walk(body, implementation, _Scope(trait_impl=True))

    return attach


_LOCAL_TYPES = frozenset({"struct", "enum", "union", "type_alias", "trait"})


def _type_names(w: _Walker, node: Node) -> list[str]:
    """Every type name written in `node` (`Index<Match>`: `Index`, `Match`), in order."""
    names, stack = [], [node]
    while stack:
        current = stack.pop()
        if current.type == "type_identifier":
            names.append(w.text(current))
        stack.extend(reversed(current.named_children))
    return names


def _rust_mod(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """Inline modules nest like namespaces. `mod x;` lives in another file: it is kept as a
    `mod_declaration`, which says whether that module is public and may hold its doc
    (`rust_modules` reads and drops it)."""
    body = node.child_by_field_name("body")
    if body is None:
        draft = w.declare(node, wrap, w.text(node.child_by_field_name("name")), "mod_declaration")
        draft.public = _rust_public(w, node)
        scope.add(draft)
        return
    draft = w.declare(node, wrap, w.text(node.child_by_field_name("name")), "namespace", body)
    draft.public = _rust_public(w, node)
    comments = [w.text(c) for c in body.named_children if c.type in w.spec.comments]
    inner = [text for text in comments if _is_inner_doc(text)]
    if inner and draft.docstring is None:  # `mod x { //! ... }` documents itself
        draft.docstring = w.parse_doc(inner)
    w.walk(body, scope.add(draft), _Scope())


def _rust_type(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    draft = w.declare(node, wrap, w.text(node.child_by_field_name("name")), "type_alias")
    draft.public = _item_public(w, node, scope, ctx)  # `type Output = str;` of a trait impl
    scope.add(draft)


def _rust_constant(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`pub const MAX: Level = ...;` and `static`: the signature up to `=`, the type, and
    the value when it is short enough to read at a glance."""
    equals = next((c for c in node.children if c.type == "="), None)
    kind = "static" if node.type == "static_item" else "constant"
    draft = w.declare(node, wrap, w.text(node.child_by_field_name("name")), kind, equals)
    draft.returns = _collapse(w.text(node.child_by_field_name("type")))
    value = _collapse(w.text(node.child_by_field_name("value")))
    draft.value = value if len(value) <= _SHORT_VALUE else ""
    draft.public = _item_public(w, node, scope, ctx)
    scope.add(draft)


_SHORT_VALUE = 80


def _item_public(w: _Walker, node: Node, scope: _Draft, ctx: _Scope) -> bool:
    """Trait items and the items of a trait impl are as visible as the trait; others say `pub`."""
    return scope.public if scope.kind == "trait" else ctx.trait_impl or _rust_public(w, node)


def _rust_macro(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`macro_rules! name`: public when `#[macro_export]` (crate-wide) says so."""
    name = node.child_by_field_name("name")
    if name is None:
        return
    draft = w.declare(node, wrap, w.text(name), "macro", node)
    draft.signature = f"macro_rules! {w.text(name)}"
    draft.public = any("macro_export" in attribute for attribute in _attributes(w, node)) and not _doc_hidden(w, node)
    scope.add(draft)


def _rust_use(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`pub use a::{B, C as D};`: one `reexport` per name, its value the path as written
    (`rust_modules` resolves them once every module is known). Other `use`s import."""
    if not _rust_public(w, node):
        return
    for path, name in _use_paths(w, node.child_by_field_name("argument"), ""):
        draft = w.declare(node, wrap, name, "reexport")
        draft.value = path
        draft.signature = f"pub use {path}" + ("" if name in ("*", path.rsplit("::", 1)[-1]) else f" as {name}")
        draft.public = True
        scope.add(draft)


def _use_paths(w: _Walker, node: Node | None, prefix: str) -> list[tuple[str, str]]:
    """(path, name it is known by) for each name a use tree brings in; `*` for a glob."""
    if node is None:
        return []
    if node.type == "use_as_clause":
        path = _collapse(w.text(node.child_by_field_name("path"))).replace(" ", "")
        return [(prefix + path, w.text(node.child_by_field_name("alias")))]
    if node.type == "scoped_use_list":
        inner = prefix + _collapse(w.text(node.child_by_field_name("path"))).replace(" ", "") + "::"
        return _use_paths(w, node.child_by_field_name("list"), inner)
    if node.type == "use_list":
        return [pair for child in node.named_children for pair in _use_paths(w, child, prefix)]
    if node.type == "use_wildcard":
        inner = node.named_children[0] if node.named_children else None
        return [(prefix + (_collapse(w.text(inner)).replace(" ", "") + "::" if inner else "") + "*", "*")]
    written = _collapse(w.text(node)).replace(" ", "")
    if written == "self":  # `use a::{self}`: the module `a` itself
        path = prefix.removesuffix("::")
        return [(path, path.rsplit("::", 1)[-1])] if path else []
    return [(prefix + written, written.rsplit("::", 1)[-1])]


def _rust_foreign(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`extern "C" { fn f(); }`: the functions belong to the enclosing scope."""
    body = node.child_by_field_name("body")
    if body is not None:
        w.walk(body, scope, ctx)


_RUST_HANDLERS: dict[str, Handler] = {
    "function_item": _rust_function,
    "function_signature_item": _rust_function,
    "struct_item": _rust_struct,
    "union_item": _rust_struct,
    "enum_item": _rust_enum,
    "trait_item": _rust_trait,
    "impl_item": _rust_impl,
    "mod_item": _rust_mod,
    "type_item": _rust_type,
    "foreign_mod_item": _rust_foreign,
    "macro_definition": _rust_macro,
    "use_declaration": _rust_use,
    "const_item": _rust_constant,
    "static_item": _rust_constant,
}
