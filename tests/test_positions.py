"""The position scanner: finds tables, keys and table spans, skips strings, never raises."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from chrono.storage.positions import scan
from chrono.storage.spans import find_span, span_at, table_spans

TEXT = '''\
# [[events]] in a comment is not a table
title = "top"

[actors."put in"]
name = "x" # [not a table]

[[events]]
summary = """
[[events]]
id = "inside a string"
"""
tags = [
  "a", # ]
  "[[events]]",
]
  date = 2026-01-01

[[events]]
id = 'y'
'''


def test_scan_finds_tables_and_keys_outside_strings() -> None:
    """Headers and keys inside strings, comments and arrays are not mistaken for real ones."""
    pos = scan(TEXT)
    assert pos.top.keys == {"title": (2, 9)}
    assert pos.table(("actors", "put in")) == (4, 1)
    assert pos.table(("actors", "put in"), "name") == (5, 8)
    assert len(pos.events) == 2
    assert pos.event(0) == (7, 1)
    assert pos.event(0, "summary") == (8, 11)
    assert pos.event(0, "date") == (16, 10)
    assert "id" not in pos.events[0].keys
    assert pos.event(1, "id") == (19, 6)
    assert pos.event(5) == (1, 1)


@given(st.text(alphabet=st.sampled_from(list("[]{}\"'#=\\\n abc.")), max_size=200))
def test_scan_never_raises(text: str) -> None:
    """Any text at all scans without an exception, to places inside the text, and every
    ``[[events]]`` table it finds starts a line with ``[[``."""
    positions = scan(text)
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    for table in (positions.top, *positions.events, *positions.tables.values()):
        items = [place for places in table.items.values() for place in places]
        for line, column in (table.place, *table.keys.values(), *items):
            assert 1 <= line <= len(lines)
            assert 1 <= column <= len(lines[line - 1]) + 1
    for event in positions.events:
        assert lines[event.place[0] - 1].lstrip().startswith("[[")


def test_items_of_arrays_are_placed() -> None:
    """Each string directly inside an array value has its own place, even across lines."""
    pos = scan('[[events]]\nactors = ["a",\n  "b", 3, "c"]\ntags = []\n')
    assert pos.event(0, "actors", 0) == (2, 11)
    assert pos.event(0, "actors", 1) == (3, 3)
    assert pos.event(0, "actors", 2) == (3, 11)
    assert pos.event(0, "actors", 9) == (2, 10)  # no such item: the key's value
    assert pos.event(0, "tags", 0) == (4, 8)


def test_only_toml_newlines_count_as_line_breaks() -> None:
    """U+2028, U+0085, form feed and a lone CR inside strings do not shift line numbers."""
    text = 'a = "one\u2028two\x85three\x0cfour\rfive"\r\n[[events]]\r\nid = "x"\n'
    pos = scan(text)
    assert pos.event(0) == (2, 1)
    assert pos.event(0, "id") == (3, 6)


SPANS = """\
title = "top"
# directly above: belongs to [chrono]
[chrono]
timezone = "UTC"

# separated by a blank line: stays with [chrono]

# directly above: belongs to the event
[[ events ]]
summary = '''
[[events]]
# not a comment
'''
tags = [
  "[[events]]",
]
[events.extra]
note = 1


[actors]
[actors.putin]
name = "x"
[actors.putin.more]
a = 1
[[events]]
id = "last\""""


def _spans(data: bytes) -> list[tuple[tuple[str, ...], bytes, bytes]]:
    """Name, whole span and body of each table."""
    return [(s.name, data[s.start : s.end], data[s.header : s.body_end]) for s in table_spans(data)]


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_table_spans_follow_the_documented_rule(newline: str) -> None:
    """Leading comments go with the table below, blank lines with the one above; strings,
    multi-line strings and arrays hide headers; sub-tables join their table; the end
    of a file without a final newline ends the last span."""
    data = SPANS.replace("\n", newline).encode()
    got = [(name, whole.decode(), body.decode()) for name, whole, body in _spans(data)]
    lines = SPANS.replace("\n", newline).splitlines(keepends=True)

    def joined(first: int, last: int) -> str:
        return "".join(lines[first - 1 : last])

    assert got == [
        (("chrono",), joined(2, 7), joined(3, 6)),
        (("events",), joined(8, 20), joined(9, 18)),
        (("actors",), joined(21, 21), joined(21, 21)),
        (("actors", "putin"), joined(22, 25), joined(22, 25)),
        (("events",), joined(26, 27), joined(26, 27)),
    ]
    assert [s.line for s in table_spans(data)] == [3, 9, 21, 22, 26]
    assert not data.endswith(b"\n") and table_spans(data)[-1].end == len(data)


def test_spans_tile_the_file_after_the_top_level_keys() -> None:
    """Each span ends where the next begins; the last ends at the file's end."""
    data = SPANS.encode()
    spans = table_spans(data)
    assert spans[0].start == len(b'title = "top"\n')
    assert all(a.end == b.start for a, b in itertools.pairwise(spans))
    assert all(s.start <= s.header < s.body_end <= s.end for s in spans)


def test_a_byte_order_mark_is_in_no_span() -> None:
    """A leading BOM stays before the first span; a final newline ends the last one."""
    data = b'\xef\xbb\xbf[[events]]\r\nid = "a"\r\n'
    (span,) = table_spans(data)
    assert (span.start, span.header, span.body_end, span.end, span.line) == (3, 3, 25, 25, 1)


@given(st.text(alphabet=st.sampled_from(list("[]{}\"'#=\\\n\r abc.")), max_size=200))
def test_table_spans_never_raise_and_stay_in_order(text: str) -> None:
    """Any text at all gives ordered spans inside the file."""
    data = text.encode()
    spans = table_spans(data)
    assert all(0 <= s.start <= s.header <= s.body_end <= s.end <= len(data) for s in spans)
    assert all(a.end == b.start for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_one_span_is_found_without_reading_the_whole_file(newline: str) -> None:
    """span_at (by header line) and find_span (by name) agree with the full scan."""
    data = SPANS.replace("\n", newline).encode()
    spans = table_spans(data)
    assert [span_at(data, s.line) for s in spans] == spans
    assert find_span(data, ("actors", "putin")) == spans[3]
    assert find_span(data, ("events",)) is None  # [[events]] is not an [events] table
    assert span_at(data, 4) is None  # a key's line, not a header
    assert span_at(data, 999) is None
    bom = b"\xef\xbb\xbf# lead\n[a]\nx = 1\n"
    assert span_at(bom, 2) == table_spans(bom)[0]
    assert table_spans(bom)[0].start == 3
    closing = b'a = """\n# not a comment"""\n[t]\n'
    assert span_at(closing, 3) == table_spans(closing)[0]
    assert table_spans(closing)[0].start == closing.index(b"[t]")


_VALUES = st.sampled_from(
    [
        '"plain"',
        '"with # hash and [[events]] inside"',
        '"""\nmulti\nline\n"""',
        "'literal'",
        '["a", "b",\n  "c"]',
        "[\n  'x', # ]\n  \"y\",\n]",
        "2026-01-02",
        "{ a = 1 }",
    ]
)
_KEYS = st.sampled_from(["id", "title", "date", "actors", "tags", "summary", "x"])
_EVENT = st.lists(st.tuples(_KEYS, _VALUES), max_size=5).map(
    lambda pairs: "".join(f"{k} = {v}\n" for k, v in dict(pairs).items())
)
_GAPS = st.sampled_from(["", "\n", "# a comment\n", "\n\n# note\n", "  "])


_AFTER = st.sampled_from(
    ["", "[events.more]\nk = 1\n", '[actors.a]\nname = "A"\n', "\n[chrono]\ntimezone = 'UTC'\n",
     '[actors.b]\naliases = [\n  "x",\n]\nname = """\n[actors.c]\n"""\n', "[[other]]\nk = 2\n"]
)  # fmt: skip


@given(st.lists(st.tuples(_GAPS, _EVENT, _AFTER), min_size=1, max_size=6), _AFTER)
@example([("", 'id = "a"\n', '[actors.a]\nname = "A"\n')], "")  # a table after the last event
def test_parts_scanned_alone_are_placed_as_the_whole_scan_places_them(
    parts: list[tuple[str, str, str]], before: str
) -> None:
    """Every place of an event, a table or a key found by scanning parts of the text on
    their own equals the place the scan of the whole text gives."""
    from chrono.storage.positions import LazyPositions

    text = f'title = "top"\n{before}' + "".join(
        f"{gap}[[events]]\n{body}{after}" for gap, body, after in parts
    )
    full = scan(text)
    lazy = LazyPositions(text)
    lazy.expect_events(len(parts))
    assert lazy.headers_found(len(parts))
    for index in range(len(parts) + 1):
        for key in ["id", "title", "date", "actors", "tags", "summary", "x", "k", None]:
            for item in (None, 0, 1, 2, 5):
                assert lazy.event(index, key, item) == full.event(index, key, item), (index, key)
    names = [("actors", "a"), ("actors", "b"), ("actors", "c"), ("chrono",), ("other",),
             ("events", "more"), ("actors",), ("nothing",), ()]  # fmt: skip
    lazy = LazyPositions(text)  # afresh: a place past the last event scanned the whole text
    lazy.expect_events(len(parts))
    for name in names:
        for key in ("name", "aliases", "timezone", "k", "title", None):
            assert lazy.table(name, key) == full.table(name, key), (name, key)
    assert lazy._full is None  # and no place of a table needed the whole scan


def test_a_warning_about_one_event_scans_only_that_event(monkeypatch: pytest.MonkeyPatch) -> None:
    """Placing a key of one event of a long log scans that event's table, not the log."""
    from chrono.storage import positions

    table = '[[events]]\nid = "e{}"\ndate = 2026-01-01\ntitle = "t"\n\n'.format
    body = "".join(table(i) for i in range(500))
    lazy = positions.LazyPositions(body)
    lazy.expect_events(500)
    scanned: list[int] = []
    real = positions.scan
    monkeypatch.setattr(positions, "scan", lambda text: scanned.append(len(text)) or real(text))
    assert lazy.event(250, "title") == (250 * 5 + 4, 9)
    assert lazy.event(250, "date") == (250 * 5 + 3, 8)
    assert scanned == [len(table(250))]  # one table's text, once


@given(st.binary(max_size=300).map(lambda b: b.replace(b"\x00", b"\n")), st.integers(-1, 80))
@example(b"\n\n", 3)
def test_line_start_is_where_the_line_begins(data: bytes, line: int) -> None:
    """The offset of a line is the length of the lines before it (with their breaks); past
    the last line, or before the first, there is none."""
    from chrono.storage import spans

    before = data.split(b"\n")[: max(line - 1, 0)]
    want = sum(len(part) + 1 for part in before) if 1 <= line <= data.count(b"\n") + 1 else None
    assert spans.line_start(data, line) == want


def test_line_start_counts_across_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines found chunk by chunk are found where a whole split finds them."""
    from chrono.storage import spans

    monkeypatch.setattr(spans, "_CHUNK", 3)
    data = b"ab\n\ncdef\ng\n\nh"
    starts = [spans.line_start(data, n) for n in range(1, 8)]
    assert starts == [0, 3, 4, 9, 11, 12, None]


def test_a_span_found_from_a_nearer_line_is_the_span_found_from_the_top() -> None:
    """Counting lines on from a header found before gives the same span as from line 1."""
    data = b"[chrono]\n\n# a\n[[events]]\nid = 'a'\n\n[[events]]\nid = 'b'\n"
    assert span_at(data, 7, (4, data.index(b"[[events]]"))) == span_at(data, 7)
    assert span_at(data, 4, (7, data.rindex(b"[[events]]"))) == span_at(data, 4)  # not above


@given(st.binary(max_size=300).map(lambda b: b.replace(b"\x00", b"\n")), st.integers(-1, 80))
@example(b"\n\n", 3)
@example(b"a\nb", 2)
def test_a_line_counted_back_from_the_end_starts_where_it_does_from_the_top(
    data: bytes, line: int
) -> None:
    """Given the count of line breaks, a line is found from the end where it is found from
    the start (chunk by chunk; none past the last line or before the first)."""
    from chrono.storage import spans

    assert spans.line_start_back(data, line, data.count(b"\n")) == spans.line_start(data, line)


def test_counting_back_crosses_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines found back from the end, three bytes at a time, are where they are."""
    from chrono.storage import spans

    monkeypatch.setattr(spans, "_CHUNK", 3)
    data = b"ab\n\ncdef\ng\n\nh"
    assert [spans.line_start_back(data, n, 5) for n in range(1, 8)] == [0, 3, 4, 9, 11, 12, None]
