"""Where things are in a TOML text: line and column of tables and keys, and each table's bytes.

tomllib gives values but no positions.  :func:`scan` walks the text once, skipping
strings, comments and multi-line arrays, and records where each table header and
each key's value starts.  It only ever informs messages: it never raises, and when
it cannot tell, callers fall back to the nearest known place.

:func:`table_spans` gives the whole byte span of every table, for edits that replace or
remove one. The rule for what lies between two tables:

- a table's span runs from its leading comments to the start of the next table's span
  (the last table's runs to the end of the file);
- its *leading comments* are the comment lines directly above its header: a blank line,
  a key or another header above them ends that block, so a comment separated from the
  header by a blank line stays with what is above it;
- the blank lines after a table's last key (or its last comment) belong to that table:
  its *body* (header to ``body_end``) is what a replacement rewrites, the blank lines
  after it are kept;
- a sub-table belongs to the table it extends: ``[events.x]`` after ``[[events]]`` is
  part of that event, ``[actors.k.more]`` part of ``[actors.k]`` (but ``[actors.k]`` is
  not part of a bare ``[actors]``);
- text before the first table's span (top-level keys) is in no span. Headers are found
  only outside strings and multi-line arrays; a first line's byte-order mark is in no span.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from typing import NamedTuple

Place = tuple[int, int]  # 1-based line and column


class Table:
    """A table header and the places of the keys written under it."""

    __slots__ = ("items", "keys", "name", "place")

    def __init__(self, name: tuple[str, ...], place: Place) -> None:
        self.name = name
        self.place = place
        self.keys: dict[str, Place] = {}
        self.items: dict[str, list[Place]] = {}  # strings in an array value


class Positions:
    """Places of the top-level keys, the ``[[events]]`` tables and every other table."""

    __slots__ = ("events", "tables", "top")

    def __init__(self) -> None:
        self.top = Table((), (1, 1))
        self.events: list[Table] = []
        self.tables: dict[tuple[str, ...], Table] = {}

    def event(self, index: int, key: str | None = None, item: int | None = None) -> Place:
        """Place of the ``index``-th ``[[events]]`` table, of one of its keys, or of an item."""
        if index >= len(self.events):
            return self.top.keys.get("events", (1, 1))
        table = self.events[index]
        if key and item is not None:
            items = table.items.get(key, [])
            if item < len(items):
                return items[item]
        return table.keys.get(key, table.place) if key else table.place

    def table(self, name: tuple[str, ...], key: str | None = None) -> Place:
        """Place of a table such as ``("actors", "putin")``, or of one of its keys."""
        table = self.tables.get(name)
        if table is None:
            parent = self.tables.get(name[:1])
            if parent is not None and len(name) > 1:
                return parent.keys.get(name[1], parent.place)
            return self.top.keys.get(name[0], (1, 1)) if name else (1, 1)
        return table.keys.get(key, table.place) if key else table.place


def scan(text: str) -> Positions:
    """Scan TOML text for table headers and keys; never raises."""
    positions = Positions()
    current = positions.top
    # TOML's newlines only: str.splitlines() would also break at U+2028, U+0085 or \x0c
    # inside a title and shift every line number after it.
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    state = _State()
    for number, line in enumerate(lines, start=1):
        if state.idle():
            stripped = line.lstrip()
            indent = len(line) - len(stripped)
            if stripped.startswith("[["):
                name = _key_path(stripped[2:].split("]]", 1)[0])
                current = Table(name, (number, indent + 1))
                if name == ("events",):
                    positions.events.append(current)
                else:
                    positions.tables.setdefault(name, current)
                state.feed(line[indent + len(stripped.split("]]", 1)[0]) + 2 :])
                continue
            if stripped.startswith("["):
                name = _key_path(stripped[1:].split("]", 1)[0])
                current = Table(name, (number, indent + 1))
                positions.tables.setdefault(name, current)
                state.feed(line[indent + len(stripped.split("]", 1)[0]) + 1 :])
                continue
            if stripped and not stripped.startswith("#") and "=" in stripped:
                key_text, _, rest = stripped.partition("=")
                path = _key_path(key_text)
                state.sink = None
                if path:
                    value_col = len(line) - len(rest.lstrip()) + 1
                    current.keys.setdefault(path[0], (number, value_col))
                    if path[0] not in current.items:
                        state.sink = current.items[path[0]] = []
                state.feed(rest, number, len(line) - len(rest))
                continue
        state.feed(line, number, 0)
    return positions


def _key_path(text: str) -> tuple[str, ...]:
    parts: list[str] = []
    for raw in text.split("."):
        part = raw.strip()
        if len(part) >= 2 and part[0] == part[-1] and part[0] in "\"'":
            part = part[1:-1]
        parts.append(part)
    return tuple(parts) if all(parts) else ()


class _State:
    """Tracks open strings and brackets across lines."""

    __slots__ = ("depth", "multiline", "sink")

    def __init__(self) -> None:
        self.depth = 0
        self.multiline: str | None = None  # '"""' or "'''" while inside one
        self.sink: list[Place] | None = None  # where strings directly in an array go

    def idle(self) -> bool:
        return self.depth == 0 and self.multiline is None

    def feed(self, line: str, number: int = 0, offset: int = 0) -> None:
        i, n = 0, len(line)
        while i < n:
            if self.multiline is not None:
                end = line.find(self.multiline, i)
                if self.multiline == '"""':
                    while end > 0 and _escaped(line, end):
                        end = line.find('"""', end + 1)
                if end < 0:
                    return
                i = end + 3
                while i < n and line[i] == self.multiline[0]:
                    i += 1
                self.multiline = None
                continue
            c = line[i]
            if c == "#":
                return
            if line.startswith(('"""', "'''"), i):
                self._item(number, offset + i)
                self.multiline = line[i : i + 3]
                i += 3
                continue
            if c in "\"'":
                self._item(number, offset + i)
                i = self._skip_string(line, i, c)
                continue
            if c in "[{":
                self.depth += 1
            elif c in "]}":
                self.depth = max(0, self.depth - 1)
            i += 1

    def _item(self, number: int, index: int) -> None:
        if self.depth == 1 and self.sink is not None and number:
            self.sink.append((number, index + 1))

    @staticmethod
    def _skip_string(line: str, i: int, quote: str) -> int:
        j = i + 1
        while j < len(line):
            if line[j] == "\\" and quote == '"':
                j += 2
                continue
            if line[j] == quote:
                return j + 1
            j += 1
        return j


