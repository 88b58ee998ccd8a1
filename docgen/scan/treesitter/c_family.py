"""C, C++ and CUDA: the handlers for their declarations.

Functions and prototypes (folded into one symbol, overloads kept apart in C++), methods
defined outside their class (`Class::name`), structs, classes, unions and enums with their
fields, typedefs and `using` aliases, namespaces, templates, `#define` macros, and the preprocessor
conditionals and `extern "C"` blocks whose declarations belong to the enclosing scope.
CUDA reads as C++, with its execution-space qualifiers as labels.
"""

from __future__ import annotations

from dataclasses import replace

from tree_sitter import Node

from docgen.model import Field, Param
from docgen.scan.treesitter.walker import (
    _CONTAINER_KINDS,
    _TYPE_KINDS,
    Handler,
    _collapse,
    _Draft,
    _last_row,
    _named,
    _Scope,
    _Walker,
    _Wrap,
)

_FUNCTION_NAMES = frozenset(
    {
        "identifier",
        "field_identifier",
        "qualified_identifier",
        "operator_name",
        "destructor_name",
        "template_function",
        "template_method",
        "operator_cast",
    }
)
_DECLARATOR_WRAPPERS = frozenset(
    {
        "pointer_declarator",
        "reference_declarator",
        "parenthesized_declarator",
        "attributed_declarator",
    }
)
_RECORDS = {
    "struct_specifier": "struct",
    "class_specifier": "class",
    "union_specifier": "union",
    "enum_specifier": "enum",
}
# Modifier tokens -> labels; CUDA's execution-space qualifiers are anonymous tokens.
_C_LABELS = {
    "static": "static",
    "inline": "inline",
    "extern": "extern",
    "virtual": "virtual",
    "constexpr": "constexpr",
    "consteval": "consteval",
    "__global__": "kernel",
    "__device__": "device",
    "__host__": "host",
    "__forceinline__": "inline",
}


def _inner_declarator(node: Node) -> Node | None:
    return node.child_by_field_name("declarator") or (
        node.named_children[-1] if node.named_children else None
    )


def _function_declarator(node: Node | None) -> Node | None:
    """The function declarator naming a function, or None for variables (function pointers too)."""
    while node is not None:
        if node.type == "function_declarator":
            inner = node.child_by_field_name("declarator")
            if inner is not None and inner.type in _FUNCTION_NAMES:
                return node
            node = inner
        elif node.type in _DECLARATOR_WRAPPERS:
            node = _inner_declarator(node)
        else:
            return None
    return None


def _declarator_name(node: Node | None) -> Node | None:
    """The identifier a (possibly nested) declarator declares, or None when it is abstract."""
    while node is not None:
        # tree-sitter-c reads well-known typedef names (`uint8_t`) as `primitive_type`.
        if node.type in ("identifier", "field_identifier", "type_identifier", "primitive_type"):
            return node
        if node.type in _FUNCTION_NAMES:
            return node
        if node.type.startswith("abstract_"):
            return None
        node = _inner_declarator(node) if node.named_children else None
    return None


def _c_name_parts(w: _Walker, node: Node) -> list[str]:
    """`a::B<int>::f` -> ["a", "B", "f"] (template arguments dropped from scopes)."""
    parts = []
    while node is not None and node.type == "qualified_identifier":
        scope = node.child_by_field_name("scope")
        if scope is not None:
            name = scope.child_by_field_name("name") if scope.type == "template_type" else scope
            parts.append(w.text(name))
        node = node.child_by_field_name("name")
    if node is not None and node.type in ("template_function", "template_method"):
        node = node.child_by_field_name("name")
    parts.append(_collapse(w.text(node)))
    return parts


