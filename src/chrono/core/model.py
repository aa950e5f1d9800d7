"""The chronology model: frozen events and actors, and their validation.

:func:`build` turns a parsed TOML document into a :class:`Chronology` and a list of
diagnostics.  Every problem names the file, line, column, event and field.

Events are kept in one total order, which never raises for any mix of forms:
by first instant covered, then coarser precision first (a month before a day
that starts with it), then the earlier end, then id.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from chrono.core.actors import Actor, Registry, fold
from chrono.core.dates import PartialDate, Precision, from_toml, type_name
from chrono.core.errors import DateError, Diagnostic, Severity

if TYPE_CHECKING:  # positions are needed only when a file is parsed
    from chrono.storage.positions import LazyPositions, Place, Positions

EVENT_FIELDS: Final = (
    "id",
    "date",
    "end",
    "title",
    "summary",
    "actors",
    "location",
    "tags",
    "kind",
    "sources",
)
_EVENT_FIELD_SET: Final = frozenset(EVENT_FIELDS)
ACTOR_FIELDS: Final = ("name", "aliases", "role", "note")
SETTINGS_FIELDS: Final = ("timezone",)
TOP_FIELDS: Final = ("chrono", "actors", "events")
ACTOR_KEY: Final = re.compile(r"[a-z0-9][a-z0-9_-]*")
ID_PATTERN: Final = re.compile(r"[^\s]+")


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the log, with the span of time it covers."""

    id: str
    date: PartialDate
    title: str
    end: PartialDate | None = None
    summary: str | None = None
    actors: tuple[str, ...] = ()  # registry keys; free text for names not in the registry
    location: str | None = None
    tags: tuple[str, ...] = ()
    kind: str | None = None
    sources: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    start: int = 0  # first instant covered, microseconds since the epoch (UTC)
    stop: int = 0  # first instant after the span
    line: int = 0  # where the event's table starts in the file

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        """The total order: start, coarser precision first, earlier end, id."""
        return (self.start, int(self.date.precision), self.stop, self.id)

    def overlaps(self, start: int, stop: int) -> bool:
        """Whether the event's span shares any instant with ``[start, stop)``."""
        return self.start < stop and start < self.stop

    def within(self, start: int, stop: int) -> bool:
        """Whether the event's span lies wholly inside ``[start, stop)``."""
        return start <= self.start and self.stop <= stop


@dataclass(frozen=True, slots=True)
class Chronology:
    """A whole log: its settings, its actor registry and its events in order."""

    path: str
    timezone: str
    tz: dt.tzinfo
    registry: Registry
    events: tuple[Event, ...]

    def get(self, event_id: str) -> Event | None:
        """The event with this id, or None."""
        for event in self.events:
            if event.id == event_id:
                return event
        return None

    def line_of(self, event_id: str) -> int | None:
        """The line of the event with this id, or None."""
        event = self.get(event_id)
        return event.line if event is not None else None

    def starting(self, start: int, stop: int) -> list[Event]:
        """The events dated to the day or finer that start in ``[start, stop)``, in order."""
        return [
            e for e in self.events if e.date.precision >= Precision.DAY and start <= e.start < stop
        ]


