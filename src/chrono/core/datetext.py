"""Dates as users type them (``--on``, ``--from``, ``add --date``) and as people read them.

The words (month names, seasons, quarters, early/mid/late) are in :mod:`chrono.core.datewords`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import replace
from typing import Any, Final, NamedTuple

from chrono.core.dates import (
    PartialDate,
    Precision,
    iso_shaped,
    make_date,
    parse_iso,
    to_datetime,
)
from chrono.core.datewords import MONTHS, month_number, named_period
from chrono.core.errors import DateError

_MONTH = r"(?P<month>[^\W\d_]+)\.?"
_DAY = r"(?P<day>\d{1,2})(?:\.|st|nd|rd|th|er)?"
_YEAR = r"(?P<year>\d{4})"
_TIME = r"(?:,?\s+(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2}))?"
_QUAL = r"(?P<qualifier>[?~%])?"


@functools.cache
def _patterns() -> dict[str, Any]:
    """The patterns of typed dates, compiled on first use (start-up stays light)."""
    return {
        "worded": [
            re.compile(rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}{_TIME}{_QUAL}"),  # 23. Januar 2026
            re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}{_TIME}{_QUAL}"),  # January 23, 2026
            re.compile(rf"{_MONTH}\s+{_YEAR}{_QUAL}"),  # January 2026, Dez 2025
        ],
        "no_year": [re.compile(rf"{_DAY}\s+{_MONTH}"), re.compile(rf"{_MONTH}\s+{_DAY}")],
        "numeric": re.compile(r"(\d{1,4})([/.])(\d{1,2})\2(\d{1,4})"),
        "dotted": re.compile(  # 17.11.2023, 17. 11. 2023 14:30, 11.2023
            rf"(?:(?P<day>\d{{1,2}})\.\s?)?(?P<month>\d{{1,2}})\.\s?{_YEAR}{_TIME}{_QUAL}"
        ),
        "filler": re.compile(r"\s(?:de|del|di|du|of)\s|\s(?:года|год|г\.?|roku|r\.)$"),
        "ago": re.compile(r"(?P<n>\d{1,4})\s+(?P<unit>day|week|month|year)s?\s+ago"),
        "relative": re.compile(r"(?P<which>this|last|next)\s+(?P<unit>week|month|year)"),
    }


class Period(NamedTuple):
    """A stretch of time a user named: from the start of ``first`` to the end of ``last``."""

    first: PartialDate
    last: PartialDate

    def start(self, tz: dt.tzinfo) -> int:
        """First instant of the period."""
        return self.first.start(tz)

    def stop(self, tz: dt.tzinfo) -> int:
        """First instant after the period."""
        return self.last.stop(tz)


def parse_period(text: str, today: dt.date) -> Period:
    """Parse any date a user may type, as the period it names.

    ISO and EDTF forms first, then relative words (``today``, ``last week``, ``3 months
    ago``), named periods (``Q2 2024``, ``Sommer 2024``, ``mid-November 2023``), day-first
    dotted dates (``17.11.2023``) and month names in seven languages.  Ambiguous numeric
    forms such as ``02/12/2025`` are refused with the unambiguous spellings to use instead.
    """
    return _period(text, today)


def _period(text: str, today: dt.date | None) -> Period:
    """:func:`parse_period`; without ``today``, words relative to it are not read."""
    raw = " ".join(text.split())
    if not raw:
        raise DateError("empty date")
    hedged = _QUALIFIER_WORDS.match(raw)
    if hedged is not None:  # "around July 1962", "etwa März 2025", "maybe 2019"
        return _hedged(raw, hedged, today)
    try:
        date = parse_iso(raw)
    except DateError:
        pass
    else:
        return Period(date, date)
    lowered = _lowered(raw)
    try:
        relative = None if today is None else _parse_relative(lowered, today)
    except (OverflowError, ValueError):
        raise DateError(f"{raw!r} falls outside the years 1 to 9999") from None
    if relative is not None:
        return relative
    named = named_period(lowered, raw)
    if named is not None:
        return Period(*named)
    worded = _parse_dotted(lowered, raw) or _parse_worded(lowered, raw)
    if worded is not None:
        return Period(worded, worded)
    raise _unreadable(raw, lowered, today)


def _lowered(raw: str) -> str:
    """Typed text folded, without the words that only join its parts (``17 de mayo de
    2024``) or follow its year (``17 ноября 2023 года``, ``listopad 2023 r.``)."""
    filler: re.Pattern[str] = _patterns()["filler"]
    return filler.sub(" ", raw.casefold()).strip()


def _unreadable(raw: str, lowered: str, today: dt.date | None) -> DateError:
    """Why a typed date is not read, and how to write it instead."""
    numeric = _patterns()["numeric"].fullmatch(lowered)
    if numeric is not None:
        return DateError(_numeric_advice(raw, numeric))
    for pattern in _patterns()["no_year"]:
        match = pattern.fullmatch(lowered)
        if match and month_number(match["month"]) is not None:
            advice = f"no year in {raw!r}: write the year too"
            return DateError(advice if today is None else f"{advice}, e.g. '{raw} {today.year}'")
    if re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", lowered):
        parts = [int(p) for p in lowered.split("-")]
        iso = "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])
        if iso != lowered:
            parse_iso(iso)  # no such day or month: say so
            return DateError(f"cannot read the date {raw!r}: did you mean {iso}?")
    if iso_shaped(raw) or re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].*)?[?~%]?", lowered):
        parse_iso(raw)  # re-raise its precise complaint (no such day, no month 13, ...)
    return DateError(
        f"cannot read the date {raw!r}: use an ISO date (2026-01-23, 2026-01, 2026), "
        "a month name (23 Jan 2026, Januar 2026) or words (today, last month, 3 days ago)"
    )


# Words before a date that say how sure it is: EDTF ~ (approximate) and ? (uncertain).
_APPROXIMATE = ("around", "about", "circa", "ca.", "ca", "c.", "approximately", "approx.",
                "roughly", "etwa", "ungefähr", "gegen")  # fmt: skip
_UNCERTAIN = ("maybe", "perhaps", "possibly", "probably", "vielleicht", "vermutlich", "wohl")
_QUALIFIER_WORDS = re.compile(
    "(?i)(" + "|".join(re.escape(w) for w in (*_APPROXIMATE, *_UNCERTAIN)) + r")(?:\s+|(?<=\.))"
)


def _hedged(raw: str, match: re.Match[str], today: dt.date | None) -> Period:
    """``around July 1962`` is ``1962-07~``; ``maybe 2019`` is ``2019?``."""
    word = match[1].casefold()
    rest = raw[match.end() :].strip()
    if not rest:
        raise DateError(f"{raw!r}: {word} what? give a date after it")
    period = _period(rest, today)
    if period.first != period.last:
        raise DateError(f"{raw!r}: {word!r} goes with one date, not a period")
    date = period.first
    added = "~" if word in _APPROXIMATE else "?"
    marks = set(date.qualifier.replace("%", "~?")) | {added}
    qualifier = "%" if marks == {"~", "?"} else added
    return Period(*[replace(date, qualifier=qualifier)] * 2)


def parse_date(text: str, today: dt.date) -> PartialDate:
    """Parse a single date a user typed (for ``add --date``); periods like weeks are refused."""
    period = parse_period(text, today)
    if period.first != period.last:
        raise DateError(
            f"{text!r} is a period, not a date: give a day, a month or a year "
            "(and --end for a span)"
        )
    return period.first


def parse_bounds(text: str, today: dt.date) -> Period:
    """A date typed for an event (``add --date``, ``--end``, the prompts): one date, or a
    named period the event spans (``Q2 2024``, ``Sommer 2024``, ``mid-November 2023``).
    A period counted from today (``last week``) is refused, as by :func:`parse_date`."""
    raw = " ".join(text.split())
    named = named_period(_lowered(raw), raw)
    if named is not None:
        return Period(*named)
    date = parse_date(text, today)
    return Period(date, date)


def iso_advice(value: object, name: str) -> str | None:
    """How to write the ISO form of a date a log holds in another (``date = "Oct 2023"``
    is ``"2023-10"``), or None when it is not a date a user could type."""
    if not isinstance(value, str):
        return None
    try:
        period = _period(value, None)
    except DateError:
        return None
    first, last = period.first.isoformat(), period.last.isoformat()
    if first == last:
        return f'{value!r} is not an ISO date: write "{first}"'
    if name == "end":
        return f'{value!r} is not an ISO date: write "{last}"'
    return f'{value!r} is not an ISO date: write "{first}" and end = "{last}"'


def _parse_relative(lowered: str, today: dt.date) -> Period | None:
    words = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if lowered in words:
        return _day_period(today + dt.timedelta(days=words[lowered]))
    match = _patterns()["relative"].fullmatch(lowered)
    if match:
        step = {"this": 0, "last": -1, "next": 1}[match["which"]]
        return _unit_period(match["unit"], step, today)
    match = _patterns()["ago"].fullmatch(lowered)
    if match:
        return _unit_period(match["unit"], -int(match["n"]), today)
    return None


def _unit_period(unit: str, step: int, today: dt.date) -> Period:
    if unit == "day":
        return _day_period(today + dt.timedelta(days=step))
    if unit == "week":
        monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=step)
        first = _day_period(monday).first
        last = _day_period(monday + dt.timedelta(days=6)).first
        return Period(first, last)
    if unit == "month":
        index = today.year * 12 + today.month - 1 + step
        year, month = divmod(index, 12)
        date = make_date(year, month + 1, precision=Precision.MONTH)
        return Period(date, date)
    date = make_date(today.year + step, precision=Precision.YEAR)
    return Period(date, date)


def _day_period(day: dt.date) -> Period:
    date = PartialDate(day.year, day.month, day.day, precision=Precision.DAY)
    return Period(date, date)


def _parse_worded(lowered: str, raw: str) -> PartialDate | None:
    for pattern in _patterns()["worded"]:
        match = pattern.fullmatch(lowered)
        if match is None:
            continue
        month = month_number(match["month"])
        if month is None:
            raise DateError(f"unknown month name {match['month']!r} in {raw!r}")
        return _written(match.groupdict(), month, raw)
    return None


def _parse_dotted(lowered: str, raw: str) -> PartialDate | None:
    """``17.11.2023`` (day first, as German, Polish and Russian write it), ``11.2023``."""
    match = _patterns()["dotted"].fullmatch(lowered)
    if match is None or (match["day"] is None and match["hour"] is not None):
        return None
    return _written(match.groupdict(), int(match["month"]), raw)


def _written(g: dict[str, str | None], month: int, raw: str) -> PartialDate:
    """The date a pattern's groups hold, at the precision written."""
    year, day, hour = int(str(g["year"])), g.get("day"), g.get("hour")
    qualifier = g.get("qualifier") or ""
    if day is None:
        return make_date(year, month, precision=Precision.MONTH, qualifier=qualifier, text=raw)
    if hour is not None:
        minute = int(str(g["minute"]))
        return make_date(
            year, month, int(day), int(hour), minute,
            precision=Precision.MINUTE, qualifier=qualifier, text=raw,
        )  # fmt: skip
    return make_date(year, month, int(day), precision=Precision.DAY, qualifier=qualifier, text=raw)


