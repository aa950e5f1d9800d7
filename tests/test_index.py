"""The derived index: never changes an answer, never fails a command, stays in sync."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chrono.storage import index, store
from chrono.storage.fingerprint import fingerprint, fingerprint_of
from tests.conftest import BUNDLED, ROOT, Run, cache

SAMPLE = Path(__file__).parent / "data" / "sample.toml"
HOSTILE = Path(__file__).parent / "data" / "hostile.toml"

QUERIES = [
    ("list", "--format", "json"),
    ("list",),
    ("list", "--format", "table"),
    ("list", "-a", "Putin", "-a", "Witkoff", "--format", "json"),
    ("list", "-a", "uschakow", "--any-actor", "-a", "trump", "--format", "ids"),
    ("list", "--on", "2026-01", "-t", "ukraine", "-n", "3", "--reverse"),
    ("list", "-s", "board of peace", "--format", "ids"),
    ("list", "-s", "ab", "--format", "ids"),
    ("list", "-s", "putin witkoff moscow", "--format", "ids"),
    ("list", "-s", '"board of peace" witkoff', "--format", "ids"),
    ("list", "-l", "moscow", "-k", "meeting", "-k", "statement"),
    ("show", "2026-01-22-putin-witkoff-kremlin"),
    ("show", "2026-01-22-putin", "--format", "json"),
    ("show", "2026-01-23"),
    ("actors",),
    ("actors", "--pairs", "--format", "json"),
    ("actors", "Dmitrijew"),
    ("export", "md", "--mermaid"),
    ("export", "json"),
    ("export", "ics", "-a", "Witkoff"),
]


def outputs(run: Run, log: Path, args: tuple[str, ...]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one command."""
    result = run(*args, "-f", str(log))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("args", QUERIES, ids=" ".join)
