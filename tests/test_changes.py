"""`chrono changes`: what changed in a log kept in git, against real repositories."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from chrono.core.errors import GitError, LogError, UsageError
from chrono.core.model import Chronology
from chrono.operations import history
from chrono.storage.store import load_text
from tests.conftest import Run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

HEAD = """[chrono]
timezone = "UTC"

[actors.putin]
name = "Vladimir Putin"
aliases = ["Putin"]

[actors.witkoff]
name = "Steve Witkoff"
"""

DAVOS = """
[[events]]
id = "davos"
date = 2026-01-20
title = "Davos forum"
"""

KREMLIN = """
[[events]]
id = "kremlin"
date = 2026-01-22
title = "Putin receives Witkoff"
actors = ["putin", "witkoff"]
tags = ["ukraine"]
"""

MIAMI = """
[[events]]
id = "miami"
date = 2026-01-24
title = "Witkoff in Miami"
actors = ["witkoff"]
"""

KREMLIN_MOVED = """
[[events]]
id = "kremlin"
date = 2026-01-23
title = "Putin receives Witkoff"
summary = "Talks until *late*"
actors = ["putin", "witkoff"]
tags = ["ukraine", "us-russia"]
"""

ANCHORAGE = """
[[events]]
id = "anchorage"
date = 2025-08-15
title = "Anchorage summit"
actors = ["putin"]
location = "Anchorage"
"""

OLD = HEAD + DAVOS + KREMLIN + MIAMI
NEW = HEAD + ANCHORAGE + DAVOS + KREMLIN_MOVED


class Repo:
    """A git repository in a temporary folder, the log in its subfolder ``notes``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.log = root / "notes" / "events.toml"
        self.log.parent.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        """Run git in the repository; its output."""
        done = subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=True
        )
        return done.stdout

    def write(self, text: str | bytes) -> None:
        """The log's text in the work tree."""
        data = text.encode() if isinstance(text, str) else text
        self.log.write_bytes(data)

    def commit(self, text: str | bytes | None = None, message: str = "log") -> str:
        """Commit the log (written first when ``text`` is given); the commit's hash."""
        if text is not None:
            self.write(text)
        self.git("add", "notes/events.toml")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """An empty repository, git configured for this test alone."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("CHRONO_PAGER", "")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Ann Example")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "ann@example.org")
    return Repo(tmp_path / "repo")


def changes(run: Run, repo: Repo, *args: str) -> tuple[str, str]:
    """Run `chrono changes ARGS -f LOG`, which must succeed; its stdout and stderr."""
    result = run("changes", *args, "-f", str(repo.log))
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def as_json(run: Run, repo: Repo, *args: str) -> dict[str, object]:
    """`chrono changes --format json` parsed."""
    data: dict[str, object] = json.loads(changes(run, repo, *args, "--format", "json")[0])
    return data


def brief(record: object) -> tuple[str, str]:
    """An event record's id and title."""
    assert isinstance(record, dict)
    return record["id"], record["title"]


# -- the operation ---------------------------------------------------------------------


def chronology(text: str, name: str = "events.toml") -> Chronology:
    """A log's model from its text."""
    return load_text(Path(name), text).chronology


def test_compare_matches_events_by_id() -> None:
    """An id only in the new version is added, only in the old removed, in both with other
    fields changed (each field's old and new value, in the log's order of fields)."""
    added, changed, removed = history.compare(chronology(OLD), chronology(NEW))
    assert [e.id for e in added] == ["anchorage"]
    assert [e.id for e in removed] == ["miami"]
    assert [(c.old.id, c.new.id) for c in changed] == [("kremlin", "kremlin")]
    assert changed[0].fields == {
        "date": ("2026-01-22", "2026-01-23"),
        "summary": (None, "Talks until *late*"),
        "tags": (["ukraine"], ["ukraine", "us-russia"]),
    }


def test_an_event_moved_in_the_file_is_not_changed() -> None:
    """Events written in another order, or at other lines, are the same events."""
    moved = HEAD + "\n\n# a comment\n" + MIAMI + KREMLIN + DAVOS
    assert history.compare(chronology(OLD), chronology(moved)) == ([], [], [])


