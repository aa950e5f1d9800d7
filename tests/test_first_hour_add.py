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
    assert "'Quux' (--new-actor adds it" in refused.stderr
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
