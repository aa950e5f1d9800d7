"""Pure selection of events: filters, order and limits. "Today" is never read here."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

from chrono.core.actors import Registry, fold
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

    @property
    def numbered(self) -> bool:
        """Whether the selection numbers its events: two actors or more were asked."""
        return len(self.actors) >= 2


class Selection(NamedTuple):
    """The events selected, in display order, with their running numbers when asked."""

    events: tuple[Event, ...]
    numbers: dict[str, int]  # event id -> 1-based number
    total: int  # matches before --limit


_NOT_WORD = re.compile(r"[\W_]+")  # what parts the words of a search and its haystack
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHE = re.compile("['\u2019\u02bc`]")


def search_words(text: str) -> str:
    """``text`` as a search reads it: folded (:func:`fold`), every run of what is not a
    letter or digit (``://`` in a source, ``/``, a line break) one space."""
    if text.isascii():
        return _NOT_ASCII_WORD.sub(" ", text.lower()).strip()
    return _NOT_WORD.sub(" ", fold(text)).strip()


def search_terms(text: str) -> list[str]:
    """The words a search needs, each on its own; a "quoted phrase" stays whole.

    ``putin witkoff`` finds events that name both, in any field and any order.
    """
    parts = re.findall(r'"([^"]*)"|(\S+)', text)
    terms = [search_words(phrase or word) for phrase, word in parts]
    return list(dict.fromkeys(term for term in terms if term))


def haystack(event: Event, registry: Registry, short: Callable[[str], str] = search_words) -> str:
    """The text a search looks in, one field a line, each line led by a space.

    Title, summary, location, kind, each tag and source, and each actor's name, key and
    aliases, each as :func:`search_words` reads it; a text with an apostrophe is there once
    more without it, so ``dangelo`` finds "D'Angelo" as ``angelo`` and ``d'angelo`` do.
    ``short`` reads the texts that repeat across events (the index passes a memo). No
    field holds a line break, so no term spans two fields; words are parted by one space,
    so ``" " + term`` finds a term only where it starts a word (see :func:`word_start`).
    """
    words = search_words
    fields = [words(event.title), words(event.summary or ""), short(event.location or "")]
    fields += (short(event.kind or ""), *map(short, event.tags), *map(words, event.sources))
    for key in event.actors:
        fields += (short(registry.display(key)), short(key))
    fields += [short(alias) for key in event.actors for alias in registry.aliases_of(key)]
    names = (event.title, event.summary or "", event.location or "",
             *(registry.display(key) for key in event.actors))  # fmt: skip
    fields += [words(_APOSTROPHE.sub("", text)) for text in names if _APOSTROPHE.search(text)]
    return " " + "\n ".join(fields)


def word_start(term: str) -> str:
    """What a :func:`haystack` holds where ``term`` starts a word: ``ted`` is not in
    "reported", ``ship`` is in "ships", ``x com`` (typed ``x.com``) is in a source."""
    return " " + term


# -- the filters: each defined once, tested here in memory and by the index in SQL ---------


Test = Callable[[Event], bool]  # whether an event passes a filter
_FOREVER = float("inf")


class Span(NamedTuple):
    """Events whose span overlaps ``[start, stop)``; a missing end is open."""

    start: int | None
    stop: int | None

    def test(self, registry: Registry) -> Test:
        """Whether an event passes."""
        start = -_FOREVER if self.start is None else self.start
        stop = _FOREVER if self.stop is None else self.stop
        return lambda e: e.stop > start and e.start < stop


class ActorGroups(NamedTuple):
    """Events naming an actor of every group (or, with ``any_of``, of any group)."""

    groups: tuple[tuple[str, ...], ...]  # each group's distinct keys
    any_of: bool

    def test(self, registry: Registry) -> Test:
        """Whether an event passes."""
        groups = [frozenset(group) for group in self.groups]
        if self.any_of or len(groups) == 1:
            anyone = frozenset().union(*groups)
            return lambda e: not anyone.isdisjoint(e.actors)
        return lambda e: all(not group.isdisjoint(e.actors) for group in groups)


class Tags(NamedTuple):
    """Events carrying every one of these tags (folded)."""

    tags: tuple[str, ...]

    def test(self, registry: Registry) -> Test:
        """Whether an event passes."""
        tags = frozenset(self.tags)
        return lambda e: tags <= {fold(tag) for tag in e.tags}


class Kinds(NamedTuple):
    """Events whose kind is one of these (folded)."""

    kinds: tuple[str, ...]

    def test(self, registry: Registry) -> Test:
        """Whether an event passes."""
        kinds = frozenset(self.kinds)
        return lambda e: fold(e.kind or "") in kinds


class Places(NamedTuple):
    """Events whose folded location contains every one of these texts (folded)."""

    places: tuple[str, ...]

    def test(self, registry: Registry) -> Test:
        """Whether an event passes."""
        places = self.places

        def passes(event: Event) -> bool:
            location = fold(event.location or "")
            return all(place in location for place in places)

        return passes


class Search(NamedTuple):
    """Events whose :func:`haystack` holds every one of these terms, each at a word's start."""

    terms: tuple[str, ...]

    def test(self, registry: Registry) -> Test:
        """Whether an event passes."""
        terms = [word_start(term) for term in self.terms]
        short = memo(search_words)  # places and names repeat across events

        def passes(event: Event) -> bool:
            text = haystack(event, registry, short)
            return all(term in text for term in terms)

        return passes


def memo(function: Callable[[str], str]) -> Callable[[str], str]:
    """``function`` remembering its answers."""
    known: dict[str, str] = {}

    def remembered(text: str) -> str:
        value = known.get(text)
        if value is None:
            value = known[text] = function(text)
        return value

    return remembered


Filter = Span | ActorGroups | Tags | Kinds | Places | Search


def filters(query: Query) -> list[Filter]:
    """The query's filters, each with its text folded and repeats dropped; none selects all."""
    found: list[Filter] = []
    if query.start is not None or query.stop is not None:
        found.append(Span(query.start, query.stop))
    if query.actors:
        groups = tuple(tuple(dict.fromkeys(group)) for group in query.actors)
        found.append(ActorGroups(groups, query.any_actor))
    tags = _folded(query.tags)
    if tags:
        found.append(Tags(tags))
    kinds = _folded(query.kinds)
    if kinds:
        found.append(Kinds(kinds))
    places = _folded(query.locations)
    if places:
        found.append(Places(places))
    terms = tuple(search_terms(query.search)) if query.search else ()
    if terms:
        found.append(Search(terms))
    return found


def _folded(texts: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fold(text) for text in texts))


