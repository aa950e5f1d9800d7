"""The actors of a log as data: the table, who met whom, or one actor in detail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from chrono.operations.querying import Notes, Reading, display_zone, resolve_actor
from chrono.operations.reading import open_source

if TYPE_CHECKING:
    from chrono.core.model import Chronology
    from chrono.core.query import ActorSummary, Selection


class Detail(NamedTuple):
    """One actor: its row, its events, and the actors it shares events with."""

    summary: ActorSummary
    selection: Selection
    together: list[tuple[str, int]]  # (actor key, events shared), most first


class Actors(NamedTuple):
    """What ``chrono actors`` shows: the pairs or the details when asked, else the table."""

    chronology: Chronology
    display: dt.tzinfo
    summaries: list[ActorSummary]  # the table, in the order asked (empty with pairs)
    pairs: list[tuple[str, str, int]] | None  # who met whom, how often (with ``pairs``)
    details: list[Detail] | None  # one per actor the name selects (with ``name``)


def actors(
    path: Path,
    reading: Reading,
    *,
    name: str | None = None,
    pairs: bool = False,
    sort: str = "events",
    zone: str | None = None,
    notes: Notes,
) -> Actors:
    """The actor table, the pairs (``pairs``, whatever ``name`` is) or the actors ``name``
    selects, in detail."""
    from chrono.core import query  # noqa: PLC0415

    source = open_source(path, reading.cache, freeze=reading.freeze)
    chronology = source.all()
    display = display_zone(source, zone)
    if pairs:
        return Actors(chronology, display, [], query.pairs(chronology), None)
    summaries = query.actor_summaries(chronology, sort)
    if name is None:
        return Actors(chronology, display, summaries, None, None)
    details = []
    for key in resolve_actor(source, name, notes, asked=None):
        summary = next(s for s in summaries if s.key == key)
        selection = query.select(chronology, query.Query(actors=[[key]]))
        details.append(Detail(summary, selection, query.co_actors(chronology, key)))
    return Actors(chronology, display, summaries, None, details)
