"""A progress bar for long work, on stderr (rich's), for a terminal only: the command line
decides whether to show one; what is being done reports through the callback it yields."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import IO


@contextlib.contextmanager
def bar(
    stream: IO[str], colour: bool | None, total: int
) -> Iterator[Callable[[str, int, int], None]]:
    """A bar over ``total`` steps; the callback takes (what, done, of how many)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn  # noqa: PLC0415

    from chrono.output.render import make_console  # noqa: PLC0415

    console = make_console(stream, colour=colour)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("reading", total=total)

        def report(what: str, done: int, of: int) -> None:
            progress.update(task, description=what, completed=done, total=of)

        yield report
