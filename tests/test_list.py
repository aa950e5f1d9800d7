"""`chrono list`: filters, formats and exact rendered text, through the CLI."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from chrono.core.query import Query, select
from chrono.output import render, tables
from chrono.storage import store
from tests.conftest import ROOT, Run

SAMPLE = str(Path(__file__).parent / "data" / "sample.toml")


def ids(run: Run, *args: str, env: dict[str, str] | None = None) -> list[str]:
    """The ids `chrono list ... --format ids` prints for the sample log."""
    result = run("list", "-f", SAMPLE, "--format", "ids", *args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout.split()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ["feb", "mar", "summer", "winter", "night"]),
        (("-a", "putin"), ["feb", "mar", "night"]),
        (("-a", "Putin", "-a", "Witkoff"), ["feb", "mar", "night"]),
        (("-a", "ushakov"), ["mar", "night"]),
        (("-a", "UŠAKOV"), ["mar", "night"]),  # the scholarly transliteration
        (("-a", "Ushakova"), []),  # a different person: no false friends (exit 2 below)
        (("-a", "Juri Uschakow"), ["mar", "night"]),
        (("-a", "kushner"), ["winter"]),  # a word of a free-text actor
        (("-a", "putin", "-a", "smith-a", "--any-actor"), ["feb", "mar", "summer", "night"]),
        (("--on", "2026-01"), ["winter", "night"]),
        (("--on", "2025"), ["feb", "mar", "summer", "winter"]),
        (("--on", "Januar 2026"), ["winter", "night"]),
        (("--on", "22 Jan 2026"), ["winter"]),  # the night meeting is 23 Jan, Moscow time
        (("--on", "23 Jan 2026"), ["winter", "night"]),
        (("--from", "2025-07"), ["summer", "winter", "night"]),
        (("--to", "2025-03"), ["feb", "mar"]),
        (("--from", "2025-03", "--to", "July 2025"), ["mar", "summer"]),
        (("-t", "ukraine"), ["feb", "mar", "night"]),
        (("-t", "ukraine", "-t", "peace-talks"), ["mar"]),
        (("-k", "MEETING"), ["feb", "mar", "night"]),
        (("-k", "call", "-k", "consultation"), ["summer", "winter"]),
        (("-l", "kremlin"), ["feb", "night"]),
        (("-s", "capitals"), ["winter"]),
        (("-s", "SECOND PARAGRAPH"), ["night"]),
        (("-s", "ushakov"), ["mar", "night"]),
        (("-n", "2"), ["winter", "night"]),
        (("-n", "2", "--reverse"), ["night", "winter"]),
        (("--reverse",), ["night", "winter", "summer", "mar", "feb"]),
        (("-n", "0"), []),
    ],
)
def test_filters(run: Run, args: tuple[str, ...], expected: list[str]) -> None:
    """Each filter, alone and combined, selects exactly the expected events."""
    if args == ("-a", "Ushakova"):
        assert run("list", "-f", SAMPLE, *args).exit_code == 2
        return
    assert ids(run, *args) == expected


def test_a_name_matching_several_actors_selects_all_and_says_so(run: Run) -> None:
    """'Smith' names two registry actors: both are selected, with a note on stderr."""
    result = run("list", "-f", SAMPLE, "-a", "smith", "--format", "ids")
    assert result.stdout == "summer\n"
    assert result.stderr == (
        "chrono: 'smith' matches 2 actors: Anna Smith (smith-a), Bob Smith (smith-b); "
        "selecting all\n"
    )


def test_unknown_actor_is_a_usage_error_with_suggestions(run: Run) -> None:
    """A name that matches nobody: exit 2 and did-you-mean."""
    result = run("list", "-f", SAMPLE, "-a", "Putn")
    assert result.exit_code == 2
    assert result.stderr == (
        "chrono: error: --actor: no actor matches 'Putn'; did you mean 'Vladimir Putin' "
        "(putin)? ('chrono actors' lists them)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--on", "02/12/2025"),
            "chrono: error: --on: ambiguous date '02/12/2025': write 2025-12-02 or "
            "2.12.2025 for 2 December 2025, 2025-02-12 or 12.2.2025 for 12 February 2025\n",
        ),
        (("--from", "2026-13-01"), "chrono: error: --from: no month 13 in '2026-13-01'\n"),
        (
            ("--to", "31 Feb 2026"),
            "chrono: error: --to: no such day: February 2026 has 28 days, not 31 ('31 Feb 2026')\n",
        ),
        (("-n", "-1"), "chrono: error: --limit: must be 0 or more\n"),
        (
            ("--tz", "Nowhere/City"),
            "chrono: error: --tz: unknown time zone 'Nowhere/City' (use an IANA name such as "
            "'Europe/Berlin')\n",
        ),
    ],
)
def test_bad_input_is_exit_2(run: Run, args: tuple[str, ...], message: str) -> None:
    """Bad dates and values on the command line: one line on stderr, exit 2."""
    result = run("list", "-f", SAMPLE, *args)
    assert (result.exit_code, result.stderr) == (2, message)


def test_relative_dates_use_chrono_today(run: Run) -> None:
    """'last month' is counted from CHRONO_TODAY."""
    assert ids(run, "--on", "last month", env={"CHRONO_TODAY": "2026-02-10"}) == ["winter", "night"]
    assert ids(run, "--on", "this year", env={"CHRONO_TODAY": "2025-06-01"}) == [
        "feb",
        "mar",
        "summer",
        "winter",
    ]


def test_no_match_notes_on_stderr_and_exits_0(run: Run) -> None:
    """No match: nothing on stdout (json: []), a note on stderr, exit 0."""
    result = run("list", "-f", SAMPLE, "-t", "nothing")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "chrono: no events match\n")
    result = run("list", "-f", SAMPLE, "-t", "nothing", "--format", "json")
    assert (result.exit_code, result.stdout) == (0, "[]\n")


TIMELINE = """\
2025
 February
  11 Feb 2025           #1 First talks in Moscow
                           Vladimir Putin, Steve Witkoff · Kremlin, Moscow · meeting
 March
  13 Mar 2025           #2 Second talks
                           Vladimir Putin, Steve Witkoff, Yuri Ushakov · Moscow · meeting
                         · 10 months ·
