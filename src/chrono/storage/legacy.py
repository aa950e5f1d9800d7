"""The append API of chrono's first versions, ``store.append(path, prepare, cache)``, kept for
its callers: ``prepare`` turns a book into an :class:`Addition` of raw tables, which are
built into model objects and written as one transaction. New code uses
:mod:`chrono.storage.transaction` directly.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from chrono.core.actors import Actor
from chrono.core.errors import WriteError
from chrono.core.model import Chronology, Event, build
from chrono.storage import writer
from chrono.storage.fingerprint import Hashing
from chrono.storage.indexing import CacheSettings
from chrono.storage.positions import LazyPositions
from chrono.storage.transaction import Book, Transaction

__all__ = ["Addition", "Appended", "Book", "append"]


class Addition(NamedTuple):
    """What to append: one event's fields, and any new ``[actors.<key>]`` tables."""

    event: dict[str, Any]
    actors: dict[str, dict[str, Any]]  # key -> fields of a new [actors.<key>] table


class Appended(NamedTuple):
    """The outcome of an append: the text added, and the log as it now is."""

    text: str
    chronology: Chronology
    event_id: str


def append(
    path: Path,
    prepare: Callable[[Book], Addition],
    cache: CacheSettings,
    *,
    dry_run: bool = False,
    hashing: Hashing | None = None,
) -> Appended:
    """Append the event ``prepare`` makes of the log (it may be asked twice: see Stale)."""
    from chrono.storage import transaction  # noqa: PLC0415

    with transaction.begin(path, cache, hashing=hashing) as tx:
        try:
            return _append(tx, prepare, dry_run)
        except transaction.Stale:
            return _append(tx, prepare, dry_run)


def _append(tx: Transaction, prepare: Callable[[Book], Addition], dry_run: bool) -> Appended:
    from chrono.storage.edits import Append  # noqa: PLC0415

    book = tx.book
    addition = prepare(book)
    event, actors = _model(addition, book, tx.shown)
    done = tx.commit([Append((event,), actors)], dry_run=dry_run)
    return Appended(done.text, done.chronology, event.id)


def _model(addition: Addition, book: Book, shown: str) -> tuple[Event, tuple[Actor, ...]]:
    """The model objects of raw tables, which must be exactly what the writer writes."""
    tables = {a.key: writer.actor_fields(a) for a in book.registry.actors.values()}
    doc = {"actors": tables | addition.actors, "events": [addition.event]}
    built, diagnostics = build(doc, shown, LazyPositions(""), lint=False)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors or len(built.events) != 1:
        message = errors[0].message if errors else "the event did not build"
        raise WriteError(f"{shown}: {message} (in the event to add); nothing written")
    event = built.events[0]
    actors = tuple(built.registry.actors[key] for key in addition.actors)
    if writer.event_fields(event) != addition.event or any(
        writer.actor_fields(a) != addition.actors[a.key] for a in actors
    ):
        raise WriteError(
            f"{shown}: the appended text would not read back as the event given; nothing written"
        )
    return event, actors
