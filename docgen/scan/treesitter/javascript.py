"""JavaScript and TypeScript: the handlers for their declarations, and what a module exports.

Functions (also those bound to a `const`), classes with their methods and fields, and, for
TypeScript, interfaces, type aliases, enums, namespaces and `declare` statements. What is
public depends on the module's exports (`export` statements and `export { a }` clauses), or
on the `_private` naming convention in a script that exports nothing.
"""

from __future__ import annotations

import re

from dataclasses import replace

from tree_sitter import Node

from docgen.model import Field, Param
from docgen.scan.treesitter.walker import _TYPE_KINDS, Handler, _collapse, _Draft, _named, _Scope, _Walker, _Wrap

_JS_MODIFIERS = {
    "async": "async",
    "*": "generator",
    "static": "static",
    "get": "get",
    "set": "set",
    "abstract": "abstract",
    "readonly": "readonly",
    "declare": "declare",
    "override_modifier": "override",
}
_JS_FUNCTION_VALUES = frozenset({"arrow_function", "function_expression", "function", "generator_function"})


def _js_exports(container: Node) -> frozenset[str]:
    """Local names a scope exports by name: `export { a, b as c }`, `export default a`."""
    names = set()
    for node in container.named_children:
        if node.type != "export_statement":
            continue
        value = node.child_by_field_name("value")
        if value is not None and value.type == "identifier":
            names.add(value.text.decode())
        for clause in _named(node, "export_clause"):
            for spec in _named(clause, "export_specifier"):
                names.add(spec.child_by_field_name("name").text.decode())
    return frozenset(names)


def _js_has_exports(container: Node) -> bool:
    return any(node.type == "export_statement" for node in container.named_children)


def _js_public(name: str, ctx: _Scope, wrap: _Wrap) -> bool:
    """Exported, or in a script that exports nothing, not `_private` by convention."""
    if wrap.exported or name in ctx.exports:
        return True
    return not ctx.has_exports and not name.startswith("_")


