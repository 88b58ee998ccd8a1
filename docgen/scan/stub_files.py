"""Where an object from a `.pyi` stub is defined.

griffe merges a module's stub into the module: an object only the stub defines (a binding
package's class, whose implementation is compiled) becomes a member of the `.py` module and
reports that module's file, while its line numbers are the stub's. `StubFilesExtension`
records the stub's path in `extra["docgen"]["file"]`, so source links point at the right file.
"""

from __future__ import annotations

from typing import Any

import griffe

from docgen.scan.ml import EXTRA


class StubFilesExtension(griffe.Extension):
    """Marks every object visited from a `.pyi` file with that file's path."""

    def on_instance(self, *, node: Any, obj: Any, agent: Any, **kwargs: Any) -> None:
        """Record the stub an object was read from."""
        filepath = getattr(agent, "filepath", None)
        if filepath is not None and filepath.suffix == ".pyi" and not obj.is_module:
            obj.extra[EXTRA]["file"] = filepath
