"""Showing one event: found by its id or a unique prefix, with its neighbours."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from chrono.core.errors import UsageError
from chrono.operations.querying import Reading, display_zone
from chrono.operations.reading import open_source

if TYPE_CHECKING:
    from chrono.core.model import Chronology, Event
    from chrono.core.view import Findable


class Shown(NamedTuple):
    """One event, the previous and next events sharing an actor, and how to show them."""

    chronology: Chronology  # the event's actors and the log's zone
    event: Event
    before: Event | None
    after: Event | None
    display: dt.tzinfo


def show(path: Path, event_id: str, reading: Reading, *, zone: str | None = None) -> Shown:
    """The event ``event_id`` names (its id, or the start of exactly one id)."""
    source = open_source(path, reading.cache, freeze=reading.freeze)
    try:
        event = find_event(source, event_id)
    except UsageError:
        from chrono.storage.source import FileSource  # noqa: PLC0415

        if isinstance(source, FileSource):  # the file itself said so: no second parse
            raise
        # Before saying "no such event" from the index, ask the file: an index damaged in a
        # way its checks cannot see must not hide an event (a miss is rare; it costs a parse).
        source = open_source(path, reading.cache._replace(enabled=False), freeze=reading.freeze)
        event = find_event(source, event_id)
    display = display_zone(source, zone)
    before, after = source.neighbours(event)
    return Shown(source.chronology([event]), event, before, after, display)


def find_event(source: Findable, event_id: str) -> Event:
    """The event with this id or unique id prefix; a usage error naming the candidates."""
    found, prefixed = source.find(event_id)
    if found is not None:
        return found
    if len(prefixed) > 1:
        count = source.count_prefix(event_id)
        shown = ", ".join(prefixed[:5]) + (", ..." if count > 5 else "")
        raise UsageError(f"{event_id!r} is the start of {count} ids: {shown}")
    import difflib  # noqa: PLC0415

    close = difflib.get_close_matches(event_id, source.ids(), n=3, cutoff=0.5)
    from chrono.core.text import did_you_mean  # noqa: PLC0415

    raise UsageError(f"no event with id {event_id!r}{did_you_mean(close)}")
