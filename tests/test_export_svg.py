"""``chrono export svg``: a static timeline picture, honest about dates, safe, read alike by
librsvg and Chromium."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest

from chrono.export.svg_format import esc
from chrono.export.svg_layout import BOLD, text_width
from chrono.output.safe_text import xml_text
from tests.browser import SHOTS, Watched, shot
from tests.conftest import BUNDLED, ROOT, Run
from tests.test_drawing import EDGES

SVG = "{http://www.w3.org/2000/svg}"
XSS = Path(__file__).parent / "data" / "xss.toml"
WriteLog = Callable[..., Path]

LOG = """\
[chrono]
timezone = "UTC"

[actors.ann]
name = "Ann Archer"

[actors.bob]
name = "Bob Baker"

[actors.cy]
name = "Cy Cole"

[[events]]
id = "month"
date = "2026-03"
title = "All of March"
actors = ["ann"]

[[events]]
id = "span"
date = "2026-03-02"
end = "2026-03-05"
title = "Second to fifth"
actors = ["ann", "bob"]

[[events]]
id = "day"
date = "2026-03-10"
title = "The tenth"
actors = ["ann", "bob", "cy"]
kind = "meeting"

[[events]]
id = "instant"
date = "2026-03-12T14:30"
title = "Half past two"
actors = ["bob"]

[[events]]
id = "about"
date = "2026-03-20~"
title = "Around the twentieth"

[[events]]
id = "maybe"
date = "2026-03-25?"
title = "Perhaps the 25th"
actors = ["cy"]
"""


def export(run: Run, log: Path, *args: str) -> bytes:
    """The bytes ``chrono export svg`` writes for ``log``."""
    result = run("export", "svg", "-f", str(log), *args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def parse(data: bytes) -> ET.Element:
    """The picture's root element: well-formed XML in the SVG namespace."""
    root = ET.fromstring(data)  # noqa: S314 - chrono's own output, which the test judges
    assert root.tag == f"{SVG}svg"
    return root


class Scale(NamedTuple):
    start: int
    stop: int
    left: float
    right: float

    def x(self, moment: dt.datetime) -> float:
        ms = (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(milliseconds=1)
        return self.left + (ms - self.start) * (self.right - self.left) / (self.stop - self.start)

    def length(self, begin: dt.datetime, end: dt.datetime) -> float:
        return self.x(end) - self.x(begin)


def scale_of(root: ET.Element) -> Scale:
    """The axis scale the picture states on its axis group."""
    axis = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "axis")
    return Scale(
        int(axis.attrib["data-start"]),
        int(axis.attrib["data-stop"]),
        float(axis.attrib["data-left"]),
        float(axis.attrib["data-right"]),
    )


def marks(root: ET.Element, event: str | None = None) -> list[ET.Element]:
    """The mark groups (of one event, when given)."""
    found = [g for g in root.iter(f"{SVG}g") if "mark" in g.get("class", "").split()]
    return [g for g in found if event is None or g.get("data-event") == event]


def extent(mark: ET.Element) -> ET.Element:
    """The shape a mark draws at its true extent."""
    return next(e for e in mark if e.get("class") == "extent")


def texts(root: ET.Element, css: str) -> list[ET.Element]:
    return [t for t in root.iter(f"{SVG}text") if t.get("class") == css]


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)  # type: ignore[misc]


def near(a: float, b: float) -> bool:
    return abs(a - b) <= 0.011  # coordinates are written to two decimals


# --- what is drawn ------------------------------------------------------------------------


def test_bundled_log_is_an_accessible_svg(run: Run) -> None:
    """The bundled log gives an SVG of the default width with a viewBox, a title, a desc
    and role="img" labelled by both, and the title drawn as the heading."""
    root = parse(export(run, BUNDLED))
    assert (root.get("width"), root.get("role")) == ("1200", "img")
    assert root.get("viewBox") == f"0 0 1200 {root.get('height')}"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Chronology, 2025 – Jan 2026"
    assert desc.text is not None and desc.text.startswith("Timeline of 17 events, 2025 – Jan 2026.")
    assert [t.text for t in texts(root, "title")] == [title.text]
    assert len(marks(root)) == 17
    assert "date is approximate" in " ".join(t.text or "" for t in texts(root, "key-text"))


