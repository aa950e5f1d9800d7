"""``chrono export svg``'s layout: the axis's window and ticks, the tracks that keep marks
apart, the labels that never overlap."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest

from chrono.export.svg_layout import text_width
from tests.conftest import BUNDLED, ROOT, Run
from tests.test_export_svg import (
    SVG,
    Scale,
    WriteLog,
    export,
    extent,
    legend,
    marks,
    parse,
    scale_of,
    texts,
)

UTC = ZoneInfo("UTC")


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
        counted = re.match(r"\+(\d+) more", more[0]) if more else None
        hidden = int(counted[1]) if counted else 0
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


# --- tracks ---------------------------------------------------------------------------------


def drawing_box(mark: ET.Element) -> Box:
    """The box a mark's drawing covers: its dot, or its bar or band with its 2 px sliver."""
    shape = extent(mark)
    if shape.tag == f"{SVG}circle":
        x, y, r = (float(shape.attrib[k]) for k in ("cx", "cy", "r"))
        return Box(x - r, y - r, x + r, y + r)
    boxes = []
    for rect in (e for e in mark if e.tag == f"{SVG}rect"):
        x, y, w, h = (float(rect.attrib[k]) for k in ("x", "y", "width", "height"))
        boxes.append(Box(x, y, x + w, y + h))
    return Box(*(f(b[i] for b in boxes) for i, f in enumerate((min, min, max, max))))


def assert_apart(root: ET.Element) -> None:
    """In each lane no two marks' drawings meet, but for those its note counts as drawn
    overlapping on its last track."""
    for lane in (g for g in root.iter(f"{SVG}g") if g.get("class") == "lane"):
        boxes = sorted((drawing_box(m) for m in marks(lane)), key=lambda b: (b.left, b.top))
        notes = " ".join(t.text or "" for t in texts(lane, "more"))
        crowded = re.search(r"(\d+) drawn overlapping on the last track", notes)
        allowed = int(crowded[1]) if crowded else 0
        middle = [(box.top + box.bottom) / 2 for box in boxes]  # each mark's track
        clashing = set()
        for i, box in enumerate(boxes):
            for j in range(i + 1, len(boxes)):
                if boxes[j].left >= box.right:
                    break
                if box.meets(boxes[j]):
                    assert middle[i] == middle[j] == max(middle), (lane.get("data-lane"), box)
                    clashing.add(j)
        assert len(clashing) <= allowed, (lane.get("data-lane"), len(clashing), notes)


def test_marks_of_a_lane_never_overlap(run: Run, tmp_path: Path) -> None:
    """In the bundled log (one lane, by actor, January asked) and a dense 500-event log no
    two marks of a lane are drawn over each other, but past the last track, said so."""
    for args in ((), ("--lanes", "actor"), ("--on", "2026-01")):
        root = parse(export(run, BUNDLED, *args))
        assert_apart(root)
        assert texts(root, "more") == [] or "overlapping" not in (texts(root, "more")[0].text or "")
    log = tmp_path / "dense.toml"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen.py"), "500", "-o", str(log)],
        check=True,
        timeout=120,
    )
    for args in ((), ("--lanes", "actor")):
        root = parse(export(run, log, *args))
        assert_apart(root)
        assert_tidy(root)


def test_marks_alike_stand_on_tracks_of_their_own(run: Run) -> None:
    """The two consultations of December and January, the same span, and the four events
    of 23 January are each on a track of their own, and the lane grows to hold them."""
    root = parse(export(run, BUNDLED, "--on", "2026-01"))
    twins = ["2025-12-european-capitals-consultations", "2025-12-mar-a-lago-consultations"]
    days = [m.get("data-event") for m in marks(root) if "2026-01-23" in m.get("data-event", "")]
    for group in (twins, days):
        tops = [drawing_box(marks(root, event)[0]).top for event in group]
        assert len(set(tops)) == len(group) >= 2, (group, tops)
    [lane] = [g for g in root.iter(f"{SVG}g") if g.get("class") == "lane"]
    back = next(e for e in lane if e.get("class") == "lane-back")
    deepest = max(drawing_box(m).bottom for m in marks(lane))
    first_label = min(float(t.attrib["y"]) - 11 for t in texts(lane, "label"))
    assert deepest < first_label < float(back.attrib["y"]) + float(back.attrib["height"])


