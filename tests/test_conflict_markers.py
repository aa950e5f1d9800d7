"""Unresolved merge conflicts: each block named as an error (file, lines, what it is about)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from chrono.storage import conflicts
from chrono.storage.conflicts import Conflict, find, present
from tests.conftest import Run

WriteLog = Callable[..., Path]

HEAD = """\
[chrono]
timezone = "Europe/Moscow"

[actors.putin]
name = "Vladimir Putin"

[[events]]
id = "talks"
title = "Talks in Moscow"
date = 2025-12-02

"""
OURS = """\
[[events]]
id = "2026-01-23-putin-meets-witkoff"
title = "Putin meets Witkoff"
date = 2026-01-23
"""
THEIRS = OURS.replace('"Putin meets Witkoff"', '"Putin meets Witkoff in the Kremlin"')
DRIVER = f"{HEAD}<<<<<<< ours\n{OURS}=======\n{THEIRS}>>>>>>> theirs\n"
FIX = "keep one side, delete the marker lines, then run chrono check"
WITKOFF = (
    "events.toml:12:1: error: an unresolved merge conflict on the event "
    f"'2026-01-23-putin-meets-witkoff' (lines 12-22): {FIX}"
)


def errors(run: Run, path: Path, *command: str) -> tuple[int, list[str]]:
    """Run a command on the log from its folder; the exit code and the stderr lines."""
    result = run(*(command or ("check",)), "-f", path.name)
    return result.exit_code, result.stderr.splitlines()


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's folder is the working directory, so messages name plain events.toml."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_drivers_conflict_is_one_error_naming_the_event(
    run: Run, write_log: WriteLog, here: Path
) -> None:
    """The merge driver's block around one table: one error at its first marker, no TOML error."""
    code, lines = errors(run, write_log(DRIVER))
    assert (code, lines) == (1, [WITKOFF, "events.toml: 1 error, 0 warnings"])


@pytest.mark.parametrize("command", [("list",), ("show", "talks"), ("export", "md")])
def test_every_command_that_reads_the_log_fails_with_the_conflict(
    run: Run, write_log: WriteLog, here: Path, command: tuple[str, ...]
) -> None:
    """Reading commands fail (exit 1) with the same diagnostic, even after the index was warm."""
    path = write_log(HEAD)
    assert run("list", "-f", path.name).exit_code == 0  # builds the index
    write_log(DRIVER)
    assert errors(run, path, *command) == (1, [WITKOFF])


def test_a_write_fails_with_the_conflict_and_writes_nothing(
    run: Run, write_log: WriteLog, here: Path
) -> None:
    """`chrono add` on a conflicted log refuses with the conflict and leaves the bytes alone."""
    path = write_log(DRIVER)
    code, lines = errors(run, path, "add", "New", "--date", "2026-02-01")
    assert (code, lines, path.read_text()) == (1, [WITKOFF], DRIVER)


def test_check_json_lists_each_conflict(run: Run, write_log: WriteLog, here: Path) -> None:
    """`check --format json`: each conflict with code conflict and the event's id."""
    text = DRIVER + "<<<<<<< ours\n[actors.trump]\nname = 'Trump'\n=======\n>>>>>>> theirs\n"
    result = run("check", "-f", write_log(text).name, "--format", "json")
    record = json.loads(result.stdout)
    assert (result.exit_code, record["ok"], record["errors"]) == (1, False, 2)
    assert [(d["line"], d["code"], d["event"]) for d in record["diagnostics"]] == [
        (12, "conflict", "2026-01-23-putin-meets-witkoff"),
        (23, "conflict", None),
    ]
    assert record["diagnostics"][1]["message"] == (
        f"an unresolved merge conflict on the actor 'trump' (lines 23-27): {FIX}"
    )


