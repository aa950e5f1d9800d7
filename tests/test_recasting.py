"""`chrono actors rename` and `chrono actors merge`: the registry and every event that names the
actor rewritten in one transaction, only those lines changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from chrono.core.errors import WriteError
from chrono.storage import store
from chrono.storage.amend import amend_table
from tests.conftest import Run
from tests.test_editing import _log, killed_then_finished, patch

LOG = """\
# Our log, kept by hand.
[chrono]
timezone = "Europe/Moscow"

# The Russian side.
[ actors . "vvp" ]  # the president
name = "Vladimir Putin"
# as the sources spell him
aliases = ["Putin"]

[actors.witkoff]
name = "Steve Witkoff"

# The first meeting, as TASS reported it.
[[events]]
id = "first"   # cited in the report
date = 2025-02-11
title = 'Putin receives Witkoff'
actors = ["Putin", "witkoff"]
tags = ["moscow"]

[[events]]
id = "second"
date = "2025-03-13"
title = "Second talks"
actors = ["witkoff"]

[[events]]
id = "third"
date = "2025-04-11"
title = "Talks in St Petersburg"
actors = ["vvp", "witkoff", "Kirill Dmitriev"]
"""

RENAMED = (
    LOG.replace('[ actors . "vvp" ]  # the president', "[actors.putin]  # the president")
    .replace('actors = ["Putin", "witkoff"]', 'actors = ["putin", "witkoff"]')
    .replace('actors = ["vvp", "witkoff", ', 'actors = ["putin", "witkoff", ')
)

MERGE = """\
[chrono]
timezone = "Europe/Moscow"

[actors.ushakov]
name = "Yuri Ushakov"
aliases = ["Ushakov"]

# Written from the German press; the same man.
[actors.uschakow]
name = "Juri Uschakow"
aliases = ["Uschakow", "ushakov", "JURI USCHAKOW", "J. Uschakow"]
role = "aide"
note = "as Der Spiegel spells him"

[actors.putin]
name = "Vladimir Putin"

[[events]]
id = "both"
date = 2025-02-11
title = "Talks"
actors = ["uschakow", "putin", "ushakov"]

[[events]]
id = "only-from"
date = 2025-03-11
title = "Briefing"
actors = ["putin", "Uschakow"]

