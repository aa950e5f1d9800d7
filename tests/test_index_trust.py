"""The index is trusted only when it is the user's own and as it was written."""

from __future__ import annotations

import marshal
import os
import sqlite3
import stat
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from chrono.core.model import Event
from chrono.storage import index, store
from chrono.storage.fingerprint import fingerprint
from chrono.storage.index import seal, trust
from tests.conftest import BUNDLED, Run, cache

PUTIN = ("list", "-a", "Putin", "--format", "ids")
FIRST = "2025-miami-consultations"  # the bundled log's first event (row 1 of its index)


def _log(tmp_path: Path) -> Path:
    log = tmp_path / "events.toml"
    log.write_bytes(BUNDLED.read_bytes())
    return log


def _answer(run: Run, log: Path, *args: str) -> tuple[int, str]:
    result = run(*args, "-f", str(log))
    return result.exit_code, result.stdout


def _plain(run: Run, log: Path, *args: str) -> tuple[int, str]:
    result = run("--no-cache", *args, "-f", str(log))
    return result.exit_code, result.stdout


def _intact(log: Path) -> bool:
    found = index.Index.open(log, cache().folder, fingerprint(log))
    if found is None:
        return False
    found.close()
    return True


def _forge(log: Path, folder: Path) -> None:
    """Index the log as if it held one more event, ``forged`` (what another user could do)."""
    chronology, fp, newlines = store.load_for_index(log)
    assert fp is not None
    first = chronology.events[0]
    fake = Event("forged", first.date, "A meeting that never was", start=first.start,
                 stop=first.stop, actors=first.actors)  # fmt: skip
    forged = type(chronology)(
        chronology.path, chronology.timezone, chronology.tz, chronology.registry,
        (*chronology.events, fake),
    )  # fmt: skip
    assert index.build(log, folder, fp, forged, newlines, strict=True)


# -- 5. whose the cache is -------------------------------------------------------------------


def test_a_cache_folder_others_may_write_to_is_not_used(run: Run, tmp_path: Path) -> None:
    """An index in a folder writable by others is never read, and the user is told once why."""
    log = _log(tmp_path)
    folder = cache().folder
    _forge(log, folder)
    assert "A meeting that never was" in run("show", "forged", "-f", str(log)).stdout  # ours
    folder.chmod(0o777)
    result = run("show", "forged", "-f", str(log))
    assert result.exit_code != 0 and "never was" not in result.stdout
    assert result.stderr.count("not using the index") == 1
    assert f"the cache folder {folder} is writable by others (mode 0777)" in result.stderr
    index.index_path(log, folder).unlink()
    assert _answer(run, log, *PUTIN) == _plain(run, log, *PUTIN)
    assert not index.index_path(log, folder).exists()  # nor is one written there


