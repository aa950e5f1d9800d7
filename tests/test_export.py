"""`chrono export`: golden files of every format, parsed back by real parsers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import icalendar
import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from chrono.core.model import Chronology
from chrono.export.json_format import load as load_json
from chrono.formats import FORMATS
from chrono.output.safe_text import csv_cell
from chrono.storage import store
from tests.conftest import BUNDLED, Run

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"
HOSTILE = DATA / "hostile.toml"
UPDATE = os.environ.get("CHRONO_UPDATE_GOLDEN") == "1"

CASES = {
    "bundled.md": (BUNDLED, ("md",)),
    "bundled-putin-witkoff.md": (
        BUNDLED,
        ("md", "-a", "Putin", "-a", "Witkoff", "-k", "meeting", "--mermaid"),
    ),
    "bundled-january-table.md": (BUNDLED, ("md", "--on", "2026-01", "--style", "table")),
    "bundled.json": (BUNDLED, ("json",)),
    "bundled.csv": (BUNDLED, ("csv",)),
    "bundled.ics": (BUNDLED, ("ics",)),
    "hostile.md": (HOSTILE, ("md", "--mermaid")),
    "hostile-table.md": (HOSTILE, ("md", "--style", "table")),
    "hostile.json": (HOSTILE, ("json",)),
    "hostile.csv": (HOSTILE, ("csv",)),
    "hostile.ics": (HOSTILE, ("ics",)),
}


def export(run: Run, log: Path, *args: str) -> bytes:
    """Run `chrono export` and return stdout as bytes."""
    result = run("export", *args, "-f", str(log))
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


REVISED = 1_767_225_600  # 2026-01-01T00:00:00Z: the golden logs' mtime, so the ICS DTSTAMP


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(run: Run, tmp_path: Path, name: str) -> None:
    """Each export is byte-for-byte its golden file (CHRONO_UPDATE_GOLDEN=1 rewrites them)."""
    log, args = CASES[name]
    copy = tmp_path / log.name
    copy.write_bytes(log.read_bytes())
    os.utime(copy, (REVISED, REVISED))
    data = export(run, copy, *args)
    golden = GOLDEN / name
    if UPDATE:
        golden.write_bytes(data)
    assert data == golden.read_bytes()


def test_deterministic(run: Run) -> None:
    """The same log and options give the same bytes, every format."""
    for fmt in FORMATS:
        assert export(run, BUNDLED, fmt) == export(run, BUNDLED, fmt)


def test_export_help_lists_every_format(run: Run) -> None:
    """`chrono export --help` names each registered format."""
    text = run("export", "--help").stdout
    for name, description in FORMATS.items():
        assert f"  {name:<11} {description[:30]}" in text


# -- markdown, read by a real markdown parser -----------------------------------------


def parse(markdown: bytes) -> list[Token]:
    """Tokens of a GFM-like parse with tables and footnotes."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)
    return md.parse(markdown.decode())


def inline_text(token: Token) -> str:
    """The plain text an inline token renders to."""
    return "".join(c.content for c in token.children or [] if c.type in ("text", "code_inline"))


def headings(tokens: list[Token], tag: str) -> list[str]:
    """Text of every heading of one level."""
    return [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == tag
    ]


def test_markdown_structure_of_the_bundled_log(run: Run) -> None:
    """Headings, list entries, bold titles and footnotes come out as intended."""
    tokens = parse(export(run, BUNDLED, "md"))
    chronology = store.load(BUNDLED)
    assert headings(tokens, "h1") == ["Chronology, 2025 – Jan 2026"]
    assert headings(tokens, "h2") == ["2025", "2026"]
    assert headings(tokens, "h3")[:3] == ["February 2025", "March 2025", "April 2025"]
    strong = [
        tok.children[i + 1].content
        for tok in tokens
        if tok.type == "inline"
        for i, c in enumerate(tok.children or [])
        if c.type == "strong_open"
    ]
    titles = strong[1::2]
    assert titles == [e.title for e in chronology.events]
    refs = [
        c
        for t in tokens
        if t.type == "inline"
        for c in t.children or []
        if c.type == "footnote_ref"
    ]
    assert len(refs) == sum(len(e.sources) for e in chronology.events)
    assert [t for t in tokens if t.type == "footnote_open"]


