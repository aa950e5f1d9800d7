"""Appended text read back, slice by slice: for a large batch, in a forked child that parses
each slice while this process writes the next (a second core does the parse), else here,
one after another.

Either way each slice is parsed on its own and must hold exactly what it was written from,
or nothing is written. The child answers with a digest of what it parsed (SHA-1 of its
``repr``), which must equal the digest of what was expected: ``repr`` tells apart any two
different values of the kinds a table holds, so a match is an exact match (a false
mismatch only refuses the write). A child that cannot start, or dies, refuses the write.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import struct
import threading
from collections.abc import Iterator
from typing import Any

from chrono.core.errors import LogError, WriteError
from chrono.storage import files

PARALLEL = 20_000  # events from which the slices are read back in a child, on two cores
_FRAME = struct.Struct(">Q")


def parse_slice(text: str, shown: str) -> dict[str, Any]:
    """One slice parsed; a :class:`WriteError` saying why when it is no TOML."""
    try:
        return files.parse_toml(text, shown)
    except LogError as exc:
        raise WriteError(
            f"{shown}: appending would break the file ({exc.diagnostics[0].message}); "
            "nothing written"
        ) from None


class ReadBack:
    """Slices checked as they are given (:meth:`check`), all answered by :meth:`finish`."""

    def __init__(self, shown: str, unread: WriteError, parallel: bool) -> None:
        self.shown, self.unread = shown, unread
        self.digests: list[bytes] = []
        self.child: int | None = None
        if parallel and _can_fork():
            self._fork()

    def _fork(self) -> None:
        down_r, down_w = os.pipe()
        up_r, up_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: it reads, parses and answers, then ends itself
            status = 1
            try:
                os.close(down_w)
                os.close(up_r)
                _serve(down_r, up_w, self.shown)
                status = 0
            finally:
                os._exit(status)
        os.close(down_r)
        os.close(up_w)
        self.child, self.down, self.up = pid, down_w, up_r

    def check(self, text: str, expected: dict[str, Any]) -> None:
        """Read ``text`` back: now, or in the child (answered by :meth:`finish`)."""
        if self.child is None:
            if parse_slice(text, self.shown) != expected:
                raise self.unread
            return
        self.digests.append(_digest(expected))
        _send(self.down, text.encode("utf-8"))

    def finish(self) -> None:
        """Every slice given to the child answered, each as expected; else the error."""
        if self.child is None:
            return
        child, self.child = self.child, None
        try:
            _send(self.down, b"")
            os.close(self.down)
            answers = _read_all(self.up)
        finally:
            os.close(self.up)
            os.waitpid(child, 0)
        for expected in self.digests:
            if not answers.startswith(b"\x00"):
                said = answers[1:].decode("utf-8", "replace") if answers.startswith(b"\x01") else ""
                raise WriteError(said or f"{self.shown}: the appended text could not be read "
                                 "back; nothing written")  # fmt: skip
            if answers[1:21] != expected:
                raise self.unread
            answers = answers[21:]

    def close(self) -> None:
        """End a child that is still running (the batch failed before :meth:`finish`)."""
        if self.child is not None:
            child, self.child = self.child, None
            with contextlib.suppress(OSError):
                os.close(self.down)
                os.close(self.up)
            with contextlib.suppress(OSError):
                os.kill(child, 9)
                os.waitpid(child, 0)


@contextlib.contextmanager
def reading_back(shown: str, unread: WriteError, parallel: bool) -> Iterator[ReadBack]:
    """A :class:`ReadBack`, its child ended whatever happens."""
    reader = ReadBack(shown, unread, parallel)
    try:
        yield reader
        reader.finish()
    finally:
        reader.close()


def _can_fork() -> bool:
    """A second core, and no other thread that a fork could catch holding a lock."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


def _digest(value: Any) -> bytes:
    return hashlib.sha1(repr(value).encode("utf-8"), usedforsecurity=False).digest()


def _send(fd: int, payload: bytes) -> None:
    _write_all(fd, _FRAME.pack(len(payload)) + payload)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int) -> bytes | None:
    parts, left = [], size
    while left:
        part = os.read(fd, min(left, 1 << 20))
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _read_all(fd: int) -> bytes:
    parts = []
    while part := os.read(fd, 1 << 16):
        parts.append(part)
    return b"".join(parts)


def _serve(down: int, up: int, shown: str) -> None:
    """The child: slices read as they come (a thread drains the pipe, so the writer never
    waits on it), each parsed and answered with its digest or the error."""
    slices: queue.Queue[bytes | None] = queue.Queue()

    def drain() -> None:
        while (head := _read_exactly(down, _FRAME.size)) is not None:
            (size,) = _FRAME.unpack(head)
            payload = _read_exactly(down, size) if size else None
            slices.put(payload)
            if payload is None:
                return
        slices.put(None)

    threading.Thread(target=drain, daemon=True).start()
    while (payload := slices.get()) is not None:
        try:
            answer = b"\x00" + _digest(parse_slice(payload.decode("utf-8"), shown))
        except WriteError as exc:
            answer = b"\x01" + str(exc).encode("utf-8")
        _write_all(up, answer)
        if answer.startswith(b"\x01"):
            return


__all__ = ["PARALLEL", "ReadBack", "parse_slice", "reading_back"]
