"""Appending one event without parsing the log: the index stands in for the old text.

Used by :meth:`chrono.storage.transaction.Transaction.commit` when the book came from an
index built from exactly the log's bytes (same size, mtime, inode and SHA-1), and that
index knows every event was written as an ``[[events]]`` table, so the old text is valid
TOML to which an ``[[events]]`` table can be appended. The new table is parsed on its own
and validated against the registry; the index is then updated in place. Anything else
(actors to register, several events, a replacement) is left to the careful path.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from chrono.core.errors import WriteError
from chrono.core.validate import build
from chrono.storage import files, store, writer
from chrono.storage.edits import Append, Edit
from chrono.storage.fingerprint import Fingerprint
from chrono.storage.positions import LazyPositions

if TYPE_CHECKING:
    from chrono.storage.transaction import Committed, Transaction, _IndexBook


def append(
    tx: Transaction, book: _IndexBook, edits: Sequence[Edit], dry_run: bool
) -> Committed | None:
    """Append through the index; None when the careful path should take the change."""
    from chrono.storage.transaction import Committed, Stale  # noqa: PLC0415

    found = book.found
    if len(edits) != 1 or not isinstance(edits[0], Append):
        return None
    if edits[0].actors or len(edits[0].events) != 1 or not int(found.meta.get("appendable", 0)):
        return None  # registering actors: let the careful path check the whole file
    fp, digest, head, tail, read_as = book.hashed
    if len(head) < fp.size and (b"\n" not in head or head.isspace()):
        return None  # a first line longer than a chunk: let the careful path read it all
    shown = tx.shown
    given = edits[0].events[0]
    text = writer.event_text(given)
    added = writer.to_append(head, tail, text)
    block = files.parse_toml(text, shown)
    if block != {"events": [writer.event_fields(given)]}:
        raise _unread(shown)
    tables = {a.key: writer.actor_fields(a) for a in found.registry.actors.values()}
    mini = {"chrono": {"timezone": found.timezone}, "actors": tables, "events": block["events"]}
    built, diagnostics = build(mini, shown, LazyPositions(text), lint=False)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors or len(built.events) != 1:
        message = errors[0].message if errors else "the event did not build"
        raise WriteError(f"{shown}: {message} (in the event to add); nothing written")
    if writer.event_fields(built.events[0]) != writer.event_fields(given):
        raise _unread(shown)
    line = int(found.meta["newlines"]) + added.count("\n") - text.count("\n") + 1
    event = replace(built.events[0], line=line)
    chronology = found.chronology([event])
    if dry_run:
        return Committed(text, chronology)
    if store.stat_of(tx.real, shown) != read_as:
        raise tx.changed(Stale)  # written to while the event was planned: plan again
    encoded = added.encode("utf-8")
    from chrono.storage import index, journal  # noqa: PLC0415

    journal.append_bytes(tx.real, fp.size, encoded, shown)
    with contextlib.suppress(Exception):  # a stale index is rebuilt on the next query
        digest.update(encoded)
        st = tx.real.stat()
        new_fp = Fingerprint(st.st_size, st.st_mtime_ns, st.st_ino, digest.hexdigest())
        index.append(tx.path, tx.cache.folder, fp, new_fp, chronology, event, added.count("\n"))
    tx.reread()
    return Committed(text, chronology)


def _unread(shown: str) -> WriteError:
    return WriteError(
        f"{shown}: the appended text would not read back as the event given; nothing written"
    )
