"""Dates as users type them (``--on``, ``--from``, ``add --date``) and as people read them."""

from __future__ import annotations

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
from chrono.core.errors import DateError

MONTHS: Final = {
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    # German
    "januar": 1, "jänner": 1, "jaenner": 1, "februar": 2, "märz": 3, "maerz": 3,
    "mär": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10, "okt": 10,
    "dezember": 12, "dez": 12,
}  # fmt: skip

_MONTH = r"(?P<month>[^\W\d_]+)\.?"
_DAY = r"(?P<day>\d{1,2})(?:\.|st|nd|rd|th)?"
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

    ISO and EDTF forms first, then English and German month names, then relative
    words (``today``, ``last week``, ``3 months ago``).  Ambiguous numeric forms
    such as ``02/12/2025`` are refused with the ISO spelling to use instead.
    """
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
    lowered = raw.casefold()
    try:
        relative = _parse_relative(lowered, today)
    except (OverflowError, ValueError):
        raise DateError(f"{raw!r} falls outside the years 1 to 9999") from None
    if relative is not None:
        return relative
    worded = _parse_worded(lowered, raw)
    if worded is not None:
        return Period(worded, worded)
    raise _unreadable(raw, lowered, today)


def _unreadable(raw: str, lowered: str, today: dt.date) -> DateError:
    """Why a typed date is not read, and how to write it instead."""
    numeric = _patterns()["numeric"].fullmatch(lowered)
    if numeric is not None:
        return DateError(_numeric_advice(raw, numeric))
    for pattern in _patterns()["no_year"]:
        match = pattern.fullmatch(lowered)
        if match and match["month"] in MONTHS:
            return DateError(f"no year in {raw!r}: write the year too, e.g. '{raw} {today.year}'")
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


def _hedged(raw: str, match: re.Match[str], today: dt.date) -> Period:
    """``around July 1962`` is ``1962-07~``; ``maybe 2019`` is ``2019?``."""
    word = match[1].casefold()
    rest = raw[match.end() :].strip()
    if not rest:
        raise DateError(f"{raw!r}: {word} what? give a date after it")
    period = parse_period(rest, today)
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
        g = match.groupdict()
        month = MONTHS.get(g["month"])
        if month is None:
            raise DateError(f"unknown month name {g['month']!r} in {raw!r}")
        year = int(g["year"])
        qualifier = g.get("qualifier") or ""
        if g.get("day") is None:
            return make_date(year, month, precision=Precision.MONTH, qualifier=qualifier, text=raw)
        day = int(g["day"])
        if g.get("hour") is not None:
            return make_date(
                year,
                month,
                day,
                int(g["hour"]),
                int(g["minute"]),
                precision=Precision.MINUTE,
                qualifier=qualifier,
                text=raw,
            )
        return make_date(year, month, day, precision=Precision.DAY, qualifier=qualifier, text=raw)
    return None


def _numeric_advice(raw: str, match: re.Match[str]) -> str:
    a, separator, b, c = match[1], match[2], match[3], match[4]
    if len(a) == 4:  # 2025/12/02: year first is unambiguous, but say it the ISO way
        readings = [(int(a), int(b), int(c))]
    else:
        years = [int(c)] if len(c) == 4 else [1900 + int(c), 2000 + int(c)]
        orders = [(int(b), int(a)), (int(a), int(b))]  # day-first, then month-first
        if separator == ".":
            orders = orders[:1]  # 23.01.2026 is day-first wherever dots are written
        readings = [(y, m, d) for y in years for m, d in orders]
    valid: list[str] = []
    for y, m, d in readings:
        try:
            iso = make_date(y, m, d, precision=Precision.DAY).isoformat()
        except DateError:
            continue
        if iso not in valid:
            valid.append(iso)
    if not valid:
        return f"no such date: {raw!r}"
    if len(valid) == 1:
        return f"write {raw!r} in ISO form, year first: {valid[0]}"
    return f"ambiguous date {raw!r}: write it in ISO form, year first: " + " or ".join(valid)


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


__all__ = ["MONTHS", "Period", "label", "parse_date", "parse_period", "year_month"]