def test_the_order_asked_does_not_change_the_picture(run: Run, tmp_path: Path) -> None:
    """``--reverse`` gives the same bytes as the time order, in one lane and by actor, for
    the bundled log and a dense one (so the same events keep or lose their labels)."""
    dense = tmp_path / "dense.toml"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen.py"), "300", "-o", str(dense)],
        check=True,
        timeout=120,
    )
    for log in (BUNDLED, dense):
        for lanes in ("none", "actor"):
            forward = export(run, log, "--lanes", lanes)
            assert export(run, log, "--lanes", lanes, "--reverse") == forward, (log, lanes)


# --- the period asked -----------------------------------------------------------------------


def test_the_axis_spans_the_period_asked(run: Run) -> None:
    """``--on 2026-01`` draws exactly January in the log's zone (Moscow); a span from
    December is cut at the axis's start with an arrow past it, and keyed; ``--from`` sets
    the start alone; without either nothing is cut."""
    moscow = ZoneInfo("Europe/Moscow")
    root = parse(export(run, BUNDLED, "--on", "2026-01"))
    scale = scale_of(root)
    assert (scale.start, scale.stop) == (
        ms_of(dt.datetime(2026, 1, 1, tzinfo=moscow)),
        ms_of(dt.datetime(2026, 2, 1, tzinfo=moscow)),
    )
    [cut] = marks(root, "2025-12-mar-a-lago-consultations")
    assert cut.get("class") == "mark bar month clipped before"
    assert float(extent(cut).attrib["x"]) == scale.left
    arrow = [e for e in cut if e.get("class") == "continues"]
    assert len(arrow) == 1
    tip = re.findall(r"[\d.]+", arrow[0].attrib["d"])
    assert float(tip[2]) < scale.left  # it points out past the axis's start
    assert "clipped" not in marks(root, "2026-01-19-davos-forum")[0].attrib["class"]
    assert ("clipped", "arrow: it runs on beyond the period shown") in legend(root)
    labels = [float(t.attrib["x"]) for t in texts(root, "label")]
    assert all(scale.left <= x <= scale.right for x in labels)
    start = parse(export(run, BUNDLED, "--from", "2026-01-19"))
    assert scale_of(start).start == ms_of(dt.datetime(2026, 1, 19, tzinfo=moscow))
    assert scale_of(start).stop > ms_of(dt.datetime(2026, 1, 24, tzinfo=moscow))
    whole = parse(export(run, BUNDLED))
    assert [m for m in marks(whole) if "clipped" in m.attrib["class"]] == []
    assert "clipped" not in dict(legend(whole))


def test_a_cut_end_does_not_fade(run: Run, write_log: WriteLog) -> None:
    """A span about December to about February, asked for January, fades at neither end:
    both its approximate ends are outside the picture."""
    log = '[chrono]\ntimezone = "UTC"\n\n[[events]]\nid = "x"\ndate = "2025-12~"\n'
    root = parse(
        export(run, write_log(log + 'end = "2026-02~"\ntitle = "Long"\n'), "--on", "2026-01")
    )
    [mark] = marks(root)
    assert mark.get("class") == "mark bar month clipped before clipped after"
    assert not extent(mark).attrib["fill"].startswith("url(")
    assert len([e for e in mark if e.get("class") == "continues"]) == 2
    assert "approximate" not in dict(legend(root))


def ms_of(moment: dt.datetime) -> int:
    return (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(milliseconds=1)


# --- the years on the axis ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("2025-12-01", "2026-02-15"),  # weeks: no tick on 1 January
        ("2025-12-20", "2026-01-12"),  # two days
        ("2025-06", "2026-05"),  # months
    ],
)
def test_the_first_tick_of_each_year_names_it(
    run: Run, write_log: WriteLog, first: str, last: str
) -> None:
    """The axis's first labelled tick and the first of each new year carry the year; the
    others do not."""
    root = parse(export(run, between(write_log, first, last)))
    # a tick's day: it stands at a midnight, read back from its x to within minutes
    found = [(label, at + dt.timedelta(hours=12)) for label, at in local_ticks(root, UTC) if label]
    assert {moment.year for _, moment in found} == {2025, 2026}
    years = [None, *(moment.year for _, moment in found)]
    for (label, moment), before in zip(found, years, strict=False):
        assert label.endswith(str(moment.year)) == (moment.year != before), found
