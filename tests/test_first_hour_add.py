"""What a new user meets at `chrono add` in the first hour: every actor name accounted for,
every unknown one named, a broken source URL said at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from chrono.core.actors import Actor, Registry
from chrono.operations.adding import ActorError, actors_for_add
from tests.conftest import Run

REGISTRY = """\
[actors.nadella]
name = "Satya Nadella"

[actors.dobrynin]
name = "Anatoly Dobrynin"
"""


def _log(folder: Path) -> Path:
    log = folder / "events.toml"
    log.write_text(REGISTRY)
    return log


def test_add_says_which_actor_each_typed_name_became(run: Run, tmp_path: Path) -> None:
    """Each name given, matched by spelling or exactly, is said on stderr with the actor it
    became, in the order typed."""
    log = _log(tmp_path)
    added = run("add", "-f", str(log), "Talks", "--date", "1970-05-01",
                "-a", "Satya Nadela", "-a", "Dobrinyn", "-a", "nadella")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert added.stderr.splitlines()[:3] == [
        "chrono: actor 'Satya Nadela' is Satya Nadella (nadella)",
        "chrono: actor 'Dobrinyn' is Anatoly Dobrynin (dobrynin)",
        "chrono: actor 'nadella' is Satya Nadella (nadella)",
    ]
    assert 'actors = ["nadella", "dobrynin"]' in log.read_text()


def test_new_actors_are_said_as_what_they_became(run: Run, tmp_path: Path) -> None:
    """--new-actor keeps a name as free text, --register adds it under a key: both said."""
    log = _log(tmp_path)
    free = run("add", "-f", str(log), "A", "--date", "1970", "-a", "OpenAI staff", "--new-actor")
    assert "chrono: actor 'OpenAI staff' is kept as free text (it is not in the registry)\n" in (
        free.stderr
    )
    new = run("add", "-f", str(log), "B", "--date", "1971", "-a", "Ilya Sutskever",
              "--new-actor", "--register")  # fmt: skip
    assert "chrono: actor 'Ilya Sutskever' is new in the registry, as 'ilya-sutskever'\n" in (
        new.stderr
    )


def test_every_unknown_actor_is_named_and_nothing_is_written(run: Run, tmp_path: Path) -> None:
    """Three names the registry does not know: all three are named, each with what it may
    have meant, and the log is untouched."""
    log = _log(tmp_path)
    refused = run("add", "-f", str(log), "Talks", "--date", "1970",
                  "-a", "Zed", "-a", "Nadella", "-a", "Mira Murati", "-a", "Quux")  # fmt: skip
    assert refused.exit_code == 2
    assert "--actor: 3 names are not in the registry: 'Zed', " in refused.stderr
    assert "'Quux' (--new-actor adds them as free text" in refused.stderr
    assert refused.stderr.count("\n") == 1
    assert log.read_text() == REGISTRY


def test_a_source_that_is_a_broken_url_is_warned_about_at_add(run: Run, tmp_path: Path) -> None:
    """`--source www.example.org/a` is added with the warning `check` would give later."""
    log = _log(tmp_path)
    added = run("add", "-f", str(log), "Talks", "--date", "1970",
                "--source", "www.example.org/a", "--source", "Reuters, 3 May")  # fmt: skip
    assert added.exit_code == 0
    warning = (
        "chrono: warning: source 'www.example.org/a' looks like a URL but is not a valid "
        "http(s) URL\n"
    )
    assert warning in added.stderr
    assert added.stderr.count("warning") == 1  # the citation is fine
    assert "www.example.org/a" in run("check", "-f", str(log)).stderr


def test_the_cast_says_what_each_name_became() -> None:
    """`actors_for_add` returns the keys, the new tables and one line per name typed."""
    registry = Registry([Actor("nadella", "Satya Nadella")])
    cast = actors_for_add(registry, ["Satya Nadela", "Mira", "Mira"], True, True)
    assert cast.keys == ["nadella", "mira"]
    assert [actor.key for actor in cast.actors] == ["mira"]
    assert cast.became == [
        "'Satya Nadela' is Satya Nadella (nadella)",
        "'Mira' is new in the registry, as 'mira'",
        "'Mira' is new in the registry, as 'mira'",
    ]
    with pytest.raises(ActorError) as refused:
        actors_for_add(registry, ["A", "Satya Nadela", "B"], False, False)
    assert refused.value.reason == "2 names are not in the registry: 'A', 'B'"
    assert refused.value.unknown


def _typed_at_a_terminal(path: Path, keys: list[bytes]) -> bytes:
    """Run `chrono add` on a pseudo-terminal, typing each of ``keys`` once the screen
    shows the next question; what the terminal showed. Fails rather than hangs."""
    import os
    import pty
    import select
    import signal
    import sys
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: chrono on a terminal
        env = {**os.environ, "TERM": "xterm", "CHRONO_PAGER": "", "INPUTRC": "/dev/null"}
        argv = [sys.executable, "-m", "chrono", "add", "-f", str(path)]
        os.execve(sys.executable, argv, env)
    shown = b""
    deadline = time.monotonic() + 60
    asked = 0  # questions seen so far
    pending = list(keys)
    while True:
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            pytest.fail(f"chrono hung at the prompt; the terminal shows {shown!r}")
        if select.select([fd], [], [], 0.5)[0]:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
        questions = shown.count(b": ")
        if pending and questions > asked:
            asked = questions
            os.write(fd, pending.pop(0))
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, shown
    return shown


LEFT, UP = b"\x1b[D", b"\x1b[A"


def test_the_prompts_edit_lines_and_remember_answers(tmp_path: Path) -> None:
    """At a real terminal, Left moves the cursor (`abc`, Left, `X` is "abXc", not an escape
    in the title) and Up brings back an earlier answer."""
    import tomllib

    log = _log(tmp_path)
    keys = [b"abc" + LEFT + b"X\r", b"1970-05-01\r", b"\r", b"\r", b"Lake Geneva\r",
            UP + b"\r", b"\r", b"\r", b"\r"]  # fmt: skip
    _typed_at_a_terminal(log, keys)
    event = tomllib.loads(log.read_text())["events"][-1]
    assert event["title"] == "abXc"
    assert event["id"] == "1970-05-01-abxc"
    assert event["location"] == "Lake Geneva"
    assert event["tags"] == ["Lake Geneva"]  # Up at "Tags" recalled the answer before it


@pytest.mark.parametrize(
    ("args", "option", "shown"),
    [
        (["T\x1b[DX"], "title", "'T\\x1b[DX' holds a control character U+001B (ESC)"),
        (["T", "--summary", "a\x07"], "--summary", "U+0007 (BEL)"),
        (["T", "--location", "a\nb"], "--location", "U+000A (line feed)"),
        (["T", "--kind", "a\x7f"], "--kind", "U+007F (DEL)"),
        (["T", "-t", "ok", "-t", "a\x9b1m"], "--tag", "U+009B (CSI)"),
        (["T", "--source", "a\x00"], "--source", "U+0000 (NUL)"),
        (["T", "-a", "x\x08", "--new-actor"], "--actor", "U+0008 (backspace)"),
        (["T", "--summary", "a\x85"], "--summary", "U+0085"),  # C1 next line
        (["T", "--id", "a\x01b"], "--id", "U+0001"),
    ],
)
def test_add_refuses_a_control_character_in_any_text(
    run: Run, tmp_path: Path, args: list[str], option: str, shown: str
) -> None:
    """A control character in any field typed is an error naming the option; nothing written."""
    log = _log(tmp_path)
    refused = (
        run("add", "-f", str(log), "--date", "1970", "--", *args)
        if args[0] != "T"
        else (run("add", "-f", str(log), "--date", "1970", *args))
    )
    assert refused.exit_code == 2
    assert refused.stderr.startswith(f"chrono: error: {option}: ")
    assert shown in refused.stderr and "give plain text" in refused.stderr
    assert log.read_text() == REGISTRY


def test_add_keeps_tabs_and_a_summary_s_lines(run: Run, tmp_path: Path) -> None:
    """Tab anywhere, and line breaks in a summary, are plain text, not control characters."""
    log = _log(tmp_path)
    added = run("add", "-f", str(log), "A\tB", "--date", "1970", "--summary", "one\r\ntwo\tx")
    assert added.exit_code == 0, added.stderr


def test_a_control_character_at_a_prompt_is_asked_again(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer holding an escape (an arrow key where nothing edits lines) is said and
    asked again; the answer after it is the one stored."""
    import tomllib

    log = _log(tmp_path)
    monkeypatch.setattr("chrono.app.commands.add.stdin_is_tty", lambda: True)
    answers = "ab\x1b[DX\nabX\n1970\n\n\nGen\x1b[Deva\nGeneva\n\n\n\n\n"
    added = run("add", "-f", str(log), input=answers)
    assert added.exit_code == 0, added.output
    assert added.stderr.count("that holds a control character U+001B (ESC)") == 2
    event = tomllib.loads(log.read_text())["events"][-1]
    assert (event["title"], event["location"]) == ("abX", "Geneva")