def _js_export(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    default = any(child.type == "default" for child in node.children)
    labels = wrap.labels + ("export",) + (("default",) if default else ())
    inner = replace(wrap, labels=labels, exported=True)
    declaration = node.child_by_field_name("declaration")
    value = node.child_by_field_name("value")
    if declaration is not None:
        w.dispatch(declaration, scope, ctx, inner)
    elif value is not None and value.type in _JS_FUNCTION_VALUES:
        _js_function(w, value, scope, ctx, inner)  # `export default function () {}`
    elif value is not None and value.type == "class":
        _js_class(w, value, scope, ctx, inner)


def _js_modifiers(w: _Walker, node: Node) -> list[str]:
    labels = []
    for child in node.children:
        if child.type in _JS_MODIFIERS:
            labels.append(_JS_MODIFIERS[child.type])
        elif child.type == "accessibility_modifier" and w.text(child) == "protected":
            labels.append("protected")
        elif child.type in ("formal_parameters", "statement_block", "class_body"):
            break
    return labels


def _js_function(
    w: _Walker,
    node: Node,
    scope: _Draft,
    ctx: _Scope,
    wrap: _Wrap,
    name: str = "",
    function: Node | None = None,
) -> None:
    """Function declarations, TS overload signatures, and functions bound to a `const`."""
    function = function or node
    name = name or w.text(node.child_by_field_name("name")) or "default"
    if node.type == "function_declaration" and _overloaded(w, wrap.outer, name, "function_signature"):
        return  # the implementation of overloads: callers see only the signatures
    kind = "method" if scope.kind in _TYPE_KINDS else "function"
    draft = w.declare(
        node, wrap, name, kind, function.child_by_field_name("body"), _js_modifiers(w, function)
    )
    draft.params = _js_params(w, function)
    draft.returns = _ts_type(w, function.child_by_field_name("return_type"))
    draft.public = _js_public(name, ctx, wrap)
    scope.add(draft)


def _js_variables(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`const f = (x) => ...` and `let g = function () {}` document as functions."""
    kind = node.child_by_field_name("kind")
    for declarator in _named(node, "variable_declarator"):
        value = declarator.child_by_field_name("value")
        if value is None or value.type not in _JS_FUNCTION_VALUES:
            continue
        labels = wrap.labels + ((w.text(kind),) if kind is not None else ())
        name = w.text(declarator.child_by_field_name("name"))
        _js_function(w, declarator, scope, ctx, replace(wrap, labels=labels), name=name, function=value)


def _js_params(w: _Walker, function: Node) -> list[Param]:
    params = function.child_by_field_name("parameters")
    if params is None:  # `x => x * 2`
        single = function.child_by_field_name("parameter")
        return [Param(w.text(single))] if single is not None else []
    result = []
    for param in params.named_children:
        if param.type in ("required_parameter", "optional_parameter"):
            pattern = param.child_by_field_name("pattern")
            result.append(
                Param(
                    w.text(pattern),
                    _ts_type(w, param.child_by_field_name("type")),
                    w.text(param.child_by_field_name("value")),
                )
            )
        elif param.type == "assignment_pattern":
            result.append(
                Param(
                    w.text(param.child_by_field_name("left")), "", w.text(param.child_by_field_name("right"))
                )
            )
        elif param.type not in w.spec.comments:
            result.append(Param(w.text(param)))
    return result


def _ts_type(w: _Walker, annotation: Node | None) -> str:
    """The type of a `: Type` annotation, without the colon."""
    return _collapse(w.text(annotation).lstrip().removeprefix(":").strip())


def _js_class(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    name = w.text(node.child_by_field_name("name")) or "default"
    body = node.child_by_field_name("body")
    labels = ["abstract"] if node.type == "abstract_class_declaration" else []
    draft = w.declare(node, wrap, name, "class", body, labels)
    draft.public = _js_public(name, ctx, wrap)
    for heritage in _named(node, "class_heritage"):
        draft.bases += _js_heritage(w, heritage)
    draft = scope.add(draft)
    for member in body.named_children if body is not None else ():
        if member.type in ("method_definition", "method_signature", "abstract_method_signature"):
            _js_method(w, member, draft)
        elif member.type in ("field_definition", "public_field_definition"):
            _js_field(w, member, draft)


def _js_heritage(w: _Walker, heritage: Node) -> list[str]:
    """Base names from `extends A implements B, C` (JS has a bare expression, TS clauses)."""
    bases = []
    for clause in heritage.named_children:
        if clause.type in ("extends_clause", "implements_clause", "extends_type_clause"):
            values = [c for c in clause.named_children if c.type != "type_arguments"]
            bases += [_collapse(w.text(value)) for value in values]
        elif clause.type not in w.spec.comments:
            bases.append(_collapse(w.text(clause)))
    return bases


def _js_member_public(w: _Walker, member: Node, name: str) -> bool:
    """Class members are public unless `#private`, `_conventional` or TS `private`.
    `protected` ones are public too, labelled: subclasses use them, and TypeDoc lists them."""
    access = next((w.text(c) for c in member.children if c.type == "accessibility_modifier"), "public")
    return access != "private" and not name.startswith(("#", "_"))


def _overloaded(w: _Walker, node: Node, name: str, signature: str) -> bool:
    """Whether `node` follows TS overload signatures of `name` (so it is their implementation)."""
    before = node.prev_named_sibling
    while before is not None and before.type in w.spec.comments:
        before = before.prev_named_sibling
    if before is not None and before.type == "export_statement":
        before = before.child_by_field_name("declaration") or before
    return before is not None and before.type == signature and w.text(before.child_by_field_name("name")) == name


def _js_method(w: _Walker, member: Node, owner: _Draft) -> None:
    name = w.text(member.child_by_field_name("name"))
    if member.type == "method_definition" and _overloaded(w, member, name, "method_signature"):
        return  # the implementation of overloads: callers see only the signatures
    draft = w.declare(
        member, _Wrap(member), name, "method", member.child_by_field_name("body"), _js_modifiers(w, member)
    )
    draft.params = _js_params(w, member)
    draft.returns = _ts_type(w, member.child_by_field_name("return_type"))
    draft.public = _js_member_public(w, member, name)
    owner.add(draft)


def _js_field(w: _Walker, member: Node, owner: _Draft) -> None:
    name_node = member.child_by_field_name("name") or member.child_by_field_name("property")
    name = w.text(name_node)
    if _js_member_public(w, member, name):
        owner.fields.append(_ts_field(w, member, name, w.text(member.child_by_field_name("value"))))


# Modifiers a class field or an interface property shows before its type, as TypeDoc does.
_FIELD_MODIFIERS = ("declare", "protected", "static", "abstract", "override", "readonly")  # in the order TS writes them
_DEFAULT_TAG = re.compile(r"^[ \t]*@default(?:Value)?[ \t]+(.+?)[ \t]*$", re.MULTILINE)


def _ts_field(w: _Walker, member: Node, name: str, value: str) -> Field:
    """A field or property: its modifiers and `?` shown with its type, its `@default` tag
    as its default (when no initialiser gives one) rather than left in the description."""
    words = {w.text(c) for c in member.children if not c.is_named or c.type in ("accessibility_modifier", "override_modifier")}
    modifiers = [m for m in _FIELD_MODIFIERS if m in words]
    optional = any(w.text(c) == "?" for c in member.children if not c.is_named)
    annotation = " ".join([*modifiers, _ts_type(w, member.child_by_field_name("type"))]).strip()
    if optional:
        annotation = f"{annotation} (optional)" if annotation else "optional"
    description = w.member_doc(member)
    tagged = _DEFAULT_TAG.search(description)
    if tagged:
        description = (description[: tagged.start()] + description[tagged.end() :]).strip()
        value = value or tagged.group(1).strip("`")
    return Field(name, annotation, value, description)


def _ts_interface(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    name = w.text(node.child_by_field_name("name"))
    body = node.child_by_field_name("body")
    draft = w.declare(node, wrap, name, "interface", body)
    draft.public = _js_public(name, ctx, wrap)
    for clause in _named(node, "extends_type_clause"):
        draft.bases += [_collapse(w.text(c)) for c in clause.named_children]
    draft = scope.add(draft)
    for member in body.named_children if body is not None else ():
        if member.type == "property_signature":
            draft.fields.append(_ts_field(w, member, w.text(member.child_by_field_name("name")), ""))
        elif member.type == "method_signature":
            _js_method(w, member, draft)


def _ts_type_alias(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    name = w.text(node.child_by_field_name("name"))
    draft = w.declare(node, wrap, name, "type_alias")
    draft.public = _js_public(name, ctx, wrap)
    scope.add(draft)


def _ts_enum(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    name = w.text(node.child_by_field_name("name"))
    body = node.child_by_field_name("body")
    labels = ["const"] if any(c.type == "const" for c in node.children) else []
    draft = w.declare(node, wrap, name, "enum", body, labels)
    draft.public = _js_public(name, ctx, wrap)
    for member in body.named_children if body is not None else ():
        if member.type == "enum_assignment":
            draft.fields.append(
                Field(
                    w.text(member.child_by_field_name("name")),
                    "",
                    w.text(member.child_by_field_name("value")),
                    w.member_doc(member),
                )
            )
        elif member.type in ("property_identifier", "string"):
            draft.fields.append(Field(w.text(member), "", "", w.member_doc(member)))
    scope.add(draft)


def _ts_namespace(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`namespace A.B {}` and `declare module "x" {}`: members are public when exported."""
    name = w.text(node.child_by_field_name("name")).strip("\"'")
    body = node.child_by_field_name("body")
    draft = scope.find(name, frozenset({"namespace"}))
    if draft is None:  # namespaces merge across declarations
        draft = w.declare(node, wrap, name, "namespace", body)
        draft.public = _js_public(name, ctx, wrap)
        draft = scope.add(draft)
    if body is not None:
        w.walk(body, draft, _Scope(exports=_js_exports(body), has_exports=True))


def _ts_ambient(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`declare function f(): void;` and friends: the declaration, labelled `declare`."""
    for child in node.named_children:
        if child.type not in w.spec.comments:
            w.dispatch(child, scope, ctx, replace(wrap, labels=wrap.labels + ("declare",)))
            return


def _ts_statement(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """A non-exported `namespace X {}` parses as an expression statement."""
    for child in node.named_children:
        if child.type == "internal_module":
            _ts_namespace(w, child, scope, ctx, wrap)


_JS_HANDLERS: dict[str, Handler] = {
    "export_statement": _js_export,
    "function_declaration": _js_function,
    "generator_function_declaration": _js_function,
    "class_declaration": _js_class,
    "lexical_declaration": _js_variables,
    "variable_declaration": _js_variables,
}
_TS_HANDLERS: dict[str, Handler] = {
    **_JS_HANDLERS,
    "function_signature": _js_function,
    "abstract_class_declaration": _js_class,
    "interface_declaration": _ts_interface,
    "type_alias_declaration": _ts_type_alias,
    "enum_declaration": _ts_enum,
    "internal_module": _ts_namespace,
    "module": _ts_namespace,
    "ambient_declaration": _ts_ambient,
    "expression_statement": _ts_statement,
}
