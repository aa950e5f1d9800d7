"""`chrono import`: spreadsheets, TimelineJS, calendars, jrnl and chrono's own JSON appended
to the log in one transaction, precision kept, names resolved, duplicates skipped."""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, Run

LOG = """\
[chrono]
timezone = "Europe/Moscow"

[actors.putin]
name = "Vladimir Putin"
aliases = ["Putin", "Путин"]

[actors.ushakov]
name = "Yuri Ushakov"
aliases = ["Ushakov"]

# kept by hand
[[events]]
id = "2026-01-22-kremlin"
date = "2026-01-22"
title = "Putin receives Witkoff in the Kremlin"
actors = ["putin"]
kind = "meeting"
"""

GERMAN = (
    "\ufeffDatum;Titel;Beschreibung;Personen;Ort;Quelle\r\n"
    '2025-12-02;Uschakow trifft Gesandte;"Fünf Stunden\r\nGespräche";"Uschakow, Путин";Kreml;'
    "https://example.org/a\r\n"
    "2025-12;Gespräche im Dezember;;;;\r\n"
    "2024;Ein ganzes Jahr;;;;\r\n"
    "Q2 2024;Ein Quartal;;;;\r\n"
)


def _files(tmp_path: Path, sheet: str, name: str = "sheet.csv") -> tuple[Path, Path]:
    log = tmp_path / "events.toml"
    log.write_text(LOG, encoding="utf-8")
    source = tmp_path / name
    source.write_bytes(sheet.encode("utf-8"))
    return log, source


def _events(log: Path) -> dict[str, dict[str, object]]:
    return {e["id"]: e for e in tomllib.loads(log.read_text(encoding="utf-8"))["events"]}


def test_a_german_excel_sheet_is_imported_at_the_precision_each_row_gives(
    run: Run, tmp_path: Path
) -> None:
    """A BOM, `;`, German headers and a cell over two lines: each row an event, its date as
    precise as written, its names resolved through the registry, the rest kept as it was."""
    log, source = _files(tmp_path, GERMAN)
    before = log.read_bytes()
    result = run("import", str(source), "-f", str(log))
    assert result.exit_code == 0, result.stderr
    events = _events(log)
    assert events["2025-12-02-uschakow-trifft-gesandte"] == {
        "id": "2025-12-02-uschakow-trifft-gesandte", "date": "2025-12-02",
        "title": "Uschakow trifft Gesandte", "summary": "Fünf Stunden\r\nGespräche",
        "actors": ["ushakov", "putin"], "location": "Kreml",
        "sources": ["https://example.org/a"],
    }  # fmt: skip
    assert events["2025-12-gesprache-im-dezember"]["date"] == "2025-12"
    assert events["2024-ein-ganzes-jahr"]["date"] == "2024"
    assert (events["2024-04-ein-quartal"]["date"], events["2024-04-ein-quartal"]["end"]) == (
        "2024-04",
        "2024-06",
    )
    assert log.read_bytes().startswith(before)  # every byte of the log kept
    assert result.stdout.split() == [  # oldest first, as the tables are written
        "2024-ein-ganzes-jahr", "2024-04-ein-quartal", "2025-12-gesprache-im-dezember",
        "2025-12-02-uschakow-trifft-gesandte",
    ]  # fmt: skip
    assert "chrono: actor 'Uschakow' is Yuri Ushakov (ushakov)" in result.stderr
    assert "chrono: actor 'Путин' is Vladimir Putin (putin)" in result.stderr
    assert "imported 4 events from 4 rows (csv)" in result.stderr
    assert run("check", "-f", str(log)).exit_code == 0


