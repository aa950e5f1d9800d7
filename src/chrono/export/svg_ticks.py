"""The SVG timeline's time window (and what it cuts) and axis ticks, pure: round local
times in the display zone.

Times are milliseconds since the epoch (as ``drawing.Mark`` gives them), positions are
pixels. Every date the log accepts, up to the first and the last days of the calendar
in any zone, gives a window and ticks without an error.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from typing import Final, NamedTuple

from chrono.export.drawing import FADES, Mark
from chrono.export.svg_layout import Scale, text_width
from chrono.output.labels import MONTHS

EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MINUTE_MS: Final = 60_000
HOUR_MS: Final = 60 * MINUTE_MS
DAY_MS: Final = 24 * HOUR_MS
# The window's limits: a day beyond each end of the calendar, so that every mark (a day of
# 0001-01-01 at +23:59 starts before that day in UTC, one of 9999-12-31 at -23:59 ends
# after it) is inside. From SAFE_MS on, an instant has a local time in every zone.
SAFE_MS: Final = (dt.datetime(1, 1, 2, tzinfo=dt.UTC) - EPOCH) // dt.timedelta(milliseconds=1)
FIRST_MS: Final = SAFE_MS - 2 * DAY_MS  # 0000-12-31T00:00Z
LAST_MS: Final = SAFE_MS + dt.date.max.toordinal() * DAY_MS  # 10000-01-02T00:00Z


def span(first: int, last: int) -> tuple[int, int]:
    """The axis's time range: ``first`` to ``last`` with a margin of 4% (at least a minute),
    slid (never squeezed) to stay within the calendar, and always ``start < stop``."""
    if last - first < HOUR_MS:
        middle = (first + last) // 2
        first, last = middle - HOUR_MS // 2, middle + HOUR_MS // 2
    margin = max(MINUTE_MS, (last - first) // 25)
    first, last = first - margin, last + margin
    if last - first >= LAST_MS - FIRST_MS:
        return FIRST_MS, LAST_MS
    if first < FIRST_MS:
        return FIRST_MS, FIRST_MS + last - first
    if last > LAST_MS:
        return LAST_MS - (last - first), LAST_MS
    return first, last


def window(first: int, last: int, asked: tuple[int | None, int | None]) -> tuple[int, int]:
    """The axis's time range: exactly the period asked (``[start, stop)``, ``None`` where
    open) within the calendar, an open end from the marks, ``first`` to ``last``, as
    :func:`span` gives it."""
    start, stop = span(first, last)
    if asked[0] is not None:
        start = min(max(asked[0], FIRST_MS), LAST_MS - MINUTE_MS)
    if asked[1] is not None:
        stop = max(min(asked[1], LAST_MS), FIRST_MS + MINUTE_MS)
    return (start, stop) if start < stop else span(first, last)


def shown_fade(scale: Scale, mark: Mark) -> str:
    """The edges a mark's drawing fades: its approximate ones, but not one cut at the axis."""
    before, after = scale.clipped(mark)
    return FADES[
        mark.fade in ("start", "both") and not before, mark.fade in ("end", "both") and not after
    ]


def drawn_keys(scale: Scale, drawn: Sequence[Mark]) -> set[str]:
    """What the picture draws, as the legend keys it: the shapes, ``approximate`` (a faded
    edge), ``uncertain`` (a dashed outline), ``clipped`` (cut at an end of the axis)."""
    found = {m.shape for m in drawn}
    found |= {"approximate"} if any(shown_fade(scale, m) for m in drawn) else set()
    found |= {"uncertain"} if any(m.uncertain for m in drawn) else set()
    return found | ({"clipped"} if any(any(scale.clipped(m)) for m in drawn) else set())


class Tick(NamedTuple):
    """A tick of the axis; ``label`` is "" where its label would not fit."""

    x: float
    label: str


# (unit, count, about how long in ms): the steps the axis may take, finest first.
_STEPS: Final = (
    *(("minute", n, n * MINUTE_MS) for n in (1, 2, 5, 10, 15, 30)),
    *(("hour", n, n * HOUR_MS) for n in (1, 2, 3, 6, 12)),
    ("day", 1, DAY_MS),
    ("day", 2, 2 * DAY_MS),
    ("week", 1, 7 * DAY_MS),
    *(("month", n, n * 30 * DAY_MS) for n in (1, 2, 3, 6)),
    *(("year", n, n * 365 * DAY_MS) for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)),
)
TICK_GAP: Final = 10  # px between two tick labels at least