def _escaped(line: str, index: int) -> bool:
    backslashes = 0
    j = index - 1
    while j >= 0 and line[j] == "\\":
        backslashes += 1
        j -= 1
    return backslashes % 2 == 1


_EVENT_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*events[ \t]*\]\]", re.MULTILINE)


class LazyPositions:
    """Positions scanned only when a message needs them.

    Event header lines, which every event records, come from a quick search for
    ``[[events]]`` lines; it is trusted only when it finds exactly as many headers as
    the parser found events (a header-like line inside a multi-line string makes
    them disagree, and then the full scanner answers).
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._full: Positions | None = None
        self._headers: list[Place] | None = None

    @property
    def full(self) -> Positions:
        """The complete scan, done on first use."""
        if self._full is None:
            self._full = scan(self._text)
        return self._full

    def expect_events(self, count: int) -> None:
        """Use the quick header search if it finds ``count`` event headers."""
        text = self._text
        headers: list[Place] = []
        line, last = 1, 0
        find = text.find
        at = find("[[events]]")
        while at >= 0:
            line_start = text.rfind("\n", 0, at) + 1
            if not text[line_start:at].strip(" \t"):
                line += text.count("\n", last, at)
                last = at
                headers.append((line, at - line_start + 1))
            at = find("[[events]]", at + 10)
        if len(headers) != count:  # unusual spacing such as [[ events ]]: use the regex
            headers = []
            line, last = 1, 0
            for match in _EVENT_HEADER.finditer(text):
                line += text.count("\n", last, match.start())
                last = match.start()
                headers.append((line, match.group().index("[") + 1))
        self._headers = headers if len(headers) == count else None

    def headers_found(self, count: int) -> bool:
        """Whether every one of ``count`` events was written as an ``[[events]]`` table."""
        if self._headers is None:
            self.expect_events(count)
        return self._headers is not None

    def event_index(self, line: int, count: int) -> int | None:
        """Which of ``count`` ``[[events]]`` tables has its header on ``line``; None if none."""
        if self.headers_found(count):
            lines = [place[0] for place in self._headers or ()]
        else:  # a header-like line in a string, or events not written as tables: scan it all
            lines = [table.place[0] for table in self.full.events]
            if len(lines) != count:
                return None
        index = bisect_left(lines, line)
        return index if index < len(lines) and lines[index] == line else None

    def event(self, index: int, key: str | None = None, item: int | None = None) -> Place:
        """Place of an event table (quick), or of one of its keys or items (full scan)."""
        if key is None and self._headers is not None and index < len(self._headers):
            return self._headers[index]
        return self.full.event(index, key, item)

    def table(self, name: tuple[str, ...], key: str | None = None) -> Place:
        """Place of a table or key (full scan)."""
        return self.full.table(name, key)


class TableSpan(NamedTuple):
    """Where one table is in the file's bytes (see the module docstring for the rule)."""

    name: tuple[str, ...]  # ("events",), ("actors", "putin"), ("chrono",)
    array: bool  # written as [[name]]
    line: int  # the header's line, 1-based
    start: int  # the first byte of its leading comments (or of its header)
    header: int  # the first byte of the header line
    body_end: int  # the byte after its last key or comment line (blank lines excluded)
    end: int  # the byte after the span: the next span's start, or the file's size