2026
 January
  23 Jan 2026 00:30 MSK #3 Late meeting in the Kremlin
                           Vladimir Putin, Steve Witkoff, Yuri Ushakov · Senate Palace,
                           Moscow Kremlin · meeting
3 events, Feb 2025 – Jan 2026
"""


def test_timeline_exact_text(run: Run) -> None:
    """Two actors asked: headings, numbers, gap marker and count line, exactly."""
    result = run("list", "-f", SAMPLE, "-a", "Putin", "-a", "Witkoff", "-k", "meeting")
    assert result.stdout == TIMELINE


def test_timeline_module_level() -> None:
    """render.timeline into a plain 100-column console gives the same text."""
    chronology = store.load(Path(SAMPLE))
    groups = [chronology.registry.match("putin"), chronology.registry.match("witkoff")]
    selection = select(chronology, Query(actors=groups, kinds=["meeting"]))
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None)
    render.timeline(console, chronology, selection, chronology.tz)
    text = "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
    assert text == TIMELINE


def test_a_coloured_timeline_is_the_plain_one_with_rich_s_codes() -> None:
    """In colour, each piece carries the codes rich writes for its style; the text is the same."""
    chronology = store.load(Path(SAMPLE))
    selection = select(chronology, Query())
    plain, coloured = io.StringIO(), io.StringIO()
    render.timeline(Console(file=plain, width=70, color_system=None), chronology, selection,
                    chronology.tz)  # fmt: skip
    console = Console(file=coloured, width=70, color_system="truecolor", force_terminal=True)
    render.timeline(console, chronology, selection, chronology.tz)
    text = coloured.getvalue()
    assert re.sub(r"\x1b\[[0-9;]*m", "", text) == plain.getvalue()
    assert "\x1b[1;4m2025\x1b[0m\n" in text  # the year: bold underline
    assert "  \x1b[36m11 Feb 2025\x1b[0m" in text  # a date: cyan
    assert "\x1b[1mFirst talks in Moscow\x1b[0m" in text  # a title: bold


def _timeline_at(log: str, width: int) -> str:
    chronology = store.load(Path(log))
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None)
    render.timeline(console, chronology, select(chronology, Query()), chronology.tz)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def test_a_narrow_timeline_puts_the_text_under_the_date() -> None:
    """With under 12 columns left beside the date, title and details go below it, wrapped."""
    text = _timeline_at(SAMPLE, 30)
    assert text.startswith(
        "2025\n"
        " February\n"
        "  11 Feb 2025\n"
        "    First talks in Moscow\n"
        "    Vladimir Putin,\n"
        "    Steve Witkoff · Kremlin,\n"  # a name is never broken
        "    Moscow · meeting\n"
    )
    assert "  23 Jan 2026 00:30 MSK\n    Late meeting in the\n    Kremlin\n" in text
    assert max(len(line) for line in text.splitlines()) <= 30


def test_a_narrow_numbered_timeline_keeps_numbers_markers_and_count() -> None:
    """Stacked rows start with the number; gap markers sit at the indent; the count wraps."""
    chronology = store.load(Path(SAMPLE))
    groups = [chronology.registry.match("putin"), chronology.registry.match("witkoff")]
    selection = select(chronology, Query(actors=groups, kinds=["meeting"]))
    buffer = io.StringIO()
    render.timeline(Console(file=buffer, width=28, color_system=None), chronology, selection,
                    chronology.tz)  # fmt: skip
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    assert lines[2:4] == ["  #1 11 Feb 2025", "    First talks in Moscow"]
    assert "    · 10 months ·" in lines
    assert "  #3 23 Jan 2026 00:30 MSK" in lines
    assert lines[-2:] == ["3 events, Feb 2025 – Jan", "2026"]
    assert max(len(line) for line in lines) <= 28


@pytest.mark.parametrize("width", [24, 40, 60, 80, 120])
def test_no_timeline_line_is_wider_than_the_terminal_and_no_title_is_lost(width: int) -> None:
    """Hostile log, any width: every line fits, and every title's first word is shown."""
    text = _timeline_at(str(Path(SAMPLE).with_name("hostile.toml")), width)
    assert max(len(line) for line in text.splitlines()) <= width
    for title in ("Month,", "# Not", "Escape"):
        assert title in text


