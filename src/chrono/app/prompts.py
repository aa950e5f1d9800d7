"""Interactive ``chrono add``: each field asked for on the terminal, each answer checked as typed.

A bad date, an end before the start, or an actor the registry does not know is said at
once and asked again; an unknown actor may be kept as a new one. Actors and tags are
comma-separated; sources are asked one a line, so a citation keeps its commas.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

from chrono.app import terminal
from chrono.app.status import Declined

if TYPE_CHECKING:
    from collections.abc import Callable

    from chrono.operations.adding import Typed

    CheckActors = Callable[[list[str], frozenset[str]], None]
    CheckEnd = Callable[[str, str], None]


def split(text: str) -> list[str]:
    """The comma-separated parts of an answer, stripped, blanks dropped."""
    return [part.strip() for part in text.split(",") if part.strip()]


def asked(typed: Typed, today: dt.date, check_actors: CheckActors, check_end: CheckEnd) -> Typed:
    """The event as typed, with the answers filling what the options left out.

    Ctrl-C or Ctrl-D says that nothing is added, and ends as the exit-status table says:
    ``KeyboardInterrupt`` for Ctrl-C, :class:`~chrono.app.status.Declined` for Ctrl-D.
    """
    _line_editing()
    try:
        answers = _ask(typed.date, today, check_actors, check_end)
    except typer.Abort as exc:
        terminal.say("\nchrono: nothing added")
        if isinstance(exc.__context__, KeyboardInterrupt):
            raise KeyboardInterrupt from None
        raise Declined from None
    return typed._replace(
        title=answers.title,
        date=answers.date,
        end=answers.end or typed.end,
        actors=typed.actors or tuple(split(answers.actors)),
        accepted=answers.accepted,
        location=typed.location or answers.location or None,
        tags=typed.tags or tuple(split(answers.tags)),
        kind=typed.kind or answers.kind or None,
        summary=typed.summary or answers.summary or None,
        sources=typed.sources or answers.sources,
    )


@dataclass
class _Answers:
    """What was answered at the prompts, as typed."""

    title: str = ""
    date: str = ""
    end: str = ""
    actors: str = ""
    accepted: frozenset[str] = frozenset()
    location: str = ""
    tags: str = ""
    kind: str = ""
    summary: str = ""
    sources: tuple[str, ...] = ()


def _ask(
    date: str | None, today: dt.date, check_actors: CheckActors, check_end: CheckEnd
) -> _Answers:
    answers = _Answers()
    while not answers.title.strip() or "\n" in answers.title:
        answers.title = _ask_text("Title", required=True)
    answers.date = date or _ask_date("Date", "today", today)
    while True:
        answers.end = _ask_date("End (for a span)", "", today)
        if not answers.end or _said(lambda: check_end(answers.date, answers.end)):
            break
    accepted: set[str] = set()  # names the registry does not know, kept as new ones
    while True:
        answers.actors = _ask_text("Actors, comma-separated")
        if _all_known(split(answers.actors), accepted, check_actors):
            break
    answers.accepted = frozenset(accepted)
    answers.location = _ask_text("Location")
    answers.tags = _ask_text("Tags, comma-separated")
    answers.kind = _ask_text("Kind (meeting, call, summit, statement ...)")
    answers.summary = _ask_text("Summary")
    sources: list[str] = []
    while source := _ask_text("Source, one a line (blank: done)").strip():
        sources.append(source)
    answers.sources = tuple(sources)
    return answers


def _line_editing() -> None:
    """Line editing and history at the prompts: arrows, Home, End, Ctrl-R, an earlier
    answer with Up. Python's ``input`` uses ``readline`` once it is loaded, where there
    is one; without it, an arrow key is refused as the control character it sends."""
    try:
        import readline  # noqa: F401, PLC0415
    except ImportError:  # pragma: no cover - Windows has no readline
        return


def prompt(question: str, default: str = "", *, required: bool = False) -> str:
    """One answer, read with line editing where stdout is a terminal (``input`` is then
    given the whole prompt, so readline redraws the line right); elsewhere the question
    goes to stderr, so that stdout holds only the command's answer. A blank answer is
    ``default``; with ``required`` a blank one is asked again. Ctrl-D or Ctrl-C:
    :class:`typer.Abort` (after Ctrl-C, from the ``KeyboardInterrupt``)."""
    import sys  # noqa: PLC0415

    text = f"{question} [{default}]: " if default else f"{question}: "
    while True:
        try:
            if sys.stdout.isatty():
                answer = input(text)
            else:
                sys.stderr.write(text)
                sys.stderr.flush()
                answer = input()
        except EOFError:
            raise typer.Abort from None
        except KeyboardInterrupt:
            raise typer.Abort  # noqa: B904 - its context says it was Ctrl-C
        if answer or not required:
            return answer or default


def confirm(question: str) -> bool:
    """A yes or no answer (blank: no), asked until it is one."""
    while True:
        answer = prompt(f"{question} [y/N]").strip().lower()
        if answer in ("", "n", "no", "y", "yes"):
            return answer in ("y", "yes")
        terminal.say("  answer y or n")


def _ask_text(question: str, *, required: bool = False) -> str:
    """An answer holding no control character (an arrow key where nothing edits lines
    sends one): said, and asked again."""
    from chrono.core.fields import control_character  # noqa: PLC0415

    while True:
        answer = prompt(question, required=required)
        what = control_character(answer)
        if what is None:
            return answer
        terminal.say(f"  that holds a {what} (an arrow key or a paste?); type plain text")


def _ask_date(question: str, default: str, today: dt.date) -> str:
    """A date that reads (asked again until it does), or blank when there is no default."""
    from chrono.core.datetext import parse_bounds  # noqa: PLC0415

    while True:
        answer = prompt(question, default)
        if not answer.strip() and not default:
            return ""
        if _said(functools.partial(parse_bounds, answer, today)):
            return answer


def _said(check: Callable[[], object]) -> bool:
    """Whether ``check`` passes; if it raises a chrono error, that is said, indented."""
    from chrono.core.errors import ChronoError  # noqa: PLC0415

    try:
        check()
    except ChronoError as exc:
        terminal.say(f"  {exc}")
        return False
    return True


def _all_known(names: list[str], accepted: set[str], check: CheckActors) -> bool:
    """Whether every name is an actor, asking of each unknown one whether to keep it as new."""
    from chrono.operations.adding import ActorError  # noqa: PLC0415

    for name in names:
        try:
            check([name], frozenset(accepted))
        except ActorError as exc:
            terminal.say(f"  {exc.reason}")
            if exc.unknown and confirm(f"  Keep {name.strip()!r} as a new actor?"):
                accepted.add(name.strip())
                continue
            return False
    return True