@pytest.mark.parametrize(
    "block",
    [
        pytest.param(f"<<<<<<< ours\n=======\n{THEIRS}>>>>>>> theirs\n", id="ours-empty"),
        pytest.param(f"<<<<<<< ours\n{OURS}=======\n>>>>>>> theirs\n", id="theirs-empty"),
        pytest.param(
            f"<<<<<<< ours\n{OURS}||||||| base\n{OURS}=======\n{THEIRS}>>>>>>> theirs\n",
            id="diff3",
        ),
        pytest.param(
            f"<<<<<<<<<\n{OURS}<<<<<<< a\n=======\n>>>>>>> b\n=========\n{THEIRS}>>>>>>>>>\n",
            id="marker-size-9-holding-size-7",
        ),
    ],
)
def test_each_shape_of_block_names_the_event(block: str) -> None:
    """Either side empty, a diff3 base, a bigger marker size: the block and its event."""
    (found,) = find(HEAD + block)
    lines = block.count("\n")
    assert (found.start, found.end, found.events, found.complete) == (
        12,
        11 + lines,
        ("2026-01-23-putin-meets-witkoff",),
        True,
    )


def test_labels_and_subjects_are_read() -> None:
    """Labels after the markers; actors' keys, the settings, several events in one block."""
    text = (
        "<<<<<<< HEAD\n[chrono]\ntimezone = 'UTC'\n\n[actors.\"x y\"]\nname = 'X'\n"
        "=======\n[actors.putin]\nname = 'P'\n[[events]]\nid = 'a'\n[[events]]\nid = \"b\"\n"
        ">>>>>>> feature/branch\n"
    )
    assert find(text) == [
        Conflict(1, 14, "HEAD", "feature/branch", ("a", "b"), ("x y", "putin"), True, True)
    ]


def test_a_conflict_inside_a_table_names_its_table() -> None:
    """git's own line merge inside an event's (or actor's) table names that table."""
    text = (
        f"{HEAD}[[events]]\nid = 'b'\n<<<<<<< HEAD\ntitle = 'B'\n=======\ntitle = 'C'\n"
        ">>>>>>> other\ndate = 2026-01-02\n\n[actors.trump]\n<<<<<<< HEAD\nname = 'T'\n"
        "=======\nname = 'Donald Trump'\n>>>>>>> other\n"
    )
    assert [(c.start, c.events, c.actors) for c in find(text)] == [
        (14, ("b",), ()),
        (22, (), ("trump",)),
    ]


@pytest.mark.parametrize(
    ("conflict", "said"),
    [
        (Conflict(3, 9, "", "", ("a", "b"), (), False, True), "on the events 'a' and 'b'"),
        (
            Conflict(3, 9, "", "", ("a", "b", "c", "d", "e"), (), False, True),
            "on the events 'a', 'b', 'c' and 2 more",
        ),
        (
            Conflict(3, 9, "", "", ("a",), ("p", "q"), True, True),
            "on the event 'a', the actors 'p' and 'q' and the [chrono] settings",
        ),
        (Conflict(3, 9, "", "", (), (), True, True), "on the [chrono] settings"),
        (Conflict(3, 9, "", "", (), (), False, True), ""),
    ],
)
def test_the_message_says_what_the_conflict_is_about(conflict: Conflict, said: str) -> None:
    """Events, actors and settings named in one phrase; nothing known, nothing said."""
    (diagnostic,) = conflicts.diagnostics([conflict], "log.toml")
    about = f" {said}" if said else ""
    assert str(diagnostic) == (
        f"log.toml:3:1: error: an unresolved merge conflict{about} (lines 3-9): {FIX}"
    )
    assert (diagnostic.code, diagnostic.event) == ("conflict", (conflict.events or (None,))[0])


def test_markers_inside_a_string_are_still_an_error_of_check(
    run: Run, write_log: WriteLog, here: Path
) -> None:
    """A block git wrote inside a multi-line string parses, but check reports it."""
    text = f'{HEAD}[[events]]\nid = "b"\ntitle = "B"\ndate = 2026-01-02\nsummary = """\n'
    text += '<<<<<<< HEAD\nold words\n=======\nnew words\n>>>>>>> main\n"""\n'
    code, lines = errors(run, write_log(text))
    assert (code, lines) == (
        1,
        [
            "events.toml:4:1: warning: actor 'putin' is in the registry but no event names it",
            f"events.toml:17:1: error: an unresolved merge conflict on the event 'b' "
            f"(lines 17-21): {FIX}",
            "events.toml: 2 events, 1 actor: 1 error, 1 warning",
        ],
    )


