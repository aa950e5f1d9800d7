"""The rules of selection, one by one at module level: each filter's edges, numbering and
--limit, neighbours, and the actor summaries' counts and orders."""

from __future__ import annotations

from typing import Any

import pytest

from chrono.core.dates import parse_iso
from chrono.core.model import Chronology
from chrono.core.query import (
    Query,
    actor_summaries,
    co_actors,
    free_text_actors,
    haystack,
    neighbours,
    pairs,
    search_terms,
    select,
)
from chrono.core.validate import build
from chrono.storage.positions import scan

EVENTS: list[dict[str, Any]] = [
    {"id": "jan", "date": "2026-01", "title": "January talks", "actors": ["a", "b"],
     "tags": ["x", "y"], "kind": "meeting", "location": "Kremlin, Moscow", "summary": "Long"},
    {"id": "feb", "date": "2026-02-01", "title": "February call", "actors": ["b", "Carla Free"],
     "kind": "call"},
    {"id": "mar", "date": "2026-03-01", "end": "2026-03-03", "title": "March visit",
     "actors": ["a", "Carla Free", "Dan Loose"], "tags": ["x"]},
    {"id": "apr", "date": "2026-04-01T10:00Z", "title": "April note"},
]  # fmt: skip
LOG = {
    "chrono": {"timezone": "UTC"},
    "actors": {
        "a": {"name": "Anna Smith", "aliases": ["Annie"]},
        "b": {"name": "Bob Jones"},
        "c": {"name": "Cy Nobody"},
    },
    "events": EVENTS,
}
CHRONOLOGY: Chronology = build(LOG, "events.toml", scan(""))[0]


def ids(query: Query) -> list[str]:
    """The ids a query selects, in the order shown."""
    return [e.id for e in select(CHRONOLOGY, query).events]


def at(text: str) -> int:
    """The first instant of an ISO date, in UTC."""
    return parse_iso(text).start(CHRONOLOGY.tz)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (Query(), ["jan", "feb", "mar", "apr"]),
        (Query(start=at("2026-02-01")), ["feb", "mar", "apr"]),  # jan is over as feb begins
        (Query(stop=at("2026-02-01")), ["jan"]),  # feb starts as the span stops
        (Query(start=at("2026-03-02"), stop=at("2026-03-03")), ["mar"]),  # inside a span
        (Query(start=at("2026-03-04"), stop=at("2026-04-01")), []),
        (Query(actors=[["a"]]), ["jan", "mar"]),
        (Query(actors=[["a", "b"]]), ["jan", "feb", "mar"]),  # one term: any of its keys
        (Query(actors=[["a"], ["b"]]), ["jan"]),  # two terms: both
        (Query(actors=[["a"], ["b"]], any_actor=True), ["jan", "feb", "mar"]),
        (Query(tags=["X", "y"]), ["jan"]),  # every tag, the event's exact set included
        (Query(tags=["x"]), ["jan", "mar"]),
        (Query(kinds=["CALL", "nothing"]), ["feb"]),
        (Query(kinds=["xxxx"]), []),  # events without a kind have none
        (Query(locations=["moscow", "kreml"]), ["jan"]),
        (Query(locations=["xx"]), []),  # events without a location have none
        (Query(search="talks anna"), ["jan"]),  # both terms, in different fields
        (Query(search="annie"), ["jan", "mar"]),  # an alias of an actor
        (Query(search="xxxx"), []),  # nothing found in a missing summary or location
        (Query(search='"march visit"'), ["mar"]),
        (Query(search='"visit march"'), []),
    ],
)
def test_each_filter_selects_what_it_says(query: Query, expected: list[str]) -> None:
    """Each filter at its edges: spans half-open, actor groups, tags, kinds, places, words."""
    assert ids(query) == expected


def test_numbers_limits_and_reversal() -> None:
    """Two actors asked number the matches from 1; --limit keeps the last N; reverse flips."""
    two = Query(actors=[["a", "b"], ["a", "Carla Free"]])
    assert (Query().numbered, Query(actors=[["a"]]).numbered, two.numbered) == (False, False, True)
    assert Query(actors=[["a"], ["b"], ["c"]]).numbered
    selection = select(CHRONOLOGY, two._replace(limit=1))
    assert ([e.id for e in selection.events], selection.numbers, selection.total) == (
        ["mar"],
        {"jan": 1, "feb": 2, "mar": 3},
        3,
    )
    assert ids(Query(limit=2)) == ["mar", "apr"]
    assert ids(Query(limit=0)) == []
    assert ids(Query(limit=2, reverse=True)) == ["apr", "mar"]
    assert select(CHRONOLOGY, Query(limit=0)).total == 4