def test_timeline_without_numbers_and_with_precisions(run: Run) -> None:
    """One actor: no numbers; approximate months and spans keep their labels."""
    result = run("list", "-f", SAMPLE, "--from", "2025-07")
    assert result.stdout == (
        "2025\n"
        " July\n"
        "  ~Jul 2025             Smiths meet, roughly\n"
        "                        Anna Smith, Bob Smith · call\n"
        "                         · 4 months ·\n"
        " December\n"
        "  Dec 2025 – Jan 2026   Consultations\n"
        "                        Steve Witkoff, Jared Kushner · European capitals · consultation\n"
        "2026\n"
        " January\n"
        "  23 Jan 2026 00:30 MSK Late meeting in the Kremlin\n"
        "                        Vladimir Putin, Steve Witkoff, Yuri Ushakov · Senate Palace, "
        "Moscow Kremlin\n"
        "                        · meeting\n"
        "3 events, Jul 2025 – Jan 2026\n"
    )


def test_tz_moves_times_to_another_zone(run: Run) -> None:
    """--tz UTC shows the night meeting on 22 Jan at 21:30 UTC."""
    result = run("list", "-f", SAMPLE, "-s", "late meeting", "--tz", "UTC")
    assert "22 Jan 2026 21:30 UTC" in result.stdout


def test_limit_shows_count_of_total(run: Run) -> None:
    """Under --limit the count line says how many of how many."""
    result = run("list", "-f", SAMPLE, "-a", "putin", "-a", "witkoff", "-n", "1")
    assert "#3 Late meeting in the Kremlin" in result.stdout
    assert "#1" not in result.stdout
    assert result.stdout.splitlines()[-1] == "1 of 3 events, Jan 2026"


def test_table_format(run: Run) -> None:
    """--format table draws a table with every event and the count line."""
    result = run("list", "-f", SAMPLE, "--format", "table", "-k", "consultation")
    lines = result.stdout.splitlines()
    assert "Date" in lines[1] and "Event" in lines[1] and "Actors" in lines[1]
    assert "Dec 2025 – Jan 2026" in result.stdout
    assert lines[-1] == "1 event, Dec 2025 – Jan 2026"
    assert all(len(line) <= 100 for line in lines)


