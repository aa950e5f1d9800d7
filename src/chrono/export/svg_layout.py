"""The SVG timeline's layout, pure: the time scale, the axis ticks, text widths, label rows.

No XML here: ``svg_format`` draws what these functions place. Times are milliseconds
since the epoch (as ``drawing.Mark`` gives them), positions are pixels.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Final, NamedTuple

from chrono.export.drawing import Mark
from chrono.output.labels import MONTHS
from chrono.output.safe_text import clean

EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MINUTE_MS: Final = 60_000
HOUR_MS: Final = 60 * MINUTE_MS
DAY_MS: Final = 24 * HOUR_MS
FIRST_MS: Final = (dt.datetime(1, 1, 2, tzinfo=dt.UTC) - EPOCH) // dt.timedelta(milliseconds=1)
LAST_MS: Final = (dt.datetime(9999, 12, 30, tzinfo=dt.UTC) - EPOCH) // dt.timedelta(milliseconds=1)

# Each printable ASCII character's advance width in ems: the wider of DejaVu Sans and
# Verdana (the fonts the pictures name first; Arial is narrower), rounded up.
# fmt: off
_WIDTHS: Final = (
    0.36, 0.40, 0.46, 0.84, 0.64, 1.08, 0.78, 0.28, 0.46, 0.46, 0.64, 0.84,
    0.37, 0.44, 0.37, 0.46, *(0.64,) * 10, 0.46, 0.46, 0.84, 0.84, 0.84, 0.55,
    1.0, 0.69, 0.69, 0.70, 0.78, 0.64, 0.58, 0.78, 0.76, 0.43, 0.46, 0.66,
    0.56, 0.87, 0.75, 0.79, 0.61, 0.79, 0.70, 0.69, 0.62, 0.74, 0.69, 0.99,
    0.69, 0.62, 0.69, 0.46, 0.46, 0.46, 0.84, 0.50, 0.50, 0.62, 0.64, 0.56,
    0.64, 0.62, 0.36, 0.64, 0.64, 0.28, 0.35, 0.60, 0.28, 0.98, 0.64, 0.62,
    0.64, 0.64, 0.43, 0.53, 0.40, 0.64, 0.60, 0.82, 0.60, 0.60, 0.53, 0.64,
    0.46, 0.64, 0.84,
)
# fmt: on
_ASCII: Final = dict(zip(map(chr, range(32, 127)), _WIDTHS, strict=True))
SAFETY: Final = 1.04  # on top of the table: kerning and hinting never add more
BOLD: Final = 1.12  # bold text is this much wider


def char_width(char: str) -> float:
    """One character's advance width in ems, rounded up for the fonts the pictures name."""
    known = _ASCII.get(char)
    if known is not None:
        return known
    if unicodedata.combining(char):
        return 0.0
    base = unicodedata.normalize("NFKD", char)[:1]
    if base in _ASCII and base.isalpha():  # é, ü, ł: as wide as e, u, l
        return _ASCII[base] + 0.02
    return 1.25 if unicodedata.east_asian_width(char) in "WF" else 1.0


def text_width(text: str, size: float) -> float:
    """The width ``text`` takes at font ``size`` (px), by the per-character estimate."""
    return sum(char_width(c) for c in text) * size * SAFETY


def shorten(text: str, size: float, limit: float) -> str:
    """``text``, or as much of it as fits in ``limit`` px followed by ``…`` ("" if nothing)."""
    if text_width(text, size) <= limit:
        return text
    room = limit - char_width("…") * size * SAFETY
    used = 0.0
    for i, char in enumerate(text):
        used += char_width(char) * size * SAFETY
        if used > room:
            kept = text[:i].rstrip()
            return kept + "…" if kept else ""
    return text  # pragma: no cover - the whole text fitted after all


class Scale(NamedTuple):
    """Time to x: ``start`` ms at ``left`` px, ``stop`` ms at ``right`` px."""

    start: int
    stop: int
    left: int
    right: int

    def x(self, ms: float) -> float:
        """The x of an instant."""
        return self.left + (ms - self.start) * (self.right - self.left) / (self.stop - self.start)


def span(first: int, last: int) -> tuple[int, int]:
    """The axis's time range: ``first`` to ``last`` with a margin of 4% (at least a minute)."""
    if last - first < HOUR_MS:
        middle = (first + last) // 2
        first, last = middle - HOUR_MS // 2, middle + HOUR_MS // 2
    margin = max(MINUTE_MS, (last - first) // 25)
    return max(FIRST_MS, first - margin), min(LAST_MS, last + margin)


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


def _local(ms: int, zone: dt.tzinfo) -> dt.datetime:
    return (EPOCH + dt.timedelta(milliseconds=ms)).astimezone(zone)


def _instants(unit: str, count: int, start: int, stop: int, zone: dt.tzinfo) -> Iterator[int]:
    """The tick instants of one step between ``start`` and ``stop``, at local round times."""
    first = _local(start, zone)
    if unit in ("minute", "hour"):
        step = count * (MINUTE_MS if unit == "minute" else HOUR_MS)
        midnight = _ms(dt.datetime(first.year, first.month, first.day, tzinfo=zone))
        at = midnight + math.ceil((start - midnight) / step) * step
        yield from range(at, stop + 1, step)
        return
    if unit in ("day", "week"):
        day = first.date()
        while day.year < 9999:
            if day.toordinal() % count == 0 if unit == "day" else day.weekday() == 0:
                at = _ms(dt.datetime(day.year, day.month, day.day, tzinfo=zone))
                if at > stop:
                    return
                if at >= start:
                    yield at
            day += dt.timedelta(days=1)
        return
    months = 12 * count if unit == "year" else count
    index = math.ceil((first.year * 12 + first.month - 1) / months) * months
    while index // 12 <= 9999:
        at = _ms(dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=zone))
        if at > stop:
            return
        if at >= start:
            yield at
        index += months