[[events]]
id = "neither"
date = 2025-04-11
title = "Call"
actors = ["putin"]
"""

REMOVED = """\
# Written from the German press; the same man.
[actors.uschakow]
name = "Juri Uschakow"
aliases = ["Uschakow", "ushakov", "JURI USCHAKOW", "J. Uschakow"]
role = "aide"
note = "as Der Spiegel spells him"
"""

MERGED = (
    MERGE.replace(REMOVED + "\n", "")
    .replace('aliases = ["Ushakov"]',
             'aliases = ["Ushakov", "Juri Uschakow", "Uschakow", "J. Uschakow"]')
    .replace('actors = ["uschakow", "putin", "ushakov"]', 'actors = ["putin", "ushakov"]')
    .replace('actors = ["putin", "Uschakow"]', 'actors = ["putin", "ushakov"]')
)  # fmt: skip

DROPPED = (
    "chrono: 'uschakow' had role 'aide' and note 'as Der Spiegel spells him': not kept; "
    "they are in the removed table\n"
)


def _ids(run: Run, log: Path, actor: str) -> str:
    return run("list", "-f", str(log), "-a", actor, "--format", "ids").stdout


# -- rename --------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_rename_rewrites_the_header_and_the_actors_lines_only(
    run: Run, tmp_path: Path, newline: str
) -> None:
    """The header (its trailing comment kept) and the actors lines of the events naming the
    actor change, every other byte stays (comments, CRLF); the events then name the new key."""
    log = _log(tmp_path, LOG, newline)
    done = run("actors", "rename", "Putin", "putin", "-f", str(log))
    assert done.exit_code == 0, done.stderr
    assert log.read_bytes() == RENAMED.replace("\n", newline).encode()
    assert done.stderr == (
        f"chrono: changed 'first' (actors); changed 'third' (actors); "
        f"changed 'actors.vvp' (key) in {log}\n"
    )
    assert done.stdout == ""
    assert store.load(log).get("first").actors == ("putin", "witkoff")  # type: ignore[union-attr]
    assert _ids(run, log, "putin") == "first\nthird\n"
    assert "vvp" not in store.load(log).registry


def test_rename_through_a_warm_index_writes_what_the_parsed_log_gives(
    run: Run, tmp_path: Path
) -> None:
    """With the index warm, the events naming the actor are found through it: the same
    bytes as reading the log itself."""
    log = _log(tmp_path, LOG)
    assert run("list", "-f", str(log), "--format", "ids").exit_code == 0  # warm
    done = run("actors", "rename", "vvp", "putin", "-f", str(log))
    assert done.exit_code == 0, done.stderr
    assert log.read_bytes() == RENAMED.encode()


def test_rename_dry_run_prints_a_diff_patch_applies(run: Run, tmp_path: Path) -> None:
    """`--dry-run` writes nothing and prints a diff that `patch -p1` applies to give exactly
    the bytes the rename then writes."""
    if shutil.which("patch") is None:
        pytest.skip("patch is not installed")
    log = _log(tmp_path, LOG)
    shown = run("actors", "rename", "vvp", "putin", "-f", str(log), "--dry-run")
    assert shown.exit_code == 0, shown.stderr
    assert log.read_bytes() == LOG.encode()
    assert shown.stderr.endswith("chrono: dry run: nothing written\n")
    patched = patch(tmp_path, LOG.encode(), shown.stdout)
    assert run("actors", "rename", "vvp", "putin", "-f", str(log)).exit_code == 0
    assert patched == log.read_bytes() == RENAMED.encode()


def test_rename_as_json_says_the_key_and_each_event(run: Run, tmp_path: Path) -> None:
    """`--format json`: each event's old and new actors, and the actor's old and new key."""
    log = _log(tmp_path, LOG)
    done = run("actors", "rename", "vvp", "putin", "-f", str(log), "--format", "json")
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout) == {
        "dry_run": False,
        "events": [
            {"id": "first", "change": "changed", "fields": {"actors": {
                "old": ["vvp", "witkoff"], "new": ["putin", "witkoff"]}}},
            {"id": "third", "change": "changed", "fields": {"actors": {
                "old": ["vvp", "witkoff", "Kirill Dmitriev"],
                "new": ["putin", "witkoff", "Kirill Dmitriev"]}}},
            {"id": "actors.vvp", "change": "changed",
             "fields": {"key": {"old": "vvp", "new": "putin"}}},
        ],
    }  # fmt: skip


def test_rename_to_a_name_events_wrote_as_free_text_joins_them(run: Run, tmp_path: Path) -> None:
    """A new key that events wrote as free text: said, with how many; an event naming both
    then names the actor once."""
    text = LOG.replace('actors = ["witkoff"]\n', 'actors = ["witkoff", "envoy"]\n')
    log = _log(tmp_path, text + '\n[[events]]\nid = "fourth"\ndate = 2025-05-01\n'
               'title = "Call"\nactors = ["envoy"]\n')  # fmt: skip
    done = run("actors", "rename", "Steve Witkoff", "envoy", "-f", str(log))
    assert done.exit_code == 0, done.stderr
    assert "chrono: 2 events named 'envoy' as free text: now Steve Witkoff (envoy)\n" in done.stderr
    chronology = store.load(log)
    assert chronology.get("second").actors == ("envoy",)  # type: ignore[union-attr]
    assert chronology.get("first").actors == ("vvp", "envoy")  # type: ignore[union-attr]
    assert _ids(run, log, "Steve Witkoff") == "first\nsecond\nthird\nfourth\n"


def test_rename_refusals_write_nothing(run: Run, tmp_path: Path) -> None:
    """A key of the wrong form, another actor's key, an unknown actor: refused with nothing
    written; the same key: nothing to change."""
    log = _log(tmp_path, LOG)
    refusals = {
        ("vvp", "Putin"): "chrono: error: 'Putin' is not an actor key: a key is lower-case "
        "ASCII letters, digits, '-' and '_', starting with a letter or digit "
        "(as in [actors.putin])\n",
        ("Putin", "witkoff"): "chrono: error: 'witkoff' is already an actor (Steve Witkoff); "
        "to make them one: chrono actors merge vvp witkoff\n",
        ("nobody", "x"): "chrono: error: no registry actor is 'nobody' ('chrono actors' lists "
        "them)\n",
    }
    for (key, new), message in refusals.items():
        refused = run("actors", "rename", key, new, "-f", str(log))
        assert (refused.exit_code, refused.stderr) == (2, message)
    same = run("actors", "rename", "Vladimir Putin", "vvp", "-f", str(log))
    assert (same.exit_code, same.stdout) == (0, "")
    assert same.stderr == (
        "chrono: 'vvp' is already the key of Vladimir Putin\n"
        f"chrono: nothing to change in {log}: it already reads so\n"
    )
    assert log.read_bytes() == LOG.encode()


def test_rename_refuses_an_actor_with_sub_tables(run: Run, tmp_path: Path) -> None:
    """An actor table extended by `[actors.vvp.more]`: refused, to be renamed by hand."""
    text = LOG.replace(
        'aliases = ["Putin"]\n', 'aliases = ["Putin"]\n\n[actors.vvp.more]\nborn = 1952\n'
    )
    log = _log(tmp_path, text)
    refused = run("actors", "rename", "vvp", "putin", "-f", str(log))
    assert (refused.exit_code, refused.stderr) == (
        1, f"chrono: error: {log}: the table [actors.vvp] has sub-tables; rename it by hand; "
        "nothing written\n",
    )  # fmt: skip
    assert log.read_bytes() == text.encode()


# -- merge ---------------------------------------------------------------------------------


def test_merge_makes_two_actors_one(run: Run, tmp_path: Path) -> None:
    """INTO's aliases gain FROM's spellings (deduplicated, in order), FROM's table and its
    comments go and are printed, its events name INTO once; every spelling finds them still."""
    log = _log(tmp_path, MERGE)
    before = _ids(run, log, "Juri Uschakow")
    assert before == "both\nonly-from\n"
    done = run("actors", "merge", "Juri Uschakow", "ushakov", "-f", str(log))
    assert done.exit_code == 0, done.stderr
    assert log.read_text() == MERGED
    assert done.stdout == REMOVED
    assert done.stderr == DROPPED + (
        "chrono: changed 'both' (actors); changed 'only-from' (actors); changed "
        f"'actors.ushakov' (aliases); removed 'actors.uschakow' in {log}\n"
    )
    for spelling in ("Juri Uschakow", "J. Uschakow", "Uschakow", "ushakov"):
        assert _ids(run, log, spelling) == before, spelling
    checked = run("check", "-f", str(log))
    assert (checked.exit_code, checked.stderr) == (
        0, f"{log}: 3 events, 2 actors: no problems\n"
    )  # fmt: skip


def test_merge_as_json_says_the_actor_removed(run: Run, tmp_path: Path) -> None:
    """`--format json`: the events changed, INTO's aliases, FROM removed with its text."""
    log = _log(tmp_path, MERGE)
    done = run("actors", "merge", "uschakow", "Yuri Ushakov", "-f", str(log), "--format", "json")
    assert done.exit_code == 0, done.stderr
    assert done.stderr.startswith(DROPPED)
    assert json.loads(done.stdout) == {
        "dry_run": False,
        "events": [
            {"id": "both", "change": "changed", "fields": {"actors": {
                "old": ["uschakow", "putin", "ushakov"], "new": ["putin", "ushakov"]}}},
            {"id": "only-from", "change": "changed", "fields": {"actors": {
                "old": ["putin", "uschakow"], "new": ["putin", "ushakov"]}}},
            {"id": "actors.ushakov", "change": "changed", "fields": {"aliases": {
                "old": ["Ushakov"],
                "new": ["Ushakov", "Juri Uschakow", "Uschakow", "J. Uschakow"]}}},
            {"id": "actors.uschakow", "change": "removed"},
        ],
        "removed_text": [REMOVED],
    }  # fmt: skip