def test_hostile_markdown_stays_literal(run: Run) -> None:
    """Markup in log text renders as the same characters: no links, html, headings or lists."""
    data = export(run, HOSTILE, "md")
    tokens = parse(data)
    kinds = {c.type for t in tokens for c in [t, *(t.children or [])]}
    assert not kinds & {"html_inline", "html_block", "image", "em_open", "s_open", "code_inline"}
    assert kinds >= {"footnote_ref", "strong_open"}
    links = [c.attrs["href"] for t in tokens for c in t.children or [] if c.type == "link_open"]
    assert links == ["https://example.org/b"]  # only the clean URL source, as an autolink
    assert headings(tokens, "h1") == ["Chronology, Jul 1962 – Jan 2026"]
    assert headings(tokens, "h2") == ["1962", "2026"]
    assert not [t for t in tokens if t.type in ("ordered_list_open", "blockquote_open")]
    rendered = "".join(inline_text(t) for t in tokens if t.type == "inline")
    title = (
        "# Not a heading | [link](http://evil.example) *bold* _it_ `code` <b>html</b> &amp; ~~x~~"
    )
    assert title in rendered
    assert '<script>alert("x")</script> | pipe \\ backslash' in rendered
    assert "\x1b" not in data.decode() and "\u202e" not in data.decode()


def test_hostile_markdown_table_cells(run: Run) -> None:
    """In table style every row has exactly four cells holding the literal text."""
    tokens = parse(export(run, HOSTILE, "md", "--style", "table"))
    rows: list[list[str]] = []
    for i, token in enumerate(tokens):
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("td_open", "th_open"):
            rows[-1].append(inline_text(tokens[i + 1]))
    assert rows[0] == ["Date", "Event", "Actors", "Location"]
    assert all(len(row) == 4 for row in rows)
    assert rows[2][2] == '=HYPERLINK("http://evil.example","Mallory") | *M*, +free @text'
    assert rows[2][3] == "-Moscow; #kremlin: <b>"


def test_mermaid_block_is_safe(run: Run) -> None:
    """Mermaid lines carry one ' : ' separator each and no raw ; or # from the log."""
    text = export(run, HOSTILE, "md", "--mermaid").decode()
    block = text.split("```mermaid\n", 1)[1].split("```", 1)[0].splitlines()
    assert block[0] == "timeline"
    events = [line for line in block if line.startswith("        ")]
    assert len(events) == 3
    for line in events:
        assert line.count(" : ") == 1
        body = line.replace("#35;", "").replace("#58;", "").replace("#59;", "")
        body = body.replace("#60;", "").replace("#62;", "")
        assert ";" not in body and "#" not in body and ":" not in body.replace(" : ", "")


def test_default_title_from_filters(run: Run) -> None:
    """The heading names the actors and the span; --title replaces it."""
    data = export(run, BUNDLED, "md", "-a", "Putin", "-a", "Witkoff", "-k", "meeting")
    assert data.startswith(b"# Putin and Witkoff, Feb 2025 \xe2\x80\x93 Jan 2026\n")
    data = export(run, BUNDLED, "md", "-a", "Putin", "--title", "My *report*")
    assert data.startswith(b"# My \\*report\\*\n")


def test_generated_line_only_when_asked(run: Run) -> None:
    """No date in the output unless --generated."""
    assert b"Generated by" not in export(run, BUNDLED, "md")
    data = export(run, BUNDLED, "md", "--generated")
    assert b"_Generated by chrono " in data and b" on 2026-11-25 from events.toml_" in data


# -- json -----------------------------------------------------------------------------


def comparable(chronology: Chronology) -> object:
    """A chronology's content without file positions."""
    events = [
        (
            e.id,
            e.date,
            e.end,
            e.title,
            e.summary,
            e.actors,
            e.location,
            e.tags,
            e.kind,
            e.sources,
            dict(e.extra),
            e.start,
            e.stop,
        )
        for e in chronology.events
    ]
    actors = {
        k: (a.name, a.aliases, a.role, a.note, dict(a.extra))
        for k, a in chronology.registry.actors.items()
    }
    return chronology.timezone, actors, events


@pytest.mark.parametrize("log", [BUNDLED, HOSTILE, DATA / "sample.toml"])
def test_json_round_trip(run: Run, log: Path) -> None:
    """Export to JSON, load it back: the same chronology."""
    doc = json.loads(export(run, log, "json"))
    assert (doc["format"], doc["version"]) == ("chrono", 1)
    assert comparable(load_json(doc)) == comparable(store.load(log))


