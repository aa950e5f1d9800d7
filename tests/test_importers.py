"""The importers at module level: dates at the precision given, columns found by name, each
format's fields, and the batch append read back in slices."""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from chrono import importers
from chrono.core.dates import Precision
from chrono.core.errors import DateError, WriteError
from chrono.importers import Source, calendar, chrono_json, jrnl, parts, sheet, timelinejs
from chrono.storage import writer

TODAY = dt.date(2026, 11, 25)


def _source(name: str = "f", mapping: dict[str, str] | None = None) -> Source:
    return Source(name, TODAY, mapping or {})


@pytest.mark.parametrize(
    ("given", "iso", "precision"),
    [
        ((1962,), "1962", Precision.YEAR),
        (("1962", "10"), "1962-10", Precision.MONTH),
        ((1962, 10, 22), "1962-10-22", Precision.DAY),
        ((1962, 10, 22, 19, 0), "1962-10-22T19:00", Precision.MINUTE),
        ((1962, 10, 22, "19", "5", "7"), "1962-10-22T19:05:07", Precision.SECOND),
        ((1962.0, 10.0), "1962-10", Precision.MONTH),
    ],
)
def test_a_date_in_parts_keeps_exactly_the_precision_given(
    given: tuple[object, ...], iso: str, precision: Precision
) -> None:
    """A year alone is a year, with a month a month: nothing is invented."""
    date = parts.from_parts(*given)
    assert (date.isoformat(), date.precision) == (iso, precision)


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ((None,), "no year"),
        ((1962, None, 3), "a day without a month"),
        ((1962, 10, None, 9), "a time without a day"),
        ((1962, 13), "no month 13"),
        ((1962, 2, 30), "February 1962 has 28 days"),
        (("c. 1962",), "must be a whole number"),
        ((True,), "must be a number"),
    ],
)
def test_parts_that_make_no_date_are_refused(given: tuple[object, ...], said: str) -> None:
    """A missing part before a given one, or an impossible date, is a DateError."""
    with pytest.raises(DateError, match=said):
        parts.from_parts(*given)


def test_a_display_date_is_kept_as_an_approximation_or_in_words() -> None:
    """`c. 1962` makes 1962 approximate and says no more; other words are given back."""
    year = parts.from_parts(1962)
    assert parts.display(year, "c. 1962") == (parts.from_parts(1962).__class__(
        1962, precision=Precision.YEAR, qualifier="~"), None)  # fmt: skip
    assert parts.display(year, "circa 1960s")[1] == "circa 1960s"
    assert parts.display(year, "Winter 1962/63") == (year, "Winter 1962/63")
    assert parts.display(year, "1962") == (year, None)
    assert parts.summary_with(None, "Winter 1962/63") == "Date as given: Winter 1962/63"
    assert parts.summary_with("Text.", "W") == "Text.\n\nDate as given: W"


@pytest.mark.parametrize(
    ("text", "hour", "minute"),
    [("14:30", 14, 30), ("2:30 PM", 14, 30), ("12:05 am", 0, 5), ("9", 9, 0)],
)
def test_a_time_column_gives_a_day_its_minute(text: str, hour: int, minute: int) -> None:
    """Times as spreadsheets write them, read on the day given."""
    date = parts.with_time(parts.from_parts(2026, 1, 22), text)
    assert (date.hour, date.minute, date.precision) == (hour, minute, Precision.MINUTE)


def test_columns_are_found_by_english_and_german_names_and_by_map() -> None:
    """Each field's column by its usual header; --map first; the rest said unused."""
    headers = ["Datum", "Titel", "Notizen", "Personen", "Ort", "Quelle", "Farbe"]
    columns = sheet.find_columns(headers, {}, "f")
    assert columns.at == {"date": 0, "title": 1, "summary": 2, "actors": 3, "location": 4,
                          "sources": 5}  # fmt: skip
    assert columns.unused == ["Farbe"]
    mapped = sheet.find_columns(headers, {"Farbe": "kind", "C": "title"}, "f")
    assert (mapped.at["kind"], mapped.at["title"]) == (6, 2)