def slugify(text: str, max_words: int = 8) -> str:
    """A lower-case ASCII slug of ``text``: ``"Putin meets Witkoff"`` -> ``putin-meets-witkoff``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:max_words]) or "event"


def derive_id(date: PartialDate, title: str) -> str:
    """The stable id of an event written without one: its date and a slug of its title."""
    day = date.isoformat()[:10].rstrip("?~%")
    return f"{day}-{slugify(title)}"


_PLAIN_DATES = frozenset({str, dt.date})
_PLAIN_DATES_OR_NONE = _PLAIN_DATES | {type(None)}


class _Builder:
    """Builds the model from a TOML document, collecting diagnostics."""

    def __init__(self, path: str, positions: Positions | LazyPositions, lint: bool) -> None:
        self.path = path
        self.pos = positions
        self.lint = lint
        self.diagnostics: list[Diagnostic] = []
        # Dates repeat (a long log has a few thousand days for 100,000 events): the
        # dates and span of each (date, end) written as a string or a TOML local date.
        self._spans: dict[tuple[object, object], tuple[PartialDate, PartialDate | None, int, int]]
        self._spans = {}

    def report(
        self,
        severity: Severity,
        code: str,
        place: Place,
        message: str,
        event: str | None = None,
        field_name: str | None = None,
    ) -> None:
        self.diagnostics.append(
            Diagnostic(self.path, place[0], place[1], severity, code, message, event, field_name)
        )

    # -- top level --------------------------------------------------------------

    def build(self, doc: Mapping[str, Any]) -> Chronology:
        for key in doc:
            if key not in TOP_FIELDS:
                self.report(
                    "warning",
                    "unknown-key",
                    self.pos.table((key,)),
                    f"unknown top-level key {key!r} (kept, but chrono does not use it)"
                    + _did_you_mean(key, TOP_FIELDS),
                )
        timezone, tz = self._settings(doc.get("chrono", {}))
        registry = Registry(self._actors(doc.get("actors", {})))
        for spelling, keys in registry.shared_spellings().items() if self.lint else ():
            self.report(
                "warning",
                "shared-alias",
                self.pos.table(("actors", keys[1])),
                f"actors {', '.join(repr(k) for k in keys)} share the spelling {spelling!r}; "
                "a name written that way is ambiguous",
            )
        raw_events = doc.get("events", [])
        events: list[Event] = []
        if not isinstance(raw_events, list):
            self.report(
                "error",
                "type",
                self.pos.table(("events",)),
                f"'events' must be an array of tables ([[events]]), not {type_name(raw_events)}",
            )
            raw_events = []
        if hasattr(self.pos, "expect_events"):  # a LazyPositions
            self.pos.expect_events(len(raw_events))
        explicit_ids = {
            e["id"] for e in raw_events if isinstance(e, dict) and isinstance(e.get("id"), str)
        }
        seen: dict[str, int] = {}
        used: set[str] = set()
        for index, raw in enumerate(raw_events):
            event = None if self.lint else self._event_fast(index, raw, registry, tz, seen)
            if event is None:
                event = self._event(index, raw, registry, tz, explicit_ids, seen)
            if event is not None:
                events.append(event)
                used.update(event.actors)
            elif isinstance(raw, dict) and isinstance(raw.get("actors"), list):
                for name in raw["actors"]:  # a broken event still names its actors
                    if isinstance(name, str):
                        used.update(registry.resolve(name) or registry.variant_of(name))
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

    def _settings(self, raw: object) -> tuple[str, dt.tzinfo]:
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
                self.report(
                    "warning",
                    "unknown-key",
                    self.pos.table(("chrono",), key),
                    f"unknown setting {key!r} in [chrono] (kept, but chrono does not use it)",
                )
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
        ok = True
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            problem = "is missing" if name is None else "must be a non-empty string"
            self.report(
                "error",
                "required",
                self.pos.table(where, "name" if "name" in raw else None),
                f"actor {key!r}: 'name' {problem}",
                field_name="name",
            )
            ok = False
        aliases = self._strings(
            raw, "aliases", lambda f, i=None: self.pos.table(where, f), f"actor {key!r}"
        )
        role = self._text(raw, "role", lambda f: self.pos.table(where, f), f"actor {key!r}")
        note = self._text(raw, "note", lambda f: self.pos.table(where, f), f"actor {key!r}")
        extra = {k: v for k, v in raw.items() if k not in ACTOR_FIELDS}
        for unknown in extra:
            self.report(
                "warning",
                "unknown-key",
                self.pos.table(where, unknown),
                f"actor {key!r}: unknown key {unknown!r} (kept, but chrono does not use it)",
                field_name=unknown,
            )
        if not ok:
            return None
        return Actor(key, str(name), tuple(aliases or ()), role, note, extra)

    # -- events -----------------------------------------------------------------

    def _event_fast(
        self,
        index: int,
        raw: object,
        registry: Registry,
        tz: dt.tzinfo,
        seen: dict[str, int],
    ) -> Event | None:
        """An event written the usual way, built without per-field bookkeeping.

        Returns None for anything unusual (a missing id, a wrong type, a bad date ...):
        the careful path then builds it or reports exactly what is wrong.
        """
        if type(raw) is not dict:
            return None
        get = raw.get
        event_id, title, raw_date = get("id"), get("title"), get("date")
        if (
            type(event_id) is not str
            or event_id in seen
            or not ID_PATTERN.fullmatch(event_id)
            or not event_id.isprintable()
            or type(title) is not str
            or not title.strip()
            or raw_date is None
        ):
            return None
        texts = (get("summary"), get("location"), get("kind"))
        for text in texts:
            if text is not None and type(text) is not str:
                return None
        lists = (get("actors", []), get("tags", []), get("sources", []))
        for values in lists:
            if type(values) is not list or (values and set(map(type, values)) != {str}):
                return None
        raw_end = get("end")
        key = (raw_date, raw_end)
        # Only strings and plain dates are keys: equal aware datetimes can differ in offset.
        cacheable = type(raw_date) in _PLAIN_DATES and type(raw_end) in _PLAIN_DATES_OR_NONE
        span = self._spans.get(key) if cacheable else None
        if span is None:
            try:
                date = from_toml(raw_date)
                end = None if raw_end is None else from_toml(raw_end)
            except DateError:
                return None
            start = date.start(tz)
            stop = (end or date).stop(tz)
            if end is not None and end.stop(tz) <= start:
                return None
            span = (date, end, start, stop)
            if cacheable:
                self._spans[key] = span
        date, end, start, stop = span
        line = self.pos.event(index)[0]
        seen[event_id] = line
        names = lists[0]
        distinct = set(names)
        if len(distinct) == len(names) and distinct <= registry.actors.keys():
            actors = tuple(names)
        else:
            actors = self._event_actors(names, registry, lambda i: (line, 1), "", event_id)
        if raw.keys() <= _EVENT_FIELD_SET:
            extra = {}
        else:
            extra = {k: raw[k] for k in raw if k not in _EVENT_FIELD_SET}
        return Event(
            event_id,
            date,
            title,
            end,
            texts[0],
            actors,
            texts[1],
            tuple(lists[1]),
            texts[2],
            tuple(lists[2]),
            extra,
            start,
            stop,
            line,
        )

    def _event(
        self,
        index: int,
        raw: object,
        registry: Registry,
        tz: dt.tzinfo,
        explicit_ids: set[str],
        seen: dict[str, int],
    ) -> Event | None:
        place = self.pos.event(index)
        if not isinstance(raw, dict):
            self.report(
                "error",
                "type",
                place,
                f"event #{index + 1} must be a table, not {type_name(raw)}",
            )
            return None

        raw_id = raw.get("id")
        label = f"event #{index + 1}" + (f" ({raw_id!r})" if isinstance(raw_id, str) else "")

        def at(name: str, item: int | None = None) -> Place:
            return self.pos.event(index, name, item)

        def error(code: str, name: str | None, message: str) -> None:
            where = at(name) if name else place
            shown = raw_id if isinstance(raw_id, str) else None
            self.report("error", code, where, f"{label}: {message}", shown, name)

        ok = True
        title = raw.get("title")
        if title is None:
            error("required", None, "'title' is missing")
            ok = False
        elif not isinstance(title, str):
            error("type", "title", f"'title' must be a string, not {type_name(title)}")
            ok = False
        elif not title.strip():
            error("required", "title", "'title' is empty")
            ok = False

        date = end = None
        if "date" not in raw:
            error("required", None, "'date' is missing")
            ok = False
        else:
            date = self._date(raw["date"], "date", error)
            ok = ok and date is not None
        if "end" in raw:
            end = self._date(raw["end"], "end", error)
            ok = ok and end is not None

        start = stop = 0
        if date is not None and end is not None and end.stop(tz) <= date.start(tz):
            error(
                "end-before-date",
                "end",
                f"'end' {end.isoformat()} is before 'date' {date.isoformat()}",
            )
            ok = False
        if date is not None:
            start = date.start(tz)
            stop = (end or date).stop(tz)

        def text(name: str) -> str | None:
            return self._text(raw, name, at, label)

        summary, location, kind = text("summary"), text("location"), text("kind")
        tags = self._strings(raw, "tags", at, label)
        sources = self._strings(raw, "sources", at, label)
        actor_names = self._strings(raw, "actors", at, label)
        if tags is None or sources is None or actor_names is None:
            ok = False
        for key in ("summary", "location", "kind"):
            if key in raw and not isinstance(raw[key], str):
                ok = False

        event_id: str | None = None
        if raw_id is not None:
            if not isinstance(raw_id, str):
                error("type", "id", f"'id' must be a string, not {type_name(raw_id)}")
                ok = False
            elif not ID_PATTERN.fullmatch(raw_id):
                error("id", "id", "'id' must be non-empty and contain no spaces")
                ok = False
            elif not raw_id.isprintable():
                error("id", "id", f"'id' {raw_id!r} contains invisible or control characters")
                ok = False
            else:
                event_id = raw_id
        elif ok and date is not None and isinstance(title, str):
            base = derive_id(date, title)
            event_id, n = base, 1
            while event_id in explicit_ids or event_id in seen:
                n += 1
                event_id = f"{base}-{n}"
        if event_id is not None:
            if event_id in seen:
                first = seen[event_id]
                error(
                    "duplicate-id",
                    "id" if raw_id is not None else None,
                    f"duplicate id {event_id!r} (first used by the event at line {first})",
                )
                ok = False
            else:
                seen[event_id] = place[0]

        extra = {k: v for k, v in raw.items() if k not in EVENT_FIELDS}
        shown_id = event_id or (raw_id if isinstance(raw_id, str) else None)
        for name, value in (("date", date), ("end", end)):
            if self.lint and value is not None and _in_clock_gap(value, tz):
                self.report(
                    "warning",
                    "no-such-time",
                    at(name),
                    f"{label}: '{name}' {value.isoformat()} does not exist in the log's time "
                    "zone (the clocks skip it); write the time with its UTC offset",
                    shown_id,
                    name,
                )
        if self.lint and isinstance(title, str) and ("\n" in title or "\r" in title):
            self.report(
                "warning",
                "title-lines",
                at("title"),
                f"{label}: the title spans several lines; keep it to one (details go in summary)",
                shown_id,
                "title",
            )
        for unknown in extra:
            self.report(
                "warning",
                "unknown-key",
                at(unknown),
                f"{label}: unknown key {unknown!r} (kept, but chrono does not use it)"
                + _did_you_mean(unknown, EVENT_FIELDS),
                shown_id,
                unknown,
            )
        for i, source in enumerate(sources or ()) if self.lint else ():
            if not _looks_like_valid_source(source):
                self.report(
                    "warning",
                    "source-url",
                    at("sources", i),
                    f"{label}: source {source!r} looks like a URL but is not a valid http(s) URL",
                    shown_id,
                    "sources",
                )
        actors = self._event_actors(
            actor_names or [], registry, lambda i: at("actors", i), label, shown_id
        )

        if not ok or date is None or event_id is None:
            return None
        return Event(
            id=event_id,
            date=date,
            title=str(title),
            end=end,
            summary=summary,
            actors=actors,
            location=location,
            tags=tuple(tags or ()),
            kind=kind,
            sources=tuple(sources or ()),
            extra=extra,
            start=start,
            stop=stop,
            line=place[0],
        )

    def _date(self, value: object, name: str, error: Any) -> PartialDate | None:
        try:
            return from_toml(value)
        except DateError as exc:
            error("date", name, f"'{name}': {exc}")
            return None

    def _event_actors(
        self,
        names: list[str],
        registry: Registry,
        where: Callable[[int], Place],
        label: str,
        event_id: str | None,
    ) -> tuple[str, ...]:
        """Registry keys (or free text) for the actors an event names; warns when linting."""
        resolved: list[str] = []
        for position, name in enumerate(names):
            if not name.strip():
                continue
            keys = registry.resolve(name)
            variants = [] if keys else registry.variant_of(name)
            if len(keys) == 1:
                key = keys[0]
            elif len(variants) == 1:
                key = variants[0]  # selected as that actor meanwhile
            else:
                key = name.strip()
            if key not in resolved:
                resolved.append(key)
            if len(keys) == 1 or not self.lint:
                continue
            code = "unknown-actor"
            if keys:
                message = (
                    f"{label}: actor {name!r} is ambiguous: it names "
                    + ", ".join(repr(k) for k in keys)
                    + "; write the key instead"
                )
            elif len(variants) == 1:
                code = "actor-variant"
                message = (
                    f"{label}: actor {name!r} looks like a spelling of {key!r} "
                    f"({registry.display(key)}); add {name!r} to its aliases"
                )
            else:
                message = f"{label}: actor {name!r} is not in the registry"
                suggestions = registry.suggest(name)
                if suggestions:
                    message += "; did you mean " + " or ".join(
                        f"{k!r} ({registry.display(k)})" for k in suggestions
                    )
                    message += "? (add the spelling to that actor's aliases)"
                else:
                    message += " (add an [actors.<key>] table for it)"
            self.report("warning", code, where(position), message, event_id, "actors")
        return tuple(resolved)

    # -- field helpers ----------------------------------------------------------

    def _text(self, raw: Mapping[str, Any], name: str, at: Any, label: str) -> str | None:
        value = raw.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            self.report(
                "error",
                "type",
                at(name),
                f"{label}: '{name}' must be a string, not {type_name(value)}",
                raw.get("id") if isinstance(raw.get("id"), str) else None,
                name,
            )
            return None
        return value

    def _strings(self, raw: Mapping[str, Any], name: str, at: Any, label: str) -> list[str] | None:
        """A list of strings, or None after reporting what is wrong with it."""
        value = raw.get(name, [])
        shown = raw.get("id") if isinstance(raw.get("id"), str) else None
        if not isinstance(value, list):
            self.report(
                "error",
                "type",
                at(name),
                f"{label}: '{name}' must be an array of strings, not {type_name(value)}",
                shown,
                name,
            )
            return None
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.report(
                    "error",
                    "type",
                    at(name, i),
                    f"{label}: '{name}' entry {i + 1} must be a string, not {type_name(item)}",
                    shown,
                    name,
                )
                return None
        return list(value)


def _looks_like_valid_source(source: str) -> bool:
    """Citations pass; a source written as a URL must be a well-formed http(s) URL."""
    text = source.strip()
    if text.lower().startswith("www."):
        return False
    if "://" not in text:
        return True
    from urllib.parse import urlsplit  # noqa: PLC0415 - only check looks at sources

    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text


def _cast(event: Event) -> tuple[frozenset[str], str] | None:
    return (frozenset(event.actors), fold(event.kind)) if event.actors and event.kind else None


def _reason(matcher: Any, cast: Any, other_cast: Any) -> str | None:
    """Why two events of one day look like one: a similar title, or the same cast and kind."""
    if (
        matcher.real_quick_ratio() >= 0.85
        and matcher.quick_ratio() >= 0.85
        and matcher.ratio() >= 0.85
    ):
        return "a similar title"
    if cast is not None and cast == other_cast:
        return "the same actors and kind"
    return None


def day_window(event: Event, tz: dt.tzinfo) -> tuple[int, int] | None:
    """Instants holding the start of every event of ``event``'s local day, with room to spare.

    None when ``event`` is not dated to the day (it then has no same-day duplicates).
    A zone's or a date's offset is under a day, so two days each side are plenty.
    """
    day = _local_day(event, tz)
    if day is None:
        return None
    midnight = (day.toordinal() - _EPOCH_DAY) * _DAY_US
    return midnight - 2 * _DAY_US, midnight + 3 * _DAY_US


_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()
_DAY_US = 86_400_000_000


def duplicate_reason(event: Event, other: Event, tz: dt.tzinfo) -> str | None:
    """Why ``other`` looks like a duplicate of ``event`` (same day), or None."""
    from difflib import SequenceMatcher  # noqa: PLC0415

    day = _local_day(event, tz)
    if day is None or day != _local_day(other, tz):
        return None
    matcher = SequenceMatcher(None, fold(other.title), fold(event.title), autojunk=False)
    return _reason(matcher, _cast(event), _cast(other))


def duplicates(chronology: Chronology) -> list[Diagnostic]:
    """Likely duplicate events: the same day and a similar title, or the same actors and kind.

    Only ``chrono check`` asks this (it compares events pairwise within each day).
    """
    from difflib import SequenceMatcher  # noqa: PLC0415

    found: list[Diagnostic] = []
    by_day: dict[dt.date, list[Event]] = {}
    for event in chronology.events:
        day = _local_day(event, chronology.tz)
        if day is not None:
            by_day.setdefault(day, []).append(event)
    for same_day in by_day.values():
        titles = [fold(e.title) for e in same_day]
        casts = [_cast(e) for e in same_day]
        for i in range(1, len(same_day)):
            matcher = SequenceMatcher(None, b=titles[i], autojunk=False)
            for j in range(i):
                matcher.set_seq1(titles[j])
                why = _reason(matcher, casts[i], casts[j])
                if why:
                    first, second = sorted((same_day[j], same_day[i]), key=lambda e: e.line)
                    message = (
                        f"event {second.id!r} looks like a duplicate of {first.id!r} "
                        f"(line {first.line}): same day, {why}"
                    )
                    found.append(
                        Diagnostic(
                            chronology.path,
                            second.line,
                            1,
                            "warning",
                            "duplicate-event",
                            message,
                            second.id,
                        )
                    )
                    break
    return found


def _in_clock_gap(date: PartialDate, tz: dt.tzinfo) -> bool:
    """Whether a wall time without an offset falls in a gap where the clocks skip ahead."""
    if date.precision < Precision.MINUTE or date.offset is not None or tz is dt.UTC:
        return False
    wall = dt.datetime(date.year, date.month, date.day, date.hour, date.minute, date.second)
    try:
        back = wall.replace(tzinfo=tz).astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return False
    return back != wall


def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    """``; did you mean 'events'?`` when a word is close to one of the choices."""
    import difflib  # noqa: PLC0415

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.7)
    return f"; did you mean {close[0]!r}?" if close else ""


def _local_day(event: Event, tz: dt.tzinfo) -> dt.date | None:
    """The calendar day of an event dated to the day or finer, in the log's zone."""
    date = event.date
    if date.precision < Precision.DAY:
        return None
    if date.precision == Precision.DAY:
        return dt.date(date.year, date.month, date.day)
    try:
        moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=event.start)
    except OverflowError:
        return None
    return moment.astimezone(tz).date()


def load_timezone(name: str) -> dt.tzinfo | None:
    """The tzinfo for an IANA name, or None when there is no such zone."""
    if name.upper() == "UTC":
        return dt.UTC
    try:
        from zoneinfo import ZoneInfo  # noqa: PLC0415 - only logs with a zone need it

        return ZoneInfo(name)
    except Exception:
        return None


def build(
    doc: Mapping[str, Any], path: str, positions: Positions | LazyPositions, *, lint: bool = True
) -> tuple[Chronology, list[Diagnostic]]:
    """Validate a parsed document and build its chronology; diagnostics in file order.

    With ``lint=False`` (every command but ``check``) only what makes the log unusable is
    looked for: the warnings that cost time (suggestions, unused actors, sources) are not.
    """
    builder = _Builder(path, positions, lint)
    chronology = builder.build(doc)
    diagnostics = sorted(builder.diagnostics, key=lambda d: (d.line, d.column))
    return chronology, diagnostics


__all__ = ["Chronology", "Event", "Precision", "build", "derive_id", "slugify"]
