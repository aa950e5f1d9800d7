"""The ``chrono`` command line: the root command, and its commands looked up by name.

Each command is a module of ``app/commands`` (see its registry); a run builds only the
command it names. How a run ends is the exit-status table's (``app/status.py``); the
process around it is ``app/main.py``.
"""

import importlib
import sys
from collections.abc import Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from chrono import __version__
from chrono.app import arguments
from chrono.app.commands import COMMANDS, SUBCOMMANDS, SUMMARIES
from chrono.app.options import ColourOption, NoCacheOption
from chrono.app.options import examples as _examples
from chrono.app.status import ExitStatus, ending
from chrono.app.terminal import safe_stream

if TYPE_CHECKING:
    from collections.abc import Iterator

    from chrono.app.settings import Start


class _LazyCommands(MutableMapping[str, Any]):
    """The subcommands by name, each imported and built into a click command when first looked up.

    Typer turns every command's signature into click parameters when the app starts; a run
    needs one command, and building all of them cost ~6 ms of every start.
    """

    def __init__(self, registry: Mapping[str, str] = COMMANDS, shared: Sequence[Any] = ()) -> None:
        self._registry = registry  # command name -> the module that declares it
        self._built: dict[str, Any] = {}
        self._shared = shared  # root options every command accepts too (--color)

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            declared = importlib.import_module(self._registry[name]).commands  # KeyError: none
            one = typer.Typer(add_completion=False, rich_markup_mode=None)
            for info in declared.registered_commands:
                if _name(info) == name:
                    if info.cls in (None, TyperCommand):  # a command of its own class keeps it
                        info.cls = _Command
                    one.registered_commands.append(info)
            one.registered_groups += [g for g in declared.registered_groups if g.name == name]
            built = typer.main.get_group(one).commands[name]
            built.params += [option for option in self._shared if option not in built.params]
            self._built[name] = built
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise KeyError(name)

    def __iter__(self) -> "Iterator[str]":
        return iter(dict.fromkeys([*self._registry, *self._built]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*self._registry, *self._built]))


class _Command(TyperCommand):
    """A command whose usage line shows its arguments as their names (``chrono show ID``),
    not as Typer's ``{ID}`` for a required one."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


def _name(info: Any) -> str:
    """A command's name: the one given, else its function's, as Typer derives it."""
    name: str = info.name or info.callback.__name__.lower().replace("_", "-")
    return name


class _ChronoGroup(TyperGroup):
    """The root command: runs one command and ends as the exit-status table says."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        shared = [p for p in self.params if p.name == "colour"]
        self.commands = _LazyCommands(shared=shared)
        self._verbs = _LazyCommands(SUBCOMMANDS, shared)  # `actors alias`: not in --help

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        """A command of two words (``actors alias``) before the one of its first word."""
        name = " ".join(args[:2])
        if name in SUBCOMMANDS:
            return name, self._verbs[name], args[2:]
        found: tuple[str | None, Any, list[str]] = super().resolve_command(ctx, args)
        return found

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """List the commands in ``--help`` from their summaries, importing none of them
        (the same rows click writes from the commands themselves)."""
        if any(name not in SUMMARIES for name in self.commands):
            super().format_commands(ctx, formatter)
            return
        limit = formatter.width - 6 - max(len(name) for name in self.commands)
        rows = [
            (name, TyperCommand(name, help=SUMMARIES[name]).get_short_help_str(limit))
            for name in self.commands
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,  # chrono's callers always give the args
        **extra: Any,
    ) -> Any:
        """Run the command line on ``args``: the status its command returns, or the one
        :func:`~chrono.app.status.ending` gives what was raised (``standalone_mode``: exit
        with it)."""
        prog_name = prog_name or "chrono"
        try:
            self._main_shell_completion(extra, prog_name, complete_var)
            words = list(sys.argv[1:] if args is None else args)
            arguments.check(words, self)  # text that is not UTF-8: said before any command
            with self.make_context(prog_name, words, **extra) as ctx:
                returned = self.invoke(ctx)
            sys.stdout.flush()  # a reader that went away is noticed here, not at exit
            status = returned if isinstance(returned, int) else ExitStatus.OK
        except BaseException as exc:  # the table raises again what it does not know
            status = ending(exc, safe_stream(sys.stderr))  # no message can drive the terminal
        if standalone_mode:
            sys.exit(int(status))
        return int(status)


app = typer.Typer(
    cls=_ChronoGroup,
    name="chrono",
    help=(
        "Keep a chronology of events in a plain TOML file and ask it questions.\n\n"
        "The log is --file PATH, else $CHRONO_FILE, else the nearest events.toml "
        "from the current directory upward."
    ),
    epilog=_examples(
        "chrono init events.toml",
        'chrono add "Putin receives Witkoff" --date 2026-01-22 -a putin -a witkoff',
        "chrono list -a Putin -a Witkoff --kind meeting",
        "chrono list --on 'January 2026'",
        "chrono show 2026-01-22-putin",
        "chrono export md -o report.md",
        "chrono check",
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def run(args: Sequence[str], start: "Start | None" = None) -> int:
    """Run the command line on ``args`` started with ``start`` (None: this process's
    environment, a long-lived process); the exit status."""
    status: int = typer.main.get_command(app).main(
        args=list(args), prog_name="chrono", standalone_mode=False, obj=start
    )
    return status


def main(*, short_lived: bool = False) -> None:
    """Run the command line on ``sys.argv`` and exit (the chrono command is app/main.py's)."""
    from chrono.app.settings import this_process  # noqa: PLC0415

    sys.exit(run(sys.argv[1:], this_process()._replace(short_lived=short_lived)))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"chrono {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help="Show chrono's version and exit.",
            callback=_version,
            is_eager=True,
        ),
    ] = False,
    no_cache: NoCacheOption = False,
    colour: ColourOption = None,
) -> None:
    """Keep a chronology of events in a plain TOML file and ask it questions."""


__all__ = ["app", "main", "run"]