@pytest.mark.parametrize("log", [BUNDLED, SAMPLE, HOSTILE], ids=lambda p: p.name)
def test_every_command_answers_the_same_with_and_without_the_index(
    run: Run, log: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cold (builds the index), warm (answers from it) and --no-cache give the same bytes."""
    cold = outputs(run, log, args)
    assert index.index_path(log, cache().folder).exists()
    warm = outputs(run, log, args)
    monkeypatch.setenv("CHRONO_NO_CACHE", "1")
    plain = outputs(run, log, args)
    assert cold == warm == plain


words = st.sampled_from(["talks", "Kremlin", "envoy", "Zürich", "[x]", "a|b", "Ünïcode", "x"])


@st.composite
def logs(draw: st.DrawFn) -> str:
    """Small random logs with mixed dates, actors, tags and kinds."""
    dates = st.sampled_from(
        ['"2025"', '"2025-12~"', "2026-01-23", '"2026-01"', "2026-01-22T22:30:00",
         "2026-01-22T22:30:00+03:00", '"2025?"', "2026-01-24"]
    )  # fmt: skip
    text = '[chrono]\ntimezone = "Europe/Moscow"\n[actors.a]\nname = "Anna Smith"\n'
    text += '[actors.b]\nname = "Bob Smith"\naliases = ["Bobby"]\n'
    for i in range(draw(st.integers(0, 8))):
        text += f'[[events]]\nid = "e{i}"\ndate = {draw(dates)}\n'
        text += f'title = "{" ".join(draw(st.lists(words, min_size=1, max_size=3)))}"\n'
        actors = draw(st.lists(st.sampled_from(["a", "b", "Bobby", "Carla Free"]), max_size=3))
        text += "actors = [" + ", ".join(f'"{a}"' for a in actors) + "]\n"
        tags = draw(st.lists(st.sampled_from(["x", "Y", "z"]), max_size=2))
        text += "tags = [" + ", ".join(f'"{t}"' for t in tags) + "]\n"
        text += f'kind = "{draw(st.sampled_from(["meeting", "call"]))}"\n'
    return text


QUERY = st.sampled_from(
    [("-a", "smith"), ("-a", "a", "-a", "bobby"), ("-a", "carla"), ("--on", "2026-01"),
     ("-t", "y"), ("-k", "call"), ("-s", "kremlin"), ("-s", "zurich"), ("-n", "2"),
     ("--from", "2026-01-23"), ("--to", "2025"), ("--reverse",), ("-s", "a|b"),
     ("-s", "kremlin envoy"), ("-s", "smith x"), ("-s", '"bob smith" talks')]
)  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=logs(), query=QUERY, fmt=st.sampled_from(["json", "timeline", "ids"]))
def test_index_never_changes_an_answer(
    run: Run, tmp_path: Path, text: str, query: tuple[str, ...], fmt: str
) -> None:
    """For random logs and queries, the index answers exactly as the file does."""
    log = tmp_path / "events.toml"
    log.write_text(text)
    index.clear(cache().folder, log)
    args = ("list", *query, "--format", fmt)
    cold = outputs(run, log, args)
    warm = outputs(run, log, args)
    os.environ["CHRONO_NO_CACHE"] = "1"
    try:
        plain = outputs(run, log, args)
    finally:
        del os.environ["CHRONO_NO_CACHE"]
    assert cold == warm == plain


def test_an_edit_of_the_same_size_and_mtime_is_seen(run: Run, tmp_path: Path) -> None:
    """The racy-git case: same size, same mtime, different bytes -> the index is not used."""
    log = tmp_path / "events.toml"
    log.write_text(SAMPLE.read_text())
    first = outputs(run, log, ("list", "--format", "ids"))
    st_before = log.stat()
    log.write_text(SAMPLE.read_text().replace('id = "feb"', 'id = "fex"'))
    os.utime(log, ns=(st_before.st_atime_ns, st_before.st_mtime_ns))
    assert log.stat().st_size == st_before.st_size
    second = outputs(run, log, ("list", "--format", "ids"))
    assert first[1].split()[0] == "feb"
    assert second[1].split()[0] == "fex"


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncate", "empty", "foreign-version", "foreign-schema", "timezone", "directory"],
)
def test_a_damaged_index_is_rebuilt_silently(run: Run, tmp_path: Path, damage: str) -> None:
    """Corrupt, truncated, empty, foreign or replaced-by-a-directory index: right answer, exit 0."""
    log = tmp_path / "events.toml"
    log.write_text(SAMPLE.read_text())
    answers = [("list", "--format", "json"), ("list", "--tz", "UTC"), ("list",)]
    expected = [outputs(run, log, args) for args in answers]
    target = index.index_path(log, cache().folder)
    if damage == "garbage":
        target.write_bytes(b"this is not a database" * 100)
    elif damage == "truncate":
        target.write_bytes(target.read_bytes()[:2048])
    elif damage == "empty":
        target.write_bytes(b"")
    elif damage == "foreign-version":
        db = sqlite3.connect(target)
        db.execute("PRAGMA user_version = 999")
        db.close()
    elif damage == "foreign-schema":
        db = sqlite3.connect(target)
        db.execute("UPDATE meta SET value = 'other' WHERE key = 'format'")
        db.commit()
        db.close()
    elif damage == "timezone":
        db = sqlite3.connect(target)
        db.execute("UPDATE meta SET value = 'Mars/Olympus_Mons' WHERE key = 'timezone'")
        db.commit()
        db.close()
    else:
        target.unlink()
        target.mkdir()
    assert [outputs(run, log, args) for args in answers] == expected
    assert [outputs(run, log, args) for args in answers] == expected


def test_a_missing_or_read_only_cache_dir_is_bypassed(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No cache dir can be made, or it is read-only: chrono answers from the file."""
    log = tmp_path / "events.toml"
    log.write_text(SAMPLE.read_text())
    expected = outputs(run, log, ("list", "--format", "json"))
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("CHRONO_CACHE_DIR", str(blocker / "cache"))
    assert outputs(run, log, ("list", "--format", "json")) == expected
    read_only = tmp_path / "ro"
    read_only.mkdir()
    read_only.chmod(0o500)
    monkeypatch.setenv("CHRONO_CACHE_DIR", str(read_only))
    monkeypatch.setattr(os, "replace", _permission_denied)
    assert outputs(run, log, ("list", "--format", "json")) == expected
    assert not list(read_only.iterdir())


def _permission_denied(*args: object) -> None:
    raise PermissionError(13, "Permission denied")


def test_two_processes_building_at_once(tmp_path: Path) -> None:
    """Two cold queries at the same time both answer right; the index ends up valid."""
    log = tmp_path / "events.toml"
    log.write_text(BUNDLED.read_text())
    env = {**os.environ, "CHRONO_CACHE_DIR": str(tmp_path / "cache")}
    argv = [sys.executable, "-m", "chrono", "list", "-f", str(log), "--format", "ids"]
    procs = [
        subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
        for _ in range(2)
    ]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert results[0] == results[1]
    assert len(results[0][0].split()) == 17
    os.environ["CHRONO_CACHE_DIR"] = env["CHRONO_CACHE_DIR"]
    found = index.Index.open(log, cache().folder, fingerprint(log))
    assert found is not None
    found.close()


def test_add_updates_the_index_in_place(run: Run, tmp_path: Path) -> None:
    """After add, the index is valid for the new bytes and knows the new event."""
    log = tmp_path / "events.toml"
    log.write_text(BUNDLED.read_text())
    outputs(run, log, ("list", "--format", "ids"))  # build
    before = index.index_path(log, cache().folder).stat().st_ino
    result = run("add", "-f", str(log), "New talks", "--date", "2026-02-01", "-a", "Uschakow")
    assert result.exit_code == 0, result.output
    assert index.index_path(log, cache().folder).stat().st_ino == before  # updated, not rebuilt
    found = index.Index.open(log, cache().folder, fingerprint(log))
    assert found is not None
    assert found.line_of("2026-02-01-new-talks") == store.load(log).line_of("2026-02-01-new-talks")
    found.close()
    warm = outputs(run, log, ("list", "-a", "ushakov", "--format", "json"))
    os.environ["CHRONO_NO_CACHE"] = "1"
    try:
        plain = outputs(run, log, ("list", "-a", "ushakov", "--format", "json"))
    finally:
        del os.environ["CHRONO_NO_CACHE"]
    assert warm == plain


def test_add_with_a_stale_index_takes_the_careful_path(run: Run, tmp_path: Path) -> None:
    """An edit since the index was built: add parses the file, and the result is right."""
    log = tmp_path / "events.toml"
    log.write_text(SAMPLE.read_text())
    outputs(run, log, ("list",))
    log.write_text(SAMPLE.read_text().replace('id = "feb"', 'id = "fex"'))
    assert run("add", "-f", str(log), "X", "--date", "2026", "--id", "feb").exit_code == 0
    assert [e.id for e in store.load(log).events].count("feb") == 1


def test_cache_path_and_clear(run: Run, tmp_path: Path) -> None:
    """`chrono cache path` names the index file; `clear` deletes it; --no-cache never makes one."""
    log = tmp_path / "events.toml"
    log.write_text(SAMPLE.read_text())
    path = run("cache", "path", "-f", str(log)).stdout.strip()
    assert path == str(index.index_path(log, cache().folder))
    assert not Path(path).exists()
    run("--no-cache", "list", "-f", str(log))
    assert not Path(path).exists()
    os.environ.pop("CHRONO_NO_CACHE", None)
    run("list", "-f", str(log))
    assert Path(path).exists()
    result = run("cache", "clear", "-f", str(log))
    assert (result.exit_code, result.stderr) == (0, "chrono: removed 1 index\n")
    assert not Path(path).exists()
    run("list", "-f", str(log))
    assert run("cache", "clear", "--all").stderr == "chrono: removed 1 index\n"


# -- start-up ------------------------------------------------------------------------------

NOT_FOR_LIST_IDS = ["rich", "tomli_w", "dateutil", "icalendar", "markdown_it"]


def test_list_ids_imports_only_what_it_needs(tmp_path: Path) -> None:
    """`python -X importtime -m chrono list --format ids` imports no rendering or writing code."""
    env = {**os.environ, "CHRONO_CACHE_DIR": str(tmp_path / "cache")}
    argv = [sys.executable, "-X", "importtime", "-m", "chrono", "list", "-f", str(BUNDLED)]
    for warm in (False, True):  # cold (parses and builds the index), then warm
        result = subprocess.run(
            [*argv, "-a", "Putin", "--format", "ids"], env=env, capture_output=True, text=True,
            check=False, cwd=ROOT,
        )  # fmt: skip
        assert result.returncode == 0
        imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()}
        top = {name.split(".")[0] for name in imported}
        assert not top & set(NOT_FOR_LIST_IDS), sorted(top & set(NOT_FOR_LIST_IDS))
        parsing = imported & {
            "chrono.storage.store",
            "chrono.storage.positions",
            "tomli",
            "tomllib",
        }
        assert bool(parsing) != warm, sorted(parsing)  # a warm index answers without the parser
        if warm:  # nor the index's writer, nor the zone data (no time is shown)
            assert not imported & {"chrono.storage.index.building", "zoneinfo"}


