"""What shell completion offers from the log: event ids, actors, tags and kinds.

Read through the index when it is valid (no TOML parsed), else from the parsed log. It
never writes the log: a log with a change a crash interrupted, or that is not a regular
file (a pipe could block), offers nothing rather than being finished or read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chrono.core.view import LogView
    from chrono.storage.indexing import CacheSettings

WHAT = ("id", "actor", "tag", "kind")  # what can be completed


def candidates(path: Path, cache: CacheSettings, what: str, prefix: str) -> list[str]:
    """The values of ``what`` in the log at ``path`` that start with ``prefix``, sorted.

    Ids match as typed; actors (every key, name and alias, as ``--actor`` takes them),
    tags and kinds in any case or accent (the shell keeps those that start with
    ``prefix`` as typed). A value with a blank in it (``Mira Murati``) is not offered: a
    shell would split it; the key (``murati``) is. Raises what reading the log raises.
    """
    view = _view(path, cache)
    if view is None:
        return []
    if what == "id":
        return [i for i in view.ids() if i.startswith(prefix)]
    from chrono.core.actors import fold  # noqa: PLC0415

    folded = fold(prefix)
    if what == "actor":
        registry = view.registry
        found = {
            spelling for actor in registry.actors.values() for spelling in actor.spellings
            if fold(spelling).startswith(folded)
        }  # fmt: skip
        found |= {name for name in view.free_text_actors() if fold(name).startswith(folded)}
    else:
        from chrono.core.query import Query  # noqa: PLC0415

        events = view.select(Query()).events
        values = (t for e in events for t in e.tags) if what == "tag" else (e.kind for e in events)
        found = {v for v in values if v and fold(v).startswith(folded)}
    return sorted(v for v in found if v.split() == [v])


def _view(path: Path, cache: CacheSettings) -> LogView | None:
    """The log's read view, or None where reading it could write it or wait."""
    from chrono.storage.journal import journals  # noqa: PLC0415

    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        if any(map(os.path.lexists, journals(Path(os.path.realpath(path))))):
            return None  # finishing that change is for a command, not for a completion
    except OSError:
        return None
    from chrono.operations.reading import open_source  # noqa: PLC0415

    return open_source(path, cache._replace(notes=None, inline=False))
