"""One validator: the fast path for usual events answers as the careful path does."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chrono.core.errors import Diagnostic
from chrono.core.model import Chronology, Event
from chrono.core.validate import _Builder, build
from chrono.storage.positions import LazyPositions
from tests.conftest import Run

MISSING = object()  # a key left out of the table

ACTORS = {
    "putin": {"name": "Vladimir Putin", "aliases": ["Путин"]},
    "witkoff": {"name": "Steve Witkoff", "aliases": ["Witkoff"]},
    "ushakov": {"name": "Yuri Ushakov"},
}
MOSCOW = dt.timezone(dt.timedelta(hours=3))

# Each field: values that pass, and every kind of value that does not.
IDS = ["talks", "call", "talks", "2025-02-11-talks", MISSING, "", "two words", "bell\x07", 7]
TITLES = ["Talks", "Talks", "A call", MISSING, "", "   ", 3, ["Talks"], "two\nlines"]
DATES = [
    dt.date(2025, 2, 11),
    "2025-02-11",
    "2025-02",
    "2025",
    "2025-02-11~",
    dt.datetime(2025, 2, 11, 12, 30),
    dt.datetime(2025, 2, 11, 12, 30, tzinfo=MOSCOW),
    "2025-02-11T12:30+03:00",
    "2025-03-30T02:30",
    MISSING,
    "2025-02-30",
    "not a date",
    "2025-13",
    dt.time(12, 30),
    2025,
    ["2025"],
]
ENDS = [MISSING, MISSING, dt.date(2025, 2, 12), "2025-02", "2025-03", "2024-12", *DATES[5:]]
TEXTS = [MISSING, MISSING, "Kremlin, Moscow", "", 5, ["Moscow"]]
NAMES = ["putin", "witkoff", "Путин", "Vladimir Putin", "Witkof", "Ushakow", "nobody", "", " "]
SOURCES = ["https://kremlin.ru/events/1", "TASS, 11 Feb", "www.example.com", "ftp://x", "http://"]
EXTRA = [MISSING, MISSING, ("colour", "red"), ("titel", "Talks"), ("date_note", 3)]


def _values(items: list[str]) -> st.SearchStrategy[Any]:
    """Absent, a list of the items (repeats and all), or something that is not one."""
    lists = st.lists(st.sampled_from(items), max_size=3)
    wrong = st.sampled_from(["putin", 3, ["putin", 3], [["x"]], {"a": "b"}])
    return st.one_of(st.just(MISSING), lists, lists, lists, wrong)


@st.composite
def event_tables(draw: st.DrawFn) -> Any:
    """A table of an [[events]] array, usually well formed, at times wrong in any field."""
    if draw(st.integers(0, 30)) == 0:
        return draw(st.sampled_from(["talks", 7, ["talks"]]))  # not a table at all
    fields = {
        "id": draw(st.sampled_from(IDS)),
        "date": draw(st.sampled_from(DATES)),
        "end": draw(st.sampled_from(ENDS)),
        "title": draw(st.sampled_from(TITLES)),
        "summary": draw(st.sampled_from(TEXTS)),
        "location": draw(st.sampled_from(TEXTS)),
        "kind": draw(st.sampled_from([MISSING, "meeting", 4])),
        "actors": draw(_values(NAMES)),
        "tags": draw(_values(["ukraine", "talks", ""])),
        "sources": draw(_values(SOURCES)),
    }
    extra = draw(st.sampled_from(EXTRA))
    if extra is not MISSING:
        fields[extra[0]] = extra[1]
    return {key: value for key, value in fields.items() if value is not MISSING}


documents = st.fixed_dictionaries(
    {
        "chrono": st.fixed_dictionaries(
            {"timezone": st.sampled_from(["UTC", "Europe/Berlin", "Asia/Kathmandu"])}
        ),
        "actors": st.just(ACTORS),
        "events": st.lists(event_tables(), max_size=8),
    }
)


class _Careful(_Builder):
    """The builder with its fast path turned off: every event takes the careful path."""

    def _event_fast(self, *args: object) -> Event | None:
        return None


def _build(
    builder: type[_Builder], doc: dict[str, Any], text: str, lint: bool = False
) -> tuple[Chronology, list[Diagnostic]]:
    """What ``build(..., lint=lint)`` returns, with the given builder."""
    made = builder("events.toml", LazyPositions(text), lint)
    chronology = made.build(doc)
    return chronology, sorted(made.diagnostics, key=lambda d: (d.line, d.column))


DUPLICATE = {"id": "talks", "date": dt.date(2025, 2, 11), "title": "Talks"}
ONE_DAY = {"chrono": {"timezone": "UTC"}, "actors": ACTORS}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
@example({**ONE_DAY, "events": [DUPLICATE, DUPLICATE]})
@example({**ONE_DAY, "events": [{**DUPLICATE, "end": dt.date(2025, 2, 10)}]})
@example({**ONE_DAY, "events": [{**DUPLICATE, "id": "two words"}]})
@example({**ONE_DAY, "events": [{**DUPLICATE, "id": "bell\x07"}]})
@example({**ONE_DAY, "events": [{**DUPLICATE, "title": " "}]})
@example({**ONE_DAY, "events": [{**DUPLICATE, "date": "2025-02-30"}]})
@example({**ONE_DAY, "events": [{**DUPLICATE, "tags": ["a", 1]}]})
@example({**ONE_DAY, "events": [{**DUPLICATE, "sources": "TASS"}]})
@example({**ONE_DAY, "events": [{**DUPLICATE, "kind": 4}]})
@example({**ONE_DAY, "events": [{**DUPLICATE, "actors": ["putin", "putin", "nobody"]}]})
@example({**ONE_DAY, "events": [{**DUPLICATE, "id": "2025-02-11-talks"}, {**DUPLICATE}]})
@example({**ONE_DAY, "events": [{**DUPLICATE, "sources": ["www.example.com"], "colour": "red"}]})
@example({**ONE_DAY, "events": [{**DUPLICATE, "actors": ["Witkof", "nobody"]}]})
def test_the_fast_path_gives_what_the_careful_path_gives(doc: dict[str, Any]) -> None:
    """Any document builds to the same events and the same diagnostics with or without it."""
    text = tomli_w.dumps(doc)
    read = tomllib.loads(text)  # as the file would be read: TOML's own types
    fast, fast_diagnostics = _build(_Builder, read, text)
    careful, careful_diagnostics = _build(_Careful, read, text)
    assert fast.events == careful.events
    assert fast_diagnostics == careful_diagnostics
    assert (fast.timezone, fast.registry.actors) == (careful.timezone, careful.registry.actors)
    built, diagnostics = build(read, "events.toml", LazyPositions(text), lint=False)
    assert (built.events, diagnostics) == (fast.events, fast_diagnostics)  # build is the fast one
    linted, lint_diagnostics = _build(_Builder, read, text, lint=True)  # as check builds
    careful, careful_diagnostics = _build(_Careful, read, text, lint=True)
    assert (linted.events, lint_diagnostics) == (careful.events, careful_diagnostics)


# -- a log with one id twice is refused on every command's path ---------------------

VALID = """\
[actors.putin]
name = "Vladimir Putin"