def test_the_tables_are_written_as_add_writes_them(run: Run, tmp_path: Path) -> None:
    """The appended text is one [[events]] table per event, oldest first, a blank line
    between them: what `add` writes for the same event."""
    log, source = _files(tmp_path, "date,title\n2026-02-01,Second\n2026-01-01,First\n")
    assert run("import", str(source), "-f", str(log)).exit_code == 0
    added = log.read_text(encoding="utf-8")[len(LOG) :]
    assert added == (
        '\n[[events]]\nid = "2026-01-01-first"\ndate = "2026-01-01"\ntitle = "First"\n'
        '\n[[events]]\nid = "2026-02-01-second"\ndate = "2026-02-01"\ntitle = "Second"\n'
    )
    twin = tmp_path / "twin.toml"
    twin.write_text(LOG, encoding="utf-8")
    for title, date in (("First", "2026-01-01"), ("Second", "2026-02-01")):
        assert run("add", title, "--date", date, "-f", str(twin)).exit_code == 0
    assert twin.read_bytes() == log.read_bytes()


def test_importing_the_same_file_twice_adds_nothing_the_second_time(
    run: Run, tmp_path: Path
) -> None:
    """Every event of a second import is already in the log: skipped and listed, the log
    left byte for byte as it was."""
    log, source = _files(tmp_path, GERMAN)
    assert run("import", str(source), "-f", str(log)).exit_code == 0
    once = log.read_bytes()
    again = run("import", str(source), "-f", str(log), "--format", "json")
    assert again.exit_code == 0, again.stderr
    assert log.read_bytes() == once
    report = json.loads(again.stdout)
    assert report["added"] == [] and len(report["skipped"]) == 4
    assert report["skipped"][0]["where"] == f"{source}:2"
    assert "the same date and title" in report["skipped"][0]["reason"]


def test_an_event_like_one_of_the_same_day_is_skipped_unless_asked_to_keep_it(
    run: Run, tmp_path: Path
) -> None:
    """A similar title on the same day is what check calls a duplicate: skipped; with
    --keep-duplicates it is added, under an id of its own."""
    sheet = "date,title\n2026-01-22,Putin receives Witkoff at the Kremlin\n"
    log, source = _files(tmp_path, sheet)
    skipped = run("import", str(source), "-f", str(log))
    assert skipped.exit_code == 0
    assert "looks like '2026-01-22-kremlin' (line 13): same day, a similar title" in skipped.stderr
    assert log.read_text(encoding="utf-8") == LOG
    kept = run("import", str(source), "-f", str(log), "--keep-duplicates")
    assert kept.stdout == "2026-01-22-putin-receives-witkoff-at-the-kremlin\n"


def test_ids_are_unique_across_the_log_and_the_batch(run: Run, tmp_path: Path) -> None:
    """Two rows of one date and title get the id and the id with -2, as add would."""
    log, source = _files(tmp_path, "date,title\n2026-03-01,Talks\n2026-03-01,Talks\n")
    result = run("import", str(source), "-f", str(log), "--keep-duplicates")
    assert result.stdout.split() == ["2026-03-01-talks", "2026-03-01-talks-2"]


def test_a_bad_row_names_its_file_row_and_column_and_nothing_is_written(
    run: Run, tmp_path: Path
) -> None:
    """Each bad row is one line FILE:ROW:COLUMN: error; the log is left as it was; with
    --skip-bad the good rows are imported and the bad ones reported."""
    sheet = (
        "title,date,end\nGood,2026-01-05,\nBad day,2026-02-30,\n"
        "Backwards,2026-03-05,2026-03-01\n,2026-04-01,\n"
    )
    log, source = _files(tmp_path, sheet)
    result = run("import", str(source), "-f", str(log))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{source}:3:2: error: date: no such day: February 2026 has 28 days, not 30 ('2026-02-30')",
        f"{source}:4: error: end 2026-03-01 is before the date 2026-03-05",
        f"{source}:5:1: error: title: no title",
        "chrono: 3 of 4 rows cannot be imported; nothing written (--skip-bad imports the others)",
    ]
    assert log.read_text(encoding="utf-8") == LOG
    skipped = run("import", str(source), "-f", str(log), "--skip-bad")
    assert skipped.exit_code == 0 and skipped.stdout == "2026-01-05-good\n"
    assert "3 bad rows left out" in skipped.stderr


