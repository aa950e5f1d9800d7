"""``chrono edit``: one event's TOML block opened in the user's editor, checked, then written."""

from typing import TYPE_CHECKING, Annotated

import typer

from chrono.app import options, terminal
from chrono.app.commands.amend import ChangeFormat, DryRunOption, FormatOption, say_changed
from chrono.app.options import examples, settings_of, with_filters
from chrono.app.status import ExitStatus
from chrono.app.terminal import stdin_is_tty

if TYPE_CHECKING:
    from pathlib import Path

    from chrono.app.settings import Settings
    from chrono.operations.querying import Filters
    from chrono.operations.rewriting import Block

commands = typer.Typer()


@commands.command(
    "edit",
    epilog=examples(
        "chrono edit 2026-01-22-putin-witkoff",
        "chrono edit 2026-01-22          # a unique start of an id is enough",
        "EDITOR=nano chrono edit 2026-01-22-putin",
        "chrono edit --all-matching -a Witkoff --on 2026-01   # every event list would show",
        "chrono edit 2026-01-22 --dry-run   # the change as a diff; nothing written",
    ),
)
@with_filters
def edit(
    ctx: typer.Context,
    event_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="The event's id, or the start of exactly one id (not with --all-matching).",
            autocompletion=options.complete_id,
        ),
    ] = None,
    *,
    all_matching: Annotated[
        bool,
        typer.Option(
            "--all-matching",
            help="Edit every event the filters select (as 'chrono list' does), in file order.",
        ),
    ] = False,
    dry_run: DryRunOption = False,
    fmt: FormatOption = ChangeFormat.text,
    file: options.FileOption = None,
    no_cache: options.NoCacheOption = False,
    filters: "Filters",  # the filter options (with_filters), for --all-matching
) -> ExitStatus:
    """Edit one event's TOML block in $CHRONO_EDITOR, else $VISUAL, else $EDITOR, else vi.

    The block is the event's table with the comment lines above it. When the editor exits,
    the text is checked: an error is shown with its line in the edited text, and on a
    terminal you choose to edit again or to discard; nothing is written from a broken edit,
    and what you typed is never lost (a discarded edit, or one the log changed under, is
    kept in a file whose path is said). Saving without a change writes nothing.

    With --all-matching, the blocks of every event the filters select are edited as one
    text; the blocks changed are written in one transaction. With --dry-run the change is
    printed as a diff of the file, nothing is written, and your text is kept.
    """
    from chrono.operations import rewriting  # noqa: PLC0415

    settings = settings_of(ctx)
    path = terminal.opened(settings.log_path(file))
    blocks = _blocks(path, event_id, all_matching, filters, settings)
    draft = _draft(blocks)
    while True:
        text = _edited(settings, draft)
        try:
            edited = _changes(blocks, text, str(draft))
            if not edited:
                _discard(draft)
                named = (
                    repr(blocks[0].event_id) if len(blocks) == 1 else f"the {len(blocks)} events"
                )
                terminal.note(f"no change to {named}: nothing written")
                return ExitStatus.OK
            changed = rewriting.rewrite_all(
                path, edited, settings.cache, str(draft), dry_run=dry_run
            )
        except Exception as exc:
            from chrono.core.errors import ChronoError, LogError  # noqa: PLC0415

            if not isinstance(exc, ChronoError):
                terminal.note(f"your text is kept in {draft}")
                raise
            for line in exc.lines() if isinstance(exc, LogError) else [str(exc)]:
                terminal.say(line)
            if isinstance(exc, LogError) and stdin_is_tty() and _again():
                continue
            terminal.note(f"nothing written; your text is kept in {draft}")
            return ExitStatus.ERROR
        if dry_run:  # what was typed is kept: nothing was written from it
            terminal.note(f"your text is kept in {draft}")
        else:
            _discard(draft)
        say_changed(changed, fmt, dry_run)
        return ExitStatus.OK


def _blocks(
    path: "Path", event_id: str | None, all_matching: bool, filters: "Filters",
    settings: "Settings",
) -> "list[Block]":  # fmt: skip
    """The blocks to edit: the event named, or every one the filters select."""
    from chrono.core.errors import UsageError  # noqa: PLC0415
    from chrono.operations import rewriting  # noqa: PLC0415
    from chrono.operations.querying import Filters  # noqa: PLC0415

    if all_matching == (event_id is not None):
        raise UsageError("name one event (ID), or edit those the filters select (--all-matching)")
    if not all_matching:
        if filters != Filters():
            raise UsageError("the filters choose events for --all-matching; give one or the other")
        return [rewriting.block_of(path, str(event_id), settings.cache)]
    blocks = rewriting.matching(path, filters, settings.reading(), terminal.note)
    if not blocks:
        raise UsageError("no event matches the filters: nothing to edit")
    return blocks


def _changes(blocks: "list[Block]", text: str, shown: str) -> "list[tuple[Block, str, int]]":
    """Each block whose text the user changed, with that text and its first line."""
    from chrono.operations import rewriting  # noqa: PLC0415

    if len(blocks) == 1:  # the text is the block's: one table, checked as such
        return [] if text == blocks[0].text else [(blocks[0], text, 1)]
    parts = rewriting.split(text, blocks, shown)
    return [(b, t, first) for b, (first, t) in zip(blocks, parts, strict=True) if t != b.text]


def _draft(blocks: "list[Block]") -> "Path":
    """A private file holding the blocks, named after the event (or ``matching``), for the
    editor."""
    import tempfile  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from chrono.operations.rewriting import joined  # noqa: PLC0415

    folder = Path(tempfile.mkdtemp(prefix="chrono-edit-"))
    name = blocks[0].event_id[:100] if len(blocks) == 1 else "matching"
    draft = folder / f"{name}.toml"
    draft.write_text(joined(blocks), encoding="utf-8")
    return draft


def _discard(draft: "Path") -> None:
    """Remove the draft and its private folder (the edit is written, or there was none)."""
    draft.unlink()
    draft.parent.rmdir()


def _edited(settings: "Settings", draft: "Path") -> str:
    """What the editor leaves in ``draft`` (run as git runs its editor: by the shell, with
    the file's name after the command line)."""
    import subprocess  # noqa: PLC0415

    from chrono.core.errors import WriteError  # noqa: PLC0415

    command = settings.editor
    try:
        done = subprocess.run(
            ["sh", "-c", f'{command} "$@"', command, str(draft)], env=dict(settings.environ),
            check=False,
        )  # fmt: skip
    except OSError as exc:
        raise WriteError(f"cannot start the editor {command!r}: {exc.strerror or exc}; "
                         f"nothing written; the event's text is in {draft}") from None  # fmt: skip
    if done.returncode != 0:
        raise WriteError(f"the editor {command!r} exited with status {done.returncode}; "
                         f"nothing written; your text is kept in {draft}")  # fmt: skip
    return draft.read_text(encoding="utf-8", errors="replace")


def _again() -> bool:
    """Whether to edit again (else the edit is discarded, and kept in its file)."""
    try:
        return typer.confirm("Edit again?", default=True, err=True)
    except typer.Abort:
        return False
