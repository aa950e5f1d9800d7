"""Every date check accepts exports in every format and shows in every view, also at the
edges of the calendar (years 1 and 9999, offsets of ±23:59, zones 14 hours from UTC)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import icalendar
import pytest
import tomli_w
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from chrono.core.fields import Unplaced
from chrono.core.query import Selection
from chrono.core.validate import build
from chrono.export import Context, get
from chrono.export.ics_format import finish
from chrono.formats import FORMATS
from chrono.output import render
from chrono.output.records import event_record, shown_record, to_json
from tests.conftest import Run

ZONES = ["UTC", "Etc/GMT-14", "Etc/GMT+12", "Pacific/Kiritimati", "Pacific/Pago_Pago"]
NAMED = ["9999", "9999-12", "9999-12-31", "0001-01-01T00:00+23:59", "9999-12-31T23:59-23:59"]


@st.composite
def edge_dates(draw: st.DrawFn) -> str:
    """A date as a log writes it, in the first or the last days of the calendar."""
    year = draw(st.sampled_from([1, 2, 9998, 9999]))
    month = draw(st.sampled_from([1, 12]))
    day = draw(st.sampled_from([1, 31]))
    precision = draw(st.sampled_from(["year", "month", "day", "minute", "second", "micro"]))
    text = f"{year:04d}"
    if precision != "year":
        text += f"-{month:02d}"
    if precision not in ("year", "month"):
        text += f"-{day:02d}"
    if precision in ("minute", "second", "micro"):
        text += draw(st.sampled_from(["T00:00", "T23:59", "T12:00"]))
        if precision != "minute":
            text += draw(st.sampled_from([":00", ":59"]))
        if precision == "micro":
            text += draw(st.sampled_from([".000001", ".999999"]))
        text += draw(st.sampled_from(["", "Z", "+23:59", "-23:59", "+14:00", "-12:00"]))
    return text + draw(st.sampled_from(["", "", "~", "?"]))


def chronology_of(zone: str, dates: list[tuple[str, str | None]]) -> tuple[object, list[str]]:
    """The chronology of a log with one event for each (date, end), and its errors."""
    events = []
    for i, (date, end) in enumerate(dates):
        event = {"id": f"e{i}", "date": date, "title": f"Event {i}", "actors": ["Ann"]}
        if end is not None:
            event["end"] = end
        events.append(event)
    doc = {"chrono": {"timezone": zone}, "events": events}
    chronology, diagnostics = build(doc, "events.toml", Unplaced())
    return chronology, [d.message for d in diagnostics if d.severity == "error"]


def every_output(chronology: object, display: dt.tzinfo) -> dict[str, bytes]:
    """Every export format and every terminal view of all the log's events."""
    events = tuple(sorted(chronology.events, key=lambda e: e.sort_key))  # type: ignore[attr-defined]
    selection = Selection(events, {e.id: i for i, e in enumerate(events, 1)}, len(events))
    out: dict[str, bytes] = {}
    for name in FORMATS:
        for style in ("list", "table"):
            context = Context(chronology, selection, display, "Edges", style, mermaid=True)  # type: ignore[arg-type]
            out[f"{name} {style}"] = get(name).render(context)
    screen = io.StringIO()
    console = render.make_console(file=screen, width=100, colour=False)
    render.timeline(console, chronology, selection, display)  # type: ignore[arg-type]
    render.table(console, chronology, selection, display)  # type: ignore[arg-type]
    for event in events:
        render.show(console, chronology, event, (None, None), display)  # type: ignore[arg-type]
        to_json(shown_record(chronology, event, None, None))  # type: ignore[arg-type]
        to_json(event_record(chronology, event))  # type: ignore[arg-type]
    out["terminal"] = screen.getvalue().encode()
    return out


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(ZONES),
    st.sampled_from([None, *ZONES]),
    st.lists(st.tuples(edge_dates(), st.one_of(st.none(), edge_dates())), min_size=1, max_size=3),
)
def test_every_accepted_edge_date_exports(
    zone: str, shown_in: str | None, dates: list[tuple[str, str | None]]
) -> None:
    """A log check accepts exports in every format and draws every view without an error,
    shown in its own zone or any other, and icalendar reads its calendar."""
    from zoneinfo import ZoneInfo

    chronology, errors = chronology_of(zone, dates)
    assume(not errors)  # an end before its start, say: check refuses the log
    outputs = every_output(chronology, ZoneInfo(shown_in or zone))
    calendar = icalendar.Calendar.from_ical(outputs["ics list"])
    assert len(calendar.walk("vevent")) == len(dates)
    assert len(json.loads(outputs["json list"])["events"]) == len(dates)


@pytest.mark.parametrize("date", NAMED)
def test_the_last_days_are_exact_in_ics(date: str) -> None:
    """An end past 9999-12-31 is the event's DURATION; a start before year 1 in UTC is its
    own wall time in its offset: both read back as the span the log says."""
    chronology, errors = chronology_of("Pacific/Kiritimati", [(date, None), (date, date)])
    assert errors == []
    data = every_output(chronology, dt.UTC)["ics list"]
    for item in icalendar.Calendar.from_ical(data).walk("vevent"):
        event = next(e for e in chronology.events if f"{e.id}@chrono" == item["uid"])  # type: ignore[attr-defined]
        start = item.decoded("dtstart")
        if "dtend" in item:
            end = item.decoded("dtend")
        elif "duration" in item:
            end = None
            until = finish(event, chronology.tz)
            assert item.decoded("duration") == dt.timedelta(microseconds=until - event.start)
        else:  # a moment without an end
            assert event.end is None and event.date.precision > 3
            continue
        if isinstance(start, dt.datetime):
            epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
            assert (start - epoch) // dt.timedelta(microseconds=1) == event.start
        else:
            assert start.isoformat() == (date + "-01-01")[:10]  # the first day written
        assert end is None or end > start


@pytest.mark.parametrize("date", NAMED)
def test_edge_dates_through_the_command_line(run: Run, tmp_path: Path, date: str) -> None:
    """check accepts the date, and every export and view of it ends with status 0."""
    log = tmp_path / "events.toml"
    doc = {"chrono": {"timezone": "Pacific/Kiritimati"},
           "events": [{"id": "a", "date": date, "title": "Edge"},
                      {"id": "b", "date": date, "end": date, "title": "Span"}]}  # fmt: skip
    log.write_text(tomli_w.dumps(doc), encoding="utf-8")
    assert run("check", "-f", str(log)).exit_code == 0
    for args in (
        *(("export", fmt) for fmt in FORMATS),
        ("list",),
        ("list", "-F", "table"),
        ("list", "-F", "json"),
        ("list", "--tz", "Etc/GMT+12"),
        ("show", "a"),
        ("show", "b", "-F", "json"),
        ("export", "ics", "--tz", "Etc/GMT-14"),
    ):
        result = run(*args, "-f", str(log))
        assert result.exit_code == 0, (args, result.output)
    calendar = icalendar.Calendar.from_ical(run("export", "ics", "-f", str(log)).stdout_bytes)
    assert [str(e["uid"]) for e in calendar.walk("vevent")] == ["a@chrono", "b@chrono"]