def table_spans(data: bytes) -> list[TableSpan]:
    """The span of every table in the file, in file order; never raises."""
    return list(iter_spans(data))


def find_span(data: bytes, name: tuple[str, ...]) -> TableSpan | None:
    """The span of the first ``[name]`` table (not ``[[name]]``), reading no further than it."""
    return next((s for s in iter_spans(data) if s.name == name and not s.array), None)


def span_at(data: bytes, line: int) -> TableSpan | None:
    """The span of the table whose header is on ``line`` (a real header, as the parser saw it).

    Reads only that table and the lines around it, not the whole file.
    """
    parts = data.split(b"\n", line - 1)
    if line < 1 or len(parts) < line:
        return None
    header = len(data) - len(parts[-1])
    first = 3 if data.startswith(_BOM) else 0
    start = header
    while start > first:  # the comment lines directly above it (none closes a string)
        above = max(first, data.rfind(b"\n", 0, start - 1) + 1)
        text = data[above:start].decode("utf-8", "replace").strip()
        if not text.startswith("#") or '"""' in text or "'''" in text:
            break
        start = above
    span = next(iter_spans(data, header, line), None)
    if span is None or span.header != header:
        return None
    return span._replace(start=start)


def iter_spans(data: bytes, at: int = 0, number: int = 1) -> Iterator[TableSpan]:
    """The spans of the tables from offset ``at`` (line ``number``) on, read lazily."""
    owner: tuple[tuple[str, ...], bool, int, int, int] | None = (
        None  # name, array, line, start, header
    )
    body = 0  # the end of the last line of the current table that is not blank
    lead: tuple[int, int] | None = None  # comments directly above: (their start, body before)
    for number_, offset, end, kind, head in _lines(data, at, number):
        if head is not None:
            name, array = head
            if owner is not None and _extends(name, owner[0], owner[1]):
                body, lead = end, None
                continue
            start, body_end = lead if lead is not None else (offset, body)
            if owner is not None:
                yield TableSpan(*owner[:3], owner[3], owner[4], body_end, start)
            owner, body, lead = (name, array, number_, start, offset), end, None
        elif kind == "comment":
            lead = lead or (offset, body)
            body = end
        elif kind == "blank":
            lead = None
        else:
            body, lead = end, None
    if owner is not None:
        yield TableSpan(*owner[:3], owner[3], owner[4], body, len(data))


def _extends(name: tuple[str, ...], owner: tuple[str, ...], array: bool) -> bool:
    """Whether a header ``name`` is a sub-table of the table ``owner`` (see the module doc)."""
    inside = len(name) > len(owner) and name[: len(owner)] == owner
    return inside and bool(owner) and (array or len(owner) >= 2)


_BOM = b"\xef\xbb\xbf"


def _lines(
    data: bytes, at: int, number: int
) -> Iterator[tuple[int, int, int, str, tuple[tuple[str, ...], bool] | None]]:
    """Each line's number, first byte, end, kind ("header", "blank", "comment" or "other")
    and, for a header, its name and whether it is ``[[...]]``; the scanner is idle at ``at``."""
    state = _State()
    if at == 0 and data.startswith(_BOM):
        at = 3
    size = len(data)
    while at < size:
        newline = data.find(b"\n", at)
        end = size if newline < 0 else newline + 1
        line = data[at:end].decode("utf-8", "replace").rstrip("\n").removesuffix("\r")
        stripped = line.strip()
        kind, head = "other", None
        if state.idle() and stripped.startswith("["):
            array = stripped.startswith("[[")
            inside = stripped[2 if array else 1 :].split("]]" if array else "]", 1)
            kind, head = "header", (_key_path(inside[0]), array)
            line = inside[1] if len(inside) > 1 else ""
        elif state.idle() and not stripped:
            kind = "blank"
        elif state.idle() and stripped.startswith("#"):
            kind = "comment"
        yield number, at, end, kind, head
        state.feed(line)
        at, number = end, number + 1
