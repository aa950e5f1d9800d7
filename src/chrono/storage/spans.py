"""Where each table is in a TOML file's bytes, for edits that replace or remove one.

`table_spans` gives the whole byte span of every table, for edits that replace or
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
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from chrono.storage.positions import LineState, key_path


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


def span_at(data: bytes, line: int, near: tuple[int, int] = (1, 0)) -> TableSpan | None:
    """The span of the table whose header is on ``line`` (a real header, as the parser saw it).

    Reads only that table and the lines around it, not the whole file; ``near``, a line at
    or before it and that line's offset, lets the lines be counted from there.
    """
    header = line_start(data, line, *near)
    if header is None:
        return None
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


_CHUNK = 1 << 16


def line_start(data: bytes, line: int, from_line: int = 1, at: int = 0) -> int | None:
    """The offset of the first byte of ``line`` (1-based), or None past the last line;
    counted in chunks from offset ``at`` in line ``from_line`` (its start, or anywhere in
    it when ``line`` is after it), never splitting the file into lines."""
    if line < 1:
        return None
    if line < from_line:
        from_line, at = 1, 0
    need = line - from_line  # the line breaks still to pass, from offset ``at``
    while need:
        end = min(len(data), at + _CHUNK)
        found = data.count(b"\n", at, end)
        if found < need:
            if end == len(data):
                return None
            need, at = need - found, end
            continue
        for _ in range(need):
            at = data.index(b"\n", at) + 1
        need = 0
    return at


def line_start_back(data: bytes, line: int, breaks: int) -> int | None:
    """:func:`line_start`, counted back from the end of ``data``, which holds ``breaks``
    line breaks in all (a line near the end is found reading only the bytes after it)."""
    if line == 1:
        return 0
    wanted = breaks - line + 2  # which break, from the end, ends the line before it
    if line < 1 or not 1 <= wanted <= breaks:
        return None
    end = len(data)
    while True:
        start = max(0, end - _CHUNK)
        found = data.count(b"\n", start, end)
        if found < wanted:
            if start == 0:
                return None
            wanted, end = wanted - found, start
            continue
        for _ in range(wanted):
            end = data.rindex(b"\n", start, end)
        return end + 1


def event_spans_back(data: bytes, lines: Sequence[int], breaks: int) -> list[TableSpan] | None:
    """The span of the ``[[events]]`` table on each of ``lines`` of ``data`` (which holds
    ``breaks`` line breaks), the lines counted back from the end; None if one is not there."""
    spans = []
    for line in lines:
        at = line_start_back(data, line, breaks) if line >= 1 else None
        span = span_at(data, line, (line, at)) if at is not None else None
        if span is None or span.name != ("events",) or not span.array:
            return None
        spans.append(span)
    return spans


def seen_whole(data: bytes, spans: Sequence[TableSpan]) -> bool:
    """Whether the line above each span's first line is a whole line of ``data``, bytes
    read from the middle of a line on: so the comments above each table were all seen."""
    first = data.find(b"\n")
    return all(data.rfind(b"\n", 0, max(span.start - 1, 0)) > first for span in spans)


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


# What can hide a header line, and header lines: strings and comments are passed over whole,
# so a ``[`` that starts a line inside one is not taken for a header.
_TOKENS = re.compile(
    rb"^[ \t]*(\[\[?)[ \t]*([^\]\n]*?)[ \t]*\]\]?[ \t]*(?:#[^\n]*)?\r?$"  # a header line
    rb'|"""(?:[^"\\]|\\.|"(?!""))*"{3,5}'  # a basic multi-line string
    rb"|'''(?:[^']|'(?!''))*'{3,5}"  # a literal multi-line string
    rb'|"(?:[^"\\\n]|\\.)*"'  # a basic string
    rb"|'[^'\n]*'"  # a literal string
    rb"|#[^\n]*",  # a comment
    re.MULTILINE | re.DOTALL,
)


def fast_spans(data: bytes) -> list[TableSpan]:
    """:func:`table_spans` by one regular expression over the bytes, many times faster on a
    large log; the same spans for every file but one whose multi-line arrays hold arrays
    on lines of their own (what reads the spans must check what they hold)."""
    spans: list[TableSpan] = []
    owner: TableSpan | None = None
    line, counted = 1, 0
    for match in _TOKENS.finditer(data):
        if match.group(1) is None:
            continue
        header = match.start()
        line += data.count(b"\n", counted, header)
        counted = header
        name, array = key_path(match.group(2).decode("utf-8", "replace")), match.group(1) == b"[["
        if owner is not None and _extends(name, owner.name, owner.array):
            continue
        start = comments_above(data, header)
        if owner is not None:
            spans.append(owner._replace(body_end=_body_end(data, owner.header, start), end=start))
        owner = TableSpan(name, array, line, start, header, 0, 0)
    if owner is not None:
        spans.append(
            owner._replace(body_end=_body_end(data, owner.header, len(data)), end=len(data))
        )
    return spans


def comments_above(data: bytes, header: int) -> int:
    """The first byte of the comment lines directly above the header at ``header``."""
    first = 3 if data.startswith(_BOM) else 0
    start = header
    while start > first:
        above = max(first, data.rfind(b"\n", 0, start - 1) + 1)
        text = data[above:start].strip()
        if not text.startswith(b"#") or b'"""' in text or b"'''" in text:
            break
        start = above
    return start


def _body_end(data: bytes, header: int, end: int) -> int:
    """The byte after the last line before ``end`` that is not blank (the header's at least)."""
    at = end
    while at > header:
        above = data.rfind(b"\n", header, at - 1) + 1
        if data[above:at].strip():
            return at
        at = above
    return at


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
    state = LineState()
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
            kind, head = "header", (key_path(inside[0]), array)
            line = inside[1] if len(inside) > 1 else ""
        elif state.idle() and not stripped:
            kind = "blank"
        elif state.idle() and stripped.startswith("#"):
            kind = "comment"
        yield number, at, end, kind, head
        state.feed(line)
        at, number = end, number + 1