@pytest.mark.parametrize(
    ("line", "field", "at"),
    [
        ('title = "a\\u001bb"', "'title' holds a control character U+001B (ESC)", "4:9"),
        ('summary = "a\\u0007"', "'summary' holds a control character U+0007 (BEL)", "4:11"),
        ('location = "a\\nb"', "'location' holds a control character U+000A (line feed)", "4:12"),
        ('kind = "\\u009b"', "'kind' holds a control character U+009B (CSI)", "4:8"),
        ('tags = ["ok", "\\u007f"]', "'tags' item 2 holds a control character U+007F", "4:15"),
        ('sources = ["\\u0000"]', "'sources' item 1 holds a control character U+0000", "4:12"),
        ('actors = ["a\\u0008"]', "'actors' item 1 holds a control character U+0008", "4:11"),
    ],
)
def test_check_warns_of_a_control_character_naming_the_field(
    run: Run, tmp_path: Path, line: str, field: str, at: str
) -> None:
    """A control character in any text field of the file is a warning at that field."""
    log = tmp_path / "events.toml"
    title = "" if line.startswith("title") else 'title = "T"\n'
    log.write_text(f'[[events]]\nid = "e"\ndate = "1970"\n{line}\n{title}')
    checked = run("check", "-f", str(log))
    assert checked.exit_code == 0
    assert f"{log}:{at}: warning: event #1 ('e'): {field}" in checked.stderr
    assert checked.stderr.count("control character") == 1


