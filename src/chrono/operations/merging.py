"""Merging a log kept in git: the merge driver's one run, and setting the driver up.

``drive`` is what ``chrono merge-driver %O %A %B %P`` does: the three versions git gives
merged table by table (:mod:`chrono.storage.merge`), written over ours (``%A``), the
conflicts returned; versions that cannot be merged by table (one that does not read as
TOML, one holding an event twice) get git's own line merge, and the reason is returned.

``setup`` is ``chrono git setup``: the ``.gitattributes`` line that names the log's
driver and the ``merge.chrono.*`` settings, each written only when it is not there yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from chrono.storage import git
from chrono.storage.atomic import write_atomic
from chrono.storage.files import read_bytes_checked
from chrono.storage.merge import Conflict, Unmergeable, merge

NAME = "chrono: events merged by id, conflicts only where both sides changed one"


class Driven(NamedTuple):
    """What a run of the merge driver did."""

    conflicts: tuple[Conflict, ...]  # the tables left between conflict markers
    taken: int  # tables of theirs taken (added or changed)
    removed: int  # tables removed because theirs removed them
    line_merge: str | None  # why git's line merge was used instead, when it was
    line_conflicts: int  # the conflicts git's line merge left


def drive(
    base: Path, ours: Path, theirs: Path, *, labels: tuple[str, str], size: int = 7
) -> Driven:
    """Merge ``theirs`` into ``ours`` from ``base`` and write the result over ``ours``."""
    datas = [read_bytes_checked(p) for p in (base, ours, theirs)]
    try:
        merged = merge(*datas, labels=labels, size=size)
    except Unmergeable as why:
        data, left = git.merge_file(ours, base, theirs, [labels[0], "base", labels[1]], size)
        write_atomic(ours, data, str(ours))
        return Driven((), 0, 0, str(why), left)
    if merged.data != datas[1]:
        write_atomic(ours, merged.data, str(ours))
    return Driven(merged.conflicts, merged.taken, merged.removed, None, 0)


class Setting(NamedTuple):
    """One thing ``chrono git setup`` sees to: where, what, and whether it wrote it."""

    where: str  # ".gitattributes", "git config --local", ...
    what: str  # the line or ``key = value``
    written: bool  # False: it was there already


def setup(log: Path, driver: str, *, scope: str, attributes: Path | None = None) -> list[Setting]:
    """Set the merge driver up for ``log``: in its repository (``scope`` ``--local``), or
    for every repository of the user (``--global``, the attributes in ``attributes``)."""
    folder = log.parent
    settings = []
    if scope == "--local":
        root = git.toplevel(folder)
        pattern = "/" + log.resolve().relative_to(root.resolve()).as_posix()
        attributes = root / ".gitattributes"
    else:
        assert attributes is not None
        pattern = log.name
    line = f"{_quoted(pattern)} merge=chrono"
    present = git.attribute("merge", log) == "chrono" if scope == "--local" else None
    settings.append(Setting(str(attributes), line, _add_line(attributes, line, present)))
    for key, value in (("merge.chrono.name", NAME), ("merge.chrono.driver", driver)):
        written = git.config_get(key, folder, scope=scope) != value
        if written:
            git.config_set(key, value, folder, scope=scope)
        settings.append(Setting(f"git config {scope}", f"{key} = {value}", written))
    return settings


def attributes_file(log: Path, environ: Mapping[str, str]) -> Path:
    """The user's git attributes file: core.attributesFile, else git's default place
    (``$XDG_CONFIG_HOME/git/attributes``, else ``~/.config/git/attributes``)."""
    named = git.config_get("core.attributesFile", log.parent, scope="--global")
    if named:
        return Path(named).expanduser()
    home = Path(environ.get("HOME", "~")).expanduser()
    return Path(environ.get("XDG_CONFIG_HOME") or home / ".config") / "git" / "attributes"


def _quoted(pattern: str) -> str:
    """A gitattributes pattern, in double quotes (C-style) when it holds a space or a quote."""
    if not any(c in pattern for c in ' \t"\\#'):
        return pattern
    escaped = pattern.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return f'"{escaped}"'


def _add_line(path: Path, line: str, present: bool | None) -> bool:
    """Add ``line`` to the attributes file ``path`` unless it (or, ``present``, what it
    says) is there already; every other byte kept. Whether it was written."""
    try:
        old = path.read_bytes()
    except FileNotFoundError:
        old = b""
    if present or line.encode() in old.replace(b"\r\n", b"\n").split(b"\n"):
        return False
    newline = b"\r\n" if b"\r\n" in old else b"\n"
    gap = newline if old and not old.endswith(b"\n") else b""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, old + gap + line.encode() + newline, str(path), create=not path.exists())
    return True
