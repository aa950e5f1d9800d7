"""What a new user asks in the first hour: searches that find what a field holds, actor
tables narrowed by the same filters as the list."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run

SEARCHED = """\
[actors.altman]
name = "Sam Altman"

[[events]]
id = "fired"
date = "2023-11-17"
title = "Board removes Altman"
summary = "The board reported a loss of confidence."
actors = ["altman"]
kind = "decision"
tags = ["governance"]
sources = ["https://www.bloomberg.com/news/a", "https://x.com/sama/status/1"]

[[events]]
id = "ships"
date = "2023-11-20"
title = "Two ships leave Zürich"
location = "Lake Zürich"
kind = "transport"
tags = ["logistics"]
"""


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("Bloomberg", "fired\n"),  # a source
        ("x.com", "fired\n"),  # a source's host, typed with its dot
        ("sama", "fired\n"),
        ("sama/status", "fired\n"),  # typed with the source's own slash
        ("governance", "fired\n"),  # a tag
        ("decision", "fired\n"),  # the kind
        ("TED", ""),  # never the end of "reported"
        ("port", ""),  # nor the middle of it
        ("repor", "fired\n"),  # a word's start
        ("ship", "ships\n"),  # "ships"
        ("ZURICH", "ships\n"),  # any case, any accents
        ("logistics transport", "ships\n"),  # every word, in different fields
        ("logistics decision", ""),
        ('"loss of confidence"', "fired\n"),
        ('"of confidence loss"', ""),
        ("com", "fired\n"),  # "bloomberg.com" reads as the words bloomberg and com
    ],
)
@pytest.mark.parametrize("cache", [True, False], ids=["index", "file"])
def test_a_search_finds_each_word_at_a_word_start_in_any_field(
    run: Run, tmp_path: Path, search: str, found: str, cache: bool
) -> None:
    """`-s` looks in sources, tags and kind too, each word from the start of a word, and the
    index answers exactly as the file does."""
    log = tmp_path / "events.toml"
    log.write_text(SEARCHED)
    flags = () if cache else ("--no-cache",)
    listed = run(*flags, "list", "-f", str(log), "-s", search, "--format", "ids")
    assert (listed.exit_code, listed.stdout) == (0, found)
