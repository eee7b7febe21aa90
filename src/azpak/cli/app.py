"""The azpak application: every command by name, each built only when it runs, behind one error boundary."""

import importlib
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from azpak import __version__

#: Every command, in the order ``--help`` lists them: the module that defines it, and the line
#: ``--help`` shows for it (the first paragraph of its own help; a test keeps the two equal).
#: Listing the commands builds none of them: start-up is latency.
COMMANDS: dict[str, tuple[str, str]] = {
    "events": ("azpak.cli.lookup", "List events in date order; filters combine with AND."),
    "who": ("azpak.cli.lookup", "A person's profile: aliases, country, roles, events and statements."),
    "org": ("azpak.cli.lookup", "An organisation's profile: acronyms, country, kind, events, people, statements."),
    "sector": ("azpak.cli.lookup", "A sector with its events and statements."),
    "people": (
        "azpak.cli.lookup",
        "List people, with their roles and how many events and statements they appear in.",
    ),
    "orgs": ("azpak.cli.lookup", "List organisations, with how many events they appear in."),
    "sectors": ("azpak.cli.lookup", "List sectors (the controlled vocabulary), with event and statement counts."),
    "countries": ("azpak.cli.lookup", "List countries, with event and statement counts."),
    "topics": ("azpak.cli.lookup", "List topics that are not sectors (the Garabagh conflict, Kashmir…)."),
    "quotes": (
        "azpak.cli.lookup",
        "Statements: positions, pledges and claims, as quotes, paraphrases, press releases or assessments.",
    ),
    "search": ("azpak.cli.lookup", "Every record of any kind whose text, names or aliases contain all the words."),
    "show": (
        "azpak.cli.lookup",
        "One record in full: for a fact, every citation with its publisher, date, title, address and what it says;"
        " for a source, the records citing it.",
    ),
    "sources": (
        "azpak.cli.lookup",
        "Where the facts come from: publisher, date, language, address, and how many records cite each source.",
    ),
    "followups": ("azpak.cli.lookup", "What became of each announced or planned event and each pledge."),
    "stats": (
        "azpak.cli.lookup",
        "What the fact base covers: years, counts, sources by publisher and language, corroboration, open questions.",
    ),
    "timeline": (
        "azpak.cli.drawing",
        "Events on a timeline, by year and month, with their days drawn; same filters as `events`.",
    ),
    "graph": (
        "azpak.cli.drawing",
        "Who is linked to whom: people, organisations and countries, linked by events, statements and roles.",
    ),
    "export": (
        "azpak.cli.drawing",
        "Events as a calendar file to import into a calendar program; same filters as `events`.",
    ),
    "validate": (
        "azpak.cli.facts",
        "Check fact files and report every problem, one per line: file:line:column: path: what is wrong.",
    ),
    "schema": ("azpak.cli.facts", "Print the JSON Schema of a fact file, for editors that validate YAML as you type."),
    "cache": ("azpak.cli.cache", "The compiled index of the fact files: where it is, and clearing it."),
}


def build_command(name: str) -> Any:
    """The click command for ``name``, built from the ``commands`` Typer of the module that defines it.

    A module whose Typer is itself named ``name`` (``cache``) becomes a group of its commands.
    """
    from azpak.cli.options import declare_options

    commands: typer.Typer = importlib.import_module(COMMANDS[name][0]).commands
    if commands.info.name == name:
        for info in commands.registered_commands:
            declare_options(info.callback)  # type: ignore[arg-type]
        group = typer.main.get_group(commands)
        group.name = name
        return group
    for info in commands.registered_commands:
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:  # type: ignore[union-attr]
            declare_options(info.callback)  # type: ignore[arg-type]
            return typer.main.get_command_from_info(info, pretty_exceptions_short=False, rich_markup_mode=None)
    raise LookupError(f"{COMMANDS[name][0]} defines no command {name!r}")


class ErrorBoundary(TyperGroup):
    """The one place the core's errors become a message and an exit code, for every command and subcommand.

    A command needs no decorator of its own for this: whatever it raises passes through here.
    It also lists the commands from ``COMMANDS`` and builds one only when it is asked for.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        added = [name for name in super().list_commands(ctx) if name not in COMMANDS]
        return [*COMMANDS, *added]

    def get_command(self, ctx: Any, name: str) -> Any:
        command = super().get_command(ctx, name)
        if command is None and name in COMMANDS:
            command = build_command(name)
            self.add_command(command, name)
        return command

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """The command named first in ``args``; a misspelt one gets the closest names, built or not."""
        try:
            return super().resolve_command(ctx, args)
        except Exception as error:  # click's UsageError for a name that is no command
            message = getattr(error, "message", None)
            if isinstance(message, str) and args and "Did you mean" not in message:
                from difflib import get_close_matches

                matches = get_close_matches(args[0], self.list_commands(ctx))
                if matches:
                    error.message = f"{message.rstrip('.')}. Did you mean {', '.join(map(repr, matches))}?"  # type: ignore[attr-defined]
            raise

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list of ``--help``, from ``COMMANDS``: no command is built to list them."""
        from typer.core import TyperCommand

        listed: list[Any] = [TyperCommand(name, help=summary) for name, (_, summary) in COMMANDS.items()]
        for name in self.list_commands(ctx)[len(COMMANDS) :]:
            command = super().get_command(ctx, name)
            if command is not None and not command.hidden:
                listed.append(command)
        limit = formatter.width - 6 - max(len(command.name or "") for command in listed)
        with formatter.section("Commands"):
            formatter.write_dl([(command.name or "", command.get_short_help_str(limit)) for command in listed])

    def invoke(self, ctx: Any) -> Any:
        from azpak.cli.streams import guarded

        return guarded(lambda: TyperGroup.invoke(self, ctx))


app = typer.Typer(
    name="azpak",
    cls=ErrorBoundary,
    help=(
        "Facts on Azerbaijan–Pakistan relations, from a curated and sourced fact base.\n\n"
        "Examples:\n\n"
        "  azpak events --year 2025\n\n"
        '  azpak who "Vugar Mustafayev"\n\n'
        "  azpak events --sector defence --format json\n\n"
        "  azpak org SOCAR"
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain help: Rich-formatted help imports Rich and its markdown stack, doubling the cost of --help.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"azpak {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", help="Print the version and exit.", callback=_version_callback, is_eager=True),
    ] = False,
) -> None:
    """Facts on Azerbaijan–Pakistan relations."""


def main() -> None:
    """Console entry point: run the app; Ctrl-C exits 130 quietly."""
    # Imported here, not at the top: ``--help`` needs neither (start-up is latency).
    from azpak.cli.streams import interrupted, io_error, prepare_stderr, prepare_stdout, silence_stdout, stderr
    from azpak.errors import ExitCode, UsageError

    try:
        prepare_stdout()
        prepare_stderr()
        app()
    except KeyboardInterrupt:
        interrupted()
        sys.exit(int(ExitCode.INTERRUPTED))
    except BrokenPipeError:  # outside a command: --help, --version
        silence_stdout()
        sys.exit(int(ExitCode.BROKEN_PIPE))
    except OSError as error:  # outside a command: --help or --version on a full disk or a closed stdout
        failure = io_error(error)
        stderr(f"azpak: {failure.message}")
        sys.exit(int(failure.exit_code))
    except UsageError as error:  # pragma: no cover - commands catch their own
        raise SystemExit(int(error.exit_code)) from None
