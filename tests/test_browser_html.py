"""`chrono export html` in a real browser: headless Chromium, no network, no script from the log."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from chrono.storage import store
from tests.browser import Watched, npm_package, shot
from tests.conftest import BUNDLED, ROOT, Run

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

XSS = Path(__file__).parent / "data" / "xss.toml"


def exported(run: Run, log: Path, target: Path, *args: str) -> str:
    """Export ``log`` as HTML to ``target``; its file:// address."""
    result = run("export", "html", *args, "-f", str(log), "-o", str(target))
    assert result.exit_code == 0, result.output
    return target.as_uri()


def opened(page: Page, address: str) -> None:
    """Load the page and wait until the script has drawn the timeline."""
    page.goto(address)
    page.wait_for_selector("html.ready")
    page.wait_for_function("() => document.getElementById('tl').dataset.end !== undefined")


def view(page: Page) -> tuple[int, int]:
    """The instants (ms) at the timeline's left and right edges."""
    found = page.evaluate(
        "[+document.getElementById('tl').dataset.start, +document.getElementById('tl').dataset.end]"
    )
    return int(found[0]), int(found[1])


def changed(page: Page, before: tuple[int, int]) -> tuple[int, int]:
    """The view once it is no longer ``before``."""
    page.wait_for_function(
        "([a, b]) => { const d = document.getElementById('tl').dataset; "
        "return +d.start !== a || +d.end !== b; }",
        arg=list(before),
    )
    return view(page)


def shows(page: Page, text: str) -> None:
    """Wait until the count says ``text`` of the events the filters show (before what is in
    view, ``· 2 in view``)."""
    page.wait_for_function(
        "text => document.getElementById('count').textContent.split(' · ')[0] === text", arg=text
    )


def spans(page: Page) -> list[tuple[int, int]]:
    """Each event's [start, stop) in ms, from the page's list."""
    found = page.evaluate(
        "Array.from(document.querySelectorAll('#events ol > li'), li => "
        "[+li.dataset.s, li.dataset.e ? +li.dataset.e : +li.dataset.s])"
    )
    return [(int(a), int(b)) for a, b in found]


def settled(page: Page, text: str) -> None:
    """Wait until the count, what is in view included, says ``text``."""
    page.wait_for_function("t => document.getElementById('count').textContent === t", arg=text)


def count(page: Page) -> str:
    """The live count of events shown."""
    return page.inner_text("#count")


def test_zoom_and_pan(watched: Watched, run: Run, tmp_path: Path) -> None:
    """The buttons, the wheel, a drag and the arrow keys zoom and pan the bundled timeline."""
    page = watched.page
    opened(page, exported(run, BUNDLED, tmp_path / "t.html", "--lanes", "actor"))
    page.mouse.move(0, 0)
    shot(page, "html-bundled-wide")
    wide = view(page)
    first = min(e.start for e in store.load(BUNDLED).events) // 1000
    assert wide[0] < first < wide[1]  # every event in view at first
    assert page.inner_text(".axis .mj").startswith("2025")  # years above months
    page.click("[data-zoom=in]")
    zoomed = changed(page, wide)
    assert zoomed[1] - zoomed[0] == pytest.approx((wide[1] - wide[0]) / 2, rel=0.01)
    box = page.locator("#tl .scroll").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] * 0.75, box["y"] + 40
    page.mouse.move(x, y)
    page.mouse.wheel(0, -400)
    wheeled = changed(page, zoomed)
    assert wheeled[1] - wheeled[0] < (zoomed[1] - zoomed[0]) * 0.8
    marks = page.locator(".lm").first.bounding_box()
    assert marks is not None
    share = (x - marks["x"]) / marks["width"]

    def under_pointer(edges: tuple[int, int]) -> float:
        return edges[0] + share * (edges[1] - edges[0])

    assert under_pointer(wheeled) == pytest.approx(
        under_pointer(zoomed), abs=(wheeled[1] - wheeled[0]) / 500
    )
    page.mouse.down()
    page.mouse.move(x - 200, y, steps=5)
    page.mouse.up()
    dragged = changed(page, wheeled)
    assert dragged[0] > wheeled[0]  # dragged left: later times come into view
    assert dragged[1] - dragged[0] == pytest.approx(wheeled[1] - wheeled[0], abs=2)
    page.focus("#tl")
    page.keyboard.press("ArrowLeft")
    panned = changed(page, dragged)
    assert panned[0] == pytest.approx(dragged[0] - (dragged[1] - dragged[0]) / 8, abs=2)
    page.keyboard.press("0")
    assert changed(page, panned) == wide
    for _ in range(16):  # from a year and more down to an hour, the closest view
        page.keyboard.press("+")
    page.wait_for_function(
        "() => { const d = document.getElementById('tl').dataset; "
        "return d.end - d.start <= 3636000; }"
    )
    hours = page.locator(".axis .mn").all_inner_texts()
    assert hours and all(len(t) == 5 and t[2] == ":" for t in hours)  # 10:00, 10:05, ...
    page.keyboard.press("End")
    page.keyboard.press("0")
    page.click("[data-zoom=in]")
    page.click("[data-zoom=in]")
    page.click("[data-zoom=in]")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    before = view(page)  # drawn: the clicks' zoom is in it
    page.keyboard.press("End")
    end = changed(page, before)
    last = max(e.stop for e in store.load(BUNDLED).events) // 1000
    assert 0.1 < (end[1] - last) / (end[1] - end[0]) < 0.25  # room for its title, as at 0
    page.mouse.move(0, 0)
    page.wait_for_timeout(50)
    shot(page, "html-bundled-zoomed")
    assert watched.problems() == []


