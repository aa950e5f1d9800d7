"""What a new user meets in the exports in the first hour: a JSON export given as a log,
invisible characters in CSV cells, and iCalendar times a calendar program shows wrongly."""

from __future__ import annotations

from pathlib import Path

import pytest

from chrono.core.errors import LogError
from chrono.formats import FORMATS
from chrono.storage.files import parse_toml
from tests.conftest import BUNDLED, Run

ROOT = Path(__file__).parent.parent

# -- json: data, not a log ------------------------------------------------------------------


def test_no_text_says_the_json_export_loads_back_into_chrono(run: Run) -> None:
    """No help text or document claims a command reads the JSON export back."""
    texts = [run("export", "--help").stdout, FORMATS["json"], (ROOT / "README.md").read_text()]
    texts += [p.read_text() for p in (ROOT / "docs").glob("*.md")]
    texts += [p.read_text() for p in (ROOT / "src" / "chrono").rglob("*.py")]
    for text in texts:
        flat = " ".join(text.lower().split())
        assert "loads back into chrono" not in flat
        assert "loadable back" not in flat
    assert "as data" in FORMATS["json"]


def test_a_json_export_given_as_the_log_is_named_as_such(run: Run, tmp_path: Path) -> None:
    """`chrono list -f all.json` on a JSON export says it is a JSON export, not a log, at the
    place the TOML parse failed, with no TOML error."""
    exported = tmp_path / "all.json"
    assert run("export", "json", "-f", str(BUNDLED), "-o", str(exported)).exit_code == 0
    for command in ("list", "check", "show"):
        args = [command, "-f", str(exported)] + (["x"] if command == "show" else [])
        result = run("--no-cache", *args)
        assert result.exit_code == 1
        assert result.stdout == ""
        first = result.stderr.splitlines()[0]
        assert first == (
            f"{exported}:1:1: error: this is a JSON export of chrono (chrono export json), "
            "not an event log: chrono reads its log from a TOML file"
        )
        assert "TOML:" not in result.stderr and len(result.stderr.splitlines()) <= 2


@pytest.mark.parametrize(
    ("name", "text", "what"),
    [
        ("log.toml", '[{"id": "a"}]', "this is JSON"),
        ("log.toml", '  {"events": [', "this is JSON"),  # cut short: still clearly JSON
        ("a.txt", '{"format": "chrono"}', "this is a JSON export of chrono (chrono export json)"),
        ("x.JSON", "title = ", "this is a .json file"),
        ("x.json", "[]x", "this is a .json file"),
    ],
)
def test_json_is_named_at_the_failing_place(name: str, text: str, what: str) -> None:
    """A file that is clearly JSON (it parses as an object or array, starts with ``{``, or is
    named ``.json``) fails with one message saying so, at the TOML error's line and column."""
    with pytest.raises(LogError) as raised:
        parse_toml(text, name)
    [diagnostic] = raised.value.diagnostics
    assert diagnostic.message.startswith(what + ", not an event log")
    assert "TOML:" not in diagnostic.message
    assert (diagnostic.path, diagnostic.severity) == (name, "error")
    assert diagnostic.line == 1 and diagnostic.column > 0


@pytest.mark.parametrize("text", ["[chrono", "[[events]]\nid = ", "42 = ", '"x"', "[1, 2"])
def test_broken_toml_that_is_not_json_keeps_its_toml_error(text: str) -> None:
    """A broken TOML log (even one starting with ``[``) keeps the TOML parser's message."""
    with pytest.raises(LogError) as raised:
        parse_toml(text, "events.toml")
    assert raised.value.diagnostics[0].message.startswith("invalid TOML: ")