def test_help_and_version_import_no_chrono_core(tmp_path: Path) -> None:
    """--help and --version load neither the model nor the store."""
    for flag in ("--help", "--version"):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "chrono", flag], capture_output=True,
            text=True, check=False, cwd=ROOT,
        )  # fmt: skip
        imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()}
        assert not imported & {
            "chrono.core.model",
            "chrono.storage.store",
            "chrono.storage.index",
            "rich",
            "sqlite3",
        }


def test_benchmark_smoke(tmp_path: Path) -> None:
    """bench/run.py --quick runs end to end and prints every row with its ratios."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
        capture_output=True, text=True, check=False, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "B0 = " in result.stdout and "B1 = " in result.stdout
    assert "first query after an edit" in result.stdout
    assert "chrono add" in result.stdout


def test_the_index_is_built_after_the_answer(tmp_path: Path) -> None:
    """Without CHRONO_INDEX_SYNC a detached child builds the index; the pipe closes at once."""
    import time

    log = tmp_path / "events.toml"
    log.write_text(BUNDLED.read_text())
    env = {**os.environ, "CHRONO_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CHRONO_INDEX_SYNC", None)
    command = f"{sys.executable} -m chrono list -f {log} --format ids | wc -l"
    result = subprocess.run(
        command,
        shell=True,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (result.stdout.strip(), result.stderr) == ("17", "")
    os.environ["CHRONO_CACHE_DIR"] = env["CHRONO_CACHE_DIR"]
    deadline = time.monotonic() + 30
    found = None
    while found is None and time.monotonic() < deadline:
        found = index.Index.open(log, cache().folder, fingerprint(log))
        time.sleep(0.05)
    assert found is not None
    found.close()


def test_hashing_in_the_background_gives_the_fingerprint(tmp_path: Path) -> None:
    """Hashing in a thread gives what fingerprint() gives; a missing file raises on result()."""
    from chrono.storage.fingerprint import CHUNK, Hashing

    log = tmp_path / "events.toml"
    log.write_bytes(BUNDLED.read_bytes() * (3 * CHUNK // len(BUNDLED.read_bytes())))
    assert Hashing(log).result() == fingerprint(log)
    assert fingerprint(log) == fingerprint_of(log, log.read_bytes())
    with pytest.raises(FileNotFoundError):
        Hashing(tmp_path / "missing.toml").result()
    stopped = Hashing(log)
    stopped.cancel()
    try:
        got = stopped.result()
    except RuntimeError:  # cancelled before the end
        got = None
    assert got in (None, fingerprint(log))  # never half a hash
    assert sys.getswitchinterval() == pytest.approx(0.005)  # the interpreter's default is back


@settings(max_examples=60)
@given(st.binary(max_size=40), st.integers(1, 9), st.integers(1, 9))
def test_hash_file_keeps_both_ends(data: bytes, chunk: int, head: int) -> None:
    """Read in chunks of any size, a file gives its SHA-1, its start and its last four bytes."""
    import tempfile
    from unittest import mock

    from chrono.storage import fingerprint as fingerprint_module

    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "events.toml"
        log.write_bytes(data)
        with (
            mock.patch.object(fingerprint_module, "CHUNK", chunk),
            mock.patch.object(fingerprint_module, "HEAD", head),
        ):
            hashed = fingerprint_module.hash_file(log)
        assert hashed is not None
        assert hashed.fingerprint == fingerprint_of(log, data)
        assert (hashed.head, hashed.tail) == (data[: min(chunk, head)], data[-4:])


LONG_COMMENT = "# " + "x" * 70_000 + "\n"


@pytest.mark.parametrize(
    "shape",
    [
        "as written", "CRLF", "no final newline", "blank lines at the end",
        "a comment at the end", "a first line over 64 KiB, CRLF", "64 KiB of blank lines first",
    ],
)  # fmt: skip
def test_appends_through_the_index_match_a_fresh_index(
    run: Run, tmp_path: Path, shape: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adds leave the log and its index as a fresh build from the file would be.

    The last two shapes hide the line endings, or whether the log is blank, beyond the
    64 KiB the hash keeps of the log's start: add reads the whole log for those.
    """
    text = SAMPLE.read_text()
    text = {
        "as written": text,
        "CRLF": text.replace("\n", "\r\n"),
        "no final newline": text.rstrip("\n"),
        "blank lines at the end": text + "\n\n\n",
        "a comment at the end": text + "# more to come\n",
        "a first line over 64 KiB, CRLF": (LONG_COMMENT + text).replace("\n", "\r\n"),
        "64 KiB of blank lines first": "\n" * 70_000 + text.rstrip("\n"),
    }[shape]
    log = tmp_path / "events.toml"
    log.write_bytes(text.encode())
    run("list", "-f", str(log))  # builds the index
    builds = []
    real_build = index.build
    monkeypatch.setattr(index, "build", lambda *a, **k: builds.append(1) or real_build(*a, **k))
    for title in ("One", "Two"):
        result = run("add", "-f", str(log), title, "--date", "2026-03-01", "-a", "Putin")
        assert result.exit_code == 0, result.output
    assert len(builds) == (2 if "64 KiB" in shape else 0)  # the index is updated, or rebuilt
    written = log.read_bytes()
    assert written.startswith(text.encode())
    assert (b"\r\n" in written.replace(text.encode(), b"")) == ("CRLF" in shape)
    updated = index.Index.open(log, cache().folder, fingerprint(log))
    assert updated is not None
    meta, lines = dict(updated.meta), {e.id: e.line for e in updated.all_events()}
    updated.close()
    chronology, fp, newlines = store.load_for_index(log)
    assert newlines == log.read_bytes().count(b"\n")
    assert index.build(log, cache().folder, fp, chronology, newlines)
    fresh = index.Index.open(log, cache().folder, fp)
    assert fresh is not None
    assert {e.id: e.line for e in fresh.all_events()} == lines
    assert {k: fresh.meta[k] for k in ("newlines", "appendable", "size", "digest")} == {
        k: meta[k] for k in ("newlines", "appendable", "size", "digest")
    }
    fresh.close()


