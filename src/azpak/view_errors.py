"""Errors of the drawing commands that the core's exit codes do not cover (codes from sysexits.h)."""

from __future__ import annotations

from azpak.errors import AzpakError, ExitCode


class ExternalToolError(AzpakError):
    """A program azpak needs for this request (Graphviz's ``dot``) is missing or failed: exit 69."""

    exit_code = ExitCode.UNAVAILABLE


class CannotWriteError(AzpakError):
    """An ``--output`` file cannot be written: exit 73."""

    exit_code = ExitCode.CANNOT_CREATE
