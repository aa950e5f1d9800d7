"""What changed in the log between a git revision and the work tree (or two revisions).

Both versions are parsed and validated as every reader of the log parses it
(:func:`chrono.storage.store.load_text`), the old one as git holds it
(:func:`chrono.storage.git.text_at`), and their events matched by id: an event only the
new version holds was added, one only the old holds was removed, one whose fields differ
was changed. A version that is not a valid log fails with its diagnostics, each placed
as ``REV:PATH:LINE:COLUMN``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from chrono.core.errors import GitError, UsageError
from chrono.core.model import EVENT_FIELDS, Chronology, Event

if TYPE_CHECKING:
    from chrono.core.actors import Actor
    from chrono.core.query import Query
    from chrono.operations.querying import Filters, Notes, Reading

Fields = dict[str, tuple[Any, Any]]  # field -> (old value, new value); None: absent


class Change(NamedTuple):
    """One event in both versions, with the fields that differ."""

    old: Event
    new: Event
    fields: Fields


class ActorChange(NamedTuple):
    """One actor of the registry added, changed or removed, with its fields' values."""

    key: str
    what: str  # "added", "changed" or "removed"
    fields: Fields


class Version(NamedTuple):
    """One side of the comparison: the revision as typed and its commit (both None: the
    work tree), and whether the log was there."""

    rev: str | None
    commit: str | None
    exists: bool


class History(NamedTuple):
    """What changed between two versions of the log, each section in the log's order."""

    old: Chronology  # the old version (empty when the log was not there)
    new: Chronology
    since: Version
    until: Version
    added: tuple[Event, ...]
    changed: tuple[Change, ...]
    removed: tuple[Event, ...]
    actors: tuple[ActorChange, ...]  # only when no filter was asked
    display: Any  # the zone labels are shown in (a dt.tzinfo)

    @property
    def events(self) -> int:
        """How many events were added, changed or removed."""
        return len(self.added) + len(self.changed) + len(self.removed)


def event_changes(old: Event, new: Event) -> Fields:
    """The fields that differ between two versions of an event, in the order of
    :data:`~chrono.core.model.EVENT_FIELDS`, then unknown keys by name."""
    from chrono.storage.writer import event_fields  # noqa: PLC0415

    return _differing(event_fields(old), event_fields(new), EVENT_FIELDS)


def _differing(before: Mapping[str, Any], after: Mapping[str, Any], known: Sequence[str]) -> Fields:
    names = [k for k in known if k in before or k in after]
    names += sorted({*before, *after} - {*known})
    return {k: (before.get(k), after.get(k)) for k in names if before.get(k) != after.get(k)}


def compare(old: Chronology, new: Chronology) -> tuple[list[Event], list[Change], list[Event]]:
    """The events added, changed and removed from ``old`` to ``new``, matched by id."""
    before = {e.id: e for e in old.events}
    after = {e.id for e in new.events}
    added: list[Event] = []
    changed: list[Change] = []
    for event in new.events:
        was = before.get(event.id)
        if was is None:
            added.append(event)
        elif fields := event_changes(was, event):
            changed.append(Change(was, event, fields))
    removed = [e for e in old.events if e.id not in after]
    return added, changed, removed


def actor_changes(old: Chronology, new: Chronology) -> list[ActorChange]:
    """The actors of the registry added, changed and removed, by key (new ones first in
    the new registry's order, then those removed)."""
    from chrono.core.model import ACTOR_FIELDS  # noqa: PLC0415

    before, after = old.registry.actors, new.registry.actors
    found: list[ActorChange] = []
    for key, actor in after.items():
        was = before.get(key)
        fields = _differing(_fields(was), _fields(actor), ACTOR_FIELDS)
        if fields:
            found.append(ActorChange(key, "added" if was is None else "changed", fields))
    for key, actor in before.items():
        if key not in after:
            found.append(ActorChange(key, "removed", _differing(_fields(actor), {}, ACTOR_FIELDS)))
    return found


def _fields(actor: Actor | None) -> dict[str, Any]:
    from chrono.storage.writer import actor_fields  # noqa: PLC0415

    return {} if actor is None else actor_fields(actor)