def test_no_hashing_thread_outlives_opening_the_log(run: Run, tmp_path: Path) -> None:
    """Warm, stale or missing index: opening the source leaves no thread of its own running."""
    import threading

    from chrono.operations.reading import FileSource, open_source
    from chrono.storage.index import Index as IndexSource

    before = set(threading.enumerate())  # the test run's own (a browser driver's, say)
    log = tmp_path / "events.toml"
    log.write_text(SAMPLE.read_text())
    assert isinstance(open_source(log, cache()), FileSource)  # no index yet: parsed (and built)
    assert set(threading.enumerate()) == before
    assert isinstance(open_source(log, cache()), IndexSource)
    assert set(threading.enumerate()) == before
    log.write_text(SAMPLE.read_text().replace('id = "feb"', 'id = "fex"'))
    assert isinstance(open_source(log, cache()), FileSource)
    assert set(threading.enumerate()) == before


def test_starting_answers_as_the_chronology_does(run: Run, tmp_path: Path) -> None:
    """Day-or-finer events starting in a window, from the index, are those the parsed log gives."""
    from chrono.core.dates import parse_iso

    log = tmp_path / "events.toml"
    log.write_text(SAMPLE.read_text())
    run("list", "-f", str(log))  # builds the index
    chronology = store.load(log)
    found = index.Index.open(log, cache().folder, fingerprint(log))
    assert found is not None
    seen = set()
    for text in ("2025", "2025-12", "2026-01-22", "2026-01-23", "2026-02", "1999"):
        date = parse_iso(text)
        start, stop = date.start(chronology.tz), date.stop(chronology.tz)
        expected = [e.id for e in chronology.starting(start, stop)]
        assert [e.id for e in found.starting(start, stop)] == expected, text
        seen.update(expected)
    assert seen  # the windows are not all empty
    found.close()


