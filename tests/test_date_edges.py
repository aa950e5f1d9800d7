"""The edges of dates: defaults, every month name, microseconds, the bounds of the clock
and of UTC offsets, and the month a moment is shown in across a zone's month boundary."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from chrono.core.dates import (
    PartialDate,
    Precision,
    ends_before,
    from_toml,
    iso_shaped,
    load_timezone,
    make_date,
    parse_iso,
    type_name,
)
from chrono.core.datetext import MONTHS, label, parse_period, year_month
from chrono.core.errors import DateError
from tests.conftest import Run

WriteLog = Callable[[str], Path]  # the write_log fixture

TODAY = dt.date(2026, 11, 25)  # the run fixture's CHRONO_TODAY
BERLIN = ZoneInfo("Europe/Berlin")


def utc(*args: int) -> int:
    """Microseconds since the epoch of a UTC wall time, counted without chrono's help."""
    moment = dt.datetime(*args, tzinfo=dt.UTC)  # type: ignore[misc]
    return (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)


# -- defaults --------------------------------------------------------------------------


def test_a_date_defaults_to_the_first_moment_of_its_span() -> None:
    """A date given only its year starts on 1 January at 00:00:00.000000, unqualified."""
    whole = PartialDate(2026, 1, 1, 0, 0, 0, 0, Precision.DAY, None, "")
    assert PartialDate(2026) == whole
    assert make_date(2026, precision=Precision.YEAR) == PartialDate(
        2026, 1, 1, 0, 0, 0, 0, Precision.YEAR, None, ""
    )


@pytest.mark.parametrize(
    ("text", "start", "stop"),
    [
        ("this year", (2026, 1, 1), (2027, 1, 1)),
        ("last year", (2025, 1, 1), (2026, 1, 1)),
        ("1 year ago", (2025, 1, 1), (2026, 1, 1)),
        ("this month", (2026, 11, 1), (2026, 12, 1)),
        ("next month", (2026, 12, 1), (2027, 1, 1)),
    ],
)
def test_a_named_year_or_month_covers_all_of_it(
    text: str, start: tuple[int, int, int], stop: tuple[int, int, int]
) -> None:
    """'this year' runs from 1 January to the next 1 January; a month from its first day."""
    period = parse_period(text, TODAY)
    assert (period.start(dt.UTC), period.stop(dt.UTC)) == (utc(*start), utc(*stop))


def test_on_this_year_lists_january(run: Run, write_log: WriteLog) -> None:
    """`list --on "this year"` includes the first moments of January."""
    log = write_log(
        '[chrono]\ntimezone = "UTC"\n\n'
        '[[events]]\nid = "first"\ndate = "2026-01-01T00:00"\ntitle = "New year"\n\n'
        '[[events]]\nid = "old"\ndate = "2025-12-31T23:59"\ntitle = "Old year"\n'
    )
    result = run("list", "-f", str(log), "--on", "this year", "--format", "ids")
    assert (result.exit_code, result.stdout) == (0, "first\n")


# -- month names -----------------------------------------------------------------------

ENGLISH = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]  # fmt: skip
SHORT = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
GERMAN = ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
          "september", "oktober", "november", "dezember"]  # fmt: skip
OTHER = {"sept": 9, "jänner": 1, "jaenner": 1, "maerz": 3, "mär": 3, "okt": 10, "dez": 12}
EVERY_NAME = sorted(
    ({n: m for names in (ENGLISH, SHORT, GERMAN) for m, n in enumerate(names, 1)} | OTHER).items()
)


def test_the_month_names_are_exactly_these() -> None:
    """chrono reads exactly the English and German month names and abbreviations listed."""
    assert dict(EVERY_NAME) == MONTHS


@pytest.mark.parametrize(("name", "month"), EVERY_NAME)
def test_every_month_name_names_its_month(name: str, month: int) -> None:
    """Each month name, in any case and with a dot after it, reads as its own month."""
    for written in (name, name.capitalize(), name.upper(), f"{name}."):
        assert parse_period(f"{written} 2026", TODAY).first == make_date(
            2026, month, precision=Precision.MONTH
        )
    assert parse_period(f"7 {name} 2026", TODAY).first == make_date(
        2026, month, 7, precision=Precision.DAY
    )


