"""The page around the list of events: the head (a Content-Security-Policy that allows only
the page's own inline script and style, by their hashes), the controls, the details panel
and the legend. The script and style are files of this package (``html/``), inlined; the
script is its parts, in order, inside one function, so that they share one scope and
nothing of theirs is global."""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib.resources import files
from typing import NamedTuple

HELP = (
    "Drag, or use the arrow keys, to move through time; the mouse wheel, a pinch, + and − "
    "zoom; 0 shows every event, Home and End go to the first and the last. Tab to an event "
    "and press Enter to read it in full."
)

HINT = "Click an event, or tab to it and press Enter, to read it in full here."

LEGEND = (
    ("point", "a moment: a date with a time of day"),
    ("band", "a day, a month or a year: the band covers exactly that period"),
    ("bar", "a span, from its start to its end"),
    ("bar ap fr", "faded edge: that end of the date is approximate (~)"),
    ("band un", "dashed outline: the date is uncertain (?)"),
)

# The script's parts, in the order they run: each part may use what the parts before it
# declare, and the functions of every part once the page has loaded.
SCRIPT = ("time.js", "layout.js", "timeline.js")


@cache
def asset(name: str) -> str:
    """A file of ``chrono/export/html/``, as text."""
    return files("chrono.export").joinpath("html", name).read_text(encoding="utf-8")


@cache
def script_text() -> str:
    """The page's one inline script: its parts, joined inside one function."""
    return "(function () {\n'use strict';\n" + "\n".join(map(asset, SCRIPT)) + "})();\n"


def source_hash(code: str) -> str:
    """The CSP source expression that allows exactly this inline script or style."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy(script: str, style: str) -> str:
    """The page's Content-Security-Policy: nothing from anywhere but the inline code."""
    return (
        f"default-src 'none'; script-src {source_hash(script)}; style-src {source_hash(style)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _legend(laned: bool, numbered: bool, period: bool) -> str:
    items = [
        f'<li><span class="m {shape}" aria-hidden="true"><span class="g"></span></span> {words}'
        "</li>"
        for shape, words in LEGEND
    ]
    items.append(
        '<li><span class="dense-sample" aria-hidden="true"></span> a shaded strip: more events '
        "than fit in a lane; zoom in, or press Enter on it, to see each</li>"
    )
    if period:
        items.append(
            '<li><span class="out-sample" aria-hidden="true"></span> shaded: outside the period '
            "asked for</li>"
        )
    if laned:
        items.append(
            '<li><span class="conn-sample" aria-hidden="true"></span> a dotted line: the same '
            "event in other lanes</li>"
        )
    if numbered:
        items.append("<li><b>#7</b> before a title: the event’s number in the list</li>")
    return (
        '<section class="legend" aria-labelledby="legend-h"><h2 id="legend-h">How to read '
        f"the timeline</h2><ul>{''.join(items)}</ul></section>"
    )


def _period(asked: tuple[int | None, int | None]) -> str:
    """The period asked for, [start, stop) in ms, as ``data-from`` and ``data-to``: the
    timeline's first view; an open end is left out."""
    start, stop = asked
    return (f' data-from="{start}"' if start is not None else "") + (
        f' data-to="{stop}"' if stop is not None else ""
    )


def _app(parts: Parts) -> str:
    """The timeline, its controls and the details panel: hidden until the script runs."""
    lanes, zone, offset = parts.lanes, parts.zone, parts.offset
    period = _period(parts.asked)
    return f"""<div id="app" hidden data-tz="{zone}" data-offset="{offset}">
<div class="bar">
<div role="search" class="find"><label for="q">Search</label>
<input id="q" type="search" autocomplete="off" spellcheck="false"
 placeholder="words in titles, text, actors, places, tags"></div>
<div class="zoom" role="group" aria-label="Zoom">
<button type="button" data-zoom="in" aria-label="Zoom in" title="Zoom in (+)">+</button>
<button type="button" data-zoom="out" aria-label="Zoom out" title="Zoom out (−)">−</button>
<button type="button" data-zoom="fit" title="Show every event (0)">Reset</button></div>
{lanes}
<p id="count" role="status" aria-live="polite"></p>
<p id="range" class="range"></p>
</div>
<div id="tl" class="tl" role="region" aria-label="Timeline" tabindex="0"
 aria-describedby="help"{period}>
<div class="axis" aria-hidden="true"></div><div class="grid" aria-hidden="true"></div>
<div class="scroll"><div class="inner"></div></div></div>
<p id="help" class="help">{HELP}</p>
<div class="side"><aside id="panel" aria-labelledby="panel-h"><h2 id="panel-h">Details</h2>
<div class="body" aria-live="polite"><p class="hint">{HINT}</p></div></aside>
{_legend(parts.laned, parts.numbered, bool(period))}</div>
</div>
"""


class Parts(NamedTuple):
    """What the page is made of, all HTML already escaped."""

    title: str  # the <title>'s text
    header: str  # the <h1> and the lines under it
    lanes: str  # the lane filters
    events: str  # the list of events
    zone: str  # the display zone's IANA name, or empty
    offset: int  # its offset in minutes, for a browser that does not know it
    laned: bool  # --lanes other than none: copies of an event are linked
    numbered: bool  # the events carry their number (#7)
    asked: tuple[int | None, int | None] = (None, None)  # --on/--from/--to, [start, stop) in ms


def page(parts: Parts) -> str:
    """The whole document."""
    script, style = script_text(), asset("timeline.css")
    title, header, events = parts.title, parts.header, parts.events
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy(script, style)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="chrono">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>{style}</style>
<script>{script}</script>
</head>
<body>
<header>
{header}
<p class="loading">Drawing the timeline…</p>
</header>
<main>
{_app(parts)}{events}
</main>
</body>
</html>
"""
