"""The model: building a chronology, derived ids, the total order, overlap and containment."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from chrono.core.dates import PartialDate, parse_iso
from chrono.core.ids import derive_id, slugify
from chrono.core.lint import day_window, local_day
from chrono.core.model import Chronology, Event
from chrono.core.validate import build
from chrono.storage.positions import LazyPositions, scan
from tests.test_dates import partial_dates


def chronology(doc: dict[str, Any]) -> Chronology:
    """Build a chronology from a document, asserting it has no errors."""
    result, diagnostics = build(doc, "events.toml", scan(""))
    assert [d for d in diagnostics if d.severity == "error"] == []
    return result


def test_events_are_sorted_coarse_first_then_by_end_then_id() -> None:
    """Same start: the year before the month before the day; then the shorter span; then id."""
    log = chronology(
        {
            "events": [
                {"id": "d", "date": "2026-01-01", "title": "day"},
                {"id": "m", "date": "2026-01", "title": "month"},
                {"id": "y", "date": "2026", "title": "year"},
                {"id": "b", "date": "2026-01-01", "end": "2026-01-03", "title": "span"},
                {"id": "a", "date": "2026-01-01", "title": "day too"},
                {"id": "t", "date": "2026-01-01T00:00", "title": "minute"},
                {"id": "p", "date": "2025-12-31", "title": "before"},
            ]
        }
    )
    assert [e.id for e in log.events] == ["p", "y", "m", "a", "d", "b", "t"]


def test_derived_ids_are_stable_and_unique() -> None:
    """An event without an id gets date-plus-title; a clash gets a numbered suffix."""
    assert derive_id(parse_iso("2025-12~"), "Putin meets Witkoff!") == "2025-12-putin-meets-witkoff"
    assert slugify("Ärger über Selenskyj's Plan") == "arger-uber-selenskyj-s-plan"
    assert slugify("!!!") == "event"
    log = chronology(
        {
            "events": [
                {"date": "2025-12-02", "title": "Talks"},
                {"date": "2025-12-02", "title": "Talks"},
                {"id": "2025-12-02-talks-3", "date": "2025-12-03", "title": "Other"},
                {"date": "2025-12-02", "title": "Talks"},
            ]
        }
    )
    ids = sorted(e.id for e in log.events)
    assert ids == [
        "2025-12-02-talks",
        "2025-12-02-talks-2",
        "2025-12-02-talks-3",
        "2025-12-02-talks-4",
    ]


def test_spans_overlap_and_contain() -> None:
    """A December–January span overlaps January 2026 but is not within it."""
    log = chronology(
        {
            "events": [
                {"id": "span", "date": "2025-12", "end": "2026-01", "title": "talks"},
                {"id": "day", "date": "2026-01-23", "title": "day"},
            ]
        }
    )
    january = parse_iso("2026-01")
    start, stop = january.start(dt.UTC), january.stop(dt.UTC)
    span, day = log.events
    assert span.overlaps(start, stop)
    assert not span.within(start, stop)
    assert day.overlaps(start, stop)
    assert day.within(start, stop)
    february = parse_iso("2026-02")
    assert not span.overlaps(february.start(dt.UTC), february.stop(dt.UTC))


def test_end_in_the_same_period_is_accepted() -> None:
    """An 'end' inside the same day as a datetime 'date' is not "before" it."""
    log = chronology(
        {"events": [{"id": "x", "date": "2026-01-22T23:00", "end": "2026-01-22", "title": "t"}]}
    )
    assert log.events[0].stop - log.events[0].start == 3600 * 1_000_000


def test_actors_resolve_to_registry_keys() -> None:
    """Event actors written as key, name or alias in any case or accent become the key."""
    log = chronology(
        {
            "actors": {"zelensky": {"name": "Volodymyr Zelensky", "aliases": ["Selenskyj"]}},
            "events": [
                {
                    "id": "a",
                    "date": "2026",
                    "title": "t",
                    "actors": ["SELENSKYJ", "zelensky", "Someone"],
                }
            ],
        }
    )
    assert log.events[0].actors == ("zelensky", "Someone")
    assert log.registry.display("zelensky") == "Volodymyr Zelensky"
    assert log.registry.display("Someone") == "Someone"


def test_unknown_keys_are_kept() -> None:
    """Keys chrono does not know are kept on the event and actor, never dropped."""
    doc = {
        "actors": {"x": {"name": "X", "party": "none"}},
        "events": [{"id": "a", "date": "2026", "title": "t", "actors": ["x"], "mood": "calm"}],
    }
    log, diagnostics = build(doc, "events.toml", scan(""))
    assert log.events[0].extra == {"mood": "calm"}
    assert log.registry.actors["x"].extra == {"party": "none"}
    assert {d.code for d in diagnostics} == {"unknown-key"}


@given(st.lists(st.tuples(partial_dates(), st.one_of(st.none(), partial_dates())), max_size=12))
def test_sorting_any_mix_never_raises_and_follows_start(
    pairs: list[tuple[PartialDate, PartialDate | None]],
) -> None:
    """Any mix of precisions, offsets, spans and qualifiers sorts, consistently with the spans."""
    raw = []
    for i, (date, end) in enumerate(pairs):
        event: dict[str, Any] = {"id": f"e{i}", "date": date.isoformat(), "title": "t"}
        if end is not None and end.stop(dt.UTC) > date.start(dt.UTC):
            event["end"] = end.isoformat()
        raw.append(event)
    log, _ = build({"chronology": {}, "events": raw}, "events.toml", scan(""))
    events: tuple[Event, ...] = log.events
    assert len(events) == len(raw)
    for earlier, later in itertools.pairwise(events):
        assert earlier.start <= later.start
        if earlier.start == later.start:
            assert earlier.date.precision <= later.date.precision
    assert sorted(events, key=lambda e: e.sort_key) == list(events)


@given(
    st.lists(partial_dates(), min_size=1, max_size=6),
    st.sampled_from(["UTC", "Europe/Moscow", "America/New_York", "Pacific/Kiritimati"]),
)
def test_day_window_holds_every_event_of_the_same_day(dates: list[PartialDate], zone: str) -> None:
    """Every event of an event's local day starts in its day window, whatever the offsets."""
    raw = [{"id": f"e{i}", "date": d.isoformat(), "title": "t"} for i, d in enumerate(dates)]
    log, diagnostics = build({"chrono": {"timezone": zone}, "events": raw}, "events.toml", scan(""))
    assert log.timezone == zone and not diagnostics
    for event in log.events:
        day = local_day(event, log.tz)
        window = day_window(event, log.tz)
        assert (window is None) == (day is None)
        if window is None:
            continue
        same = [e for e in log.events if local_day(e, log.tz) == day]
        assert all(window[0] <= e.start < window[1] for e in same)
        assert [e for e in log.starting(*window) if e in same] == same


