"""`chrono export html`: one self-contained page, read back by Python's HTML parser."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from collections.abc import Callable
from html import escape
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path
from zoneinfo import ZoneInfo

from chrono.core.query import Query, select
from chrono.export import Context
from chrono.export.drawing import lane_order, marks
from chrono.export.html_format import render
from chrono.export.html_page import SCRIPT
from chrono.storage import store
from tests.conftest import BUNDLED, Run
from tests.test_drawing import EDGES

XSS = Path(__file__).parent / "data" / "xss.toml"

Tag = tuple[str, dict[str, str]]


class Page(HTMLParser):
    """Every start tag with its attributes, the text right inside each, and the inline code."""

    def __init__(self, data: bytes) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[Tag] = []
        self.texts: list[str] = []  # the text that follows each tag, unescaped
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.open = False
        self.feed(data.decode("utf-8"))
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self.texts.append("")
        self.open = True

    def handle_endtag(self, tag: str) -> None:
        self.open = False

    def handle_data(self, data: str) -> None:
        if not self.open:
            return
        if self.tags[-1][0] == "script":
            self.scripts.append(data)
        elif self.tags and self.tags[-1][0] == "style":
            self.styles.append(data)
        else:
            self.texts[-1] += data

    def text_of(self, tag: str) -> list[str]:
        """The text right after each start tag of one kind."""
        return [t for (name, _), t in zip(self.tags, self.texts, strict=True) if name == tag]

    def years(self) -> list[str]:
        """The headings of the list of events: one per year."""
        headings = self.text_of("h2")
        return headings[headings.index("All events, as a list") + 1 :]

    def events(self) -> list[dict[str, str]]:
        """The attributes of each event's ``<li>`` (those with data-s), in page order."""
        return [attrs for name, attrs in self.tags if name == "li" and "data-s" in attrs]


def page_of(run: Run, log: Path, *args: str) -> bytes:
    """`chrono export html` of a log, as bytes."""
    result = run("export", "html", *args, "-f", str(log))
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


LOG = """[chrono]
timezone = "Europe/Moscow"

[actors.putin]
name = "Vladimir Putin"

[actors.witkoff]
name = "Steve Witkoff"

[actors.ushakov]
name = "Yuri Ushakov"

[[events]]
id = "year"
date = "2024?"
title = "A year"
actors = ["ushakov"]

[[events]]
id = "month"
date = "2025-12~"
title = "A month"
actors = ["witkoff"]

[[events]]
id = "talks"
date = "2026-01-22T23:30"
title = "Three at the table"
summary = "First line.\\nSecond line."
actors = ["putin", "witkoff", "ushakov"]
tags = ["ukraine"]
sources = [
    "https://example.org/talks", "mailto:desk@example.org", "ftp://example.org/x", "A report",
]

[[events]]
id = "span"
date = "2026-01-23"
end = "2026-01-25"
title = "A span"
actors = ["putin"]

[[events]]
id = "second"
date = "2026-02-01T10:00:05+01:00"
title = "To the second"
"""


