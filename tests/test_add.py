"""`chrono add` and `chrono init`: appending safely, never losing a byte of the log."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import textwrap
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chrono.storage import store
from tests.conftest import ROOT, Run
from tests.faults import beside, crash_journal, disk_full_at, interrupt_at

HAND_WRITTEN = """\
# My log — hand-written, with comments that must survive.
[chrono]
timezone = 'Europe/Berlin'   # literal string, odd spacing

[actors.putin]
name    = "Vladimir Putin"
aliases = [ "Putin",
            "Wladimir Putin" ]   # aligned by hand

[[events]]
title = "Talks"        # key order is mine
date  = 2025-12-02
id    = "talks"
actors = ["Putin"]


# trailing comment, two blank lines above"""


def add(run: Run, path: Path, *args: str) -> tuple[int, str, str]:
    """Run `chrono add` on path; return exit code, stdout and stderr."""
    result = run("add", "-f", str(path), *args)
    return result.exit_code, result.stdout, result.stderr


def temp_files(folder: Path) -> list[str]:
    """Leftovers of a write: temporary files and append journals."""
    found = [*folder.iterdir(), *((folder / ".chrono").glob("*"))]
    return sorted(p.name for p in found if p.name.endswith((".tmp", ".append")))


def test_append_keeps_every_existing_byte(run: Run, tmp_path: Path) -> None:
    """The old text is a byte-for-byte prefix of the new; the event reads back."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN, newline="")
    before = path.read_bytes()
    code, out, err = add(run, path, "Second talks", "--date", "2026-01", "-a", "wladimir putin")
    assert (code, out, err) == (
        0,
        "2026-01-second-talks\n",
        "chrono: actor 'wladimir putin' is Vladimir Putin (putin)\n"
        f"chrono: added '2026-01-second-talks' to {path}\n",
    )
    after = path.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :].decode() == (
        "\n\n"
        "[[events]]\n"
        'id = "2026-01-second-talks"\n'
        'date = "2026-01"\n'
        'title = "Second talks"\n'
        'actors = ["putin"]\n'
    )
    assert run("check", "--strict", "-f", str(path)).exit_code == 0


@pytest.mark.parametrize(
    ("original", "separator"),
    [
        (b'[[events]]\nid = "a"\ndate = 2025-01-01\ntitle = "A"\n', b"\n"),
        (b'[[events]]\nid = "a"\ndate = 2025-01-01\ntitle = "A"\n\n', b""),
        (b'[[events]]\nid = "a"\ndate = 2025-01-01\ntitle = "A"', b"\n\n"),
        (b'[[events]]\nid = "a"\ndate = 2025-01-01\ntitle = "A"\n# the end', b"\n\n"),
        (b'\xef\xbb\xbf[[events]]\r\nid = "a"\r\ndate = 2025-01-01\r\ntitle = "A"\r\n', b"\r\n"),
        (b"", b""),
        (b"# only a comment\n", b"\n"),
    ],
    ids=["newline", "blank-line", "no-newline", "ends-in-comment", "bom-crlf", "empty", "comment"],
)
def test_separators_and_line_endings(
    run: Run, tmp_path: Path, original: bytes, separator: bytes
) -> None:
    """Files ending oddly get a proper separator; CRLF files get CRLF; the BOM stays."""
    path = tmp_path / "events.toml"
    path.write_bytes(original)
    assert add(run, path, "B", "--date", "2026-01-02", "--id", "b")[0] == 0
    after = path.read_bytes()
    newline = b"\r\n" if b"\r\n" in original else b"\n"
    block = b'[[events]]\nid = "b"\ndate = "2026-01-02"\ntitle = "B"\n'.replace(b"\n", newline)
    assert after == original + separator + block
    ids = [e.id for e in store.load(path).events]
    assert ids[-1] == "b"


def test_dry_run_prints_the_block_and_changes_nothing(run: Run, tmp_path: Path) -> None:
    """--dry-run: the exact TOML on stdout, the file untouched."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    before = path.read_bytes()
    result = run(
        "add",
        "-f",
        str(path),
        'Say "hi" \\ [bold]',
        "--date",
        "2026-01-23T22:30+03:00",
        "-t",
        "a",
        "-t",
        "b",
        "--summary",
        "two\nlines",
        "--source",
        "https://x.org",
        "--dry-run",
    )
    assert result.exit_code == 0
    assert result.stdout == textwrap.dedent(
        """\
        [[events]]
        id = "2026-01-23-say-hi-bold"
        date = "2026-01-23T22:30+03:00"
        title = "Say \\"hi\\" \\\\ [bold]"
        summary = "two\\nlines"
        tags = ["a", "b"]
        sources = ["https://x.org"]
        """
    )
    assert result.stderr == "chrono: dry run: nothing written\n"
    assert path.read_bytes() == before


