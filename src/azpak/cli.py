"""The azpak command line: parse options, ask the core, pick a renderer, map errors to exit codes."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar

import typer

from azpak import __version__
from azpak.errors import AzpakError, ExitCode, UsageError
from azpak.render import Format, Output, View, renderer_for

app = typer.Typer(
    name="azpak",
    help=(
        "Facts on Azerbaijan–Pakistan relations, from a curated and sourced fact base.\n\n"
        "Examples:\n\n"
        "  azpak events --year 2025\n\n"
        '  azpak who "Vugar Mustafayev"\n\n'
        "  azpak events --sector defence --format json\n\n"
        "  azpak org SOCAR"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])

FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        case_sensitive=False,
        help=(
            "Output format: table, json, jsonl, csv, tsv, yaml, markdown. "
            "'table' is a Rich table on a terminal, tab-separated text otherwise."
        ),
    ),
]
DataOption = Annotated[
    Optional[list[Path]],
    typer.Option(
        "--data",
        metavar="PATH",
        help="Extra fact file, or directory of *.yaml files, loaded on top of the shipped facts. Repeatable.",
        show_default=False,
    ),
]
NoDefaultOption = Annotated[
    bool, typer.Option("--no-default", help="Leave the shipped fact base out (use only --data files).")
]
YearOption = Annotated[
    Optional[str], typer.Option("--year", metavar="YYYY", help="Events overlapping year YYYY.", show_default=False)
]
MonthOption = Annotated[
    Optional[str],
    typer.Option("--month", metavar="YYYY-MM", help="Events overlapping month YYYY-MM.", show_default=False),
]
OnOption = Annotated[
    Optional[str],
    typer.Option(
        "--on", metavar="DATE", help="Events overlapping DATE (YYYY, YYYY-MM or YYYY-MM-DD).", show_default=False
    ),
]
SinceOption = Annotated[
    Optional[str], typer.Option("--since", metavar="DATE", help="Events not ending before DATE.", show_default=False)
]
UntilOption = Annotated[
    Optional[str], typer.Option("--until", metavar="DATE", help="Events not starting after DATE.", show_default=False)
]
PersonOption = Annotated[
    Optional[str],
    typer.Option("--person", metavar="NAME", help="Events with this person taking part.", show_default=False),
]
OrgOption = Annotated[
    Optional[str], typer.Option("--org", metavar="NAME", help="Events involving this organisation.", show_default=False)
]
CountryOption = Annotated[
    Optional[str], typer.Option("--country", metavar="NAME", help="Events involving this country.", show_default=False)
]
SectorOption = Annotated[
    Optional[str], typer.Option("--sector", metavar="NAME", help="Events in this sector.", show_default=False)
]
TopicOption = Annotated[
    Optional[str], typer.Option("--topic", metavar="NAME", help="Events on this topic.", show_default=False)
]
KindOption = Annotated[
    Optional[str],
    typer.Option(
        "--kind",
        metavar="KIND",
        help="Event kind: agreement, delivery, visit, meeting, consultations, announcement, statement, other.",
        show_default=False,
    ),
]
StatusOption = Annotated[
    Optional[str],
    typer.Option("--status", metavar="STATUS", help="Event status: occurred, announced, planned.", show_default=False),
]
TextOption = Annotated[
    Optional[str],
    typer.Option("--text", metavar="WORDS", help="Events whose text contains all these words.", show_default=False),
]


def _stderr(message: str) -> None:
    sys.stderr.write(message + "\n")


def _fail(error: AzpakError) -> typer.Exit:
    _stderr(f"azpak: {error.message}")
    for line in error.details:
        _stderr(f"  {line}")
    return typer.Exit(code=int(error.exit_code))


def handles_errors(command: F) -> F:
    """Turn the core's errors into a message on stderr and the documented exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except AzpakError as error:
            raise _fail(error) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(code=141) from None

    return wrapper  # type: ignore[return-value]


