"""The SVG timeline's layout, pure: the time scale, text widths, lanes, tracks, label rows.

No XML here: ``svg_format`` draws what these functions place (``svg_ticks`` the axis).
Times are milliseconds since the epoch (as ``drawing.Mark`` gives them), positions pixels.
"""

from __future__ import annotations

import bisect
import math
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Final, NamedTuple

from chrono.export.drawing import Mark
from chrono.output.safe_text import clean

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

    def clipped(self, mark: Mark) -> tuple[bool, bool]:  # runs on before start, after stop
        return mark.start < self.start, mark.stop > self.stop

    def reach(self, mark: Mark) -> tuple[float, float]:  # x at start and stop, cut at the axis
        return max(self.x(mark.start), self.left), min(self.x(mark.stop), self.right)

    def footprint(self, mark: Mark) -> tuple[float, float]:
        """The x a mark's drawing covers: a dot's width, at least a 2 px sliver."""
        x0, x1 = self.reach(mark)
        if mark.shape == "point":
            return x0 - 4.5, x0 + 4.5
        middle = (x0 + x1) / 2
        return min(x0, middle - 1), max(x1, middle + 1)


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
PITCH: Final = 18  # px from one track of marks to the next below it
TRACKS: Final = 10  # tracks of marks per lane at most: more marks overlap on the last
MARK_GAP: Final = 2  # px at least between two marks on one track
ROW: Final = 16  # px per label row
ROWS: Final = 8  # label rows per lane at most
TALLEST: Final = 32_000  # px: librsvg draws nothing taller than 32767
LABEL_GAP: Final = 4  # px from a leader to its label's text
SPACE: Final = 8  # px between two labels of a row
CLEAR: Final = 2  # px between a leader and a label it passes
MIN_LABEL: Final = 80  # px: a label shortened to less is not drawn
FIRST_WIDTH: Final = 280  # px a label takes at most while the labels are placed


class _Rows:
    """The labels placed so far in one lane: each row's boxes, sorted (they never overlap),
    every leader as (x, the row it reaches), sorted, and the leaders still to come."""

    def __init__(self, rows: int, pending: Sequence[float]) -> None:
        self.boxes: list[list[tuple[float, float]]] = [[] for _ in range(rows)]
        self.lefts: list[list[float]] = [[] for _ in range(rows)]
        self.leaders: list[tuple[float, int]] = []
        self.pending = sorted(pending)

    def clear(self, row: int, anchor: float) -> bool:
        """Whether a leader at ``anchor`` down to ``row`` passes no box of a row above."""
        for boxes, lefts in zip(self.boxes[:row], self.lefts[:row], strict=True):
            i = bisect.bisect_right(lefts, anchor + CLEAR)
            if i and boxes[i - 1][1] + CLEAR >= anchor:
                return False
        return True

    def right_of(self, row: int, start: float, edge: float, *, wait: bool) -> float:
        """How far right of ``start`` a box in ``row`` may reach (less than ``start``: none);
        with ``wait``, only up to a gap before the next leader still to come."""
        boxes, lefts = self.boxes[row], self.lefts[row]
        i = bisect.bisect_right(lefts, start)
        if i and boxes[i - 1][1] + SPACE > start:
            return -math.inf
        limit = min(edge, boxes[i][0] - SPACE) if i < len(boxes) else edge
        k = bisect.bisect_right(self.pending, start - CLEAR)
        if wait and k < len(self.pending):
            limit = min(limit, self.pending[k] - 2 * CLEAR)
        j = bisect.bisect_left(self.leaders, (start - CLEAR, -1))
        while j < len(self.leaders) and self.leaders[j][0] - CLEAR < limit:
            if self.leaders[j][1] > row:  # a leader deeper down would cross the box
                return min(limit, self.leaders[j][0] - CLEAR)
            j += 1
        return limit

    def left_of(self, row: int, end: float, edge: float, *, wait: bool) -> float:
        """How far left of ``end`` a box in ``row`` may reach (more than ``end``: none);
        with ``wait``, only down to a gap after the next leader still to come."""
        boxes, lefts = self.boxes[row], self.lefts[row]
        i = bisect.bisect_right(lefts, end)
        if (i < len(boxes) and boxes[i][0] - SPACE < end) or (i and boxes[i - 1][1] + SPACE > end):
            return math.inf
        limit = max(edge, boxes[i - 1][1] + SPACE) if i else edge
        k = bisect.bisect_left(self.pending, end + CLEAR)
        if wait and k:
            limit = max(limit, self.pending[k - 1] + 2 * CLEAR)
        j = bisect.bisect_right(self.leaders, (end + CLEAR, len(self.boxes))) - 1
        while j >= 0 and self.leaders[j][0] + CLEAR > limit:
            if self.leaders[j][1] > row:
                return max(limit, self.leaders[j][0] + CLEAR)
            j -= 1
        return limit

    def arrived(self, anchor: float) -> None:
        """The leader at ``anchor`` is no longer to come (its label is being placed)."""
        del self.pending[bisect.bisect_left(self.pending, anchor)]

    def widen(self, label: Label, item: Item, size: float, bounds: tuple[float, float]) -> Label:
        """``label`` showing as much of its item's text as its row has room for."""
        boxes, lefts = self.boxes[label.row], self.lefts[label.row]
        if label.text == item.text:
            return label
        i = bisect.bisect_left(lefts, label.left)
        del boxes[i], lefts[i]
        if label.end:
            edge = self.left_of(label.row, item.anchor - LABEL_GAP, bounds[0], wait=False)
            room = item.anchor - LABEL_GAP - edge
        else:
            edge = self.right_of(label.row, item.anchor + LABEL_GAP, bounds[1], wait=False)
            room = edge - item.anchor - LABEL_GAP
        longer = shorten(item.text, size, room)
        if len(longer) > len(label.text):
            width = text_width(longer, size)
            label = _box(longer, width, label.row, item.anchor, end=label.end)._replace(
                item=label.item
            )
        boxes.insert(i, (label.left, label.right))
        lefts.insert(i, label.left)
        return label

    def take(self, label: Label, anchor: float) -> None:
        i = bisect.bisect_right(self.lefts[label.row], label.left)
        self.boxes[label.row].insert(i, (label.left, label.right))
        self.lefts[label.row].insert(i, label.left)
        bisect.insort(self.leaders, (anchor, label.row))


