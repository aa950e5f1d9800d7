"""The journal of a change to the log, and what the next command does with one a crash left.

:mod:`chrono.storage.inplace` writes a change under the writer lock; before it touches the
log it writes and syncs the journal beside it, ``.chrono/NAME.append`` (see
:mod:`chrono.storage.locking`; an older chrono wrote ``.NAME.append``, which recovery
still reads): a header ``chrono-journal
1 OFFSET OLD-LENGTH NEW-LENGTH DEVICE INODE SHA1`` (the SHA-1 of the log's bytes before the
offset), then the old tail and the new one. It removes the journal once the change is
synced. (An older chrono finding this journal removes it and leaves the log alone.)

Recovery (:func:`recover`, by the next command, under the lock) finishes a change only when
its bytes are exactly in place: the same file (device and inode), the bytes before the
offset hashing as they did, and from the offset on the new tail's first bytes, then the
old tail's or the zeros a power cut leaves, no longer than the change could leave. A log
holding the old tail or the new one whole is left as it is. Anything else (a copy
restored meanwhile, a note typed by hand) leaves every byte alone: the journal is set
aside as ``NAME.append.N`` and the note says so. So is a journal chrono cannot read;
one whose own writing a crash cut short (the log was then never touched) is removed.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from chrono.core.errors import WriteError
from chrono.storage.fingerprint import sha1_hex
from chrono.storage.locking import NONBLOCK, fsync_dir, open_beside, state_folder, writer_lock

_MAGIC = b"chrono-journal 1"
_CHUNK = 1 << 16
_HEADER = re.compile(rb"chrono-journal 1 (\d+) (\d+) (\d+) (\d+) (\d+) ([0-9a-f]{40})")


class Entry(NamedTuple):
    """What a journal records of one change."""

    offset: int
    old: bytes
    new: bytes | bytearray  # a large append's, as it was grown (read back: bytes)
    dev: int
    ino: int
    before: str  # the SHA-1 of the log's bytes before the offset


def journal_path(real: Path) -> Path:
    """The file beside the log that records a change in progress."""
    return state_folder(real) / f"{real.name}.append"


def journals(real: Path) -> tuple[Path, Path]:
    """Where a journal of ``real`` may be: chrono's folder, and where older ones wrote it."""
    return journal_path(real), real.with_name(f".{real.name}.append")


def remove(journal: Path) -> None:
    """Remove the journal (one left behind is dealt with by the next command)."""
    with contextlib.suppress(OSError):
        journal.unlink()


def write_journal(journal: Path, entry: Entry, shown: str) -> None:
    offset, old, new, dev, ino, before = entry
    header = b"%s %d %d %d %d %d %s\n" % (_MAGIC, offset, len(old), len(new), dev, ino,
                                          before.encode())  # fmt: skip
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    fd = open_beside(journal, flags, "the journal", shown, 0o600)
    try:
        try:
            write_at(fd, header + old + new, 0)
            os.fsync(fd)
        finally:
            os.close(fd)
        fsync_dir(journal.parent)
    except BaseException:
        remove(journal)
        raise


# -- after a crash ----------------------------------------------------------------------------


def settle(path: Path) -> str | None:
    """Finish or set aside a change a crash interrupted, if the log has a journal; the note.

    Costs one ``stat`` when there is no journal, which is always but after a crash. A lock
    or journal chrono cannot use is left for a command that writes to say.
    """
    real = Path(os.path.realpath(path))
    if not any(os.path.lexists(journal) for journal in journals(real)):
        return None
    try:
        with writer_lock(real, str(path)):
            return recover(real, str(path))
    except (WriteError, OSError):
        return None


def recover(real: Path, shown: str) -> str | None:
    """Deal with the journals of ``real``, if any; the caller holds the lock.

    Returns the note to show the user (it prints nothing); raises :class:`WriteError` when
    a journal is not a regular file, or cannot be read, removed or set aside.
    """
    notes = [_recover(real, journal, shown) for journal in journals(real)]
    return "\n".join(note for note in notes if note) or None


def _recover(real: Path, journal: Path, shown: str) -> str | None:
    """Deal with one journal of ``real``."""
    try:
        record = _read_journal(journal, shown)
        if record is None:
            return None  # the writer finished while we waited for the lock
        entry = parse_journal(record)
        if entry is None:
            if not cut_short(record):
                return _set_aside(journal, shown, "cannot read the journal of a change")
            note = None  # the crash stopped the journal's writing: the log was never touched
        else:
            note, mismatch = _finish(real, entry, shown)
            if mismatch is not None:
                return _set_aside(journal, shown, f"a change was interrupted, but {mismatch}")
        journal.unlink()
    except OSError as exc:
        raise WriteError(
            f"{shown}: cannot deal with the journal {journal}: {exc.strerror or exc}; "
            "nothing written"
        ) from None
    return note


