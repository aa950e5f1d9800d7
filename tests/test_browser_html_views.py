"""`chrono export html` in a real browser: what the view shows (the period asked, titles,
the count in view, search, lanes below the frame) and odd logs."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from chrono.storage import store
from tests.browser import Watched, shot
from tests.conftest import BUNDLED, Run
from tests.test_browser_html import changed, count, exported, opened, settled, shows, spans, view
from tests.test_drawing import EDGES

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_the_period_asked_is_the_first_view(watched: Watched, run: Run, tmp_path: Path) -> None:
    """--on 2026-01 opens on 1 Jan to 1 Feb 2026 in Moscow, 0 comes back to it, and zoomed
    out the time outside it is shaded from its edges; --from alone ends with the events."""
    page = watched.page
    moscow = ZoneInfo("Europe/Moscow")
    jan, feb = (int(dt.datetime(2026, m, 1, tzinfo=moscow).timestamp() * 1000) for m in (1, 2))
    opened(
        page, exported(run, BUNDLED, tmp_path / "jan.html", "--lanes", "actor", "--on", "2026-01")
    )
    assert view(page) == (jan, feb)
    assert page.locator(".axis .mj").first.inner_text() == "January 2026"
    shot(page, "html-period-jan")
    page.click("[data-zoom=out]")
    wide = changed(page, (jan, feb))
    page.click("[data-zoom=out]")
    wide = changed(page, wide)
    lane = page.locator(".grid").bounding_box()
    assert lane is not None

    def x(t: int) -> float:
        return lane["x"] + (t - wide[0]) / (wide[1] - wide[0]) * lane["width"]

    lo, hi = (page.locator(f".grid .out.{side}").bounding_box() for side in ("lo", "hi"))
    assert lo is not None and hi is not None
    assert (lo["x"], lo["x"] + lo["width"]) == pytest.approx((lane["x"], x(jan)), abs=1.5)
    assert (hi["x"], hi["x"] + hi["width"]) == pytest.approx(
        (x(feb), lane["x"] + lane["width"]), abs=1.5
    )
    assert page.locator(".axis .out").count() == 2
    shot(page, "html-period-jan-out")
    page.keyboard.press("0")
    assert changed(page, wide) == (jan, feb)

    opened(page, exported(run, BUNDLED, tmp_path / "from.html", "--from", "2026-01"))
    start, end = view(page)
    assert start == jan and end > max(b for _, b in spans(page))
    assert page.locator(".grid .out").count() == 0  # nothing outside in view
    opened(page, exported(run, BUNDLED, tmp_path / "all.html"))
    assert page.evaluate("Object.keys(document.getElementById('tl').dataset)") == ["start", "end"]
    assert watched.problems() == []


def titles_or_counted(page: Page) -> dict[str, tuple[int, int]]:
    """Per lane drawn: its marks and the events its +N buttons count. Checks that every mark
    has its title drawn (not hidden, some of it in the lane), and that no title overlaps
    another mark or title."""
    found: dict[str, Any] = page.evaluate(
        """() => {
          const box = r => ({ l: r.left, r: r.right, t: r.top, b: r.bottom });
          const out = {};
          for (const lane of document.querySelectorAll('.inner .lane')) {
            const area = box(lane.querySelector('.lm').getBoundingClientRect());
            const marks = Array.from(lane.querySelectorAll('.m'), m => {
              const t = m.querySelector('.t');
              return { g: box(m.querySelector('.g').getBoundingClientRect()),
                t: t.hidden ? null : box(t.getBoundingClientRect()),
                title: m.title, full: t.scrollWidth };
            });
            const more = Array.from(lane.querySelectorAll('.more'), b => +b.textContent.slice(1));
            out[lane.querySelector('.ln').textContent] = { area, marks, more };
          }
          return out;
        }"""
    )
    result = {}
    for name, lane in found.items():
        area = lane["area"]
        for n, mark in enumerate(lane["marks"]):
            label = mark["t"]
            assert label is not None, (name, mark["title"])
            if mark["g"]["r"] > area["l"] and label["r"] < area["r"]:  # in view
                assert label["r"] - label["l"] >= min(36, mark["full"]), mark
            for m, other in enumerate(lane["marks"]):
                for rect in (other["g"], other["t"]) if m != n else ():
                    overlap = min(label["r"], rect["r"]) - max(label["l"], rect["l"])
                    rows = min(label["b"], rect["b"]) - max(label["t"], rect["t"])
                    assert overlap < 1 or rows < 1, (name, mark["title"], other["title"])
        result[name] = (len(lane["marks"]), sum(lane["more"]))
    return result


CROWD = (
    '[chrono]\ntimezone = "UTC"\n'
    + "".join(
        f'\n[[events]]\nid = "e{n}"\ndate = "2026-01-{1 + n % 20:02d}"\n'
        f'title = "Meeting number {n} of the working group"\nactors = ["{actor}"]\n'
        for n, actor in enumerate(["Busy"] * 6 + [f"Actor {k}" for k in range(9)])
    )
    + "".join(  # six moments 4.5 hours (about 5 px) apart
        f'\n[[events]]\nid = "same{n}"\ndate = "{at:%Y-%m-%dT%H:%M}"\ntitle = "Close {n}"\n'
        'actors = ["Busy"]\n'
        for n, at in enumerate(
            dt.datetime(2026, 1, 10, 12) + dt.timedelta(hours=4.5 * k) for k in range(6)
        )
    )
)


def test_every_mark_has_its_title_or_a_count(watched: Watched, run: Run, tmp_path: Path) -> None:
    """In the bundled lanes every mark has its title (Witkoff's too), and where six events
    fall within a day in a lane of five rows, five are drawn titled and one counted as +1."""
    page = watched.page
    opened(page, exported(run, BUNDLED, tmp_path / "t.html", "--lanes", "actor"))
    page.mouse.move(0, 0)
    shot(page, "html-bundled-lanes")
    chronology = store.load(BUNDLED)
    lanes = titles_or_counted(page)
    for name, (drawn, counted) in lanes.items():
        assert counted == 0
        assert drawn == sum(
            name in map(chronology.registry.display, e.actors) for e in chronology.events
        )
    assert "Steve Witkoff" in lanes
    before = view(page)
    for _ in range(3):  # zoomed in: still each mark titled
        page.click("[data-zoom=in]")
    changed(page, before)
    titles_or_counted(page)

    log = tmp_path / "crowd.toml"
    log.write_text(CROWD, encoding="utf-8")
    opened(page, exported(run, log, tmp_path / "crowd.html", "--lanes", "actor"))
    busy = sum("Busy" in e.actors for e in store.load(log).events)  # 12, all in view at first
    assert count(page) == "All 21 events shown · all in view"
    assert titles_or_counted(page)["Busy"] == (busy - 1, 1)
    shot(page, "html-crowd")
    assert watched.problems() == []


def test_the_count_says_what_is_in_view(watched: Watched, run: Run, tmp_path: Path) -> None:
    """Zoomed in, the count says how many events are in view once the view settles, and a
    burst of pans that changes it three times changes the live region once at most."""
    page = watched.page
    opened(page, exported(run, BUNDLED, tmp_path / "t.html", "--lanes", "actor"))
    assert count(page) == "All 17 events shown · all in view"
    before = view(page)
    for _ in range(4):
        page.click("[data-zoom=in]")
    zoomed = changed(page, before)
    page.wait_for_function(  # all four clicks drawn
        "w => { const d = document.getElementById('tl').dataset; return d.end - d.start < w; }",
        arg=(before[1] - before[0]) / 12,
    )
    zoomed = view(page)
    seen = sum(a < zoomed[1] and (b > zoomed[0] or a >= zoomed[0]) for a, b in spans(page))
    assert 0 < seen < 17
    settled(page, f"All 17 events shown · {seen} in view")
    changes = page.evaluate(
        """async () => {
          const status = document.getElementById('count');
          let changes = 0, counts = [];
          const items = Array.from(document.querySelectorAll('#events ol > li'));
          new MutationObserver(() => { changes++; })
            .observe(status, { childList: true, characterData: true, subtree: true });
          const tl = document.getElementById('tl');
          tl.focus();
          tl.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
          for (let k = 0; k < 10; k++) {
            const key = { key: 'ArrowRight', shiftKey: true, bubbles: true };
            tl.dispatchEvent(new KeyboardEvent('keydown', key));
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            const a = +tl.dataset.start, b = +tl.dataset.end;
            const s = li => +li.dataset.s, e = li => +(li.dataset.e || li.dataset.s);
            counts.push(items.filter(li => s(li) < b && (e(li) > a || s(li) >= a)).length);
          }
          await new Promise(r => setTimeout(r, 800));
          return [changes, counts.filter((c, k) => k && c !== counts[k - 1]).length];
        }"""
    )
    assert changes[0] <= 1 and changes[1] >= 3, changes  # the count in view changed, not the text
    assert count(page).startswith("All 17 events shown · ")
    page.fill("#q", "zzz")
    settled(page, "0 of 17 events shown")
    assert watched.problems() == []


def test_search_fits_the_view_to_what_matches(watched: Watched, run: Run, tmp_path: Path) -> None:
    """A search narrows the view to the events that match, 0 keeps to them, and clearing it
    brings back the view from before."""
    page = watched.page
    opened(page, exported(run, BUNDLED, tmp_path / "t.html", "--lanes", "actor"))
    wide = view(page)
    page.click("[data-zoom=in]")
    before = changed(page, wide)
    page.fill("#q", "davos")
    page.wait_for_function(
        "() => / of 17 events shown/.test(document.getElementById('count').textContent)"
    )
    found = changed(page, before)
    hits = page.evaluate(
        "Array.from(document.querySelectorAll('#events ol > li:not([hidden])'), "
        "li => [+li.dataset.s, li.dataset.e ? +li.dataset.e : +li.dataset.s])"
    )
    assert 1 < len(hits) < 17
    shows(page, f"{len(hits)} of 17 events shown")
    first, last = min(a for a, _ in hits), max(b for _, b in hits)
    assert found[0] < first and last < found[1]
    assert found[1] - found[0] < (last - first) * 2 + 2 * 86_400_000  # close around them
    page.keyboard.press("Escape")  # in the search box: clears it
    shows(page, "All 17 events shown")
    assert changed(page, found) == before
    page.fill("#q", "davos")
    shows(page, f"{len(hits)} of 17 events shown")
    page.focus("#tl")
    page.keyboard.press("0")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert view(page) == found
    page.fill("#q", "")
    shows(page, "All 17 events shown")
    assert changed(page, found) == before
    assert watched.problems() == []


def test_lanes_below_the_frame_and_the_focus_ring(
    watched: Watched, run: Run, tmp_path: Path
) -> None:
    """Lanes that do not fit are counted in a button that scrolls to them, and the focus ring
    of a mark in a lane's first row is drawn whole, not cut by the lane or the frame."""
    page = watched.page
    opened(page, exported(run, BUNDLED, tmp_path / "t.html", "--lanes", "actor"))
    lanes = page.locator("details.lanes input").count()
    seen = page.evaluate(
        """() => {
          const bottom = document.querySelector('#tl .scroll').getBoundingClientRect().bottom;
          const lanes = document.querySelectorAll('.inner .lane');
          return Array.from(lanes, l => l.getBoundingClientRect())
            .filter(r => r.top + r.height / 2 <= bottom).length;
        }"""
    )
    assert 0 < seen < lanes
    below = page.locator("#tl .below")
    assert below.inner_text() == f"{lanes - seen} more lanes ↓"
    page.focus("#tl")
    page.keyboard.press("Tab")
    ring = page.evaluate(
        """() => { const m = document.activeElement, s = getComputedStyle(m);
          const out = parseFloat(s.outlineWidth) + parseFloat(s.outlineOffset);
          const r = m.getBoundingClientRect();
          const lane = m.closest('.lm').getBoundingClientRect();
          const frame = document.querySelector('#tl .scroll').getBoundingClientRect();
          return [m.classList.contains('m'), r.top - out, lane.top, frame.top, s.outlineStyle]; }"""
    )
    assert ring[0] and ring[4] == "solid"
    assert ring[1] >= max(ring[2], ring[3]) - 0.5, ring
    shot(page, "html-focus-ring")
    while below.is_visible():
        top = page.evaluate("document.querySelector('#tl .scroll').scrollTop")
        below.click()
        page.wait_for_function(  # scrolled, and come to rest (a smooth scroll takes frames)
            """async top => {
              const s = document.querySelector('#tl .scroll'), at = s.scrollTop;
              if (at <= top) return false;
              await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
              return s.scrollTop === at;
            }""",
            arg=top,
        )
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    last = page.locator("details.lanes .ln").all_text_contents()[-1]
    assert last in page.locator(".inner .lane .ln").all_inner_texts()
    assert watched.problems() == []


BERLIN = """[chrono]
timezone = "Europe/Berlin"

[[events]]
id = "dst"
date = "2025-03-30"
title = "The day clocks go forward: 23 hours"

[[events]]
id = "after"
date = "2025-03-31"
title = "The day after"
"""

YEARS = '[chrono]\ntimezone = "UTC"\n' + "".join(
    f'\n[[events]]\nid = "y{y}"\ndate = "{y:04d}"\ntitle = "Year {y}"\n'
    for y in range(20, 2020, 40)
)

ONE = (
    '[chrono]\ntimezone = "UTC"\n\n'
    '[[events]]\nid = "one"\ndate = "2026-01-23T12:00"\ntitle = "One"\n'
)


def test_odd_logs(watched: Watched, run: Run, tmp_path: Path) -> None:
    """Across a DST change a day band spans exactly its day's ticks; 2,000 years of years get
    no bogus decade label; one event is counted as one; a malformed address and an empty
    selection leave a readable page."""
    page = watched.page
    logs = {"berlin": BERLIN, "years": YEARS, "one": ONE}
    for name, text in logs.items():
        (tmp_path / f"{name}.toml").write_text(text, encoding="utf-8")
    opened(page, exported(run, tmp_path / "berlin.toml", tmp_path / "b.html"))
    days = {  # each midnight's tick, in Berlin time
        t.inner_text(): t.bounding_box()["x"] for t in page.locator(".axis .mj").all()
    }
    bands = [page.locator(f".inner .m[data-i='{i}'] .g").bounding_box() for i in (0, 1)]
    edges = [(b["x"], b["x"] + b["width"]) for b in bands if b]
    assert edges[0] == pytest.approx((days["30 Mar 2025"], days["31 Mar 2025"]), abs=1)
    assert edges[1] == pytest.approx((days["31 Mar 2025"], days["1 Apr 2025"]), abs=1)
    (short, long) = (e[1] - e[0] for e in edges)
    assert short / long == pytest.approx(23 / 24, abs=0.01)  # 23 hours, drawn as 23

    opened(page, exported(run, tmp_path / "years.toml", tmp_path / "y.html"))
    assert page.locator(".axis .mn").all_inner_texts()[:3] == ["500", "1000", "1500"]
    assert page.locator(".axis .mj").count() == 0  # no "0s" over centuries

    opened(page, exported(run, tmp_path / "one.toml", tmp_path / "o.html") + "#%E0%A4%A")
    assert count(page) == "1 event shown · in view"
    assert page.locator(".inner .m").count() == 1

    page.goto(exported(run, BUNDLED, tmp_path / "none.html", "--on", "1990"))
    page.wait_for_selector("html.ready")
    assert page.locator("#app").is_hidden()
    assert page.locator("#events").inner_text().strip().endswith("No events.")
    assert watched.problems() == []


def lightness(page: Page, points: list[tuple[float, float]]) -> list[int]:
    """How light (the sum of R, G and B) the screen is at each point, from a screenshot."""
    png = base64.b64encode(page.screenshot()).decode("ascii")
    found = page.evaluate(
        """async ([png, points]) => {
          const image = new Image();
          image.src = 'data:image/png;base64,' + png;
          await image.decode();
          const canvas = document.createElement('canvas');
          canvas.width = image.width;
          canvas.height = image.height;
          const context = canvas.getContext('2d', { willReadFrequently: true });
          context.drawImage(image, 0, 0);
          return points.map(([x, y]) => {
            const d = context.getImageData(Math.round(x), Math.round(y), 1, 1).data;
            return d[0] + d[1] + d[2];
          });
        }""",
        [png, points],
    )
    return [int(v) for v in found]


def test_a_bar_fades_only_at_its_approximate_end(
    watched: Watched, run: Run, tmp_path: Path
) -> None:
    """A bar whose end only is approximate is classed and drawn faint at its end and solid at
    its start, one whose start only is approximate the reverse, a year faint at both, and a
    bar with no approximate date alike at both ends."""
    page = watched.page
    log = tmp_path / "edges.toml"
    log.write_text(EDGES, encoding="utf-8")
    opened(page, exported(run, log, tmp_path / "edges.html"))
    ids = [e.id for e in store.load(log).events]
    page.evaluate("document.querySelectorAll('.inner .m .t').forEach(t => { t.hidden = true; })")
    shot(page, "html-fades")
    edges, points = {}, []
    for event in ("end-approx", "start-approx", "both", "exact"):
        mark = page.locator(f".inner .m[data-i='{ids.index(event)}']")
        edges[event] = {"fl", "fr"} & set((mark.get_attribute("class") or "").split())
        box = mark.locator(".g").bounding_box()
        assert box is not None
        middle = box["y"] + box["height"] / 2
        points += [(box["x"] + 6, middle), (box["x"] + box["width"] - 6, middle)]
    assert edges == {
        "end-approx": {"fr"},
        "start-approx": {"fl"},
        "both": {"fl", "fr"},
        "exact": set(),
    }
    shades = lightness(page, points)
    starts, ends = (
        dict(zip(edges, shades[::2], strict=True)),
        dict(zip(edges, shades[1::2], strict=True)),
    )
    assert ends["end-approx"] - starts["end-approx"] > 80, shades  # faint: near the page's white
    assert starts["start-approx"] - ends["start-approx"] > 80, shades
    assert abs(starts["exact"] - ends["exact"]) < 20, shades
    assert watched.problems() == []
