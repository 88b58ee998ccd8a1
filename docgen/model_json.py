"""The model as JSON, for the caches under `.docgen/`.

JSON rather than pickle: `.docgen/` lies inside the repository, and a pickle planted in a
cloned repository would run code the moment docgen read it. Only the model's own classes
are ever built back, and a file that does not decode to them is no cache at all.
"""

from __future__ import annotations

import json
from dataclasses import MISSING, fields
from typing import Any

from docgen.model import DocItem, DocSection, Docstring, Field, Location, ModelInfo, Param, Raise, Submodule, Symbol

_CLASSES = {cls.__name__: cls for cls in (Symbol, Location, Docstring, DocSection, DocItem, Param, Field, ModelInfo, Submodule, Raise)}
# (name, default) of each class's fields: values equal to the default are left out.
_FIELDS = {cls: tuple((f.name, f.default) for f in fields(cls)) for cls in _CLASSES.values()}  # type: ignore[arg-type]
_DEFAULTS = {cls: dict(names) for cls, names in _FIELDS.items()}
# Fields without a default are always written (MISSING equals no value).
_REQUIRED = {cls: frozenset(name for name, default in names if default is MISSING) for cls, names in _FIELDS.items()}
_TAG = "@"
_HASH = "#"  # a symbol's content hash, kept with it


def dumps(value: Any) -> str:
    """`value` (model objects, in lists and dicts of plain data) as compact JSON."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_plain)


def loads(text: str) -> Any:
    """What `dumps` wrote, with the model's objects (and their tuples) built back.

    Raises `ValueError` on anything else: text that is not JSON, an unknown class, a
    field a class does not have.
    """
    try:
        return json.loads(text, object_hook=_build)
    except (TypeError, KeyError, RecursionError) as error:
        raise ValueError(f"not a docgen model: {error}") from None


def _plain(value: Any) -> dict[str, Any]:
    """A model object as a JSON object (called by the encoder; it encodes what it holds)."""
    names = _FIELDS.get(type(value))
    if names is None:
        raise TypeError(f"{type(value).__name__} is not part of the model")
    data: dict[str, Any] = {_TAG: type(value).__name__}
    for name, default in names:
        item = getattr(value, name)
        if item != default:
            data[name] = item
    if type(value) is Symbol:
        data[_HASH] = value.hash  # computed once, not again by every reader
    return data


def _build(data: dict[str, Any]) -> Any:
    name = data.pop(_TAG, None)
    if name is None:
        return data
    cls = _CLASSES[name]  # KeyError: not one of the model's classes
    known_hash = data.pop(_HASH, None) if cls is Symbol else None
    if not data.keys() <= _DEFAULTS[cls].keys() or not _REQUIRED[cls] <= data.keys():
        raise TypeError(f"{name} with fields {sorted(data)} is not one of docgen's")
    # Filled in directly: a frozen dataclass's __init__ sets each field through
    # object.__setattr__, which is most of the time of reading a large scan back.
    obj = object.__new__(cls)
    obj.__dict__.update(_DEFAULTS[cls])
    obj.__dict__.update({key: _tuples(value) if type(value) is list else value for key, value in data.items()})
    if type(known_hash) is str:
        obj.__dict__["hash"] = known_hash  # where `Symbol.hash` caches it
    return obj


def _tuples(value: list) -> tuple:
    """Lists back to the tuples the frozen model holds (they compare and hash as tuples)."""
    return tuple(_tuples(item) if type(item) is list else item for item in value)
