"""Compiled theme templates kept between builds, as Python keeps bytecode.

Compiling Material's Jinja templates is a fifth of a small site's build. The cache lives in
the user's cache folder; Jinja keys it on each template's source, so a theme upgrade or an
edited override simply recompiles. It is added to the in-process build only, so mkdocs.yml
stays free of docgen-specific plugins.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket
from mkdocs.plugins import BasePlugin

from docgen.files import user_cache_dir


def cache_folder() -> Path:
    """`$XDG_CACHE_HOME/docgen/jinja`, or `~/.cache/docgen/jinja`."""
    return user_cache_dir() / "jinja"


class TolerantBytecodeCache(FileSystemBytecodeCache):
    """A bytecode cache whose read or write failure only costs a recompile."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


class TemplateCache(BasePlugin):
    """Gives the theme's Jinja environment a bytecode cache."""

    def on_env(self, env: Any, /, *, config: Any, files: Any) -> Any:
        folder = cache_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return env  # no writable cache folder: compile as usual
        env.bytecode_cache = TolerantBytecodeCache(str(folder))
        return env
