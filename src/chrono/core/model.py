"""The chronology model: frozen events and the log that holds them, in one total order.

Events are kept in one total order, which never raises for any mix of forms:
by first instant covered, then coarser precision first (a month before a day
that starts with it), then the earlier end, then id.  :func:`chrono.core.validate.build`
makes the model from a parsed TOML document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from chrono.core.actors import Registry
from chrono.core.dates import PartialDate, Precision

EVENT_FIELDS: Final = (
    "id",
    "date",
    "end",
    "title",
    "summary",
    "actors",
    "location",
    "tags",
    "kind",
    "sources",
)
ACTOR_FIELDS: Final = ("name", "aliases", "role", "note")
SETTINGS_FIELDS: Final = ("timezone",)
TOP_FIELDS: Final = ("chrono", "actors", "events")


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the log, with the span of time it covers."""

    id: str
    date: PartialDate
    title: str
    end: PartialDate | None = None
    summary: str | None = None
    actors: tuple[str, ...] = ()  # registry keys; free text for names not in the registry
    location: str | None = None
    tags: tuple[str, ...] = ()
    kind: str | None = None
    sources: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    start: int = 0  # first instant covered, microseconds since the epoch (UTC)
    stop: int = 0  # first instant after the span
    line: int = 0  # where the event's table starts in the file

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        """The total order: start, coarser precision first, earlier end, id."""
        return (self.start, int(self.date.precision), self.stop, self.id)

    def at_line(self, line: int) -> Event:
        """The same event, its table at ``line`` (what ``dataclasses.replace`` does, faster)."""
        return Event(self.id, self.date, self.title, self.end, self.summary, self.actors,
                     self.location, self.tags, self.kind, self.sources, self.extra, self.start,
                     self.stop, line)  # fmt: skip

    def overlaps(self, start: int, stop: int) -> bool:
        """Whether the event's span shares any instant with ``[start, stop)``."""
        return self.start < stop and start < self.stop

    def within(self, start: int, stop: int) -> bool:
        """Whether the event's span lies wholly inside ``[start, stop)``."""
        return start <= self.start and self.stop <= stop


@dataclass(frozen=True, slots=True)
class Chronology:
    """A whole log: its settings, its actor registry and its events in order."""

    path: str
    timezone: str
    tz: dt.tzinfo
    registry: Registry
    events: tuple[Event, ...]

    def get(self, event_id: str) -> Event | None:
        """The event with this id, or None."""
        for event in self.events:
            if event.id == event_id:
                return event
        return None

    def line_of(self, event_id: str) -> int | None:
        """The line of the event with this id, or None."""
        event = self.get(event_id)
        return event.line if event is not None else None

    def find(self, event_id: str) -> tuple[Event | None, list[str]]:
        """The event with this id (or unique prefix), else the ids that start with it."""
        exact = self.get(event_id)
        if exact is not None:
            return exact, []
        prefixed = sorted(e.id for e in self.events if e.id.startswith(event_id))
        if len(prefixed) == 1:
            return self.get(prefixed[0]), []
        return None, prefixed[:6]

    def count_prefix(self, event_id: str) -> int:
        """How many ids start with this text."""
        return sum(e.id.startswith(event_id) for e in self.events)

    def ids(self) -> list[str]:
        """Every id, sorted."""
        return sorted(e.id for e in self.events)

    def starting(self, start: int, stop: int) -> list[Event]:
        """The events dated to the day or finer that start in ``[start, stop)``, in order."""
        return [
            e for e in self.events if e.date.precision >= Precision.DAY and start <= e.start < stop
        ]

    def naming(self, key: str) -> list[Event]:
        """The events whose actors include ``key`` (a registry key or a free-text name)."""
        return [e for e in self.events if key in e.actors]


__all__ = [
    "ACTOR_FIELDS",
    "EVENT_FIELDS",
    "SETTINGS_FIELDS",
    "TOP_FIELDS",
    "Chronology",
    "Event",
]
