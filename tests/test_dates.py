"""The date model: parsing file dates at their precision, spans, and the total order."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chrono.core.dates import DAY_US, US, PartialDate, Precision, from_toml, parse_iso
from chrono.core.errors import DateError

MOSCOW = ZoneInfo("Europe/Moscow")


def instant(*args: int, tz: dt.tzinfo = dt.UTC) -> int:
    """Microseconds since the epoch of a wall time in tz."""
    moment = dt.datetime(*args, tzinfo=tz)  # type: ignore[misc]
    return int(moment.timestamp()) * US


@pytest.mark.parametrize(
    ("text", "precision", "iso"),
    [
        ("2025", Precision.YEAR, "2025"),
        ("2025-12", Precision.MONTH, "2025-12"),
        ("2025-12-02", Precision.DAY, "2025-12-02"),
        ("2026-01-22T22:30", Precision.MINUTE, "2026-01-22T22:30"),
        ("2026-01-22 22:30", Precision.MINUTE, "2026-01-22T22:30"),
        ("2026-01-22T22:30:15", Precision.SECOND, "2026-01-22T22:30:15"),
        ("2026-01-22T22:30:15.25", Precision.SECOND, "2026-01-22T22:30:15.25"),
        ("2026-01-22T22:30+03:00", Precision.MINUTE, "2026-01-22T22:30+03:00"),
        ("2026-01-22T22:30Z", Precision.MINUTE, "2026-01-22T22:30Z"),
        ("2026-01-22T22:30-0530", Precision.MINUTE, "2026-01-22T22:30-05:30"),
        ("1962-07~", Precision.MONTH, "1962-07~"),
        ("2025?", Precision.YEAR, "2025?"),
        ("2025-12-02%", Precision.DAY, "2025-12-02%"),
    ],
)
def test_parse_iso_keeps_the_written_precision(text: str, precision: Precision, iso: str) -> None:
    """Each ISO/EDTF form parses at exactly the precision written, and prints back the same."""
    date = parse_iso(text)
    assert date.precision == precision
    assert date.isoformat() == iso


def test_qualifier_names() -> None:
    """The EDTF symbols map to the names used in machine output."""
    assert parse_iso("2025").qualifier_name is None
    assert parse_iso("2025?").qualifier_name == "uncertain"
    assert parse_iso("2025~").qualifier_name == "approximate"
    assert parse_iso("2025%").qualifier_name == "uncertain-approximate"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-02-30", "no such day: February 2025 has 28 days, not 30 ('2025-02-30')"),
        ("2024-02-30", "no such day: February 2024 has 29 days, not 30 ('2024-02-30')"),
        ("2026-13-01", "no month 13 in '2026-13-01'"),
        ("0000-01-01", "year out of range (1-9999) in '0000-01-01'"),
        (
            "2026-01-01T24:00",
            "no such time of day in '2026-01-01T24:00': hour 24 is not 0-23",
        ),
        ("2026-01-01T10:00+25:00", "no such UTC offset '+25:00' in '2026-01-01T10:00+25:00'"),
        (
            "yesterday",
            "not a date: 'yesterday' (use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM, "
            "optionally followed by ?, ~ or %)",
        ),
        (
            "2025-1-5",
            "not a date: '2025-1-5' (use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM, "
            "optionally followed by ?, ~ or %)",
        ),
    ],
)
def test_parse_iso_rejects_impossible_dates(text: str, message: str) -> None:
    """Impossible or malformed dates raise DateError with a message naming the problem."""
    with pytest.raises(DateError) as info:
        parse_iso(text)
    assert str(info.value) == message


def test_from_toml_native_values() -> None:
    """TOML dates and datetimes keep their precision and offset."""
    assert from_toml(dt.date(2025, 12, 2)).precision == Precision.DAY
    naive = from_toml(dt.datetime(2026, 1, 22, 22, 30))
    assert (naive.precision, naive.offset) == (Precision.MINUTE, None)
    seconds = from_toml(dt.datetime(2026, 1, 22, 22, 30, 5))
    assert seconds.precision == Precision.SECOND
    aware = from_toml(dt.datetime(2026, 1, 22, 22, 30, tzinfo=dt.timezone(dt.timedelta(hours=3))))
    assert aware.offset == 3 * 3600
    assert aware.isoformat() == "2026-01-22T22:30+03:00"


def test_from_toml_rejects_times_and_other_types() -> None:
    """A bare time of day or a number is not a date."""
    with pytest.raises(DateError, match="a time of day without a date: 10:00:00"):
        from_toml(dt.time(10, 0))
    with pytest.raises(DateError, match="expected a date or a date string, got an integer"):
        from_toml(2025)


def test_a_month_covers_the_whole_month_in_the_log_zone() -> None:
    """'2025-12' spans 1 Dec 00:00 to 1 Jan 00:00, Moscow time."""
    date = parse_iso("2025-12")
    assert date.start(MOSCOW) == instant(2025, 12, 1, tz=MOSCOW)
    assert date.stop(MOSCOW) == instant(2026, 1, 1, tz=MOSCOW)


def test_a_year_and_a_day_cover_their_spans() -> None:
    """A year covers 365 or 366 days; a day covers 24 hours in a zone without DST changes."""
    assert parse_iso("2024").stop(dt.UTC) - parse_iso("2024").start(dt.UTC) == 366 * DAY_US
    day = parse_iso("2026-01-23")
    assert day.stop(MOSCOW) - day.start(MOSCOW) == DAY_US
    assert day.start(MOSCOW) == instant(2026, 1, 22, 21)


def test_offset_datetimes_ignore_the_log_zone() -> None:
    """A datetime with an offset is the same instant whatever the log's zone."""
    moment = parse_iso("2026-01-22T22:30+03:00")
    assert moment.start(dt.UTC) == moment.start(MOSCOW) == instant(2026, 1, 22, 19, 30)
    assert moment.stop(dt.UTC) - moment.start(dt.UTC) == 60 * US


