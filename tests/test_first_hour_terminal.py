"""What a new user meets at the terminal: narrow widths, long URLs, colour, completion."""

from __future__ import annotations

import io
import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chrono.app.settings import colour_wanted
from chrono.output import render
from tests.conftest import Run
from tests.faults import beside

ROOT = Path(__file__).resolve().parent.parent
ESC = "\x1b"


def _piped(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """chrono as the installed command, its output into a pipe, with ``env`` over a plain one."""
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "chrono", *args], env={**base, "TERM": "xterm", **env},
        capture_output=True, text=True, check=False, cwd=ROOT, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("choice", "environ", "wanted"),
    [
        (None, {}, None),
        ("auto", {}, None),
        (None, {"NO_COLOR": "1"}, False),
        (None, {"NO_COLOR": ""}, None),
        (None, {"FORCE_COLOR": "1"}, True),
        (None, {"FORCE_COLOR": "0"}, True),  # any value that is not empty, as rich reads it
        (None, {"FORCE_COLOR": ""}, None),
        (None, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ("always", {"NO_COLOR": "1"}, True),
        ("never", {"FORCE_COLOR": "1"}, False),
        ("never", {}, False),
        ("always", {}, True),
    ],
)
def test_colour_precedence(
    choice: str | None, environ: dict[str, str], wanted: bool | None
) -> None:
    """--color always/never beats NO_COLOR, which beats FORCE_COLOR, which beats the terminal."""
    assert colour_wanted(choice, environ) is wanted


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        (["--color", "always", "list"], {}, True),
        (["list", "--color=always"], {}, True),
        (["--color", "always", "list"], {"NO_COLOR": "1"}, True),
        (["--color", "never", "list"], {"FORCE_COLOR": "1"}, False),
        (["list", "--color", "never"], {"FORCE_COLOR": "1"}, False),
        (["--color", "always", "list", "--color", "never"], {}, False),
        (["--color", "auto", "list"], {"FORCE_COLOR": "1"}, True),
        (["list"], {"FORCE_COLOR": "1"}, True),
        (["list"], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (["list"], {"FORCE_COLOR": ""}, False),
        (["list"], {}, False),
        (["--color", "always", "list", "--format", "table"], {"TERM": "dumb"}, True),
        (["--color", "always", "actors"], {}, True),
        (["--color", "always", "show", "2026-01-22-putin-witkoff-kremlin"], {}, True),
    ],
)
def test_color_option_and_environment_through_a_pipe(
    args: list[str], env: dict[str, str], coloured: bool
) -> None:
    """Into a pipe, `--color always` writes escape codes (even with NO_COLOR or TERM=dumb) and
    `--color never` none (even with FORCE_COLOR); FORCE_COLOR alone colours, NO_COLOR wins."""
    result = _piped(*args, "-f", str(ROOT / "events.toml"), env=env)
    assert result.returncode == 0, result.stderr
    assert (ESC in result.stdout) is coloured
    assert "Witkoff" in result.stdout


def test_a_bad_color_is_a_usage_error(run: Run) -> None:
    """`--color sometimes` is refused with status 2, naming the choices."""
    result = run("--color", "sometimes", "list")
    assert result.exit_code == 2
    assert "'sometimes' is not one of 'auto', 'always', 'never'" in result.stderr


def test_the_console_has_colour_as_asked() -> None:
    """make_console: True colours a pipe, False leaves a terminal plain, None asks the stream."""
    from rich.text import Text

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, colour, escaped in [
        (io.StringIO(), True, True),
        (io.StringIO(), None, False),
        (io.StringIO(), False, False),
        (Terminal(), None, True),
        (Terminal(), False, False),
    ]:
        console = render.make_console(stream, 80, colour=colour)
        console.print(Text("x", style="bold"))
        assert (ESC in stream.getvalue()) is escaped, (type(stream), colour)


