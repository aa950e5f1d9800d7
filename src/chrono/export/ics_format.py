"""iCalendar via the icalendar package: one VEVENT per event, reproducible output.

iCalendar text may not hold control characters (RFC 5545, 3.3.11), and a calendar file
is often read in a terminal: escapes, bells and bidi overrides are written as visible
``\\x1b``-style escapes, as the terminal views show them
(:func:`~chrono.output.safe_text.ics_text`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from chrono import __version__
from chrono.core.dates import US, Precision, to_datetime
from chrono.core.model import Event
from chrono.export import Context
from chrono.output.labels import date_label
from chrono.output.safe_text import ics_text

DESCRIPTION = "iCalendar, one VEVENT per event"
DTSTAMP = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # fixed, so the same log gives the same file


def uid(event: Event) -> str:
    """A stable UID: the same event id gives the same UID in every export."""
    return f"{event.id}@chrono"


def _local_day(micros: int, tz: dt.tzinfo) -> dt.date:
    return to_datetime(micros).astimezone(tz).date()


def render(context: Context) -> bytes:
    """The calendar as iCalendar bytes (CRLF lines, folded at 75 octets)."""
    import icalendar  # noqa: PLC0415 - only this exporter needs it

    chronology = context.chronology
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//chrono//chrono {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", ics_text(context.title))
    for event in context.selection.events:
        item = icalendar.Event()
        item.add("uid", uid(event))
        item.add("dtstamp", DTSTAMP)
        coarse = event.date.precision <= Precision.DAY and (
            event.end is None or event.end.precision <= Precision.DAY
        )
        if coarse:  # all-day: the period's days in the log's zone, DTEND exclusive
            item.add("dtstart", _local_day(event.start, chronology.tz))
            item.add("dtend", _local_day(event.stop, chronology.tz))
        else:
            item.add("dtstart", _moment(event.start, event, chronology.tz))
            if event.end is not None:
                item.add("dtend", _moment(event.stop, event, chronology.tz))
        item.add("summary", ics_text(event.title))
        item.add("description", ics_text(_description(context, event), multiline=True))
        if event.location:
            item.add("location", ics_text(event.location))
        if event.tags:
            item.add("categories", [ics_text(tag) for tag in event.tags])
        calendar.add_component(item)
    if hasattr(calendar, "add_missing_timezones"):
        calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


def _moment(micros: int, event: Event, tz: dt.tzinfo) -> dt.datetime:
    """A datetime in the zone it was written in: the log's zone, or UTC for offsets."""
    moment = to_datetime(micros)
    if event.date.offset is None and micros % US == 0:
        return moment.astimezone(tz)
    return moment


def _description(context: Context, event: Event) -> str:
    chronology = context.chronology
    parts: list[Any] = []
    when = date_label(chronology, event, context.display)
    qualifier = event.date.qualifier_name or (event.end.qualifier_name if event.end else None)
    parts.append(f"Date: {when}" + (f" ({qualifier})" if qualifier else ""))
    names = [chronology.registry.display(a) for a in event.actors]
    if names:
        parts.append("Actors: " + ", ".join(names))
    if event.kind:
        parts.append(f"Kind: {event.kind}")
    if event.summary:
        parts.append("\n" + event.summary.strip())
    if event.sources:
        parts.append(
            "\nSources:\n" + "\n".join(f"[{i}] {s}" for i, s in enumerate(event.sources, 1))
        )
    return "\n".join(parts)