# -- csv ------------------------------------------------------------------------------


def test_csv_reads_back_and_is_neutralised(run: Run) -> None:
    """RFC 4180 rows, a header, lists joined with '; ', formula prefixes neutralised."""
    data = export(run, HOSTILE, "csv")
    assert data.count(b"\r\n") >= 4
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == 3
    markup = next(r for r in rows if r["id"] == "markup")
    assert markup["tags"] == "=1+1; @sum; tab\there".replace("=", "'=", 1)
    assert markup["sources"].startswith("https://example.org/a?b=c&d=[e]; =cmd")
    assert markup["actors"].startswith("'=HYPERLINK")
    assert markup["location"] == "'-Moscow; #kremlin: <b>"
    assert markup["summary"].startswith("1. not a list\n- not an item")
    escapes = next(r for r in rows if r["id"] == "escapes")
    assert escapes["location"] == "'\tTabbed"
    assert escapes["summary"] == "line one\nline two\nline three"  # every CR ends a row
    assert escapes["title"].startswith("Escape \\x1b[31mred\\x1b[0m bell\\x07 bidi\\u202eevil")
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "\\x0dx"),
        ("\nx", "'\nx"),
        ("  =1", "'  =1"),
        ("\n@x", "'\n@x"),
        ("\u3000+1", "'\u3000+1"),
        ("a=1", "a=1"),
        ("a\r\nb", "a\nb"),
        ("", ""),
    ],
)
def test_csv_safe_cells(cell: str, expected: str) -> None:
    """Exactly the cells a spreadsheet would run are neutralised, blanks before a formula too."""
    assert csv_cell(cell) == expected


# -- ics ------------------------------------------------------------------------------