def test_the_separator_is_read_from_the_header_line() -> None:
    """Tab, semicolon or comma: whichever the header holds most of."""
    assert sheet._delimiter("a;b;c") == ";"
    assert sheet._delimiter("a\tb\tc,d") == "\t"
    assert sheet._delimiter("a,b") == ","
    assert sheet._delimiter("title") == ","


def test_timelinejs_sheet_rows_are_dated_by_their_year_month_and_day_columns() -> None:
    """The template's columns: a title slide skipped, an era's end kept, media as sources."""
    text = (
        "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,"
        "Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n"
        ",,,,,,,,,The story,Intro,,,,,title,,\n"
        "1962,10,,,,,,,,Crisis month,,https://e.org/p.jpg,AP,,,,Cuba,\n"
        "1962,10,22,19:00,1962,10,28,,,Speech,<p>On TV</p>,,,,,,,\n"
    )
    batch = sheet.read(text.encode(), _source())
    assert [d.date.isoformat() for d in batch.drafts] == ["1962-10", "1962-10-22T19:00"]
    assert batch.drafts[0].sources == ("https://e.org/p.jpg", "AP")
    assert batch.drafts[0].tags == ("Cuba",)
    assert batch.drafts[1].end is not None and batch.drafts[1].end.isoformat() == "1962-10-28"
    assert batch.notes == ("1 title slide of the timeline: not events, skipped",)


def test_timelinejs_json_events_keep_their_parts_and_read_html_as_text() -> None:
    """Headline and text from HTML, links as sources, group as a tag, eras as kind era."""
    doc = {
        "title": {"text": {"headline": "Title"}},
        "events": [
            {"start_date": {"year": "1969", "month": "7"}, "text": {
                "headline": "<b>Moon</b> landing", "text": "<p>One <a href='https://n.org/a'>"
                "small</a> step</p><p>Giant leap</p>"}, "group": "space",
             "media": {"url": "https://n.org/m.jpg", "credit": "NASA"}},
            {"start_date": {"year": 1970}, "display_date": "c. 1970", "text": {"headline": "X"}},
            {"start_date": {"month": 3}, "text": {"headline": "Y"}},
        ],
        "eras": [{"start_date": {"year": 1960}, "end_date": {"year": 1969},
                  "text": {"headline": "Sixties"}}],
    }  # fmt: skip
    batch = timelinejs.read(json.dumps(doc).encode(), _source("t.json"))
    moon, circa, era = batch.drafts
    assert (moon.title, moon.summary) == ("Moon landing", "One small step\nGiant leap")
    assert moon.date.isoformat() == "1969-07" and moon.tags == ("space",)
    assert moon.sources == ("https://n.org/m.jpg", "NASA", "https://n.org/a")
    assert circa.date.isoformat() == "1970~" and circa.summary is None
    assert (era.kind, era.end.isoformat() if era.end else None) == ("era", "1969")
    assert batch.problems == [importers.Problem("t.json:$.events[2].start_date", "no year")]


ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:1
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20260122
DTEND;VALUE=DATE:20260124
SUMMARY:Two days of talks
CATEGORIES:ukraine,talks
ATTENDEE;CN=Steve Witkoff:mailto:sw@example.org
ATTENDEE:mailto:anon@example.org
LOCATION:Kremlin
URL:https://example.org/talks
END:VEVENT
BEGIN:VEVENT
UID:2
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/Berlin:20260203T180000
DURATION:PT1H30M
SUMMARY:Call
END:VEVENT
BEGIN:VEVENT
UID:3
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20260301
DTEND;VALUE=DATE:20260302
SUMMARY:One day
RRULE:FREQ=YEARLY
END:VEVENT
BEGIN:VEVENT
UID:4
DTSTAMP:20260101T000000Z
DTSTART:20260301T100000Z
END:VEVENT
END:VCALENDAR
"""


def test_calendar_events_are_days_or_moments_in_their_zone() -> None:
    """An all-day DTEND is exclusive; a TZID time keeps its offset; DURATION is the end;
    attendees are actors by their common name; a VEVENT with no SUMMARY is its line's."""
    batch = calendar.read(ICS.replace("\n", "\r\n").encode(), _source("c.ics"))
    talks, call, day = batch.drafts
    assert talks.date.isoformat() == "2026-01-22"
    assert talks.end is not None and talks.end.isoformat() == "2026-01-23"
    assert talks.actors == ("Steve Witkoff", "anon@example.org")
    assert talks.tags == ("ukraine", "talks") and talks.sources == ("https://example.org/talks",)
    assert call.date.isoformat() == "2026-02-03T18:00+01:00"
    assert call.end is not None and call.end.isoformat() == "2026-02-03T19:30+01:00"
    assert day.end is None
    assert batch.problems == [importers.Problem("c.ics:31:SUMMARY", "the event has no SUMMARY")]
    assert batch.notes == ("1 recurring event(s): only the first occurrence imported",)


