"""What a new user trips over in the first hour: typos that lose data, counts that mislead."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run

BUNDLED = Path(__file__).parent.parent / "events.toml"

GOOD = '[[events]]\nid = "a"\ndate = "2024-01-01"\ntitle = "Kept"\n\n'


@pytest.mark.parametrize(
    ("text", "line", "name", "meant"),
    [
        (GOOD + '[[event]]\nid = "b"\ndate = "2024-01-02"\ntitle = "Lost"\n', 6, "event", "events"),
        (GOOD + '[actor.murati]\nname = "Mira Murati"\n', 6, "actor", "actors"),
        ('[chronos]\ntimezone = "UTC"\n\n' + GOOD, 1, "chronos", "chrono"),
    ],
)
def test_a_table_name_a_letter_off_is_an_error_at_its_line(
    run: Run, tmp_path: Path, text: str, line: int, name: str, meant: str
) -> None:
    """`[[event]]`, `[actor.x]`, `[chronos]` are errors at their own line with a did-you-mean,
    so `list` refuses the log instead of dropping what they hold."""
    log = _refused(run, tmp_path, text, f"{line}:1", f"top-level key {name!r}", repr(meant))
    listed = run("--no-cache", "list", "-f", str(log), "--format", "ids")
    assert listed.exit_code == 1 and listed.stdout == ""


def test_an_unrelated_top_level_table_is_kept_with_a_warning(run: Run, tmp_path: Path) -> None:
    """A table whose name is near no known one (`[notes]`) stays a warning: the log still reads."""
    log = tmp_path / "events.toml"
    log.write_text(GOOD + '[notes]\ntext = "mine"\n')
    checked = run("check", "-f", str(log))
    assert checked.exit_code == 0
    assert f"{log}:6:1: warning: unknown top-level key 'notes' (kept" in checked.stderr
    assert run("--no-cache", "list", "-f", str(log), "--format", "ids").stdout == "a\n"


def test_a_misspelt_setting_is_an_error_with_a_did_you_mean(run: Run, tmp_path: Path) -> None:
    """`timezon = "..."` in [chrono] is an error naming its line and the setting meant."""
    text = '[chrono]\ntimezon = "Asia/Tokyo"\n\n' + GOOD
    _refused(run, tmp_path, text, "2:11", "setting 'timezon' in [chrono]", "'timezone'")


def _refused(run: Run, folder: Path, text: str, at: str, what: str, meant: str) -> Path:
    """Check a log of ``text``: it fails with the did-you-mean error for ``what`` at ``at``."""
    log = folder / "events.toml"
    log.write_text(text)
    checked = run("check", "-f", str(log))
    assert checked.exit_code == 1
    message = f"error: unknown {what}; did you mean {meant}? (as written, chrono would ignore it)"
    assert f"{log}:{at}: {message}\n" in checked.stderr
    return log


def test_check_counts_the_events_the_file_holds(run: Run, tmp_path: Path) -> None:
    """`check` on 5 events, 2 of them invalid, says 5 events (and 2 errors), in text and JSON."""
    log = tmp_path / "events.toml"
    bad = '[[events]]\ndate = "2024-02-30"\ntitle = "Bad"\n\n'
    good = [GOOD.replace('"a"', f'"a{n}"').replace("01-01", f"01-0{n}") for n in (1, 2, 3)]
    log.write_text(good[0] + bad + good[1] + bad + good[2])
    checked = run("check", "-f", str(log))
    assert checked.stderr.endswith(f"{log}: 5 events, 0 actors: 2 errors, 0 warnings\n")
    import json

    report = json.loads(run("check", "-f", str(log), "--format", "json").stdout)
    assert (report["events"], report["errors"]) == (5, 2)


@pytest.mark.parametrize(("command", "usage"), [("show", "ID"), ("export", "FORMAT")])
def test_usage_names_arguments_plainly(run: Run, command: str, usage: str) -> None:
    """`--help` shows a required argument as its name (`ID`), not as `{ID}`."""
    first = run(command, "--help").stdout.splitlines()[0]
    assert first == f"Usage: chrono {command} [OPTIONS] {usage}"


@pytest.mark.parametrize("command", ["check", "show"])
def test_format_choices_are_shown_in_help(run: Run, command: str) -> None:
    """`--format` of check and show shows its choices, never a type placeholder like <str>."""
    text = run(command, "--help").stdout
    assert "-F, --format <text|json>" in text and "<str>" not in text


def test_every_option_of_add_has_help(run: Run) -> None:
    """Each option `add --help` lists has a line of help after it (-l and --summary too)."""
    text = run("add", "--help").stdout
    assert "-l, --location TEXT       Where it happened." in text
    assert "--summary TEXT            What happened" in text


def test_root_help_shows_a_tour(run: Run) -> None:
    """`chrono --help` ends with examples of init, add, list, show and export, not only check."""
    examples = run("--help").stdout.split("Examples:")[1]
    for word in ("chrono init", "chrono add", "chrono list", "chrono show", "chrono export"):
        assert word in examples


def test_an_unknown_actor_in_actors_speaks_of_the_name(run: Run) -> None:
    """`chrono actors Nobody` says no actor matches, without speaking of an --actor option."""
    result = run("actors", "-f", str(BUNDLED), "Nobody")
    assert result.exit_code == 2
    assert result.stderr.startswith("chrono: error: no actor matches 'Nobody'")


def test_export_formats_are_read_in_any_case(run: Run) -> None:
    """`export MD` is `export md`."""
    assert (
        run("export", "MD", "-f", str(BUNDLED)).stdout
        == run("export", "md", "-f", str(BUNDLED)).stdout
    )


def test_writing_into_a_missing_folder_says_nothing_was_written(run: Run, tmp_path: Path) -> None:
    """`-o` into a missing folder says nothing was written, not that a file is unchanged."""
    result = run("export", "md", "-f", str(BUNDLED), "-o", str(tmp_path / "no" / "x.md"))
    assert result.exit_code == 1
    assert result.stderr.endswith("cannot write: No such file or directory; nothing written\n")


def _items(cell: str) -> list[str]:
    """A CSV list cell read back as docs/formats.md says: `\\` keeps the next character."""
    items, item, i = [], "", 0
    while i < len(cell):
        if cell[i] == "\\" and i + 1 < len(cell) and cell[i + 1] in ";\\":
            item, i = item + cell[i + 1], i + 2
        elif cell.startswith("; ", i):
            items, item, i = [*items, item], "", i + 2
        else:
            item, i = item + cell[i], i + 1
    return [*items, item] if cell else []


@pytest.mark.parametrize(
    "sources",
    [["TASS; Reuters", "kremlin.ru"], ["a\\b", "c;", "; d"], ["plain"], ["x\\;y", "\\"]],
)
def test_csv_lists_read_back_item_for_item(run: Run, tmp_path: Path, sources: list[str]) -> None:
    """A source with `;` or `\\` in it is one item of the CSV's list cell, read back exactly."""
    import csv
    import io
    import json

    log = tmp_path / "events.toml"
    log.write_text(
        GOOD.replace('title = "Kept"', f'title = "Kept"\nsources = {json.dumps(sources)}')
    )
    out = run("export", "csv", "-f", str(log)).stdout
    row = next(csv.DictReader(io.StringIO(out)))
    assert _items(row["sources"]) == sources