def test_a_dry_run_shows_the_timeline_and_the_count_and_writes_nothing(
    run: Run, tmp_path: Path
) -> None:
    """--dry-run draws what would be added as list draws it, says how many, writes nothing."""
    log, source = _files(tmp_path, GERMAN)
    result = run("import", str(source), "-f", str(log), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert log.read_text(encoding="utf-8") == LOG
    assert "Uschakow trifft Gesandte" in result.stdout and "2024" in result.stdout
    assert "would import 4 events from 4 rows (csv)" in result.stderr
    assert "dry run: nothing written" in result.stderr


def test_columns_with_other_names_are_read_through_map(run: Run, tmp_path: Path) -> None:
    """--map names a column by header, number or letter; an unknown field is refused."""
    sheet = "Wann\tWas\tWer\n2026-05-01\tTalks\tPutin\n"
    log, source = _files(tmp_path, sheet, "sheet.tsv")
    refused = run("import", str(source), "-f", str(log))
    assert refused.exit_code == 2
    assert "no title column among 'Wann', 'Was', 'Wer'; name it with --map COLUMN=title" in (
        refused.stderr
    )
    mapped = run("import", str(source), "-f", str(log), "--map", "Wann=date", "--map", "2=title",
                 "--map", "C=actors")  # fmt: skip
    assert mapped.exit_code == 0, mapped.stderr
    assert _events(log)["2026-05-01-talks"]["actors"] == ["putin"]
    wrong = run("import", str(source), "-f", str(log), "--map", "Wann=when")
    assert wrong.exit_code == 2 and "no field 'when'" in wrong.stderr


def test_names_the_registry_lacks_are_free_text_or_registered(run: Run, tmp_path: Path) -> None:
    """An unknown name is kept as free text; with --register it gets a registry table,
    one per name across the whole batch."""
    sheet = "date,title,actors\n2026-05-01,One,Jane Roe\n2026-05-02,Two,Jane Roe; Putin\n"
    log, source = _files(tmp_path, sheet)
    free = run("import", str(source), "-f", str(log), "--dry-run", "--format", "json")
    assert json.loads(free.stdout)["events"][0]["actors"] == [{"key": None, "name": "Jane Roe"}]
    registered = run("import", str(source), "-f", str(log), "--register")
    assert registered.exit_code == 0, registered.stderr
    doc = tomllib.loads(log.read_text(encoding="utf-8"))
    assert doc["actors"]["jane-roe"] == {"name": "Jane Roe"}
    assert [e.get("actors") for e in doc["events"][1:]] == [["jane-roe"], ["jane-roe", "putin"]]
    assert "'Jane Roe' is new in the registry, as 'jane-roe'" in registered.stderr


def test_text_from_the_file_is_data_and_control_characters_are_bad_rows(
    run: Run, tmp_path: Path
) -> None:
    """Markup is kept as written; a control character in a title is that row's error."""
    sheet = 'date,title\n2026-06-01,"<script>alert(1)</script>"\n2026-06-02,"bell\x07"\n'
    log, source = _files(tmp_path, sheet)
    result = run("import", str(source), "-f", str(log))
    assert result.exit_code == 1
    assert f"{source}:3: error: 'title' holds a control character U+0007 (BEL)" in result.stderr
    assert "\x07" not in result.stderr
    assert run("import", str(source), "-f", str(log), "--skip-bad").exit_code == 0
    assert _events(log)["2026-06-01-script-alert-1-script"]["title"] == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("content", "fmt", "said"),
    [
        ("date,title\n2026-01-01,x\n", "ics", "not an iCalendar file"),
        ('{"events": [', "timelinejs", ":1:13: error: not TimelineJS3 JSON"),
        ('{"format": "other"}', "chrono", "not chrono's JSON export"),
        ("[1, 2]", "jrnl", "not jrnl's JSON export"),
        ('a,"b\n', "csv", ":1: error: not a spreadsheet's CSV (unexpected end of data)"),
        ("a,b\n1,2\n", "csv", ":1: error: no title column among 'a', 'b'"),
    ],
)
def test_a_file_not_in_the_format_asked_for_gets_one_clear_message(
    run: Run, tmp_path: Path, content: str, fmt: str, said: str
) -> None:
    """One line naming the file and what it is not; status 2; no traceback; log untouched."""
    log, source = _files(tmp_path, content)
    result = run("import", str(source), "--from", fmt, "-f", str(log))
    assert result.exit_code == 2
    assert said in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert log.read_text(encoding="utf-8") == LOG


