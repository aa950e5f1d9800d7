"""TimelineJS3 JSON: the events as Knight Lab's TimelineJS draws them, at the precision known.

Each date object holds exactly the parts the log wrote: a month-precision event has a
``year`` and a ``month`` and no ``day``, so TimelineJS shows "February 2025", not the 1st.
Times are wall times in the display zone (TimelineJS has no zones). An approximate or
uncertain date carries a ``display_date`` that says so in words, as TimelineJS has no mark
of its own for either. ``group`` is the event's first lane under ``--lanes`` (TimelineJS
puts an event in one group). The first http(s) source TimelineJS can show (:data:`MEDIA`:
an image, a video, a PDF, a YouTube, Vimeo or Wikipedia page…) is the slide's ``media``,
with every source in its ``credit``; an ordinary web page is not, as TimelineJS would draw
it as a broken image. Every source is also listed in the slide's text, as links.

TimelineJS reads ``headline``, ``text``, ``caption`` and ``credit`` as HTML: log text is
escaped for it, with unsafe characters made visible (:func:`~chrono.output.safe_text.clean`),
and only http(s) and mailto sources become links. ``group`` and ``display_date`` are
escaped twice: TimelineJS 3.9 strips their markup by parsing them as HTML and taking the
text, which decodes one level of escapes, and then writes the result into the page as HTML
(a group named ``<svg onload=…>`` would run). Twice escaped, it shows as written.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any, Final

from chrono.core.dates import PartialDate, Precision, to_datetime
from chrono.core.model import Event
from chrono.export import Context
from chrono.export.drawing import Mark, link, marks
from chrono.output.labels import count_line
from chrono.output.records import to_json
from chrono.output.safe_text import html_text

DESCRIPTION = "TimelineJS3 JSON"

MEDIA: Final = re.compile(
    r"^https?://(?:[^/?#]*\.)?(?:youtube\.com|youtu\.be|vimeo\.com|dailymotion\.com"
    r"|soundcloud\.com|twitter\.com|x\.com|flickr\.com|flic\.kr|instagram\.com|bsky\.app"
    r"|documentcloud\.org|wikipedia\.org|wikimedia\.org|imgur\.com|spotify\.com)(?:[/?#]|$)"
    r"|^https?://[^?#]+\.(?:jpe?g|png|gif|svg|webp|pdf|mp4|webm|mp3|wav|m4a)(?:[?#].*)?$",
    re.IGNORECASE,
)
"""The addresses TimelineJS 3 has a viewer for (its MediaType list, less the catch-all)."""

_QUALIFIED = {"~": "approximate", "?": "uncertain", "%": "approximate and uncertain"}


def text(value: str) -> str:
    """Log text as TimelineJS HTML: escaped, unsafe characters visible, lines kept."""
    return html_text(value, multiline=True).replace("\n", "<br>")


def date_object(date: PartialDate, instant: int, display: dt.tzinfo) -> dict[str, int]:
    """A TimelineJS date with exactly the parts ``date`` was written with (a moment as
    the wall time of ``instant``, its first microsecond, in ``display``, unless that falls
    outside years 1 to 9999)."""
    if date.precision >= Precision.MINUTE:
        try:
            wall = to_datetime(instant).astimezone(display)
        except OverflowError:  # at the calendar's edge: the time as written
            wall = dt.datetime(date.year, date.month, date.day, date.hour, date.minute, date.second)
        parts = {"year": wall.year, "month": wall.month, "day": wall.day}
        parts |= {"hour": wall.hour, "minute": wall.minute}
        return parts | ({"second": wall.second} if date.precision >= Precision.SECOND else {})
    parts = {"year": date.year}
    if date.precision >= Precision.MONTH:
        parts["month"] = date.month
    if date.precision >= Precision.DAY:
        parts["day"] = date.day
    return parts


def qualifier_words(event: Event) -> str | None:
    """``approximate``, ``uncertain`` or both, for either date of ``event``; None if neither."""
    found = {d.qualifier for d in (event.date, event.end) if d is not None and d.qualifier}
    if not found:
        return None
    if "%" in found or found == {"~", "?"}:
        return _QUALIFIED["%"]
    return _QUALIFIED[found.pop()]


def twice(value: str) -> str:
    """Log text for the fields TimelineJS decodes once before writing them as HTML."""
    return html.escape(text(value))


def links(sources: tuple[str, ...]) -> str:
    """The sources as an HTML list: links for http(s) and mailto, text for the rest."""
    items = []
    for source in sources:
        address = link(source)
        shown = text(source)
        if address is not None:
            shown = (
                f'<a href="{html.escape(address)}" rel="noopener noreferrer"'
                f' target="_blank">{shown}</a>'
            )
        items.append(f"<li>{shown}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def slide(context: Context, event: Event, drawn: Mark) -> dict[str, Any]:
    """One event as a TimelineJS slide."""
    tz = context.chronology.tz
    item: dict[str, Any] = {
        "unique_id": event.id,
        "start_date": date_object(event.date, event.date.start(tz), context.display),
    }
    if event.end is not None:
        item["end_date"] = date_object(event.end, event.end.start(tz), context.display)
    words = qualifier_words(event)
    if words is not None:
        item["display_date"] = twice(f"{drawn.when} ({words})")
    headline = drawn.title if drawn.number is None else f"#{drawn.number} {drawn.title}"
    details = [f"<p>{text(drawn.summary)}</p>"] if drawn.summary else []
    facts = [
        ("Actors", ", ".join(drawn.actors)),
        ("Place", drawn.location),
        ("Kind", drawn.kind),
        ("Tags", ", ".join(drawn.tags)),
    ]
    details += [f"<p><b>{name}:</b> {text(value)}</p>" for name, value in facts if value]
    item["text"] = {"headline": text(headline), "text": "".join(details) + links(drawn.sources)}
    if context.lanes != "none":
        item["group"] = twice(drawn.lanes[0])
    shown = [a for a in map(link, drawn.sources) if a and MEDIA.match(a)]
    if shown:
        item["media"] = {"url": shown[0], "credit": text("; ".join(drawn.sources))}
    return item


def document(context: Context) -> dict[str, Any]:
    """The TimelineJS3 document: a title slide and one slide per selected event."""
    slides = marks(context)
    about = f"<p>{text(count_line(context.chronology, context.selection))}</p>"
    if context.generated:
        about += f"<p>{text(context.generated)}</p>"
    return {
        "title": {"text": {"headline": text(context.title), "text": about}},
        "events": [
            slide(context, e, m) for e, m in zip(context.selection.events, slides, strict=True)
        ],
    }


def render(context: Context) -> bytes:
    """The TimelineJS3 JSON, as every JSON answer is written."""
    return to_json(document(context)).encode("utf-8")
