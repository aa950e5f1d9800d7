"""The identity of a log's exact bytes: size, mtime and inode, and the SHA-1 of its content.

The derived index is trusted only for the bytes it was built from. Stat data alone misses
an edit of the same size within one mtime tick (git's "racy index" problem) or one made by
a tool that restores the mtime, so the content is always hashed too. Reading and hashing
a 40 MB log takes ~30 ms; :class:`Hashing` does it in a background thread while chrono
loads the rest of what a command needs (reads and ``hashlib`` let go of the GIL).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

CHUNK = 1 << 22  # 4 MiB: larger is slower (cache), smaller waits more often for the GIL
MARK = 1 << 20  # a writer's hash marks its SHA-1 every MiB (and reads a MiB at a time)
HEAD = 1 << 16  # the log's start kept from the first chunk, to find its line endings


class Fingerprint(NamedTuple):
    """The identity and content hash of the exact bytes of a log."""

    size: int
    mtime_ns: int
    inode: int
    digest: str


def sha1_hex(chunks: Iterable[bytes | bytearray]) -> str:
    """The SHA-1 of the bytes, in hex."""
    import hashlib  # noqa: PLC0415 - loads OpenSSL: in the hashing thread, not at start-up

    digest = hashlib.sha1(usedforsecurity=False)
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def identity(st: os.stat_result) -> tuple[int, int, int, int]:
    """What a write to a file changes: size, mtime, inode, and ctime, which no tool sets back."""
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns


class Marks(NamedTuple):
    """The SHA-1 of a log as it stood every :data:`MARK` bytes of the hash (a writer's), so
    that the hash of any prefix, or of the whole from any mark on, costs at most the bytes
    read after that mark (:meth:`before`)."""

    marks: tuple[tuple[int, Any], ...]  # (offset, the SHA-1 of the bytes before it), in order

    def before(self, offset: int) -> tuple[int, Any]:
        """The last mark at or before ``offset``: its offset, and a copy of its SHA-1."""
        start, digest = max((m for m in self.marks if m[0] <= offset), key=lambda m: m[0])
        return start, digest.copy()


class Hashed(NamedTuple):
    """A log read once and hashed: its fingerprint, the SHA-1 object, and its two ends."""

    fingerprint: Fingerprint
    sha1: Any  # hashlib's object, for an append to continue from
    head: bytes  # the first 64 KiB
    tail: bytes  # the last four bytes
    identity: tuple[int, int, int, int]  # of the file when it was opened to be read
    marks: Marks | None = None  # when a writer asked for them


def hash_file(path: Path, stop: threading.Event | None = None, keep: bool = False) -> Hashed | None:
    """Stat the log and hash its content in chunks (never holding it all in memory); with
    ``keep``, for a writer, the SHA-1 is marked every :data:`MARK` bytes (:class:`Marks`).

    None when ``stop`` is set before the whole file is hashed. The chunks are read into
    one reused buffer, large enough that the thread seldom needs the GIL back.
    """
    import hashlib  # noqa: PLC0415
    import stat  # noqa: PLC0415

    if not stat.S_ISREG(path.stat().st_mode):  # reading a pipe would take its data away
        raise ValueError(f"{path}: not a regular file")
    digest = hashlib.sha1(usedforsecurity=False)
    marks: list[tuple[int, Any]] = []
    step = MARK if keep else CHUNK
    with path.open("rb", buffering=0) as handle:
        before = os.fstat(handle.fileno())
        buffer = bytearray(max(1, min(step, before.st_size + 1)))
        view = memoryview(buffer)
        head = tail = b""
        at = 0
        while size := handle.readinto(buffer):
            if stop is not None and stop.is_set():
                return None
            if keep:
                marks.append((at, digest.copy()))
                at += size
            digest.update(view[:size])
            head = head or bytes(view[: min(size, HEAD)])
            tail = (tail + view[max(0, size - 4) : size])[-4:]
    fp = Fingerprint(before.st_size, before.st_mtime_ns, before.st_ino, digest.hexdigest())
    marked = Marks((*marks, (at, digest.copy()))) if keep else None
    return Hashed(fp, digest, head, tail, identity(before), marked)


def fingerprint(path: Path, stop: threading.Event | None = None) -> Fingerprint | None:
    """The fingerprint of the log as it is now; None when ``stop`` is set before the end."""
    hashed = hash_file(path, stop)
    return hashed.fingerprint if hashed is not None else None


def fingerprint_of(path: Path, data: bytes) -> Fingerprint:
    """The fingerprint of bytes just read from (or written to) ``path``."""
    st = path.stat()
    return Fingerprint(st.st_size, st.st_mtime_ns, st.st_ino, sha1_hex([data]))


_switching = {"threads": 0, "interval": 0.0}
_switching_lock = threading.Lock()


def _quick_switching(change: int) -> None:
    """While any hashing thread runs, the interpreter switches threads every 50 µs.

    A hashing thread retakes the GIL after every chunk; by default it would wait up to
    5 ms each time for the main thread (busy importing) to let go of it. The interval
    in force before the first thread started is put back when the last one ends.
    """
    with _switching_lock:
        if change > 0 and _switching["threads"] == 0:
            _switching["interval"] = sys.getswitchinterval()
            sys.setswitchinterval(min(_switching["interval"], 0.00005))
        _switching["threads"] += change
        if change < 0 and _switching["threads"] == 0:
            sys.setswitchinterval(_switching["interval"])


class Hashing:
    """The fingerprint of a log, computed in a background thread from the moment it is made."""

    def __init__(self, path: Path, keep: bool = False) -> None:
        self.path = path
        self.keep = keep  # a writer's: the SHA-1 marked as it goes (:class:`Marks`)
        self._stop = threading.Event()
        self._result: Hashed | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="chrono-hash", daemon=True)
        self._joined = False
        self._thread.start()
        _quick_switching(+1)

    def _run(self) -> None:
        try:
            self._result = hash_file(self.path, self._stop, self.keep)
        except BaseException as exc:
            self._error = exc

    def _join(self) -> None:
        self._thread.join()
        if not self._joined:
            self._joined = True
            _quick_switching(-1)

    def hashed(self) -> Hashed:
        """Wait for the hash; the exception the hashing raised, if any."""
        self._join()
        if self._error is not None:
            raise self._error
        if self._result is None:
            raise RuntimeError("hashing was cancelled")
        return self._result

    def result(self) -> Fingerprint:
        """Wait for the fingerprint; the exception the hashing raised, if any."""
        return self.hashed().fingerprint

    def cancel(self) -> None:
        """Stop hashing (the answer is not needed) and wait for the thread to end."""
        self._stop.set()
        self._join()


_early: list[Hashing] = []


def hash_early(path: Path, keep: bool = False) -> None:
    """Start hashing ``path`` ahead of need, for :func:`take_early` to hand over (``keep``:
    for a writer, see :class:`Marks`)."""
    _early.append(Hashing(path, keep))


def take_early(path: Path) -> Hashing | None:
    """The hashing of ``path`` (a resolved path) that :func:`hash_early` started, once."""
    for hashing in _early:
        if hashing.path == path:
            _early.remove(hashing)
            return hashing
    return None


def cancel_early() -> None:
    """Stop the hashing started early that nothing took."""
    while _early:
        _early.pop().cancel()