def marks(old: Chronology, events: Iterable[Event]) -> dict[str, str]:
    """Of ``events``, those new (``"new"``) or changed (``"changed"``) since ``old``."""
    before = {e.id: e for e in old.events}
    found: dict[str, str] = {}
    for event in events:
        was = before.get(event.id)
        if was is None:
            found[event.id] = "new"
        elif event_changes(was, event):
            found[event.id] = "changed"
    return found


def at_revision(path: Path, rev: str) -> tuple[Chronology, Version]:
    """The log ``path`` as revision ``rev`` holds it (empty when it held no such file).

    Raises :class:`~chrono.core.errors.GitError` when the log is in no repository, a
    :class:`UsageError` for a revision git does not know, a
    :class:`~chrono.core.errors.LogError` (placed ``REV:PATH``) for a version that is
    not a valid log.
    """
    from chrono.storage import git  # noqa: PLC0415
    from chrono.storage.files import decode  # noqa: PLC0415
    from chrono.storage.store import load_text  # noqa: PLC0415

    where = path.absolute()
    if not where.parent.is_dir():
        raise GitError(f"{where.parent}: no such folder")
    commit = git.revision(rev, where.parent)
    data = git.text_at(where, commit)
    shown = f"{rev}:{path}"
    if data is None:
        return load_text(Path(shown), "").chronology, Version(rev, commit, False)
    loaded = load_text(Path(shown), decode(data, shown))
    return loaded.chronology, Version(rev, commit, True)


def work_tree(path: Path, reading: Reading) -> tuple[Chronology, Version]:
    """The log as the work tree holds it, read as every command reads it."""
    from chrono.operations.reading import open_source  # noqa: PLC0415

    return open_source(path, reading.cache, freeze=reading.freeze).all(), Version(None, None, True)


def changes(
    path: Path,
    since: str,
    until: str | None,
    filters: Filters,
    reading: Reading,
    *,
    zone: str | None = None,
    notes: Notes,
) -> History:
    """What changed in the log from revision ``since`` to ``until`` (None: the work tree),
    of the events ``filters`` select: a new or changed event when its new version
    matches, a removed one when its old version does."""
    if until is None:  # a log that is not there is said so before git is asked
        new, after = work_tree(path, reading)
        old, before = at_revision(path, since)
    else:
        old, before = at_revision(path, since)
        new, after = at_revision(path, until)
    query, display = _question(old, new, filters, reading, zone, notes)
    added, changed, removed = compare(old, new)
    if query is not None:
        from chrono.core.query import arrange  # noqa: PLC0415

        chosen_new, chosen_old = _chosen(new, query), _chosen(old, query)
        added = arrange([e for e in added if e.id in chosen_new], query, _ident)[0]
        changed = arrange([c for c in changed if c.new.id in chosen_new], query, _new_id)[0]
        removed = arrange([e for e in removed if e.id in chosen_old], query, _ident)[0]
    actors = actor_changes(old, new) if query is None else []
    return History(old, new, before, after, tuple(added), tuple(changed), tuple(removed),
                   tuple(actors), display)  # fmt: skip


def _question(
    old: Chronology,
    new: Chronology,
    filters: Filters,
    reading: Reading,
    zone: str | None,
    notes: Notes,
) -> tuple[Query | None, Any]:
    """The query the filters ask (None: no filter), with the names of actors looked up in
    the new version (else the old, for an actor since removed); and the display zone."""
    from chrono.operations.querying import Filters, build_query, display_zone  # noqa: PLC0415
    from chrono.storage.source import FileSource  # noqa: PLC0415

    source = FileSource(new)
    display = display_zone(source, zone)
    if filters == Filters():
        return None, display
    chosen = None if zone is None else display
    try:
        return build_query(source, filters, reading.today, notes, chosen), display
    except UsageError:
        with contextlib.suppress(UsageError):  # an actor the new version no longer has
            return build_query(FileSource(old), filters, reading.today, notes, chosen), display
        raise


def _chosen(chronology: Chronology, query: Query) -> set[str]:
    """The ids of the events the query's filters select (before its limit and order)."""
    from chrono.core.query import select  # noqa: PLC0415

    every = query._replace(limit=None, reverse=False)
    return {e.id for e in select(chronology, every).events}


def _ident(event: Event) -> str:
    return event.id


def _new_id(change: Change) -> str:
    return change.new.id
