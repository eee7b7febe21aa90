"""The azpak command line: parse options, ask the core, pick a renderer, map errors to exit codes."""

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer

from azpak import __version__
from azpak.errors import AzpakError, ExitCode, UsageError
from azpak.render import Format, Output, View, renderer_for

if TYPE_CHECKING:
    from azpak.facts.model import FactBase
    from azpak.store.memory import FactStore

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
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain help: Rich-formatted help imports Rich and its markdown stack, doubling the cost of --help.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


def _load_base(data: list[Path] | None, no_default: bool, no_cache: bool = False) -> "FactBase":
    """The whole fact base (for the timeline, network and calendar views)."""
    return _load(data, no_default, no_cache).full_base()


def _completer(*collections: str) -> Callable[..., list[str]]:
    """Shell completion of names from the fact base (served from the index, like any lookup)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        params = ctx.params or {}
        try:
            store = _load(params.get("data"), bool(params.get("no_default")), bool(params.get("no_cache")))
            candidates = [
                name
                for collection in collections
                for name in (store.all_ids() if collection == "ids" else store.names(collection))
            ]
        except AzpakError:
            return []
        wanted = incomplete.casefold()
        return sorted({name for name in candidates if name.casefold().startswith(wanted)})

    return complete


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
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Read the fact files directly instead of the compiled index.")
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
    typer.Option(
        "--person",
        metavar="NAME",
        autocompletion=_completer("people"),
        help="Events with this person taking part.",
        show_default=False,
    ),
]
OrgOption = Annotated[
    Optional[str],
    typer.Option(
        "--org",
        metavar="NAME",
        autocompletion=_completer("organisations"),
        help="Events involving this organisation.",
        show_default=False,
    ),
]
CountryOption = Annotated[
    Optional[str],
    typer.Option(
        "--country",
        metavar="NAME",
        autocompletion=_completer("countries"),
        help="Events involving this country.",
        show_default=False,
    ),
]
SectorOption = Annotated[
    Optional[str],
    typer.Option(
        "--sector",
        metavar="NAME",
        autocompletion=_completer("sectors"),
        help="Events in this sector.",
        show_default=False,
    ),
]
TopicOption = Annotated[
    Optional[str],
    typer.Option(
        "--topic", metavar="NAME", autocompletion=_completer("topics"), help="Events on this topic.", show_default=False
    ),
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
            raise typer.Exit(code=int(ExitCode.BROKEN_PIPE)) from None

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


def _load(data: list[Path] | None, no_default: bool, no_cache: bool = False) -> "FactStore":
    """The facts to answer from: the compiled index of the fact files, or the files read into memory."""
    from azpak.facts.files import default_fact_file, expand_paths

    extra = _extra_paths(data)
    if no_cache or os.environ.get("AZPAK_NO_CACHE"):
        from azpak.facts.load import load_fact_base
        from azpak.store.memory import MemoryStore

        return MemoryStore(load_fact_base(extra, include_default=not no_default))
    from azpak.errors import NoInputError
    from azpak.store.index import open_or_build

    paths = ([default_fact_file()] if not no_default else []) + extra
    if not paths:
        raise NoInputError("no fact files to load: drop --no-default or give --data PATH")
    store: FactStore = open_or_build(expand_paths(paths), progress=_progress_reporter())
    return store


def _progress_reporter() -> Callable[[float], None] | None:
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
            state["bar"], state["task"] = bar, bar.add_task("Compiling the fact index", total=1.0)
        state["bar"].update(state["task"], completed=fraction)
        if fraction >= 1.0:
            state["bar"].stop()

    return report


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
    no_cache: NoCacheOption = False,
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
    from azpak.query.questions import build_event_filter, filter_events
    from azpak.views.listings import listing

    store = _load(data, no_default, no_cache)
    names = store.names_base(
        [
            (collection, query)
            for collection, query in (
                ("people", person),
                ("organisations", org),
                ("countries", country),
                ("sectors", sector),
                ("topics", topic),
            )
            if query is not None
        ]
    )
    spec = build_event_filter(
        names,
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
    base = store.events_base(spec)
    _emit(listing(base, "event", list(filter_events(base, spec)), store.stats), fmt, "azpak: no events match.")


@app.command()
@handles_errors
def who(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="Full name, surname, alias or id.",
            autocompletion=_completer("people"),
            show_default=False,
        ),
    ],
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """A person's profile: aliases, country, roles, events and statements.

    Examples:

      azpak who "Vugar Mustafayev"

      azpak who mustafayev --format json
    """
    from azpak.query.questions import find_entity
    from azpak.views.listings import person_profile

    store = _load(data, no_default, no_cache)
    found = find_entity(store.names_base([("people", name)]).people, "person", name)
    _emit(person_profile(store.related_base(found.id), found, store.stats), fmt)


@app.command()
@handles_errors
def org(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="Name, acronym, alias or id.",
            autocompletion=_completer("organisations"),
            show_default=False,
        ),
    ],
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """An organisation's profile: acronyms, country, kind, events, people, statements.

    Examples:

      azpak org SOCAR

      azpak org "Economic Cooperation Organization" --format yaml
    """
    from azpak.query.questions import find_entity
    from azpak.views.listings import organisation_profile

    store = _load(data, no_default, no_cache)
    found = find_entity(store.names_base([("organisations", name)]).organisations, "organisation", name)
    _emit(organisation_profile(store.related_base(found.id), found, store.stats), fmt)


@app.command()
@handles_errors
def sector(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME", help="Sector name, alias or id.", autocompletion=_completer("sectors"), show_default=False
        ),
    ],
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """A sector with its events and statements.

    Examples:

      azpak sector energy

      azpak sector defense --format json
    """
    from azpak.query.questions import find_entity
    from azpak.views.listings import sector_profile

    store = _load(data, no_default, no_cache)
    found = find_entity(store.names_base([("sectors", name)]).sectors, "sector", name)
    _emit(sector_profile(store.related_base(found.id), found, store.stats), fmt)


def _entity_listing(
    collection: str, kind: str, fmt: Format, data: list[Path] | None, no_default: bool, no_cache: bool
) -> None:
    from azpak.query.questions import by_name
    from azpak.views.listings import listing

    store = _load(data, no_default, no_cache)
    base = store.collection_base(collection)
    records = sorted(base.collection(collection).values(), key=by_name)
    _emit(listing(base, kind, records, store.stats), fmt, f"azpak: no {collection}.")


@app.command()
@handles_errors
def people(
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """List people, with their roles and how many events and statements they appear in.

    Example:

      azpak people --format csv
    """
    _entity_listing("people", "person", fmt, data, no_default, no_cache)


@app.command()
@handles_errors
def orgs(
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """List organisations, with how many events they appear in.

    Example:

      azpak orgs
    """
    _entity_listing("organisations", "organisation", fmt, data, no_default, no_cache)


@app.command()
@handles_errors
def sectors(
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """List sectors (the controlled vocabulary), with event and statement counts.

    Example:

      azpak sectors
    """
    _entity_listing("sectors", "sector", fmt, data, no_default, no_cache)


@app.command()
@handles_errors
def countries(
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """List countries, with event and statement counts.

    Example:

      azpak countries --format json
    """
    _entity_listing("countries", "country", fmt, data, no_default, no_cache)


@app.command()
@handles_errors
def topics(
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """List topics that are not sectors (the Garabagh conflict, Kashmir…).

    Example:

      azpak topics
    """
    _entity_listing("topics", "topic", fmt, data, no_default, no_cache)


@app.command()
@handles_errors
def quotes(
    person: Annotated[
        Optional[str],
        typer.Option(
            "--person",
            metavar="NAME",
            autocompletion=_completer("people", "organisations"),
            help="Statements by this person or organisation.",
            show_default=False,
        ),
    ] = None,
    topic: Annotated[
        Optional[str],
        typer.Option(
            "--topic",
            metavar="NAME",
            autocompletion=_completer("topics", "sectors"),
            help="Statements on this topic or sector.",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Statements: quotes, paraphrases, press releases and the source's own assessments.

    Examples:

      azpak quotes --person "Raja Furqan Ahmed"

      azpak quotes --topic Kashmir --format json
    """
    from azpak.query.questions import find_speakers, find_topic_or_sector, statements_by
    from azpak.views.listings import listing

    store = _load(data, no_default, no_cache)
    queries: list[tuple[str, str]] = []
    if person is not None:
        queries += [("people", person), ("organisations", person)]
    if topic is not None:
        queries += [("topics", topic), ("sectors", topic)]
    names = store.names_base(queries)
    speakers = find_speakers(names, person) if person is not None else None
    topics_found = find_topic_or_sector(names, topic) if topic is not None else None
    base = store.statements_base(speakers if speakers is not None else topics_found)
    found_statements = statements_by(base, speakers=speakers, topics=topics_found)
    _emit(listing(base, "statement", list(found_statements), store.stats), fmt, "azpak: no statements match.")


