"""The commands that draw: ``timeline``, ``graph`` and ``export``."""

import shutil
import subprocess
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from azpak.cli.options import DataOption, FactFiles, NoCacheOption, NoDefaultOption, completer, event_filters
from azpak.cli.streams import output, stderr
from azpak.errors import UsageError

if TYPE_CHECKING:
    from azpak.facts.model import FactBase
    from azpak.query.questions import EventQuery


#: The commands of this module, built by the app only when one of them runs.
commands = typer.Typer()


class GraphFormat(StrEnum):
    """Output formats of ``azpak graph``."""

    text = "text"
    dot = "dot"
    mermaid = "mermaid"
    json = "json"


class ExportFormat(StrEnum):
    """Output formats of ``azpak export``."""

    ics = "ics"


#: Files ``graph --output`` renders through Graphviz, by suffix.
IMAGE_SUFFIXES = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
#: Text formats ``graph --output`` picks by suffix when ``--format`` is not given.
TEXT_SUFFIXES = {
    ".dot": GraphFormat.dot,
    ".gv": GraphFormat.dot,
    ".mmd": GraphFormat.mermaid,
    ".mermaid": GraphFormat.mermaid,
    ".json": GraphFormat.json,
    ".txt": GraphFormat.text,
}

GRAPHVIZ_HELP = (
    "Install Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; Fedora: sudo dnf install graphviz; "
    "macOS: brew install graphviz; Windows: winget install graphviz), "
    "or write DOT and render it elsewhere: azpak graph --format dot > network.dot"
)


def _selected_events(base: "FactBase", query: "EventQuery") -> list[Any]:
    from azpak.query.questions import filter_events

    return list(filter_events(base, query.event_filter(base)))


def _width(output: Any) -> int:
    """``COLUMNS`` when set, else the terminal's own width on a terminal (a resized window too), else 80."""
    if output.width:
        return int(output.width)
    if output.terminal:
        return shutil.get_terminal_size((80, 24)).columns
    return 80


def _write_lines(lines: list[list[tuple[str, str]]], styles: dict[str, str]) -> None:
    """Lines of (text, style) segments: with Rich colours on a colour terminal, plain text otherwise.

    Text from fact files is shown, never acted on: control and bidi characters become visible escapes.
    """
    from azpak.textsafe import visible

    lines = [[(visible(text, keep=""), style) for text, style in line] for line in lines]
    target = output()
    if not target.color:
        from azpak.views.timeline import plain_text

        target.stream.write(plain_text(lines))
        target.stream.flush()
        return
    console = rich_console(target.stream, _width(target), color=True)
    print_rich(console, lines, styles)


def rich_console(stream: Any, width: int, *, color: bool, record: bool = False) -> Any:
    from rich.console import Console

    return Console(
        file=stream,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="truecolor" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=True,
        record=record,
    )


def print_rich(console: Any, lines: list[list[tuple[str, str]]], styles: dict[str, str]) -> None:
    from rich.text import Text

    for line in lines:
        text = Text()
        for segment, style in line:
            text.append(segment, style=styles.get(style, ""))
        text.rstrip()
        console.print(text)


#: The terminal's default foreground with bold and dim, and the 16 standard colours: no fixed greys,
#: which vanish on a light or a dark background.
TIMELINE_STYLES = {
    "title": "bold",
    "indent": "not italic",  # its own span, so that a picture of the terminal keeps the indentation
    "year": "bold",
    "rule": "dim",
    "month": "bold cyan",
    "ruler": "dim",
    "strip": "bold",
    "label": "cyan",
    "kind": "italic",
    "gap": "yellow",
    "legend": "dim",
    "status.occurred": "bold green",
    "status.announced": "bold yellow",
    "status.planned": "bold magenta",
}

GRAPH_STYLES = {
    "title": "bold",
    "indent": "not italic",
    "legend": "dim",
    "rule": "dim",
    "node.person": "bold blue",
    "node.organisation": "bold yellow",
    "node.country": "bold green",
}


