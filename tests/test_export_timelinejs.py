"""``chrono export timelinejs``: TimelineJS3 JSON at the precision known, read by TimelineJS."""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from chrono.export.timelinejs_format import MEDIA, date_object
from tests.browser import Watched, npm_package
from tests.conftest import BUNDLED, Run

XSS = Path(__file__).parent / "data" / "xss.toml"
HOSTILE = Path(__file__).parent / "data" / "hostile.toml"

LOG = """\
[chrono]
timezone = "Europe/Moscow"

[actors.putin]
name = "Vladimir Putin"

[actors.witkoff]
name = "Steve Witkoff"

[[events]]
id = "month"
date = "2025-02"
title = "Sometime in February"
actors = ["putin"]
sources = ["Interfax report", "https://example.org/feb", "mailto:desk@example.org"]

[[events]]
id = "talks"
date = "2025-03-13T23:30"
end = "2025-03-14T01:00"
title = "Late talks"
actors = ["putin", "witkoff"]
kind = "meeting"

[[events]]
id = "about"
date = "1962~"
end = "1963-05?"
title = "Around then"

[[events]]
id = "second"
date = "2025-04-01T10:00:05Z"
title = "To the second"
"""


def export(run: Run, log: Path, *args: str) -> dict[str, Any]:
    """The TimelineJS document `chrono export timelinejs` writes for ``log``."""
    result = run("export", "timelinejs", "-f", str(log), *args)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The slides by their unique_id."""
    return {slide["unique_id"]: slide for slide in document["events"]}


def test_dates_hold_exactly_the_parts_written(run: Run, write_log: Any) -> None:
    """A month has no day, a year no month; moments are wall times in the display zone."""
    slides = by_id(export(run, write_log(LOG)))
    assert slides["month"]["start_date"] == {"year": 2025, "month": 2}
    assert "end_date" not in slides["month"]
    assert slides["about"]["start_date"] == {"year": 1962}
    assert slides["about"]["end_date"] == {"year": 1963, "month": 5}
    assert slides["talks"]["start_date"] == {
        "year": 2025,
        "month": 3,
        "day": 13,
        "hour": 23,
        "minute": 30,
    }
    assert slides["talks"]["end_date"] == {
        "year": 2025,
        "month": 3,
        "day": 14,
        "hour": 1,
        "minute": 0,
    }
    # Written in UTC, shown in Moscow (UTC+3), with its seconds.
    assert slides["second"]["start_date"] == {
        "year": 2025,
        "month": 4,
        "day": 1,
        "hour": 13,
        "minute": 0,
        "second": 5,
    }


def test_times_follow_tz(run: Run, write_log: Any) -> None:
    """--tz UTC moves a moment's wall time, not a coarse date's parts."""
    slides = by_id(export(run, write_log(LOG), "--tz", "UTC"))
    assert slides["talks"]["start_date"]["hour"] == 20
    assert slides["month"]["start_date"] == {"year": 2025, "month": 2}


def test_display_date_only_for_approximate_and_uncertain(run: Run, write_log: Any) -> None:
    """Qualified dates say so in words; plain dates leave TimelineJS its own display."""
    slides = by_id(export(run, write_log(LOG)))
    assert slides["about"]["display_date"] == "~1962 – May 1963? (approximate and uncertain)"
    assert [s for s in slides if "display_date" in slides[s]] == ["about"]


def test_groups_follow_lanes(run: Run, write_log: Any) -> None:
    """--lanes gives each slide a group (its first lane); without it there is none."""
    log = write_log(LOG)
    assert all("group" not in s for s in export(run, log)["events"])
    slides = by_id(export(run, log, "--lanes", "actor"))
    assert slides["talks"]["group"] == "Vladimir Putin"
    assert slides["about"]["group"] == "(no actor)"
    assert by_id(export(run, log, "--lanes", "kind"))["talks"]["group"] == "meeting"


def test_sources_are_listed_and_media_only_what_timelinejs_shows(run: Run, write_log: Any) -> None:
    """Every source is listed, links where they may be; a web page is not media."""
    slides = by_id(export(run, write_log(LOG)))
    assert "media" not in slides["month"]  # https://example.org/feb: a page, no viewer
    text = slides["month"]["text"]["text"]
    assert '<li><a href="https://example.org/feb" rel="noopener noreferrer"' in text
    assert '<a href="mailto:desk@example.org" rel="noopener noreferrer"' in text
    assert "<li>Interfax report</li>" in text
    assert "media" not in slides["talks"]


def test_first_source_timelinejs_can_show_is_media_with_every_source_credited(
    run: Run, write_log: Any
) -> None:
    """An image or a video page becomes the slide's media, credited with all sources."""
    log = write_log(
        LOG.replace(
            '"https://example.org/feb"',
            '"https://example.org/feb", "https://example.org/photo.JPG?w=2", '
            '"https://www.youtube.com/watch?v=x"',
        )
    )
    media = by_id(export(run, log))["month"]["media"]
    assert media == {
        "url": "https://example.org/photo.JPG?w=2",
        "credit": "Interfax report; https://example.org/feb; https://example.org/photo.JPG?w=2;"
        " https://www.youtube.com/watch?v=x; mailto:desk@example.org",
    }


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("https://www.youtube.com/watch?v=x", True),
        ("https://youtu.be/x", True),
        ("https://en.wikipedia.org/wiki/Kremlin", True),
        ("https://example.org/a.pdf", True),
        ("https://example.org/clip.mp4#t=3", True),
        ("https://example.org/news/story", False),
        ("https://notyoutube.com/watch", False),
        ("https://example.org/jpg", False),
        ("https://example.org/x.png.html", False),
        ("https://youtube.com.evil.example/x", False),
    ],
)
def test_media_are_what_timelinejs_has_a_viewer_for(address: str, shown: bool) -> None:
    """Images, video, PDFs and the big embeds are media; ordinary pages are not."""
    assert bool(MEDIA.match(address)) is shown


