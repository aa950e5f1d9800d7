"""The bundled chronology: loads clean, holds the facts the README promises."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chrono.storage import store
from tests.conftest import BUNDLED, Run


def test_bundled_log_passes_strict_check(run: Run) -> None:
    """`chrono check --strict` on the bundled log: no errors, no warnings."""
    result = run("check", "--strict", "-f", str(BUNDLED))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"{BUNDLED}: 17 events, 10 actors: no problems\n"


def test_seven_putin_witkoff_meetings(run: Run) -> None:
    """Exactly seven Putin–Witkoff meetings, the last one numbered #7 on 22–23 Jan 2026."""
    result = run("list", "-f", str(BUNDLED), "-a", "Putin", "-a", "Witkoff", "--kind", "meeting")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[-1] == "7 events, Feb 2025 – Jan 2026"
    numbered = [line for line in lines if " #" in line]
    assert len(numbered) == 7
    assert "22–23 Jan 2026 #7 Putin receives Witkoff, Kushner and Gruenbaum" in numbered[-1]
    days = run(
        "list",
        "-f",
        str(BUNDLED),
        "-a",
        "putin",
        "-a",
        "witkoff",
        "-k",
        "meeting",
        "--format",
        "ids",
    ).stdout.split()
    assert [d[:10] for d in days] == [
        "2025-02-11",
        "2025-03-13",
        "2025-04-11",
        "2025-04-25",
        "2025-08-06",
        "2025-12-02",
        "2026-01-22",
    ]


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("Uschakow", "ushakov"),
        ("ushakov", "ushakov"),
        ("Dmitriew", "dmitriev"),
        ("Dmitrijew", "dmitriev"),
        ("Dmitriev", "dmitriev"),
        ("Peskow", "peskov"),
        ("Wladimir Putin", "putin"),
        ("Selenski", "zelensky"),
        ("Zelenski", "zelensky"),
        ("Selenskyj", "zelensky"),
        ("Kostjukow", "kostyukov"),
        ("Steve Witkoff", "witkoff"),
    ],
)
def test_every_spelling_in_the_fact_sheet_resolves(spelling: str, key: str) -> None:
    """Each spelling variant of the source resolves to exactly one registry actor."""
    chronology = store.load(BUNDLED)
    assert chronology.registry.resolve(spelling) == [key]


def test_the_required_events_are_there() -> None:
    """Anchorage, Abu Dhabi, Davos as a span, month-precision consultations."""
    chronology = store.load(BUNDLED)
    by_id = {e.id: e for e in chronology.events}
    assert by_id["2025-08-15-anchorage-summit"].kind == "summit"
    davos = by_id["2026-01-19-davos-forum"]
    assert davos.end is not None and davos.end.isoformat() == "2026-01-23"
    for event_id in ("2025-12-mar-a-lago-consultations", "2025-12-european-capitals-consultations"):
        event = by_id[event_id]
        assert (event.date.isoformat(), event.end and event.end.isoformat()) == (
            "2025-12",
            "2026-01",
        )
    abu_dhabi = [e for e in chronology.events if "Abu Dhabi" in (e.location or "")]
    assert {e.kind for e in abu_dhabi} == {"session"}
    assert len(abu_dhabi) == 2
    assert by_id["2026-01-22-trump-zelensky-davos"].actors == ("trump", "zelensky")


@pytest.mark.parametrize(
    "args",
    [
        ("list", "-a", "Putin", "-a", "Witkoff", "--kind", "meeting"),
        ("list", "--on", "Januar 2026", "-k", "session", "-k", "meeting"),
    ],
)
def test_readme_shows_real_output(run: Run, args: tuple[str, ...]) -> None:
    """The README's tour shows exactly what chrono prints today (at 90 columns)."""
    readme = (BUNDLED.parent / "README.md").read_text()
    result = run(*args, "-f", str(BUNDLED), env={"COLUMNS": "90"})
    shown = " ".join(f'"{a}"' if " " in a else a for a in args)
    assert f"$ chrono {shown}\n{result.stdout}```" in readme


def test_every_command_in_the_readme_runs_as_written(tmp_path: Path) -> None:
    """Each `$ chrono ...` of the README runs as written, in a folder holding the bundled
    log and the README's own broken.toml and timeline.csv, with the status and stderr lines it
    shows."""
    readme = (BUNDLED.parent / "README.md").read_text()
    shutil.copy(BUNDLED, tmp_path / "events.toml")
    broken = readme.split("Given this `broken.toml`:\n\n```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "broken.toml").write_text(broken)
    sheet = readme.split("Given this `timeline.csv`", 1)[1].split("```csv\n", 1)[1]
    (tmp_path / "timeline.csv").write_text(sheet.split("```", 1)[0], encoding="utf-8")
    blocks = re.findall(r"```console\n(.*?)```", readme, re.DOTALL)
    commands = [b.splitlines()[0][2:] for b in blocks if b.startswith("$ chrono ")]
    assert len(commands) >= 6
    env = {**os.environ, "COLUMNS": "90", "CHRONO_TODAY": "2026-01-25"}
    shown = [b for b in blocks if b.startswith("$ chrono ")]
    for block, command in zip(shown, commands, strict=True):
        argv = [sys.executable, "-m", "chrono", *shlex.split(command)[1:]]
        result = subprocess.run(
            argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert result.returncode == (1 if "broken.toml" in command else 0), (command, result.stderr)
        lines = block.splitlines()[1:]
        said = [line for line in lines if line.startswith(("chrono:", "broken.toml"))]
        assert all(line in result.stderr.splitlines() for line in said), (command, result.stderr)
