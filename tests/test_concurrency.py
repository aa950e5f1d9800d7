"""Other programs writing the log while chrono adds to it: `>>`, editors renaming a copy over it."""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from chrono.storage import journal, store
from chrono.storage.fingerprint import sha1_hex
from tests.conftest import Run

LOG = '[chrono]\ntimezone = "UTC"\n\n[[events]]\nid = "a"\ndate = 2026-01-01\ntitle = "A"\n'
EVENT_B = '\n[[events]]\nid = "b"\ndate = "2026"\ntitle = "B"\n'
LINE = "# appended by a script\n"


def add_b(run: Run, path: Path) -> tuple[int, str]:
    """`chrono add B --id b` on path: the exit code and stderr."""
    result = run("add", "-f", str(path), "B", "--date", "2026", "--id", "b")
    return result.exit_code, result.stderr


def _is_log(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), path.stat())
    except OSError:
        return False


def before_the_log_is_written(
    monkeypatch: pytest.MonkeyPatch, path: Path, action: Callable[[int], None]
) -> list[int]:
    """Run ``action(n)`` just before chrono's n-th write to the log (after its journal is
    synced, its size checked); returns the list of writes seen, to count them."""
    real_pwrite, real_write, seen = os.pwrite, os.write, []

    def pwrite(fd: int, data: bytes, offset: int) -> int:
        if _is_log(fd, path):
            seen.append(offset)
            action(len(seen))
        return real_pwrite(fd, data, offset)

    def write(fd: int, data: bytes) -> int:
        if fd > 2 and _is_log(fd, path):
            seen.append(-1)
            action(len(seen))
        return real_write(fd, data)

    monkeypatch.setattr("os.pwrite", pwrite)
    monkeypatch.setattr("os.write", write)
    return seen


def append_line(path: Path, text: str = LINE) -> None:
    """`echo ... >> events.toml` from another program."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def rename_copy_over(path: Path, extra: str = "# saved by an editor\n") -> None:
    """What an editor does on save: read the log, write its copy, rename the copy over it."""
    copy = path.with_name(".events.toml.swp")
    copy.write_bytes(path.read_bytes() + extra.encode())
    copy.replace(path)


def test_a_line_appended_just_before_the_write_is_never_written_over(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`>>` between chrono's last check and its write: the line stays whole, and the event is
    added after it (planned again on the file with the line)."""
    path = tmp_path / "events.toml"
    path.write_text(LOG)
    seen = before_the_log_is_written(monkeypatch, path, lambda n: n == 1 and append_line(path))
    assert add_b(run, path) == (0, f"chrono: added 'b' to {path}\n")
    assert path.read_text() == LOG + LINE + EVENT_B
    assert len(seen) == 2  # the first write was taken back, the second planned afresh
    assert [e["id"] for e in tomllib.loads(path.read_text())["events"]] == ["a", "b"]


def test_module_level_an_append_that_landed_after_another_programs_bytes_is_taken_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """write_change: the bytes land after the line (O_APPEND), are cut back, and Changed says
    to plan again; the line is kept, no journal is left."""
    from chrono.storage import inplace

    path = tmp_path / "events.toml"
    path.write_text(LOG)
    planned, before = store.stat_of(path, ""), sha1_hex([LOG.encode()])
    before_the_log_is_written(monkeypatch, path, lambda n: append_line(path))
    from chrono.storage.locking import writer_lock

    with (
        writer_lock(path, "log"),  # a change is always written under the lock
        pytest.raises(inplace.Changed, match="the file changed while adding; nothing written"),
    ):
        inplace.write_change(
            path, len(LOG), b"", EVENT_B.encode(), "log", planned=planned, before=before
        )
    assert path.read_text() == LOG + LINE
    assert not journal.journal_path(path).exists()