def test_merge_puts_into_in_from_s_place_and_drops_nothing_else(run: Run, tmp_path: Path) -> None:
    """An event naming FROM between others gets INTO at FROM's place, INTO's aliases line is
    added when it had none, and what FROM had besides its spellings is said, once each."""
    text = (
        '[actors.a]\nname = "Anna"\nborn = 1952\n\n[actors.b]\nname = "Bea"\naliases = ["B."]\n'
        'role = "aide"\n\n'
        '[actors.c]\nname = "Cy"\n\n'
        '[[events]]\nid = "e"\ndate = 2025-01-01\ntitle = "T"\nactors = ["c", "b", "Anna"]\n'
    )
    log = _log(tmp_path, text)
    done = run("actors", "merge", "b", "c", "-f", str(log))
    assert done.exit_code == 0, done.stderr
    assert done.stderr == (
        "chrono: 'b' had role 'aide': not kept; it is in the removed table\n"
        f"chrono: changed 'e' (actors); changed 'actors.c' (aliases); removed 'actors.b' in {log}\n"
    )
    assert log.read_text() == (
        '[actors.a]\nname = "Anna"\nborn = 1952\n\n'
        '[actors.c]\nname = "Cy"\naliases = ["Bea", "B."]\n\n'
        '[[events]]\nid = "e"\ndate = 2025-01-01\ntitle = "T"\nactors = ["c", "a"]\n'
    )
    again = run("actors", "merge", "a", "Cy", "-f", str(log))
    assert again.exit_code == 0, again.stderr
    assert again.stderr.startswith("chrono: 'a' had key 'born': not kept; it is in the removed")
    assert log.read_text().endswith('aliases = ["Bea", "B.", "Anna"]\n\n[[events]]\nid = "e"\n'
                                    'date = 2025-01-01\ntitle = "T"\nactors = ["c"]\n')  # fmt: skip