def test_search_terms_and_the_haystack() -> None:
    """Words are folded and kept once, a quoted phrase whole; each field is its own line,
    led by a space, and kind, tags and sources are fields too."""
    assert search_terms('Putin "Board of  Peace" PUTIN ""') == ["putin", "board of peace"]
    jan, feb = CHRONOLOGY.events[:2]
    assert haystack(jan, CHRONOLOGY.registry) == (
        " january talks\n long\n kremlin moscow\n meeting\n x\n y"
        "\n anna smith\n a\n bob jones\n b\n annie"
    )
    assert haystack(feb, CHRONOLOGY.registry) == (
        " february call\n \n \n call\n bob jones\n b\n carla free\n carla free"
    )


def test_free_text_actors_and_neighbours() -> None:
    """Names not in the registry in order of first use; neighbours share an actor."""
    assert free_text_actors(CHRONOLOGY) == ["Carla Free", "Dan Loose"]
    jan, feb, mar, apr = CHRONOLOGY.events
    assert neighbours(CHRONOLOGY, feb) == (jan, mar)
    assert neighbours(CHRONOLOGY, jan) == (None, feb)
    assert neighbours(CHRONOLOGY, mar) == (feb, None)
    assert neighbours(CHRONOLOGY, apr) == (None, None)


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("events", ["a", "b", "Carla Free", "Dan Loose", "c"]),  # most first, then by name
        ("name", ["a", "b", "Carla Free", "c", "Dan Loose"]),
        ("first", ["a", "b", "Carla Free", "Dan Loose", "c"]),  # without events: last
    ],
)
def test_actor_summaries_in_each_order(sort: str, order: list[str]) -> None:
    """Every registry and free-text actor, sorted by events, by name or by first event."""
    summaries = actor_summaries(CHRONOLOGY, sort)
    assert [s.key for s in summaries] == order
    by_key = {s.key: s for s in summaries}
    assert [e.id for e in by_key["a"].events] == ["jan", "mar"]
    assert (by_key["a"].registered, by_key["a"].aliases, by_key["a"].name) == (
        True,
        ("Annie",),
        "Anna Smith",
    )
    assert (by_key["Dan Loose"].registered, by_key["Dan Loose"].role) == (False, None)
    assert by_key["c"].events == ()


def test_first_appearance_orders_actors_by_their_earliest_event() -> None:
    """--sort first puts the actor seen first first, not the one with most events."""
    later = build(
        {**LOG, "events": [*EVENTS, {"id": "may", "date": "2026-05", "title": "t",
                                      "actors": ["c", "b", "Zed"]}]},
        "events.toml", scan(""),
    )[0]  # fmt: skip
    keys = [s.key for s in actor_summaries(later, "first")]
    assert keys == ["a", "b", "Carla Free", "Dan Loose", "c", "Zed"]
    assert [s.key for s in actor_summaries(later)][:2] == ["b", "a"]  # 3 events before 2


def test_co_actors_and_pairs_count_shared_events() -> None:
    """Who appears with whom, and how often, most first, then by name."""
    assert co_actors(CHRONOLOGY, "a") == [("b", 1), ("Carla Free", 1), ("Dan Loose", 1)]
    assert co_actors(CHRONOLOGY, "Carla Free") == [("a", 1), ("b", 1), ("Dan Loose", 1)]
    assert co_actors(CHRONOLOGY, "c") == []
    assert pairs(CHRONOLOGY) == [
        ("a", "b", 1),
        ("a", "Carla Free", 1),
        ("a", "Dan Loose", 1),
        ("b", "Carla Free", 1),
        ("Carla Free", "Dan Loose", 1),
    ]
    twice = build({**LOG, "events": [*EVENTS, {"id": "may", "date": "2026-05", "title": "t",
                                                "actors": ["Dan Loose", "Carla Free", "b"]}]},
                  "events.toml", scan(""))[0]  # fmt: skip
    assert pairs(twice)[:3] == [("b", "Carla Free", 2), ("Carla Free", "Dan Loose", 2),
                                ("a", "b", 1)]  # fmt: skip
    assert co_actors(twice, "Carla Free") == [("b", 2), ("Dan Loose", 2), ("a", 1)]


def test_co_actors_of_one_name_are_told_apart_by_key() -> None:
    """Two actors of the same name are ordered by key, whatever order they appeared in."""
    actors = {**LOG["actors"], "a2": {"name": "Anna Smith"}}
    same = build(
        {**LOG, "actors": actors,
         "events": [{"id": "e", "date": "2026", "title": "t", "actors": ["b", "a2", "a"]}]},
        "events.toml", scan(""),
    )[0]  # fmt: skip
    assert co_actors(same, "b") == [("a", 1), ("a2", 1)]
