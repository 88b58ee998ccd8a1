"""Writing files safely: atomic writes, the user's permissions, one build at a time.

A crash never leaves a half-written page, cache or config behind; what docgen writes gets
the permissions the user's umask gives any new file (a web server must read the site).
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from docgen.errors import PublishError


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _umask()
FILE_MODE = 0o666 & ~UMASK
DIR_MODE = 0o777 & ~UMASK


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write `text` (or bytes) to `path` through a temporary file in the same folder, then
    rename; a file that exists keeps its permissions, a new one gets the umask's."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = FILE_MODE
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if isinstance(text, bytes):
            with os.fdopen(handle, "wb") as binary:
                binary.write(text)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
        os.chmod(temporary, mode)  # mkstemp makes files only their owner can read
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


Work = Callable[[], None]


def run_now(work: Work) -> None:
    """Do `work` here and now (see `Background` for the alternative)."""
    work()


class Background:
    """Work this process need not wait for until the end, done meanwhile in a forked
    child where the platform can fork: on two cores, saving a build's caches costs the
    build nothing while MkDocs renders. Only for work that shares nothing with what
    follows it (writing a file atomically)."""

    def __init__(self) -> None:
        self._children: list[int] = []

    def run(self, work: Work) -> None:
        """Start `work`; done here and now where there is no fork."""
        if not hasattr(os, "fork"):
            work()
            return
        child = os.fork()
        if child == 0:  # the child: do the work, then leave without running the parent's exit code
            try:
                work()
            finally:
                os._exit(0)
        self._children.append(child)

    def wait(self) -> None:
        """Wait for every piece of work started."""
        while self._children:
            os.waitpid(self._children.pop(), 0)


def user_cache_dir() -> Path:
    """docgen's folder in the user's cache: `$XDG_CACHE_HOME/docgen` or `~/.cache/docgen`."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "docgen"


def make_private_temporary(target: Path) -> Path:
    """A new empty file beside `target`, to write and then rename onto it."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    return Path(name)


def make_temporary_dir(parent: Path, prefix: str) -> Path:
    """A new empty folder in `parent`, with the permissions of any folder the user makes."""
    folder = Path(tempfile.mkdtemp(dir=parent, prefix=prefix, suffix=".tmp"))
    os.chmod(folder, DIR_MODE)  # mkdtemp makes folders only their owner can enter
    return folder


def remove_tree(path: Path) -> None:
    """Remove a folder docgen made, read-only parts included; a part that still cannot be
    removed is left for the next build's clean-up rather than failing this one."""

    def writable_then_retry(function, failed: str, _exc: BaseException) -> None:
        try:
            os.chmod(os.path.dirname(failed), stat.S_IRWXU)
            if os.path.isdir(failed) and not os.path.islink(failed):
                os.chmod(failed, stat.S_IRWXU)
            function(failed)
        except OSError:
            pass

    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif not path.exists():
        return
    elif sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=writable_then_retry)
    else:  # `onerror`, deprecated since 3.12, hands over the exception as a tuple
        shutil.rmtree(path, onerror=lambda function, failed, info: writable_then_retry(function, failed, info[1]))


@contextmanager
def exclusive_lock(path: Path, what: str) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if needed) for the duration; a second
    holder gets a one-line error at once instead of racing the first. The operating system
    releases the lock when its process ends, however it ends, so a lock never goes stale."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise PublishError(f"{what} is already running here; wait for it to finish", file=str(path)) from None
            raise
        yield
    finally:
        os.close(handle)  # closing releases the lock