def _c_callable(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap, declarator: Node) -> None:
    """A function or method, declared or defined, possibly `Class::name` qualified."""
    fdecl = _function_declarator(declarator)
    if fdecl is None:
        return
    parts = _c_name_parts(w, fdecl.child_by_field_name("declarator"))
    owner = _c_owner(scope, parts[:-1], node)
    name = parts[-1]
    body = node.child_by_field_name("body")
    # A constructor's initialiser list (`: x(a), y(b)`) is its body's business, not its signature.
    initialisers = next((c for c in node.named_children if c.type == "field_initializer_list"), None)
    in_type = owner.kind in _TYPE_KINDS
    draft = w.declare(node, wrap, name, "method" if in_type else "function", initialisers or body, _c_labels(w, node, fdecl))
    if in_type and name == owner.name:
        draft.labels.append("constructor")
    elif in_type and name == "~" + owner.name:
        draft.labels.append("destructor")
    draft.params = _c_params(w, fdecl.child_by_field_name("parameters"))
    draft.returns = _c_returns(w, node, declarator, fdecl)
    draft.public = _c_public(ctx, draft.labels) if owner is scope else not ctx.private
    if w.spec.grammar == "c":
        draft.key = ()  # C has no overloading: one name, one function
    else:
        draft.key = (tuple(p.annotation for p in draft.params), "const" in draft.labels)
    owner.add(draft)


def _c_owner(scope: _Draft, qualifiers: list[str], node: Node) -> _Draft:
    """The draft a qualified name belongs to, creating `impl` placeholders for unknown types."""
    for qualifier in qualifiers:
        found = scope.find(qualifier, _CONTAINER_KINDS)
        if found is None:
            row = node.start_point.row + 1
            found = scope.add(_Draft(name=qualifier, kind="impl", start=row, end=row))
        scope = found
    return scope


def _c_labels(w: _Walker, node: Node, fdecl: Node) -> list[str]:
    labels = []
    for child in node.children:
        if child.type in ("storage_class_specifier", "type_qualifier", "virtual"):
            label = _C_LABELS.get(w.text(child))
            if label:
                labels.append(label)
        elif child.type in _C_LABELS:
            labels.append(_C_LABELS[child.type])
        elif child.type == "explicit_function_specifier":
            labels.append("explicit")
        elif child.type == "delete_method_clause":
            labels.append("deleted")
        elif child.type == "default_method_clause":
            labels.append("defaulted")
    for child in fdecl.children:
        if child.type == "type_qualifier" and w.text(child) == "const":
            labels.append("const")
        elif child.type == "virtual_specifier":
            labels.append(w.text(child))
        elif child.type == "noexcept":
            labels.append("noexcept")
    pure = node.child_by_field_name("default_value")
    if node.type == "field_declaration" and pure is not None and w.text(pure) == "0":
        labels.append("abstract")
    return labels


def _c_public(ctx: _Scope, labels: list[str]) -> bool:
    if ctx.access:
        return ctx.access == "public"
    return not ctx.private and "static" not in labels


def _c_params(w: _Walker, params: Node | None) -> list[Param]:
    result = []
    for child in params.children if params is not None else ():
        if child.type in ("...", "variadic_parameter"):
            result.append(Param("..."))
        elif child.type in (
            "parameter_declaration",
            "optional_parameter_declaration",
            "variadic_parameter_declaration",
        ):
            result.append(_c_param(w, child))
    if len(result) == 1 and result[0] == Param("", "void"):
        return []  # `f(void)` takes nothing
    return result


def _c_param(w: _Walker, node: Node) -> Param:
    name = _declarator_name(node.child_by_field_name("declarator"))
    default = node.child_by_field_name("default_value")
    end = default.start_byte if default is not None else node.end_byte
    if name is None:
        annotation = w.text_between(node.start_byte, end)
    else:
        annotation = w.text_between(node.start_byte, name.start_byte) + w.text_between(name.end_byte, end)
    return Param(w.text(name), _collapse(annotation).rstrip("= "), w.text(default))


def _c_returns(w: _Walker, node: Node, declarator: Node, fdecl: Node) -> str:
    """The return type: the type plus whatever the declarator adds around the name (`*`)."""
    trailing = next((c for c in fdecl.named_children if c.type == "trailing_return_type"), None)
    if trailing is not None:
        return _collapse(w.text(trailing).removeprefix("->"))
    type_node = node.child_by_field_name("type")
    if type_node is None:
        return ""  # constructors, destructors, conversion operators
    # Keep the spacing written before a `*`, but not what sits there otherwise
    # (`void __launch_bounds__(256) kernel(...)`).
    gap = w.text_between(type_node.end_byte, declarator.start_byte)
    around = w.text_between(declarator.start_byte, fdecl.start_byte) + w.text_between(
        fdecl.end_byte, declarator.end_byte
    )
    return _collapse(_c_type_text(w, node, type_node) + (gap if not gap.strip() else " ") + around)


