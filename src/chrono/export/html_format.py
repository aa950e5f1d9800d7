"""Interactive HTML timeline: one self-contained page that asks the network for nothing.

The page is, first, a plain list of the events in time order (headings per year, each
event with its ``<time>``, title, text and sources), readable without script and printed
as it is. The script (``html/timeline.js``) reads its data from that same list, one
``<li>`` per event with a few ``data-*`` attributes (first and last instant, shape where
the instants do not tell it, the edges that fade and the dashing, lanes), so the log's
text is in the page once; it draws a zoomable timeline of what is in view, lanes from
``--lanes`` and a details panel that shows a copy of the event's list entry.

All log text is made safe to show (``safe_text.clean``: bidi overrides and controls as
visible escapes) and then escaped for HTML; a source is a link only when
``drawing.link`` gives an address.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence

from chrono.core.dates import Precision
from chrono.core.datetext import year_month
from chrono.core.model import Event
from chrono.export import EPOCH, Context
from chrono.export.drawing import LANES, Mark, lane_order, link, marks
from chrono.export.html_page import Parts, page
from chrono.output.labels import count_line
from chrono.output.safe_text import html_text

DESCRIPTION = "one self-contained page: a timeline to zoom and pan, lanes, search, full text"

COLORS = 8  # lane colours, in turn: .c0 to .c7 in html/timeline.css, COLORS in timeline.js
FADE_MARKS = {"": "", "both": "~", "start": "[", "end": "]"}
"""``data-q``'s sign for the edges an approximate date fades: ``~`` both, ``[`` only the
start, ``]`` only the end (then ``?`` if a date is uncertain)."""
LANE_NAMES = {"none": "Events", "actor": "actor", "kind": "kind", "tag": "tag", "location": "place"}


text = html_text  # log text as HTML text or an attribute value


def render(context: Context) -> bytes:
    """The page for the selected events."""
    drawn = marks(context)
    lanes = lane_order(drawn)
    header = [f"<h1>{text(context.title)}</h1>"]
    header.append(
        f'<p class="count">{text(count_line(context.chronology, context.selection))}.</p>'
    )
    if context.generated:
        header.append(f'<p class="gen">{text(context.generated)}</p>')
    body = "".join(_events(context, drawn, lanes))
    controls = _lane_filters(context.lanes, lanes, drawn)
    zone, offset = _zone(context.display, drawn)
    parts = Parts(
        title=text(context.title),
        header="\n".join(header),
        lanes=controls,
        events=body,
        zone=text(zone),
        offset=offset,
        laned=context.lanes != LANES[0],
        numbered=any(m.number for m in drawn),
        asked=context.asked,
    )
    return page(parts).encode("utf-8")


def _events(context: Context, drawn: Sequence[Mark], lanes: Sequence[str]) -> Iterator[str]:
    """The list of events: a section per year, an ``<li>`` per event."""
    chronology = context.chronology
    index = {lane: n for n, lane in enumerate(lanes)}
    laned = context.lanes != LANES[0]
    year: int | None = None
    yield '<section id="events" aria-labelledby="events-h">'
    yield '<h2 id="events-h" class="vh">All events, as a list</h2>'
    if not drawn:
        yield "<p>No events.</p>"
    for event, mark in zip(context.selection.events, drawn, strict=True):
        shown_year = year_month(event.date, chronology.tz, context.display)[0]
        if shown_year != year:
            if year is not None:
                yield "</ol></section>\n"
            heading = f'<h2 id="y{shown_year}">{shown_year}</h2>'
            yield f'<section aria-labelledby="y{shown_year}">{heading}<ol>\n'
            year = shown_year
        yield _event(event, mark, [index[lane] for lane in mark.lanes] if laned else [])
    if year is not None:
        yield "</ol></section>\n"
    yield "</section>"


def _event(event: Event, mark: Mark, lanes: Sequence[int]) -> str:
    """One event's ``<li>``: its data for the script, then what a reader sees. End tags
    that HTML implies (``</p>``, ``</dt>``, ``</dd>``, ``</li>``) are left out, each source
    is a ``<dd>`` of its own, and ``data-k`` is written only for a bar, or a shape its
    instants do not tell (a band when it has a ``data-e``, else a point): a page of 10,000
    events is a sixth smaller and parsed faster."""
    attributes = f'id="e-{text(mark.id)}" data-s="{mark.start}"'
    spans = mark.stop != mark.start
    if spans:
        attributes += f' data-e="{mark.stop}"'
    if mark.shape != ("band" if spans else "point"):
        attributes += f' data-k="{mark.shape}"'
    qualifiers = FADE_MARKS[mark.fade] + ("?" if mark.uncertain else "")
    if qualifiers:
        attributes += f' data-q="{qualifiers}"'
    if lanes:
        attributes += f' data-l="{" ".join(map(str, lanes))}"'
    number = f'<span class="n">#{mark.number}</span> ' if mark.number else ""
    parts = [f"<li {attributes}><h3>{number}{text(mark.title)}</h3>"]
    parts.append(f'<time datetime="{_datetime(event, mark)}">{text(mark.when)}</time>')
    if mark.summary.strip():
        parts.append(f"<p>{text(mark.summary.strip(), multiline=True)}")
    fields = [
        ("Actors", ", ".join(mark.actors)),
        ("Place", mark.location),
        ("Tags", ", ".join(mark.tags)),
        ("Kind", mark.kind),
    ]
    details = [f"<dt>{name}<dd>{text(value)}" for name, value in fields if value]
    if mark.sources:
        details.append("<dt>Sources" + "".join(f"<dd>{_source(s)}" for s in mark.sources))
    if details:
        parts.append(f"<dl>{''.join(details)}</dl>")
    return "".join(parts) + "\n"


def _source(source: str) -> str:
    """A source: a link when it is a web or mail address, else plain text. The page's
    ``<meta name="referrer" content="no-referrer">`` covers every link."""
    address = link(source)
    if address is None:
        return text(source)
    return f'<a href="{text(address)}" rel="noopener noreferrer">{text(address)}</a>'


def _datetime(event: Event, mark: Mark) -> str:
    """The ``datetime`` of the event's first instant: a time in UTC, or the date as written
    (``2025``, ``2025-12``, ``2025-12-03``) without its qualifier; a time that falls outside
    years 1 to 9999 in UTC as written."""
    written = event.date.isoformat().rstrip("?~%")
    if event.date.precision < Precision.MINUTE:
        return written
    try:
        m = EPOCH + dt.timedelta(milliseconds=mark.start)
    except OverflowError:
        return written
    stamp = f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}"
    if event.date.precision == Precision.SECOND:
        stamp += f":{m.second:02d}" + (f".{mark.start % 1000:03d}" if mark.start % 1000 else "")
    return stamp + "Z"


def _lane_filters(by: str, lanes: Sequence[str], drawn: Sequence[Mark]) -> str:
    """One checkbox per lane, in drawing order: the script's list of lanes, by index."""
    counts = Counter(lane for m in drawn for lane in m.lanes)
    hidden = " hidden" if by == LANES[0] else ""
    boxes = "".join(
        f'<label class="c{n % COLORS}"><input type="checkbox" checked value="{n}"> '
        f'<span class="ln">{text(lane or LANE_NAMES["none"])}</span> '
        f'<span class="lc">{counts[lane]}</span></label>'
        for n, lane in enumerate(lanes or [""])
    )
    return (
        f'<details class="lanes"{hidden}><summary>Lanes by {LANE_NAMES[by]} '
        f'<span class="lc">{len(lanes)}</span></summary><fieldset><legend class="vh">'
        f"Lanes to show</legend>"
        '<p class="all"><button type="button" data-all="1">All</button> '
        f'<button type="button" data-all="0">None</button></p>{boxes}</fieldset></details>'
    )


def _zone(display: dt.tzinfo, drawn: Sequence[Mark]) -> tuple[str, int]:
    """The display zone's IANA name (empty when it has none) and its offset in minutes
    halfway through the events, for a browser that does not know the zone."""
    name = "UTC" if display is dt.UTC else getattr(display, "key", None)
    middle = (min(m.start for m in drawn) + max(m.stop for m in drawn)) // 2 if drawn else 0
    try:
        offset = (EPOCH + dt.timedelta(milliseconds=middle)).astimezone(display).utcoffset()
    except (OverflowError, ValueError):
        offset = None
    minutes = int(offset.total_seconds()) // 60 if offset is not None else 0
    return (name if isinstance(name, str) else ""), minutes
