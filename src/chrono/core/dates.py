"""Dates at the precision their author wrote: the one place dates are parsed.

A :class:`PartialDate` is a year, a month, a day or a moment (minute or second),
optionally with a UTC offset and an EDTF level-1 qualifier (``?`` uncertain,
``~`` approximate, ``%`` both).  It covers a *span* of time: "2025-12" covers the
whole of December 2025 in the log's time zone.  Spans are measured in integer
microseconds since 1970-01-01T00:00Z ("instants"), which orders every mix of
forms without ever raising.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any, Final, NamedTuple

from chrono.core.errors import DateError

US: Final = 1_000_000
DAY_US: Final = 86_400 * US
_EPOCH_ORDINAL: Final = dt.date(1970, 1, 1).toordinal()

QUALIFIERS: Final = {"": None, "?": "uncertain", "~": "approximate", "%": "uncertain-approximate"}


class Precision(IntEnum):
    """How much of a date its author wrote; coarser is smaller."""

    YEAR = 1
    MONTH = 2
    DAY = 3
    MINUTE = 4
    SECOND = 5

    @property
    def label(self) -> str:
        """Lower-case name for machine output."""
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date or moment at a given precision, with an optional offset and qualifier."""

    year: int
    month: int = 1
    day: int = 1
    hour: int = 0
    minute: int = 0
    second: int = 0
    microsecond: int = 0
    precision: Precision = Precision.DAY
    offset: int | None = None  # seconds east of UTC; None: the log's time zone
    qualifier: str = ""  # "", "?", "~" or "%"

    @property
    def qualifier_name(self) -> str | None:
        """``uncertain``, ``approximate``, ``uncertain-approximate`` or None."""
        return QUALIFIERS[self.qualifier]

    def isoformat(self) -> str:
        """ISO 8601 at the written precision, followed by the EDTF qualifier."""
        text = f"{self.year:04d}"
        if self.precision >= Precision.MONTH:
            text += f"-{self.month:02d}"
        if self.precision >= Precision.DAY:
            text += f"-{self.day:02d}"
        if self.precision >= Precision.MINUTE:
            text += f"T{self.hour:02d}:{self.minute:02d}"
        if self.precision >= Precision.SECOND:
            text += f":{self.second:02d}"
            if self.microsecond:
                text += f".{self.microsecond:06d}".rstrip("0")
        if self.precision >= Precision.MINUTE and self.offset is not None:
            text += _format_offset(self.offset)
        return text + self.qualifier

    def start(self, tz: dt.tzinfo) -> int:
        """The first instant the date covers (microseconds since the epoch, UTC)."""
        local = _local_us(self.year, self.month, self.day) + (
            (self.hour * 3600 + self.minute * 60 + self.second) * US + self.microsecond
        )
        return local - self._offset_us(tz, self.year, self.month, self.day, self.hour)

    def stop(self, tz: dt.tzinfo) -> int:
        """The first instant after the span the date covers (exclusive end)."""
        if self.precision >= Precision.MINUTE:
            step = 60 * US if self.precision == Precision.MINUTE else US
            if self.microsecond:
                step = 1
            return self.start(tz) + step
        y, m, d = self.year, self.month, self.day
        if self.precision == Precision.YEAR:
            last = (y, 12, 31)
        elif self.precision == Precision.MONTH:
            last = (y, m, calendar.monthrange(y, m)[1])
        else:
            last = (y, m, d)
        local = _local_us(*last) + DAY_US
        return local - self._offset_us(tz, *last, 23)

    def _offset_us(self, tz: dt.tzinfo, y: int, m: int, d: int, h: int) -> int:
        if self.offset is not None:
            return self.offset * US
        if tz is dt.UTC:
            return 0
        key = (tz, y, m, d, h)
        cached = _OFFSETS.get(key)
        if cached is None:
            offset = tz.utcoffset(dt.datetime(y, m, d, h))  # wall time in tz
            cached = int(offset.total_seconds()) * US if offset is not None else 0
            if len(_OFFSETS) > 200_000:
                _OFFSETS.clear()
            _OFFSETS[key] = cached
        return cached


_OFFSETS: dict[tuple[dt.tzinfo, int, int, int, int], int] = {}


def _local_us(y: int, m: int, d: int) -> int:
    return (dt.date(y, m, d).toordinal() - _EPOCH_ORDINAL) * DAY_US


def _format_offset(seconds: int) -> str:
    if seconds == 0:
        return "Z"
    sign = "+" if seconds > 0 else "-"
    hours, rest = divmod(abs(seconds), 3600)
    return f"{sign}{hours:02d}:{rest // 60:02d}"


_ISO = re.compile(
    r"""
    (?P<year>\d{4})
    (?:-(?P<month>\d{2})
      (?:-(?P<day>\d{2})
        (?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})
          (?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6}))?)?
          (?P<offset>Z|z|[+-]\d{2}:?\d{2})?
        )?
      )?
    )?
    (?P<qualifier>[?~%])?
    """,
    re.VERBOSE,
)