def _tick_label(unit: str, moment: dt.datetime, first: bool) -> str:
    month = MONTHS[moment.month - 1][:3]
    if unit == "year":
        return str(moment.year)
    if unit == "month":
        return f"{month} {moment.year}" if first or moment.month == 1 else month
    day = f"{moment.day} {month}"
    if unit in ("day", "week"):
        return f"{day} {moment.year}" if first or (moment.month, moment.day) == (1, 1) else day
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    if first:
        return f"{day} {clock}" if clock != "00:00" else day
    return day if clock == "00:00" else clock


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
        for at in _instants(unit, count, scale.start, scale.stop, zone):
            x = scale.x(at)
            text = _tick_label(unit, _local(at, zone), not any(t.label for t in chosen))
            half = text_width(text, size) / 2
            if x - half < bounds[0] or x + half > bounds[1]:
                chosen.append(Tick(x, ""))
                continue
            if x - half < last_right + TICK_GAP:
                fits = False
                break
            chosen.append(Tick(x, text))
            last_right = x + half
        if fits and chosen:
            return chosen
    return chosen


class Item(NamedTuple):
    """A mark to label: where its leader stands and the full label text."""

    anchor: float
    text: str


class Label(NamedTuple):
    """A placed label: the item it names, its text, its row, its box from ``left`` to
    ``right`` px; ``end`` when it stands left of its leader (text-anchor end)."""

    item: int
    text: str
    row: int
    left: float
    right: float
    end: bool


LABEL_SIZE: Final = 11  # px, the labels' font size
TRACK: Final = 28  # px from a lane's top to its first label row (marks centred at 16)
ROW: Final = 16  # px per label row
ROWS: Final = 8  # label rows per lane at most
TALLEST: Final = 32_000  # px: librsvg draws nothing taller than 32767
LABEL_GAP: Final = 4  # px from a leader to its label's text
SPACE: Final = 8  # px between two labels of a row
CLEAR: Final = 2  # px between a leader and a label it passes
MIN_LABEL: Final = 80  # px: a label shortened to less is not drawn


class _Rows:
    """The labels placed so far in one lane: each row's boxes, sorted (they never overlap),
    and every leader as (x, the row it reaches), sorted."""

    def __init__(self, rows: int) -> None:
        self.boxes: list[list[tuple[float, float]]] = [[] for _ in range(rows)]
        self.lefts: list[list[float]] = [[] for _ in range(rows)]
        self.leaders: list[tuple[float, int]] = []

    def clear(self, row: int, anchor: float) -> bool:
        """Whether a leader at ``anchor`` down to ``row`` passes no box of a row above."""
        for boxes, lefts in zip(self.boxes[:row], self.lefts[:row], strict=True):
            i = bisect.bisect_right(lefts, anchor + CLEAR)
            if i and boxes[i - 1][1] + CLEAR >= anchor:
                return False
        return True

    def right_of(self, row: int, start: float, edge: float) -> float:
        """How far right of ``start`` a box in ``row`` may reach (less than ``start``: none)."""
        boxes, lefts = self.boxes[row], self.lefts[row]
        i = bisect.bisect_right(lefts, start)
        if i and boxes[i - 1][1] + SPACE > start:
            return -math.inf
        limit = min(edge, boxes[i][0] - SPACE) if i < len(boxes) else edge
        j = bisect.bisect_left(self.leaders, (start - CLEAR, -1))
        while j < len(self.leaders) and self.leaders[j][0] - CLEAR < limit:
            if self.leaders[j][1] > row:  # a leader deeper down would cross the box
                return min(limit, self.leaders[j][0] - CLEAR)
            j += 1
        return limit

    def left_of(self, row: int, end: float, edge: float) -> float:
        """How far left of ``end`` a box in ``row`` may reach (more than ``end``: none)."""
        boxes, lefts = self.boxes[row], self.lefts[row]
        i = bisect.bisect_right(lefts, end)
        if (i < len(boxes) and boxes[i][0] - SPACE < end) or (i and boxes[i - 1][1] + SPACE > end):
            return math.inf
        limit = max(edge, boxes[i - 1][1] + SPACE) if i else edge
        j = bisect.bisect_right(self.leaders, (end + CLEAR, len(self.boxes))) - 1
        while j >= 0 and self.leaders[j][0] + CLEAR > limit:
            if self.leaders[j][1] > row:
                return max(limit, self.leaders[j][0] + CLEAR)
            j -= 1
        return limit

    def take(self, label: Label, anchor: float) -> None:
        i = bisect.bisect_right(self.lefts[label.row], label.left)
        self.boxes[label.row].insert(i, (label.left, label.right))
        self.lefts[label.row].insert(i, label.left)
        bisect.insort(self.leaders, (anchor, label.row))


