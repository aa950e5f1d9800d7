"""Terminal output: timelines, tables and single events. The only module that imports rich.

Text from the log is data, never markup: it goes into rich ``Text`` objects (which
never parse ``[bold]`` or ``:smile:``), after :func:`clean` has made control
characters, escape sequences and bidi overrides visible and harmless.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sys
from collections.abc import Iterator, Mapping
from typing import IO, Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from chrono.core.dates import DAY_US, Precision, label, year_month
from chrono.core.model import Chronology, Event
from chrono.core.query import Selection
from chrono.output.labels import MONTHS, actor_names, clean, count_line, date_label, gap_text


class _Trimmed:
    """A text stream that drops the trailing blanks rich pads table cells with."""

    # Possessive, and only from the start of a run of blanks: linear in the text (a
    # backtracking " +" cost seconds on a 20,000-row table of padded cells).
    _PAD = re.compile(r"(?<! ) ++((?:\x1b\[[0-9;]*+m)*+)\n")

    def __init__(self, stream: IO[str], *, terminal: bool | None = None) -> None:
        self._stream = stream
        self._terminal = terminal  # a pager's pipe ends on the terminal

    def write(self, text: str) -> int:
        self._stream.write(self._PAD.sub(r"\1\n", text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty() if self._terminal is None else self._terminal

    @property
    def encoding(self) -> str:
        """The stream's encoding: rich draws ASCII boxes where it is not UTF-8."""
        return getattr(self._stream, "encoding", None) or "utf-8"

    def fileno(self) -> int:
        return self._stream.fileno()


