"""Go: the handlers for its declarations.

Functions, methods (which join their receiver's type once the whole file is known, or an
`impl` placeholder when the type is declared in another file), and type declarations:
structs with their exported fields and embedded types, interfaces with their methods, and
other named types. A capitalised name is exported, so public.
"""

from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from docgen.model import Field, Param
from docgen.scan.treesitter.walker import _TYPE_KINDS, Handler, _collapse, _Draft, _named, _Scope, _Walker, _Wrap


def _go_public(name: str) -> bool:
    return name[:1].isupper()


def _go_function(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    scope.add(_go_callable(w, node, wrap, "function"))


def _go_callable(w: _Walker, node: Node, wrap: _Wrap, kind: str) -> _Draft:
    name = w.text(node.child_by_field_name("name"))
    draft = w.declare(node, wrap, name, kind, node.child_by_field_name("body"))
    draft.params = _go_params(w, node.child_by_field_name("parameters"))
    draft.returns = _collapse(w.text(node.child_by_field_name("result")))
    draft.public = _go_public(name)
    return draft


def _go_params(w: _Walker, params: Node | None) -> list[Param]:
    result = []
    for param in params.named_children if params is not None else ():
        type_text = _collapse(w.text(param.child_by_field_name("type")))
        if param.type == "variadic_parameter_declaration":
            type_text = "..." + type_text
        elif param.type != "parameter_declaration":
            continue
        names = param.children_by_field_name("name")
        result += [Param(w.text(n), type_text) for n in names] or [Param("", type_text)]
    return result


def _go_method(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> Callable[[], None]:
    """A method joins its receiver's type once every type of the file is known."""

    def attach() -> None:
        name = _go_receiver(w, node.child_by_field_name("receiver"))
        if not name:  # `func () M()`: Go rejects it, and there is no type to put it on
            method = w.text(node.child_by_field_name("name"))
            w.leave_out(node, f"method {method} has no receiver type; left out")
            return
        target = scope.find(name, _TYPE_KINDS)
        if target is None:  # the type is declared in another file of the package
            row = node.start_point.row + 1
            target = scope.add(_Draft(name=name, kind="impl", start=row, end=row, public=_go_public(name)))
        target.add(_go_callable(w, node, wrap, "method"))

    return attach


def _go_receiver(w: _Walker, receiver: Node | None) -> str:
    """The name of the receiver's type (`T` of `(t *T[K])`), or "" when there is none."""
    params = receiver.named_children if receiver is not None else []
    param = next((c for c in params if c.type.endswith("parameter_declaration")), None)
    node = param.child_by_field_name("type") if param is not None else None
    while node is not None and node.type in ("pointer_type", "parenthesized_type"):
        node = node.named_children[-1] if node.named_children else None
    if node is not None and node.type == "generic_type":
        node = node.child_by_field_name("type")
    return _collapse(w.text(node))


def _go_types(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`type X struct {...}`, `type ( A ...; B ... )`: one symbol per spec."""
    specs = [c for c in node.named_children if c.type in ("type_spec", "type_alias")]
    for spec in specs:
        # Grouped specs carry their own doc comment; a lone spec's sits above `type`.
        spec_wrap = _Wrap(node) if len(specs) == 1 else _Wrap(spec)
        scope.add(_go_type(w, spec, spec_wrap))


def _go_type(w: _Walker, spec: Node, wrap: _Wrap) -> _Draft:
    name = w.text(spec.child_by_field_name("name"))
    type_node = spec.child_by_field_name("type")
    kinds = {"struct_type": "struct", "interface_type": "interface"}
    kind = kinds.get(type_node.type, "type_alias") if spec.type == "type_spec" else "type_alias"
    draft = w.declare(spec, wrap, name, kind)
    if kind == "type_alias":
        if wrap.outer is spec:  # inside `type ( ... )` the keyword is not part of the spec
            draft.signature = "type " + draft.signature
    else:
        params = spec.child_by_field_name("type_parameters")
        draft.signature = f"type {name}{w.text(params)} {type_node.type.removesuffix('_type')}"
    draft.public = _go_public(name)
    if kind == "struct":
        _go_struct_members(w, type_node, draft)
    elif kind == "interface":
        _go_interface_members(w, type_node, draft)
    return draft


def _go_struct_members(w: _Walker, struct: Node, draft: _Draft) -> None:
    for fields in _named(struct, "field_declaration_list"):
        for item in _named(fields, "field_declaration"):
            type_text = _collapse(w.text(item.child_by_field_name("type")))
            names = item.children_by_field_name("name")
            if not names:  # an embedded type is how Go composes: list it as a base
                draft.bases.append(type_text.lstrip("*"))
            tag = item.child_by_field_name("tag")
            shown = f"{type_text} {w.text(tag)}" if tag is not None else type_text  # `json:"addr"` as written
            for name in names:
                if _go_public(w.text(name)):
                    draft.fields.append(Field(w.text(name), shown, "", w.member_doc(item)))


def _go_interface_members(w: _Walker, interface: Node, draft: _Draft) -> None:
    for member in interface.named_children:
        if member.type == "method_elem":
            draft.add(_go_callable(w, member, _Wrap(member), "method"))
        elif member.type == "type_elem":
            draft.bases.append(_collapse(w.text(member)))


def _go_package(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`package server`: the file's signature, which names its package."""
    name = next((c for c in node.named_children if c.type == "package_identifier"), None)
    if name is not None and scope.kind == "file":
        scope.signature = f"package {w.text(name)}"


_GO_HANDLERS: dict[str, Handler] = {
    "package_clause": _go_package,
    "function_declaration": _go_function,
    "method_declaration": _go_method,
    "type_declaration": _go_types,
}
