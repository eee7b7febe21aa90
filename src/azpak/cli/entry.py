"""The console entry point: the azpak process around the app.

Two things shorten every run, and neither changes what a command does or writes:

- The cyclic garbage collector is off while Typer and the app load. Loading makes thousands of
  objects that live as long as the process and no garbage, so each collection it would trigger
  scans a growing heap for nothing. The loaded objects are then frozen (left out of every later
  collection) and the collector is back on before the command runs; the compile of the index
  turns it off again for itself.
- Once the output is flushed, the process ends at once. The interpreter's teardown would free
  every module and object one by one, only for the system to reclaim the memory as a whole; azpak
  registers no exit handlers, starts no thread that outlives a command, and closes or renames
  every file it writes before the command returns. When something else asked to run at exit (a
  coverage tool's exit handler) or Python was asked to report on the run (``-X importtime``,
  ``-X dev``), the process ends the ordinary way.

``main`` in ``azpak.cli.app`` stays an ordinary function that raises ``SystemExit``, for callers
in the same process.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn


def run() -> NoReturn:
    """Run the command line, then end the process with its exit status."""
    gc.disable()
    try:
        from azpak.cli.app import main

        gc.freeze()
        gc.enable()
        main()
        status = 0
    except SystemExit as done:
        status = exit_status(done.code)
    except KeyboardInterrupt:  # before the app's own handler is in place
        _say("azpak: interrupted")
        status = 130
    status = flushed(status)
    if _reports_at_exit():
        sys.exit(status)
    os._exit(status)


def exit_status(code: object) -> int:
    """The status ``SystemExit(code)`` ends a process with, as the interpreter reads it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    _say(str(code))
    return 1


def flushed(status: int) -> int:
    """Write out what the standard streams still hold; a failure is reported as the interpreter would not."""
    from azpak.errors import ExitCode

    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        return status or int(ExitCode.BROKEN_PIPE)
    except ValueError:  # closed by the command: nothing is left in it
        pass
    except OSError as error:
        _say(f"azpak: cannot write the output: {error.strerror or error}")
        return status or int(ExitCode.IO_ERROR)
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        pass  # nowhere left to say it
    return status


def _reports_at_exit() -> bool:
    """Whether anything waits for the interpreter's own exit: an exit handler, or a report Python was asked for."""
    import atexit

    asked = sys._xoptions or sys.flags.dev_mode or os.environ.get("PYTHONPROFILEIMPORTTIME")
    return bool(atexit._ncallbacks() or asked)


def _say(line: str) -> None:
    """A line on standard error, if there is one to write to."""
    try:
        if sys.stderr is not None:
            sys.stderr.write(line + "\n")
    except (OSError, ValueError):
        pass
