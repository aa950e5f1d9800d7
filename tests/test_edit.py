"""`chrono edit`: the event's block in the user's editor; a broken edit is never written and
never lost, an unchanged one writes nothing, a good one rewrites only the block's bytes."""

from __future__ import annotations

import shlex
import sys
import tomllib
from pathlib import Path

import pytest

from chrono.app.settings import editor_command
from tests.conftest import Run
from tests.test_editing import HAND, _lines_changed, _log

# An editor: a Python script that replaces text in the file it is given, the n-th time it
# runs taking the n-th (old, new) pair of its arguments (a counter file beside it).
EDITOR = """\
import pathlib, sys
here = pathlib.Path(sys.argv[0]).parent
count = here / "count"
n = int(count.read_text()) if count.exists() else 0
count.write_text(str(n + 1))
pairs = sys.argv[1:-1]
old, new = pairs[2 * n], pairs[2 * n + 1]
target = pathlib.Path(sys.argv[-1])
(here / "seen").write_text(target.read_text())
target.write_text(target.read_text().replace(old, new))
if len(pairs) > 2 * n + 2 and pairs[2 * n + 2] == "ALSO-APPEND":
    log = pathlib.Path(pairs[2 * n + 3])
    log.write_text(log.read_text() + "# a note typed meanwhile\\n")
"""


def _editor(folder: Path, *pairs: str) -> dict[str, str]:
    script = folder / "editor.py"
    script.write_text(EDITOR)
    quoted = " ".join(shlex.quote(p) for p in pairs)
    return {"EDITOR": f"{sys.executable} {script} {quoted}", "VISUAL": "", "CHRONO_EDITOR": ""}


def test_edit_rewrites_only_the_block_the_editor_changed(run: Run, tmp_path: Path) -> None:
    """The editor is given the event's table with the comment above it; what it saves
    replaces exactly those bytes, and the change is said."""
    log = _log(tmp_path)
    before = log.read_bytes()
    env = _editor(tmp_path, "title = 'Putin receives Witkoff'",
                  "title = 'Putin receives Witkoff'  # checked\nsummary = \"Long.\"")  # fmt: skip
    done = run("edit", "first", "-f", str(log), env=env)
    assert done.exit_code == 0, done.stderr
    seen = (tmp_path / "seen").read_text()
    assert seen.startswith('# The first meeting, as TASS reported it.\n[[events]]\nid = "first"')
    assert seen.endswith("meta = { checked = true }\n")
    assert _lines_changed(before, log.read_bytes()) == (
        [b"title = 'Putin receives Witkoff'\n"],
        [b"title = 'Putin receives Witkoff'  # checked\n", b'summary = "Long."\n'],
    )
    assert done.stderr == f"chrono: changed 'first' (summary) in {log}\n"
    assert (tmp_path / "count").read_text() == "1"  # the editor ran once


def test_saving_without_a_change_writes_nothing(run: Run, tmp_path: Path) -> None:
    """An editor that changes nothing: the log is untouched, and chrono says so."""
    log = _log(tmp_path)
    before = log.read_bytes()
    done = run("edit", "sec", "-f", str(log), env=_editor(tmp_path, "zzz", "zzz"))
    assert (done.exit_code, done.stderr) == (0, "chrono: no change to 'second': nothing written\n")
    assert log.read_bytes() == before


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('date = "2025-03-13"', 'date = "2025-13-13"', ":3:8: error: event #1 ('second'): 'date'"),
        ('title = "Second talks"', 'title = "Second', ":4:"),
        ('title = "Second talks"', 'title = "S"\n\n[[events]]\nid = "x"\ndate = 2025\ntitle = "X"',
         ":1:1: error: the edited text must hold exactly one [[events]] table"),
        ('id = "second"', 'id = "first"', ":1:1: error: id 'first' is already used by the event"),
        ('[[events]]\nid = "second"\ndate = "2025-03-13"\ntitle = "Second talks"\n'
         'sources = ["TASS, 13 March"]',
         'events = [{ id = "second", date = "2025-03-13", title = "Second talks" }]',
         ":1:1: error: the event must be written as an [[events]] table, not in an inline array"),
    ],
)  # fmt: skip
def test_a_broken_edit_is_never_written_and_kept(
    run: Run, tmp_path: Path, old: str, new: str, message: str
) -> None:
    """An edit that does not read (bad date, broken TOML, two tables, a used id): the error
    names the edited file and its line, nothing is written, the text is kept there."""
    log = _log(tmp_path)
    before = log.read_bytes()
    done = run("edit", "second", "-f", str(log), env=_editor(tmp_path, old, new))
    assert done.exit_code == 1
    draft = Path(done.stderr.rsplit("your text is kept in ", 1)[1].strip())
    assert f"{draft}{message}" in done.stderr
    assert new in draft.read_text()
    assert log.read_bytes() == before