def test_merge_refuses_one_actor_twice_and_an_unknown_one(run: Run, tmp_path: Path) -> None:
    """FROM and INTO naming the same actor, a spelling of two actors, or a name no actor has:
    nothing written."""
    log = _log(tmp_path, MERGE)
    same = run("actors", "merge", "Juri Uschakow", "uschakow", "-f", str(log))
    assert (same.exit_code, same.stderr) == (
        2, "chrono: error: 'Juri Uschakow' and 'uschakow' are both 'uschakow'; name two actors "
        "to merge\n",
    )  # fmt: skip
    unknown = run("actors", "merge", "uschakow", "Nobody", "-f", str(log))
    assert (unknown.exit_code, unknown.stderr) == (
        2, "chrono: error: no registry actor is 'Nobody' ('chrono actors' lists them)\n"
    )  # fmt: skip
    shared = run("actors", "merge", "USHAKOV", "putin", "-f", str(log))
    assert (shared.exit_code, shared.stderr) == (
        2, "chrono: error: 'USHAKOV' names 2 actors: 'ushakov', 'uschakow'; give one's key\n"
    )  # fmt: skip
    assert log.read_text() == MERGE


def test_check_advises_the_merge_of_actors_sharing_a_spelling(run: Run, tmp_path: Path) -> None:
    """check's shared-alias warning ends with the merge to run; run as written, it quiets it."""
    import shlex

    log = _log(tmp_path, MERGE)
    checked = run("check", "-f", str(log))
    assert checked.stderr.splitlines()[0] == (
        f"{log}:9:1: warning: actors 'ushakov', 'uschakow' share the spelling 'ushakov'; a name "
        "written that way is ambiguous; if they are one actor: chrono actors merge uschakow "
        "ushakov"
    )
    command = checked.stderr.splitlines()[0].rsplit(": ", 1)[1]
    assert run(*shlex.split(command)[1:], "-f", str(log)).exit_code == 0
    assert log.read_text() == MERGED