def test_read_search_and_lanes(watched: Watched, run: Run, tmp_path: Path) -> None:
    """Tab and Enter show an event in full; its copies in other lanes are linked; the search
    and the lane filters narrow what is drawn, and the count says so."""
    page = watched.page
    chronology = store.load(BUNDLED)
    opened(page, exported(run, BUNDLED, tmp_path / "t.html", "--lanes", "actor"))
    assert count(page) == "All 17 events shown · all in view"
    page.focus("#tl")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.dataset.i")
    assert focused is not None
    event = chronology.events[int(focused)]
    assert page.locator("#panel").inner_text().count(event.title) == 0
    linked = page.locator(f".m.lk[data-i='{focused}']").count()
    assert linked == len(event.actors) or len(event.actors) < 2 or linked > 1
    page.keyboard.press("Enter")
    panel = page.locator("#panel .body")
    assert panel.locator("h3").inner_text() == event.title
    assert (event.summary or "").split("\n")[0] in panel.inner_text()
    assert panel.locator("time").get_attribute("datetime") is not None
    assert page.locator(".m.sel").count() == len(event.actors)  # each copy shows it is chosen
    # the event with the most actors: one copy per lane, and a connector between them
    widest = max(range(17), key=lambda i: len(chronology.events[i].actors))
    page.locator(f".m[data-i='{widest}']").first.hover()
    assert page.locator(f".m.lk[data-i='{widest}']").count() == len(
        chronology.events[widest].actors
    )
    assert page.locator(".conn").count() == 1

    page.fill("#q", "davos")
    words = [
        " ".join(
            [
                e.title,
                e.summary or "",
                *(chronology.registry.display(a) for a in e.actors),
                e.location or "",
                *e.tags,
            ]
        ).lower()
        for e in chronology.events
    ]
    expected = sum("davos" in w for w in words)
    assert 0 < expected < 17
    shows(page, f"{expected} of 17 events shown")
    drawn = page.evaluate(
        "new Set(Array.from(document.querySelectorAll('.inner .m'), b => b.dataset.i)).size"
    )
    assert drawn == expected
    hit = {  # the lanes of the events that match: only they are drawn
        chronology.registry.display(a)
        for e, w in zip(chronology.events, words, strict=True)
        if "davos" in w
        for a in e.actors
    }
    assert set(page.locator(".lane .ln").all_inner_texts()) == hit
    for query in ("(", "[a", "\\", "zzz"):  # taken as text, never as a pattern
        page.fill("#q", query)
        shows(page, "0 of 17 events shown")
    assert page.locator(".inner .empty").inner_text().startswith("No event matches")
    assert page.locator(".inner .lane").count() == 0
    page.fill("#q", "")
    shows(page, "All 17 events shown")
    assert page.locator(".inner .empty").count() == 0

    names = page.locator("details.lanes .ln").all_text_contents()  # every lane, in order
    drawn = page.locator(".lane .ln").all_inner_texts()  # the lanes in view
    assert drawn == names[: len(drawn)]

    def others(lane: str) -> int:
        return sum(
            any(chronology.registry.display(a) != lane for a in e.actors) for e in chronology.events
        )

    lane = next(name for name in names if others(name) < 17)  # one with an event of its own
    page.click("details.lanes summary")
    page.get_by_role("checkbox", name=lane).uncheck()
    shows(page, f"{others(lane)} of 17 events shown")
    page.wait_for_function(
        "name => !Array.from(document.querySelectorAll('.lane .ln'), n => n.textContent)"
        ".includes(name)",
        arg=lane,
    )
    left = [name for name in names if name != lane]
    drawn = page.locator(".lane .ln").all_inner_texts()
    assert drawn == left[: len(drawn)] and lane not in drawn
    page.click("button[data-all='1']")
    shows(page, "All 17 events shown")
    assert watched.problems() == []


