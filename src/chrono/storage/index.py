"""A derived SQLite index of the log, for instant answers at any size.

The TOML file stays the one source of truth. The index lives in the user's cache
directory, is keyed on the log's resolved path, and is trusted only for the exact
bytes it was built from: the file's size, mtime and inode must match *and* the SHA-1 of
its content must match, so an edit within one mtime tick and of the same size is still
seen. Anything unexpected (a corrupt, truncated or foreign file, a read-only or
missing cache directory, a concurrent builder) makes chrono ignore the index and read
the log itself: the index never changes an answer and never fails a command.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import marshal
import os
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from chrono.core.actors import Actor, Registry, fold
from chrono.core.dates import PartialDate, Precision
from chrono.core.model import Chronology, Event, load_timezone
from chrono.core.query import Query, Selection, search_terms
from chrono.storage.fingerprint import Fingerprint, Hashing

SCHEMA = 9  # 9: indexes are private to their owner (0600); older ones are rebuilt
FORMAT = f"{SCHEMA}/{sys.version_info[0]}.{sys.version_info[1]}/{marshal.version}"
_TYPE = "\x00chrono-type"


def index_path(log: Path, folder: Path) -> Path:
    """The index file for a log in the cache ``folder``, named after the log's resolved path."""
    digest = hashlib.sha1(str(log.resolve()).encode(), usedforsecurity=False).hexdigest()
    return folder / f"{digest[:24]}.sqlite"


# -- encoding events -------------------------------------------------------------------


def _date_row(date: PartialDate | None) -> tuple[Any, ...] | None:
    if date is None:
        return None
    return (
        date.year, date.month, date.day, date.hour, date.minute, date.second,
        date.microsecond, int(date.precision), date.offset, date.qualifier,
    )  # fmt: skip


def _date_from(row: tuple[Any, ...] | None) -> PartialDate | None:
    if row is None:
        return None
    y, m, d, h, mi, s, us, precision, offset, qualifier = row
    return PartialDate(y, m, d, h, mi, s, us, Precision(precision), offset, qualifier)