def _read_journal(journal: Path, shown: str) -> bytes | None:
    try:
        fd = open_beside(journal, os.O_RDONLY, "the journal", shown)
    except FileNotFoundError:
        return None
    try:
        chunks = []
        while chunk := os.read(fd, _CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def parse_journal(record: bytes) -> Entry | None:
    """The change a journal records; None if it is not a whole journal."""
    header, newline, body = record.partition(b"\n")
    found = _HEADER.fullmatch(header)
    if found is None or not newline:
        return None
    offset, old_length, new_length, dev, ino = (int(f) for f in found.groups()[:5])
    if len(body) != old_length + new_length or b"\0" in body:  # a log's text has no NUL
        return None
    old, new = body[:old_length], body[old_length:]
    return Entry(offset, old, new, dev, ino, found[6].decode())


def cut_short(record: bytes) -> bool:
    """Whether ``record`` is the start of a journal whose writing a crash stopped."""
    header, newline, body = record.rstrip(b"\0").partition(b"\n")
    if not newline:
        rest = header.removeprefix(_MAGIC + b" ")
        return _MAGIC.startswith(header) or (
            rest != header and re.fullmatch(rb"[0-9a-f ]*", rest) is not None
        )
    found = _HEADER.fullmatch(header)
    return found is not None and len(body) < int(found[2]) + int(found[3])


def _finish(real: Path, entry: Entry, shown: str) -> tuple[str | None, str | None]:
    """Finish the change if its bytes are exactly in place: (the note, why it was not)."""
    offset, old, new, dev, ino, before = entry
    fd = os.open(real, os.O_RDWR | NONBLOCK)
    try:
        st = os.fstat(fd)
        size = st.st_size
        if not stat.S_ISREG(st.st_mode) or not offset <= size <= offset + max(len(old), len(new)):
            return None, "the file was written to since (it is not of a size the change leaves)"
        current = read_at(fd, size - offset, offset)
        if current in (old, new):
            return None, None  # never begun, or done: the log is whole either way
        if not torn(current, old, new):
            return None, "the text where it was written is not the change's"
        if (st.st_dev, st.st_ino) != (dev, ino):
            return None, "the file was replaced since"
        if _prefix_sha1(fd, offset) != before:
            return None, "the text before it was edited since"
        write_at(fd, new, offset)
        os.ftruncate(fd, offset + len(new))
        os.fsync(fd)
    finally:
        os.close(fd)
    what = "an append" if not old else "a change"
    return f"chrono: {shown}: finished {what} that was interrupted", None


def torn(current: bytes, old: bytes, new: bytes | bytearray) -> bool:
    """Whether ``current`` is the new tail's start, then the old tail's bytes or zeros."""
    if not min(len(old), len(new)) <= len(current) <= max(len(old), len(new)):
        return False
    done = _common_prefix(current, new)
    rest = current[done:].rstrip(b"\0")  # a power cut can leave a grown file's end zeroed
    return old[done : done + len(rest)] == rest


def _set_aside(journal: Path, shown: str, found: str) -> str:
    """Rename the journal out of the way, keeping it; the note that says so."""
    names = (journal.with_name(f"{journal.name}.{n}") for n in range(1, 10_000))
    aside = next(p for p in names if not os.path.lexists(p))
    journal.rename(aside)
    return (
        f"chrono: {shown}: {found}; the file is left as it is, and the journal set aside as {aside}"
    )


def _prefix_sha1(fd: int, length: int) -> str:
    """The SHA-1 of the first ``length`` bytes of the open file."""

    def chunks() -> Iterator[bytes]:
        at = 0
        while at < length and (chunk := read_at(fd, min(_CHUNK, length - at), at)):
            yield chunk
            at += len(chunk)

    return sha1_hex(chunks())


def _common_prefix(a: bytes, b: bytes | bytearray) -> int:
    """The length of the longest common prefix of ``a`` and ``b``."""
    n = min(len(a), len(b))
    at = 0
    while at < n and a[at : at + _CHUNK] == b[at : at + _CHUNK]:
        at += _CHUNK
    at = min(at, n)
    while at < n and a[at] == b[at]:
        at += 1
    return at


def write_at(fd: int, data: bytes | bytearray, offset: int) -> None:
    view = memoryview(data)
    while view:
        if hasattr(os, "pwrite"):
            done = os.pwrite(fd, view, offset)
        else:  # Windows
            os.lseek(fd, offset, os.SEEK_SET)
            done = os.write(fd, view)
        view = view[done:]
        offset += done


def read_at(fd: int, length: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, length, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # pragma: no cover - Windows
    return os.read(fd, length)
