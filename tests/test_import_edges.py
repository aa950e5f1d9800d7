"""`chrono import` at its edges: what a careful review tried, each held by a test."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.conftest import Run

LOG = """\
[chrono]
timezone = "Europe/Moscow"

[actors.putin]
name = "Vladimir Putin"
aliases = ["Putin"]

[[events]]
id = "1"
date = "2024-01-01"
title = "Kickoff"
"""


def _log(tmp_path: Path, text: str = LOG) -> Path:
    log = tmp_path / "events.toml"
    log.write_text(text, encoding="utf-8")
    return log


def _file(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _events(log: Path) -> list[dict[str, object]]:
    return list(tomllib.loads(log.read_text(encoding="utf-8"))["events"])


def test_a_files_id_the_log_has_for_another_event_is_no_duplicate(run: Run, tmp_path: Path) -> None:
    """The same id on another date is another event: imported under an id of its own, and
    said; the same id and date is the event the log holds: skipped."""
    log = _log(tmp_path)
    sheet = _file(tmp_path, "b.csv", "ID,Date,Title\n1,2025-06-01,Product launch\n"
                                     "1,2024-01-01,Kickoff again\n")  # fmt: skip
    result = run("import", str(sheet), "-f", str(log))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2025-06-01-product-launch\n"
    assert "the same id and date as the event at line 8" in result.stderr
    assert "1 of the file's ids the log has for other events (first '1')" in result.stderr


def test_an_id_with_a_space_is_a_bad_row_and_a_free_id_is_kept(run: Run, tmp_path: Path) -> None:
    """The file's ids are kept when free and well-formed; one with a space is its row's error."""
    log = _log(tmp_path)
    sheet = _file(tmp_path, "c.csv", "id,date,title\nmy-id,2025-01-01,A\nb c,2025-01-02,B\n")
    result = run("import", str(sheet), "-f", str(log), "--skip-bad")
    assert result.stdout == "my-id\n"
    assert f"{sheet}:3: error: id 'b c' is not an id (no spaces)" in result.stderr


def test_a_time_column_beside_a_date_column_is_kept(run: Run, tmp_path: Path) -> None:
    """A date and a time in columns of their own make a minute; so do an end and its time;
    a time beside a month is refused, not dropped."""
    log = _log(tmp_path)
    sheet = _file(tmp_path, "t.csv", "date,time,title,end,end time\n"
                  "2024-01-05,14:30,Standup,2024-01-05,15:00\n2024-02,9:00,Month,,\n")  # fmt: skip
    result = run("import", str(sheet), "-f", str(log), "--skip-bad")
    assert result.exit_code == 0, result.stderr
    standup = _events(log)[-1]
    assert (standup["date"], standup["end"]) == ("2024-01-05T14:30", "2024-01-05T15:00")
    assert f"{sheet}:3:2: error: time: a time ('9:00') needs a date to the day" in result.stderr


def test_every_column_mapped_to_ignore_is_left_out(run: Run, tmp_path: Path) -> None:
    """--map COLUMN=ignore may name several columns."""
    log = _log(tmp_path)
    sheet = _file(tmp_path, "i.csv", "date,title,kind,tags,location\n2024-03-01,X,k,t,l\n")
    args = ["--map", "kind=ignore", "--map", "tags=ignore", "--map", "location=ignore"]
    assert run("import", str(sheet), "-f", str(log), *args).exit_code == 0
    assert _events(log)[-1] == {"id": "2024-03-01-x", "date": "2024-03-01", "title": "X"}


def test_times_from_chrono_json_of_another_zone_keep_their_instant(
    run: Run, tmp_path: Path
) -> None:
    """A time written without an offset in a Moscow log is given its Moscow offset when
    imported into a New York log: the same instant, not the same wall time."""
    (tmp_path / "m").mkdir()
    moscow = _log(
        tmp_path / "m", LOG + '\n[[events]]\nid = "t"\ndate = "2026-01-22T18:00"\ntitle = "T"\n'
    )
    exported = run("export", "json", "-f", str(moscow)).stdout
    ny = _log(tmp_path, '[chrono]\ntimezone = "America/New_York"\n')
    result = run("import", "-", "-f", str(ny), "--format", "json", input=exported)
    assert result.exit_code == 0, result.stderr
    found = next(e for e in json.loads(result.stdout)["events"] if e["title"] == "T")
    assert (found["date"], found["start"]) == ("2026-01-22T18:00+03:00", "2026-01-22T15:00:00Z")


def test_an_actor_of_the_file_the_log_knows_by_another_key_is_that_actor(
    run: Run, tmp_path: Path
) -> None:
    """chrono JSON's `vputin` spelled "Putin" is the log's `putin`: no second actor that
    would make "Putin" ambiguous."""
    log = _log(tmp_path)
    doc = {"format": "chrono", "version": 1, "timezone": "Europe/Moscow",
           "actors": {"vputin": {"name": "V. Putin", "aliases": ["Putin"]}},
           "events": [{"id": "x", "date": "2026-02-01", "title": "Speech",
                       "actors": [{"key": "vputin", "name": "V. Putin"}]}]}  # fmt: skip
    result = run("import", "-", "-f", str(log), input=json.dumps(doc))
    assert result.exit_code == 0, result.stderr
    assert "actor 'vputin' of the file is 'putin' in the log" in result.stderr
    parsed = tomllib.loads(log.read_text(encoding="utf-8"))
    assert list(parsed["actors"]) == ["putin"] and parsed["events"][-1]["actors"] == ["putin"]
    assert run("add", "T", "--date", "2026-02-02", "-a", "Putin", "-f", str(log)).exit_code == 0


ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:S\r\n{}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"  # noqa: E501


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000, "error: not chrono's JSON export"),
        ("bad.ics", ICS.format("DTSTART:2024XX01T100000Z"), ":4: error: a value cannot be read"),
        (
            "time.ics",
            ICS.format("DTSTART:20240101T100000Z\r\nDTEND;VALUE=TIME:100000"),
            ":4:DTEND: error: DTEND is not of the kind of DTSTART",
        ),
        ("param.ics", ICS.format("DTSTART;VALUE=,DATE:20240101"), "error: not an iCalendar file"),
        (
            "zone.ics",
            ICS.format("DTSTART;TZID=Europe:20240101T100000"),
            "error: not an iCalendar file",
        ),
        (
            "mars.ics",
            ICS.format("DTSTART;TZID=Mars/Olympus:20240101T100000"),
            ":4:DTSTART: error: unknown time zone 'Mars/Olympus'",
        ),
        (
            "back.ics",
            ICS.format("DTSTART;VALUE=DATE:20240105\r\nDTEND;VALUE=DATE:20240101"),
            ":4:DTEND: error: the event ends before it starts",
        ),
        (
            "minus.ics",
            ICS.format("DTSTART:20240101T100000Z\r\nDURATION:-PT1H"),
            ":4:DURATION: error: DURATION must be a length of time forward",
        ),
        (
            "todo.ics",
            "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nSUMMARY:x\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
            "error: the calendar holds no VEVENT",
        ),
        (
            "cut.ics",
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n",
            "error: the calendar is cut short (no END:VCALENDAR)",
        ),
        ("utf16.csv", b"\xff\xfeA", "error: not UTF-16 text"),
        (
            "q.json",
            '{"format": "chrono", "version": 1, "actors": {}, "events": [{"id": "a", '
            '"date": "2024", "date_qualifier": [], "title": "T"}]}',
            ".date: error: date must be",
        ),
        (
            "big.json",
            '{"format": "chrono", "version": 1, "actors": {}, "events": [{"id": "a", '
            '"date": "2024", "title": "T", "extra": {"n": 99999999999999999999999}}]}',
            ".extra.n: error: a whole number beyond TOML's 64 bits",
        ),
        (
            "nan.json",
            '{"format": "chrono", "version": 1, "actors": {}, "events": [{"id": "a", '
            '"date": "2024", "title": "T", "extra": {"n": NaN}}]}',
            ".extra.n: error: NaN",
        ),
        (
            "actor.json",
            '{"format": "chrono", "version": 1, "actors": {"a": {"name": "A", '
            '"extra": {"x": null}}, "b": {"name": ""}}, "events": []}',
            ".extra.x: error: null",
        ),
        (
            "minute.json",
            '{"events": [{"start_date": {"year": 1962, "month": 2, "day": 3, '
            '"minute": 5}, "text": {"headline": "H"}}]}',
            "minutes or seconds without an hour",
        ),
    ],
)
def test_hostile_files_get_one_clear_message_never_a_traceback(
    run: Run, tmp_path: Path, name: str, content: str | bytes, said: str
) -> None:
    """Each names the file (and the row, property or JSON path), exits non-zero, writes
    nothing."""
    log = _log(tmp_path)
    source = _file(tmp_path, name, content)
    result = run("import", str(source), "-f", str(log))
    assert result.exit_code in (1, 2), result.stderr
    assert said in result.stderr and "Traceback" not in result.stderr
    assert str(source) in result.stderr.splitlines()[0]
    assert log.read_text(encoding="utf-8") == LOG


def test_a_failed_import_into_a_new_folder_leaves_nothing_behind(run: Run, tmp_path: Path) -> None:
    """The log, its lock's folder and the folders made for it go again when nothing is
    written; a log another program wrote meanwhile stays."""
    bad = _file(tmp_path, "bad.csv", "date,title\n2024-13-01,X\n")
    target = tmp_path / "new" / "deep" / "events.toml"
    assert run("import", str(bad), "-f", str(target)).exit_code == 1
    assert not (tmp_path / "new").exists()
    from chrono.operations import importing

    kept = tmp_path / "kept.toml"
    kept.write_text("# someone else's\n", encoding="utf-8")
    importing._unstart(kept, [])
    assert kept.exists()


def test_a_zone_given_for_a_log_that_has_one_is_said_to_be_unused(run: Run, tmp_path: Path) -> None:
    """--timezone only starts the zone of a new or empty log; otherwise it says so."""
    log = _log(tmp_path)
    sheet = _file(tmp_path, "z.csv", "date,title\n2024-05-01,Z\n")
    result = run("import", str(sheet), "-f", str(log), "--timezone", "Asia/Tokyo")
    assert result.exit_code == 0
    assert "--timezone Asia/Tokyo: the log has its own zone or events already" in result.stderr
    assert tomllib.loads(log.read_text(encoding="utf-8"))["chrono"]["timezone"] == "Europe/Moscow"


def test_a_settings_table_is_never_written_twice(tmp_path: Path) -> None:
    """An append that would write a [chrono] table after one is refused, by both paths."""
    from chrono.core.dates import parse_iso
    from chrono.core.errors import WriteError
    from chrono.core.model import Event
    from chrono.storage import transaction
    from tests.conftest import cache

    log = _log(tmp_path)
    events = [Event(f"e{n}", parse_iso("2024-01-02"), "T") for n in range(3)]
    for count in (1, 3):
        with transaction.begin(log, cache()) as tx:
            edit = transaction.Append(tuple(events[:count]), (), {"timezone": "UTC"})
            with pytest.raises(WriteError, match=r"has a \[chrono\] table already"):
                tx.commit([edit])
    assert log.read_text(encoding="utf-8") == LOG


def test_a_long_import_on_a_terminal_gets_the_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal a batch of LONG drafts or more gets a bar; fewer, or piped, none."""
    import contextlib
    import io

    from chrono.app.commands import importing

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    settings = type("S", (), {"colour": False})()
    monkeypatch.setattr("sys.stderr", Tty())
    assert not isinstance(importing._progress(settings, importing.LONG), contextlib.nullcontext)  # type: ignore[arg-type]
    assert isinstance(importing._progress(settings, importing.LONG - 1), contextlib.nullcontext)  # type: ignore[arg-type]
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert isinstance(importing._progress(settings, importing.LONG), contextlib.nullcontext)  # type: ignore[arg-type]


def test_an_actor_with_a_toml_date_among_its_keys_exports_and_round_trips(
    run: Run, tmp_path: Path
) -> None:
    """An actor's unknown key holding a TOML date is written to JSON as ISO text (the
    export failed on it), and imports back as that text."""
    log = _log(
        tmp_path, LOG.replace('aliases = ["Putin"]', 'aliases = ["Putin"]\nsince = 2000-05-07')
    )
    exported = run("export", "json", "-f", str(log))
    assert exported.exit_code == 0, exported.stderr
    assert json.loads(exported.stdout)["actors"]["putin"]["extra"] == {"since": "2000-05-07"}
    (tmp_path / "e").mkdir()
    empty = _log(tmp_path / "e", "")
    assert run("import", "-", "-f", str(empty), input=exported.stdout).exit_code == 0
    assert tomllib.loads(empty.read_text(encoding="utf-8"))["actors"]["putin"]["since"] == (
        "2000-05-07"
    )
