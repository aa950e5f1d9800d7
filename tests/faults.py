"""Faults injected into a write: a full disk at the n-th write, Ctrl-C at the n-th sync.

A write is an ``os.pwrite`` (the journal, a change at an offset) or an ``os.write`` (an
append, which goes through ``O_APPEND``), counted together in the order they happen.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest


def failing_writes(
    monkeypatch: pytest.MonkeyPatch, fails: Callable[[int], float | None], error: OSError
) -> None:
    """Each write for whose number (from 1) ``fails`` gives a share writes that share of its
    bytes, then raises ``error``; the others (None) are written as asked."""
    real_pwrite, real_write, calls = os.pwrite, os.write, []

    def pwrite(fd: int, data: bytes, offset: int) -> int:
        calls.append(offset)
        share = fails(len(calls))
        if share is not None:
            real_pwrite(fd, bytes(data)[: int(len(data) * share)], offset)  # some reach the disk
            raise error
        return real_pwrite(fd, data, offset)

    def write(fd: int, data: bytes) -> int:
        if fd <= 2:  # the terminal, not the log
            return real_write(fd, data)
        calls.append(None)
        share = fails(len(calls))
        if share is not None:
            real_write(fd, bytes(data)[: int(len(data) * share)])
            raise error
        return real_write(fd, data)

    monkeypatch.setattr("os.pwrite", pwrite)
    monkeypatch.setattr("os.write", write)


def disk_full_at(monkeypatch: pytest.MonkeyPatch, failing: int) -> None:
    """The ``failing``-th write writes half its bytes, then finds the disk full."""
    full = OSError(errno.ENOSPC, "No space left on device")
    failing_writes(monkeypatch, lambda n: 0.5 if n == failing else None, full)


def interrupt_at(monkeypatch: pytest.MonkeyPatch, failing: int) -> None:
    """The ``failing``-th ``os.fsync`` raises KeyboardInterrupt (Ctrl-C) instead."""
    real_fsync, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == failing:
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr("os.fsync", fsync)


def beside(path: Path, kind: str) -> Path:
    """Where chrono keeps the lock (``kind`` "lock") or journal ("append") of the log at
    ``path``, its folder made as chrono makes it."""
    folder = path.parent / ".chrono"
    folder.mkdir(exist_ok=True)
    return folder / f"{path.name}.{kind}"


def crash_journal(path: Path, offset: int, old: bytes, new: bytes) -> Path:
    """The journal a crash leaves beside ``path`` while changing it from ``offset`` on, as the
    file now is (its device, its inode and the SHA-1 of its bytes before ``offset``)."""
    from chrono.storage import journal
    from chrono.storage.fingerprint import sha1_hex

    st = path.stat()
    before = sha1_hex([path.read_bytes()[:offset]])
    entry = journal.Entry(offset, old, new, st.st_dev, st.st_ino, before)
    journal.write_journal(beside(path, "append"), entry, str(path))
    return journal.journal_path(path)