def test_on_a_terminal_a_broken_edit_can_be_edited_again(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an error, 'Edit again?' opens the text as it was left; the fixed text is written."""
    monkeypatch.setattr("chrono.app.commands.edit.stdin_is_tty", lambda: True)
    log = _log(tmp_path)
    env = _editor(tmp_path, 'date = "2025-03-13"', 'date = "2025-03-32"', "03-32", "03-31")
    done = run("edit", "second", "-f", str(log), env=env, input="y\n")
    assert done.exit_code == 0, done.stderr
    assert "'date': no such day" in done.stderr and "Edit again?" in done.stderr
    assert tomllib.loads(log.read_text())["events"][1]["date"] == "2025-03-31"


def test_an_append_meanwhile_is_kept_and_the_edit_written(run: Run, tmp_path: Path) -> None:
    """A note appended to the log while the editor was open stays; the edit is written."""
    log = _log(tmp_path)
    env = _editor(tmp_path, "Second talks", "Second round", "ALSO-APPEND", str(log))
    done = run("edit", "second", "-f", str(log), env=env)
    assert done.exit_code == 0, done.stderr
    text = log.read_text()
    assert 'title = "Second round"' in text and text.endswith("# a note typed meanwhile\n")


def test_a_block_changed_meanwhile_is_never_overwritten(run: Run, tmp_path: Path) -> None:
    """The event's own block changed on disk while it was edited: nothing written, the text
    kept, the other change left as it is."""
    log = _log(tmp_path)
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        f"log = pathlib.Path({str(log)!r})\n"
        "log.write_text(log.read_text().replace('Second talks', 'Changed elsewhere'))\n"
        "p = pathlib.Path(sys.argv[-1])\n"
        "p.write_text(p.read_text().replace('Second talks', 'Mine'))\n"
    )
    done = run("edit", "second", "-f", str(log), env={"EDITOR": f"{sys.executable} {script}"})
    assert done.exit_code == 1
    assert "changed on disk while it was edited; nothing written" in done.stderr
    draft = Path(done.stderr.rsplit("your text is kept in ", 1)[1].strip())
    assert 'title = "Mine"' in draft.read_text()
    assert 'title = "Changed elsewhere"' in log.read_text()


def test_an_editor_that_fails_writes_nothing(run: Run, tmp_path: Path) -> None:
    """An editor exiting non-zero (`:cq` in vim): nothing written, the text's file said."""
    log = _log(tmp_path)
    before = log.read_bytes()
    done = run("edit", "first", "-f", str(log), env={"EDITOR": "false", "VISUAL": ""})
    assert done.exit_code == 1
    assert "the editor 'false' exited with status 1; nothing written" in done.stderr
    assert log.read_bytes() == before


def test_the_editor_is_found_as_git_finds_one() -> None:
    """$CHRONO_EDITOR, else $VISUAL, else $EDITOR, else vi; empty values are skipped."""
    assert editor_command({}) == "vi"
    assert editor_command({"EDITOR": "nano"}) == "nano"
    assert editor_command({"EDITOR": "nano", "VISUAL": "code -w"}) == "code -w"
    assert editor_command({"EDITOR": "nano", "VISUAL": " ", "CHRONO_EDITOR": ""}) == "nano"
    assert editor_command({"VISUAL": "code -w", "CHRONO_EDITOR": "vim"}) == "vim"


def test_a_crlf_log_keeps_its_line_endings(run: Run, tmp_path: Path) -> None:
    """The editor sees LF; the block is written back in the log's CRLF."""
    log = _log(tmp_path, HAND, "\r\n")
    done = run("edit", "second", "-f", str(log), env=_editor(tmp_path, "Second talks", "Second"))
    assert done.exit_code == 0, done.stderr
    data = log.read_bytes()
    assert b'title = "Second"\r\n' in data and b"\n" not in data.replace(b"\r\n", b"")


def test_the_fast_path_takes_no_inline_array_for_a_table() -> None:
    """Through the index, a block written as ``events = [{...}]`` is not one table: the
    careful path, which parses the whole log, gets it."""
    from chrono.storage import fastchange

    assert fastchange._one_table('[[events]]\nid = "x"\n', "f") == {"id": "x"}
    assert fastchange._one_table('events = [{ id = "x" }]\n', "f") is None


# -- edit --all-matching ------------------------------------------------------------------

THREE = (
    HAND
    + """
# A third, after a comment.
[[events]]
id = "third"
date = 2025-04-11
title = "Third talks"
actors = ["witkoff"]
"""
)


def _replacing(folder: Path, *pairs: str) -> dict[str, str]:
    """An editor that makes every (old, new) replacement in one run, and keeps what it saw."""
    import json

    script = folder / "replace.py"
    script.write_text(
        "import json, pathlib, sys\n"
        "p = pathlib.Path(sys.argv[-1])\n"
        "(pathlib.Path(sys.argv[0]).parent / 'seen.toml').write_text(p.read_text())\n"
        "t = p.read_text()\n"
        "for old, new in json.loads(sys.argv[1]):\n"
        "    t = t.replace(old, new)\n"
        "p.write_text(t)\n"
    )
    pairs_json = json.dumps(list(zip(pairs[::2], pairs[1::2], strict=True)))
    command = f"{sys.executable} {script} {shlex.quote(pairs_json)}"
    return {"EDITOR": command, "VISUAL": "", "CHRONO_EDITOR": ""}


def test_all_matching_edits_every_selected_block_in_one_change(run: Run, tmp_path: Path) -> None:
    """The editor gets the blocks the filters select, in file order, a blank line between;
    the two changed are written in one change, the third and the rest of the log kept."""
    log = _log(tmp_path, THREE)
    before = log.read_bytes()
    env = _replacing(tmp_path, "Putin receives Witkoff", "Putin meets Witkoff",
                     'title = "Third talks"', 'title = "Third round"  # renamed')  # fmt: skip
    done = run("edit", "--all-matching", "-a", "Witkoff", "-f", str(log), env=env)
    assert done.exit_code == 0, done.stderr
    seen = (tmp_path / "seen.toml").read_text()
    assert seen.startswith('# The first meeting, as TASS reported it.\n[[events]]\nid = "first"')
    assert (
        'meta = { checked = true }\n\n# A third, after a comment.\n[[events]]\nid = "third"' in seen
    )
    assert 'id = "second"' not in seen  # not Witkoff's
    assert _lines_changed(before, log.read_bytes()) == (
        [b"title = 'Putin receives Witkoff'\n", b'title = "Third talks"\n'],
        [b"title = 'Putin meets Witkoff'\n", b'title = "Third round"  # renamed\n'],
    )
    assert done.stderr == f"chrono: changed 'first' (title); changed 'third' (title) in {log}\n"


def test_all_matching_through_the_index_keeps_it_answering_as_the_log(
    run: Run, tmp_path: Path
) -> None:
    """Blocks that grow and shrink in one change (lines moved after each): the log reads as
    the careful path writes it, and the index, changed in place, answers as the log."""
    from tests.test_index_changes import _same_answers

    careful, fast = tmp_path / "careful", tmp_path / "fast"
    careful.mkdir()
    fast.mkdir()
    logs = [_log(careful, THREE, "\r\n"), _log(fast, THREE, "\r\n")]
    assert run("list", "-f", str(logs[1]), "--format", "ids").exit_code == 0
    pairs = (
        "# The first meeting, as TASS reported it.\n",
        "",
        'id = "third"',
        'id = "third"\nkind = "call"\n# a note',
    )
    for log, folder, cache in zip(logs, (careful, fast), ("--no-cache", None), strict=True):
        args = ["edit", "--all-matching", "-a", "witkoff", "-f", str(log)]
        done = run(*([cache] if cache else []), *args, env=_replacing(folder, *pairs))
        assert done.exit_code == 0, done.stderr
    assert logs[1].read_bytes() == logs[0].read_bytes()
    assert b"# a note\r\n" in logs[1].read_bytes()
    _same_answers(logs[1])


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('[[events]]\nid = "third"', 'id = "third"',
         ":1:1: error: the edited text must hold 2 [[events]] tables, one for each event, in order "
         "(it holds 1); to remove one, use chrono rm"),
        ("date = 2025-04-11", "date = 2025-04-31", ":16:8: error: invalid TOML"),
        ('id = "third"', 'id = "first"', ":13:1: error: id 'first' is already used by the event "
         "at line 13"),
        ('id = "third"', 'id = "second"', ":13:1: error: id 'second' is already used by the event "
         "at line 24"),
        ("# The first", "x = 1\n# The first",
         ":1:1: error: write only the events' [[events]] tables"),
    ],
)  # fmt: skip
def test_all_matching_refuses_a_text_that_does_not_map_onto_the_blocks(
    run: Run, tmp_path: Path, old: str, new: str, message: str
) -> None:
    """A table gone, a bad date (at its line in the whole text), an id taken, text outside the
    tables: nothing written, the error names the line, the text is kept."""
    log = _log(tmp_path, THREE)
    before = log.read_bytes()
    done = run("edit", "--all-matching", "-a", "witkoff", "-f", str(log),
               env=_replacing(tmp_path, old, new))  # fmt: skip
    assert done.exit_code == 1, done.stderr
    draft = Path(done.stderr.rsplit("your text is kept in ", 1)[1].strip())
    assert f"{draft}{message}" in done.stderr
    assert log.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["first", "--all-matching"], "name one event (ID), or edit those the filters select"),
        ([], "name one event (ID), or edit those the filters select"),
        (["first", "-a", "putin"], "the filters choose events for --all-matching"),
        (["--all-matching", "-a", "nobody-at-all", "--new-actor"], None),
        (["--all-matching", "--on", "1999"], "no event matches the filters: nothing to edit"),
    ],
)
def test_edit_is_given_one_event_or_filters(
    run: Run, tmp_path: Path, args: list[str], message: str | None
) -> None:
    """An id and --all-matching together, neither, filters without --all-matching, or
    filters that match nothing: a usage error, the editor never opened."""
    log = _log(tmp_path, THREE)
    done = run("edit", *args, "-f", str(log), env=_replacing(tmp_path, "x", "y"))
    assert done.exit_code == 2
    assert not (tmp_path / "seen.toml").exists()
    if message is not None:
        assert message in done.stderr


