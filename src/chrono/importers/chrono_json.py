"""chrono's own JSON export (``chrono export json``, docs/formats.md): its registry, its
zone and its events, each date at the precision and with the qualifier it was written with,
each id kept (an id the log already has marks the event as one it holds)."""

from __future__ import annotations

from typing import Any

from chrono.core.actors import Actor
from chrono.core.dates import parse_iso
from chrono.core.errors import DateError
from chrono.core.ids import ACTOR_KEY
from chrono.core.model import EVENT_FIELDS
from chrono.importers import Bad, Batch, Draft, NotThisFormat, Problem, Source, clean, gather
from chrono.importers.timelinejs import load_json

DESCRIPTION = "chrono's JSON export"
_SYMBOLS = {None: "", "uncertain": "?", "approximate": "~", "uncertain-approximate": "%"}


def read(data: bytes, source: Source) -> Batch:
    """The registry and the events of an exported document."""
    doc = load_json(data, source, "chrono's JSON export")
    if not isinstance(doc, dict) or doc.get("format") != "chrono":
        raise NotThisFormat(
            f'{source.shown}: error: not chrono\'s JSON export (no "format": "chrono"); '
            "--from names the format it is in"
        )
    if doc.get("version") != 1:
        raise NotThisFormat(
            f"{source.shown}: error: chrono's JSON of version {doc.get('version')!r}; "
            "this chrono reads version 1"
        )
    problems: list[Problem] = []
    actors = _actors(doc.get("actors"), source.shown, problems)
    records = doc.get("events")
    if not isinstance(records, list):
        raise NotThisFormat(f"{source.shown}:$.events: error: must be a list")
    records_at = ((f"{source.shown}:$.events[{i}]", r) for i, r in enumerate(records))
    drafts, bad = gather(records_at, _draft)
    zone = doc.get("timezone")
    zone = zone if isinstance(zone, str) else None
    return Batch(drafts, problems + bad, len(records), tuple(actors), zone)


def _actors(raw: object, shown: str, problems: list[Problem]) -> list[Actor]:
    if not isinstance(raw, dict):
        problems.append(Problem(f"{shown}:$.actors", "must be an object of actors by key"))
        return []
    found = []
    for key, table in raw.items():
        where = f"{shown}:$.actors[{key!r}]"
        if not ACTOR_KEY.fullmatch(key):
            problems.append(Problem(where, f"{key!r} is not an actor key (a-z, 0-9, - and _)"))
            continue
        if not isinstance(table, dict) or not clean(table.get("name")):
            problems.append(Problem(f"{where}.name", "an actor needs a name"))
            continue
        aliases = table.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append(Problem(f"{where}.aliases", "must be a list of names"))
            continue
        extra: dict[str, Any] = table.get("extra") or {}
        try:
            if not isinstance(extra, dict):
                raise Bad("", "must be an object")
            _storable(extra, "")
        except Bad as bad:
            problems.append(Problem(f"{where}.extra{bad.path}", bad.message))
            continue
        found.append(Actor(key, table["name"], tuple(aliases), clean(table.get("role")),
                           clean(table.get("note")), extra))  # fmt: skip
    return found


def _text(record: dict[str, Any], name: str, required: bool = False) -> str | None:
    value = record.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise Bad(f".{name}", f"{name} must be {'a non-empty' if required else 'a'} string")
    return value


def _strings(record: dict[str, Any], name: str) -> tuple[str, ...]:
    value = record.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Bad(f".{name}", f"{name} must be a list of strings")
    return tuple(value)


def _date(record: dict[str, Any], name: str) -> Any:
    value = record.get(name)
    if value is None and name == "end":
        return None
    given = record.get(f"{name}_qualifier")
    qualifier = _SYMBOLS.get(given) if given is None or isinstance(given, str) else None
    if not isinstance(value, str) or qualifier is None:
        raise Bad(f".{name}", f"{name} must be an ISO 8601 date with a known qualifier")
    try:
        return parse_iso(value + qualifier)
    except DateError as exc:
        raise Bad(f".{name}", str(exc)) from None


def _storable(value: object, path: str, depth: int = 0) -> None:
    """A value TOML can hold (no null), not nested past reason."""
    if depth > 20:
        raise Bad(path, "nested too deeply")
    if isinstance(value, dict):
        for key, item in value.items():
            _storable(item, f"{path}.{key}", depth + 1)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _storable(item, f"{path}[{n}]", depth + 1)
    elif value is None:
        raise Bad(path, "null has no TOML form: leave the key out")
    elif isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
        raise Bad(path, "a whole number beyond TOML's 64 bits")
    elif isinstance(value, float) and value != value:  # noqa: PLR0124 - NaN
        raise Bad(path, "NaN is no number a log can compare: leave the key out")


def _draft(record: object, where: str) -> Draft:
    if not isinstance(record, dict):
        raise Bad("", "an event must be an object")
    people = record.get("actors") or []
    if not isinstance(people, list) or not all(isinstance(a, dict) for a in people):
        raise Bad(".actors", "actors must be a list of {key, name} objects")
    names = tuple(str(a.get("key") or a.get("name") or "") for a in people)
    extra = record.get("extra") or {}
    if not isinstance(extra, dict):
        raise Bad(".extra", "extra must be an object")
    for key, value in extra.items():
        if key in EVENT_FIELDS:
            raise Bad(f".extra.{key}", f"{key!r} is a field of every event, not an extra key")
        _storable(value, f".extra.{key}")
    title = _text(record, "title", required=True)
    assert title is not None
    return Draft(
        where, title, _date(record, "date"), _date(record, "end"),
        summary=_text(record, "summary"), actors=names, location=_text(record, "location"),
        tags=_strings(record, "tags"), kind=_text(record, "kind"),
        sources=_strings(record, "sources"), event_id=_text(record, "id", required=True),
        extra=extra,
    )  # fmt: skip