def _c_type_text(w: _Walker, node: Node, type_node: Node) -> str:
    """The declared type with the qualifiers written before it (`const char`)."""
    start = type_node.start_byte
    for child in node.children:
        # `const` before the type is part of it; `constexpr` and friends are labels.
        is_qualifier = child.type == "type_qualifier" and child.end_byte <= type_node.start_byte
        if is_qualifier and w.text(child) not in _C_LABELS:
            start = min(start, child.start_byte)
    return w.text_between(start, type_node.end_byte)


def _c_function(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    declarator = node.child_by_field_name("declarator")
    if declarator is not None:
        _c_callable(w, node, scope, ctx, wrap, declarator)


def _c_declaration(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """Prototypes (`int f(int);`), records declared with variables, member data and methods."""
    type_node = node.child_by_field_name("type")
    if type_node is not None and type_node.type in _RECORDS and type_node.child_by_field_name("body"):
        _c_record(w, type_node, scope, ctx, wrap)
    for declarator in node.children_by_field_name("declarator"):
        if _function_declarator(declarator) is not None:
            _c_callable(w, node, scope, ctx, wrap, declarator)
        elif node.type == "field_declaration" and (not ctx.access or ctx.access == "public"):
            _c_field(w, node, scope, type_node, declarator)


def _c_field(w: _Walker, node: Node, scope: _Draft, type_node: Node | None, declarator: Node) -> None:
    """A data member, as a `Field` of its record."""
    name = _declarator_name(declarator)
    if name is None:
        return
    prefix = _c_type_text(w, node, type_node) if type_node is not None else ""
    rest = w.text_between(declarator.start_byte, name.start_byte) + w.text_between(
        name.end_byte, declarator.end_byte
    )
    annotation = _collapse(f"{prefix} {rest}").replace(" [", "[")
    default = node.child_by_field_name("default_value")
    scope.fields.append(Field(w.text(name), annotation, w.text(default), w.member_doc(node)))


def _c_typedef(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`typedef struct {...} name;` is the struct `name`; any other typedef is a type alias."""
    names = [_declarator_name(d) for d in node.children_by_field_name("declarator")]
    name = next((w.text(n) for n in names if n is not None), "")
    if not name:
        return
    type_node = node.child_by_field_name("type")
    if type_node is not None and type_node.type in _RECORDS and type_node.child_by_field_name("body"):
        _c_record(w, type_node, scope, ctx, wrap, alias=name)
        return
    draft = w.declare(node, wrap, name, "type_alias")
    draft.public = not ctx.private
    scope.add(draft)


def _c_alias(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """C++ `using Name = Type;`."""
    draft = w.declare(node, wrap, w.text(node.child_by_field_name("name")), "type_alias")
    draft.public = _c_public(ctx, [])
    scope.add(draft)


def _c_record(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap, alias: str = "") -> None:
    """A struct, class, union or enum with a body; forward declarations are skipped."""
    body = node.child_by_field_name("body")
    name_node = node.child_by_field_name("name")
    arguments = None  # of a specialisation, `Box<int>`
    if name_node is not None and name_node.type == "template_type":
        arguments = name_node.child_by_field_name("arguments")
        name_node = name_node.child_by_field_name("name")
    name = alias or w.text(name_node)
    if body is None or not name:
        return
    if name_node is not None and name_node.type == "qualified_identifier" and not alias:
        # `struct socket_t::impl {`: the nested type defined outside its class, which is
        # where its members' out-of-class definitions (`socket_t::impl::f`) look for it.
        *qualifiers, name = _c_name_parts(w, name_node)
        scope = _c_owner(scope, qualifiers, node)
    kind = _RECORDS[node.type]
    draft = w.declare(node, wrap, name, kind, body)
    if alias:
        draft.signature = f"{draft.signature} {alias}"
    draft.public = _c_public(ctx, [])
    for clause in _named(node, "base_class_clause"):
        draft.bases += [w.text(c) for c in clause.named_children if c.type != "access_specifier"]
    draft.labels += [w.text(c) for c in node.named_children if c.type == "virtual_specifier"]
    if arguments is not None and not alias:
        # A specialisation is listed under its primary template (when this file declares
        # it), named by its arguments, never as another entry named like the primary.
        draft.name = name + _collapse(w.text(arguments)).replace("< ", "<").replace(" >", ">")
        primary = scope.find(name, _TYPE_KINDS)
        scope = primary if primary is not None else scope
    draft = scope.add(draft)
    if kind == "enum":
        for item in body.named_children:
            if item.type == "enumerator":
                name = w.text(item.child_by_field_name("name"))
                value = w.text(item.child_by_field_name("value"))
                draft.fields.append(Field(name, "", value, w.member_doc(item)))
        return
    members = replace(ctx, access="private" if kind == "class" else "public")
    for member in body.named_children:
        if member.type == "access_specifier":
            members = replace(members, access=w.text(member))
        else:
            w.dispatch(member, draft, members, _Wrap(member))


def _c_record_statement(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    _c_record(w, node, scope, ctx, wrap)


def _c_namespace(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """C++ namespaces nest their members; anonymous ones make their members private."""
    body = node.child_by_field_name("body")
    name = node.child_by_field_name("name")
    if body is None:
        return
    if name is None:
        w.walk(body, scope, replace(ctx, private=True))
        return
    names = (
        [w.text(n) for n in name.named_children]
        if name.type == "nested_namespace_specifier"
        else [w.text(name)]
    )
    for index, part in enumerate(names):
        found = scope.find(part, frozenset({"namespace"}))
        if found is None:  # a namespace reopened in the same file stays one symbol
            found = w.declare(node, wrap if index == 0 else _Wrap(node), part, "namespace", body)
            found.signature = f"namespace {part}"
            found.public = not ctx.private
            found = scope.add(found)
        found.end = max(found.end, _last_row(node) + 1)
        scope = found
    w.walk(body, scope, replace(ctx, access=""))


def _c_template(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`template <...>` wraps the declaration it applies to; docs sit above the template line."""
    inner = next(
        (
            c
            for c in node.named_children
            if c.type != "template_parameter_list" and c.type not in w.spec.comments
        ),
        None,
    )
    if inner is not None:
        w.dispatch(inner, scope, ctx, replace(wrap, labels=wrap.labels + ("template",)))


def _c_macro(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """`#define NAME value` and `#define NAME(args) body`: documented like declarations;
    an include guard (`#define API_H` inside `#ifndef API_H`) is none."""
    name_node = node.child_by_field_name("name")
    if name_node is None:
        return
    name = w.text(name_node)
    value = node.child_by_field_name("value")
    parent = node.parent
    if value is None and node.type == "preproc_def" and parent is not None and parent.type == "preproc_ifdef":
        guard = parent.child_by_field_name("name")
        if guard is not None and w.text(guard) == name:
            return
    draft = w.declare(node, wrap, name, "macro")
    draft.signature = _collapse(w.text(node).replace("\\\n", " ")).rstrip()
    parameters = node.child_by_field_name("parameters")
    if parameters is not None:
        draft.params = [Param(w.text(p)) for p in parameters.named_children]
    draft.public = not ctx.private and not name.startswith("_")
    draft.key = ()  # defined once per branch of an `#if`: still one macro
    scope.add(draft)


def _c_transparent(w: _Walker, node: Node, scope: _Draft, ctx: _Scope, wrap: _Wrap) -> None:
    """Preprocessor conditionals and `extern "C"` blocks: their declarations belong to the scope."""
    body = node.child_by_field_name("body") if node.type == "linkage_specification" else node
    if body is None:
        return
    if body.type in ("declaration_list", node.type):
        w.walk(body, scope, ctx)
    else:  # `extern "C" int f(void);`
        w.dispatch(body, scope, ctx, wrap)


_C_HANDLERS: dict[str, Handler] = {
    "function_definition": _c_function,
    "declaration": _c_declaration,
    "field_declaration": _c_declaration,
    "type_definition": _c_typedef,
    "struct_specifier": _c_record_statement,
    "union_specifier": _c_record_statement,
    "enum_specifier": _c_record_statement,
    "preproc_def": _c_macro,
    "preproc_function_def": _c_macro,
    "preproc_ifdef": _c_transparent,
    "preproc_if": _c_transparent,
    "preproc_else": _c_transparent,
    "preproc_elif": _c_transparent,
    "preproc_elifdef": _c_transparent,
    "linkage_specification": _c_transparent,
}
_CPP_HANDLERS: dict[str, Handler] = {
    **_C_HANDLERS,
    "class_specifier": _c_record_statement,
    "namespace_definition": _c_namespace,
    "template_declaration": _c_template,
    "alias_declaration": _c_alias,
}
