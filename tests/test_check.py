"""Loading and `chrono check`: every kind of bad log gets one exact FILE:LINE:COL message."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from chrono.core.errors import LogError
from chrono.operations import reading as source
from chrono.storage import store
from tests.conftest import Run

WriteLog = Callable[..., Path]

GOOD = """\
[chrono]
timezone = "Europe/Moscow"

[actors.putin]
name = "Vladimir Putin"
aliases = ["Putin", "Wladimir Putin"]

[[events]]
id = "talks"
date = "2025-12-02"
title = "Talks in Moscow"
actors = ["Putin"]
sources = ["https://example.org/a"]
"""


def check_errors(run: Run, path: Path, *extra: str) -> tuple[int, list[str]]:
    """Run `chrono check` on path; return the exit code and the stderr lines."""
    result = run("check", "-f", str(path), *extra)
    return result.exit_code, result.stderr.splitlines()


def test_a_good_log_checks_clean(run: Run, write_log: WriteLog) -> None:
    """A valid log: exit 0 and a one-line summary."""
    path = write_log(GOOD)
    code, lines = check_errors(run, path)
    assert (code, lines) == (0, [f"{path}: 1 event, 1 actor: no problems"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            'title = "x"\ndate = 2025-02-03\n[[events]\n',
            "3:9: error: invalid TOML: expected ']]' at the end of an array declaration",
            id="syntax",
        ),
        pytest.param(
            'a = "unterminated\n',
            "1:18: error: invalid TOML: illegal character '\\n'",
            id="unterminated-string",
        ),
        pytest.param(
            "[x]\na = 1\n[x]\n",
            "3:3: error: invalid TOML: cannot declare [x] twice",
            id="table-twice",
        ),
        pytest.param(
            "a = " + "[" * 3000 + "]" * 3000 + "\n",
            "1:1: error: invalid TOML: nested too deeply",
            id="deeply-nested",
        ),
        pytest.param(
            GOOD.replace('"2025-12-02"', '"2025-02-30"'),
            "10:8: error: event #1 ('talks'): 'date': no such day: February 2025 has 28 days, "
            "not 30 ('2025-02-30')",
            id="impossible-date",
        ),
        pytest.param(
            GOOD.replace('date = "2025-12-02"', 'date = 2025-12-02\nend = "2025-11"'),
            "11:7: error: event #1 ('talks'): 'end' 2025-11 is before 'date' 2025-12-02",
            id="end-before-date",
        ),
        pytest.param(
            GOOD.replace('title = "Talks in Moscow"\n', ""),
            "8:1: error: event #1 ('talks'): 'title' is missing",
            id="missing-title",
        ),
        pytest.param(
            GOOD.replace('"Talks in Moscow"', '"   "'),
            "11:9: error: event #1 ('talks'): 'title' is empty",
            id="empty-title",
        ),
        pytest.param(
            GOOD.replace('date = "2025-12-02"\n', ""),
            "8:1: error: event #1 ('talks'): 'date' is missing",
            id="missing-date",
        ),
        pytest.param(
            GOOD + '\n[[events]]\nid = "talks"\ndate = 2026-01-01\ntitle = "Again"\n',
            "16:6: error: event #2 ('talks'): duplicate id 'talks' (first used by the event "
            "at line 8)",
            id="duplicate-id",
        ),
        pytest.param(
            GOOD + 'tags = "x"\n',
            "14:8: error: event #1 ('talks'): 'tags' must be an array of strings, not a string",
            id="wrong-type",
        ),
        pytest.param(
            GOOD.replace('actors = ["Putin"]', 'actors = ["Putin", 42]'),
            "12:10: error: event #1 ('talks'): 'actors' entry 2 must be a string, not an integer",
            id="actor-not-a-string",
        ),
        pytest.param(
            GOOD.replace('title = "Talks in Moscow"', "title = 7"),
            "11:9: error: event #1 ('talks'): 'title' must be a string, not an integer",
            id="title-not-a-string",
        ),
        pytest.param(
            GOOD.replace('"Europe/Moscow"', '"Mars/Olympus"'),
            "2:12: error: [chrono] timezone: unknown time zone 'Mars/Olympus' (use an IANA "
            "name such as 'Europe/Berlin' or 'UTC')",
            id="unknown-timezone",
        ),
        pytest.param(
            GOOD.replace('name = "Vladimir Putin"\n', ""),
            "4:1: error: actor 'putin': 'name' is missing",
            id="actor-without-name",
        ),
        pytest.param(
            GOOD.replace('date = "2025-12-02"', "date = 10:30:00"),
            "10:8: error: event #1 ('talks'): 'date': a time of day without a date: 10:30:00",
            id="time-only",
        ),
        pytest.param(
            GOOD.replace('id = "talks"', 'id = "two words"'),
            "9:6: error: event #1 ('two words'): 'id' must be non-empty and contain no spaces",
            id="bad-id",
        ),
    ],
)
def test_each_error_has_its_exact_message_and_place(
    run: Run, write_log: WriteLog, text: str, expected: str
) -> None:
    """Each kind of bad log gives exactly one error line at the right place, exit 1."""
    path = write_log(text)
    code, lines = check_errors(run, path)
    errors = [line for line in lines if ": error: " in line]
    assert errors == [f"{path}:{expected}"]
    assert code == 1


def test_a_utf8_bom_is_accepted(run: Run, write_log: WriteLog) -> None:
    """A UTF-8 byte order mark at the start is accepted."""
    path = write_log(b"\xef\xbb\xbf" + GOOD.encode())
    assert check_errors(run, path)[0] == 0


def test_non_utf8_bytes_are_placed(run: Run, write_log: WriteLog) -> None:
    """Latin-1 bytes: the line and column of the first bad byte."""
    path = write_log(GOOD.replace("Talks in Moscow", "Gespräche").encode("latin-1"))
    code, lines = check_errors(run, path)
    assert lines == [
        f"{path}:11:15: error: not valid UTF-8 (byte 0xe4); save the file as UTF-8",
        f"{path}: 1 error, 0 warnings",
    ]
    assert code == 1


def test_nul_bytes_are_placed(run: Run, write_log: WriteLog) -> None:
    """A NUL byte (a binary or UTF-16 file) is named with its place."""
    path = write_log("# chrono\n".encode("utf-16-le"))
    code, lines = check_errors(run, path)
    assert lines[0] == f"{path}:1:2: error: NUL byte in the file: is this a binary file, or UTF-16?"
    assert code == 1


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf16_file_is_named_as_such(run: Run, write_log: WriteLog, encoding: str) -> None:
    """A file saved as UTF-16 with its byte-order mark is told to be saved as UTF-8."""
    text = "# chrono\n"
    data = text.encode(encoding) if encoding == "utf-16" else b"\xfe\xff" + text.encode(encoding)
    path = write_log(data)
    code, lines = check_errors(run, path)
    assert lines[0] == (
        f"{path}:1:1: error: the file is UTF-16 (it starts with a UTF-16 byte-order mark); "
        "save it as UTF-8"
    )
    assert code == 1


def test_missing_file_directory_and_unreadable(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing file, a directory and an unreadable file each get one clear line."""
    missing = tmp_path / "nope.toml"
    assert check_errors(run, missing) == (
        1,
        [f"{missing}: error: no such file", f"{missing}: 1 error, 0 warnings"],
    )
    assert (
        check_errors(run, tmp_path)[1][0] == f"{tmp_path}: error: is a directory, not an event log"
    )

    locked = tmp_path / "locked.toml"
    locked.write_text(GOOD)

    def deny(path: Path, shown: str) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("chrono.storage.files._read", deny)
    assert (
        check_errors(run, locked)[1][0]
        == f"{locked}: error: permission denied: cannot read the file"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_really_unreadable_file(run: Run, write_log: WriteLog) -> None:
    """A file without read permission is reported, not a traceback."""
    path = write_log(GOOD)
    path.chmod(0)
    assert (
        check_errors(run, path)[1][0] == f"{path}: error: permission denied: cannot read the file"
    )


def test_list_of_problems_in_one_log(run: Run, write_log: WriteLog) -> None:
    """Several problems are all reported, in file order, with a count."""
    text = GOOD.replace('actors = ["Putin"]', 'actors = ["Putn"]') + 'colour = "red"\n'
    text += "sources2 = 1\n"
    text = text.replace('"https://example.org/a"', '"www.example.org", "TASS, 23 Jan 2026"')
    path = write_log(text)
    code, lines = check_errors(run, path)
    assert lines == [
        f"{path}:4:1: warning: actor 'putin' is in the registry but no event names it",
        f"{path}:12:11: warning: event #1 ('talks'): actor 'Putn' is not in the registry; "
        "did you mean 'putin' (Vladimir Putin)? (add the spelling to that actor's aliases: "
        "chrono actors alias putin Putn)",
        f"{path}:13:12: warning: event #1 ('talks'): source 'www.example.org' looks like a URL "
        "but is not a valid http(s) URL",
        f"{path}:14:10: warning: event #1 ('talks'): unknown key 'colour' (kept, but chrono "
        "does not use it)",
        f"{path}:15:12: warning: event #1 ('talks'): unknown key 'sources2' (kept, but chrono "
        "does not use it); did you mean 'sources'?",
        f"{path}: 1 event, 1 actor: 0 errors, 5 warnings",
    ]
    assert code == 0
    assert run("check", "-f", str(path), "--strict").exit_code == 1


def test_check_json(run: Run, write_log: WriteLog) -> None:
    """--format json prints a document on stdout with every diagnostic."""
    path = write_log(GOOD.replace('actors = ["Putin"]', 'actors = ["Nobody"]'))
    result = run("check", "-f", str(path), "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["ok"] is True
    assert (doc["events"], doc["actors"], doc["errors"], doc["warnings"]) == (1, 1, 0, 2)
    assert doc["diagnostics"][1] == {
        "file": str(path),
        "line": 12,
        "column": 11,
        "severity": "warning",
        "code": "unknown-actor",
        "message": "event #1 ('talks'): actor 'Nobody' is not in the registry "
        "(add an [actors.<key>] table for it)",
        "event": "talks",
        "field": "actors",
    }
    strict = json.loads(run("check", "-f", str(path), "--format", "json", "--strict").stdout)
    assert strict["ok"] is False


def test_load_raises_log_error_with_all_errors(write_log: WriteLog) -> None:
    """store.load raises LogError carrying only the errors, warnings dropped."""
    path = write_log(GOOD.replace('"2025-12-02"', '"2025-02-30"') + "colour = 1\n")
    with pytest.raises(LogError) as info:
        store.load(path)
    assert [d.code for d in info.value.diagnostics] == ["date"]


def test_discovery_order(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write_log: WriteLog
) -> None:
    """--file, then CHRONO_FILE, then the nearest events.toml upward; else exit 2."""
    write_log(GOOD)
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert source.discover(None) == tmp_path / "events.toml"
    assert run("check").exit_code == 0
    other = tmp_path / "other.toml"
    other.write_text(GOOD)
    monkeypatch.setenv("CHRONO_FILE", str(other))
    assert run("check").stderr.startswith(f"{other}: ")  # $CHRONO_FILE is the log
    assert source.discover("x.toml") == Path("x.toml")
    monkeypatch.delenv("CHRONO_FILE")
    monkeypatch.chdir(tmp_path)
    assert source.discover(None) == Path("events.toml")
    (tmp_path / "events.toml").unlink()
    result = run("check")
    assert result.exit_code == 2
    assert result.stderr.startswith("chrono: error: no events.toml found in this directory")


def test_a_broken_event_still_uses_its_actors(run: Run, write_log: WriteLog) -> None:
    """No false 'no event names it' for an actor named only by events with errors."""
    path = write_log(GOOD.replace('"2025-12-02"', '"2025-02-30"'))
    _, lines = check_errors(run, path)
    assert not [line for line in lines if "no event names it" in line]


def test_bad_aliases_do_not_drop_the_actor(run: Run, write_log: WriteLog) -> None:
    """`aliases = "Putin"` is one error; events naming the actor are not also wrong."""
    path = write_log(GOOD.replace('aliases = ["Putin", "Wladimir Putin"]', 'aliases = "Putin"'))
    _, lines = check_errors(run, path)
    assert [line.split(": ", 1)[1] for line in lines[:-1]] == [
        "error: actor 'putin': 'aliases' must be an array of strings, not a string"
    ]


def test_invisible_characters_in_ids(run: Run, write_log: WriteLog) -> None:
    """An id with a bidi override or a zero-width space is an error."""
    path = write_log(GOOD.replace('id = "talks"', 'id = "\\u202etalks"'))
    code, lines = check_errors(run, path)
    assert code == 1
    assert "contains invisible or control characters" in lines[0]


def test_a_wall_time_the_clocks_skip_is_warned_about(run: Run, write_log: WriteLog) -> None:
    """02:30 on the night clocks go forward in Berlin does not exist: a warning says so."""
    path = write_log(
        '[chrono]\ntimezone = "Europe/Berlin"\n[[events]]\nid = "a"\n'
        'date = "2026-03-29T02:30"\ntitle = "T"\n'
    )
    code, lines = check_errors(run, path)
    assert lines[0] == (
        f"{path}:5:8: warning: event #1 ('a'): 'date' 2026-03-29T02:30 does not exist in the "
        "log's time zone (the clocks skip it); write the time with its UTC offset"
    )
    assert code == 0


def test_a_line_separator_in_a_title_does_not_shift_line_numbers(
    run: Run, write_log: WriteLog
) -> None:
    """U+2028 and U+0085 are text inside a TOML string, not line breaks: errors stay placed."""
    path = write_log(
        '[[events]]\nid = "a"\ndate = "2026-01-01"\ntitle = "one\u2028two\x85three"\n'
        '[[events]]\nid = "b"\ndate = "2026-02-30"\ntitle = "T"\n'
    )
    code, lines = check_errors(run, path)
    assert code == 1
    assert lines[0] == (  # U+0085 (NEL) is a C1 control character, said where it is
        f"{path}:4:9: warning: event #1 ('a'): 'title' holds a control character U+0085; "
        "write plain text"
    )
    assert lines[1].startswith(f"{path}:7:8: error: event #2 ('b'): ")
