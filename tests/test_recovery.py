"""After a crash, and around the log: recovery never resurrects or cuts; the files beside the
log (lock, journal) are never followed, waited on or trusted blindly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chrono.storage import journal
from tests.conftest import ROOT, Run
from tests.faults import beside

LOG = b'[chrono]\ntimezone = "UTC"\n\n[[events]]\nid = "talks"\ndate = 2025-12-02\ntitle = "T"\n'
SHA = b"0" * 40

# `chrono add` killed at a chosen moment: after writing the log, before removing the journal
# ("kept"), or by a power cut that left the appended bytes as zeros ("zeros").
CRASH = """
import os, pathlib, sys
from chrono.app.cli import main
path, at = sys.argv[1], sys.argv[2]
real_unlink, real_pwrite, real_write, calls = pathlib.Path.unlink, os.pwrite, os.write, []
def unlink(self, *args, **kwargs):
    if at == "kept" and self.name.endswith(".append"):
        os._exit(9)
    return real_unlink(self, *args, **kwargs)
def zeroed(data):
    calls.append(1)
    return at == "zeros" and len(calls) == 2  # the journal first, then the log
def pwrite(fd, data, offset):
    if zeroed(data):
        real_pwrite(fd, bytes(len(data)), offset)
        os._exit(9)
    return real_pwrite(fd, data, offset)
def write(fd, data):
    if fd > 2 and zeroed(data):
        real_write(fd, bytes(len(data)))
        os._exit(9)
    return real_write(fd, data)