def test_event_changes_puts_unknown_keys_last_by_name() -> None:
    """Keys chrono does not know are compared too, after the known fields, by name."""
    old = chronology(HEAD + DAVOS.replace("title", 'zeta = 1\nalpha = "a"\ntitle')).events[0]
    new = chronology(HEAD + DAVOS.replace("Davos forum", "Davos").replace(
        "title", 'zeta = 2\nbeta = "b"\ntitle')).events[0]  # fmt: skip
    assert list(history.event_changes(old, new).items()) == [
        ("title", ("Davos forum", "Davos")),
        ("alpha", ("a", None)),
        ("beta", (None, "b")),
        ("zeta", (1, 2)),
    ]


def test_actor_changes_in_the_registry() -> None:
    """An actor added, changed or removed is found by key, with its fields."""
    old = chronology(HEAD)
    new = chronology(HEAD.replace('name = "Steve Witkoff"', 'name = "Dmitry Peskov"').replace(
        "[actors.witkoff]", '[actors.peskov]\nname = "Dmitry Peskov"\n\n[actors.witkoff]'
    ).replace('aliases = ["Putin"]', 'aliases = ["Putin"]\nrole = "President"'))  # fmt: skip
    assert history.actor_changes(old, new) == [
        history.ActorChange("putin", "changed", {"role": (None, "President")}),
        history.ActorChange("peskov", "added", {"name": (None, "Dmitry Peskov")}),
        history.ActorChange("witkoff", "changed", {"name": ("Steve Witkoff", "Dmitry Peskov")}),
    ]
    assert history.actor_changes(new, old)[-1] == history.ActorChange(
        "peskov", "removed", {"name": ("Dmitry Peskov", None)}
    )


def test_marks_say_new_and_changed_only() -> None:
    """Of the events given, those not in the old version are new, those that differ changed."""
    new = chronology(NEW)
    assert history.marks(chronology(OLD), new.events) == {"anchorage": "new", "kremlin": "changed"}


def test_at_revision_reads_the_log_as_git_holds_it(repo: Repo) -> None:
    """The log at a revision is the committed text; a revision without it is an empty log."""
    first = repo.commit(HEAD, "actors only")
    repo.commit(OLD)
    old, version = history.at_revision(repo.log, "HEAD~1")
    assert (old.events, list(old.registry.actors)) == ((), ["putin", "witkoff"])
    assert version == history.Version("HEAD~1", first, True)
    (repo.root / "other.txt").write_text("x")
    repo.git("add", "other.txt")
    repo.git("commit", "-q", "-m", "other")
    elsewhere = repo.root / "elsewhere" / "events.toml"
    elsewhere.parent.mkdir()
    empty, version = history.at_revision(elsewhere, "HEAD")
    assert (empty.events, version.exists) == ((), False)