def test_add_on_a_racy_index_takes_the_log_at_its_word(run: Run, tmp_path: Path) -> None:
    """An index from other bytes of the same size and mtime cannot make add refuse or misplace."""
    log = tmp_path / "events.toml"
    log.write_text(SAMPLE.read_text())
    run("list", "-f", str(log))  # index the log, whose first event is "feb"
    st = log.stat()
    log.write_text(SAMPLE.read_text().replace('id = "feb"', 'id = "fex"'))
    os.utime(log, ns=(st.st_atime_ns, st.st_mtime_ns))
    result = run("add", "-f", str(log), "Again", "--date", "2026-03-01", "--id", "feb")
    assert (result.exit_code, result.stdout) == (0, "feb\n")
    assert run("list", "-f", str(log), "--format", "ids").stdout.split().count("feb") == 1
    assert run("check", "-f", str(log)).exit_code == 0


def _new_event(book: Any, event_id: str, day: str, title: str) -> Any:
    """An event of ``day`` as the add operation builds it, placed in the book's zone."""
    from chrono.core.dates import parse_iso
    from chrono.core.model import Event

    date = parse_iso(day)
    return Event(event_id, date, title, start=date.start(book.tz), stop=date.stop(book.tz))


EDITED = '\n[[events]]\nid = "edited"\ndate = 2026-01-01\ntitle = "By hand"\n'  # not a comment


