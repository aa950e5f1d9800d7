"""What a new user trips over with dates: periods read in another zone than the one shown,
and the dates people write (17.11.2023, novembre 2023, Q2 2024, mid-November 2023)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from chrono.core.dates import load_timezone
from chrono.operations.querying import Filters, build_query
from chrono.operations.reading import FileSource, open_source
from chrono.storage.index import Index as IndexSource
from tests.conftest import Run, cache

# Times around the day 22 Nov 2023 in Tokyo (UTC+9): it runs from 21 Nov 15:00 UTC to
# 22 Nov 15:00 UTC. The log's own zone is UTC.
MOMENTS = {"before": "2023-11-21T14:59", "first": "2023-11-21T15:00",
           "last": "2023-11-22T14:59", "after": "2023-11-22T15:00"}  # fmt: skip
AROUND_TOKYO_DAY = '[chrono]\ntimezone = "UTC"\n' + "".join(
    f'\n[[events]]\nid = "{key}"\ndate = {moment}:00Z\ntitle = "At {moment} UTC"\n'
    for key, moment in MOMENTS.items()
)
IN_TOKYO = ["first", "last"]
IN_UTC = ["last", "after"]  # 22 Nov in UTC: 14:59 and 15:00


def _ids(run: Run, log: Path, *args: str, cached: bool = True) -> list[str]:
    head = () if cached else ("--no-cache",)
    result = run(*head, "list", "-f", str(log), "--format", "ids", *args)
    assert result.exit_code in (0, 3), result.output
    return result.stdout.split()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--on", "2023-11-22", "--tz", "Asia/Tokyo"), IN_TOKYO),
        (("--from", "2023-11-22", "--to", "2023-11-22", "--tz", "Asia/Tokyo"), IN_TOKYO),
        (("--from", "2023-11-22", "--tz", "Asia/Tokyo"), ["first", "last", "after"]),
        (("--to", "2023-11-22", "--tz", "Asia/Tokyo"), ["before", "first", "last"]),
        (("--on", "2023-11-21", "--tz", "Asia/Tokyo"), ["before"]),
        (("--on", "2023-11-22"), IN_UTC),  # no --tz: the log's zone, as before
        (("--on", "2023-11-22", "--tz", "UTC"), IN_UTC),
    ],
)
def test_a_period_typed_is_read_in_the_zone_the_answer_is_shown_in(
    run: Run, write_log: Callable[[str], Path], args: tuple[str, ...], expected: list[str]
) -> None:
    """--on, --from and --to name days of the --tz zone (else the log's): an event a
    minute inside the Tokyo day is selected, one a minute outside is not, from the file
    and from the index alike."""
    log = write_log(AROUND_TOKYO_DAY)
    assert _ids(run, log, *args, cached=False) == expected
    assert _ids(run, log, *args) == expected  # builds the index
    assert isinstance(open_source(log, cache()), IndexSource)
    assert _ids(run, log, *args) == expected  # answered by the index


def test_the_labels_and_the_selection_agree_in_the_display_zone(
    run: Run, write_log: Callable[[str], Path]
) -> None:
    """The user's case: `list --on 2023-11-21 --tz Asia/Tokyo` shows no event labelled
    22 Nov JST, and the day asked shows each of its events with that day's label."""
    log = write_log(AROUND_TOKYO_DAY)
    shown = run("--no-cache", "list", "-f", str(log), "--on", "2023-11-21", "--tz", "Asia/Tokyo")
    assert shown.exit_code == 0
    assert "21 Nov 2023 23:59 JST" in shown.stdout and "22 Nov" not in shown.stdout
    asked = run("list", "-f", str(log), "--on", "22 Nov 2023", "--tz", "Asia/Tokyo")
    assert asked.exit_code == 0
    assert "22 Nov 2023 00:00 JST" in asked.stdout and "22 Nov 2023 23:59 JST" in asked.stdout
    assert "21 Nov" not in asked.stdout and "23 Nov" not in asked.stdout


def test_export_selects_in_the_display_zone(run: Run, write_log: Callable[[str], Path]) -> None:
    """`export --on DAY --tz ZONE` selects the events of that day in that zone."""
    log = write_log(AROUND_TOKYO_DAY)
    result = run("export", "json", "-f", str(log), "--on", "2023-11-22", "--tz", "Asia/Tokyo")
    assert result.exit_code == 0, result.output
    assert [event["id"] for event in json.loads(result.stdout)["events"]] == IN_TOKYO


def test_build_query_reads_dates_in_the_zone_given(write_log: Callable[[str], Path]) -> None:
    """The query's span is the day in the zone passed, and in the log's zone without one."""
    log = write_log(AROUND_TOKYO_DAY)
    source = open_source(log, cache())
    assert isinstance(source, FileSource)
    tokyo = load_timezone("Asia/Tokyo")
    assert tokyo is not None
    filters = Filters(on="2023-11-22")
    today = dt.date(2026, 1, 1)
    query = build_query(source, filters, today, print, tokyo)
    day = dt.datetime(2023, 11, 22, tzinfo=tokyo)
    assert (query.start, query.stop) == (_us(day), _us(day + dt.timedelta(days=1)))
    utc = build_query(source, filters, today, print)
    midnight = day.replace(tzinfo=dt.UTC)
    assert (utc.start, utc.stop) == (_us(midnight), _us(midnight + dt.timedelta(days=1)))


def _us(moment: dt.datetime) -> int:
    return int(moment.timestamp()) * 1_000_000