# -- fractions of a second ---------------------------------------------------------------


def test_a_fraction_of_a_second_is_a_span_of_one_microsecond() -> None:
    """'22:30:15.25' starts 250,000 microseconds after 22:30:15 and lasts one microsecond."""
    date = parse_iso("2026-01-22T22:30:15.25Z")
    assert date.microsecond == 250_000
    assert date.start(BERLIN) == utc(2026, 1, 22, 22, 30, 15) + 250_000
    assert date.stop(BERLIN) - date.start(BERLIN) == 1
    assert parse_iso("2026-01-22T22:30:15.000001").isoformat() == "2026-01-22T22:30:15.000001"


def test_a_moment_lasts_its_minute_or_its_second() -> None:
    """A time to the minute covers 60 seconds; to the second, one second."""
    minute, second = parse_iso("2026-01-22T22:30"), parse_iso("2026-01-22T22:30:15")
    assert minute.stop(dt.UTC) - minute.start(dt.UTC) == 60_000_000
    assert second.stop(dt.UTC) - second.start(dt.UTC) == 1_000_000
    assert second.start(dt.UTC) == utc(2026, 1, 22, 22, 30, 15)


def test_a_toml_datetime_with_only_microseconds_keeps_the_second() -> None:
    """A TOML datetime at :00.5 is written to the second, not rounded to its minute."""
    date = from_toml(dt.datetime(2026, 1, 22, 22, 30, 0, 500_000))
    assert (date.precision, date.microsecond) == (Precision.SECOND, 500_000)


# -- the bounds of the clock and of the calendar -------------------------------------------


@pytest.mark.parametrize(
    "text", ["2026-01-01T00:00:00", "2026-01-01T23:59:59", "2026-01-31", "2024-02-29", "0001"]
)
def test_the_last_and_first_of_each_field_are_dates(text: str) -> None:
    """Hour 0 and 23, minute and second 0 and 59, the last day of a month are accepted."""
    assert parse_iso(text).isoformat() == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-01-01T24:00", "no such time of day in '2026-01-01T24:00': hour 24 is not 0-23"),
        ("2026-01-01T10:60", "no such time of day in '2026-01-01T10:60': minute 60 is not 0-59"),
        (
            "2026-01-01T10:00:60",
            "no such time of day in '2026-01-01T10:00:60': second 60 is not 0-59",
        ),
        ("2026-00", "no month 0 in '2026-00'"),
        ("2026-00-10", "no month 0 in '2026-00-10'"),
        ("2026-13", "no month 13 in '2026-13'"),
        ("2026-01-00", "no such day: January 2026 has 31 days, not 0 ('2026-01-00')"),
        ("2026-01-32", "no such day: January 2026 has 31 days, not 32 ('2026-01-32')"),
        ("2026-02-29", "no such day: February 2026 has 28 days, not 29 ('2026-02-29')"),
    ],
)
def test_impossible_fields_are_named(text: str, message: str) -> None:
    """A minute or second of 60, an hour of 24, a month 00 or 13 or a day past the month's
    last is a DateError naming the field, read from the log and typed alike."""
    for parse in (parse_iso, lambda t: parse_period(t, TODAY)):
        with pytest.raises(DateError) as info:
            parse(text)
        assert str(info.value) == message


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("list", "--on", "2026-00"), "--on: no month 0 in '2026-00'"),
        (("list", "--from", "2026-13"), "--from: no month 13 in '2026-13'"),
        (
            ("list", "--on", "2026-01-01T10:60"),
            "--on: no such time of day in '2026-01-01T10:60': minute 60 is not 0-59",
        ),
        (
            ("add", "x", "--date", "2026-01-01T10:00:60", "--dry-run"),
            "--date: no such time of day in '2026-01-01T10:00:60': second 60 is not 0-59",
        ),
    ],
)
def test_the_command_line_names_the_impossible_field(
    run: Run, write_log: WriteLog, args: tuple[str, ...], message: str
) -> None:
    """A typed month 00 or minute 60 is one error line naming the field, exit status 2."""
    log = write_log('[chrono]\ntimezone = "UTC"\n')
    result = run(*args, "-f", str(log))
    assert (result.exit_code, result.stderr) == (2, f"chrono: error: {message}\n")


