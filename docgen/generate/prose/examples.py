"""Running drafted examples (`[tool.docgen.verify] run_examples = true`).

A Python block that imports only the project and the standard library is run, and kept
only if it passes: parsing and resolving names say a block could work, running it says it
does. Each run is a fresh interpreter (`sys.executable`, never a shell) isolated from the
user's environment (`-I`: no PYTHONPATH, no user site, not the current folder) with the
project's source folders first on its path, in an empty temporary folder, writing no
bytecode into the project (`-B`), with no environment variables beyond the basics (a
model's code never sees a key), a time limit, and its output bounded. A block that needs
another package is left as it is, unrun: its imports were checked against the declared
dependencies, and installing them is not docgen's business; so is a block that fails only
because the project itself needs a package docgen's environment lacks.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from docgen.generate.prose.verify import PYTHON_FENCES, Unresolved, code_body, code_names, parse_python, split_blocks
from docgen.model import Project

OUTPUT_BYTES = 1_000_000  # what a block may write (its output and any file), at most
_REASON_CHARACTERS = 160
_MISSING_MODULE = re.compile(r"^ModuleNotFoundError: No module named '([\w.]+)'")
# Run in the child before the block: bound what it may write, put the project's source
# folders first on its path, and run the block as a script.
_BOOTSTRAP = """\
import runpy, sys
try:
    import resource
    resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
except (ImportError, ValueError, OSError):
    pass
script, *folders = sys.argv[1:]
sys.path[:0] = folders
sys.argv = [script]
runpy.run_path(script, run_name="__main__")
"""


@dataclass
class ExampleRunner:
    """Runs the Python blocks of drafted text, each block once however often it is checked."""

    project: frozenset[str]  # the project's top-level names
    source_folders: tuple[Path, ...]  # where they are importable from
    timeout: float = 30.0
    results: dict[str, str] = field(default_factory=dict)  # code -> why it failed ("" passed or not run)

    def check(self, text: str, checked: list[Unresolved]) -> list[Unresolved]:
        """The Python blocks of `text` (Markdown) that fail when run, as unresolved items
        for `verify.drop`. Blocks the verifier found wrong (`checked`: unparsable, naming
        nothing) are not run, nor blocks that need other packages."""
        failed = []
        wrong = {item.line for item in checked}
        for block in split_blocks(text):
            if block.fence in PYTHON_FENCES and block.line not in wrong:
                why = self.run(code_body(block))
                if why:
                    failed.append(Unresolved(f"```{block.fence}", block.line, why))
        return failed

    def run(self, code: str) -> str:
        """Why `code` failed when run, or "" when it passed or is not to be run."""
        if code not in self.results:
            self.results[code] = self._run(code) if self.runnable(code) else ""
        return self.results[code]

    def runnable(self, code: str) -> bool:
        """Whether `code` parses and imports only the project and the standard library."""
        tree = parse_python(code)
        if tree is None:
            return False
        found = code_names(tree, self.project)
        allowed = self.project | sys.stdlib_module_names
        return not found.relative and all(module.split(".")[0] in allowed for module in found.modules)

    def _run(self, code: str) -> str:
        with tempfile.TemporaryDirectory(prefix="docgen-example-") as scratch:
            script = Path(scratch, "example.py")
            script.write_text(code, encoding="utf-8")
            command = [
                sys.executable, "-I", "-B", "-c", _BOOTSTRAP.format(limit=OUTPUT_BYTES), str(script),
                *(str(folder) for folder in self.source_folders),
            ]  # fmt: skip
            with open(Path(scratch, "stderr"), "w+b") as errors:
                process = subprocess.Popen(
                    command,
                    cwd=scratch,
                    env=_environment(scratch),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=errors,
                    start_new_session=True,  # its own process group: a timeout ends its children too
                )
                try:
                    status = process.wait(timeout=self.timeout)
                except subprocess.TimeoutExpired:
                    _kill(process)
                    return f"did not finish in {self.timeout:g} s"
                finally:
                    _kill_group(process)
                size = errors.seek(0, os.SEEK_END)
                errors.seek(max(0, size - 4096))
                tail = errors.read().decode("utf-8", errors="replace")
        if status == 0:
            return ""
        if size >= OUTPUT_BYTES:  # the limit stopped it (Python turns the signal into an error)
            return f"wrote more than {OUTPUT_BYTES:,} bytes"
        last = _last_line(tail)
        missing = _MISSING_MODULE.match(last)
        if missing and missing.group(1).split(".")[0] not in self.project:
            return ""  # the project needs a package this environment lacks: not the block's fault, kept unrun
        return "failed when run: " + (last or f"exit status {status}")


def runner_for(project: Project, timeout: float) -> ExampleRunner:
    """The runner for `project`'s examples: its Python packages importable from where
    they lie (the project root, or a `src/` folder)."""
    folders: dict[Path, None] = {}
    for top in project.symbols:
        if top.language != "python" or top.kind not in ("package", "module"):
            continue
        location = Path(top.location.file)
        folder = location.parent.parent if location.name in ("__init__.py", "__init__.pyi") else location.parent
        folders[(project.root / folder).resolve()] = None
    names = frozenset(top.id.split(".", 1)[0] for top in project.symbols if top.language == "python")
    return ExampleRunner(names, tuple(folders), timeout)


def _environment(home: str) -> dict[str, str]:
    """The basics a Python program needs, and nothing of the user's (keys, tokens)."""
    env = {"PATH": os.defpath, "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8", "PYTHONHASHSEED": "0"}
    for name in ("SYSTEMROOT", "WINDIR"):  # Windows cannot start Python without them
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def _kill(process: subprocess.Popen[bytes]) -> None:
    _kill_group(process)
    process.kill()
    process.wait()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """End what the block started and left running (the group outlives its leader)."""
    if hasattr(os, "killpg"):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _last_line(text: str) -> str:
    """The last line of a traceback (`ValueError: ...`), printable and short."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    line = re.sub(r"[^\x20-\x7e\u00a0-\uffff]", "?", lines[-1])
    return line if len(line) <= _REASON_CHARACTERS else line[: _REASON_CHARACTERS - 1] + "…"