def _numeric_advice(raw: str, match: re.Match[str]) -> str:
    a, separator, b, c = match[1], match[2], match[3], match[4]
    if len(a) == 4:  # 2025/12/02: year first is unambiguous, but say it the ISO way
        readings = [(int(a), int(b), int(c))]
    else:
        years = [int(c)] if len(c) == 4 else [1900 + int(c), 2000 + int(c)]
        orders = [(int(b), int(a)), (int(a), int(b))]  # day-first, then month-first
        if separator == ".":
            orders = orders[:1]  # 23.01.26 is day-first wherever dots are written
        readings = [(y, m, d) for y in years for m, d in orders]
    valid: list[PartialDate] = []
    for y, m, d in readings:
        try:
            date = make_date(y, m, d, precision=Precision.DAY)
        except DateError:
            continue
        if date not in valid:
            valid.append(date)
    if not valid:
        return f"no such date: {raw!r}"
    if len(valid) == 1:
        return f"write {raw!r} in ISO form, year first: {valid[0].isoformat()}"
    return f"ambiguous date {raw!r}: write " + ", ".join(
        f"{d.isoformat()} or {d.day}.{d.month}.{d.year} for {d.day} "
        f"{calendar.month_name[d.month]} {d.year}"
        for d in valid
    )


# -- labels: a date at its true precision, for people ---------------------------------

