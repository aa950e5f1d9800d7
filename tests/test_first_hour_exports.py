"""What a new user meets in the exports in the first hour: a JSON export given as a log,
invisible characters in CSV cells, and iCalendar times a calendar program shows wrongly."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from chrono.core.errors import LogError
from chrono.core.fields import Unplaced
from chrono.core.model import Event
from chrono.core.validate import build
from chrono.formats import FORMATS
from chrono.output.safe_text import csv_cell, visible
from chrono.storage.files import parse_toml
from tests.conftest import BUNDLED, Run

ROOT = Path(__file__).parent.parent

# -- json: data, not a log ------------------------------------------------------------------


def test_no_text_says_the_json_export_loads_back_into_chrono(run: Run) -> None:
    """No help text or document claims a command reads the JSON export back."""
    texts = [run("export", "--help").stdout, FORMATS["json"], (ROOT / "README.md").read_text()]
    texts += [p.read_text() for p in (ROOT / "docs").glob("*.md")]
    texts += [p.read_text() for p in (ROOT / "src" / "chrono").rglob("*.py")]
    for text in texts:
        flat = " ".join(text.lower().split())
        assert "loads back into chrono" not in flat
        assert "loadable back" not in flat
    assert "as data" in FORMATS["json"]


def test_a_json_export_given_as_the_log_is_named_as_such(run: Run, tmp_path: Path) -> None:
    """`chrono list -f all.json` on a JSON export says it is a JSON export, not a log, at the
    place the TOML parse failed, with no TOML error."""
    exported = tmp_path / "all.json"
    assert run("export", "json", "-f", str(BUNDLED), "-o", str(exported)).exit_code == 0
    for command in ("list", "check", "show"):
        args = [command, "-f", str(exported)] + (["x"] if command == "show" else [])
        result = run("--no-cache", *args)
        assert result.exit_code == 1
        assert result.stdout == ""
        first = result.stderr.splitlines()[0]
        assert first == (
            f"{exported}:1:1: error: this is a JSON export of chrono (chrono export json), "
            "not an event log: chrono reads its log from a TOML file"
        )
        assert "TOML:" not in result.stderr and len(result.stderr.splitlines()) <= 2


@pytest.mark.parametrize(
    ("name", "text", "what"),
    [
        ("log.toml", '[{"id": "a"}]', "this is JSON"),
        ("log.toml", '{"format": "geojson"}', "this is JSON"),
        ("log.toml", '  {"events": [', "this is JSON"),  # cut short: still clearly JSON
        ("a.txt", '{"format": "chrono"}', "this is a JSON export of chrono (chrono export json)"),
        ("x.JSON", "title = ", "this is a .json file"),
        ("x.json", "[]x", "this is a .json file"),
    ],
)
def test_json_is_named_at_the_failing_place(name: str, text: str, what: str) -> None:
    """A file that is clearly JSON (it parses as an object or array, starts with ``{``, or is
    named ``.json``) fails with one message saying so, at the TOML error's line and column."""
    with pytest.raises(LogError) as raised:
        parse_toml(text, name)
    [diagnostic] = raised.value.diagnostics
    assert diagnostic.message.startswith(what + ", not an event log")
    assert "TOML:" not in diagnostic.message
    assert (diagnostic.path, diagnostic.severity) == (name, "error")
    assert diagnostic.line == 1 and diagnostic.column > 0


@pytest.mark.parametrize("text", ["[chrono", "[[events]]\nid = ", "42 = ", '"x"', "[1, 2"])
def test_broken_toml_that_is_not_json_keeps_its_toml_error(text: str) -> None:
    """A broken TOML log (even one starting with ``[``) keeps the TOML parser's message."""
    with pytest.raises(LogError) as raised:
        parse_toml(text, "events.toml")
    assert raised.value.diagnostics[0].message.startswith("invalid TOML: ")


# -- ics: the times a calendar shows -------------------------------------------------------

CALENDAR_LOG = """\
[chrono]
timezone = "America/New_York"

[[events]]
id = "instant"
date = "2024-06-10T12:00"
title = "Instant"

[[events]]
id = "second"
date = "2024-06-10T15:20:30"
title = "Second"

[[events]]
id = "day"
date = "2024-06-11"
title = "Day"

[[events]]
id = "month"
date = "2024-07"
title = "Month"

[[events]]
id = "span"
date = "2024-06-12T09:30"
end = "2024-06-12T11:15"
title = "Span"
sources = ["TASS; Reuters", "see https://not.this.example/", "ftp://files.example/a",
           " HTTPS://kremlin.ru/events/1 ", "https://second.example/"]

[[events]]
id = "to-a-day"
date = "2024-06-14T20:00"
end = "2024-06-15"
title = "To a day"

[[events]]
id = "zoned"
date = "2024-06-13T10:00+09:00"
title = "Zoned"
"""


def _khal(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run khal with its configuration and database in ``folder`` (never the user's)."""
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_DATA_HOME": str(folder / "data"),
    }
    command = [sys.executable, "-m", "khal", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=99, check=False)


def _khal_calendar(folder: Path) -> None:
    """A khal configuration with one calendar, showing times in Europe/Berlin."""
    (folder / "config" / "khal").mkdir(parents=True)
    (folder / "data").mkdir()
    (folder / "calendar").mkdir()
    (folder / "config" / "khal" / "config").write_text(
        f"[calendars]\n[[chrono]]\npath = {folder / 'calendar'}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "local_timezone = Europe/Berlin\ndefault_timezone = Europe/Berlin\n"
    )


def test_khal_shows_each_event_at_its_time(run: Run, tmp_path: Path) -> None:
    """A real calendar program (khal) imports the export without a warning and shows a
    moment as no time, a day and a month as their days, a span to its written end, and a
    time written with an offset at that instant (New York's times in Berlin)."""
    pytest.importorskip("khal")
    log = tmp_path / "events.toml"
    log.write_text(CALENDAR_LOG)
    exported = tmp_path / "chrono.ics"
    assert run("export", "ics", "-f", str(log), "-o", str(exported)).exit_code == 0
    _khal_calendar(tmp_path)
    imported = _khal(tmp_path, "import", "--batch", "-a", "chrono", str(exported))
    assert imported.returncode == 0, imported.stderr
    assert "warning" not in imported.stderr.lower(), imported.stderr
    listed = _khal(
        tmp_path, "list", "--once", "--day-format", "", "--format", "{title}: {start} | {end}",
        "2024-06-01", "2024-08-01",
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    shown = sorted(line for line in listed.stdout.splitlines() if line.strip())
    assert shown == [
        "Day: 2024-06-11 | 2024-06-11",
        "Instant: 2024-06-10 18:00 | 2024-06-10 18:00",
        "Month: 2024-07-01 | 2024-07-31",
        "Second: 2024-06-10 21:20 | 2024-06-10 21:20",
        "Span: 2024-06-12 15:30 | 2024-06-12 17:15",
        "To a day: 2024-06-15 02:00 | 2024-06-16 06:00",
        "Zoned: 2024-06-13 03:00 | 2024-06-13 03:00",
    ]


def _calendar(run: Run, log: Path) -> dict[str, icalendar.Event]:
    """The log's ICS export, read back by icalendar: its VEVENTs by event id."""
    result = run("export", "ics", "-f", str(log))
    assert result.exit_code == 0, result.output
    events = icalendar.Calendar.from_ical(result.stdout_bytes).walk("VEVENT")
    return {str(e["UID"]).removesuffix("@chrono"): e for e in events}


def test_a_timed_event_has_its_end_and_a_moment_no_length(run: Run, tmp_path: Path) -> None:
    """Every event with a time says where it ends: a moment DURATION 0 (no DTEND), a span
    DTEND at its written end time, an end written as a day the moment after that day."""
    log = tmp_path / "events.toml"
    log.write_text(CALENDAR_LOG)
    events = _calendar(run, log)
    for name in ("instant", "second", "zoned"):
        assert "DTEND" not in events[name]
        assert events[name].decoded("duration") == dt.timedelta(0)
    ny = ZoneInfo("America/New_York")
    span, to_a_day = events["span"], events["to-a-day"]
    assert "DURATION" not in span and "DURATION" not in to_a_day
    assert span.decoded("dtstart") == dt.datetime(2024, 6, 12, 9, 30, tzinfo=ny)
    assert span.decoded("dtend") == dt.datetime(2024, 6, 12, 11, 15, tzinfo=ny)
    assert to_a_day.decoded("dtend") == dt.datetime(2024, 6, 16, 0, 0, tzinfo=ny)
    assert events["zoned"].decoded("dtstart") == dt.datetime(2024, 6, 13, 1, 0, tzinfo=dt.UTC)
    assert events["day"].decoded("dtend") == dt.date(2024, 6, 12)  # all-day: exclusive


@pytest.mark.parametrize(
    ("date", "end", "length"),
    [
        ("2024-01-01T12:00", None, 0),
        ("2024-01-01T12:00:30", None, 0),
        ("2024-01-01T12:00", "2024-01-01T12:00", 0),
        ("2024-01-01T12:00:30", "2024-01-01T12:00", 0),  # the end's minute began before
        ("2024-01-01T12:00", "2024-01-01T12:01", 60),
        ("2024-01-01T12:00", "2024-01-01T12:00:01", 1),
        ("2024-01-01T12:00", "2024-01-01", 12 * 3600),
        ("2024-01-01T12:00", "2024-01", 30 * 86400 + 12 * 3600),
        ("2024-01-01", "2024-01-01T09:00", 9 * 3600),
        ("2024-01-01", None, 86400),
        ("2024-02", "2024-03-02", 31 * 86400),
    ],
)
def test_an_event_with_a_time_ends_at_the_time_written(
    date: str, end: str | None, length: int
) -> None:
    """`finish`: a time is a moment, so an event lasts from its start to its end's time
    (never less than nothing), or to the end of an end written as a day or a month."""
    from chrono.export.ics_format import finish

    event = _event(date, end)
    assert finish(event, dt.UTC) - event.start == length * 10**6


def _event(date: str, end: str | None = None, sources: Sequence[str] = ()) -> Event:
    """One event of a log in UTC, built as a log file's would be."""
    raw: dict[str, object] = {"id": "e", "date": date, "title": "E", "sources": list(sources)}
    if end is not None:
        raw["end"] = end
    chronology, diagnostics = build({"events": [raw]}, "events.toml", Unplaced())
    assert not [d for d in diagnostics if d.severity == "error"]
    return chronology.events[0]


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (["TASS", "https://a.example/1", "https://b.example/2"], "https://a.example/1"),
        (["see https://not.example/", "http://a.example/"], "http://a.example/"),
        (["ftp://files.example/a", "mailto:x@example.org", "HTTPS://A.example/"],
         "HTTPS://A.example/"),
        (["  https://a.example/padded\n"], "https://a.example/padded"),
        (["https://a.example/\u202eevil", "https://b.example/"], "https://b.example/"),
        (["https://ru.wikipedia.org/wiki/Путин"],
         "https://ru.wikipedia.org/wiki/%D0%9F%D1%83%D1%82%D0%B8%D0%BD"),
        (['https://a.example/"x"^{}', ], "https://a.example/%22x%22%5E%7B%7D"),
        (["https://", "Public record"], None),
        ([], None),
    ],
)  # fmt: skip
def test_the_url_is_the_first_http_source(sources: list[str], expected: str | None) -> None:
    """`url`: the first source that is wholly an http(s) URL with no control or format
    character, as a URI (other characters percent-encoded); None when there is none."""
    from chrono.export.ics_format import url

    assert url(_event("2024-01-01", sources=sources)) == expected


def test_the_url_is_in_url_and_every_source_stays_in_the_description(
    run: Run, tmp_path: Path
) -> None:
    """An event's first http(s) source is its URL; all its sources stay in DESCRIPTION; an
    event without one has no URL."""
    log = tmp_path / "events.toml"
    log.write_text(CALENDAR_LOG)
    events = _calendar(run, log)
    span = events["span"]
    assert str(span["URL"]) == "HTTPS://kremlin.ru/events/1"
    description = str(span["DESCRIPTION"])
    for n, source in enumerate(["TASS; Reuters", "ftp://files.example/a", "https://second"], 1):
        assert source in description
        assert f"[{n}]" in description
    assert [name for name, e in events.items() if "URL" in e] == ["span"]


def test_dtstamp_is_when_the_log_last_changed(run: Run, tmp_path: Path) -> None:
    """DTSTAMP is the log's modification time in UTC, to the second: the same file exports
    the same bytes, and a change to the log gives a later DTSTAMP."""
    log = tmp_path / "events.toml"
    log.write_text(CALENDAR_LOG)
    changed = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    os.utime(log, ns=(0, int(changed.timestamp()) * 10**9 + 999_999_999))
    first = run("export", "ics", "-f", str(log)).stdout_bytes
    assert run("export", "ics", "-f", str(log)).stdout_bytes == first
    stamps = {e.decoded("dtstamp") for e in _calendar(run, log).values()}
    assert stamps == {changed}
    assert first.count(b"DTSTAMP:20260304T050607Z\r\n") == len(_calendar(run, log))
    later = changed + dt.timedelta(days=400)
    os.utime(log, (later.timestamp(), later.timestamp()))
    assert {e.decoded("dtstamp") for e in _calendar(run, log).values()} == {later}


def test_revised_is_the_files_modification_time(tmp_path: Path) -> None:
    """`revised(path)`: the file's mtime in UTC, whole seconds; the epoch for a missing file."""
    from chrono.export import EPOCH
    from chrono.operations.exporting import revised

    log = tmp_path / "events.toml"
    log.write_text("")
    os.utime(log, ns=(0, 1_700_000_000_500_000_000))
    assert revised(log) == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    assert revised(tmp_path / "gone.toml") == EPOCH


# -- csv: no invisible character reaches a spreadsheet -------------------------------------

# Bidi embeddings and overrides, isolates, marks; zero-width characters, the word joiner,
# the byte-order mark, the soft hyphen, a tag character, line and paragraph separators.
INVISIBLE = (
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
    + ["\xad", "\U000e0041", "\u2028", "\u2029", "\x1b", "\x85"]
)
TEXT_COLUMNS = ("title", "summary", "actors", "location", "kind", "tags", "sources")


def _spoofed_log(folder: Path) -> Path:
    """A log whose every text field holds every invisible character, each between letters."""
    import tomli_w

    spoof = "a" + "b".join(INVISIBLE) + "z"
    doc = {
        "actors": {"ann": {"name": "Ann " + spoof}},
        "events": [
            {"id": "spoof", "date": "2024-01-01", "title": spoof, "summary": spoof,
             "actors": ["ann"], "location": spoof, "kind": spoof, "tags": [spoof],
             "sources": [spoof, "=HYPERLINK(\u202e\"x\")"]},
        ],
    }  # fmt: skip
    log = folder / "events.toml"
    log.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return log


def test_csv_cells_show_invisible_characters_as_escapes(run: Run, tmp_path: Path) -> None:
    """Read back with the csv module, every text column of the export holds each bidi
    control, zero-width or other invisible character as its visible escape (``\\u202e``),
    in order and between the letters it stood between, and the file holds none raw."""
    import csv
    import io

    result = run("export", "csv", "-f", str(_spoofed_log(tmp_path)))
    assert result.exit_code == 0, result.output
    text = result.stdout_bytes.decode("utf-8")
    assert not set(INVISIBLE) & set(text)
    [row] = csv.DictReader(io.StringIO(text, newline=""))
    shown = "a" + "b".join(visible(c) for c in INVISIBLE) + "z"
    assert shown.startswith("a\\u202ab\\u202bb") and "\\U000e0041" in shown
    for column in TEXT_COLUMNS:
        assert shown in row[column], column
    assert row["title"] == row["summary"] == row["location"] == row["kind"] == shown
    assert row["actors"] == "Ann " + shown
    assert row["sources"].endswith('; =HYPERLINK(\\u202e"x")')


@pytest.mark.parametrize("char", INVISIBLE)
def test_csv_cell_escapes_each_invisible_character(char: str) -> None:
    """`csv_cell` writes each invisible character as the escape the terminal shows, at its
    place, and one first in a cell never hides a formula after it."""
    assert csv_cell(f"x{char}y") == f"x{visible(char)}y"
    escaped = csv_cell(f"{char}=1+1")
    assert escaped.startswith("\\") and escaped.endswith("=1+1")