def test_a_day_band_is_exactly_that_day_in_the_log_zone(run: Run) -> None:
    """In the bundled log (Moscow time) a day's band spans that Moscow day at the scale."""
    root = parse(export(run, BUNDLED))
    scale = scale_of(root)
    moscow = ZoneInfo("Europe/Moscow")
    begin, end = dt.datetime(2025, 2, 11, tzinfo=moscow), dt.datetime(2025, 2, 12, tzinfo=moscow)
    [mark] = marks(root, "2025-02-11-putin-witkoff-moscow")
    assert mark.get("class") == "mark band day"
    rect = extent(mark)
    assert near(float(rect.attrib["x"]), scale.x(begin))
    assert near(float(rect.attrib["width"]), scale.length(begin, end))
    assert 2.5 < scale.length(begin, end) < 3.5  # a day of a year drawn 1168 px wide


def test_shapes_cover_exactly_their_periods(run: Run, write_log: WriteLog) -> None:
    """A month band covers the month, a span bar runs from its first day's start to its
    last day's end, a day band covers the day, an instant is a point at its minute."""
    root = parse(export(run, write_log(LOG)))
    scale = scale_of(root)
    expected = {
        "month": ("band month", utc(2026, 3, 1), utc(2026, 4, 1)),
        "span": ("bar day", utc(2026, 3, 2), utc(2026, 3, 6)),
        "day": ("band day", utc(2026, 3, 10), utc(2026, 3, 11)),
    }
    for event, (kind, begin, end) in expected.items():
        [mark] = marks(root, event)[:1]
        assert mark.get("class") == f"mark {kind}"
        rect = extent(mark)
        assert rect.tag == f"{SVG}rect"
        assert near(float(rect.attrib["x"]), scale.x(begin)), event
        assert near(float(rect.attrib["width"]), scale.length(begin, end)), event
    [point] = marks(root, "instant")
    assert point.get("class") == "mark point minute"
    dot = extent(point)
    assert dot.tag == f"{SVG}circle"
    assert near(float(dot.attrib["cx"]), scale.x(utc(2026, 3, 12, 14, 30)))


def test_approximate_fades_and_uncertain_is_dashed(run: Run, write_log: WriteLog) -> None:
    """An approximate date is filled with a gradient the picture defines, an uncertain one
    has a dashed outline, and a date that is neither has neither."""
    root = parse(export(run, write_log(LOG)))
    gradients = {g.get("id") for g in root.iter(f"{SVG}linearGradient")}
    about, maybe = extent(marks(root, "about")[0]), extent(marks(root, "maybe")[0])
    fill = re.fullmatch(r"url\(#([\w-]+)\)", about.get("fill", ""))
    assert fill is not None and fill[1] in gradients
    assert about.get("stroke-dasharray") is None
    assert maybe.get("stroke-dasharray") == "3 2"
    assert not maybe.get("fill", "").startswith("url(")
    for plain in ("month", "span", "day", "instant"):
        shape = extent(marks(root, plain)[0])
        assert shape.get("stroke-dasharray") is None
        assert not shape.get("fill", "").startswith("url(")


def fade_of(root: ET.Element, shape: ET.Element) -> tuple[str, list[tuple[float, float]]]:
    """The id of the gradient a shape is filled with, and its stops (offset, opacity), after
    checking that it runs left to right."""
    fill = re.fullmatch(r"url\(#([\w-]+)\)", shape.get("fill", ""))
    assert fill is not None, shape.attrib
    [gradient] = [g for g in root.iter(f"{SVG}linearGradient") if g.get("id") == fill[1]]
    assert [gradient.get(k) for k in ("x1", "y1", "x2", "y2")] == ["0", "0", "1", "0"]
    stops = [(float(s.attrib["offset"]), float(s.attrib["stop-opacity"])) for s in gradient]
    return fill[1], stops


def test_a_bar_fades_only_at_its_approximate_end(run: Run, write_log: WriteLog) -> None:
    """A bar with only its end approximate is filled with a fade clear only at its end, one
    with only its start approximate clear only at its start, a year at both, and the
    legend's glyph fades one edge, as its words say."""
    root = parse(export(run, write_log(EDGES)))
    three = ("end-approx", "start-approx", "both")
    fades = {e: fade_of(root, extent(marks(root, e)[0])) for e in three}
    assert fades == {
        "end-approx": ("fade-0-end", [(0, 1), (0.7, 1), (1, 0)]),
        "start-approx": ("fade-0-start", [(0, 0), (0.3, 1), (1, 1)]),
        "both": ("fade-0", [(0, 0), (0.3, 1), (0.7, 1), (1, 0)]),
    }
    classes = {m.get("data-event"): m.get("class") for m in marks(root)}
    assert {e: classes[e] for e in three} == {
        "end-approx": "mark bar day approximate fade-end",
        "start-approx": "mark bar month approximate fade-start",
        "both": "mark band year approximate fade-both",
    }
    ids = [g.get("id") for g in root.iter(f"{SVG}linearGradient")]
    assert ids == ["fade-0", "fade-0-end", "fade-0-start", "fade-legend-end"]
    [key] = [g for g in root.iter(f"{SVG}g") if g.get("class") == "key approximate"]
    glyph = key.find(f"{SVG}rect")
    assert glyph is not None and fade_of(root, glyph)[1] == fades["end-approx"][1]
    assert key.findtext(f"{SVG}text") == "faded edge: that end of the date is approximate"


