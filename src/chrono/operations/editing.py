"""Correcting the record: some fields of an event changed (``chrono set``), events removed
(``chrono rm``), each as one transaction that rewrites only the bytes of the change.

An event is named by its id or a unique prefix of one (as ``chrono show`` takes it); the
change is planned on the log as the transaction reads it under the lock, and planned again
when another program wrote the log meanwhile.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from chrono.core.errors import UsageError

if TYPE_CHECKING:
    from chrono.core.model import Event
    from chrono.storage.edits import Edit
    from chrono.storage.indexing import CacheSettings
    from chrono.storage.transaction import Book, Committed

ATTEMPTS = 20  # plans of one change while other programs keep writing the log


class Amendments(NamedTuple):
    """The fields ``chrono set`` changes, as typed; None or empty: left as it is."""

    title: str | None = None
    date: str | None = None
    end: str | None = None
    no_end: bool = False
    summary: str | None = None  # "" removes the field
    location: str | None = None
    kind: str | None = None
    add_actors: tuple[str, ...] = ()
    remove_actors: tuple[str, ...] = ()
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    add_sources: tuple[str, ...] = ()
    remove_sources: tuple[str, ...] = ()
    new_actor: bool = False  # names the registry does not know are kept as free text


class Changed(NamedTuple):
    """What a change did (or with ``dry_run`` would do), for the command line to show."""

    path: Path
    events: list[tuple[Event | None, Event | None]]  # (before, after); None: added or gone
    fields: list[dict[str, tuple[Any, Any]]]  # per event: field -> (old value, new value)
    removed: list[str]  # the text of each table removed, as it was in the file
    before: bytes
    after: bytes
    notes: list[str]  # what each actor name became, warnings
    note: str | None  # what finishing a change a crash interrupted did, if anything
    # per actor: its key, "changed" or "removed", and field -> (old, new) when changed
    actors: list[tuple[str, str, dict[str, tuple[Any, Any]]]] = []  # noqa: RUF012 - never changed


def named(book: Book, event_id: str) -> Event:
    """The event ``event_id`` names (an id or a unique prefix) in the log as the transaction
    reads it; a usage error with a did-you-mean, or the candidates, when it names none."""
    from chrono.operations.showing import find_event  # noqa: PLC0415

    return find_event(book, event_id)


def set_fields(
    path: Path,
    event_id: str,
    asked: Amendments,
    cache: CacheSettings,
    today: dt.date,
    *,
    dry_run: bool = False,
) -> Changed:
    """Change the fields ``asked`` names of one event, every other byte of the log kept;
    when the event already reads so, nothing is written (and nothing is said changed)."""
    if asked == Amendments(new_actor=asked.new_actor):
        raise UsageError("name a field to change (--title, --date, --add-tag ...; see --help)")

    def planned(book: Book) -> tuple[list[Edit], list[str]]:
        from chrono.storage.edits import Amend  # noqa: PLC0415
        from chrono.storage.writer import event_fields  # noqa: PLC0415

        old = named(book, event_id)
        new, notes = _amended(book, old, asked, today)
        before, after = event_fields(old), event_fields(new)
        values = {k: after.get(k) for k in {**before, **after} if before.get(k) != after.get(k)}
        return ([Amend(old, new, values)] if values else []), notes

    return changing(path, cache, planned, dry_run)


def remove(
    path: Path, event_ids: list[str], cache: CacheSettings, *, dry_run: bool = False
) -> Changed:
    """Remove the events named, each with the comments that belong to it."""
    if not event_ids:
        raise UsageError("name at least one event to remove")

    def planned(book: Book) -> tuple[list[Edit], list[str]]:
        from chrono.storage.edits import Remove  # noqa: PLC0415

        events = {(one := named(book, event_id)).id: one for event_id in event_ids}
        return [Remove(event) for event in events.values()], []

    return changing(path, cache, planned, dry_run)


def changing(
    path: Path,
    cache: CacheSettings,
    planned: Callable[[Book], tuple[list[Edit], list[str]]],
    dry_run: bool,
) -> Changed:
    """Plan the edits on the log as the transaction reads it, commit them, and say what
    changed; planned again when the log changed meanwhile."""
    from chrono.storage import transaction  # noqa: PLC0415
    from chrono.storage.fingerprint import take_early  # noqa: PLC0415

    hashing = take_early(Path(os.path.realpath(path)))  # begun by the command line, if at all
    with transaction.begin(path, cache, hashing=hashing) as tx:
        for attempt in range(1, ATTEMPTS + 1):
            edits, notes = planned(tx.book)
            if not edits:  # the event already reads so
                return Changed(path, [], [], [], b"", b"", notes, tx.note)
            try:
                done = tx.commit(edits, dry_run=dry_run)
            except transaction.Stale:
                if attempt == ATTEMPTS:
                    raise
                continue
            return said(path, edits, done, notes, tx.note)
    raise AssertionError("unreachable")  # pragma: no cover


def said(
    path: Path, edits: list[Edit], done: Committed, notes: list[str], note: str | None
) -> Changed:
    """What ``edits``, committed as ``done``, did: for :class:`Changed`."""
    from chrono.core.actors import Actor  # noqa: PLC0415
    from chrono.storage.edits import Amend, Remove  # noqa: PLC0415
    from chrono.storage.spans import find_span, span_at  # noqa: PLC0415
    from chrono.storage.writer import actor_fields, event_fields  # noqa: PLC0415

    events: list[tuple[Event | None, Event | None]] = []
    fields: list[dict[str, tuple[Any, Any]]] = []
    removed: list[str] = []
    actors: list[tuple[str, str, dict[str, tuple[Any, Any]]]] = []
    for edit in edits:
        old = edit.old if isinstance(edit, Amend | Remove) else None
        if isinstance(edit, Amend) and isinstance(old, Actor):
            new = edit.new
            assert isinstance(new, Actor)
            before, after = actor_fields(old), actor_fields(new)
            changed = {k: (before.get(k), after.get(k)) for k in edit.values}
            if new.key != old.key:
                changed = {"key": (old.key, new.key), **changed}
            actors.append((old.key, "changed", changed))
        elif isinstance(edit, Amend):
            events.append((edit.old, done.chronology.get(edit.new.id)))  # type: ignore[arg-type,union-attr]
            before, after = event_fields(edit.old), event_fields(edit.new)  # type: ignore[arg-type]
            fields.append({k: (before.get(k), after.get(k)) for k in edit.values})
        elif isinstance(edit, Remove):
            if isinstance(old, Actor):
                actors.append((old.key, "removed", {}))
                span = find_span(done.before, ("actors", old.key))
            else:
                events.append((edit.old, None))  # type: ignore[arg-type]
                fields.append({})
                if done.removed:  # through the index: the plan kept each table's text
                    removed.append(done.removed[len(removed)])
                    continue
                span = span_at(done.before, edit.old.line)  # type: ignore[union-attr]
            assert span is not None  # the plan found it there
            removed.append(done.before[span.start : span.body_end].decode("utf-8"))
    return Changed(path, events, fields, removed, done.before, done.after, notes, note, actors)


def _amended(book: Book, old: Event, asked: Amendments, today: dt.date) -> tuple[Event, list[str]]:
    """The event with the fields asked changed, checked as ``add`` checks what it is given."""
    from chrono.core.dates import ends_before  # noqa: PLC0415
    from chrono.core.fields import refuse_control_characters  # noqa: PLC0415
    from chrono.operations.adding import typed_date  # noqa: PLC0415

    refuse_control_characters(
        ("--title", (asked.title or "",)), ("--summary", (asked.summary or "",)),
        ("--location", (asked.location or "",)), ("--kind", (asked.kind or "",)),
        ("--add-actor", asked.add_actors), ("--add-tag", asked.add_tags),
        ("--add-source", asked.add_sources),
    )  # fmt: skip
    changes: dict[str, Any] = {}
    if asked.title is not None:
        if not asked.title.strip() or "\n" in asked.title or "\r" in asked.title:
            raise UsageError("--title: must be one line, not empty")
        changes["title"] = asked.title
    date, end = old.date, old.end
    if asked.date is not None:  # a period typed (Q2 2026) spans the event, as at add
        when = typed_date("--date", asked.date, today)
        date, end = when.first, (when.last if when.first != when.last else end)
    if asked.end is not None:
        end = typed_date("--end", asked.end, today).last
    if asked.no_end:
        if asked.end is not None:
            raise UsageError("--end and --no-end say opposite things; give one")
        end = None
    if end is not None and ends_before(end, date, book.tz):
        raise UsageError(f"--end {end.isoformat()} is before --date {date.isoformat()}")
    for name in ("summary", "location", "kind"):
        value = getattr(asked, name)
        if value is not None:
            changes[name] = value or None
    notes: list[str] = []
    actors = _actors(book, old, asked, notes)
    tags = _listed("tag", old.tags, asked.add_tags, asked.remove_tags)
    sources = _listed("source", old.sources, asked.add_sources, asked.remove_sources)
    tz = book.tz
    new = dataclasses.replace(
        old, date=date, end=end, actors=actors, tags=tags, sources=sources,
        start=date.start(tz), stop=(end or date).stop(tz), **changes,
    )  # fmt: skip
    from chrono.core.lint import odd_source  # noqa: PLC0415

    notes += [f"warning: {odd}" for s in asked.add_sources if (odd := odd_source(s))]
    return new, notes


def _actors(book: Book, old: Event, asked: Amendments, notes: list[str]) -> tuple[str, ...]:
    """The event's actors with those asked added and removed (each name resolved as ``add``
    resolves it, and said)."""
    from chrono.operations.adding import ActorError, actors_for_add  # noqa: PLC0415

    registry = book.registry
    actors = list(old.actors)
    if asked.add_actors:
        try:
            cast = actors_for_add(registry, list(asked.add_actors), asked.new_actor, False)
        except ActorError as exc:
            advice = " (--new-actor keeps it as free text)" if exc.unknown else ""
            raise UsageError(f"--add-actor: {exc.reason}{advice}") from None
        notes += [f"actor {became}" for became in cast.became]
        actors += [key for key in cast.keys if key not in actors]
    for name in asked.remove_actors:
        keys = [k for k in registry.match(name, actors) if k in actors] or (
            [name] if name in actors else []
        )
        if not keys:
            raise UsageError(f"--remove-actor: {name!r} is not an actor of {old.id!r}")
        actors = [k for k in actors if k not in keys]
    return tuple(actors)


def _listed(
    what: str, values: tuple[str, ...], added: tuple[str, ...], removed: tuple[str, ...]
) -> tuple[str, ...]:
    """``values`` with ``added`` (not already there) and without ``removed`` (which must be)."""
    result = list(values)
    result += [value for value in dict.fromkeys(added) if value not in result]
    for value in removed:
        if value not in result:
            raise UsageError(f"--remove-{what}: {value!r} is not one of the event's {what}s")
        result.remove(value)
    return tuple(result)


__all__ = ["Amendments", "Changed", "changing", "named", "remove", "said", "set_fields"]