_ABBR: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def label(date: PartialDate, end: PartialDate | None, tz: dt.tzinfo, display: dt.tzinfo) -> str:
    """A date or span as people write it: ``Dec 2025``, ``~Jul 1962``, ``22–23 Jan 2026``.

    Times are shown in the ``display`` zone with its abbreviation
    (``23 Jan 2026 00:30 MSK``); ``tz`` is the log's zone for times written without one.
    """
    if end is None:
        return _single(date, tz, display)
    same_kind = date.precision == end.precision and not date.qualifier and not end.qualifier
    if same_kind and date.precision == Precision.DAY and date.year == end.year:
        if date.month == end.month:
            return f"{date.day}–{end.day} {_ABBR[end.month - 1]} {end.year}"
        return f"{date.day} {_ABBR[date.month - 1]} – {_single(end, tz, display)}"
    if same_kind and date.precision == Precision.MONTH and date.year == end.year:
        return f"{_ABBR[date.month - 1]} – {_single(end, tz, display)}"
    return f"{_single(date, tz, display)} – {_single(end, tz, display)}"


def _single(date: PartialDate, tz: dt.tzinfo, display: dt.tzinfo) -> str:
    if date.precision >= Precision.MINUTE:
        text = _moment(date, tz, display)
    elif date.precision == Precision.DAY:
        text = f"{date.day} {_ABBR[date.month - 1]} {date.year}"
    elif date.precision == Precision.MONTH:
        text = f"{_ABBR[date.month - 1]} {date.year}"
    else:
        text = f"{date.year}"
    if date.qualifier in ("~", "%"):
        text = "~" + text
    if date.qualifier in ("?", "%"):
        text += "?"
    return text


def year_month(date: PartialDate, tz: dt.tzinfo, display: dt.tzinfo) -> tuple[int, int]:
    """The year and month a date falls in as shown: times move into the display zone."""
    if date.precision >= Precision.MINUTE:
        moment = _displayed(date, tz, display)
        return moment.year, moment.month
    return date.year, date.month


def _displayed(date: PartialDate, tz: dt.tzinfo, display: dt.tzinfo) -> dt.datetime:
    try:
        return to_datetime(date.start(tz)).astimezone(display)
    except (OverflowError, ValueError):  # beyond datetime's range once shifted: as written
        return dt.datetime(date.year, date.month, date.day, date.hour, date.minute, date.second)


def _moment(date: PartialDate, tz: dt.tzinfo, display: dt.tzinfo) -> str:
    moment = _displayed(date, tz, display)
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    if date.precision == Precision.SECOND:
        clock += f":{moment.second:02d}"
    zone = moment.tzname() or ""
    text = f"{moment.day} {_ABBR[moment.month - 1]} {moment.year} {clock}"
    return f"{text} {zone}".rstrip()


__all__ = [
    "MONTHS",
    "Period",
    "iso_advice",
    "label",
    "parse_bounds",
    "parse_date",
    "parse_period",
    "year_month",
]
