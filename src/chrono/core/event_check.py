"""One ``[[events]]`` table to an :class:`Event`: a fast path for the usual one, a careful one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Final

from chrono.core.actors import Registry
from chrono.core.dates import PartialDate, ends_before, from_toml, type_name
from chrono.core.errors import DateError
from chrono.core.fields import (
    Checker,
    Place,
    Places,
    actor_warning,
    closest_key,
    control_characters,
)
from chrono.core.ids import ID_PATTERN, FreeIds, derive_id
from chrono.core.lint import in_clock_gap, odd_source
from chrono.core.model import EVENT_FIELDS, Event

_EVENT_FIELD_SET: Final = frozenset(EVENT_FIELDS)
_TEXT_FIELDS: Final = ("summary", "location", "kind")
_PLAIN_DATES: Final = frozenset({str, dt.date})
_PLAIN_DATES_OR_NONE: Final = _PLAIN_DATES | {type(None)}

Span = tuple[PartialDate, PartialDate | None, int, int]  # date, end, start, stop


class _Table:
    """One event table under the careful check: where its fields are, how its errors read."""

    __slots__ = ("checker", "index", "label", "ok", "place", "shown")

    def __init__(self, checker: Checker, index: int, place: Place, raw_id: object) -> None:
        self.checker = checker
        self.index = index
        self.place = place
        self.shown = raw_id if isinstance(raw_id, str) else None
        self.label = f"event #{index + 1}" + (f" ({raw_id!r})" if self.shown is not None else "")
        self.ok = True  # no error yet

    def at(self, name: str, item: int | None = None) -> Place:
        """The place of one of the event's fields, or of an item of one."""
        return self.checker.pos.event(self.index, name, item)

    def error(self, code: str, name: str | None, message: str) -> None:
        """Report an error of the event (at the field ``name`` when given); it is not built."""
        where = self.at(name) if name else self.place
        self.checker.report("error", code, where, f"{self.label}: {message}", self.shown, name)
        self.ok = False