def _ms(moment: dt.datetime) -> int:
    return (moment - EPOCH) // dt.timedelta(milliseconds=1)


def _local(ms: int, zone: dt.tzinfo) -> dt.datetime | None:
    """The local time of an instant, or None beyond the calendar (in that zone)."""
    try:
        return (EPOCH + dt.timedelta(milliseconds=ms)).astimezone(zone)
    except OverflowError:
        return None


def _wall(day: dt.date, minutes: int, zone: dt.tzinfo) -> dt.datetime | None:
    """``minutes`` past midnight on ``day`` on the zone's clocks, or None when the clocks
    skip that time (or it is beyond the calendar); a repeated time is its first one."""
    naive = dt.datetime(day.year, day.month, day.day) + dt.timedelta(minutes=minutes)
    moment = naive.replace(tzinfo=zone)
    shown = _local(_ms(moment), zone)
    return moment if shown is not None and shown.replace(tzinfo=None) == naive else None


def _days(first: dt.date) -> Iterator[dt.date]:
    """Every day from ``first`` to the calendar's last."""
    day = first
    while True:
        yield day
        if day == dt.date.max:
            return
        day += dt.timedelta(days=1)


def _candidates(unit: str, count: int, first: dt.datetime) -> Iterator[dt.datetime]:
    """The local round times of one step from ``first``'s day on, in order."""
    zone = first.tzinfo
    assert zone is not None
    if unit in ("minute", "hour"):
        step = count * (1 if unit == "minute" else 60)
        skip = (first.hour * 60 + first.minute) // step * step  # the day's earlier ones
        for day in _days(first.date()):
            for minutes in range(skip, 24 * 60, step):
                moment = _wall(day, minutes, zone)
                if moment is not None:
                    yield moment
            skip = 0
        return
    if unit in ("day", "week"):
        for day in _days(first.date()):
            if day.toordinal() % count == 0 if unit == "day" else day.weekday() == 0:
                yield dt.datetime(day.year, day.month, day.day, tzinfo=zone)
        return
    months = 12 * count if unit == "year" else count
    index = math.ceil((first.year * 12 + first.month - 1) / months) * months
    while index // 12 <= 9999:
        yield dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=zone)
        index += months


def _instants(
    unit: str, count: int, start: int, stop: int, zone: dt.tzinfo
) -> Iterator[tuple[int, dt.datetime]]:
    """The tick instants of one step between ``start`` and ``stop``, at local round times,
    each with its local time."""
    first = _local(max(start, SAFE_MS), zone)
    if first is None:
        return  # the window is after the calendar's last local day
    if start < SAFE_MS:
        first = dt.datetime(1, 1, 1, tzinfo=zone)
    for moment in _candidates(unit, count, first):
        at = _ms(moment)
        if at > stop:
            return
        if at >= start:
            yield at, moment


def _tick_label(unit: str, moment: dt.datetime, year: int | None) -> str:
    """A tick's label; ``year`` is the last labelled tick's (None for the first), and a
    date in another year carries its own."""
    month = MONTHS[moment.month - 1][:3]
    if unit == "year":
        return str(moment.year)
    if unit == "month":
        return f"{month} {moment.year}" if moment.year != year else month
    day = f"{moment.day} {month}"
    if unit in ("day", "week"):
        return f"{day} {moment.year}" if moment.year != year else day
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    if year is None:
        return f"{day} {clock}" if clock != "00:00" else day
    if clock != "00:00":
        return clock
    return f"{day} {moment.year}" if moment.year != year else day


def ticks(scale: Scale, zone: dt.tzinfo, size: float, bounds: tuple[float, float]) -> list[Tick]:
    """The finest round step whose labels (centred on their ticks, within ``bounds``) do
    not overlap, as ticks over the scale."""
    px_per_ms = (scale.right - scale.left) / (scale.stop - scale.start)
    chosen: list[Tick] = []
    for unit, count, length in _STEPS:
        if length * px_per_ms < 36:
            continue
        chosen = []
        last_right = -math.inf
        fits = True
        year: int | None = None  # the last labelled tick's
        for at, moment in _instants(unit, count, scale.start, scale.stop, zone):
            x = scale.x(at)
            text = _tick_label(unit, moment, year)
            half = text_width(text, size) / 2
            if x - half < bounds[0] or x + half > bounds[1]:
                chosen.append(Tick(x, ""))
                continue
            if x - half < last_right + TICK_GAP:
                fits = False
                break
            chosen.append(Tick(x, text))
            last_right, year = x + half, moment.year
        if fits and chosen:
            return chosen
    return chosen
