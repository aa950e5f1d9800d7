"""Shell completion of values from the log: ``chrono show <TAB>``, ``-a``, ``--tag``, ``--kind``.

Called by click while the shell asks (``_CHRONO_COMPLETE``), with what is on the command
line so far: the log is ``--file`` when it was given before the word being completed,
else ``$CHRONO_FILE``, else the nearest ``events.toml``. A completion never prints,
never fails and never writes the log: whatever goes wrong offers nothing.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

    from chrono.app.settings import Settings


def complete(
    ctx: typer.Context, what: str, incomplete: str, settings_of: Callable[[Any], Settings]
) -> list[str]:
    """The values of ``what`` (:data:`~chrono.operations.completing.WHAT`) starting with
    ``incomplete``, in the log named by the run's settings (``settings_of(ctx)``); none
    where the log cannot be read."""
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            from chrono.operations.completing import candidates  # noqa: PLC0415

            settings = settings_of(ctx)
            file = ctx.params.get("file")
            path = settings.log_path(file if isinstance(file, str) else None)
            return candidates(path, settings.cache, what, incomplete)
    except Exception:  # a completion offers nothing rather than fail
        return []
