"""Asking the log a question: filter values in, the selected events out.

The filter values are those of ``chrono list`` and ``chrono export`` as typed; here they
become a :class:`~chrono.core.query.Query`: actors resolved through the registry, dates
read in the display zone (``--tz`` when given, else the log's: a day typed is the day the
labels show; ``--on`` and ``--from``/``--to`` narrow each other), and the values no query
can answer refused as usage errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # importing this module stays cheap: commands name Filters at --help
    from pathlib import Path

    from chrono.core.model import Chronology
    from chrono.core.query import Query, Selection
    from chrono.operations.reading import Source
    from chrono.storage.indexing import CacheSettings

Notes = Callable[[str], None]  # where a note for the user goes (the command line says it)


class Filters(NamedTuple):
    """The filters of a question, as typed: every one given must hold."""

    actor: tuple[str, ...] = ()  # each a key, name or alias; events with all (or any) of them
    any_actor: bool = False
    on: str | None = None  # a day, month, year or phrase the events overlap
    since: str | None = None  # --from
    until: str | None = None  # --to
    tag: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    location: tuple[str, ...] = ()
    search: str | None = None
    limit: int | None = None
    reverse: bool = False


class Reading(NamedTuple):
    """How to read the log: through the index or not, and for how long its model lives."""

    cache: CacheSettings
    freeze: bool  # a short-lived process: its model lives until it exits
    clock: Callable[[], dt.date]  # today, read when a question needs it

    @property
    def today(self) -> dt.date:
        """Today, for dates typed relative to it (``last month``) and stamps."""
        return self.clock()


class Answer(NamedTuple):
    """The events a question selects, and what is needed to show them."""

    source: Source
    query: Query
    selection: Selection
    chosen: dt.tzinfo | None  # the zone --tz asked for, if it did

    @property
    def display(self) -> dt.tzinfo:
        """The zone to show times in: --tz, else the log's (loaded only when shown)."""
        return self.source.tz if self.chosen is None else self.chosen

    def chronology(self) -> Chronology:
        """The chronology the selected events are shown with (their actors, the log's zone)."""
        return self.source.chronology(self.selection.events)


def answer(
    path: Path,
    filters: Filters,
    reading: Reading,
    *,
    zone: str | None = None,
    want_events: bool = True,
    notes: Notes,
) -> Answer:
    """Open the log and select the events ``filters`` ask for (``want_events``: not ids only)."""
    from chrono.operations.reading import open_source  # noqa: PLC0415

    source = open_source(path, reading.cache, freeze=reading.freeze)
    chosen = None if zone is None else display_zone(source, zone)  # a bad --tz fails first
    query = build_query(source, filters, reading.today, notes, chosen)
    return Answer(source, query, source.select(query, want_events=want_events), chosen)


def build_query(
    source: Source,
    filters: Filters,
    today: dt.date,
    notes: Notes,
    zone: dt.tzinfo | None = None,
) -> Query:
    """Turn the filter values into a Query, resolving actors and reading dates in ``zone``
    (the zone the answer is shown in: --tz; None: the log's)."""
    from chrono.core.errors import UsageError  # noqa: PLC0415
    from chrono.core.query import Query  # noqa: PLC0415

    start, stop = _span(source, zone, filters, today)
    groups = [resolve_actor(source, name, notes) for name in filters.actor]
    if filters.search is not None:
        from chrono.core.query import search_terms  # noqa: PLC0415

        if not search_terms(filters.search):
            raise UsageError(f"--search: {filters.search!r} has no letters or digits to look for")
    if filters.limit is not None and filters.limit < 0:
        raise UsageError("--limit: must be 0 or more")
    return Query(
        actors=groups,
        any_actor=filters.any_actor,
        start=start,
        stop=stop,
        tags=filters.tag,
        kinds=filters.kind,
        locations=filters.location,
        search=filters.search,
        limit=filters.limit,
        reverse=filters.reverse,
    )


def _span(
    source: Source, zone: dt.tzinfo | None, filters: Filters, today: dt.date
) -> tuple[int | None, int | None]:
    """The span asked, read in ``zone`` (None: the log's zone, loaded only if a date is
    asked): --on, narrowed by --from and --to."""
    from chrono.core.errors import DateError, UsageError  # noqa: PLC0415

    def period(option: str, text: str) -> tuple[int, int]:
        from chrono.core.datetext import parse_period  # noqa: PLC0415 - only dates need it

        try:
            p = parse_period(text, today)
        except DateError as exc:
            raise DateError(f"{option}: {exc}") from None
        tz = source.tz if zone is None else zone
        return p.start(tz), p.stop(tz)

    start = stop = None
    if filters.on is not None:
        start, stop = period("--on", filters.on)
    if filters.since is not None:
        begin = period("--from", filters.since)[0]
        start = begin if start is None else max(start, begin)
    if filters.until is not None:
        end = period("--to", filters.until)[1]
        stop = end if stop is None else min(stop, end)
    since, until = filters.since, filters.until
    if since and until and start is not None and stop is not None and stop <= start:
        raise UsageError(f"--to {until} is before --from {since}")
    return start, stop


def resolve_actor(
    source: Source, name: str, notes: Notes, asked: str | None = "--actor"
) -> list[str]:
    """The actors a name selects (all of them, with a note, when it names several);
    ``asked``: what the name was given as, for the message when it selects no one."""
    from chrono.core.errors import UsageError  # noqa: PLC0415

    registry = source.registry
    keys = registry.match(name, source.free_text_actors())
    if not keys:
        from chrono.core.text import did_you_mean  # noqa: PLC0415

        suggestions = registry.suggest(name)
        message = f"{asked}: " if asked else ""
        message += f"no actor matches {name!r}"
        message += did_you_mean((registry.display(k), k) for k in suggestions)
        message += " ('chrono actors' lists them)"
        raise UsageError(message)
    if len(keys) > 1:
        names = ", ".join(
            f"{registry.display(k)} ({k})" if k in registry else repr(k) for k in keys
        )
        notes(f"{name!r} matches {len(keys)} actors: {names}; selecting all")
    return keys


def display_zone(source: Source, name: str | None) -> dt.tzinfo:
    """The zone to show times in: the IANA zone ``name`` (--tz), else the log's."""
    if name is None:
        return source.tz
    from chrono.core.dates import load_timezone  # noqa: PLC0415
    from chrono.core.errors import UsageError  # noqa: PLC0415

    tz = load_timezone(name)
    if tz is None:
        raise UsageError(
            f"--tz: unknown time zone {name!r} (use an IANA name such as 'Europe/Berlin')"
        )
    return tz