def test_the_control_character_rule() -> None:
    """C0 but tab, DEL and C1 are control characters; line breaks only where lines may be."""
    from chrono.core.fields import control_character

    assert control_character("a\tb") is None
    assert control_character("a\nb") == "control character U+000A (line feed)"
    assert control_character("a\r\nb", lines=True) is None
    assert control_character("a\x0bb", lines=True) == "control character U+000B"
    assert control_character("\x1f") == "control character U+001F"
    assert control_character(" ~\xa0é") is None  # the printable edges of each range
    assert control_character("\x80") == "control character U+0080"
    assert control_character("\x9f") == "control character U+009F"
    assert control_character("\u200b") is None  # not printable, yet no control character


def test_the_prompt_line_is_redrawn_as_it_is_edited(tmp_path: Path) -> None:
    """Moving to the start of the answer and back (Ctrl-A, Ctrl-E) leaves the screen showing
    `Title: Sam Altman wins back`: readline knows the whole prompt, so it redraws the line
    right (the screen is read through a terminal emulator)."""
    pyte = pytest.importorskip("pyte")
    log = _log(tmp_path)
    keys = [b"Altman wins\x01Sam \x05 back\r", b"1970\r", b"\r", b"\r", b"Geneva\r",
            b"\r", b"\r", b"\r", b"\r"]  # fmt: skip
    shown = _typed_at_a_terminal(log, keys)
    screen = pyte.Screen(100, 40)
    pyte.ByteStream(screen).feed(shown)
    lines = [line.rstrip() for line in screen.display]
    assert "Title: Sam Altman wins back" in lines, lines
    assert "Location: Geneva" in lines, lines