def _on_a_terminal(args: list[str], env: dict[str, str]) -> bytes:
    """What chrono writes on a terminal (a pty), read with a timeout."""
    import pty
    import select

    pid, fd = pty.fork()
    if pid == 0:  # the child: chrono on the terminal
        os.execvpe(sys.executable, [sys.executable, "-m", "chrono", *args], env)
    chunks: list[bytes] = []
    try:  # until the terminal closes, or 30 s without a byte
        while select.select([fd], [], [], 30)[0] and (chunk := _read(fd)):
            chunks.append(chunk)
    finally:
        os.waitpid(pid, 0)
        os.close(fd)
    return b"".join(chunks)


def _read(fd: int) -> bytes:
    """What the terminal has to read; nothing once its other end is closed."""
    try:
        return os.read(fd, 4096)
    except OSError:  # EIO: the child is gone
        return b""


@pytest.mark.parametrize(
    ("choice", "env", "coloured"),
    [([], {}, True), (["--color", "never"], {}, False), ([], {"NO_COLOR": "1"}, False)],
)
def test_on_a_terminal_colour_is_the_default_and_the_pager_still_runs(
    tmp_path: Path, choice: list[str], env: dict[str, str], coloured: bool
) -> None:
    """On a terminal the output has colour unless told not to; either way it is paged."""
    paged = tmp_path / "paged.txt"
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full = {**base, "TERM": "xterm", "PAGER": f"cat > {paged}", **env}
    _on_a_terminal([*choice, "list", "-f", str(ROOT / "events.toml")], full)
    shown = paged.read_text()
    assert "Witkoff" in shown
    assert (ESC in shown) is coloured


@pytest.mark.parametrize("env", [{"FORCE_COLOR": "1"}, {}])
def test_forced_colour_into_a_pipe_starts_no_pager(env: dict[str, str]) -> None:
    """Colour forced into a pipe (`--color always`, FORCE_COLOR) does not make it a terminal:
    the answer goes to the pipe, not through the pager."""
    result = _piped(
        "--color", "always", "list", "--pager", "-f", str(ROOT / "events.toml"),
        env={**env, "PAGER": "echo paged"},
    )  # fmt: skip
    assert "Witkoff" in result.stdout and "paged" not in result.stdout


# --- Point 10: every view fits the terminal, and never splits a name or a date ---------

LONG_NAMES = """\
[chrono]
timezone = "Asia/Tokyo"

[actors.sutskever]
name = "Ilya Sutskever"
role = "Chief scientist and co-founder of OpenAI, member of the board"
aliases = ["Ilya Sutskever Sr", "Sutskever"]

[actors.murati]
name = "Mira Murati"
role = "Chief technology officer, then interim chief executive"
aliases = ["Ermira Murati", "Murati"]

[actors.pachocki]
name = "Jakob Pachocki"
role = "Director of research"
aliases = ["Jakub Pachocki", "Pachocki"]

[actors.altman]
name = "Sam Altman"
role = "Chief executive officer"
aliases = ["Samuel Harris Altman", "Altman"]

[actors.toner]
name = "Helen Toner"
role = "Board member, director of strategy at Georgetown's CSET"

[[events]]
id = "2023-11-17-board-removes-altman"
date = "2023-11-17T12:00"
title = "The board removes its chief executive and names an interim chief executive"
actors = ["altman", "sutskever", "murati", "toner"]
location = "San Francisco, California, United States"
kind = "decision"
tags = ["board", "governance"]
summary = "The board says its chief executive was not consistently candid."
sources = ["https://openai.com/blog/openai-announces-leadership-transition-with-a-long-path/and-more?utm_source=newsletter&utm_medium=email"]

[[events]]
id = "2023-11-21-altman-returns"
date = "2023-11-21T15:00"
title = "The chief executive returns with a new initial board"
actors = ["altman", "sutskever", "pachocki", "murati"]
location = "San Francisco, California, United States"
kind = "announcement"
tags = ["board"]
sources = ["https://example.com/a", "ftp://example.com/files/not-a-link"]

[[events]]
id = "2024-05-14-sutskever-leaves"
date = "2024-05-14"
title = "The chief scientist leaves; the director of research succeeds him"
actors = ["sutskever", "pachocki"]
kind = "departure"
tags = ["research"]
"""

