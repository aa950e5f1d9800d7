"""The one write path: appends, replacements and removals as one transaction, and their recovery."""

from __future__ import annotations

import dataclasses
import errno
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from chrono.core.actors import Actor
from chrono.core.errors import WriteError
from chrono.core.model import Event
from chrono.storage import inplace, journal, store, transaction
from chrono.storage.edits import Append, Edit, Remove, Replace
from tests.conftest import ROOT, Run, cache
from tests.faults import crash_journal, disk_full_at, failing_writes, interrupt_at

LOG = """\
# My log, by hand.
[chrono]
timezone = "UTC"

[actors.putin]
name = "Vladimir Putin"   # kept
aliases = ["Putin"]

# about the first talks
[[events]]
title = "Talks"
date  = 2025-12-02
id    = "talks"
actors = ["putin"]

[[events]]
id = "b"
date = "2026-01-01"
summary = \"\"\"
[[events]]
id = "not a table"
\"\"\"
title = "B"


# the last one
[[events]]
id = "c"
date = "2026-02-01"
title = "C"
"""


def write(tmp_path: Path, text: str = LOG, newline: str = "\n") -> Path:
    """The log written to tmp_path/events.toml with the line endings given."""
    path = tmp_path / "events.toml"
    path.write_bytes(text.replace("\n", newline).encode())
    return path


def event(path: Path, event_id: str) -> Event:
    """The event with this id, as the log holds it."""
    found = store.load(path).get(event_id)
    assert found is not None
    return found


def commit(path: Path, edits: list[Edit], **kwargs: bool) -> transaction.Committed:
    """Commit the edits through one transaction."""
    with transaction.begin(path, cache()) as tx:
        return tx.commit(edits, **kwargs)


def edits_of(kind: str, path: Path) -> list[Edit]:
    """One edit of each kind, on the log written by :func:`write`."""
    b = event(path, "b")
    if kind == "append":
        return [Append((dataclasses.replace(b, id="new", title="New", summary=None),))]
    if kind == "replace":
        return [Replace(b, dataclasses.replace(b, title="B, retitled", summary=None))]
    return [Remove(b)]


def expected(kind: str, text: str = LOG, newline: str = "\n") -> bytes:
    """The whole log after the edit of :func:`edits_of`, written out by hand."""
    b_table = text[text.index('[[events]]\nid = "b"') : text.index('title = "B"\n') + 12]
    if kind == "append":
        new = text + '\n[[events]]\nid = "new"\ndate = "2026-01-01"\ntitle = "New"\n'
    elif kind == "replace":
        new = text.replace(
            b_table, '[[events]]\nid = "b"\ndate = "2026-01-01"\ntitle = "B, retitled"\n'
        )
    else:
        new = text.replace(b_table + "\n\n", "")
    return new.replace("\n", newline).encode()


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("kind", ["append", "replace", "remove"])
def test_each_edit_changes_only_its_span(tmp_path: Path, kind: str, newline: str) -> None:
    """Every byte outside the edited table is kept, in the file's own line endings."""
    path = write(tmp_path, newline=newline)
    before = store.load(path)
    done = commit(path, edits_of(kind, path))
    assert path.read_bytes() == expected(kind, newline=newline)
    after = store.load(path)
    assert len(after.events) == len(before.events) + {"append": 1, "replace": 0, "remove": -1}[kind]
    if kind == "replace":
        assert after.get("b") is not None and after.get("b").title == "B, retitled"  # type: ignore[union-attr]
        assert done.text == '[[events]]\nid = "b"\ndate = "2026-01-01"\ntitle = "B, retitled"\n'
    assert not journal.journal_path(path).exists()


def test_many_appends_are_one_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """N events appended in one transaction: one journalled write, all of them read back."""
    path = write(tmp_path)
    b = event(path, "b")
    new = tuple(dataclasses.replace(b, id=f"n{i}", title=f"N{i}", summary=None) for i in range(3))
    writes = []
    real = inplace.write_change
    monkeypatch.setattr(inplace, "write_change", lambda *a, **k: writes.append(a) or real(*a, **k))
    done = commit(path, [Append(new, (Actor("roe", "Jane Roe"),))])
    assert len(writes) == 1
    assert {"n0", "n1", "n2"} <= {e.id for e in store.load(path).events}
    assert path.read_text().endswith(
        '\n[actors.roe]\nname = "Jane Roe"\n\n[[events]]\nid = "n0"\n'
        'date = "2026-01-01"\ntitle = "N0"\n\n[[events]]\nid = "n1"\n'
        'date = "2026-01-01"\ntitle = "N1"\n\n[[events]]\nid = "n2"\n'
        'date = "2026-01-01"\ntitle = "N2"\n'
    )
    assert done.chronology.registry.actors["roe"].name == "Jane Roe"


