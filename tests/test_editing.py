"""Correcting the record: `chrono set` changes only the lines of the keys it changes, `chrono rm`
only the tables it removes, each all or nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from chrono.storage import store
from tests.conftest import Run
from tests.faults import disk_full_at, interrupt_at

HAND = """\
# Our log, kept by hand.
[chrono]
timezone = "Europe/Moscow"

[actors.putin]
name = "Vladimir Putin"
aliases = ["Putin"]

[actors.witkoff]
name = "Steve Witkoff"

# The first meeting, as TASS reported it.
[[events]]
id = "first"   # cited in the report
date = 2025-02-11
title = 'Putin receives Witkoff'
actors = [
  "Putin",  # as the source spells him
  "witkoff",
]
tags = ["moscow"]
meta = { checked = true }

[[events]]
id = "second"
date = "2025-03-13"
title = "Second talks"
sources = ["TASS, 13 March"]
"""


def _log(folder: Path, text: str = HAND, newline: str = "\n") -> Path:
    log = folder / "events.toml"
    log.write_bytes(text.replace("\n", newline).encode())
    return log


def _lines_changed(before: bytes, after: bytes) -> tuple[list[bytes], list[bytes]]:
    """The lines only the old file has, and those only the new one has, in order."""
    import difflib

    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    gone, came = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag != "equal":
            gone += old[i1:i2]
            came += new[j1:j2]
    return gone, came


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_set_rewrites_only_the_lines_of_the_keys_it_changes(
    run: Run, tmp_path: Path, newline: str
) -> None:
    """A new title and a new tag: two lines change, a summary line is added at the table's end;
    comments, the literal string style of other keys, the array layout and CRLF all stay."""
    log = _log(tmp_path, newline=newline)
    before = log.read_bytes()
    done = run("set", "fir", "-f", str(log), "--title", "Putin hosts Witkoff",
               "--add-tag", "talks", "--summary", "Three hours.")  # fmt: skip
    assert done.exit_code == 0, done.stderr
    assert done.stderr == f"chrono: changed 'first' (title, tags, summary) in {log}\n"
    n = newline.encode()
    gone, came = _lines_changed(before, log.read_bytes())
    assert gone == [b"title = 'Putin receives Witkoff'" + n, b'tags = ["moscow"]' + n]
    assert came == [
        b'title = "Putin hosts Witkoff"' + n, b'tags = ["moscow", "talks"]' + n,
        b'summary = "Three hours."' + n,
    ]  # fmt: skip
    assert log.read_bytes().index(b"summary") > log.read_bytes().index(b"meta =")  # at the end
    event = store.load(log).get("first")
    assert event is not None and event.actors == ("putin", "witkoff")


def test_set_removes_a_field_given_empty_and_an_end(run: Run, tmp_path: Path) -> None:
    """`--kind ''` and `--no-end` take their key's line out; nothing else moves."""
    text = HAND.replace(
        'date = "2025-03-13"\n', 'date = "2025-03-13"\nend = "2025-03-14"\nkind = "x"\n'
    )
    log = _log(tmp_path, text)
    before = log.read_bytes()
    assert run("set", "second", "-f", str(log), "--no-end", "--kind", "").exit_code == 0
    assert _lines_changed(before, log.read_bytes()) == (
        [b'end = "2025-03-14"\n', b'kind = "x"\n'],
        [],
    )


def test_set_reads_dates_and_actors_as_add_does(run: Run, tmp_path: Path) -> None:
    """`--date 'Dez 2025'`, `--add-actor Uschakow`-style spellings: read as add reads them,
    each actor said; an unknown name is refused with nothing written."""
    log = _log(tmp_path)
    done = run("set", "second", "-f", str(log), "--date", "12. März 2025", "--add-actor", "witkoff")
    assert done.exit_code == 0, done.stderr
    assert "chrono: actor 'witkoff' is Steve Witkoff (witkoff)\n" in done.stderr
    raw = tomllib.loads(log.read_text())["events"][1]
    assert (raw["date"], raw["actors"]) == ("2025-03-12", ["witkoff"])
    before = log.read_bytes()
    refused = run("set", "second", "-f", str(log), "--add-actor", "Nobody Known")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "chrono: error: --add-actor: 'Nobody Known' is not in the registry "
        "(--new-actor keeps it as free text)\n"
    )
    ended = run("set", "second", "-f", str(log), "--end", "2025-01-01")
    assert ended.exit_code == 2 and "--end 2025-01-01 is before --date 2025-03-12" in ended.stderr
    assert log.read_bytes() == before


