"""`chrono check` before each commit: pre-commit's hook (`.pre-commit-hooks.yaml`) run by
pre-commit itself, and the plain `.git/hooks/pre-commit` script README.md gives, run by git."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_check_many import GOOD

CONFLICTED = f"""\
<<<<<<< ours
{GOOD}=======
{GOOD.replace("Talks in Moscow", "Talks in the Kremlin")}>>>>>>> theirs
"""
CONFLICT = (
    "events.toml:1:1: error: an unresolved merge conflict on the event 'talks' and the actor "
    "'putin' (lines 1-19): keep one side, delete the marker lines, then run chrono check"
)
# The README's plain .git/hooks/pre-commit script, as a user would copy it.
_README = (ROOT / "README.md").read_text(encoding="utf-8")
HOOK = "#!/bin/sh\n" + _README.split("```sh\n#!/bin/sh\n", 1)[1].split("```", 1)[0]
BIN = Path(sys.executable).parent  # where this environment's chrono is installed
needs_pre_commit = pytest.mark.skipif(
    importlib.util.find_spec("pre_commit") is None, reason="pre-commit is not installed"
)


def git_env(home: Path) -> dict[str, str]:
    """An environment for git with no user configuration and this chrono first on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "CHRONO_"))}
    return env | {
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
    }


