"""Standard streams and the error boundary: output that reports every failure, and errors as exit codes.

Every command's errors pass through ``guarded``: the core's one exception type, a closed pipe,
Ctrl-C and failed writes each become a line on stderr and the documented exit code.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from azpak.errors import AzpakError, ExitCode

if TYPE_CHECKING:
    from azpak.render import Format, Output, View


def stderr(message: str) -> None:
    """One line on standard error."""
    sys.stderr.write(message + "\n")


def fail(error: AzpakError) -> typer.Exit:
    """Say what went wrong on stderr (below any progress bar, now stopped); the exit that carries the error's code."""
    stop_progress()
    stderr(f"azpak: {error.message}")
    for line in error.details:
        stderr(f"  {line}")
    return typer.Exit(code=int(error.exit_code))


def guarded(call: Callable[[], Any]) -> Any:
    """Run ``call``; the core's errors, a closed pipe, Ctrl-C and write errors become a message and an exit code."""
    try:
        return call()
    except AzpakError as error:
        raise fail(error) from None
    except BrokenPipeError:
        stop_progress()
        silence_stdout()
        raise typer.Exit(code=int(ExitCode.BROKEN_PIPE)) from None
    except KeyboardInterrupt:
        interrupted()
        raise typer.Exit(code=int(ExitCode.INTERRUPTED)) from None
    except OSError as error:
        raise fail(io_error(error)) from None


def io_error(error: OSError) -> AzpakError:
    """An OSError that reached a command: output that cannot be written, or a file that cannot be changed."""
    from azpak.errors import OutputError

    reason = error.strerror or str(error)
    if error.filename is not None:
        return OutputError(f"{error.filename}: {reason}")
    silence_stdout()  # what stays buffered would fail again at exit
    return OutputError(f"cannot write the output: {reason}")


#: The progress bar on screen, if any: stopped (and its line cleared) before an interruption is reported.
ACTIVE_PROGRESS: list[Any] = []


def stop_progress() -> None:
    """Stop any progress bar on screen: its line is cleared, its thread ends, the cursor shows again."""
    while ACTIVE_PROGRESS:
        with contextlib.suppress(Exception):  # the message that follows matters more than the bar
            ACTIVE_PROGRESS.pop().stop()


def interrupted() -> None:
    """Ctrl-C: clear any progress line, then say so on a line of its own."""
    stop_progress()
    stderr("azpak: interrupted")


class _ClosedOutput(io.TextIOBase):
    """Standard output when it was closed (``>&-``): every write fails as an I/O error."""

    def write(self, text: Any) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def isatty(self) -> bool:
        return False

    @property
    def buffer(self) -> _ClosedOutput:
        return self


class _WholeWrites(io.BufferedWriter):
    """A writer that hands the OS at most one buffer at a time.

    A large write through ``io.BufferedWriter`` can return a partial count when the reader of a
    pipe goes away mid-write, and ``TextIOWrapper`` ignores it: the rest is lost and the run
    exits 0. Chunks of at most the buffer size go through the buffer, whose flush raises instead.
    """

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        size = self.buffer_size if hasattr(self, "buffer_size") else io.DEFAULT_BUFFER_SIZE
        for start in range(0, len(view), size):
            super().write(view[start : start + size])
        return len(view)


def prepare_stdout() -> None:
    """Standard output that reports every failure: a closed one, and a reader that goes away mid-write."""
    stream = sys.stdout
    if stream is None:
        with contextlib.suppress(OSError):  # keep descriptor 1 taken: no file opened later may become stdout
            os.open(os.devnull, os.O_WRONLY)
        sys.stdout = _ClosedOutput()
        return
    try:
        fd = stream.fileno()
        sys.stdout = io.TextIOWrapper(
            _WholeWrites(io.FileIO(fd, "w", closefd=False)),
            encoding=stream.encoding,
            errors=stream.errors,
            line_buffering=bool(stream.line_buffering),
        )
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test runner's stream): leave it


def prepare_stderr() -> None:
    """Standard error when it was closed (``2>&-``): messages go nowhere, and nothing fails for want of it."""
    if sys.stderr is not None:
        return
    try:
        # The lowest free descriptor (2, when only it is closed): no file opened later may become stderr.
        sys.stderr = open(os.open(os.devnull, os.O_WRONLY), "w", encoding="utf-8")  # noqa: SIM115
    except OSError:
        sys.stderr = io.StringIO()


def silence_stdout() -> None:
    """After the reader of a pipe went away: stop Python's own flush at exit from failing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def output() -> Output:
    """Standard output, with what it may use: colour (NO_COLOR, FORCE_COLOR, TERM=dumb) and width (COLUMNS)."""
    from azpak.render import Output

    stream = sys.stdout
    terminal = stream.isatty()
    term = os.environ.get("TERM", "")
    no_color = "NO_COLOR" in os.environ or term == "dumb"
    force = bool(os.environ.get("FORCE_COLOR"))
    color = (terminal and not no_color) or (force and not no_color)
    width: int | None = None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        width = int(columns)
    return Output(stream=stream, terminal=terminal, color=color, width=width)


def progress_reporter() -> Callable[[float], None] | None:
    """A progress bar on stderr for a compile that takes more than a second, on a terminal only."""
    if not sys.stderr.isatty():
        return None
    import time

    started = time.monotonic()
    state: dict[str, Any] = {}

    def report(fraction: float) -> None:
        if "bar" not in state:
            if time.monotonic() - started < 1.0 or fraction >= 1.0:
                return
            from rich.console import Console
            from rich.progress import Progress

            bar = Progress(transient=True, console=Console(stderr=True))
            bar.start()
            ACTIVE_PROGRESS.append(bar)
            state["bar"], state["task"] = bar, bar.add_task("Compiling the fact index", total=1.0)
        state["bar"].update(state["task"], completed=fraction)
        if fraction >= 1.0:
            state["bar"].stop()
            if state["bar"] in ACTIVE_PROGRESS:
                ACTIVE_PROGRESS.remove(state["bar"])

    return report


def emit(view: View, fmt: Format, empty_note: str | None = None, *, raw: bool = False, long: bool = False) -> None:
    """Render ``view`` in ``fmt`` on standard output; ``empty_note`` goes to stderr when a listing is empty."""
    from azpak.render import Listing, renderer_for

    target = output()
    target.raw = raw
    target.long = long
    renderer_for(fmt, target).render(view, target)
    target.stream.flush()
    if empty_note and isinstance(view, Listing) and not view.records:
        stderr(empty_note)
