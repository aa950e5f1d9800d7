"""Attack chrono's write path the way other programs meet it; count what survives.

    python bench/attack_writes.py [--adds 200] [--kills 100] [--python PYTHON]

Not run in CI. Each scenario runs ``--adds`` ``chrono add`` processes one after another
against a log that other programs write at the same time, then counts:

- ``reported``: adds that exited 0 saying "added";
- ``present``: those events found in the log at the end (an event reported but absent
  is *lost*); ``refused``: adds that exited non-zero;
- ``lines``: the lines the other programs wrote, and how many of them are still there;
- whether the log still parses.

Scenarios: ``>>`` appenders every 0.2-0.6 s, and every 5-30 ms; an editor that reads
the log, adds a comment and renames its copy over it (checking just before the rename
that the file is still what it read, as a careful editor does), every 5-30 ms.

Then the kill trials: ``chrono add`` killed with SIGKILL after a random delay (of its
whole run, then within 3 ms of its journal appearing, when it is writing), then
``chrono list`` (which finishes or sets aside what the add left); the log must parse,
hold the event or not, and keep every byte it had before (``bytes lost``).

``--python`` runs another install of chrono (e.g. a clean install of an older commit).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path

START = """\
[chrono]
timezone = "UTC"

[[events]]
id = "first"
date = 2026-01-01
title = "First"
"""


def chrono(python: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [python, "-m", "chrono", *args],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


class Writer(threading.Thread):
    """Another program writing the log until stopped: ``>>`` or edit-and-rename."""

    def __init__(self, path: Path, kind: str, pause: tuple[float, float]) -> None:
        super().__init__(daemon=True)
        self.path, self.kind, self.pause = path, kind, pause
        self.stop = threading.Event()
        self.lines: list[str] = []
        self.retries = 0

    def run(self) -> None:
        n = 0
        while not self.stop.wait(random.uniform(*self.pause)):
            n += 1
            line = f"# {self.kind} {self.name} {n}\n"
            if self.kind == "append":
                with self.path.open("a", encoding="utf-8") as handle:  # `echo ... >> log`
                    handle.write(line)
                self.lines.append(line)
            elif self._edit(line):
                self.lines.append(line)

    def _edit(self, line: str) -> bool:
        """Read, edit, write a temporary copy, rename it over the log (as editors do)."""
        for _ in range(50):
            try:
                data = self.path.read_bytes()
            except FileNotFoundError:
                continue
            temp = self.path.with_name(f".{self.path.name}.edit~")
            temp.write_bytes(data + line.encode())
            if self.path.read_bytes() != data:  # changed since read: read it again
                self.retries += 1
                continue
            os.replace(temp, self.path)
            return True
        return False


def scenario(python: str, adds: int, kind: str, pause: tuple[float, float]) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.toml"
        path.write_text(START)
        env = {**os.environ, "CHRONO_CACHE_DIR": str(Path(folder) / "cache"), "NO_COLOR": "1"}
        writers = [Writer(path, kind, pause) for _ in range(2 if kind == "append" else 1)]
        for w in writers:
            w.start()
        reported, refused, messages = [], 0, {}
        for i in range(adds):
            event_id = f"e{i}"
            done = chrono(python, env, "add", "-f", str(path), f"E {i}", "--date", "2026-02-01",
                          "--id", event_id)  # fmt: skip
            if done.returncode == 0 and "added" in done.stderr:
                reported.append(event_id)
            else:
                refused += 1
                key = done.stderr.strip().split(": ", 2)[-1][:70]
                messages[key] = messages.get(key, 0) + 1
        for w in writers:
            w.stop.set()
            w.join()
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            ids = {e.get("id") for e in tomllib.loads(text).get("events", [])}
            parses = True
        except tomllib.TOMLDecodeError:
            ids, parses = {i for i in reported if f'id = "{i}"' in text}, False
        lines = [line for w in writers for line in w.lines]
        return {
            "scenario": f"{kind} every {pause[0] * 1000:g}-{pause[1] * 1000:g} ms",
            "reported": len(reported),
            "present": sum(i in ids for i in reported),
            "lost": sum(i not in ids for i in reported),
            "refused": refused,
            "lines": f"{sum(line in text for line in lines)}/{len(lines)}",
            "parses": parses,
            "editor re-reads": sum(w.retries for w in writers),
            "refusals": messages,
        }


def _kill_soon(proc: subprocess.Popen[bytes], journal: Path, at_journal: bool) -> None:
    """Kill ``proc`` at a random moment: of its whole run, or just after its journal appears."""
    if not at_journal:
        time.sleep(random.uniform(0.05, 0.6))  # start-up is ~0.1-0.3 s: kill across it
    else:
        deadline = time.monotonic() + 10
        while not journal.exists() and proc.poll() is None and time.monotonic() < deadline:
            pass
        time.sleep(random.uniform(0, 0.003))
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def kill_trials(python: str, trials: int, at_journal: bool = False) -> dict[str, object]:
    """SIGKILL ``chrono add`` at random moments; then a list, and the log checked."""
    names = ["trials", "event present", "event absent", "broken log", "bytes lost",
             "journal left", "set aside", "list failed"]  # fmt: skip
    counts = dict.fromkeys(names, 0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.toml"
        path.write_text(START)
        env = {**os.environ, "CHRONO_CACHE_DIR": str(Path(folder) / "cache"), "NO_COLOR": "1"}
        for i in range(trials):
            before = path.read_bytes()
            proc = subprocess.Popen(
                [python, "-m", "chrono", "add", "-f", str(path), f"K {i}", "--date",
                 "2026-03-01", "--id", f"k{i}"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            _kill_soon(proc, Path(folder) / ".chrono" / "events.toml.append", at_journal)
            listed = chrono(python, env, "list", "-f", str(path), "--format", "ids")
            counts["trials"] += 1
            counts["list failed"] += listed.returncode != 0
            counts["set aside"] += "set aside" in listed.stderr
            counts["journal left"] += (Path(folder) / ".chrono" / "events.toml.append").exists()
            data = path.read_bytes()
            counts["bytes lost"] += sum(a != b for a, b in zip(before, data, strict=False)) + max(
                0, len(before) - len(data)
            )
            try:
                ids = {e.get("id") for e in tomllib.loads(data.decode()).get("events", [])}
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                counts["broken log"] += 1
                path.write_bytes(before)
                continue
            counts["event present" if f"k{i}" in ids else "event absent"] += 1
    return {"killed": "within 3 ms of the journal" if at_journal else "at random", **counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adds", type=int, default=200)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--only", choices=["slow", "fast", "editor", "kill"], action="append")
    args = parser.parse_args()
    wanted = args.only or ["slow", "fast", "editor", "kill"]
    runs = {
        "slow": ("append", (0.2, 0.6)),
        "fast": ("append", (0.005, 0.03)),
        "editor": ("rename", (0.005, 0.03)),
    }
    for name in wanted:
        if name == "kill":
            print(kill_trials(args.python, args.kills), flush=True)
            print(kill_trials(args.python, args.kills, at_journal=True), flush=True)
        else:
            print(scenario(args.python, args.adds, *runs[name]), flush=True)


if __name__ == "__main__":
    main()
