"""Importing a chronology another tool made: everything ``chrono import`` does once its
options are parsed.

The file is read by its importer (:mod:`chrono.importers`) into drafts; each draft becomes
an :class:`~chrono.core.model.Event` against the log as the transaction reads it
(:mod:`chrono.operations.batch`: actors resolved as ``add`` resolves them, ids minted as
``add`` mints them, events the log already holds skipped); the whole batch is appended in
one transaction, or nothing is written.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from chrono.core.errors import ChronoError, UsageError, WriteError

if TYPE_CHECKING:
    from chrono.core.actors import Registry
    from chrono.core.model import Chronology, Event
    from chrono.importers import Batch, Problem, Source
    from chrono.operations.batch import Planned, Skipped
    from chrono.storage.book import Book
    from chrono.storage.indexing import CacheSettings
    from chrono.storage.transaction import Committed, Transaction

Progress = Callable[[str, int, int], None]  # (what is being done, done, of how many)


class BadRows(ChronoError):
    """Rows that are not events: each one line, ``FILE:ROW:COLUMN: error: ...``."""

    def __init__(self, problems: list[Problem], rows: int) -> None:
        super().__init__(f"{len(problems)} of {rows} rows cannot be imported")
        self.problems = problems
        self.rows = rows

    def lines(self) -> list[str]:
        """Every problem, then what to do."""
        said = [str(p) for p in self.problems]
        return [*said, f"chrono: {self}; nothing written (--skip-bad imports the others)"]


class Unreadable(UsageError):
    """A file that is not in the format asked for: one line, naming it."""

    def lines(self) -> list[str]:
        """The message, which names the file (and says ``error:``) itself."""
        text = str(self)
        return [text if ": error: " in text else f"chrono: error: {text}"]


def in_order(problems: list[Problem]) -> list[Problem]:
    """Problems in the order of their rows (row 10 after row 9)."""
    import re  # noqa: PLC0415

    def key(problem: Problem) -> list[object]:
        return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", problem.where)]

    return sorted(problems, key=key)


class Imported(NamedTuple):
    """What an import added (or with ``dry_run`` would add), for the command line to show."""

    path: Path
    format: str
    rows: int
    events: list[Event]  # as stored, with their lines, in the order written
    actors: list[str]  # keys of the registry tables added
    skipped: list[Skipped]
    problems: list[Problem]  # rows left out with --skip-bad
    became: list[str]  # what each name became, once per name
    notes: list[str]
    text: str  # the TOML appended (LF line endings)
    chronology: Chronology  # the log after, holding at least the new events
    created: bool  # the log did not exist and was started for the import
    note: str | None  # what finishing a change a crash interrupted did, if anything


def read_source(
    name: str, fmt: str | None, source: Source, stdin: bytes | None = None
) -> tuple[str, Batch]:
    """The format and the contents of the file to import (``-``: ``stdin``'s bytes)."""
    from chrono import importers  # noqa: PLC0415

    data = stdin if name == "-" and stdin is not None else _read(name)
    kind = fmt or importers.detect(name, data)
    try:
        return kind, importers.get(kind).read(data, source)
    except importers.NotThisFormat as exc:
        raise Unreadable(str(exc)) from None
    except RecursionError:
        raise Unreadable(f"{name}: error: nested too deeply to read") from None


def _read(name: str) -> bytes:
    """A regular file's bytes; a pipe, a device or a folder is refused before it is opened."""
    try:
        mode = Path(name).stat().st_mode
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{name}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"{name}: is a folder, not a file to import")
    if not stat.S_ISREG(mode):
        raise UsageError(
            f"{name}: is not a regular file (a pipe or a device); "
            f"to import from a pipe, give - and send it on standard input"
        )
    try:
        with open(name, "rb", opener=_no_wait) as handle:
            return handle.read()
    except OSError as exc:
        raise UsageError(f"{name}: cannot read the file: {exc.strerror or exc}") from None


def _no_wait(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NONBLOCK)


def import_batch(
    path: Path,
    kind: str,
    batch: Batch,
    cache: CacheSettings,
    *,
    register: bool = False,
    keep_duplicates: bool = False,
    skip_bad: bool = False,
    dry_run: bool = False,
    timezone: str | None = None,
    progress: Progress | None = None,
) -> Imported:
    """Append the batch's events to the log as one transaction, or raise with nothing written.

    A log with no ``[chrono]`` table and nothing in it (empty, or not there yet: it is
    started, and removed again when nothing is written) is given ``timezone``, else the
    file's own zone, and the events are dated in it.
    """
    from chrono.core.dates import load_timezone  # noqa: PLC0415

    if timezone is not None and load_timezone(timezone) is None:
        raise UsageError(f"--timezone: unknown time zone {timezone!r}")
    if batch.timezone is not None and load_timezone(batch.timezone) is None:
        said = f"the file's time zone {batch.timezone!r} is unknown: not used"
        batch = batch._replace(timezone=None, notes=(*batch.notes, said))
    zone = timezone or batch.timezone
    if not path.exists() and not path.is_symlink():
        if dry_run:
            return _planned_alone(path, kind, batch, register, zone or "UTC", skip_bad)
        made = _start(path)
        if made is not None:
            try:
                return _commit(path, kind, batch, cache, (register, keep_duplicates, skip_bad),
                               dry_run, progress, zone or "UTC", created=True)  # fmt: skip
            except BaseException:
                _unstart(path, made)
                raise
    return _commit(path, kind, batch, cache, (register, keep_duplicates, skip_bad), dry_run,
                   progress, zone, created=False)  # fmt: skip