def test_chrono_json_gives_back_ids_qualifiers_extras_and_the_registry() -> None:
    """The export's shape read back: an id, a qualified date, an unknown key, the actors."""
    doc = {"format": "chrono", "version": 1, "timezone": "Europe/Moscow",
           "actors": {"putin": {"name": "Vladimir Putin", "aliases": ["Putin"], "role": None,
                                "note": None}},
           "events": [{"id": "a", "date": "2025-12", "date_qualifier": "approximate",
                       "end": None, "end_qualifier": None, "title": "T", "summary": None,
                       "actors": [{"key": "putin", "name": "Vladimir Putin"},
                                  {"key": None, "name": "Free"}],
                       "location": None, "kind": None, "tags": [], "sources": [],
                       "extra": {"status": "draft"}},
                      {"id": "b", "date": "2025-13", "title": "T"}]}  # fmt: skip
    batch = chrono_json.read(json.dumps(doc).encode(), _source("e.json"))
    (event,) = batch.drafts
    assert (event.event_id, event.date.isoformat()) == ("a", "2025-12~")
    assert event.actors == ("putin", "Free")
    assert event.extra == {"status": "draft"} and batch.timezone == "Europe/Moscow"
    assert [a.key for a in batch.actors] == ["putin"]
    assert batch.problems[0].where == "e.json:$.events[1].date"


def test_jrnl_entries_are_minutes_with_their_tags() -> None:
    """Date and time as jrnl writes them; @ dropped from tags; a star a tag; a body the
    summary; an entry with no title takes its body's first line."""
    doc = {"tags": {"@work": 1}, "entries": [
        {"title": "Met the envoy.", "body": "Long talk.", "date": "2026-01-22", "time": "10:30",
         "tags": ["@work"], "starred": True},
        {"title": "", "body": "First line\nrest", "date": "2026-01-23", "time": "09:00",
         "tags": [], "starred": False},
        {"title": "x", "date": "22.01.2026", "time": "09:00"}]}  # fmt: skip
    batch = jrnl.read(json.dumps(doc).encode(), _source("j.json"))
    first, second = batch.drafts
    assert (first.date.isoformat(), first.tags, first.summary) == (
        "2026-01-22T10:30", ("work", "starred"), "Long talk.")  # fmt: skip
    assert (second.title, second.summary) == ("First line", "rest")
    assert batch.problems == [importers.Problem("j.json:$.entries[2].date",
                                                "not a date: '22.01.2026'")]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("x.csv", b"BEGIN:VCALENDAR\r\n", "ics"),
        ("x.txt", b'{"format": "chrono", "version": 1}', "chrono"),
        ("x.json", b'{"entries": []}', "jrnl"),
        ("x.json", b'\xef\xbb\xbf{"events": []}', "timelinejs"),
        ("x.tsv", b"a\tb", "csv"),
        ("x.ics", b"date,title", "ics"),
        ("x", b"date,title", "csv"),
    ],
)
def test_the_format_is_read_from_the_content_then_the_name(
    name: str, data: bytes, kind: str
) -> None:
    """JSON and iCalendar by their first bytes, else by the suffix, else a spreadsheet."""
    assert importers.detect(name, data) == kind


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_the_writer_quotes_a_string_as_tomli_w_does(text: str) -> None:
    """The quick path for plain strings writes the bytes tomli-w would, for any text."""
    assert writer.toml_value(text) == tomli_w.dumps({"v": text}).removeprefix("v = ").rstrip("\n")
    listed = [text, "b"]
    assert tomllib.loads(f"v = {writer.toml_value(listed)}") == {"v": listed}