pathlib.Path.unlink, os.pwrite, os.write = unlink, pwrite, write
sys.argv = ["chrono", "add", "-f", path, "Never reported", "--date", "2026", "--id", "ghost"]
main()
"""


def crashed_add(path: Path, at: str) -> None:
    """Run `chrono add` on ``path`` and kill it at ``at``; its journal is left behind."""
    done = subprocess.run(
        [sys.executable, "-c", CRASH, str(path), at], check=False, cwd=ROOT, timeout=60
    )
    assert done.returncode == 9
    assert journal.journal_path(path).exists()


def chrono(*args: str) -> subprocess.CompletedProcess[str]:
    """chrono in a process of its own, which must end within 30 s."""
    return subprocess.run(
        [sys.executable, "-m", "chrono", *args],
        check=False, capture_output=True, text=True, cwd=ROOT, timeout=30,
    )  # fmt: skip


@pytest.mark.parametrize("restore", ["git checkout", "in place"])
def test_an_add_killed_then_the_file_restored_never_comes_back(
    run: Run, tmp_path: Path, restore: str
) -> None:
    """add is killed after writing, before removing its journal; the user restores the log
    (a new file, or the old bytes written in place): the next command leaves it as restored,
    and the event add never reported stays out."""
    path = tmp_path / "events.toml"
    path.write_bytes(LOG)
    crashed_add(path, "kept")
    assert b'id = "ghost"' in path.read_bytes()
    if restore == "git checkout":  # git writes a new file and renames it over
        copy = tmp_path / "events.toml.tmp"
        copy.write_bytes(LOG)
        copy.replace(path)
    else:
        path.write_bytes(LOG)
    result = run("list", "-f", str(path), "--format", "ids")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "talks\n", "")
    assert path.read_bytes() == LOG
    assert not journal.journal_path(path).exists()


def test_a_note_typed_after_a_power_cut_is_never_cut_off(run: Run, tmp_path: Path) -> None:
    """A power cut left the append's bytes as zeros; the user then typed a note at the end:
    recovery leaves every byte, sets the journal aside and says where."""
    path = tmp_path / "events.toml"
    path.write_bytes(LOG)
    crashed_add(path, "zeros")
    assert path.read_bytes().startswith(LOG + b"\0")
    with path.open("ab") as handle:
        handle.write(b"\n# typed by hand after the power cut\n")
    typed = path.read_bytes()
    result = run("list", "-f", str(path), "--format", "ids")
    aside = tmp_path / ".chrono" / "events.toml.append.1"
    assert result.stderr.startswith(
        f"chrono: {path}: a change was interrupted, but the file was written to since (it is "
        f"not of a size the change leaves); the file is left as it is, and the journal set "
        f"aside as {aside}\n"
    )
    assert path.read_bytes() == typed
    assert journal.parse_journal(aside.read_bytes()) is not None
    assert not journal.journal_path(path).exists()


def test_the_zeros_of_a_power_cut_alone_are_finished(run: Run, tmp_path: Path) -> None:
    """The same power cut with nothing typed after it: the append is finished, and said."""
    path = tmp_path / "events.toml"
    path.write_bytes(LOG)
    crashed_add(path, "zeros")
    result = run("list", "-f", str(path), "--format", "ids")
    assert (result.exit_code, result.stdout.split()) == (0, ["talks", "ghost"])
    assert result.stderr == f"chrono: {path}: finished an append that was interrupted\n"


@pytest.mark.parametrize("content", [b"garbage", b"chrono-append 10 x\n", b"\n\n", b"\0x\0"])
def test_a_journal_chrono_cannot_read_is_set_aside_and_said(
    run: Run, tmp_path: Path, content: bytes
) -> None:
    """A journal that is not one chrono wrote: every command still works; the first says it
    set the journal aside, and where; the log is untouched."""
    path = tmp_path / "events.toml"
    path.write_bytes(LOG)
    beside(path, "append").write_bytes(content)
    aside = tmp_path / ".chrono" / "events.toml.append.1"
    result = run("list", "-f", str(path), "--format", "ids")
    assert (result.exit_code, result.stdout) == (0, "talks\n")
    assert result.stderr == (
        f"chrono: {path}: cannot read the journal of a change; the file is left as it is, "
        f"and the journal set aside as {aside}\n"
    )
    assert aside.read_bytes() == content and path.read_bytes() == LOG
    assert run("list", "-f", str(path)).stderr == ""
    beside(path, "append").write_bytes(content)  # a second one goes beside the first
    added = run("add", "-f", str(path), "B", "--date", "2026", "--id", "b")
    assert added.exit_code == 0, added.output
    assert f"set aside as {aside.with_name('events.toml.append.2')}\n" in added.stderr


def _header(offset: int = 7, old: int = 0, new: int = 5, sha: bytes = SHA) -> bytes:
    return b"chrono-journal 1 %d %d %d 1 2 %s\n" % (offset, old, new, sha)


@pytest.mark.parametrize(
    ("record", "kind"),
    [
        (_header() + b"abcde", "whole"),
        (_header(old=2, new=3) + b"abcde", "whole"),
        (b"", "cut short"),
        (b"chrono-jour", "cut short"),
        (b"chrono-journal 1 7 0 5 1", "cut short"),
        (b"chrono-journal 1 7 0 5 1 2 00ab", "cut short"),
        (_header(), "cut short"),
        (_header() + b"abcd", "cut short"),
        (_header() + b"ab\0\0\0", "cut short"),
        (b"\0" * 30, "cut short"),
        (_header() + b"abcdef", "garbage"),
        (_header(sha=b"0" * 39) + b"abcde", "garbage"),
        (_header(sha=b"G" * 40) + b"abcde", "garbage"),
        (_header().replace(b" 1 2 ", b" 1 ") + b"abcde", "garbage"),
        (_header().replace(b" 1 2 ", b" 1 2 3 ") + b"abcde", "garbage"),
        (_header().replace(b"journal 1", b"journal 2") + b"abcde", "garbage"),
        (_header().replace(b" 7 ", b" x "), "garbage"),
        (_header().replace(b" 7 ", b" -7 "), "garbage"),
        (b"chrono-append 7 5\nabcde", "garbage"),
        (b"chrono-journal 1 7 0 5 1 2 xyz", "garbage"),
        (b"chrono-journalx", "garbage"),
        (b"garbage", "garbage"),
        (b"\n" + _header() + b"abcde", "garbage"),
    ],
)
def test_which_journals_are_whole_cut_short_or_garbage(record: bytes, kind: str) -> None:
    """A whole journal gives its change; one a crash cut short (the log then untouched) is
    told apart from one chrono did not write, byte for byte."""
    entry = journal.parse_journal(record)
    assert (entry is not None) == (kind == "whole")
    if entry is not None:
        assert (entry.offset, entry.old + entry.new, entry.dev, entry.ino) == (7, b"abcde", 1, 2)
        assert len(entry.old) == (2 if record.startswith(_header(old=2, new=3)) else 0)
    assert journal.cut_short(record) == (kind == "cut short")


# -- the files beside the log -----------------------------------------------------------------


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "events.toml"
    path.write_bytes(LOG)
    return path


def _refused(path: Path, beside: Path, what: str) -> str:
    return (
        f"chrono: error: {path}: {what} {beside} is not a regular file (a symbolic link, a pipe "
        "or a directory): chrono will not use it; remove it; nothing written\n"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_where_the_journal_goes_blocks_nothing(log: Path) -> None:
    """A FIFO at the journal's path: list answers at once; add refuses in one line naming it;
    the FIFO and the log are left as they are."""
    fifo = beside(log, "append")
    os.mkfifo(fifo)
    listed = chrono("list", "-f", str(log), "--format", "ids")
    assert (listed.returncode, listed.stdout, listed.stderr) == (0, "talks\n", "")
    added = chrono("add", "-f", str(log), "B", "--date", "2026")
    assert (added.returncode, added.stderr) == (1, _refused(log, fifo, "the journal"))
    assert log.read_bytes() == LOG and fifo.is_fifo()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_where_the_lock_goes_is_refused(log: Path) -> None:
    """A FIFO at the lock's path: add refuses in one line naming it, at once; list answers."""
    fifo = beside(log, "lock")
    os.mkfifo(fifo)
    added = chrono("add", "-f", str(log), "B", "--date", "2026")
    assert (added.returncode, added.stderr) == (1, _refused(log, fifo, "the lock file"))
    listed = chrono("list", "-f", str(log), "--format", "ids")
    assert (listed.returncode, listed.stdout) == (0, "talks\n")
    assert log.read_bytes() == LOG