def test_replace_and_remove_an_actor(tmp_path: Path) -> None:
    """An actor's table is rewritten or taken out; the rest of the file stays."""
    path = write(tmp_path, LOG.replace('actors = ["putin"]\n', ""))
    putin = store.load(path).registry.actors["putin"]
    commit(path, [Replace(putin, dataclasses.replace(putin, aliases=("Putin", "VVP")))])
    text = path.read_text()
    assert '[actors.putin]\nname = "Vladimir Putin"\naliases = ["Putin", "VVP"]\n\n# about' in text
    commit(path, [Remove(store.load(path).registry.actors["putin"])])
    assert path.read_text() == text.replace(
        '[actors.putin]\nname = "Vladimir Putin"\naliases = ["Putin", "VVP"]\n\n', ""
    )


def test_removing_the_last_table_and_a_file_without_a_final_newline(tmp_path: Path) -> None:
    """The last table's span runs to the end of the file, comments above it included."""
    path = write(tmp_path, LOG.rstrip("\n"))
    commit(path, [Remove(event(path, "c"))])
    assert path.read_text() == LOG[: LOG.index("# the last one")]
    path = write(tmp_path, LOG.rstrip("\n"))
    c = event(path, "c")
    commit(path, [Replace(c, dataclasses.replace(c, title="C2"))])
    assert path.read_text().endswith(
        '# the last one\n[[events]]\nid = "c"\ndate = "2026-02-01"\ntitle = "C2"\n'
    )


@pytest.mark.parametrize("kind", ["append", "replace", "remove"])
def test_dry_run_writes_nothing(tmp_path: Path, kind: str) -> None:
    """A dry run verifies the change and returns it, the file untouched."""
    path = write(tmp_path)
    done = commit(path, edits_of(kind, path), dry_run=True)
    assert path.read_text() == LOG
    assert done.chronology.get("b" if kind != "append" else "new") is not None or kind == "remove"


def test_a_change_that_would_not_read_back_writes_nothing(tmp_path: Path) -> None:
    """A replacement giving an event an id another event has fails the check: nothing written."""
    path = write(tmp_path)
    b = event(path, "b")
    with pytest.raises(WriteError, match="nothing written"):
        commit(path, [Replace(b, dataclasses.replace(b, id="c"))])
    with pytest.raises(WriteError, match="cannot find the \\[\\[events\\]\\] table of 'b'"):
        commit(path, [Remove(dataclasses.replace(b, line=3))])
    with pytest.raises(WriteError, match="two edits of the same table"):
        commit(path, [Remove(b), Replace(b, b)])
    with pytest.raises(WriteError, match="an event's table can only become an event's"):
        commit(path, [Replace(b, Actor("b", "B"))])
    assert path.read_text() == LOG


def test_the_log_changed_while_planned_is_refused(tmp_path: Path) -> None:
    """A byte written by another program between the read and the commit: nothing written."""
    path = write(tmp_path)
    with transaction.begin(path, cache()) as tx:
        edits = edits_of("replace", path)
        assert tx.book.line_of("b") is not None
        with path.open("a") as handle:
            handle.write("# meanwhile\n")
        with pytest.raises(WriteError, match="the file changed"):
            tx.commit(edits)
    assert path.read_text() == LOG + "# meanwhile\n"


# -- faults: every kind of change leaves the file as it was --------------------------------