def test_a_cache_folder_of_another_user_is_not_used(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache folder owned by someone else is neither read nor written."""
    log = _log(tmp_path)
    folder = cache().folder
    _forge(log, folder)
    other = folder.stat().st_uid + 1
    monkeypatch.setattr(os, "getuid", lambda: other)
    result = run("show", "forged", "-f", str(log))
    assert result.exit_code != 0 and "never was" not in result.stdout
    assert "is owned by another user" in result.stderr
    with pytest.raises(trust.UntrustedFolder):
        trust.check_folder(folder)
    index.index_path(log, folder).unlink()
    assert _answer(run, log, *PUTIN) == _plain(run, log, *PUTIN)
    assert not index.index_path(log, folder).exists()


def test_an_index_open_to_others_is_not_read_but_replaced(run: Run, tmp_path: Path) -> None:
    """An index file readable by others (0644) is not read; it is rebuilt private, then used."""
    log = _log(tmp_path)
    folder = cache().folder
    _forge(log, folder)
    target = index.index_path(log, folder)
    target.chmod(0o644)
    result = run("show", "forged", "-f", str(log))
    assert result.exit_code != 0 and "never was" not in result.stdout
    assert f"the index {target} is open to others (mode 0644)" in result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # rebuilt from the log, private
    again = run(*PUTIN, "-f", str(log))
    assert (again.exit_code, again.stderr) == (0, "") and _intact(log)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_an_index_of_another_user_is_not_read(run: Run, tmp_path: Path) -> None:
    """An index file owned by someone else, even in the user's own folder, is not read."""
    log = _log(tmp_path)
    _forge(log, cache().folder)
    target = index.index_path(log, cache().folder)
    os.chown(target, 4242, -1)
    result = run("show", "forged", "-f", str(log))
    assert result.exit_code != 0 and "owned by another user (uid 4242)" in result.stderr
    assert target.stat().st_uid == os.getuid()  # replaced by the user's own


def test_an_index_that_is_a_symlink_is_not_followed(run: Run, tmp_path: Path) -> None:
    """A symlink where the index belongs is never followed, however good what it points to."""
    log = _log(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    _forge(log, elsewhere)
    target = index.index_path(log, cache().folder)
    target.symlink_to(index.index_path(log, elsewhere))
    with pytest.raises(trust.Untrusted):
        trust.open_private(target)
    result = run("show", "forged", "-f", str(log))
    assert result.exit_code != 0 and "is a symbolic link" in result.stderr
    assert not target.is_symlink() and _intact(log)  # replaced by an index of the log


def test_a_private_folder_and_index_are_trusted(tmp_path: Path) -> None:
    """The user's own 0700 folder and 0600 file pass; a missing file or a directory is no
    matter of trust (None)."""
    folder = tmp_path / "mine"
    folder.mkdir(mode=0o700)
    assert trust.check_folder(folder) and not trust.check_folder(tmp_path / "missing")
    target = folder / "x.sqlite"
    assert trust.open_private(target) is None
    target.mkdir()
    assert trust.open_private(target) is None
    target.rmdir()
    target.write_bytes(b"")
    target.chmod(0o600)
    assert trust.open_private(target) is not None
    for mode in (0o640, 0o604, 0o660):
        target.chmod(mode)
        with pytest.raises(trust.Untrusted):
            trust.open_private(target)
    for mode in (0o720, 0o702):
        folder.chmod(mode)
        with pytest.raises(trust.UntrustedFolder):
            trust.check_folder(folder)


def test_what_chrono_writes_is_private_whatever_the_umask(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache folder chrono makes is 0700; the index and its temporary file are 0600."""
    folder = tmp_path / "fresh" / "chrono"
    monkeypatch.setenv("CHRONO_CACHE_DIR", str(folder))
    seen: list[int] = []
    real_replace = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        seen.append(stat.S_IMODE(Path(src).stat().st_mode))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    old = os.umask(0)
    try:
        assert run(*PUTIN, "-f", str(_log(tmp_path))).exit_code == 0
    finally:
        os.umask(old)
    assert seen == [0o600]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()] == [0o600]


# -- 6. a damaged index ----------------------------------------------------------------------


def _sql(*statements: str) -> Callable[[Path], None]:
    def damage(target: Path) -> None:
        db = sqlite3.connect(target, isolation_level=None)
        try:
            for statement in statements:
                db.execute(statement)
        finally:
            db.close()

    return damage


def _typed(statement: str) -> Callable[[Path], None]:
    """A value of the wrong type written into a column: where SQLite has STRICT tables it
    refuses the write, and the index stays as written."""

    def damage(target: Path) -> None:
        try:
            _sql(statement)(target)
        except sqlite3.IntegrityError:
            assert sqlite3.sqlite_version_info >= (3, 37)

    return damage


def _blob(target: Path, data: bytes) -> None:
    """Give the first event these bytes, with their right CRC: only the type checks can tell."""
    db = sqlite3.connect(target, isolation_level=None)
    try:
        db.execute(
            "UPDATE events SET data = ?, data_check = ? WHERE n = 1", (data, zlib.crc32(data))
        )
    finally:
        db.close()


def _crafted(target: Path) -> None:
    """A blob of the wrong shape."""
    _blob(target, marshal.dumps((1, 2, 3)))


def _code(target: Path) -> None:
    """A code object where an event's title was."""
    row = sqlite3.connect(target).execute("SELECT data FROM events WHERE n = 1").fetchone()
    fields = list(marshal.loads(row[0]))  # noqa: S302 - the index this test just built
    fields[3] = compile("1", "x", "eval")
    _blob(target, marshal.dumps(tuple(fields)))


def _flipped(target: Path) -> None:
    """One letter of an event's title changed: still good marshal, but not what was written."""
    db = sqlite3.connect(target, isolation_level=None)
    try:
        data = db.execute("SELECT data FROM events WHERE n = 1").fetchone()[0]
        at = data.index(b"Miami")
        changed = data[:at] + b"Niami" + data[at + 5 :]
        db.execute("UPDATE events SET data = ? WHERE n = 1", (changed,))
    finally:
        db.close()


def _truncate(target: Path) -> None:
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])


def _foreign(target: Path) -> None:
    target.unlink()
    _sql("CREATE TABLE notes (x)", "INSERT INTO notes VALUES (1)")(target)
    target.chmod(0o600)


def _directory(target: Path) -> None:
    target.unlink()
    target.mkdir()


def _garble(target: Path) -> None:
    """Flip bytes in the middle of the file, as a failing disk would."""
    data = bytearray(target.read_bytes())
    for i in range(len(data) // 3, len(data) // 3 + 64):
        data[i] ^= 0x5A
    target.write_bytes(bytes(data))


DAMAGE: dict[str, Callable[[Path], None]] = {
    "a garbled event blob": _sql("UPDATE events SET data = substr(data, 1, 20) WHERE n = 1"),
    "a letter of a title changed": _flipped,
    "an event blob of the wrong shape": _crafted,
    "a code object in an event": _code,
    "a deleted event row": _sql("DELETE FROM events WHERE n = 3"),
    "a deleted actor row of an event": _sql(
        "DELETE FROM event_actors WHERE rowid = (SELECT min(rowid) FROM event_actors "
        "WHERE actor = 'putin')"
    ),
    "a deleted actor": _sql("DELETE FROM actors WHERE key = 'putin'"),
    "a dropped table": _sql("DROP TABLE events"),
    "a dropped link table": _sql("DROP TABLE event_tags"),
    "a dropped index": _sql("DROP INDEX events_order"),
    "a truncated file": _truncate,
    "garbled pages": _garble,
    "a meta row changed": _sql("UPDATE meta SET value = 'UTC' WHERE key = 'timezone'"),
    "a meta row added": _sql("INSERT INTO meta VALUES ('extra', 1)"),
    "an extra event row": _sql(
        "INSERT INTO events SELECT n + 1000, id || '-copy', start, precision, stop, kind, "
        "location, haystack, data, key_check, data_check, slot FROM events WHERE n = 1"
    ),
    "an extra actor row of an event": _sql("INSERT INTO event_actors VALUES (1, 'putin')"),
    "an actor row of an event changed": _sql(
        "UPDATE event_actors SET actor = 'putin' WHERE rowid = "
        "(SELECT min(rowid) FROM event_actors WHERE actor != 'putin')"
    ),
    "an actor row moved to another event": _sql(
        "UPDATE event_actors SET n = 1 WHERE rowid = "
        "(SELECT max(rowid) FROM event_actors WHERE actor = 'putin')"
    ),
    "a tag row changed": _sql("UPDATE event_tags SET tag = 'ukraine' WHERE tag != 'ukraine'"),
    "a place changed": _sql("UPDATE events SET location = 'kremlin' WHERE n = 1"),
    "an id changed": _sql("UPDATE events SET id = 'forged' WHERE n = 1"),  # FIRST's row
    "a start changed": _sql("UPDATE events SET start = start + 1 WHERE n = 2"),
    "a text where a number was": _typed("UPDATE events SET start = 'soon' WHERE n = 2"),
    "a number where a blob was": _typed("UPDATE events SET data = 42 WHERE n = 2"),
    "a number where a text was": _typed("UPDATE actors SET data = 7 WHERE key = 'putin'"),
    "a text where a link's number was": _typed("UPDATE event_actors SET n = 'x' WHERE rowid = 1"),
    "a foreign SQLite file": _foreign,
    "a zero-byte file": lambda target: target.write_bytes(b""),
    "a directory in its place": _directory,
}
COMMANDS = [
    ("list", "--format", "ids"),
    PUTIN,
    ("list", "--format", "json"),
    ("show", FIRST, "--format", "json"),
    ("actors", "--format", "json"),
    ("export", "json"),
    ("list", "-s", "kremlin", "--format", "ids"),
    ("list", "-t", "ukraine", "--format", "ids"),
    ("list", "--on", "2025-02", "--format", "ids"),
    ("list", "-l", "kremlin", "--format", "json"),
]


CASES = [(damage, args) for damage in DAMAGE for args in COMMANDS]


@pytest.mark.parametrize(("damage", "args"), CASES, ids=[f"{d}: {' '.join(a)}" for d, a in CASES])
def test_a_damaged_index_gives_the_answer_of_the_log(
    run: Run, tmp_path: Path, damage: str, args: tuple[str, ...]
) -> None:
    """Whatever the damage, the command exits 0 with the log's answer, and the index is rebuilt."""
    log = _log(tmp_path)
    expected = _plain(run, log, *args)
    assert expected[0] == 0
    assert _answer(run, log, "list", "--format", "ids")[0] == 0 and _intact(log)
    DAMAGE[damage](index.index_path(log, cache().folder))
    result = run(*args, "-f", str(log))
    assert (result.exit_code, result.stdout) == expected, result.output
    assert result.stderr == ""
    if damage != "a directory in its place":  # what is not a file is left for the user
        assert _intact(log)  # the damaged index was dropped and built anew


def test_an_add_through_a_damaged_index_is_right(run: Run, tmp_path: Path) -> None:
    """An add that plans on a damaged index answers and writes as on the log itself."""
    log = _log(tmp_path)
    run(*PUTIN, "-f", str(log))
    _sql("UPDATE events SET data = substr(data, 1, 9)")(index.index_path(log, cache().folder))
    added = run("add", "-f", str(log), "Talks", "--date", "2025-02-11", "-a", "Putin")
    assert added.exit_code == 0, added.output  # the events of that day were read to compare
    assert "2025-02-11-talks" in [e.id for e in store.load(log).events]
    every = ("list", "--format", "json")
    assert _answer(run, log, *every) == _plain(run, log, *every)


def test_the_seal_sees_each_part(tmp_path: Path) -> None:
    """The seal holds the meta rows, the schema and every table's count; a row its CRCs."""
    log = _log(tmp_path)
    chronology, fp, newlines = store.load_for_index(log)
    assert fp is not None
    assert index.build(log, tmp_path / "c", fp, chronology, newlines, strict=True)
    db = sqlite3.connect(index.index_path(log, tmp_path / "c"))
    meta = dict(db.execute("SELECT key, value FROM meta"))
    seal.verify(db, meta)
    for broken in ({**meta, "size": 1}, {**meta, "schema": "x"}, {**meta, "counts": "1 2"}):
        broken["seal"] = seal.seal_of(broken) if broken.get("size") != 1 else meta["seal"]
        with pytest.raises(seal.Damaged):
            seal.verify(db, broken)
    assert meta["counts"].split()[0] == str(len(chronology.events)) == meta["counts"].split()[-1]
    row = db.execute("SELECT n, id, start, precision, stop, key_check FROM events").fetchone()
    seal.checked_key(row)
    for i in range(5):
        changed = list(row)
        changed[i] = str(changed[i]) if i != 1 else changed[i] + "x"
        with pytest.raises(seal.Damaged):
            seal.checked_key(tuple(changed))
    with pytest.raises(seal.Damaged):
        seal.checked_blob(b"x", zlib.crc32(b"y"))
    seal.checked_links(db, "actor", ["putin", "witkoff", "nobody"])
    seal.checked_links(db, "tag", ["ukraine"])
    db.execute("UPDATE event_actors SET n = n + 1 WHERE rowid = 1")  # the same count, moved
    actor = db.execute("SELECT actor FROM event_actors WHERE rowid = 1").fetchone()[0]
    with pytest.raises(seal.Damaged):
        seal.checked_links(db, "actor", [actor])
    db.close()


# -- 7. a writer killed mid-change -------------------------------------------------------------


def _killed_mid_write(target: Path) -> None:
    """A writer killed inside a transaction that had begun to write the file: a hot journal."""
    pid = os.fork()
    if pid == 0:  # the child: change every page it can, then die without committing
        try:
            db = sqlite3.connect(target, isolation_level=None)
            db.execute("PRAGMA cache_size = 1")  # pages spill into the file before the commit
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE events SET haystack = haystack || 'x', location = 'nowhere'")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _hot(run: Run, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A log, its index, and the hot journal a writer killed mid-change left beside it."""
    log = _log(tmp_path)
    run(*PUTIN, "-f", str(log))
    target = index.index_path(log, cache().folder)
    _killed_mid_write(target)
    journal = target.with_name(target.name + "-journal")
    assert journal.stat().st_size > 0
    return log, target, journal


def test_a_writer_killed_mid_change_leaves_a_journal_that_is_rolled_back(
    run: Run, tmp_path: Path
) -> None:
    """SQLite's hot journal is rolled back: the index answers again, and the journal is gone."""
    log, target, journal = _hot(run, tmp_path)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):  # what a reader met
        sqlite3.connect(f"file:{target}?mode=ro", uri=True).execute("SELECT * FROM meta")
    inode = target.stat().st_ino
    assert _answer(run, log, "list", "-l", "nowhere") == _plain(run, log, "list", "-l", "nowhere")
    assert not journal.exists() and target.stat().st_ino == inode  # recovered, not rebuilt
    assert _intact(log)


def test_a_journal_that_cannot_be_rolled_back_is_dropped_with_its_index(
    run: Run, tmp_path: Path
) -> None:
    """A journal SQLite cannot use: the log answers, and a fresh index replaces both."""
    log, target, journal = _hot(run, tmp_path)
    _truncate(target)  # the file the journal would restore is cut short as well
    assert _answer(run, log, *PUTIN) == _plain(run, log, *PUTIN)
    assert _intact(log) and not journal.exists()


def test_a_journal_left_without_its_index_never_reaches_a_new_one(run: Run, tmp_path: Path) -> None:
    """A fresh index never takes its place beside a journal a killed writer left."""
    log, target, journal = _hot(run, tmp_path)
    target.unlink()  # the journal alone is left: rolled into a new index, it would damage it
    assert _answer(run, log, *PUTIN) == _plain(run, log, *PUTIN)  # parsed, and rebuilt
    assert not journal.exists() and _intact(log)


def test_cache_clear_removes_what_chrono_and_sqlite_left_and_nothing_else(
    run: Run, tmp_path: Path
) -> None:
    """clear takes the index, its -journal/-wal/-shm and killed builders' temporary files."""
    log, target, _ = _hot(run, tmp_path)
    folder = cache().folder
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)  # a process that is gone: its temporary file is an orphan
    left = [target.with_name(target.name + s) for s in ("-wal", "-shm")]
    left.append(folder / f".{target.name}.{pid}.tmp")
    live = folder / f".{target.name}.{os.getpid()}.tmp"  # a build at work
    other_log = index.index_path(tmp_path / "other.toml", folder)
    keep = [folder / "notes.txt", folder / "x.sqlite", folder / f"{target.name}.bak", live]
    for path in [*left, *keep, other_log]:
        path.write_bytes(b"")
    result = run("cache", "clear", "-f", str(log))
    assert (result.exit_code, result.stderr) == (
        0,
        "chrono: removed 1 index and 4 leftover files\n",
    )
    assert sorted(folder.iterdir()) == sorted([*keep, other_log])
    result = run("cache", "clear", "--all")
    assert (result.exit_code, result.stderr) == (0, "chrono: removed 1 index\n")
    assert sorted(folder.iterdir()) == sorted(keep)


