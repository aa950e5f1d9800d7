"""What a new user asks in the first hour: searches that find what a field holds, actor
tables narrowed by the same filters as the list."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run

SEARCHED = """\
[actors.altman]
name = "Sam Altman"

[[events]]
id = "fired"
date = "2023-11-17"
title = "Board removes Altman"
summary = "The board, Adam D'Angelo among it, reported a loss of confidence."
actors = ["altman"]
kind = "decision"
tags = ["governance"]
sources = ["https://www.bloomberg.com/news/a", "https://x.com/sama/status/1"]

[[events]]
id = "ships"
date = "2023-11-20"
title = "Two ships leave Zürich"
location = "Lake Zürich"
kind = "transport"
tags = ["logistics"]
"""


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("Bloomberg", "fired\n"),  # a source
        ("x.com", "fired\n"),  # a source's host, typed with its dot
        ("sama", "fired\n"),
        ("sama/status", "fired\n"),  # typed with the source's own slash
        ("governance", "fired\n"),  # a tag
        ("decision", "fired\n"),  # the kind
        ("TED", ""),  # never the end of "reported"
        ("port", ""),  # nor the middle of it
        ("repor", "fired\n"),  # a word's start
        ("ship", "ships\n"),  # "ships"
        ("ZURICH", "ships\n"),  # any case, any accents
        ("logistics transport", "ships\n"),  # every word, in different fields
        ("logistics decision", ""),
        ('"loss of confidence"', "fired\n"),
        ('"of confidence loss"', ""),
        ("com", "fired\n"),  # "bloomberg.com" reads as the words bloomberg and com
        ("dangelo", "fired\n"),  # D'Angelo, typed without its apostrophe
        ("D'Angelo", "fired\n"),
        ("angelo", "fired\n"),
        ("dange", "fired\n"),
    ],
)
@pytest.mark.parametrize("cache", [True, False], ids=["index", "file"])
def test_a_search_finds_each_word_at_a_word_start_in_any_field(
    run: Run, tmp_path: Path, search: str, found: str, cache: bool
) -> None:
    """`-s` looks in sources, tags and kind too, each word from the start of a word, and the
    index answers exactly as the file does."""
    log = tmp_path / "events.toml"
    log.write_text(SEARCHED)
    flags = () if cache else ("--no-cache",)
    listed = run(*flags, "list", "-f", str(log), "-s", search, "--format", "ids")
    assert (listed.exit_code, listed.stdout) == (0, found)


MET = """\
[actors.altman]
name = "Sam Altman"

[actors.murati]
name = "Mira Murati"

[actors.nadella]
name = "Satya Nadella"

[[events]]
id = "oct-call"
date = "2023-10-30"
title = "Call"
actors = ["murati", "nadella"]
kind = "call"

[[events]]
id = "nov-meeting"
date = "2023-11-17"
title = "Board meeting"
actors = ["altman", "murati"]
kind = "meeting"

[[events]]
id = "nov-call"
date = "2023-11-19"
title = "Late call"
actors = ["nadella", "altman", "murati"]
kind = "call"

[[events]]
id = "dec-meeting"
date = "2023-12-01"
title = "Return"
actors = ["murati", "nadella"]
kind = "meeting"
"""


def _actors_json(run: Run, folder: Path, *args: str) -> object:
    import json

    log = folder / "events.toml"
    if not log.exists():
        log.write_text(MET)
    answered = run("actors", "-f", str(log), "--format", "json", *args)
    assert answered.exit_code == 0, answered.stderr
    return json.loads(answered.stdout)


def _pairs(rows: object) -> list[tuple[str, str, int]]:
    assert isinstance(rows, list)
    return [(row["actors"][0]["key"], row["actors"][1]["key"], row["events"]) for row in rows]


def test_pairs_of_one_actor_are_the_pairs_it_is_in(run: Run, tmp_path: Path) -> None:
    """`actors NAME --pairs` lists only the pairs NAME is in, NAME first in each."""
    pairs = _pairs(_actors_json(run, tmp_path, "Nadela", "--pairs"))
    assert pairs == [("nadella", "murati", 3), ("nadella", "altman", 1)]


@pytest.mark.parametrize("cache", [True, False], ids=["index", "file"])
def test_pairs_count_only_the_events_the_filters_select(
    run: Run, tmp_path: Path, cache: bool
) -> None:
    """`actors --pairs -k meeting --on 2023-11` counts who met whom in November's meetings."""
    flags = () if cache else ("--no-cache",)
    meetings = _pairs(_actors_json(run, tmp_path, "--pairs", "-k", "meeting", *flags))
    assert meetings == [("murati", "altman", 1), ("murati", "nadella", 1)]
    november = _pairs(_actors_json(run, tmp_path, "--pairs", "-k", "meeting", "--on", "2023-11"))
    assert november == [("murati", "altman", 1)]
    calls = _pairs(_actors_json(run, tmp_path, "--pairs", "--from", "2023-11-18", *flags))
    assert calls == [
        ("murati", "nadella", 2), ("murati", "altman", 1), ("altman", "nadella", 1)
    ]  # fmt: skip