def test_dry_run_with_format_json_prints_the_event_as_it_would_be(run: Run, tmp_path: Path) -> None:
    """--dry-run --format json: the record the event would have, the file untouched."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    result = run("add", "-f", str(path), "Planned", "--date", "2026-02", "-a", "Putin",
                 "--dry-run", "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert (record["id"], record["date"], record["title"]) == (
        "2026-02-planned",
        "2026-02",
        "Planned",
    )
    assert [a["key"] for a in record["actors"]] == ["putin"]
    assert result.stderr == (
        "chrono: actor 'Putin' is Vladimir Putin (putin)\nchrono: dry run: nothing written\n"
    )
    assert path.read_text() == HAND_WRITTEN


def test_dry_run_on_a_warm_index_changes_nothing(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--dry-run on a log whose index is valid (the event planned through the index): the
    block on stdout, the file and the index untouched; a real add then writes that block."""
    from chrono.storage import index

    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    assert run("list", "-f", str(path)).exit_code == 0  # builds the index
    before = path.read_bytes()
    appended = []
    real_append = index.append
    monkeypatch.setattr(index, "append", lambda *a: appended.append(a) or real_append(*a))
    dry = run("add", "-f", str(path), "B", "--date", "2026", "--id", "b", "--dry-run")
    assert (dry.exit_code, dry.stderr) == (0, "chrono: dry run: nothing written\n")
    assert dry.stdout == '[[events]]\nid = "b"\ndate = "2026"\ntitle = "B"\n'
    assert path.read_bytes() == before and appended == []
    assert add(run, path, "B", "--date", "2026", "--id", "b")[0] == 0
    assert path.read_bytes() == before + b"\n\n" + dry.stdout.encode()
    assert len(appended) == 1  # the real add went through the index too


def test_format_json_prints_the_stored_event(run: Run, tmp_path: Path) -> None:
    """--format json: the event as stored, with precision and canonical actors."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    result = run(
        "add", "-f", str(path), "Summit", "--date", "Dez 2025~", "-a", "putin", "--format", "json"
    )
    record = json.loads(result.stdout)
    assert (record["id"], record["date"], record["date_precision"], record["date_qualifier"]) == (
        "2025-12-summit",
        "2025-12",
        "month",
        "approximate",
    )
    assert record["actors"] == [{"key": "putin", "name": "Vladimir Putin"}]


@pytest.mark.parametrize(
    ("date", "stored"),
    [
        ("today", "2026-11-25"),
        ("23. Januar 2026", "2026-01-23"),
        ("2026-01", "2026-01"),
        ("2025-12~", "2025-12~"),
        ("2026-01-23T22:30+03:00", "2026-01-23T22:30+03:00"),
        ("January 2026", "2026-01"),
        ("3 days ago", "2026-11-22"),
    ],
)
def test_date_keeps_the_precision_given(run: Run, tmp_path: Path, date: str, stored: str) -> None:
    """Every input form of the date parser is accepted and stored at its precision."""
    path = tmp_path / "events.toml"
    path.write_text("")
    assert add(run, path, "T", "--date", date, "--id", "t")[0] == 0
    assert tomllib.loads(path.read_text())["events"][0]["date"] == stored


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("X", "--date", "last week"),
            "chrono: error: --date: 'last week' is a period, not a date: give a day, a month "
            "or a year (and --end for a span)\n",
        ),
        (
            ("X", "--date", "02/12/2025"),
            "chrono: error: --date: ambiguous date '02/12/2025': write 2025-12-02 or "
            "2.12.2025 for 2 December 2025, 2025-02-12 or 12.2.2025 for 12 February 2025\n",
        ),
        (
            ("X", "--date", "2026-02", "--end", "2026-01"),
            "chrono: error: --end 2026-01 is before --date 2026-02\n",
        ),
        (
            ("X", "--date", "2026", "-a", "Putn"),
            "chrono: error: --actor: 'Putn' is not in the registry; did you mean "
            "'Vladimir Putin' (putin)? (--new-actor adds it as free text; with --register, "
            "to the registry too)\n",
        ),
        (
            ("X", "--date", "2026", "--id", "talks"),
            "chrono: error: --id: 'talks' is already used by the event at line 10\n",
        ),
        (
            ("X", "--date", "2026", "--id", "two words"),
            "chrono: error: --id: must be non-empty and contain no spaces\n",
        ),
        (("  ", "--date", "2026"), "chrono: error: the title is empty\n"),
        (
            ("two\nlines", "--date", "2026"),
            "chrono: error: the title must be one line (put details in --summary)\n",
        ),
        (
            ("X",),
            "chrono: error: --date is required (for example --date today or --date 2026-01)\n",
        ),
        (
            ("--date", "2026"),
            'chrono: error: a title is required: chrono add "Title" --date DATE ...\n',
        ),
        (
            ("X", "--date", "2026", "--register"),
            "chrono: error: --register goes with --new-actor\n",
        ),
    ],
)
def test_refusals_change_nothing(
    run: Run, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    """Bad input: one line on stderr, exit 2, the file byte-for-byte as before, no prompt."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    before = path.read_bytes()
    code, out, err = add(run, path, *args)
    assert (code, out, err) == (2, "", message)
    assert path.read_bytes() == before