def test_a_syntax_error_before_the_conflict_is_said_too(
    run: Run, write_log: WriteLog, here: Path
) -> None:
    """A TOML error on a line no conflict holds is kept beside the conflicts."""
    text = DRIVER.replace('title = "Talks in Moscow"', 'title = "Talks in Moscow')
    code, lines = errors(run, write_log(text))
    assert (code, lines[0], lines[1:]) == (
        1,
        "events.toml:9:25: error: invalid TOML: illegal character '\\n'",
        [WITKOFF, "events.toml: 2 errors, 0 warnings"],
    )


@pytest.mark.parametrize(
    ("tail", "line", "marker"),
    [
        (f"{OURS}>>>>>>> theirs\n", 16, ">>>>>>> theirs"),
        (f"<<<<<<< ours\n{OURS}", 12, "<<<<<<< ours"),
        (f"{OURS}||||||| base\n", 16, "||||||| base"),
    ],
)
def test_a_leftover_marker_where_parsing_stopped_is_named(
    run: Run, write_log: WriteLog, here: Path, tail: str, line: int, marker: str
) -> None:
    """A marker line without its block, where TOML stopped, is said as a leftover marker."""
    code, lines = errors(run, write_log(HEAD + tail))
    about = "in the event '2026-01-23-putin-meets-witkoff'" if line > 12 else "in the event 'talks'"
    assert (code, lines) == (
        1,
        [
            f"events.toml:{line}:1: error: a leftover merge conflict marker {about}: "
            f"'{marker}'; keep one side of the conflict, delete every marker line, "
            "then run chrono check",
            "events.toml: 1 error, 0 warnings",
        ],
    )


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(HEAD, id="none"),
        pytest.param(f"{HEAD}<<<<<<<ours\n{OURS}=======\n>>>>>>> x\n", id="no-space"),
        pytest.param(f"{HEAD}<<<<<<\n{OURS}======\n>>>>>> x\n", id="six"),
        pytest.param(f'{HEAD}s = """\n <<<<<<< a\n=======\n>>>>>>> b\n"""\n', id="indented"),
    ],
)
def test_what_is_not_a_block(text: str) -> None:
    """No marker of git's at the start of a line: no block (a lone >>>>>>> at most)."""
    assert [c for c in find(text) if c.complete] == []
    assert conflicts.in_strings(text, "x") == []


def test_present_is_a_line_starting_with_seven_less_than_signs() -> None:
    """The quick test: seven < at the start of the text or of a line, nothing else."""
    assert [present(t) for t in ("<<<<<<<", "a\n<<<<<<<x", "a <<<<<<<", "\n<<<<<<", ">>>>>>>")] == [
        True,
        True,
        False,
        False,
        False,
    ]


def test_a_block_needs_its_own_sizes_separator() -> None:
    """Eight = do not separate a block of seven: its opening marker is left alone."""
    text = "<<<<<<< a\nx = 1\n========\n>>>>>>> b\n"
    assert [(c.start, c.complete, c.marker) for c in find(text)] == [(1, False, "<<<<<<< a")]


def test_crlf_lines_and_a_marker_at_the_very_start() -> None:
    """Windows line ends: markers still found, labels without the carriage return."""
    text = (f"<<<<<<< ours\n{OURS}=======\n>>>>>>> theirs\n" + HEAD).replace("\n", "\r\n")
    assert find(text) == [
        Conflict(1, 7, "ours", "theirs", ("2026-01-23-putin-meets-witkoff",), (), False, True)
    ]


def test_a_conflict_before_any_table_names_nothing() -> None:
    """A block of top-level comments: about nothing known, and said so."""
    text = "<<<<<<< a\n# mine\n=======\n# yours\n>>>>>>> b\n" + HEAD
    (found,) = find(text)
    assert (found.events, found.actors, found.settings) == ((), (), False)
