"""The azpak command line: parse options, ask the core, pick a renderer, map errors to exit codes."""

import contextlib
import errno
import functools
import io
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer
from typer.core import TyperGroup

from azpak import __version__
from azpak.errors import AzpakError, ExitCode, UsageError
from azpak.render import Format, Output, View, renderer_for

if TYPE_CHECKING:
    from azpak.facts.model import FactBase
    from azpak.query.questions import EventQuery
    from azpak.store.memory import FactStore


class ErrorBoundary(TyperGroup):
    """The one place the core's errors become a message and an exit code, for every command and subcommand.

    A command needs no decorator of its own for this: whatever it raises passes through here.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command, those not yet imported included (they are imported when asked for)."""
        names = list(super().list_commands(ctx))
        return names + [name for name in COMMAND_MODULES if name not in names]

    def get_command(self, ctx: Any, name: str) -> Any:
        """A command by name; one defined in a module not yet imported is imported and built now."""
        command = super().get_command(ctx, name)
        if command is None and name in COMMAND_MODULES:
            import importlib

            importlib.import_module(COMMAND_MODULES[name])
            for info in app.registered_commands:
                if (info.name or getattr(info.callback, "__name__", "")) == name:
                    command = typer.main.get_command_from_info(
                        info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=None
                    )
                    self.add_command(command, name)
                    break
        return command

    def invoke(self, ctx: Any) -> Any:
        return _guarded(lambda: super(ErrorBoundary, self).invoke(ctx))


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
LongOption = Annotated[
    bool,
    typer.Option(
        "--long",
        "-l",
        help="On a terminal: every field of each record (evidence, summary, source) as a block of labelled lines.",
    ),
]
RawOption = Annotated[
    bool,
    typer.Option(
        "--raw",
        help="CSV/TSV: write cells exactly as stored, without the quote that keeps spreadsheets from running formulas.",
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


SourceOption = Annotated[
    Optional[str],
    typer.Option(
        "--source",
        metavar="ID",
        autocompletion=_completer("sources"),
        help="Records citing this source (an id from `azpak sources`).",
        show_default=False,
    ),
]
PublisherOption = Annotated[
    Optional[str],
    typer.Option(
        "--publisher",
        metavar="NAME",
        autocompletion=_completer("organisations"),
        help="Records citing a source from this publisher.",
        show_default=False,
    ),
]
MinSourcesOption = Annotated[
    Optional[int],
    typer.Option(
        "--min-sources",
        metavar="N",
        help="Records reported by at least N independent publishers (reprints and one owner's outlets count once).",
        show_default=False,
    ),
]
LanguageOption = Annotated[
    Optional[str],
    typer.Option(
        "--language",
        metavar="CODE",
        help="Records citing a source in this language (en, ur, az, ru…).",
        show_default=False,
    ),
]
DisputedOption = Annotated[
    bool, typer.Option("--disputed", help="Only records where sources disagree (a date, a figure, a label…).")
]

#: The event filters, declared once: ``@event_filters`` gives a command all of them as one ``EventQuery``.
EVENT_FILTERS: tuple[tuple[str, Any, Any], ...] = (
    ("year", YearOption, None),
    ("month", MonthOption, None),
    ("on", OnOption, None),
    ("since", SinceOption, None),
    ("until", UntilOption, None),
    ("person", PersonOption, None),
    ("org", OrgOption, None),
    ("country", CountryOption, None),
    ("sector", SectorOption, None),
    ("topic", TopicOption, None),
    ("kind", KindOption, None),
    ("status", StatusOption, None),
    ("text", TextOption, None),
)
#: The citation filters, shared by the event commands, ``quotes`` and ``search``.
CITATION_FILTERS: tuple[tuple[str, Any, Any], ...] = (
    ("source", SourceOption, None),
    ("publisher", PublisherOption, None),
    ("min_sources", MinSourcesOption, None),
    ("language", LanguageOption, None),
    ("disputed", DisputedOption, False),
)


def _with_options(
    options: tuple[tuple[str, Any, Any], ...], target: str, build: Callable[..., Any]
) -> Callable[[F], F]:
    """Give a command these options; it receives them built into one object as the argument ``target``."""
    import inspect

    def decorate(command: F) -> F:
        signature = inspect.signature(command)
        kept = [p for p in signature.parameters.values() if p.name != target]
        added = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
            for name, annotation, default in options
        ]
        first_keyword = next((i for i, p in enumerate(kept) if p.default is not inspect.Parameter.empty), len(kept))
        parameters = [*kept[:first_keyword], *added, *kept[first_keyword:]]

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {name: kwargs.pop(name, default) for name, _, default in options}
            return command(*args, **{target: build(**values)}, **kwargs)

        wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in parameters]
        )
        wrapper.__annotations__ = {
            **{p.name: p.annotation for p in parameters},
            "return": signature.return_annotation,
        }
        return wrapper  # type: ignore[return-value]

    return decorate


