"""Drawings made of lines of styled segments (the timeline, the network's adjacency list), and how they are shown.

A drawing is a list of lines; a line is a list of ``(text, style)`` segments,
where the style is a name (``"title"``, ``"status.occurred"``…) and ``""`` is
plain. A table of styles maps the names to Rich styles. ``write_lines`` prints
a drawing to an ``Output``: with Rich colours on a colour terminal, as plain
text otherwise; ``lines_svg`` records it as a picture of a colour terminal.
Text from fact files is shown, never acted on: control and bidi characters
become visible escapes.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from typing import Any

from azpak.render import Output
from azpak.textsafe import visible

Segment = tuple[str, str]  # (text, style name); style "" is plain
Line = list[Segment]
#: Style name → Rich style.
Styles = Mapping[str, str]

#: The terminal's default foreground with bold and dim, and the 16 standard colours: no fixed greys,
#: which vanish on a light or a dark background.
TIMELINE_STYLES: Styles = {
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


def line_width(output: Output) -> int:
    """``COLUMNS`` when set, else the terminal's own width on a terminal (a resized window too), else 80."""
    if output.width:
        return int(output.width)
    if output.terminal:
        return shutil.get_terminal_size((80, 24)).columns
    return 80


def plain_text(lines: list[Line]) -> str:
    """The lines as plain text, trailing spaces removed; control and bidi characters as visible escapes."""
    return "".join("".join(visible(text, keep="") for text, _ in line).rstrip() + "\n" for line in lines)


def write_lines(lines: list[Line], styles: Styles, output: Output) -> None:
    """The lines on ``output``: with Rich colours when it has colour, plain text otherwise."""
    if not output.color:
        output.stream.write(plain_text(lines))
        output.stream.flush()
        return
    _print_rich(_rich_console(output.stream, line_width(output)), lines, styles)


def lines_svg(lines: list[Line], styles: Styles, width: int, title: str) -> str:
    """The lines as a colour terminal ``width`` columns wide shows them, as an SVG picture."""
    import io

    console = _rich_console(io.StringIO(), width, record=True)
    _print_rich(console, lines, styles)
    svg: str = console.export_svg(title=title)
    return svg


def _rich_console(stream: Any, width: int, *, record: bool = False) -> Any:
    from rich.console import Console

    return Console(
        file=stream,
        width=width,
        force_terminal=True,
        no_color=False,
        color_system="truecolor",
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=True,
        record=record,
    )


def _print_rich(console: Any, lines: list[Line], styles: Styles) -> None:
    from rich.text import Text

    for line in lines:
        text = Text()
        for segment, style in line:
            text.append(visible(segment, keep=""), style=styles.get(style, ""))
        text.rstrip()
        console.print(text)