def test_json_format(run: Run) -> None:
    """--format json: the documented record for each event, numbered when two actors asked."""
    result = run("list", "-f", SAMPLE, "-a", "putin", "-a", "witkoff", "--format", "json")
    records = json.loads(result.stdout)
    assert [r["number"] for r in records] == [1, 2, 3]
    night = records[-1]
    assert night == {
        "id": "night",
        "number": 3,
        "date": "2026-01-22T21:30Z",
        "date_precision": "minute",
        "date_qualifier": None,
        "end": None,
        "end_precision": None,
        "end_qualifier": None,
        "start": "2026-01-22T21:30:00Z",
        "stop": "2026-01-22T21:31:00Z",
        "title": "Late meeting in the Kremlin",
        "summary": "Talks ran past midnight.\nSecond paragraph of notes.",
        "actors": [
            {"key": "putin", "name": "Vladimir Putin"},
            {"key": "witkoff", "name": "Steve Witkoff"},
            {"key": "ushakov", "name": "Yuri Ushakov"},
        ],
        "location": "Senate Palace, Moscow Kremlin",
        "kind": "meeting",
        "tags": ["ukraine"],
        "sources": ["https://example.org/report", "TASS, 23 Jan 2026"],
        "extra": {},
    }
    summer = json.loads(run("list", "-f", SAMPLE, "-s", "smiths", "--format", "json").stdout)[0]
    assert (summer["date"], summer["date_precision"], summer["date_qualifier"]) == (
        "2025-07",
        "month",
        "approximate",
    )
    assert "number" not in summer
    assert summer["actors"][0] == {"key": "smith-a", "name": "Anna Smith"}
    winter = json.loads(run("list", "-f", SAMPLE, "-s", "capitals", "--format", "json").stdout)[0]
    assert winter["actors"][1] == {"key": None, "name": "Jared Kushner"}
    assert (winter["start"], winter["stop"]) == ("2025-11-30T21:00:00Z", "2026-01-31T21:00:00Z")


def test_a_broken_log_stops_list_with_exit_1(run: Run, tmp_path: Path) -> None:
    """list refuses a log with errors, with the same FILE:LINE:COL lines as check."""
    bad = tmp_path / "bad.toml"
    bad.write_text('[[events]]\nid = "x"\ndate = "2025-02-30"\ntitle = "t"\n')
    result = run("list", "-f", str(bad))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{bad}:3:8: error: event #1 ('x'): 'date': no such day: February 2025 has 28 days, "
        "not 30 ('2025-02-30')\n"
    )


def _installed(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed chrono (as python -m chrono) in a subprocess."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    full_env.update({"CHRONO_TODAY": "2026-11-25", **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "chrono", *args],
        capture_output=True,
        text=True,
        check=False,
        env=full_env,
        cwd=ROOT,
    )


def test_piped_output_has_no_ansi_codes() -> None:
    """Into a pipe, the timeline carries no escape codes, even with colours available."""
    result = _installed("list", "-f", SAMPLE, env={"TERM": "xterm-256color"})
    assert result.returncode == 0
    assert "\x1b" not in result.stdout
    assert "First talks in Moscow" in result.stdout


def test_forced_terminal_has_colour_unless_no_color() -> None:
    """On a (forced) terminal there are styles; NO_COLOR removes every escape code."""
    coloured = _installed("list", "-f", SAMPLE, env={"FORCE_COLOR": "1", "TERM": "xterm"})
    assert "\x1b[" in coloured.stdout
    plain = _installed("list", "-f", SAMPLE, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b" not in plain.stdout


def test_columns_sets_the_width() -> None:
    """COLUMNS narrows the timeline; no line is longer than asked."""
    result = _installed("list", "-f", SAMPLE, env={"COLUMNS": "60"})
    assert max(len(line) for line in result.stdout.splitlines()) <= 60


def test_columns_zero_is_ignored(run: Run) -> None:
    """COLUMNS=0 (set by some shells and CI runners) prints at the default width, not nothing."""
    for fmt in ("timeline", "table"):
        result = run("list", "-f", SAMPLE, "--format", fmt, env={"COLUMNS": "0"})
        assert result.exit_code == 0
        assert "Consultations" in result.stdout
        widest = max(len(line) for line in result.stdout.splitlines())
        assert widest == 80 if fmt == "table" else 60 < widest <= 80  # the table fills the width


def on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run chrono with a terminal as stdin, stdout and stderr; its status and the screen."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child runs chrono on a terminal
        os.execvpe(sys.executable, [sys.executable, "-m", "chrono", *args], env)
    screen = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), screen


