"""A batch of drafts planned against the log: each one an :class:`Event` as ``add`` would
make it, or a problem of its row, or an event the log already holds (skipped).

- **Actors** resolve through the registry exactly as ``add`` resolves them (spelling
  variants, transliteration); a name it does not know is free text, or with ``register``
  a new registry table (one per name across the batch). Each distinct name is resolved
  once, and what it became is said once.
- **Ids** are the file's own when it gives them and they are free, else derived as
  ``add`` derives them, unique across the log and the batch.
- **Duplicates**: an event the log already holds is skipped (the same id, given by the
  file; the same date and title; or, dated to the day, what ``check`` calls a duplicate:
  a similar title, or the same actors and kind); ``keep_duplicates`` keeps them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from chrono.core.actors import Actor, Registry, fold, romanise
from chrono.core.dates import PartialDate, Precision, ends_before
from chrono.core.errors import UsageError
from chrono.core.fields import control_characters, holds_control
from chrono.core.ids import ID_PATTERN, FreeIds, derive_id
from chrono.core.lint import FUZZY_WINDOW, duplicate_reason, local_day
from chrono.core.model import Event
from chrono.importers import Batch, Draft, Problem

if TYPE_CHECKING:
    from chrono.storage.transaction import Book

STEP = 2000  # drafts planned between two reports of progress
WINDOW = FUZZY_WINDOW  # events of a day a new one's title is compared with


class Skipped(NamedTuple):
    """An event of the file the log already holds."""

    where: str
    title: str
    reason: str  # "the same id as 'x' (line 3)", ...


class Planned(NamedTuple):
    """The events to append (in time order), the registry tables to add, and the rest."""

    events: list[Event]
    actors: tuple[Actor, ...]
    skipped: list[Skipped]
    problems: list[Problem]
    became: list[str]
    notes: list[str]


def plan(
    book: Book,
    batch: Batch,
    register: bool,
    keep_duplicates: bool,
    progress: Callable[[str, int, int], None] | None = None,
) -> Planned:
    """Every draft of ``batch`` as an event of ``book``, a skipped duplicate, or a problem."""
    notes: list[str] = []
    added, registry, renamed = _registry(book.registry, batch.actors, notes)
    cast = _Cast(registry, register, renamed)
    held = _Held(book) if book.ids() else None
    ids = set(held.ids) if held is not None else set()
    free = FreeIds(ids)
    events: list[Event] = []
    skipped: list[Skipped] = []
    problems: list[Problem] = []
    total = len(batch.drafts)
    taken: list[str] = []  # the file's ids the log has for other events
    pinned = _source_zone(batch.timezone, book.tz)
    for n, given_draft in enumerate(batch.drafts):
        draft = given_draft if pinned is None else _pinned(given_draft, pinned)
        if progress is not None and n % STEP == 0:
            progress("planning", n, total)
        given = draft.event_id

        def minted(title: str, given: str | None = given, date: PartialDate = draft.date) -> str:
            """The file's id when it is free, else one derived as add derives it."""
            if given is not None and given not in ids:
                return given
            if given is not None:
                taken.append(given)
            return free.mint(derive_id(date, romanise(title)))

        try:  # with no event in the log, none can be a duplicate: the id is minted at once
            event = _event(draft, book.tz, cast, None if held is not None else minted)
        except _Bad as bad:
            problems.append(Problem(draft.where, bad.message))
            continue
        if held is not None:
            same = held.same(event, given)
            if same is not None and not keep_duplicates:
                skipped.append(Skipped(draft.where, draft.title, same))
                continue
            event = _with_id(event, minted(event.title))
        ids.add(event.id)
        events.append(event)
    events.sort(key=lambda e: e.sort_key)
    if taken:
        notes.append(f"{len(taken)} of the file's ids the log has for other events "
                     f"(first {taken[0]!r}): imported under ids of their own")  # fmt: skip
    return Planned(events, (*added, *cast.new.values()), skipped, problems, cast.became, notes)


def _source_zone(name: str | None, tz: dt.tzinfo) -> dt.tzinfo | None:
    """The zone the file's times without an offset were written in, when it is not the
    log's (chrono's JSON says it): they are then given their offset, so none moves."""
    from chrono.core.dates import load_timezone  # noqa: PLC0415

    zone = load_timezone(name) if name else None
    return zone if zone is not None and zone != tz else None


def _pinned(draft: Draft, zone: dt.tzinfo) -> Draft:
    """The draft with each time of day written without an offset given its offset in ``zone``."""

    def pin(date: PartialDate | None) -> PartialDate | None:
        if date is None or date.precision < Precision.MINUTE or date.offset is not None:
            return date
        wall = dt.datetime(date.year, date.month, date.day, date.hour, date.minute, date.second)
        offset = zone.utcoffset(wall)
        return date if offset is None else replace(date, offset=int(offset.total_seconds()))

    start = pin(draft.date)
    assert start is not None
    return draft._replace(date=start, end=pin(draft.end))


class _Bad(Exception):  # one draft that is no event, said as a Problem
    def __init__(self, message: str) -> None:
        self.message = message


