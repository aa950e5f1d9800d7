"""Changing a valid index in place: one event appended (``chrono add``), or events changed
and removed (``chrono set``, ``rm``, ``edit`` through the index, :mod:`chrono.storage.fastchange`).

Either is one SQLite transaction on an index built from exactly the log's bytes before the
change (else nothing is done and False said: the index is then rebuilt). A change of events
deletes their rows, their link rows and their search entries, and writes the new ones under
the same row numbers; the row counts are taken afresh (after the sealed ones were checked).

A change that makes a table longer or shorter moves every table after it: rather than
rewriting those rows, the index keeps the *line shifts* (``meta.shifts``: after which line,
by how many lines), and each row the epoch it was written in (how many shifts there were),
so that a row read moves its line by the shifts written since (:func:`.codec.shifted_line`).
Past :data:`COMPACT` shifts the index asks to be rebuilt once the command has answered;
past :data:`MOST_SHIFTS` it is no longer changed in place.
"""

from __future__ import annotations

import contextlib
import marshal
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from chrono.core.actors import fold
from chrono.core.model import Chronology, Event
from chrono.storage.fingerprint import Fingerprint
from chrono.storage.index import seal, trust
from chrono.storage.index.building import has_fts, insert, reseal
from chrono.storage.index.codec import Shifts, decode_names, decode_shifts
from chrono.storage.index.schema import built_from, index_path

COMPACT = 64  # shifts after which the index is rebuilt once the command has answered
MOST_SHIFTS = 256  # shifts after which the index is no longer changed in place


@contextlib.contextmanager
def _writing(log: Path, folder: Path, old: Fingerprint) -> Iterator[tuple[Any, dict[str, Any]]]:
    """The index of ``log`` open in a write transaction, with its ``meta``, when it is the
    user's own and was built from the bytes of ``old``; else ``(None, {})``. Committed when
    the block ends normally."""
    target = index_path(log, folder)
    opened = trust.open_private(target) if trust.check_folder(folder) else None
    if opened is None:
        yield None, {}
        return
    db = sqlite3.connect(f"file:{target}?mode=rw", uri=True, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if not built_from(meta, old) or not trust.same_file(target, opened):
            db.execute("ROLLBACK")
            yield None, {}
            return
        yield db, meta
        db.execute("COMMIT")
    finally:
        db.close()


def _stat(new: Fingerprint) -> dict[str, Any]:
    return {"size": new.size, "mtime_ns": new.mtime_ns, "inode": new.inode, "digest": new.digest}


def _links(event: Event) -> list[tuple[str, str]]:
    return [*(("actor", a) for a in event.actors), *(("tag", fold(t)) for t in event.tags)]


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
    try:
        with _writing(log, folder, old) as (db, meta):
            if db is None:
                return False
            # Counted on from what was sealed: damage stays as visible as it was.
            seal.verify(db, meta, counted=False)
            first = int(meta["counts"].split()[-1]) + 1
            insert(db, chronology, [event], first, len(decode_shifts(meta["shifts"])))
            added = {
                "events": 1, "event_actors": len(event.actors), "event_tags": len(event.tags),
                "link_sums": seal.add_links(db, first, _links(event)), "search_docsize": 1,
            }  # fmt: skip
            free = decode_names(meta["free_text"])
            free += [a for a in event.actors if a not in chronology.registry and a not in free]
            changed = {
                "free_text": marshal.dumps(tuple(free)), **_stat(new),
                "newlines": int(meta["newlines"]) + lines,
            }  # fmt: skip
            reseal(db, meta, changed, seal.counts_after(meta["counts"], has_fts(db), added))
    except Exception:
        return False
    return True


def change(
    log: Path,
    folder: Path,
    old: Fingerprint,
    new: Fingerprint,
    chronology: Chronology,
    changed: Sequence[tuple[Event, Event | None]],
    shifts: Shifts,
) -> int | None:
    """Write each ``(old event, new event)`` of ``changed`` into a valid index in place (a
    new event None: removed), the new events' lines as the new bytes have them, and the
    line ``shifts`` the change made; how many shifts the index holds now, or None when it
    could not be changed (it is then rebuilt)."""
    try:
        with _writing(log, folder, old) as (db, meta):
            if db is None:
                return None
            seal.verify(db, meta)  # every count as sealed: they are counted afresh after
            held = decode_shifts(meta["shifts"]) + tuple(shifts)
            if len(held) > MOST_SHIFTS:
                raise _Full
            fts = has_fts(db)
            free = decode_names(meta["free_text"])
            maybe_gone: set[str] = set()
            numbers = []
            for was, _ in changed:  # every old row first: the change may swap two ids
                n, actors = _delete(db, was.id, fts)
                maybe_gone.update(a for a in actors if a not in chronology.registry)
                numbers.append(n)
            for n, (_, now) in zip(numbers, changed, strict=True):
                if now is not None:
                    insert(db, chronology, [now], n, len(held))
                    seal.add_links(db, n, _links(now))
                    free += [a for a in now.actors if a not in chronology.registry]
            gone = {a for a in maybe_gone if not _named(db, a)}
            free = [a for a in dict.fromkeys(free) if a not in gone]
            lines = sum(by for _, by in shifts)
            written = {"free_text": marshal.dumps(tuple(free)), **_stat(new),
                       "shifts": marshal.dumps(held)}  # fmt: skip
            if int(meta["appendable"]):
                written["newlines"] = int(meta["newlines"]) + lines
            reseal(db, meta, written, seal.counts_of(db, fts))
    except Exception:
        return None
    return len(held)


class _Full(Exception):
    """The index holds as many line shifts as it may: it is rebuilt instead."""


def _named(db: sqlite3.Connection, actor: str) -> bool:
    """Whether any event still names ``actor``."""
    found = db.execute("SELECT 1 FROM event_actors WHERE actor = ? LIMIT 1", (actor,))
    return found.fetchone() is not None


def _delete(db: sqlite3.Connection, event_id: str, fts: bool) -> tuple[int, list[str]]:
    """Delete the row of ``event_id``, its link rows (counted out of ``link_sums``) and its
    search entry; its row number, and the actors it named."""
    found = db.execute("SELECT n, haystack FROM events WHERE id = ?", (event_id,)).fetchone()
    if found is None:
        raise seal.Damaged(f"no row for the event {event_id!r}")
    n, hay = found
    actors = [a for (a,) in db.execute("SELECT actor FROM event_actors WHERE n = ?", (n,))]
    links = [("actor", a) for a in actors]
    links += [("tag", t) for (t,) in db.execute("SELECT tag FROM event_tags WHERE n = ?", (n,))]
    seal.remove_links(db, n, links)
    db.execute("DELETE FROM event_actors WHERE n = ?", (n,))
    db.execute("DELETE FROM event_tags WHERE n = ?", (n,))
    db.execute("DELETE FROM events WHERE n = ?", (n,))
    if fts:  # a contentless table forgets a row given exactly what it was given
        db.execute("INSERT INTO search (search, rowid, haystack) VALUES ('delete', ?, ?)", (n, hay))
    return int(n), actors


__all__ = ["COMPACT", "MOST_SHIFTS", "append", "change"]
