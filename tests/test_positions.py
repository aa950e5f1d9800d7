"""The position scanner: finds tables and keys, skips strings, never raises."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chrono.storage.positions import scan

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
    """Any text at all scans without an exception."""
    scan(text)


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