def test_new_actor_as_free_text_or_registered(run: Run, tmp_path: Path) -> None:
    """--new-actor stores free text; with --register an [actors.<key>] table is appended too."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    assert add(run, path, "A", "--date", "2026", "-a", "Jane Roe", "--new-actor")[0] == 0
    assert tomllib.loads(path.read_text())["events"][-1]["actors"] == ["Jane Roe"]
    assert (
        add(
            run,
            path,
            "B",
            "--date",
            "2026",
            "-a",
            "Jane Roe",
            "-a",
            "Putin",
            "--new-actor",
            "--register",
        )[0]
        == 0
    )
    doc = tomllib.loads(path.read_text())
    assert doc["actors"]["jane-roe"] == {"name": "Jane Roe"}
    assert doc["events"][-1]["actors"] == ["jane-roe", "putin"]
    assert path.read_text().endswith(
        '[actors.jane-roe]\nname = "Jane Roe"\n\n[[events]]\nid = "2026-b"\ndate = "2026"\n'
        'title = "B"\nactors = ["jane-roe", "putin"]\n'
    )


def test_a_cyrillic_title_and_actor_get_readable_ids(run: Run, tmp_path: Path) -> None:
    """The id of a Cyrillic title, and the key of a Cyrillic actor, are romanised."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    args = ("--date", "2026-01-02", "-a", "Ушаков", "-a", "Юрий Ушаков-мл", "--new-actor")
    code, out, err = add(run, path, "Встреча в Кремле", *args, "--register")
    assert (code, out) == (0, "2026-01-02-vstrecha-v-kremle\n"), err
    doc = tomllib.loads(path.read_text())
    assert doc["actors"]["yuriy-ushakov-ml"] == {"name": "Юрий Ушаков-мл"}
    assert doc["events"][-1]["title"] == "Встреча в Кремле"


def test_generated_ids_are_unique(run: Run, tmp_path: Path) -> None:
    """The same date and title twice: the second id gets a suffix."""
    path = tmp_path / "events.toml"
    path.write_text("")
    outs = [add(run, path, "Same", "--date", "2026-01-01")[1] for _ in range(3)]
    assert outs == ["2026-01-01-same\n", "2026-01-01-same-2\n", "2026-01-01-same-3\n"]


def test_a_broken_log_is_refused(run: Run, tmp_path: Path) -> None:
    """A log with an error is not appended to; the usual FILE:LINE:COL message, exit 1."""
    path = tmp_path / "events.toml"
    path.write_text('[[events]]\nid = "a"\ndate = "2025-02-30"\ntitle = "A"\n')
    before = path.read_bytes()
    code, _, err = add(run, path, "B", "--date", "2026")
    assert code == 1
    assert err == (
        f"{path}:3:8: error: event #1 ('a'): 'date': no such day: February 2025 has 28 days, "
        "not 30 ('2025-02-30')\n"
    )
    assert path.read_bytes() == before


def test_missing_log(run: Run, tmp_path: Path) -> None:
    """Adding to a file that does not exist says how to create one."""
    path = tmp_path / "nope.toml"
    code, _, err = add(run, path, "B", "--date", "2026")
    assert code == 1
    assert err == f"chrono: error: {path}: no such file (create one with 'chrono init')\n"
    assert list(tmp_path.iterdir()) == []  # no lock file left beside it


def test_a_directory_is_not_a_log(run: Run, tmp_path: Path) -> None:
    """Adding to a directory says so, and leaves nothing beside it."""
    path = tmp_path / "logs"
    path.mkdir()
    code, _, err = add(run, path, "B", "--date", "2026")
    assert code == 1
    assert err == f"chrono: error: {path}: is a directory, not an event log; nothing written\n"
    assert [p.name for p in tmp_path.iterdir()] == ["logs"]


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A named pipe. Should chrono open it to read, a writer unblocks it after 3 s: a failure,
    not a hung test run."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    path = tmp_path / "pipe"
    os.mkfifo(path)
    done = threading.Event()

    def unblock() -> None:
        if done.wait(3):
            return
        while not done.is_set():
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # nobody reading yet
                done.wait(0.05)
                continue
            os.write(fd, b"x = = 1\n")
            os.close(fd)
            return

    writer = threading.Thread(target=unblock, daemon=True)
    writer.start()
    yield path
    done.set()
    writer.join()


PIPE_REFUSED = (
    "is not a regular file (a pipe or a device); add appends only to an event log file; "
    "nothing written\n"
)


def test_a_pipe_is_not_a_log(run: Run, fifo: Path) -> None:
    """`add -f <(...)` names a pipe: add says it appends only to a file, and waits for nobody."""
    code, _, err = add(run, fifo, "B", "--date", "2026")
    assert (code, err) == (1, f"chrono: error: {fifo}: {PIPE_REFUSED}")
    assert [p.name for p in fifo.parent.iterdir()] == ["pipe"]