def place(
    items: Sequence[Item], size: float, bounds: tuple[float, float], rows: int
) -> list[Label]:
    """Labels for as many ``items`` as fit in ``rows`` rows, never overlapping each other
    nor crossed by a leader; a text is shortened with ``…`` only where its row has no
    room for all of it.

    Labels are placed at most ``FIRST_WIDTH`` px wide, two ways, and the way that labels
    more is kept: those near the right edge stand left of their leaders, placed left to
    right, then the others right of theirs, placed right to left (so a cluster steps down
    like stairs), each stopping a gap short of the leaders still to come where a row
    allows, so that those pass down beside it; or the right-standing first, not waiting.
    Then each label shows as much of its text as its row has room for.
    """
    widest = max(MIN_LABEL, min(FIRST_WIDTH, (bounds[1] - bounds[0]) * 0.6))
    texts = [shorten(item.text, size, widest) for item in items]
    fits = [item.anchor + LABEL_GAP + text_width(texts[i], size) <= bounds[1]
            for i, item in enumerate(items)]  # fmt: skip
    right = sorted((i for i in range(len(items)) if fits[i]), key=lambda i: (-items[i].anchor, -i))
    left = sorted((i for i in range(len(items)) if not fits[i]), key=lambda i: (items[i].anchor, i))
    best: tuple[list[Label], _Rows] | None = None
    for wait, order in ((True, left + right), (False, right + left)):
        state = _Rows(rows, [item.anchor for item in items] if wait else [])
        placed: list[Label] = []
        for i in order:
            if wait:
                state.arrived(items[i].anchor)
            anchor, text, end = items[i].anchor, texts[i], not fits[i]
            label = _label(state, anchor, text, size, bounds, end=end, wait=wait) if text else None
            if label is None and wait and text:  # no room but over a leader still to come
                label = _label(state, anchor, text, size, bounds, end=end)
            if label is not None:
                placed.append(label._replace(item=i))
                state.take(label, anchor)
        if best is None or len(placed) > len(best[0]):
            best = (placed, state)
        if len(placed) == len(items):
            break
    assert best is not None
    placed, state = best
    return [state.widen(label, items[label.item], size, bounds) for label in placed]


def _label(
    state: _Rows,
    anchor: float,
    text: str,
    size: float,
    bounds: tuple[float, float],
    *,
    end: bool,
    wait: bool = False,
) -> Label | None:
    """The first row with room for the whole text (on its side of the leader), else the
    row with the most room for it shortened."""
    width = text_width(text, size)
    best: tuple[float, int, bool] | None = None
    for row in range(len(state.boxes)):
        if not state.clear(row, anchor):
            continue
        after = state.right_of(row, anchor + LABEL_GAP, bounds[1], wait=wait) - anchor - LABEL_GAP
        before = anchor - LABEL_GAP - state.left_of(row, anchor - LABEL_GAP, bounds[0], wait=wait)
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


