"""Dates typed in words and numbers, and their labels: every hedge word, numeric advice,
qualifiers written after a worded date, the label of each month and of hedged spans."""

from __future__ import annotations

import datetime as dt

import pytest

from chrono.core.dates import parse_iso
from chrono.core.datetext import label, parse_date, parse_period
from chrono.core.errors import DateError

TODAY = dt.date(2026, 11, 25)
APPROXIMATE = ["around", "about", "circa", "ca.", "ca", "c.", "approximately", "approx.",
               "roughly", "etwa", "ungefähr", "gegen"]  # fmt: skip
UNCERTAIN = ["maybe", "perhaps", "possibly", "probably", "vielleicht", "vermutlich", "wohl"]


@pytest.mark.parametrize("word", APPROXIMATE)
def test_every_word_of_approximation_makes_a_date_approximate(word: str) -> None:
    """Each word that says 'about' marks the date after it ~, in any case."""
    assert parse_date(f"{word} 1962", TODAY).isoformat() == "1962~"
    assert parse_date(f"{word.upper()} July 1962", TODAY).isoformat() == "1962-07~"


@pytest.mark.parametrize("word", UNCERTAIN)
def test_every_word_of_doubt_makes_a_date_uncertain(word: str) -> None:
    """Each word that says 'maybe' marks the date after it ?."""
    assert parse_date(f"{word} 1962", TODAY).isoformat() == "1962?"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("around 2019%", "2019%"),  # already both: stays both
        ("maybe 2019%", "2019%"),
        ("maybe 2019~", "2019%"),
        ("around 2019~", "2019~"),
        ("23 Jan 2026~", "2026-01-23~"),  # a qualifier written after a worded date
        ("January 23, 2026?", "2026-01-23?"),
        ("Januar 2026%", "2026-01%"),
        ("23 Jan 2026 09:30~", "2026-01-23T09:30~"),
    ],
)
def test_qualifiers_combine_and_follow_worded_dates(text: str, stored: str) -> None:
    """A hedge word adds its mark to the date's own; a mark after a worded date is kept."""
    assert parse_date(text, TODAY).isoformat() == stored


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025/12/02", "write '2025/12/02' in ISO form, year first: 2025-12-02"),
        (  # day first, and a year of two digits is in either century
            "02.03.26",
            "ambiguous date '02.03.26': write 1926-03-02 or 2.3.1926 for 2 March 1926, "
            "2026-03-02 or 2.3.2026 for 2 March 2026",
        ),
        ("01/13/2026", "write '01/13/2026' in ISO form, year first: 2026-01-13"),
        ("31/31/2026", "no such date: '31/31/2026'"),
        (
            "2026-01-01 at noon",
            "not a date: '2026-01-01 at noon' (use YYYY, YYYY-MM, YYYY-MM-DD or "
            "YYYY-MM-DDTHH:MM, optionally followed by ?, ~ or %)",
        ),
    ],
)
def test_numeric_dates_get_their_iso_spelling(text: str, message: str) -> None:
    """Numbers with slashes or dots are never guessed: the ISO spellings they may mean are
    given, day first for dots, and only those that exist."""
    with pytest.raises(DateError) as info:
        parse_period(text, TODAY)
    assert str(info.value) == message


ABBREVIATIONS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                 "Dec"]  # fmt: skip


@pytest.mark.parametrize(("month", "abbreviation"), list(enumerate(ABBREVIATIONS, start=1)))
def test_every_month_has_its_label(month: int, abbreviation: str) -> None:
    """A month, a day and a time in that month are labelled with its English abbreviation."""
    utc = dt.UTC
    assert label(parse_iso(f"2026-{month:02d}"), None, utc, utc) == f"{abbreviation} 2026"
    day = parse_iso(f"2026-{month:02d}-09")
    assert label(day, None, utc, utc) == f"9 {abbreviation} 2026"
    moment = parse_iso(f"2026-{month:02d}-09T10:00Z")
    assert label(moment, None, utc, utc) == f"9 {abbreviation} 2026 10:00 UTC"


@pytest.mark.parametrize(
    ("date", "end", "expected"),
    [
        ("2026-01-22~", "2026-01-23", "~22 Jan 2026 – 23 Jan 2026"),
        ("2026-01-22", "2026-01-23?", "22 Jan 2026 – 23 Jan 2026?"),
        ("2026-03~", "2026-04", "~Mar 2026 – Apr 2026"),
        ("2026-01-22", "2026-02", "22 Jan 2026 – Feb 2026"),
    ],
)
def test_a_hedged_or_mixed_span_is_labelled_in_full(date: str, end: str, expected: str) -> None:
    """A span with a qualifier, or of two precisions, shows both ends whole, never merged."""
    utc = dt.UTC
    assert label(parse_iso(date), parse_iso(end), utc, utc) == expected


class _Nameless(dt.tzinfo):
    """A zone one hour east of UTC that has no name."""

    def utcoffset(self, moment: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(hours=1)

    def dst(self, moment: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(0)

    def tzname(self, moment: dt.datetime | None) -> None:
        return None


def test_a_zone_without_a_name_shows_the_time_alone() -> None:
    """A time shown in a zone that has no abbreviation ends with the time."""
    moment = parse_iso("2026-01-22T10:00Z")
    assert label(moment, None, dt.UTC, _Nameless()) == "22 Jan 2026 11:00"