def test_a_date_built_in_code_is_checked_too() -> None:
    """make_date refuses what parse_iso refuses, naming the date it was given."""
    with pytest.raises(DateError, match=r"^no month 0 in '2026-00-01'$"):
        make_date(2026, 0, precision=Precision.MONTH)
    with pytest.raises(DateError, match=r"January 2026 has 31 days, not 40 \('2026-01-40'\)$"):
        make_date(2026, 1, 40, precision=Precision.DAY)
    with pytest.raises(DateError, match=r"^year out of range \(1-9999\) in '10000-01-01'$"):
        make_date(10_000, precision=Precision.YEAR)
    with pytest.raises(DateError, match=r"^unknown qualifier '!' in '2026-01-01'$"):
        make_date(2026, precision=Precision.YEAR, qualifier="!")
    with pytest.raises(DateError, match=r"^year out of range"):
        parse_period("next year", dt.date(9999, 6, 1))


def test_precisions_keep_their_stored_numbers() -> None:
    """The index stores precisions as numbers: year 1 to second 5, never renumbered."""
    assert [(p.label, int(p)) for p in Precision] == [
        ("year", 1), ("month", 2), ("day", 3), ("minute", 4), ("second", 5)
    ]  # fmt: skip


# -- UTC offsets -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "seconds", "shown"),
    [
        ("Z", 0, "Z"),
        ("z", 0, "Z"),
        ("+00:00", 0, "Z"),
        ("+23:59", 23 * 3600 + 59 * 60, "+23:59"),
        ("-23:59", -(23 * 3600 + 59 * 60), "-23:59"),
        ("-0530", -(5 * 3600 + 30 * 60), "-05:30"),
        ("+01:00", 3600, "+01:00"),
    ],
)
def test_offsets_up_to_a_minute_short_of_a_day(written: str, seconds: int, shown: str) -> None:
    """Offsets from -23:59 to +23:59 are read to the second and written back the ISO way."""
    date = parse_iso(f"2026-01-01T00:00{written}")
    assert date.offset == seconds
    assert date.isoformat() == f"2026-01-01T00:00{shown}"
    assert date.start(BERLIN) == utc(2026, 1, 1) - seconds * 1_000_000


@pytest.mark.parametrize("written", ["+24:00", "-24:00", "+23:60", "-00:60", "+99:00"])
def test_offsets_of_a_day_or_more_are_refused(written: str) -> None:
    """An offset of 24 hours or 60 minutes is no UTC offset, and says so."""
    text = f"2026-01-01T10:00{written}"
    with pytest.raises(DateError) as info:
        parse_iso(text)
    assert str(info.value) == f"no such UTC offset {written!r} in {text!r}"


# -- the month a moment is shown in ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "display", "expected"),
    [
        ("2026-01-31T23:30Z", BERLIN, (2026, 2)),
        ("2026-01-31T23:30Z", dt.UTC, (2026, 1)),
        ("2025-12-31T23:30Z", BERLIN, (2026, 1)),
        ("2026-02-01T00:30+01:00", dt.UTC, (2026, 1)),
        ("2026-01-31", BERLIN, (2026, 1)),  # a day is shown as written, whatever the zone
        ("2026-01", ZoneInfo("Pacific/Kiritimati"), (2026, 1)),
    ],
)
def test_a_moment_is_headed_by_its_month_in_the_display_zone(
    text: str, display: dt.tzinfo, expected: tuple[int, int]
) -> None:
    """23:30 UTC on 31 January is February in Berlin; dates without a time never move."""
    assert year_month(parse_iso(text), dt.UTC, display) == expected