def _sealed(target: Path) -> tuple[dict[str, object], list[tuple[object, ...]]]:
    db = sqlite3.connect(target)
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        seal.verify(db, meta)
        return meta, db.execute("SELECT * FROM link_sums ORDER BY link, value").fetchall()
    finally:
        db.close()


def test_an_append_in_place_seals_what_a_fresh_build_would(run: Run, tmp_path: Path) -> None:
    """After adds through the index, its counts and link sums are those of a fresh build."""
    log = _log(tmp_path)
    run(*PUTIN, "-f", str(log))
    target = index.index_path(log, cache().folder)
    inode = target.stat().st_ino
    for title, actors in (
        ("Talks", ("-a", "Putin", "-a", "Newcomer", "--new-actor")),
        ("More", ("-t", "new")),
    ):
        added = run("add", "-f", str(log), title, "--date", "2026-02-01", *actors, "-t", "x")
        assert added.exit_code == 0, added.output
    assert target.stat().st_ino == inode  # appended in place
    meta, sums = _sealed(target)
    db = sqlite3.connect(target)
    for link in ("actor", "tag"):  # each sum is of the numbers the appended rows hold
        seal.checked_links(db, link, [value for kind, value, *_ in sums if kind == link])
    db.close()
    target.unlink()
    run(*PUTIN, "-f", str(log))
    fresh, fresh_sums = _sealed(target)  # numbered afresh in order: the same rows per value
    assert meta["counts"] == fresh["counts"]
    assert [row[:3] for row in sums] == [row[:3] for row in fresh_sums]


