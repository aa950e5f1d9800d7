"""Time chrono the way a user meets it: whole processes, warm-up, then medians.

    python bench/run.py [--sizes 1000 10000 100000] [--runs 7] [--quick]

Every figure is printed as a ratio against two floors measured in the same run:

- B0: ``python -c "import typer"``, the floor for any Typer command line;
- B1: parsing the largest generated log with the standard library's tomllib.

Peak RSS is read per process with ``os.wait4``. Run it with chrono installed the way
the README says (``pip install .``), on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
_SCRIPT = Path(sys.executable).parent / "chrono"
CHRONO = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "chrono"]


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time in seconds and peak RSS in KiB of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0,):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}")
    return elapsed, usage.ru_maxrss


B0_ARGV = [sys.executable, "-c", "import typer"]
# B0 is taken next to every timed run and its median over the whole benchmark is used,
# so a burst of noise on a shared machine moves the floor and the figures together.
B0_SAMPLES: list[float] = []


def median(
    argv: list[str],
    env: dict[str, str],
    runs: int,
    before: Callable[[], None] | None = None,
    after: Callable[[], None] | None = None,
) -> tuple[float, int]:
    """Warm up once, then the median time and the largest peak RSS of ``runs`` runs."""
    if before is None:
        timed(argv, env)
        if after is not None:
            after()
    times, peaks = [], []
    for _ in range(runs):
        if before is not None:
            before()
        B0_SAMPLES.append(timed(B0_ARGV, env)[0])  # the floor, measured beside every run
        elapsed, peak = timed(argv, env)
        if after is not None:
            after()
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def wait_for_index(log: Path, env: dict[str, str], limit: float = 120.0) -> None:
    """Wait until the index a detached builder is writing is valid for the log."""
    from chrono.storage import index
    from chrono.storage.fingerprint import fingerprint

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = index.Index.open(log, Path(env["CHRONO_CACHE_DIR"]), fingerprint(log))
        if found is not None:
            found.close()
            return
        time.sleep(0.2)
    raise SystemExit(f"the index of {log} was not built within {limit:.0f} s")


def generate(n: int, folder: Path, actors: int) -> Path:
    """A generated log of n events (cached in folder)."""
    path = folder / f"events-{n}.toml"
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                str(HERE / "gen.py"),
                str(n),
                "--actors",
                str(actors),
                "-o",
                str(path),
            ],
            check=True,
        )
    return path


def merge_versions(log: Path, folder: Path, how: str) -> tuple[Path, Path, Path]:
    """Three versions of ``log`` as git gives them to its merge driver: the log, ours
    (kept beside as ``.keep``, for the driver writes over ours) and theirs; both sides
    append 50 events, or ours also retitles the log's first event."""
    data = log.read_bytes()

    def appended(side: str) -> bytes:
        return b"".join(
            f'\n[[events]]\nid = "{side}-{n}"\ndate = "2026-11-{n % 28 + 1:02d}"\n'
            f'title = "{side} event {n}"\n'.encode()
            for n in range(50)
        )

    ours = data + appended("ours")
    if how == "edit":
        ours = ours.replace(b"\ntitle = ", b"\ntitle = 'Retitled' #", 1)
    paths = tuple(folder / f"merge-{how}-{name}.toml" for name in ("base", "ours", "theirs"))
    for path, text in zip(paths, (data, ours, data + appended("theirs")), strict=True):
        path.write_bytes(text)
    shutil.copyfile(paths[1], paths[1].with_suffix(".keep"))
    return paths[0], paths[1], paths[2]


