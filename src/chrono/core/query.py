"""Pure selection of events: filters, order and limits. "Today" is never read here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from chrono.core.actors import fold
from chrono.core.model import Chronology, Event


class Query(NamedTuple):
    """What to select. Every filter given must hold (AND); empty filters select all."""

    actors: Sequence[Sequence[str]] = ()  # one group of keys per term asked; a group is any-of
    any_actor: bool = False  # select events with any of the groups instead of all
    start: int | None = None  # the span asked: events overlapping [start, stop)
    stop: int | None = None
    tags: Sequence[str] = ()  # every tag must be on the event
    kinds: Sequence[str] = ()  # the event's kind is one of these
    locations: Sequence[str] = ()  # every text must occur in the location
    search: str | None = None
    limit: int | None = None
    reverse: bool = False


class Selection(NamedTuple):
    """The events selected, in display order, with their running numbers when asked."""

    events: tuple[Event, ...]
    numbers: dict[str, int]  # event id -> 1-based number
    total: int  # matches before --limit


def search_terms(text: str) -> list[str]:
    """The folded words a search needs, each on its own; a "quoted phrase" stays whole.

    ``putin witkoff`` finds events that name both, in any field and any order.
    """
    import re  # noqa: PLC0415

    parts = re.findall(r'"([^"]*)"|(\S+)', text)
    terms = [fold(phrase or word) for phrase, word in parts]
    return list(dict.fromkeys(term for term in terms if term))


def select(chronology: Chronology, query: Query) -> Selection:
    """Apply the query to the chronology's events (already in their total order)."""
    tags = {fold(t) for t in query.tags}
    kinds = {fold(k) for k in query.kinds}
    places = [fold(p) for p in query.locations]
    terms = search_terms(query.search) if query.search else None
    groups = [set(group) for group in query.actors]
    registry = chronology.registry

    def keep(event: Event) -> bool:
        if query.start is not None and event.stop <= query.start:
            return False
        if query.stop is not None and event.start >= query.stop:
            return False
        if groups:
            present = set(event.actors)
            hits = [bool(group & present) for group in groups]
            if not (any(hits) if query.any_actor else all(hits)):
                return False
        if tags and not tags <= {fold(t) for t in event.tags}:
            return False
        if kinds and fold(event.kind or "") not in kinds:
            return False
        if places and not all(p in fold(event.location or "") for p in places):
            return False
        if terms is not None:
            haystack = [event.title, event.summary or "", event.location or ""]
            haystack += [registry.display(a) for a in event.actors]
            haystack += list(event.actors)
            haystack += [s for a in event.actors for s in registry.aliases_of(a)]
            folded = [fold(text) for text in haystack]
            if not all(any(term in text for text in folded) for term in terms):
                return False
        return True

    matches = [e for e in chronology.events if keep(e)]
    numbers = {e.id: i for i, e in enumerate(matches, start=1)} if len(groups) >= 2 else {}
    total = len(matches)
    if query.limit is not None:
        matches = matches[-query.limit :] if query.limit > 0 else []
    if query.reverse:
        matches.reverse()
    return Selection(tuple(matches), numbers, total)


def neighbours(chronology: Chronology, event: Event) -> tuple[Event | None, Event | None]:
    """The previous and next events that share an actor with ``event``."""
    actors = set(event.actors)
    events = chronology.events
    index = events.index(event)
    before = next((e for e in reversed(events[:index]) if actors & set(e.actors)), None)
    after = next((e for e in events[index + 1 :] if actors & set(e.actors)), None)
    return before, after


class ActorSummary(NamedTuple):
    """One actor and the events it takes part in, in order."""

    key: str  # registry key, or the name itself for a free-text actor
    name: str
    registered: bool
    role: str | None
    aliases: tuple[str, ...]
    events: tuple[Event, ...]


def actor_summaries(chronology: Chronology, sort: str = "events") -> list[ActorSummary]:
    """Every registry actor and every free-text actor, sorted by events, name or first."""
    by_actor: dict[str, list[Event]] = {}
    for event in chronology.events:
        for key in event.actors:
            by_actor.setdefault(key, []).append(event)
    registry = chronology.registry
    keys = list(registry.actors) + [k for k in by_actor if k not in registry]
    summaries = []
    for key in keys:
        actor = registry.actors.get(key)
        summaries.append(
            ActorSummary(
                key=key,
                name=registry.display(key),
                registered=actor is not None,
                role=actor.role if actor else None,
                aliases=actor.aliases if actor else (),
                events=tuple(by_actor.get(key, ())),
            )
        )

    def by_name(s: ActorSummary) -> tuple[str, str]:
        return fold(s.name), s.key

    def by_first(s: ActorSummary) -> tuple[bool, tuple[int, int, int, str], str, str]:
        first = s.events[0].sort_key if s.events else (0, 0, 0, "")
        return (not s.events, first, *by_name(s))

    if sort == "name":
        summaries.sort(key=by_name)
    elif sort == "first":
        summaries.sort(key=by_first)
    else:
        summaries.sort(key=lambda s: (-len(s.events), *by_name(s)))
    return summaries


def co_actors(chronology: Chronology, key: str) -> list[tuple[str, int]]:
    """The actors appearing with ``key``, most shared events first."""
    counts: dict[str, int] = {}
    for event in chronology.events:
        if key in event.actors:
            for other in event.actors:
                if other != key:
                    counts[other] = counts.get(other, 0) + 1
    display = chronology.registry.display
    return sorted(counts.items(), key=lambda kv: (-kv[1], fold(display(kv[0])), kv[0]))


def pairs(chronology: Chronology) -> list[tuple[str, str, int]]:
    """Every pair of actors that share events, with how many: who met whom how often."""
    display = chronology.registry.display
    counts: dict[tuple[str, str], int] = {}
    for event in chronology.events:
        cast = sorted(set(event.actors), key=lambda k: (fold(display(k)), k))
        for i, first in enumerate(cast):
            for second in cast[i + 1 :]:
                counts[(first, second)] = counts.get((first, second), 0) + 1
    ordered = sorted(
        counts.items(), key=lambda kv: (-kv[1], fold(display(kv[0][0])), fold(display(kv[0][1])))
    )
    return [(a, b, n) for (a, b), n in ordered]