def test_pager_only_on_a_terminal(tmp_path: Path) -> None:
    """--pager pipes through $PAGER on a terminal; into a pipe it prints directly."""
    piped = _installed("list", "-f", SAMPLE, "--pager", "--format", "table")
    assert "Consultations" in piped.stdout

    paged = tmp_path / "paged.txt"
    env = {**os.environ, "PAGER": f"cat > {paged}", "CHRONO_TODAY": "2026-11-25", "TERM": "dumb"}
    code, screen = on_a_terminal(["list", "-f", SAMPLE, "--pager"], env)
    assert code == 0
    assert "First talks in Moscow" in paged.read_text()
    assert b"First talks in Moscow" not in screen


def test_without_less_or_a_pager_the_output_is_printed(tmp_path: Path) -> None:
    """No $PAGER and no less on the PATH: --pager prints to the terminal instead."""
    env = {k: v for k, v in os.environ.items() if k != "PAGER"}
    env.update(PATH=str(tmp_path), TERM="dumb", NO_COLOR="1")
    code, screen = on_a_terminal(["list", "-f", SAMPLE, "--pager"], env)
    assert code == 0
    assert b"First talks in Moscow" in screen
    assert b"not found" not in screen


@pytest.mark.parametrize("pager", ["/nonexistent/pager", "no-such-pager-here -R"])
def test_a_pager_that_is_not_there_loses_no_output(pager: str) -> None:
    """A $PAGER naming a program that does not exist: the output is printed, not lost."""
    env = {**os.environ, "PAGER": pager, "TERM": "dumb", "NO_COLOR": "1"}
    env.pop("CHRONO_PAGER", None)
    code, screen = on_a_terminal(["list", "-f", SAMPLE], env)
    assert code == 0
    assert b"First talks in Moscow" in screen


def test_quitting_the_pager_early_ends_chrono_quietly(tmp_path: Path) -> None:
    """A pager that stops reading after a few lines (q in less) ends chrono with status 0."""
    log = tmp_path / "big.toml"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen.py"), "3000", "--seed", "1", "-o", str(log)],
        check=True,
    )
    paged = tmp_path / "paged.txt"
    env = {**os.environ, "PAGER": f"head -n 3 > {paged}", "TERM": "dumb", "NO_COLOR": "1"}
    code, screen = on_a_terminal(["list", "-f", str(log), "--pager"], env)
    assert (code, screen) == (0, b"")
    assert len(paged.read_text().splitlines()) == 3


def test_search_needs_every_word_in_any_field(run: Run) -> None:
    """Several words each must appear, in any field and order; a quoted phrase stays whole."""
    assert ids(run, "-s", "talks Moscow") == ["feb", "mar", "night"]  # title, place, summary
    assert ids(run, "-s", "moscow second talks") == ["mar", "night"]
    assert ids(run, "-s", "kremlin first") == ["feb"]
    assert ids(run, "-s", '"late meeting"') == ["night"]
    assert ids(run, "-s", '"meeting late"') == []
    assert ids(run, "-s", "talks nowhere") == []


@pytest.mark.parametrize("text", ["", " ", "_", "-", "'", '""'])
def test_a_search_with_nothing_to_look_for_is_refused(run: Run, text: str) -> None:
    """A search of only blanks or punctuation would match everything: it is a usage error."""
    result = run("list", "-f", SAMPLE, "-s", text)
    assert (result.exit_code, result.stderr) == (
        2,
        f"chrono: error: --search: {text!r} has no letters or digits to look for\n",
    )