def test_a_thin_band_keeps_its_true_extent(run: Run, write_log: WriteLog) -> None:
    """A day over a decade at 320 px is drawn at its true width and also as a 2 px sliver."""
    log = LOG + '\n[[events]]\nid = "old"\ndate = "2016-01-01"\ntitle = "Long ago"\n'
    root = parse(export(run, write_log(log), "--width", "320"))
    scale = scale_of(root)
    [mark] = marks(root, "day")
    width = float(extent(mark).attrib["width"])
    assert near(width, scale.length(utc(2026, 3, 10), utc(2026, 3, 11)))
    assert width < 2
    [sliver] = [e for e in mark if e.get("class") == "visible"]
    assert float(sliver.attrib["width"]) == 2
    assert [e for e in marks(root, "month")[0] if e.get("class") == "visible"] == []


def test_each_mark_has_a_tooltip_an_id_and_classes(run: Run, write_log: WriteLog) -> None:
    """Every mark has a unique id and a <title> with its full date label and title."""
    root = parse(export(run, write_log(LOG), "--lanes", "actor"))
    ids = [m.get("id") for m in marks(root)]
    assert len(set(ids)) == len(ids) == 9  # the event of three actors is drawn three times
    [tip] = [m.findtext(f"{SVG}title") for m in marks(root, "span")][:1]
    assert tip == "2–5 Mar 2026 — Second to fifth\nAnn Archer, Bob Baker"


def test_ordinals_stand_before_the_labels(run: Run, write_log: WriteLog) -> None:
    """With two actors asked for, each label starts with its ordinal, ``#1 ``."""
    root = parse(export(run, write_log(LOG), "-a", "Ann", "-a", "Bob", "--any-actor"))
    labels = {t.text for t in texts(root, "label")}
    assert labels == {"#1 All of March", "#2 Second to fifth", "#3 The tenth", "#4 Half past two"}
    unnumbered = {t.text for t in texts(parse(export(run, write_log(LOG))), "label")}
    assert "All of March" in unnumbered


# --- the axis -------------------------------------------------------------------------------


def tick_labels(root: ET.Element) -> list[str]:
    return [t.text or "" for t in texts(root, "tick")]


def between(write_log: WriteLog, first: str, last: str) -> Path:
    return write_log(
        '[chrono]\ntimezone = "UTC"\n\n'
        f'[[events]]\nid = "a"\ndate = "{first}"\ntitle = "First"\n\n'
        f'[[events]]\nid = "b"\ndate = "{last}"\ntitle = "Last"\n'
    )


@pytest.mark.parametrize(
    ("first", "last", "pattern"),
    [
        ("1800", "2000", r"1[89]\d0|2000"),  # decades
        ("1990", "2026", r"(19|20)\d\d"),  # years
        ("2025-02", "2025-11", r"[A-Z][a-z]{2}( 2025)?"),  # months
        ("2026-01-10", "2026-01-30", r"\d\d? Jan( 2026)?"),  # days
        ("2026-01-23T09:00", "2026-01-23T17:00", r"(23 Jan )?\d\d:[03]0"),  # hours
    ],
)
def test_ticks_suit_the_span(
    run: Run, write_log: WriteLog, first: str, last: str, pattern: str
) -> None:
    """The axis's ticks take a round step that suits the span, labels never overlapping."""
    root = parse(export(run, between(write_log, first, last)))
    labels = tick_labels(root)
    assert len(labels) >= 4
    assert all(re.fullmatch(pattern, label) for label in labels), labels
    boxes = []
    for tick in texts(root, "tick"):
        x, half = float(tick.attrib["x"]), text_width(tick.text or "", 11) / 2
        boxes.append((x - half, x + half))
    assert all(a[1] < b[0] for a, b in itertools.pairwise(boxes)), boxes


def dots_and_ticks(root: ET.Element) -> tuple[Scale, list[float], list[str]]:
    """The scale, every event dot's cx and the tick labels."""
    dots = [float(extent(m).attrib["cx"]) for m in marks(root) if "point" in m.attrib["class"]]
    return scale_of(root), dots, tick_labels(root)


