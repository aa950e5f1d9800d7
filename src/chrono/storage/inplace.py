"""Writing a change to the log in place, through its journal, never over another's bytes.

A change rewrites the log from one offset to its end: an append adds bytes at the end
(the old tail is empty), a replacement or removal of a table rewrites from that table on.
No byte before the offset is written (rewriting a 40 MB log and syncing it to disk costs
~100 ms). Under the writer lock (:mod:`chrono.storage.locking`), with the log open:

1. the open file must be the one the change was planned on (its size, mtime, inode and
   ctime) holding the old tail; the journal (:mod:`chrono.storage.journal`) is written
   and synced;
2. the new tail is written and synced: an append with ``O_APPEND``, so that it lands
   after whatever another program appended meanwhile (``echo ... >> events.toml``) and
   never over it; a change at the offset, the log then cut to its new size;
3. the new tail must be where it was meant to be, in the file the path still names: an
   append that landed after another program's bytes is taken back (:class:`Changed`),
   and so is a change written to a file an editor renamed its copy over meanwhile
   (:class:`Replaced`); the caller plans it again on the file as it now is;
4. the journal is removed.

If the write fails (a full disk, an interrupt) the old tail is written back and the log
cut to its old size, unless another program appended after our bytes: nothing of its is
ever cut. Should that fail too, the journal is kept for the next command to finish.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from chrono.core.errors import WriteError
from chrono.storage.fingerprint import identity
from chrono.storage.journal import Entry, journal_path, read_at, remove, write_at, write_journal
from chrono.storage.locking import NONBLOCK


class Changed(WriteError):
    """The log is not the bytes the change was planned on: nothing written; plan again."""


class Replaced(Changed):
    """The path was renamed over while the change was written: taken back; plan again."""


def write_change(
    real: Path,
    offset: int,
    old: bytes,
    new: bytes | bytearray,
    shown: str,
    *,
    planned: tuple[int, int, int, int],
    before: str,
) -> os.stat_result:
    """Replace the tail ``old`` of ``real``, from ``offset`` on, by ``new``; under the lock.

    ``planned`` is the identity (:func:`~chrono.storage.fingerprint.identity`) of the file
    the change was planned on, ``before`` the SHA-1 of its bytes before ``offset``. Returns
    the log's ``stat`` once the change is synced. Raises :class:`Changed` or
    :class:`Replaced` (nothing written: plan again), or :class:`WriteError` (the log as it
    was) when the file is read-only or cannot be written.
    """
    doing = "adding" if not old else "writing"
    try:
        fd = os.open(real, os.O_RDWR | NONBLOCK | (0 if old else os.O_APPEND))
    except OSError as exc:
        raise _unchanged(shown, exc) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise WriteError(f"{shown}: is not a regular file; nothing written")
        if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise WriteError(f"{shown}: the file is read-only; nothing written")
        if (
            identity(st) != planned
            or st.st_size != offset + len(old)
            or (old and read_at(fd, len(old), offset) != old)
        ):
            raise Changed(f"{shown}: the file changed while {doing}; nothing written")
        entry = Entry(offset, old, new, st.st_dev, st.st_ino, before)
        return _journalled(fd, real, entry, shown)
    finally:
        os.close(fd)


def _journalled(fd: int, real: Path, entry: Entry, shown: str) -> os.stat_result:
    """Steps 1 to 4 of the module docstring, taking the new tail back on any failure."""
    journal = journal_path(real)
    try:
        write_journal(journal, entry, shown)
    except OSError as exc:
        raise _unchanged(shown, exc) from None
    write = _Write(fd, entry, shown)
    try:
        write.put()
        write.check(real)
    except BaseException as exc:
        raise _undone(write, exc, journal) from None
    remove(journal)
    return os.fstat(fd)


class _Write:
    """A change being written to the open log: where its new tail went, and taking it back."""

    def __init__(self, fd: int, entry: Entry, shown: str) -> None:
        self.fd, self.entry, self.shown = fd, entry, shown
        self.landed: int | None = None  # where the new tail starts, once any of it is written
        self.doing = "adding" if not entry.old else "writing"

    def changed(self) -> Changed:
        return Changed(f"{self.shown}: the file changed while {self.doing}; nothing written")

    def put(self) -> None:
        """Step 2: write the new tail and sync it."""
        fd, (offset, old, new, *_) = self.fd, self.entry
        if os.fstat(fd).st_size != offset + len(old):  # another program appended (`>>`)
            raise self.changed()
        self.landed = offset
        if old:
            write_at(fd, new, offset)
            if len(new) < len(old):
                os.ftruncate(fd, offset + len(new))
        else:
            view, end = memoryview(new), None
            while view:
                done = os.write(fd, view)  # O_APPEND: after whatever is there now
                at = os.lseek(fd, 0, os.SEEK_CUR) - done
                if end is None:
                    self.landed = at
                elif at != end:  # another program's bytes between two parts of ours
                    raise self.changed()
                end, view = at + done, view[done:]
        os.fsync(fd)

    def check(self, real: Path) -> None:
        """Step 3: the new tail where it was meant to be, in the file the path names."""
        offset, new = self.entry.offset, self.entry.new
        if self.landed != offset:  # another program appended first: ours is not the end
            raise self.changed()
        st = os.fstat(self.fd)
        try:
            now = real.stat()
        except FileNotFoundError:
            now = None
        if now is None or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            raise Replaced(
                f"{self.shown}: the file was replaced while {self.doing}; nothing written"
            )
        if read_at(self.fd, len(new), offset) != new:
            raise self.changed()

    def undo(self) -> str:
        """Take the new tail back: ``undone``, ``foreign`` (bytes after it: left), ``failed``."""
        if self.landed is None:
            return "undone"
        offset, old, new, *_ = self.entry
        try:
            if os.fstat(self.fd).st_size > self.landed + max(len(old), len(new)):
                return "foreign"
            if old:
                write_at(self.fd, old, offset)
            os.ftruncate(self.fd, self.landed + len(old))
            os.fsync(self.fd)
        except OSError:
            return "failed"
        return "undone"


def _undone(write: _Write, exc: BaseException, journal: Path) -> BaseException:
    """What to raise once the new tail is taken back after ``exc`` (or could not be)."""
    shown, outcome = write.shown, write.undo()
    if isinstance(exc, Replaced):  # whatever became of the old file, it is not the log
        remove(journal)
        return exc
    if outcome == "failed":  # torn: the journal finishes it later
        if isinstance(exc, OSError):
            return WriteError(
                f"{shown}: cannot write: {exc.strerror or exc}, nor put the old text back; "
                "the next chrono command finishes the change from its journal"
            )
        return exc
    remove(journal)
    if outcome == "foreign" and isinstance(exc, (OSError, Changed)):
        undone = "cut back" if not write.entry.old else "put back"
        why = exc.strerror or exc if isinstance(exc, OSError) else "another program wrote too"
        return WriteError(
            f"{shown}: cannot write: {why}; another program appended to the file "
            f"meanwhile, so it was not {undone}: run 'chrono check'"
        )
    return _unchanged(shown, exc) if isinstance(exc, OSError) else exc


def _unchanged(shown: str, exc: OSError) -> WriteError:
    return WriteError(f"{shown}: cannot write: {exc.strerror or exc}; the file is unchanged")