def test_a_file_that_is_not_utf8_a_pipe_or_a_folder_is_refused(run: Run, tmp_path: Path) -> None:
    """Latin-1 bytes name their line; a FIFO is refused without waiting on it."""
    log, source = _files(tmp_path, "")
    source.write_bytes(b"date,title\n2026-01-01,Caf\xe9\n")
    latin = run("import", str(source), "-f", str(log))
    assert latin.exit_code == 2 and f"{source}:2: error: not UTF-8 text (byte 0xe9)" in latin.stderr
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    piped = run("import", str(fifo), "-f", str(log))
    assert piped.exit_code == 2 and "is not a regular file (a pipe or a device)" in piped.stderr
    folder = run("import", str(tmp_path), "-f", str(log))
    assert folder.exit_code == 2 and "is a folder" in folder.stderr
    missing = run("import", str(tmp_path / "nope.csv"), "-f", str(log))
    assert missing.exit_code == 2 and "nope.csv: no such file" in missing.stderr


def test_standard_input_is_read_when_the_file_is_a_dash(run: Run, tmp_path: Path) -> None:
    """`chrono import -` reads the file from standard input, its format from its content."""
    log, _ = _files(tmp_path, "")
    exported = run("export", "json", "-f", str(BUNDLED)).stdout
    result = run("import", "-", "-f", str(log), input=exported)
    assert result.exit_code == 0, result.stderr
    assert "(chrono)" in result.stderr


def test_a_log_that_does_not_exist_is_started_and_removed_again_when_nothing_is_written(
    run: Run, tmp_path: Path
) -> None:
    """A new log holds its zone then the events; a failed import leaves no file behind."""
    source = tmp_path / "a.csv"
    source.write_text("date,title\n2026-01-01T10:00,Start\n", encoding="utf-8")
    new = tmp_path / "new" / "events.toml"
    result = run("import", str(source), "-f", str(new), "--timezone", "Europe/Berlin")
    assert result.exit_code == 0, result.stderr
    assert new.read_text(encoding="utf-8").startswith('[chrono]\ntimezone = "Europe/Berlin"\n')
    assert f"chrono: started {new}" in result.stderr
    source.write_text("date,title\n2026-13-01,Bad\n", encoding="utf-8")
    other = tmp_path / "other.toml"
    assert run("import", str(source), "-f", str(other), "--skip-bad").exit_code == 0
    assert other.exists()  # nothing to add, but the log was asked for: it stays
    third = tmp_path / "third.toml"
    assert run("import", str(source), "-f", str(third)).exit_code == 1
    assert not third.exists()


