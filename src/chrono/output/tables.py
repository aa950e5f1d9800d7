"""Tables: events, actors, and who appears with whom.

A long table is laid out here, in rich's own column widths and box, and written a few
hundred lines at a time (rich measured and rendered every cell first).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from chrono.core.datetext import label
from chrono.core.model import Chronology
from chrono.core.query import ActorSummary, Selection
from chrono.core.text import plural
from chrono.output.labels import actor_names, count_line, date_label
from chrono.output.lines import Lines, wrapped
from chrono.output.safe_text import clean


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
    out = Lines(console)
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
            [cell] if column.get("no_wrap") else wrapped(console, cell, room)
            for column, cell, room in zip(columns, row, inner, strict=True)
        ]
        cells(texts, "│", None)
    out.line(("└" + "┴".join("─" * w for w in widths) + "┘", ""))
    out.flush()


def actors_table(
    console: Console, chronology: Chronology, summaries: list[ActorSummary], display: dt.tzinfo
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
    note = plural(len(summaries), "actor")
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
