"""The index's SQL and the in-memory filters select alike, on random logs and queries."""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chrono.core.dates import load_timezone
from chrono.core.datetext import parse_period
from chrono.core.query import Query, Selection, haystack, search_terms, word_start
from chrono.core.view import LogView
from chrono.operations.reading import FileSource, open_source
from chrono.storage import store
from chrono.storage.index import Index as IndexSource
from chrono.storage.indexing import CacheSettings

TODAY = dt.date(2026, 1, 25)

REGISTRY = """[chrono]
timezone = "Europe/Moscow"
[actors.a]
name = "Anna Smith"
aliases = ["Annie"]
[actors.b]
name = "Bob Smith"
aliases = ["Bobby", "Роберт"]
[actors.z]
name = "Zoë Ünal"
aliases = ["Zoe"]
"""

# (date, end): every form a log may hold; ends come after their starts.
DATES = [
    ('"2025"', None), ('"2025-12"', '"2026-01"'), ('"2025-07~"', None), ('"2025?"', None),
    ('"2025-12-31%"', None), ("2026-01-23", None), ("2026-01-22", "2026-01-24"),
    ('"2026-01"', None), ("2026-01-22T22:30:00", None), ("2026-01-22T22:30:00+03:00", None),
    ('"2026-01-22T21:30Z"', '"2026-01-23T01:00Z"'), ("2026-01-23T00:00:00+03:00", None),
    ('"2026-01-24~"', None), ('"2026-02"', None),
]  # fmt: skip
WORDS = ["talks", "Kremlin", "envoy", "Zürich", "ZURICH", "a|b", "Ünïcode", "x", "Straße",
         "Board", "of", "peace", "Smith", "ab"]  # fmt: skip
ACTORS = ["a", "b", "z", "Annie", "Bobby", "Carla Free", "Dmitri Ökonom", "zoe"]
TAGS = ["x", "Y", "z", "Ukraine", "ukraine"]
KINDS = ["meeting", "Meeting", "call", "Statement"]
PLACES = ["Moscow", "Kremlin, Moscow", "Zürich", "Genève", "moscow region"]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _array(items: list[str]) -> str:
    return "[" + ", ".join(_quoted(item) for item in items) + "]"


@st.composite
def logs(draw: st.DrawFn) -> str:
    """A small random log: every date form, registry and free-text actors, accents."""
    text = REGISTRY
    for i in range(draw(st.integers(0, 14))):
        date, end = draw(st.sampled_from(DATES))
        text += f'[[events]]\nid = "e{i}"\ndate = {date}\n'
        if end is not None and draw(st.booleans()):
            text += f"end = {end}\n"
        title = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)))
        text += f"title = {_quoted(title)}\n"
        if draw(st.booleans()):
            summary = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=4)))
            text += f"summary = {_quoted(summary)}\n"
        actors = draw(st.lists(st.sampled_from(ACTORS), max_size=3, unique=True))
        tags = draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True))
        text += f"actors = {_array(actors)}\ntags = {_array(tags)}\n"
        if draw(st.booleans()):
            text += f"kind = {_quoted(draw(st.sampled_from(KINDS)))}\n"
        if draw(st.booleans()):
            text += f"location = {_quoted(draw(st.sampled_from(PLACES)))}\n"
    return text


PERIODS = ["2026-01", "2025", "2026-01-23", "2026-01-22", "2026-01-22T22:30+03:00",
           "2026-01-23T00:00+03:00", "2025-12~", "last month", "around July 2025",
           "2026", "late January 2026", "Q1 2026", "winter 2025/26", "22.01.2026",
           "mid-2025", "janvier 2026"]  # fmt: skip
SEARCHES = ["kremlin", "zurich", "ZÜRICH", "strasse", "a|b", "ab", "x", "smith talks",
            '"board of peace"', '"bob smith" talks', "роберт", "annie", "unicode", "zoe",
            "ünal", "moscow", "geneve", "of", '"of peace" kremlin', "carla"]  # fmt: skip
NAMES = ["smith", "a", "annie", "bobby", "carla", "Zoe", "zoë", "ökonom", "Anna Smith",
         "Carla Free", "роберт"]  # fmt: skip


FILTERS = {
    "actors": st.lists(st.sampled_from(NAMES), min_size=1, max_size=3),
    "any_actor": st.just(True),
    "on": st.sampled_from(PERIODS),
    "since": st.sampled_from(PERIODS),
    "until": st.sampled_from(PERIODS),
    "tags": st.lists(st.sampled_from([*TAGS, "UKRAINE", "w"]), min_size=1, max_size=2),
    "kinds": st.lists(st.sampled_from([*KINDS, "MEETING", "visit"]), min_size=1, max_size=2),
    "locations": st.lists(
        st.sampled_from(["moscow", "MOSCOW", "zurich", "kremlin, m", "gen"]), min_size=2, max_size=3
    ),
    "search": st.sampled_from(SEARCHES),
    "limit": st.integers(0, 4),
    "reverse": st.just(True),
    "zone": st.sampled_from(["Asia/Tokyo", "America/New_York", "UTC", "Europe/Moscow"]),
}
EMPTY: dict[str, Any] = {
    "actors": [], "any_actor": False, "on": None, "since": None, "until": None, "tags": [],
    "kinds": [], "locations": [], "search": None, "limit": None, "reverse": False,
    "zone": None,
}  # fmt: skip