class _Console(Console):
    """A console that stops quietly, with status 0, when its reader goes away."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0)


def make_console(
    file: IO[str] | None = None, width: int | None = None, *, colour: bool = True
) -> Console:
    """A console that writes plain text when piped or without ``colour`` (``NO_COLOR``).

    ``width`` 0 (``COLUMNS=0``) is the terminal's width: rich would print nothing.
    """
    kwargs: dict[str, object] = {}
    if not colour:
        kwargs["color_system"] = None
    if width == 0:
        width = _terminal_width()
    return _Console(
        file=_Trimmed(file or sys.stdout),  # type: ignore[arg-type]
        width=width,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
        **kwargs,  # type: ignore[arg-type]
    )


def _terminal_width() -> int:
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, OSError, ValueError):
        return 80


@contextlib.contextmanager
def paged(
    console: Console, wanted: bool, command: str, environ: Mapping[str, str]
) -> Iterator[None]:
    """Send the output through ``command`` (``$PAGER``) when asked and stdout is a terminal.

    The pager gets the output as it is printed, so its first page shows at once on a big
    log; quitting it early ends chrono quietly.
    """
    if not (wanted and console.is_terminal):
        yield
        return
    import subprocess  # noqa: PLC0415

    if command == "less" and not _has_less():  # a machine without less: print directly
        yield
        return
    env = {"LESS": "FRX", **environ}  # let less show colours, and quit on one screen
    try:
        pager = subprocess.Popen(  # noqa: S602 - $PAGER is a shell command, as git runs it
            command,
            shell=True,
            env=env,
            stdin=subprocess.PIPE,
            encoding=getattr(sys.stdout, "encoding", None) or "utf-8",
            errors="replace",
        )
    except OSError:  # no pager to run: print directly
        yield
        return
    assert pager.stdin is not None
    screen = console.file
    console.file = _Trimmed(pager.stdin, terminal=True)  # type: ignore[assignment]
    try:
        yield
    finally:
        console.file = screen
        with contextlib.suppress(OSError):
            pager.stdin.close()
        while True:
            try:
                pager.wait()
                break
            except KeyboardInterrupt:  # Ctrl-C is the pager's to handle
                continue


def _has_less() -> bool:
    import shutil  # noqa: PLC0415

    return shutil.which("less") is not None


def timeline(
    console: Console,
    chronology: Chronology,
    selection: Selection,
    display: dt.tzinfo,
    gap_days: int = 45,
) -> None:
    """Events under year and month headings, with quiet markers for long gaps.

    Each event is one row: its date, its number when there is one, then its title and a
    line of actors, place and kind, wrapped to the width left and indented under it;
    when that leaves under 12 columns, the title and the line go under the number and
    date. The rows are laid out here rather than in a rich table, which measured every
    cell of every row again (a third of a second for 500 events), and printed a few
    hundred at a time, so that a pager or ``head`` sees the first at once.
    """
    events = selection.events
    labels = [date_label(chronology, e, display) for e in events]
    width = max((cell_len(t) for t in labels), default=0)
    numbers = selection.numbers
    number_width = max((len(f"#{n}") for n in numbers.values()), default=0)
    indent = 2 + width + 1 + (number_width + 1 if number_width else 0)
    stacked = console.width - indent < 12
    if stacked:  # a narrow terminal, or very long date labels
        indent = 4
    body_width = max(console.width - indent, 1)
    year = month = None
    out = _Lines(console)
    previous: Event | None = None
    for event, text in zip(events, labels, strict=True):
        if previous is not None:
            earlier, later = sorted((previous, event), key=lambda e: e.sort_key)
            gap = later.start - earlier.stop
            if gap > gap_days * DAY_US:
                marker = f"· {gap_text(gap)} ·"
                pad = max(min(indent if stacked else width + 4, console.width - len(marker)), 0)
                out.line((" " * pad + marker, "dim italic"))
        previous = event
        e_year, e_month_number = year_month(event.date, chronology.tz, display)
        e_month = e_month_number if event.date.precision >= Precision.MONTH else None
        if e_year != year:
            out.line((str(e_year), "bold underline"))
            year, month = e_year, None
        if e_month is not None and e_month != month:
            out.line((f" {MONTHS[e_month - 1]}", "bold"))
            month = e_month
        number = (f"#{numbers[event.id]}", "magenta") if number_width else ("", "")
        first: tuple[tuple[str, str], ...]
        if stacked:  # the number first, where a long date cannot push it out of sight
            out.line(("  ", ""), number, (" " if number_width else "", ""), (text, "cyan"))
            first = ((" " * indent, ""),)
        else:
            first = (("  ", ""), (text, "cyan"))
            used = 2 + cell_len(text)
            if number_width:
                spaces = " " * (width - cell_len(text) + 1)
                first += ((spaces, ""), number)
                used += len(spaces) + len(number[0])
            first += ((" " * (indent - used), ""),)
        meta = [actor_names(chronology, event), event.location or "", event.kind or ""]
        meta_text = " · ".join(clean(m) for m in meta if m)
        lines = [(line, "bold") for line in _wrapped(console, clean(event.title), body_width)]
        if meta_text:
            lines += [(line, "dim") for line in _wrapped(console, meta_text, body_width)]
        margin = (" " * indent, "")
        for i, line in enumerate(lines):
            out.line(*(first if i == 0 else (margin,)), line)
    out.flush()
    console.print(Text(count_line(chronology, selection), style="dim"))


class _Lines:
    """Styled lines written straight to the console's file, a few hundred at a time.

    The codes are the ones rich writes for each style; what is skipped is rich's layout
    pass over text that is already laid out (two thirds of the time of a long timeline).
    A line wider than the console is cut with "…" by rich, as ``no_wrap`` would.
    """

    def __init__(self, console: Console) -> None:
        from rich.console import COLOR_SYSTEMS  # noqa: PLC0415

        self.console = console
        self.width = console.width
        self.direct = not console.legacy_windows and not console.is_jupyter
        self.system = COLOR_SYSTEMS.get(console.color_system or "")
        self.codes: dict[str, tuple[str, str]] = {}
        self.pending: list[str] = []

    def line(self, *pieces: tuple[str, str]) -> None:
        """One line made of (text, style) pieces."""
        if not self.direct or sum(cell_len(text) for text, _ in pieces) > self.width:
            self.flush()
            self.console.print(Text.assemble(*pieces), no_wrap=True, overflow="ellipsis")
            return
        self.pending.append("".join(self._styled(text, style) for text, style in pieces))
        if len(self.pending) >= 200:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.console.file.write("\n".join(self.pending) + "\n")
            self.console.file.flush()
            self.pending.clear()

    def _styled(self, text: str, style: str) -> str:
        if not style or not text or self.system is None:
            return text
        codes = self.codes.get(style)
        if codes is None:
            from rich.style import Style  # noqa: PLC0415

            parsed = Style.parse(style)
            if self.console.no_color:
                parsed = parsed.without_color
            before, _, after = parsed.render("\0", color_system=self.system).partition("\0")
            codes = self.codes[style] = (before, after)
        return codes[0] + text + codes[1]


def _wrapped(console: Console, text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` cells as rich would (most fit as they are)."""
    if cell_len(text) <= width and "\n" not in text:
        return [text]
    return [line.plain for line in Text(text).wrap(console, width, overflow="fold")]


