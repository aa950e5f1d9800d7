"""Warnings that only ``chrono check`` needs: events that look alike, odd sources, lost times."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chrono.core.actors import fold
from chrono.core.dates import DAY_US, PartialDate, Precision, to_datetime, to_instant
from chrono.core.errors import Diagnostic
from chrono.core.model import Chronology, Event


def valid_source(source: str) -> bool:
    """Citations pass; a source written as a URL must be a well-formed http(s) URL."""
    text = source.strip()
    if text.lower().startswith("www."):
        return False
    if "://" not in text:
        return True
    from urllib.parse import urlsplit  # noqa: PLC0415 - only check looks at sources

    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text


def odd_source(source: str) -> str | None:
    """What is wrong with a source written as a URL that is no http(s) URL, else None."""
    if valid_source(source):
        return None
    return f"source {source!r} looks like a URL but is not a valid http(s) URL"


def in_clock_gap(date: PartialDate, tz: dt.tzinfo) -> bool:
    """Whether a wall time without an offset falls in a gap where the clocks skip ahead."""
    if date.precision < Precision.MINUTE or date.offset is not None or tz is dt.UTC:
        return False
    wall = dt.datetime(date.year, date.month, date.day, date.hour, date.minute, date.second)
    try:
        back = wall.replace(tzinfo=tz).astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return False
    return back != wall


def _cast(event: Event) -> tuple[frozenset[str], str] | None:
    return (frozenset(event.actors), fold(event.kind)) if event.actors and event.kind else None


def _reason(matcher: Any, cast: Any, other_cast: Any) -> str | None:
    """Why two events of one day look like one: a similar title, or the same cast and kind."""
    if (
        matcher.real_quick_ratio() >= 0.85
        and matcher.quick_ratio() >= 0.85
        and matcher.ratio() >= 0.85
    ):
        return "a similar title"
    if cast is not None and cast == other_cast:
        return "the same actors and kind"
    return None


def day_window(event: Event, tz: dt.tzinfo) -> tuple[int, int] | None:
    """Instants holding the start of every event of ``event``'s local day, with room to spare.

    None when ``event`` is not dated to the day (it then has no same-day duplicates).
    A zone's or a date's offset is under a day, so two days each side are plenty.
    """
    day = local_day(event, tz)
    if day is None:
        return None
    midnight = to_instant(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC))
    return midnight - 2 * DAY_US, midnight + 3 * DAY_US


def duplicate_reason(event: Event, other: Event, tz: dt.tzinfo) -> str | None:
    """Why ``other`` looks like a duplicate of ``event`` (same day), or None."""
    from difflib import SequenceMatcher  # noqa: PLC0415

    day = local_day(event, tz)
    if day is None or day != local_day(other, tz):
        return None
    matcher = SequenceMatcher(None, fold(other.title), fold(event.title), autojunk=False)
    return _reason(matcher, _cast(event), _cast(other))


def duplicates(chronology: Chronology) -> list[Diagnostic]:
    """Likely duplicate events: the same day and a similar title, or the same actors and kind.

    Only ``chrono check`` asks this (it compares events pairwise within each day).
    """
    by_day: dict[dt.date, list[Event]] = {}
    for event in chronology.events:
        day = local_day(event, chronology.tz)
        if day is not None:
            by_day.setdefault(day, []).append(event)
    found: list[Diagnostic] = []
    for same_day in by_day.values():
        found.extend(_same_day_duplicates(chronology.path, same_day))
    return found


FUZZY_WINDOW = 50  # how many earlier events of its day an event's title is compared with


def _same_day_duplicates(path: str, same_day: list[Event]) -> list[Diagnostic]:
    """Each event of one day that looks like an earlier one of it, once, as a warning.

    An event is reported against the first earlier event of its day with a similar title
    or, failing that, the same actors and kind. Equal titles and equal casts are found by
    lookup; similar titles by comparison with the :data:`FUZZY_WINDOW` events before it,
    so a day of thousands of events costs thousands of comparisons, not millions.
    """
    from difflib import SequenceMatcher  # noqa: PLC0415

    found: list[Diagnostic] = []
    titles = [fold(e.title) for e in same_day]
    casts = [_cast(e) for e in same_day]
    first_title: dict[str, int] = {}
    first_cast: dict[tuple[frozenset[str], str], int] = {}
    for i, (title, cast) in enumerate(zip(titles, casts, strict=True)):
        # (j, 0) for a similar title at j, (j, 1) for the same cast: the least wins
        best = min(
            (first_title.get(title, i), 0),
            (first_cast.get(cast, i) if cast is not None else i, 1),
        )
        matcher = None
        for j in range(max(0, i - FUZZY_WINDOW), min(i, best[0] + best[1])):
            other = titles[j]
            if 2 * min(len(other), len(title)) < 0.85 * (len(other) + len(title)):
                continue  # real_quick_ratio's bound, without a call: too different in length
            matcher = matcher or SequenceMatcher(None, b=title, autojunk=False)
            matcher.set_seq1(other)
            if _reason(matcher, None, None):
                best = (j, 0)
                break
        first_title.setdefault(title, i)
        if cast is not None:
            first_cast.setdefault(cast, i)
        if best[0] < i:
            found.append(_duplicate(path, same_day[best[0]], same_day[i], best[1]))
    return found


def _duplicate(path: str, one: Event, other: Event, why: int) -> Diagnostic:
    first, second = sorted((one, other), key=lambda e: e.line)
    reason = "a similar title" if why == 0 else "the same actors and kind"
    message = (
        f"event {second.id!r} looks like a duplicate of {first.id!r} "
        f"(line {first.line}): same day, {reason}"
    )
    return Diagnostic(path, second.line, 1, "warning", "duplicate-event", message, second.id)


def local_day(event: Event, tz: dt.tzinfo) -> dt.date | None:
    """The calendar day of an event dated to the day or finer, in the log's zone."""
    date = event.date
    if date.precision < Precision.DAY:
        return None
    if date.precision == Precision.DAY:
        return dt.date(date.year, date.month, date.day)
    try:
        moment = to_datetime(event.start)
    except OverflowError:
        return None
    return moment.astimezone(tz).date()


__all__ = [
    "day_window",
    "duplicate_reason",
    "duplicates",
    "in_clock_gap",
    "local_day",
    "odd_source",
    "valid_source",
]
