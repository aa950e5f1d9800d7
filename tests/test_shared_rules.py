"""The small rules every layer shares: counted nouns, "did you mean", instants and datetimes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chrono.core.dates import EPOCH, to_datetime, to_instant
from chrono.core.text import did_you_mean, plural


@pytest.mark.parametrize(
    ("n", "text"), [(0, "0 events"), (1, "1 event"), (2, "2 events"), (100_000, "100000 events")]
)
def test_plural_counts_a_noun(n: int, text: str) -> None:
    """One is singular; none and many take an s."""
    assert plural(n, "event") == text


def test_did_you_mean_quotes_each_suggestion_with_its_note() -> None:
    """Words are quoted, a pair's note follows in brackets, and they are joined by 'or'."""
    assert did_you_mean([]) == ""
    assert did_you_mean(["events"]) == "; did you mean 'events'?"
    assert did_you_mean(["talks", "talks-2"]) == "; did you mean 'talks' or 'talks-2'?"
    pairs = [("putin", "Vladimir Putin"), ("Yuri Ushakov", "ushakov")]
    assert did_you_mean(pairs) == (
        "; did you mean 'putin' (Vladimir Putin) or 'Yuri Ushakov' (ushakov)?"
    )
    assert did_you_mean(iter(["a", ("b", "c")])) == "; did you mean 'a' or 'b' (c)?"


@given(st.datetimes(dt.datetime(2, 1, 1), dt.datetime(9998, 12, 31), timezones=st.timezones()))
def test_an_instant_and_its_datetime_agree(moment: dt.datetime) -> None:
    """A datetime's instant leads back to the same moment, counted in microseconds."""
    instant = to_instant(moment)
    assert to_datetime(instant) == moment.astimezone(dt.UTC)  # (a repeated hour is never ==)
    assert instant == (moment - EPOCH) // dt.timedelta(microseconds=1)


def test_instants_count_from_the_epoch() -> None:
    """Instant 0 is 1970-01-01T00:00Z; beyond datetime's years it is an OverflowError."""
    assert to_datetime(0) == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    assert to_datetime(-1) == dt.datetime(1969, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.UTC)
    assert to_instant(dt.datetime(1970, 1, 2, 3, tzinfo=dt.timezone(dt.timedelta(hours=3)))) == (
        86_400 * 1_000_000
    )
    with pytest.raises(OverflowError):
        to_datetime(400_000 * 365 * 86_400 * 1_000_000)