@pytest.mark.parametrize("kind", ["lock", "append"])
def test_a_dangling_symlink_beside_the_log_is_never_followed(log: Path, kind: str) -> None:
    """A dangling symlink at the lock's or the journal's path: add refuses, naming it, and
    never creates the file it points to."""
    link, target = beside(log, kind), log.with_name("elsewhere")
    link.symlink_to(target)
    added = chrono("add", "-f", str(log), "B", "--date", "2026")
    what = "the lock file" if kind == "lock" else "the journal"
    assert (added.returncode, added.stderr) == (1, _refused(log, link, what))
    assert not target.exists() and link.is_symlink()
    assert log.read_bytes() == LOG


def test_the_lock_file_cannot_be_created(run: Run, tmp_path: Path) -> None:
    """The real failure to create the lock file (its name is one byte too long): one line,
    nothing written."""
    path = tmp_path / ("e" * 246 + ".toml")  # 251 bytes: `NAME.lock` is 256, over the limit
    path.write_bytes(LOG)
    result = run("add", "-f", str(path), "B", "--date", "2026")
    assert (result.exit_code, result.stderr) == (
        1,
        f"chrono: error: {path}: cannot create the lock file next to the log: File name too "
        "long; nothing written\n",
    )
    assert path.read_bytes() == LOG


def test_the_log_cannot_be_opened_to_write(run: Run, log: Path) -> None:
    """The real failure to open the log for writing (an immutable file, which even root cannot
    write): one line, nothing written."""
    if subprocess.run(["chattr", "+i", str(log)], check=False, capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        result = run("add", "-f", str(log), "B", "--date", "2026")
    finally:
        subprocess.run(["chattr", "-i", str(log)], check=True)
    assert (result.exit_code, result.stderr) == (
        1,
        f"chrono: error: {log}: cannot write: Operation not permitted; the file is unchanged\n",
    )
    assert log.read_bytes() == LOG
    assert not journal.journal_path(log).exists()


def _entry_for(path: Path, offset: int, old: bytes, new: bytes, **changed: object) -> journal.Entry:
    """The journal entry of a change at ``offset`` of the file as it is, with ``changed``."""
    import hashlib

    st = path.stat()
    before = hashlib.sha1(path.read_bytes()[:offset], usedforsecurity=False).hexdigest()
    entry = journal.Entry(offset, old, new, st.st_dev, st.st_ino, before)
    return entry._replace(**changed)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("tail", "changed", "why"),
    [
        (b"XYZ", {}, "the text where it was written is not the change's"),
        (b"ab\0", {"ino": -1}, "the file was replaced since"),
        (b"ab\0", {"before": "0" * 40}, "the text before it was edited since"),
        (b"abcd", {}, "the file was written to since (it is not of a size the change leaves)"),
    ],
)
def test_recovery_says_which_check_left_the_file_alone(
    tmp_path: Path, tail: bytes, changed: dict[str, object], why: str
) -> None:
    """Each reason recovery has for leaving a torn change alone is the one it gives, and the
    file is not touched."""
    path = tmp_path / "events.toml"
    path.write_bytes(b"# log\n" + tail)
    entry = _entry_for(path, 6, b"", b"abc", **changed)
    assert journal._finish(path, entry, "events.toml") == (None, why)
    assert path.read_bytes() == b"# log\n" + tail


