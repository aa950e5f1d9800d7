"""The merge driver with real git: merge, rebase, cherry-pick, pull and stash pop."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

START = """# Talks, kept by the team.
[chrono]
timezone = "UTC"

[actors.putin]
name = "Vladimir Putin"
aliases = ["Putin"]

[[events]]
id = "2026-01-01-start"
date = "2026-01-01"
title = "Start"
"""


NAME = "chrono: events merged by id, conflicts only where both sides changed one"
DRIVER = "chrono merge-driver --marker-size %L %O %A %B %P"


class Repo:
    """A git repository in a temporary folder, with chrono's driver set up."""

    def __init__(
        self, root: Path, run: Run, monkeypatch: pytest.MonkeyPatch, *, init: bool = True
    ) -> None:
        self.root, self.run, self.log = root, run, root / "events.toml"
        home = root.parent / "home"
        home.mkdir(exist_ok=True)
        bin_dir = str(Path(sys.executable).parent)
        for key, value in {
            "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "XDG_CONFIG_HOME": str(home / ".config"),
            "GIT_AUTHOR_NAME": "Ana", "GIT_AUTHOR_EMAIL": "ana@example.org",
            "GIT_COMMITTER_NAME": "Ana", "GIT_COMMITTER_EMAIL": "ana@example.org",
            "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        }.items():  # fmt: skip
            monkeypatch.setenv(key, value)
        root.mkdir(exist_ok=True)
        if init:
            self.git("init", "-q", "-b", "main")

    def git(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=False
        )
        assert not ok or done.returncode == 0, done.stdout + done.stderr
        return done

    def start(self, text: str = START, *, newline: str = "\n") -> None:
        self.log.write_bytes(text.replace("\n", newline).encode())
        setup = self.run("git", "setup", "-f", str(self.log))
        assert setup.exit_code == 0, setup.output
        self.git("add", "-A")
        self.git("commit", "-qm", "start")

    def add(self, title: str, date: str, *args: str) -> str:
        done = self.run("add", title, "--date", date, "-f", str(self.log), *args)
        assert done.exit_code == 0, done.output
        return done.stdout.strip()

    def commit(self, message: str) -> None:
        self.git("commit", "-qam", message)

    def ids(self) -> list[str]:
        return [e["id"] for e in tomllib.loads(self.log.read_text(encoding="utf-8"))["events"]]


@pytest.fixture
def repo(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> Repo:
    return Repo(tmp_path / "repo", run, monkeypatch)


def branches(repo: Repo, ours: int, theirs: int) -> tuple[list[str], list[str]]:
    """Two branches from the start: `feature` adding ``theirs`` events, main ``ours``."""
    repo.git("checkout", "-qb", "feature")
    added_theirs = [
        repo.add(f"Theirs {n}", f"2026-03-{n % 28 + 1:02d}", "-a", "Putin") for n in range(theirs)
    ]
    repo.commit("theirs")
    repo.git("checkout", "-q", "main")
    added_ours = [repo.add(f"Ours {n}", f"2026-02-{n % 28 + 1:02d}") for n in range(ours)]
    repo.commit("ours")
    return added_ours, added_theirs


@pytest.mark.parametrize(("ours", "theirs"), [(1, 1), (3, 7), (50, 1), (1, 50)])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_git_merge_keeps_every_event_of_both_branches_once(
    repo: Repo, ours: int, theirs: int, newline: str
) -> None:
    """`git merge` of two branches that each appended events keeps them all, ours first."""
    repo.start(newline=newline)
    added_ours, added_theirs = branches(repo, ours, theirs)
    done = repo.git("merge", "-q", "feature", "-m", "merge")
    assert "CONFLICT" not in done.stdout
    assert repo.ids() == ["2026-01-01-start", *added_ours, *added_theirs]
    data = repo.log.read_bytes()
    assert data.startswith(START.replace("\n", newline).encode())
    assert data.count(b"\n") == data.count(b"\r\n") if newline == "\r\n" else b"\r" not in data
    assert repo.git("status", "--porcelain").stdout == ""
    assert repo.run("check", "-f", str(repo.log)).exit_code == 0


def test_union_merging_would_have_broken_the_log(repo: Repo) -> None:
    """Without the driver the same histories conflict at the end of the file."""
    repo.start()
    (repo.root / ".gitattributes").write_text("")
    repo.git("commit", "-qam", "no driver")
    branches(repo, 1, 1)
    assert repo.git("merge", "feature", "-m", "merge", ok=False).returncode == 1


def test_rebase_cherry_pick_pull_and_stash_pop_use_the_driver(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every git command that merges the log merges it by event."""
    repo.start()
    added_ours, added_theirs = branches(repo, 2, 2)
    repo.git("checkout", "-qb", "rebased", "feature")
    repo.git("rebase", "-q", "main")
    assert repo.ids() == ["2026-01-01-start", *added_ours, *added_theirs]
    repo.git("checkout", "-q", "main")
    repo.git("cherry-pick", "feature")
    assert repo.ids() == ["2026-01-01-start", *added_ours, *added_theirs]
    repo.git("reset", "-q", "--hard", "HEAD~1")
    clone = Repo(tmp_path / "clone", repo.run, monkeypatch, init=False)
    clone.git("clone", "-q", str(repo.root), ".")
    assert clone.run("git", "setup", "-f", str(clone.log)).exit_code == 0
    clone.git("checkout", "-q", "feature")
    clone.git("checkout", "-q", "main")
    mine = clone.add("Clone's own", "2026-04-01")
    clone.commit("mine")
    repo.add("Upstream's own", "2026-04-02")
    repo.commit("upstream")
    clone.git("pull", "-q", "--no-rebase", "origin", "main")
    assert clone.ids()[-2:] == [mine, "2026-04-02-upstream-s-own"]
    stashed = clone.add("Stashed", "2026-04-03")
    clone.git("stash", "-q")
    clone.git("merge", "-q", "origin/feature", "-m", "merge")
    clone.git("stash", "pop", "-q")
    assert clone.ids()[-1] == stashed and set(added_theirs) <= set(clone.ids())


def test_a_conflict_is_left_on_that_event_and_check_names_it(repo: Repo) -> None:
    """Both branches retitling one event leave a conflict on it alone; the rest merges."""
    repo.start()
    repo.git("checkout", "-qb", "feature")
    assert (
        repo.run(
            "set", "2026-01-01-start", "--title", "Start, theirs", "-f", str(repo.log)
        ).exit_code
        == 0
    )
    theirs = repo.add("Theirs", "2026-03-01")
    repo.commit("theirs")
    repo.git("checkout", "-q", "main")
    assert (
        repo.run("set", "2026-01-01-start", "--title", "Start, ours", "-f", str(repo.log)).exit_code
        == 0
    )
    repo.commit("ours")
    done = repo.git("merge", "feature", "-m", "merge", ok=False)
    assert done.returncode == 1
    assert (
        "events.toml:9: a conflict on the event '2026-01-01-start': both sides changed it"
        in done.stderr
    )
    assert repo.git("status", "--porcelain").stdout == "UU events.toml\n"
    text = repo.log.read_text(encoding="utf-8")
    assert text.count("<<<<<<< ours\n") == 1 and text.count(">>>>>>> theirs\n") == 1
    assert f'id = "{theirs}"' in text
    checked = repo.run("check", "-f", str(repo.log))
    assert checked.exit_code == 1
    assert "2026-01-01-start" in checked.output and ":9:" in checked.output


def test_three_branches_merge_into_one(repo: Repo) -> None:
    """Three branches, each adding and one removing an event, merge to all of them once."""
    repo.start()
    made: dict[str, list[str]] = {}
    for branch in ("a", "b", "c"):
        repo.git("checkout", "-q", "-b", branch, "main")
        made[branch] = [repo.add(f"{branch} {n}", f"2026-05-{n + 1:02d}") for n in range(3)]
        repo.commit(branch)
    repo.git("checkout", "-q", "c")
    assert repo.run("rm", made["c"][0], "--yes", "-f", str(repo.log)).exit_code == 0
    repo.commit("c removes one")
    repo.git("checkout", "-q", "main")
    for branch in ("a", "b", "c"):
        repo.git("merge", "-q", branch, "-m", f"merge {branch}")
    assert repo.ids() == ["2026-01-01-start", *made["a"], *made["b"], *made["c"][1:]]


def test_setup_is_idempotent_and_says_what_it_wrote(repo: Repo) -> None:
    """`chrono git setup` writes the attribute and the settings once, and says so."""
    repo.log.write_text(START, encoding="utf-8")
    first = repo.run("git", "setup", "-f", str(repo.log))
    assert first.stdout.splitlines() == [
        f"{repo.root / '.gitattributes'}: /events.toml merge=chrono  (wrote)",
        f"git config --local: merge.chrono.name = {NAME}  (wrote)",
        f"git config --local: merge.chrono.driver = {DRIVER}  (wrote)",
    ]
    again = repo.run("git", "setup", "-f", str(repo.log))
    assert again.stdout.count("(already there)") == 3
    assert (repo.root / ".gitattributes").read_text() == "/events.toml merge=chrono\n"
    assert repo.git("config", "--get", "merge.chrono.driver").stdout.startswith(
        "chrono merge-driver"
    )


def test_setup_of_a_log_in_a_subfolder_keeps_other_attributes(repo: Repo) -> None:
    """A log in a subfolder gets its own anchored line after the attributes already there."""
    (repo.root / "notes").mkdir()
    log = repo.root / "notes" / "my events.toml"
    log.write_text(START, encoding="utf-8")
    (repo.root / ".gitattributes").write_bytes(b"*.png binary")
    assert repo.run("git", "setup", "-f", str(log)).exit_code == 0
    assert (
        repo.root / ".gitattributes"
    ).read_bytes() == b'*.png binary\n"/notes/my events.toml" merge=chrono\n'
    assert repo.git("check-attr", "merge", "--", "notes/my events.toml").stdout.endswith(
        "merge: chrono\n"
    )


def test_setup_global_writes_the_user_config(repo: Repo) -> None:
    """--global sets the driver in the user's config and the log's name in their attributes."""
    repo.log.write_text(START, encoding="utf-8")
    assert repo.run("git", "setup", "--global", "-f", str(repo.log)).exit_code == 0
    home = Path(os.environ["HOME"])
    assert (home / ".config" / "git" / "attributes").read_text() == "events.toml merge=chrono\n"
    assert "merge-driver" in repo.git("config", "--global", "--get", "merge.chrono.driver").stdout
    assert repo.git("config", "--local", "--get", "merge.chrono.driver", ok=False).returncode == 1


def test_setup_outside_a_repository_says_so(
    run: Run, write_log: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`git setup` for a log in no repository fails with git's answer, exit 1."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    log = write_log(START)
    done = run("git", "setup", "-f", str(log))
    assert (done.exit_code, done.stderr) == (
        1,
        f"chrono: error: {tmp_path}: not in a git repository\n",
    )


def test_the_driver_falls_back_to_git_line_merge_for_a_broken_side(repo: Repo) -> None:
    """A branch whose log does not read as TOML is merged by git's lines, and said."""
    repo.start()
    repo.git("checkout", "-qb", "feature")
    repo.log.write_text(START.replace('title = "Start"', 'title = "Start'), encoding="utf-8")
    repo.commit("broken")
    repo.git("checkout", "-q", "main")
    repo.add("Ours", "2026-02-01")
    repo.commit("ours")
    done = repo.git("merge", "feature", "-m", "merge", ok=False)
    assert "not merged by event" in done.stderr and "git's line merge used" in done.stderr


def test_the_readme_s_manual_setup_works(repo: Repo) -> None:
    """The README's three lines that set the driver up by hand make merges by event."""
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("git config merge.chrono.name", 1)[1].split("```", 1)[0]
    repo.log.write_text(START, encoding="utf-8")
    for line in ("git config merge.chrono.name" + block).strip().splitlines():
        subprocess.run(["sh", "-c", line], cwd=repo.root, check=True)
    repo.git("add", "-A")
    repo.git("commit", "-qm", "start")
    added_ours, added_theirs = branches(repo, 2, 2)
    repo.git("merge", "-q", "feature", "-m", "merge")
    assert repo.ids() == ["2026-01-01-start", *added_ours, *added_theirs]


def test_the_driver_names_a_version_it_cannot_read(run: Run, tmp_path: Path) -> None:
    """A missing version is one message naming it, exit 1 (git then leaves ours)."""
    ours = tmp_path / "ours.toml"
    ours.write_text(START, encoding="utf-8")
    done = run("merge-driver", str(tmp_path / "gone.toml"), str(ours), str(ours), "events.toml")
    assert (done.exit_code, done.stderr) == (1, f"{tmp_path / 'gone.toml'}: error: no such file\n")
    assert ours.read_text(encoding="utf-8") == START


def test_the_driver_writes_the_merge_over_ours_and_says_each_conflict(
    run: Run, tmp_path: Path
) -> None:
    """The driver's files: ours replaced by the merge, a conflict said with its line."""
    paths = [tmp_path / f"{name}.toml" for name in ("base", "ours", "theirs")]
    paths[0].write_text(START, encoding="utf-8")
    paths[1].write_text(START.replace('title = "Start"', 'title = "Ours\\u202e"'), encoding="utf-8")
    paths[2].write_text(START.replace('title = "Start"', 'title = "Theirs"'), encoding="utf-8")
    done = run("merge-driver", *map(str, paths), "notes/events.toml", "--marker-size", "9")
    assert done.exit_code == 1
    assert done.stderr == (
        "chrono: notes/events.toml:9: a conflict on the event '2026-01-01-start': "
        "both sides changed it\n"
    )
    text = paths[1].read_text(encoding="utf-8")
    assert text.startswith(
        START.split("[[events]]", maxsplit=1)[0] + "<<<<<<<<< ours\n[[events]]\n"
    )
    same = run("merge-driver", str(paths[0]), str(paths[2]), str(paths[2]))
    assert (same.exit_code, same.stderr) == (0, "")
