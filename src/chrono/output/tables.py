"""Tables: events, actors, and who appears with whom.

Every table is laid out here: which columns show, and how wide each is. A column is
never narrower than its longest name or date, which never breaks; when the columns do
not fit, the least useful are dropped (a narrow terminal loses the location before the
actors); titles and roles wrap at their words. The cells are wrapped here too, so a
short table drawn by rich and a long one written a few hundred lines at a time (rich
measured and rendered every cell first) are the same table.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import NamedTuple

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from chrono.core.datetext import label
from chrono.core.model import Chronology, Event
from chrono.core.query import ActorSummary, Selection
from chrono.core.text import plural
from chrono.output.labels import count_line, date_label
from chrono.output.lines import Lines, pack, phrases, plain, words
from chrono.output.safe_text import clean


class Column(NamedTuple):
    """A column: its heading, how its cells wrap, its share of the width, its looks."""

    name: str
    wrap: str = "words"  # "none": one line; "words": at blanks; "names": between names only
    ratio: int = 0  # a share of the width the other columns leave; 0: its widest cell's
    justify: str = "left"
    style: str = ""


Cell = str | tuple[str, ...]  # a text, or names (a "names" column's)

WORD_LEAST = 16  # a column of words is at least its longest word, up to this: longer ones fold


def table(
    console: Console,
    chronology: Chronology,
    selection: Selection,
    display: dt.tzinfo,
    *,
    direct: bool | None = None,
) -> None:
    """Events as a table: date, title, actors, location, kind (fewer columns when narrow).

    The location shows from 90 columns, the kind from 75, the actors from 60, each while
    the columns still fit; a long table (or ``direct=True``) is written directly.
    """
    width = console.width
    columns = [
        *([Column("#", "none", justify="right")] if selection.numbers else []),
        Column("Date", "none", style="cyan"),
        Column("Event", ratio=3),
        *([Column("Actors", "names", ratio=2)] if width >= 60 else []),
        *([Column("Location", ratio=2)] if width >= 90 else []),
        *([Column("Kind", "none")] if width >= 75 else []),
    ]
    rows = [_event_row(chronology, selection, e, display, columns) for e in selection.events]
    draw(console, columns, rows, direct, drop=("Location", "Kind", "Actors", "#"))
    console.print(Text(count_line(chronology, selection), style="dim"))


def _event_row(
    chronology: Chronology,
    selection: Selection,
    event: Event,
    display: dt.tzinfo,
    columns: list[Column],
) -> list[Cell]:
    cells: dict[str, Cell] = {
        "#": str(selection.numbers.get(event.id, "")),
        "Date": date_label(chronology, event, display),
        "Event": clean(event.title),
        "Actors": tuple(clean(chronology.registry.display(a)) for a in event.actors),
        "Location": clean(event.location or ""),
        "Kind": clean(event.kind or ""),
    }
    return [cells[column.name] for column in columns]


def draw(
    console: Console,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    direct: bool | None = None,
    *,
    drop: Sequence[str] = (),
    expand: bool = True,
) -> None:
    """A table of ``rows``, dropping the columns named in ``drop`` (first the first) while
    the columns do not fit: drawn by rich, or, when long (or ``direct``), written here."""
    kept, widths = layout(console.width, columns, rows, drop=drop, expand=expand)
    shown = [columns[i] for i in kept]
    texts = [
        [_lines(columns[i], row[i], width) for i, width in zip(kept, widths, strict=True)]
        for row in rows
    ]
    if direct is None:
        direct = len(rows) > 50
    if direct and not console.options.ascii_only:  # rich draws other borders without UTF-8
        _direct_table(console, shown, texts, widths)
        return
    grid = Table(header_style="bold", expand=False)
    for column, width in zip(shown, widths, strict=True):
        grid.add_column(
            column.name, width=width, no_wrap=True, justify=column.justify,  # type: ignore[arg-type]
            style=column.style,
        )  # fmt: skip
    for cells in texts:
        grid.add_row(*(Text("\n".join(lines)) for lines in cells))
    console.print(grid)


def _lines(column: Column, cell: Cell, width: int) -> list[str]:
    """A cell's lines in a column ``width`` cells wide."""
    if column.wrap == "none" and cell_len(str(cell)) <= width:
        return [str(cell)]
    atoms = phrases(cell) if isinstance(cell, tuple) else words(cell)
    return [plain(line) for line in pack(atoms, width)] or [""]