def test_a_pipe_is_refused_before_the_questions(
    run: Run, fifo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interactive add on a pipe says so at once, without reading it or asking anything."""
    monkeypatch.setattr("chrono.app.commands.add.stdin_is_tty", lambda: True)
    result = run("add", "-f", str(fifo), input="Title\n")
    assert (result.exit_code, result.stderr) == (1, f"chrono: error: {fifo}: {PIPE_REFUSED}")
    assert "Title" not in result.stdout


@pytest.mark.parametrize("warm", [False, True], ids=["parsed", "index warm"])
@pytest.mark.parametrize(
    "events", ['events = [{id = "a", date = 2025-01-01, title = "A"}]', "events = []"]
)
def test_inline_events_array_cannot_be_appended_to(
    run: Run, tmp_path: Path, events: str, warm: bool
) -> None:
    """A log written as `events = [...]`, even empty, would break: refused, nothing written."""
    path = tmp_path / "events.toml"
    path.write_text(f'{events}\n\n[chrono]\ntimezone = "UTC"\n')
    if warm:
        assert run("list", "-f", str(path)).exit_code == 0  # indexes the log
    before = path.read_bytes()
    code, _, err = add(run, path, "B", "--date", "2026")
    assert code == 1
    assert "appending would break the file" in err
    assert "nothing written" in err
    assert path.read_bytes() == before


def test_a_line_appended_by_another_program_meanwhile_is_kept(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program appends while add syncs its journal: add writes nothing over it, plans
    the event again after that line, and adds it."""
    from chrono.storage import inplace

    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    real_write_journal, journals = inplace.write_journal, []

    def write_journal(*args: object) -> None:
        real_write_journal(*args)  # type: ignore[arg-type]
        journals.append(args)
        if len(journals) == 1:
            with path.open("a") as handle:  # `echo ... >> events.toml` from another shell
                handle.write("# appended by a script\n")

    monkeypatch.setattr(inplace, "write_journal", write_journal)
    code, _, err = add(run, path, "B", "--date", "2026", "--id", "b")
    assert (code, err, len(journals)) == (0, f"chrono: added 'b' to {path}\n", 2)
    assert path.read_text() == (
        HAND_WRITTEN + "# appended by a script\n\n"
        '[[events]]\nid = "b"\ndate = "2026"\ntitle = "B"\n'
    )
    assert temp_files(tmp_path) == []


def test_a_failed_append_is_not_cut_back_over_another_programs_line(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails after another program appended keeps that line, and says so."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    real_write = os.write

    def write(fd: int, data: bytes) -> int:
        if fd <= 2:
            return real_write(fd, data)
        real_write(fd, data)  # the event, appended
        with path.open("a") as handle:  # `echo ... >> events.toml` from another shell
            handle.write("# appended by a script\n")
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr("os.write", write)
    code, _, err = add(run, path, "B", "--date", "2026")
    assert (code, err) == (
        1,
        f"chrono: error: {path}: cannot write: Input/output error; another program appended "
        "to the file meanwhile, so it was not cut back: run 'chrono check'\n",
    )
    assert path.read_text().endswith("# appended by a script\n")
    assert temp_files(tmp_path) == []


# -- atomicity and failure ---------------------------------------------------------------


def _enospc(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("failing", [1, 2], ids=["journal", "log"])
def test_disk_full_leaves_the_original_intact(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    """ENOSPC writing the journal, or half-way through the log: exit 1, the log as it was."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    before = path.read_bytes()
    disk_full_at(monkeypatch, failing)
    code, _, err = add(run, path, "B", "--date", "2026")
    assert code == 1
    assert (
        err
        == f"chrono: error: {path}: cannot write: No space left on device; the file is unchanged\n"
    )
    assert path.read_bytes() == before
    assert temp_files(tmp_path) == []


@pytest.mark.parametrize("failing", [1, 2, 3], ids=["journal", "folder", "log"])
def test_interrupt_mid_write_leaves_the_original_intact(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    """A KeyboardInterrupt at any sync of an append: the log as it was, no journal, exit 130."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    before = path.read_bytes()
    interrupt_at(monkeypatch, failing)
    result = run("add", "-f", str(path), "B", "--date", "2026")
    assert result.exit_code == 130
    assert path.read_bytes() == before
    assert temp_files(tmp_path) == []


CRASH = """
import os, sys
from chrono.app.cli import main
real_write = os.write
def write(fd, data):
    if fd > 2:  # the log (O_APPEND): half the bytes, then the power goes
        real_write(fd, bytes(data)[: len(data) // 2])
        os._exit(9)
    return real_write(fd, data)
os.write = write
sys.argv = ["chrono", "add", "-f", sys.argv[1], "B", "--date", "2026", "--id", "b"]
main()
"""


def test_a_crash_mid_append_is_finished_by_the_next_command(run: Run, tmp_path: Path) -> None:
    """Killed half-way through writing: the next command completes the append from the journal."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    before = path.read_bytes()
    crashed = subprocess.run([sys.executable, "-c", CRASH, str(path)], check=False, cwd=ROOT)
    assert crashed.returncode == 9
    torn = path.read_bytes()
    assert torn.startswith(before) and len(torn) > len(before)
    assert temp_files(tmp_path) == ["events.toml.append"]
    result = run("list", "-f", str(path), "--format", "ids")
    assert (result.exit_code, result.stdout.split()[-1]) == (0, "b")
    assert result.stderr == f"chrono: {path}: finished an append that was interrupted\n"
    assert path.read_bytes().startswith(before)
    assert tomllib.loads(path.read_text())["events"][-1]["id"] == "b"
    assert temp_files(tmp_path) == []
    assert add(run, path, "C", "--date", "2026", "--id", "c")[0] == 0  # and life goes on


@pytest.mark.parametrize(
    ("tail", "outcome"),
    [
        ("none", "whole"),
        ("zeros", "finished"),
        ("half", "finished"),
        ("all", "whole"),
        ("zeros-then-a-note", "set aside"),
        ("half-then-a-note", "set aside"),
        ("edited", "set aside"),
        ("shortened", "set aside"),
    ],
)
def test_recovery_touches_only_what_the_journal_describes(
    tmp_path: Path, tail: str, outcome: str
) -> None:
    """Finish an append whose tail is zeroed or half-written; leave a log that holds none of
    it or all of it; leave every byte of any other tail (a note typed after a power cut)."""
    from chrono.storage import journal

    path = tmp_path / "events.toml"
    old = HAND_WRITTEN.encode()
    added = b'\n[[events]]\nid = "b"\ndate = "2026"\ntitle = "B"\n'
    note = b"\n# typed by hand\n"
    on_disk = {
        "none": old,
        "zeros": old + b"\0" * len(added),
        "half": old + added[:15],
        "all": old + added,
        "zeros-then-a-note": old + b"\0" * 9 + note,
        "half-then-a-note": old + added[:15] + note,
        "edited": old + b"# fixed by hand after the crash\n",
        "shortened": old[:-10],
    }[tail]
    path.write_bytes(old)
    crash_journal(path, len(old), b"", added)
    path.write_bytes(on_disk)
    told = journal.settle(path)
    assert path.read_bytes() == (old + added if outcome == "finished" else on_disk)
    assert not journal.journal_path(path).exists()
    assert ("set aside" in (told or "")) == (outcome == "set aside")
    assert (tmp_path / ".chrono" / "events.toml.append.1").exists() == (outcome == "set aside")


@pytest.mark.parametrize("cached", [True, False], ids=["index", "no-cache"])
def test_add_finishes_an_interrupted_append_first_and_says_so(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    """A journal left by a crash: add finishes that append, says so once, then adds its own."""

    if not cached:
        monkeypatch.setenv("CHRONO_NO_CACHE", "1")
    path = tmp_path / "events.toml"
    old = HAND_WRITTEN.encode()
    added = b'\n\n[[events]]\nid = "b"\ndate = "2026"\ntitle = "B"\n'
    path.write_bytes(old + added[:12])  # the crash cut the append short
    crash_journal(path, len(old), b"", added)
    code, out, err = add(run, path, "C", "--date", "2026", "--id", "c")
    assert (code, out) == (0, "c\n")
    assert err == (
        f"chrono: {path}: finished an append that was interrupted\nchrono: added 'c' to {path}\n"
    )
    assert [e["id"] for e in tomllib.loads(path.read_text())["events"]] == ["talks", "b", "c"]
    assert temp_files(tmp_path) == []


def test_a_journal_cut_short_is_dropped(tmp_path: Path) -> None:
    """A journal the crash cut short means the log was never touched: it is removed, no more."""
    from chrono.storage import journal

    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    whole = crash_journal(path, 10, b"", b"\n[[events]]\nid = 'b'\n").read_bytes()
    for cut in (0, 5, len(b"chrono-journal 1 1"), whole.index(b"\n") + 3):
        beside(path, "append").write_bytes(whole[:cut] + b"\0" * (cut % 3))
        assert journal.settle(path) is None
        assert path.read_text() == HAND_WRITTEN
        assert sorted(p.name for p in tmp_path.iterdir()) == [".chrono", "events.toml"]


def test_mode_is_kept(run: Run, tmp_path: Path) -> None:
    """The file's permission bits survive the replace."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    path.chmod(0o640)
    assert add(run, path, "B", "--date", "2026")[0] == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_symlink_is_followed_and_kept(run: Run, tmp_path: Path) -> None:
    """Adding through a symlink writes its target; the link stays a link."""
    real = tmp_path / "real" / "log.toml"
    real.parent.mkdir()
    real.write_text(HAND_WRITTEN)
    link = tmp_path / "events.toml"
    link.symlink_to(real)
    assert add(run, link, "B", "--date", "2026", "--id", "b")[0] == 0
    assert link.is_symlink()
    assert tomllib.loads(real.read_text())["events"][-1]["id"] == "b"
    assert temp_files(real.parent) == []


def test_read_only_file_is_refused(run: Run, tmp_path: Path) -> None:
    """A read-only log: clear error, nothing written (even for root)."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    path.chmod(0o444)
    code, _, err = add(run, path, "B", "--date", "2026")
    assert code == 1
    assert err == f"chrono: error: {path}: the file is read-only; nothing written\n"
    assert path.read_text() == HAND_WRITTEN


def test_unwritable_directory_is_refused(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No permission to create the journal next to the log: clear error, nothing written."""
    from chrono.storage import inplace

    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(inplace, "write_journal", denied)
    code, _, err = add(run, path, "B", "--date", "2026")
    assert code == 1
    assert err == f"chrono: error: {path}: cannot write: Permission denied; the file is unchanged\n"
    assert path.read_text() == HAND_WRITTEN


WORKER = """
import sys
from typer.testing import CliRunner
from chrono.app.cli import app
path, worker = sys.argv[1], sys.argv[2]
runner = CliRunner()
for i in range(50):
    result = runner.invoke(app, ["add", "-f", path, f"Event {worker}-{i}", "--date", "2026-01-23"])
    assert result.exit_code == 0, result.output
"""


def test_concurrent_appends_lose_nothing(tmp_path: Path) -> None:
    """8 processes x 50 appends: 400 events, unique ids, a valid file, the prefix intact."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    before = path.read_bytes()
    env = {**os.environ, "CHRONO_TODAY": "2026-11-25"}
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(path), str(n)], env=env, cwd=ROOT)
        for n in range(8)
    ]
    assert [w.wait(timeout=300) for w in workers] == [0] * 8
    assert path.read_bytes().startswith(before)
    events = store.load(path).events
    assert len(events) == 401
    assert len({e.id for e in events}) == 401
    titles = {e.title for e in events}
    assert {f"Event {w}-{i}" for w in range(8) for i in range(50)} <= titles
    assert temp_files(tmp_path) == []


# -- round trip -------------------------------------------------------------------------

_plain = st.characters(blacklist_categories=["Cs", "Cc"])  # control characters are refused
texts = st.text(st.one_of(_plain, st.just("\t")), min_size=1, max_size=60)
lines = st.text(st.one_of(_plain, st.sampled_from("\t\n\r")), min_size=1, max_size=60)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=texts.filter(
        lambda t: t.strip() and not t.startswith("-") and "\n" not in t and "\r" not in t
    ),
    summary=lines,
    tags=st.lists(texts, max_size=4),
)
def test_round_trip_any_text(
    run: Run, tmp_path: Path, title: str, summary: str, tags: list[str]
) -> None:
    """Any title, summary and tags appended, then loaded, come back exactly."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    tag_args = [arg for tag in tags for arg in ("-t", tag)]
    args = ["add", "-f", str(path), "--date", "2026-01-23", "--summary", summary, *tag_args]
    result = run(*args, "--", title)
    assert result.exit_code == 0, result.output
    event = store.load(path).events[-1]
    assert (event.title, event.summary, list(event.tags)) == (title, summary, tags)


# -- prompting ----------------------------------------------------------------------------


def test_prompts_on_a_terminal(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no title on a TTY, chrono asks for each field, with today as the default date."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    monkeypatch.setattr("chrono.app.commands.add.stdin_is_tty", lambda: True)
    answers = "Asked talks\n\n\nputin\nMoscow\nukraine, talks\nmeeting\nA summary\n\n"
    result = run("add", "-f", str(path), input=answers)
    assert result.exit_code == 0, result.output
    raw = tomllib.loads(path.read_text())["events"][-1]
    assert raw == {
        "id": "2026-11-25-asked-talks",
        "date": "2026-11-25",
        "title": "Asked talks",
        "summary": "A summary",
        "actors": ["putin"],
        "location": "Moscow",
        "tags": ["ukraine", "talks"],
        "kind": "meeting",
    }


def test_an_unknown_actor_is_asked_again_at_once(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A misspelt actor is refused when typed, with suggestions, and asked again."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    monkeypatch.setattr("chrono.app.commands.add.stdin_is_tty", lambda: True)
    answers = "Asked talks\n2026-01-02\n\nPutn\nn\nputin\n\n\n\n\n\n"
    result = run("add", "-f", str(path), input=answers)
    assert result.exit_code == 0, result.output
    assert (
        "'Putn' is not in the registry; did you mean 'Vladimir Putin' (putin)?\n" in result.stderr
    )
    assert result.stderr.index("not in the registry") < result.stderr.index("Location")
    assert tomllib.loads(path.read_text())["events"][-1]["actors"] == ["putin"]


def test_an_unknown_actor_can_be_kept_as_a_new_one(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answering yes keeps a name the registry does not know, as free text."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    monkeypatch.setattr("chrono.app.commands.add.stdin_is_tty", lambda: True)
    answers = "Asked talks\n2026-01-02\n\nJane Roe, Putin\ny\n\n\n\n\n\n"
    result = run("add", "-f", str(path), input=answers)
    assert result.exit_code == 0, result.output
    assert tomllib.loads(path.read_text())["events"][-1]["actors"] == ["Jane Roe", "putin"]


def test_each_unknown_actor_is_asked_about_on_its_own(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keeping one unknown name as new does not let a second, misspelt one through."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    monkeypatch.setattr("chrono.app.commands.add.stdin_is_tty", lambda: True)
    answers = "T\n2026-01-02\n\nJane Roe, Putn\ny\nn\nJane Roe, Putin\n\n\n\n\n\n"
    result = run("add", "-f", str(path), input=answers)
    assert result.exit_code == 0, result.output
    assert "Keep 'Jane Roe' as a new actor?" in result.stderr
    assert "Keep 'Putn' as a new actor?" in result.stderr
    assert tomllib.loads(path.read_text())["events"][-1]["actors"] == ["Jane Roe", "putin"]


def test_a_bad_date_option_is_refused_before_the_questions(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`chrono add --date bogus` with no title: the date is refused before any question."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    monkeypatch.setattr("chrono.app.commands.add.stdin_is_tty", lambda: True)
    result = run("add", "-f", str(path), "--date", "bogus", input="T\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("chrono: error: --date: cannot read the date 'bogus'")
    assert "Title" not in result.stdout


def test_an_end_before_the_start_is_asked_again_at_once(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The end date is checked against the start as soon as it is typed."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    monkeypatch.setattr("chrono.app.commands.add.stdin_is_tty", lambda: True)
    answers = "Span\n2026-01-10\n2026-01-05\n2026-01-12\n\n\n\n\n\n\n"
    result = run("add", "-f", str(path), input=answers)
    assert result.exit_code == 0, result.output
    assert "  2026-01-05 is before 2026-01-10\n" in result.stderr
    event = tomllib.loads(path.read_text())["events"][-1]
    assert (event["date"], event["end"]) == ("2026-01-10", "2026-01-12")


def test_sources_are_asked_one_a_line_so_commas_stay(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A citation with commas is one source; a blank line ends the list."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    monkeypatch.setattr("chrono.app.commands.add.stdin_is_tty", lambda: True)
    cite = "TASS, 23 Jan 2026 (German text)"
    answers = f"Cited\n2026-01-02\n\n\n\n\n\n\n{cite}\nhttps://example.org/a\n   \n"
    result = run("add", "-f", str(path), input=answers)
    assert result.exit_code == 0, result.output
    sources = tomllib.loads(path.read_text())["events"][-1]["sources"]
    assert sources == [cite, "https://example.org/a"]


def test_ctrl_d_in_a_prompt_adds_nothing(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Input ending mid-way (Ctrl-D) writes nothing and says so; Ctrl-C would end with 130."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    monkeypatch.setattr("chrono.app.commands.add.stdin_is_tty", lambda: True)
    result = run("add", "-f", str(path), input="Half\n")
    assert (result.exit_code, result.stdout) == (1, "")  # the questions go to stderr
    assert result.stderr == "Title: Date [today]: \nchrono: nothing added\n"
    assert path.read_text() == HAND_WRITTEN


def test_prompting_on_a_broken_log_stops_before_the_questions(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log that does not load is reported before the first question, not after the last."""
    path = tmp_path / "events.toml"
    path.write_text("x = = 1\n")
    monkeypatch.setattr("chrono.app.commands.add.stdin_is_tty", lambda: True)
    result = run("add", "-f", str(path), input="Title\n")
    assert result.exit_code == 1
    assert "Title" not in result.stdout
    assert f"{path}:1:5: error: invalid TOML" in result.stderr


def test_never_prompts_without_a_terminal(run: Run, tmp_path: Path) -> None:
    """Not a TTY: no title is an error, not a prompt."""
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    result = run("add", "-f", str(path), input="Title\n")
    assert result.exit_code == 2
    assert "Title" not in result.stdout


# -- init ---------------------------------------------------------------------------------


def test_init_writes_a_log_that_passes_strict(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`chrono init` writes a commented starter that passes check --strict; never overwrites."""
    monkeypatch.chdir(tmp_path)
    result = run("init")
    assert result.exit_code == 0
    text = (tmp_path / "events.toml").read_text()
    assert text.startswith("# A chronology kept with chrono")
    assert 'date = "2026-11-25"' in text
    assert run("check", "--strict").exit_code == 0
    assert add(run, tmp_path / "events.toml", "Next", "--date", "today", "-a", "Example")[0] == 0
    again = run("init")
    assert (again.exit_code, again.stderr) == (
        1,
        "chrono: error: events.toml: already exists; not overwritten\n",
    )
    other = run("init", str(tmp_path / "sub.toml"), "--timezone", "Europe/Berlin")
    assert other.exit_code == 0
    assert 'timezone = "Europe/Berlin"' in (tmp_path / "sub.toml").read_text()
    assert run("init", "x.toml", "--timezone", "Mars/Base").exit_code == 2


def test_init_makes_the_folders_it_needs(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`chrono init notes/2026/events.toml` creates notes/2026; a file in the way is named."""
    monkeypatch.chdir(tmp_path)
    result = run("init", "notes/2026/events.toml")
    assert (result.exit_code, result.stderr) == (
        0,
        "chrono: wrote notes/2026/events.toml; try 'chrono check -f notes/2026/events.toml'\n",
    )
    assert run("check", "--strict", "-f", "notes/2026/events.toml").exit_code == 0
    (tmp_path / "plain").write_text("")
    blocked = run("init", "plain/events.toml")
    assert (blocked.exit_code, blocked.stderr) == (
        1,
        "chrono: error: plain/events.toml: plain is not a folder\n",
    )


@pytest.mark.parametrize("cached", [True, False])
def test_add_warns_of_a_likely_duplicate(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    """Adding the same event twice writes it, with a warning naming the first (index or not)."""
    if not cached:
        monkeypatch.setenv("CHRONO_NO_CACHE", "1")
    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    run("list", "-f", str(path))  # build the index when cached
    code, _, err = add(run, path, "Talks.", "--date", "2025-12-02", "-a", "putin")
    assert code == 0
    assert err.splitlines()[-1] == (
        "chrono: warning: '2025-12-02-talks' looks like a duplicate of 'talks' "
        "(line 10): same day, a similar title"
    )
    code, _, err = add(run, path, "Other business", "--date", "2025-12-03")
    assert "warning" not in err


class _Clock:
    """``time`` for the writer lock: each sleep advances a fake clock and is counted; after
    ``release`` sleeps, the lock held on ``fd`` is let go of (as by another process)."""

    def __init__(self, fd: int, release: int | None = None) -> None:
        self.now, self.sleeps, self.fd, self.release = 1000.0, 0, fd, release

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.sleeps += 1
        if self.sleeps == self.release:
            import fcntl

            fcntl.flock(self.fd, fcntl.LOCK_UN)


@pytest.fixture
def held_lock(tmp_path: Path) -> Iterator[int]:
    """The writer lock of tmp_path/events.toml, held through a descriptor of its own."""
    import fcntl

    fd = os.open(beside(tmp_path / "events.toml", "lock"), os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    yield fd
    os.close(fd)


def test_a_held_lock_makes_add_wait_then_give_up(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, held_lock: int
) -> None:
    """While another writer holds the lock, add waits the whole 30 s (on a patched clock),
    then writes nothing."""
    from chrono.storage import locking

    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    clock = _Clock(held_lock)
    monkeypatch.setattr(locking, "time", clock)
    code, _, err = add(run, path, "B", "--date", "2026")
    assert code == 1
    assert err == (
        f"chrono: error: {path}: another chrono has been writing this log for 30 s "
        "(lock file .chrono/events.toml.lock); nothing written\n"
    )
    assert clock.now - 1000.0 > locking.LOCK_TIMEOUT
    assert clock.sleeps == pytest.approx(locking.LOCK_TIMEOUT / 0.005, abs=2)
    assert path.read_text() == HAND_WRITTEN


def test_add_waits_for_a_held_lock_to_be_let_go_of(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, held_lock: int
) -> None:
    """A lock held for a while, then let go of: add waits for it, then adds."""
    from chrono.storage import locking

    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    clock = _Clock(held_lock, release=25)
    monkeypatch.setattr(locking, "time", clock)
    assert add(run, path, "B", "--date", "2026", "--id", "b")[:2] == (0, "b\n")
    assert clock.sleeps == 25  # it tried again until the lock was free, and no more
    assert tomllib.loads(path.read_text())["events"][-1]["id"] == "b"


def test_ctrl_c_in_a_prompt_ends_with_130(tmp_path: Path) -> None:
    """Ctrl-C at a question writes nothing and ends with the shell's status for it."""
    import pty
    import time

    path = tmp_path / "events.toml"
    path.write_text(HAND_WRITTEN)
    pid, fd = pty.fork()
    if pid == 0:  # the child runs chrono on a terminal
        os.execv(sys.executable, [sys.executable, "-m", "chrono", "add", "-f", str(path)])
    import select
    import signal

    def read_until(done: bytes | None, seconds: float, nudge: bytes = b"") -> bytes:
        """What the terminal shows until ``done`` appears or it closes; fails on a hang.

        ``nudge`` is typed again after each quiet second: a Ctrl-C that lands just before
        Python starts to wait for input is only seen at the next key, as at a real prompt.
        """
        shown = b""
        deadline = time.monotonic() + seconds
        while done is None or done not in shown:
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                pytest.fail(f"chrono hung at the prompt; the terminal shows {shown!r}")
            if not select.select([fd], [], [], 1.0)[0]:
                if nudge:
                    os.write(fd, nudge)
                continue
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # the terminal closed: chrono ended
                break
            if not chunk:
                break
            shown += chunk
        return shown

    screen = read_until(b"Title", 30)
    os.write(fd, b"\x03")
    screen += read_until(None, 30, nudge=b"\x03")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 130, screen
    assert b"nothing added" in screen
    assert path.read_text() == HAND_WRITTEN


def test_a_prompt_answer_is_said_back_safely(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registry name with a terminal escape in it is said at the prompt as a visible escape."""
    path = tmp_path / "events.toml"
    path.write_text('[actors.putin]\nname = "Vladimir Pu\\u001b]52;c;eA==\\u0007tin"\n')
    monkeypatch.setattr("chrono.app.commands.add.stdin_is_tty", lambda: True)
    answers = "Asked talks\n2026-01-02\n\nVladimir Putn\nn\nputin\n\n\n\n\n\n"
    result = run("add", "-f", str(path), input=answers)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]52" in result.stderr
