"""Changing the log in place, and finishing a change that a crash interrupted.

A change rewrites the log from one offset to its end: an append adds bytes at the end
(the old tail is empty), a replacement or removal of a table rewrites from that table on.
No byte before the offset is written (rewriting a 40 MB log and syncing it to disk costs
~100 ms). The change is made safe by a journal beside the log, ``.NAME.append``:

1. under the writer lock, the journal is written and synced: the offset, the old tail
   (the bytes from the offset to the end, as they are) and the new tail;
2. the new tail is written at the offset, the log is cut to its new size and synced;
3. the journal is removed.

If the write fails (a full disk, an interrupt) the old tail is written back and the log
cut to its old size (should that fail too, the journal is kept, for the next command to
finish the change). If the machine stops mid-way, the next chrono command that reads the
log finds the journal and, under the lock, finishes the change when the bytes from the
offset on are the old tail partly overwritten by the new one (some of the new tail's
first bytes, then the old tail's bytes from there, or zeros a crash left), or the old tail
itself; then it removes the journal. Anything else there was written by someone after the
crash and is left alone (the bytes before the offset are trusted: the journal does not
hold them).

An append's journal keeps the format of chrono's first versions, ``chrono-append SIZE
LENGTH`` and the added bytes, so an older chrono still finishes it; any other change's
is ``chrono-change OFFSET OLD-LENGTH NEW-LENGTH``, the old tail, then the new one.
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
_CHANGE = b"chrono-change"
_CHUNK = 1 << 16


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
    """Write ``added`` after the first ``size`` bytes of ``real``; the caller holds the lock."""
    write_change(real, size, b"", added, shown)


def write_change(real: Path, offset: int, old: bytes, new: bytes, shown: str) -> None:
    """Replace the tail ``old`` of ``real``, from ``offset`` on, by ``new``; under the lock.

    Raises :class:`WriteError` (the log as it was) when the file is read-only, changed
    since it was read (its size or its tail is not what the caller read), or cannot be
    written.
    """
    import stat  # noqa: PLC0415

    doing = "adding" if not old else "writing"
    try:
        fd = os.open(real, os.O_RDWR)
    except OSError as exc:
        raise _unchanged(shown, exc) from None
    try:
        st = os.fstat(fd)
        if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise WriteError(f"{shown}: the file is read-only; nothing written")
        if st.st_size != offset + len(old) or (old and _read_at(fd, len(old), offset) != old):
            raise WriteError(f"{shown}: the file changed while {doing}; nothing written")
        _journalled(fd, real, offset, old, new, shown)
    finally:
        os.close(fd)


def _journalled(fd: int, real: Path, offset: int, old: bytes, new: bytes, shown: str) -> None:
    """Steps 1 to 3 of the module docstring, putting the old tail back on any failure."""
    journal = journal_path(real)
    doing = "adding" if not old else "writing"
    wrote = False
    try:
        _write_journal(journal, offset, old, new)
        if os.fstat(fd).st_size != offset + len(old):  # another program appended (`>>`)
            raise WriteError(f"{shown}: the file changed while {doing}; nothing written")
        wrote = True
        _write_at(fd, new, offset)
        if len(new) < len(old):
            os.ftruncate(fd, offset + len(new))
        os.fsync(fd)
    except BaseException as exc:
        foreign = restored = False
        if wrote:
            with contextlib.suppress(OSError):
                # Put the old tail back, unless another program appended after us.
                foreign = os.fstat(fd).st_size > offset + max(len(old), len(new))
                if not foreign:
                    _write_at(fd, old, offset)
                    os.ftruncate(fd, offset + len(old))
                    os.fsync(fd)
                    restored = True
        if wrote and not foreign and not restored:  # torn: the journal finishes it later
            if isinstance(exc, OSError):
                raise WriteError(
                    f"{shown}: cannot write: {exc.strerror or exc}, nor put the old text back; "
                    "the next chrono command finishes the change from its journal"
                ) from None
            raise
        with contextlib.suppress(OSError):
            journal.unlink(missing_ok=True)
        if isinstance(exc, OSError) and foreign:
            undone = "cut back" if not old else "put back"
            raise WriteError(
                f"{shown}: cannot write: {exc.strerror or exc}; another program appended "
                f"to the file meanwhile, so it was not {undone}: run 'chrono check'"
            ) from None
        if isinstance(exc, OSError):
            raise _unchanged(shown, exc) from None
        raise
    with contextlib.suppress(OSError):  # a journal left behind is removed by settle()
        journal.unlink()


def _unchanged(shown: str, exc: OSError) -> WriteError:
    return WriteError(f"{shown}: cannot write: {exc.strerror or exc}; the file is unchanged")


def settle(path: Path) -> str | None:
    """Finish a change a crash interrupted, if the log has a journal; a note of what was done.

    Costs one ``stat`` when there is no journal, which is always but after a crash.
    """
    real = Path(os.path.realpath(path))
    journal = journal_path(real)
    if not os.path.lexists(journal):
        return None
    try:
        with writer_lock(real, str(path)):
            note = recover(real, str(path))
    except (WriteError, OSError):
        return None  # cannot lock or write here: leave it for a command that can
    return note


def recover(real: Path, shown: str) -> str | None:
    """Finish the change the journal records, if it is unfinished; the caller holds the lock.

    Returns the note to show the user when it finished one (it prints nothing).
    """
    journal = journal_path(real)
    try:
        record = journal.read_bytes()
    except FileNotFoundError:
        return None  # the writer finished while we waited for the lock
    parsed = _parse_journal(record)
    if parsed is None:  # not a journal, or the journal itself was cut short: log untouched
        journal.unlink()
        return None
    offset, old, new = parsed
    note = None
    with real.open("r+b") as handle:
        fd = handle.fileno()
        size = os.fstat(fd).st_size
        current = _read_at(fd, size - offset, offset) if size >= offset else None
        if current is not None and current != new and _torn(current, old, new):
            _write_at(fd, new, offset)
            os.ftruncate(fd, offset + len(new))
            os.fsync(fd)
            what = "an append" if not old else "a change"
            note = f"chrono: {shown}: finished {what} that was interrupted"
    journal.unlink()
    return note


def _parse_journal(record: bytes) -> tuple[int, bytes, bytes] | None:
    """Offset, old tail and new tail of a journal of either format; None if it is not whole."""
    header, _, body = record.partition(b"\n")
    fields = header.split()
    if not fields or not all(f.isdigit() for f in fields[1:]):
        return None
    if fields[0] == _MAGIC and len(fields) == 3:
        offset, old_length, new_length = int(fields[1]), 0, int(fields[2])
    elif fields[0] == _CHANGE and len(fields) == 4:
        offset, old_length, new_length = (int(f) for f in fields[1:])
    else:
        return None
    if len(body) != old_length + new_length:
        return None
    return offset, body[:old_length], body[old_length:]


def _torn(current: bytes, old: bytes, new: bytes) -> bool:
    """Whether ``current`` is ``old`` partly overwritten, from its start, by ``new``."""
    done = _common_prefix(current, new)
    rest = current[done:].rstrip(b"\0")  # a crash can leave a grown file's end zeroed
    return old[done:].startswith(rest)


def _common_prefix(a: bytes, b: bytes) -> int:
    """The length of the longest common prefix of ``a`` and ``b``."""
    n = min(len(a), len(b))
    at = 0
    while at < n and a[at : at + _CHUNK] == b[at : at + _CHUNK]:
        at += _CHUNK
    at = min(at, n)
    while at < n and a[at] == b[at]:
        at += 1
    return at


def _write_journal(journal: Path, offset: int, old: bytes, new: bytes) -> None:
    if old:
        header = b"%s %d %d %d\n" % (_CHANGE, offset, len(old), len(new))
    else:
        header = b"%s %d %d\n" % (_MAGIC, offset, len(new))
    fd = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        _write_at(fd, header + old + new, 0)
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


def _read_at(fd: int, length: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, length, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # pragma: no cover - Windows
    return os.read(fd, length)


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