def test_a_failed_write_leaves_the_log_as_it_was(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch is one write through the journal: a full disk writes none of it."""
    from chrono.storage import inplace

    log, source = _files(tmp_path, GERMAN)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(inplace, "write_change", full)
    result = run("import", str(source), "-f", str(log))
    assert result.exit_code != 0
    assert log.read_text(encoding="utf-8") == LOG


def _generated(n: int, seed: int) -> str:
    """A random log as the benchmarks make them: every precision, qualifier and span."""
    import runpy

    from tests.conftest import ROOT

    generate = runpy.run_path(str(ROOT / "bench" / "gen.py"))["generate"]
    return str(generate(n, 12, seed))


def _exported(run: Run, log: Path) -> dict[str, object]:
    result = run("export", "json", "-f", str(log))
    assert result.exit_code == 0, result.stderr
    return dict(json.loads(result.stdout))


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_chrono_json_round_trips_through_an_empty_log(
    run: Run, tmp_path: Path, seed: int | None
) -> None:
    """`export json | import` into an empty log gives back the same events (ids, dates and
    their precisions and qualifiers, every field), the registry and the zone."""
    original = tmp_path / "original.toml"
    if seed is None:
        original.write_bytes(BUNDLED.read_bytes())
    else:
        original.write_text(_generated(80, seed), encoding="utf-8")
    exported = run("export", "json", "-f", str(original)).stdout
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    imported = run("import", "-", "-f", str(empty), input=exported)
    assert imported.exit_code == 0, imported.stderr
    again = _exported(run, empty)
    assert again == json.loads(exported)
    assert run("check", "-f", str(empty)).exit_code == 0
    twice = run("import", "-", "-f", str(empty), input=exported)
    assert twice.exit_code == 0 and twice.stdout == ""  # every event already there


def test_chrono_json_into_a_log_with_other_actors_keeps_the_logs_own(
    run: Run, tmp_path: Path
) -> None:
    """An actor the log already has under the same key stays as the log has it (said);
    the file's other actors are added with their events."""
    log, _ = _files(tmp_path, "")
    doc = {"format": "chrono", "version": 1, "timezone": "UTC",
           "actors": {"putin": {"name": "V. V. Putin", "aliases": [], "role": None, "note": None},
                      "lavrov": {"name": "Sergey Lavrov", "aliases": ["Lavrov"], "role": None,
                                 "note": None}},
           "events": [{"id": "x1", "date": "2026-02-01", "date_qualifier": None, "end": None,
                       "end_qualifier": None, "title": "Lavrov speaks", "summary": None,
                       "actors": [{"key": "lavrov", "name": "Sergey Lavrov"}], "location": None,
                       "kind": None, "tags": [], "sources": [], "extra": {}}]}  # fmt: skip
    result = run("import", "-", "-f", str(log), input=json.dumps(doc))
    assert result.exit_code == 0, result.stderr
    assert "actors 'putin' differ from the log's: the log's kept" in result.stderr
    parsed = tomllib.loads(log.read_text(encoding="utf-8"))
    assert parsed["actors"]["putin"]["name"] == "Vladimir Putin"
    assert parsed["actors"]["lavrov"] == {"name": "Sergey Lavrov", "aliases": ["Lavrov"]}
    assert parsed["events"][-1]["actors"] == ["lavrov"]
    assert "with 1 new actor" in result.stderr


def test_values_toml_cannot_hold_are_bad_rows_not_a_crash(run: Run, tmp_path: Path) -> None:
    """A null under an unknown key, a field passed off as an extra key: the row's error."""
    log, source = _files(tmp_path, "", "e.json")
    record = {"id": "a", "date": "2026-01-01", "title": "T"}
    events = [{**record, "extra": {"x": None}}, {**record, "id": "b", "extra": {"title": "O"}}]
    doc = {"format": "chrono", "version": 1, "timezone": "UTC", "actors": {}, "events": events}
    source.write_text(json.dumps(doc), encoding="utf-8")
    result = run("import", str(source), "-f", str(log))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[:2] == [
        f"{source}:$.events[0].extra.x: error: null has no TOML form: leave the key out",
        f"{source}:$.events[1].extra.title: error: 'title' is a field of every event, "
        "not an extra key",
    ]


def test_a_dry_run_into_a_log_not_there_yet_creates_nothing(run: Run, tmp_path: Path) -> None:
    """The events are drawn as they would be dated in the new log; no file appears."""
    source = tmp_path / "a.csv"
    source.write_text("date,title\n2026-01-01,Start\n", encoding="utf-8")
    new = tmp_path / "new.toml"
    result = run("import", str(source), "-f", str(new), "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["added"] == ["2026-01-01-start"]
    assert not new.exists()


def test_a_long_import_on_a_terminal_shows_progress_on_stderr() -> None:
    """The bar draws on the stream it is given, and reports what is being done."""
    import io

    from chrono.output.progress import bar

    stream = io.StringIO()
    with bar(stream, True, 10) as report:
        report("planning", 5, 10)
    assert "planning" in stream.getvalue() and "5/10" in stream.getvalue()


def test_no_progress_bar_is_drawn_when_stderr_is_not_a_terminal(run: Run, tmp_path: Path) -> None:
    """Piped, a long import says only its report: no bar, no escape sequences."""
    from chrono.app.commands import importing

    rows = "".join(f"2026-01-01,Event {n}\n" for n in range(importing.LONG + 1))
    log, source = _files(tmp_path, "date,title\n" + rows)
    result = run("import", str(source), "-f", str(log))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"chrono: imported {importing.LONG + 1} events from {importing.LONG + 1} rows (csv) "
        f"into {log}"
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_batch_lands_in_the_logs_line_endings_with_each_event_at_its_line(
    tmp_path: Path, newline: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CRLF log gets CRLF tables; each event's line is its header's line in the file,
    after the log's own end (no final newline) and a [chrono] table it lacked, over slices
    read back one after another."""
    from chrono.importers import Source
    from chrono.operations.importing import import_batch, read_source
    from chrono.storage import appended
    from tests.conftest import cache

    monkeypatch.setattr(appended, "SLICE", 3)
    log = tmp_path / "events.toml"
    log.write_bytes(f"# notes{newline}# more".encode())
    source = tmp_path / "a.csv"
    rows = "".join(f"2026-01-{n:02d},Event {n}\n" for n in range(1, 8))
    source.write_text("date,title\n" + rows, encoding="utf-8")
    kind, batch = read_source(str(source), None, Source(str(source), dt.date(2026, 1, 1)))
    done = import_batch(log, kind, batch, cache(), timezone="Europe/Berlin")
    data = log.read_bytes()
    if newline == "\r\n":
        assert b"\n" not in data.replace(b"\r\n", b"")
    lines = data.decode().split(newline)
    assert lines[:4] == ["# notes", "# more", "", "[chrono]"]
    for event in done.events:
        assert lines[event.line - 1 : event.line + 1] == ["[[events]]", f'id = "{event.id}"']
    assert [e.line for e in done.events] == sorted(e.line for e in done.events)
    assert tomllib.loads(data.decode())["chrono"] == {"timezone": "Europe/Berlin"}


IMPORT_KILLED = """
import os, pathlib, sys
from chrono.app.cli import main
at, args = sys.argv[1], sys.argv[2:]
real_unlink, real_write, calls = pathlib.Path.unlink, os.write, []
def unlink(self, *a, **k):
    if at == "kept" and self.name.endswith(".append"):
        os._exit(9)
    return real_unlink(self, *a, **k)
def write(fd, data):
    if fd > 2 and at == "zeros" and os.readlink(f"/proc/self/fd/{fd}").endswith("events.toml"):
        real_write(fd, bytes(len(data)))  # a power cut: the appended bytes never reached disk
        os._exit(9)
    return real_write(fd, data)
pathlib.Path.unlink, os.write = unlink, write
sys.argv = ["chrono", *args]
main()
"""


@pytest.mark.parametrize("at", ["kept", "zeros"])
def test_an_import_killed_mid_write_is_finished_by_the_next_command(
    run: Run, tmp_path: Path, at: str
) -> None:
    """Killed after writing, or by a power cut that left zeros where the batch goes: the
    next command leaves the log exactly as the import, uninterrupted, writes it."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    source = tmp_path / "a.csv"
    source.write_text(GERMAN, encoding="utf-8")
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    for folder in (whole, killed):
        folder.mkdir()
        (folder / "events.toml").write_text(LOG, encoding="utf-8")
    assert run("import", str(source), "-f", str(whole / "events.toml")).exit_code == 0
    env = {**os.environ, "CHRONO_TODAY": "2026-11-25", "CHRONO_NO_CACHE": "1"}
    crashed = subprocess.run(
        [sys.executable, "-c", IMPORT_KILLED, at, "import", str(source), "-f",
         str(killed / "events.toml")],
        env=env, cwd=ROOT, timeout=60, check=False, capture_output=True,
    )  # fmt: skip
    assert crashed.returncode == 9, crashed.stderr
    assert (killed / ".chrono" / "events.toml.append").exists()
    after = run("list", "-f", str(killed / "events.toml"), "--format", "ids")
    assert after.exit_code == 0, after.stderr
    assert (killed / "events.toml").read_bytes() == (whole / "events.toml").read_bytes()
    assert not (killed / ".chrono" / "events.toml.append").exists()
