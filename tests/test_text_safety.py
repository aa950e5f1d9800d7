"""Text from the log and the command line is data in every output: no character in it can
act on the reader (a terminal, a spreadsheet, a calendar, a JSON or markdown reader)."""

from __future__ import annotations

import csv
import io
import json
import sys
import unicodedata
from pathlib import Path

import icalendar
import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from chrono.app import terminal
from chrono.export import csv_format, md_format
from chrono.output.records import to_json
from chrono.output.safe_text import answer_text, clean, csv_cell, ics_text, json_safe, unsafe
from tests.conftest import Run

CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Every character that could act: all of Unicode's Cc, Cf, Zl and Zp (a TOML string holds
# no surrogates), and a text made of each of them between letters.
EVERY = "".join(
    c for c in map(chr, range(sys.maxunicode + 1)) if unicodedata.category(c) in CATEGORIES - {"Cs"}
)
OSC52 = "\x1b]52;c;ZWNobyBoaQ==\x07"  # a clipboard write, as captured
HOSTILE = f"a{OSC52}b{EVERY}c"
ONE_LINE = "".join(HOSTILE.splitlines())  # what a title in the file may hold
UNSEEN = "".join(c for c in ONE_LINE if unicodedata.category(c) != "Cc")  # what add takes

# Any text, with the characters that could act drawn often.
unsafe_chars = st.characters(categories=sorted(CATEGORIES))
texts = st.text(st.one_of(unsafe_chars, st.characters(), st.sampled_from("\n\r\t=+-@ ")))


def raw(text: str, allowed: str = "") -> set[str]:
    """The characters of ``text`` that could act, but those ``allowed``."""
    return {c for c in text if unicodedata.category(c) in CATEGORIES and c not in allowed}


# -- the rule -------------------------------------------------------------------------------


def test_unsafe_is_exactly_the_categories() -> None:
    """The one pattern matches every Cc, Cf, Cs, Zl and Zp character of Unicode, and
    nothing assigned to any other category."""
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    matched = set(unsafe().findall(everything))
    wanted = {c for c in everything if unicodedata.category(c) in CATEGORIES}
    assert wanted <= matched
    assert {unicodedata.category(c) for c in matched - wanted} <= {"Cn"}  # unassigned only


# -- one function per kind of output, over any text -------------------------------------------


@given(texts, st.booleans())
def test_terminal_text_has_no_raw_control(text: str, multiline: bool) -> None:
    """clean() leaves no C0 (but a line break when multiline), C1, Cf, Zl or Zp character,
    and shows each as the escape Python writes."""
    out = clean(text, multiline=multiline)
    assert raw(out, "\n" if multiline else "") == set()
    for char in raw(text, "\t\n\r"):
        assert char.encode("unicode_escape").decode() in out or repr(char)[1:-1] in out


@given(texts)
def test_ics_text_has_no_raw_control(text: str) -> None:
    """ics_text() leaves no character that could act, as a calendar shows it."""
    assert raw(ics_text(text)) == set()


@given(texts)
def test_csv_cell_is_inert(text: str) -> None:
    """csv_cell() leaves only line breaks and tabs, and no cell a spreadsheet would run."""
    out = csv_cell(text)
    assert raw(out, "\n\t") == set()
    assert not out.lstrip().startswith(("=", "+", "-", "@")) or out.startswith("'")
    assert not out.startswith(("\t", "\n", "\r")) or out.startswith("'")


@given(st.lists(texts, max_size=4))
def test_json_escapes_and_reads_back(values: list[str]) -> None:
    """to_json() writes every control, format character and separator as an escape, and the
    document reads back exactly."""
    out = to_json({"values": values})
    assert raw(out, "\n") == set()
    assert json.loads(out) == {"values": values}
    assert json_safe(out) == out  # nothing left to escape


@given(texts)
def test_markdown_text_has_no_raw_control(text: str) -> None:
    """The markdown escapes leave no character that could act (a tab is kept)."""
    assert raw(md_format.escape(" ".join(text.split())), "\t") == set()
    assert raw(md_format.one_line(text), "\t") == set()


@given(texts)
def test_answer_text_is_safe_and_reads_back(text: str) -> None:
    """answer_text() leaves only line breaks and tabs, as escapes TOML reads back."""
    out = answer_text(text)
    assert raw(out, "\n\t") == set()
    if "\r" not in text and not raw(text, "\n\t"):
        assert out == text