FAULTS = {
    "disk-full-journal": (disk_full_at, 1, WriteError, "No space left on device; the file is"),
    "disk-full-log": (disk_full_at, 2, WriteError, "No space left on device; the file is"),
    "interrupt-journal": (interrupt_at, 1, KeyboardInterrupt, None),
    "interrupt-folder": (interrupt_at, 2, KeyboardInterrupt, None),
    "interrupt-log": (interrupt_at, 3, KeyboardInterrupt, None),
}


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("kind", ["append", "replace", "remove"])
def test_a_fault_leaves_the_log_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, fault: str
) -> None:
    """A full disk at either write, or Ctrl-C at any sync: the old bytes, no journal."""
    inject, failing, raised, message = FAULTS[fault]
    path = write(tmp_path)
    edits = edits_of(kind, path)
    inject(monkeypatch, failing)
    with pytest.raises(raised, match=message):
        commit(path, edits)
    assert path.read_text() == LOG
    assert not journal.journal_path(path).exists()


@pytest.mark.parametrize("kind", ["append", "replace", "remove"])
def test_read_only_symlinked_and_mode(tmp_path: Path, kind: str) -> None:
    """A read-only log is refused; through a symlink the target is edited, its mode kept."""
    real = tmp_path / "real" / "log.toml"
    real.parent.mkdir()
    real.write_text(LOG)
    link = tmp_path / "events.toml"
    link.symlink_to(real)
    real.chmod(0o444)
    with pytest.raises(WriteError, match="the file is read-only; nothing written"):
        commit(link, edits_of(kind, link))
    real.chmod(0o640)
    commit(link, edits_of(kind, link))
    assert link.is_symlink() and real.read_bytes() == expected(kind)
    assert real.stat().st_mode & 0o777 == 0o640


# -- crashes: the journal finishes the change ------------------------------------------------

CRASH = """
import dataclasses, os, sys
from chrono.storage import store, transaction
from chrono.storage.edits import Append, Remove, Replace
from tests.conftest import cache
path, kind, at = sys.argv[1], sys.argv[2], sys.argv[3]
from tests.test_transaction import edits_of
from pathlib import Path
edits = edits_of(kind, Path(path))
real_pwrite, real_write, real_ftruncate, real_fsync = os.pwrite, os.write, os.ftruncate, os.fsync
calls = []
def pwrite(fd, data, offset):
    calls.append(offset)
    if len(calls) == 2 and at == "mid-write":
        real_pwrite(fd, bytes(data)[: len(data) // 2], offset)
        os._exit(9)
    return real_pwrite(fd, data, offset)
def write(fd, data):  # an append: O_APPEND
    if fd > 2:
        calls.append(None)
        if len(calls) == 2 and at == "mid-write":
            real_write(fd, bytes(data)[: len(data) // 2])
            os._exit(9)
    return real_write(fd, data)
def ftruncate(fd, size):
    if at == "before-cut":
        os._exit(9)
    return real_ftruncate(fd, size)
def fsync(fd):
    real_fsync(fd)
    if len(calls) == 2 and at == "after-sync":
        os._exit(9)
os.pwrite, os.write, os.ftruncate, os.fsync = pwrite, write, ftruncate, fsync
with transaction.begin(Path(path), cache()) as tx:
    tx.commit(edits)
"""


@pytest.mark.parametrize("at", ["mid-write", "before-cut", "after-sync"])
@pytest.mark.parametrize("kind", ["append", "replace", "remove"])
def test_a_crash_at_any_step_is_finished_by_recovery(tmp_path: Path, kind: str, at: str) -> None:
    """Killed mid-write, before the cut or after the sync: recovery rolls the change forward."""
    path = write(tmp_path)
    crashed = subprocess.run(
        [sys.executable, "-c", CRASH, str(path), kind, at], check=False, cwd=ROOT
    )
    if at == "before-cut" and kind == "append":  # only a shrinking change cuts the file
        assert crashed.returncode == 0
        assert path.read_bytes() == expected(kind)
        return
    assert crashed.returncode == 9
    assert journal.journal_path(path).exists()
    note = journal.settle(path)
    assert path.read_bytes() == expected(kind)
    assert not journal.journal_path(path).exists()
    what = "an append" if kind == "append" else "a change"
    assert note == (
        None if at == "after-sync" else f"chrono: {path}: finished {what} that was interrupted"
    )


def _journal(path: Path, offset: int, old: bytes, new: bytes) -> None:
    crash_journal(path, offset, old, new)