def test_all_matching_unchanged_writes_nothing(run: Run, tmp_path: Path) -> None:
    """Saved as given: nothing written, and said for the events together."""
    log = _log(tmp_path, THREE)
    before = log.read_bytes()
    done = run("edit", "--all-matching", "-a", "witkoff", "-f", str(log),
               env=_replacing(tmp_path, "zzz", "zzz"))  # fmt: skip
    assert (done.exit_code, done.stderr) == (
        0,
        "chrono: no change to the 2 events: nothing written\n",
    )
    assert log.read_bytes() == before


def test_all_matching_refuses_two_events_given_one_new_id(run: Run, tmp_path: Path) -> None:
    """Two edited events given the same new id: the second is named, nothing written."""
    log = _log(tmp_path, THREE)
    before = log.read_bytes()
    env = _replacing(tmp_path, 'id = "first"', 'id = "same"', 'id = "third"', 'id = "same"')
    done = run("edit", "--all-matching", "-a", "witkoff", "-f", str(log), env=env)
    assert done.exit_code == 1
    assert "matching.toml:13:1: error: id 'same' is already used by another edited event" in (
        done.stderr
    )
    assert log.read_bytes() == before


@pytest.mark.parametrize("many", [False, True])
def test_edit_dry_run_prints_the_diff_a_real_edit_writes(
    run: Run, tmp_path: Path, many: bool
) -> None:
    """With --dry-run the log is untouched, the diff on stdout applies (patch -p1) to give
    the bytes a real edit writes, and what was typed is kept."""
    import shutil
    import subprocess

    if shutil.which("patch") is None:
        pytest.skip("no patch program")
    dry, real = tmp_path / "dry", tmp_path / "real"
    dry.mkdir()
    real.mkdir()
    logs = [_log(dry, THREE), _log(real, THREE)]
    which = ["--all-matching", "-a", "witkoff"] if many else ["third"]
    pairs = ('title = "Third talks"', 'title = "Third round"\nkind = "call"')
    before = logs[0].read_bytes()
    done = run("edit", *which, "--dry-run", "-f", str(logs[0]), env=_replacing(dry, *pairs))
    assert done.exit_code == 0, done.stderr
    assert logs[0].read_bytes() == before
    assert "dry run: nothing written" in done.stderr and "your text is kept in " in done.stderr
    assert run("edit", *which, "-f", str(logs[1]), env=_replacing(real, *pairs)).exit_code == 0
    subprocess.run(["patch", "-s", "-p1"], input=done.stdout.encode(), cwd=dry, check=True)
    assert logs[0].read_bytes() == logs[1].read_bytes() != before