def _tag(value: Any) -> Any:
    """TOML values (dates, times) as JSON, tagged so they decode to the same type."""
    if isinstance(value, dict):
        return {k: _tag(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tag(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return {_TYPE: type(value).__name__, "v": value.isoformat()}
    return value


def _untag(value: Any) -> Any:
    if isinstance(value, dict):
        if _TYPE in value:
            text = value["v"]
            kind = value[_TYPE]
            if kind == "datetime":
                return dt.datetime.fromisoformat(text)
            return dt.date.fromisoformat(text) if kind == "date" else dt.time.fromisoformat(text)
        return {k: _untag(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_untag(v) for v in value]
    return value


def encode_event(event: Event) -> bytes:
    """An event as compact bytes for the index (marshal: fast, and only plain data)."""
    return marshal.dumps(
        (
            event.id, _date_row(event.date), _date_row(event.end), event.title, event.summary,
            event.actors, event.location, event.tags, event.kind, event.sources,
            _tag(dict(event.extra)) if event.extra else None, event.start, event.stop,
            event.line,
        )
    )  # fmt: skip


def decode_event(data: bytes) -> Event:
    """The event back from its bytes."""
    (ident, date, end, title, summary, actors, location, tags, kind, sources, extra,
     start, stop, line) = marshal.loads(data)  # fmt: skip
    return Event(
        ident, _date_from(date), title, _date_from(end), summary, actors,  # type: ignore[arg-type]
        location, tags, kind, sources, _untag(extra) if extra else {},
        start, stop, line,
    )  # fmt: skip


def _encode_actor(actor: Actor) -> bytes:
    return marshal.dumps(
        (actor.name, actor.aliases, actor.role, actor.note, _tag(dict(actor.extra)))
    )


def _decode_actor(key: str, data: bytes) -> Actor:
    name, aliases, role, note, extra = marshal.loads(data)
    return Actor(key, name, tuple(aliases), role, note, _untag(extra))


# -- building ----------------------------------------------------------------------------

_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value);
CREATE TABLE actors (key TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE events (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, start INTEGER NOT NULL,
    precision INTEGER NOT NULL, stop INTEGER NOT NULL, kind TEXT NOT NULL,
    location TEXT NOT NULL, haystack TEXT NOT NULL, data BLOB NOT NULL
);
CREATE TABLE event_actors (n INTEGER NOT NULL, actor TEXT NOT NULL);
CREATE TABLE event_tags (n INTEGER NOT NULL, tag TEXT NOT NULL);
"""
_INDEXES = """
CREATE INDEX events_order ON events (start, precision, stop, id);
CREATE INDEX event_actors_actor ON event_actors (actor, n);
CREATE INDEX event_actors_n ON event_actors (n);
CREATE INDEX event_tags_tag ON event_tags (tag, n);
"""


def _rows(
    registry: Registry, events: Iterable[Event], first: int
) -> Iterator[tuple[tuple[Any, ...], list[tuple[int, str]], list[tuple[int, str]]]]:
    folded: dict[str, str] = {}  # kinds, places, tags and names repeat: fold each once

    def short(text: str) -> str:
        value = folded.get(text)
        if value is None:
            value = folded[text] = fold(text)
        return value

    for n, event in enumerate(events, start=first):
        names = [short(registry.display(a)) + "\n" + short(a) for a in event.actors]
        names += [short(s) for a in event.actors for s in registry.aliases_of(a)]
        haystack = "\n".join(
            [fold(event.title), fold(event.summary or ""), short(event.location or ""), *names]
        )
        row = (
            n, event.id, event.start, int(event.date.precision), event.stop,
            short(event.kind or ""), short(event.location or ""), haystack, encode_event(event),
        )  # fmt: skip
        yield row, [(n, a) for a in event.actors], [(n, short(t)) for t in event.tags]


def _insert(
    db: sqlite3.Connection, chronology: Chronology, events: Sequence[Event], first: int
) -> None:
    rows, actors, tags = [], [], []
    for row, event_actors, event_tags in _rows(chronology.registry, events, first):
        rows.append(row)
        actors += event_actors
        tags += event_tags
    db.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?)", rows)
    db.executemany("INSERT INTO event_actors VALUES (?,?)", actors)
    db.executemany("INSERT INTO event_tags VALUES (?,?)", tags)
    if _has_fts(db):
        db.executemany(
            "INSERT INTO search (rowid, haystack) VALUES (?, ?)", [(r[0], r[7]) for r in rows]
        )


def _has_fts(db: sqlite3.Connection) -> bool:
    found = db.execute("SELECT value FROM meta WHERE key = 'fts'").fetchone()
    return bool(found and found[0])


def _meta(fp: Fingerprint, chronology: Chronology, newlines: int | None) -> list[tuple[str, Any]]:
    return [
        ("format", FORMAT),
        ("size", fp.size),
        ("mtime_ns", fp.mtime_ns),
        ("inode", fp.inode),
        ("digest", fp.digest),
        ("timezone", chronology.timezone),
        ("path", chronology.path),
        ("appendable", int(newlines is not None)),
        ("newlines", newlines or 0),
        ("free_text", marshal.dumps(tuple(_free_text(chronology)))),
    ]


def _free_text(chronology: Chronology) -> list[str]:
    registry = chronology.registry
    return list(dict.fromkeys(a for e in chronology.events for a in e.actors if a not in registry))


def build(
    log: Path, folder: Path, fp: Fingerprint, chronology: Chronology, newlines: int | None
) -> bool:
    """Write a fresh index for the log's current bytes; False (never an error) on failure.

    ``newlines`` counts the line breaks in those bytes when an ``[[events]]`` table can
    simply be appended to them (every event was written as one), else it is None.

    The index is written to a temporary file and renamed into place, so readers and
    concurrent builders only ever see a whole index.
    """
    target = index_path(log, folder)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        # The index holds the log's text: only its owner may read it, as a private log.
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.executescript(_TABLES)
            fts = True
            try:
                db.execute(
                    "CREATE VIRTUAL TABLE search USING fts5(haystack, content='', "
                    "tokenize='trigram')"
                )
            except sqlite3.Error:
                fts = False
            db.execute("BEGIN")
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [*_meta(fp, chronology, newlines), ("fts", int(fts))],
            )
            db.executemany(
                "INSERT INTO actors VALUES (?, ?)",
                [(a.key, _encode_actor(a)) for a in chronology.registry.actors.values()],
            )
            _insert(db, chronology, chronology.events, 1)
            db.execute("COMMIT")
            db.executescript(_INDEXES)
            db.execute(f"PRAGMA user_version = {SCHEMA}")
        finally:
            db.close()
        os.replace(tmp, target)
    except Exception:  # the index is an optimisation, never a failure
        if os.environ.get("CHRONO_DEBUG_INDEX"):
            raise
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False
    return True


# -- reading -----------------------------------------------------------------------------


class Index:
    """A valid index of one log: answers queries without parsing the TOML."""

    def __init__(self, db: sqlite3.Connection, log: Path) -> None:
        self.db = db
        self.log = log
        meta = dict(db.execute("SELECT key, value FROM meta"))
        self.meta = meta
        self.timezone = str(meta["timezone"])
        self.registry = Registry(
            _decode_actor(k, d)
            for k, d in db.execute("SELECT key, data FROM actors ORDER BY rowid")
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
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
                db.close()
                return None
            meta = dict(db.execute("SELECT key, value FROM meta"))
            if meta.get("format") != FORMAT:
                db.close()
                return None
            stat = (meta.get("size"), meta.get("mtime_ns"), meta.get("inode"))
            found = None
            if isinstance(fp, Hashing):
                st = os.stat(log)
                if stat != (st.st_size, st.st_mtime_ns, st.st_ino):
                    db.close()
                    return None
                found = cls(db, log)  # read while the content is still being hashed
                if later:
                    return found
                fp = fp.result()
            if (*stat, meta.get("digest")) != tuple(fp):
                db.close()
                return None
            return found or cls(db, log)
        except Exception:
            if db is not None:
                db.close()
            return None

    def built_from(self, fp: Fingerprint) -> bool:
        """Whether the index was built from the bytes with this fingerprint."""
        meta = self.meta
        return (meta.get("size"), meta.get("mtime_ns"), meta.get("inode"), meta.get("digest")) == (
            fp.size, fp.mtime_ns, fp.inode, fp.digest,
        )  # fmt: skip

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def chronology(self, events: Sequence[Event] = ()) -> Chronology:
        """A chronology with the index's settings and registry, holding ``events``."""
        return Chronology(
            str(self.meta["path"]), self.timezone, self.tz, self.registry, tuple(events)
        )

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
        rows = self.db.execute("SELECT data FROM events ORDER BY start, precision, stop, id")
        return [decode_event(data) for (data,) in rows]

    def select(self, query: Query, want_events: bool = True) -> Selection:
        """The same selection :func:`chrono.query.select` makes, answered by SQL."""
        where: list[str] = []
        params: list[Any] = []
        if query.start is not None:
            where.append("stop > ?")
            params.append(query.start)
        if query.stop is not None:
            where.append("start < ?")
            params.append(query.stop)
        groups = [list(dict.fromkeys(g)) for g in query.actors]
        if groups:
            parts = []
            for group in groups:
                marks = ",".join("?" * len(group))
                parts.append(f"n IN (SELECT n FROM event_actors WHERE actor IN ({marks}))")
                params.extend(group)
            where.append("(" + (" OR " if query.any_actor else " AND ").join(parts) + ")")
        for tag in dict.fromkeys(fold(t) for t in query.tags):
            where.append("n IN (SELECT n FROM event_tags WHERE tag = ?)")
            params.append(tag)
        kinds = list(dict.fromkeys(fold(k) for k in query.kinds))
        if kinds:
            where.append(f"kind IN ({','.join('?' * len(kinds))})")
            params.extend(kinds)
        for place in query.locations:
            where.append("instr(location, ?) > 0")
            params.append(fold(place))
        for needle in search_terms(query.search) if query.search else ():
            if self.fts and len(needle) >= 3:
                where.append("n IN (SELECT rowid FROM search WHERE search MATCH ?)")
                params.append('"' + needle.replace('"', '""') + '"')
            where.append("instr(haystack, ?) > 0")
            params.append(needle)
        sql = "SELECT n, id FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY start, precision, stop, id"
        rows = self.db.execute(sql, params).fetchall()
        numbers = (
            {ident: i for i, (_, ident) in enumerate(rows, start=1)} if len(groups) >= 2 else {}
        )
        total = len(rows)
        if query.limit is not None:
            rows = rows[-query.limit :] if query.limit > 0 else []
        if query.reverse:
            rows.reverse()
        if want_events:
            events = tuple(self.events([n for n, _ in rows]))
        else:
            events = tuple(_IdOnly(ident) for _, ident in rows)  # type: ignore[misc]
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
        """Previous and next events sharing an actor, as :func:`chrono.query.neighbours`."""
        if not event.actors:
            return None, None
        marks = ",".join("?" * len(event.actors))
        shared = f"n IN (SELECT n FROM event_actors WHERE actor IN ({marks}))"
        key = (event.start, int(event.date.precision), event.stop, event.id)
        found = []
        for op, order in (("<", "DESC"), (">", "ASC")):
            row = self.db.execute(
                f"SELECT data FROM events WHERE {shared} AND (start, precision, stop, id) {op} "
                f"(?, ?, ?, ?) ORDER BY start {order}, precision {order}, stop {order}, "
                f"id {order} LIMIT 1",
                [*event.actors, *key],
            ).fetchone()
            found.append(decode_event(row[0]) if row else None)
        return found[0], found[1]

    def starting(self, start: int, stop: int) -> list[Event]:
        """The events dated to the day or finer that start in ``[start, stop)``, in order."""
        rows = self.db.execute(
            "SELECT data FROM events WHERE start >= ? AND start < ? AND precision >= ? "
            "ORDER BY start, precision, stop, id",
            (start, stop, int(Precision.DAY)),
        )
        return [decode_event(data) for (data,) in rows]

    def has_id(self, event_id: str) -> int | None:
        """The line of the event with this id, or None."""
        row = self.db.execute("SELECT data FROM events WHERE id = ?", (event_id,)).fetchone()
        return decode_event(row[0]).line if row else None


class _IdOnly(NamedTuple):
    """Stands for an event when only its id is printed (``--format ids``)."""

    id: str


def append(
    log: Path,
    folder: Path,
    old: Fingerprint,
    new: Fingerprint,
    chronology: Chronology,
    event: Event,
    lines: int,
) -> bool:
    """Add one event, appended in ``lines`` new line breaks, to a valid index in place.

    False when it cannot.
    """
    target = index_path(log, folder)
    try:
        db = sqlite3.connect(target, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            meta = dict(db.execute("SELECT key, value FROM meta"))
            if (meta.get("size"), meta.get("mtime_ns"), meta.get("inode"), meta.get("digest")) != (
                old.size, old.mtime_ns, old.inode, old.digest,
            ):  # fmt: skip
                db.execute("ROLLBACK")
                return False
            first = db.execute("SELECT coalesce(max(n), 0) + 1 FROM events").fetchone()[0]
            _insert(db, chronology, [event], first)
            free = list(marshal.loads(meta["free_text"]))
            free += [a for a in event.actors if a not in chronology.registry and a not in free]
            db.execute(
                "UPDATE meta SET value = ? WHERE key = 'free_text'",
                (marshal.dumps(tuple(free)),),
            )
            db.executemany(
                "UPDATE meta SET value = ? WHERE key = ?",
                [(new.size, "size"), (new.mtime_ns, "mtime_ns"), (new.inode, "inode"),
                 (new.digest, "digest"), (int(meta["newlines"]) + lines, "newlines")],
            )  # fmt: skip
            db.execute("COMMIT")
        finally:
            db.close()
    except Exception:
        return False
    return True


def clear(folder: Path, log: Path | None = None) -> list[Path]:
    """Delete the index of one log, or every index in ``folder``; returns what was deleted."""
    targets = [index_path(log, folder)] if log is not None else sorted(folder.glob("*.sqlite"))
    removed = []
    for target in targets:
        try:
            target.unlink()
            removed.append(target)
        except FileNotFoundError:
            pass
    return removed