def test_the_timeline_heads_a_moment_by_its_month_in_the_display_zone(
    run: Run, write_log: WriteLog
) -> None:
    """Shown in Europe/Berlin, an event at 2026-01-31T23:30Z stands under February."""
    log = write_log(
        '[chrono]\ntimezone = "UTC"\n\n'
        '[[events]]\nid = "late"\ndate = "2026-01-31T23:30Z"\ntitle = "Late night"\n\n'
        '[[events]]\nid = "mid"\ndate = "2026-01-15"\ntitle = "Mid January"\n'
    )
    shown = run("list", "-f", str(log), "--tz", "Europe/Berlin").stdout.splitlines()
    assert shown[:5] == [
        "2026",
        " January",
        "  15 Jan 2026          Mid January",
        " February",
        "  1 Feb 2026 00:30 CET Late night",
    ]
    assert label(parse_iso("2026-01-31T23:30Z"), None, dt.UTC, BERLIN) == "1 Feb 2026 00:30 CET"


# -- spans, zones and type names ---------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "date", "before"),
    [
        ("2026-01", "2026-02", True),  # over the moment February begins
        ("2026-01-15", "2026-01-15T09:00", False),  # the day is not over at 09:00
        ("2026-01-14", "2026-01-15T00:00", True),
        ("2026-01", "2026-01-15", False),
        ("2026-01-31T23:59", "2026-02", True),
    ],
)
def test_an_end_is_before_its_date_once_it_is_over(end: str, date: str, before: bool) -> None:
    """An end is before its date exactly when its span is over by the time the date begins."""
    assert ends_before(parse_iso(end), parse_iso(date), BERLIN) is before


class _NoOffset(dt.tzinfo):
    """A zone that knows no offset (utcoffset None): read as UTC."""

    def utcoffset(self, moment: dt.datetime | None) -> None:
        return None


def test_a_zone_without_an_offset_counts_as_utc() -> None:
    """A tzinfo whose utcoffset is None puts wall time on UTC."""
    assert parse_iso("2026-01-22T10:00").start(_NoOffset()) == utc(2026, 1, 22, 10)


def test_time_zones_are_found_by_name() -> None:
    """UTC in any case is the UTC zone itself; an IANA name its zone; anything else none."""
    assert load_timezone("utc") is dt.UTC
    assert load_timezone("UTC") is dt.UTC
    assert load_timezone("Europe/Berlin") == BERLIN
    assert load_timezone("Nowhere/City") is None


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (True, "a boolean"),
        (3, "an integer"),
        (1.5, "a float"),
        ("x", "a string"),
        ([], "an array"),
        ({}, "a table"),
        (dt.datetime(2026, 1, 1), "a datetime"),
        (dt.date(2026, 1, 1), "a date"),
        (dt.time(10), "a time"),
        (b"x", "bytes"),
    ],
)
def test_values_are_named_by_their_toml_type(value: object, name: str) -> None:
    """Messages call a value by its TOML type's name (a Python one for anything else)."""
    assert type_name(value) == name


@pytest.mark.parametrize(
    ("text", "shaped"),
    [("2026-00", True), ("2026-01-01T10:60+24:00~", True), (" 2026 ", True),
     ("2026-1", False), ("next year", False), ("2026-01-01t10:00", False)],
)  # fmt: skip
def test_iso_shaped_text_is_told_apart(text: str, shaped: bool) -> None:
    """Text written the ISO way is recognised as such even when it names no real date."""
    assert iso_shaped(text) is shaped


def test_a_date_cannot_be_changed_in_place() -> None:
    """Dates are frozen: an event's date stays the one the log wrote."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_iso("2026").year = 2027  # type: ignore[misc]


def test_any_offset_east_of_utc_is_written_with_a_plus() -> None:
    """An offset east of UTC, even under a minute, is written with +; west with -."""
    assert PartialDate(2026, 1, 1, 10, 0, precision=Precision.MINUTE, offset=1).isoformat() == (
        "2026-01-01T10:00+00:00"
    )
    assert PartialDate(2026, 1, 1, 10, 0, precision=Precision.MINUTE, offset=-60).isoformat() == (
        "2026-01-01T10:00-00:01"
    )