def test_one_block_read_from_near_the_end_is_the_block_read_whole(tmp_path: Path) -> None:
    """With the log's line breaks known, one event's block read from a little before it is
    the block read from the whole log, comments above it included; where the bytes read do
    not hold it whole (or the count is wrong) none is given and the whole log is read."""
    from chrono.operations import rewriting
    from chrono.storage import store

    parts = ['[chrono]\ntimezone = "UTC"\n']
    for n in range(900):
        above = "".join(f"# note {n}.{i}\n" for i in range(n % 4))
        parts.append(
            f'\n{above}[[events]]\nid = "e{n}"\ndate = 2025-01-01\ntitle = "{"T" * 300}"\n'
        )
    log = tmp_path / "events.toml"
    log.write_text("".join(parts))
    chronology = store.load(log)
    breaks = log.read_bytes().count(b"\n")
    windowed = 0
    for event in chronology.events[::37]:
        whole = rewriting.blocks_of(log, [event], "UTC")[0]
        assert rewriting.blocks_of(log, [event], "UTC", breaks) == [whole]
        near = rewriting._tail_block(log, event, "UTC", breaks)
        assert near in (None, whole)
        windowed += near is not None and event.line > 1000
    assert windowed > 5
    assert rewriting._tail_block(log, chronology.events[-1], "UTC", breaks + 3) is None