def test_a_copy_renamed_over_the_log_meanwhile_gets_the_event(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor renames its copy over the log while chrono appends: the event went to the old
    file; chrono sees the path names another file, takes it back, and adds it to the new one."""
    path = tmp_path / "events.toml"
    path.write_text(LOG)
    old = path.open("rb")  # the file chrono first writes to, as the editor leaves it
    before_the_log_is_written(monkeypatch, path, lambda n: n == 1 and rename_copy_over(path))
    assert add_b(run, path) == (0, f"chrono: added 'b' to {path}\n")
    assert path.read_text() == LOG + "# saved by an editor\n" + EVENT_B
    assert old.read() == LOG.encode()  # taken back from the file the editor replaced
    old.close()


def test_an_editors_copy_that_already_holds_the_event_is_not_added_to_twice(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The editor read the log after the event was written, then renamed its copy over it:
    the event is there once, and add says it was added."""
    path = tmp_path / "events.toml"
    path.write_text(LOG)
    real_fsync, syncs = os.fsync, []

    def fsync(fd: int) -> None:
        real_fsync(fd)
        if _is_log(fd, path) and not syncs:
            syncs.append(fd)
            rename_copy_over(path)  # the copy holds the event just written

    monkeypatch.setattr("os.fsync", fsync)
    assert add_b(run, path) == (0, f"chrono: added 'b' to {path}\n")
    assert path.read_text() == LOG + EVENT_B + "# saved by an editor\n"
    assert [e["id"] for e in tomllib.loads(path.read_text())["events"]] == ["a", "b"]


def test_add_plans_again_while_another_program_keeps_appending(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line appended before each of chrono's first five writes: the sixth plan is written;
    every line is kept."""
    path = tmp_path / "events.toml"
    path.write_text(LOG)
    lines = [f"# line {n}\n" for n in range(1, 6)]
    seen = before_the_log_is_written(
        monkeypatch, path, lambda n: n <= 5 and append_line(path, lines[n - 1])
    )
    assert add_b(run, path) == (0, f"chrono: added 'b' to {path}\n")
    assert path.read_text() == LOG + "".join(lines) + EVENT_B
    assert len(seen) == 6


FOREIGN = {  # what another program appends: lines chrono writes after at once, or a table
    "comments": lambda n: f"# {n}\n",
    "events": lambda n: f'\n[[events]]\nid = "f{n}"\ndate = 2026-01-01\ntitle = "F"\n',
}


@pytest.mark.parametrize("foreign", list(FOREIGN))
def test_add_gives_up_after_a_bounded_number_of_writes(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, foreign: str
) -> None:
    """A program appending before every write (comments, written after at once; or tables,
    planned again): add gives up after 20 writes, adding nothing and keeping every line."""
    from chrono.storage import transaction

    path = tmp_path / "events.toml"
    path.write_text(LOG)
    text = FOREIGN[foreign]

    def meanwhile(n: int) -> None:
        if n > 50:  # far past the bound: stop here rather than loop for ever
            raise KeyboardInterrupt
        append_line(path, text(n))

    seen = before_the_log_is_written(monkeypatch, path, meanwhile)
    assert add_b(run, path) == (1, f"chrono: error: {path}: the file changed while adding; "
                                   "nothing written\n")  # fmt: skip
    assert len(seen) == transaction.WRITES == 20
    assert path.read_text() == LOG + "".join(text(n) for n in range(1, 21))
    assert not journal.journal_path(path).exists()


@pytest.mark.parametrize("warm", [False, True], ids=["parsed", "index warm"])
@pytest.mark.parametrize(
    ("foreign", "plans"), [(LINE, 1), (EVENT_B.replace('"b"', '"f"'), 2)], ids=["comment", "table"]
)
def test_an_append_between_the_plan_and_the_write(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warm: bool, foreign: str, plans: int
) -> None:
    """Something appended after the event was planned, before chrono opened the log to write:
    comment lines are written after at once, a table makes add plan again (on the index or
    the parsed log); the event is added after it either way."""
    from chrono.storage import transaction

    path = tmp_path / "events.toml"
    path.write_text(LOG)
    if warm:
        assert run("list", "-f", str(path)).exit_code == 0  # builds the index
    real_commit, commits = transaction.Transaction.commit, []

    def commit(self: transaction.Transaction, *args: object, **kwargs: bool) -> object:
        commits.append(type(self.book).__name__)
        if len(commits) == 1:
            append_line(path, foreign)
        return real_commit(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(transaction.Transaction, "commit", commit)
    result = run("add", "-f", str(path), "B", "--date", "2026", "--id", "b", "--format", "json")
    assert (result.exit_code, result.stderr) == (0, f"chrono: added 'b' to {path}\n")
    assert path.read_text() == LOG + foreign + EVENT_B
    first = "IndexBook" if warm else "Chronology"
    assert commits == [first, "Chronology"][:plans]
    listed = run("list", "-f", str(path), "--format", "json")
    assert sorted(e["id"] for e in json.loads(listed.stdout)) == ["a", "b", "f"][: plans + 1]


@pytest.mark.parametrize(
    ("added", "only"),
    [
        (b"# a note\n", True),
        (b"\n\n", True),
        (b"  \t# indented\r\n\t\n", True),
        (b"# one\n# two\n", True),
        (b"# no newline yet", False),
        (b"", False),
        (b"x = 1\n", False),
        (b"[[events]]\n", False),
        (b"# a\x01b\n", False),
        (b"# a\rb\n", False),
        (b"# \xff\n", False),
        (b"# ok\n#\x7f\n", False),
    ],
)
def test_which_appended_bytes_are_only_comments(added: bytes, only: bool) -> None:
    """Whole lines, each blank or a comment TOML accepts, and nothing else."""
    from chrono.storage.appending import only_comments

    assert only_comments(added) is only


def test_comments_appended_meanwhile_leave_the_added_event_on_its_own_line(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log without a final newline, then a note appended while chrono writes: the event is
    written after the note with the separator the note's end asks for, and reads back."""
    path = tmp_path / "events.toml"
    path.write_text(LOG.rstrip("\n"))
    before_the_log_is_written(monkeypatch, path, lambda n: n == 1 and append_line(path, "\n"))
    assert add_b(run, path)[0] == 0
    assert path.read_text() == LOG + EVENT_B  # one newline appended: one more, then the table
    assert [e["id"] for e in tomllib.loads(path.read_text())["events"]] == ["a", "b"]


def test_comments_appended_after_an_edit_in_place_make_add_plan_again(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log's text before the append edited in place (an id changed, the size kept) and a
    comment appended: not written after at once, but planned again, which sees the id taken."""
    path = tmp_path / "events.toml"
    path.write_text(LOG)

    def meanwhile(n: int) -> None:
        if n == 1:
            path.write_text(LOG.replace('id = "a"', 'id = "b"') + LINE)

    seen = before_the_log_is_written(monkeypatch, path, meanwhile)
    code, err = add_b(run, path)
    assert (code, len(seen)) == (2, 1)
    assert "'b' is already used by the event at line 4" in err
    assert path.read_text() == LOG.replace('id = "a"', 'id = "b"') + LINE


@pytest.mark.parametrize("warm", [False, True], ids=["parsed", "index warm"])
def test_an_event_written_after_comments_has_the_line_it_is_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warm: bool
) -> None:
    """Written after three comment lines appended meanwhile, the event's line is counted after
    them, on the parsed log and through the index alike."""
    from chrono.storage import transaction
    from chrono.storage.edits import Append
    from tests.conftest import cache

    path = tmp_path / "events.toml"
    path.write_text(LOG)
    if warm:
        from chrono.storage import index

        chronology, fp, newlines = store.load_for_index(path)
        index.build(path, cache().folder, fp, chronology, newlines)
    notes = "# one\n# two\n\n"
    before_the_log_is_written(monkeypatch, path, lambda n: n == 1 and append_line(path, notes))
    with transaction.begin(path, cache()) as tx:
        a = tx.book.get("a")
        assert a is not None
        b = dataclasses.replace(a, id="b", title="B", line=0)
        assert type(tx.book).__name__ == ("IndexBook" if warm else "Chronology")
        done = tx.commit([Append(events=(b,))])
    assert (
        path.read_text() == LOG + notes + '[[events]]\nid = "b"\ndate = "2026-01-01"\ntitle = "B"\n'
    )
    assert done.chronology.line_of("b") == store.load(path).line_of("b") == 11
