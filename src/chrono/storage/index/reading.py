"""Reading a valid index: the :class:`~chrono.core.view.LogView` of a log, answered by SQL.

Each filter of a query is defined once, in :mod:`chrono.core.query`; here each is only
translated into its SQL clause over the columns the index filled from the same
definitions (folded kinds, places and tags, and the search haystack).
"""

from __future__ import annotations

import datetime as dt
import functools
import marshal
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple, assert_never

from chrono.core.actors import Registry
from chrono.core.dates import Precision, load_timezone
from chrono.core.model import Chronology, Event
from chrono.core.query import (
    ActorGroups,
    Filter,
    Kinds,
    Places,
    Query,
    Search,
    Selection,
    Span,
    Tags,
    arrange,
    filters,
)
from chrono.storage.fingerprint import Fingerprint, Hashing
from chrono.storage.index.codec import decode_actor, decode_event
from chrono.storage.index.schema import FORMAT, ORDER, SCHEMA, built_from, index_path


class Index:
    """A valid index of one log: answers queries without parsing the TOML."""

    def __init__(self, db: sqlite3.Connection, log: Path) -> None:
        self.db = db
        self.log = log
        meta = dict(db.execute("SELECT key, value FROM meta"))
        self.meta = meta
        self.timezone = str(meta["timezone"])
        self.registry = Registry(
            decode_actor(k, d) for k, d in db.execute("SELECT key, data FROM actors ORDER BY rowid")
        )
        self.fts = bool(meta.get("fts"))

    @functools.cached_property
    def tz(self) -> dt.tzinfo:
        """The log's time zone, loaded on first need (``--format ids`` never needs it)."""
        tz = load_timezone(self.timezone)
        if tz is None:  # a damaged index, or the system's zone data changed: ask the file
            from chrono.storage import store  # noqa: PLC0415

            return store.load(self.log).tz
        return tz

    @classmethod
    def open(
        cls, log: Path, folder: Path, fp: Fingerprint | Hashing, *, later: bool = False
    ) -> Index | None:
        """The index of ``log`` if it exists and was built from exactly these bytes.

        Given a :class:`Hashing` still at work, the index is opened and read while the
        log's content is hashed, and checked against the hash before it is returned;
        with ``later``, the caller checks :meth:`built_from` itself before it relies on
        the index for anything it shows or writes.
        """
        target = index_path(log, folder)
        if not target.is_file():
            return None
        db = None
        try:
            db = sqlite3.connect(f"file:{target}?mode=ro", uri=True, isolation_level=None)
            found = cls._checked(db, log, fp, later)
        except Exception:
            found = None
        if found is None and db is not None:
            db.close()
        return found

    @classmethod
    def _checked(
        cls, db: sqlite3.Connection, log: Path, fp: Fingerprint | Hashing, later: bool
    ) -> Index | None:
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
            return None
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if meta.get("format") != FORMAT:
            return None
        stat = (meta.get("size"), meta.get("mtime_ns"), meta.get("inode"))
        found = None
        if isinstance(fp, Hashing):
            st = os.stat(log)
            if stat != (st.st_size, st.st_mtime_ns, st.st_ino):
                return None
            found = cls(db, log)  # read while the content is still being hashed
            if later:
                return found
            fp = fp.result()
        if not built_from(meta, fp):
            return None
        return found or cls(db, log)

    def built_from(self, fp: Fingerprint) -> bool:
        """Whether the index was built from the bytes with this fingerprint."""
        return built_from(self.meta, fp)

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def chronology(self, events: Sequence[Event] = ()) -> Chronology:
        """A chronology with the index's settings and registry, holding ``events``."""
        return Chronology(
            str(self.meta["path"]), self.timezone, self.tz, self.registry, tuple(events)
        )

    def all(self) -> Chronology:
        """The whole log, every event loaded."""
        return self.chronology(self.all_events())

    def free_text_actors(self) -> list[str]:
        """Actor names events use that are not in the registry."""
        return list(marshal.loads(self.meta["free_text"]))

    def events(self, numbers: Sequence[int]) -> list[Event]:
        """Events by row number, in the order given."""
        found: dict[int, Event] = {}
        for i in range(0, len(numbers), 500):
            chunk = list(numbers[i : i + 500])
            marks = ",".join("?" * len(chunk))
            for n, data in self.db.execute(
                f"SELECT n, data FROM events WHERE n IN ({marks})", chunk
            ):
                found[n] = decode_event(data)
        return [found[n] for n in numbers]

    def all_events(self) -> list[Event]:
        """Every event, in the total order."""
        rows = self.db.execute(f"SELECT data FROM events ORDER BY {ORDER}")
        return [decode_event(data) for (data,) in rows]

    def select(self, query: Query, want_events: bool = True) -> Selection:
        """The same selection :func:`chrono.core.query.select` makes, answered by SQL."""
        where: list[str] = []
        params: list[Any] = []
        for chosen in filters(query):
            _clause(chosen, self.fts, where, params)
        sql = "SELECT n, id FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows: list[tuple[int, str]] = self.db.execute(f"{sql} ORDER BY {ORDER}", params).fetchall()
        shown, numbers, total = arrange(rows, query, _row_id)
        if want_events:
            events = tuple(self.events([n for n, _ in shown]))
        else:
            events = tuple(_IdOnly(ident) for _, ident in shown)  # type: ignore[misc]
        return Selection(events, numbers, total)

    def find(self, event_id: str) -> tuple[Event | None, list[str]]:
        """The event with this id (or unique prefix), else the ids that start with it."""
        row = self.db.execute("SELECT data FROM events WHERE id = ?", (event_id,)).fetchone()
        if row:
            return decode_event(row[0]), []
        prefixed = [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM events WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 6",
                (len(event_id), event_id),
            )
        ]
        if len(prefixed) == 1:
            return self.find(prefixed[0])[0], []
        return None, prefixed

    def ids(self) -> list[str]:
        """Every id."""
        return [r[0] for r in self.db.execute("SELECT id FROM events ORDER BY id")]

    def count_prefix(self, event_id: str) -> int:
        """How many ids start with this text."""
        row = self.db.execute(
            "SELECT count(*) FROM events WHERE substr(id, 1, ?) = ?", (len(event_id), event_id)
        ).fetchone()
        return int(row[0])

    def neighbours(self, event: Event) -> tuple[Event | None, Event | None]:
        """Previous and next events sharing an actor, as :func:`chrono.core.query.neighbours`."""
        if not event.actors:
            return None, None
        marks = ",".join("?" * len(event.actors))
        shared = f"n IN (SELECT n FROM event_actors WHERE actor IN ({marks}))"
        key = (event.start, int(event.date.precision), event.stop, event.id)
        found = []
        for op, order in (("<", "DESC"), (">", "ASC")):
            row = self.db.execute(
                f"SELECT data FROM events WHERE {shared} AND ({ORDER}) {op} (?, ?, ?, ?) "
                f"ORDER BY start {order}, precision {order}, stop {order}, id {order} LIMIT 1",
                [*event.actors, *key],
            ).fetchone()
            found.append(decode_event(row[0]) if row else None)
        return found[0], found[1]

    def starting(self, start: int, stop: int) -> list[Event]:
        """The events dated to the day or finer that start in ``[start, stop)``, in order."""
        rows = self.db.execute(
            f"SELECT data FROM events WHERE start >= ? AND start < ? AND precision >= ? "
            f"ORDER BY {ORDER}",
            (start, stop, int(Precision.DAY)),
        )
        return [decode_event(data) for (data,) in rows]

    def line_of(self, event_id: str) -> int | None:
        """The line of the event with this id, or None."""
        row = self.db.execute("SELECT data FROM events WHERE id = ?", (event_id,)).fetchone()
        return decode_event(row[0]).line if row else None