def test_ordinals_when_two_actors_are_asked(run: Run, write_log: Any) -> None:
    """Two actors asked number the headlines as the terminal does."""
    log = write_log(LOG)
    document = export(run, log, "-a", "putin", "-a", "witkoff")
    assert [s["text"]["headline"] for s in document["events"]] == ["#1 Late talks"]
    assert document["title"]["text"]["headline"] == "Putin and Witkoff, Mar 2025"
    assert export(run, log, "-a", "putin")["events"][0]["text"]["headline"] == (
        "Sometime in February"
    )


class Markup(HTMLParser):
    """The tags and link targets of the HTML TimelineJS is given."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.hrefs: list[str] = []
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note the tag, its attribute names and its link."""
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def markup(document: dict[str, Any]) -> Markup:
    """Every HTML field of the document, parsed (the twice-escaped ones decoded first)."""
    parser = Markup()
    for slide in [document["title"], *document["events"]]:
        for value in slide["text"].values():
            parser.feed(value)
        for field in ("display_date", "group"):
            if field in slide:
                parser.feed(html.unescape(slide[field]))
        parser.feed(slide.get("media", {}).get("credit", ""))
    parser.close()
    return parser


def test_hostile_text_is_escaped_for_timelinejs(run: Run) -> None:
    """Markup in the log arrives as text: only chrono's own tags, links only http(s), mailto."""
    document = export(run, XSS, "--lanes", "tag")
    found = markup(document)
    assert found.tags == {"p", "b", "ul", "li", "a", "br"}
    assert found.attributes == {"href", "rel", "target"}
    assert found.hrefs == [
        'https://example.org/ok?a=1&b="><script>alert(11)</script>',
        "mailto:desk@example.org",
    ]
    slides = by_id(document)
    assert slides["script"]["text"]["headline"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert slides["script"]["group"] == "&amp;lt;svg onload=alert(4)&amp;gt;"
    assert "\u202e" not in json.dumps(document, ensure_ascii=False)
    assert "\\u202e" in slides["bidi"]["text"]["headline"]


def test_every_format_field_of_hostile_log_is_escaped(run: Run) -> None:
    """The hostile log's markup and line breaks come out escaped, lines as <br>."""
    found = markup(export(run, HOSTILE, "--lanes", "actor"))
    assert found.tags == {"p", "b", "ul", "li", "a", "br"}


@pytest.mark.parametrize(
    ("written", "expected"),
    [("2025", {"year": 2025}), ("2025-07", {"year": 2025, "month": 7})],
)
def test_date_object_of_coarse_dates(written: str, expected: dict[str, int]) -> None:
    """A coarse date's object is its written parts, whatever the instant."""
    import datetime as dt

    from chrono.core.dates import parse_iso

    assert date_object(parse_iso(written), 0, dt.UTC) == expected


# -- read by the real TimelineJS3 ---------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="{css}">
<script src="{js}"></script>
<script src="data.js"></script>
</head><body>
<div id="timeline" style="width: 1200px; height: 640px"></div>
<script>
window.timeline = new TL.Timeline("timeline", window.DATA, {{hash_bookmark: false, font: null}});
</script>
</body></html>
"""


def timeline_page(tmp_path: Path, document: dict[str, Any]) -> Path:
    """A page that hands ``document`` to the TimelineJS3 library from the npm registry."""
    library = npm_package("@knight-lab/timelinejs@3", "@knight-lab/timelinejs") / "dist"
    (tmp_path / "data.js").write_text(f"window.DATA = {json.dumps(document)};\n")
    page = tmp_path / "timeline.html"
    page.write_text(
        PAGE.format(
            css=(library / "css" / "timeline.css").as_uri(),
            js=(library / "js" / "timeline.js").as_uri(),
        )
    )
    return page


def rendered(watched: Watched, page: Path) -> dict[str, Any]:
    """What TimelineJS drew: slide ids, headlines and time markers."""
    dialogs: list[str] = []
    watched.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    watched.page.goto(page.as_uri())
    watched.page.wait_for_selector(".tl-timemarker", state="attached", timeout=20_000)
    found: dict[str, Any] = watched.page.evaluate(
        """() => ({
            slides: [...document.querySelectorAll('.tl-slide')].map(s => s.id),
            headlines: [...document.querySelectorAll('.tl-slide .tl-headline')]
                .map(h => h.textContent),
            markers: document.querySelectorAll('.tl-timemarker').length,
            groups: [...document.querySelectorAll('.tl-timegroup-message')]
                .map(g => g.textContent),
            xss: window.__xss === undefined ? null : window.__xss,
        })"""
    )
    found["dialogs"] = dialogs
    return found


def test_timelinejs_renders_every_bundled_event(run: Run, tmp_path: Path, watched: Watched) -> None:
    """TimelineJS3 draws one slide and one marker per event of the bundled log, groups too."""
    document = export(run, BUNDLED, "--lanes", "kind")
    seen = rendered(watched, timeline_page(tmp_path, document))
    ids = [e["unique_id"] for e in document["events"]]
    assert seen["markers"] == len(ids) == 17
    assert set(ids) <= set(seen["slides"])
    titles = [e["text"]["headline"] for e in document["events"]]
    assert set(titles) <= set(seen["headlines"])
    groups = {e["group"] for e in document["events"]}
    assert set(seen["groups"]) == groups
    assert watched.problems() == []


def test_timelinejs_shows_hostile_text_and_runs_none(
    run: Run, tmp_path: Path, watched: Watched
) -> None:
    """The XSS log's slides show their markup as text and execute nothing."""
    document = export(run, XSS, "--lanes", "tag")
    seen = rendered(watched, timeline_page(tmp_path, document))
    assert seen["xss"] is None
    assert seen["dialogs"] == []
    assert seen["markers"] == 3
    assert "<script>alert(1)</script>" in seen["headlines"]
    assert "<svg onload=alert(4)>" in seen["groups"]


def test_generated_line_on_the_title_slide(run: Run, write_log: Any) -> None:
    """--generated adds its line to the title slide, after the count; without it, none."""
    log = write_log(LOG)
    assert export(run, log)["title"]["text"]["text"] == "<p>4 events, 1962 – Apr 2025</p>"
    titled = export(run, log, "--generated")["title"]["text"]["text"]
    assert titled.startswith("<p>4 events, 1962 – Apr 2025</p><p>Generated by chrono ")
    assert titled.endswith(" on 2026-11-25 from events.toml</p>")