@pytest.mark.parametrize(
    ("first", "last", "tz", "ticked"),
    [
        ("9999-12-31T23:00", "9999-12-31T23:30", "UTC", True),
        ("9999-12-31T23:00", "9999-12-31T23:30", "Etc/GMT+12", True),
        ("9999-12-31T23:00", "9999-12-31T23:30", "Etc/GMT-14", False),  # local year 10000
        ("0001-01-01T00:30", "0001-01-01T00:45", "UTC", True),
        ("0001-01-01T00:30", "0001-01-01T00:45", "Etc/GMT-14", True),
        ("0001-01-01T00:30", "0001-01-01T00:45", "Pacific/Kiritimati", False),  # LMT, year 0
        ("9999-12-31T23:59-23:59", "9999-12-31T23:59-23:59", "UTC", False),
        ("0001-01-01T00:00+23:59", "0001-01-01T00:01+23:59", "UTC", False),
    ],
)
def test_the_calendar_edges_keep_the_scale(
    run: Run, write_log: WriteLog, first: str, last: str, tz: str, ticked: bool
) -> None:
    """Instants in the first or the last minutes of the calendar keep a forward scale and
    are drawn inside it, with round ticks wherever the display zone has a date for them."""
    root = parse(export(run, between(write_log, first, last), "--tz", tz))
    scale, dots, labels = dots_and_ticks(root)
    assert scale.stop - scale.start >= 3_600_000  # slid inside the calendar, not squeezed
    assert len(dots) == 2 and all(scale.left < x < scale.right for x in dots), (dots, scale)
    assert dots[0] < dots[1] or first == last
    assert len(labels) >= 4 if ticked else labels == [], labels


def test_the_last_month_of_the_calendar_has_day_ticks(run: Run, write_log: WriteLog) -> None:
    """December 9999 is ticked by days up to its last ones, like any other month."""
    _, _, labels = dots_and_ticks(
        parse(export(run, between(write_log, "9999-12-02", "9999-12-30")))
    )
    assert labels[0] == "2 Dec 9999" and labels[-1] in ("30 Dec", "31 Dec"), labels
    assert all(re.fullmatch(r"\d\d? Dec", label) for label in labels[1:]), labels


def local_ticks(root: ET.Element, zone: ZoneInfo) -> list[tuple[str, dt.datetime]]:
    """Each tick label with the local time (to the minute) at its x on the stated scale."""
    scale, found = scale_of(root), []
    for tick in texts(root, "tick"):
        ms = scale.start + (float(tick.attrib["x"]) - scale.left) * (scale.stop - scale.start) / (
            scale.right - scale.left
        )
        moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=round(ms / 60_000))
        found.append((tick.text or "", moment.astimezone(zone)))
    return found


@pytest.mark.parametrize(
    ("first", "last", "tz"),
    [
        ("2026-03-28", "2026-03-30", "Europe/Berlin"),  # clocks go forward on the 29th
        ("2026-03-28", "2026-03-30", "America/New_York"),
        ("2026-03-29T00:00", "2026-03-29T05:00", "Europe/Berlin"),  # no 02:00 that night
        ("2026-10-25T00:00", "2026-10-25T05:00", "Europe/Berlin"),  # 02:00 twice that night
        ("2026-10-24T12:00", "2026-10-26T00:00", "Europe/Berlin"),
        ("2026-03-20", "2026-04-05", "Europe/Berlin"),  # day ticks
        ("2026-03-20", "2026-04-05", "America/New_York"),
    ],
)
def test_hour_ticks_stay_on_round_local_times(
    run: Run, write_log: WriteLog, first: str, last: str, tz: str
) -> None:
    """Across a change of the clocks, ticks stand at local times that are multiples of one
    step (days at local midnight), each labelled with the local time at its x, none twice."""
    log = between(write_log, first, last).read_text().replace('"UTC"', '"Europe/Berlin"')
    root = parse(export(run, write_log(log), "--tz", tz))
    found = local_ticks(root, ZoneInfo(tz))
    assert len(found) >= 4
    minutes = [moment.hour * 60 + moment.minute for _, moment in found]
    if any(minutes):
        step = min(b - a for a, b in itertools.pairwise(minutes) if b > a)
        assert math.gcd(*minutes) == step, found  # every tick a multiple of the step
    for label, moment in found:
        day, clock = f"{moment.day} {moment:%b}", f"{moment:%H:%M}"
        assert label in (day, f"{day} {moment.year}", clock, f"{day} {clock}"), (label, moment)
        assert (":" in label) == (clock != "00:00"), (label, moment)  # a day: at its midnight
    walls = [moment.replace(tzinfo=None) for _, moment in found]
    assert walls == sorted(set(walls)), found  # the repeated hour is not ticked twice


# --- labels -----------------------------------------------------------------------------


