"""The ``chrono`` process: what happens before the command line loads and after it answers.

Every run's status is decided by the exit-status table (``app/status.py``): its command
returns one, or what is raised is mapped there, by the command line for what is raised
inside it and here for what is raised while it loads (Ctrl-C at start-up). This module
only adds the status of output lost at the very end: :attr:`ExitStatus.LOST_OUTPUT`.

Before: a warm query or an ``add`` on a big log spends most of its time hashing the
log, the proof that the derived index describes its bytes. For the commands that read
through the index, that hash starts here, before the ~40 ms it takes to load the CLI.
It is only a head start: a command uses it only if it hashed the very file the command
opens, and the index is trusted only if the file's stat at that moment matches too
(``add`` checks again under its lock); otherwise the command hashes afresh.

After: the answer is flushed and the exit handlers run (they start the detached index
build), then the process ends without tearing down every imported module, ~15 ms that
nobody waits for: chrono has closed and synced every file it wrote by then. Under a
profiler, debugger or coverage tool the process ends the usual way.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from chrono.app.status import ExitStatus, ending


def main() -> NoReturn:
    """Run chrono on ``sys.argv`` and exit with its status."""
    try:
        status = _run()
    except BaseException as exc:  # Ctrl-C while chrono starts; a bug is raised again
        status = ending(exc, sys.stderr)
    finally:
        early = sys.modules.get("chrono.storage.fingerprint")
        if early is not None:
            early.cancel_early()  # no thread outlives the command (the index build forks)
    _exit(status)


def _run() -> int:
    """Start the head-start hash, then the command line; the status it ends with."""
    _guard_closed_streams()
    _replace_what_cannot_be_encoded()
    try:
        log = indexed_log(sys.argv[1:], os.environ, Path.cwd())
        if log is not None:  # only then: --help, check and init never load the hasher
            from chrono.storage import fingerprint  # noqa: PLC0415

            fingerprint.hash_early(log, keep=sys.argv[1] in IN_PLACE)
    except Exception:  # noqa: S110 - only a head start: commands hash the log if need be
        pass
    from chrono.app.cli import run  # noqa: PLC0415
    from chrono.app.settings import Start  # noqa: PLC0415

    # The process ends with the run: its model lives until it exits (see storage.files.no_gc).
    return run(sys.argv[1:], Start(os.environ, short_lived=True))


def _guard_closed_streams() -> None:
    """Run sanely when started with stdin, stdout or stderr closed (``chrono list >&-``).

    The closed descriptors are held on /dev/null so that no file chrono opens becomes its
    "stdout"; messages for a closed stderr go nowhere; output for a closed stdout fails as
    a write error would ("Bad file descriptor"), so a query says its answer was lost.
    """
    if sys.stdin is not None and sys.stdout is not None and sys.stderr is not None:
        return
    while True:  # the lowest free descriptor: 0, 1 or 2 while one of them is closed
        fd = os.open(os.devnull, os.O_RDWR)
        if fd > 2:
            os.close(fd)
            break
    if sys.stdin is None:  # `chrono add <&-`: nothing to read, as from /dev/null
        sys.stdin = Path(os.devnull).open()  # noqa: SIM115 - lives as long as chrono
    if sys.stderr is None:
        sys.stderr = Path(os.devnull).open("w")  # noqa: SIM115 - lives as long as chrono
    if sys.stdout is None:
        sys.stdout = _closed_stream()


def _replace_what_cannot_be_encoded() -> None:
    """On a terminal or pipe that is not UTF-8 (``PYTHONIOENCODING=ascii``, an old console),
    a character it cannot show is written as ``?`` instead of ending chrono with a traceback.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def _closed_stream() -> TextIO:
    """A text stream whose every write fails with EBADF, as a closed stdout does."""
    import errno  # noqa: PLC0415
    import io  # noqa: PLC0415

    class Closed(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data: object) -> int:
            raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    return io.TextIOWrapper(io.BufferedWriter(Closed()), write_through=True)


INDEXED = frozenset({"list", "show", "actors", "export", "add", "set", "rm", "edit"})  # indexed
IN_PLACE = frozenset({"set", "rm"})  # change the log through the index: the bytes hashed kept


def indexed_log(args: Sequence[str], environ: Mapping[str, str], cwd: Path) -> Path | None:
    """The log a command line would read through the index, or None.

    A guess made before the options are parsed (``chrono list ... -f PATH``); a wrong
    guess costs a wasted hash, never a wrong answer.
    """
    if not args or args[0] not in INDEXED or environ.get("CHRONO_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = None
    rest = list(args[1:])
    for i, arg in enumerate(rest):
        if arg == "--":
            break
        if arg in ("--help", "-h", "--no-cache"):
            return None
        if arg in ("-f", "--file") and i + 1 < len(rest):
            explicit = rest[i + 1]
        elif arg.startswith("--file="):
            explicit = arg.removeprefix("--file=")
        elif arg.startswith("-f") and len(arg) > 2:
            explicit = arg[2:]
    if explicit is None:
        explicit = environ.get("CHRONO_FILE") or None
    from chrono.operations.reading import discover  # noqa: PLC0415 - not for --help

    log = discover(explicit, cwd)
    log = log if log.is_absolute() else cwd / log
    return log.resolve() if log.is_file() else None


def _exit(status: int) -> NoReturn:
    """Flush, run the exit handlers, and end the process with ``status`` (as ``sys.exit`` would)."""
    import atexit  # noqa: PLC0415

    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)  # a profiler, debugger or coverage tool wants to see the end
    status = _flush(status)
    atexit._run_exitfuncs()
    os._exit(_flush(status))


def _flush(status: int) -> int:
    """Flush stdout and stderr; the status, or LOST_OUTPUT (as Python's own exit) if output
    was lost then."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away (``| head``): chrono stops quietly
            pass
        except (OSError, ValueError):  # a full disk, say: the answer is not all there
            status = status or ExitStatus.LOST_OUTPUT
    return status
