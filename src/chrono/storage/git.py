"""Git, asked as a program: the log's bytes at a revision, the repository a log is in,
its configuration, git's own line merge.

chrono never reads a repository's files itself: every question is a ``git`` command run
in the log's folder, its output taken as bytes. A failure is a :class:`GitError` (or,
for a revision git does not know, a :class:`UsageError`) saying what git said.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from chrono.core.errors import GitError, UsageError


def run(
    args: Sequence[str], cwd: Path, *, ok: Sequence[int] = (0,)
) -> subprocess.CompletedProcess[bytes]:
    """``git ARGS`` in ``cwd``, its output captured; an exit status not in ``ok`` raises."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    if not cwd.is_dir():
        raise GitError(f"{cwd}: no such folder")
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode not in ok:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {said[-1] if said else done.returncode}")
    return done


def toplevel(folder: Path) -> Path:
    """The root of the work tree ``folder`` is in; raises when it is in none."""
    done = run(["rev-parse", "--show-toplevel"], folder, ok=(0, 128))
    if done.returncode:
        raise GitError(f"{folder}: not in a git repository")
    return Path(os.fsdecode(done.stdout.rstrip(b"\n")))


def revision(rev: str, folder: Path) -> str:
    """The commit ``rev`` names (its full hash); a revision git does not know is a usage error."""
    done = run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
               folder, ok=(0, 1, 128))  # fmt: skip
    if done.returncode == 128 and b"not a git repository" in done.stderr:
        raise GitError(f"{folder}: not in a git repository")
    if done.returncode:
        raise UsageError(f"unknown revision {rev!r}: git knows no commit of that name")
    return done.stdout.decode("ascii").strip()


def text_at(path: Path, rev: str) -> bytes | None:
    """The bytes of the file ``path`` at revision ``rev`` (``git show REV:./NAME``), or
    None when that revision has no such file."""
    folder = path.parent
    commit = revision(rev, folder)
    spec = f"{commit}:./{path.name}"
    if run(["cat-file", "-e", spec], folder, ok=(0, 1, 128)).returncode:
        return None
    return run(["show", spec], folder).stdout


def config_get(key: str, folder: Path, *, scope: str = "--local") -> str | None:
    """The value of ``key`` in one scope of git's configuration, or None when unset."""
    done = run(["config", scope, "--get", key], folder, ok=(0, 1))
    return done.stdout.decode("utf-8", "replace").rstrip("\n") if done.returncode == 0 else None


def attribute(name: str, path: Path) -> str | None:
    """The value git gives the attribute ``name`` for ``path`` (None when unspecified)."""
    done = run(["check-attr", "-z", name, "--", path.name], path.parent)
    fields = done.stdout.split(b"\0")
    value = fields[2].decode("utf-8", "replace") if len(fields) > 2 else "unspecified"
    return None if value == "unspecified" else value


def config_set(key: str, value: str, folder: Path, *, scope: str = "--local") -> None:
    """Set ``key`` to ``value`` in one scope of git's configuration."""
    run(["config", scope, key, value], folder)


def merge_file(
    ours: Path, base: Path, theirs: Path, labels: Sequence[str], size: int
) -> tuple[bytes, int]:
    """Git's own line merge of the three files (``git merge-file -p``), conflicts marked,
    and how many conflicts it left."""
    args = ["merge-file", "-p", f"--marker-size={size}"]
    for label in labels:
        args += ["-L", label]
    done = run([*args, str(ours), str(base), str(theirs)], ours.parent, ok=range(128))
    return done.stdout, done.returncode