def _least(column: Column, cells: list[Cell]) -> int:
    """The narrowest the column can be: its heading, and no name or date broken."""
    widest = cell_len(column.name)
    for cell in cells:
        if column.wrap == "none":
            widest = max(widest, cell_len(str(cell)))
        elif isinstance(cell, tuple):
            widest = max(widest, *(cell_len(a.text.rstrip()) for a in phrases(cell)), 0)
        else:
            longest = max((cell_len(w.text.strip()) for w in words(cell)), default=0)
            widest = max(widest, min(longest, WORD_LEAST))
    return widest


def _most(column: Column, cells: list[Cell]) -> int:
    """The column's width with every cell on one line."""
    texts = [", ".join(c) if isinstance(c, tuple) else c for c in cells]
    return max([cell_len(column.name), *(cell_len(t) for t in texts)])


def layout(
    width: int,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    *,
    drop: Sequence[str] = (),
    expand: bool = True,
) -> tuple[list[int], list[int]]:
    """The columns shown (their indexes) and each one's width inside its padding.

    The columns named in ``drop`` go, first the first, until the others fit at their
    narrowest; the width left goes to the columns with a ratio, in proportion, as rich
    shares it (or, for a table that does not ``expand``, to each column up to its widest).
    """
    cells = [[row[i] for row in rows] for i in range(len(columns))]
    least = [_least(column, cells[i]) for i, column in enumerate(columns)]
    most = [max(_most(column, cells[i]), least[i]) for i, column in enumerate(columns)]
    kept = list(range(len(columns)))

    def room() -> int:  # the width inside the borders and padding
        return width - 3 * len(kept) - 1

    for name in drop:
        if sum(least[i] for i in kept) <= room():
            break
        kept = [i for i in kept if columns[i].name != name]
    narrowest = _squeezed([least[i] for i in kept], [columns[i].wrap for i in kept], room())
    flexible = [columns[i].ratio if expand else 0 for i in kept]
    widths = [
        0 if ratio else most[i] if n == least[i] else n  # squeezed: it wraps
        for i, n, ratio in zip(kept, narrowest, flexible, strict=True)
    ]
    if not any(flexible):
        return kept, _grown(narrowest, [most[i] for i in kept], room())
    shared = [n for n, ratio in zip(narrowest, flexible, strict=True) if ratio]
    left = room() - sum(widths)
    shares = iter(_share(left, [r for r in flexible if r], shared))
    return kept, [next(shares) if ratio else w for w, ratio in zip(widths, flexible, strict=True)]


SQUEEZED = 6  # the narrowest a column of words gets before a date or a count wraps


def _squeezed(least: list[int], wraps: list[str], room: int) -> list[int]:
    """The narrowest widths, made narrower when even they do not fit (a terminal too
    narrow for the columns that cannot be dropped): first the widest column of words or
    names, down to a few cells, then the widest of all; what no longer fits wraps at its
    blanks."""
    least = list(least)
    while sum(least) > room:
        wrapping = [i for i, wrap in enumerate(wraps) if wrap != "none" and least[i] > SQUEEZED]
        wide = wrapping or [i for i, width in enumerate(least) if width > SQUEEZED]
        if not wide:
            break
        least[max(wide, key=lambda i: least[i])] -= 1
    return least


def _grown(least: list[int], most: list[int], room: int) -> list[int]:
    """Widths from the narrowest towards the widest, the room shared by what each lacks."""
    if sum(most) <= room:
        return list(most)
    lacking = [m - n for n, m in zip(least, most, strict=True)]
    extra = _share(max(room - sum(least), 0), lacking, [0] * len(least))
    return [n + e for n, e in zip(least, extra, strict=True)]