NAMES = [
    "Ilya Sutskever", "Mira Murati", "Jakob Pachocki", "Sam Altman", "Helen Toner",
    "Ilya Sutskever Sr", "Ermira Murati", "Jakub Pachocki", "Samuel Harris Altman",
]  # fmt: skip
DATES = ["17 Nov 2023 12:00 JST", "21 Nov 2023 15:00 JST", "14 May 2024", "(2023-11-17T12:00)"]
BOX = {"┏": "┓", "┃": "┃", "┡": "┩", "│": "│", "└": "┘"}
VIEWS = [
    ("list",),
    ("list", "--format", "table"),
    ("show", "2023-11-17"),
    ("show", "2023-11-21"),
    ("actors",),
    ("actors", "Sutskever"),
    ("actors", "--pairs"),
]


def _cells(line: str) -> list[str]:
    """A line's cells: a table row split at its borders, else the whole line."""
    if line[:1] in BOX and line[:1] not in "┏┡└":
        return [cell.strip() for cell in line[1:-1].replace("┃", "│").split("│")]
    return [line.strip()]


def _split(text: str, tokens: list[str]) -> list[str]:
    """The tokens some cell ends with the start of while the same cell on the next line
    starts with the rest (a break at a blank or inside a word)."""
    found = []
    lines = text.splitlines()
    for above, below in itertools.pairwise(lines):
        upper, lower = _cells(above), _cells(below)
        if len(upper) != len(lower):
            continue
        for a, b in zip(upper, lower, strict=True):
            for token in tokens:
                for cut in range(1, len(token)):
                    head, tail = token[:cut].rstrip(), token[cut:].lstrip()
                    if head and tail and a.endswith(head) and b.startswith(tail):
                        found.append(f"{token!r}: {a!r} / {b!r}")
    return found


def _assert_fits(text: str, width: int, *, whole: tuple[str, ...] = ()) -> None:
    """Every line within ``width`` (but those holding one of ``whole``), every table's
    borders closed, no name or date broken across lines."""
    for line in text.splitlines():
        if not any(w in line for w in whole):
            assert len(line) <= width, (width, line)
        if line[:1] in BOX:
            assert line[-1] == BOX[line[0]], (width, line)
    tables = [line for line in text.splitlines() if line[:1] in BOX]
    assert len({len(line) for line in tables}) <= 1, tables  # one table, all its lines
    assert not _split(text, NAMES + DATES), _split(text, NAMES + DATES)


@pytest.fixture
def long_names(tmp_path: Path) -> Path:
    """A log of people with long names and times with a zone."""
    log = tmp_path / "events.toml"
    log.write_text(LONG_NAMES)
    return log


URLS = (
    "https://openai.com/blog/openai-announces-leadership-transition-with-a-long-path/and-more"
    "?utm_source=newsletter&utm_medium=email",
)


