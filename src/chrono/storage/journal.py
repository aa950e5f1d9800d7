"""Appending to the log in place, and finishing an append that a crash interrupted.

``chrono add`` only ever adds bytes at the end of the log, so it never rewrites the bytes
already there (rewriting a 40 MB log and syncing it to disk costs ~100 ms). The append is
made safe by a journal beside the log, ``.NAME.append``:

1. under the writer lock, the journal is written and synced: the log's size before the
   append, then the bytes to add;
2. the bytes are written at that offset and the log is synced;
3. the journal is removed.

If the append fails (a full disk, an interrupt) the log is cut back to its old size. If
the machine stops mid-way, the next chrono command that reads the log finds the journal
and, under the lock, finishes the append when the log's tail is a part of what was being
written (or is already all of it), then removes the journal. A tail that is anything else
was written by someone after the crash and is left alone.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from chrono.core.errors import WriteError

LOCK_TIMEOUT = 30.0
_MAGIC = b"chrono-append"


def lock_path(real: Path) -> Path:
    """The sibling lock file that serialises writers of ``real``."""
    return real.with_name(f".{real.name}.lock")


def journal_path(real: Path) -> Path:
    """The sibling file that records an append in progress."""
    return real.with_name(f".{real.name}.append")


@contextlib.contextmanager
def writer_lock(real: Path, shown: str) -> Iterator[None]:
    """Hold the lock that serialises writers of ``real``, waiting up to 30 s for it.

    An advisory lock on a sibling file (``flock``; ``msvcrt.locking`` on Windows), so
    it is let go of when the process ends, however it ends.
    """
    target = lock_path(real)
    try:
        fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o644)
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
                    f"{LOCK_TIMEOUT:.0f} s (lock file {target.name}); nothing written"
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


def append_bytes(real: Path, size: int, added: bytes, shown: str) -> None:
    """Write ``added`` after the first ``size`` bytes of ``real``; the caller holds the lock.

    Raises :class:`WriteError` (the log as it was) when the file is read-only, changed
    since it was read, or cannot be written.
    """
    import stat  # noqa: PLC0415

    journal = journal_path(real)
    try:
        fd = os.open(real, os.O_RDWR)
    except OSError as exc:
        raise WriteError(
            f"{shown}: cannot write: {exc.strerror or exc}; the file is unchanged"
        ) from None
    try:
        st = os.fstat(fd)
        if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise WriteError(f"{shown}: the file is read-only; nothing written")
        if st.st_size != size:
            raise WriteError(f"{shown}: the file changed while adding; nothing written")
        wrote = False
        try:
            _write_journal(journal, size, added)
            if os.fstat(fd).st_size != size:  # another program appended meanwhile (`>>`)
                raise WriteError(f"{shown}: the file changed while adding; nothing written")
            wrote = True
            _write_at(fd, added, size)
            os.fsync(fd)
        except BaseException as exc:
            foreign = False
            if wrote:
                with contextlib.suppress(OSError):
                    # Cut back to the old size, unless another program appended after us.
                    foreign = os.fstat(fd).st_size > size + len(added)
                    if not foreign:
                        os.ftruncate(fd, size)
                        os.fsync(fd)
            with contextlib.suppress(OSError):
                journal.unlink(missing_ok=True)
            if isinstance(exc, OSError) and foreign:
                raise WriteError(
                    f"{shown}: cannot write: {exc.strerror or exc}; another program appended "
                    "to the file meanwhile, so it was not cut back: run 'chrono check'"
                ) from None
            if isinstance(exc, OSError):
                raise _unchanged(shown, exc) from None
            raise
        with contextlib.suppress(OSError):  # a journal left behind is removed by settle()
            journal.unlink()
    finally:
        os.close(fd)


def _unchanged(shown: str, exc: OSError) -> WriteError:
    return WriteError(f"{shown}: cannot write: {exc.strerror or exc}; the file is unchanged")


def settle(path: Path) -> str | None:
    """Finish an append a crash interrupted, if the log has a journal; a note of what was done.

    Costs one ``stat`` when there is no journal, which is always but after a crash.
    """
    real = Path(os.path.realpath(path))
    journal = journal_path(real)
    if not os.path.lexists(journal):
        return None
    try:
        with writer_lock(real, str(path)):
            return recover(real, str(path))
    except (WriteError, OSError):
        return None  # cannot lock or write here: leave it for a command that can


def recover(real: Path, shown: str) -> str | None:
    """Finish the append the journal records, if it is unfinished; the caller holds the lock."""
    journal = journal_path(real)
    try:
        record = journal.read_bytes()
    except FileNotFoundError:
        return None  # the writer finished while we waited for the lock
    header, _, added = record.partition(b"\n")
    fields = header.split()
    if len(fields) != 3 or fields[0] != _MAGIC or not all(f.isdigit() for f in fields[1:]):
        journal.unlink()
        return None
    size, length = int(fields[1]), int(fields[2])
    if len(added) != length:  # the journal itself was cut short: the log was never touched
        journal.unlink()
        return None
    note = None
    with real.open("r+b") as handle:
        handle.seek(size)
        tail = handle.read(length + 1)
        current = os.fstat(handle.fileno()).st_size
        if current >= size and tail != added and added.startswith(tail.rstrip(b"\0")):
            _write_at(handle.fileno(), added, size)
            os.ftruncate(handle.fileno(), size + length)
            os.fsync(handle.fileno())
            note = f"chrono: {shown}: finished an append that was interrupted"
    journal.unlink()
    if note is not None:
        sys.stderr.write(note + "\n")
    return note


def _write_journal(journal: Path, size: int, added: bytes) -> None:
    fd = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        _write_at(fd, b"%s %d %d\n" % (_MAGIC, size, len(added)) + added, 0)
        os.fsync(fd)
    finally:
        os.close(fd)
    fsync_dir(journal.parent)


def _write_at(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        if hasattr(os, "pwrite"):
            done = os.pwrite(fd, view, offset)
        else:  # Windows
            os.lseek(fd, offset, os.SEEK_SET)
            done = os.write(fd, view)
        view = view[done:]
        offset += done


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