def _registry(
    registry: Registry, given: Sequence[Actor], notes: list[str]
) -> tuple[list[Actor], Registry, dict[str, str]]:
    """The file's registry tables the log lacks (one whose spellings name an actor of the
    log is that actor: ``renamed``), and the registry with them."""
    new, renamed = [], {}
    for actor in given:
        if actor.key in registry:
            continue
        known = {k for s in actor.spellings for k in registry.resolve(s)}
        if len(known) == 1:
            renamed[actor.key] = known.pop()
            notes.append(f"actor {actor.key!r} of the file is {renamed[actor.key]!r} in the log")
        else:
            new.append(actor)
    differ = [a.key for a in given if a.key in registry and registry.actors[a.key] != a]
    if differ:
        listed = ", ".join(repr(k) for k in differ)
        notes.append(f"actors {listed} differ from the log's: the log's kept")
    merged = Registry([*registry.actors.values(), *new]) if new else registry
    return new, merged, renamed


class _Cast:
    """Each distinct name resolved once, as ``add`` resolves it."""

    def __init__(self, registry: Registry, register: bool, renamed: dict[str, str]) -> None:
        self.registry, self.register, self.renamed = registry, register, renamed
        self.keys: dict[str, str] = {}
        self.new: dict[str, Actor] = {}
        self.became: list[str] = []

    def key(self, name: str) -> str:
        name = self.renamed.get(name, name)
        found = self.keys.get(name)
        if found is not None:
            return found
        from chrono.operations.adding import ActorError, actors_for_add  # noqa: PLC0415

        taken = self.registry
        if self.new:
            taken = Registry([*self.registry.actors.values(), *self.new.values()])
        try:
            cast = actors_for_add(taken, [name], True, self.register)
        except ActorError as exc:
            raise _Bad(f"actors: {exc.reason}") from None
        key = cast.keys[0]
        for actor in cast.actors:
            self.new[actor.key] = actor
        self.became.extend(cast.became)
        self.keys[name] = key
        return key


def _one_line(text: str | None) -> str | None:
    if text is None or ("\n" not in text and "\r" not in text):
        return text
    return " ".join(text.split())


def _event(draft: Draft, tz: dt.tzinfo, cast: _Cast, minted: Callable[[str], str] | None) -> Event:
    """The draft as an event of the log; its id ``minted`` from its title (None: left
    empty, to be minted once it is known not to be a duplicate)."""
    if draft.end is not None and ends_before(draft.end, draft.date, tz):
        raise _Bad(f"end {draft.end.isoformat()} is before the date {draft.date.isoformat()}")
    try:
        keys = tuple(dict.fromkeys(cast.key(name) for name in draft.actors))
        keys = draft.actors if keys == draft.actors else keys  # one tuple, not two
    except UsageError as exc:
        raise _Bad(str(exc)) from None
    given = draft.event_id
    if given is not None and not ID_PATTERN.fullmatch(given):
        raise _Bad(f"id {given!r} is not an id (no spaces)")
    title, location, kind = (
        _one_line(draft.title) or "",
        _one_line(draft.location),
        _one_line(draft.kind),
    )
    tags, sources = _texts(draft.tags), _texts(draft.sources)
    texts = [title, location or "", kind or "", *keys, *tags, *sources]
    if holds_control("".join(texts)) or holds_control(draft.summary or "", lines=True):
        raw = {"title": title, "summary": draft.summary, "location": location, "kind": kind,
               "actors": list(keys), "tags": list(tags), "sources": list(sources)}  # fmt: skip
        for _, _, message in control_characters(raw):
            raise _Bad(message)
    date, end = draft.date, draft.end
    return Event(
        minted(title) if minted is not None else "", date, title, end,
        draft.summary or None, keys, location, tags, kind, sources, draft.extra,
        date.start(tz), (end or date).stop(tz),
    )  # fmt: skip


def _texts(given: tuple[str, ...]) -> tuple[str, ...]:
    """Tags or sources, each once, blank ones left out (the tuple itself when it is so)."""
    kept = tuple(dict.fromkeys(t.strip() for t in given if t.strip()))
    return given if kept == given else kept


def _with_id(e: Event, new_id: str) -> Event:
    """The event under ``new_id`` (what ``dataclasses.replace`` does, faster)."""
    return Event(new_id, e.date, e.title, e.end, e.summary, e.actors, e.location, e.tags,
                 e.kind, e.sources, e.extra, e.start, e.stop, e.line)  # fmt: skip


class _Held:
    """The events the log holds, by id, by date and title, and by day."""

    def __init__(self, book: Book) -> None:
        events = book.events
        self.book, self.tz = book, book.tz
        self.ids = frozenset(e.id for e in events)
        self.exact = {(e.date, e.end, fold(e.title)): e for e in events}
        self.by_day: dict[dt.date, list[Event]] = {}
        self.titles: dict[tuple[dt.date, str], Event] = {}  # the first of a day's title
        for e in events:
            day = local_day(e, self.tz)
            if day is not None:
                self.by_day.setdefault(day, []).append(e)
                self.titles.setdefault((day, fold(e.title)), e)

    def same(self, event: Event, given: str | None) -> str | None:
        """Why the log already holds ``event``, or None."""
        if given is not None and given in self.ids:
            held = self.book.get(given)
            if held is not None and held.date == event.date:
                return f"the same id and date as the event at line {held.line}"
        found = self.exact.get((event.date, event.end, fold(event.title)))
        if found is not None:
            return f"the same date and title as {found.id!r} (line {found.line})"
        day = local_day(event, self.tz)
        if day is None:
            return None
        same_title = self.titles.get((day, fold(event.title)))
        # as check compares: a day's first events, not thousands (equal titles by lookup)
        for other in [*([same_title] if same_title else []), *self.by_day.get(day, [])[:WINDOW]]:
            why = duplicate_reason(event, other, self.tz)
            if why:
                return f"looks like {other.id!r} (line {other.line}): same day, {why}"
        return None