@pytest.mark.parametrize("width", [60, 80, 100, 120])
@pytest.mark.parametrize("view", VIEWS, ids=" ".join)
def test_every_view_fits_and_breaks_no_name_or_date(
    run: Run, long_names: Path, view: tuple[str, ...], width: int
) -> None:
    """At 60, 80, 100 and 120 columns every view keeps within the width with whole borders,
    and no name or date is split across lines (a URL or the log's path may run past)."""
    result = run(*view, "-f", str(long_names), env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    _assert_fits(result.stdout, width, whole=(*URLS, f"{long_names}:"))
    for name in ("Ilya Sutskever", "Mira Murati"):
        assert name in result.stdout


def test_the_actor_table_at_80_columns_keeps_names_dates_and_its_border(
    run: Run, long_names: Path
) -> None:
    """At 80 columns the actor table shows each name whole, both dates, and its right
    border; the key column is what gives way."""
    lines = run("actors", "-f", str(long_names), env={"COLUMNS": "80"}).stdout.splitlines()
    header = [cell.strip() for cell in lines[1].strip("┃").split("┃")]
    assert header == ["Actor", "Events", "First", "Last"]
    row = [cell.strip() for cell in lines[3].strip("│").split("│")]
    assert row == ["Ilya Sutskever", "3", "17 Nov 2023 12:00 JST", "14 May 2024"]
    assert all(line[-1] in "┓┃┩│┘" for line in lines[:-1])


@pytest.mark.parametrize("width", [60, 80, 120])
def test_check_writes_each_diagnostic_whole_on_one_line(
    run: Run, long_names: Path, width: int
) -> None:
    """`check`'s diagnostics are one line each, as a compiler writes them, at any width
    (the terminal wraps them; chrono never breaks a name, a date or a place in them)."""
    result = run("check", "-f", str(long_names), env={"COLUMNS": str(width)})
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{long_names}:")
    assert "'ftp://example.com/files/not-a-link' looks like a URL" in lines[0]
    assert lines[1] == f"{long_names}: 3 events, 5 actors: 0 errors, 1 warning"


def _module_views(log: Path, width: int, direct: bool) -> list[str]:
    """Every terminal view of ``log`` drawn on a console ``width`` wide (tables laid out
    ``direct``ly or by rich)."""
    from rich.console import Console

    from chrono.app.settings import from_environment
    from chrono.core.query import Query, select
    from chrono.operations import showing, summaries
    from chrono.storage import store

    chronology = store.load(log)
    selection = select(chronology, Query())
    reading = from_environment(os.environ).reading()
    found = summaries.actors(log, reading, notes=print)
    pairs = summaries.actors(log, reading, pairs=True, notes=print)
    one = summaries.actors(log, reading, name="Sutskever", notes=print).details
    shown = showing.show(log, "2023-11-17", reading)
    assert one is not None and pairs.pairs is not None
    drawings = [
        lambda c: render.timeline(c, chronology, selection, chronology.tz),
        lambda c: render.table(c, chronology, selection, chronology.tz, direct=direct),
        lambda c: render.actors_table(c, chronology, found.summaries, chronology.tz),
        lambda c: render.pairs_table(c, chronology, pairs.pairs or [], direct=direct),
        lambda c: render.actor_detail(c, chronology, *one[0][:3], chronology.tz),
        lambda c: render.show(c, shown.chronology, shown.event, (None, shown.after), shown.display),
    ]
    texts = []
    for draw in drawings:
        buffer = io.StringIO()
        draw(Console(file=buffer, width=width, color_system=None))
        texts.append("\n".join(line.rstrip() for line in buffer.getvalue().splitlines()))
    return texts


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("direct", [False, True])
def test_every_view_fits_on_a_console_of_that_width(
    long_names: Path, width: int, direct: bool
) -> None:
    """Drawn on a rich console of 60, 80 or 120 columns, laid out by rich or directly, each
    view fits, closes its borders and breaks no name or date."""
    for text in _module_views(long_names, width, direct):
        _assert_fits(text, width, whole=(*URLS, f"{long_names}:"))


# --- Point 11: a URL in `show` is never broken, and is a link only in colour ----------

OSC8 = "\x1b]8;"


@pytest.mark.parametrize("width", [40, 60, 80])
def test_show_keeps_each_url_whole_on_one_line(run: Run, long_names: Path, width: int) -> None:
    """`show` writes a URL wider than the terminal whole on a line of its own (to click or
    copy), never with a line break inside it; piped, without any escape code."""
    result = run("show", "2023-11-17", "-f", str(long_names), env={"COLUMNS": str(width)})
    lines = result.stdout.splitlines()
    assert any(line.strip() == URLS[0] for line in lines), lines
    assert ESC not in result.stdout
    short = run("show", "2023-11-21", "-f", str(long_names), env={"COLUMNS": str(width)})
    assert "[1] https://example.com/a" in short.stdout
    assert any(
        line.endswith(" ftp://example.com/files/not-a-link") for line in short.stdout.splitlines()
    )


def test_in_colour_http_sources_are_links_and_others_are_not(long_names: Path) -> None:
    """With colour, each http(s) source is an OSC 8 link to itself; an ftp URL and the other
    fields are plain text; without colour there is no escape code at all."""
    coloured = _piped("--color", "always", "show", "2023-11-21", "-f", str(long_names), env={})
    text = coloured.stdout
    assert text.count(OSC8) == 2  # one link: its opening and its closing
    assert f"{OSC8}id=" in text and ";https://example.com/a\x1b\\https://example.com/a" in text
    assert "ftp://example.com/files/not-a-link" in text
    assert ";ftp://" not in text
    plain = _piped("show", "2023-11-21", "-f", str(long_names), env={"COLUMNS": "40"})
    assert ESC not in plain.stdout and "https://example.com/a" in plain.stdout


def test_a_source_with_markup_or_escapes_is_shown_as_written(tmp_path: Path) -> None:
    """A source's text is data: `[bold]` stays literal, and an escape in a URL is made
    visible, in the text and in the link alike (it cannot drive the terminal)."""
    from chrono.output.detail import _source

    atoms = _source(1, "[bold]x[/bold] https://e.org/\x1b]8;;evil\x07")
    assert "".join(a.text for a in atoms).startswith("[1] [bold]x[/bold] https://e.org/")
    link = next(a for a in atoms if a.whole)
    assert "\x1b" not in link.text and "\x07" not in link.text
    assert link.style and "\x1b" not in str(getattr(link.style, "link", ""))


@given(
    st.lists(st.text("abcdefgh", min_size=1, max_size=14), min_size=1, max_size=12),
    st.integers(3, 30),
)
def test_packing_words_is_rich_s_wrapping(texts: list[str], width: int) -> None:
    """Laid out by chrono, plain words break where rich would break them (the golden files
    and the README's output depend on it)."""
    from rich.console import Console
    from rich.text import Text

    from chrono.output.lines import pack, plain, words

    text = " ".join(texts)
    console = Console(width=200, file=io.StringIO())
    theirs = [line.plain.rstrip() for line in Text(text).wrap(console, width, overflow="fold")]
    assert [plain(line) for line in pack(words(text), width)] == theirs


def test_packing_keeps_names_and_whole_atoms() -> None:
    """A line breaks between names, a name wider than the line breaks at its blanks, and a
    whole atom (a URL) is left whole on its own line."""
    from chrono.output.lines import Atom, pack, phrases, plain

    names = phrases(["Ilya Sutskever", "Mira Murati", "Jakob Pachocki"])
    assert [plain(line) for line in pack(names, 30)] == [
        "Ilya Sutskever, Mira Murati,", "Jakob Pachocki",
    ]  # fmt: skip
    assert [plain(line) for line in pack(names, 12)] == [
        "Ilya", "Sutskever,", "Mira Murati,", "Jakob", "Pachocki",
    ]  # fmt: skip
    url = "https://example.com/" + "x" * 40
    atoms = [Atom("see "), Atom(url, whole=True), Atom(" then"), Atom(" more")]
    assert [plain(line) for line in pack(atoms, 20)] == ["see", url, "then more"]


# --- Point 15: the shell completes ids, actors, tags and kinds from the log -----------


def _complete(words: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[list[str], str]:
    """What the shell is offered for the last word of ``words`` (click's protocol, as the
    script `chrono --install-completion` installs runs it), and what went to stderr."""
    argv = [sys.executable, "-m", "chrono"]
    if env and env.get("IMPORTTIME"):
        argv[1:1] = ["-X", "importtime"]
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    full = {**os.environ, "_CHRONO_COMPLETE": "complete_bash", "COMP_WORDS": words,
            "COMP_CWORD": str(cword), **(env or {})}  # fmt: skip
    full.pop("CHRONO_FILE", None) if not (env and "CHRONO_FILE" in env) else None
    result = subprocess.run(
        argv, env=full, capture_output=True, text=True, check=False, cwd=cwd, timeout=60
    )
    return result.stdout.split(), result.stderr


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        ("chrono show 2023-", ["2023-11-17-board-removes-altman", "2023-11-21-altman-returns"]),
        ("chrono show 2024", ["2024-05-14-sutskever-leaves"]),
        ("chrono show x", []),
        ("chrono list -a mu", ["murati"]),
        ("chrono list -a Mu", ["Murati"]),
        ("chrono list --actor pa", ["pachocki"]),
        ("chrono export md -a s", ["sutskever"]),
        ("chrono list --tag b", ["board"]),
        ("chrono list -t ", ["board", "governance", "research"]),
        ("chrono list --kind de", ["decision", "departure"]),
        ("chrono list -k a", ["announcement"]),
        ("chrono actors mu", ["murati"]),  # the NAME argument
        ("chrono add T -a mu", ["murati"]),
        ("chrono add T -t b", ["board"]),
        ("chrono add T -k de", ["decision", "departure"]),
        ("chrono set x --add-actor pa", ["pachocki"]),
        ("chrono set x --remove-tag g", ["governance"]),
        ("chrono set x --kind a", ["announcement"]),
        ("chrono rm 2024", ["2024-05-14-sutskever-leaves"]),
        ("chrono edit 2024", ["2024-05-14-sutskever-leaves"]),
        ("chrono actors --pairs -k de", ["decision", "departure"]),
    ],
)
def test_completion_offers_the_logs_values(
    long_names: Path, words: str, offered: list[str]
) -> None:
    """`chrono show <TAB>`, `-a`, `--tag` and `--kind` complete from the log found as a
    command would find it (here the events.toml of the current folder), by prefix."""
    assert _complete(words, long_names.parent) == (offered, "")


