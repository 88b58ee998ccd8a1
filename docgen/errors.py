"""One error base, with subclasses that say which stage failed and where.

Users see `str(error)`: one line, prefixed with `file:line` when the error has a place.
"""

from __future__ import annotations

# Exit codes, documented in `docgen --help`.
EXIT_OK = 0
EXIT_FAILED = 1  # the command ran and found problems (any problem, with --strict)
EXIT_USAGE = 2  # bad command line (click's own code)
EXIT_CONFIG = 3  # the configuration is invalid
EXIT_INPUT = 4  # the path to document is missing or holds nothing to document
EXIT_OUTPUT = 5  # the docs or site could not be written
EXIT_INTERNAL = 70  # a bug in docgen (EX_SOFTWARE): please report it


class DocgenError(Exception):
    """Base of every error docgen reports to users."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __reduce__(self) -> tuple:
        # Keep file and line when an error crosses processes (sharded builds).
        return (_rebuild, (type(self), self.message, self.file, self.line))

    def __str__(self) -> str:
        if self.file and self.line:
            return f"{self.file}:{self.line}: {self.message}"
        if self.file:
            return f"{self.file}: {self.message}"
        return self.message


class ConfigError(DocgenError):
    """The configuration (pyproject.toml, docgen.toml, mkdocs.yml) is invalid."""

    exit_code = EXIT_CONFIG


class InputError(DocgenError):
    """The path to document does not exist or cannot be read."""

    exit_code = EXIT_INPUT


class ScanError(DocgenError):
    """One source file could not be read or parsed; the scan carries on without it."""


class PublishError(DocgenError):
    """The docs or the site could not be written or built."""

    exit_code = EXIT_OUTPUT


def _rebuild(cls: type[DocgenError], message: str, file: str | None, line: int | None) -> DocgenError:
    return cls(message, file=file, line=line)
