"""Dates given in parts (a year, a month, a day, a time: TimelineJS's objects and its
sheet's columns), and a display date kept honestly: at exactly the precision given."""

from __future__ import annotations

import re
from dataclasses import replace

from chrono.core.dates import PartialDate, Precision, make_date
from chrono.core.errors import DateError

_TIME = re.compile(
    r"(?P<h>\d{1,2})(?::(?P<m>\d{2}))?(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?m\.?)?",
    re.IGNORECASE,
)
_CIRCA = re.compile(r"^\s*(c\.|ca\.|circa|about|around|approx(\.|imately)?|~)\s*", re.IGNORECASE)


def number(value: object, name: str) -> int | None:
    """A whole number given as a number or as text (``"1962"``, ``7.0``); None when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise DateError(f"{name} must be a number, not {value!r}")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        return int(text.split(".")[0])
    raise DateError(f"{name} must be a whole number, not {text!r}")


def from_parts(
    year: object,
    month: object = None,
    day: object = None,
    hour: object = None,
    minute: object = None,
    second: object = None,
) -> PartialDate:
    """The date at the precision of the parts given: a year alone is a year, a year and a
    month a month; a part after a missing one is refused rather than guessed."""
    parts = [number(v, n) for v, n in ((year, "year"), (month, "month"), (day, "day"))]
    clock = [number(v, n) for v, n in ((hour, "hour"), (minute, "minute"), (second, "second"))]
    y, m, d = parts
    if y is None:
        raise DateError("no year")
    if m is None and d is not None:
        raise DateError("a day without a month")
    if d is None and any(v is not None for v in clock):
        raise DateError("a time without a day")
    if clock[0] is None and any(v is not None for v in clock[1:]):
        raise DateError("minutes or seconds without an hour")
    if m is None:
        return make_date(y, precision=Precision.YEAR, text=str(y))
    if d is None:
        return make_date(y, m, precision=Precision.MONTH, text=f"{y}-{m}")
    h, mi, s = clock
    if h is None:
        return make_date(y, m, d, precision=Precision.DAY)
    precision = Precision.SECOND if s else Precision.MINUTE
    return make_date(y, m, d, h, mi or 0, s or 0, precision=precision)


def with_time(date: PartialDate, text: str | None) -> PartialDate:
    """A day with a time of day typed in a column of its own (``14:30``, ``2:30 PM``)."""
    if not text:
        return date
    if date.precision != Precision.DAY:
        raise DateError(f"a time ({text!r}) needs a date to the day")
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise DateError(f"not a time of day: {text!r} (write 14:30)")
    hour, minute = int(match["h"]), int(match["m"] or 0)
    ampm = (match["ampm"] or "").lower().replace(".", "")
    if ampm and not 1 <= hour <= 12:
        raise DateError(f"no such time of day: {text!r}")
    if ampm:
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    second = int(match["s"] or 0)
    precision = Precision.SECOND if second else Precision.MINUTE
    y, m, d = date.year, date.month, date.day
    return make_date(y, m, d, hour, minute, second, precision=precision, text=text)


def display(date: PartialDate, shown: str | None) -> tuple[PartialDate, str | None]:
    """The date and the words of a display date: ``c. 1962`` makes the date approximate;
    any other wording (``Winter 1962/63``) is given back, to be kept in the summary."""
    if not shown or not shown.strip():
        return date, None
    words = " ".join(shown.split())
    circa = _CIRCA.match(words)
    if circa is not None:
        qualifier = "%" if "?" in date.qualifier else "~"
        date = replace(date, qualifier=qualifier)
        rest = words[circa.end() :]
        if rest.strip() in (str(date.year), date.isoformat().rstrip("~%?")):
            return date, None  # "c. 1962" says no more than 1962~
    if words in (date.isoformat(), str(date.year)):
        return date, None
    return date, words


def summary_with(summary: str | None, shown: str | None) -> str | None:
    """The summary, with a display date's words kept in it, never dropped."""
    if not shown:
        return summary
    said = f"Date as given: {shown}"
    return f"{summary}\n\n{said}" if summary else said