def test_an_append_does_not_seal_over_damage(run: Run, tmp_path: Path) -> None:
    """A link row changed before an add in place is still seen after it."""
    log = _log(tmp_path)
    run(*PUTIN, "-f", str(log))
    target = index.index_path(log, cache().folder)
    inode = target.stat().st_ino
    DAMAGE["an actor row of an event changed"](target)  # to putin: no count changes
    assert run("add", "-f", str(log), "Talks", "--date", "2026-02-01", "-a", "Putin").exit_code == 0
    assert target.stat().st_ino == inode  # appended in place
    db = sqlite3.connect(target)
    try:
        with pytest.raises(seal.Damaged):
            seal.checked_links(db, "actor", ["putin"])
    finally:
        db.close()
    assert _answer(run, log, *PUTIN) == _plain(run, log, *PUTIN)


def test_only_a_file_chrono_wrote_for_this_schema_is_opened(run: Run, tmp_path: Path) -> None:
    """Another application's id or another schema version in the header: not opened."""
    log = _log(tmp_path)
    run(*PUTIN, "-f", str(log))
    target = index.index_path(log, cache().folder)
    for pragma in ("application_id = 1", "user_version = 1"):
        good = target.read_bytes()
        _sql(f"PRAGMA {pragma}")(target)
        assert not _intact(log)
        target.write_bytes(good)
        assert _intact(log)


