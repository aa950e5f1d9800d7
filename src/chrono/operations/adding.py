"""Adding one event to the log: everything ``chrono add`` does once its options are parsed.

Resolve the actors, mint the id, refuse an end before the start, build the
:class:`~chrono.core.model.Event` (and the :class:`~chrono.core.actors.Actor` of each
name ``--register`` adds), note likely duplicates of the same day, and write it all as one
transaction (:mod:`chrono.storage.transaction`). The result is plain data for the command
line to print.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from chrono.core.errors import UsageError

if TYPE_CHECKING:
    from chrono.core.actors import Actor, Registry
    from chrono.core.dates import PartialDate
    from chrono.core.model import Chronology, Event
    from chrono.storage.fingerprint import Hashing
    from chrono.storage.indexing import CacheSettings
    from chrono.storage.transaction import Book, Transaction


class Request(NamedTuple):
    """The event asked for, as the options gave it."""

    title: str
    date: PartialDate
    end: PartialDate | None = None
    actors: tuple[str, ...] = ()  # keys, names or aliases as typed
    location: str | None = None
    tags: tuple[str, ...] = ()
    kind: str | None = None
    summary: str | None = None
    sources: tuple[str, ...] = ()
    event_id: str | None = None  # --id; None: derived from the date and title
    new_actor: bool = False  # names the registry does not know are kept as free text
    register: bool = False  # ... and added to the registry
    accepted: frozenset[str] = frozenset()  # unknown names kept as new when asked


class Added(NamedTuple):
    """What was added (or with ``dry_run`` would be): for the command line to print."""

    event_id: str
    text: str  # the TOML appended, with LF line endings
    chronology: Chronology  # holds at least the new event
    event: Event  # as stored, with its line
    warnings: list[str]
    path: Path
    note: str | None  # what finishing a change a crash interrupted did, if anything


def finish_interrupted(path: Path) -> str | None:
    """Finish a change a crash interrupted, if any; the note to print (say it before adding)."""
    from chrono.storage.journal import settle  # noqa: PLC0415

    return settle(path, announce=False)


def add(
    path: Path,
    request: Request,
    cache: CacheSettings,
    *,
    dry_run: bool = False,
    hashing: Hashing | None = None,
) -> Added:
    """Add the event as one transaction; ``hashing``, the log's hash under way, is cancelled."""
    from chrono.storage import transaction  # noqa: PLC0415

    with transaction.begin(path, cache, hashing=hashing) as tx:
        try:
            return _add(path, tx, request, dry_run)
        except transaction.Stale:  # the log changed while planned on the index
            return _add(path, tx, request, dry_run)


def _add(path: Path, tx: Transaction, request: Request, dry_run: bool) -> Added:
    from chrono.core.model import Event  # noqa: PLC0415
    from chrono.storage.edits import Append  # noqa: PLC0415

    book = tx.book
    tz = book.tz
    start_date, end_date = request.date, request.end
    if end_date is not None and end_date.stop(tz) <= start_date.start(tz):
        raise UsageError(f"--end {end_date.isoformat()} is before --date {start_date.isoformat()}")
    keys, actors = actors_for_add(
        book.registry, list(request.actors), request.new_actor, request.register, request.accepted
    )
    new_id = _new_id(book, request)
    event = Event(
        new_id,
        start_date,
        request.title,
        end_date,
        summary=request.summary or None,
        actors=tuple(keys),
        location=request.location or None,
        tags=tuple(request.tags),
        kind=request.kind or None,
        sources=tuple(request.sources),
        start=start_date.start(tz),
        stop=(end_date or start_date).stop(tz),
    )
    warnings = look_for_duplicates(book, event)
    done = tx.commit([Append(events=(event,), actors=tuple(actors))], dry_run=dry_run)
    stored = done.chronology.get(new_id)
    assert stored is not None
    return Added(new_id, done.text, done.chronology, stored, warnings, path, tx.note)


def _new_id(book: Book, request: Request) -> str:
    """The --id given, if free and well-formed, else one derived from the date and title."""
    from chrono.core.actors import romanise  # noqa: PLC0415
    from chrono.core.model import derive_id  # noqa: PLC0415

    event_id = request.event_id
    if event_id is not None:
        line = book.line_of(event_id)
        if line is not None:
            raise UsageError(f"--id: {event_id!r} is already used by the event at line {line}")
        if not event_id.strip() or any(c.isspace() for c in event_id):
            raise UsageError("--id: must be non-empty and contain no spaces")
        return event_id
    base = derive_id(request.date, romanise(request.title))  # a Cyrillic title, readable
    new_id, n = base, 1
    while book.line_of(new_id) is not None:
        n += 1
        new_id = f"{base}-{n}"
    return new_id


def look_for_duplicates(book: Book, new: Event) -> list[str]:
    """Events of the same day that the new one looks like (it is added all the same)."""
    from chrono.core.model import day_window, duplicate_reason  # noqa: PLC0415

    tz = book.tz
    warnings = []
    window = day_window(new, tz)
    for other in book.starting(*window) if window else ():
        why = duplicate_reason(new, other, tz)
        if why:
            warnings.append(
                f"{new.id!r} looks like a duplicate of {other.id!r} (line {other.line}): "
                f"same day, {why}"
            )
    return warnings


def actors_for_add(
    registry: Registry,
    names: list[str],
    new_actor: bool,
    register: bool,
    accepted: frozenset[str] = frozenset(),
) -> tuple[list[str], list[Actor]]:
    """Registry keys for the names given, and the actors --register adds.

    A name the registry does not know is refused unless ``new_actor`` is set or it is one
    of the ``accepted`` names (kept as new when asked).
    """
    from chrono.core.actors import Actor, romanise  # noqa: PLC0415
    from chrono.core.model import ACTOR_KEY, slugify  # noqa: PLC0415

    keys: list[str] = []
    tables: dict[str, Actor] = {}
    for name in names:
        found = registry.resolve(name) or registry.match(name)
        if len(found) > 1:
            listed = ", ".join(f"{k} ({registry.display(k)})" for k in found)
            raise UsageError(f"--actor: {name!r} could be any of {listed}; give the key")
        if found:
            key = found[0]
        elif not name.strip():
            raise UsageError("--actor: empty name")
        elif not new_actor and name.strip() not in accepted:
            raise UsageError(_unknown(registry, name))
        elif register:
            base = slugify(romanise(name), max_words=4)
            key, n = base, 1
            while key in registry or key in tables or not ACTOR_KEY.fullmatch(key):
                n += 1
                key = f"{base}-{n}"
            tables[key] = Actor(key, name.strip())
        else:
            key = name.strip()
        if key not in keys:
            keys.append(key)
    return keys, list(tables.values())


def _unknown(registry: Registry, name: str) -> str:
    message = f"--actor: {name!r} is not in the registry"
    suggestions = registry.suggest(name)
    if suggestions:
        message += (
            "; did you mean "
            + " or ".join(f"{registry.display(k)!r} ({k})" for k in suggestions)
            + "?"
        )
    return message + " (--new-actor adds it as free text; with --register, to the registry too)"


__all__ = ["Added", "Request", "actors_for_add", "add", "finish_interrupted"]
