"""Changing keys of one table: the quick way (one line of its own rewritten) gives what
tomlkit gives, and steps aside wherever a line only looks like the key's."""

from __future__ import annotations

from typing import Any

import pytest

from chrono.storage import amend

TABLE = (
    "[[events]]\nid = \"a\"\n  title   =   'Old'\ndate = 2025-01-01\n"
    'tags = ["x"]  # kept\nactors = [\n  "p",\n]\nsummary = """\ntitle = \'Old\'\n"""\n'
)


@pytest.mark.parametrize(
    "values",
    [
        {"title": "New"},
        {"date": "2025-02"},
        {"title": None},
        {"title": "New", "date": None},
        {"tags": ["x", "y"]},  # a comment on its line: tomlkit
        {"actors": ["p", "q"]},  # over several lines: tomlkit
        {"kind": "call"},  # not there yet: a line at the end
        {"kind": "call", "title": "New", "location": 'Moscow, "Kremlin"'},
        {"kind": None},  # not there, and to go: nothing
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_the_quick_way_gives_what_tomlkit_gives(
    monkeypatch: pytest.MonkeyPatch, values: dict[str, Any], newline: str
) -> None:
    """For keys on lines of their own, and for every case the quick way leaves to tomlkit,
    the table changed is the one tomlkit writes."""
    text = TABLE.replace("\n", newline)
    quick = amend.amend_table(text, ("events",), values, "f")
    monkeypatch.setattr(amend, "_by_lines", lambda text, values: None)
    assert quick == amend.amend_table(text, ("events",), values, "f")


def test_the_quick_way_takes_only_a_line_of_its_own() -> None:
    """A key on one line is rewritten there, one not there yet added after the last line;
    one with a comment or over several lines is left to tomlkit (None)."""
    assert amend._by_lines(TABLE, {"date": "2025-02"}) == TABLE.replace(
        "date = 2025-01-01", 'date = "2025-02"'
    )
    for values in ({"tags": ["y"]}, {"actors": ["q"]}, {"title": "x"}):
        assert amend._by_lines(TABLE, values) is None, values  # title: twice, one in a string
    assert amend._by_lines(TABLE, {"kind": "call"}) == TABLE + 'kind = "call"\n'
    assert amend._by_lines(TABLE.rstrip("\n"), {"kind": "call"}) is None  # no last line break


def test_a_line_that_only_looks_like_the_key_is_never_rewritten() -> None:
    """A line in a string over several lines that reads like the key (the real key quoted):
    the quick way steps aside."""
    text = "[[events]]\n\"title\" = 'Old'\nsummary = '''\ntitle = 'Old'\n'''\n"
    assert amend._by_lines(text, {"title": "New"}) is None
    changed = amend.amend_table(text, ("events",), {"title": "New"}, "f")
    assert "summary = '''\ntitle = 'Old'\n'''" in changed and "'Old'\nsummary" not in changed