def test_said_messages_are_safe(capsys: pytest.CaptureFixture[str]) -> None:
    """A note or a line said on stderr shows an escape sequence, never sends it."""
    terminal.note(f"name {HOSTILE}")
    terminal.say(f"line {HOSTILE}\nsecond")
    err = capsys.readouterr().err
    assert raw(err, "\n") == set()
    assert "\\x1b]52;c;ZWNobyBoaQ==\\x07" in err
    assert err.endswith("\nsecond\n")


def test_safe_stream_makes_what_it_writes_safe() -> None:
    """The stream errors are said on writes every character that could act as an escape."""
    out = io.StringIO()
    stream = terminal.SafeStream(out)  # type: ignore[arg-type]
    stream.write(f"Error: {HOSTILE}\n")
    assert raw(out.getvalue(), "\n") == set()
    assert "\\u202e" in out.getvalue()


# -- through the command line: every output, every character ------------------------------------


@pytest.fixture
def every(tmp_path: Path) -> str:
    """A log whose every text field holds every character that could act."""
    no_space = "".join(c for c in HOSTILE if not c.isspace())  # a URL with them
    doc = {
        "chrono": {"timezone": "UTC"},
        "actors": {
            "ann": {"name": f"Ann {HOSTILE}", "aliases": ["Smith"], "role": HOSTILE},
            "bob": {"name": f"Bob {HOSTILE}", "aliases": ["Smith"], "note": HOSTILE},
        },
        "events": [
            {
                "id": "e1",
                "date": "2026-01-01",
                "title": f"Title {HOSTILE}",
                "summary": f"one {HOSTILE}\n\ntwo {HOSTILE}",
                "actors": ["ann", "bob", f"Free {HOSTILE}"],
                "location": f"\n=1+1 {HOSTILE}",
                "tags": [f"  =cmd {HOSTILE}", f"\n@x{HOSTILE}"],
                "kind": HOSTILE,
                "sources": [f"https://example.org/{no_space}", HOSTILE],
            },
            {"id": "plain", "date": "2026-01-02", "title": "Plain", "actors": ["ann"]},
        ],
    }
    path = tmp_path / "every.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return str(path)


TERMINAL_VIEWS = [
    (0, "list"),
    (0, "list", "--format", "table"),
    (0, "list", "--format", "ids"),
    (0, "show", "e1"),
    (0, "actors"),
    (0, "actors", "ann"),
    (0, "actors", "--pairs"),
    (0, "list", "-a", "Smith"),  # the note that the name matches two actors
    (0, "check"),  # warnings quoting the registry's names
    (2, "list", "-a", "Ann Lee"),  # no actor matches, did you mean ...
    (2, "add", "New", "-d", "2026-02-01", "-a", "Smith"),  # "could be any of"
    (2, "add", f"New {ONE_LINE}", "-d", "2026-02-01", "--dry-run"),  # a control character
    (0, "add", f"New {UNSEEN}", "-d", "2026-02-01", "--dry-run"),
    (2, "list", "--format", f"x{OSC52}"),  # click's own usage error
    (2, f"no{OSC52}"),
]


@pytest.mark.parametrize(("status", "args"), [(v[0], v[1:]) for v in TERMINAL_VIEWS], ids=str)
def test_terminal_output_is_safe(run: Run, every: str, status: int, args: tuple[str, ...]) -> None:
    """Every view and every message shows the log's and the command line's text with no
    raw control (only line breaks), no C1, format character or separator: not a byte of
    the clipboard write reaches the terminal."""
    result = run(*args, "-f", every, env={"COLUMNS": "300"})
    assert result.exit_code == status, result.output
    assert raw(result.stdout, "\n\t") == set()  # a tab: the TOML of add --dry-run
    assert raw(result.stderr, "\n") == set()
    shown = result.stdout + result.stderr
    assert "\\x1b]52;c;" in shown or "\\u001b]52;c;" in shown or "ids" in args or UNSEEN in args[1]


def test_dry_run_toml_reads_back(run: Run, every: str) -> None:
    """add --dry-run prints TOML whose escapes read back as the exact title (every format
    character and invisible one; a control character add refuses)."""
    import tomllib

    result = run("add", f"New {UNSEEN}", "-d", "2026-02-01", "--dry-run", "-f", every)
    assert result.exit_code == 0, result.output
    assert tomllib.loads(result.stdout)["events"][0]["title"] == f"New {UNSEEN}"


def test_json_answers_escape_and_read_back(run: Run, every: str) -> None:
    """list, show and check as JSON: every such character an escape, the text exact."""
    for args in (("list", "-F", "json"), ("show", "plain", "-F", "json"), ("check", "-F", "json")):
        out = run(*args, "-f", every).stdout
        assert raw(out, "\n") == set(), args
        json.loads(out)
    listed = json.loads(run("list", "-F", "json", "-f", every).stdout)
    assert listed[0]["title"] == f"Title {HOSTILE}"
    assert "\\u202e" in run("list", "-F", "json", "-f", every).stdout