@app.command()
@handles_errors
def search(
    text: Annotated[
        str, typer.Argument(metavar="WORDS", help="Words to look for (all must match).", show_default=False)
    ],
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Every record of any kind whose text, names or aliases contain all the words.

    Examples:

      azpak search JF-17

      azpak search "fraternal relations" --format jsonl
    """
    from azpak.query.questions import search as search_records
    from azpak.query.questions import search_words
    from azpak.views.listings import search_listing

    store = _load(data, no_default, no_cache)
    base = store.search_base(search_words(text))
    found = search_records(base, text)
    _emit(search_listing(base, found, store.stats), fmt, f"azpak: nothing matches {text!r}.")


@app.command()
@handles_errors
def show(
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="The id of any record.", autocompletion=_completer("ids"), show_default=False
        ),
    ],
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """One record in full, with its source and evidence.

    Examples:

      azpak show pta-signing-2024

      azpak show socar --format json
    """
    from azpak.query.questions import find_record
    from azpak.views.listings import record_profile

    store = _load(data, no_default, no_cache)
    base = store.record_base(record_id)
    kind, record = find_record(base, record_id, store.all_ids)
    _emit(record_profile(base, kind, record, store.stats), fmt)


@app.command()
@handles_errors
def sources(
    fmt: FormatOption = Format.table,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Where the facts come from: publisher, author, date, and how many records each supports.

    Example:

      azpak sources
    """
    _entity_listing("sources", "source", fmt, data, no_default, no_cache)


cache_app = typer.Typer(
    help="The compiled index of the fact files: where it is, and clearing it.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
@handles_errors
def cache_info(fmt: FormatOption = Format.table) -> None:
    """List the index files in the cache directory, their size, the fact files each covers, and whether it is current.

    The text index, built on the first text search (`search`, `--text`), is a file of its
    own beside the index: its size is given apart, with whether it is built.

    Examples:

      azpak cache info

      azpak cache info --format json
    """
    from azpak.render import Column, Listing
    from azpak.store.index import cache_dir, list_indexes

    rows = [
        {
            "path": str(info.path),
            "bytes": info.bytes,
            "text_bytes": info.text_bytes,
            "text_built": info.text_built,
            "current": info.current,
            "files": info.files,
        }
        for info in list_indexes()
    ]
    columns = [
        Column("path", "Index"),
        Column("bytes", "Bytes"),
        Column("text_bytes", "Text index bytes"),
        Column("text_built", "Text index built"),
        Column("current", "Current"),
        Column("files", "Files"),
    ]
    _emit(Listing(rows, columns, "Indexes"), fmt, f"azpak: no index in {cache_dir()}.")


@cache_app.command("clear")
@handles_errors
def cache_clear() -> None:
    """Delete every compiled index; the next command compiles the fact files again.

    Example:

      azpak cache clear
    """
    from azpak.store.index import cache_dir, clear_indexes

    removed = clear_indexes()
    _stderr(f"azpak: removed {removed} index file{'s' if removed != 1 else ''} from {cache_dir()}")


#: Commands defined in other modules: imported only when they may run, since start-up is latency.
COMMAND_MODULES = {
    "validate": "azpak.cli.facts",
    "schema": "azpak.cli.facts",
    "timeline": "azpak.cli.drawing",
    "graph": "azpak.cli.drawing",
    "export": "azpak.cli.drawing",
}


def register_all_commands() -> typer.Typer:
    """The app with every command registered (for help, completion, and tests)."""
    import importlib

    for module in sorted(set(COMMAND_MODULES.values())):
        importlib.import_module(module)
    return app


def _invoked_command(argv: list[str]) -> str:
    """The command name being run, or being completed after (empty when the command name itself is)."""
    if any(key.endswith("_COMPLETE") for key in os.environ):
        words = (os.environ.get("COMP_WORDS") or os.environ.get("_TYPER_COMPLETE_ARGS") or "").split()
        cword = os.environ.get("COMP_CWORD", "")
        position = int(cword) if cword.isdigit() else len(words) - 1  # the word being completed
        return words[1] if len(words) > 1 and position >= 2 else ""
    return argv[1] if len(argv) > 1 else ""


def _register_only_what_runs(argv: list[str]) -> None:
    """Import and build only the command being run: Typer builds every registered command on each call.

    Help, completion of command names and anything that is not a known command keep them all.
    """
    import importlib

    name = _invoked_command(argv)
    if name in COMMAND_MODULES:
        importlib.import_module(COMMAND_MODULES[name])
    commands = [c for c in app.registered_commands if (c.name or getattr(c.callback, "__name__", "")) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if len(commands) + len(groups) == 1:
        app.registered_commands = commands
        app.registered_groups = groups
    else:
        register_all_commands()


def main() -> None:
    """Console entry point: run the app; Ctrl-C exits 130 quietly."""
    try:
        _register_only_what_runs(sys.argv)
        app()
    except KeyboardInterrupt:
        _stderr("azpak: interrupted")
        sys.exit(int(ExitCode.INTERRUPTED))
    except UsageError as error:  # pragma: no cover - commands catch their own
        raise SystemExit(int(error.exit_code)) from None