def test_set_dry_run_prints_a_diff_patch_applies(run: Run, tmp_path: Path) -> None:
    """`--dry-run` writes nothing and prints a unified diff that `patch` applies to give exactly
    the file `set` then writes."""
    if shutil.which("patch") is None:
        pytest.skip("patch is not installed")
    log = _log(tmp_path)
    before = log.read_bytes()
    shown = run("set", "first", "-f", str(log), "--title", "New", "--remove-tag", "moscow",
                "--dry-run")  # fmt: skip
    assert shown.exit_code == 0 and log.read_bytes() == before
    assert shown.stdout.startswith("--- a/events.toml\n+++ b/events.toml\n@@ ")
    patched = patch(tmp_path, before, shown.stdout)
    assert (
        run("set", "first", "-f", str(log), "--title", "New", "--remove-tag", "moscow").exit_code
        == 0
    )
    assert patched == log.read_bytes()


def patch(tmp_path: Path, before: bytes, diff: str) -> bytes:
    """The bytes ``patch -p1`` makes of an ``events.toml`` holding ``before`` with ``diff``."""
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "events.toml").write_bytes(before)
    patched = subprocess.run(["patch", "-p1", "-s"], input=diff.encode(), cwd=copy,
                             capture_output=True, check=False, timeout=30)  # fmt: skip
    assert patched.returncode == 0, patched.stderr
    return (copy / "events.toml").read_bytes()


def test_set_as_json_says_each_field_old_and_new(run: Run, tmp_path: Path) -> None:
    """`--format json`: the event's id and each changed field's old and new value."""
    log = _log(tmp_path)
    done = run("set", "second", "-f", str(log), "--location", "Riyadh", "--format", "json")
    assert json.loads(done.stdout) == {
        "dry_run": False,
        "events": [{"id": "second", "change": "changed",
                    "fields": {"location": {"old": None, "new": "Riyadh"}}}],
    }  # fmt: skip


def test_set_names_the_event_as_show_does(run: Run, tmp_path: Path) -> None:
    """An unknown id gets a did-you-mean; an ambiguous prefix lists the ids; no field given,
    or a change that changes nothing, writes nothing."""
    log = _log(tmp_path)
    before = log.read_bytes()
    unknown = run("set", "secnd", "-f", str(log), "--title", "X")
    assert (unknown.exit_code, unknown.stderr) == (
        2, "chrono: error: no event with id 'secnd'; did you mean 'second'?\n"
    )  # fmt: skip
    log.write_bytes(before.replace(b'id = "second"', b'id = "firsts"'))
    ambiguous = run("set", "fir", "-f", str(log), "--title", "X")
    assert (
        ambiguous.exit_code == 2
        and "'fir' is the start of 2 ids: first, firsts" in ambiguous.stderr
    )
    nothing = run("set", "first", "-f", str(log))
    assert nothing.exit_code == 2 and "name a field to change" in nothing.stderr
    same = run("set", "first", "-f", str(log), "--title", "Putin receives Witkoff")
    assert (same.exit_code, same.stdout) == (0, "")
    assert "nothing to change" in same.stderr
    assert log.read_bytes() == before.replace(b'id = "second"', b'id = "firsts"')


