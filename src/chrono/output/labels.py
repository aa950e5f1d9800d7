"""Plain-text labels shared by the terminal and the exports: no rich here."""

from __future__ import annotations

import datetime as dt

from chrono.core.dates import DAY_US, Precision
from chrono.core.datetext import label
from chrono.core.model import Chronology, Event
from chrono.core.query import Selection
from chrono.core.text import plural

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def gap_text(micros: int) -> str:
    """A quiet human length of time: ``3 weeks``, ``4 months``, ``2 years``."""
    days = micros // DAY_US
    if days < 14:
        return plural(days, "day")
    if days < 61:
        return plural(round(days / 7), "week")
    if days < 730:
        return plural(round(days / 30.44), "month")
    return plural(round(days / 365.25), "year")


def date_label(chronology: Chronology, event: Event, display: dt.tzinfo) -> str:
    """The event's date or span at its true precision."""
    return label(event.date, event.end, chronology.tz, display)


def actor_names(chronology: Chronology, event: Event) -> str:
    """The event's actors by canonical name."""
    return ", ".join(chronology.registry.display(a) for a in event.actors)


def count_line(chronology: Chronology, selection: Selection) -> str:
    """``7 events, Feb 2025 – Jan 2026`` (or ``3 of 7 events, …`` under a limit)."""
    events = selection.events
    shown = len(events)
    count = plural(shown, "event")
    if selection.total != shown:
        count = f"{shown} of {selection.total} events"
    if not events:
        return count
    first = min(events, key=lambda e: e.sort_key)
    last = max(events, key=lambda e: e.stop)
    start = _coarse(first.date.year, first.date.month, first.date.precision)
    end_date = last.end or last.date
    end = _coarse(end_date.year, end_date.month, end_date.precision)
    return f"{count}, {start}" if start == end else f"{count}, {start} – {end}"


def _coarse(year: int, month: int, precision: Precision) -> str:
    if precision == Precision.YEAR:
        return str(year)
    return f"{MONTHS[month - 1][:3]} {year}"