def opened_in_chromium(page: Path, runs: int) -> float | None:
    """Median seconds from navigation to the HTML timeline's first drawing (``html.ready``)
    in headless Chromium, or None without Playwright or Chromium."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium is None:
        return None
    samples = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for _ in range(runs + 1):  # the first warms the browser's caches up
            tab = browser.new_page(viewport={"width": 1280, "height": 800})
            tab.goto(page.as_uri(), wait_until="commit")
            tab.wait_for_selector("html.ready", timeout=120_000)
            samples.append(tab.evaluate("performance.now()") / 1000)
            tab.close()
        browser.close()
    return statistics.median(samples[1:])


def hostile_logs(folder: Path) -> list[tuple[str, Path]]:
    """Small logs that made chrono's work grow faster than their size."""
    alike = folder / "alike.toml"
    alike.write_text('[[events]]\ndate = "2024-01-01"\ntitle = "Same"\n\n' * 20_000)
    crowded = folder / "crowded.toml"
    crowded.write_text(
        "".join(
            f'[[events]]\nid = "e{n}"\ndate = "2024-01-01"\ntitle = "t{n * 7919}"\n\n'
            for n in range(20_000)
        )
    )
    huge = folder / "huge-name.toml"
    name = "\u202e" * 2**20
    huge.write_text(
        f'[[events]]\nid = "a"\ndate = "2024-01-01"\ntitle = "x"\nactors = ["{name}"]\n'
    )
    return [
        ("check, 20,000 events of one date and title, no ids", alike),
        ("check, 20,000 distinct events on one day", crowded),
        ("check, one actor name of 1 MB (U+202E)", huge),
    ]


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--actors", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run (smoke test)")
    parser.add_argument("--keep", action="store_true", help="keep the generated logs")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.runs = [30, 60], 1
    work = Path(tempfile.mkdtemp(prefix="chrono-bench-"))
    try:
        measure(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def measure(args: argparse.Namespace, work: Path) -> None:
    """Generate the logs in ``work``, time everything, print the table."""
    env = {**os.environ, "CHRONO_CACHE_DIR": str(work / "cache"), "CHRONO_TODAY": "2026-11-25"}
    env.pop("CHRONO_NO_CACHE", None)
    env.pop("CHRONO_FILE", None)
    runs = args.runs
    logs = {n: generate(n, work, args.actors) for n in sorted(args.sizes)}
    largest = max(logs)

    _, b0_rss = median(B0_ARGV, env, runs)
    b1, b1_rss = median(
        [sys.executable, "-c", f"import tomllib; tomllib.load(open({str(logs[largest])!r}, 'rb'))"],
        env,
        max(1, min(runs, 3)),
    )
    rows: list[tuple[str, float, int, str]] = []

    def row(label: str, seconds: float, rss: int, target: str = "") -> None:
        rows.append((label, seconds, rss, target))

    name = "Ushakov"
    row("python -c 'import typer' (B0)", 0.0, b0_rss)  # filled in below
    row(f"tomllib parse of {largest:,} events (B1)", b1, b1_rss)
    row("chrono --help", *median([*CHRONO, "--help"], env, runs), "<= 1.3 x B0")
    row("chrono --version", *median([*CHRONO, "--version"], env, runs), "<= 1.3 x B0")
    bundled = ["-f", str(ROOT / "events.toml")]
    row(
        "list -a NAME --format ids, bundled log",
        *median([*CHRONO, "list", *bundled, "-a", "Putin", "--format", "ids"], env, runs),
        "<= 1.5 x B0",
    )
    for n, log in logs.items():
        query = [*CHRONO, "list", "-f", str(log), "-a", name, "--format", "ids", "--any-actor"]
        target = {10000: "<= 1.6 x B0", 100000: "<= 2.0 x B0, 80 MiB"}.get(n, "")
        timed(query, env)  # the first query parses the log; a detached child indexes it
        wait_for_index(log, env)
        row(
            f"list -a NAME --format ids, {n:,} events, index warm",
            *median(query, env, runs),
            target,
        )
        row(
            f"the same, --no-cache (parse the TOML), {n:,} events",
            *median([*CHRONO, "--no-cache", *query[len(CHRONO) :]], env, max(1, min(runs, 3))),
        )

    log = logs[largest]
    query = [*CHRONO, "list", "-f", str(log), "-a", name, "--format", "ids", "--any-actor"]
    counter = iter(range(10**6))

    def edit() -> None:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"# edit {next(counter)}\n")

    row(
        f"first query after an edit, {largest:,} events (cold)",
        *median(
            query, env, max(1, min(runs, 3)), before=edit, after=lambda: wait_for_index(log, env)
        ),
        "<= 0.7 x B1",
    )
    numbers = iter(range(10**6))

    def write_once(*args: str, where: float = 0.0) -> tuple[float, int]:
        """One add (``where`` 0), or one set or rm of the generated event ``where`` of the
        way into the log; then the index is waited for."""
        if where:
            argv = [*args[:1], f"e{int(largest * where) + next(numbers):06d}", *args[1:]]
        else:
            argv = [*args, "--id", f"bench-{next(numbers)}"]
        result = timed([*CHRONO, *argv, "-f", str(log)], env)
        wait_for_index(log, env)
        return result

    add = ("add", "Benchmark event", "--date", "2026-01-23", "-a", name)
    for label, where, command in (
        ("chrono add", 0.0, add),
        ("chrono set ID --title, an event half-way in", 0.5, ("set", "--title", "Benchmark")),
        ("chrono set ID --summary (a line more), near the end", 0.95, ("set", "--summary", "S.")),
        ("chrono rm ID, an event half-way in", 0.5, ("rm", "--yes")),
    ):
        samples = [write_once(*command, where=where) for _ in range(max(1, runs))]
        row(
            f"{label}, {largest:,} events, index warm",
            statistics.median(s[0] for s in samples),
            max(s[1] for s in samples),
            "<= 2.0 x B0",
        )
    row(f"the next query, {largest:,} events", *timed(query, env), "<= 2.0 x B0")

    row(
        f"chrono check, {largest:,} events",
        *median([*CHRONO, "check", "-f", str(log)], env, max(1, min(runs, 3))),
        "<= 1.0 x B1",
    )
    for label, hostile in hostile_logs(work):
        row(label, *median([*CHRONO, "check", "-f", str(hostile)], env, 1), "<= 2 s")

    sheet, imported = work / f"import-{largest}.csv", work / "imported.toml"
    subprocess.run([*CHRONO, "export", "csv", "-f", str(logs[largest]), "-o", str(sheet)],
                   env=env, check=True, capture_output=True)  # fmt: skip
    imports = max(1, min(runs, 3))
    row(
        f"chrono import of a {largest:,}-row CSV into a new log",
        *median(
            [*CHRONO, "import", str(sheet), "-f", str(imported)],
            env,
            imports,
            before=lambda: imported.unlink(missing_ok=True),
            after=lambda: wait_for_index(imported, env),
        ),
        "<= 1.0 x the next row",
    )
    row(
        "tomllib parse of the log that import wrote",
        *median(
            [sys.executable, "-c", f"import tomllib; tomllib.load(open({str(imported)!r}, 'rb'))"],
            env,
            imports,
        ),
    )

    merges = max(1, min(runs, 3))
    for label, how in (
        ("each appended 50 events", "append"),
        ("one edits the first event", "edit"),
    ):
        versions = merge_versions(logs[largest], work, how)
        row(
            f"merge-driver, two {largest:,}-event branches: {label}",
            *median(
                [*CHRONO, "merge-driver", *map(str, versions), "events.toml"],
                env,
                merges,
                before=lambda v=versions: shutil.copyfile(v[1].with_suffix(".keep"), v[1]),
            ),
            "<= 2.0 x B1",
        )

    exports = max(1, min(runs, 3))
    for n in [n for n in sorted(logs) if n >= 10_000] or [largest]:
        json_time = 0.0
        for fmt in ("json", "html", "svg", "timelinejs", "graph"):
            out = work / f"export-{n}.{fmt}"
            seconds, rss = median(
                [*CHRONO, "export", fmt, "-f", str(logs[n]), "-o", str(out)], env, exports
            )
            json_time = seconds if fmt == "json" else json_time
            size = out.stat().st_size / 2**20
            target = "" if fmt == "json" else f"<= json + 0.5 s ({(seconds - json_time):+.2f} s)"
            row(f"export {fmt}, {n:,} events ({size:.1f} MiB)", seconds, rss, target)
        opened = opened_in_chromium(work / f"export-{n}.html", exports)
        if opened is not None:
            goal = "<= 1 s" if n <= 10_000 else "opens"
            row("that html page, navigation to drawn, Chromium", opened, 0, goal)

    mid = logs[sorted(logs)[len(logs) // 2]]
    base = [*CHRONO, "list", "-f", str(mid), "-n", "500"]
    wait_for_index(mid, env)
    ids_time, _ = median([*base, "--format", "ids"], env, runs)
    timeline_time, timeline_rss = median([*base, "--format", "timeline"], env, runs)
    row(
        "timeline of 500 events minus the ids run",
        timeline_time - ids_time,
        timeline_rss,
        "<= 0.3 s",
    )

    b0 = statistics.median(B0_SAMPLES)
    rows[0] = (rows[0][0], b0, rows[0][2], rows[0][3])
    print(
        f"chrono benchmark — {platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores; median of {runs} runs after a warm-up; "
        "B0 is the median of a run beside every timed run"
    )
    print(f"B0 = {b0 * 1000:.0f} ms, B1 = {b1 * 1000:.0f} ms\n")
    print(f"| {'what':<52} | {'ms':>8} | {'x B0':>6} | {'x B1':>6} | {'peak RSS':>9} | target |")
    print(f"|{'-' * 54}|{'-' * 10}|{'-' * 8}|{'-' * 8}|{'-' * 11}|--------|")
    for label, seconds, rss, target in rows:
        print(
            f"| {label:<52} | {seconds * 1000:8.0f} | {seconds / b0:6.2f} | {seconds / b1:6.3f} "
            f"| {rss / 1024:6.1f} MiB | {target} |"
        )


if __name__ == "__main__":
    main()
