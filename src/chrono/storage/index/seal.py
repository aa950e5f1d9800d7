"""Whether an index is intact: what was sealed when it was written, checked as it is read.

SQLite keeps no checksum of what its pages hold, so an index damaged on disk, cut short,
or edited by hand can still open and answer wrongly. What the index was written with is
therefore sealed, and each part is checked when it is read:

- on every open: the file's ``application_id`` and ``user_version``; a hash of its
  schema (every table and index); a hash of the ``meta`` table (the log's fingerprint,
  zone, counts, ...); and each table's row count, which must be the one sealed;
- every event row read: a CRC of its place in the order (``n``, id, start, precision,
  stop: ``key_check``, kept in the covering index, so ``--format ids`` stays an index
  scan) and, when it is decoded, a CRC of its bytes (``data_check``), checked before
  :mod:`marshal` ever sees them, and the decoded event must agree with its row;
- every actor row (all are read on open): a CRC of its key and bytes.

What fails any check raises :class:`Damaged` (as does any error SQLite raises); the
reader then answers from the log and the index is rebuilt.
"""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from chrono.storage.index.codec import decode_event

if TYPE_CHECKING:
    from chrono.core.model import Event


class Damaged(Exception):
    """The index is not as it was written: answer from the log, and rebuild it."""


def key_check(n: object, ident: object, start: object, precision: object, stop: object) -> int:
    """The CRC of an event row's place in the order (types included: ``1`` is not ``'1'``)."""
    return zlib.crc32(f"{n!r}\x1f{ident!r}\x1f{start!r}\x1f{precision!r}\x1f{stop!r}".encode())


def blob_check(data: bytes, key: str = "") -> int:
    """The CRC of a row's bytes (and of an actor's key)."""
    return zlib.crc32(data, zlib.crc32(key.encode())) if key else zlib.crc32(data)


def checked_key(row: tuple[Any, ...]) -> None:
    """Raise :class:`Damaged` unless ``row`` (:data:`~.schema.KEY` first) is as written."""
    if key_check(*row[:5]) != row[5]:
        raise Damaged(f"event row {row[0]!r} is not as written")


def checked_blob(data: object, check: object, key: str = "") -> bytes:
    """The bytes of a row, if they are as written; else :class:`Damaged`."""
    if type(data) is not bytes or blob_check(data, key) != check:
        raise Damaged("a row's bytes are not as written")
    return data


def checked_keys(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows of :data:`~.schema.KEY`, each checked to be as written."""
    found = list(rows)
    for row in found:
        checked_key(row)
    return found


def checked_event(row: tuple[Any, ...]) -> Event:
    """The event of a row of :data:`~.schema.ROW`, checked to be as written."""
    checked_key(row)
    event = decode_event(checked_blob(row[6], row[7]))
    if (event.id, event.start, int(event.date.precision), event.stop) != row[1:5]:
        raise Damaged(f"event row {row[0]!r} holds another event")
    return event


def _counted(fts: bool) -> str:
    tables = ["events", "actors", "event_actors", "event_tags"] + (
        ["search_docsize"] if fts else []
    )
    parts = [f"(SELECT count(*) FROM {t})" for t in tables]
    return "SELECT " + ", ".join([*parts, "(SELECT coalesce(max(n), 0) FROM events)"])


def counts_of(db: sqlite3.Connection, fts: bool) -> str:
    """Each table's row count (and the last event's number), as sealed in ``meta``."""
    return " ".join(map(str, db.execute(_counted(fts)).fetchone()))


def schema_of(db: sqlite3.Connection) -> str:
    """A hash of every table, index and trigger the file declares."""
    rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
    return hashlib.sha1(repr(rows.fetchall()).encode(), usedforsecurity=False).hexdigest()


def seal_of(meta: Mapping[str, Any]) -> str:
    """A hash of every ``meta`` row but the seal itself."""
    rows = sorted((k, v) for k, v in meta.items() if k != "seal")
    return hashlib.sha1(repr(rows).encode(), usedforsecurity=False).hexdigest()


def verify(db: sqlite3.Connection, meta: Mapping[str, Any]) -> None:
    """Raise :class:`Damaged` unless ``meta``, the schema and every table's row count are
    those sealed when the index was written (or last appended to)."""
    if meta.get("seal") != seal_of(meta):
        raise Damaged("the meta table is not as written")
    if meta.get("schema") != schema_of(db):
        raise Damaged("the schema is not as written")
    if meta.get("counts") != counts_of(db, bool(meta.get("fts"))):
        raise Damaged("rows are missing or added")
