"""iCalendar via the icalendar package: one VEVENT per event, reproducible output.

``DTSTAMP`` is when the log last changed (its modification time, :attr:`Context.revised`),
so the same file exports the same bytes. An event with a time always has its end, as a
calendar program would otherwise give it a length of its own: a time is a moment
(:func:`finish`). ``URL`` is the first http(s) source (:func:`url`).

iCalendar text may not hold control characters (RFC 5545, 3.3.11), and a calendar file
is often read in a terminal: escapes, bells and bidi overrides are written as visible
``\\x1b``-style escapes, as the terminal views show them
(:func:`~chrono.output.safe_text.ics_text`).

Every date the log accepts is exported exactly, also at the edges of the calendar, where
iCalendar's four-digit years run out (RFC 5545, 3.3.4 and 3.3.5): an end that would fall
after 9999-12-31 is written as the event's ``DURATION`` instead of ``DTEND`` (3.8.2.5:
one or the other), and a start that falls before year 1 in UTC (``0001-01-01T00:00+05:00``)
is written as the time written, in the offset in force then, with a ``VTIMEZONE`` for
that fixed offset.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from typing import Any
from urllib.parse import quote

from chrono import __version__
from chrono.core.dates import DAY_US, US, PartialDate, Precision, to_datetime
from chrono.core.model import Event
from chrono.export import Context
from chrono.output.labels import date_label
from chrono.output.safe_text import ics_text, unsafe

DESCRIPTION = "iCalendar, one VEVENT per event"


def uid(event: Event) -> str:
    """A stable UID: the same event id gives the same UID in every export."""
    return f"{event.id}@chrono"


def render(context: Context) -> bytes:
    """The calendar as iCalendar bytes (CRLF lines, folded at 75 octets)."""
    import icalendar  # noqa: PLC0415 - only this exporter needs it

    chronology = context.chronology
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//chrono//chrono {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", ics_text(context.title))
    offsets: dict[int, dt.timezone] = {}  # fixed offsets of starts before year 1 in UTC
    for event in context.selection.events:
        item = icalendar.Event()
        item.add("uid", uid(event))
        item.add("dtstamp", context.revised)
        _add_span(item, event, chronology.tz, offsets)
        item.add("summary", ics_text(event.title))
        item.add("description", ics_text(_description(context, event), multiline=True))
        link = url(event)
        if link is not None:
            item.add("url", link)
        if event.location:
            item.add("location", ics_text(event.location))
        if event.tags:
            item.add("categories", [ics_text(tag) for tag in event.tags])
        calendar.add_component(item)
    for zone in offsets.values():
        calendar.add_component(_fixed_zone(icalendar, zone))
    if hasattr(calendar, "add_missing_timezones"):
        calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


def _add_span(item: Any, event: Event, tz: dt.tzinfo, offsets: dict[int, dt.timezone]) -> None:
    """DTSTART, and DTEND or (where it cannot be written) DURATION: all day, or at a time."""
    last = event.end or event.date
    if event.date.precision <= Precision.DAY and last.precision <= Precision.DAY:
        # All-day: the period's days in the log's zone, DTEND exclusive. Dates without a
        # time have no offset: their days are the days written.
        first = _day(event.date.start(dt.UTC))
        days = (last.stop(dt.UTC) - event.date.start(dt.UTC)) // DAY_US
        item.add("dtstart", first)
        if first.toordinal() + days <= dt.date.max.toordinal():
            item.add("dtend", first + dt.timedelta(days=days))
        else:
            item.add("duration", dt.timedelta(days=days))
        return
    item.add("dtstart", _moment(event.start, event, tz) or _as_written(event, offsets))
    until = finish(event, tz)
    # A moment is DURATION:PT0S: a DTEND equal to DTSTART is read as an hour by some
    # calendars (khal), though RFC 5545 (3.6.1) makes it a moment too.
    stop = _moment(until, event, tz) if until > event.start else None
    if stop is not None:
        item.add("dtend", stop)
    else:
        item.add("duration", dt.timedelta(microseconds=until - event.start))


def finish(event: Event, tz: dt.tzinfo) -> int:
    """Where an event ends (microseconds, UTC). A date or end written as a day, month or
    year ends after that period; a time written to the minute or the second is a moment, so
    an event of one time ends as it starts (a calendar would otherwise give it an hour of
    its own) and one with an end at that end's time."""
    last = event.end or event.date
    if last.precision <= Precision.DAY:
        return event.stop
    if event.end is None:
        return event.start
    return max(event.end.start(tz), event.start)


_URL = re.compile(r"https?://\S+", re.IGNORECASE)
# What RFC 3986 allows in a URI as it is; any other character is percent-encoded (UTF-8).
_URI_CHARS = frozenset(string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%")


def url(event: Event) -> str | None:
    """The event's first source that is an http(s) URL (and holds no control or format
    character), as a URI: the ``URL`` property. None when no source is one."""
    for source in event.sources:
        text = source.strip()
        if _URL.fullmatch(text) and not unsafe().search(text):
            return "".join(c if c in _URI_CHARS else quote(c, safe="") for c in text)
    return None


def _day(micros: int) -> dt.date:
    return dt.date.fromordinal(dt.date(1970, 1, 1).toordinal() + micros // DAY_US)


def _moment(micros: int, event: Event, tz: dt.tzinfo) -> dt.datetime | None:
    """A datetime in the zone it was written in: the log's zone, or UTC for offsets (None:
    outside the years 1 to 9999 there)."""
    try:
        moment = to_datetime(micros)
        if event.date.offset is None and micros % US == 0:
            return moment.astimezone(tz)
    except OverflowError:
        return None
    return moment


def _as_written(event: Event, offsets: dict[int, dt.timezone]) -> dt.datetime:
    """The start as its wall time and the offset in force then (years 1 to 9999 by the
    log's rules, even where UTC is year 0)."""
    date: PartialDate = event.date
    wall = date.start(dt.UTC) + (date.offset or 0) * US  # the time written, as if in UTC
    seconds = (wall - event.start) // US
    if seconds not in offsets:
        sign, rest = ("+" if seconds >= 0 else "-"), abs(seconds)
        name = f"UTC{sign}{rest // 3600:02d}{rest // 60 % 60:02d}"
        offsets[seconds] = dt.timezone(dt.timedelta(seconds=seconds), name)
    naive = dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=wall)
    return naive.replace(tzinfo=offsets[seconds])


def _fixed_zone(icalendar: Any, zone: dt.timezone) -> Any:
    """The VTIMEZONE of a fixed offset (TZOFFSETFROM and TZOFFSETTO are the same)."""
    offset = zone.utcoffset(None)
    standard = icalendar.TimezoneStandard()
    standard.add("dtstart", dt.datetime(1, 1, 1))
    standard.add("tzoffsetfrom", offset)
    standard.add("tzoffsetto", offset)
    standard.add("tzname", zone.tzname(None))
    timezone = icalendar.Timezone()
    timezone.add("tzid", zone.tzname(None))
    timezone.add_component(standard)
    return timezone


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
