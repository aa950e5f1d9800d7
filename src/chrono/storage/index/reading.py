"""Reading a valid index: the :class:`~chrono.core.view.LogView` of a log, answered by SQL.

Each filter of a query is defined once, in :mod:`chrono.core.query`, and translated into
its SQL clause by :mod:`.sql`.

An index is opened only if it is the user's own (:mod:`.trust`) and as it was sealed
(:mod:`.seal`), and every row is checked as it is read. Should anything it reads fail or
disagree (an error from SQLite, a row not as written, an event a filter would not have
selected), the index is deleted and it answers that question, and every one after, from
the parsed log (its ``fallback``, which also has it rebuilt): a damaged index never
fails a command and never gives part of an answer.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    Concatenate,
    NamedTuple,
    ParamSpec,
    TypeVar,
    cast,
)

from chrono.core.actors import Registry
from chrono.core.dates import Precision, load_timezone
from chrono.core.model import Chronology, Event
from chrono.core.query import ActorGroups, Query, Selection, Tags, arrange, filters
from chrono.storage.fingerprint import Fingerprint, Hashing
from chrono.storage.index import trust
from chrono.storage.index.codec import decode_actor, decode_names, decode_shifts
from chrono.storage.index.schema import (
    APPLICATION_ID,
    FORMAT,
    KEY,
    ORDER,
    ROW,
    SCHEMA,
    built_from,
    index_path,
    journal,
)
from chrono.storage.index.seal import (
    Damaged,
    checked_blob,
    checked_event,
    checked_keys,
    checked_links,
    slot,
    verify,
)
from chrono.storage.index.sql import clause

if TYPE_CHECKING:
    from chrono.core.view import LogView

Params = ParamSpec("Params")
Result = TypeVar("Result")


def _guarded(
    method: Callable[Concatenate[Index, Params], Result],
) -> Callable[Concatenate[Index, Params], Result]:
    """The method, answered by the parsed log once the index is found damaged."""
    name = method.__name__

    def guarded(self: Index, /, *args: Params.args, **kwargs: Params.kwargs) -> Result:
        if self._file is None:
            try:
                return method(self, *args, **kwargs)
            except Exception:  # whatever reading the index raised: it is not as written
                self.give_way()
        return cast(Result, getattr(self._file, name)(*args, **kwargs))

    guarded.__doc__ = method.__doc__
    return guarded


class Index:
    """A valid index of one log: answers queries without parsing the TOML."""

    def __init__(
        self,
        db: sqlite3.Connection,
        log: Path,
        meta: dict[str, Any],
        opened: tuple[Path, os.stat_result],
        fallback: Callable[[], LogView] | None = None,
    ) -> None:
        self.db = db
        self.log = log
        self.meta = meta
        self.timezone = str(meta["timezone"])
        self.fts = bool(meta.get("fts"))
        self.shifts = decode_shifts(meta["shifts"])  # lines moved by changes made in place
        self._opened = opened
        self._fallback = fallback
        self._file: LogView | None = None
        rows = db.execute("SELECT key, data, checked FROM actors ORDER BY rowid")
        self.registry = Registry(decode_actor(k, checked_blob(d, c, k)) for k, d, c in rows)

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
        cls,
        log: Path,
        folder: Path,
        fp: Fingerprint | Hashing,
        *,
        later: bool = False,
        fallback: Callable[[], LogView] | None = None,
    ) -> Index | None:
        """The index of ``log`` if it exists, is intact and was built from exactly these bytes.

        Given a :class:`Hashing` still at work, the index is opened and read while the
        log's content is hashed, and checked against the hash before it is returned;
        with ``later``, the caller checks :meth:`built_from` itself before it relies on
        the index for anything it shows or writes. An index or folder that may be someone
        else's raises :class:`~.trust.Untrusted` (its folder's
        :class:`~.trust.UntrustedFolder`); anything else amiss gives None. ``fallback``
        gives the parsed log, should the index turn out damaged (by default it is parsed).
        """
        target = index_path(log, folder)
        if not trust.check_folder(folder):
            return None
        st = trust.open_private(target)
        if st is None:
            return None
        db = None
        try:
            # A -journal a killed writer left needs writing to roll back (SQLite does it).
            mode = "rw" if journal(target).exists() else "ro"
            db = sqlite3.connect(f"file:{target}?mode={mode}", uri=True, isolation_level=None)
            found = cls._checked(db, log, fp, later, (target, st), fallback)
        except Exception:
            found = None
        if found is None and db is not None:
            db.close()
        return found

    @classmethod
    def _checked(
        cls,
        db: sqlite3.Connection,
        log: Path,
        fp: Fingerprint | Hashing,
        later: bool,
        opened: tuple[Path, os.stat_result],
        fallback: Callable[[], LogView] | None,
    ) -> Index | None:
        header = db.execute("PRAGMA application_id").fetchone()[0]
        if (header, db.execute("PRAGMA user_version").fetchone()[0]) != (APPLICATION_ID, SCHEMA):
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
            verify(db, meta)  # while the content is still being hashed
            found = cls(db, log, meta, opened, fallback)
            if later:
                return found
            fp = fp.result()
        if not built_from(meta, fp) or not trust.same_file(*opened):
            return None
        if found is None:
            verify(db, meta)
        return found or cls(db, log, meta, opened, fallback)

    def give_way(self) -> None:
        """The index is damaged: delete it, and answer from the parsed log from now on."""
        if self._file is not None:
            return
        target, st = self._opened
        self.db.close()
        if trust.same_file(target, st):  # never another builder's fresh index
            target.unlink(missing_ok=True)
        if self._fallback is not None:
            self._file = self._fallback()
        else:
            from chrono.storage import store  # noqa: PLC0415
            from chrono.storage.source import FileSource  # noqa: PLC0415

            self._file = FileSource(store.load(self.log))

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

    @_guarded
    def all(self) -> Chronology:
        """The whole log, every event loaded."""
        return self.chronology(self.all_events())

    @_guarded
    def free_text_actors(self) -> list[str]:
        """Actor names events use that are not in the registry."""
        return decode_names(self.meta["free_text"])

    def events(self, numbers: Sequence[int]) -> list[Event]:
        """Events by row number, in the order given."""
        found: dict[int, Event] = {}
        for i in range(0, len(numbers), 500):
            chunk = list(numbers[i : i + 500])
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(f"SELECT {ROW} FROM events WHERE n IN ({marks})", chunk):
                found[row[0]] = checked_event(row, self.shifts)
        return [found[n] for n in numbers]

    def all_events(self) -> list[Event]:
        """Every event, in the total order."""
        return [
            checked_event(row, self.shifts)
            for row in self.db.execute(f"SELECT {ROW} FROM events ORDER BY {ORDER}")
        ]

    @_guarded
    def select(self, query: Query, want_events: bool = True) -> Selection:
        """The same selection :func:`chrono.core.query.select` makes, answered by SQL."""
        where: list[str] = []
        params: list[Any] = []
        chosen = filters(query)
        for each in chosen:
            clause(each, self.fts, where, params)
            if isinstance(each, ActorGroups):  # the link rows the SQL will select by
                checked_links(self.db, "actor", [a for group in each.groups for a in group])
            elif isinstance(each, Tags):
                checked_links(self.db, "tag", each.tags)
        sql = f"SELECT {KEY} FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = checked_keys(self.db.execute(f"{sql} ORDER BY {ORDER}", params))
        shown, numbers, total = arrange(rows, query, _row_id)
        if not want_events:
            ids = tuple(_IdOnly(row[1]) for row in shown)
            return Selection(ids, numbers, total)  # type: ignore[arg-type]
        events = self.events([row[0] for row in shown])
        tests = [each.test(self.registry) for each in chosen]  # the rows the SQL chose must
        if not all(test(event) for test in tests for event in events):  # pass the filters
            raise Damaged("an event the query should not have selected")
        return Selection(tuple(events), numbers, total)

    @_guarded
    def find(self, event_id: str) -> tuple[Event | None, list[str]]:
        """The event with this id (or unique prefix), else the ids that start with it."""
        row = self._by_id(event_id)
        if row:
            return checked_event(row, self.shifts), []
        prefixed = [row[1] for row in self._prefixed(event_id, " ORDER BY id LIMIT 6")]
        if len(prefixed) == 1:
            return self.find(prefixed[0])[0], []
        return None, prefixed

    def _prefixed(self, event_id: str, then: str = "") -> list[tuple[Any, ...]]:
        rows = self.db.execute(
            f"SELECT {KEY} FROM events WHERE substr(id, 1, ?) = ?{then}", (len(event_id), event_id)
        )
        return checked_keys(rows)

    @_guarded
    def ids(self) -> list[str]:
        """Every id."""
        return [
            row[1] for row in checked_keys(self.db.execute(f"SELECT {KEY} FROM events ORDER BY id"))
        ]

    @_guarded
    def count_prefix(self, event_id: str) -> int:
        """How many ids start with this text."""
        return len(self._prefixed(event_id))

    @_guarded
    def neighbours(self, event: Event) -> tuple[Event | None, Event | None]:
        """Previous and next events sharing an actor, as :func:`chrono.core.query.neighbours`."""
        if not event.actors:
            return None, None
        checked_links(self.db, "actor", event.actors)
        marks = ",".join("?" * len(event.actors))
        shared = f"n IN (SELECT n FROM event_actors WHERE actor IN ({marks}))"
        key = (event.start, int(event.date.precision), event.stop, event.id)
        found = []
        for op, order in (("<", "DESC"), (">", "ASC")):
            row = self.db.execute(
                f"SELECT {ROW} FROM events WHERE {shared} AND ({ORDER}) {op} (?, ?, ?, ?) "
                f"ORDER BY start {order}, precision {order}, stop {order}, id {order} LIMIT 1",
                [*event.actors, *key],
            ).fetchone()
            near = checked_event(row, self.shifts) if row else None
            if near is not None and not set(near.actors) & set(event.actors):
                raise Damaged("a neighbour that shares no actor")
            found.append(near)
        return found[0], found[1]

    @_guarded
    def starting(self, start: int, stop: int) -> list[Event]:
        """The events dated to the day or finer that start in ``[start, stop)``, in order."""
        rows = self.db.execute(
            f"SELECT {ROW} FROM events WHERE start >= ? AND start < ? AND precision >= ? "
            f"ORDER BY {ORDER}",
            (start, stop, int(Precision.DAY)),
        )
        return [checked_event(row, self.shifts) for row in rows]

    @_guarded
    def line_of(self, event_id: str) -> int | None:
        """The line of the event with this id, or None."""
        row = self._by_id(event_id)
        return checked_event(row, self.shifts).line if row else None

    def _by_id(self, event_id: str) -> tuple[Any, ...] | None:
        """The row of this id, found by its id or its slot (so a changed id is seen)."""
        rows = self.db.execute(
            f"SELECT {ROW} FROM events WHERE id = ? OR slot = ?", (event_id, slot(event_id))
        )
        return next((row for row in checked_keys(rows) if row[1] == event_id), None)


def _row_id(row: tuple[Any, ...]) -> str:
    return str(row[1])


class _IdOnly(NamedTuple):
    """Stands for an event when only its id is printed (``--format ids``)."""

    id: str