def test_ten_thousand_events(watched: Watched, run: Run, tmp_path: Path) -> None:
    """A 10,000-event page loads cleanly and only what is in view has DOM nodes."""
    log = tmp_path / "10k.toml"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen.py"), "10000", "-o", str(log)], check=True
    )
    page = watched.page
    opened(page, exported(run, log, tmp_path / "10k.html", "--lanes", "actor"))
    assert count(page) == "All 10,000 events shown · all in view"
    assert page.locator("#events ol > li").count() == 10_000
    lanes = page.locator("details.lanes input").count()
    assert page.locator(".lane").count() < lanes / 5  # lanes below the fold are not drawn
    assert page.locator(".inner button").count() < 2000
    before = view(page)
    for _ in range(8):
        page.click("[data-zoom=in]")
    page.wait_for_function(  # each click halves the span
        "most => { const d = document.getElementById('tl').dataset; "
        "return d.end - d.start < most; }",
        arg=(before[1] - before[0]) / 200,
    )
    page.fill("#q", "ceasefire grain")
    page.wait_for_function(
        "() => /^[0-9,]+ of 10,000 events shown( · .*)?$/"
        ".test(document.getElementById('count').textContent)"
    )
    assert watched.problems() == []


def test_hostile_log_runs_nothing(watched: Watched, run: Run, tmp_path: Path) -> None:
    """xss.toml: no dialog, no window.__xss, no request, whatever is clicked or searched."""
    page = watched.page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    opened(page, exported(run, XSS, tmp_path / "x.html", "--lanes", "tag"))
    for _ in range(3):
        page.click("[data-zoom=in]")
    page.keyboard.press("0")
    for button in page.locator(".inner .m").all():
        button.click()
    page.locator(".inner .m[data-i='0']").first.click()
    assert page.locator("#panel h3").inner_text() == "<script>alert(1)</script>"
    assert page.locator("#panel a").count() == 2  # the https and mailto sources, no other
    page.fill("#q", "alert(1)")
    shows(page, "1 of 3 events shown")
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == []
    assert watched.problems() == []


def values_line_up(page: Page, where: str) -> None:
    """In every definition list in ``where`` each value (each source of an event with two
    too) starts at one x, the same in every year's section: one column of labels."""
    found = page.evaluate(
        """where => Array.from(document.querySelectorAll(where + ' dl'), dl => [
          Array.from(dl.querySelectorAll('dd'), dd => Math.round(dd.getBoundingClientRect().x)),
          Array.from(dl.querySelectorAll('dt ~ dd')).filter(dd => {
            let dt = dd.previousElementSibling;
            while (dt.tagName !== 'DT') dt = dt.previousElementSibling;
            return dt.textContent === 'Sources';
          }).length])""",
        where,
    )
    lefts = [xs for xs, _ in found]
    assert any(sources > 1 for _, sources in found)  # an event with two sources is among them
    assert {x for xs in lefts for x in xs} == {lefts[0][0]}, lefts


FEW = (  # one event with tags only, one with two sources
    '[chrono]\ntimezone = "UTC"\n\n[[events]]\nid = "tagged"\ndate = "2026-01-02"\n'
    'title = "Tagged"\ntags = ["a"]\n\n[[events]]\nid = "sourced"\ndate = "2026-01-03"\n'
    'title = "Sourced"\nsources = ["Public record", "https://example.org/a"]\n'
)


def test_without_script_the_list(browser: Browser, run: Run, tmp_path: Path) -> None:
    """JavaScript off: the timeline stays hidden and the list of events is the page, its
    values (every source) in one column on screen, in print and in the details panel."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    address = exported(run, BUNDLED, tmp_path / "t.html")
    page.goto(address)
    assert page.locator("#app").is_hidden()
    assert page.locator("#events ol > li").count() == 17
    assert page.locator("#events section h2:visible").all_inner_texts() == ["2025", "2026"]
    assert page.locator("#events time").first.is_visible()
    values_line_up(page, "#events")
    shot(page, "html-nojs")
    log = tmp_path / "few.toml"
    log.write_text(FEW, encoding="utf-8")
    page.goto(exported(run, log, tmp_path / "few.html"))
    values_line_up(page, "#events")
    page.goto(address)
    page.emulate_media(media="print")
    assert page.locator("#events").is_visible()
    values_line_up(page, "#events")
    context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    two = next(e.id for e in store.load(BUNDLED).events if len(e.sources) > 1)
    opened(page, f"{address}#e-{two}")
    assert page.locator("#panel dd").count() > 2
    values_line_up(page, "#panel")
    shot(page, "html-details-two-sources")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_accessibility(browser: Browser, run: Run, tmp_path: Path, scheme: str) -> None:
    """axe-core finds nothing serious or critical, with an event open, in light and dark."""
    source = (npm_package("axe-core@4", "axe-core") / "axe.min.js").read_text(encoding="utf-8")
    context = browser.new_context(
        bypass_csp=True, color_scheme=scheme, viewport={"width": 1280, "height": 800}
    )  # type: ignore[arg-type]
    page = context.new_page()
    opened(
        page,
        exported(
            run, BUNDLED, tmp_path / "t.html", "--lanes", "actor", "-a", "Putin", "-a", "Witkoff"
        ),
    )
    page.locator(".inner .m").first.click()
    page.click("details.lanes summary")
    page.add_script_tag(content=source)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    context.close()
