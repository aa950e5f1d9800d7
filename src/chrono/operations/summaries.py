"""The actors of a log as data: the table, who met whom, or one actor in detail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from chrono.operations.querying import (
    Filters,
    Notes,
    Reading,
    build_query,
    display_zone,
    resolve_actor,
)
from chrono.operations.reading import open_source

if TYPE_CHECKING:
    from chrono.core.model import Chronology
    from chrono.core.query import ActorSummary, Selection
    from chrono.operations.reading import Source


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
    filters: Filters | None = None,
    notes: Notes,
) -> Actors:
    """The actor table, the pairs or the actors ``name`` selects, in detail, counting only
    the events ``filters`` select (the filters of ``chrono list``).

    With filters, the table holds the actors of the selected events only; with ``name``,
    the pairs are those ``name``'s actors are in, each with that actor first.
    """
    from chrono.core import query  # noqa: PLC0415

    source = open_source(path, reading.cache, freeze=reading.freeze)
    chronology = source.all()
    display = display_zone(source, zone)
    matched = [] if name is None else resolve_actor(source, name, notes, asked=None)
    filters = filters or Filters()
    narrowed = filters != Filters()
    if narrowed:  # with a name, --limit counts that actor's events
        named = filters if name is None or filters.any_actor else filters._replace(
            actor=(*filters.actor, name)
        )  # fmt: skip
        chronology = _narrowed(source, chronology, named, reading, notes)
    if pairs:
        found = query.pairs(chronology)
        if name is not None:
            keys = set(matched)
            found = [(a, b, n) if a in keys else (b, a, n) for a, b, n in found if keys & {a, b}]
        return Actors(chronology, display, [], found[::-1] if filters.reverse else found, None)
    summaries = query.actor_summaries(chronology, sort)
    if name is None:
        if narrowed:
            summaries = [summary for summary in summaries if summary.events]
        return Actors(chronology, display, summaries[::-1] if filters.reverse else summaries,
                      None, None)  # fmt: skip
    details = []
    for key in matched:
        summary = next(s for s in summaries if s.key == key)
        asked = query.Query(actors=[[key]], reverse=filters.reverse)
        selection = query.select(chronology, asked)
        details.append(Detail(summary, selection, query.co_actors(chronology, key)))
    return Actors(chronology, display, summaries, None, details)


def _narrowed(
    source: Source, chronology: Chronology, filters: Filters, reading: Reading, notes: Notes
) -> Chronology:
    """The chronology holding only the events ``filters`` select, in the log's order
    (whatever ``--reverse`` says), so first and last appearances stay true."""
    import dataclasses  # noqa: PLC0415

    asked = build_query(source, filters, reading.today, notes)
    chosen = {event.id for event in source.select(asked, want_events=False).events}
    events = tuple(event for event in chronology.events if event.id in chosen)
    return dataclasses.replace(chronology, events=events)
