"""What a read view of the log answers, whether it parsed the file or reads the index.

Commands ask these questions only; :mod:`chrono.operations.reading` picks the view
(the index when it is valid for the log's bytes, else the parsed file). Both answer
every question the same way; the index only answers faster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from chrono.core.actors import Registry
    from chrono.core.model import Chronology, Event
    from chrono.core.query import Query, Selection


class Findable(Protocol):
    """What finding an event by id or unique prefix needs (a :class:`LogView` has it, and
    so has a writer's view of the log)."""

    def find(self, event_id: str) -> tuple[Event | None, list[str]]: ...

    def count_prefix(self, event_id: str) -> int: ...

    def ids(self) -> list[str]: ...


class LogView(Protocol):
    """A read view of one log."""

    @property
    def registry(self) -> Registry:
        """The actor registry."""
        ...

    @property
    def tz(self) -> dt.tzinfo:
        """The log's time zone."""
        ...

    def chronology(self, events: Sequence[Event] = ()) -> Chronology:
        """The log's settings and registry, holding at least ``events`` (to render them)."""
        ...

    def all(self) -> Chronology:
        """The whole log, every event in the total order."""
        ...

    def free_text_actors(self) -> list[str]:
        """Actor names events use that are not in the registry, in order of first use."""
        ...

    def select(self, query: Query, want_events: bool = True) -> Selection:
        """What :func:`chrono.core.query.select` selects; without ``want_events`` the
        selection's events may carry only their ids."""
        ...

    def find(self, event_id: str) -> tuple[Event | None, list[str]]:
        """The event with this id or unique prefix, else up to six ids with that prefix."""
        ...

    def count_prefix(self, event_id: str) -> int:
        """How many ids start with this text."""
        ...

    def ids(self) -> list[str]:
        """Every id, sorted."""
        ...

    def neighbours(self, event: Event) -> tuple[Event | None, Event | None]:
        """The previous and next events that share an actor with ``event``."""
        ...

    def line_of(self, event_id: str) -> int | None:
        """The line of the event with this id, or None."""
        ...

    def starting(self, start: int, stop: int) -> list[Event]:
        """The events dated to the day or finer that start in ``[start, stop)``, in order."""
        ...