def test_naive_datetimes_use_the_log_zone() -> None:
    """A datetime without an offset is wall time in the log's zone."""
    moment = parse_iso("2026-01-22T22:30")
    assert moment.start(MOSCOW) == instant(2026, 1, 22, 19, 30)


def test_extreme_years_do_not_overflow() -> None:
    """Year 1 and year 9999 have spans too."""
    assert parse_iso("9999").stop(MOSCOW) > parse_iso("9999-12-31").start(MOSCOW)
    assert parse_iso("0001").start(dt.UTC) < parse_iso("0001-01-02").start(dt.UTC)


# -- hypothesis: every form parses back to itself, and ordering never raises ----------

qualifiers = st.sampled_from(["", "?", "~", "%"])
offsets = st.one_of(st.none(), st.integers(-14 * 60, 14 * 60).map(lambda m: m * 60))


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    """Any valid PartialDate at any precision."""
    day = draw(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
    precision = draw(st.sampled_from(list(Precision)))
    time = draw(st.times())
    keep = precision >= Precision.MINUTE
    return PartialDate(
        day.year,
        day.month if precision >= Precision.MONTH else 1,
        day.day if precision >= Precision.DAY else 1,
        time.hour if keep else 0,
        time.minute if keep else 0,
        time.second if precision == Precision.SECOND else 0,
        time.microsecond if precision == Precision.SECOND else 0,
        precision,
        draw(offsets) if keep else None,
        draw(qualifiers),
    )


_ISO_LIKE = (
    r"[0-9]{4}(-[0-9]{2}(-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?[?~%]?"
)


@given(partial_dates())
def test_isoformat_round_trips(date: PartialDate) -> None:
    """parse_iso(d.isoformat()) == d for every date at every precision."""
    assert parse_iso(date.isoformat()) == date


@given(partial_dates(), st.sampled_from([dt.UTC, MOSCOW, ZoneInfo("America/New_York")]))
def test_span_is_never_empty(date: PartialDate, tz: dt.tzinfo) -> None:
    """Every date covers a non-empty span."""
    assert date.start(tz) < date.stop(tz)


@given(st.one_of(st.text(max_size=40), st.from_regex(_ISO_LIKE, fullmatch=True)))
def test_parse_iso_raises_only_date_errors(text: str) -> None:
    """Arbitrary text raises DateError or is a date that reads back from its ISO form, keeps
    the year and qualifier written and covers a span."""
    try:
        date = parse_iso(text)
    except DateError:
        return
    assert parse_iso(date.isoformat()) == date
    assert date.isoformat()[:4] == text.strip()[:4]
    assert date.start(dt.UTC) < date.stop(dt.UTC)
    assert date.qualifier == (text.strip()[-1] if text.strip()[-1] in "?~%" else "")