def test_search_finds_actors_by_alias(run: Run) -> None:
    """-s matches an actor's aliases too: 'Uschakow' finds Ushakov's events."""
    assert ids(run, "-s", "Uschakow") == ["mar", "night"]


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ("--on", "2025-02-30"),
            {},
            "chrono: error: --on: no such day: February 2025 has 28 days, not 30 ('2025-02-30')\n",
        ),
        (
            ("--from", "2026-01", "--to", "2025-01"),
            {},
            "chrono: error: --to 2025-01 is before --from 2026-01\n",
        ),
        (
            ("--on", "tomorrow"),
            {"CHRONO_TODAY": "9999-12-31"},
            "chrono: error: --on: 'tomorrow' falls outside the years 1 to 9999\n",
        ),
    ],
)
def test_more_bad_dates(run: Run, args: tuple[str, ...], env: dict[str, str], message: str) -> None:
    """Impossible ISO days, reversed ranges and dates beyond year 9999: exit 2, one line."""
    result = run("list", "-f", SAMPLE, *args, env=env)
    assert (result.exit_code, result.stderr) == (2, message)


@pytest.mark.parametrize("fmt", ["timeline", "table", "json", "ids"])
def test_broken_pipe_exit_status_is_zero(tmp_path: Path, fmt: str) -> None:
    """With pipefail, `chrono list | head -1` succeeds in every format: no traceback."""
    big = tmp_path / "big.toml"
    big.write_text(
        "".join(
            f'[[events]]\nid = "e{i}"\ndate = "2025-01-{i % 28 + 1:02d}"\ntitle = "Event {i}"\n'
            for i in range(3000)
        )
    )
    command = f"set -o pipefail; {sys.executable} -m chrono list -f {big} --format {fmt} | head -1"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip()


@pytest.mark.parametrize(
    ("columns", "headers"),
    [
        ("100", ["Date", "Event", "Actors", "Location", "Kind"]),
        ("80", ["Date", "Event", "Actors", "Kind"]),
        ("60", ["Date", "Event", "Actors"]),
        ("40", ["Date", "Event"]),
    ],
)
def test_narrow_tables_drop_columns_not_titles(run: Run, columns: str, headers: list[str]) -> None:
    """On a narrow terminal the table keeps the date and the title readable."""
    result = run(
        "list", "-f", SAMPLE, "--format", "table", "-s", "capitals", env={"COLUMNS": columns}
    )
    header = result.stdout.splitlines()[1]
    assert [cell.strip() for cell in header.strip("┃").split("┃")] == headers
    assert "Consultations" in result.stdout


@given(st.lists(st.sampled_from([" ", "  ", "a", "│", "\n", "\x1b[0m", "\x1b[1;36m", "\x1b[m"])))
def test_trailing_blanks_are_dropped_before_each_newline(parts: list[str]) -> None:
    """The output filter removes blanks before a line's end (and its closing codes), only."""
    from chrono.output.render import _Trimmed

    text = "".join(parts)
    out = io.StringIO()
    _Trimmed(out).write(text)
    expected = re.sub(r" +((?:\x1b\[[0-9;]*m)*)\n", r"\1\n", text)  # the plain definition
    assert out.getvalue() == expected


@pytest.mark.parametrize(
    "log", [SAMPLE, str(ROOT / "events.toml"), str(ROOT / "tests/data/hostile.toml")]
)
@pytest.mark.parametrize("width", [40, 60, 74, 80, 90, 100, 133, 200])
@pytest.mark.parametrize("colour", [None, "truecolor"])
def test_a_long_table_is_drawn_as_rich_draws_it(log: str, width: int, colour: str | None) -> None:
    """The table laid out directly (for long selections) is rich's table, line for line."""
    chronology = store.load(Path(log))
    registry = chronology.registry
    for query in (Query(), Query(actors=[registry.match(k) for k in list(registry.actors)[:2]])):
        selection = select(chronology, query)
        drawn = []
        for direct in (False, True):
            buffer = io.StringIO()
            console = Console(
                file=buffer, width=width, color_system=colour, force_terminal=bool(colour)
            )
            render.table(console, chronology, selection, chronology.tz, direct=direct)
            drawn.append(re.sub(r"\x1b\[[0-9;]*m", "", buffer.getvalue()))
        assert drawn[1] == drawn[0]