def _event_query(**values: Any) -> Any:
    from azpak.query.questions import EventQuery

    return EventQuery(**values)


#: ``query: EventQuery`` from every event filter and citation filter.
event_filters = _with_options(EVENT_FILTERS + CITATION_FILTERS, "query", _event_query)
#: ``citing: EventQuery`` holding only the citation filters (for ``quotes`` and ``search``).
citation_filters = _with_options(CITATION_FILTERS, "citing", _event_query)


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
        return _guarded(lambda: command(*args, **kwargs))

    return wrapper  # type: ignore[return-value]


def _guarded(call: Callable[[], Any]) -> Any:
    """Run ``call``; the core's errors, a closed pipe, Ctrl-C and write errors become a message and an exit code."""
    try:
        return call()
    except AzpakError as error:
        raise _fail(error) from None
    except BrokenPipeError:
        _silence_stdout()
        raise typer.Exit(code=int(ExitCode.BROKEN_PIPE)) from None
    except KeyboardInterrupt:
        _interrupted()
        raise typer.Exit(code=int(ExitCode.INTERRUPTED)) from None
    except OSError as error:
        raise _fail(_io_error(error)) from None


def _io_error(error: OSError) -> AzpakError:
    """An OSError that reached a command: output that cannot be written, or a file that cannot be changed."""
    from azpak.errors import OutputError

    reason = error.strerror or str(error)
    if error.filename is not None:
        return OutputError(f"{error.filename}: {reason}")
    _silence_stdout()  # what stays buffered would fail again at exit
    return OutputError(f"cannot write the output: {reason}")


#: The progress bar on screen, if any: stopped (and its line cleared) before an interruption is reported.
_ACTIVE_PROGRESS: list[Any] = []


def _interrupted() -> None:
    """Ctrl-C: clear any progress line, then say so on a line of its own."""
    while _ACTIVE_PROGRESS:
        with contextlib.suppress(Exception):  # the message matters more than the bar
            _ACTIVE_PROGRESS.pop().stop()
    _stderr("azpak: interrupted")


class _ClosedOutput(io.TextIOBase):
    """Standard output when it was closed (``>&-``): every write fails as an I/O error."""

    def write(self, text: Any) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def isatty(self) -> bool:
        return False

    @property
    def buffer(self) -> "_ClosedOutput":
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


def _prepare_stdout() -> None:
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
            _ACTIVE_PROGRESS.append(bar)
            state["bar"], state["task"] = bar, bar.add_task("Compiling the fact index", total=1.0)
        state["bar"].update(state["task"], completed=fraction)
        if fraction >= 1.0:
            state["bar"].stop()
            if state["bar"] in _ACTIVE_PROGRESS:
                _ACTIVE_PROGRESS.remove(state["bar"])

    return report