def test_events_at_one_instant_in_two_offsets_keep_their_own() -> None:
    """Equal TOML datetimes in different offsets are not merged by the builder's date cache."""
    plus_one = dt.timezone(dt.timedelta(hours=1))
    doc = {
        "events": [
            {"id": "a", "date": dt.datetime(2026, 1, 23, 10, tzinfo=plus_one), "title": "A"},
            {"id": "b", "date": dt.datetime(2026, 1, 23, 9, tzinfo=dt.UTC), "title": "B"},
            {"id": "c", "date": "2026-01-23", "title": "C"},
            {"id": "d", "date": "2026-01-23", "title": "D", "end": "2026-01-24"},
            {"id": "e", "date": dt.date(2026, 1, 23), "title": "E"},
        ]
    }  # fmt: skip
    log, _ = build(doc, "events.toml", LazyPositions(""), lint=False)  # the fast path
    dates = {e.id: e.date.isoformat() for e in log.events}
    assert dates == {
        "a": "2026-01-23T10:00+01:00", "b": "2026-01-23T09:00Z", "c": "2026-01-23",
        "d": "2026-01-23", "e": "2026-01-23",
    }  # fmt: skip
    spans = {e.id: e.stop - e.start for e in log.events}
    assert spans["d"] == 2 * spans["c"] and spans["c"] == spans["e"]