@pytest.mark.parametrize(
    "args", [("md",), ("md", "--style", "table", "--mermaid"), ("md", "--title", HOSTILE)]
)
def test_markdown_export_is_safe(run: Run, every: str, args: tuple[str, ...]) -> None:
    """export md holds no character that could act but line breaks (a URL with one is
    written as escaped text, not as a link)."""
    result = run("export", *args, "-f", every)
    assert result.exit_code == 0, result.output
    assert raw(result.stdout, "\n\t") == set()


def test_ics_export_is_safe_and_parses(run: Run, every: str) -> None:
    """export ics holds no character that could act but its CRLF line ends, and icalendar
    reads it."""
    result = run("export", "ics", "--title", HOSTILE, "-f", every)
    assert result.exit_code == 0, result.output
    assert raw(result.stdout_bytes.decode().replace("\r\n", "")) == set()
    events = icalendar.Calendar.from_ical(result.stdout_bytes).walk("vevent")
    assert str(events[0]["summary"]).startswith("Title a\\x1b]52;c;")


def test_csv_export_is_safe_and_neutralised(run: Run, every: str) -> None:
    """export csv to stdout holds no ESC, BEL, BS, C1 or format character, every CR ends a
    row, and Python's csv module reads cells that begin with a line break or blanks before
    a formula as text (a quote mark first)."""
    data = run("export", "csv", "-f", every).stdout_bytes
    text = data.decode()
    assert text.count("\r") == text.count("\r\n") == 3  # the header and two rows
    assert raw(text.replace("\r\n", ""), "\n\t") == set()
    for byte in (b"\x1b", b"\x07", b"\x08", b"\xc2\x9b"):
        assert byte not in data
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows[0]["location"].startswith("'\n=1+1")
    assert rows[0]["tags"].startswith("'  =cmd")
    assert rows[0]["title"].startswith("Title a\\x1b]52;c;")


def test_csv_cells_with_blanks_before_a_formula(run: Run, tmp_path: Path) -> None:
    """A cell beginning with a line break or blanks before =, +, - or @ gets a quote mark."""
    log = tmp_path / "f.toml"
    doc = {"events": [{"id": "a", "date": "2026-01-01", "title": "  =1+1", "kind": " @x",
                       "location": "\n-2", "summary": "\n", "tags": ["\t+3"]}]}  # fmt: skip
    log.write_text(tomli_w.dumps(doc), encoding="utf-8")
    data = run("export", "csv", "-f", str(log)).stdout_bytes.decode()
    row = next(csv.DictReader(io.StringIO(data, newline="")))
    assert (row["title"], row["kind"], row["location"]) == ("'  =1+1", "' @x", "'\n-2")
    assert (row["summary"], row["tags"]) == ("'\n", "'\t+3")
    assert csv_format.COLUMNS[0] == "id"


@settings(max_examples=25, deadline=None)
@given(st.text(st.one_of(unsafe_chars.filter(lambda c: c != "\x00"), st.characters()), min_size=1))
def test_any_title_any_output(tmp_path_factory: pytest.TempPathFactory, title: str) -> None:
    """Whatever characters a title holds, no export and no view writes one that could act."""
    from typer.testing import CliRunner

    from chrono.app.cli import app

    title = "T " + "".join(c for c in title if unicodedata.category(c) != "Cs")
    path = tmp_path_factory.mktemp("any") / "events.toml"
    doc = {"events": [{"id": "a", "date": "2026-01-01", "title": title, "tags": [title]}]}
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    env = {"NO_COLOR": "1", "CHRONO_NO_CACHE": "1", "COLUMNS": "120"}
    for args, allowed in (
        (("list",), "\n"),
        (("list", "-F", "table"), "\n"),
        (("list", "-F", "json"), "\n"),
        (("show", "a"), "\n"),
        (("export", "md"), "\n\t"),
        (("export", "json"), "\n"),
    ):
        result = CliRunner().invoke(app, [*args, "-f", str(path)], env=env)
        assert result.exit_code == 0, (args, result.output)
        assert raw(result.stdout, allowed) == set(), args
    for fmt, allowed in (("csv", "\n\t"), ("ics", "")):
        result = CliRunner().invoke(app, ["export", fmt, "-f", str(path)], env=env)
        assert raw(result.stdout_bytes.decode().replace("\r\n", ""), allowed) == set(), fmt
