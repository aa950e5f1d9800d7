"""The index changed in place by `set`, `rm` and `edit`: after any run of changes it answers
exactly what the log itself answers (every event, its line, its actors, tags and words),
without being rebuilt, and it is rebuilt once it holds many line shifts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chrono.core.query import Query, free_text_actors, select
from chrono.storage import index, indexing, store
from chrono.storage.fingerprint import fingerprint_of
from chrono.storage.index.codec import shifted_line
from tests.conftest import Run, cache

ACTORS = """\
[chrono]
timezone = "Europe/Berlin"

[actors.putin]
name = "Vladimir Putin"

[actors.witkoff]
name = "Steve Witkoff"
"""


def _event(n: int, comments: int, long_actors: bool) -> str:
    """Event ``e{n}``: some comment lines above it, its actors on one line or several."""
    above = "".join(f"# note {n}.{i}\n" for i in range(comments))
    actors = (
        '[\n  "putin",\n  "Free Person",\n]' if long_actors else '["witkoff", f"Guest {n % 3}"]'
    )
    actors = actors.replace('f"Guest', '"Guest').replace("{n % 3}", str(n % 3))
    return (
        f'\n{above}[[events]]\nid = "e{n}"\ndate = 2025-{1 + n % 12:02d}-{1 + n % 27:02d}\n'
        f'title = "Talks {n}"\nactors = {actors}\ntags = ["t{n % 4}"]\n'
    )


def _write(folder: Path, layout: list[tuple[int, bool]], newline: str) -> Path:
    log = folder / "events.toml"
    text = ACTORS + "".join(_event(n, c, a) for n, (c, a) in enumerate(layout))
    log.write_bytes(text.replace("\n", newline).encode())
    return log


def _same_answers(log: Path) -> None:
    """The index of ``log`` is valid for its bytes and answers as the parsed log does."""
    cached = cache()
    found = index.Index.open(log, cached.folder, fingerprint_of(log, log.read_bytes()))
    assert found is not None, "the index is not valid for the log's bytes"
    parsed = store.load(log)
    assert found.all_events() == list(parsed.events)  # lines included
    assert found.free_text_actors() == free_text_actors(parsed) or sorted(
        found.free_text_actors()
    ) == sorted(free_text_actors(parsed))
    names = {a for e in parsed.events for a in e.actors} | {"putin", "nobody"}
    for query in (
        *(Query(actors=((name,),)) for name in sorted(names)),
        *(Query(tags=(f"t{i}",)) for i in range(5)),
        Query(search="talks 3"),
        Query(search="edited"),
    ):
        want = [e.id for e in select(parsed, query).events]
        assert [e.id for e in found.select(query).events] == want, query
        assert [e.id for e in found.select(query, want_events=False).events] == want, query
    for event in parsed.events:
        assert found.line_of(event.id) == event.line
    found.close()


def _shifts(log: Path) -> int:
    found = index.Index.open(log, cache().folder, fingerprint_of(log, log.read_bytes()))
    assert found is not None
    held = len(found.shifts)
    found.close()
    return held


def _editor(folder: Path) -> dict[str, str]:
    """An editor that puts two comment lines above the table, one in it, and a word in its
    title."""
    script = folder / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        "p = pathlib.Path(sys.argv[-1])\n"
        "t = p.read_text().replace('[[events]]', '# edited\\n# twice\\n[[events]]\\n# in', 1)\n"
        "p.write_text(t.replace('title = \"', 'title = \"Edited ', 1))\n"
    )
    return {"EDITOR": f"{sys.executable} {script}", "VISUAL": "", "CHRONO_EDITOR": ""}


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["title", "summary", "no-summary", "tag", "rm", "rm2", "edit", "add"]),
        st.integers(0, 40),
    ),
    min_size=1,
    max_size=7,
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    layout=st.lists(st.tuples(st.integers(0, 2), st.booleans()), min_size=3, max_size=9),
    operations=OPERATIONS,
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_after_any_changes_the_index_answers_as_the_log(
    run: Run, tmp_path_factory: pytest.TempPathFactory, layout: Any, operations: Any, newline: str
) -> None:
    """Random logs (comment lines above tables, arrays over several lines, CRLF), random runs
    of set, rm, edit and add through the index: after each, the index, changed in place and
    never rebuilt, answers every event, line, actor, tag and search as the log does."""
    from chrono.storage import fingerprint

    folder = tmp_path_factory.mktemp("log")
    log = _write(folder, layout, newline)
    twin = _write(tmp_path_factory.mktemp("careful"), layout, newline)
    assert run("list", "-f", str(log), "--format", "ids").exit_code == 0  # warm
    builds: list[object] = []
    real_build = index.build
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fingerprint, "MARK", 64)  # the bytes from a mark on: read, not the log
        patch.setattr(index, "build", lambda *a, **k: builds.append(a) or real_build(*a, **k))
        patch.setattr(indexing, "_reindex", lambda *a: builds.append(a))
        for what, pick in operations:
            ids = [e.id for e in store.load(log).events]
            if not ids:
                break
            one = ids[pick % len(ids)]
            args = {
                "title": ("set", one, "--title", f"Renamed {pick}"),
                "summary": ("set", one, "--summary", "Edited\nover lines"),
                "no-summary": ("set", one, "--summary", ""),
                "tag": ("set", one, "--add-tag", f"t{pick % 5}", "--add-actor", "Putin"),
                "rm": ("rm", one, "--yes"),
                "rm2": ("rm", one, ids[(pick + 1) % len(ids)], "--yes"),
                "edit": ("edit", one),
                "add": ("add", f"Added {pick}", "--date", "2025-06-01", "-a", "Witkoff"),
            }[what]
            env = _editor(folder) if what == "edit" else None
            done = run(*args, "-f", str(log), env=env)
            assert done.exit_code == 0, (args, done.stderr)
            assert builds == [], f"the index was rebuilt after {args}"
            careful = run("--no-cache", *args, "-f", str(twin), env=env)
            assert careful.exit_code == 0, (args, careful.stderr)
            assert log.read_bytes() == twin.read_bytes(), args
            assert done.stdout == careful.stdout  # what rm printed it removed
            _same_answers(log)


def test_a_change_that_moves_lines_is_held_as_a_shift(run: Run, tmp_path: Path) -> None:
    """A summary added (one line more) is one shift, after the event's last line; a title
    changed in place (the same lines) none."""
    log = _write(tmp_path, [(0, False), (1, True), (0, False)], "\n")
    assert run("list", "-f", str(log), "--format", "ids").exit_code == 0
    assert run("set", "e1", "--title", "Same lines", "-f", str(log)).exit_code == 0
    assert _shifts(log) == 0
    assert run("set", "e0", "--summary", "One line more", "-f", str(log)).exit_code == 0
    assert _shifts(log) == 1
    _same_answers(log)


def test_shifts_apply_in_turn_to_lines_after_them() -> None:
    """Each shift moves only the lines after its own line, on from where the last left it."""
    assert shifted_line(10, ((10, 3),)) == 10
    assert shifted_line(11, ((10, 3),)) == 14
    assert shifted_line(20, ((10, -5), (14, 2))) == 17
    assert shifted_line(15, ((10, -5), (10, 2))) == 10  # on line 10 now: not after it
    assert shifted_line(16, ((10, -5), (10, 2))) == 13


def test_many_shifts_ask_for_a_rebuild(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past COMPACT line shifts the index is still changed in place, and rebuilt after the
    answer (here inline), which leaves it with none."""
    from chrono.storage.index import updating

    monkeypatch.setattr(updating, "COMPACT", 2)
    log = _write(tmp_path, [(0, False)] * 4, "\n")
    assert run("list", "-f", str(log), "--format", "ids").exit_code == 0
    assert run("set", "e0", "--summary", "One", "-f", str(log)).exit_code == 0
    assert _shifts(log) == 1
    assert run("set", "e1", "--summary", "Two", "-f", str(log)).exit_code == 0
    assert _shifts(log) == 0  # rebuilt
    _same_answers(log)


