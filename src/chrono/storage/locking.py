"""The writer lock beside the log, and opening the files chrono keeps beside it.

The lock (``.chrono/NAME.lock``) and the journal (``.chrono/NAME.append``) live in the
folder ``.chrono`` beside the log, whose own ``.gitignore`` (``*``) tells git to ignore
the folder, as ``.pytest_cache`` does: ``git status`` shows only what the user changed.
The folder must be a real directory (never a symbolic link); the files are opened
without following a symbolic link and without waiting on a pipe (``O_NOFOLLOW``,
``O_NONBLOCK``), then checked to be regular files: a dangling symlink there never makes
chrono create its target, a FIFO never makes a command hang, and anything but a regular
file is refused with one message naming it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from chrono.core.errors import WriteError

LOCK_TIMEOUT = 30.0
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NONBLOCK = getattr(os, "O_NONBLOCK", 0)


STATE = ".chrono"  # the folder beside the log for the lock and the journal
IGNORED = b"# chrono's lock and journal: git ignores this folder\n*\n"


def state_folder(real: Path) -> Path:
    """The folder beside ``real`` that holds its lock and journal."""
    return real.parent / STATE


def lock_path(real: Path) -> Path:
    """The lock file that serialises writers of ``real``."""
    return state_folder(real) / f"{real.name}.lock"


def make_state_folder(real: Path, shown: str) -> None:
    """Make sure the folder of the lock and journal is there, a directory git ignores.

    Made once, with its ``.gitignore``; raises :class:`WriteError` when something else
    (a symbolic link, a file, a pipe) has the name.
    """
    folder = state_folder(real)
    try:
        folder.mkdir(mode=0o755)
    except FileExistsError:
        pass
    except OSError as exc:
        raise WriteError(
            f"{shown}: cannot create the folder {folder} beside the log for its lock: "
            f"{exc.strerror or exc}; nothing written"
        ) from None
    else:
        with contextlib.suppress(OSError), (folder / ".gitignore").open("xb") as ignore:
            ignore.write(IGNORED)  # without it, git shows the folder: no harm done
        fsync_dir(real.parent)  # the folder outlives a power cut before the journal in it
    if not stat.S_ISDIR(os.lstat(folder).st_mode):
        raise WriteError(
            f"{shown}: {folder} is not a directory (a symbolic link, a file or a pipe): "
            "chrono keeps the log's lock there and will not use it; remove it; nothing written"
        )


def open_beside(path: Path, flags: int, what: str, shown: str, mode: int = 0o644) -> int:
    """A descriptor of ``path``, a file chrono keeps beside the log (``what`` names it).

    Raises :class:`WriteError` when it is a symbolic link, a pipe, a directory or anything
    but a regular file; any other failure is the ``OSError`` itself.
    """
    try:
        fd = os.open(path, flags | NOFOLLOW | NONBLOCK, mode)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.EMLINK):
            raise not_regular(path, what, shown) from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise not_regular(path, what, shown)
    return fd


def not_regular(path: Path, what: str, shown: str) -> WriteError:
    """The one message for a file beside the log that is not a regular file."""
    return WriteError(
        f"{shown}: {what} {path} is not a regular file (a symbolic link, a pipe or a "
        "directory): chrono will not use it; remove it; nothing written"
    )


@contextlib.contextmanager
def writer_lock(real: Path, shown: str) -> Iterator[None]:
    """Hold the lock that serialises writers of ``real``, waiting up to 30 s for it.

    An advisory lock on a sibling file (``flock``; ``msvcrt.locking`` on Windows), so
    it is let go of when the process ends, however it ends.
    """
    target = lock_path(real)
    make_state_folder(real, shown)
    try:
        fd = open_beside(target, os.O_RDWR | os.O_CREAT, "the lock file", shown)
    except OSError as exc:
        raise WriteError(
            f"{shown}: cannot create the lock file next to the log: {exc.strerror or exc}; "
            "nothing written"
        ) from None
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise WriteError(
                    f"{shown}: another chrono has been writing this log for "
                    f"{LOCK_TIMEOUT:.0f} s (lock file {STATE}/{target.name}); nothing written"
                )
            time.sleep(0.005)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - CI runs on Linux
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def fsync_dir(folder: Path) -> None:
    """Make a directory's entries durable (best effort: not every system can)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
