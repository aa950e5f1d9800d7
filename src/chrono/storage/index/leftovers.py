"""The files chrono puts in the cache folder, by name, and those a crash leaves behind.

An index is ``<24 hex digits>.sqlite``; SQLite may keep a ``-journal`` beside it while
an append is written (and leaves it there if the writer is killed; ``-wal`` and ``-shm``
are SQLite's too); a build writes ``.<index name>.<pid>.tmp`` and renames it into
place (a builder that is killed leaves it). ``chrono cache clear`` removes exactly
these names, and never anything else in the folder.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from chrono.storage.index.schema import journal

_NAME = re.compile(r"(?P<tmp>\.)?(?P<index>[0-9a-f]{24}\.sqlite)(?P<suffix>-journal|-wal|-shm)?")
_TMP = re.compile(r"\.(?P<pid>[0-9]+)\.tmp")


def temporary(target: Path) -> Path:
    """Where this process builds the index ``target`` before renaming it into place."""
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def _parts(name: str) -> tuple[str, str] | None:
    """The index a file of chrono's belongs to, and what it is: ``""`` (the index itself),
    a sidecar's suffix, or ``"tmp"`` (a build's temporary file); None for other names."""
    head = _NAME.match(name)
    if head is None:
        return None
    rest = name[head.end() :]
    if head["tmp"]:
        return (head["index"], "tmp") if not head["suffix"] and _TMP.fullmatch(rest) else None
    return (head["index"], head["suffix"] or "") if not rest else None


def indexes(folder: Path) -> list[Path]:
    """Every index in the cache folder."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [folder / name for name in names if _parts(name) == (name, "")]


def _orphaned(name: str) -> bool:
    """Whether the builder that wrote this temporary file is gone."""
    found = _TMP.search(name)
    if found is None:
        return False
    try:
        os.kill(int(found["pid"]), 0)
    except ProcessLookupError:
        return True
    except OSError:
        pass  # alive, and someone else's
    return False


def remove(folder: Path, index: str | None = None) -> list[Path]:
    """Delete the sidecars SQLite left and the temporary files of killed builders, of the
    index named ``index`` (None: of every index); returns what was deleted."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    removed = []
    for name in names:
        parts = _parts(name)
        if parts is None or parts[1] == "" or (index is not None and parts[0] != index):
            continue
        if parts[1] == "tmp" and not _orphaned(name):
            continue  # a build at work: it renames or removes its own file
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
            removed.append(folder / name)
    return removed


def settle(target: Path) -> None:
    """Before a fresh index takes the place of ``target``: remove the journal a killed
    writer left, which SQLite would otherwise roll back into the new file."""
    journal(target).unlink(missing_ok=True)