Item = TypeVar("Item")


def arrange(
    matches: Sequence[Item], query: Query, ident: Callable[[Item], str]
) -> tuple[list[Item], dict[str, int], int]:
    """The matches (in the total order) as shown: numbered, limited to the last ``limit``,
    reversed when asked; with the numbers by id and the count before the limit."""
    numbers = {ident(m): i for i, m in enumerate(matches, start=1)} if query.numbered else {}
    shown = list(matches)
    if query.limit is not None:
        shown = shown[-query.limit :] if query.limit > 0 else []
    if query.reverse:
        shown.reverse()
    return shown, numbers, len(matches)


def select(chronology: Chronology, query: Query) -> Selection:
    """Apply the query to the chronology's events (already in their total order)."""
    matches: Sequence[Event] = chronology.events
    for chosen in filters(query):
        matches = list(filter(chosen.test(chronology.registry), matches))
    shown, numbers, total = arrange(matches, query, _ident)
    return Selection(tuple(shown), numbers, total)


def _ident(event: Event) -> str:
    return event.id


def free_text_actors(chronology: Chronology) -> list[str]:
    """The actor names events use that are not in the registry, in order of first use."""
    registry = chronology.registry
    return list(dict.fromkeys(a for e in chronology.events for a in e.actors if a not in registry))


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


def actor_summaries(
    chronology: Chronology, sort: str = "events", events: Sequence[Event] | None = None
) -> list[ActorSummary]:
    """Every registry actor and every free-text actor, sorted by events, name or first;
    counting ``events`` (default: the whole log)."""
    by_actor: dict[str, list[Event]] = {}
    for event in chronology.events if events is None else events:
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
    return [(a, b, len(shared)) for a, b, shared in pair_events(chronology, chronology.events)]


def pair_events(
    chronology: Chronology, events: Sequence[Event]
) -> list[tuple[str, str, list[Event]]]:
    """Every pair of actors that share some of ``events``, with those events in order, the
    pair with most first (each pair's names in name order)."""
    display = chronology.registry.display
    order: dict[str, tuple[str, str]] = {}  # an actor's place in name order, found once

    def place(key: str) -> tuple[str, str]:
        found = order.get(key)
        if found is None:
            found = order[key] = (fold(display(key)), key)
        return found

    shared: dict[tuple[str, str], list[Event]] = {}
    for event in events:
        cast = sorted(set(event.actors), key=place)
        for i, first in enumerate(cast):
            for second in cast[i + 1 :]:
                shared.setdefault((first, second), []).append(event)
    ordered = sorted(
        shared.items(), key=lambda kv: (-len(kv[1]), place(kv[0][0])[0], place(kv[0][1])[0])
    )
    return [(a, b, found) for (a, b), found in ordered]
