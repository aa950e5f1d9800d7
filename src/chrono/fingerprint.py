"""The identity of a log's exact bytes: size, mtime and inode, and the SHA-1 of its content.

The derived index is trusted only for the bytes it was built from. Stat data alone misses
an edit of the same size within one mtime tick (git's "racy index" problem) or one made by
a tool that restores the mtime, so the content is always hashed too. Hashing a 40 MB log
takes ~25 ms; :class:`Hashing` does it in a background thread while chrono loads the rest
of what a query needs (``hashlib`` hashes without holding the GIL).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

CHUNK = 1 << 20


class Fingerprint(NamedTuple):
    """The identity and content hash of the exact bytes of a log."""

    size: int
    mtime_ns: int
    inode: int
    digest: str


def sha1_hex(chunks: Iterable[bytes], stop: threading.Event | None = None) -> str | None:
    """The SHA-1 of the bytes, in hex; None when ``stop`` is set before the end."""
    import hashlib  # noqa: PLC0415 - loads OpenSSL: in the hashing thread, not at start-up

    digest = hashlib.sha1(usedforsecurity=False)
    for chunk in chunks:
        if stop is not None and stop.is_set():
            return None
        digest.update(chunk)
    return digest.hexdigest()


def fingerprint(path: Path, stop: threading.Event | None = None) -> Fingerprint | None:
    """Stat the log and hash its content in chunks (never holding it all in memory).

    None when ``stop`` is set before the whole file is hashed.
    """
    with path.open("rb") as handle:
        before = os.fstat(handle.fileno())
        digest = sha1_hex(iter(lambda: handle.read(CHUNK), b""), stop)
    if digest is None:
        return None
    return Fingerprint(before.st_size, before.st_mtime_ns, before.st_ino, digest)


def fingerprint_of(path: Path, data: bytes) -> Fingerprint:
    """The fingerprint of bytes just read from (or written to) ``path``."""
    st = path.stat()
    return Fingerprint(st.st_size, st.st_mtime_ns, st.st_ino, sha1_hex([data]) or "")


class Hashing:
    """The fingerprint of a log, computed in a background thread from the moment it is made."""

    def __init__(
        self, path: Path, data: bytes | None = None, stat: tuple[int, int, int] | None = None
    ) -> None:
        self.path = path
        self._data = data  # bytes already read from path, with their stat: hash these
        self._stat = stat
        self.digest: Any = None  # the SHA-1 object of the data, for appends to continue
        self._stop = threading.Event()
        self._result: Fingerprint | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="chrono-hash", daemon=True)
        # The thread retakes the GIL after every chunk; by default it would wait up to 5 ms
        # each time for the main thread (busy importing) to let go of it.
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._interval, 0.0002))
        self._thread.start()

    def _run(self) -> None:
        try:
            if self._data is None or self._stat is None:
                self._result = fingerprint(self.path, self._stop)
                return
            import hashlib  # noqa: PLC0415

            self.digest = hashlib.sha1(usedforsecurity=False)
            self.digest.update(self._data)  # one call: the GIL is let go for all of it
            self._result = Fingerprint(*self._stat, self.digest.hexdigest())
        except BaseException as exc:
            self._error = exc

    def _join(self) -> None:
        self._thread.join()
        sys.setswitchinterval(self._interval)

    def result(self) -> Fingerprint:
        """Wait for the hash; the exception the hashing raised, if any."""
        self._join()
        if self._error is not None:
            raise self._error
        if self._result is None:
            raise RuntimeError("hashing was cancelled")
        return self._result

    def cancel(self) -> None:
        """Stop hashing (the answer is not needed) and wait for the thread to end."""
        self._stop.set()
        self._join()