class Box(NamedTuple):
    left: float
    top: float
    right: float
    bottom: float

    def meets(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


def label_boxes(root: ET.Element) -> list[Box]:
    """Each label's and "+N more" note's box, by the picture's own width estimate."""
    boxes = []
    for text in [*texts(root, "label"), *texts(root, "more")]:
        x, y = float(text.attrib["x"]), float(text.attrib["y"])
        width = text_width(text.text or "", 11)
        left = x - width if text.get("text-anchor") == "end" else x
        boxes.append(Box(left, y - 11, left + width, y + 3))
    return boxes


def leaders(root: ET.Element) -> Iterator[tuple[float, float, float]]:
    """Each leader's vertical stroke: x, top, bottom."""
    for path in root.iter(f"{SVG}path"):
        if path.get("class") == "leader":
            found = re.fullmatch(r"M([\d.]+) ([\d.]+)V([\d.]+)H[\d.]+", path.attrib["d"])
            assert found is not None, path.attrib["d"]
            yield float(found[1]), float(found[2]), float(found[3])


def assert_tidy(root: ET.Element) -> None:
    """No two labels overlap, no leader runs through a label, every mark is labelled or
    counted in its lane's "+N more", and each label is its mark's title or a shortening."""
    boxes = sorted(label_boxes(root), key=lambda b: b.top)  # a box is 14 px high
    tops = [box.top for box in boxes]
    for i, box in enumerate(boxes):
        for other in boxes[i + 1 : bisect.bisect_left(tops, box.bottom)]:
            assert not box.meets(other), (box, other)
    for x, top, bottom in leaders(root):
        stroke = Box(x - 0.4, top, x + 0.4, bottom)
        for box in boxes[bisect.bisect_left(tops, top - 14) : bisect.bisect_left(tops, bottom)]:
            assert not stroke.meets(box), (stroke, box)
    for lane in (g for g in root.iter(f"{SVG}g") if g.get("class") == "lane"):
        titles = {
            m.get("id"): (m.findtext(f"{SVG}title") or "").split(" — ", 1)[1] for m in marks(lane)
        }
        labels = texts(lane, "label")
        more = [t.text or "" for t in texts(lane, "more")]
        hidden = int(more[0].split()[0][1:]) if more else 0
        assert len(labels) + hidden == len(titles)
        for label in labels:
            title, text = titles[label.get("data-for")].split("\n")[0], label.text or ""
            assert text == title or (text.endswith("…") and title.startswith(text[:-1]))


def test_bundled_labels_do_not_overlap(run: Run) -> None:
    """The bundled log's labels never overlap; by actor every mark is labelled, in one
    lane all but a few."""
    for args in ((), ("--lanes", "actor")):
        root = parse(export(run, BUNDLED, *args))
        assert_tidy(root)
    by_actor = parse(export(run, BUNDLED, "--lanes", "actor"))
    assert (len(texts(by_actor, "label")), texts(by_actor, "more")) == (len(marks(by_actor)), [])
    assert len(texts(parse(export(run, BUNDLED)), "label")) >= 15


def test_a_label_is_shortened_only_where_room_runs_out(run: Run, write_log: WriteLog) -> None:
    """A lone event's long title is drawn whole at the default width; at 320 px it is
    shortened to what fits."""
    title = "Witkoff and Kushner brief the European delegation ahead of the Geneva round"
    log = write_log(f'[chrono]\n\n[[events]]\nid = "x"\ndate = "2026-01-05"\ntitle = "{title}"\n')
    assert [t.text for t in texts(parse(export(run, log)), "label")] == [title]
    [short] = [t.text or "" for t in texts(parse(export(run, log, "--width", "320")), "label")]
    assert short.endswith("…") and title.startswith(short[:-1]) and len(short) > 20


def test_dense_log_labels_what_fits(run: Run, tmp_path: Path) -> None:
    """In a dense 500-event log, labels never overlap and the rest is counted as "+N more"."""
    log = tmp_path / "dense.toml"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen.py"), "500", "-o", str(log)],
        check=True,
        timeout=120,
    )
    for args in ((), ("--lanes", "actor"), ("--width", "320")):
        root = parse(export(run, log, *args))
        assert_tidy(root)
        assert texts(root, "more"), args


def test_many_lanes_stay_within_what_librsvg_draws(run: Run, write_log: WriteLog) -> None:
    """With 250 busy lanes, fewer label rows keep the picture under 32,000 px high."""
    actors = ", ".join(f'"actor {n:03d}"' for n in range(250))
    events = "".join(
        f'\n[[events]]\nid = "e{n}"\ndate = "2026-01-{n + 1:02d}"\ntitle = "Event number {n}"\n'
        f"actors = [{actors}]\n"
        for n in range(12)
    )
    root = parse(
        export(run, write_log('[chrono]\ntimezone = "UTC"\n' + events), "--lanes", "actor")
    )
    assert len(marks(root)) == 250 * 12
    assert float(root.attrib["height"]) <= 32_000
    assert len(texts(root, "more")) == 250
    assert_tidy(root)


