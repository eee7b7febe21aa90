"""The console entry point: the azpak process around the app.

Two things shorten every run, and neither changes what a command does or writes:

- The cyclic garbage collector is off while Typer and the app load. Loading makes thousands of
  objects that live as long as the process and no garbage, so each collection it would trigger
  scans a growing heap for nothing. The loaded objects are then frozen (left out of every later
  collection) and the collector is back on before the command runs; the compile of the index
  turns it off again for itself.
- Once the output is flushed, the process ends at once. The interpreter's teardown would free
  every module and object one by one, only for the system to reclaim the memory as a whole; azpak
  registers no exit handlers, stops its progress bar's thread before a command returns or fails,
  and closes or renames every file it writes before the command returns. When something else
  waits for the exit (a coverage tool's exit handler, a profiler, a debugger) or Python was asked
  to report on the run (``-X importtime``, ``-X dev``, ``-v``), the process ends the ordinary way.

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

        gc.freeze()  # CPython: what loading made is left out of later collections
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
    """Write out what the standard streams still hold; a failure becomes a message and an exit code, as in a command."""
    from azpak.cli.streams import silence_stdout
    from azpak.errors import ExitCode

    # After a failure, what stays buffered is dropped: an ordinary exit would try to write it again.
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        return status or int(ExitCode.BROKEN_PIPE)
    except KeyboardInterrupt:  # Ctrl-C while a slow reader still holds up the output
        silence_stdout()
        _say("azpak: interrupted")
        return int(ExitCode.INTERRUPTED)
    except ValueError:  # closed by the command: nothing is left in it
        pass
    except OSError as error:
        silence_stdout()
        _say(f"azpak: cannot write the output: {error.strerror or error}")
        return status or int(ExitCode.IO_ERROR)
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        pass  # nowhere left to say it
    return status


def _reports_at_exit() -> bool:
    """Whether anything waits for the interpreter's own exit.

    An exit handler (a coverage tool's), a profiler or debugger (``python -m cProfile``, ``pdb``),
    or a report Python itself was asked for: ``-X`` options, development mode, ``-v``, warnings
    options, and the environment variables that make the interpreter report at exit.
    """
    import atexit

    watched = sys.gettrace() is not None or sys.getprofile() is not None
    asked = sys._xoptions or sys.warnoptions or sys.flags.dev_mode or sys.flags.verbose
    reporting = any(os.environ.get(name) for name in ("PYTHONPROFILEIMPORTTIME", "PYTHONMALLOCSTATS"))
    return bool(atexit._ncallbacks() or watched or asked or reporting)


def _say(line: str) -> None:
    """A line on standard error, if there is one to write to."""
    try:
        if sys.stderr is not None:
            sys.stderr.write(line + "\n")
    except (OSError, ValueError):
        pass
