"""Hashing the log in a background thread: cancel() stops the thread, never half a hash."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from chrono.storage import fingerprint


def test_cancel_stops_the_hashing_and_waits_for_its_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hash that runs until told to stop: cancel() tells it, waits for the thread to end,
    and then there is no fingerprint, only the error that says it was cancelled."""
    log = tmp_path / "events.toml"
    log.write_bytes(b"a = 1\n")
    started, stopped = threading.Event(), []

    def hash_file(
        path: Path, stop: threading.Event | None = None, keep: bool = False
    ) -> fingerprint.Hashed | None:
        started.set()
        assert stop is not None
        stopped.append(stop.wait(timeout=20))  # False only if nobody ever asks it to stop
        if stopped[-1]:
            return None  # as the real one does when stopped before the end
        return fingerprint.Hashed(fingerprint.Fingerprint(6, 0, 0, "x"), None, b"", b"", (0,) * 4)

    monkeypatch.setattr(fingerprint, "hash_file", hash_file)
    hashing = fingerprint.Hashing(log)
    assert started.wait(timeout=20)
    hashing.cancel()
    assert stopped == [True]  # told to stop, and cancel() returned only once it had
    assert not hashing._thread.is_alive()
    with pytest.raises(RuntimeError, match="hashing was cancelled"):
        hashing.result()
    assert sys.getswitchinterval() == pytest.approx(0.005)  # the default is back


def test_a_cancelled_hash_of_a_real_log_is_never_half_a_hash(tmp_path: Path) -> None:
    """Cancelled at once, a hash of a 12 MiB log gives either the whole fingerprint or none."""
    log = tmp_path / "events.toml"
    log.write_bytes(b"# x\n" * (3 * fingerprint.CHUNK // 4))
    hashing = fingerprint.Hashing(log)
    hashing.cancel()
    assert not hashing._thread.is_alive()
    try:
        got = hashing.result()
    except RuntimeError:
        got = None
    assert got in (None, fingerprint.fingerprint(log))