def _commit(
    path: Path, kind: str, batch: Batch, cache: CacheSettings, flags: tuple[bool, bool, bool],
    dry_run: bool, progress: Progress | None, zone: str | None, *, created: bool,
) -> Imported:  # fmt: skip
    from chrono.operations.batch import plan  # noqa: PLC0415
    from chrono.storage import transaction  # noqa: PLC0415

    register, keep_duplicates, skip_bad = flags
    with transaction.begin(path, cache) as tx:
        for attempt in range(1, 21):
            book, settings = _zoned(tx, zone)
            planned = plan(book, batch, register, keep_duplicates, progress)
            if zone is not None and settings is None and not created and zone != batch.timezone:
                planned.notes.append(
                    f"--timezone {zone}: the log has its own zone or events already; kept as it is"
                )
            if (batch.problems or planned.problems) and not skip_bad:
                raise BadRows(in_order(batch.problems + planned.problems), batch.rows)
            edit = transaction.Append(tuple(planned.events), planned.actors, settings)
            if progress is not None:
                progress("writing", 0, 1)
            try:
                done = tx.commit([edit], dry_run=dry_run) if any(edit) else None
            except transaction.Stale:
                if attempt == 20:
                    raise
                continue
            return _result(path, kind, batch, planned, done, created, tx.note, book)
    raise AssertionError("unreachable")  # pragma: no cover


def _zoned(tx: Transaction, zone: str | None) -> tuple[Book, dict[str, str] | None]:
    """The book to plan on, and the ``[chrono]`` table to write: the zone asked for, when
    the log holds nothing yet, not even a ``[chrono]`` table."""
    book = tx.book
    if zone is None or book.ids() or len(book.registry) or "chrono" in tx.document():
        return book, None
    return _empty(tx.shown, zone, book.registry), {"timezone": zone}


def _empty(shown: str, zone: str, registry: Registry) -> Chronology:
    from chrono.core.dates import load_timezone  # noqa: PLC0415
    from chrono.core.model import Chronology  # noqa: PLC0415

    tz = load_timezone(zone)
    assert tz is not None  # checked before the transaction began
    return Chronology(shown, zone, tz, registry, ())


def _planned_alone(
    path: Path, kind: str, batch: Batch, register: bool, zone: str, skip_bad: bool
) -> Imported:
    """A dry run into a log that is not there yet: planned on an empty one."""
    from chrono.core.actors import Registry  # noqa: PLC0415
    from chrono.core.model import Chronology  # noqa: PLC0415
    from chrono.operations.batch import plan  # noqa: PLC0415
    from chrono.storage import writer  # noqa: PLC0415
    from chrono.storage.transaction import Committed  # noqa: PLC0415

    book = _empty(str(path), zone, Registry(()))
    planned = plan(book, batch, register, False)
    if (batch.problems or planned.problems) and not skip_bad:
        raise BadRows(in_order(batch.problems + planned.problems), batch.rows)
    text = writer.tables_text(planned.actors, planned.events)
    chronology = Chronology(
        str(path), zone, book.tz, Registry(planned.actors), tuple(planned.events)
    )
    return _result(path, kind, batch, planned, Committed(text, chronology), True, None, book)


def _result(
    path: Path, kind: str, batch: Batch, planned: Planned, done: Committed | None,
    created: bool, note: str | None, book: Book,
) -> Imported:  # fmt: skip
    """What the import did, from what was planned and what was committed (None: nothing)."""
    from chrono.core.model import Chronology  # noqa: PLC0415

    if done is not None:
        chronology, text = done.chronology, done.text
        new = {e.id for e in planned.events}
        stored = [e for e in chronology.events if e.id in new]
    else:  # nothing to add
        chronology, text, stored = Chronology(str(path), "", book.tz, book.registry, ()), "", []
    return Imported(
        path, kind, batch.rows, stored, [a.key for a in planned.actors], planned.skipped,
        in_order(batch.problems + planned.problems), planned.became,
        [*batch.notes, *planned.notes], text, chronology, created, note,
    )  # fmt: skip


def _start(path: Path) -> list[Path] | None:
    """Start a new, empty log (and the folders it needs): the folders made, or None when
    another program made the log first."""
    folder, made = path.absolute().parent, []
    while not folder.exists():
        made.append(folder)
        folder = folder.parent
    try:
        path.absolute().parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return None
    except OSError as exc:
        raise WriteError(f"{path}: cannot create the log: {exc.strerror or exc}") from None
    os.close(fd)
    return made


def _unstart(path: Path, made: list[Path]) -> None:
    """Remove the log started for an import that wrote nothing to it, with its lock's
    folder and the folders made for it, when they hold nothing else."""
    from chrono.storage.locking import STATE  # noqa: PLC0415

    with contextlib.suppress(OSError):
        if path.stat().st_size != 0:
            return
        path.unlink()
        state = path.absolute().parent / STATE
        for name in (f"{path.name}.lock", ".gitignore"):
            (state / name).unlink(missing_ok=True)
        state.rmdir()
        for folder in made:  # deepest first
            folder.rmdir()