def table(
    console: Console,
    chronology: Chronology,
    selection: Selection,
    display: dt.tzinfo,
    *,
    direct: bool | None = None,
) -> None:
    """Events as a table: date, title, actors, location, kind (fewer columns when narrow).

    A long table (or ``direct=True``) is laid out here, in rich's own column widths and
    box, and written a few hundred lines at a time: rich measured and rendered every
    cell of a 20,000-row table in ten seconds before printing its first line.
    """
    width = console.width
    wanted = {
        "#": bool(selection.numbers),
        "Date": True,
        "Event": True,
        "Actors": width >= 60,
        "Location": width >= 90,
        "Kind": width >= 75,
    }
    shown = [name for name, on in wanted.items() if on]
    rows = []
    for event in selection.events:
        cells = {
            "#": str(selection.numbers.get(event.id, "")),
            "Date": date_label(chronology, event, display),
            "Event": clean(event.title),
            "Actors": clean(actor_names(chronology, event)),
            "Location": clean(event.location or ""),
            "Kind": clean(event.kind or ""),
        }
        rows.append([cells[name] for name in shown])
    spec = {name: _COLUMNS[name] for name in shown}
    _draw(console, spec, rows, direct, show_lines=False, header_style="bold", expand=True)
    console.print(Text(count_line(chronology, selection), style="dim"))


_COLUMNS: dict[str, dict[str, Any]] = {
    "#": {"justify": "right", "no_wrap": True},
    "Date": {"no_wrap": True, "style": "cyan"},
    "Event": {"ratio": 3, "overflow": "fold"},
    "Actors": {"ratio": 2, "overflow": "fold"},
    "Location": {"ratio": 2, "min_width": 12, "overflow": "fold"},
    "Kind": {"no_wrap": True},
}


Spec = dict[str, dict[str, Any]]  # the columns shown: each name and its rich options


def _draw(
    console: Console, spec: Spec, rows: list[list[str]], direct: bool | None, **options: Any
) -> None:
    """A table of text cells: drawn by rich, or, when long, laid out here as rich would."""
    if direct is None:
        direct = len(rows) > 50
    widths = _direct_widths(console, spec, rows, **options) if direct else None
    if widths is None:
        console.print(_grid(spec, rows, **options))
    else:
        _direct_table(console, spec, rows, widths)


def _grid(spec: Spec, rows: list[list[str]], **options: Any) -> Table:
    grid = Table(**options)
    for name, column in spec.items():
        grid.add_column(name, **column)
    for row in rows:
        grid.add_row(*(Text(cell) for cell in row))
    return grid


