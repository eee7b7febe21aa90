"""Options shared by commands, declared once, and what they are gathered into.

A command asks for a bundle by naming one parameter: ``@event_filters`` gives it ``query`` (an
``EventQuery`` built from the thirteen event filters and the citation filters),
``@fact_files`` gives it ``files`` (which fact files to answer from, with the load policy), and
``@output_options`` gives it ``out`` (the format and how to write it). Typer sees the single
options; the command sees the bundle.
"""

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer

from azpak.cli.streams import emit, progress_reporter
from azpak.errors import AzpakError
from azpak.render import Format
from azpak.structs import struct

if TYPE_CHECKING:
    from azpak.facts.model import FactBase
    from azpak.store.memory import FactStore
    from azpak.views.answers import Answer

F = TypeVar("F", bound=Callable[..., Any])
#: Options a command is given together: each one's parameter name, its Typer declaration and its default.
Options = tuple[tuple[str, Any, Any], ...]


@struct
class FactFiles:
    """Which fact files to answer from (``--data``, ``--no-default``, ``--no-cache``, ``AZPAK_DATA``…)."""

    data: Optional[list[Path]] = None
    no_default: bool = False
    no_cache: bool = False

    def extra_paths(self) -> list[Path]:
        """The user's own fact files: ``AZPAK_DATA``'s, then ``--data``'s."""
        paths = [Path(p) for p in os.environ.get("AZPAK_DATA", "").split(os.pathsep) if p]
        return paths + list(self.data or [])

    def store(self) -> "FactStore":
        """The load policy: the compiled index of the fact files, or the files read into memory."""
        from azpak.facts.files import default_fact_file, expand_paths

        extra = self.extra_paths()
        if self.no_cache or os.environ.get("AZPAK_NO_CACHE"):
            from azpak.facts.load import load_fact_base
            from azpak.store.memory import MemoryStore

            return MemoryStore(load_fact_base(extra, include_default=not self.no_default))
        from azpak.errors import NoInputError
        from azpak.store.index import open_or_build

        paths = ([default_fact_file()] if not self.no_default else []) + extra
        if not paths:
            raise NoInputError("no fact files to load: drop --no-default or give --data PATH")
        store: FactStore = open_or_build(expand_paths(paths), progress=progress_reporter())
        return store

    def base(self) -> "FactBase":
        """The whole fact base (for the timeline, network and calendar views)."""
        return self.store().full_base()


@struct
class OutputChoice:
    """How to write the answer: ``--format``, ``--raw``, ``--long``."""

    fmt: Format = Format.table
    raw: bool = False
    long: bool = False

    def emit(self, answer: "Answer") -> None:
        """Write the answer's view; its note goes to stderr when it lists nothing."""
        emit(answer.view, self.fmt, answer.empty_note, raw=self.raw, long=self.long)


