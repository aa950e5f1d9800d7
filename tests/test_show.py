"""`chrono show ID`: every field of one event, its neighbours, and helpful misses."""

from __future__ import annotations

import json

from tests.conftest import BUNDLED, Run
from tests.test_list import SAMPLE

NIGHT = """\
Late meeting in the Kremlin
id        night
date      23 Jan 2026 00:30 MSK  (2026-01-22T21:30Z)
kind      meeting
location  Senate Palace, Moscow Kremlin
actors    Vladimir Putin — President of Russia
          Steve Witkoff — US special envoy
          Yuri Ushakov
tags      ukraine
summary   Talks ran past midnight.
          Second paragraph of notes.
sources   [1] https://example.org/report
          [2] TASS, 23 Jan 2026
line      {path}:60
previous  Dec 2025 – Jan 2026  Consultations
          winter · with Steve Witkoff
"""


def test_show_prints_every_field_exactly(run: Run) -> None:
    """All fields, roles, numbered sources, the file line and the previous event."""
    result = run("show", "night", "-f", SAMPLE)
    assert result.exit_code == 0
    assert result.stdout == NIGHT.format(path=SAMPLE)


def test_show_accepts_a_unique_prefix(run: Run) -> None:
    """A unique start of an id is enough."""
    result = run("show", "2026-01-22-putin", "-f", str(BUNDLED))
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "Putin receives Witkoff, Kushner and Gruenbaum in the Kremlin\n"
    )
    assert "next      23 Jan 2026  Russia–US economic working group meets in Abu Dhabi" in (
        result.stdout
    )


def test_ambiguous_prefix_lists_the_candidates(run: Run) -> None:
    """A prefix shared by several ids: exit 2, the candidates named."""
    result = run("show", "2026-01-23", "-f", str(BUNDLED))
    assert result.exit_code == 2
    assert result.stderr.startswith("chrono: error: '2026-01-23' is the start of 4 ids: ")


def test_unknown_id_suggests_the_nearest(run: Run) -> None:
    """An unknown id: exit 2 and the nearest ids suggested."""
    result = run("show", "nigth", "-f", SAMPLE)
    assert result.exit_code == 2
    assert result.stderr == "chrono: error: no event with id 'nigth'; did you mean 'night'?\n"


def test_show_json_has_neighbours(run: Run) -> None:
    """--format json: the event record plus previous and next ids."""
    record = json.loads(run("show", "mar", "-f", SAMPLE, "--format", "json").stdout)
    assert (record["id"], record["previous"], record["next"]) == ("mar", "feb", "winter")


def test_show_keeps_unknown_keys(run: Run, tmp_path: object) -> None:
    """Keys chrono does not know are shown too: every field of the event."""
    from pathlib import Path

    path = Path(str(tmp_path)) / "x.toml"
    path.write_text('[[events]]\nid = "a"\ndate = 2026-01-01\ntitle = "T"\nmood = "calm"\n')
    assert "mood  'calm'" in run("show", "a", "-f", str(path)).stdout


LONG = """\
[[events]]
id = "long"
date = "2026-01-05"
title = "A title with a veryveryveryveryveryveryveryveryveryveryveryverylongword in it"
location = "Kremlin-Senatspalast-Katharinensaal-Moskau-Russische-Foederation-Zentrum"
sources = ["https://www.example.org/news/2026/01/05/a-very-long-article-slug-that-goes-on.html"]
"""


def unfolded(text: str) -> str:
    """The text with its wrapping removed: every line's content, joined."""
    return "".join(line.strip() for line in text.splitlines())


def test_long_words_and_urls_are_folded_never_cut(run: Run, tmp_path: object) -> None:
    """On a narrow terminal a long word or place is folded onto the next line, not cut with …;
    a URL and the log's path stay whole on their line."""
    from pathlib import Path

    log = Path(str(tmp_path)) / "long.toml"
    log.write_text(LONG)
    for args in (("show", "long"), ("list",), ("list", "--format", "table")):
        result = run(*args, "-f", str(log), env={"COLUMNS": "50"})
        assert result.exit_code == 0, result.output
        assert "…" not in result.stdout
        wide = [line for line in result.stdout.splitlines() if len(line) > 50]
        assert all("https://" in line or f"{log}:" in line for line in wide)  # kept whole
        assert "veryveryveryveryveryveryveryveryveryveryveryverylongword" in unfolded(
            result.stdout.replace("│", "")
        )
    shown = unfolded(run("show", "long", "-f", str(log), env={"COLUMNS": "50"}).stdout)
    assert "https://www.example.org/news/2026/01/05/a-very-long-article-slug-that-goes-on" in shown
    assert "Kremlin-Senatspalast-Katharinensaal-Moskau-Russische-Foederation-Zentrum" in shown