def _clause(chosen: Filter, fts: bool, where: list[str], params: list[Any]) -> None:
    """Add the SQL that keeps the events ``chosen.test`` passes."""
    match chosen:
        case Span(start, stop):
            if start is not None:
                where.append("stop > ?")
                params.append(start)
            if stop is not None:
                where.append("start < ?")
                params.append(stop)
        case ActorGroups(groups, any_of):
            parts = []
            for group in groups:
                marks = ",".join("?" * len(group))
                parts.append(f"n IN (SELECT n FROM event_actors WHERE actor IN ({marks}))")
                params.extend(group)
            where.append("(" + (" OR " if any_of else " AND ").join(parts) + ")")
        case Tags(tags):
            where += ["n IN (SELECT n FROM event_tags WHERE tag = ?)"] * len(tags)
            params.extend(tags)
        case Kinds(kinds):
            where.append(f"kind IN ({','.join('?' * len(kinds))})")
            params.extend(kinds)
        case Places(places):
            where += ["instr(location, ?) > 0"] * len(places)
            params.extend(places)
        case Search(terms):
            for term in terms:
                if fts and len(term) >= 3:  # trigrams find the rows; instr confirms each
                    where.append("n IN (SELECT rowid FROM search WHERE search MATCH ?)")
                    params.append('"' + term.replace('"', '""') + '"')
                where.append("instr(haystack, ?) > 0")
                params.append(term)
        case _:
            assert_never(chosen)


def _row_id(row: tuple[int, str]) -> str:
    return row[1]


class _IdOnly(NamedTuple):
    """Stands for an event when only its id is printed (``--format ids``)."""

    id: str