def test_policy_allows_exactly_the_inline_script_and_style(run: Run) -> None:
    """The CSP meta forbids every fetch and names the sha256 of the one script and style."""
    page = Page(page_of(run, BUNDLED))
    metas = {
        a.get("http-equiv") or a.get("name"): a.get("content") for n, a in page.tags if n == "meta"
    }
    assert metas["referrer"] == "no-referrer"
    (script,), (style,) = page.scripts, page.styles

    def digest(code: str) -> str:
        return base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()

    assert metas["Content-Security-Policy"] == (
        f"default-src 'none'; script-src 'sha256-{digest(script)}'; "
        f"style-src 'sha256-{digest(style)}'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    part = [files("chrono.export").joinpath("html", name).read_text("utf-8") for name in SCRIPT]
    assert SCRIPT == ("time.js", "layout.js", "timeline.js")
    assert script == "(function () {\n'use strict';\n" + "\n".join(part) + "})();\n"
    assert part[0].startswith("// chrono's HTML timeline. The events come from the page's own")
    assert style == files("chrono.export").joinpath("html/timeline.css").read_text("utf-8")
    assert [a for n, a in page.tags if n == "script"] == [{}]  # inline, no src
    loaded = [(n, a) for n, a in page.tags if {"src", "srcset", "style"} & a.keys()]
    assert loaded == []
    assert [a["href"] for n, a in page.tags if n == "link"] == ["data:,"]
    assert page.text_of("title") == ["Chronology, 2025 – Jan 2026"]
    assert page.text_of("h1") == ["Chronology, 2025 – Jan 2026"]


def test_no_address_but_the_logs_own_sources(run: Run, write_log: Callable[[str], Path]) -> None:
    """Every http(s) address in the page is one of the log's sources, as a link or its text."""
    data = page_of(run, write_log(LOG)).decode()
    found = [m.start() for m in re.finditer(r"(?i)https?:", data)]
    assert len(found) == 2  # the href and the link's text
    assert all(data.startswith("https://example.org/talks", at) for at in found)
    page = Page(data.encode())
    links = [(a["href"], a["rel"], a.get("referrerpolicy")) for n, a in page.tags if n == "a"]
    assert links == [  # no referrerpolicy: the page's <meta name="referrer"> covers every link
        ("https://example.org/talks", "noopener noreferrer", None),
        ("mailto:desk@example.org", "noopener noreferrer", None),
    ]
    assert "ftp://example.org/x" in page.texts and "A report" in page.texts  # plain text
    assert "First line.\nSecond line." in page.texts  # line breaks kept (white-space: pre-line)


def test_every_event_in_time_order_with_its_datetime(
    run: Run, write_log: Callable[[str], Path]
) -> None:
    """The list holds every event in order, each with its time element and year heading."""
    page = Page(page_of(run, write_log(LOG)))
    assert [e["id"] for e in page.events()] == [
        "e-year",
        "e-month",
        "e-talks",
        "e-span",
        "e-second",
    ]
    times = [a["datetime"] for n, a in page.tags if n == "time"]
    # dates as written (no qualifier); times in UTC: 23:30 in Moscow, 10:00:05 at +01:00
    assert times == ["2024", "2025-12", "2026-01-22T20:30Z", "2026-01-23", "2026-02-01T09:00:05Z"]
    assert page.text_of("time") == [
        "2024?",
        "~Dec 2025",
        "22 Jan 2026 23:30 MSK",
        "23–25 Jan 2026",
        "1 Feb 2026 12:00:05 MSK",
    ]
    assert page.years() == ["2024", "2025", "2026"]
    # data-k only where the instants do not tell the shape: a band has a data-e, a point none
    shapes = [(e.get("data-k"), e.get("data-q")) for e in page.events()]
    assert shapes == [(None, "?"), (None, "~"), (None, None), ("bar", None), (None, None)]
    talks = page.events()[2]
    assert talks["data-s"] == "1769113800000" and "data-e" not in talks  # an instant
    span = page.events()[3]  # 23 Jan 00:00 MSK to the end of the 25th
    assert (span["data-s"], span["data-e"]) == ("1769115600000", "1769374800000")


def test_data_q_says_which_edge_fades(run: Run, write_log: Callable[[str], Path]) -> None:
    """data-q is ``]`` for a bar whose end only is approximate, ``[`` for its start only,
    ``~`` for both edges (a year), then ``?`` when a date is uncertain."""
    page = Page(page_of(run, write_log(EDGES)))
    assert {e["id"]: e.get("data-q") for e in page.events()} == {
        "e-both": "~",
        "e-end-approx": "]",
        "e-start-approx": "[",
        "e-bar-both": "~?",
        "e-end-both-kinds": "]?",
        "e-end-uncertain": "?",
        "e-moment": "~",
        "e-exact": None,
    }


def test_bundled_list_matches_the_log(run: Run) -> None:
    """The bundled log's events are all listed, in the log's order, under their years."""
    chronology = store.load(BUNDLED)
    page = Page(page_of(run, BUNDLED))
    assert [e["id"] for e in page.events()] == [f"e-{e.id}" for e in chronology.events]
    assert page.text_of("h3") == [e.title for e in chronology.events]
    starts = [int(e["data-s"]) for e in page.events()]
    assert starts == sorted(starts)
    listed = page_of(run, BUNDLED).decode().split('<section id="events"')[1]
    assert listed.count("<li ") == 17 and "</li>" not in listed  # implied by <li> or </ol>
    assert page.years() == ["2025", "2026"]


def test_three_actors_three_lanes(run: Run, write_log: Callable[[str], Path]) -> None:
    """--lanes actor: a lane checkbox per actor, busiest first; an event in each of its lanes."""
    page = Page(page_of(run, write_log(LOG), "--lanes", "actor"))
    names = page.text_of("span")
    lanes = [
        names[i]
        for i, (n, a) in enumerate(t for t in page.tags if t[0] == "span")
        if a.get("class") == "ln"
    ]
    assert lanes == ["Steve Witkoff", "Vladimir Putin", "Yuri Ushakov", "(no actor)"]
    by_id = {e["id"]: [lanes[int(n)] for n in e["data-l"].split()] for e in page.events()}
    assert by_id["e-talks"] == ["Vladimir Putin", "Steve Witkoff", "Yuri Ushakov"]
    assert by_id["e-span"] == ["Vladimir Putin"] and by_id["e-second"] == ["(no actor)"]
    plain = Page(page_of(run, write_log(LOG)))
    assert all("data-l" not in e for e in plain.events())  # one lane: no lane data


def test_render_on_a_context_uses_the_drawing_model(write_log: Callable[[str], Path]) -> None:
    """render() on a Context lists the lanes drawing.lane_order gives, one checkbox each."""
    chronology = store.load(write_log(LOG))
    context = Context(chronology, select(chronology, Query()), chronology.tz, "T", lanes="tag")
    page = Page(render(context))
    expected = lane_order(marks(context))
    assert expected == ["ukraine", "(no tag)"]
    assert [
        t for (n, a), t in zip(page.tags, page.texts, strict=True) if a.get("class") == "ln"
    ] == expected
    boxes = [a["value"] for n, a in page.tags if n == "input" and a.get("type") == "checkbox"]
    assert boxes == ["0", "1"]
    assert page.text_of("summary") == ["Lanes by tag "]
    assert page.text_of("title") == ["T"]


def test_hostile_text_is_never_markup(run: Run) -> None:
    """xss.toml: no element, attribute or address comes from the log; its text shows as written."""
    data = page_of(run, XSS, "--lanes", "tag")
    page = Page(data)
    tags = {n for n, _ in page.tags}
    assert tags <= {
        "html", "head", "meta", "title", "link", "style", "script", "body", "header", "h1",
        "h2", "h3", "p", "main", "div", "label", "input", "button", "details", "summary",
        "fieldset", "legend", "span", "section", "ol", "li", "time", "dl", "dt", "dd", "a",
        "aside", "ul", "b",
    }  # fmt: skip
    assert len(page.scripts) == 1
    for _, attrs in page.tags:
        assert not [k for k in attrs if k.startswith("on")]
        assert not [v for v in attrs.values() if "javascript:" in v.lower()]
        assert not [k for k, v in attrs.items() if "<" in v and k != "href"]
    hrefs = [a["href"] for n, a in page.tags if n == "a"]
    assert hrefs == [
        'https://example.org/ok?a=1&b="><script>alert(11)</script>',
        "mailto:desk@example.org",
    ]
    assert "<script>alert(1)</script>" in page.text_of("h3")
    assert "\u202e" not in data.decode() and "Bidi \\u202eevil\\u202c" in page.text_of("h3")[1]
    outside = re.sub(r"<script>.*?</script>", "", data.decode(), count=1, flags=re.S)
    for raw in ("<script", "<img", "<iframe", "<svg", "<b>", "<!--"):
        assert raw not in outside.lower()
    assert "onerror=alert(12)&gt;" in outside  # escaped text, not an attribute
    assert "javascript:window" in outside  # shown, as plain text
    names = [t for (n, a), t in zip(page.tags, page.texts, strict=True) if a.get("class") == "ln"]
    assert "<svg onload=alert(4)>" in names


def test_title_option(run: Run) -> None:
    """--title sets the <title> and the <h1>, escaped."""
    page = Page(page_of(run, BUNDLED, "--title", "Talks <b>& more</b>"))
    assert page.text_of("title") == page.text_of("h1") == ["Talks <b>& more</b>"]


def test_filters_narrow_the_page(run: Run) -> None:
    """-a, --on and -t select the same events the list command does."""
    for args in (("-a", "Putin", "--on", "2026-01"), ("-t", "ukraine")):
        ids = run("list", *args, "--format", "ids", "-f", str(BUNDLED)).stdout.split()
        page = Page(page_of(run, BUNDLED, *args))
        assert [e["id"] for e in page.events()] == [f"e-{i}" for i in ids]
        assert 0 < len(ids) < 17


def test_numbers_with_two_actors(run: Run) -> None:
    """With two actors asked the events carry their ordinal (#1, #2, ...) before the title."""
    page = Page(page_of(run, BUNDLED, "-a", "Putin", "-a", "Witkoff"))
    numbers = [t for (n, a), t in zip(page.tags, page.texts, strict=True) if a.get("class") == "n"]
    assert numbers[:3] == ["#1", "#2", "#3"] and len(numbers) == len(page.events())


def test_empty_selection(run: Run) -> None:
    """No event matched: a page that says so, with the exit status of every export."""
    result = run("export", "html", "-t", "no-such-tag", "-f", str(BUNDLED))
    assert (
        result.exit_code == run("export", "md", "-t", "no-such-tag", "-f", str(BUNDLED)).exit_code
    )
    page = Page(result.stdout_bytes)
    assert page.events() == [] and "No events." in page.texts and page.years() == []


def test_same_bytes_every_time(run: Run) -> None:
    """The page is deterministic, and options change it."""
    first = page_of(run, BUNDLED, "--lanes", "actor")
    assert first == page_of(run, BUNDLED, "--lanes", "actor")
    assert first != page_of(run, BUNDLED)
    assert escape("Steve Witkoff") in first.decode()


def test_period_asked_is_on_the_timeline(run: Run) -> None:
    """--on, --from and --to write [start, stop) in ms as the timeline's data-from and
    data-to, in the log's zone (Moscow), an open end left out, and the legend says so."""
    moscow = ZoneInfo("Europe/Moscow")

    def ms(year: int, month: int) -> str:
        return str(int(dt.datetime(year, month, 1, tzinfo=moscow).timestamp() * 1000))

    def timeline(*args: str) -> dict[str, str]:
        page = Page(page_of(run, BUNDLED, *args))
        return next(a for name, a in page.tags if a.get("id") == "tl")

    on = timeline("--on", "2026-01")
    assert (on.get("data-from"), on.get("data-to")) == (ms(2026, 1), ms(2026, 2))
    since = timeline("--from", "2025-06")
    assert since.get("data-from") == ms(2025, 6) and "data-to" not in since
    everything = timeline()
    assert "data-from" not in everything and "data-to" not in everything
    assert b"outside the period asked for" in page_of(run, BUNDLED, "--on", "2026-01")
    assert b"outside the period asked for" not in page_of(run, BUNDLED)
