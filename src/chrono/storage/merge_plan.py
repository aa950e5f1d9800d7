"""What a merge does to ours, table by table (the rules are in :mod:`chrono.storage.merge`):
each identity decided, then ours' bytes cut and theirs' tables added."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from chrono.storage import writer
from chrono.storage.amend import amend_table
from chrono.storage.merge_tables import ABSENT, Conflict, Expected, Key, Table, Unmergeable, Version


class _Change(NamedTuple):
    key: Key
    text: bytes  # what the merge writes: theirs' table, a merged table, or a conflict
    value: Any  # what it reads as (ours' value for a conflict)
    conflict: bool


class Plan:
    """The decisions for every identity that is not the same in all three versions."""

    def __init__(self, versions: Sequence[Version], labels: Sequence[str], size: int) -> None:
        self.base, self.ours, self.theirs = versions
        self.newline = writer.newline_of(self.ours.data).encode()
        self.labels, self.size = [label.encode("utf-8", "replace") for label in labels], size
        self.at: dict[Key, _Change | None] = {}  # ours' tables changed (None: removed)
        self.added: list[_Change] = []  # tables ours does not have, in theirs' order
        self.taken = self.removed = 0
        for key in [*self.ours.moving, *self.theirs.moving]:
            if key not in self.at and all(key != change.key for change in self.added):
                self._decide(key)

    def _decide(self, key: Key) -> None:
        """Decide one identity: keep ours, take theirs, or mark a conflict."""
        b, o, t = (v.moving.get(key) for v in (self.base, self.ours, self.theirs))
        vb, vo, vt = (ABSENT if x is None else x.value for x in (b, o, t))
        if vo == vt:
            if o is not None and t is not None and b is not None and o.text == b.text:
                self._take(key, o, t.text, vt)  # theirs' bytes: only they touched them
        elif vb == vo:
            self._take(key, o, None if t is None else t.text, vt)
        elif vb != vt:
            merged = _settings(vb, vo, vt) if key == ("settings",) else None
            if merged is None or o is None:
                self._conflict(key, o, t)
            else:
                self._take(key, o, self._amended(o, _differing(vo, merged)), merged)

    def _take(self, key: Key, ours: Table | None, text: bytes | None, value: Any) -> None:
        if text is None:
            self.at[key], self.removed = None, self.removed + 1
            return
        change = _Change(key, self._ours_endings(text), value, conflict=False)
        self.taken += 1
        if ours is None:
            self.added.append(change)
        else:
            self.at[key] = change

    def _conflict(self, key: Key, ours: Table | None, theirs: Table | None) -> None:
        sides = [b"" if x is None else self._ours_endings(x.text) for x in (ours, theirs)]
        nl = self.newline
        text = b"".join([
            b"<" * self.size, b" ", self.labels[0], nl, sides[0],
            b"=" * self.size, nl, sides[1],
            b">" * self.size, b" ", self.labels[1], nl,
        ])  # fmt: skip
        change = _Change(key, text, ABSENT if ours is None else ours.value, conflict=True)
        if ours is None:
            self.added.append(change)
        else:
            self.at[key] = change

    def _ours_endings(self, text: bytes) -> bytes:
        """A table's bytes in ours' line endings, ending with a line break."""
        text = text.replace(b"\r\n", b"\n")
        if not text.endswith(b"\n"):
            text += b"\n"
        return text if self.newline == b"\n" else text.replace(b"\n", b"\r\n")

    def _amended(self, ours: Table, values: dict[str, Any]) -> bytes:
        """Ours' table with some keys set (None: removed), every other byte kept."""
        text = ours.text.decode("utf-8")
        return amend_table(text, ours.span.name, values, "the merged log").encode("utf-8")

    def assemble(self, *, conflicted: bool) -> tuple[bytes, list[tuple[int, Key]]]:
        """The merged bytes (every conflict taken as ours unless ``conflicted``), and where
        each conflict's first marker is."""
        data, out, at = self.ours.data, bytearray(), 0
        marks: list[tuple[int, Key]] = []
        added = [c for c in self.added if conflicted or not c.conflict]
        front = [c for c in added if c.key == ("settings",)]
        if front and self.ours.tables:  # theirs' new [chrono] table: before ours' first
            at = self.ours.tables[0].span.start
            out += data[:at] + front[0].text + self.newline
            added.remove(front[0])
        for table in self.ours.tables:
            change = self.at.get(table.key, ABSENT) if table.value is not None else ABSENT
            if change is ABSENT or (change is not None and change.conflict and not conflicted):
                continue
            out += data[at : table.span.start]
            if change is None:
                at = table.span.end
                continue
            marks += [(len(out), table.key)] if change.conflict else []
            out += change.text
            at = table.span.body_end
        out += data[at:]
        if added:
            out += writer.to_append(bytes(out[:4096]), bytes(out[-4:]), "").encode()
            for number, change in enumerate(added):
                out += self.newline if number else b""
                marks += [(len(out), change.key)] if change.conflict else []
                out += change.text
        return bytes(out), marks

    def conflicts(self, data: bytes, marks: Sequence[tuple[int, Key]]) -> Iterator[Conflict]:
        """Each conflict, with the line of its first marker in ``data``."""
        line, counted = 1, 0
        for mark, key in marks:
            line, counted = line + data.count(b"\n", counted, mark), mark
            name = "" if key[0] == "event?" else ".".join(key[1:])
            yield Conflict(key[0].rstrip("?"), name, line)

    @property
    def expected(self) -> Expected:
        """What the merge must read back as, every conflict taken as ours."""
        events: list[Any] = []
        actors: dict[str, Any] = {}
        settings: Any = ABSENT
        for table in self.ours.tables:
            change = self.at.get(table.key) if table.value is not None else None
            if table.value is not None and table.key in self.at and change is None:
                continue
            value = table.value if change is None or change.conflict else change.value
            settings = _file(table, value, events, actors, settings)
        for change in self.added:
            if not change.conflict:
                settings = _file(
                    self.theirs.moving[change.key], change.value, events, actors, settings
                )
        return Expected(events, actors, settings)


def _file(
    table: Table, value: Any, events: list[Any], actors: dict[str, Any], settings: Any
) -> Any:
    """Note a table's value where it belongs; returns the settings."""
    name = table.span.name
    if name == ("events",) and table.span.array:
        events.append(value)
    elif name[:1] == ("actors",) and len(name) == 2 and not table.span.array:
        actors[name[1]] = value
    elif name == ("chrono",) and not table.span.array:
        return value
    return settings


def _differing(ours: dict[str, Any], merged: dict[str, Any]) -> dict[str, Any]:
    """The keys whose merged value is not ours', with it (None: the key goes)."""
    keys = {*ours, *merged}
    return {k: merged.get(k) for k in keys if ours.get(k, ABSENT) != merged.get(k, ABSENT)}


def _settings(base: Any, ours: Any, theirs: Any) -> dict[str, Any] | None:
    """The ``[chrono]`` table merged key by key, or None when a key conflicts."""
    tables = [{} if x is ABSENT else x for x in (base, ours, theirs)]
    if not all(isinstance(x, dict) for x in tables) or theirs is ABSENT:
        return None
    merged: dict[str, Any] = {}
    for key in {*tables[0], *tables[1], *tables[2]}:
        b, o, t = (x.get(key, ABSENT) for x in tables)
        if b not in (o, t) and o != t:
            return None
        value = t if b == o else o
        if value is not ABSENT:
            merged[key] = value
    return merged


__all__ = ["Plan", "Unmergeable"]