@commands.command()
@event_filters
def timeline(
    query: "EventQuery",
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
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
    from azpak.views.timeline import build_timeline, timeline_lines

    base = FactFiles(data, no_default, no_cache).base()
    events = _selected_events(base, query)
    if not events:
        stderr("azpak: no events match.")
        return
    _write_lines(timeline_lines(build_timeline(events), _width(output())), TIMELINE_STYLES)


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


def render_with_graphviz(dot_source: str, image_format: str, target: Path) -> None:
    """Render DOT to an image file with Graphviz's ``dot``; a clear error when it is missing or fails."""
    from azpak.errors import ExternalToolError

    program = shutil.which("dot")
    if program is None:
        raise ExternalToolError(
            f"cannot write {target}: Graphviz's `dot` program is not on PATH.", details=[GRAPHVIZ_HELP]
        )
    if not target.parent.is_dir():  # say so before a long render, not after it
        from azpak.errors import CannotWriteError

        raise CannotWriteError(f"cannot write {target}: no such directory {target.parent}")
    try:
        result = subprocess.run(
            [program, f"-T{image_format}"],
            input=dot_source.encode("utf-8"),
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ExternalToolError(f"cannot write {target}: running Graphviz failed: {exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise ExternalToolError(f"cannot write {target}: Graphviz failed: {message}")
    _write_file(target, result.stdout)  # written here, so an unwritable target is exit 73, like the other formats


def _write_file(target: Path, content: bytes) -> None:
    from azpak.errors import CannotWriteError

    try:
        target.write_bytes(content)
    except OSError as exc:
        raise CannotWriteError(f"cannot write {target}: {exc.strerror or exc}") from None


@commands.command()
@event_filters
def graph(
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
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
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
    from azpak.views.graph import adjacency_lines, build_graph, find_node, to_dot, to_json, to_mermaid
    from azpak.views.graph import around as around_node

    text_format, image_format = _graph_format(fmt, output_file)
    base = FactFiles(data, no_default, no_cache).base()
    filtered = not query.only()
    events = _selected_events(base, query)
    if filtered:
        chosen = {e.id for e in events}
        statements = [s for s in base.sorted_statements() if chosen & set(s.about_events)]
    else:
        statements = base.sorted_statements()
    network = build_graph(base, events, statements, everything=not filtered)
    if around is not None:
        network = around_node(network, base, find_node(base, around))
    if not network.edges:
        stderr("azpak: no links among the selected events.")

    if text_format is GraphFormat.text:
        if output_file is None:
            _write_lines(adjacency_lines(network, _width(output())), GRAPH_STYLES)
            return
        from azpak.views.timeline import plain_text

        rendered = plain_text(adjacency_lines(network, 80))
    elif text_format is GraphFormat.dot:
        rendered = to_dot(network)
    elif text_format is GraphFormat.mermaid:
        rendered = to_mermaid(network)
    else:
        rendered = to_json(network)

    if output_file is None:
        sys.stdout.write(rendered)
        sys.stdout.flush()
    elif image_format is not None:
        render_with_graphviz(rendered, image_format, output_file)
        stderr(f"azpak: wrote {output_file} ({len(network.nodes)} nodes, {len(network.edges)} edges)")
    else:
        _write_file(output_file, rendered.encode("utf-8"))
        stderr(f"azpak: wrote {output_file} ({len(network.nodes)} nodes, {len(network.edges)} edges)")


@commands.command()
@event_filters
def export(
    query: "EventQuery",
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", metavar="FORMAT", case_sensitive=False, help="ics (iCalendar, RFC 5545)."),
    ] = ExportFormat.ics,
    output_file: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout.", show_default=False),
    ] = None,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
    no_cache: NoCacheOption = False,
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

    base = FactFiles(data, no_default, no_cache).base()
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
