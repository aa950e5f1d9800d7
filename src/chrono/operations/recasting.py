"""Changing the actor registry: spellings added to an actor (``chrono actors alias``), an
actor given a new key (``chrono actors rename``), two actors made one (``chrono actors
merge``).

Each is one transaction through :func:`chrono.operations.editing.changing`: the registry's
tables and every event that names the actor are changed together, only their bytes move,
and the change is planned again when another program wrote the log meanwhile. An actor is
named by its key or by any spelling that names exactly one registry actor.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from chrono.core.errors import UsageError
from chrono.operations.editing import Changed, changing

if TYPE_CHECKING:
    from pathlib import Path

    from chrono.core.actors import Actor, Registry
    from chrono.storage.edits import Edit
    from chrono.storage.indexing import CacheSettings
    from chrono.storage.transaction import Book


def alias(
    path: Path, key: str, spellings: list[str], cache: CacheSettings, *, dry_run: bool = False
) -> Changed:
    """Add ``spellings`` to the aliases of the registry actor ``key`` names (any spelling of
    it); one already its own is said and skipped, one naming another actor is refused."""
    from chrono.core.actors import fold  # noqa: PLC0415
    from chrono.core.fields import refuse_control_characters  # noqa: PLC0415

    refuse_control_characters(("SPELLING", spellings))
    if not spellings or not all(s.strip() for s in spellings):
        raise UsageError("give at least one spelling, none of them empty")

    def planned(book: Book) -> tuple[list[Edit], list[str]]:
        from chrono.storage.edits import Amend  # noqa: PLC0415

        registry = book.registry
        actor = registry_actor(registry, key)
        aliases, notes = list(actor.aliases), []
        for spelling in (s.strip() for s in spellings):
            others = [k for k in registry.resolve(spelling) if k != actor.key]
            if others:
                raise UsageError(f"{spelling!r} already names {others[0]!r} "
                                 f"({registry.display(others[0])}); nothing written")  # fmt: skip
            if fold(spelling) in {fold(s) for s in (*actor.spellings, *aliases)}:
                notes.append(f"{spelling!r} is already a spelling of {actor.key!r}")
                continue
            aliases.append(spelling)
        if aliases == list(actor.aliases):
            return [], notes
        new = replace(actor, aliases=tuple(aliases))
        return [Amend(actor, new, {"aliases": aliases})], notes

    return changing(path, cache, planned, dry_run)


def rename(
    path: Path, key: str, new_key: str, cache: CacheSettings, *, dry_run: bool = False
) -> Changed:
    """Give the registry actor ``key`` names the key ``new_key``: its table's header and the
    actors line of every event that names it are rewritten, nothing else."""
    from chrono.core.fields import actors_command  # noqa: PLC0415
    from chrono.core.ids import ACTOR_KEY  # noqa: PLC0415
    from chrono.core.text import plural  # noqa: PLC0415

    if not ACTOR_KEY.fullmatch(new_key):
        raise UsageError(
            f"{new_key!r} is not an actor key: a key is lower-case ASCII letters, digits, '-' "
            "and '_', starting with a letter or digit (as in [actors.putin])"
        )

    def planned(book: Book) -> tuple[list[Edit], list[str]]:
        from chrono.storage.edits import Amend  # noqa: PLC0415

        registry = book.registry
        actor = registry_actor(registry, key)
        if new_key == actor.key:
            return [], [f"{new_key!r} is already the key of {actor.name}"]
        if new_key in registry:
            merging = actors_command("merge", actor.key, new_key)
            raise UsageError(f"{new_key!r} is already an actor ({registry.display(new_key)}); "
                             f"to make them one: {merging}")  # fmt: skip
        edits: list[Edit] = [Amend(actor, replace(actor, key=new_key), {})]
        edits += _recast(book, actor.key, new_key)
        joined = len(book.naming(new_key))  # free text that the new key now spells
        notes = [f"{plural(joined, 'event')} named {new_key!r} as free text: now "
                 f"{actor.name} ({new_key})"] if joined else []  # fmt: skip
        return edits, notes

    return changing(path, cache, planned, dry_run)


def merge(
    path: Path, source: str, target: str, cache: CacheSettings, *, dry_run: bool = False
) -> Changed:
    """Make the registry actor ``source`` names one with the one ``target`` names: the
    target's aliases gain the source's spellings, the source's table goes, and every event
    that names the source names the target instead."""

    def planned(book: Book) -> tuple[list[Edit], list[str]]:
        from chrono.core.actors import fold  # noqa: PLC0415
        from chrono.storage.edits import Amend, Remove  # noqa: PLC0415

        registry = book.registry
        gone, kept = registry_actor(registry, source), registry_actor(registry, target)
        if gone.key == kept.key:
            raise UsageError(
                f"{source!r} and {target!r} are both {kept.key!r}; name two actors to merge"
            )
        aliases = list(kept.aliases)
        for spelling in (gone.name, *gone.aliases):
            if fold(spelling) not in {fold(s) for s in (*kept.spellings, *aliases)}:
                aliases.append(spelling)
        edits: list[Edit] = []
        if aliases != list(kept.aliases):
            edits.append(Amend(kept, replace(kept, aliases=tuple(aliases)), {"aliases": aliases}))
        edits.append(Remove(gone))
        edits += _recast(book, gone.key, kept.key)
        return edits, _dropped(gone)

    return changing(path, cache, planned, dry_run)


def registry_actor(registry: Registry, name: str) -> Actor:
    """The registry actor ``name`` (its key, or a spelling of exactly one actor) names."""
    keys = [name] if name in registry else [k for k in registry.resolve(name) if k in registry]
    if not keys:
        raise UsageError(f"no registry actor is {name!r} ('chrono actors' lists them)")
    if len(keys) > 1:
        raise UsageError(
            f"{name!r} names {len(keys)} actors: {', '.join(repr(k) for k in keys)}; give one's key"
        )
    return registry.actors[keys[0]]


def _recast(book: Book, old: str, new: str) -> list[Edit]:
    """The edits that make every event naming ``old`` name ``new`` in its place (just
    dropping ``old`` where the event names ``new`` already); actors written as keys."""
    from chrono.storage.edits import Amend  # noqa: PLC0415

    edits: list[Edit] = []
    for event in book.naming(old):
        if new in event.actors:
            cast = [k for k in event.actors if k != old]
        else:
            cast = [new if k == old else k for k in event.actors]
        actors = tuple(dict.fromkeys(cast))
        edits.append(Amend(event, replace(event, actors=actors), {"actors": list(actors)}))
    return edits


def _dropped(actor: Actor) -> list[str]:
    """The note that the removed actor's role, note and other keys are not kept, if any."""
    kept = [f"{name} {value!r}" for name, value in (("role", actor.role), ("note", actor.note))
            if value is not None] + [f"key {name!r}" for name in actor.extra]  # fmt: skip
    if not kept:
        return []
    listed = kept[0] if len(kept) == 1 else ", ".join(kept[:-1]) + " and " + kept[-1]
    where = "it is" if len(kept) == 1 else "they are"
    return [f"{actor.key!r} had {listed}: not kept; {where} in the removed table"]


__all__ = ["alias", "merge", "registry_actor", "rename"]