def test_completion_reads_the_log_the_command_line_names(long_names: Path, tmp_path: Path) -> None:
    """A `--file` before the word, else $CHRONO_FILE, names the log completed from."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    bundled = str(ROOT / "events.toml")
    assert _complete(f"chrono list -f {long_names} -a mu", elsewhere)[0] == ["murati"]
    assert _complete(f"chrono list -f {bundled} -a wit", long_names.parent)[0] == ["witkoff"]
    assert _complete("chrono list -a wit", long_names.parent, {"CHRONO_FILE": bundled})[0] == [
        "witkoff"
    ]


@pytest.mark.parametrize("damage", ["broken", "missing", "fifo", "journal"])
def test_completion_of_a_log_it_cannot_read_offers_nothing_quietly(
    long_names: Path, damage: str
) -> None:
    """A broken or missing log, a pipe, or a change a crash interrupted: no completion, no
    message, no traceback, no wait, and the log and its journal left as they are."""
    if damage == "broken":
        long_names.write_text(LONG_NAMES + "\n[[events]\n")
    elif damage == "missing":
        long_names.unlink()
    elif damage == "fifo":
        long_names.unlink()
        os.mkfifo(long_names)
    else:
        beside(long_names, "append").write_bytes(b"not a journal")
    before = long_names.read_bytes() if damage in ("broken", "journal") else None
    assert _complete("chrono show 2023-", long_names.parent) == ([], "")
    assert _complete("chrono list -a mu", long_names.parent) == ([], "")
    if before is not None:
        assert long_names.read_bytes() == before
    if damage == "journal":
        assert beside(long_names, "append").read_bytes() == b"not a journal"


def test_completion_with_a_warm_index_parses_no_toml(run: Run, long_names: Path) -> None:
    """Once the index is built, completing reads it: neither the TOML parser nor the store
    is imported (the work does not grow with the log's text)."""
    assert run("list", "-f", str(long_names), "--format", "ids").exit_code == 0  # builds it
    for words in ("chrono show 2023-", "chrono list -a mu", "chrono list --tag b"):
        offered, imports = _complete(words, long_names.parent, {"IMPORTTIME": "1"})
        assert offered
        imported = {line.split("|")[-1].strip() for line in imports.splitlines()}
        assert not imported & {"tomllib", "tomli", "chrono.storage.store"}, words
        assert "chrono.storage.index.reading" in imported, words


def test_candidates_filter_by_prefix_and_leave_out_blanks(long_names: Path) -> None:
    """The operation: ids by exact prefix; actors, tags and kinds in any case or accent;
    no value with a blank in it (a shell would split it)."""
    from chrono.app.settings import from_environment
    from chrono.operations.completing import candidates

    cache = from_environment(os.environ).cache
    assert candidates(long_names, cache, "id", "2023-11-2") == ["2023-11-21-altman-returns"]
    assert candidates(long_names, cache, "id", "2023-11-2".upper() + "x") == []
    assert candidates(long_names, cache, "actor", "MU") == ["Murati", "murati"]
    assert candidates(long_names, cache, "actor", "Mi") == []  # "Mira Murati" has a blank
    assert candidates(long_names, cache, "actor", "") == sorted(
        ["altman", "Altman", "murati", "Murati", "pachocki", "Pachocki", "sutskever",
         "Sutskever", "toner"]
    )  # fmt: skip
    assert candidates(long_names, cache, "tag", "GOV") == ["governance"]
    assert candidates(long_names, cache, "kind", "") == ["announcement", "decision", "departure"]


def test_the_completion_callback_never_raises_or_prints(capsys: pytest.CaptureFixture[str]) -> None:
    """Whatever goes wrong while completing (no log, a context without settings), the
    callback offers nothing and writes nothing."""
    from chrono.app.completion import complete
    from chrono.app.options import settings_of

    class Broken:
        def __init__(self) -> None:
            self.params = {"file": "/nonexistent/events.toml"}

        def find_root(self) -> object:
            raise RuntimeError("no root")

    assert complete(Broken(), "id", "", settings_of) == []  # type: ignore[arg-type]
    assert capsys.readouterr() == ("", "")


def test_candidates_do_not_open_a_pipe_or_a_log_with_a_journal(
    long_names: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pipe (reading it would take what its writer sends) and a log with a change a crash
    interrupted (opening it would finish that change) are not opened at all."""
    from chrono.app.settings import from_environment
    from chrono.operations import completing, reading

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("opened")

    monkeypatch.setattr(reading, "open_source", refused)
    cache = from_environment(os.environ).cache
    for journal in (beside(long_names, "append"), long_names.parent / ".events.toml.append"):
        journal.write_bytes(b"")  # where chrono keeps it, and where an older one did
        assert completing.candidates(long_names, cache, "id", "") == []
        journal.unlink()
    pipe = long_names.parent / "pipe.toml"
    os.mkfifo(pipe)
    assert completing.candidates(pipe, cache, "id", "") == []
    with pytest.raises(AssertionError, match="opened"):
        completing.candidates(long_names, cache, "id", "")


@pytest.mark.parametrize("width", ["36", "40", "60"])
def test_a_place_breaks_only_after_its_commas(run: Run, tmp_path: Path, width: str) -> None:
    """`St Petersburg` is a name: the timeline breaks a place after its commas, never inside."""
    log = tmp_path / "events.toml"
    log.write_text('[[events]]\nid = "a"\ndate = "2024-01-01"\ntitle = "Talks"\n'
                   'location = "Konstantinovsky Palace, St Petersburg, Russia"\n'
                   'actors = ["Vladimir Putin", "Steve Witkoff"]\nkind = "meeting"\n')  # fmt: skip
    shown = run("--no-cache", "list", "-f", str(log), env={"COLUMNS": width}).stdout
    lines = [line.strip() for line in shown.splitlines()]
    assert any("St Petersburg" in line for line in lines), shown
    assert any("Konstantinovsky Palace" in line for line in lines), shown