def test_lanes_past_the_height_librsvg_draws_are_folded(
    run: Run, write_log: WriteLog, tmp_path: Path
) -> None:
    """A thousand places (one event each, one busier) and events without a place fold into
    the busiest lanes and a last one naming how many others it holds: every mark drawn,
    under 32,000 px high, rendered by librsvg."""
    events = (
        "".join(
            f'\n[[events]]\nid = "e{n}"\ndate = "2026-01-01T{n // 60 % 24:02d}:{n % 60:02d}"\n'
            f'title = "Event {n}"\nlocation = "Place {n:04d}"\n'
            for n in range(1000)
        )
        + '\n[[events]]\nid = "busy"\ndate = "2026-01-02"\ntitle = "Busy"\n'
        + 'location = "Place 0999"\n'
        + "".join(
            f'\n[[events]]\nid = "n{n}"\ndate = "2026-01-03"\ntitle = "N"\n' for n in range(3)
        )
    )
    data = export(run, write_log('[chrono]\ntimezone = "UTC"\n' + events), "--lanes", "location")
    root = parse(data)
    lanes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "lane"]
    assert float(root.attrib["height"]) <= 32_000
    names = [lane.get("data-lane") for lane in lanes]
    assert names[:2] == ["Place 0999", "Place 0000"]  # the busiest are kept, then by name
    assert names[-2] == "(no place)"  # busier than any other place: kept
    others = 1001 - (len(lanes) - 1)  # 1,000 places and "(no place)"
    assert names[-1] == f"({others} other places)"
    assert [t.text for t in texts(lanes[-1], "lane-name")] == [names[-1]]
    assert len(marks(lanes[-1])) == others and len(marks(root)) == 1004
    assert all(texts(lane, "label") for lane in lanes)  # each lane has a row of labels
    picture = tmp_path / "places.svg"
    picture.write_bytes(data)
    done = subprocess.run(
        [need_rsvg(), str(picture), "-o", str(tmp_path / "places.png")],
        capture_output=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    width, height = struct.unpack(">II", (tmp_path / "places.png").read_bytes()[16:24])
    assert (width, height) == (1200, math.ceil(float(root.attrib["height"])))


# --- options --------------------------------------------------------------------------------


def test_width_sets_the_picture_and_the_scale(run: Run, write_log: WriteLog) -> None:
    """``--width`` sets the width, the viewBox and the axis's right end."""
    for width in (320, 2000):
        root = parse(export(run, write_log(LOG), "--width", str(width)))
        assert root.get("width") == str(width)
        assert root.attrib["viewBox"].split()[2] == str(width)
        assert scale_of(root).right == width - 16
    result = run("export", "svg", "-f", str(write_log(LOG)), "--width", "100")
    assert result.exit_code != 0
    assert "--width: 100 is not between 320 and 20000" in result.output


def test_lanes_by_actor(run: Run, write_log: WriteLog) -> None:
    """``--lanes actor`` draws one named lane per actor, busiest first, and the event of
    three actors in each of their three lanes."""
    root = parse(export(run, write_log(LOG), "--lanes", "actor"))
    lanes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "lane"]
    names = [g.get("data-lane") for g in lanes]
    assert names == ["Ann Archer", "Bob Baker", "Cy Cole", "(no actor)"]
    assert [texts(g, "lane-name")[0].text for g in lanes] == names
    holding = [g.get("data-lane") for g in lanes if marks(g, "day")]
    assert holding == ["Ann Archer", "Bob Baker", "Cy Cole"]
    assert len(marks(root, "day")) == 3
    one = parse(export(run, write_log(LOG)))
    assert [g.get("data-lane") for g in one.iter(f"{SVG}g") if g.get("class") == "lane"] == [""]
    assert texts(one, "lane-name") == []


def test_filters_and_title(run: Run) -> None:
    """Filters choose the marks and ``--title`` the title and heading, escaped."""
    root = parse(export(run, BUNDLED, "-a", "Kushner", "--title", "Kushner & <co>"))
    assert root.findtext(f"{SVG}title") == "Kushner & <co>"
    assert [t.text for t in texts(root, "title")] == ["Kushner & <co>"]
    events = {m.get("data-event") for m in marks(root)}
    assert events == {
        "2025-12-european-capitals-consultations",
        "2025-12-mar-a-lago-consultations",
        "2025-12-02-putin-witkoff-kushner-moscow",
        "2026-01-19-davos-forum",
        "2026-01-22-putin-witkoff-kremlin",
    }
    default = parse(export(run, BUNDLED, "-a", "Kushner"))
    assert default.findtext(f"{SVG}title") == "Kushner, Dec 2025 – Jan 2026"