def place(
    items: Sequence[Item], size: float, bounds: tuple[float, float], rows: int, widest: float
) -> list[Label]:
    """Labels for as many ``items`` as fit in ``rows`` rows, never overlapping each other
    nor crossed by a leader; each text at most ``widest`` px, shortened with ``…`` (and
    more, down to ``MIN_LABEL``, where no row has room for all of it).

    Labels stand right of their leaders, placed right to left, so a cluster steps down
    like stairs; those too near the right edge then stand left of theirs, left to right.
    """
    state = _Rows(rows)
    texts = [shorten(item.text, size, widest) for item in items]
    fits = [item.anchor + LABEL_GAP + text_width(texts[i], size) <= bounds[1]
            for i, item in enumerate(items)]  # fmt: skip
    right = sorted((i for i in range(len(items)) if fits[i]), key=lambda i: (-items[i].anchor, -i))
    left = sorted((i for i in range(len(items)) if not fits[i]), key=lambda i: (items[i].anchor, i))
    placed: list[Label] = []
    for i in right + left:
        if not texts[i]:
            continue
        label = _label(state, items[i].anchor, texts[i], size, bounds, end=not fits[i])
        if label is not None:
            placed.append(label._replace(item=i))
            state.take(label, items[i].anchor)
    return placed


def _label(
    state: _Rows, anchor: float, text: str, size: float, bounds: tuple[float, float], *, end: bool
) -> Label | None:
    """The first row with room for the whole text (on its side of the leader), else the
    row with the most room for it shortened."""
    width = text_width(text, size)
    best: tuple[float, int, bool] | None = None
    for row in range(len(state.boxes)):
        if not state.clear(row, anchor):
            continue
        after = state.right_of(row, anchor + LABEL_GAP, bounds[1]) - anchor - LABEL_GAP
        before = anchor - LABEL_GAP - state.left_of(row, anchor - LABEL_GAP, bounds[0])
        if (before if end else after) >= width:
            return _box(text, width, row, anchor, end=end)
        for room, side in ((after, False), (before, True)):
            if room >= MIN_LABEL and (best is None or room > best[0]):
                best = (room, row, side)
    if best is None:
        return None
    short = shorten(text, size, best[0])
    return _box(short, text_width(short, size), best[1], anchor, end=best[2]) if short else None


def _box(text: str, width: float, row: int, anchor: float, *, end: bool) -> Label:
    if end:
        return Label(0, text, row, anchor - LABEL_GAP - width, anchor - LABEL_GAP, end=True)
    return Label(0, text, row, anchor + LABEL_GAP, anchor + LABEL_GAP + width, end=False)


class Lane(NamedTuple):
    """One lane laid out: its place, name, top, marks, labels, how many are unlabelled."""

    position: int
    name: str
    top: float
    drawn: list[Mark]
    labels: list[Label]
    hidden: int

    @property
    def rows(self) -> int:
        return max((label.row + 1 for label in self.labels), default=0) + (self.hidden > 0)

    @property
    def bottom(self) -> float:
        return self.top + TRACK + self.rows * ROW + 6


def label_text(mark: Mark) -> str:
    """The label a mark is given: ``#7 `` when numbered, then the title, on one line."""
    prefix = f"#{mark.number} " if mark.number is not None else ""
    return " ".join(clean(prefix + mark.title).split())


def anchor_of(scale: Scale, mark: Mark) -> float:
    """Where a mark's leader stands: the middle of a narrow mark, else near its start."""
    start, stop = scale.x(mark.start), scale.x(mark.stop)
    return (start + stop) / 2 if stop - start < 8 else start + 3


def laid_out(scale: Scale, drawn: Sequence[Mark], names: Sequence[str], top: float) -> list[Lane]:
    """The lanes from ``top`` down, each mark in each of its lanes, labelled in as many rows
    as keep the picture under ``TALLEST`` px."""
    by_lane: dict[str, list[Mark]] = {name: [] for name in names}
    for mark in drawn:
        for name in mark.lanes:
            by_lane[name].append(mark)
    rows = int((TALLEST - 400 - len(names) * (TRACK + 6 + ROW)) // (len(names) * ROW))
    rows = max(0, min(ROWS, rows))
    widest = max(MIN_LABEL, min(280, (scale.right - scale.left) * 0.6))
    lanes: list[Lane] = []
    for position, name in enumerate(names):
        items = [Item(anchor_of(scale, m), label_text(m)) for m in by_lane[name]]
        labels = place(items, LABEL_SIZE, (scale.left, scale.right), rows, widest)
        lanes.append(Lane(position, name, top, by_lane[name], labels, len(items) - len(labels)))
        top = lanes[-1].bottom
    return lanes
