"""iCalendar (``.ics``), read with the icalendar library: each VEVENT, an all-day
``DTSTART`` as a day, a timed one as a moment with its offset in its zone (a floating
time in the log's zone), ``DTEND`` or ``DURATION`` as the end, ``SUMMARY``,
``DESCRIPTION``, ``LOCATION``, ``URL``, ``CATEGORIES``, and the common names of
``ATTENDEE`` as actors. A recurring event is imported once, at its first occurrence."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from chrono.core.dates import PartialDate, Precision, make_date
from chrono.core.errors import DateError
from chrono.importers import Bad, Batch, Draft, NotThisFormat, Source, clean, gather, text_of

DESCRIPTION = "iCalendar (.ics)"

_BEGIN = re.compile(r"^BEGIN:VEVENT\s*$", re.IGNORECASE | re.MULTILINE)


def read(data: bytes, source: Source) -> Batch:
    """The events of every VEVENT in the calendar."""
    import icalendar  # noqa: PLC0415 - only an .ics import needs it

    text = text_of(data, source.shown)
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise NotThisFormat(
            f"{source.shown}: error: not an iCalendar file (it does not begin with BEGIN:VCALENDAR)"
        )
    if "END:VCALENDAR" not in text.upper():
        raise NotThisFormat(f"{source.shown}: error: the calendar is cut short (no END:VCALENDAR)")
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # whatever the library raises, the file is said to be bad
        raise NotThisFormat(f"{source.shown}: error: not an iCalendar file ({exc})") from None
    lines = [text.count("\n", 0, m.start()) + 1 for m in _BEGIN.finditer(text)]
    events = [c for calendar in calendars for c in calendar.walk("VEVENT")]
    if not events:
        raise NotThisFormat(
            f"{source.shown}: error: the calendar holds no VEVENT (to-dos and journals are "
            "not events)"
        )
    places = (f"{source.shown}:{lines[n] if n < len(lines) else 1}" for n in range(len(events)))
    drafts, problems = gather(zip(places, events, strict=True), _guarded)
    recurring = sum("RRULE" in event for event in events)
    notes = (f"{recurring} recurring event(s): only the first occurrence imported",)
    return Batch(drafts, problems, len(events), notes=notes if recurring else ())


def _guarded(event: Any, where: str) -> Draft | None:
    """The event's draft; a value the library cannot read is that event's problem."""
    try:
        return _draft(event, where)
    except (ValueError, TypeError, KeyError, AttributeError, OSError, OverflowError) as exc:
        raise Bad("", f"a value cannot be read ({type(exc).__name__}: {exc})") from None


def _draft(event: Any, where: str) -> Draft | None:
    title = clean(event.get("SUMMARY"))
    if title is None:
        raise Bad(":SUMMARY", "the event has no SUMMARY")
    start = _value(event, "DTSTART")
    if start is None:
        raise Bad(":DTSTART", "the event has no DTSTART")
    _zoned(event, "DTSTART", start)
    date = _moment(start, "DTSTART")
    end = _end(event, start, date)
    url = clean(event.get("URL"))
    return Draft(
        where, " ".join(title.split()), date, end,
        summary=clean(event.get("DESCRIPTION")), actors=_attendees(event),
        location=clean(event.get("LOCATION")), tags=_categories(event),
        sources=(url,) if url else (),
    )  # fmt: skip


def _zoned(event: Any, name: str, value: Any) -> None:
    """A time with a TZID the library did not know is refused: read as floating, it would
    move."""
    tzid = event[name].params.get("TZID") if name in event else None
    if tzid and isinstance(value, dt.datetime) and value.tzinfo is None:
        raise Bad(f":{name}", f"unknown time zone {tzid!r}")


def _value(event: Any, name: str) -> Any:
    prop = event.get(name)
    return getattr(prop, "dt", None) if prop is not None else None


def _moment(value: Any, name: str) -> PartialDate:
    """A date as a day; a datetime as a minute (a second when it has one) with its offset."""
    try:
        if not isinstance(value, dt.datetime):
            if not isinstance(value, dt.date):
                raise Bad(":" + name, f"{name} is not a date or a time: {value!r}")
            return make_date(value.year, value.month, value.day, precision=Precision.DAY)
        offset = value.utcoffset()
        seconds = int(offset.total_seconds()) if offset is not None else None
        precision = Precision.SECOND if value.second else Precision.MINUTE
        return make_date(value.year, value.month, value.day, value.hour, value.minute,
                         value.second, precision=precision, offset=seconds)  # fmt: skip
    except DateError as exc:
        raise Bad(":" + name, str(exc)) from None


def _end(event: Any, start: Any, date: PartialDate) -> PartialDate | None:
    """``DTEND`` (for all-day events, the day before it: it is exclusive) or the start plus
    ``DURATION``; None when the event ends where it starts."""
    name, end = "DTEND", _value(event, "DTEND")
    duration = _value(event, "DURATION")
    if end is None and duration is not None:
        if not isinstance(duration, dt.timedelta) or duration < dt.timedelta(0):
            raise Bad(":DURATION", "DURATION must be a length of time forward, not back")
        name, end = "DURATION", start + duration
    if end is None:
        return None
    if isinstance(end, dt.datetime) != isinstance(start, dt.datetime) or not isinstance(
        end, dt.date
    ):
        raise Bad(f":{name}", f"{name} is not of the kind of DTSTART (a date, or a time)")
    if end < start:
        raise Bad(f":{name}", f"the event ends before it starts ({end} before {start})")
    if not isinstance(end, dt.datetime):
        end = end - dt.timedelta(days=1)  # an all-day event's end is the next day
        if end <= start:
            return None
    elif end == start:
        return None
    if name == "DTEND":
        _zoned(event, name, end)
    last = _moment(end, name)
    return None if last == date else last


def _attendees(event: Any) -> tuple[str, ...]:
    found = event.get("ATTENDEE")
    if found is None:
        return ()
    people = found if isinstance(found, list) else [found]
    names = []
    for person in people:
        common = clean(getattr(person, "params", {}).get("CN"))
        address = str(person).removeprefix("mailto:").removeprefix("MAILTO:").strip()
        if common or address:
            names.append(common or address)
    return tuple(dict.fromkeys(names))


def _categories(event: Any) -> tuple[str, ...]:
    found = event.get("CATEGORIES")
    if found is None:
        return ()
    props = found if isinstance(found, list) else [found]
    tags = [str(c).strip() for prop in props for c in getattr(prop, "cats", [prop])]
    return tuple(dict.fromkeys(t for t in tags if t))
