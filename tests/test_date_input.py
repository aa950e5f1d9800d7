"""Dates typed by users: ISO first, month names in English and German, relative words."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chrono.app.settings import today
from chrono.core.dates import parse_iso
from chrono.core.datetext import label, parse_date, parse_period
from chrono.core.errors import DateError, UsageError

TODAY = dt.date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026", "2026", "2026"),
        ("2026-01", "2026-01", "2026-01"),
        ("2026-01-23", "2026-01-23", "2026-01-23"),
        ("2026-01-23T22:30", "2026-01-23T22:30", "2026-01-23T22:30"),
        ("2026-01-23T22:30+03:00", "2026-01-23T22:30+03:00", "2026-01-23T22:30+03:00"),
        ("2025-12~", "2025-12~", "2025-12~"),
        ("23 Jan 2026", "2026-01-23", "2026-01-23"),
        ("23 January 2026", "2026-01-23", "2026-01-23"),
        ("January 23, 2026", "2026-01-23", "2026-01-23"),
        ("23. Januar 2026", "2026-01-23", "2026-01-23"),
        ("3. März 2026", "2026-03-03", "2026-03-03"),
        ("January 2026", "2026-01", "2026-01"),
        ("Dez 2025", "2025-12", "2025-12"),
        ("dezember 2025", "2025-12", "2025-12"),
        ("Sept. 2025", "2025-09", "2025-09"),
        ("23 Jan 2026 22:30", "2026-01-23T22:30", "2026-01-23T22:30"),
        ("today", "2026-11-25", "2026-11-25"),
        ("Yesterday", "2026-11-24", "2026-11-24"),
        ("tomorrow", "2026-11-26", "2026-11-26"),
        ("this week", "2026-11-23", "2026-11-29"),
        ("last week", "2026-11-16", "2026-11-22"),
        ("next week", "2026-11-30", "2026-12-06"),
        ("this month", "2026-11", "2026-11"),
        ("last month", "2026-10", "2026-10"),
        ("next month", "2026-12", "2026-12"),
        ("last year", "2025", "2025"),
        ("next year", "2027", "2027"),
        ("3 days ago", "2026-11-22", "2026-11-22"),
        ("2 weeks ago", "2026-11-09", "2026-11-15"),
        ("11 months ago", "2025-12", "2025-12"),
        ("1 year ago", "2025", "2025"),
    ],
)
def test_period_forms(text: str, first: str, last: str) -> None:
    """Every documented input form names the period it should, at its own precision."""
    period = parse_period(text, TODAY)
    assert (period.first.isoformat(), period.last.isoformat()) == (first, last)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "02/12/2025",
            "ambiguous date '02/12/2025': write 2025-12-02 or 2.12.2025 for 2 December 2025, "
            "2025-02-12 or 12.2.2025 for 12 February 2025",
        ),
        (
            "1/2/68",
            "ambiguous date '1/2/68': write 1968-02-01 or 1.2.1968 for 1 February 1968, "
            "1968-01-02 or 2.1.1968 for 2 January 1968, 2068-02-01 or 1.2.2068 for "
            "1 February 2068, 2068-01-02 or 2.1.2068 for 2 January 2068",
        ),
        ("13/01/2026", "write '13/01/2026' in ISO form, year first: 2026-01-13"),
        ("2026.01.23", "write '2026.01.23' in ISO form, year first: 2026-01-23"),
        ("2026-13-01", "no month 13 in '2026-13-01'"),
        ("31 Feb 2026", "no such day: February 2026 has 28 days, not 31 ('31 Feb 2026')"),
        ("31 Feb", "no year in '31 Feb': write the year too, e.g. '31 Feb 2026'"),
        ("2026-1-5", "cannot read the date '2026-1-5': did you mean 2026-01-05?"),
        ("23 Smarch 2026", "unknown month name 'smarch' in '23 Smarch 2026'"),
        ("", "empty date"),
        (
            "next tuesday",
            "cannot read the date 'next tuesday': use an ISO date (2026-01-23, 2026-01, 2026), "
            "a month name (23 Jan 2026, Januar 2026) or words (today, last month, 3 days ago)",
        ),
    ],
)
def test_rejected_input(text: str, message: str) -> None:
    """Ambiguous, impossible and unreadable input is refused with advice, never guessed."""
    with pytest.raises(DateError) as info:
        parse_period(text, TODAY)
    assert str(info.value) == message


def test_parse_date_refuses_periods() -> None:
    """A week is a period, not a date an event can have."""
    assert parse_date("23. Januar 2026", TODAY).isoformat() == "2026-01-23"
    with pytest.raises(DateError, match="'last week' is a period, not a date"):
        parse_date("last week", TODAY)


class _Clock(dt.date):
    """A clock stopped on 6 May 2031."""

    @classmethod
    def today(cls) -> dt.date:
        return dt.date(2031, 5, 6)


def test_today_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """CHRONO_TODAY pins today, else the clock says; a bad value is a clear usage error."""
    import chrono.app.settings

    monkeypatch.setattr(chrono.app.settings, "dt", SimpleNamespace(date=_Clock))
    assert today({"CHRONO_TODAY": "2026-01-23"}) == dt.date(2026, 1, 23)
    assert today({}) == today({"CHRONO_TODAY": ""}) == dt.date(2031, 5, 6)
    with pytest.raises(UsageError, match="CHRONO_TODAY='x' is not an ISO date"):
        today({"CHRONO_TODAY": "x"})


_TYPED = (
    r"((around|maybe|ca\.|etwa) )?(([0-9]{1,2}\.? )?(jan|Februar|märz|Dez\.|sept|smarch) "
    r"([0-9]{1,2},? )?[0-9]{4}( [0-9]{1,2}:[0-9]{2})?|(this|last|next) (week|month|year)|"
    r"[0-9]{1,3} (day|week|month|year)s? ago|[0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2})?)?)[?~%]?"
)


@given(st.one_of(st.text(max_size=30), st.from_regex(_TYPED, fullmatch=True)))
def test_parse_period_raises_only_date_errors(text: str) -> None:
    """Any text either raises DateError or names a non-empty period whose first date
    starts it, and a single date reads back from its ISO form."""
    try:
        period = parse_period(text, TODAY)
    except DateError:
        return
    assert period.start(dt.UTC) < period.stop(dt.UTC)
    assert period.first.start(dt.UTC) <= period.last.start(dt.UTC)
    if period.first == period.last:
        assert parse_period(period.first.isoformat(), TODAY) == period


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_worded_dates_agree_with_iso(day: dt.date) -> None:
    """'23 Jan 2026' and '2026-01-23' name the same day, for every day."""
    worded = f"{day.day} {day.strftime('%b')} {day.year:04d}"
    assert parse_period(worded, TODAY).first == parse_iso(day.isoformat())


@pytest.mark.parametrize(
    ("date", "end", "expected"),
    [
        ("2025-12", None, "Dec 2025"),
        ("1962-07~", None, "~Jul 1962"),
        ("2025?", None, "2025?"),
        ("2025%", None, "~2025?"),
        ("2026-01-22", "2026-01-23", "22–23 Jan 2026"),
        ("2026-01-19", "2026-02-02", "19 Jan – 2 Feb 2026"),
        ("2025-12", "2026-01", "Dec 2025 – Jan 2026"),
        ("2026-03", "2026-04", "Mar – Apr 2026"),
        ("2026-01-22T21:30Z", None, "23 Jan 2026 00:30 MSK"),
        ("2026-01-22T22:30", None, "22 Jan 2026 22:30 MSK"),
        ("2026-01-22T22:30:05", None, "22 Jan 2026 22:30:05 MSK"),
    ],
)
def test_labels_show_true_precision(date: str, end: str | None, expected: str) -> None:
    """Labels never invent a day or a time the author did not write."""
    from zoneinfo import ZoneInfo

    moscow = ZoneInfo("Europe/Moscow")
    assert label(parse_iso(date), parse_iso(end) if end else None, moscow, moscow) == expected


def test_labels_convert_times_to_the_display_zone() -> None:
    """A Moscow wall time shown in UTC is three hours earlier."""
    from zoneinfo import ZoneInfo

    moscow = ZoneInfo("Europe/Moscow")
    assert label(parse_iso("2026-01-22T22:30"), None, moscow, dt.UTC) == "22 Jan 2026 19:30 UTC"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("around July 1962", "1962-07~"),
        ("Around 1962-07", "1962-07~"),
        ("c. 1962", "1962~"),
        ("ca.1962", "1962~"),
        ("circa 23 Jan 2026", "2026-01-23~"),
        ("etwa März 2025", "2025-03~"),
        ("ungefähr 2025-12", "2025-12~"),
        ("maybe 2019", "2019?"),
        ("vielleicht Januar 2026", "2026-01?"),
        ("around 2019?", "2019%"),
        ("perhaps 2020~", "2020%"),
    ],
)
def test_words_that_hedge_a_date_become_its_qualifier(text: str, stored: str) -> None:
    """'around', 'circa', 'etwa' make a date approximate (~); 'maybe' makes it uncertain (?)."""
    assert parse_date(text, TODAY).isoformat() == stored


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("around last week", "'around last week': 'around' goes with one date, not a period"),
        ("around", "cannot read the date 'around'"),
        ("maybe soon", "cannot read the date 'soon'"),
    ],
)
def test_a_hedge_needs_one_date_after_it(text: str, message: str) -> None:
    """A hedge word before a period, or before nothing readable, is refused plainly."""
    with pytest.raises(DateError, match=message):
        parse_date(text, TODAY)