def _emit(view: View, fmt: Format, empty_note: str | None = None, *, raw: bool = False, long: bool = False) -> None:
    from azpak.render import Listing

    output = _output()
    output.raw = raw
    output.long = long
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
@event_filters
def events(
    query: "EventQuery",
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
    long: LongOption = False,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """List events in date order; filters combine with AND.

    An event matches a date filter when the days it covers overlap the filter's
    days: 2024-09 matches --year 2024, --month 2024-09 and --on 2024-09-30.
    --min-sources N keeps events reported by N or more independent publishers.

    Examples:

      azpak events --year 2024

      azpak events --sector defence --format json

      azpak events --topic Karabakh --min-sources 2

      azpak events --disputed

      azpak events --since 2025-01-20 --until 2025-01-31
    """
    from azpak.store.memory import find_events
    from azpak.views.listings import listing

    store = _load(data, no_default, no_cache)
    base, found = find_events(store, query)
    note = "azpak: no events match."
    if not found and (query.topic is not None or query.text is not None) and query.only("topic", "text"):
        note = _other_kinds_note(store, query.topic, query.text)
    _emit(listing(base, "event", list[Any](found), store.stats), fmt, note, raw=raw, long=long)


def _other_kinds_note(store: "FactStore", topic: Optional[str], text: Optional[str]) -> str:
    """The note for a topic or text that no event matches: say when statements (or other records) do."""
    import shlex

    from azpak.query.questions import find_topic_or_sector, search_words, statements_by
    from azpak.query.questions import search as search_records

    note = "azpak: no events match"
    if topic is not None and text is None:
        topics = find_topic_or_sector(store.names_base([("topics", topic), ("sectors", topic)]), topic)
        count = len(statements_by(store.statements_base(topics), topics=topics))
        if count:
            plural = "statement does" if count == 1 else "statements do"
            return f"{note}; {count} {plural}: azpak quotes --topic {shlex.quote(topic)}"
    if text is not None and topic is None and search_words(text):
        count = len(search_records(store.search_base(search_words(text)), text))
        if count:
            plural = "record of another kind does" if count == 1 else "records of other kinds do"
            return f"{note}; {count} {plural}: azpak search {shlex.quote(text)}"
    return note + "."


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
    raw: RawOption = False,
    long: LongOption = False,
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
    _emit(person_profile(store.related_base(found.id), found, store.stats), fmt, raw=raw, long=long)


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
    raw: RawOption = False,
    long: LongOption = False,
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
    _emit(organisation_profile(store.related_base(found.id), found, store.stats), fmt, raw=raw, long=long)


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
    raw: RawOption = False,
    long: LongOption = False,
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
    _emit(sector_profile(store.related_base(found.id), found, store.stats), fmt, raw=raw, long=long)


def _entity_listing(
    collection: str,
    kind: str,
    fmt: Format,
    data: list[Path] | None,
    no_default: bool,
    no_cache: bool,
    raw: bool = False,
    long: bool = False,
) -> None:
    from azpak.query.questions import by_name
    from azpak.views.listings import listing

    store = _load(data, no_default, no_cache)
    base = store.collection_base(collection)
    records = sorted(base.collection(collection).values(), key=by_name)
    _emit(listing(base, kind, records, store.stats), fmt, f"azpak: no {collection}.", raw=raw, long=long)


@app.command()
@handles_errors
def people(
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
    long: LongOption = False,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """List people, with their roles and how many events and statements they appear in.

    Example:

      azpak people --format csv
    """
    _entity_listing("people", "person", fmt, data, no_default, no_cache, raw, long)


@app.command()
@handles_errors
def orgs(
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
    long: LongOption = False,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """List organisations, with how many events they appear in.

    Example:

      azpak orgs
    """
    _entity_listing("organisations", "organisation", fmt, data, no_default, no_cache, raw, long)


@app.command()
@handles_errors
def sectors(
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
    long: LongOption = False,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """List sectors (the controlled vocabulary), with event and statement counts.

    Example:

      azpak sectors
    """
    _entity_listing("sectors", "sector", fmt, data, no_default, no_cache, raw, long)


@app.command()
@handles_errors
def countries(
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
    long: LongOption = False,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """List countries, with event and statement counts.

    Example:

      azpak countries --format json
    """
    _entity_listing("countries", "country", fmt, data, no_default, no_cache, raw, long)


@app.command()
@handles_errors
def topics(
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
    long: LongOption = False,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """List topics that are not sectors (the Garabagh conflict, Kashmir…).

    Example:

      azpak topics
    """
    _entity_listing("topics", "topic", fmt, data, no_default, no_cache, raw, long)


@app.command()
@handles_errors
@citation_filters
def quotes(
    citing: "EventQuery",
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
    raw: RawOption = False,
    long: LongOption = False,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Statements: positions, pledges and claims, as quotes, paraphrases, press releases or assessments.

    Examples:

      azpak quotes --person "Raja Furqan Ahmed"

      azpak quotes --topic Kashmir --format json

      azpak quotes --min-sources 2
    """
    from azpak.query.questions import find_speakers, find_topic_or_sector, statements_by
    from azpak.views.listings import listing

    store = _load(data, no_default, no_cache)
    queries: list[tuple[str, str]] = []
    if person is not None:
        queries += [("people", person), ("organisations", person)]
    if topic is not None:
        queries += [("topics", topic), ("sectors", topic)]
    names = store.names_base(queries + citing.names())
    speakers = find_speakers(names, person) if person is not None else None
    topics_found = find_topic_or_sector(names, topic) if topic is not None else None
    citation_filter = citing.citation_filter(names)
    base = store.statements_base(speakers if speakers is not None else topics_found)
    found_statements = statements_by(base, speakers=speakers, topics=topics_found, citing=citation_filter)
    _emit(
        listing(base, "statement", list(found_statements), store.stats),
        fmt,
        "azpak: no statements match.",
        raw=raw,
        long=long,
    )


@app.command()
@handles_errors
@citation_filters
def search(
    citing: "EventQuery",
    text: Annotated[
        str, typer.Argument(metavar="WORDS", help="Words to look for (all must match).", show_default=False)
    ],
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
    long: LongOption = False,
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
    citation_filter = citing.citation_filter(store.names_base(citing.names()))
    base = store.search_base(search_words(text))
    found = search_records(base, text, citation_filter)
    _emit(search_listing(base, found, store.stats), fmt, f"azpak: nothing matches {text!r}.", raw=raw, long=long)


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
    raw: RawOption = False,
    long: LongOption = False,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """One record in full: for a fact, every citation with its publisher, date, title, address and what it says;
    for a source, the records citing it.

    Examples:

      azpak show pta-signing-2024

      azpak show socar --format json
    """
    from azpak.query.questions import find_record
    from azpak.views.listings import record_profile

    store = _load(data, no_default, no_cache)
    base = store.record_base(record_id)
    kind, record = find_record(base, record_id, store.all_ids)
    if kind == "source":  # a source's profile lists the records citing it
        base = store.related_base(record_id)
    _emit(record_profile(base, kind, record, store.stats), fmt, raw=raw, long=long)


class SourcesFormat(StrEnum):
    """Output formats of ``azpak sources``: every listing format, and two bibliography formats."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    yaml = "yaml"
    markdown = "markdown"
    bibtex = "bibtex"
    csl_json = "csl-json"


@app.command()
@handles_errors
def sources(
    fmt: Annotated[
        SourcesFormat,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            case_sensitive=False,
            help="table, json, jsonl, csv, tsv, yaml, markdown; or bibtex (biblatex) or csl-json (reference managers).",
        ),
    ] = SourcesFormat.table,
    raw: RawOption = False,
    long: LongOption = False,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Where the facts come from: publisher, date, language, address, and how many records cite each source.

    Examples:

      azpak sources

      azpak sources --format bibtex > azpak.bib

      azpak sources --format csl-json > azpak.json

      azpak show azernews-2025-02-23
    """
    from azpak.views.listings import listing

    store = _load(data, no_default, no_cache)
    base = store.collection_base("sources")
    view = listing(base, "source", sorted(base.sources.values(), key=_source_order), store.stats)
    if fmt in (SourcesFormat.bibtex, SourcesFormat.csl_json):
        from azpak.render.bibliography import to_bibtex, to_csl_json

        output = _output()
        output.stream.write((to_bibtex if fmt is SourcesFormat.bibtex else to_csl_json)(view.records))
        output.stream.flush()
        return
    _emit(view, Format(fmt.value), "azpak: no sources.", raw=raw, long=long)


def _source_order(source: Any) -> tuple[str, str]:
    return (source.published.text if source.published else "", source.id)


@app.command()
@handles_errors
def followups(
    still_open: Annotated[
        bool,
        typer.Option(
            "--open", help="Only those still open: no outcome recorded, or pending, postponed or not reported done."
        ),
    ] = False,
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
    long: LongOption = False,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """What became of each announced or planned event and each pledge.

    For each: when it was announced (its announced_on, or the earliest date among
    the sources citing it), what it was planned for, its outcome (fulfilled,
    pending, postponed, cancelled, no-report), the event that fulfilled it and
    the days from announcement to fulfilment when both days are known.

    Examples:

      azpak followups

      azpak followups --open

      azpak followups --format json | jq '.[] | select(.lag_days != null)'
    """
    from azpak.query.citing import followups as find_followups
    from azpak.views.listings import followups_listing

    base = _load(data, no_default, no_cache).full_base()
    found = [f for f in find_followups(base) if f.is_open or not still_open]
    empty = "azpak: nothing is still open." if still_open else "azpak: no announcements, plans or pledges."
    _emit(followups_listing(base, found), fmt, empty, raw=raw, long=long)


@app.command()
@handles_errors
def stats(
    fmt: FormatOption = Format.table,
    raw: RawOption = False,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """What the fact base covers: years, counts, sources by publisher and language, corroboration, open questions.

    Examples:

      azpak stats

      azpak stats --format json | jq .events_per_year
    """
    from azpak.query.citing import base_stats
    from azpak.views.listings import stats_profile

    base = _load(data, no_default, no_cache).full_base()
    _emit(stats_profile(base, base_stats(base)), fmt, raw=raw)


cache_app = typer.Typer(
    help="The compiled index of the fact files: where it is, and clearing it.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
@handles_errors
def cache_info(fmt: FormatOption = Format.table, raw: RawOption = False, long: LongOption = False) -> None:
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
            "damaged": info.damaged,
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
        Column("damaged", "Damaged"),
        Column("files", "Files"),
    ]
    _emit(Listing(rows, columns, "Indexes"), fmt, f"azpak: no index in {cache_dir()}.", raw=raw, long=long)


@cache_app.command("clear")
@handles_errors
def cache_clear() -> None:
    """Delete every compiled index; the next command compiles the fact files again.

    Example:

      azpak cache clear
    """
    from azpak.store.index import cache_dir, clear_indexes

    try:
        removed = clear_indexes()
    except OSError as error:
        from azpak.errors import OutputError

        raise OutputError(f"cannot delete {error.filename or cache_dir()}: {error.strerror or error}") from None
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
        _prepare_stdout()
        _register_only_what_runs(sys.argv)
        app()
    except KeyboardInterrupt:
        _interrupted()
        sys.exit(int(ExitCode.INTERRUPTED))
    except BrokenPipeError:  # outside a command: --help, --version
        _silence_stdout()
        sys.exit(int(ExitCode.BROKEN_PIPE))
    except OSError as error:  # outside a command: --help or --version on a full disk or a closed stdout
        failure = _io_error(error)
        _stderr(f"azpak: {failure.message}")
        sys.exit(int(failure.exit_code))
    except UsageError as error:  # pragma: no cover - commands catch their own
        raise SystemExit(int(error.exit_code)) from None