def test_a_log_edited_while_add_prepares_is_read_afresh(run: Run, tmp_path: Path) -> None:
    """An edit made after the hash and before the write makes the plan stale; planned again
    on the log parsed afresh, both the edit and the event stay."""
    from chrono.storage import transaction
    from chrono.storage.edits import Append
    from chrono.storage.fingerprint import Hashing

    log = tmp_path / "events.toml"
    log.write_text(SAMPLE.read_text())
    run("list", "-f", str(log))  # builds the index
    with transaction.begin(log, cache(), hashing=Hashing(log.resolve())) as tx:
        books = [type(tx.book).__name__]
        edits = [Append(events=(_new_event(tx.book, "new", "2026-03-01", "New"),))]
        with log.open("a") as handle:  # another tool edits the log while add plans
            handle.write(EDITED)
        with pytest.raises(transaction.Stale):
            tx.commit(edits)
        books.append(type(tx.book).__name__)
        done = tx.commit([Append(events=(_new_event(tx.book, "new", "2026-03-01", "New"),))])
    assert books == ["IndexBook", "Chronology"]
    assert log.read_text().startswith(SAMPLE.read_text() + EDITED)
    assert store.load(log).line_of("new") == done.chronology.line_of("new")


def test_a_log_edited_during_a_careful_add_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsing the log itself, add refuses to write over an edit made while it planned."""
    from chrono.storage import transaction
    from chrono.storage.edits import Append

    log = tmp_path / "events.toml"
    log.write_text(SAMPLE.read_text())
    monkeypatch.setenv("CHRONO_NO_CACHE", "1")
    with transaction.begin(log, cache()) as tx:
        edits = [Append(events=(_new_event(tx.book, "new", "2026-03-01", "New"),))]
        with log.open("a") as handle:
            handle.write(EDITED)
        with pytest.raises(
            store.WriteError, match="the file changed while adding; nothing written"
        ):
            tx.commit(edits)
    assert log.read_text() == SAMPLE.read_text() + EDITED


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("command", [("list", "--format", "ids"), ("actors",)])
def test_a_log_read_from_a_pipe_is_read_whole(
    run: Run, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """A log given as a pipe (``-f <(git show HEAD:events.toml)``) is read once and in full."""
    import threading

    log = tmp_path / "events.toml"
    log.write_text(SAMPLE.read_text())
    expected = run(*command, "-f", str(log))
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)

    def feed() -> None:
        with pipe.open("w") as handle:
            handle.write(SAMPLE.read_text())

    feeder = threading.Thread(target=feed)
    feeder.start()
    result = run(*command, "-f", str(pipe))
    feeder.join()
    assert (result.exit_code, result.stdout, result.stderr) == (0, expected.stdout, "")
    assert (
        index.index_path(log, cache().folder).exists()
        and not index.index_path(pipe, cache().folder).exists()
    )


def test_an_early_hash_gone_stale_before_the_lock_is_not_trusted(run: Run, tmp_path: Path) -> None:
    """A same-size edit with its mtime put back, made after the hash: add reads the log afresh."""
    import tomllib

    from chrono.storage.fingerprint import Hashing

    log = tmp_path / "events.toml"
    text = SAMPLE.read_text()
    assert text.endswith('"]\n')
    log.write_text(text + "\n")  # ends with a blank line: the append needs no separator
    run("list", "-f", str(log))  # builds the index
    early = Hashing(log.resolve())
    early.result()
    before = log.stat()
    log.write_text(text[:-3] + 'ab"]')  # same size, no final newline, written in place
    os.utime(log, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert log.stat().st_size == before.st_size and log.stat().st_ino == before.st_ino

    from chrono.storage import transaction
    from chrono.storage.edits import Append

    with transaction.begin(log, cache(), hashing=early) as tx:
        tx.commit([Append(events=(_new_event(tx.book, "new", "2026-03-01", "New"),))])
    written = log.read_text()
    assert written.startswith(text[:-3] + 'ab"]\n')
    assert tomllib.loads(written)["events"][-1]["id"] == "new"


def test_adds_waiting_for_one_another_keep_the_fast_path(run: Run, tmp_path: Path) -> None:
    """An early hash made stale by another add's append is taken again under the lock."""
    from chrono.storage.fingerprint import Hashing

    log = tmp_path / "events.toml"
    log.write_text(SAMPLE.read_text())
    run("list", "-f", str(log))  # builds the index
    built = index.index_path(log, cache().folder).stat().st_ino
    early = Hashing(log.resolve())
    early.result()
    assert run("add", "-f", str(log), "First", "--date", "2026-03-01").exit_code == 0
    from chrono.storage import transaction
    from chrono.storage.edits import Append

    with transaction.begin(log, cache(), hashing=early) as tx:
        books = [type(tx.book).__name__]
        tx.commit([Append(events=(_new_event(tx.book, "second", "2026-03-02", "Second"),))])
    assert books == ["IndexBook"]
    assert (
        index.index_path(log, cache().folder).stat().st_ino == built
    )  # both appended to the index in place
    assert store.load(log).line_of("second") is not None