def test_the_table_holds_the_actors_of_the_selected_events(run: Run, tmp_path: Path) -> None:
    """With a filter, the table lists only the actors of the selected events, counted in
    them, first and last in time order even with --reverse and --limit."""
    rows = _actors_json(run, tmp_path, "-k", "call")
    assert isinstance(rows, list)
    table = [(r["key"], r["events"], r["first_event"], r["last_event"]) for r in rows]
    assert table == [
        ("murati", 2, "oct-call", "nov-call"), ("nadella", 2, "oct-call", "nov-call"),
        ("altman", 1, "nov-call", "nov-call"),
    ]  # fmt: skip
    recent = _actors_json(run, tmp_path, "-n", "2", "--reverse", "-a", "murati")
    assert isinstance(recent, list)
    murati = next(r for r in recent if r["key"] == "murati")
    assert (murati["events"], murati["first_event"], murati["last_event"]) == (
        2, "nov-call", "dec-meeting"
    )  # fmt: skip
    october = _actors_json(run, tmp_path, "--on", "2023-10")
    assert isinstance(october, list)
    assert [r["key"] for r in october] == ["murati", "nadella"]  # no row for Altman's 0
    everyone = _actors_json(run, tmp_path)
    assert isinstance(everyone, list) and len(everyone) == 3


def test_one_actor_in_detail_counts_the_selected_events(run: Run, tmp_path: Path) -> None:
    """`actors NAME -k meeting` shows NAME's meetings and whom NAME met in them."""
    record = _actors_json(run, tmp_path, "Altman", "-k", "meeting")
    assert isinstance(record, dict)
    assert [event["id"] for event in record["events"]] == ["nov-meeting"]
    assert [(w["key"], w["events"]) for w in record["with"]] == [("murati", 1)]
    shown = run("actors", "Altman", "-s", "late", "-f", str(tmp_path / "events.toml"))
    assert shown.exit_code == 0 and "Late call" in shown.stdout
    assert "Board meeting" not in shown.stdout


def test_the_operation_narrows_by_filters(tmp_path: Path) -> None:
    """`summaries.actors` with Filters counts only the events they select."""
    import datetime as dt

    from chrono.operations import summaries
    from chrono.operations.querying import Filters, Reading
    from chrono.storage.indexing import CacheSettings

    log = tmp_path / "events.toml"
    log.write_text(MET)
    cache = CacheSettings(enabled=False, folder=tmp_path, inline=True)
    reading = Reading(cache, True, lambda: dt.date(2024, 1, 1))
    found = summaries.actors(log, reading, filters=Filters(kind=("meeting",)), notes=print)
    assert [(s.key, len(s.events)) for s in found.summaries] == [
        ("murati", 2),
        ("altman", 1),
        ("nadella", 1),
    ]
    assert [e.id for e in found.chronology.events] == ["nov-meeting", "dec-meeting"]


def test_one_actor_s_limit_and_order_are_that_actor_s(run: Run, tmp_path: Path) -> None:
    """`actors NAME -n 2` is NAME's two most recent events (not the log's, which NAME may not
    be in); `--reverse` orders them newest first; the table and pairs turn round too."""
    record = _actors_json(run, tmp_path, "Altman", "-n", "1")
    assert isinstance(record, dict)
    assert [e["id"] for e in record["events"]] == ["nov-call"]  # the log's last is dec-meeting
    newest = _actors_json(run, tmp_path, "Murati", "-n", "3", "--reverse")
    assert isinstance(newest, dict)
    assert [e["id"] for e in newest["events"]] == ["dec-meeting", "nov-call", "nov-meeting"]
    table = _actors_json(run, tmp_path, "--reverse")
    assert isinstance(table, list) and [r["key"] for r in table] == ["altman", "nadella", "murati"]
    pairs = _pairs(_actors_json(run, tmp_path, "--pairs", "--reverse"))
    assert pairs[0] == ("altman", "nadella", 1) and pairs[-1] == ("murati", "nadella", 3)
