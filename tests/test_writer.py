"""The TOML text written for model objects: the key order, quoting and layout add writes."""

from __future__ import annotations

import datetime as dt
import tomllib

from chrono.core.actors import Actor
from chrono.core.datetext import parse_date
from chrono.core.model import Event
from chrono.storage import writer

TODAY = dt.date(2026, 11, 25)


def test_an_event_is_written_in_the_model_order_with_arrays_on_one_line() -> None:
    """id, date, end, title, then the optional fields; empty ones are left out."""
    event = Event(
        "x",
        parse_date("Dez 2025~", TODAY),
        'A "quoted" title',
        parse_date("2026-01", TODAY),
        summary="",
        actors=("putin", "Jane Roe"),
        tags=("a",),
        kind="meeting",
        sources=("https://example.org",),
    )
    assert writer.event_text(event) == (
        "[[events]]\n"
        'id = "x"\n'
        'date = "2025-12~"\n'
        'end = "2026-01"\n'
        'title = "A \\"quoted\\" title"\n'
        'actors = ["putin", "Jane Roe"]\n'
        'tags = ["a"]\n'
        'kind = "meeting"\n'
        'sources = ["https://example.org"]\n'
    )


def test_unknown_keys_are_kept_and_read_back_as_they_were() -> None:
    """Extra keys of any TOML type, with keys that need quotes, survive a write and a read."""
    extra = {
        "note key": "x",
        "when": dt.date(2026, 1, 2),
        "nested": {"a": [1, 2], "b c": {"d": True}},
        "list": [{"k": 1}, {"k": 2}],
        "empty": {},
    }
    event = Event("x", parse_date("2026", TODAY), "T", extra=extra)
    text = writer.event_text(event)
    assert '"note key" = "x"' in text
    assert tomllib.loads(text) == {"events": [writer.event_fields(event)]}


def test_an_actor_table() -> None:
    """Name, aliases, role and note, then unknown keys; a key that is not bare is quoted."""
    actor = Actor("roe", "Jane Roe", ("Roe",), role="Envoy", note="n", extra={"born": 1970})
    assert writer.actor_text(actor) == (
        '[actors.roe]\nname = "Jane Roe"\naliases = ["Roe"]\nrole = "Envoy"\nnote = "n"\n'
        "born = 1970\n"
    )
    assert writer.actor_text(Actor("a.b", "A")).startswith('[actors."a.b"]\n')


def test_text_to_append_gets_a_separator_and_the_files_line_endings() -> None:
    """A blank line after a file without a final newline, CRLF for a CRLF file."""
    assert writer.to_append(b"a = 1", b"= 1", "b = 2\n") == "\n\nb = 2\n"
    assert writer.to_append(b"a = 1\r\n", b"1\r\n", "b = 2\n") == "\r\nb = 2\r\n"
    assert writer.to_append(b"a = 1\n\n", b"1\n\n", "b = 2\n") == "b = 2\n"
    assert writer.to_append(b"", b"", "b = 2\n") == "b = 2\n"
