"""What the pictures draw: each selected event as a mark with an honest shape, and its lanes.

Shared by the timelines (HTML, SVG) and the formats other tools read (TimelineJS), so
every picture of the log says the same thing:

- an *instant* (a minute or a second, no end) is a ``point``;
- a day, a month or a year (no end) is a ``band`` over exactly that period;
- an event with an end is a ``bar`` from its first instant to the end's last;
- an approximate date (``~`` or ``%``) fades the edge it dates (``fade``): a point or a
  band fades at both edges, a bar at its start if its start is approximate and at its
  end if its end is; an ``uncertain`` date (``?`` or ``%``) on either end dashes the mark.

Times are milliseconds since 1970-01-01T00:00Z, what a browser's ``Date`` counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Final, NamedTuple

from chrono.core.dates import Precision
from chrono.core.model import Chronology, Event
from chrono.export import Context
from chrono.output.labels import date_label
from chrono.output.safe_text import unsafe

LANES: Final = ("none", "actor", "kind", "tag", "location")
"""The ways ``--lanes`` splits a picture: one lane per actor, kind, tag or place, or one lane."""

NO_LANE: Final = {
    "none": "",
    "actor": "(no actor)",
    "kind": "(no kind)",
    "tag": "(no tag)",
    "location": "(no place)",
}
"""The lane of an event that has no value for the chosen field."""

LINK_SCHEMES: Final = ("https://", "http://", "mailto:")

APPROXIMATE: Final = ("~", "%")
"""The EDTF qualifiers that make a date approximate."""

FADES: Final = {
    (False, False): "",
    (True, False): "start",
    (False, True): "end",
    (True, True): "both",
}
"""A bar's fade, by whether its start and its end are approximate."""


class Mark(NamedTuple):
    """One event as the pictures draw it.

    An approximate date fades only the edge it dates, but an uncertain one dashes the whole
    outline: a stroke or a border is dashed as one line in both renderers, and half an
    outline dashed would not show on a bar a few pixels high; the date label says which
    end is uncertain."""

    id: str
    number: int | None  # the ordinal (#7) when two or more actors were asked
    start: int  # ms since the epoch, UTC: the first instant covered
    stop: int  # ms: the first instant after the span (start == stop for an instant)
    shape: str  # "point", "band" or "bar"
    precision: str  # of the start: "year", "month", "day", "minute" or "second"
    fade: str  # the edges an approximate date fades: "", "start", "end" or "both"
    uncertain: bool  # either date is uncertain: the whole outline is dashed
    when: str  # the date label, as the terminal writes it
    title: str
    summary: str
    actors: tuple[str, ...]  # canonical names
    location: str
    kind: str
    tags: tuple[str, ...]
    sources: tuple[str, ...]
    lanes: tuple[str, ...]  # the lanes it appears in (one, or one per actor or tag)


def shape_of(event: Event) -> str:
    """``point`` for an instant, ``band`` for a day, month or year, ``bar`` for a span."""
    if event.end is not None:
        return "bar"
    return "point" if event.date.precision >= Precision.MINUTE else "band"


def qualified(event: Event, qualifiers: str) -> bool:
    """Whether either of the event's dates carries one of the EDTF ``qualifiers``."""
    dates = (event.date,) if event.end is None else (event.date, event.end)
    return any(d.qualifier and d.qualifier in qualifiers for d in dates)


def fade_of(event: Event) -> str:
    """The edges an approximate (``~`` or ``%``) date fades: both for a point or a band;
    for a bar its start edge for an approximate start, its end edge for an approximate end."""
    start = event.date.qualifier in APPROXIMATE
    if event.end is None:
        return "both" if start else ""
    return FADES[start, event.end.qualifier in APPROXIMATE]


def lanes_of(chronology: Chronology, event: Event, by: str) -> tuple[str, ...]:
    """The lanes ``event`` appears in when the picture is split ``by`` a field."""
    if by == "actor":
        values: Sequence[str] = [chronology.registry.display(a) for a in event.actors]
    elif by == "tag":
        values = event.tags
    elif by == "kind":
        values = [event.kind] if event.kind else []
    elif by == "location":
        values = [event.location] if event.location else []
    else:
        return ("",)
    return tuple(dict.fromkeys(values)) or (NO_LANE[by],)


def mark(context: Context, event: Event, by: str) -> Mark:
    """The mark of one selected event."""
    chronology = context.chronology
    shape = shape_of(event)
    stop = event.start if shape == "point" else event.stop
    return Mark(
        id=event.id,
        number=context.selection.numbers.get(event.id),
        start=event.start // 1000,
        stop=stop // 1000,
        shape=shape,
        precision=event.date.precision.label,
        fade=fade_of(event),
        uncertain=qualified(event, "?%"),
        when=date_label(chronology, event, context.display),
        title=event.title,
        summary=event.summary or "",
        actors=tuple(chronology.registry.display(a) for a in event.actors),
        location=event.location or "",
        kind=event.kind or "",
        tags=event.tags,
        sources=event.sources,
        lanes=lanes_of(chronology, event, by),
    )


def marks(context: Context) -> list[Mark]:
    """Every selected event as a mark, in the selection's order."""
    return [mark(context, e, context.lanes) for e in context.selection.events]


def lane_order(drawn: Sequence[Mark]) -> list[str]:
    """The lanes, busiest first (then by name), the lane of events without a value last."""
    counts = Counter(lane for m in drawn for lane in m.lanes)
    empty = set(NO_LANE.values())
    return sorted(counts, key=lambda lane: (lane in empty, -counts[lane], lane.casefold(), lane))


def link(source: str) -> str | None:
    """The address a source may be a link to: only http(s) and mailto, else None (text)."""
    text = source.strip()
    lowered = text.lower()
    if not lowered.startswith(LINK_SCHEMES) or any(c.isspace() for c in text):
        return None
    if unsafe().search(text):
        return None
    return text if len(text) > len("mailto:") else None
