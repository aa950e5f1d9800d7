"""``chrono export svg``: a static timeline picture, honest about dates and safe: what is
drawn, the options, hostile text. The layout is tested in test_svg_layout, the drawings
librsvg and Chromium make in test_svg_render."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest

from chrono.export.svg_format import esc
from chrono.output.safe_text import xml_text
from tests.conftest import BUNDLED, Run
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
    keys = ["band: a whole day, month or year", "bar: a span, start to end"]
    keys.append("dashed outline: uncertain date")  # the log has no instant, nothing approximate
    assert [t.text for t in texts(root, "key-text")] == keys
    assert desc.text.endswith(" Key: " + "; ".join(keys) + ".")


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


KEYS = {
    "point": "dot: an instant",
    "band": "band: a whole day, month or year",
    "bar": "bar: a span, start to end",
    "approximate": "faded edge: that end of the date is approximate",
    "uncertain": "dashed outline: uncertain date",
    "clipped": "arrow: it runs on beyond the period shown",
}


def legend(root: ET.Element) -> list[tuple[str, str]]:
    """Each key of the legend: what it keys and its words."""
    found = [g for g in root.iter(f"{SVG}g") if g.get("class", "").startswith("key ")]
    return [(g.attrib["class"].split()[1], g.findtext(f"{SVG}text") or "") for g in found]


@pytest.mark.parametrize(
    ("args", "kinds"),
    [
        ((), ["point", "band", "bar", "approximate", "uncertain"]),
        (("-a", "Bob"), ["point", "band", "bar"]),
        (("--on", "2026-03-12"), ["point", "band", "clipped"]),  # March runs on
        (("--on", "2026-03-03"), ["band", "bar", "clipped"]),
        (("--from", "2026-03-20"), ["band", "approximate", "uncertain", "clipped"]),
    ],
)
def test_the_legend_keys_only_what_is_drawn(
    run: Run, write_log: WriteLog, args: tuple[str, ...], kinds: list[str]
) -> None:
    """The legend keys exactly the shapes, fades, dashes and cut ends the picture draws,
    each in its one wording, and the <desc> says the same words; its fade is defined only
    when keyed."""
    root = parse(export(run, write_log(LOG), *args))
    assert legend(root) == [(kind, KEYS[kind]) for kind in kinds]
    desc = root.findtext(f"{SVG}desc") or ""
    assert desc.endswith(" Key: " + "; ".join(KEYS[kind] for kind in kinds) + "."), desc
    ids = [g.get("id") for g in root.iter(f"{SVG}linearGradient")]
    assert ("fade-legend-end" in ids) == ("approximate" in kinds)


@pytest.mark.parametrize("args", [(), ("--reverse",), ("-n", "3"), ("--on", "2026-01-23")])
def test_the_legend_words_are_the_same_for_any_selection(run: Run, args: tuple[str, ...]) -> None:
    """Whatever is selected and in whatever order, each key says its one wording."""
    root = parse(export(run, BUNDLED, *args))
    assert legend(root) and all(KEYS[kind] == words for kind, words in legend(root))


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
