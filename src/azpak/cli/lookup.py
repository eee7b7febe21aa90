"""The lookup commands: each parses its options, asks ``views.answers`` one question, and writes the answer."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from azpak.cli.options import (
    FactFiles,
    LongOption,
    OutputChoice,
    RawOption,
    citation_filters,
    completer,
    event_filters,
    fact_files,
    output_options,
)
from azpak.render import Format, Listing

if TYPE_CHECKING:
    from azpak.query.questions import EventQuery

#: The commands of this module, built by the app only when one of them runs.
commands = typer.Typer()


@commands.command()
@event_filters
@output_options
@fact_files
def events(*, query: "EventQuery", out: OutputChoice, files: FactFiles) -> None:
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
    from azpak.views import answers

    out.emit(answers.events(files.store(), query))


def _profile_command(command_name: str, collection: str, argument_help: str, answer: str, help: str) -> None:
    """Register a command that shows the profile of the one record a name designates.

    ``answer`` names the function of ``views.answers`` that finds the record and builds its profile.
    """

    def command(
        *,
        name: Annotated[
            str,
            typer.Argument(
                metavar="NAME", help=argument_help, autocompletion=completer(collection), show_default=False
            ),
        ],
        out: OutputChoice,
        files: FactFiles,
    ) -> None:
        from azpak.views import answers

        out.emit(getattr(answers, answer)(files.store(), name))

    command.__doc__ = help
    commands.command(command_name)(output_options(fact_files(command)))


_profile_command(
    "who",
    "people",
    "Full name, surname, alias or id.",
    "person",
    """A person's profile: aliases, country, roles, events and statements.

    Examples:

      azpak who "Vugar Mustafayev"

      azpak who mustafayev --format json
    """,
)
_profile_command(
    "org",
    "organisations",
    "Name, acronym, alias or id.",
    "organisation",
    """An organisation's profile: acronyms, country, kind, events, people, statements.

    Examples:

      azpak org SOCAR

      azpak org "Economic Cooperation Organization" --format yaml
    """,
)
_profile_command(
    "sector",
    "sectors",
    "Sector name, alias or id.",
    "sector",
    """A sector with its events and statements.

    Examples:

      azpak sector energy

      azpak sector defense --format json
    """,
)


def _listing_command(name: str, collection: str, help: str) -> None:
    """Register a command that lists every record of a named collection."""

    def command(*, out: OutputChoice, files: FactFiles) -> None:
        from azpak.views import answers

        out.emit(answers.entities(files.store(), collection))

    command.__doc__ = help
    commands.command(name)(output_options(fact_files(command)))


_listing_command(
    "people",
    "people",
    """List people, with their roles and how many events and statements they appear in.

    Example:

      azpak people --format csv
    """,
)
_listing_command(
    "orgs",
    "organisations",
    """List organisations, with how many events they appear in.

    Example:

      azpak orgs
    """,
)
_listing_command(
    "sectors",
    "sectors",
    """List sectors (the controlled vocabulary), with event and statement counts.

    Example:

      azpak sectors
    """,
)
_listing_command(
    "countries",
    "countries",
    """List countries, with event and statement counts.

    Example:

      azpak countries --format json
    """,
)
_listing_command(
    "topics",
    "topics",
    """List topics that are not sectors (the Garabagh conflict, Kashmir…).

    Example:

      azpak topics
    """,
)


@commands.command()
@citation_filters
@output_options
@fact_files
def quotes(
    *,
    citing: "EventQuery",
    person: Annotated[
        Optional[str],
        typer.Option(
            "--person",
            metavar="NAME",
            autocompletion=completer("people", "organisations"),
            help="Statements by this person or organisation.",
            show_default=False,
        ),
    ] = None,
    topic: Annotated[
        Optional[str],
        typer.Option(
            "--topic",
            metavar="NAME",
            autocompletion=completer("topics", "sectors"),
            help="Statements on this topic or sector.",
            show_default=False,
        ),
    ] = None,
    out: OutputChoice,
    files: FactFiles,
) -> None:
    """Statements: positions, pledges and claims, as quotes, paraphrases, press releases or assessments.

    Examples:

      azpak quotes --person "Raja Furqan Ahmed"

      azpak quotes --topic Kashmir --format json

      azpak quotes --min-sources 2
    """
    from azpak.views import answers

    out.emit(answers.statements(files.store(), person, topic, citing))


@commands.command()
@citation_filters
@output_options
@fact_files
def search(
    *,
    citing: "EventQuery",
    text: Annotated[
        str, typer.Argument(metavar="WORDS", help="Words to look for (all must match).", show_default=False)
    ],
    out: OutputChoice,
    files: FactFiles,
) -> None:
    """Every record of any kind whose text, names or aliases contain all the words.

    Examples:

      azpak search JF-17

      azpak search "fraternal relations" --format jsonl
    """
    from azpak.views import answers

    out.emit(answers.search(files.store(), text, citing))


@commands.command()
@output_options
@fact_files
def show(
    *,
    record_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="The id of any record.", autocompletion=completer("ids"), show_default=False),
    ],
    out: OutputChoice,
    files: FactFiles,
) -> None:
    """One record in full: for a fact, every citation with its publisher, date, title, address and what it says;
    for a source, the records citing it.

    Examples:

      azpak show pta-signing-2024

      azpak show socar --format json
    """
    from azpak.views import answers

    out.emit(answers.record(files.store(), record_id))


#: Output formats of ``azpak sources``: every listing format, and two bibliography formats.
SourcesFormat = StrEnum(  # type: ignore[misc]
    "SourcesFormat", [*((f.name, f.value) for f in Format), ("bibtex", "bibtex"), ("csl_json", "csl-json")]
)
BIBLIOGRAPHY_FORMATS = ("bibtex", "csl-json")


@commands.command()
@fact_files
def sources(
    *,
    fmt: Annotated[
        SourcesFormat,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            case_sensitive=False,
            help="table, json, jsonl, csv, tsv, yaml, markdown; or bibtex (biblatex) or csl-json (reference managers).",
        ),
    ] = SourcesFormat.table,  # type: ignore[attr-defined]
    raw: RawOption = False,
    long: LongOption = False,
    files: FactFiles,
) -> None:
    """Where the facts come from: publisher, date, language, address, and how many records cite each source.

    Examples:

      azpak sources

      azpak sources --format bibtex > azpak.bib

      azpak sources --format csl-json > azpak.json

      azpak show azernews-2025-02-23
    """
    from azpak.views import answers

    answer = answers.sources(files.store())
    if fmt.value in BIBLIOGRAPHY_FORMATS:
        from azpak.cli.streams import output
        from azpak.render.bibliography import to_bibtex, to_csl_json

        records = answer.view.records if isinstance(answer.view, Listing) else []
        target = output()
        target.stream.write((to_bibtex if fmt.value == "bibtex" else to_csl_json)(records))
        target.stream.flush()
        return
    OutputChoice(Format(fmt.value), raw, long).emit(answer)


@commands.command()
@output_options
@fact_files
def followups(
    *,
    still_open: Annotated[
        bool,
        typer.Option(
            "--open", help="Only those still open: no outcome recorded, or pending, postponed or not reported done."
        ),
    ] = False,
    out: OutputChoice,
    files: FactFiles,
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
    from azpak.views import answers

    out.emit(answers.followups(files.store(), still_open))


@commands.command()
@output_options
@fact_files
def stats(*, out: OutputChoice, files: FactFiles) -> None:
    """What the fact base covers: years, counts, sources by publisher and language, corroboration, open questions.

    Examples:

      azpak stats

      azpak stats --format json | jq .events_per_year
    """
    from azpak.views import answers

    out.emit(answers.stats(files.store()))