def test_a_fifo_nobody_writes_to_is_an_error_not_a_hang(tmp_path: Path) -> None:
    """`list` and `check` on a FIFO with no writer end with one message after the pipe's
    silence limit, instead of waiting for ever."""
    import os
    import subprocess
    import sys

    fifo = tmp_path / "events.toml"
    os.mkfifo(fifo)
    for command in ("list", "check"):
        result = subprocess.run(
            [sys.executable, "-m", "chrono", command, "-f", str(fifo)],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert result.returncode == 1, result.stderr
        assert f"{fifo}: error: is a pipe that sent nothing for 10 s; read nothing" in result.stderr


def test_a_pipe_is_read_as_its_writer_sends_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pipe is read to its end however it is chunked; silence past the limit is an error."""
    import os
    import threading
    import time

    from chrono.core.errors import LogError
    from chrono.storage import files

    monkeypatch.setattr(files, "PIPE_WAIT", 0.5)
    read, write = os.pipe()
    path = Path(f"/dev/fd/{read}")

    def send() -> None:
        for part in (b"[[events]]\n", b'id = "a"\n'):
            os.write(write, part)
            time.sleep(0.05)
        os.close(write)

    threading.Thread(target=send).start()
    assert files.read_bytes_checked(path) == b'[[events]]\nid = "a"\n'
    os.close(read)
    silent, keep = os.pipe()
    with pytest.raises(LogError, match="is a pipe that sent nothing for 0 s"):
        files.read_bytes_checked(Path(f"/dev/fd/{silent}"))
    os.close(silent)
    os.close(keep)


@pytest.mark.parametrize(
    "args",
    [("list",), ("show", "x"), ("export", "md"), ("actors",), ("add", "x", "--date", "2026-01-01")],
)
def test_a_loop_of_symbolic_links_is_named_not_a_traceback(
    run: Run, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """A log path that is a loop of links is one error naming the loop, for every command."""
    (tmp_path / "events.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "events.toml")
    result = run(*args, "-f", str(tmp_path / "events.toml"))
    assert result.exit_code == 1
    assert "Too many levels of symbolic links" in result.stderr
    assert "Traceback" not in result.stderr


ALIKE = """\
[actors.board]
name = "OpenAI board"

[actors.nadella]
name = "Satya Nadella"

[actors.dobrynin]
name = "Anatoly Dobrynin"
"""


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        ("OpenAI staff", "(add an [actors.<key>] table for it)"),  # shares a word only
        ("Satya Nadella CEO", "(add an [actors.<key>] table for it)"),
        ("Board of OpenAI", "(add an [actors.<key>] table for it)"),
        ("Anatoly Dobrymin", "did you mean 'dobrynin' (Anatoly Dobrynin)? (add the spelling"),
        ("Satya Nadelo", "did you mean 'nadella' (Satya Nadella)? (add the spelling"),
    ],
)
def test_check_offers_an_alias_only_for_a_spelling_variant(
    run: Run, tmp_path: Path, name: str, advice: str
) -> None:
    """A free-text actor that shares a word with a registry actor is another actor: check
    advises adding an alias only when every word is that actor's, spelt a little off."""
    log = tmp_path / "events.toml"
    log.write_text(
        ALIKE
        + f'\n[[events]]\nid = "a"\ndate = "2023"\ntitle = "A"\nactors = [{name!r}]\n'.replace(
            "'", '"'
        )
    )
    checked = run("check", "-f", str(log))
    assert f"actor {name!r} is not in the registry" in checked.stderr
    assert advice in checked.stderr
    if "table" in advice:
        assert "did you mean" not in checked.stderr


def test_a_misspelling_is_told_from_a_shared_word() -> None:
    """`Registry.misspelt` keeps the suggestions whose words the name spells, nearly."""
    from chrono.core.actors import Actor, Registry

    registry = Registry([Actor("board", "OpenAI board"), Actor("dobrynin", "Anatoly Dobrynin")])
    assert registry.suggest("OpenAI staff") == ["board"]  # what check offered before
    assert registry.misspelt("OpenAI staff") == []
    assert registry.misspelt("Dobrinyn") == ["dobrynin"]
    assert registry.misspelt("Anatoly Dobrymin") == ["dobrynin"]  # 0.875 alike
    assert registry.misspelt("Anatoly Dobby") == []  # 0.46: another name
    assert registry.misspelt("Dobrinyn Dobrinyn") == []  # one word cannot stand for two
    assert registry.misspelt("Anatoly Dobrynin Jr") == []


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("OpenAI", "actor 'OpenAI' is not in the registry; it is counted as 'board' (OpenAI "
         "board), whose name holds it: if it means that actor, add 'OpenAI' to its aliases (chrono "
         "actors alias board OpenAI); if "
         "not, add an [actors.<key>] table for it"),
        ("Altmann", "actor 'Altmann' looks like a spelling of 'altman' (Sam Altman); add "
         "'Altmann' to its aliases: chrono actors alias altman Altmann"),
    ],
)  # fmt: skip
def test_a_name_that_is_part_of_another_is_not_called_its_spelling(
    run: Run, tmp_path: Path, name: str, said: str
) -> None:
    """A bare word of an actor's name (`OpenAI` of "OpenAI board") is said to be counted as
    that actor, with both ways out; a true variant (`Altmann`) is still called a spelling."""
    log = tmp_path / "events.toml"
    registry = '[actors.board]\nname = "OpenAI board"\n\n[actors.altman]\nname = "Sam Altman"\n'
    log.write_text(
        registry + f'\n[[events]]\nid = "a"\ndate = "2023"\ntitle = "A"\nactors = ["{name}"]\n'
    )
    checked = run("check", "-f", str(log))
    assert f"warning: event #1 ('a'): {said}\n" in checked.stderr


def test_a_misspelt_key_of_an_actor_is_an_error_with_a_did_you_mean(
    run: Run, tmp_path: Path
) -> None:
    """`alias = [...]` in an actor's table would lose its spellings without a word: an error
    naming the key meant; a key near no known one stays a warning."""
    log = tmp_path / "events.toml"
    log.write_text('[actors.putin]\nname = "Vladimir Putin"\nalias = ["Putin"]\nfoo = 1\n\n' + GOOD)
    checked = run("check", "-f", str(log))
    assert checked.exit_code == 1
    assert (
        f"{log}:3:9: error: actor 'putin': unknown key 'alias'; did you mean 'aliases'? "
        "(as written, chrono would ignore it)\n"
    ) in checked.stderr
    assert f"{log}:4:7: warning: actor 'putin': unknown key 'foo' (kept" in checked.stderr
    assert run("--no-cache", "list", "-f", str(log)).exit_code == 1  # not read as if it held none
