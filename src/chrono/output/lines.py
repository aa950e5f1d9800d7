"""Laid-out text written straight to a rich console, a few hundred lines at a time.

The timeline and long tables are laid out by chrono itself (rich measured every cell
of every row again); these write the lines with the codes rich writes for each style.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from rich.cells import cell_len, chop_cells
from rich.console import Console
from rich.style import Style
from rich.text import Text

Styled = str | Style  # a style's name (``"bold"``), or a style built here (a link)


class Lines:
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

    def line(self, *pieces: tuple[str, Styled]) -> None:
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

    def _styled(self, text: str, style: Styled) -> str:
        if not style or not text or self.system is None:
            return text
        codes = self.codes.get(style) if isinstance(style, str) else None
        if codes is None:
            parsed = Style.parse(style) if isinstance(style, str) else style
            if self.console.no_color:
                parsed = parsed.without_color
            before, _, after = parsed.render("\0", color_system=self.system).partition("\0")
            codes = (before, after)
            if isinstance(style, str):
                self.codes[style] = codes
        return codes[0] + text + codes[1]


class Atom(NamedTuple):
    """What a line may break after, never inside while it fits: a word, a name, a date,
    a URL, with the blanks or separator after it."""

    text: str
    style: Styled = ""
    whole: bool = False  # never broken, even wider than the line (a URL): it overflows


_WORD = re.compile(r"\s*\S+\s*")  # rich's words: a word and the blanks after it


def words(text: str, style: Styled = "") -> list[Atom]:
    """``text`` as words: it breaks at any blank, as rich breaks text."""
    return [Atom(word, style) for word in _WORD.findall(text)]


def phrases(items: Sequence[str], separator: str = ", ", style: Styled = "") -> list[Atom]:
    """``items`` (names, dates) joined by ``separator``: a line breaks only between them."""
    last = len(items) - 1
    return [Atom(item + ("" if i == last else separator), style) for i, item in enumerate(items)]


Line = list[tuple[str, Styled]]  # a laid-out line: (text, style) pieces


def pack(atoms: Iterable[Atom], width: int) -> list[Line]:
    """``atoms`` laid out in lines of at most ``width`` cells, breaking only between atoms.

    An atom wider than a line breaks at its blanks (a name longer than the terminal), a
    word wider than a line is folded as rich folds it, and a ``whole`` atom is left whole
    on a line of its own, wider than ``width``.
    """
    lines: list[Line] = [[]]
    used = 0
    for atom in atoms:
        size = cell_len(atom.text.rstrip())
        if used + size <= width or not size or (not used and atom.whole):
            lines[-1].append((atom.text, atom.style))
            used += cell_len(atom.text)
        elif atom.whole:  # on a line of its own, however wide
            lines.append([(atom.text.lstrip(), atom.style)])
            used = cell_len(lines[-1][0][0])
        elif size > width and not atom.whole and len(_WORD.findall(atom.text)) > 1:
            tail = pack([Atom(w, atom.style) for w in _WORD.findall(atom.text)], width)
            lines = _joined(lines, used, tail, width)
            used = sum(cell_len(text) for text, _ in lines[-1])
        elif size > width and not atom.whole:  # one word wider than a line: folded
            pieces = chop_cells(atom.text.lstrip() if used else atom.text, width)
            lines[-1:] = [*([lines[-1]] if used else []), *([(p, atom.style)] for p in pieces)]
            used = cell_len(pieces[-1])
        else:  # on the next line
            lines.append([(atom.text.lstrip(), atom.style)])
            used = cell_len(lines[-1][0][0])
    return [_stripped(line) for line in lines]


def _joined(lines: list[Line], used: int, tail: list[Line], width: int) -> list[Line]:
    """``tail``'s lines after ``lines``: its first on the last line when it fits there."""
    first = sum(cell_len(text) for text, _ in tail[0])
    if used and used + first <= width:
        return [*lines[:-1], lines[-1] + tail[0], *tail[1:]]
    return [*lines, *tail] if used else [*lines[:-1], *tail]


def _stripped(line: Line) -> Line:
    """``line`` without the blanks at its end, its pieces of one style as one piece."""
    merged: Line = []
    for text, style in line:
        if merged and merged[-1][1] == style:
            merged[-1] = (merged[-1][0] + text, style)
        else:
            merged.append((text, style))
    line = merged
    while line and not line[-1][0].rstrip():
        line = line[:-1]
    if line:
        line = [*line[:-1], (line[-1][0].rstrip(), line[-1][1])]
    return line


def plain(line: Line) -> str:
    """A laid-out line's text."""
    return "".join(text for text, _ in line)


def wrapped(console: Console, text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` cells as rich would (most fit as they are)."""
    if cell_len(text) <= width and "\n" not in text:
        return [text]
    return [line.plain for line in Text(text).wrap(console, width, overflow="fold")]