def test_an_index_with_too_many_shifts_is_rebuilt_not_changed(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MOST_SHIFTS the index is not changed in place: it is rebuilt from the log."""
    from chrono.storage.index import updating

    monkeypatch.setattr(updating, "MOST_SHIFTS", 0)
    log = _write(tmp_path, [(0, False)] * 3, "\n")
    assert run("list", "-f", str(log), "--format", "ids").exit_code == 0
    changes: list[object] = []
    real_change = updating.change
    monkeypatch.setattr(index, "change", lambda *a: changes.append(real_change(*a)) or changes[-1])
    assert run("set", "e0", "--summary", "One", "-f", str(log)).exit_code == 0
    assert changes == [None]
    assert _shifts(log) == 0
    _same_answers(log)


def test_an_index_built_from_other_bytes_is_not_changed(run: Run, tmp_path: Path) -> None:
    """An index that no longer matches the log before the change is left alone (None)."""
    from chrono.storage.fingerprint import Fingerprint
    from chrono.storage.index import updating

    log = _write(tmp_path, [(0, False)] * 2, "\n")
    assert run("list", "-f", str(log), "--format", "ids").exit_code == 0
    parsed = store.load(log)
    other = Fingerprint(1, 2, 3, "0" * 40)
    assert updating.change(log, cache().folder, other, other, parsed, [], ()) is None
    _same_answers(log)


def test_a_table_after_a_shorter_one_has_its_header_where_the_new_bytes_put_it() -> None:
    """Two cuts in one change: the table after a removed one (three lines gone) and itself
    one line longer has its header three lines up; the shifts, last cut first, say so."""
    from chrono.core.dates import PartialDate, Precision
    from chrono.core.model import Event
    from chrono.storage.fastchange import Moves

    data = b"# top\n[[events]]\nid = 'a'\n\n[[events]]\nid = 'b'\n\n[[events]]\nid = 'c'\n"
    day = PartialDate(2025, 1, 1, precision=Precision.DAY)

    def event(ident: str, line: int) -> Event:
        return Event(ident, day, "T", None, None, (), None, (), None, (), {}, 0, 1, line)

    a, b = event("a", 2), event("b", 5)
    first = (data.index(b"[[events]]"), data.index(b"[[events]]\nid = 'b'"), b"")
    start = data.index(b"[[events]]\nid = 'b'")
    second = (start, start + len(b"[[events]]\nid = 'b'\n"), b"[[events]]\nid = 'b'\nx = 1\n")
    moves = Moves(data, [first, second], [(first[0], a), (start, b)])
    assert moves.line(b, 1) == 2
    assert moves.shifts == ((6, 1), (4, -3))
    assert shifted_line(8, moves.shifts) == 6  # c, two lines up
    kept = data[: first[0]] + second[2] + data[second[1] :]
    assert kept.split(b"\n")[1] == b"[[events]]"


def test_a_build_for_bytes_the_log_no_longer_holds_replaces_nothing(
    run: Run, tmp_path: Path
) -> None:
    """A rebuild that read the log before a change made in place since is thrown away: the
    index changed in place for the new bytes stays."""
    log = _write(tmp_path, [(0, False)] * 3, "\n")
    assert run("list", "-f", str(log), "--format", "ids").exit_code == 0
    chronology, fp, newlines = store.load_for_index(log)  # what a slow rebuild read
    assert run("set", "e1", "--summary", "One line more", "-f", str(log)).exit_code == 0
    assert not index.build(log, cache().folder, fp, chronology, newlines)
    assert _shifts(log) == 1
    _same_answers(log)


def test_a_writer_s_marks_give_the_hash_of_any_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SHA-1 a writer's hash marked every MARK bytes, gone on with from the mark before
    an offset, is the SHA-1 of the bytes before that offset; a reader's hash marks nothing."""
    import hashlib

    from chrono.storage import fingerprint

    monkeypatch.setattr(fingerprint, "MARK", 7)
    path = tmp_path / "log"
    data = bytes(range(256)) * 3
    path.write_bytes(data)
    hashed = fingerprint.hash_file(path, keep=True)
    assert hashed is not None and hashed.marks is not None
    assert [m[0] for m in hashed.marks.marks] == [*range(0, len(data), 7), len(data)]
    for offset in (0, 1, 6, 7, 8, 500, len(data) - 1, len(data)):
        start, digest = hashed.marks.before(offset)
        assert start <= offset < start + 7 or offset == len(data)
        digest.update(data[start:offset])
        want = hashlib.sha1(data[:offset], usedforsecurity=False).hexdigest()
        assert digest.hexdigest() == want, offset
    plain = fingerprint.hash_file(path)
    assert plain is not None and plain.marks is None and plain.fingerprint == hashed.fingerprint


def test_without_marks_a_change_reads_and_checks_the_whole_log(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hash with no marks (the log was written while it was hashed): the change reads the
    whole log, checks it is the indexed bytes, and writes what the careful path writes."""
    from chrono.storage import fingerprint

    careful, fast = tmp_path / "careful", tmp_path / "fast"
    careful.mkdir()
    fast.mkdir()
    slow_log = _write(careful, [(1, True), (0, False), (2, False)], "\r\n")
    fast_log = _write(fast, [(1, True), (0, False), (2, False)], "\r\n")
    assert run("--no-cache", "set", "e1", "--summary", "S", "-f", str(slow_log)).exit_code == 0
    assert run("list", "-f", str(fast_log), "--format", "ids").exit_code == 0
    real = fingerprint.hash_file
    monkeypatch.setattr(
        fingerprint, "hash_file", lambda path, stop=None, keep=False: real(path, stop)
    )
    assert run("set", "e1", "--summary", "S", "-f", str(fast_log)).exit_code == 0
    assert fast_log.read_bytes() == slow_log.read_bytes()
    assert _shifts(fast_log) == 1  # through the index, changed in place
    _same_answers(fast_log)


# -- what a review found: the index and the careful path must agree ----------------------


def _both(run: Run, tmp_path: Path, text: str, args: list[str], env: Any = None) -> Path:
    """``args`` run on a log through a warm index and on a copy read whole (--no-cache): the
    two exit 0 and leave the same bytes; the warm log."""
    warm_dir, cold_dir = tmp_path / "warm", tmp_path / "cold"
    warm_dir.mkdir()
    cold_dir.mkdir()
    warm, cold = warm_dir / "events.toml", cold_dir / "events.toml"
    for log in (warm, cold):
        log.write_bytes(text.encode())
    assert run("list", "-f", str(warm), "--format", "ids").exit_code == 0
    done = run(*args, "-f", str(warm), env=env)
    assert done.exit_code == 0, done.stderr
    slow = run("--no-cache", *args, "-f", str(cold), env=env)
    assert slow.exit_code == 0, slow.stderr
    assert warm.read_bytes() == cold.read_bytes()
    return warm


def test_a_header_like_line_in_a_string_never_misplaces_a_table(run: Run, tmp_path: Path) -> None:
    """A real header written [[ events ]] and a [[events]] line inside a string: the event's
    line is the real header's, and rm through the index removes the real table."""
    fake = '[[events]]\nid = "e2"\ndate = 2024-01-02\ntitle = "T"\n# '
    text = (
        '[chrono]\ntimezone = "UTC"\n\n[[ events ]]\nid = "e2"\ndate = 2024-01-02\n'
        f'title = "T"\nsummary = """\n{fake}"""\n\n'
        '[[events]]\nid = "e3"\ndate = 2024-01-03\ntitle = "U"\n'
    )
    assert store.load_text(tmp_path / "x.toml", text).chronology.events[0].line == 4
    log = _both(run, tmp_path, text, ["rm", "e2", "--yes"])
    tail = '[[events]]\nid = "e3"\ndate = 2024-01-03\ntitle = "U"\n'
    assert log.read_text() == '[chrono]\ntimezone = "UTC"\n\n' + tail


def test_two_events_may_swap_their_ids_through_the_index(run: Run, tmp_path: Path) -> None:
    """edit --all-matching swapping two ids: through the index as reading the log whole, and
    the index, changed in place, answers as the log."""
    script = tmp_path / "swap.py"
    script.write_text(
        "import pathlib, sys\np = pathlib.Path(sys.argv[-1])\n"
        "t = p.read_text().replace('id = \"a\"', 'id = \"x\"')\n"
        "t = t.replace('id = \"b\"', 'id = \"a\"')\n"
        "p.write_text(t.replace('id = \"x\"', 'id = \"b\"'))\n"
    )
    env = {"EDITOR": f"{sys.executable} {script}", "VISUAL": "", "CHRONO_EDITOR": ""}
    text = (
        '[[events]]\nid = "a"\ndate = 2024-01-01\ntitle = "A"\n\n'
        '[[events]]\nid = "b"\ndate = 2024-01-02\ntitle = "B"\n'
    )
    log = _both(run, tmp_path, text, ["edit", "--all-matching"], env)
    assert [e.id for e in store.load(log).events] == ["b", "a"]
    _same_answers(log)