def parse_iso(text: str) -> PartialDate:
    """Parse an ISO 8601 / EDTF level-1 date string, keeping its precision.

    Accepts ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` and ISO datetimes
    (``YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z|±HH:MM]``), each optionally followed by
    ``?``, ``~`` or ``%``.  Raises :class:`DateError` for anything else or for a
    date that does not exist.
    """
    match = _ISO.fullmatch(text.strip())
    if match is None:
        raise DateError(
            f"not a date: {text!r} (use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM, "
            "optionally followed by ?, ~ or %)"
        )
    g = match.groupdict()
    year = int(g["year"])
    month = int(g["month"] or 1)
    day = int(g["day"] or 1)
    hour = int(g["hour"] or 0)
    minute = int(g["minute"] or 0)
    second = int(g["second"] or 0)
    micro = int((g["fraction"] or "").ljust(6, "0") or 0)
    if g["second"] is not None:
        precision = Precision.SECOND
    elif g["hour"] is not None:
        precision = Precision.MINUTE
    elif g["day"] is not None:
        precision = Precision.DAY
    elif g["month"] is not None:
        precision = Precision.MONTH
    else:
        precision = Precision.YEAR
    offset = _parse_offset(g["offset"], text)
    return make_date(
        year,
        month,
        day,
        hour,
        minute,
        second,
        micro,
        precision=precision,
        offset=offset,
        qualifier=g["qualifier"] or "",
        text=text,
    )


def _parse_offset(raw: str | None, text: str) -> int | None:
    if raw is None:
        return None
    if raw in ("Z", "z"):
        return 0
    digits = raw[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise DateError(f"no such UTC offset {raw!r} in {text!r}")
    seconds = hours * 3600 + minutes * 60
    return -seconds if raw[0] == "-" else seconds


def make_date(
    year: int,
    month: int = 1,
    day: int = 1,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    microsecond: int = 0,
    *,
    precision: Precision,
    offset: int | None = None,
    qualifier: str = "",
    text: str | None = None,
) -> PartialDate:
    """Build a :class:`PartialDate`, checking that the date exists."""
    shown = text if text is not None else f"{year:04d}-{month:02d}-{day:02d}"
    if not 1 <= year <= 9999:
        raise DateError(f"year out of range (1-9999) in {shown!r}")
    if not 1 <= month <= 12:
        raise DateError(f"no month {month} in {shown!r}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        raise DateError(f"no such day: {name} {year} has {last} days, not {day} ({shown!r})")
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(f"no such time of day in {shown!r}")
    if qualifier not in QUALIFIERS:
        raise DateError(f"unknown qualifier {qualifier!r} in {shown!r}")
    return PartialDate(
        year, month, day, hour, minute, second, microsecond, precision, offset, qualifier
    )


def from_toml(value: object) -> PartialDate:
    """Turn a value read from TOML (date, datetime or string) into a :class:`PartialDate`."""
    if isinstance(value, str):
        return parse_iso(value)
    if isinstance(value, dt.datetime):
        precision = Precision.SECOND if value.second or value.microsecond else Precision.MINUTE
        offset = value.utcoffset()
        return PartialDate(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            precision,
            None if offset is None else int(offset.total_seconds()),
        )
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day, precision=Precision.DAY)
    if isinstance(value, dt.time):
        raise DateError(f"a time of day without a date: {value.isoformat()}")
    raise DateError(f"expected a date or a date string, got {type_name(value)}")


def type_name(value: object) -> str:
    """The TOML name of a Python value's type, for messages."""
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a float",
        str: "a string",
        list: "an array",
        dict: "a table",
        dt.datetime: "a datetime",
        dt.date: "a date",
        dt.time: "a time",
    }
    return names.get(type(value), type(value).__name__)


# -- dates typed by users: --on, --from, --to, add --date ----------------------------

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


def today_from_env(environ: dict[str, str] | None = None) -> dt.date:
    """Today: ``CHRONO_TODAY`` (an ISO date) when set, else the clock."""
    import os  # noqa: PLC0415

    value = (environ if environ is not None else os.environ).get("CHRONO_TODAY")
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise DateError(f"CHRONO_TODAY={value!r} is not an ISO date (YYYY-MM-DD)") from None
    return dt.date.today()


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
    numeric = _patterns()["numeric"].fullmatch(lowered)
    if numeric is not None:
        raise DateError(_numeric_advice(raw, numeric))
    for pattern in _patterns()["no_year"]:
        match = pattern.fullmatch(lowered)
        if match and match["month"] in MONTHS:
            raise DateError(f"no year in {raw!r}: write the year too, e.g. '{raw} {today.year}'")
    if re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", lowered):
        parts = [int(p) for p in lowered.split("-")]
        iso = "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])
        if iso != lowered:
            parse_iso(iso)  # no such day or month: say so
            raise DateError(f"cannot read the date {raw!r}: did you mean {iso}?")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].*)?[?~%]?", lowered):
        parse_iso(raw)  # re-raise its precise complaint (no such day, no month 13, ...)
    raise DateError(
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
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


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
        return (_EPOCH + dt.timedelta(microseconds=date.start(tz))).astimezone(display)
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
