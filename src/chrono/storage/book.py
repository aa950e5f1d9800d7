"""The log as a change plans on it (:class:`Book`): the parsed log, or the derived index
when it was built from exactly the log's bytes as they are now (:class:`IndexBook`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from chrono.core.actors import Registry
from chrono.core.errors import WriteError
from chrono.core.model import Event
from chrono.core.query import Query
from chrono.storage import store
from chrono.storage.fingerprint import Hashed, Hashing, hash_file

if TYPE_CHECKING:
    from chrono.storage.index import Index


class Book(Protocol):
    """What planning a change needs to know of the log (a Chronology is one)."""

    @property
    def tz(self) -> dt.tzinfo: ...

    @property
    def registry(self) -> Registry: ...

    def get(self, event_id: str) -> Event | None: ...

    def line_of(self, event_id: str) -> int | None: ...

    def find(self, event_id: str) -> tuple[Event | None, list[str]]: ...

    def count_prefix(self, event_id: str) -> int: ...

    def ids(self) -> list[str]: ...

    def starting(self, start: int, stop: int) -> list[Event]: ...

    def naming(self, key: str) -> list[Event]: ...

    @property
    def events(self) -> Sequence[Event]: ...


class IndexBook:
    """A :class:`Book` answered by the index (its lookups are the index's own)."""

    def __init__(self, found: Index, hashed: Hashed) -> None:
        self.found = found
        self.hashed = hashed  # the log's bytes the index was checked against
        self.tz = found.tz
        self.registry = found.registry
        self.line_of, self.find, self.starting = found.line_of, found.find, found.starting
        self.count_prefix, self.ids = found.count_prefix, found.ids

    def get(self, event_id: str) -> Event | None:
        event = self.found.find(event_id)[0]  # an exact id, or a unique prefix of one
        return event if event is not None and event.id == event_id else None

    def naming(self, key: str) -> list[Event]:
        return list(self.found.select(Query(actors=((key,),))).events)

    @property
    def events(self) -> list[Event]:
        return self.found.all_events()


def open_index(path: Path, real: Path, folder: Path, hashing: Hashing) -> IndexBook | None:
    """The index as a book, if it was built from exactly the log's bytes as they are now."""
    try:
        from chrono.storage import index  # noqa: PLC0415

        found = index.Index.open(path, folder, hashing, later=True)
        if found is None:
            return None
        hashed = hashing.hashed()
        if hashed.identity != store.stat_of(real, str(path)):  # written to since it was read
            again = hash_file(real)
            assert again is not None  # only a stop request cuts a hash short
            hashed = again
        return IndexBook(found, hashed) if found.built_from(hashed.fingerprint) else None
    except WriteError:
        raise
    except Exception:
        return None


__all__ = ["Book", "IndexBook", "open_index"]