class EventChecker(Checker):
    """Builds events from their tables, collecting diagnostics."""

    def __init__(self, path: str, positions: Places, lint: bool) -> None:
        super().__init__(path, positions, lint)
        # Dates repeat (a long log has a few thousand days for 100,000 events): the
        # dates and span of each (date, end) written as a string or a TOML local date.
        self._spans: dict[tuple[object, object], Span] = {}

    # -- the fast path ----------------------------------------------------------

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
        span = self._fast_span(raw_date, get("end"), tz)
        if span is None:
            return None
        date, end, start, stop = span
        place = self.pos.event(index)
        line = place[0]
        seen[event_id] = line
        names = lists[0]
        extra = {} if raw.keys() <= _EVENT_FIELD_SET else _extra(raw)
        if self.lint:  # the careful path's warnings, for an event it would build the same
            table = _Table(self, index, place, event_id)
            self._warnings(raw, table, tz, (date, end), lists[2], extra, event_id)
            at, label = (lambda i: table.at("actors", i)), table.label
        else:
            at, label = (lambda i: (line, 1)), ""
        if len(distinct := set(names)) == len(names) and distinct <= registry.actors.keys():
            actors = tuple(names)
        else:
            actors = self._event_actors(names, registry, at, label, event_id)
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

    def _fast_span(self, raw_date: object, raw_end: object, tz: dt.tzinfo) -> Span | None:
        """The dates and span of a well-formed (date, end), cached; None for a bad one."""
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
        return span

    # -- the careful path -------------------------------------------------------

    def _event(
        self,
        index: int,
        raw: object,
        registry: Registry,
        tz: dt.tzinfo,
        free: FreeIds,
        seen: dict[str, int],
    ) -> Event | None:
        """The event of one table, or None after reporting everything wrong with it."""
        place = self.pos.event(index)
        if not isinstance(raw, dict):
            self.report(
                "error",
                "type",
                place,
                f"event #{index + 1} must be a table, not {type_name(raw)}",
            )
            return None
        table = _Table(self, index, place, raw.get("id"))
        title = self._title(raw, table)
        date, end, start, stop = self._dates(raw, table, tz)
        summary, location, kind = (self._text(raw, n, table.at, table.label) for n in _TEXT_FIELDS)
        tags = self._strings(raw, "tags", table.at, table.label)
        sources = self._strings(raw, "sources", table.at, table.label)
        actor_names = self._strings(raw, "actors", table.at, table.label)
        if tags is None or sources is None or actor_names is None:
            table.ok = False
        if any(key in raw and not isinstance(raw[key], str) for key in _TEXT_FIELDS):
            table.ok = False
        event_id = self._event_id(raw, table, date, title, free, seen)
        extra = _extra(raw)
        shown_id = event_id or table.shown
        self._warnings(raw, table, tz, (date, end), sources or [], extra, shown_id)
        actors = self._event_actors(
            actor_names or [], registry, lambda i: table.at("actors", i), table.label, shown_id
        )
        if not table.ok or date is None or event_id is None:
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

    def _title(self, raw: Mapping[str, Any], table: _Table) -> object:
        """The title as written, after reporting a missing, mistyped or empty one."""
        title = raw.get("title")
        if title is None:
            table.error("required", None, "'title' is missing")
        elif not isinstance(title, str):
            table.error("type", "title", f"'title' must be a string, not {type_name(title)}")
        elif not title.strip():
            table.error("required", "title", "'title' is empty")
        return title

    def _dates(
        self, raw: Mapping[str, Any], table: _Table, tz: dt.tzinfo
    ) -> tuple[PartialDate | None, PartialDate | None, int, int]:
        """The date, the end and the span they cover, after reporting what is wrong."""
        date = end = None
        if "date" not in raw:
            table.error("required", None, "'date' is missing")
        else:
            date = self._date(raw["date"], "date", table)
        if "end" in raw:
            end = self._date(raw["end"], "end", table)
        if date is not None and end is not None and ends_before(end, date, tz):
            table.error(
                "end-before-date",
                "end",
                f"'end' {end.isoformat()} is before 'date' {date.isoformat()}",
            )
        if date is None:
            return date, end, 0, 0
        return date, end, date.start(tz), (end or date).stop(tz)

    def _date(self, value: object, name: str, table: _Table) -> PartialDate | None:
        """The date written under ``name``, or None after reporting why it is not one."""
        try:
            return from_toml(value)
        except DateError as exc:
            from chrono.core.datetext import iso_advice  # noqa: PLC0415 - only on an error

            table.error("date", name, f"'{name}': {iso_advice(value, name) or exc}")
            return None

    def _event_id(
        self,
        raw: Mapping[str, Any],
        table: _Table,
        date: PartialDate | None,
        title: object,
        free: FreeIds,
        seen: dict[str, int],
    ) -> str | None:
        """The event's id, written or derived, noted in ``seen``; None when it has none."""
        raw_id = raw.get("id")
        event_id: str | None = None
        if raw_id is not None:
            if not isinstance(raw_id, str):
                table.error("type", "id", f"'id' must be a string, not {type_name(raw_id)}")
            elif not ID_PATTERN.fullmatch(raw_id):
                table.error("id", "id", "'id' must be non-empty and contain no spaces")
            elif not raw_id.isprintable():
                table.error("id", "id", f"'id' {raw_id!r} contains invisible or control characters")
            else:
                event_id = raw_id
        elif table.ok and date is not None and isinstance(title, str):
            event_id = free.mint(derive_id(date, title))
        if event_id is not None:
            if event_id in seen:
                table.error(
                    "duplicate-id",
                    "id" if raw_id is not None else None,
                    f"duplicate id {event_id!r} (first used by the event at line {seen[event_id]})",
                )
            else:
                seen[event_id] = table.place[0]
        return event_id

    def _warnings(
        self,
        raw: Mapping[str, Any],
        table: _Table,
        tz: dt.tzinfo,
        dates: tuple[PartialDate | None, PartialDate | None],
        sources: list[str],
        extra: Mapping[str, Any],
        shown_id: str | None,
    ) -> None:
        """Warn of unknown keys and, when linting, of lost times, long titles, control
        characters, bad URLs."""
        at, label = table.at, table.label
        for name, value in zip(("date", "end"), dates, strict=True):
            if self.lint and value is not None and in_clock_gap(value, tz):
                self.report(
                    "warning",
                    "no-such-time",
                    at(name),
                    f"{label}: '{name}' {value.isoformat()} does not exist in the log's time "
                    "zone (the clocks skip it); write the time with its UTC offset",
                    shown_id,
                    name,
                )
        title = raw.get("title")
        if self.lint and isinstance(title, str) and ("\n" in title or "\r" in title):
            self.report(
                "warning",
                "title-lines",
                at("title"),
                f"{label}: the title spans several lines; keep it to one (details go in summary)",
                shown_id,
                "title",
            )
        for name, item, what in control_characters(raw) if self.lint else ():
            self.report("warning", "control-character", at(name, item), f"{label}: {what}",
                        shown_id, name)  # fmt: skip
        for unknown in extra:
            self.report(
                "warning",
                "unknown-key",
                at(unknown),
                f"{label}: unknown key {unknown!r} (kept, but chrono does not use it)"
                + closest_key(unknown, EVENT_FIELDS),
                shown_id,
                unknown,
            )
        for i, source in enumerate(sources) if self.lint else ():
            odd = odd_source(source)
            if odd is not None:
                self.report(
                    "warning",
                    "source-url",
                    at("sources", i),
                    f"{label}: {odd}",
                    shown_id,
                    "sources",
                )

    # -- actors -----------------------------------------------------------------

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
            code, message = actor_warning(name, keys, variants, key, registry)
            self.report("warning", code, where(position), f"{label}: {message}", event_id, "actors")
        return tuple(resolved)


def _extra(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The keys of an event table that chrono does not use, kept as they are."""
    return {k: v for k, v in raw.items() if k not in _EVENT_FIELD_SET}