def git(folder: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run git in folder; the finished process (its status not checked)."""
    return subprocess.run(
        ["git", *args], cwd=folder, env=env, capture_output=True, text=True, check=False
    )


def repository(folder: Path, env: dict[str, str], files: dict[str, str]) -> Path:
    """A new git repository in folder holding files (written, not yet added)."""
    folder.mkdir(parents=True)
    assert git(folder, env, "init", "-q", "-b", "main").returncode == 0
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """chrono's checkout as a repository of its own (its working tree, committed), and an
    environment for pre-commit with its own home, shared by this module's runs."""
    home = tmp_path_factory.mktemp("home")
    env = git_env(home) | {"PRE_COMMIT_HOME": str(home / "pre-commit")}
    checkout = home / "chrono"
    shutil.copytree(ROOT / "src", checkout / "src", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(ROOT / name, checkout / name)
    assert git(checkout, env, "init", "-q", "-b", "main").returncode == 0
    assert git(checkout, env, "add", ".").returncode == 0
    assert git(checkout, env, "commit", "-q", "-m", "chrono").returncode == 0
    return checkout, env


def pre_commit(folder: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run pre-commit (this environment's) in folder."""
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


@needs_pre_commit
def test_pre_commits_hook_fails_a_conflicted_log_and_passes_a_good_one(
    hooks: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """`pre-commit try-repo chrono chrono-check`: chrono installed in pre-commit's own
    environment fails the log with the conflict (exit 1, the error shown) and passes it fixed."""
    checkout, env = hooks
    project = repository(tmp_path / "project", env, {"events.toml": CONFLICTED})
    failed = pre_commit(
        project, env, "try-repo", str(checkout), "chrono-check", "--files", "events.toml"
    )
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "- hook id: chrono-check\n- exit code: 1\n" in failed.stdout
    assert f"\n{CONFLICT}\nevents.toml: 1 error, 0 warnings\n" in failed.stdout
    (project / "events.toml").write_text(GOOD, encoding="utf-8")
    passed = pre_commit(
        project, env, "try-repo", str(checkout), "chrono-check", "--files", "events.toml"
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "chrono check" in passed.stdout
    assert passed.stdout.rstrip().endswith("Passed")


@needs_pre_commit
def test_pre_commit_passes_every_log_and_only_logs(
    hooks: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """The hook's `files` takes events.toml in any folder and leaves other TOML files alone;
    the logs come to one `chrono check` as arguments, each named in what it says."""
    checkout, env = hooks
    files = {"events.toml": GOOD, "archive/events.toml": CONFLICTED, "notes.toml": "x = "}
    project = repository(tmp_path / "project", env, files)
    names = ("events.toml", "archive/events.toml", "notes.toml")
    result = pre_commit(project, env, "try-repo", str(checkout), "chrono-check", "--files", *names)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"\narchive/{CONFLICT}\n" in result.stdout
    assert "\nevents.toml: 1 event, 1 actor: no problems\n" in result.stdout
    assert "notes.toml" not in result.stdout


@needs_pre_commit
def test_a_config_points_the_hook_at_another_log_name(
    hooks: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """`files:` in the user's .pre-commit-config.yaml checks a log of another name, and a
    refused `git commit` through pre-commit's installed hook."""
    checkout, env = hooks
    revision = git(checkout, env, "rev-parse", "HEAD").stdout.strip()
    config = (
        f"repos:\n  - repo: {checkout}\n    rev: {revision}\n    hooks:\n"
        "      - id: chrono-check\n        files: (^|/)chronology\\.toml$\n"
    )
    files = {".pre-commit-config.yaml": config, "chronology.toml": CONFLICTED}
    project = repository(tmp_path / "project", env, files)
    assert pre_commit(project, env, "install").returncode == 0
    git(project, env, "add", ".")
    refused = git(project, env, "commit", "-q", "-m", "a conflicted log")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert f"\n{CONFLICT.replace('events.toml', 'chronology.toml')}\n" in refused.stderr
    (project / "chronology.toml").write_text(GOOD, encoding="utf-8")
    git(project, env, "add", "chronology.toml")
    accepted = git(project, env, "commit", "-q", "-m", "the log")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def plain_hook(folder: Path, env: dict[str, str]) -> Path:
    """A repository in folder with README's .git/hooks/pre-commit script installed."""
    project = repository(folder, env, {})
    hook = project / ".git" / "hooks" / "pre-commit"
    hook.write_text(HOOK, encoding="utf-8")
    hook.chmod(0o755)
    return project


def commit(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """git commit of what is staged."""
    return git(project, env, "commit", "-q", "-m", "the log")


def test_the_plain_hook_refuses_a_bad_log_and_takes_a_good_one(tmp_path: Path) -> None:
    """A real `git commit` is refused while the staged log has a conflict, and then made."""
    env = git_env(tmp_path)
    project = plain_hook(tmp_path / "project", env)
    (project / "events.toml").write_text(CONFLICTED, encoding="utf-8")
    git(project, env, "add", "events.toml")
    refused = commit(project, env)
    assert (refused.returncode, refused.stderr.splitlines()) == (
        1,
        [
            CONFLICT.replace("events.toml:", "<stdin>:"),
            "<stdin>: 1 error, 0 warnings",
            "pre-commit: the staged events.toml does not pass chrono check",
        ],
    )
    assert git(project, env, "rev-parse", "--verify", "-q", "HEAD").returncode != 0  # no commit
    (project / "events.toml").write_text(GOOD, encoding="utf-8")
    git(project, env, "add", "events.toml")
    assert commit(project, env).returncode == 0


def test_the_plain_hook_checks_what_is_staged(tmp_path: Path) -> None:
    """The staged log counts, not the working tree's: a fix left unstaged does not pass, a
    good staged log passes however broken the working tree's is; other files pass."""
    env = git_env(tmp_path)
    project = plain_hook(tmp_path / "project", env)
    log = project / "sub" / "events.toml"
    log.parent.mkdir()
    log.write_text(CONFLICTED, encoding="utf-8")
    git(project, env, "add", "sub/events.toml")
    log.write_text(GOOD, encoding="utf-8")  # fixed, but not staged
    refused = commit(project, env)
    assert refused.stderr.splitlines()[-1] == (
        "pre-commit: the staged sub/events.toml does not pass chrono check"
    )
    git(project, env, "add", "sub/events.toml")
    log.write_text(CONFLICTED, encoding="utf-8")  # broken again, but not staged
    assert commit(project, env).returncode == 0
    (project / "notes.toml").write_text("x = ", encoding="utf-8")
    git(project, env, "add", "notes.toml")
    assert commit(project, env).returncode == 0
    git(project, env, "rm", "-q", "--cached", "sub/events.toml")  # a log removed
    assert commit(project, env).returncode == 0
