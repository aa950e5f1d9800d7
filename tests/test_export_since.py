"""`chrono export md --since REV`: the events new or changed since a git revision, marked."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import Run
from tests.test_changes import DAVOS, HEAD, NEW, OLD, Repo, repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
__all__ = ["repo"]  # the fixture, shared with test_changes


def export(run: Run, repo: Repo, *args: str) -> str:
    """Run `chrono export ARGS -f LOG`, which must succeed; its stdout."""
    result = run("export", *args, "-f", str(repo.log))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_list_marks_new_and_changed_events(run: Run, repo: Repo) -> None:
    """In the list style, **new** or **changed** stands before the title of each event
    added or changed since REV, counted under the heading; an unchanged event has none."""
    repo.commit(OLD)
    repo.write(NEW)
    assert export(run, repo, "md", "--since", "HEAD", "--title", "Report") == (
        "# Report\n\n3 events, Aug 2025 – Jan 2026.\n\n1 new and 1 changed since HEAD.\n\n"
        "## 2025\n\n### August 2025\n\n"
        "- **15 Aug 2025** — **new** **Anchorage summit**  \n  Vladimir Putin · Anchorage\n\n"
        "## 2026\n\n### January 2026\n\n"
        "- **20 Jan 2026** — **Davos forum**\n\n"
        "- **23 Jan 2026** — **changed** **Putin receives Witkoff**  \n"
        "  Vladimir Putin, Steve Witkoff\n\n  Talks until \\*late\\*\n"
    )


def test_the_table_marks_them_too(run: Run, repo: Repo) -> None:
    """In the table style the mark leads the Event cell."""
    repo.commit(OLD)
    repo.write(NEW)
    out = export(run, repo, "md", "--since", "HEAD", "--style", "table", "--on", "2026-01")
    assert out.splitlines()[-3:] == [
        "|---|---|---|---|",
        "| 20 Jan 2026 | **Davos forum** |  |  |",
        "| 23 Jan 2026 | **changed** **Putin receives Witkoff** | Vladimir Putin, Steve "
        "Witkoff |  |",
    ]
    assert "\n1 new" not in out and "\n0 new and 1 changed since HEAD.\n" in out


def test_without_since_nothing_is_marked(run: Run, repo: Repo) -> None:
    """The export without --since is as it always was: no mark, no count of changes."""
    repo.commit(OLD)
    repo.write(NEW)
    out = export(run, repo, "md")
    assert "**new**" not in out and "**changed**" not in out and "since" not in out


def test_every_event_is_new_since_a_revision_without_the_log(run: Run, repo: Repo) -> None:
    """A revision where the log was not there: every event shown is new."""
    (repo.root / "README").write_text("x")
    repo.git("add", "README")
    repo.git("commit", "-q", "-m", "start")
    repo.commit(HEAD + DAVOS)
    out = export(run, repo, "md", "--since", "HEAD~1")
    assert "\n1 new and 0 changed since HEAD\\~1.\n" in out  # ~ strikes through
    assert "- **20 Jan 2026** — **new** **Davos forum**\n" in out


def test_the_revision_is_escaped(run: Run, repo: Repo) -> None:
    """A revision named with markdown characters is shown literally."""
    repo.commit(OLD)
    repo.git("tag", "v_1")
    assert "\n0 new and 0 changed since v\\_1.\n" in export(run, repo, "md", "--since", "v_1")


def test_since_with_another_format_is_a_usage_error(run: Run, repo: Repo) -> None:
    """Only md marks changes: --since with json, csv or ics is refused (status 2)."""
    repo.commit(OLD)
    for fmt in ("json", "csv", "ics"):
        result = run("export", fmt, "--since", "HEAD", "-f", str(repo.log))
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"chrono: error: --since: only the md format marks what is new or changed (not {fmt})\n"
        )


def test_an_unknown_revision(run: Run, repo: Repo) -> None:
    """A revision git does not know is a usage error, and nothing is exported."""
    repo.commit(OLD)
    target = repo.root / "report.md"
    result = run("export", "md", "--since", "nope", "-o", str(target), "-f", str(repo.log))
    assert (result.exit_code, target.exists()) == (2, False)
    assert result.stderr == (
        "chrono: error: unknown revision 'nope': git knows no commit of that name\n"
    )


def test_the_help_says_what_since_does(run: Run) -> None:
    """`chrono export --help` explains --since and shows it in an example."""
    shown = " ".join(run("export", "--help").stdout.split())
    assert "--since REV md: mark each event added (**new**) or changed (**changed**)" in shown
    assert "chrono export md --since HEAD~5 -o report.md" in shown