PREFIX, OLD, NEW = b"[chrono]\n", b'timezone = "UTC"\n# a long old comment\n', b'timezone = "CET"\n'
TAILS = {  # what a crash (or someone after it) can leave from the offset on, and what is done
    "old": (OLD, "whole"),
    "new-start": (NEW[:14] + OLD[14:], "finished"),
    "new-start-zeros": (NEW[:14] + b"\0" * (len(OLD) - 14), "finished"),
    "zeros": (b"\0" * len(NEW), "finished"),
    "new-unshrunk": (NEW + OLD[len(NEW) :], "finished"),
    "new": (NEW, "whole"),
    "edited": (b'timezone = "EST"\n', "set aside"),
    "new-start-then-edited": (NEW[:14] + b"X" + OLD[15:], "set aside"),
    "too-short": (NEW[:14] + b"\0" * 2, "set aside"),
    "too-long": (NEW + OLD[len(NEW) :] + b"\n", "set aside"),
    "shortened": (b"", "set aside"),
}


@pytest.mark.parametrize("tail", list(TAILS))
def test_recovery_rolls_forward_only_a_torn_change(tmp_path: Path, tail: str) -> None:
    """The old tail partly overwritten by the new (or zeroed) is finished; the old or new
    tail whole is left as it is; any other tail is left alone and the journal set aside."""
    on_disk, outcome = TAILS[tail]
    path = tmp_path / "events.toml"
    path.write_bytes(PREFIX + on_disk)
    _journal(path, len(PREFIX), OLD, NEW)
    if tail == "shortened":
        path.write_bytes(PREFIX[:4])
    before = path.read_bytes()
    note = journal.settle(path)
    aside = tmp_path / ".chrono" / "events.toml.append.1"
    assert not journal.journal_path(path).exists()
    if outcome == "finished":
        assert path.read_bytes() == PREFIX + NEW
        assert note == f"chrono: {path}: finished a change that was interrupted"
    else:
        assert path.read_bytes() == before
        assert (note is None) == (outcome == "whole") == (not aside.exists())
    if outcome == "set aside":
        assert note is not None and note.endswith(f"the journal set aside as {aside}")
        assert journal.parse_journal(aside.read_bytes()) is not None  # kept whole


@pytest.mark.parametrize("change", ["replaced", "edited-before", "edited-same-size"])
def test_recovery_never_finishes_a_change_on_another_file(tmp_path: Path, change: str) -> None:
    """A torn change whose file was replaced, or whose text before the offset was edited, even
    keeping its size, is left alone: every byte stays, and the journal is set aside."""
    path = tmp_path / "events.toml"
    path.write_bytes(PREFIX + NEW[:14] + OLD[14:])
    _journal(path, len(PREFIX), OLD, NEW)
    torn = path.read_bytes()
    if change == "replaced":  # `git checkout`, an editor's save: a new file at the path
        copy = tmp_path / "copy.toml"
        copy.write_bytes(torn)
        copy.replace(path)
    else:
        at = 1 if change == "edited-same-size" else 0
        path.write_bytes(torn[:at] + b"#" * (1 - at) + torn[at + 1 - at :].replace(b"c", b"C", 1))
    after = path.read_bytes()
    note = journal.settle(path)
    assert path.read_bytes() == after
    why = "the file was replaced since" if change == "replaced" else "was edited since"
    assert note is not None and why in note and "set aside" in note


def test_recover_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """recover() and settle() return their note and print nothing: the command line says it."""
    path = tmp_path / "events.toml"
    path.write_bytes(b"a = 1\nb =")
    _journal(path, 6, b"", b"b = 2\n")
    with journal.writer_lock(path, str(path)):
        note = journal.recover(path, str(path))
    assert note == f"chrono: {path}: finished an append that was interrupted"
    path.write_bytes(b"a = 1\nb = 2\n\0\0")
    _journal(path, 12, b"", b"c = 3\n")
    assert journal.settle(path) == f"chrono: {path}: finished an append that was interrupted"
    assert capsys.readouterr().err == ""
    assert tomllib.loads(path.read_text()) == {"a": 1, "b": 2, "c": 3}


