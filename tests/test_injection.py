"""Text from the log is data, never markup: hostile text in every output format."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chrono.output.safe_text import clean
from tests.conftest import Run

HOSTILE_TITLE = (
    "[bold]Bold[/] [link=https://evil.example]click[/link] :smile: "
    "\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07osc\x1b]8;;\x07 "
    "bell\x07 c1\x9b31m bidi\u202eevil\u202c | pipe"
)

HOSTILE_LOG = """\
[actors.x]
name = "[red]Mallory[/red]"
aliases = ["Mal\\u001b[2J"]

[[events]]
id = "hostile"
date = "2026-01-23"
title = "TITLE"
summary = "line one\\n[blink]line two[/blink]\\u0007"
actors = ["x", "Free [i]text[/i]"]
location = "\\u001b[1mMoscow"
tags = ["[tag]"]
kind = ":warning:"
sources = ["https://example.org/?q=[x]"]
""".replace("TITLE", json.dumps(HOSTILE_TITLE)[1:-1])


@pytest.fixture
def hostile(tmp_path: Path) -> str:
    """A log whose every text field carries markup, escapes and controls."""
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE_LOG, encoding="utf-8")
    return str(path)


def test_clean_makes_controls_visible() -> None:
    """Escape, bell, C1 controls and bidi overrides become visible escapes; text stays."""
    assert clean("a\x1b[31mb") == "a\\x1b[31mb"
    assert clean("bell\x07") == "bell\\x07"
    assert clean("c1\x9b") == "c1\\x9b"
    assert clean("x\u202ey") == "x\\u202ey"
    assert clean("zero\u200bwidth\ufeff\xad") == "zero\\u200bwidth\\ufeff\\xad"
    assert clean("tag\U000e0041") == "tag\\U000e0041"
    assert clean("tab\there") == "tab here"
    assert clean("two\nlines") == "two\\x0alines"
    assert clean("two\nlines", multiline=True) == "two\nlines"
    assert clean("two\r\nlines\r", multiline=True) == "two\nlines\\x0d"
    assert clean("[bold]:smile: Zürich 🎉") == "[bold]:smile: Zürich 🎉"


@pytest.mark.parametrize("fmt", ["timeline", "table"])
def test_rich_formats_show_markup_literally(run: Run, hostile: str, fmt: str) -> None:
    """Timeline and table print markup and emoji codes as typed, and no raw controls."""
    result = run("list", "-f", hostile, "--format", fmt, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    for literal in (
        "[bold]Bold[/]",
        "[link=https://evil.example]click[/link]",
        ":smile:",
        "[red]Mallory[/red]",
        "Free [i]text[/i]",
        "| pipe",
    ):
        assert literal in out
    assert "\\x1b[31mred" in out
    assert "\\u202eevil" in out
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in out
    assert "😄" not in out


def test_show_is_safe_in_every_field(run: Run, hostile: str) -> None:
    """show prints summary, actors, tags, kind and sources literally and harmlessly."""
    result = run("show", "hostile", "-f", hostile, env={"COLUMNS": "400"})
    out = result.stdout
    assert result.exit_code == 0, result.output
    assert "[blink]line two[/blink]\\x07" in out
    assert "[red]Mallory[/red]" in out
    assert ":warning:" in out
    assert "\\x1b[1mMoscow" in out
    assert "https://example.org/?q=[x]" in out
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in out


def test_json_and_ids_keep_text_exact(run: Run, hostile: str) -> None:
    """Machine formats carry the exact text (JSON-escaped), never altered."""
    record = json.loads(run("list", "-f", hostile, "--format", "json").stdout)[0]
    assert record["title"] == HOSTILE_TITLE
    assert record["actors"][0]["name"] == "[red]Mallory[/red]"
    assert run("list", "-f", hostile, "--format", "ids").stdout == "hostile\n"
    shown = json.loads(run("show", "hostile", "-f", hostile, "--format", "json").stdout)
    assert shown["location"] == "\x1b[1mMoscow"


def test_check_messages_are_safe(run: Run, tmp_path: Path) -> None:
    """A hostile unknown actor name in a diagnostic is quoted with escapes, not emitted raw."""
    path = tmp_path / "bad.toml"
    path.write_text(
        '[[events]]\nid = "a"\ndate = 2026-01-01\ntitle = "t"\nactors = ["\\u001b[2J"]\n'
    )
    result = run("check", "-f", str(path))
    assert "\x1b" not in result.stderr
    assert "'\\x1b[2J'" in result.stderr


def reference_clean(text: str, multiline: bool) -> str:
    """clean() spelt out a character at a time: the definition the fast one must follow."""
    if multiline:
        text = text.replace("\r\n", "\n")
    out = []
    for char in text:
        code = ord(char)
        if multiline and char == "\n":
            out.append(char)
        elif char == "\t":
            out.append(" ")
        elif unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            out.append(char)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return "".join(out)


@given(
    st.text(
        st.one_of(
            st.characters(),
            st.sampled_from("\n\r\t\x1b\x07\x85\xa0\xad\u200b\u202e\u2028\ufeff\U000e0041"),
        )
    ),
    st.booleans(),
)
def test_clean_escapes_exactly_the_unsafe_characters(text: str, multiline: bool) -> None:
    """Every control, format character (bidi, zero-width, tags) and separator is escaped;
    nothing else changes."""
    assert clean(text, multiline=multiline) == reference_clean(text, multiline)