def test_recovery_finishes_a_torn_append_of_a_large_file(tmp_path: Path) -> None:
    """A torn append after more than one chunk of text is finished, byte for byte (the SHA-1
    of the text before it is taken over every chunk)."""
    head = b"# " + b"x" * (3 * (1 << 16) + 5) + b"\n"
    path = tmp_path / "events.toml"
    path.write_bytes(head + b"ab\0")
    entry = _entry_for(path, len(head), b"", b"abc")
    note, why = journal._finish(path, entry, "events.toml")
    assert why is None and note == "chrono: events.toml: finished an append that was interrupted"
    assert path.read_bytes() == head + b"abc"
    edited = _entry_for(path, len(head), b"", b"abc")._replace(before="f" * 40)
    path.write_bytes(head + b"ab\0")
    assert journal._finish(path, edited, "events.toml")[1] == "the text before it was edited since"


@pytest.mark.parametrize("same", [0, 1, 2, (1 << 16) - 1, 1 << 16, (1 << 16) + 1, 140_000])
def test_the_common_prefix_is_found_across_chunks(same: int) -> None:
    """The common start of two tails is measured exactly, within a chunk and across chunks."""
    a = b"x" * same + b"a" + b"y" * 10
    b = b"x" * same + b"b"
    assert journal._common_prefix(a, b) == same
    assert journal._common_prefix(a, a) == len(a)
    assert journal._common_prefix(b"q" + a, a) == 0


def test_a_short_write_goes_on_where_it_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write the system takes a few bytes at a time still puts every byte at its place."""
    real = os.pwrite
    monkeypatch.setattr(os, "pwrite", lambda fd, data, at: real(fd, bytes(data[:3]), at))
    path = tmp_path / "f"
    path.write_bytes(b"0123456789")
    fd = os.open(path, os.O_RDWR)
    try:
        journal.write_at(fd, b"abcdefgh", 1)
    finally:
        os.close(fd)
    assert path.read_bytes() == b"0abcdefgh9"


def test_the_journal_is_private_to_its_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal, which holds the log's text, is created readable by its owner only."""
    modes: list[int] = []
    real = journal.open_beside

    def recorded(path: Path, flags: int, what: str, shown: str, *mode: int) -> int:
        fd = real(path, flags, what, shown, *mode)
        modes.append(os.fstat(fd).st_mode & 0o777)
        return fd

    monkeypatch.setattr(journal, "open_beside", recorded)
    old_mask = os.umask(0)
    try:
        path = tmp_path / "events.toml"
        path.write_bytes(b"# log\n")
        entry = _entry_for(path, 6, b"", b"abc")
        journal.write_journal(beside(path, "append"), entry, "events.toml")
    finally:
        os.umask(old_mask)
    assert modes == [0o600]


def test_a_journal_that_cannot_be_set_aside_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the journal cannot even be moved aside, the error names it and says why in words."""
    from chrono.core.errors import WriteError

    path = tmp_path / "events.toml"
    path.write_bytes(LOG)
    beside(path, "append").write_bytes(b"garbage")

    def refuse(*args: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(journal, "_set_aside", refuse)
    with pytest.raises(WriteError) as raised:
        journal.recover(path, "events.toml")
    assert str(raised.value) == (
        f"events.toml: cannot deal with the journal {journal.journal_path(path)}: "
        "Permission denied; nothing written"
    )
