"""`chrono import` of files other programs made (tests/data/imports/SOURCES.md says which):
TimelineJS3's sample timelines, the icalendar package's test calendars, khal's calendar and
jrnl's export, each imported whole into a log and checked."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, Run

FILES = ROOT / "tests" / "data" / "imports"

LOG = """\
[chrono]
timezone = "Europe/Moscow"

[actors.putin]
name = "Vladimir Putin"
aliases = ["Putin", "Путин"]
"""


def _imported(run: Run, tmp_path: Path, name: str, *more: str) -> tuple[Any, list[dict[str, Any]]]:
    """The report of importing the file into a small log, and the events the log then holds
    (each checked by `chrono check`)."""
    log = tmp_path / "events.toml"
    log.write_text(LOG, encoding="utf-8")
    result = run("import", str(FILES / name), "-f", str(log), "--format", "json", *more)
    assert result.exit_code == 0, result.stderr
    checked = run("check", "-f", str(log))
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    return json.loads(result.stdout), tomllib.loads(log.read_text(encoding="utf-8"))["events"]


def test_the_timelinejs_sample_sheet_and_its_json_import_as_the_same_events(
    run: Run, tmp_path: Path
) -> None:
    """TimelineJS's own sample, as its sheet template exports it and as JSON: the same ten
    events, dates at the precision of the parts given, HTML read as text, the title slide
    left out."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    sheet, from_sheet = _imported(run, tmp_path / "a", "timelinejs-women-in-computing.csv")
    _, from_json = _imported(run, tmp_path / "b", "timelinejs-women-in-computing.json")
    assert from_sheet == from_json
    assert len(from_json) == 10 and sheet["rows"] == 11
    assert "1 title slide of the timeline: not events, skipped" in sheet["notes"]
    by_title = {e["title"]: e for e in from_json}
    ada = by_title["Ada Lovelace"]
    assert (ada["date"], ada["end"]) == ("1815-12-10", "1852-11-27")
    assert ada["summary"].startswith("Women have been programming since before it was a thing.")
    assert (
        "<" not in ada["summary"] and "https://en.wikipedia.org/wiki/Ada_Lovelace" in ada["sources"]
    )
    assert by_title["Grace Hopper invents the compiler"]["date"] == "1952"  # a year alone
    eniac = by_title["...And the women who made it work"]
    assert (eniac["date"], eniac["end"]) == ("1943-07", "1946")  # a month, then a year
    assert eniac["sources"][:2] == ["https://www.youtube.com/watch?v=aPweFhhXFvY",
                                    "Computer History Museum"]  # fmt: skip
    quote = by_title["Edith Clarke: Bucking the Trend"]
    assert "There is no demand for women engineers" in quote["summary"]  # a quote as media


def test_a_timeline_of_years_chrono_cannot_hold_is_refused_row_by_row(
    run: Run, tmp_path: Path
) -> None:
    """TimelineJS's cosmic template (billions of years ago): each event a bad row naming
    its JSON path, nothing written; --skip-bad writes nothing and says so."""
    log = tmp_path / "events.toml"
    log.write_text(LOG, encoding="utf-8")
    result = run("import", str(FILES / "timelinejs-cosmo.json"), "-f", str(log))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"{FILES / 'timelinejs-cosmo.json'}:$.events[0].start_date: error: "
        "year out of range (1-9999) in '-13800000000'"
    )
    assert lines[-1].startswith("chrono: 7 of 7 rows cannot be imported; nothing written")
    assert log.read_text(encoding="utf-8") == LOG


