"""Faults injected into a write: a full disk at the n-th ``pwrite``, Ctrl-C at the n-th sync."""

from __future__ import annotations

import errno
import os

import pytest


def disk_full_at(monkeypatch: pytest.MonkeyPatch, failing: int) -> None:
    """The ``failing``-th ``os.pwrite`` writes half its bytes, then finds the disk full."""
    real_pwrite, calls = os.pwrite, []

    def pwrite(fd: int, data: bytes, offset: int) -> int:
        calls.append(offset)
        if len(calls) == failing:
            real_pwrite(fd, bytes(data)[: len(data) // 2], offset)  # some bytes reach the disk
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_pwrite(fd, data, offset)

    monkeypatch.setattr("os.pwrite", pwrite)


def interrupt_at(monkeypatch: pytest.MonkeyPatch, failing: int) -> None:
    """The ``failing``-th ``os.fsync`` raises KeyboardInterrupt (Ctrl-C) instead."""
    real_fsync, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == failing:
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr("os.fsync", fsync)