def test_actor_arguments_complete_to_the_log_s_actors(tmp_path: Path) -> None:
    """KEY, FROM and INTO complete to the actors of the log the command line names."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    log = _log(tmp_path, MERGE)

    def complete(words: str) -> list[str]:
        env = {**os.environ, "_CHRONO_COMPLETE": "complete_bash", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - 1)}  # fmt: skip
        result = subprocess.run([sys.executable, "-m", "chrono"], env=env, capture_output=True,
                                text=True, check=False, cwd=ROOT, timeout=60)  # fmt: skip
        return result.stdout.split()

    assert complete(f"chrono actors rename -f {log} pu") == ["putin"]
    assert complete(f"chrono actors merge -f {log} putin usc") == ["uschakow"]


# -- faults: killed mid-write, the log changed meanwhile -------------------------------------


@pytest.mark.parametrize("at", ["kept", "half"])
def test_a_rename_killed_mid_write_is_finished_by_the_next_command(
    run: Run, tmp_path: Path, at: str
) -> None:
    """Killed after writing, or by a power cut mid-write: the next command leaves the log
    exactly as the rename, uninterrupted, writes it."""
    killed_then_finished(run, tmp_path, at, ("actors", "rename", "vvp", "putin"), LOG)


LATE = '\n[[events]]\nid = "late"\ndate = 2025-06-01\ntitle = "Late"\nactors = ["vvp"]\n'


def test_a_log_changed_between_plan_and_write_is_planned_again(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An event naming the actor appended after the rename was planned, before it is written:
    nothing is written over it, the rename is planned again and renames that event too."""
    from chrono.storage import transaction

    log = _log(tmp_path, LOG)
    real_verify, plans = transaction.verify, []

    def verify(*args: object, **kwargs: object) -> object:
        plans.append(1)
        if len(plans) == 1:  # another program appends while the first plan is checked
            with log.open("a", encoding="utf-8") as handle:
                handle.write(LATE)
        return real_verify(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(transaction, "verify", verify)
    done = run("actors", "rename", "vvp", "putin", "-f", str(log))
    assert done.exit_code == 0, done.stderr
    assert len(plans) == 2
    assert log.read_text() == RENAMED + LATE.replace('["vvp"]', '["putin"]')


# -- the header of a renamed table, at module level -----------------------------------------


@pytest.mark.parametrize(
    ("header", "key", "renamed"),
    [
        ('[ actors . "putin" ]  # comment', "putin", "[actors.vladimir]  # comment"),
        ("[actors.'putin']", "putin", "[actors.vladimir]"),
        ('[actors."put]in"]   # a ], a comment', "put]in", "[actors.vladimir]   # a ], a comment"),
        ("[actors.putin]#tight", "putin", "[actors.vladimir]#tight"),
        ('[actors."pu\\"]tin"] # "]"', 'pu"]tin', '[actors.vladimir] # "]"'),
    ],
)  # fmt: skip
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_amend_table_renames_odd_headers(header: str, key: str, renamed: str, newline: str) -> None:
    """Only the bracketed header becomes `[actors.<new>]`: what follows it on the line, the
    line ending and the body (with the values asked) stay."""
    body = 'name = "Vladimir Putin"  # kept\n# inside\n'
    text = (header + "\n" + body).replace("\n", newline)
    new = amend_table(text, ("actors", key), {"aliases": ["Putin"]}, "log", rename="vladimir")
    assert new == (renamed + "\n" + body + 'aliases = ["Putin"]\n').replace("\n", newline)


def test_amend_table_refuses_to_rename_a_table_with_sub_tables() -> None:
    """A sub-table in the actor's span is refused (an inline table is not one); nothing else
    in the table is refused for a rename."""
    inline = '[actors.putin]\nname = "V"\nmeta = { a = 1 }\n'
    assert amend_table(inline, ("actors", "putin"), {}, "log", rename="v").startswith(
        "[actors.v]\n"
    )
    nested = inline + "\n[actors.putin.more]\nborn = 1952\n"
    with pytest.raises(WriteError, match=r"^log: the table \[actors\.putin\] has sub-tables; "):
        amend_table(nested, ("actors", "putin"), {}, "log", rename="v")
    assert amend_table(nested, ("actors", "putin"), {}, "log") == nested  # no rename: fine


def test_many_events_changed_alike_are_counted_in_the_summary() -> None:
    """Five events given the same new field are counted, four are named; an actor's table is
    always named; a removal keeps its own part."""
    from chrono.output.changes import summary

    def changed(n: int) -> list[tuple[str, str, dict[str, tuple[Any, Any]]]]:
        return [(f"e{i}", "changed", {"actors": (["a"], ["b"])}) for i in range(n)]

    key = ("actors.w", "changed", {"key": ("w", "v")})
    gone = ("actors.x", "removed", {})
    assert summary([*changed(5), key, gone], "f") == (
        "changed 5 events (actors); changed 'actors.w' (key); removed 'actors.x' in f"
    )
    assert summary(changed(4), "f") == (
        "changed 'e0' (actors); changed 'e1' (actors); changed 'e2' (actors); "
        "changed 'e3' (actors) in f"
    )
