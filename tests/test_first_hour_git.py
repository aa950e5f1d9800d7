"""A log kept in git: after any chrono command, `git status` shows only what the user changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chrono.storage import journal, locking
from tests.faults import beside, crash_journal

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "CHRONO_PAGER": "", "CHRONO_INDEX_SYNC": "1", "HOME": str(cwd)}  # fmt: skip
    if args[0] == "chrono":
        args = (sys.executable, "-m", "chrono", *args[1:])
    return subprocess.run(
        args, check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def _status(folder: Path) -> str:
    return _run("git", "status", "--porcelain", "--untracked-files=all", cwd=folder).stdout


def test_git_status_shows_only_what_the_user_changed(tmp_path: Path) -> None:
    """init, add, list, check and a crash's recovery leave no file git would show: the lock
    and the journal live in `.chrono/`, which git is told to ignore from inside it."""
    _run("git", "init", "-q", cwd=tmp_path)
    assert _run("chrono", "init", cwd=tmp_path).returncode == 0
    assert _status(tmp_path) == "?? events.toml\n"
    _run("git", "add", "events.toml", cwd=tmp_path)
    commit = ("git", "-c", "user.name=A", "-c", "user.email=a@b", "commit", "-qm", "log")
    assert _run(*commit, cwd=tmp_path).returncode == 0
    added = _run("chrono", "add", "Talks", "--date", "2026-01-02", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert (tmp_path / ".chrono" / "events.toml.lock").is_file()  # there, but not shown
    for command in (("list",), ("check",), ("actors",), ("show", "2026-01-02-talks")):
        assert _run("chrono", *command, cwd=tmp_path).returncode == 0, command
    assert _status(tmp_path) == " M events.toml\n"
    ignored = _run("git", "check-ignore", "-v", ".chrono/events.toml.lock", cwd=tmp_path)
    assert ignored.stdout.startswith(".chrono/.gitignore:2:*\t")


def test_the_folder_tells_git_to_ignore_it(tmp_path: Path) -> None:
    """The folder is made once, with a `.gitignore` of `*`; one already there is kept."""
    log = tmp_path / "events.toml"
    log.write_text("")
    locking.make_state_folder(log, "events.toml")
    ignore = tmp_path / ".chrono" / ".gitignore"
    assert ignore.read_bytes() == b"# chrono's lock and journal: git ignores this folder\n*\n"
    ignore.write_text("mine\n")
    locking.make_state_folder(log, "events.toml")
    assert ignore.read_text() == "mine\n"
    assert locking.lock_path(log) == tmp_path / ".chrono" / "events.toml.lock"
    assert journal.journal_path(log) == tmp_path / ".chrono" / "events.toml.append"


@pytest.mark.parametrize("what", ["symlink", "file", "fifo"])
def test_something_else_named_like_the_folder_is_refused(tmp_path: Path, what: str) -> None:
    """A symbolic link, a file or a pipe named `.chrono`: add refuses in one line and writes
    nothing (never through the link); list still answers."""
    log = tmp_path / "events.toml"
    log.write_text('[[events]]\nid = "a"\ndate = "2024"\ntitle = "A"\n')
    folder, elsewhere = tmp_path / ".chrono", tmp_path / "elsewhere"
    elsewhere.mkdir()
    if what == "symlink":
        folder.symlink_to(elsewhere)
    elif what == "file":
        folder.write_text("x")
    else:
        os.mkfifo(folder)
    added = _run("chrono", "add", "B", "--date", "2025", cwd=tmp_path)
    assert added.returncode == 1
    assert added.stderr == (
        f"chrono: error: events.toml: {folder.name} is not a directory (a symbolic link, a file "
        "or a pipe): chrono keeps the log's lock there and will not use it; remove it; "
        "nothing written\n"
    ).replace(f" {folder.name} ", f" {folder} ")
    assert list(elsewhere.iterdir()) == []
    assert _run("chrono", "list", "--format", "ids", cwd=tmp_path).stdout == "a\n"


def test_a_journal_an_older_chrono_left_is_still_finished(tmp_path: Path) -> None:
    """A crash's journal at the old place, `.NAME.append` beside the log, is recovered."""
    log = tmp_path / "events.toml"
    old, new = b"", b'\n[[events]]\nid = "b"\ndate = "2025"\ntitle = "B"\n'
    log.write_bytes(b'[[events]]\nid = "a"\ndate = "2024"\ntitle = "A"\n')
    start = log.stat().st_size
    crash_journal(log, start, old, new).rename(tmp_path / ".events.toml.append")
    with log.open("ab") as torn:
        torn.write(new[:10])  # the crash cut the append short
    note = journal.settle(log)
    assert note is not None and "finished" in note
    assert log.read_bytes().endswith(new)
    assert not (tmp_path / ".events.toml.append").exists()
    assert not beside(log, "append").exists()
