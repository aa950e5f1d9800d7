"""A parsed TOML document to the model: a :class:`Chronology` and the diagnostics on the way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from chrono.core.actors import Actor, Registry
from chrono.core.dates import load_timezone, type_name
from chrono.core.errors import Diagnostic
from chrono.core.event_check import EventChecker
from chrono.core.fields import Place, Places, actors_command, closest_key
from chrono.core.ids import ACTOR_KEY, FreeIds
from chrono.core.model import ACTOR_FIELDS, SETTINGS_FIELDS, TOP_FIELDS, Chronology, Event


class _Builder(EventChecker):
    """Builds the model from a TOML document, collecting diagnostics."""

    # -- top level --------------------------------------------------------------

    def build(self, doc: Mapping[str, Any]) -> Chronology:
        """The chronology of a whole document; its problems go to ``diagnostics``."""
        raw_events = doc.get("events", [])
        expect_events = getattr(self.pos, "expect_events", None)  # a lazy scan is told first
        if expect_events is not None and isinstance(raw_events, list):
            expect_events(len(raw_events))
        for key in doc:
            if key not in TOP_FIELDS:
                self._unknown(key, TOP_FIELDS, self.pos.table((key,)), "top-level key", "")
        timezone, tz = self._settings(doc.get("chrono", {}))
        registry = Registry(self._actors(doc.get("actors", {})))
        for spelling, keys in registry.shared_spellings().items() if self.lint else ():
            self.report(
                "warning",
                "shared-alias",
                self.pos.table(("actors", keys[1])),
                f"actors {', '.join(repr(k) for k in keys)} share the spelling {spelling!r}; "
                "a name written that way is ambiguous; if they are one actor: "
                + actors_command("merge", keys[1], keys[0]),
            )
        events, used = self._events(doc.get("events", []), registry, tz)
        for key in registry.actors if self.lint else ():
            if key not in used:
                self.report(
                    "warning",
                    "unused-actor",
                    self.pos.table(("actors", key)),
                    f"actor {key!r} is in the registry but no event names it",
                )
        events.sort(key=lambda e: e.sort_key)
        return Chronology(self.path, timezone, tz, registry, tuple(events))

    def _events(
        self, raw_events: object, registry: Registry, tz: dt.tzinfo
    ) -> tuple[list[Event], set[str]]:
        """The events that are well formed, and every actor the events name."""
        if not isinstance(raw_events, list):
            self.report(
                "error",
                "type",
                self.pos.table(("events",)),
                f"'events' must be an array of tables ([[events]]), not {type_name(raw_events)}",
            )
            raw_events = []
        explicit_ids = {
            e["id"] for e in raw_events if isinstance(e, dict) and isinstance(e.get("id"), str)
        }
        seen: dict[str, int] = {}
        free = FreeIds(explicit_ids, seen)  # ids for events written without one
        used: set[str] = set()
        events: list[Event] = []
        for index, raw in enumerate(raw_events):
            event = self._event_fast(index, raw, registry, tz, seen)
            if event is None:
                event = self._event(index, raw, registry, tz, free, seen)
            if event is not None:
                events.append(event)
                used.update(event.actors)
            elif isinstance(raw, dict) and isinstance(raw.get("actors"), list):
                for name in raw["actors"]:  # a broken event still names its actors
                    if isinstance(name, str):
                        used.update(registry.resolve(name) or registry.variant_of(name))
        return events, used

    def _unknown(
        self, key: str, known: tuple[str, ...], where: Place, what: str, within: str
    ) -> None:
        """An unknown key is kept with a warning; one a letter or two from a known key is an
        error (``[[event]]``, ``timezon``), since what it holds would be lost without a word."""
        close = closest_key(key, known)
        if close:
            self.report(
                "error",
                "misspelt-key",
                where,
                f"unknown {what} {key!r}{within}{close} (as written, chrono would ignore it)",
            )
        else:
            self.report(
                "warning",
                "unknown-key",
                where,
                f"unknown {what} {key!r}{within} (kept, but chrono does not use it)",
            )

    def _settings(self, raw: object) -> tuple[str, dt.tzinfo]:
        """The log's time zone by name and as a tzinfo, from its ``[chrono]`` table."""
        utc = ("UTC", dt.UTC)
        if not isinstance(raw, dict):
            self.report(
                "error",
                "type",
                self.pos.table(("chrono",)),
                f"'chrono' must be a table, not {type_name(raw)}",
            )
            return utc
        for key in raw:
            if key not in SETTINGS_FIELDS:
                where = self.pos.table(("chrono",), key)
                self._unknown(key, SETTINGS_FIELDS, where, "setting", " in [chrono]")
        name = raw.get("timezone", "UTC")
        if not isinstance(name, str):
            self.report(
                "error",
                "type",
                self.pos.table(("chrono",), "timezone"),
                f"[chrono] timezone must be a string, not {type_name(name)}",
                field_name="timezone",
            )
            return utc
        tz = load_timezone(name)
        if tz is None:
            self.report(
                "error",
                "timezone",
                self.pos.table(("chrono",), "timezone"),
                f"[chrono] timezone: unknown time zone {name!r} (use an IANA name such as "
                "'Europe/Berlin' or 'UTC')",
                field_name="timezone",
            )
            return utc
        return name, tz

    # -- actors -----------------------------------------------------------------

    def _actors(self, raw: object) -> list[Actor]:
        """The well-formed actors of the ``[actors]`` table."""
        if not isinstance(raw, dict):
            self.report(
                "error",
                "type",
                self.pos.table(("actors",)),
                f"'actors' must be a table of [actors.<key>] tables, not {type_name(raw)}",
            )
            return []
        actors = []
        for key, table in raw.items():
            actor = self._actor(key, table)
            if actor is not None:
                actors.append(actor)
        return actors

    def _actor(self, key: str, raw: object) -> Actor | None:
        """One ``[actors.<key>]`` table's actor, or None after reporting why there is none."""
        where = ("actors", key)
        if not ACTOR_KEY.fullmatch(key):
            self.report(
                "error",
                "actor-key",
                self.pos.table(where),
                f"actor key {key!r} must be a short lower-case ASCII slug "
                "(letters, digits, '-' or '_')",
            )
        if not isinstance(raw, dict):
            self.report(
                "error",
                "type",
                self.pos.table(where),
                f"actor {key!r} must be a table, not {type_name(raw)}",
            )
            return None
        name = self._actor_name(key, raw)

        def at(field: str, item: int | None = None) -> tuple[int, int]:
            return self.pos.table(where, field)

        label = f"actor {key!r}"
        aliases = self._strings(raw, "aliases", at, label)
        role = self._text(raw, "role", at, label)
        note = self._text(raw, "note", at, label)
        extra = {k: v for k, v in raw.items() if k not in ACTOR_FIELDS}
        for unknown in extra:
            close = closest_key(unknown, ACTOR_FIELDS)  # `alias`: the aliases would be lost
            self.report(
                "error" if close else "warning",
                "misspelt-key" if close else "unknown-key",
                at(unknown),
                f"{label}: unknown key {unknown!r}"
                + (f"{close} (as written, chrono would ignore it)" if close else
                   " (kept, but chrono does not use it)"),
                field_name=unknown,
            )  # fmt: skip
        if name is None:
            return None
        return Actor(key, name, tuple(aliases or ()), role, note, extra)

    def _actor_name(self, key: str, raw: Mapping[str, Any]) -> str | None:
        """The actor's name, or None after reporting a missing or empty one."""
        name = raw.get("name")
        if isinstance(name, str) and name.strip():
            return name
        problem = "is missing" if name is None else "must be a non-empty string"
        self.report(
            "error",
            "required",
            self.pos.table(("actors", key), "name" if "name" in raw else None),
            f"actor {key!r}: 'name' {problem}",
            field_name="name",
        )
        return None


def build(
    doc: Mapping[str, Any], path: str, positions: Places, *, lint: bool = True
) -> tuple[Chronology, list[Diagnostic]]:
    """Validate a parsed document and build its chronology; diagnostics in file order.

    Every problem names the file, line, column, event and field.

    With ``lint=False`` (every command but ``check``) only what makes the log unusable is
    looked for and reported: errors, no warnings (suggestions, unused actors, sources ...).
    """
    builder = _Builder(path, positions, lint)
    chronology = builder.build(doc)
    diagnostics = sorted(builder.diagnostics, key=lambda d: (d.line, d.column))
    return chronology, diagnostics


__all__ = ["build"]