@st.composite
def asks(draw: st.DrawFn) -> dict[str, Any]:
    """Command-line options: a few filters at a time, so that most queries select some."""
    chosen = draw(st.lists(st.sampled_from(sorted(FILTERS)), max_size=3, unique=True))
    return {**EMPTY, **{name: draw(FILTERS[name]) for name in chosen}}


def query_for(view: LogView, ask: dict[str, Any]) -> Query:
    """The query the command line builds from these options, resolved by this view; its
    dates read in the --tz zone asked, else in the log's."""
    tz = view.tz if ask["zone"] is None else load_timezone(ask["zone"])
    assert tz is not None
    start = stop = None
    if ask["on"] is not None:
        period = parse_period(ask["on"], TODAY)
        start, stop = period.start(tz), period.stop(tz)
    if ask["since"] is not None:
        begin = parse_period(ask["since"], TODAY).start(tz)
        start = begin if start is None else max(start, begin)
    if ask["until"] is not None:
        end = parse_period(ask["until"], TODAY).stop(tz)
        stop = end if stop is None else min(stop, end)
    groups = [view.registry.match(name, view.free_text_actors()) for name in ask["actors"]]
    return Query(
        actors=[group for group in groups if group],  # an unknown name stops the command
        any_actor=ask["any_actor"],
        start=start,
        stop=stop,
        tags=ask["tags"],
        kinds=ask["kinds"],
        locations=ask["locations"],
        search=ask["search"],
        limit=ask["limit"],
        reverse=ask["reverse"],
    )


def answer(selection: Selection) -> tuple[list[str], dict[str, int], int]:
    """What a selection shows: the ids in order, their numbers and the count."""
    return [e.id for e in selection.events], selection.numbers, selection.total


@contextlib.contextmanager
def views(text: str) -> Iterator[tuple[LogView, LogView]]:
    """The log parsed from the file, and read from its index."""
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "events.toml"
        log.write_text(text, encoding="utf-8")
        cache = CacheSettings(enabled=True, folder=Path(folder) / "cache", inline=True)
        parsed = open_source(log, cache)  # parses, and builds the index inline
        indexed = open_source(log, cache)
        assert isinstance(parsed, FileSource)
        assert isinstance(indexed, IndexSource)
        try:
            yield parsed, indexed
        finally:
            indexed.close()


@settings(max_examples=150, deadline=None)
@given(text=logs(), options=st.lists(asks(), min_size=1, max_size=8))
def test_the_index_selects_as_the_file_does(text: str, options: list[dict[str, Any]]) -> None:
    """Every query selects the same events, numbers and count from the index as from the file."""
    with views(text) as (parsed, indexed):
        assert indexed.free_text_actors() == parsed.free_text_actors()
        for ask in options:
            query = query_for(parsed, ask)
            assert query_for(indexed, ask) == query
            expected = parsed.select(query)
            assert answer(indexed.select(query)) == answer(expected)
            assert answer(indexed.select(query, want_events=False)) == answer(expected)
            assert indexed.select(query).events == expected.events


@settings(max_examples=40, deadline=None)
@given(text=logs())
def test_the_index_answers_every_other_question_as_the_file_does(text: str) -> None:
    """Ids, prefixes, lines, neighbours and the events starting in a window agree."""
    with views(text) as (parsed, indexed):
        every = parsed.all().events
        assert indexed.all().events == every
        assert indexed.ids() == parsed.ids()
        for prefix in ("e", "e1", "e12", "x", ""):
            assert indexed.find(prefix) == parsed.find(prefix)
            assert indexed.count_prefix(prefix) == parsed.count_prefix(prefix)
        for event in every:
            assert indexed.neighbours(event) == parsed.neighbours(event)
            assert indexed.line_of(event.id) == parsed.line_of(event.id) == event.line
        assert indexed.line_of("missing") is parsed.line_of("missing") is None
        window = parse_period("2026-01-22", TODAY)
        span = (window.start(parsed.tz), parse_period("2026-01-24", TODAY).stop(parsed.tz))
        assert indexed.starting(*span) == parsed.starting(*span)


@pytest.mark.parametrize(
    ("search", "found"),
    [("anna smith", True), ("annie", True), ("a", True), ("kremlin", True), ("ANNA", True),
     ("summary", True), ('"smith\nannie"', False), ('"smith a"', False),
     ('"moscow anna"', False), ("zoe", False), ("moscow kremlin", True)],
)  # fmt: skip
def test_a_search_term_matches_within_one_field(tmp_path: Path, search: str, found: bool) -> None:
    """The haystack holds title, summary, place, names, keys and aliases; no term spans two."""
    log = tmp_path / "events.toml"
    log.write_text(
        REGISTRY + '[[events]]\nid = "e"\ndate = 2026-01-01\ntitle = "In the Kremlin"\n'
        'summary = "A summary"\nlocation = "Moscow"\nactors = ["a"]\n'
    )
    chronology = store.load(log)
    text = haystack(chronology.events[0], chronology.registry)
    assert all(word_start(term) in text for term in search_terms(search)) == found


def test_search_terms_fold_and_keep_phrases_whole() -> None:
    """Words are folded one by one, a quoted phrase stays one term, repeats go."""
    assert search_terms('Zürich "Board  of Peace" zurich ""') == ["zurich", "board of peace"]