def _silence_stdout() -> None:
    """After the reader of a pipe went away: stop Python's own flush at exit from failing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _output() -> Output:
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


def _extra_paths(data: list[Path] | None) -> list[Path]:
    paths = [Path(p) for p in os.environ.get("AZPAK_DATA", "").split(os.pathsep) if p]
    return paths + list(data or [])


def _load(data: list[Path] | None, no_default: bool) -> Any:
    from azpak.loading import load_fact_base

    return load_fact_base(_extra_paths(data), include_default=not no_default)


def _emit(view: View, fmt: Format, empty_note: str | None = None) -> None:
    from azpak.render import Listing

    output = _output()
    renderer_for(fmt, output).render(view, output)
    output.stream.flush()
    if empty_note and isinstance(view, Listing) and not view.records:
        _stderr(empty_note)


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


@app.command()
@handles_errors
def events(
    year: YearOption = None,
    month: MonthOption = None,
    on: OnOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    person: PersonOption = None,
    org: OrgOption = None,
    country: CountryOption = None,
    sector: SectorOption = None,
    topic: TopicOption = None,
    kind: KindOption = None,
    status: StatusOption = None,
    text: TextOption = None,
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
) -> None:
    """List events in date order; filters combine with AND.

    An event matches a date filter when the days it covers overlap the filter's
    days: 2024-09 matches --year 2024, --month 2024-09 and --on 2024-09-30.

    Examples:

      azpak events --year 2025

      azpak events --sector defence --format json

      azpak events --person Sharif --status announced

      azpak events --since 2025-01-20 --until 2025-01-31
    """
    from azpak.query import build_event_filter, filter_events
    from azpak.views import listing

    base = _load(data, no_default)
    spec = build_event_filter(
        base,
        year=year,
        month=month,
        on=on,
        since=since,
        until=until,
        person=person,
        org=org,
        country=country,
        sector=sector,
        topic=topic,
        kind=kind,
        status=status,
        text=text,
    )
    _emit(listing(base, "event", list(filter_events(base, spec))), fmt, "azpak: no events match.")


@app.command()
@handles_errors
def who(
    name: Annotated[str, typer.Argument(help="Full name, surname, alias or id.", show_default=False)],
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
) -> None:
    """A person's profile: aliases, country, roles, events and statements.

    Examples:

      azpak who "Vugar Mustafayev"

      azpak who mustafayev --format json
    """
    from azpak.query import find_entity
    from azpak.views import person_profile

    base = _load(data, no_default)
    _emit(person_profile(base, find_entity(base.people, "person", name)), fmt)


@app.command()
@handles_errors
def org(
    name: Annotated[str, typer.Argument(help="Name, acronym, alias or id.", show_default=False)],
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
) -> None:
    """An organisation's profile: acronyms, country, kind, events, people, statements.

    Examples:

      azpak org SOCAR

      azpak org "Economic Cooperation Organization" --format yaml
    """
    from azpak.query import find_entity
    from azpak.views import organisation_profile

    base = _load(data, no_default)
    _emit(organisation_profile(base, find_entity(base.organisations, "organisation", name)), fmt)


@app.command()
@handles_errors
def sector(
    name: Annotated[str, typer.Argument(help="Sector name, alias or id.", show_default=False)],
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
) -> None:
    """A sector with its events and statements.

    Examples:

      azpak sector energy

      azpak sector defense --format json
    """
    from azpak.query import find_entity
    from azpak.views import sector_profile

    base = _load(data, no_default)
    _emit(sector_profile(base, find_entity(base.sectors, "sector", name)), fmt)


def _entity_listing(collection: str, kind: str, fmt: Format, data: list[Path] | None, no_default: bool) -> None:
    from azpak.views import listing

    base = _load(data, no_default)
    records = sorted(base.collection(collection).values(), key=lambda r: getattr(r, "name", r.id).casefold())
    _emit(listing(base, kind, records), fmt, f"azpak: no {collection}.")


@app.command()
@handles_errors
def people(fmt: FormatOption = Format.table, data: DataOption = None, no_default: NoDefaultOption = False) -> None:
    """List people, with their roles and how many events and statements they appear in.

    Example:

      azpak people --format csv
    """
    _entity_listing("people", "person", fmt, data, no_default)


@app.command()
@handles_errors
def orgs(fmt: FormatOption = Format.table, data: DataOption = None, no_default: NoDefaultOption = False) -> None:
    """List organisations, with how many events they appear in.

    Example:

      azpak orgs
    """
    _entity_listing("organisations", "organisation", fmt, data, no_default)


@app.command()
@handles_errors
def sectors(fmt: FormatOption = Format.table, data: DataOption = None, no_default: NoDefaultOption = False) -> None:
    """List sectors (the controlled vocabulary), with event and statement counts.

    Example:

      azpak sectors
    """
    _entity_listing("sectors", "sector", fmt, data, no_default)


@app.command()
@handles_errors
def countries(fmt: FormatOption = Format.table, data: DataOption = None, no_default: NoDefaultOption = False) -> None:
    """List countries, with event and statement counts.

    Example:

      azpak countries --format json
    """
    _entity_listing("countries", "country", fmt, data, no_default)


@app.command()
@handles_errors
def topics(fmt: FormatOption = Format.table, data: DataOption = None, no_default: NoDefaultOption = False) -> None:
    """List topics that are not sectors (the Garabagh conflict, Kashmir…).

    Example:

      azpak topics
    """
    _entity_listing("topics", "topic", fmt, data, no_default)


@app.command()
@handles_errors
def quotes(
    person: Annotated[
        Optional[str],
        typer.Option("--person", metavar="NAME", help="Statements by this person or organisation.", show_default=False),
    ] = None,
    topic: Annotated[
        Optional[str],
        typer.Option("--topic", metavar="NAME", help="Statements on this topic or sector.", show_default=False),
    ] = None,
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
) -> None:
    """Statements: quotes, paraphrases, press releases and the source's own assessments.

    Examples:

      azpak quotes --person "Raja Furqan Ahmed"

      azpak quotes --topic Kashmir --format json
    """
    from azpak.query import find_speakers, find_topic_or_sector, statements_by
    from azpak.views import listing

    base = _load(data, no_default)
    speakers = find_speakers(base, person) if person is not None else None
    topics_found = find_topic_or_sector(base, topic) if topic is not None else None
    found_statements = statements_by(base, speakers=speakers, topics=topics_found)
    _emit(listing(base, "statement", list(found_statements)), fmt, "azpak: no statements match.")


@app.command()
@handles_errors
def search(
    text: Annotated[str, typer.Argument(help="Words to look for (all must match).", show_default=False)],
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
) -> None:
    """Every record of any kind whose text, names or aliases contain all the words.

    Examples:

      azpak search JF-17

      azpak search "fraternal relations" --format jsonl
    """
    from azpak.query import search as search_records
    from azpak.views import search_listing

    base = _load(data, no_default)
    _emit(search_listing(base, search_records(base, text)), fmt, f"azpak: nothing matches {text!r}.")


@app.command()
@handles_errors
def show(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The id of any record.", show_default=False)],
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
) -> None:
    """One record in full, with its source and evidence.

    Examples:

      azpak show pta-signing-2024

      azpak show socar --format json
    """
    from azpak.query import find_record
    from azpak.views import record_profile

    base = _load(data, no_default)
    kind, record = find_record(base, record_id)
    _emit(record_profile(base, kind, record), fmt)


@app.command()
@handles_errors
def sources(fmt: FormatOption = Format.table, data: DataOption = None, no_default: NoDefaultOption = False) -> None:
    """Where the facts come from: publisher, author, date, and how many records each supports.

    Example:

      azpak sources
    """
    _entity_listing("sources", "source", fmt, data, no_default)


from azpak import cli_facts as _cli_facts  # noqa: E402, F401  (registers validate, schema)


def main() -> None:
    """Console entry point: run the app; Ctrl-C exits 130 quietly."""
    try:
        app()
    except KeyboardInterrupt:
        _stderr("azpak: interrupted")
        sys.exit(int(ExitCode.INTERRUPTED))
    except UsageError as error:  # pragma: no cover - commands catch their own
        raise SystemExit(int(error.exit_code)) from None