def _direct_widths(
    console: Console, spec: Spec, rows: list[list[str]], **options: Any
) -> list[int] | None:
    """Each column's width as rich would give it (padding included), or None to let rich draw.

    The widths depend only on each column's widest cell, except in columns that share out
    the rest of the width by ratio, whose cells do not count: rich draws a one-row table
    of those widest cells, and the widths are read off its top border. None when rich
    would squeeze a column (a narrow terminal) or draws other borders (a terminal
    without box characters).
    """
    shown = list(spec)
    fixed = {i for i, name in enumerate(shown) if "ratio" not in spec[name]}
    probe = [
        max((row[i] for row in rows), key=cell_len, default="") if i in fixed else ""
        for i in range(len(shown))
    ]
    lines = console.render_lines(_grid(spec, [probe], **options), pad=False)
    top, _, rule = ("".join(segment.text for segment in line) for line in lines[:3])
    if not (top.startswith("┏") and top.endswith("┓") and rule.startswith("┡")):
        return None
    widths = [len(part) for part in top[1:-1].split("┳")]
    if len(widths) != len(shown) or sum(widths) + len(widths) + 1 > console.width:
        return None
    if any(cell_len(name) > w - 2 for name, w in zip(shown, widths, strict=True)):
        return None
    if any(cell_len(probe[i]) > widths[i] - 2 for i in fixed):
        return None
    shared = len(shown) - len(fixed)  # each at least one cell and its padding, or squeezed
    if shared and sum(widths[i] for i in fixed) + 3 * shared + len(widths) + 1 > console.width:
        return None
    return widths


def _direct_table(console: Console, spec: Spec, rows: list[list[str]], widths: list[int]) -> None:
    out = _Lines(console)
    columns = list(spec.values())
    inner = [w - 2 for w in widths]
    out.line(("┏" + "┳".join("━" * w for w in widths) + "┓", ""))

    def cells(texts: list[list[str]], edge: str, style: str | None) -> None:
        for k in range(max(len(lines) for lines in texts)):
            pieces = [(edge, "")]
            for column, lines, room in zip(columns, texts, inner, strict=True):
                text = lines[k] if k < len(lines) else ""
                blank = " " * (room - cell_len(text))
                right = column.get("justify") == "right"
                pieces.append((" " + blank if right else " ", ""))
                pieces.append((text, style if style is not None else column.get("style", "")))
                pieces.append((" " if right else blank + " ", ""))
                pieces.append((edge, ""))
            out.line(*pieces)

    cells([[name] for name in spec], "┃", "bold")
    out.line(("┡" + "╇".join("━" * w for w in widths) + "┩", ""))
    for row in rows:
        texts = [
            [cell] if column.get("no_wrap") else _wrapped(console, cell, room)
            for column, cell, room in zip(columns, row, inner, strict=True)
        ]
        cells(texts, "│", None)
    out.line(("└" + "┴".join("─" * w for w in widths) + "┘", ""))
    out.flush()