def test_an_append_that_would_not_read_back_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The appended slices are parsed on their own: a table written wrong is refused."""
    from chrono.operations.importing import import_batch, read_source
    from tests.conftest import cache

    log = tmp_path / "events.toml"
    log.write_text('[chrono]\ntimezone = "UTC"\n', encoding="utf-8")
    source = tmp_path / "a.csv"
    source.write_text("date,title\n2026-01-01,One\n2026-01-02,Two\n", encoding="utf-8")
    kind, batch = read_source(str(source), None, _source())
    real = writer.table

    def wrong(header: str, values: dict[str, object]) -> str:
        return real(header, {**values, "title": "Other"})

    monkeypatch.setattr(writer, "table", wrong)
    with pytest.raises(WriteError, match="would not read back as the event given"):
        import_batch(log, kind, batch, cache())
    assert log.read_text(encoding="utf-8") == '[chrono]\ntimezone = "UTC"\n'


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_DATES = st.builds(parts.from_parts, st.integers(1, 9999), st.one_of(st.none(), st.integers(1, 12)))


@st.composite
def _drafts(draw: st.DrawFn) -> importers.Draft:
    date = draw(_DATES)
    day = date.precision >= Precision.MONTH and draw(st.booleans())
    if day:
        date = parts.from_parts(date.year, date.month, draw(st.integers(1, 28)))
    return importers.Draft(
        "f:2", draw(_TEXT.filter(str.strip)), date,
        summary=draw(st.one_of(st.none(), _TEXT)),
        actors=tuple(draw(st.lists(_TEXT, max_size=3))),
        location=draw(st.one_of(st.none(), _TEXT)), tags=tuple(draw(st.lists(_TEXT, max_size=3))),
        kind=draw(st.one_of(st.none(), _TEXT)), sources=tuple(draw(st.lists(_TEXT, max_size=2))),
        event_id=draw(st.one_of(st.none(), st.from_regex(r"[a-z0-9-]{1,8}", fullmatch=True))),
    )  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_drafts(), min_size=1, max_size=6), st.sampled_from(["UTC", "Europe/Moscow"]))
def test_every_event_the_planner_makes_is_one_the_log_reads_back_as_valid(
    drafts: list[importers.Draft], zone: str
) -> None:
    """Whatever the drafts hold, each event planned (or each row refused) is one that chrono's
    own validation builds back exactly, with no error: the batch append relies on it."""
    from chrono.core.actors import Actor, Registry
    from chrono.core.dates import load_timezone
    from chrono.core.fields import Unplaced
    from chrono.core.model import Chronology
    from chrono.core.validate import build
    from chrono.operations.batch import plan

    tz = load_timezone(zone)
    assert tz is not None
    registry = Registry([Actor("putin", "Vladimir Putin", ("Putin",))])
    book = Chronology("f", zone, tz, registry, ())
    planned = plan(book, importers.Batch(drafts, [], len(drafts)), False, False)
    assert len(planned.events) + len(planned.problems) == len(drafts)
    putin = writer.actor_fields(registry.actors["putin"])
    events = [writer.event_fields(e) for e in planned.events]
    doc = {"chrono": {"timezone": zone}, "actors": {"putin": putin}, "events": events}
    text = tomli_w.dumps(doc)
    built, diagnostics = build(tomllib.loads(text), "f", Unplaced(), lint=False)
    assert [d for d in diagnostics if d.severity == "error"] == []
    by_id = {e.id: e for e in built.events}
    assert len(by_id) == len(planned.events)  # ids unique across the batch
    for event in planned.events:
        again = by_id[event.id]
        assert writer.event_fields(again) == writer.event_fields(event)
        assert (again.start, again.stop) == (event.start, event.stop)


def _batch_files(tmp_path: Path, rows: int = 9) -> tuple[Path, str, importers.Batch]:
    from chrono.operations.importing import read_source

    log = tmp_path / "events.toml"
    log.write_text('[chrono]\ntimezone = "UTC"\n', encoding="utf-8")
    source = tmp_path / "a.csv"
    body = "".join(f"2026-01-{n % 28 + 1:02d},Event {n}\n" for n in range(rows))
    source.write_text("date,title\n" + body, encoding="utf-8")
    kind, batch = read_source(str(source), None, _source())
    return log, kind, batch


@pytest.mark.parametrize("parallel", [True, False])
def test_a_batch_read_back_in_a_child_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    """Slices parsed in a forked child or here: the same log, byte for byte."""
    from chrono.operations.importing import import_batch
    from chrono.storage import appended, readback
    from tests.conftest import cache

    monkeypatch.setattr(appended, "SLICE", 2)
    monkeypatch.setattr(readback, "PARALLEL", 2 if parallel else 10**9)
    forks = []
    real_fork = readback.ReadBack._fork
    monkeypatch.setattr(readback.ReadBack, "_fork", lambda self: forks.append(real_fork(self)))
    log, kind, batch = _batch_files(tmp_path)
    import_batch(log, kind, batch, cache())
    assert len(forks) == (1 if parallel else 0)
    expected = '[chrono]\ntimezone = "UTC"\n' + "".join(
        f'\n[[events]]\nid = "2026-01-{d:02d}-event-{n}"\ndate = "2026-01-{d:02d}"\n'
        f'title = "Event {n}"\n'
        for d, n in sorted((n % 28 + 1, n) for n in range(9))
    )
    assert log.read_text(encoding="utf-8") == expected


@pytest.mark.parametrize(
    ("broken", "said"),
    [
        ("differs", "would not read back as the event given"),
        ("no toml", "appending would break the file"),
        ("child dies", "the appended text could not be read back"),
    ],
)
def test_a_child_that_reads_back_something_else_refuses_the_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str, said: str
) -> None:
    """A slice that parses to other values, one that is no TOML, a child that ends without
    answering: each refuses the whole batch, the log untouched, no child left."""
    from chrono.operations.importing import import_batch
    from chrono.storage import appended, readback
    from tests.conftest import cache

    monkeypatch.setattr(appended, "SLICE", 2)
    monkeypatch.setattr(readback, "PARALLEL", 2)
    real = writer.table
    if broken == "differs":
        monkeypatch.setattr(writer, "table", lambda h, v: real(h, {**v, "title": "Other"}))
    elif broken == "no toml":
        monkeypatch.setattr(writer, "table", lambda h, v: real(h, v) + "= nonsense\n")
    else:
        monkeypatch.setattr(readback, "_serve", lambda down, up, shown: os._exit(3))
    log, kind, batch = _batch_files(tmp_path)
    with pytest.raises(WriteError, match=said):
        import_batch(log, kind, batch, cache())
    assert log.read_text(encoding="utf-8") == '[chrono]\ntimezone = "UTC"\n'
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every child reaped
