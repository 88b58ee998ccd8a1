"""ML-aware enrichment of Python classes, a griffe extension decided from griffe's model.

- `torch.nn.Module` subclasses (directly or through project classes) get their `forward`
  signature and the submodules their `__init__` assigns.
- Config-like classes (dataclasses, pydantic models, NamedTuples, TypedDicts, attrs classes)
  get a field table, so a config class reads as a hyper-parameter table.

`MLExtension` runs when a package has been loaded (bases in other modules of the package
resolve by then) and leaves its findings in `cls.extra["docgen"]`, where the converter
reads them.
"""

from __future__ import annotations

from typing import Any, Callable

import griffe

from docgen.model import Field, ModelInfo, Submodule
from docgen.scan import signatures

EXTRA = "docgen"  # the namespace of `Object.extra` docgen's extensions write into


class MLExtension(griffe.Extension):
    """Records `ModelInfo` (as `extra["docgen"]["model"]`) on model classes and `Field`s
    (as `extra["docgen"]["fields"]`) on config-like classes.

    `comment` gives the trailing `# comment` of an attribute's line, for fields documented
    nanoGPT-style.
    """

    def __init__(self, comment: Callable[[Any], str]) -> None:
        super().__init__()
        self.comment = comment

    def on_class(self, *, cls: Any, loader: Any, **kwargs: Any) -> None:
        """Enrich one loaded class; a class this cannot make sense of stays unenriched, so
        that it can never cost the whole package its pages."""
        found = cls.extra[EXTRA]
        try:
            model = model_info(cls, signatures.one_line)
            fields = config_fields(cls, self.comment)
        except Exception:  # griffe's model of odd code (a base that is not a class...)
            return
        if model is not None:
            found["model"] = model
        if fields:
            found["fields"] = fields

TORCH_MODULES = frozenset({"torch.nn.Module", "torch.nn.modules.module.Module", "nn.Module"})
CONFIG_BASES = frozenset(
    {
        "pydantic.BaseModel",
        "pydantic.main.BaseModel",
        "pydantic_settings.BaseSettings",
        "typing.NamedTuple",
        "typing.TypedDict",
        "typing_extensions.TypedDict",
        "typing_extensions.NamedTuple",
    }
)
CONFIG_DECORATORS = frozenset({"dataclass", "dataclasses.dataclass", "attrs.define", "attr.s", "attrs.frozen"})


def _base_paths(cls: Any) -> set[str]:
    return {getattr(base, "canonical_path", None) or str(base) for base in cls.bases}


def _project_bases(cls: Any) -> list[Any]:
    try:
        bases = list(cls.resolved_bases)
    except Exception:  # a base griffe cannot resolve is outside the project: nothing to follow
        return []
    return [base for base in bases if base.is_class]  # `class E(Alias)` may name an attribute


def _inherits(cls: Any, targets: frozenset[str], seen: set[str] | None = None) -> bool:
    seen = seen if seen is not None else set()
    if cls.path in seen:
        return False
    seen.add(cls.path)
    if _base_paths(cls) & targets:
        return True
    return any(_inherits(base, targets, seen) for base in _project_bases(cls))


def is_model(cls: Any) -> bool:
    """Whether `cls` derives from `torch.nn.Module`, directly or through project classes."""
    return _inherits(cls, TORCH_MODULES)


def is_config(cls: Any) -> bool:
    """Whether `cls` is a dataclass, pydantic model, NamedTuple, TypedDict or attrs class."""
    if "dataclass" in cls.labels:
        return True
    decorators = {getattr(d.value, "canonical_path", None) or str(d.value).split("(")[0] for d in cls.decorators}
    return bool(decorators & CONFIG_DECORATORS) or _inherits(cls, CONFIG_BASES)


def model_info(cls: Any, signature: Callable[[Any], str]) -> ModelInfo | None:
    """The `forward` signature (as `signature` formats a function) and the `__init__`
    submodules of a model class; None when `cls` is not a model."""
    if not is_model(cls):
        return None
    forward = ""
    try:
        member = cls.all_members.get("forward")
        if member is not None and member.is_alias:  # inherited: griffe hands out an alias
            member = member.final_target
    except Exception:  # inherited members need resolvable bases
        member = cls.members.get("forward")
    if member is not None and not member.is_alias and member.is_function:
        forward = signature(member)
    submodules = tuple(
        Submodule(name, str(attr.value))
        for name, attr in cls.members.items()
        if not attr.is_alias
        and attr.is_attribute
        and "instance-attribute" in attr.labels
        and _constructs_object(attr.value)
    )
    return ModelInfo(forward, submodules)


def _constructs_object(value: Any) -> bool:
    """`nn.Linear(...)`, `Block(config)`: a call of a CamelCase name, i.e. a class.

    Keeps `self.flash = hasattr(...)` and `self.n = len(...)` out of the submodule list.
    """
    if type(value).__name__ != "ExprCall":
        return False
    callee = str(value.function).rsplit(".", 1)[-1]
    return callee[:1].isupper()


def config_fields(cls: Any, comment: Callable[[Any], str]) -> tuple[Field, ...]:
    """One `Field` per annotated class attribute of a config-like class, in source order."""
    if not is_config(cls):
        return ()
    described = _attribute_docs(cls)
    fields = []
    for name, attr in cls.members.items():
        if attr.is_alias or not attr.is_attribute or attr.annotation is None:
            continue
        annotation = str(attr.annotation)
        if annotation.startswith(("ClassVar", "typing.ClassVar")):
            continue
        doc = attr.docstring.value.strip().split("\n\n")[0] if attr.docstring else ""
        fields.append(
            Field(
                name=name,
                annotation=annotation,
                default="" if attr.value is None else str(attr.value),
                description=doc or described.get(name, "") or comment(attr),
            )
        )
    return tuple(fields)


def _attribute_docs(cls: Any) -> dict[str, str]:
    """Descriptions from an `Attributes:` section of the class docstring."""
    if cls.docstring is None:
        return {}
    return {
        item.name: item.description
        for section in cls.docstring.parsed
        if section.kind.value == "attributes"
        for item in section.value
    }
