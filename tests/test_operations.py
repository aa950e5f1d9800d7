"""The application operations: each returns plain data (or raises), and never prints."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from chrono.core.errors import UsageError, WriteError
from chrono.operations import caching, checking, exporting, querying, showing, starting, summaries
from chrono.operations.querying import Filters, Reading
from chrono.operations.reading import open_source
from tests.conftest import cache

SAMPLE = Path(__file__).parent / "data" / "sample.toml"
TODAY = dt.date(2026, 11, 25)
UTC = dt.UTC


def reading() -> Reading:
    """How a test reads a log: its own cache, a long-lived process, a pinned today."""
    return Reading(cache(), False, lambda: TODAY)


def nowhere(note: str) -> None:
    """A notes sink for operations that should have nothing to say."""
    raise AssertionError(f"unexpected note: {note}")


def test_check_counts_what_it_found(capsys: pytest.CaptureFixture[str]) -> None:
    """A warning is counted, fails only with strict; nothing is printed."""
    report = checking.check(SAMPLE)
    assert (report.events, report.actors, report.errors, report.warnings) == (5, 5, 0, 1)
    assert report.failed is False and checking.check(SAMPLE, strict=True).failed is True
    assert [d.code for d in report.diagnostics] == ["unknown-actor"]
    assert capsys.readouterr() == ("", "")


def test_check_of_unreadable_toml_has_no_counts(tmp_path: Path) -> None:
    """A log that is not TOML at all: no event or actor counts, one error, failed."""
    log = tmp_path / "events.toml"
    log.write_text("x = = 1\n")
    report = checking.check(log)
    assert (report.events, report.actors, report.errors, report.failed) == (None, None, 1, True)


def ids(found: querying.Answer) -> list[str]:
    """The ids an answer selected, in order."""
    return [e.id for e in found.selection.events]


def test_answer_selects_and_resolves(capsys: pytest.CaptureFixture[str]) -> None:
    """Filters in, the selection and the zone to show it in out."""
    found = querying.answer(SAMPLE, Filters(actor=("Uschakow",)), reading(), notes=nowhere)
    assert ids(found) == ["mar", "night"]
    assert str(found.display) == "Europe/Moscow"
    assert found.chronology().registry.display("ushakov") == "Yuri Ushakov"
    utc = querying.answer(SAMPLE, Filters(limit=1), reading(), zone="UTC", notes=nowhere)
    assert (ids(utc), str(utc.display)) == (["night"], "UTC")
    assert capsys.readouterr() == ("", "")


def test_dates_are_read_in_the_logs_zone() -> None:
    """--on 2025-02-11 is that day in Moscow (UTC+3), not in UTC."""
    source = open_source(SAMPLE, cache())
    query = querying.build_query(source, Filters(on="2025-02-11"), TODAY, nowhere)
    start = dt.datetime(2025, 2, 10, 21, tzinfo=UTC)
    assert query.start == int((start - dt.datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()) * 10**6
    assert query.stop is not None and query.stop - query.start == 86_400 * 10**6


def test_from_and_to_narrow_on() -> None:
    """--on a year, --from a month in it: the span starts at the later of the two."""
    source = open_source(SAMPLE, cache())
    year = querying.build_query(source, Filters(on="2025"), TODAY, nowhere)
    narrowed = querying.build_query(source, Filters(on="2025", since="2025-07"), TODAY, nowhere)
    assert narrowed.stop == year.stop and year.start is not None
    assert narrowed.start is not None and narrowed.start > year.start


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (Filters(since="2026-01", until="2025-12"), "--to 2025-12 is before --from 2026-01"),
        (Filters(limit=-1), "--limit: must be 0 or more"),
        (Filters(search='""'), "--search: '\"\"' has no letters or digits to look for"),
        (
            Filters(actor=("Nobody",)),
            "--actor: no actor matches 'Nobody' ('chrono actors' lists them)",
        ),
    ],
)
def test_filters_no_query_can_answer_are_usage_errors(filters: Filters, message: str) -> None:
    """Each refusal is a UsageError with the exact message the user sees."""
    with pytest.raises(UsageError) as raised:
        querying.answer(SAMPLE, filters, reading(), notes=nowhere)
    assert str(raised.value) == message


def test_an_ambiguous_actor_selects_all_and_says_so_through_notes() -> None:
    """'smith' names two actors: both are selected and the note goes to the caller's sink."""
    notes: list[str] = []
    found = querying.answer(SAMPLE, Filters(actor=("smith",)), reading(), notes=notes.append)
    assert ids(found) == ["summer"]
    assert notes == [
        "'smith' matches 2 actors: Anna Smith (smith-a), Bob Smith (smith-b); selecting all"
    ]


def test_a_bad_zone_is_refused() -> None:
    """--tz takes IANA names only."""
    with pytest.raises(UsageError, match="--tz: unknown time zone 'Mars/Base'"):
        querying.answer(SAMPLE, Filters(), reading(), zone="Mars/Base", notes=nowhere)