def completer(*collections: str) -> Callable[..., list[str]]:
    """Shell completion of names from the fact base (served from the index, like any lookup)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        params = ctx.params or {}
        try:
            files = FactFiles(params.get("data"), bool(params.get("no_default")), bool(params.get("no_cache")))
            store = files.store()
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
#: Which fact files to read: ``@fact_files`` gives a command ``files: FactFiles``.
DATA_OPTIONS: Options = (
    ("data", DataOption, None),
    ("no_default", NoDefaultOption, False),
    ("no_cache", NoCacheOption, False),
)
#: How to write the answer: ``@output_options`` gives a command ``out: OutputChoice``.
OUTPUT_OPTIONS: Options = (
    ("fmt", FormatOption, Format.table),
    ("raw", RawOption, False),
    ("long", LongOption, False),
)


def _filter(
    flag: str, metavar: str, help: str, *, names: tuple[str, ...] = (), kind: Any = str
) -> tuple[str, Any, Any]:
    """One filter option: its parameter name, its Typer declaration and its default (None: not given)."""
    completion = completer(*names) if names else None
    option = typer.Option(flag, metavar=metavar, help=help, show_default=False, autocompletion=completion)
    return (flag.lstrip("-").replace("-", "_"), Annotated[Optional[kind], option], None)


@functools.cache
def event_filter_options() -> Options:
    """The event filters, declared once: ``@event_filters`` gives a command all of them as one ``EventQuery``.

    Declared when a command that takes them is built, not when its module is imported: a
    lookup that takes none (``who``) does not pay for eighteen option declarations.
    """
    return (
        _filter("--year", "YYYY", "Events overlapping year YYYY."),
        _filter("--month", "YYYY-MM", "Events overlapping month YYYY-MM."),
        _filter("--on", "DATE", "Events overlapping DATE (YYYY, YYYY-MM or YYYY-MM-DD)."),
        _filter("--since", "DATE", "Events not ending before DATE."),
        _filter("--until", "DATE", "Events not starting after DATE."),
        _filter("--person", "NAME", "Events with this person taking part.", names=("people",)),
        _filter("--org", "NAME", "Events involving this organisation.", names=("organisations",)),
        _filter("--country", "NAME", "Events involving this country.", names=("countries",)),
        _filter("--sector", "NAME", "Events in this sector.", names=("sectors",)),
        _filter("--topic", "NAME", "Events on this topic.", names=("topics",)),
        _filter(
            "--kind",
            "KIND",
            "Event kind: agreement, delivery, visit, meeting, consultations, announcement, statement, other.",
        ),
        _filter("--status", "STATUS", "Event status: occurred, announced, planned."),
        _filter("--text", "WORDS", "Events whose text contains all these words."),
    )


@functools.cache
def citation_filter_options() -> Options:
    """The citation filters, shared by the event commands, ``quotes`` and ``search``."""
    return (
        _filter("--source", "ID", "Records citing this source (an id from `azpak sources`).", names=("sources",)),
        _filter("--publisher", "NAME", "Records citing a source from this publisher.", names=("organisations",)),
        _filter(
            "--min-sources",
            "N",
            "Records reported by at least N independent publishers (reprints and one owner's outlets count once).",
            kind=int,
        ),
        _filter("--language", "CODE", "Records citing a source in this language (en, ur, az, ru…)."),
        (
            "disputed",
            Annotated[
                bool,
                typer.Option("--disputed", help="Only records where sources disagree (a date, a figure, a label…)."),
            ],
            False,
        ),
    )


def with_options(options: Callable[[], Options], target: str, build: Callable[..., Any]) -> Callable[[F], F]:
    """Give a command the options ``options()`` declares; it receives them built into one object as ``target``.

    The options take the place of ``target`` in the command's parameters, so ``--help`` lists
    them where the command names the bundle. The signature Typer reads is made by
    ``declare_options`` when the command is built, not here: importing a module of commands
    decorates all of them, and a run builds one.
    """

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {name: kwargs.pop(name, default) for name, _, default in options()}
            return command(*args, **{target: build(**values)}, **kwargs)

        wrapper.__option_bundle__ = (options, target)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def declare_options(callback: Callable[..., Any]) -> None:
    """Give a command decorated by ``with_options`` (at any depth) the signature and annotations Typer reads."""
    import inspect

    bundle = callback.__dict__.get("__option_bundle__")
    if bundle is None or "__signature__" in callback.__dict__:
        return
    inner = callback.__wrapped__  # type: ignore[attr-defined]
    declare_options(inner)
    declare, target = bundle
    options = declare()
    signature = inspect.signature(inner)
    names = list(signature.parameters)
    position = names.index(target)
    kept = [p for p in signature.parameters.values() if p.name != target]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
        for name, annotation, default in options
    ]
    parameters = [*kept[:position], *added, *kept[position:]]
    callback.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in parameters]
    )
    callback.__annotations__ = {**{p.name: p.annotation for p in parameters}, "return": signature.return_annotation}


def _event_query(**values: Any) -> Any:
    from azpak.query.questions import EventQuery

    return EventQuery(**values)


#: ``query: EventQuery`` from every event filter and citation filter.
event_filters = with_options(lambda: event_filter_options() + citation_filter_options(), "query", _event_query)
#: ``citing: EventQuery`` holding only the citation filters (for ``quotes`` and ``search``).
citation_filters = with_options(citation_filter_options, "citing", _event_query)


fact_files = with_options(lambda: DATA_OPTIONS, "files", FactFiles)
output_options = with_options(lambda: OUTPUT_OPTIONS, "out", OutputChoice)