@pytest.mark.parametrize(
    "args",
    [("--no-cache", "list"), ("list", "--no-cache"), ("show", "2025-02-11-putin-witkoff-moscow",
     "--no-cache"), ("actors", "--no-cache"), ("export", "md", "--no-cache")],
)  # fmt: skip
def test_no_cache_is_taken_before_or_after_the_command(
    run: Run, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """--no-cache works wherever it is written: the answer comes and no index is built."""
    log = tmp_path / "events.toml"
    log.write_bytes(BUNDLED.read_bytes())
    result = run(*args, "-f", str(log))
    assert result.exit_code == 0, result.output
    assert not index.index_path(log, cache().folder).exists()
    assert run(*[a for a in args if a != "--no-cache"], "-f", str(log)).stdout == result.stdout
    assert index.index_path(log, cache().folder).exists()


def test_check_accepts_no_cache(run: Run) -> None:
    """check always reads the log itself; --no-cache after it is accepted all the same."""
    assert run("check", "--no-cache", "-f", str(BUNDLED)).exit_code == 0


def test_the_index_is_private_to_its_owner(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index copies the log's text: its file is 0600 and a new cache folder 0700."""
    folder = tmp_path / "new-cache"
    monkeypatch.setenv("CHRONO_CACHE_DIR", str(folder))
    log = tmp_path / "events.toml"
    log.write_bytes(BUNDLED.read_bytes())
    log.chmod(0o600)
    assert run("list", "--format", "ids", "-f", str(log)).exit_code == 0
    assert stat.S_IMODE(index.index_path(log, cache().folder).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert run("add", "Private", "--date", "2026-11-30", "-f", str(log)).exit_code == 0
    assert stat.S_IMODE(index.index_path(log, cache().folder).stat().st_mode) == 0o600


def test_only_the_command_freezes_the_model_out_of_the_collector() -> None:
    """As a library chrono leaves the garbage collector alone; the command freezes its model."""
    import gc

    from chrono.storage import store

    before = gc.get_freeze_count()
    store.load(BUNDLED)
    assert gc.get_freeze_count() == before
    try:
        store.load(BUNDLED, freeze=True)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()


def test_a_failed_build_is_quiet_unless_strict(tmp_path: Path) -> None:
    """A build that cannot write returns False and leaves nothing; strict=True raises instead."""
    log = tmp_path / "events.toml"
    log.write_text(SAMPLE.read_text())
    chronology, fp, newlines = store.load_for_index(log)
    assert fp is not None
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    assert not index.build(log, blocker / "cache", fp, chronology, newlines)
    with pytest.raises(OSError):
        index.build(log, blocker / "cache", fp, chronology, newlines, strict=True)
    assert index.build(log, tmp_path / "cache", fp, chronology, newlines, strict=True)
    assert list((tmp_path / "cache").iterdir()) == [index.index_path(log, tmp_path / "cache")]
