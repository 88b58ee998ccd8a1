"""A git revision of the project, read from git's objects into a folder of docgen's own:
the user's working tree, index and refs are never touched (no checkout, no worktree)."""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

from docgen.errors import InputError

GIT_TIMEOUT = 120  # seconds for one git command; a revision of a large repository takes a few


def git(root: Path, *args: str) -> bytes:
    """Run git in `root` and return what it printed; a one-line error when it fails."""
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise InputError("git is not installed, and comparing revisions needs it", file=str(root)) from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git {args[0]} took more than {GIT_TIMEOUT} s", file=str(root)) from None
    if done.returncode != 0:
        raise _failed(args[0], done.stderr, done.returncode, root)
    return done.stdout


def _failed(command: str, stderr: bytes, returncode: int, root: Path) -> InputError:
    """The one-line error for a git command that failed: git's last line, or the exit code."""
    reason = stderr.decode(errors="replace").strip().splitlines()
    return InputError(f"git {command} failed: {reason[-1] if reason else f'exit {returncode}'}", file=str(root))


def resolve(root: Path, revision: str) -> str:
    """The commit `revision` names (a branch, tag, `HEAD~1`, a SHA)."""
    if revision.startswith("-"):
        raise InputError(f"not a revision: {revision!r}", file=str(root))
    git(root, "rev-parse", "--show-toplevel")  # "not a git repository" says it best
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
    except InputError:
        raise InputError(f"{revision!r} names no commit of this repository (a shallow clone may lack it: fetch it first)", file=str(root)) from None


def extract_revision(root: Path, revision: str, target: Path) -> Path:
    """The files of the project at `root` as of `revision`, written under `target` (which
    must not exist). `root` may be a folder inside the repository: that folder is taken."""
    commit = resolve(root, revision)
    prefix = git(root, "rev-parse", "--show-prefix").decode().strip()
    target.mkdir(parents=True)
    # Streamed: a large repository's archive is never held in memory whole.
    command = ["git", "archive", "--format=tar", commit, *([prefix] if prefix else [])]
    with subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as archive:
        assert archive.stdout is not None
        try:
            with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
                # The "data" filter refuses links out of the folder, absolute paths and devices.
                tar.extractall(target, filter="data")
        except tarfile.TarError as error:
            archive.kill()
            raise InputError(f"git archive of {revision!r} could not be read: {error}", file=str(root)) from None
        finally:
            archive.wait(timeout=GIT_TIMEOUT)
        if archive.returncode != 0:
            raise _failed("archive", archive.stderr.read() if archive.stderr else b"", archive.returncode, root)
    return target / prefix if prefix else target