def test_the_icalendar_packages_calendars_import_with_their_days_and_zones(
    run: Run, tmp_path: Path
) -> None:
    """All-day holidays are days (an end on the same day is no end); a Vienna time keeps
    its offset; escaped commas stay inside a category."""
    for name in ("example", "timezoned", "categories"):
        (tmp_path / name).mkdir()
    _, holidays = _imported(run, tmp_path / "example", "icalendar-example.ics")
    assert [(e["date"], e.get("end"), e["title"]) for e in holidays] == [
        ("2022-01-01", None, "New Year's Day"),
        ("2022-01-07", None, "Orthodox Christmas"),
        ("2022-03-08", None, "International Women's Day"),
    ]
    assert (
        holidays[1]["location"] == "Russia" and holidays[1]["summary"] == "It is Christmas again!"
    )
    _, (sprint,) = _imported(run, tmp_path / "timezoned", "icalendar-timezoned.ics")
    assert (sprint["date"], sprint["end"]) == ("2012-02-13T10:00+01:00", "2012-02-17T18:00+01:00")
    assert sprint["location"] == "aka bild, wien"
    _, (meeting,) = _imported(run, tmp_path / "categories", "icalendar-categories-with-commas.ics")
    assert meeting["tags"] == ["Meeting, John", "Work, Sarah", "Project"]
    assert meeting["date"] == "2014-02-04T14:00Z"


def test_a_calendar_khal_wrote_imports_with_its_all_day_and_zoned_events(
    run: Run, tmp_path: Path
) -> None:
    """khal's own files: an all-day event, one over three days (DTEND the day after), a
    time in Berlin and one in Riyadh, each at its offset; the zone-less log keeps them."""
    report, events = _imported(run, tmp_path, "khal-calendar.ics")
    assert report["format"] == "ics" and report["rows"] == 4
    got = {e["title"]: (e["date"], e.get("end"), e.get("location"), e.get("tags")) for e in events}
    assert got == {
        "Witkoff in Moscow": ("2026-01-22", None, None, None),
        "Talks in Abu Dhabi": ("2026-02-03", "2026-02-05", None, None),
        "Call with Kyiv": ("2026-03-10T14:30+01:00", "2026-03-10T16:00+01:00",
                           "Geneva, Switzerland", None),
        "Meeting in Riyadh": ("2026-04-01T09:00+03:00", "2026-04-01T11:00+03:00", "Riyadh",
                              ["ukraine"]),
    }  # fmt: skip


def test_a_journal_jrnl_exported_imports_entry_by_entry(run: Run, tmp_path: Path) -> None:
    """jrnl's JSON: each entry a minute in the log's zone, its body the summary, its tags
    without the @; a Cyrillic name in the text is left as written (no actors are guessed)."""
    report, events = _imported(run, tmp_path, "jrnl-export.json")
    assert report["format"] == "jrnl" and len(report["added"]) == 4
    first = events[0]
    assert (first["date"], first["title"]) == ("2026-01-22T10:30",
                                               "Witkoff meets Putin in the Kremlin.")  # fmt: skip
    assert first["tags"] == ["dmitriev", "ushakov"]
    assert events[2]["title"] == "Путин говорит о переговорах."
    assert events[3]["summary"] == "Line two of the body.\nLine three. @peace-talks"


@pytest.mark.parametrize("name", sorted(p.name for p in FILES.iterdir() if p.suffix != ".md"))
def test_importing_a_real_file_twice_adds_nothing_the_second_time(
    run: Run, tmp_path: Path, name: str
) -> None:
    """Every event of a second import is one the log holds already."""
    log = tmp_path / "events.toml"
    log.write_text(LOG, encoding="utf-8")
    first = run("import", str(FILES / name), "-f", str(log), "--skip-bad")
    assert first.exit_code == 0, first.stderr
    once = log.read_bytes()
    second = run("import", str(FILES / name), "-f", str(log), "--skip-bad", "--format", "json")
    assert second.exit_code == 0 and json.loads(second.stdout)["added"] == []
    assert log.read_bytes() == once


def test_the_timelinejs_sheet_columns_give_times_spans_eras_and_display_dates(
    run: Run, tmp_path: Path
) -> None:
    """The template's columns filled: "c. 1962" makes 1962 approximate, an era row is of
    kind era, a time and a 12-hour end time give minutes, a group becomes a tag."""
    _, events = _imported(run, tmp_path, "timelinejs-sheet.csv")
    by_title = {e["title"]: e for e in events}
    assert by_title["An estimated year"]["date"] == "1962~"
    assert by_title["Negotiation period"]["kind"] == "era"
    meeting = by_title["Meeting in the Kremlin"]
    assert (meeting["date"], meeting["end"]) == ("2026-01-22T10:30", "2026-01-22T16:15")
    assert meeting["tags"] == ["Meetings"]
    assert by_title["A month alone"]["date"] == "2025-11"