def test_show_finds_by_prefix_and_names_candidates() -> None:
    """A unique prefix finds the event and its neighbours; an unknown id suggests close ones."""
    shown = showing.show(SAMPLE, "mar", reading())
    assert (shown.event.id, shown.before and shown.before.id) == ("mar", "feb")
    assert shown.after is not None and shown.after.id == "winter"
    with pytest.raises(UsageError) as raised:
        showing.show(SAMPLE, "summr", reading())
    assert str(raised.value) == "no event with id 'summr'; did you mean 'summer' or 'mar'?"


def test_actors_as_data() -> None:
    """The table, the pairs (of one actor, with a name), or one actor's detail, as data."""
    table = summaries.actors(SAMPLE, reading(), notes=nowhere)
    assert [s.key for s in table.summaries][:2] == ["witkoff", "putin"]
    assert table.pairs is None and table.details is None
    pairs = summaries.actors(SAMPLE, reading(), pairs=True, notes=nowhere)
    assert pairs.pairs is not None and pairs.pairs[0] == ("witkoff", "putin", 3)
    putin = summaries.actors(SAMPLE, reading(), name="Putin", pairs=True, notes=nowhere)
    assert putin.pairs is not None and putin.pairs[0] == ("putin", "witkoff", 3)
    assert all(a == "putin" for a, _, _ in putin.pairs) and len(putin.pairs) < len(pairs.pairs)
    with pytest.raises(UsageError, match="no actor matches 'Nobody'"):
        summaries.actors(SAMPLE, reading(), name="Nobody", pairs=True, notes=nowhere)
    one = summaries.actors(SAMPLE, reading(), name="Uschakow", notes=nowhere)
    assert one.details is not None and [d.summary.key for d in one.details] == ["ushakov"]
    assert [e.id for e in one.details[0].selection.events] == ["mar", "night"]
    assert one.details[0].together == [("witkoff", 2), ("putin", 2)]


def test_export_returns_the_bytes_or_writes_them(tmp_path: Path) -> None:
    """To stdout: the bytes come back; to a file: written, and the count still comes back."""
    layout = exporting.Layout()
    out = exporting.export(SAMPLE, "json", Filters(tag=("ukraine",)), reading(), layout,
                           notes=nowhere)  # fmt: skip
    assert out.events == 3 and out.data is not None
    assert [e["id"] for e in json.loads(out.data)["events"]] == ["feb", "mar", "night"]
    target = tmp_path / "out.json"
    written = exporting.export(SAMPLE, "json", Filters(tag=("ukraine",)), reading(), layout,
                               output=str(target), notes=nowhere)  # fmt: skip
    assert (written.data, written.events, target.read_bytes()) == (None, 3, out.data)


def test_export_never_overwrites_the_log(tmp_path: Path) -> None:
    """-o naming the log itself is refused and the log is left as it was."""
    log = tmp_path / "events.toml"
    log.write_bytes(SAMPLE.read_bytes())
    with pytest.raises(UsageError, match="that is the event log itself; not overwritten"):
        exporting.export(log, "md", Filters(), reading(), exporting.Layout(), output=str(log),
                         notes=nowhere)  # fmt: skip
    assert log.read_bytes() == SAMPLE.read_bytes()


def test_default_title_comes_from_the_filters() -> None:
    """Two actors asked for: 'Putin and Witkoff, <span>'; --any-actor says 'or'."""
    layout = exporting.Layout(generated=True)
    both = exporting.export(SAMPLE, "md", Filters(actor=("putin", "witkoff")), reading(), layout,
                            notes=nowhere)  # fmt: skip
    either = Filters(actor=("putin", "witkoff"), any_actor=True)
    any_of = exporting.export(SAMPLE, "md", either, reading(), layout, notes=nowhere)
    assert both.data is not None and both.data.startswith(b"# Putin and Witkoff, ")
    assert any_of.data is not None and any_of.data.startswith(b"# Putin or Witkoff, ")
    assert b"Generated by chrono " in both.data and b" on 2026-11-25 from sample.toml" in both.data


def test_a_started_log_is_the_template_and_checks_clean(tmp_path: Path) -> None:
    """init writes the starter log (creating its folder) that check finds no problem in."""
    target = tmp_path / "notes" / "events.toml"
    starting.start(str(target), "Europe/Berlin", TODAY)
    assert target.read_text() == starting.starter_log("Europe/Berlin", TODAY)
    assert 'timezone = "Europe/Berlin"' in target.read_text()
    report = checking.check(target)
    assert (report.events, report.actors, report.diagnostics) == (1, 1, [])
    with pytest.raises(WriteError, match="already exists; not overwritten"):
        starting.start(str(target), "UTC", TODAY)
    with pytest.raises(UsageError, match="--timezone: unknown time zone 'Nowhere'"):
        starting.start(str(tmp_path / "other.toml"), "Nowhere", TODAY)


def test_cache_location_and_clearing(tmp_path: Path) -> None:
    """The index lives in the cache folder; clearing says how many went."""
    log = tmp_path / "events.toml"
    log.write_bytes(SAMPLE.read_bytes())
    folder = cache().folder
    where = caching.index_location(log, folder)
    assert where.parent == folder and not where.exists()
    querying.answer(log, Filters(), reading(), notes=nowhere)  # builds it (inline in tests)
    assert where.exists()
    assert (caching.clear(folder, log), where.exists(), caching.clear(folder, log)) == (1, False, 0)