def test_same_log_same_bytes(run: Run) -> None:
    """Two exports of the same log are the same bytes."""
    assert export(run, BUNDLED, "--lanes", "actor") == export(run, BUNDLED, "--lanes", "actor")


def test_no_events_is_a_picture_saying_so(run: Run) -> None:
    """An empty selection gives a valid picture saying "No events", and the note."""
    result = run("export", "svg", "-f", str(BUNDLED), "--on", "1990")
    assert (result.exit_code, result.stderr) == (0, "chrono: no events match\n")
    root = parse(result.stdout_bytes)
    assert [t.text for t in texts(root, "empty")] == ["No events"]
    assert marks(root) == []


# --- hostile text -------------------------------------------------------------------------


def test_hostile_text_is_shown_literally(run: Run) -> None:
    """The hostile log yields no script, no event attribute, no outside reference, no
    foreignObject, no control character, and its text shows literally, made visible."""
    for lanes in ("actor", "tag"):
        data = export(run, XSS, "--lanes", lanes)
        root = parse(data)
        for element in root.iter():
            assert element.tag.startswith(SVG), element.tag
            assert element.tag not in (f"{SVG}script", f"{SVG}foreignObject", f"{SVG}a")
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), name
                assert "href" not in name.lower()
                assert "url(" not in value or re.fullmatch(r"url\(#[\w-]+\)", value), value
        assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", data)
        assert "\u202e".encode() not in data and "\u200b".encode() not in data
        shown = [t.text or "" for t in root.iter(f"{SVG}text")]
        assert "<script>alert(1)</script>" in shown
        assert any(
            text.startswith("Bidi \\u202eevil\\u202c and zero\\u200bwidth") for text in shown
        )
        tips = [m.findtext(f"{SVG}title") or "" for m in marks(root)]
        assert any("]]></svg><svg onload=alert(15)> & \"quotes\" 'single'" in tip for tip in tips)
    lanes = [t.text or "" for t in texts(parse(export(run, XSS, "--lanes", "tag")), "lane-name")]
    assert any(name.startswith("x\\x00y") for name in lanes), lanes


@pytest.mark.parametrize(
    "text",
    ["plain", "  runs \t of\n blanks\r\n", "<b>&amp;'\"", "\x1b[31m\u202e\ufffe\uffff", "x\x00y"],
)
def test_text_is_escaped_by_the_shared_xml_rule(text: str) -> None:
    """SVG text is the shared XML escaping of the text with its blanks collapsed, its
    line breaks kept where asked."""
    assert esc(text) == xml_text(" ".join(text.split()))
    lines = text.replace("\r\n", "\n").split("\n")
    shown = "\n".join(" ".join(line.split()) for line in lines)
    assert esc(text, multiline=True) == xml_text(shown, multiline=True)
    assert esc("a\u2028b\x1cc\x85d") == "a\\u2028b\\x1cc\\x85d"  # shown, not collapsed


def test_characters_xml_forbids_are_made_visible(run: Run, write_log: WriteLog) -> None:
    """U+FFFF and U+FFFE, which XML 1.0 does not allow, are written as visible escapes."""
    log = '[chrono]\ntimezone = "UTC"\n\n[[events]]\nid = "x"\ndate = "2026-01-01"\n'
    root = parse(export(run, write_log(log + 'title = "odd \\uFFFF and \\uFFFE"\n')))
    assert [t.text for t in texts(root, "label")] == ["odd \\uffff and \\ufffe"]


# --- real readers ---------------------------------------------------------------------------


