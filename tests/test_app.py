"""The command line's wiring: settings built once and injected, shared options, the registry."""

from __future__ import annotations

import ast
import importlib
import os
from pathlib import Path
from typing import Any

import pytest

from chrono.app import cli
from chrono.app.commands import COMMANDS
from chrono.app.options import FILTER_OPTIONS
from chrono.operations.querying import Filters
from tests.conftest import ROOT, Run

SAMPLE = str(Path(__file__).parent / "data" / "sample.toml")


def caught(monkeypatch: pytest.MonkeyPatch, operation: str) -> list[Any]:
    """Replace an operation by one that records its arguments, then stops the run with Ctrl-C."""
    calls: list[Any] = []

    def record(*args: Any, **kwargs: Any) -> None:
        calls.append((args, kwargs))
        raise KeyboardInterrupt

    monkeypatch.setattr(operation, record)
    return calls


@pytest.mark.parametrize(
    ("args", "env", "enabled"),
    [
        (("list",), {}, True),
        (("--no-cache", "list"), {}, False),
        (("list", "--no-cache"), {}, False),
        (("list",), {"CHRONO_NO_CACHE": "1"}, False),
        (("list",), {"CHRONO_NO_CACHE": "0"}, True),
    ],
)
def test_no_cache_before_or_after_the_command_name_reaches_the_operation(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    env: dict[str, str],
    enabled: bool,
) -> None:
    """--no-cache is a setting of the run wherever it is given; the operation gets it."""
    calls = caught(monkeypatch, "chrono.operations.querying.answer")
    assert run(*args, "-f", SAMPLE, env=env).exit_code == 130
    [(positional, _)] = calls
    assert positional[2].cache.enabled is enabled
    assert positional[2].freeze is False  # an in-process run is not short-lived
    assert positional[2].today.isoformat() == "2026-11-25"  # CHRONO_TODAY, read at start