def test_at_revision_places_a_broken_version_at_the_revision(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version that is not TOML fails with a diagnostic named ``REV:PATH``, the path as
    given."""
    repo.commit(HEAD + "[[events]\n")
    monkeypatch.chdir(repo.root)
    with pytest.raises(LogError) as caught:
        history.at_revision(Path("notes/events.toml"), "HEAD")
    assert caught.value.diagnostics[0].path == "HEAD:notes/events.toml"


def test_at_revision_outside_a_repository(tmp_path: Path) -> None:
    """A log in no repository is a GitError naming its folder; an unknown revision a
    usage error."""
    with pytest.raises(GitError, match=f"^{tmp_path}: not in a git repository$"):
        history.at_revision(tmp_path / "events.toml", "HEAD")
    with pytest.raises(GitError, match=f"^{tmp_path}/gone: no such folder$"):
        history.at_revision(tmp_path / "gone" / "events.toml", "HEAD")


def test_at_revision_an_unknown_revision(repo: Repo) -> None:
    """A revision git does not know is a usage error."""
    repo.commit(OLD)
    with pytest.raises(UsageError, match=r"^unknown revision 'v9': git knows no commit"):
        history.at_revision(repo.log, "v9")


# -- the command -----------------------------------------------------------------------

TIMELINE = """\
Since HEAD
Added
2025
 August
  15 Aug 2025 Anchorage summit
              Vladimir Putin · Anchorage
1 event, Aug 2025
Changed
  23 Jan 2026  Putin receives Witkoff
      date: 2026-01-22 → 2026-01-23
      summary: (none) → Talks until *late*
      tags: ukraine → ukraine, us-russia
Removed
2026
 January
  24 Jan 2026 Witkoff in Miami
              Steve Witkoff
1 event, Jan 2026
"""


def test_added_changed_and_removed_on_the_terminal(run: Run, repo: Repo) -> None:
    """The default view: Added, Changed (each field old → new) and Removed, no colour
    when piped, and nothing on stderr."""
    repo.commit(OLD)
    repo.write(NEW)
    assert changes(run, repo) == (TIMELINE, "")
    assert "\x1b[" not in run("changes", "-f", str(repo.log), "--color", "auto").stdout


def test_no_changes(run: Run, repo: Repo) -> None:
    """A work tree as committed: nothing on stdout, a note on stderr, status 0; md and json
    say so in their own way."""
    repo.commit(OLD)
    assert changes(run, repo) == ("", "chrono: no changes since HEAD\n")
    assert changes(run, repo, "--format", "md") == ("## New since HEAD\n\nNo changes.\n", "")
    data = as_json(run, repo)
    assert (data["added"], data["changed"], data["removed"], data["actors"]) == ([], [], [], [])


def record(event_id: str, day: str, title: str, **fields: object) -> dict[str, object]:
    """An event as `list --format json` shows it (UTC, a day's date)."""
    following = {"15": "16", "22": "23", "23": "24", "24": "25"}
    stop = day[:8] + following[day[8:]]
    return {
        "id": event_id, "date": day, "date_precision": "day", "date_qualifier": None,
        "end": None, "end_precision": None, "end_qualifier": None,
        "start": f"{day}T00:00:00Z", "stop": f"{stop}T00:00:00Z", "title": title,
        "summary": None, "actors": [], "location": None, "kind": None, "tags": [],
        "sources": [], "extra": {}, **fields,
    }  # fmt: skip


PUTIN = {"key": "putin", "name": "Vladimir Putin"}
WITKOFF = {"key": "witkoff", "name": "Steve Witkoff"}


def test_the_json_shape(run: Run, repo: Repo) -> None:
    """`--format json` is the shape docs/json.md documents, ISO 8601 dates, exactly."""
    commit = repo.commit(OLD)
    repo.write(NEW)
    assert as_json(run, repo) == {
        "file": str(repo.log),
        "since": {"rev": "HEAD", "commit": commit, "exists": True},
        "until": {"rev": None, "commit": None, "exists": True},
        "added": [
            record("anchorage", "2025-08-15", "Anchorage summit", actors=[PUTIN],
                   location="Anchorage"),
        ],
        "changed": [
            {
                "id": "kremlin",
                "event": record("kremlin", "2026-01-23", "Putin receives Witkoff",
                                summary="Talks until *late*", actors=[PUTIN, WITKOFF],
                                tags=["ukraine", "us-russia"]),
                "fields": {
                    "date": {"old": "2026-01-22", "new": "2026-01-23"},
                    "summary": {"old": None, "new": "Talks until *late*"},
                    "tags": {"old": ["ukraine"], "new": ["ukraine", "us-russia"]},
                },
            }
        ],
        "removed": [record("miami", "2026-01-24", "Witkoff in Miami", actors=[WITKOFF])],
        "actors": [],
    }  # fmt: skip


def test_the_markdown_section(run: Run, repo: Repo) -> None:
    """`--format md` is a "New since REV" section, the log's text escaped."""
    repo.commit(OLD)
    repo.write(NEW)
    assert changes(run, repo, "--format", "md") == (
        "## New since HEAD\n\n"
        "### Added\n\n- **15 Aug 2025** — **Anchorage summit**\n\n"
        "### Changed\n\n- **23 Jan 2026** — **Putin receives Witkoff**\n"
        "  - date: 2026-01-22 → 2026-01-23\n"
        "  - summary: (none) → Talks until \\*late\\*\n"
        "  - tags: ukraine → ukraine, us-russia\n\n"
        "### Removed\n\n- **24 Jan 2026** — **Witkoff in Miami**\n",
        "",
    )


def test_markup_in_the_log_is_shown_literally_in_markdown(run: Run, repo: Repo) -> None:
    """Titles, values and the revision that look like markdown or HTML are escaped."""
    repo.commit(OLD)
    hostile = KREMLIN.replace("Putin receives Witkoff", "# <b>Putin</b> [x](http://a) | `c`")
    repo.write(HEAD + DAVOS + hostile + MIAMI.replace('"witkoff"]', '"witkoff"]\nkind = "_m_"'))
    repo.git("tag", "v_1")
    out, _ = changes(run, repo, "v_1", "--format", "md")
    assert out == (
        "## New since v\\_1\n\n### Changed\n\n"
        "- **22 Jan 2026** — **\\# \\<b\\>Putin\\</b\\> \\[x\\](http://a) \\| \\`c\\`**\n"
        "  - title: Putin receives Witkoff → "
        "\\# \\<b\\>Putin\\</b\\> \\[x\\](http://a) \\| \\`c\\`\n"
        "- **24 Jan 2026** — **Witkoff in Miami**\n"
        "  - kind: (none) → \\_m\\_\n"
    )


def test_between_two_revisions(run: Run, repo: Repo) -> None:
    """With REV2, the work tree is left out: what changed from REV to REV2."""
    first = repo.commit(OLD)
    second = repo.commit(HEAD + DAVOS + KREMLIN)
    repo.write(NEW)  # not compared
    data = as_json(run, repo, "HEAD~1", "HEAD")
    assert data["since"] == {"rev": "HEAD~1", "commit": first, "exists": True}
    assert data["until"] == {"rev": "HEAD", "commit": second, "exists": True}
    assert (data["added"], data["changed"]) == ([], [])
    assert [brief(r) for r in data["removed"]] == [("miami", "Witkoff in Miami")]  # type: ignore[attr-defined]
    out, _ = changes(run, repo, "HEAD~1", "HEAD")
    assert out.startswith("From HEAD~1 to HEAD\nRemoved\n")


def test_a_revision_without_the_log(run: Run, repo: Repo) -> None:
    """A revision where the log did not exist yet: every event is added."""
    (repo.root / "README").write_text("x")
    repo.git("add", "README")
    repo.git("commit", "-q", "-m", "start")
    repo.commit(OLD)
    data = as_json(run, repo, "HEAD~1")
    assert data["since"]["exists"] is False  # type: ignore[index]
    assert [brief(r) for r in data["added"]] == [  # type: ignore[attr-defined]
        ("davos", "Davos forum"), ("kremlin", "Putin receives Witkoff"),
        ("miami", "Witkoff in Miami"),
    ]  # fmt: skip
    assert [a["change"] for a in data["actors"]] == ["added", "added"]  # type: ignore[attr-defined,index]


def test_an_unknown_revision(run: Run, repo: Repo) -> None:
    """A revision git does not know is a usage error (status 2)."""
    repo.commit(OLD)
    result = run("changes", "nope", "-f", str(repo.log))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "chrono: error: unknown revision 'nope': git knows no commit of that name\n"
    )


def test_not_a_repository(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A log in no repository is an error (status 1) naming its folder."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    log = tmp_path / "events.toml"
    log.write_text(OLD)
    result = run("changes", "-f", str(log))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"chrono: error: {tmp_path}: not in a git repository\n"


BROKEN = {
    "not TOML": (OLD + "[[events]\n", "28:9: error: invalid TOML: expected ']]' at the end of "
                 "an array declaration"),
    "not a valid log": (OLD.replace("2026-01-24", '"soon"'), "25:8: error: event #3 ('miami'): "
                        "'date': not a date: 'soon' (use YYYY, YYYY-MM, YYYY-MM-DD or "
                        "YYYY-MM-DDTHH:MM, optionally followed by ?, ~ or %)"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_an_old_version_that_is_broken(run: Run, repo: Repo, case: str) -> None:
    """An old version that is not TOML, or not a valid log, is an error placed at the
    revision and its line, never a traceback."""
    text, said = BROKEN[case]
    repo.commit(text)
    repo.write(OLD)
    result = run("changes", "-f", str(repo.log))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"HEAD:{repo.log}:{said}\n"


def test_filters_select_by_the_new_version_or_the_removed_one(run: Run, repo: Repo) -> None:
    """`-a` and `--on` select as `list` does: a changed event by its new version, a
    removed one by its old; changes to actors are left out under a filter."""
    repo.commit(OLD)
    without = NEW.replace('[actors.witkoff]\nname = "Steve Witkoff"\n', "")
    repo.write(without.replace('["putin", "witkoff"]', '["putin"]'))
    data = as_json(run, repo, "-a", "Witkoff")  # only the old version knows him
    assert [brief(r) for r in data["removed"]] == [("miami", "Witkoff in Miami")]  # type: ignore[attr-defined]
    assert (data["added"], data["changed"], data["actors"]) == ([], [], [])
    data = as_json(run, repo, "-a", "Putin")
    assert [brief(r) for r in data["added"]] == [("anchorage", "Anchorage summit")]  # type: ignore[attr-defined]
    assert [c["id"] for c in data["changed"]] == ["kremlin"]  # type: ignore[attr-defined,index]
    assert data["removed"] == []
    data = as_json(run, repo, "--on", "2026-01-22")  # the old date: not the new version's
    assert (data["added"], data["changed"], data["removed"]) == ([], [], [])
    data = as_json(run, repo, "--on", "2026-01")
    assert [c["id"] for c in data["changed"]] == ["kremlin"]  # type: ignore[attr-defined,index]
    assert [brief(r) for r in data["removed"]] == [("miami", "Witkoff in Miami")]  # type: ignore[attr-defined]


def test_actor_changes_without_a_filter(run: Run, repo: Repo) -> None:
    """With no filter, actors added, changed and removed are shown too."""
    repo.commit(OLD)
    repo.write(OLD.replace('aliases = ["Putin"]', 'aliases = ["Putin"]\nrole = "President"'))
    assert changes(run, repo) == (
        "Since HEAD\nActors\n  changed Vladimir Putin (putin)\n      role: (none) → President\n",
        "",
    )
    assert as_json(run, repo)["actors"] == [
        {"key": "putin", "change": "changed", "fields": {"role": {"old": None, "new": "President"}}}
    ]


def test_limit_and_reverse_apply_to_each_section(run: Run, repo: Repo) -> None:
    """`-n 1` keeps the most recent event of each section; `--reverse` turns each."""
    repo.commit(HEAD)
    repo.write(OLD)
    data = as_json(run, repo, "-n", "2", "--reverse")
    assert [brief(r)[0] for r in data["added"]] == ["miami", "kremlin"]  # type: ignore[attr-defined]


def test_a_crlf_log(run: Run, repo: Repo) -> None:
    """A log with CRLF line ends, committed or in the work tree, reads as the same events:
    only what really changed is shown."""
    repo.commit(OLD.replace("\n", "\r\n"))
    repo.write(OLD)
    assert changes(run, repo) == ("", "chrono: no changes since HEAD\n")
    repo.write(NEW.replace("\n", "\r\n"))
    assert changes(run, repo) == (TIMELINE, "")


def test_the_log_found_from_a_subfolder(
    run: Run, repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --file, the nearest events.toml upward is the log, in a subfolder of the
    repository."""
    repo.commit(OLD)
    repo.write(NEW)
    below = repo.log.parent / "drafts"
    below.mkdir()
    monkeypatch.chdir(below)
    result = run("changes", "--format", "md")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("## New since HEAD\n\n### Added\n")


def test_the_help_has_examples(run: Run) -> None:
    """`chrono changes --help` shows examples and says what is compared."""
    shown = run("changes", "--help").stdout
    assert "chrono changes HEAD~3 --format md >> report.md" in shown
    assert "Compares the log as git holds it at REV" in " ".join(shown.split())
