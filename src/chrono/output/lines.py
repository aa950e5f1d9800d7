"""Laid-out text written straight to a rich console, a few hundred lines at a time.

The timeline and long tables are laid out by chrono itself (rich measured every cell
of every row again); these write the lines with the codes rich writes for each style.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text


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


def wrapped(console: Console, text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` cells as rich would (most fit as they are)."""
    if cell_len(text) <= width and "\n" not in text:
        return [text]
    return [line.plain for line in Text(text).wrap(console, width, overflow="fold")]
