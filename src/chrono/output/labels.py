"""Plain-text labels shared by the terminal and the exports: no rich here."""

from __future__ import annotations

import datetime as dt
import re

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
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean(text: str, *, multiline: bool = False) -> str:
    """Make log text safe to print: controls and bidi overrides become visible escapes.

    With ``multiline``, line breaks (LF or CRLF) are kept as LF.
    """
    if multiline:
        text = text.replace("\r\n", "\n")
    if text.isprintable() and not _BIDI.intersection(text):
        return text  # the usual case: nothing to escape
    return (_UNSAFE_LINES if multiline else _UNSAFE).sub(_escape, text)


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(_BIDI)) + "]")
_UNSAFE_LINES = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029" + "".join(sorted(_BIDI)) + "]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code == 0x09:
        return " "
    if code < 0x20 or 0x7F <= code < 0xA0:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


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
