"""Dates at the precision their author wrote, and their ISO and TOML forms.

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
import re
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

from chrono.core.errors import DateError

US: Final = 1_000_000
DAY_US: Final = 86_400 * US
_EPOCH_ORDINAL: Final = dt.date(1970, 1, 1).toordinal()
EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

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
    micro = int((g["fraction"] or "").ljust(6, "0"))
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


def iso_shaped(text: str) -> bool:
    """Whether text is written the way :func:`parse_iso` reads, named date or not."""
    return _ISO.fullmatch(text.strip()) is not None


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
    for name, value, top in (("hour", hour, 23), ("minute", minute, 59), ("second", second, 59)):
        if not 0 <= value <= top:
            raise DateError(f"no such time of day in {shown!r}: {name} {value} is not 0-{top}")
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


def to_datetime(instant: int) -> dt.datetime:
    """The UTC datetime of an instant (microseconds since the epoch).

    Raises OverflowError for an instant outside datetime's years 1 to 9999.
    """
    return EPOCH + dt.timedelta(microseconds=instant)


def to_instant(moment: dt.datetime) -> int:
    """The instant of an aware datetime: microseconds since 1970-01-01T00:00Z."""
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * US + delta.microseconds


def ends_before(end: PartialDate, date: PartialDate, tz: dt.tzinfo) -> bool:
    """The rule of spans: an end is before its date when it is over by the time the date
    begins (from ``2026-01`` to ``2026-01-15`` is a span; from ``2026-02`` to ``2026-01``,
    or from ``2026-01-15`` to ``2026-01-15T09:00``, is not)."""
    return end.stop(tz) <= date.start(tz)


def load_timezone(name: str) -> dt.tzinfo | None:
    """The tzinfo for an IANA name, or None when there is no such zone."""
    if name.upper() == "UTC":
        return dt.UTC
    try:
        from zoneinfo import ZoneInfo  # noqa: PLC0415 - only logs with a zone need it

        return ZoneInfo(name)
    except Exception:
        return None


__all__ = [
    "DAY_US",
    "EPOCH",
    "QUALIFIERS",
    "US",
    "PartialDate",
    "Precision",
    "ends_before",
    "from_toml",
    "iso_shaped",
    "load_timezone",
    "make_date",
    "parse_iso",
    "to_datetime",
    "to_instant",
    "type_name",
]
