"""``chrono edit``: one event's TOML block opened in the user's editor, checked, then written."""

from typing import TYPE_CHECKING

import typer

from chrono.app import options, terminal
from chrono.app.commands.amend import ChangeFormat, FormatOption, IdArgument, say_changed
from chrono.app.options import examples, settings_of
from chrono.app.status import ExitStatus
from chrono.app.terminal import stdin_is_tty

if TYPE_CHECKING:
    from pathlib import Path

    from chrono.app.settings import Settings
    from chrono.operations.rewriting import Block

commands = typer.Typer()


@commands.command(
    "edit",
    epilog=examples(
        "chrono edit 2026-01-22-putin-witkoff",
        "chrono edit 2026-01-22          # a unique start of an id is enough",
        "EDITOR=nano chrono edit 2026-01-22-putin",
    ),
)
def edit(
    ctx: typer.Context,
    event_id: IdArgument,
    fmt: FormatOption = ChangeFormat.text,
    file: options.FileOption = None,
    no_cache: options.NoCacheOption = False,
) -> ExitStatus:
    """Edit one event's TOML block in $CHRONO_EDITOR, else $VISUAL, else $EDITOR, else vi.

    The block is the event's table with the comment lines above it. When the editor exits,
    the text is checked: an error is shown with its line in the edited text, and on a
    terminal you choose to edit again or to discard; nothing is written from a broken edit,
    and what you typed is never lost (a discarded edit, or one the log changed under, is
    kept in a file whose path is said). Saving without a change writes nothing.
    """
    from chrono.operations import rewriting  # noqa: PLC0415

    settings = settings_of(ctx)
    path = terminal.opened(settings.log_path(file))
    block = rewriting.block_of(path, event_id, settings.cache)
    draft = _draft(block)
    while True:
        text = _edited(settings, draft)
        if text == block.text:
            _discard(draft)
            terminal.note(f"no change to {block.event_id!r}: nothing written")
            return ExitStatus.OK
        try:
            changed = rewriting.rewrite(path, block, text, settings.cache, str(draft))
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
        _discard(draft)
        say_changed(changed, fmt, dry_run=False)
        return ExitStatus.OK


def _draft(block: "Block") -> "Path":
    """A private file holding the block, named after the event, for the editor."""
    import tempfile  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    folder = Path(tempfile.mkdtemp(prefix="chrono-edit-"))
    draft = folder / f"{block.event_id[:100]}.toml"
    draft.write_text(block.text, encoding="utf-8")
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
