"""Whether an index is intact: what was sealed when it was written, checked as it is read.

SQLite keeps no checksum of what its pages hold, so an index damaged on disk, cut short,
or edited by hand can still open and answer wrongly. What the index was written with is
therefore sealed, and each part is checked when it is read:

- on every open: the file's ``application_id`` and ``user_version``; a hash of its
  schema (every table and index); a hash of the ``meta`` table (the log's fingerprint,
  zone, counts, ...); and each table's row count, which must be the one sealed;
- a lookup by id: the rows with that id and those whose ``slot`` (a CRC of the id
  written) is the id's, so a row whose id was changed is still found, and seen;
- every event row read: a CRC of its place in the order (``n``, id, start, precision,
  stop: ``key_check``, kept in the covering index, so ``--format ids`` stays an index
  scan) and, when it is decoded, a CRC of its bytes (``data_check``), checked before
  :mod:`marshal` ever sees them, and the decoded event must agree with its row;
- every actor row (all are read on open): a CRC of its key and bytes;
- the rows of ``event_actors`` and ``event_tags`` a query's actors or tags select: their
  count and the sum of their event numbers, per actor or tag, must be those written in
  ``link_sums``, so a link row lost, added or changed is seen even in an answer that
  decodes no event (``--format ids``); and every event decoded must pass the query's
  filters.

What fails any check raises :class:`Damaged` (as does any error SQLite raises); the
reader then answers from the log and the index is rebuilt.
"""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from chrono.storage.index.codec import Shifts, decode_event
from chrono.storage.index.schema import LINKS

if TYPE_CHECKING:
    from chrono.core.model import Event


class Damaged(Exception):
    """The index is not as it was written: answer from the log, and rebuild it."""


def key_check(n: object, ident: object, start: object, precision: object, stop: object) -> int:
    """The CRC of an event row's place in the order (types included: ``1`` is not ``'1'``)."""
    return zlib.crc32(f"{n!r}\x1f{ident!r}\x1f{start!r}\x1f{precision!r}\x1f{stop!r}".encode())


def slot(ident: str) -> int:
    """Where a lookup by id finds an event's row even if its id column was changed: a CRC
    of the id as written, in a column of its own (the row's ``key_check`` then tells)."""
    return zlib.crc32(ident.encode()) & 0xFFFFF


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


def checked_event(row: tuple[Any, ...], shifts: Shifts = ()) -> Event:
    """The event of a row of :data:`~.schema.ROW`, checked to be as written (its bytes by
    their CRC, and its place by the event they hold); its line moved by ``shifts``."""
    event = decode_event(checked_blob(row[6], row[7]), shifts)
    if (event.id, event.start, int(event.date.precision), event.stop) != row[1:5]:
        raise Damaged(f"event row {row[0]!r} holds another event")
    return event


def sum_links(db: sqlite3.Connection) -> None:
    """Write ``link_sums`` for every actor and tag."""
    for link, table in LINKS.items():
        db.execute(
            f"INSERT INTO link_sums SELECT '{link}', {link}, count(*), sum(n) "
            f"FROM {table} GROUP BY {link}"
        )


def add_links(db: sqlite3.Connection, n: int, links: Iterable[tuple[str, str]]) -> int:
    """Count event ``n``'s new link rows, each a (link, value), into ``link_sums`` (on from
    what was written, as :func:`counts_after`); how many new actors or tags it has."""
    links = list(links)
    new = db.executemany("INSERT OR IGNORE INTO link_sums VALUES (?, ?, 0, 0)", links).rowcount
    db.executemany(
        "UPDATE link_sums SET rows = rows + 1, total = total + ? WHERE link = ? AND value = ?",
        [(n, link, value) for link, value in links],
    )
    return max(new, 0)


def remove_links(db: sqlite3.Connection, n: int, links: Iterable[tuple[str, str]]) -> None:
    """Count event ``n``'s link rows, each a (link, value), out of ``link_sums``; a value no
    row links any more goes (as a build would not write it)."""
    links = list(links)
    db.executemany(
        "UPDATE link_sums SET rows = rows - 1, total = total - ? WHERE link = ? AND value = ?",
        [(n, link, value) for link, value in links],
    )
    db.executemany(
        "DELETE FROM link_sums WHERE link = ? AND value = ? AND rows = 0", sorted(set(links))
    )


def checked_links(db: sqlite3.Connection, link: str, values: Sequence[str]) -> None:
    """Raise :class:`Damaged` unless the link rows of these actors (or tags) are as written."""
    marks = ",".join("?" * len(values))
    found = db.execute(
        f"SELECT {link}, count(*), sum(n) FROM {LINKS[link]} WHERE {link} IN ({marks}) "
        f"GROUP BY {link}",
        values,
    )
    written = db.execute(
        f"SELECT value, rows, total FROM link_sums WHERE link = ? AND value IN ({marks})",
        [link, *values],
    )
    if sorted(found) != sorted(written):
        raise Damaged(f"the {link} rows are not as written")


_COUNTED = ("events", "actors", "event_actors", "event_tags", "link_sums")


def _counted(fts: bool) -> str:
    parts = [f"(SELECT count(*) FROM {t})" for t in (*_COUNTED, *(["search_docsize"] * fts))]
    return "SELECT " + ", ".join([*parts, "(SELECT coalesce(max(n), 0) FROM events)"])


def counts_of(db: sqlite3.Connection, fts: bool) -> str:
    """Each table's row count (and the last event's number), as sealed in ``meta``."""
    return " ".join(map(str, db.execute(_counted(fts)).fetchone()))


def counts_after(counts: str, fts: bool, added: Mapping[str, int]) -> str:
    """The sealed ``counts`` once ``added`` rows (by table) and one event are appended.

    Counted on from what was sealed, not from the file, so that damage the append did
    not look for stays as visible as it was."""
    numbers = [int(c) for c in counts.split()]
    tables = [*_COUNTED, *(["search_docsize"] * fts)]
    for i, table in enumerate(tables):
        numbers[i] += added.get(table, 0)
    numbers[-1] += 1
    return " ".join(map(str, numbers))


def schema_of(db: sqlite3.Connection) -> str:
    """A hash of every table, index and trigger the file declares."""
    rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
    return hashlib.sha1(repr(rows.fetchall()).encode(), usedforsecurity=False).hexdigest()


def seal_of(meta: Mapping[str, Any]) -> str:
    """A hash of every ``meta`` row but the seal itself."""
    rows = sorted((k, v) for k, v in meta.items() if k != "seal")
    return hashlib.sha1(repr(rows).encode(), usedforsecurity=False).hexdigest()


def verify(db: sqlite3.Connection, meta: Mapping[str, Any], *, counted: bool = True) -> None:
    """Raise :class:`Damaged` unless ``meta``, the schema and (if ``counted``) every
    table's row count are those sealed when the index was written (or appended to)."""
    if meta.get("seal") != seal_of(meta):
        raise Damaged("the meta table is not as written")
    if meta.get("schema") != schema_of(db):
        raise Damaged("the schema is not as written")
    if counted and meta.get("counts") != counts_of(db, bool(meta.get("fts"))):
        raise Damaged("rows are missing or added")
