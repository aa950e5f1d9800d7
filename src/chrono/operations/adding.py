"""Adding one event to the log: everything ``chrono add`` does once its options are parsed.

Resolve the actors, mint the id, refuse an end before the start, build the
:class:`~chrono.core.model.Event` (and the :class:`~chrono.core.actors.Actor` of each
name ``--register`` adds), note likely duplicates of the same day, and write it all as one
transaction (:mod:`chrono.storage.transaction`). The result is plain data for the command
line to print.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from chrono.core.errors import UsageError

if TYPE_CHECKING:
    from chrono.core.actors import Actor, Registry
    from chrono.core.dates import PartialDate
    from chrono.core.datetext import Period
    from chrono.core.model import Chronology, Event
    from chrono.core.view import LogView
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


class Typed(NamedTuple):
    """An event as the user typed it (options, or answers at the prompts), not yet read."""

    title: str | None
    date: str | None
    end: str | None = None
    actors: tuple[str, ...] = ()
    location: str | None = None
    tags: tuple[str, ...] = ()
    kind: str | None = None
    summary: str | None = None
    sources: tuple[str, ...] = ()
    accepted: frozenset[str] = frozenset()  # unknown names kept as new when asked


class ActorError(UsageError):
    """A name given for an actor that cannot be stored: unknown, ambiguous or empty."""

    def __init__(self, reason: str, *, unknown: bool = False, several: bool = False) -> None:
        it = "them" if several else "it"
        advice = (
            f" (--new-actor adds {it} as free text; with --register, to the registry too)"
            if unknown
            else ""
        )
        super().__init__(f"--actor: {reason}{advice}")
        self.reason = reason  # what is wrong with the name, without the option's advice
        self.unknown = unknown  # the registry does not know it: it may be kept as a new one


class Added(NamedTuple):
    """What was added (or with ``dry_run`` would be): for the command line to print."""

    event_id: str
    text: str  # the TOML appended, with LF line endings
    chronology: Chronology  # holds at least the new event
    event: Event  # as stored, with its line
    warnings: list[str]
    became: list[str]  # what each typed actor name became
    path: Path
    note: str | None  # what finishing a change a crash interrupted did, if anything


def request(
    typed: Typed,
    today: dt.date,
    *,
    event_id: str | None = None,
    new_actor: bool = False,
    register: bool = False,
) -> Request:
    """The request for what was typed, once the title, the dates and the options are checked."""
    title, date, end = typed.title, typed.date, typed.end
    if title is None:
        raise UsageError('a title is required: chrono add "Title" --date DATE ...')
    if not title.strip():
        raise UsageError("the title is empty")
    if "\n" in title or "\r" in title:
        raise UsageError("the title must be one line (put details in --summary)")
    _refuse_control_characters(typed)
    if event_id is not None:
        from chrono.core.fields import refuse_control_characters  # noqa: PLC0415

        refuse_control_characters(("--id", (event_id,)))
    if date is None:
        raise UsageError("--date is required (for example --date today or --date 2026-01)")
    if register and not new_actor:
        raise UsageError("--register goes with --new-actor")
    when = typed_date("--date", date, today)  # a period typed (Q2 2026) spans the event
    until = typed_date("--end", end, today) if end is not None else when
    return Request(
        title,
        when.first,
        until.last if end is not None or when.first != when.last else None,
        actors=typed.actors,
        location=typed.location,
        tags=typed.tags,
        kind=typed.kind,
        summary=typed.summary,
        sources=typed.sources,
        event_id=event_id,
        new_actor=new_actor,
        register=register,
        accepted=typed.accepted,
    )


def _refuse_control_characters(typed: Typed) -> None:
    """A control character in any text typed is a usage error naming the option."""
    from chrono.core.fields import refuse_control_characters  # noqa: PLC0415

    refuse_control_characters(
        ("title", (typed.title or "",)), ("--summary", (typed.summary or "",)),
        ("--location", (typed.location or "",)), ("--kind", (typed.kind or "",)),
        ("--actor", typed.actors), ("--tag", typed.tags), ("--source", typed.sources),
    )  # fmt: skip


def typed_date(option: str, text: str, today: dt.date) -> Period:
    """A date as typed for ``option``, or the named period it spans (``Sommer 2026``); a
    date error names the option."""
    from chrono.core.datetext import parse_bounds  # noqa: PLC0415
    from chrono.core.errors import DateError  # noqa: PLC0415

    try:
        return parse_bounds(text, today)
    except DateError as exc:
        raise DateError(f"{option}: {exc}") from None


def check_end(date: str, end: str, today: dt.date, tz: dt.tzinfo) -> None:
    """Refuse an end, as typed, that is before the date (both already read as dates)."""
    from chrono.core.dates import ends_before  # noqa: PLC0415
    from chrono.core.datetext import parse_bounds  # noqa: PLC0415

    first, last = parse_bounds(date, today).first, parse_bounds(end, today).last
    if ends_before(last, first, tz):
        raise UsageError(f"{last.isoformat()} is before {first.isoformat()}")


def open_for_adding(path: Path, cache: CacheSettings) -> LogView:
    """The log an event is about to be added to, read to check answers as they are typed.

    A pipe, a directory or a missing file, and a broken log, are said at once.
    """
    from chrono.operations.reading import open_source  # noqa: PLC0415
    from chrono.storage import store  # noqa: PLC0415

    store.check_appendable(path)
    return open_source(path, cache)


ATTEMPTS = 20  # plans of one add while other programs keep writing the log


def add(
    path: Path,
    request: Request,
    cache: CacheSettings,
    *,
    dry_run: bool = False,
    hashing: Hashing | None = None,
) -> Added:
    """Add the event as one transaction; ``hashing``, the log's hash under way, is cancelled.

    When another program writes the log meanwhile (``>>``, an editor saving its copy), the
    event is planned again on the log as it now is, up to :data:`ATTEMPTS` times; an event
    that went to a file renamed over meanwhile is not added twice when the new file has it.
    """
    from chrono.storage import transaction  # noqa: PLC0415

    with transaction.begin(path, cache, hashing=hashing) as tx:
        replaced: tuple[Event, list[Actor]] | None = None  # written to a file renamed over
        for attempt in range(1, ATTEMPTS + 1):
            book = tx.book
            if replaced is not None and _holds(book, replaced[0]):
                return _already(path, tx, book, *replaced)
            event, cast, warnings = _plan(book, request)
            actors = cast.actors
            edit = transaction.Append(events=(event,), actors=tuple(actors))
            try:
                done = tx.commit([edit], dry_run=dry_run)
            except transaction.Stale as exc:  # the log changed meanwhile: plan again
                if attempt == ATTEMPTS:
                    raise
                replaced = (event, actors) if isinstance(exc, transaction.Replaced) else None
                continue
            stored = done.chronology.get(event.id)
            assert stored is not None
            said = (warnings, cast.became)
            return Added(event.id, done.text, done.chronology, stored, *said, path, tx.note)
    raise AssertionError("unreachable")  # pragma: no cover


def _holds(book: Book, event: Event) -> bool:
    """Whether the log holds ``event`` exactly (an editor's copy taken after it was written)."""
    from chrono.storage import writer  # noqa: PLC0415

    found = book.get(event.id)
    return found is not None and writer.event_fields(found) == writer.event_fields(event)


def _already(path: Path, tx: Transaction, book: Book, event: Event, actors: list[Actor]) -> Added:
    """The event the log already holds, as if added now."""
    from chrono.core.model import Chronology  # noqa: PLC0415
    from chrono.storage import writer  # noqa: PLC0415

    assert isinstance(book, Chronology)  # planned again: the log parsed afresh
    stored = book.get(event.id)
    assert stored is not None
    text = writer.tables_text(actors, [event])
    return Added(event.id, text, book, stored, [], [], path, tx.note)


def _plan(book: Book, request: Request) -> tuple[Event, Cast, list[str]]:
    """The event to add, its actors (with the new tables to register), and the warnings:
    look-alike events, sources that are broken URLs."""
    from chrono.core.dates import ends_before  # noqa: PLC0415
    from chrono.core.lint import odd_source  # noqa: PLC0415
    from chrono.core.model import Event  # noqa: PLC0415

    tz = book.tz
    start_date, end_date = request.date, request.end
    if end_date is not None and ends_before(end_date, start_date, tz):
        raise UsageError(f"--end {end_date.isoformat()} is before --date {start_date.isoformat()}")
    cast = actors_for_add(
        book.registry, list(request.actors), request.new_actor, request.register, request.accepted
    )
    new_id = _new_id(book, request)
    event = Event(
        new_id,
        start_date,
        request.title,
        end_date,
        summary=request.summary or None,
        actors=tuple(cast.keys),
        location=request.location or None,
        tags=tuple(request.tags),
        kind=request.kind or None,
        sources=tuple(request.sources),
        start=start_date.start(tz),
        stop=(end_date or start_date).stop(tz),
    )
    odd = [problem for source in request.sources if (problem := odd_source(source))]
    return event, cast, look_for_duplicates(book, event) + odd


def _new_id(book: Book, request: Request) -> str:
    """The --id given, if free and well-formed, else one derived from the date and title."""
    from chrono.core.actors import romanise  # noqa: PLC0415
    from chrono.core.ids import ID_PATTERN, derive_id, first_free  # noqa: PLC0415

    event_id = request.event_id
    if event_id is not None:
        line = book.line_of(event_id)
        if line is not None:
            raise UsageError(f"--id: {event_id!r} is already used by the event at line {line}")
        if not ID_PATTERN.fullmatch(event_id):
            raise UsageError("--id: must be non-empty and contain no spaces")
        return event_id
    base = derive_id(request.date, romanise(request.title))  # a Cyrillic title, readable
    return first_free(base, _Taken(book))


class _Taken:
    """The ids the log already has, as a container (``id in taken``)."""

    def __init__(self, book: Book) -> None:
        self.book = book

    def __contains__(self, event_id: object) -> bool:
        return isinstance(event_id, str) and self.book.line_of(event_id) is not None


def look_for_duplicates(book: Book, new: Event) -> list[str]:
    """Events of the same day that the new one looks like (it is added all the same)."""
    from chrono.core.lint import day_window, duplicate_reason  # noqa: PLC0415

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


class Cast(NamedTuple):
    """The actors of an event to add: their keys, the new registry tables, and what
    each typed name became (one line each, for the user)."""

    keys: list[str]
    actors: list[Actor]
    became: list[str]


def actors_for_add(
    registry: Registry,
    names: list[str],
    new_actor: bool,
    register: bool,
    accepted: frozenset[str] = frozenset(),
) -> Cast:
    """Registry keys for the names given, the actors --register adds, and what each became.

    A name the registry does not know is refused unless ``new_actor`` is set or it is one
    of the ``accepted`` names (kept as new when asked); every such name is named at once.
    """
    from chrono.core.actors import Actor, romanise  # noqa: PLC0415
    from chrono.core.ids import first_free, slugify  # noqa: PLC0415

    keys: list[str] = []
    tables: dict[str, Actor] = {}
    became: list[str] = []
    unknown: list[str] = []
    for name in names:
        found = registry.resolve(name) or registry.match(name)
        if len(found) > 1:
            listed = ", ".join(f"{k} ({registry.display(k)})" for k in found)
            raise ActorError(f"{name!r} could be any of {listed}; give the key")
        if found:
            key = found[0]
            became.append(f"{name!r} is {registry.display(key)} ({key})")
        elif not name.strip():
            raise ActorError("empty name")
        elif not new_actor and name.strip() not in accepted:
            unknown.append(name)
            continue
        elif register:
            key = next((k for k, a in tables.items() if a.name == name.strip()), "") or first_free(
                slugify(romanise(name), max_words=4), registry, tables
            )  # a name typed twice is one new actor
            tables[key] = Actor(key, name.strip())
            became.append(f"{name!r} is new in the registry, as {key!r}")
        else:
            key = name.strip()
            became.append(f"{name!r} is kept as free text (it is not in the registry)")
        if key not in keys:
            keys.append(key)
    if unknown:
        raise ActorError(_unknown(registry, unknown), unknown=True, several=len(unknown) > 1)
    return Cast(keys, list(tables.values()), became)


def _unknown(registry: Registry, names: list[str]) -> str:
    """Every unknown name, each with the actors it may have meant."""
    from chrono.core.text import did_you_mean  # noqa: PLC0415

    def meant(name: str) -> str:
        return did_you_mean((registry.display(k), k) for k in registry.suggest(name))

    if len(names) == 1:
        return f"{names[0]!r} is not in the registry" + meant(names[0])
    listed = [f"{name!r}" + (f" ({meant(name)[2:]})" if meant(name) else "") for name in names]
    return f"{len(names)} names are not in the registry: " + ", ".join(listed)


__all__ = [
    "ActorError",
    "Added",
    "Cast",
    "Request",
    "Typed",
    "actors_for_add",
    "add",
    "check_end",
    "open_for_adding",
    "request",
    "typed_date",
]