def test_a_book_from_the_index_plans_a_replacement_and_goes_stale(tmp_path: Path) -> None:
    """With a valid index the book is the index; a write meanwhile makes commit raise Stale,
    and the book is then the log parsed afresh, on which the change can be planned again."""
    from chrono.storage import index

    path = write(tmp_path)
    chronology, fp, newlines = store.load_for_index(path)
    index.build(path, cache().folder, fp, chronology, newlines)
    with transaction.begin(path, cache()) as tx:
        b = tx.book.get("b")
        assert type(tx.book).__name__ == "IndexBook" and b is not None and b.line == 16
        assert tx.book.get("tal") is None  # an exact id, not a prefix
        with path.open("a") as handle:
            handle.write("# meanwhile\n")
        edit = Replace(b, dataclasses.replace(b, title="B, retitled", summary=None))
        with pytest.raises(transaction.Stale, match="the file changed while writing"):
            tx.commit([edit])
        assert path.read_text() == LOG + "# meanwhile\n"
        again = tx.book.get("b")
        assert type(tx.book).__name__ == "Chronology" and again is not None
        tx.commit([Replace(again, edit.new)])
    assert path.read_bytes() == expected("replace") + b"# meanwhile\n"


@pytest.mark.parametrize("kind", ["append", "replace", "remove"])
def test_a_failed_undo_keeps_the_journal_to_finish_the_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """The write (half of it written) and putting the old text back both fail: the journal
    stays and finishes it (an append's undo is a cut, with nothing to write: it leaves the
    log as it was)."""
    path = write(tmp_path)
    edits = edits_of(kind, path)
    eio = OSError(errno.EIO, "Input/output error")
    failing_writes(monkeypatch, lambda n: None if n < 2 else 0.5 if n == 2 else 0.0, eio)
    if kind == "append":
        with pytest.raises(WriteError, match="Input/output error; the file is unchanged"):
            commit(path, edits)
        assert path.read_text() == LOG and not journal.journal_path(path).exists()
        return
    with pytest.raises(WriteError, match="nor put the old text back; the next chrono command"):
        commit(path, edits)
    monkeypatch.undo()
    assert journal.journal_path(path).exists()
    assert journal.settle(path) is not None
    assert path.read_bytes() == expected(kind)


def test_the_common_prefix_of_long_tails() -> None:
    """Tails longer than a chunk are compared chunk by chunk, then byte by byte."""
    long = b"x" * 200_000
    assert journal._common_prefix(long + b"ab", long + b"ac") == 200_001
    assert journal._common_prefix(long, long[:5] + b"y") == 5
    assert journal._common_prefix(long, long + b"z") == 200_000


def test_a_tail_changed_in_place_is_not_written_over(tmp_path: Path) -> None:
    """The old tail must still be on disk, byte for byte, not merely of the same size."""
    path = tmp_path / "events.toml"
    path.write_bytes(b"a = 1\nb = 2\n")
    with pytest.raises(WriteError, match="the file changed while writing; nothing written"):
        inplace.write_change(
            path, 6, b"b = 3\n", b"b = 4\n", str(path), planned=store.stat_of(path, ""), before=""
        )
    assert path.read_bytes() == b"a = 1\nb = 2\n"
    assert not journal.journal_path(path).exists()


@pytest.mark.parametrize(
    "command",
    [
        ("list", "--format", "ids"),
        ("show", "crash-proof"),
        ("export", "json"),
        ("actors",),
        ("check",),
        ("add", "Later", "--date", "2026-05-01"),
    ],
)
def test_every_command_finishes_a_change_a_crash_interrupted_and_says_so(
    run: Run, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """A journal left by a crash is finished before a command reads the log, and said once."""
    path = tmp_path / "events.toml"
    head = b'[[events]]\nid = "first"\ndate = "2026-01-01"\ntitle = "First"\n'
    added = b'\n[[events]]\nid = "crash-proof"\ndate = "2026-02-01"\ntitle = "Kept"\n'
    path.write_bytes(head + added[:9])  # the crash cut the append short
    _journal(path, len(head), b"", added)
    result = run(*command, "-f", str(path))
    note = f"chrono: {path}: finished an append that was interrupted\n"
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(note) and result.stderr.count("interrupted") == 1
    assert path.read_bytes().startswith(head + added)
    assert not journal.journal_path(path).exists()