def test_a_damaged_index_deletes_itself_but_never_a_newer_one(run: Run, tmp_path: Path) -> None:
    """Giving way deletes the file the index opened, not one a builder put in its place."""
    log = _log(tmp_path)
    run(*PUTIN, "-f", str(log))
    target = index.index_path(log, cache().folder)
    for replaced in (False, True):
        found = index.Index.open(log, cache().folder, fingerprint(log))
        assert found is not None
        if replaced:
            copy = target.with_name("copy")
            copy.write_bytes(target.read_bytes())
            copy.chmod(0o600)
            copy.replace(target)
        found.give_way()
        assert target.exists() == replaced
        assert found.ids() == sorted(e.id for e in store.load(log).events)  # from the log
        run(*PUTIN, "-f", str(log))


def test_an_id_changed_in_the_index_still_stops_an_add_of_that_id(run: Run, tmp_path: Path) -> None:
    """add --id of an id the log holds is refused even when the index row lost that id."""
    log = _log(tmp_path)
    args = ("add", "Again", "--date", "2026-02-01", "--id", FIRST)
    expected = run("--no-cache", *args, "-f", str(log))
    assert expected.exit_code != 0
    run(*PUTIN, "-f", str(log))
    DAMAGE["an id changed"](index.index_path(log, cache().folder))
    result = run(*args, "-f", str(log))
    assert (result.exit_code, result.stderr) == (expected.exit_code, expected.stderr)
    assert log.read_bytes() == BUNDLED.read_bytes()
