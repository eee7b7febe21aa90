"""The one exception type of the core, and the exit codes the CLI maps it to."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented exit statuses (data and input codes follow sysexits.h)."""

    OK = 0
    NOT_FOUND = 1
    USAGE = 2
    DATA = 65
    NO_INPUT = 66
    UNAVAILABLE = 69
    CANNOT_CREATE = 73
    IO_ERROR = 74  # writing the output failed: a full disk, a closed stdout, a cache that cannot be changed
    INTERRUPTED = 130
    BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports when the reader of a pipe goes away


class AzpakError(Exception):
    """An expected failure: a message for the user and the exit code that goes with it."""

    exit_code: ExitCode = ExitCode.DATA

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: list[str] = details or []


class NotFoundError(AzpakError):
    """A named person, organisation, sector, country, topic or id does not exist."""

    exit_code = ExitCode.NOT_FOUND


class AmbiguousNameError(NotFoundError):
    """A name matches several entities where one is needed."""


class UsageError(AzpakError):
    """An option value that cannot be used (a bad date, an unknown kind)."""

    exit_code = ExitCode.USAGE


class DataError(AzpakError):
    """A fact file that is invalid."""

    exit_code = ExitCode.DATA


class NoInputError(AzpakError):
    """A fact file or directory that does not exist or cannot be read."""

    exit_code = ExitCode.NO_INPUT


class ExternalToolError(AzpakError):
    """A program azpak needs for this request (Graphviz's ``dot``) is missing or failed: exit 69."""

    exit_code = ExitCode.UNAVAILABLE


class CannotWriteError(AzpakError):
    """An ``--output`` file cannot be written: exit 73."""

    exit_code = ExitCode.CANNOT_CREATE


class OutputError(AzpakError):
    """Output could not be written (a full disk, a closed stdout) or a file could not be changed: exit 74."""

    exit_code = ExitCode.IO_ERROR