def need_rsvg() -> str:
    found = shutil.which("rsvg-convert")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("no rsvg-convert: .ci/run installs librsvg2-bin")
        pytest.skip("no rsvg-convert installed")
    return found


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB rows of an 8-bit RGB or RGBA PNG (alpha over white)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, header = 8, b"", b""
    while at < len(data):
        (size,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + size]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        at += size + 12
    width, height, depth, color = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and color in (2, 6) and header[12] == 0, header  # no interlace
    channels = 4 if color == 6 else 3
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                guess = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + guess) & 255
        previous = line
        if channels == 4:
            rgb = bytearray()
            for i in range(0, stride, 4):
                a = line[i + 3]
                rgb += bytes((c * a + 255 * (255 - a)) // 255 for c in line[i : i + 3])
            rows.append(bytes(rgb))
        else:
            rows.append(bytes(line))
    return width, height, rows


def test_rsvg_and_chromium_draw_it_alike(run: Run, watched: Watched, tmp_path: Path) -> None:
    """librsvg converts the bundled picture to PNG, Chromium shows it without a problem,
    the two renderings mostly agree pixel for pixel, and no label is wider in Chromium
    than the width the layout allowed it."""
    rsvg = need_rsvg()
    picture = tmp_path / "timeline.svg"
    picture.write_bytes(export(run, BUNDLED, "--lanes", "actor"))
    root = parse(picture.read_bytes())
    width, height = int(root.attrib["width"]), int(float(root.attrib["height"]))
    SHOTS.mkdir(parents=True, exist_ok=True)
    converted = SHOTS / "svg-rsvg.png"
    done = subprocess.run(
        [rsvg, str(picture), "-o", str(converted)], capture_output=True, check=False
    )
    assert (done.returncode, done.stderr) == (0, b"")
    page = watched.page
    page.set_viewport_size({"width": width, "height": height})
    page.goto(picture.as_uri())
    assert watched.problems() == []
    drawn = shot(page, "svg-chromium")
    ours, theirs = decode_png(converted.read_bytes()), decode_png(drawn.read_bytes())
    assert ours[:2] == theirs[:2] == (width, height)
    same = total = 0
    for row_a, row_b in zip(ours[2], theirs[2], strict=True):
        for i in range(0, len(row_a), 3):
            total += 1
            same += max(abs(row_a[i + k] - row_b[i + k]) for k in range(3)) <= 40
    assert same / total > 0.98, same / total
    measured = page.evaluate(
        "() => [...document.querySelectorAll('text')].map("
        "t => [t.getAttribute('class'), t.textContent, t.getComputedTextLength(),"
        " getComputedStyle(t).fontSize, getComputedStyle(t).fontWeight])"
    )
    for css, content, length, size, weight in measured:
        estimate = text_width(content, float(size.removesuffix("px")))
        if int(weight) >= 700:
            estimate *= BOLD
        assert length <= estimate, (css, content, length, estimate)


def test_chromium_runs_nothing_from_the_hostile_log(
    run: Run, watched: Watched, tmp_path: Path
) -> None:
    """Chromium shows the hostile log's picture with no problem and runs none of its text."""
    for lanes in ("actor", "tag", "location"):
        picture = tmp_path / f"{lanes}.svg"
        picture.write_bytes(export(run, XSS, "--lanes", lanes))
        watched.page.goto(picture.as_uri())
        assert watched.page.evaluate("() => window.__xss === undefined")
        assert watched.page.evaluate("() => document.querySelectorAll('script').length") == 0
    assert watched.problems() == []
    assert watched.console == []


APART = """\
[[events]]
id = "end-approx"
date = "2025-01-01"
end = "2025-04~"
title = "Exact start, approximate end"

[[events]]
id = "start-approx"
date = "2025-07~"
end = "2025-10-31"
title = "Approximate start"
"""


def edge_shades(rows: list[bytes], shape: ET.Element) -> tuple[int, int]:
    """How light (the sum of R, G and B) a drawn rectangle is near its start and its end,
    on its middle row."""
    x, width = float(shape.attrib["x"]), float(shape.attrib["width"])
    row = rows[int(float(shape.attrib["y"]) + float(shape.attrib["height"]) / 2)]
    start, end = (3 * int(x + width * at) for at in (0.04, 0.96))
    return sum(row[start : start + 3]), sum(row[end : end + 3])


def test_both_readers_fade_only_the_approximate_end(
    run: Run, watched: Watched, write_log: WriteLog, tmp_path: Path
) -> None:
    """In librsvg's and in Chromium's drawing, a bar with only its end approximate is solid
    at its start and faint at its end, and one with only its start approximate the reverse."""
    rsvg = need_rsvg()
    picture = tmp_path / "fades.svg"
    picture.write_bytes(export(run, write_log(APART)))
    root = parse(picture.read_bytes())
    width, height = int(root.attrib["width"]), int(float(root.attrib["height"]))
    converted = tmp_path / "fades.png"
    subprocess.run([rsvg, str(picture), "-o", str(converted)], check=True)
    watched.page.set_viewport_size({"width": width, "height": height})
    watched.page.goto(picture.as_uri())
    drawings = {"librsvg": converted, "Chromium": shot(watched.page, "svg-fades-chromium")}
    for reader, png in drawings.items():
        rows = decode_png(png.read_bytes())[2]
        start, end = edge_shades(rows, extent(marks(root, "end-approx")[0]))
        assert end - start > 200, (reader, start, end)  # faint (light) only at its end
        start, end = edge_shades(rows, extent(marks(root, "start-approx")[0]))
        assert start - end > 200, (reader, start, end)
    assert watched.problems() == []