def packed(scale: Scale, held: Sequence[Mark], most: int) -> tuple[list[int], int]:
    """Each mark's track (0 the top one), greedily by where its drawing starts: the first
    track it leaves ``MARK_GAP`` px clear on, else a new one; past ``most`` tracks on the
    last, overlapping. Also how many overlap so."""
    spans = [scale.footprint(mark) for mark in held]
    track, crowded = [0] * len(held), 0
    ends: list[float] = []  # each track's right end so far
    for i in sorted(range(len(held)), key=lambda i: (spans[i][0], i)):
        left, right = spans[i]
        free = next((k for k, end in enumerate(ends) if end + MARK_GAP <= left), None)
        if free is None and len(ends) < most:
            free, ends = len(ends), [*ends, right]
        elif free is None:
            free, crowded = len(ends) - 1, crowded + 1
        track[i], ends[free] = free, max(ends[free], right)
    return track, crowded


class Lane(NamedTuple):
    """One lane laid out: its place, name, top, marks, labels, how many are unlabelled,
    each mark's track and how many marks overlap on the last one."""

    position: int
    name: str
    top: float
    drawn: list[Mark]
    labels: list[Label]
    hidden: int
    track: list[int]
    crowded: int

    @property
    def rows(self) -> int:  # the label rows, and one for the notes when there are any
        notes = self.hidden > 0 or self.crowded > 0
        return max((label.row + 1 for label in self.labels), default=0) + notes

    def middle(self, track: int) -> float:  # the y a track's marks are centred on
        return self.top + 16 + track * PITCH

    @property
    def first_row(self) -> float:  # the top of the first row of labels, below the marks
        return self.top + TRACK + max(self.track, default=0) * PITCH

    @property
    def bottom(self) -> float:
        return self.first_row + self.rows * ROW + 6


def label_text(mark: Mark) -> str:
    """The label a mark is given: ``#7 `` when numbered, then the title, on one line."""
    prefix = f"#{mark.number} " if mark.number is not None else ""
    return " ".join(clean(prefix + mark.title).split())


def anchor_of(scale: Scale, mark: Mark, track: int = 0) -> float:
    """Where a mark's leader stands: the middle of a narrow mark, else near its start (the
    deeper its track, the further in, so that leaders of marks alike stand apart)."""
    start, stop = scale.reach(mark)
    return (start + stop) / 2 if stop - start < 8 else min(start + 3 + 3 * track, stop - 3)


MOST_LANES: Final = (TALLEST - 400) // (TRACK + 6 + 2 * ROW)  # a row of labels, one of "+N more"


def folded(drawn: Sequence[Mark], names: Sequence[str], others: str) -> dict[str, str]:
    """Each lane's name to the name of the lane it is drawn in: itself, but when there are
    more than ``MOST_LANES``, the quietest share one last lane, "(612 other places)"."""
    if len(names) <= MOST_LANES:
        return {name: name for name in names}
    counts = Counter(name for mark in drawn for name in mark.lanes)
    kept = set(sorted(names, key=lambda name: -counts[name])[: MOST_LANES - 1])
    rest = f"({len(names) - len(kept)} other {others})"
    return {name: name for name in names if name in kept} | {
        name: rest for name in names if name not in kept
    }


def laid_out(
    scale: Scale, drawn: Sequence[Mark], lanes_of: dict[str, str], top: float
) -> list[Lane]:
    """The lanes from ``top`` down (``lanes_of`` maps each mark's lane to the one it is
    drawn in), each mark once in each of its lanes, on tracks that keep marks apart and in
    label rows, as many of each as keep the picture under ``TALLEST`` px."""
    by_lane: dict[str, list[Mark]] = {name: [] for name in lanes_of.values()}
    for mark in drawn:
        for name in dict.fromkeys(lanes_of[lane] for lane in mark.lanes):
            by_lane[name].append(mark)
    count = len(by_lane)
    room = TALLEST - 400 - count * (TRACK + 6 + 2 * ROW)  # after one row of labels, one note
    most = max(1, min(TRACKS, 1 + room // (count * PITCH)))
    tracks = {name: packed(scale, held, most) for name, held in by_lane.items()}
    room -= sum(max(track, default=0) * PITCH for track, _ in tracks.values()) - count * ROW
    rows = max(0, min(ROWS, room // (count * ROW)))
    lanes: list[Lane] = []
    for position, (name, held) in enumerate(by_lane.items()):
        track, crowded = tracks[name]
        pairs = zip(held, track, strict=True)
        items = [Item(anchor_of(scale, m, k), label_text(m)) for m, k in pairs]
        labels = place(items, LABEL_SIZE, (scale.left, scale.right), rows)
        hidden = len(items) - len(labels)
        lanes.append(Lane(position, name, top, held, labels, hidden, track, crowded))
        top = lanes[-1].bottom
    return lanes