def test_an_edit_saved_without_a_last_line_break_keeps_the_next_table_whole(
    run: Run, tmp_path: Path
) -> None:
    """An editor that ends the text without a line break: the block still ends its line, so
    the table after it (here an actor's, with no blank line between) stays as it was, through
    the index as reading the log whole."""
    from tests.test_index_changes import _both

    script = tmp_path / "noeol.py"
    script.write_text(
        "import pathlib, sys\np = pathlib.Path(sys.argv[-1])\n"
        "p.write_text(p.read_text().replace('\"A\"', '\"A2\"').rstrip('\\n'))\n"
    )
    env = {"EDITOR": f"{sys.executable} {script}", "VISUAL": "", "CHRONO_EDITOR": ""}
    text = '[[events]]\nid = "a"\ndate = 2024-01-01\ntitle = "A"\n[actors.zz]\nname = "Zed Zee"\n'
    log = _both(run, tmp_path, text, ["edit", "a"], env)
    assert log.read_text() == text.replace('"A"', '"A2"')


def test_a_block_keeps_its_own_line_endings_in_a_mixed_file(run: Run, tmp_path: Path) -> None:
    """A log whose first line ends in CRLF and its blocks in LF: an edit is written in the
    block's own endings, through the index as reading the log whole."""
    from tests.test_index_changes import _both

    text = '[chrono]\r\ntimezone = "UTC"\n\n[[events]]\nid = "a"\ndate = 2024-01-01\ntitle = "A"\n'
    log = _both(run, tmp_path, text, ["edit", "a"], _replacing(tmp_path, '"A"', '"B"'))
    assert log.read_bytes() == text.replace('"A"', '"B"').encode()