def test_settings_are_built_once_a_run(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second look at the settings in the same run gets the one Settings already read."""
    from chrono.app import settings as settings_module

    built: list[object] = []
    real = settings_module.from_environment

    def counting(*args: Any, **kwargs: Any) -> Any:
        built.append(real(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr(settings_module, "from_environment", counting)
    seen: list[object] = []

    def answer(*args: Any, **kwargs: Any) -> None:
        from typer._click.globals import get_current_context

        from chrono.app.options import settings_of

        seen.append(settings_of(get_current_context()))
        raise KeyboardInterrupt

    monkeypatch.setattr("chrono.operations.querying.answer", answer)
    assert run("list", "-f", SAMPLE).exit_code == 130
    assert len(built) == 1 and seen == built and seen[0] is built[0]


def test_a_bad_today_fails_the_command_not_its_help(run: Run) -> None:
    """CHRONO_TODAY is read when a command starts: --help still works without it."""
    env = {"CHRONO_TODAY": "someday"}
    assert run("list", "--help", env=env).exit_code == 0
    result = run("list", "-f", SAMPLE, env=env)
    assert (result.exit_code, result.stderr) == (
        2,
        "chrono: error: CHRONO_TODAY='someday' is not an ISO date (YYYY-MM-DD)\n",
    )


FILTERS = ("-a", "putin", "-a", "Witkoff", "--any-actor", "--on", "2025", "--from", "2025-02",
           "--to", "2025-12", "-t", "ukraine", "-k", "meeting", "-k", "call", "-l", "Moscow",
           "-s", "talks", "-n", "2", "--reverse")  # fmt: skip


@pytest.mark.parametrize(
    ("command", "operation", "position"),
    [(("list",), "chrono.operations.querying.answer", 1),
     (("export", "md"), "chrono.operations.exporting.export", 2)],
)  # fmt: skip
def test_list_and_export_take_the_same_filters_as_one_bundle(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
    operation: str,
    position: int,
) -> None:
    """Every filter option arrives in one Filters, repeated options as tuples."""
    calls = caught(monkeypatch, operation)
    assert run(*command, "-f", SAMPLE, *FILTERS).exit_code == 130
    assert calls[0][0][position] == Filters(
        actor=("putin", "Witkoff"), any_actor=True, on="2025", since="2025-02", until="2025-12",
        tag=("ukraine",), kind=("meeting", "call"), location=("Moscow",), search="talks",
        limit=2, reverse=True,
    )  # fmt: skip


def test_no_filter_given_is_the_empty_bundle(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without filters the operation gets Filters() itself: () for lists, None, False."""
    calls = caught(monkeypatch, "chrono.operations.querying.answer")
    run("list", "-f", SAMPLE)
    assert calls[0][0][1] == Filters()


def test_each_filter_option_is_a_field_of_the_bundle_in_both_commands(run: Run) -> None:
    """FILTER_OPTIONS and Filters name the same filters, and both commands show them all."""
    assert [name for name, _, _ in FILTER_OPTIONS] == list(Filters._fields)
    for command in (("list",), ("export", "md")):
        shown = run(*command, "--help").stdout
        assert all(f"--{flag}" in shown for flag in ("actor", "any-actor", "from", "reverse"))


def test_a_run_leaves_the_environment_as_it_was(run: Run, tmp_path: Path) -> None:
    """No command writes os.environ (which is why the run fixture no longer restores it)."""
    before = dict(os.environ)
    commands = [("list", "-f", SAMPLE), ("--no-cache", "show", "-f", SAMPLE, "feb"),
                ("export", "md", "-f", SAMPLE), ("actors", "-f", SAMPLE),
                ("init", str(tmp_path / "new.toml")), ("cache", "path", "-f", SAMPLE)]  # fmt: skip
    for args in commands:
        assert run(*args).exit_code == 0, args
    assert dict(os.environ) == before


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_registered_module_declares_its_command(name: str) -> None:
    """A registry line names a module whose own `commands` declares that command."""
    declared = importlib.import_module(COMMANDS[name]).commands
    names = [cli._name(info) for info in declared.registered_commands]
    names += [group.name for group in declared.registered_groups]
    assert name in names


LOWER = ["core", "storage", "output", "operations", "export"]


@pytest.mark.parametrize("layer", LOWER)
def test_no_layer_below_the_command_line_imports_it_or_typer(layer: str) -> None:
    """Imports go one way: nothing under core, storage, output, operations or export
    imports chrono.app, typer or click."""
    for path in sorted((ROOT / "src" / "chrono" / layer).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert not name.startswith(("chrono.app", "typer", "click")), (path, name)


@pytest.mark.parametrize("command", ["list", "export", "show", "check", "actors", "cache path"])
def test_a_commands_help_reads_no_log_and_imports_no_core_model(command: str) -> None:
    """`chrono COMMAND --help` loads neither the model, the reading operation nor rich."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "chrono", *command.split(), "--help"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()}
    assert not imported & {
        "chrono.core.model",
        "chrono.core.query",
        "chrono.operations.reading",
        "chrono.storage.store",
        "chrono.storage.index",
        "rich",
    }


def test_a_run_reads_the_environment_it_is_started_with(monkeypatch: pytest.MonkeyPatch) -> None:
    """cli.run(args, Start(environ, short_lived)): that mapping, not os.environ, is the run's."""
    from chrono.app.settings import Start

    calls = caught(monkeypatch, "chrono.operations.querying.answer")
    environ = {"CHRONO_TODAY": "2001-02-03", "CHRONO_NO_CACHE": "1", "CHRONO_FILE": SAMPLE}
    assert cli.run(["list"], Start(environ, short_lived=True)) == 130
    [(positional, _)] = calls
    path, _, reading = positional
    assert (str(path), reading.today.isoformat()) == (SAMPLE, "2001-02-03")
    assert (reading.cache.enabled, reading.freeze) == (False, True)


@pytest.mark.parametrize(
    "args",
    [("check",), ("show", "feb"), ("actors",), ("actors", "--pairs"), ("cache", "path")],
)
def test_a_bad_today_fails_only_the_commands_that_need_today(
    run: Run, args: tuple[str, ...]
) -> None:
    """check, show, actors and cache never read today: a bad CHRONO_TODAY does not stop them."""
    result = run(*args, "-f", SAMPLE, env={"CHRONO_TODAY": "2026-02-30"})
    assert result.exit_code in (0, 1) and "CHRONO_TODAY" not in result.stderr, result.stderr
    assert run("list", "-f", SAMPLE, env={"CHRONO_TODAY": "2026-02-30"}).exit_code == 2


@pytest.mark.parametrize(
    ("columns", "width"),
    [("50", 50), (" 50 ", None), ("0", 0), (" 0 ", 0), ("abc", None), ("", None), (None, None)],
)
def test_columns_is_read_as_rich_reads_it(columns: str | None, width: int | None) -> None:
    """Only digits set the width; 0 (even with spaces) means the terminal's width."""
    from chrono.app.settings import from_environment

    environ = {} if columns is None else {"COLUMNS": columns}
    assert from_environment(environ).width == width


def test_a_failing_index_build_is_said_when_debugging_the_index(run: Run, tmp_path: Path) -> None:
    """CHRONO_DEBUG_INDEX=1 makes an inline build that cannot write fail with its reason."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    env = {"CHRONO_CACHE_DIR": str(blocker / "cache"), "CHRONO_DEBUG_INDEX": "1"}
    result = run("list", "--format", "ids", "-f", SAMPLE, env=env)
    assert result.exit_code == 1 and "Not a directory" in result.stderr, result.stderr
    del env["CHRONO_DEBUG_INDEX"]
    assert run("list", "--format", "ids", "-f", SAMPLE, env=env).exit_code == 0


def test_the_export_argument_takes_exactly_the_registered_formats() -> None:
    """The FORMAT choices are the registry's formats, each with an exporter module."""
    from chrono import export as exporters
    from chrono.app.commands.export import ExportFormat
    from chrono.formats import FORMATS

    assert [f.value for f in ExportFormat] == list(FORMATS)
    for name in FORMATS:
        assert callable(exporters.get(name).render)
