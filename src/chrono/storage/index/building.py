"""Writing the index: a whole build from a parsed log, or deletion (changes in place:
:mod:`.updating`)."""

from __future__ import annotations

import contextlib
import marshal
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from chrono.core.actors import Registry, fold
from chrono.core.model import Chronology, Event
from chrono.core.query import free_text_actors, haystack, memo, search_words
from chrono.storage.fingerprint import Fingerprint
from chrono.storage.index import leftovers, seal, trust
from chrono.storage.index.codec import encode_actor, encode_event
from chrono.storage.index.schema import (
    APPLICATION_ID,
    FORMAT,
    INDEXES,
    SCHEMA,
    SEARCH,
    TABLES,
    index_path,
)

Row = tuple[tuple[Any, ...], list[tuple[int, str]], list[tuple[int, str]]]


def _rows(registry: Registry, events: Iterable[Event], first: int, epoch: int = 0) -> Iterator[Row]:
    """Each event's row, its (n, actor) and its (n, folded tag) rows, numbered from ``first``."""
    short = memo(fold)  # kinds, places, tags and names repeat: fold each once
    words = memo(search_words)  # and read each once as a search reads it
    for n, event in enumerate(events, start=first):
        precision, data = int(event.date.precision), encode_event(event, epoch)
        row = (
            n, event.id, event.start, precision, event.stop,
            short(event.kind or ""), short(event.location or ""),
            haystack(event, registry, words), data,
            seal.key_check(n, event.id, event.start, precision, event.stop), seal.blob_check(data),
            seal.slot(event.id),
        )  # fmt: skip
        yield row, [(n, a) for a in event.actors], [(n, short(t)) for t in event.tags]


def insert(
    db: sqlite3.Connection,
    chronology: Chronology,
    events: Sequence[Event],
    first: int,
    epoch: int = 0,
) -> None:
    rows, actors, tags = [], [], []
    for row, event_actors, event_tags in _rows(chronology.registry, events, first, epoch):
        rows.append(row)
        actors += event_actors
        tags += event_tags
    db.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.executemany("INSERT INTO event_actors VALUES (?,?)", actors)
    db.executemany("INSERT INTO event_tags VALUES (?,?)", tags)
    if has_fts(db):
        db.executemany(
            "INSERT INTO search (rowid, haystack) VALUES (?, ?)", [(r[0], r[7]) for r in rows]
        )


def has_fts(db: sqlite3.Connection) -> bool:
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
        ("free_text", marshal.dumps(tuple(free_text_actors(chronology)))),
        ("shifts", marshal.dumps(())),
    ]


def _actor_rows(chronology: Chronology) -> list[tuple[str, bytes, int]]:
    rows = []
    for actor in chronology.registry.actors.values():
        data = encode_actor(actor)
        rows.append((actor.key, data, seal.blob_check(data, actor.key)))
    return rows


def build(
    log: Path,
    folder: Path,
    fp: Fingerprint,
    chronology: Chronology,
    newlines: int | None,
    *,
    strict: bool = False,
) -> bool:
    """Write a fresh index for the log's current bytes; False (never an error) on failure.

    ``newlines`` counts the line breaks in those bytes when an ``[[events]]`` table can
    simply be appended to them (every event was written as one), else it is None.
    ``strict`` raises what went wrong instead (to debug the index).

    The index is written to a temporary file and renamed into place, so readers and
    concurrent builders only ever see a whole index; not when the log was written meanwhile
    (it would be stale, and may replace an index changed in place for the new bytes).
    """
    target = index_path(log, folder)
    tmp = leftovers.temporary(target)
    try:
        # The index holds the log's text: only its owner may read it, as a private log.
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        trust.check_folder(target.parent)  # never write where others may (trust.Untrusted)
        tmp.unlink(missing_ok=True)
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            _fill(db, fp, chronology, newlines)
        finally:
            db.close()
        leftovers.settle(target)  # a crashed writer's journal must not roll back into ours
        st = os.stat(log)
        if (st.st_size, st.st_mtime_ns, st.st_ino) != (fp.size, fp.mtime_ns, fp.inode):
            raise _Gone  # written meanwhile: never over an index changed in place since
        os.replace(tmp, target)
    except Exception:  # the index is an optimisation, never a failure
        if strict:
            raise
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False
    return True


class _Gone(Exception):
    """The log is no longer the bytes the index was built from."""


def _fill(
    db: sqlite3.Connection, fp: Fingerprint, chronology: Chronology, newlines: int | None
) -> None:
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.executescript(TABLES)
    fts = True
    try:
        db.execute(SEARCH)
    except sqlite3.Error:  # an SQLite without FTS5 trigrams: the haystack column serves
        fts = False
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)", [*_meta(fp, chronology, newlines), ("fts", int(fts))]
    )
    db.executemany("INSERT INTO actors VALUES (?, ?, ?)", _actor_rows(chronology))
    insert(db, chronology, chronology.events, 1)
    db.execute("COMMIT")
    db.executescript(INDEXES)
    db.execute("BEGIN")
    seal.sum_links(db)
    meta = dict(db.execute("SELECT key, value FROM meta"))
    reseal(db, meta, {"schema": seal.schema_of(db)}, seal.counts_of(db, fts))
    db.execute("COMMIT")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {SCHEMA}")


def reseal(
    db: sqlite3.Connection, meta: dict[str, Any], changed: dict[str, Any], counts: str
) -> None:
    """Write ``changed`` and the row ``counts`` into ``meta``, and seal it."""
    meta.update(changed, counts=counts)
    meta["seal"] = seal.seal_of(meta)
    db.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)",
        [(k, meta[k]) for k in (*changed, "counts", "seal")],
    )


def clear(folder: Path, log: Path | None = None) -> tuple[list[Path], list[Path]]:
    """Delete the index of one log, or every index in ``folder``, and what SQLite and killed
    builders left beside it; returns the indexes deleted, and the other files deleted."""
    targets = [index_path(log, folder)] if log is not None else leftovers.indexes(folder)
    removed = []
    for target in targets:
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
            removed.append(target)
    return removed, leftovers.remove(folder, None if log is None else targets[0].name)