def test_the_table_layout_fills_the_width_and_squeezes_only_when_it_must() -> None:
    """At a usual width the columns fill it; a date wider than a narrow terminal leaves is
    given fewer cells (and wraps) rather than pushing the table past the edge."""
    rows = [["11 Feb 2025", "First talks", ("Putin",), "meeting"]]
    columns = [
        tables.Column("Date", "none"), tables.Column("Event", ratio=3),
        tables.Column("Actors", "names", ratio=2), tables.Column("Kind", "none"),
    ]  # fmt: skip
    kept, wide = tables.layout(80, columns, rows)
    assert kept == [0, 1, 2, 3] and sum(wide) + 3 * 4 + 1 == 80
    date = "23 Jan 2026 22:30 CET – 24 Jan 2026 01:15 CET"
    _, narrow = tables.layout(40, columns[:2], [[date, "T"]])
    assert narrow[0] < len(date) and sum(narrow) + 3 * 2 + 1 <= 40


@pytest.mark.parametrize("width", [30, 45, 60, 80, 120])
def test_a_long_pairs_table_is_drawn_as_rich_draws_it(width: int) -> None:
    """Who-with-whom laid out directly is rich's table, line for line (or rich's own)."""
    chronology = store.load(ROOT / "events.toml")
    keys = sorted(chronology.registry.actors)
    rows = [
        (a, b, n) for n, (a, b) in enumerate(zip(keys, keys[1:] + keys[:1], strict=True), start=1)
    ]
    drawn = []
    for direct in (False, True):
        buffer = io.StringIO()
        console = Console(file=buffer, width=width, color_system=None)
        render.pairs_table(console, chronology, rows, direct=direct)
        drawn.append(buffer.getvalue())
    assert drawn[1] == drawn[0]


def test_the_pager_is_chosen_as_git_chooses_its_own() -> None:
    """CHRONO_PAGER, else PAGER, else less; empty or cat means no pager."""
    from chrono.app.settings import pager_command

    assert pager_command({}) == "less"
    assert pager_command({"PAGER": "more"}) == "more"
    assert pager_command({"CHRONO_PAGER": "less -S", "PAGER": "more"}) == "less -S"
    assert pager_command({"CHRONO_PAGER": "", "PAGER": "more"}) == ""
    assert pager_command({"CHRONO_PAGER": " cat ", "PAGER": "more"}) == ""
    assert pager_command({"PAGER": "cat"}) == ""


@pytest.mark.parametrize("command", ["list", "show", "actors"])
def test_views_page_on_a_terminal_through_chrono_pager(tmp_path: Path, command: str) -> None:
    """list, show and actors page by default on a terminal, through $CHRONO_PAGER over $PAGER."""
    paged = tmp_path / "paged.txt"
    env = {**os.environ, "CHRONO_PAGER": f"cat > {paged}", "PAGER": "false", "TERM": "dumb"}
    env["CHRONO_TODAY"] = "2026-11-25"
    args = [command, "-f", SAMPLE, *(["feb"] if command == "show" else [])]
    code, screen = on_a_terminal(args, env)
    assert code == 0
    assert paged.read_text().strip() and not screen.strip()


@pytest.mark.parametrize("setting", [{"CHRONO_PAGER": "cat"}, {"CHRONO_PAGER": ""}, {}])
def test_no_pager_prints_on_the_terminal(tmp_path: Path, setting: dict[str, str]) -> None:
    """`CHRONO_PAGER=cat`, an empty one, or --no-pager: the view is printed on the terminal."""
    env = {**os.environ, "PAGER": f"cat > {tmp_path / 'paged.txt'}", "TERM": "dumb", **setting}
    flags = [] if setting else ["--no-pager"]
    code, screen = on_a_terminal(["list", "-f", SAMPLE, *flags], env)
    assert code == 0 and b"First talks in Moscow" in screen
    assert not (tmp_path / "paged.txt").exists()


def test_a_pager_command_in_chrono_pager_is_not_refused(run: Run) -> None:
    """`CHRONO_PAGER=less` names a pager; piped, chrono prints directly (it is not a boolean)."""
    result = run("list", "-f", SAMPLE, "--format", "ids", env={"CHRONO_PAGER": "less"})
    assert result.exit_code == 0 and result.stdout.split()
