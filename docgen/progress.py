"""Progress for long work: a rich progress bar on a terminal, plain log lines elsewhere (CI)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

QUIET, NORMAL, VERBOSE = 0, 1, 2


class Reporter:
    """Says what docgen is doing, at the verbosity the user chose, on stderr."""

    def __init__(self, verbosity: int = NORMAL, stream: TextIO | None = None) -> None:
        self.verbosity = verbosity
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() and verbosity >= NORMAL

    def info(self, message: str) -> None:
        """A line for people, unless quiet."""
        if self.verbosity >= NORMAL:
            print(message, file=self.stream)

    def detail(self, message: str) -> None:
        """A line only with -v."""
        if self.verbosity >= VERBOSE:
            print(message, file=self.stream)

    def warn(self, message: str) -> None:
        """A problem worth knowing about; shown even when quiet."""
        print(f"warning: {message}", file=self.stream)

    @contextmanager
    def task(self, description: str, total: int, unit: str = "files") -> Iterator[Callable[[str], None]]:
        """A progress bar over `total` steps on a terminal, with its time left; yields
        `advance(item)`, whose text the bar shows beside it.

        Either way it ends with one line: what was done, how many, how long.
        """
        start = time.perf_counter()
        if self.interactive and total > 1:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            columns = (
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.fields[item]}"),
            )
            with Progress(*columns, transient=True, console=Console(file=self.stream)) as progress:
                task = progress.add_task(description, total=total, item="")
                yield lambda item: progress.update(task, advance=1, item=item)
        else:
            yield lambda _item: None
        self.info(f"{description}: {total} {unit} in {time.perf_counter() - start:.2f} s")

    @contextmanager
    def step(self, description: str) -> Iterator[None]:
        """One line once a step without countable parts is done."""
        start = time.perf_counter()
        yield
        self.info(f"{description}: {time.perf_counter() - start:.2f} s")