def test_ics_parses_back(run: Run) -> None:
    """icalendar reads the export: one VEVENT per event, stable UIDs, all-day spans."""
    calendar = icalendar.Calendar.from_ical(export(run, BUNDLED, "ics"))
    events = calendar.walk("VEVENT")
    chronology = store.load(BUNDLED)
    assert len(events) == len(chronology.events)
    by_uid = {str(e["UID"]): e for e in events}
    assert set(by_uid) == {f"{e.id}@chrono" for e in chronology.events}
    kremlin = by_uid["2026-01-22-putin-witkoff-kremlin@chrono"]
    assert str(kremlin["DTSTART"].to_ical(), "ascii") == "20260122"
    assert str(kremlin["DTEND"].to_ical(), "ascii") == "20260124"  # exclusive
    assert str(kremlin["LOCATION"]) == "Senate Palace, Moscow Kremlin"
    assert "board-of-peace" in [str(c) for c in kremlin["CATEGORIES"].cats]
    consultations = by_uid["2025-12-mar-a-lago-consultations@chrono"]
    assert consultations["DTSTART"].dt.isoformat() == "2025-12-01"
    assert consultations["DTEND"].dt.isoformat() == "2026-02-01"
    miami = by_uid["2025-miami-consultations@chrono"]
    assert (miami["DTSTART"].dt.isoformat(), miami["DTEND"].dt.isoformat()) == (
        "2025-01-01",
        "2026-01-01",
    )
    assert "(uncertain)" in str(miami["DESCRIPTION"])
    revised = dt.datetime.fromtimestamp(BUNDLED.stat().st_mtime_ns // 10**9, dt.UTC)
    assert {e["DTSTAMP"].dt for e in events} == {revised}  # when the log last changed


def test_ics_times_keep_their_zone(run: Run) -> None:
    """A datetime event has DTSTART/DTEND with the log's zone and a VTIMEZONE."""
    data = export(run, HOSTILE, "ics")
    calendar = icalendar.Calendar.from_ical(data)
    escapes = next(e for e in calendar.walk("VEVENT") if str(e["UID"]) == "escapes@chrono")
    start, end = escapes["DTSTART"].dt, escapes["DTEND"].dt
    assert (start.isoformat(), end.isoformat()) == (
        "2026-01-23T22:30:00+01:00",
        "2026-01-24T01:15:00+01:00",
    )
    assert b"DTSTART;TZID=Europe/Berlin:20260123T223000" in data
    assert calendar.walk("VTIMEZONE")
    assert str(escapes["SUMMARY"]).startswith("Escape \\x1b[31mred\\x1b[0m bell\\x07 bidi\\u202e")


def test_ics_holds_no_control_characters(run: Run) -> None:
    """Escapes, bells and bidi overrides are visible escapes (RFC 5545 allows no controls)."""
    text = export(run, HOSTILE, "ics").decode()
    assert not {"\x1b", "\x07", "\x9b", "\u202e"} & set(text)
    assert set(text) & {chr(c) for c in range(32)} <= {"\r", "\n", "\t"}


# -- output files ------------------------------------------------------------------------


def test_output_file_is_written_atomically(run: Run, tmp_path: Path) -> None:
    """-o FILE writes the same bytes as stdout, replaces an old export, never the log."""
    target = tmp_path / "out.md"
    target.write_text("old")
    result = run("export", "md", "-f", str(BUNDLED), "-o", str(target))
    assert result.exit_code == 0
    assert result.stderr == f"chrono: wrote 17 events to {target}\n"
    assert target.read_bytes() == export(run, BUNDLED, "md")
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]
    log = tmp_path / "events.toml"
    log.write_bytes(BUNDLED.read_bytes())
    refused = run("export", "md", "-f", str(log), "-o", str(log))
    assert refused.exit_code == 2
    assert (
        refused.stderr
        == f"chrono: error: -o {log}: that is the event log itself; not overwritten\n"
    )
    assert log.read_bytes() == BUNDLED.read_bytes()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_output_into_a_pipe_writes_into_it(run: Run, tmp_path: Path) -> None:
    """-o on a named pipe (or a device) writes into it; it is never replaced by a file."""
    import stat
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    result = run("export", "md", "-f", str(BUNDLED), "-o", str(pipe))
    reader.join(timeout=10)
    if reader.is_alive():  # nothing was written into the pipe: unblock the reader, then fail
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    assert result.exit_code == 0, result.output
    assert received == [export(run, BUNDLED, "md")]
    assert stat.S_ISFIFO(pipe.stat().st_mode)


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="no /dev/stdout here")
def test_output_to_dev_stdout_writes_into_the_pipe_or_appends(tmp_path: Path) -> None:
    """-o /dev/stdout goes where stdout goes: into a pipe, or after a report's text (>>)."""
    import subprocess
    import sys

    chrono = f'"{sys.executable}" -m chrono export md -f "{BUNDLED}" -o /dev/stdout'
    piped = subprocess.run(
        ["sh", "-c", f"{chrono} | cat"], capture_output=True, check=False, cwd=tmp_path
    )
    assert piped.returncode == 0, piped.stderr
    expected = piped.stdout
    assert expected.startswith(b"# ")
    report = tmp_path / "report.md"
    report.write_bytes(b"My notes\n\n")
    appended = subprocess.run(
        ["sh", "-c", f"{chrono} >> report.md"], capture_output=True, check=False, cwd=tmp_path
    )
    assert appended.returncode == 0, appended.stderr
    assert report.read_bytes() == b"My notes\n\n" + expected


def test_output_dash_is_stdout(run: Run, tmp_path: Path) -> None:
    """-o - writes to stdout, as if -o were not given; no file named '-' is made."""
    result = run("export", "md", "-f", str(BUNDLED), "-o", "-")
    assert result.stdout_bytes == export(run, BUNDLED, "md")


def test_export_takes_list_filters(run: Run) -> None:
    """The same filters select the same events as `chrono list`."""
    args = ("-a", "Uschakow", "--from", "2025-06", "-n", "3")
    listed = run("list", "-f", str(BUNDLED), "--format", "ids", *args).stdout.split()
    doc = json.loads(export(run, BUNDLED, "json", *args))
    assert [e["id"] for e in doc["events"]] == listed


def test_unknown_format_is_a_usage_error(run: Run) -> None:
    """An unknown format: exit 2."""
    assert run("export", "pdf", "-f", str(BUNDLED)).exit_code == 2


def test_docs_example_is_current(run: Run) -> None:
    """docs/example-timeline.md is exactly what chrono exports today."""
    example = Path(__file__).parent.parent / "docs" / "example-timeline.md"
    args = CASES["bundled-putin-witkoff.md"][1]
    assert example.read_bytes() == export(run, BUNDLED, *args)