def test_rm_removes_the_table_and_its_comments_only(run: Run, tmp_path: Path) -> None:
    """`rm --yes` takes out the event's table with the comments above it and the blank line
    after it, prints that text on stdout, and keeps every other byte."""
    log = _log(tmp_path)
    done = run("rm", "first", "-f", str(log), "--yes")
    assert done.exit_code == 0, done.stderr
    start = HAND.index("# The first meeting")
    end = HAND.index('[[events]]\nid = "second"')
    assert log.read_text() == HAND[:start] + HAND[end:]
    assert done.stdout == HAND[start:end].rstrip("\n") + "\n"
    assert done.stderr == f"chrono: removed 'first' in {log}\n"
    assert tomllib.loads(done.stdout)["events"][0]["id"] == "first"  # kept, as TOML


def test_rm_asks_on_a_terminal_and_needs_yes_elsewhere(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Piped, rm refuses without --yes; on a terminal it shows the table and asks: 'n' keeps it."""
    log = _log(tmp_path)
    before = log.read_bytes()
    piped = run("rm", "first", "second", "-f", str(log))
    assert piped.exit_code == 2 and "give --yes" in piped.stderr
    monkeypatch.setattr("chrono.app.commands.remove.stdin_is_tty", lambda: True)
    kept = run("rm", "first", "-f", str(log), input="n\n")
    assert kept.exit_code == 1
    assert 'id = "first"' in kept.stderr and "Remove 1 event? [y/N]" in kept.stderr
    assert log.read_bytes() == before
    gone = run("rm", "first", "second", "-f", str(log), input="y\n")
    assert gone.exit_code == 0, gone.stderr
    assert "Remove 2 events?" in gone.stderr
    assert store.load(log).events == ()


def test_a_set_on_a_warm_index_is_what_list_then_shows(run: Run, tmp_path: Path) -> None:
    """After set and rm, the index answers with the new text: no stale title, no gone event."""
    log = _log(tmp_path)
    assert run("list", "-f", str(log), "--format", "ids").stdout == "first\nsecond\n"
    run("set", "second", "-f", str(log), "--title", "Renamed talks")
    listed = run("list", "-f", str(log), "-s", "renamed", "--format", "ids")
    assert listed.stdout == "second\n"
    run("rm", "first", "-f", str(log), "--yes")
    assert run("list", "-f", str(log), "--format", "ids").stdout == "second\n"


@pytest.mark.parametrize("failing", [1, 2], ids=["journal", "log"])
def test_a_full_disk_mid_change_leaves_the_log_as_it_was(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    """ENOSPC writing the journal, or half-way through the change: exit 1, every byte as it
    was, no journal left."""
    log = _log(tmp_path)
    before = log.read_bytes()
    disk_full_at(monkeypatch, failing)
    done = run("set", "first", "-f", str(log), "--title", "Changed")
    assert (done.exit_code, done.stderr) == (
        1, f"chrono: error: {log}: cannot write: No space left on device; the file is unchanged\n"
    )  # fmt: skip
    assert log.read_bytes() == before
    assert not (tmp_path / ".chrono" / "events.toml.append").exists()


@pytest.mark.parametrize("failing", [1, 2, 3])
def test_an_interrupt_mid_change_leaves_the_log_as_it_was(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    """Ctrl-C at any sync of an `rm`: exit 130, the log as it was, no journal left."""
    log = _log(tmp_path)
    before = log.read_bytes()
    interrupt_at(monkeypatch, failing)
    done = run("rm", "first", "-f", str(log), "--yes")
    assert done.exit_code == 130
    assert log.read_bytes() == before
    assert not (tmp_path / ".chrono" / "events.toml.append").exists()


# -- every byte outside the change, for random logs and random edits ---------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_words = st.text(st.characters(categories=["L", "N"], include_characters=" -'"),
                 min_size=1, max_size=12).filter(lambda t: t.strip())  # fmt: skip
_styles = st.sampled_from(['"{}"', "'{}'", '"""{}"""'])


@st.composite
def _logs(draw: st.DrawFn) -> tuple[str, int]:
    """A log of 1 to 5 events written in varied hand styles; and which event to edit."""
    count = draw(st.integers(1, 5))
    parts = ['[actors.putin]\nname = "Vladimir Putin"\n']
    for i in range(count):
        lines = [draw(st.sampled_from(["", "# a note\n", "# two\n# lines\n"])), "[[events]]\n"]
        lines.append(f'id = "e{i}"' + draw(st.sampled_from(["", "  # kept"])) + "\n")
        lines.append(
            draw(st.sampled_from([f"date = 2025-01-0{i + 1}", f'date = "2025-01-0{i + 1}"'])) + "\n"
        )
        title = draw(_words.map(lambda t: t.replace("'", "")).filter(lambda t: t.strip()))
        lines.append("title = " + draw(_styles).format(title) + "\n")
        if draw(st.booleans()):
            lines.append('tags = [\n  "a",  # first\n  "b",\n]\n')
        if draw(st.booleans()):
            lines.append('actors = ["Putin"]\n')
        if draw(st.booleans()):
            lines.append("extra = { x = 1 }\n")
        parts.append("".join(lines))
    text = "\n".join(parts)
    if draw(st.booleans()):
        text = text.rstrip("\n")  # a last line without a newline
    return text, draw(st.integers(0, count - 1))


_amendments = st.fixed_dictionaries(
    {},
    optional={
        "title": _words,
        "summary": st.one_of(st.just(""), _words),
        "location": _words,
        "kind": st.one_of(st.just(""), _words),
        "add_tags": st.lists(_words, max_size=2).map(tuple),
        "add_sources": st.lists(_words, max_size=2).map(tuple),
        "date": st.sampled_from(["2025-01-01", "2025-02", "2024"]),
    },
).filter(bool)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(log=_logs(), asked=_amendments, crlf=st.booleans())
def test_set_is_the_model_edit_and_keeps_every_other_byte(
    tmp_path_factory: pytest.TempPathFactory,
    log: tuple[str, int],
    asked: dict[str, object],
    crlf: bool,
) -> None:
    """For random hand-written logs and random amendments: the log then parses as the model
    edited, and every byte before and after the event's table is as it was."""
    import dataclasses
    import datetime as dt

    from chrono.core.datetext import parse_date
    from chrono.operations import editing
    from chrono.storage.indexing import CacheSettings
    from chrono.storage.spans import span_at

    text, which = log
    folder = tmp_path_factory.mktemp("log")
    path = _log(folder, text, "\r\n" if crlf else "\n")
    before = path.read_bytes()
    old = store.load(path)
    target = old.events[which]
    span = span_at(before, target.line)
    assert span is not None
    cache = CacheSettings(enabled=False, folder=folder, inline=True)
    amendments = editing.Amendments(**asked)  # type: ignore[arg-type]
    try:
        editing.set_fields(path, target.id, amendments, cache, dt.date(2026, 1, 1))
    except Exception as exc:  # only "name a field" may refuse these
        assert "name a field to change" in str(exc)
        assert path.read_bytes() == before
        return
    after = path.read_bytes()
    tail = len(before) - span.body_end
    assert after[: span.header] == before[: span.header]
    assert after[len(after) - tail :] == before[span.body_end :]
    new = store.load(path)
    expected = dataclasses.replace(
        target,
        title=asked.get("title", target.title),
        summary=(asked["summary"] or None) if "summary" in asked else target.summary,
        location=asked.get("location", target.location),
        kind=(asked["kind"] or None) if "kind" in asked else target.kind,
        tags=target.tags
        + tuple(t for t in dict.fromkeys(asked.get("add_tags", ())) if t not in target.tags),
        sources=target.sources + tuple(dict.fromkeys(asked.get("add_sources", ()))),
        date=parse_date(asked["date"], dt.date(2026, 1, 1)) if "date" in asked else target.date,
    )  # type: ignore[arg-type]
    got = new.get(target.id)
    assert got is not None
    for field in (
        "title",
        "summary",
        "location",
        "kind",
        "tags",
        "sources",
        "date",
        "actors",
        "extra",
    ):
        assert getattr(got, field) == getattr(expected, field), field
    others = [e for e in new.events if e.id != target.id]
    assert [(e.id, e.title) for e in others] == [
        (e.id, e.title) for e in old.events if e.id != target.id
    ]


def test_set_writes_a_value_as_add_writes_it(run: Run, tmp_path: Path) -> None:
    """A new value's line is the line `add` would write for it, and reads back exactly."""
    from chrono.storage.writer import toml_value

    log = _log(tmp_path)
    title = 'say "hi" \\ abc\u202edef'
    assert run("set", "second", "-f", str(log), "--title", title).exit_code == 0
    assert f"title = {toml_value(title)}\n" in log.read_text()
    assert store.load(log).get("second").title == title  # type: ignore[union-attr]


def test_set_a_named_period_spans_the_event_as_add_does(run: Run, tmp_path: Path) -> None:
    """`--date 'Q2 2024'` makes the event span April to June; `--end` alone moves the end."""
    log = _log(tmp_path)
    assert run("set", "second", "-f", str(log), "--date", "Q2 2024").exit_code == 0
    raw = tomllib.loads(log.read_text())["events"][1]
    assert (raw["date"], raw["end"]) == ("2024-04", "2024-06")
    assert run("set", "second", "-f", str(log), "--end", "Sommer 2024").exit_code == 0
    assert tomllib.loads(log.read_text())["events"][1]["end"] == "2024-08"


SETTER = """
import sys
from typer.testing import CliRunner
from chrono.app.cli import app
path, worker, what = sys.argv[1], sys.argv[2], sys.argv[3]
runner = CliRunner()
for i in range(15):
    if what == "add":
        args = ["add", "-f", path, f"Event {worker}-{i}", "--date", "2026-01-23"]
    else:
        args = ["set", f"target-{worker}", "-f", path, "--add-tag", f"t{i}"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
"""


def test_concurrent_adds_and_sets_lose_nothing(tmp_path: Path) -> None:
    """Three processes adding and three amending their own events, all at once: every event
    added is there, every tag set is there, in a valid log."""
    import os
    import sys

    from tests.conftest import ROOT

    log = tmp_path / "events.toml"
    log.write_text("".join(f'[[events]]\nid = "target-{n}"\ndate = "2025"\ntitle = "T{n}"\n\n'
                           for n in range(3)))  # fmt: skip
    env = {**os.environ, "CHRONO_TODAY": "2026-11-25"}
    workers = [
        subprocess.Popen([sys.executable, "-c", SETTER, str(log), str(n), what], env=env, cwd=ROOT)
        for n in range(3) for what in ("add", "set")
    ]  # fmt: skip
    assert [w.wait(timeout=600) for w in workers] == [0] * 6
    chronology = store.load(log)
    titles = {e.title for e in chronology.events}
    assert {f"Event {w}-{i}" for w in range(3) for i in range(15)} <= titles
    assert len(chronology.events) == 3 + 45
    for n in range(3):
        target = chronology.get(f"target-{n}")
        assert target is not None and target.tags == tuple(f"t{i}" for i in range(15))


# -- the fast path through the index gives the bytes the careful path gives -------------

CHANGES = [
    ("set", "first", "--title", "New", "--add-tag", "talks", "--summary", "Long."),
    ("set", "second", "--no-end", "--kind", "", "--date", "Q2 2025", "--add-actor", "putin"),
    ("set", "fir", "--remove-tag", "moscow", "--remove-actor", "Putin", "--location", "Moscow"),
    ("rm", "first", "--yes"),
    ("rm", "second", "first", "--yes"),
]


@pytest.mark.parametrize("change", CHANGES, ids=[" ".join(c[:2]) for c in CHANGES])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_through_the_index_a_change_writes_what_the_careful_path_writes(
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: tuple[str, ...],
    newline: str,
) -> None:
    """With a warm index, set and rm never parse the whole log, and write byte for byte what
    they write reading the log itself (--no-cache)."""
    from chrono.storage import files

    careful, fast = tmp_path / "careful", tmp_path / "fast"
    careful.mkdir()
    fast.mkdir()
    slow_log, fast_log = _log(careful, newline=newline), _log(fast, newline=newline)
    assert run("--no-cache", *change, "-f", str(slow_log)).exit_code == 0
    assert run("list", "-f", str(fast_log), "--format", "ids").exit_code == 0  # warm
    real_parse, sizes = files.parse_toml, []

    def parse(text: str, shown: str) -> object:
        sizes.append(len(text))
        return real_parse(text, shown)

    monkeypatch.setattr(files, "parse_toml", parse)
    done = run(*change, "-f", str(fast_log))
    assert done.exit_code == 0, done.stderr
    assert fast_log.read_bytes() == slow_log.read_bytes()
    assert sizes and max(sizes) < len(HAND) / 2  # one table at a time, never the whole log


def test_through_the_index_a_log_changed_since_it_was_indexed_is_never_written_blind(
    run: Run, tmp_path: Path
) -> None:
    """The index warm, then the log edited by hand: set reads the log as it now is."""
    log = _log(tmp_path)
    assert run("list", "-f", str(log), "--format", "ids").exit_code == 0
    log.write_text(log.read_text().replace("Second talks", "Edited by hand"))
    assert run("set", "second", "-f", str(log), "--location", "Riyadh").exit_code == 0
    text = log.read_text()
    assert 'title = "Edited by hand"' in text and 'location = "Riyadh"' in text


def test_after_a_change_through_the_index_the_index_is_warm_again(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index is built again from the new bytes: the next query answers the new text from
    it without reading the log as TOML."""
    from chrono.storage import files

    log = _log(tmp_path)
    assert run("list", "-f", str(log), "--format", "ids").exit_code == 0
    assert run("set", "first", "-f", str(log), "--title", "Once more").exit_code == 0
    parser, sizes = files._toml_parser(), []

    class Counted:
        TOMLDecodeError = parser.TOMLDecodeError

        @staticmethod
        def loads(text: str) -> object:
            sizes.append(len(text))
            return parser.loads(text)

    monkeypatch.setattr(files, "_toml_parser", lambda: Counted)  # every parse, any caller
    assert run("list", "-f", str(log), "-s", "once", "--format", "ids").stdout == "first\n"
    assert sizes == []


# A change killed at a chosen moment (see tests/test_recovery.py): after writing the log,
# before removing the journal ("kept"), or by a power cut half-way through writing the
# log's new bytes over the old ("half").
KILLED = """
import os, pathlib, sys
from chrono.app.cli import main
at, args = sys.argv[1], sys.argv[2:]
real_unlink, real_pwrite, calls = pathlib.Path.unlink, os.pwrite, []
def unlink(self, *a, **k):
    if at == "kept" and self.name.endswith(".append"):
        os._exit(9)
    return real_unlink(self, *a, **k)
def pwrite(fd, data, offset):
    log = not os.readlink(f"/proc/self/fd/{fd}").endswith(".append")
    calls.append(log)
    if at == "half" and log:  # the journal first, then the log
        real_pwrite(fd, data[: len(data) // 2], offset)
        os._exit(9)
    return real_pwrite(fd, data, offset)
pathlib.Path.unlink, os.pwrite = unlink, pwrite
sys.argv = ["chrono", *args]
main()
"""


@pytest.mark.parametrize("at", ["kept", "half"])
@pytest.mark.parametrize(
    "change", [("set", "first", "--title", "Fixed"), ("rm", "first", "--yes")], ids=["set", "rm"]
)
def test_a_change_killed_mid_write_is_finished_by_the_next_command(
    run: Run, tmp_path: Path, at: str, change: tuple[str, ...]
) -> None:
    """Killed after writing, or by a power cut mid-write: the next command leaves the log
    exactly as the change, uninterrupted, writes it."""
    killed_then_finished(run, tmp_path, at, change)


def killed_then_finished(
    run: Run, tmp_path: Path, at: str, change: tuple[str, ...], text: str = HAND
) -> None:
    """Run ``change`` on a log of ``text`` killed ``at`` a moment (see KILLED), and on another
    whole: after the next command, both logs hold the same bytes and no journal is left."""
    import os
    import sys

    from tests.conftest import ROOT

    whole, killed = tmp_path / "whole", tmp_path / "killed"
    whole.mkdir()
    killed.mkdir()
    done_log, killed_log = _log(whole, text), _log(killed, text)
    assert run(*change, "-f", str(done_log)).exit_code == 0
    env = {**os.environ, "CHRONO_TODAY": "2026-11-25", "CHRONO_NO_CACHE": "1"}
    crashed = subprocess.run([sys.executable, "-c", KILLED, at, *change, "-f", str(killed_log)],
                             env=env, cwd=ROOT, timeout=60, check=False)  # fmt: skip
    assert crashed.returncode == 9
    assert (killed / ".chrono" / "events.toml.append").exists()
    assert (killed_log.read_bytes() == done_log.read_bytes()) == (at == "kept")  # half: not yet
    after = run("list", "-f", str(killed_log), "--format", "ids")
    assert after.exit_code == 0, after.stderr
    assert killed_log.read_bytes() == done_log.read_bytes()
    assert not (killed / ".chrono" / "events.toml.append").exists()


def test_actors_alias_changes_only_the_aliases_line(run: Run, tmp_path: Path) -> None:
    """`actors alias` adds spellings on the actor's aliases line (or a new line at the end of a
    table that had none), skips one already the actor's, and the new spelling then selects it."""
    log = _log(tmp_path)
    before = log.read_bytes()
    done = (
        run("actors alias", "-f", str(log), "Putin", "Wladimir Putin", "PUTIN")
        if False
        else (run("actors", "alias", "putin", "Wladimir Putin", "PUTIN", "-f", str(log)))
    )
    assert done.exit_code == 0, done.stderr
    assert "chrono: 'PUTIN' is already a spelling of 'putin'\n" in done.stderr
    assert _lines_changed(before, log.read_bytes()) == (
        [b'aliases = ["Putin"]\n'],
        [b'aliases = ["Putin", "Wladimir Putin"]\n'],
    )
    middle = log.read_bytes()
    assert run("actors", "alias", "Steve Witkoff", "Witkow", "-f", str(log)).exit_code == 0
    assert _lines_changed(middle, log.read_bytes()) == ([], [b'aliases = ["Witkow"]\n'])
    assert run("list", "-f", str(log), "-a", "Witkow", "--format", "ids").stdout == "first\n"


def test_actors_alias_refuses_a_spelling_of_another_actor(run: Run, tmp_path: Path) -> None:
    """A spelling that already names another actor, or a key that names none: nothing written."""
    log = _log(tmp_path)
    before = log.read_bytes()
    taken = run("actors", "alias", "witkoff", "Putin", "-f", str(log))
    assert (taken.exit_code, taken.stderr) == (
        2, "chrono: error: 'Putin' already names 'putin' (Vladimir Putin); nothing written\n"
    )  # fmt: skip
    nobody = run("actors", "alias", "nobody", "X", "-f", str(log))
    assert nobody.exit_code == 2 and "no registry actor is 'nobody'" in nobody.stderr
    assert log.read_bytes() == before
    assert run("actors", "-f", str(log), "--format", "json").exit_code == 0  # `actors` still is


def test_the_command_check_advises_runs_and_quiets_the_warning(run: Run, tmp_path: Path) -> None:
    """check's advice for a spelling variant is a command; run as written, it adds the alias
    and check no longer warns."""
    import shlex

    log = _log(tmp_path, HAND.replace('"witkoff",\n]', '"witkoff",\n  "Witkof",\n]'))
    advice = run("check", "-f", str(log)).stderr
    command = advice.split("aliases: ", 1)[1].split("\n", 1)[0].rstrip(")")
    assert command == "chrono actors alias witkoff Witkof"
    assert run(*shlex.split(command)[1:], "-f", str(log)).exit_code == 0
    assert "Witkof" not in run("check", "-f", str(log)).stderr
