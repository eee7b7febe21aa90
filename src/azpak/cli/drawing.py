"""The commands that draw: ``timeline``, ``graph`` and ``export``.

Each reads its options, asks a view for what to draw and hands it to a renderer:
``azpak.render.lines`` for the timeline, ``azpak.render.graphs`` and
``azpak.render.graphviz`` for the network; the calendar is ``azpak.views.ics``.
"""

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from azpak.cli.options import FactFiles, completer, event_filters, fact_files
from azpak.cli.streams import output, stderr
from azpak.errors import UsageError
from azpak.render.graphs import GraphFormat
from azpak.render.graphviz import IMAGE_FORMATS, graphviz_image

if TYPE_CHECKING:
    from azpak.facts.model import FactBase
    from azpak.query.questions import EventQuery

#: The commands of this module, built by the app only when one of them runs.
commands = typer.Typer()


class ExportFormat(StrEnum):
    """Output formats of ``azpak export``."""

    ics = "ics"


#: Files ``graph --output`` renders through Graphviz, by suffix.
IMAGE_SUFFIXES = {f".{image_format}": image_format for image_format in IMAGE_FORMATS}
#: Text formats ``graph --output`` picks by suffix when ``--format`` is not given.
TEXT_SUFFIXES = {
    ".dot": GraphFormat.dot,
    ".gv": GraphFormat.dot,
    ".mmd": GraphFormat.mermaid,
    ".mermaid": GraphFormat.mermaid,
    ".json": GraphFormat.json,
    ".txt": GraphFormat.text,
}


def _selected_events(base: "FactBase", query: "EventQuery") -> list[Any]:
    from azpak.query.questions import filter_events

    return list(filter_events(base, query.event_filter(base)))


@commands.command()
@event_filters
@fact_files
def timeline(
    *,
    query: "EventQuery",
    files: FactFiles,
) -> None:
    """Events on a timeline, by year and month, with their days drawn; same filters as `events`.

    Each month has a strip of its days: █ marks days the source states, ░ the
    span an event falls in when the day is not stated (a whole month for
    2024-09), → an event that runs on. ● occurred, ○ announced, ◇ planned;
    * a derived date, ~ approximate, ? uncertain. Months with no events between
    two that have some are shown as a gap. Plain text when piped; COLUMNS sets
    the width (80 fits).

    Examples:

      azpak timeline

      azpak timeline --year 2025

      azpak timeline --person Sharif --since 2025-01
    """
    from azpak.render.lines import TIMELINE_STYLES, line_width, write_lines
    from azpak.views.timeline import build_timeline, timeline_lines

    base = files.base()
    events = _selected_events(base, query)
    if not events:
        stderr("azpak: no events match.")
        return
    target = output()
    write_lines(timeline_lines(build_timeline(events), line_width(target)), TIMELINE_STYLES, target)


def _graph_format(fmt: GraphFormat | None, output_file: Path | None) -> tuple[GraphFormat, str | None]:
    """The text format to produce and the image format to render it to (None: no rendering)."""
    suffix = output_file.suffix.lower() if output_file else ""
    if suffix in IMAGE_SUFFIXES:
        if fmt not in (None, GraphFormat.dot):
            raise UsageError(f"--output {output_file}: an image is rendered from DOT; leave out --format {fmt.value}")
        return GraphFormat.dot, IMAGE_SUFFIXES[suffix]
    if fmt is not None:
        return fmt, None
    return TEXT_SUFFIXES.get(suffix, GraphFormat.text), None


def _write_file(target: Path, content: bytes) -> None:
    from azpak.errors import CannotWriteError

    try:
        target.write_bytes(content)
    except OSError as exc:
        raise CannotWriteError(f"cannot write {target}: {exc.strerror or exc}") from None


@commands.command()
@event_filters
@fact_files
def graph(
    *,
    query: "EventQuery",
    around: Annotated[
        Optional[str],
        typer.Option(
            "--around",
            metavar="NAME",
            autocompletion=completer("people", "organisations", "countries"),
            help="Only this person, organisation or country and its neighbours.",
        ),
    ] = None,
    fmt: Annotated[
        Optional[GraphFormat],
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            case_sensitive=False,
            help="text (an adjacency list; the default), dot (Graphviz), mermaid, json (nodes and edges).",
            show_default=False,
        ),
    ] = None,
    output_file: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE: .svg, .png, .pdf are rendered with Graphviz's dot; .dot, .mmd, .json pick the format.",
            show_default=False,
        ),
    ] = None,
    files: FactFiles,
) -> None:
    """Who is linked to whom: people, organisations and countries, linked by events, statements and roles.

    Two nodes are linked by each event that involves both, each statement in
    which one names the other, and each recorded role or country; the weight of
    an edge is how many. With filters (the same as `events`), only the selected
    events and the statements about them count.

    Examples:

      azpak graph

      azpak graph --around Mustafayev

      azpak graph --format mermaid > network.mmd

      azpak graph --format json | jq '.edges[] | select(.weight > 2)'

      azpak graph --year 2025 --output network.svg
    """
    from azpak.render.graphs import graph_text, write_graph
    from azpak.views.graph import select_network

    text_format, image_format = _graph_format(fmt, output_file)
    base = files.base()
    network = select_network(base, query, around)
    if not network.edges:
        stderr("azpak: no links among the selected events.")

    if output_file is None:
        if text_format is GraphFormat.text:
            write_graph(network, output())
            return
        sys.stdout.write(graph_text(network, text_format))
        sys.stdout.flush()
        return
    rendered = graph_text(network, text_format)
    if image_format is not None:
        content = graphviz_image(rendered, image_format, output_file)
    else:
        content = rendered.encode("utf-8")
    _write_file(output_file, content)  # written here, so an unwritable target is exit 73 in every format
    stderr(f"azpak: wrote {output_file} ({len(network.nodes)} nodes, {len(network.edges)} edges)")


@commands.command()
@event_filters
@fact_files
def export(
    *,
    query: "EventQuery",
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", metavar="FORMAT", case_sensitive=False, help="ics (iCalendar, RFC 5545)."),
    ] = ExportFormat.ics,
    output_file: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout.", show_default=False),
    ] = None,
    files: FactFiles,
) -> None:
    """Events as a calendar file to import into a calendar program; same filters as `events`.

    Each event is an all-day event; a date range is a multi-day event. A date
    known only to the month (2024-09) spans that whole month, and its title and
    description say the day is not stated. The description has the status,
    participants, and every citation with its address; announced events are TENTATIVE. Set
    SOURCE_DATE_EPOCH for a reproducible DTSTAMP.

    Examples:

      azpak export --format ics > azpak.ics

      azpak export --year 2025 --output relations-2025.ics

      azpak export --status announced --format ics
    """
    from azpak.views.ics import to_ics

    base = files.base()
    events = _selected_events(base, query)
    if not events:
        stderr("azpak: no events match; the calendar is empty.")
    content = to_ics(base, events).encode("utf-8")
    if output_file is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    _write_file(output_file, content)
    stderr(f"azpak: wrote {output_file} ({len(events)} event{'s' if len(events) != 1 else ''})")