def _share(total: int, ratios: list[int], least: list[int]) -> list[int]:
    """``total`` shared out in proportion to ``ratios``, none under its ``least``, in whole
    cells as rich shares them (with its padding: each share is 2 cells more to rich)."""
    padded = [n + 2 for n in least]
    total += 2 * len(ratios)
    pinned: set[int] = set()  # the columns whose share would be under their least
    while len(pinned) < len(ratios):
        pool = sum(r for i, r in enumerate(ratios) if i not in pinned)
        rest = total - sum(padded[i] for i in pinned)
        under = {
            i for i, r in enumerate(ratios)
            if i not in pinned and (not pool or r * rest / pool < padded[i])
        }  # fmt: skip
        if not under:
            break
        pinned |= under
    remaining = total - sum(padded[i] for i in pinned)
    ratio_left = sum(r for i, r in enumerate(ratios) if i not in pinned)
    shares = list(padded)
    for i, ratio in enumerate(ratios):
        if i not in pinned:
            shares[i] = max(padded[i], math.ceil(ratio * remaining / ratio_left))
            ratio_left -= ratio
            remaining -= shares[i]
    return [share - 2 for share in shares]


def _direct_table(
    console: Console, columns: list[Column], rows: list[list[list[str]]], widths: list[int]
) -> None:
    """The table as rich draws it, line by line, a few hundred lines at a time."""
    out = Lines(console)
    padded = [w + 2 for w in widths]
    out.line(("┏" + "┳".join("━" * w for w in padded) + "┓", ""))

    def cells(texts: list[list[str]], edge: str, style: str | None) -> None:
        for k in range(max(len(lines) for lines in texts)):
            pieces = [(edge, "")]
            for column, lines, room in zip(columns, texts, widths, strict=True):
                text = lines[k] if k < len(lines) else ""
                blank = " " * (room - cell_len(text))
                right = column.justify == "right"
                pieces.append((" " + blank if right else " ", ""))
                pieces.append((text, style if style is not None else column.style))
                pieces.append((" " if right else blank + " ", ""))
                pieces.append((edge, ""))
            out.line(*pieces)

    cells([[column.name] for column in columns], "┃", "bold")
    out.line(("┡" + "╇".join("━" * w for w in padded) + "┩", ""))
    for row in rows:
        cells(row, "│", None)
    out.line(("└" + "┴".join("─" * w for w in padded) + "┘", ""))
    out.flush()


def actors_table(
    console: Console, chronology: Chronology, summaries: list[ActorSummary], display: dt.tzinfo
) -> None:
    """The actor table: name, key, role, aliases, events, first and last appearance.

    The name and the count always show; the role from 100 columns, the aliases from 120,
    each while the columns still fit, and then the key, the first and the last appearance
    as they fit.
    """
    width = console.width
    columns = [
        Column("Actor", "names", ratio=2),
        Column("Key", "none", style="cyan"),
        *([Column("Role", ratio=2)] if width >= 100 else []),
        *([Column("Aliases", "names", ratio=2)] if width >= 120 else []),
        Column("Events", "none", justify="right"),
        Column("First", "none"),
        Column("Last", "none"),
    ]
    rows = []
    for summary in summaries:
        first = last = ""
        if summary.events:
            first = label(summary.events[0].date, None, chronology.tz, display)
            final = summary.events[-1]
            last = label(final.end or final.date, None, chronology.tz, display)
        cells: dict[str, Cell] = {
            "Actor": (clean(summary.name),),
            "Key": clean(summary.key) if summary.registered else "—",
            "Role": clean(summary.role or ""),
            "Aliases": tuple(clean(alias) for alias in summary.aliases),
            "Events": str(len(summary.events)),
            "First": first,
            "Last": last,
        }
        rows.append([cells[column.name] for column in columns])
    draw(console, columns, rows, drop=("Aliases", "Role", "Key", "First", "Last"))
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
    cells: list[list[Cell]] = [
        [(clean(display(a)),), (clean(display(b)),), str(count)] for a, b, count in rows
    ]
    columns = [Column("Actor", "names"), Column("With", "names"), _EVENTS]
    draw(console, columns, cells, direct, expand=False)
    console.print(Text(f"{len(rows)} pairs", style="dim"))


_EVENTS = Column("Events", "none", justify="right")


def company_table(console: Console, chronology: Chronology, rows: list[tuple[str, int]]) -> None:
    """Whom one actor appears with, and how often."""
    display = chronology.registry.display
    cells: list[list[Cell]] = [[(clean(display(key)),), str(count)] for key, count in rows]
    draw(console, [Column("Appears with", "names"), _EVENTS], cells, expand=False)
