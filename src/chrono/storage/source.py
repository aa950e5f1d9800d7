"""The parsed log as a :class:`~chrono.core.view.LogView`: what the index answers for.

Commands read this when there is no valid index; the index reads it too, to answer
from the log when it finds itself damaged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chrono.core.actors import Registry
    from chrono.core.model import Chronology, Event
    from chrono.core.query import Query, Selection


class FileSource:
    """A :class:`~chrono.core.view.LogView` of a chronology parsed from the file."""

    def __init__(self, full: Chronology) -> None:
        self.full = full

    @property
    def registry(self) -> Registry:
        """The actor registry."""
        return self.full.registry

    @property
    def tz(self) -> dt.tzinfo:
        """The log's time zone."""
        return self.full.tz

    def chronology(self, events: Sequence[Event] = ()) -> Chronology:
        """The whole log: it holds ``events`` already."""
        return self.full

    def all(self) -> Chronology:
        """The whole log."""
        return self.full

    def free_text_actors(self) -> list[str]:
        """Actor names events use that are not in the registry."""
        from chrono.core.query import free_text_actors  # noqa: PLC0415

        return free_text_actors(self.full)

    def select(self, query: Query, want_events: bool = True) -> Selection:
        """The events the query selects."""
        from chrono.core.query import select  # noqa: PLC0415

        return select(self.full, query)

    def find(self, event_id: str) -> tuple[Event | None, list[str]]:
        """The event with this id (or unique prefix), else the ids that start with it."""
        return self.full.find(event_id)

    def count_prefix(self, event_id: str) -> int:
        """How many ids start with this text."""
        return self.full.count_prefix(event_id)

    def ids(self) -> list[str]:
        """Every id, sorted."""
        return self.full.ids()

    def neighbours(self, event: Event) -> tuple[Event | None, Event | None]:
        """Previous and next events sharing an actor."""
        from chrono.core.query import neighbours  # noqa: PLC0415

        return neighbours(self.full, event)

    def line_of(self, event_id: str) -> int | None:
        """The line of the event with this id, or None."""
        return self.full.line_of(event_id)

    def starting(self, start: int, stop: int) -> list[Event]:
        """The events dated to the day or finer that start in ``[start, stop)``."""
        return self.full.starting(start, stop)