def show(
    console: Console,
    chronology: Chronology,
    event: Event,
    neighbours: tuple[Event | None, Event | None],
    display: dt.tzinfo,
) -> None:
    """Every field of one event, then the previous and next events sharing an actor."""
    console.print(Text(clean(event.title), style="bold"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")  # a long URL is folded, never cut
    when = date_label(chronology, event, display)
    iso = event.date.isoformat() + (f" / {event.end.isoformat()}" if event.end else "")
    grid.add_row("id", Text(clean(event.id)))
    grid.add_row("date", Text(f"{when}  ({iso})"))
    for name, value in (("kind", event.kind), ("location", event.location)):
        if value:
            grid.add_row(name, Text(clean(value)))
    registry = chronology.registry
    if event.actors:
        lines = []
        for key in event.actors:
            actor = registry.actors.get(key)
            if actor is None:
                lines.append(f"{key} (not in the registry)")
            else:
                lines.append(actor.name + (f" — {actor.role}" if actor.role else ""))
        grid.add_row("actors", Text(clean("\n".join(lines), multiline=True)))
    if event.tags:
        grid.add_row("tags", Text(clean(", ".join(event.tags))))
    if event.summary:
        grid.add_row("summary", Text(clean(event.summary.strip(), multiline=True)))
    if event.sources:
        listed = "\n".join(f"[{i}] {s}" for i, s in enumerate(event.sources, start=1))
        grid.add_row("sources", Text(clean(listed, multiline=True)))
    for key, value in event.extra.items():
        grid.add_row(Text(clean(key)), Text(clean(repr(value))))
    grid.add_row("line", Text(f"{chronology.path}:{event.line}"))
    before, after = neighbours
    for name, other in (("previous", before), ("next", after)):
        if other is not None:
            shared = [registry.display(a) for a in other.actors if a in event.actors]
            text = Text(f"{date_label(chronology, other, display)}  ")
            text.append(clean(other.title), style="bold")
            text.append(f"\n{clean(other.id)} · with {clean(', '.join(shared))}", style="dim")
            grid.add_row(name, text)
    console.print(grid)


def actors_table(
    console: Console, chronology: Chronology, summaries: list[Any], display: dt.tzinfo
) -> None:
    """The actor table: name, key, role, aliases, events, first and last appearance."""
    grid = Table(header_style="bold", expand=True)
    width = console.width
    # The name and the count always show; the rest as the width allows.
    wanted = {
        "Key": width >= 70,
        "Role": width >= 100,
        "Aliases": width >= 120,
        "First": width >= 56,
        "Last": width >= 40,
    }
    grid.add_column("Actor", ratio=2, overflow="fold", min_width=8)
    if wanted["Key"]:
        grid.add_column("Key", no_wrap=True, style="cyan")
    for name in ("Role", "Aliases"):
        if wanted[name]:
            grid.add_column(name, ratio=2, overflow="fold")
    grid.add_column("Events", justify="right", no_wrap=True)
    for name in ("First", "Last"):
        if wanted[name]:
            grid.add_column(name, no_wrap=True)
    for summary in summaries:
        first = last = ""
        if summary.events:
            first = label(summary.events[0].date, None, chronology.tz, display)
            final = summary.events[-1]
            last = label(final.end or final.date, None, chronology.tz, display)
        cells = {
            "Key": clean(summary.key) if summary.registered else "—",
            "Role": clean(summary.role or ""),
            "Aliases": clean(", ".join(summary.aliases)),
            "First": first,
            "Last": last,
        }
        grid.add_row(
            Text(clean(summary.name)),
            *(Text(cells[name]) for name in ("Key", "Role", "Aliases") if wanted[name]),
            Text(str(len(summary.events))),
            *(Text(cells[name]) for name in ("First", "Last") if wanted[name]),
        )
    console.print(grid)
    free = sum(not s.registered for s in summaries)
    note = f"{len(summaries)} actor{'' if len(summaries) == 1 else 's'}"
    note += f" ({free} not in the registry)" if free else ""
    console.print(Text(note, style="dim"))


def pairs_table(
    console: Console,
    chronology: Chronology,
    rows: list[tuple[str, str, int]],
    *,
    direct: bool | None = None,
) -> None:
    """Who appears with whom, and how often."""
    display = chronology.registry.display
    cells = [[clean(display(a)), clean(display(b)), str(count)] for a, b, count in rows]
    spec: Spec = {"Actor": {}, "With": {}, "Events": {"justify": "right"}}
    _draw(console, spec, cells, direct, header_style="bold", expand=False)
    console.print(Text(f"{len(rows)} pairs", style="dim"))


def actor_detail(
    console: Console,
    chronology: Chronology,
    summary: Any,
    selection: Selection,
    together: list[tuple[str, int]],
    display: dt.tzinfo,
) -> None:
    """One actor: who it is, its events as a short timeline, who it appears with most."""
    heading = Text(clean(summary.name), style="bold")
    heading.append(
        f"  ({clean(summary.key)})" if summary.registered else "  (not in the registry)",
        style="dim",
    )
    console.print(heading)
    if summary.role:
        console.print(Text(clean(summary.role)))
    if summary.aliases:
        console.print(Text("also: " + clean(", ".join(summary.aliases)), style="dim"))
    console.print()
    if selection.events:
        timeline(console, chronology, selection, display)
    if together:
        console.print()
        grid = Table(header_style="bold", title=None, expand=False)
        grid.add_column("Appears with")
        grid.add_column("Events", justify="right")
        for key, count in together:
            grid.add_row(Text(clean(chronology.registry.display(key))), Text(str(count)))
        console.print(grid)
