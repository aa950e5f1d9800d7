"""Where things are in a TOML text: the line and column of tables and keys.

tomllib gives values but no positions.  :func:`scan` walks the text once, skipping
strings, comments and multi-line arrays, and records where each table header and
each key's value starts.  It only ever informs messages: it never raises, and when
it cannot tell, callers fall back to the nearest known place. Each table's whole byte
span, for edits, is :mod:`chrono.storage.spans`'s.
"""

from __future__ import annotations

import re
from bisect import bisect_left

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
            if name and name[0] in self.top.keys:
                return self.top.keys[name[0]]
            inner = (t for n, t in self.tables.items() if name and n[: len(name)] == name)
            return next(inner, self.top).place if name else (1, 1)  # [actor.x] for 'actor'
        return table.keys.get(key, table.place) if key else table.place


def scan(text: str) -> Positions:
    """Scan TOML text for table headers and keys; never raises."""
    positions = Positions()
    current = positions.top
    # TOML's newlines only: str.splitlines() would also break at U+2028, U+0085 or \x0c
    # inside a title and shift every line number after it.
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    state = LineState()
    for number, line in enumerate(lines, start=1):
        if state.idle():
            stripped = line.lstrip()
            indent = len(line) - len(stripped)
            if stripped.startswith("[["):
                name = key_path(stripped[2:].split("]]", 1)[0])
                current = Table(name, (number, indent + 1))
                if name == ("events",):
                    positions.events.append(current)
                else:
                    positions.tables.setdefault(name, current)
                state.feed(line[indent + len(stripped.split("]]", 1)[0]) + 2 :])
                continue
            if stripped.startswith("["):
                name = key_path(stripped[1:].split("]", 1)[0])
                current = Table(name, (number, indent + 1))
                positions.tables.setdefault(name, current)
                state.feed(line[indent + len(stripped.split("]", 1)[0]) + 1 :])
                continue
            if stripped and not stripped.startswith("#") and "=" in stripped:
                key_text, _, rest = stripped.partition("=")
                path = key_path(key_text)
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


def key_path(text: str) -> tuple[str, ...]:
    parts: list[str] = []
    for raw in text.split("."):
        part = raw.strip()
        if len(part) >= 2 and part[0] == part[-1] and part[0] in "\"'":
            part = part[1:-1]
        parts.append(part)
    return tuple(parts) if all(parts) else ()


class LineState:
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
_EVENTS_WRITTEN_OTHERWISE = re.compile(r"\[\[[ \t]*(?:events|\"events\"|'events')[ \t]*\]\]")
_OTHER_HEADER = re.compile(r"^[ \t]*\[(?!\[[ \t]*events[ \t]*\]\])", re.MULTILINE)


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
        self._starts: list[int] = []  # where each header's line starts in the text
        self._tables: dict[int, Table] = {}  # events scanned on their own, by index
        self._others: Positions | None = None  # every table but the events, and top keys

    @property
    def full(self) -> Positions:
        """The complete scan, done on first use."""
        if self._full is None:
            self._full = scan(self._text)
        return self._full

    def expect_events(self, count: int) -> None:
        """Use the quick header search if it finds ``count`` event headers.

        A line of a string over several lines can read like a header: the quick search
        counts it, so it is trusted only when no line starts with an events header written
        otherwise (``[[ events ]]``, ``[["events"]]``: one real header missed and a false
        one counted would make the count come out right). The regex, which reads such
        headers, is trusted only in a text with no string over several lines."""
        text = self._text
        headers: list[Place] = []
        starts: list[int] = []
        line, last, odd = 1, 0, False
        find = text.find
        at = find("[[")
        while at >= 0:
            line_start = text.rfind("\n", 0, at) + 1
            if not text[line_start:at].strip(" \t"):
                if not text.startswith("[[events]]", at):
                    if _EVENTS_WRITTEN_OTHERWISE.match(text, at):  # [[ events ]], [["events"]]
                        odd = True
                        break
                    at = find("[[", at + 2)  # another array of tables: not an event's
                    continue
                line += text.count("\n", last, at)
                last = at
                headers.append((line, at - line_start + 1))
                starts.append(line_start)
            at = find("[[", at + 2)
        if odd or len(headers) != count:
            headers, starts = [], []
        if not headers and count and '"""' not in text and "'''" not in text:
            headers, starts = [], []
            line, last = 1, 0
            for match in _EVENT_HEADER.finditer(text):
                line += text.count("\n", last, match.start())
                last = match.start()
                headers.append((line, match.group().index("[") + 1))
                starts.append(match.start())
        found = len(headers) == count
        self._headers, self._starts = (headers, starts) if found else (None, [])

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
        """Place of an event table (quick), or of one of its keys or items (that table's
        text scanned on its own, so a warning about one event never scans the whole log)."""
        headers = self._headers
        if headers is None or index >= len(headers) or self._full is not None:
            return self.full.event(index, key, item)
        if key is None:
            return headers[index]
        table = self._tables.get(index)
        if table is None:
            table = self._tables[index] = self._scan_event(index)
        alone = Positions()
        alone.events.append(table)
        return alone.event(0, key, item)

    def _scan_event(self, index: int) -> Table:
        """The ``index``-th event table, scanned from its header to the next one."""
        found = self._scan_part(index + 1).events
        return found[0] if found else self.full.events[index]  # (a found header has one)

    def _scan_part(self, part: int) -> Positions:
        """The text before the first event header (part 0), or from the header of event
        ``part - 1`` to the next one, scanned on its own, with the log's line numbers."""
        starts, headers = self._starts, self._headers or []
        begin = starts[part - 1] if part else 0
        stop = starts[part] if part < len(starts) else len(self._text)
        found = scan(self._text[begin:stop])
        shift = headers[part - 1][0] - 1 if part else 0
        for table in (found.top, *found.events, *found.tables.values()):
            table.place = (table.place[0] + shift, table.place[1])
            table.keys = {k: (line + shift, col) for k, (line, col) in table.keys.items()}
            table.items = {k: [(ln + shift, c) for ln, c in v] for k, v in table.items.items()}
        return found

    def table(self, name: tuple[str, ...], key: str | None = None) -> Place:
        """Place of a table or key: from the text outside the event tables when their
        headers are known (an event table holding a header of its own is scanned too)."""
        if self._headers is None or self._full is not None:
            return self.full.table(name, key)
        if self._others is None:
            others = self._scan_part(0)
            text, starts = self._text, self._starts
            for part in range(1, len(starts) + 1):
                stop = starts[part] if part < len(starts) else len(text)
                if _OTHER_HEADER.search(text, starts[part - 1], stop):
                    for found, table in self._scan_part(part).tables.items():
                        others.tables.setdefault(found, table)
            self._others = others
        return self._others.table(name, key)
