"""`chrono check` with several logs (as pre-commit passes them) and with standard input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run

GOOD = """\
[actors.putin]
name = "Vladimir Putin"

[[events]]
id = "talks"
date = 2025-12-02
title = "Talks in Moscow"
actors = ["Putin"]
"""
BAD = GOOD.replace("2025-12-02", '"2025-13-02"')
DATE_ERROR = "error: event #1 ('talks'): 'date': no month 13 in '2025-13-02'"
WARNED = GOOD.replace('actors = ["Putin"]', "")
CLEAN = ": 1 event, 1 actor: no problems"


@pytest.fixture
def logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A good, a bad and a warned log in the working directory, by name."""
    monkeypatch.chdir(tmp_path)
    texts = {"good.toml": GOOD, "bad.toml": BAD, "warned.toml": WARNED}
    for name, text in texts.items():
        Path(name).write_text(text, encoding="utf-8")
    return texts


def test_each_log_named_is_checked_in_turn(run: Run, logs: dict[str, str]) -> None:
    """Two logs: each one's diagnostics and summary in the order given; one bad fails all."""
    result = run("check", "bad.toml", "good.toml")
    assert (result.exit_code, result.stderr.splitlines()) == (
        1,
        [
            f"bad.toml:6:8: {DATE_ERROR}",
            "bad.toml: 1 event, 1 actor: 1 error, 0 warnings",
            f"good.toml{CLEAN}",
        ],
    )


def test_good_logs_pass_together(run: Run, logs: dict[str, str]) -> None:
    """Every log good: exit 0, a summary each."""
    result = run("check", "good.toml", "warned.toml", "good.toml")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (0, f"good.toml{CLEAN}")
    assert len(result.stderr.splitlines()) == 4  # the warning, three summaries


def test_strict_holds_for_each_log(run: Run, logs: dict[str, str]) -> None:
    """--strict: a warning in any one of them fails the check."""
    assert run("check", "--strict", "good.toml", "warned.toml").exit_code == 1
    assert run("check", "--strict", "good.toml", "good.toml").exit_code == 0


def test_file_option_and_arguments_are_all_checked(run: Run, logs: dict[str, str]) -> None:
    """-f names a log too: it comes first, then the arguments."""
    result = run("check", "good.toml", "-f", "warned.toml")
    summaries = [line.split(":")[0] for line in result.stderr.splitlines() if "event" in line]
    assert (result.exit_code, summaries) == (0, ["warned.toml", "warned.toml", "good.toml"])


def test_a_missing_log_fails_and_the_others_are_still_checked(
    run: Run, logs: dict[str, str]
) -> None:
    """A name that is no file is its own error; the next log is checked all the same."""
    result = run("check", "gone.toml", "good.toml")
    assert (result.exit_code, result.stderr.splitlines()) == (
        1,
        ["gone.toml: error: no such file", "gone.toml: 1 error, 0 warnings", f"good.toml{CLEAN}"],
    )


def test_json_of_several_logs_is_a_list(run: Run, logs: dict[str, str]) -> None:
    """--format json: a list of one object a log, in order; one log is the object alone."""
    several = json.loads(run("check", "--format", "json", "good.toml", "bad.toml").stdout)
    assert [(r["file"], r["ok"], r["errors"]) for r in several] == [
        ("good.toml", True, 0),
        ("bad.toml", False, 1),
    ]
    one = json.loads(run("check", "--format", "json", "bad.toml").stdout)
    assert one == several[1]


@pytest.mark.parametrize("how", [("-",), ("-f", "-")])
def test_a_dash_reads_the_log_from_standard_input(
    run: Run, logs: dict[str, str], how: tuple[str, ...]
) -> None:
    """`git show :events.toml | chrono check -`: the staged log, named <stdin>."""
    result = run("check", *how, input=BAD)
    assert (result.exit_code, result.stderr.splitlines()) == (
        1,
        [f"<stdin>:6:8: {DATE_ERROR}", "<stdin>: 1 event, 1 actor: 1 error, 0 warnings"],
    )
    assert run("check", *how, input=GOOD).stderr == f"<stdin>{CLEAN}\n"


def test_standard_input_is_read_once(run: Run, logs: dict[str, str]) -> None:
    """- twice: the same bytes checked twice, not an empty second log."""
    result = run("check", "-", "-", input=GOOD)
    assert (result.exit_code, result.stderr) == (0, f"<stdin>{CLEAN}\n" * 2)