[[events]]
id = "talks"
date = 2025-02-11
title = "Talks in Moscow"
actors = ["putin"]
"""
TWICE = VALID + '\n[[events]]\nid = "talks"\ndate = 2025-03-01\ntitle = "More talks"\n'
REFUSAL = (
    "events.toml:11:6: error: event #2 ('talks'): duplicate id 'talks' "
    "(first used by the event at line 4)\n"
)

COMMANDS = [
    pytest.param(["list"], id="list"),
    pytest.param(["--no-cache", "list"], id="list-no-cache"),
    pytest.param(["show", "talks"], id="show"),
    pytest.param(["export", "md"], id="export-md"),
    pytest.param(["actors"], id="actors"),
    pytest.param(["add", "Another", "--date", "2025-04-01"], id="add"),
    pytest.param(["--no-cache", "add", "Another", "--date", "2025-04-01"], id="add-no-cache"),
]


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
@pytest.mark.parametrize("command", COMMANDS)
def test_duplicate_ids_are_refused_by_every_command(
    run: Run,
    tmp_path: Path,
    private_cache: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    warm: bool,
) -> None:
    """Each command exits 1 with the one error line, whether an index was built before or not."""
    monkeypatch.chdir(tmp_path)
    log = tmp_path / "events.toml"
    if warm:  # an index built from the log before the second event was written
        log.write_text(VALID)
        assert run("list", "-f", "events.toml").exit_code == 0
        assert list(private_cache.glob("*.sqlite"))
    log.write_text(TWICE)
    for _ in range(2):  # and again, once anything the first run left behind is there
        result = run(*command, "-f", "events.toml")
        assert result.exit_code == 1, result.output
        assert result.stdout == ""
        assert result.stderr == REFUSAL
    assert log.read_text() == TWICE


def test_check_names_the_duplicate_id(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check reports the duplicate id with its place, counts one error and exits 1."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "events.toml").write_text(TWICE)
    result = run("check", "-f", "events.toml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == REFUSAL + "events.toml: 2 events, 1 actor: 1 error, 0 warnings\n"


def test_the_installed_command_refuses_duplicate_ids(tmp_path: Path) -> None:
    """The chrono on PATH of this environment exits 1 for list on a log with an id twice."""
    (tmp_path / "events.toml").write_text(TWICE)
    chrono = Path(sys.executable).parent / "chrono"
    env = {**os.environ, "CHRONO_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    for args in (["list"], ["list"], ["check"]):
        result = subprocess.run(
            [str(chrono), *args, "-f", "events.toml"], capture_output=True, text=True,
            check=False, cwd=tmp_path, env=env, timeout=60,
        )  # fmt: skip
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr.startswith(REFUSAL)
